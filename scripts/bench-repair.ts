// Leave-one-document-out benchmark of the repair stage (npm run bench:repair).
// For each gold document: build the channel and language model without its text/ocr pair,
// repair its old text layer (and, for a document alone in its kind of damage, two folds within
// it: see foldsOf), score with the shared evaluator (syllable accuracy, --lines), and
// time the repair cold, as a command-line repair of a document runs: CPU time of the first repair
// in a fresh child process, model load (and its warm-up) excluded, median of TIMED_RUNS processes.
// The correct gold text is passed through the same model too: share of syllables left exactly as
// they were.
// Usage: npx tsx scripts/bench-repair.ts [--shared DIR] [--doc ID]

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRepairData, writeRepairData, type GoldDocument } from '../src/repair/build.js';
import { loadRepairModel, repairText } from '../src/repair/index.js';
import { defaultSharedDir } from '../src/repair/paths.js';
import { readGoldDocuments, readRepairSources } from '../src/repair/sources.js';

/** Timed runs (fresh processes) per document; the median is reported. */
const TIMED_RUNS = 5;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Score {
  syllables: number;
  syllableAccuracy: number;
}

interface TimedRepair {
  repaired: string;
  passedThrough: string;
  seconds: number;
}

/**
 * Child mode (--time OCR_FILE TEXT_FILE OUT_FILE MODEL_DIR): loads the model, times the repair of
 * the old text layer, the first thing after the load (no other text warms the code up first),
 * then repairs the correct text (the pass-through check).
 */
