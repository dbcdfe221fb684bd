// Benchmark of the extraction stage (npm run bench:extract).
// For every gold record in ../shared/gold/extract: extract from each input kind, validate the
// record against the schema, write it and the text it came from to out/bench-extract/, score it with the shared evaluator
// (evalx --json) and print one table. Input kinds:
//   text      gold/text: the corrected text (a missing first page stays missing)
//   rendered  gold/rendered: the text as printed, header columns and signature block in reading order
//   textlayer gold/ocr (the old text layer) repaired by the repair stage
//   office200 samples/ID-office200.pdf read by the pipeline (page images prepared and OCR'd), then
//             repaired; any other scan variant name (clean300, fax150, poor150, ...) works the same way
// Repair always uses a model built without the document it repairs (leave-one-out), so the figures
// are those of a plan the models have never seen. Nothing is cached: every run OCRs the scans again.
// Usage: npx tsx scripts/bench-extract.ts [--shared DIR] [--inputs text,rendered,textlayer,office200] [--doc ID]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractPlan } from '../src/extract/index.js';
import { Pipeline } from '../src/pipeline/index.js';
import { renumberHeadings, repairText, type RepairModel } from '../src/repair/index.js';
import { validateRecord } from '../src/schema/index.js';
import { buildRepairModelWithout } from './repair-model-without.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const shared = path.resolve(option('--shared') ?? path.join(root, '..', 'shared'));
const inputs = (option('--inputs') ?? 'text,rendered,textlayer,office200').split(',');
const only = option('--doc');
const outDir = path.join(root, 'out', 'bench-extract');
fs.mkdirSync(outDir, { recursive: true });

interface Scores {
  targets: { f1: number; indicatorAccuracy: number | null };
  deadlines: { f1: number };
  awards: { f1: number };
  document: { accuracy: number | null };
  legalBases: { f1: number };
}

// Created on first use: only scan inputs need the OCR pool.
const ocr: { pipeline?: Pipeline } = {};

// Leave-one-out repair model of the document in hand, built once for all its inputs.
const repairModels = new Map<string, RepairModel>();
function repairModelWithout(id: string): RepairModel {
  let model = repairModels.get(id);
  if (!model) {
    model = buildRepairModelWithout(shared, [id]);
    repairModels.clear();
    repairModels.set(id, model);
  }
  return model;
}

/** Pages of one input kind for a document, or null when that input does not exist. */
async function inputPages(id: string, kind: string): Promise<string[] | null> {
  const read = (dir: string) => {
    const file = path.join(shared, 'gold', dir, `${id}.txt`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\f') : null;
  };
  if (kind === 'text' || kind === 'rendered') return read(kind);
  if (kind === 'textlayer') {
    const layer = read('ocr');
    return layer ? renumberHeadings(layer.map((page) => repairText(page, repairModelWithout(id)))) : null;
  }
  const pdf = path.join(shared, 'samples', `${id.split('_')[0]}-${kind}.pdf`);
  if (!fs.existsSync(pdf)) return null;
  ocr.pipeline ??= new Pipeline({ forceOcr: true });
  const { pages } = await ocr.pipeline.readDocument({ file: path.basename(pdf), bytes: new Uint8Array(fs.readFileSync(pdf)) });
  // The pipeline's own repair model has seen every gold document: repair its raw OCR again here.
  return renumberHeadings(pages.map((p) => repairText(p.raw, repairModelWithout(id))));
}

const ids = fs
  .readdirSync(path.join(shared, 'gold', 'extract'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .filter((id) => !only || id.startsWith(only))
  .sort();

const pct = (x: number | null) => (x === null ? '-' : x.toFixed(3));
const rows: string[][] = [];
const sums = new Map<string, { n: number; t: number; i: number; ni: number; d: number; a: number; doc: number; ndoc: number; l: number }>();
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
    // The text extraction read, for looking into a score (written each run, never read back).
    fs.writeFileSync(path.join(outDir, `${id}.${kind}.txt`), pages.join('\f'));
    const goldPath = path.join(shared, 'gold', 'extract', `${id}.json`);
    const s = JSON.parse(execFileSync('node', [path.join(shared, 'eval', 'evalx.mjs'), goldPath, recordPath, '--json'], { encoding: 'utf8' })) as Scores;
    rows.push([id.split('_')[0]!, kind, pct(s.targets.f1), pct(s.targets.indicatorAccuracy), pct(s.deadlines.f1), pct(s.awards.f1), pct(s.document.accuracy), pct(s.legalBases.f1), ms.toFixed(0)]);
    const sum = sums.get(kind) ?? { n: 0, t: 0, i: 0, ni: 0, d: 0, a: 0, doc: 0, ndoc: 0, l: 0 };
    sum.n++;
    sum.t += s.targets.f1;
    sum.d += s.deadlines.f1;
    sum.a += s.awards.f1;
    sum.l += s.legalBases.f1;
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
  rows.push(['mean', kind, pct(s.t / s.n), pct(s.ni ? s.i / s.ni : null), pct(s.d / s.n), pct(s.a / s.n), pct(s.ndoc ? s.doc / s.ndoc : null), pct(s.l / s.n), '']);
}
const header = ['doc', 'input', 'targets F1', 'indicator acc', 'deadlines F1', 'awards F1', 'document acc', 'legal bases F1', 'ms'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const format = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(format(header));
for (const r of rows) console.log(format(r));
console.log(`records: ${path.relative(root, outDir)}/`);
await ocr.pipeline?.close();
