// bench:ocr — our OCR path against the tesseract command line on ../shared/samples.
// For each scan variant: syllable accuracy and CER (../shared/eval/vieval.mjs against gold/rendered)
// and pages per minute, ours (prepare + tesseract.js pool, before and after repair) and the CLI's
// (same page images, no preparation, one process per core); and CPU seconds per page of each,
// which a machine shared with other work moves much less than pages per minute. The column "CLI on
// prepared CPU s/page" runs the CLI on our prepared pages (same PGM, resolution given): beside "ours
// CPU s/page" it shows what the engine costs, wasm against native. With --cold, also
// `plans text FILE` run as a user runs it, one process per document, start-up included.
// The pipeline's repair model was built from the gold texts of these very documents; the column
// "unseen +repair" repairs the same OCR output with a model built without the document, as a plan
// the pipeline has never seen is repaired.
import { Command } from 'commander';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { promisify } from 'node:util';
import { PdfDocument } from '../src/pdf/index.js';
import { preparePage } from '../src/image/index.js';
import { Pipeline } from '../src/pipeline/index.js';
import { renumberHeadings, repairText, type RepairModel } from '../src/repair/index.js';
import { buildRepairModelWithout } from './repair-model-without.js';
import type { ModelVariant } from '../src/ocr/index.js';
import sharp from 'sharp';

const run = promisify(execFile);
const opts = new Command()
  .option('--shared <dir>', 'the shared folder', path.resolve('../shared'))
  .option('--docs <ids>', 'document ids, comma-separated (default: all with samples)')
  .option('--variants <names>', 'scan variants', 'clean300,office200,color200,fax150,poor150')
  .option('--pages <n>', 'only the first n pages of each document', (v) => Number(v))
  .option('--no-cli', 'skip the tesseract command line')
  .option('--cold', 'also time `plans text FILE` per document in a fresh process (start-up included)')
  .option('--model <variant>', 'our tesseract model: fast or best_int (default: the pipeline\'s)')
  .option('--target-dpi <dpi>', 'working resolution of the page preparation', (v) => Number(v))
  .parse()
  .opts<{ shared: string; docs?: string; variants: string; pages?: number; cli: boolean; cold?: boolean; model?: ModelVariant; targetDpi?: number }>();

const cores = os.availableParallelism();
const samplesDir = path.join(opts.shared, 'samples');
const vieval = path.join(opts.shared, 'eval', 'vieval.mjs');
const hasCli =
  opts.cli &&
  (() => {
    try {
      return execFileSync('tesseract', ['--list-langs'], { stdio: 'pipe' }).toString().includes('vie');
    } catch {
      return false;
    }
  })();