function timeRepair(ocrPath: string, textPath: string, outPath: string, modelDir: string): void {
  const ocr = readFileSync(ocrPath, 'utf8');
  const text = readFileSync(textPath, 'utf8');
  const model = loadRepairModel(modelDir);
  const started = process.cpuUsage();
  const repaired = repairText(ocr, model);
  const used = process.cpuUsage(started);
  const passedThrough = repairText(text, model);
  writeFileSync(outPath, JSON.stringify({ repaired, passedThrough, seconds: (used.user + used.system) / 1e6 } satisfies TimedRepair));
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

/** One benchmark row: what the models are built from and which text is repaired and scored. */
interface Fold {
  label: string;
  /** Gold documents left out of the channel and the LM. */
  leftOut: string[];
  /** Extra training material (part of a left-out document). */
  extraGold: GoldDocument[];
  /** The damaged text layer repaired and its line-aligned correction. */
  ocr: string;
  text: string;
}

/** Lines [from, to) of a text, as a text. */
function lineRange(text: string, from: number, to: number): string {
  return text.split('\n').slice(from, to).join('\n');
}

/**
 * Folds of the benchmark. Every gold document left out entirely (leave-one-document-out); and,
 * for a document whose damage no other document shares (ALONE_IN_KIND), two folds within it: the
 * models learn from the other documents plus one contiguous half of its lines and repair the
 * other half. That is the honest proxy for a held-back rest of such a document, whose damage the
 * production model learns from the part that is shared.
 */
function foldsOf(docs: GoldDocument[], only: string | undefined): Fold[] {
  const folds: Fold[] = [];
  for (const doc of docs) {
    if (!only || doc.id.startsWith(only)) folds.push({ label: doc.id.slice(0, 4), leftOut: [doc.id], extraGold: [], ocr: doc.ocr, text: doc.text });
  }
  for (const doc of docs) {
    if (!ALONE_IN_KIND.includes(doc.id) || (only && !doc.id.startsWith(only))) continue;
    const count = doc.text.split('\n').length;
    const middle = Math.floor(count / 2);
    const halves = [
      { name: '1st half', from: 0, to: middle },
      { name: '2nd half', from: middle, to: count },
    ];
    halves.forEach((scored, i) => {
      const trained = halves[1 - i]!;
      folds.push({
        label: `${doc.id.slice(0, 4)} ${scored.name}`,
        leftOut: [doc.id],
        extraGold: [{ id: `${doc.id}-${trained.name}`, ocr: lineRange(doc.ocr, trained.from, trained.to), text: lineRange(doc.text, trained.from, trained.to) }],
        ocr: lineRange(doc.ocr, scored.from, scored.to),
        text: lineRange(doc.text, scored.from, scored.to),
      });
    });
  }
  return folds;
}

/** Gold documents whose kind of damage (much heavier: "sirc" for "sức") no other document has. */
const ALONE_IN_KIND = ['000a'];

function bench(): void {
  const sharedDir = option('--shared') ?? defaultSharedDir();
  const folds = foldsOf(readGoldDocuments(sharedDir), option('--doc'));
  const work = mkdtempSync(join(tmpdir(), 'bench-repair-'));
  const rows: string[][] = [];
  let passTotal = 0;
  let passSame = 0;
  let lineMismatch = 0;
  try {
    folds.forEach((fold, f) => {
      const sources = readRepairSources(sharedDir, fold.leftOut);
      sources.gold.push(...fold.extraGold);
      const data = buildRepairData(sources);
      const modelDir = join(work, `${f}-model`);
      writeRepairData(modelDir, data);
      const ocrPath = join(work, `${f}.ocr.txt`);
      const goldPath = join(work, `${f}.gold.txt`);
      writeFileSync(ocrPath, fold.ocr);
      writeFileSync(goldPath, fold.text);
      const outPath = join(work, `${f}.json`);
      const script = fileURLToPath(import.meta.url);
      const runs = Array.from({ length: TIMED_RUNS }, () => {
        execFileSync(process.execPath, [...process.execArgv, script, '--time', ocrPath, goldPath, outPath, modelDir], { stdio: 'inherit' });
        return JSON.parse(readFileSync(outPath, 'utf8')) as TimedRepair;
      });
      const { repaired, passedThrough } = runs[0]!;
      const seconds = runs.map((r) => r.seconds).sort((a, b) => a - b)[Math.floor(TIMED_RUNS / 2)]!;
      if (repaired.split('\n').length !== fold.ocr.split('\n').length) lineMismatch++;
      const before = vieval(sharedDir, goldPath, fold.ocr, work);
      const after = vieval(sharedDir, goldPath, repaired, work);
      const passed = unchangedTokens(fold.text, passedThrough);
      // The pass-through total counts each gold document once (the leave-one-out folds).
      if (fold.extraGold.length === 0) {
        passTotal += passed.total;
        passSame += passed.same;
      }
      rows.push([
        fold.label,
        String(after.syllables),
        (before.syllableAccuracy * 100).toFixed(2) + '%',
        (after.syllableAccuracy * 100).toFixed(2) + '%',
        Math.round(after.syllables / seconds).toLocaleString('en-US'),
        ((passed.same / passed.total) * 100).toFixed(2) + '%',
      ]);
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const header = ['fold', 'syllables', 'before', 'after', 'syll/s', 'gold unchanged'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(format(header));
  for (const r of rows) console.log(format(r));
  console.log('rows "ID": leave-one-document-out, models built without document ID, its whole text layer repaired.');
  console.log(`rows "ID 1st/2nd half" (${ALONE_IN_KIND.join(', ')}: the only document of its kind of damage): models built from the`);
  console.log("  other documents plus the other contiguous half of ID's lines, this half repaired (proxy for a held-back rest of ID).");
  console.log(`before/after: syllable accuracy, vieval --lines; syll/s: per CPU-second of a cold repair (fresh process, model load excluded, median of ${TIMED_RUNS});`);
  console.log('gold unchanged: share of the correct text of the scored lines that the same model leaves as it is.');
  if (passTotal > 0) console.log(`pass-through of correct text (gold/text, leave-one-out folds): ${((passSame / passTotal) * 100).toFixed(2)}% of ${passTotal} syllables unchanged`);
  if (lineMismatch) console.log(`WARNING: ${lineMismatch} fold(s) changed line count`);
}

const timeArgs = process.argv.indexOf('--time');
if (timeArgs >= 0) {
  const [ocrPath, textPath, outPath, modelDir] = process.argv.slice(timeArgs + 1);
  timeRepair(ocrPath!, textPath!, outPath!, modelDir!);
} else {
  bench();
}
