// `plans process`: every input through the pipeline, one record file each, one summary line each.
// A failing input is reported and the others still processed.
import { SingleBar, Presets } from 'cli-progress';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage, InputError } from '../errors/index.js';
import { Pipeline, type PipelineOptions } from '../pipeline/index.js';
import type { PlanRecord } from '../schema/index.js';
import { readInput } from './input.js';

export interface ProcessFilesOptions {
  outDir: string;
  pipeline: Partial<PipelineOptions>;
}

/** Processes the files in turn; returns how many failed. */
export async function processFiles(files: string[], options: ProcessFilesOptions): Promise<number> {
  const pipeline = new Pipeline(options.pipeline);
  await mkdir(options.outDir, { recursive: true });
  let failed = 0;
  try {
    for (const file of files) {
      const started = Date.now();
      const bar = process.stderr.isTTY
        ? new SingleBar({ format: `${path.basename(file)} [{bar}] {value}/{total} pages`, stream: process.stderr, clearOnComplete: true, hideCursor: true }, Presets.shades_classic)
        : null;
      try {
        const input = await readInput(file);
        let barStarted = false;
        const record = await pipeline.process(input, ({ page, pageCount }) => {
          if (!bar) return;
          if (!barStarted) {
            bar.start(pageCount, 0);
            barStarted = true;
          }
          bar.update(page);
        });
        bar?.stop();
        const outFile = path.join(options.outDir, `${path.parse(file).name}.json`);
        await writeFile(outFile, JSON.stringify(record, null, 2) + '\n');
        process.stdout.write(summaryLine(file, outFile, record, Date.now() - started) + '\n');
      } catch (err) {
        bar?.stop();
        failed++;
        // name the file as the user gave it, whichever stage refused it
        process.stderr.write(`✗ ${file}: ${err instanceof InputError ? err.reason : errorMessage(err)}\n`);
      }
    }
  } finally {
    await pipeline.close();
  }
  return failed;
}

function summaryLine(file: string, outFile: string, record: PlanRecord, ms: number): string {
  const { source, document: doc } = record;
  const confidence = source.meanConfidence === null ? '' : `, confidence ${Math.round(source.meanConfidence * 100)}%`;
  const facts = [doc.number, doc.issuedAt, doc.locality?.name].filter(Boolean).join(', ');
  return (
    `✓ ${file} → ${outFile}: ${source.pages} page${source.pages === 1 ? '' : 's'} (${source.textSource}${confidence}), ` +
    `${facts ? facts + '; ' : ''}${record.targets.length} targets, ${record.deadlines.length} deadlines, ${record.awards.length} awards, ` +
    `${record.warnings.length} warnings, ${(ms / 1000).toFixed(1)} s`
  );
}