interface Score { accuracy: number; cer: number }
async function score(goldFile: string, text: string, tmp: string): Promise<Score> {
  const cand = path.join(tmp, `cand-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(cand, text);
  const { stdout } = await run('node', [vieval, goldFile, cand, '--json']);
  const r = JSON.parse(stdout) as { syllableAccuracy: number; charErrorRate: number };
  return { accuracy: r.syllableAccuracy, cer: r.charErrorRate };
}

/** CPU ms of this process (all its threads: tesseract workers, libvips) — robust to a busy machine. */
const ownCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** CPU ms of the finished child processes this process waited for (Linux /proc: cutime + cstime). */
const childrenCpuMs = (): number => {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / clockTicks;
};
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
/** The tesseract command line's text of one image, on one core as the other columns have. */
const readWithCli = async (image: string, extraArgs: string[] = []): Promise<string> =>
  (await run('tesseract', [image, '-', '-l', 'vie', ...extraArgs], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 1 << 26 })).stdout;

// the cold runs use the compiled command line, as `npx plans` does
if (opts.cold) execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
const plansBin = path.resolve('bin', 'plans.js');

const files = (await readdir(samplesDir)).filter((f) => f.endsWith('.pdf'));
const docIds = opts.docs ? opts.docs.split(',') : [...new Set(files.map((f) => f.split('-')[0]!))].sort();
const goldFiles = await readdir(path.join(opts.shared, 'gold', 'rendered'));
const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-ocr-'));
const prepareOptions = opts.targetDpi ? { targetDpi: opts.targetDpi } : {};
const pipeline = new Pipeline({
  forceOcr: true,
  ocr: opts.model ? { model: opts.model } : {},
  prepare: prepareOptions,
});
const rows: string[][] = [];
const unseenModels = new Map<string, RepairModel>();
/** The repair model built without the gold document goldId (once per document). */
const unseenModel = (goldId: string): RepairModel => {
  let model = unseenModels.get(goldId);
  if (!model) {
    model = buildRepairModelWithout(opts.shared, [goldId]);
    unseenModels.set(goldId, model);
  }
  return model;
};
// start the OCR pool before timing: pages per minute is the warm rate
await pipeline.warmUp();
try {
  for (const variant of opts.variants.split(',')) {
    const acc = { ours: [] as Score[], oursRaw: [] as Score[], unseen: [] as Score[], cold: [] as Score[], cli: [] as Score[], pages: 0, oursMs: 0, coldMs: 0, cliMs: 0, oursCpuMs: 0, coldCpuMs: 0, cliCpuMs: 0, cliPreparedCpuMs: 0, retried: 0 };
    for (const id of docIds) {
      const file = path.join(samplesDir, `${id}-${variant}.pdf`);
      const gold = goldFiles.find((g) => g.startsWith(id));
      if (!files.includes(path.basename(file)) || !gold) continue;
      let goldPath = path.join(opts.shared, 'gold', 'rendered', gold);
      const bytes = await readFile(file);
      const pdf = await PdfDocument.open(bytes, path.basename(file));
      const pageCount = Math.min(pdf.pageCount, opts.pages ?? Infinity);
      if (pageCount < pdf.pageCount) {
        // score a page subset against the matching share of the gold text
        const goldText = (await readFile(goldPath, 'utf8')).split('\n');
        goldPath = path.join(tmp, `gold-${id}.txt`);
        await writeFile(goldPath, goldText.slice(0, Math.ceil((goldText.length * pageCount) / pdf.pageCount)).join('\n'));
      }
      const input = { file: path.basename(file), bytes };
      let t = Date.now();
      let cpu = ownCpuMs();
      const pages = opts.pages ? await Promise.all(Array.from({ length: pageCount }, (_, i) => pipeline.readPage(input, i + 1))) : (await pipeline.readDocument(input)).pages;
      acc.oursMs += Date.now() - t;
      acc.oursCpuMs += ownCpuMs() - cpu;
      acc.pages += pageCount;
      acc.retried += pages.filter((p) => p.warnings.some((w) => w.includes('retried'))).length;
      acc.ours.push(await score(goldPath, pages.map((p) => p.text).join('\n'), tmp));
      acc.oursRaw.push(await score(goldPath, pages.map((p) => p.raw).join('\n'), tmp));
      const withoutDocument = unseenModel(gold.replace(/\.txt$/, ''));
      acc.unseen.push(await score(goldPath, renumberHeadings(pages.map((p) => repairText(p.raw, withoutDocument))).join('\n'), tmp));
      if (opts.cold && !opts.pages) {
        t = Date.now();
        cpu = childrenCpuMs();
        const { stdout } = await run('node', [plansBin, 'text', '--force-ocr', file], { maxBuffer: 1 << 26 });
        acc.coldMs += Date.now() - t;
        acc.coldCpuMs += childrenCpuMs() - cpu;
        acc.cold.push(await score(goldPath, stdout, tmp));
      }
      if (hasCli) {
        const images: string[] = [];
        const prepared: { file: string; dpi: number }[] = [];
        for (let p = 1; p <= pageCount; p++) {
          const img = await pdf.pageImage(p);
          const png = path.join(tmp, `${id}-${variant}-${p}.png`);
          await sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } }).png({ compressionLevel: 1 }).toFile(png);
          images.push(png);
          const page = await preparePage(img, prepareOptions);
          const pgm = path.join(tmp, `${id}-${variant}-${p}.pgm`);
          await writeFile(pgm, page.pgm);
          prepared.push({ file: pgm, dpi: page.dpi });
        }
        const limit = pLimit(cores);
        t = Date.now();
        cpu = childrenCpuMs();
        const texts = await Promise.all(images.map((img) => limit(() => readWithCli(img))));
        acc.cliMs += Date.now() - t;
        acc.cliCpuMs += childrenCpuMs() - cpu;
        acc.cli.push(await score(goldPath, texts.join('\n'), tmp));
        cpu = childrenCpuMs();
        await Promise.all(prepared.map((page) => limit(() => readWithCli(page.file, ['--dpi', String(page.dpi)]))));
        acc.cliPreparedCpuMs += childrenCpuMs() - cpu;
      }
      await pdf.close();
    }
    if (!acc.pages) continue;
    const mean = (s: Score[], k: keyof Score): string => (s.length ? ((s.reduce((a, x) => a + x[k], 0) / s.length) * 100).toFixed(2) + '%' : '–');
    const ppm = (ms: number): string => (ms ? ((acc.pages / ms) * 60000).toFixed(1) : '–');
    const cpuPerPage = (ms: number): string => (ms ? (ms / acc.pages / 1000).toFixed(2) : '–');
    process.stderr.write(`${variant}: done (${acc.pages} pages)\n`);
    rows.push([variant, String(acc.pages), String(acc.retried), mean(acc.oursRaw, 'accuracy'), mean(acc.ours, 'accuracy'), mean(acc.unseen, 'accuracy'), mean(acc.ours, 'cer'), ppm(acc.oursMs), cpuPerPage(acc.oursCpuMs), mean(acc.cold, 'accuracy'), ppm(acc.coldMs), cpuPerPage(acc.coldCpuMs), mean(acc.cli, 'accuracy'), mean(acc.cli, 'cer'), ppm(acc.cliMs), cpuPerPage(acc.cliCpuMs), cpuPerPage(acc.cliPreparedCpuMs)]);
  }
} finally {
  await pipeline.close();
  await rm(tmp, { recursive: true, force: true });
}
const header = ['variant', 'pages', 'retried', 'ours OCR acc', 'ours +repair acc', 'unseen +repair acc', 'ours CER', 'ours pages/min', 'ours CPU s/page', 'cold acc', 'cold pages/min', 'cold CPU s/page', 'CLI acc', 'CLI CER', 'CLI pages/min', 'CLI CPU s/page', 'CLI on prepared CPU s/page'];
console.log(`docs ${docIds.join(',')}, ${cores} cores${hasCli ? '' : ' (tesseract CLI not installed: its columns are empty)'}`);
console.table(rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))));
