// Benchmark of the extraction stage (npm run bench:extract).
// For every gold record in ../shared/gold/extract: extract from each input kind, validate the
// record against the schema, write it to out/bench-extract/, score it with the shared evaluator
// (evalx --json) and print one table. Input kinds:
//   text      gold/text: the corrected text (a missing first page stays missing)
//   rendered  gold/rendered: the text as printed, header columns and signature block in reading order
//   textlayer gold/ocr repaired by the repair stage, with a repair model built without that document
//   office200 samples/ID-office200.pdf read by the pipeline (OCR, then repair): slow, so not by default;
//             any other scan variant name (clean300, fax150, ...) works the same way
// Usage: npx tsx scripts/bench-extract.ts [--shared DIR] [--inputs text,rendered,textlayer,office200] [--doc ID]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractPlan } from '../src/extract/index.js';
import { Pipeline } from '../src/pipeline/index.js';
import { buildRepairData, writeRepairData } from '../src/repair/build.js';
import { loadRepairModel, repairText } from '../src/repair/index.js';
import { readRepairSources } from '../src/repair/sources.js';
import { validateRecord } from '../src/schema/index.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const shared = path.resolve(option('--shared') ?? path.join(root, '..', 'shared'));
const inputs = (option('--inputs') ?? 'text,rendered,textlayer').split(',');
const only = option('--doc');
const outDir = path.join(root, 'out', 'bench-extract');
fs.mkdirSync(outDir, { recursive: true });

interface Scores {
  targets: { f1: number; indicatorAccuracy: number | null };
  deadlines: { f1: number };
  awards: { f1: number };
  document: { accuracy: number | null };
}

// Created on first use: only scan inputs need the OCR pool.
const ocr: { pipeline?: Pipeline } = {};

/** Pages of one input kind for a document, or null when that input does not exist. */
async function inputPages(id: string, kind: string): Promise<string[] | null> {
  if (kind === 'text' || kind === 'rendered' || kind === 'textlayer') {
    const text = inputText(id, kind);
    return text === null ? null : text.split('\f');
  }
  const pdf = path.join(shared, 'samples', `${id.split('_')[0]}-${kind}.pdf`);
  if (!fs.existsSync(pdf)) return null;
  ocr.pipeline ??= new Pipeline();
  const { pages } = await ocr.pipeline.readDocument({ file: path.basename(pdf), bytes: new Uint8Array(fs.readFileSync(pdf)) });
  return pages.map((p) => p.text);
}

function inputText(id: string, kind: string): string | null {
  const read = (dir: string) => {
    const file = path.join(shared, 'gold', dir, `${id}.txt`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  };
  if (kind === 'text') return read('text');
  if (kind === 'rendered') return read('rendered');
  if (kind === 'textlayer') {
    const ocr = read('ocr');
    if (ocr === null) return null;
    // Leave-one-out: the repair model must not have seen this document.
    const modelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-extract-repair-'));
    try {
      writeRepairData(modelDir, buildRepairData(readRepairSources(shared, [id])));
      return repairText(ocr, loadRepairModel(modelDir));
    } finally {
      fs.rmSync(modelDir, { recursive: true, force: true });
    }
  }
  throw new Error(`unknown input kind ${kind}`);
}

const ids = fs
  .readdirSync(path.join(shared, 'gold', 'extract'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .filter((id) => !only || id.startsWith(only))
  .sort();

const pct = (x: number | null) => (x === null ? '-' : x.toFixed(3));
const rows: string[][] = [];
const sums = new Map<string, { n: number; t: number; i: number; ni: number; d: number; a: number; doc: number; ndoc: number }>();
for (const id of ids) {
  for (const kind of inputs) {
    const pages = await inputPages(id, kind);
    if (pages === null) continue;
    const started = process.hrtime.bigint();
    const extracted = extractPlan(pages, { fileName: id });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const textSource = kind === 'textlayer' ? 'text-layer' : kind === 'text' || kind === 'rendered' ? 'text' : 'ocr';
    const record = validateRecord({
      schemaVersion: '1',
      source: { file: id, sha256: '0'.repeat(64), pages: pages.length, textSource, meanConfidence: null },
      ...extracted,
    });
    const recordPath = path.join(outDir, `${id}.${kind}.json`);
    fs.writeFileSync(recordPath, JSON.stringify(record, null, 2) + '\n');
    const goldPath = path.join(shared, 'gold', 'extract', `${id}.json`);
    const s = JSON.parse(execFileSync('node', [path.join(shared, 'eval', 'evalx.mjs'), goldPath, recordPath, '--json'], { encoding: 'utf8' })) as Scores;
    rows.push([id.split('_')[0]!, kind, pct(s.targets.f1), pct(s.targets.indicatorAccuracy), pct(s.deadlines.f1), pct(s.awards.f1), pct(s.document.accuracy), ms.toFixed(0)]);
    const sum = sums.get(kind) ?? { n: 0, t: 0, i: 0, ni: 0, d: 0, a: 0, doc: 0, ndoc: 0 };
    sum.n++;
    sum.t += s.targets.f1;
    sum.d += s.deadlines.f1;
    sum.a += s.awards.f1;
    if (s.targets.indicatorAccuracy !== null) {
      sum.i += s.targets.indicatorAccuracy;
      sum.ni++;
    }
    if (s.document.accuracy !== null) {
      sum.doc += s.document.accuracy;
      sum.ndoc++;
    }
    sums.set(kind, sum);
  }
}
for (const [kind, s] of sums) {
  rows.push(['mean', kind, pct(s.t / s.n), pct(s.ni ? s.i / s.ni : null), pct(s.d / s.n), pct(s.a / s.n), pct(s.ndoc ? s.doc / s.ndoc : null), '']);
}
const header = ['doc', 'input', 'targets F1', 'indicator acc', 'deadlines F1', 'awards F1', 'document acc', 'ms'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const format = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(format(header));
for (const r of rows) console.log(format(r));
console.log(`records: ${path.relative(root, outDir)}/`);
await ocr.pipeline?.close();
