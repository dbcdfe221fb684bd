// Leave-one-document-out benchmark of the repair stage (npm run bench:repair).
// For each gold document: build the channel and language model without its text/ocr pair,
// repair its old text layer, score with the shared evaluator (syllable accuracy, --lines), and
// time the repair (CPU time of one core, model load excluded, median of three runs). The correct gold text is passed
// through the same model too: share of syllables left exactly as they were.
// Usage: npx tsx scripts/bench-repair.ts [--shared DIR] [--doc ID]

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRepairData, writeRepairData } from '../src/repair/build.js';
import { loadRepairModel, repairText } from '../src/repair/index.js';
import { defaultSharedDir } from '../src/repair/paths.js';
import { readGoldDocuments, readRepairSources } from '../src/repair/sources.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Score {
  syllables: number;
  syllableAccuracy: number;
}

function vieval(sharedDir: string, goldPath: string, candidate: string, work: string): Score {
  const candPath = join(work, 'candidate.txt');
  writeFileSync(candPath, candidate);
  const out = execFileSync('node', [join(sharedDir, 'eval', 'vieval.mjs'), goldPath, candPath, '--lines', '--json'], { encoding: 'utf8' });
  return JSON.parse(out) as Score;
}

/** Whitespace tokens of `after` identical to those of `before`, line by line (LCS). */
function unchangedTokens(before: string, after: string): { total: number; same: number } {
  const a = before.split('\n');
  const b = after.split('\n');
  let total = 0;
  let same = 0;
  a.forEach((line, i) => {
    const x = line.split(/\s+/).filter(Boolean);
    const y = (b[i] ?? '').split(/\s+/).filter(Boolean);
    total += x.length;
    const dp: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
    for (let p = 1; p <= x.length; p++)
      for (let q = 1; q <= y.length; q++)
        dp[p]![q] = x[p - 1] === y[q - 1] ? dp[p - 1]![q - 1]! + 1 : Math.max(dp[p - 1]![q]!, dp[p]![q - 1]!);
    same += dp[x.length]![y.length]!;
  });
  return { total, same };
}

/** Timed runs per document; the median is reported. */
const TIMED_RUNS = 3;
const sharedDir = option('--shared') ?? defaultSharedDir();
const only = option('--doc');
const docs = readGoldDocuments(sharedDir).filter((d) => !only || d.id.startsWith(only));
const work = mkdtempSync(join(tmpdir(), 'bench-repair-'));
const rows: string[][] = [];
let passTotal = 0;
let passSame = 0;
let lineMismatch = 0;
try {
  for (const doc of docs) {
    const data = buildRepairData(readRepairSources(sharedDir, [doc.id]));
    // Each timed run gets its own copy of the model, so every run starts with cold memos.
    const timings: number[] = [];
    let repaired = '';
    let passed = { total: 0, same: 0 };
    for (let run = 0; run < TIMED_RUNS; run++) {
      const modelDir = join(work, `${doc.id}-${run}`);
      writeRepairData(modelDir, data);
      const model = loadRepairModel(modelDir);
      // Pass-through first: it also warms up the JIT (it decodes in the other damage mode, so
      // the timed run below still starts with cold candidate memos).
      passed = unchangedTokens(doc.text, repairText(doc.text, model));
      // CPU time of this single-threaded process: other work on the machine does not count.
      const started = process.cpuUsage();
      repaired = repairText(doc.ocr, model);
      const used = process.cpuUsage(started);
      timings.push((used.user + used.system) / 1e6);
    }
    const seconds = timings.sort((a, b) => a - b)[Math.floor(TIMED_RUNS / 2)]!;
    if (repaired.split('\n').length !== doc.ocr.split('\n').length) lineMismatch++;
    const goldPath = join(sharedDir, 'gold', 'text', `${doc.id}.txt`);
    const before = vieval(sharedDir, goldPath, doc.ocr, work);
    const after = vieval(sharedDir, goldPath, repaired, work);
    passTotal += passed.total;
    passSame += passed.same;
    rows.push([
      doc.id.slice(0, 4),
      String(after.syllables),
      (before.syllableAccuracy * 100).toFixed(2) + '%',
      (after.syllableAccuracy * 100).toFixed(2) + '%',
      Math.round(after.syllables / seconds).toLocaleString('en-US'),
      ((passed.same / passed.total) * 100).toFixed(2) + '%',
    ]);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const header = ['doc', 'syllables', 'before', 'after', 'syll/s', 'gold unchanged'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const format = (r: string[]) => r.map((c, i) => c.padStart(widths[i]!)).join('  ');
console.log(format(header));
for (const r of rows) console.log(format(r));
console.log(`pass-through of correct text (gold/text): ${((passSame / passTotal) * 100).toFixed(2)}% of ${passTotal} syllables unchanged`);
if (lineMismatch) console.log(`WARNING: ${lineMismatch} document(s) changed line count`);
