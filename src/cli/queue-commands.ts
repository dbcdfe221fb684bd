// Queue commands: `plans worker`, `plans enqueue`, `plans status` (their arguments are declared in
// main.ts). Each calls src/queue; what is printed is decided here.
import { MultiBar, Presets } from 'cli-progress';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors/index.js';
import { queueConfigFromEnv, type QueueConfig } from '../queue/config.js';
import { enqueueDocument, type Enqueued } from '../queue/enqueue.js';
import { findInputFiles, RecordFileNames } from '../queue/local-files.js';
import { PlanQueues } from '../queue/queues.js';
import type { DocumentProgress, Outcome } from '../queue/schemas.js';
import { runWorkerService } from '../queue/service.js';
import { documentStatus, jobStates, queueOverview, type DocumentStatus } from '../queue/status.js';
import { watchDocuments } from '../queue/watch.js';
import type { PlanRecord } from '../schema/index.js';
import { readInput } from './input.js';

/** `plans worker`: processes queued documents until SIGTERM/SIGINT, then exits. */
export async function workerCommand(opts: { concurrency?: number }): Promise<never> {
  const code = await runWorkerService({ config: queueConfigFromEnv(), concurrency: opts.concurrency });
  // OCR threads and sockets are closed by now; exit even if a stray handle lingers
  process.exit(code);
}

export interface EnqueueCommandOptions {
  wait?: boolean;
  out: string;
  priority?: number;
  force?: boolean;
}

interface Output {
  out(line: string): void;
  err(line: string): void;
}

const stdio: Output = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** `plans enqueue`; returns the exit code: 1 if any document could not be queued or failed. */
export async function enqueueCommand(paths: string[], opts: EnqueueCommandOptions, config: QueueConfig = queueConfigFromEnv(), io: Output = stdio): Promise<number> {
  const started = Date.now();
  const { files, unusable } = await findInputFiles(paths);
  let failed = unusable.length;
  for (const { path: given, reason } of unusable) io.err(`✗ ${given}: ${reason}`);
  if (!files.length) {
    io.err('nothing to enqueue: no .pdf or .txt files found');
    return 1;
  }
  const queues = await PlanQueues.open(config, { persistent: false });
  try {
    // job id → the record files it answers for (the same bytes under two names are one job)
    const jobs = new Map<string, { file: string; recordFile: string }[]>();
    const names = new RecordFileNames();
    for (const file of files) {
      let enqueued: Enqueued;
      try {
        enqueued = await enqueueDocument(queues, await readInput(file), { priority: opts.priority, force: opts.force });
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        failed++;
        io.err(`✗ ${file}: ${err.reason}`);
        continue;
      }
      const entry = { file, recordFile: path.join(opts.out, names.nameFor(file, enqueued.sha256)) };
      jobs.set(enqueued.jobId, [...(jobs.get(enqueued.jobId) ?? []), entry]);
      io.out(`${enqueuedLabel(enqueued.state)} ${file}  ${enqueued.jobId}${enqueued.state === 'failed' ? '  (--force runs it again)' : ''}`);
    }
    if (!opts.wait) {
      if (jobs.size) io.out(`${jobs.size} document job(s); follow one with: plans status <jobId>`);
      return failed ? 1 : 0;
    }
    await mkdir(opts.out, { recursive: true });
    const display = new WaitDisplay(jobs.size, io);
    let done = 0;
    // Ctrl-C stops the waiting, not the work: the documents stay queued and are processed
    const stopWaiting = (): void => {
      display.stop();
      io.err("stopped waiting; the documents stay queued: run the same command again to collect their records");
      process.exit(130);
    };
    process.once('SIGINT', stopWaiting);
    try {
      await watchDocuments(queues, [...jobs.keys()], {
        progress: (jobId, progress) => display.progress(jobId, progress),
        finished: async (jobId, outcome) => {
          for (const { file, recordFile } of jobs.get(jobId) ?? []) {
            if (outcome.status === 'completed') {
              await writeFile(recordFile, JSON.stringify(outcome.record, null, 2) + '\n');
              display.log(`✓ ${file} → ${recordFile}: ${recordSummary(outcome.record)}`);
            } else display.log(`✗ ${file}: ${outcome.reason}`, true);
          }
          if (outcome.status === 'completed') done++;
          else failed++;
          display.finished(jobId, outcome);
        },
      });
    } finally {
      process.off('SIGINT', stopWaiting);
      display.stop();
    }
    io.out(`${done} done, ${failed} failed, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return failed ? 1 : 0;
  } finally {
    await queues.close();
  }
}

function enqueuedLabel(state: Enqueued['state']): string {
  switch (state) {
    case 'queued':
      return 'queued          ';
    case 'pending':
      return 'already queued  ';
    case 'completed':
      return 'already done    ';
    case 'failed':
      return 'failed before   ';
  }
}

function recordSummary(record: PlanRecord): string {
  const { source } = record;
  const confidence = source.meanConfidence === null ? '' : `, confidence ${Math.round(source.meanConfidence * 100)}%`;
  return (
    `${source.pages} page${source.pages === 1 ? '' : 's'} (${source.textSource}${confidence}), ` +
    `${record.targets.length} targets, ${record.deadlines.length} deadlines, ${record.awards.length} awards, ${record.warnings.length} warnings`
  );
}

/** Progress while waiting: a bar on a terminal (documents finished, pages read), plain lines otherwise. */
class WaitDisplay {
  private readonly bars: MultiBar | null;
  private readonly bar: ReturnType<MultiBar['create']> | null;
  private readonly pages = new Map<string, DocumentProgress>();
  private finishedCount = 0;
  private failedCount = 0;

  constructor(
    total: number,
    private readonly io: Output,
  ) {
    this.bars = process.stderr.isTTY
      ? new MultiBar(
          { format: 'documents [{bar}] {value}/{total} | pages read {pagesDone}/{pageCount} | failed {failed} | {duration_formatted}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
          Presets.shades_classic,
        )
      : null;
    this.bar = this.bars?.create(total, 0, this.payload()) ?? null;
  }

  progress(jobId: string, progress: DocumentProgress): void {
    const known = this.pages.get(jobId);
    // page completions are reported by several workers: never step back
    if (known && known.pagesDone > progress.pagesDone) return;
    this.pages.set(jobId, progress);
    this.bar?.update(this.finishedCount, this.payload());
  }

  finished(jobId: string, outcome: Outcome): void {
    this.finishedCount++;
    if (outcome.status === 'failed') this.failedCount++;
    else this.pages.set(jobId, { stage: 'assembling', pagesDone: outcome.record.source.pages, pageCount: outcome.record.source.pages });
    this.bar?.update(this.finishedCount, this.payload());
  }

  log(line: string, isError = false): void {
    if (this.bars) this.bars.log(line + '\n');
    else if (isError) this.io.err(line);
    else this.io.out(line);
  }

  stop(): void {
    // MultiBar prints logged lines on its next redraw: force one so the last lines are not lost
    this.bars?.update();
    this.bars?.stop();
  }

  private payload(): { pagesDone: number; pageCount: number; failed: number } {
    let pagesDone = 0;
    let pageCount = 0;
    for (const p of this.pages.values()) {
      pagesDone += p.pagesDone;
      pageCount += p.pageCount;
    }
    return { pagesDone, pageCount, failed: this.failedCount };
  }
}

/** `plans status [jobId]`; returns the exit code: 1 for an unknown job. */
export async function statusCommand(jobId: string | undefined, opts: { json?: boolean }, config: QueueConfig = queueConfigFromEnv(), io: Output = stdio): Promise<number> {
  const queues = await PlanQueues.open(config, { persistent: false });
  try {
    if (!jobId) {
      const overview = await queueOverview(queues);
      if (opts.json) io.out(JSON.stringify(overview, null, 2));
      else {
        const width = Math.max(...jobStates.map((s) => s.length));
        io.out(`${''.padEnd(width)}  ${'documents'.padStart(9)}  ${'pages'.padStart(9)}`);
        for (const state of jobStates) io.out(`${state.padEnd(width)}  ${String(overview.documents[state]).padStart(9)}  ${String(overview.pages[state]).padStart(9)}`);
        io.out(`${'workers'.padEnd(width)}  ${String(overview.workers).padStart(9)}`);
      }
      return 0;
    }
    const status = await documentStatus(queues, jobId);
    if (!status) {
      io.err(`plans: no document job ${jobId} (it may have been removed after its retention period)`);
      return 1;
    }
    io.out(opts.json ? JSON.stringify(status, null, 2) : describeStatus(status, queues.outcomes.key(status.jobId)));
    return 0;
  } finally {
    await queues.close();
  }
}

function describeStatus(status: DocumentStatus, outcomeKey: string): string {
  const rows: [string, string | null][] = [
    ['job', status.jobId],
    ['file', status.file],
    ['sha256', status.sha256],
    ['state', status.state],
    ['progress', status.progress && !['completed', 'failed', 'expired'].includes(status.state) ? `${status.progress.stage}, ${status.progress.pagesDone}/${status.progress.pageCount} pages read` : null],
    ['attempts', status.attemptsMade === null ? null : String(status.attemptsMade)],
    ['worker', status.processedBy],
    ['enqueued', status.enqueuedAt],
    ['finished', status.finishedAt],
    ['error', status.failedReason],
    ['result', status.outcome?.status === 'completed' ? recordSummary(status.outcome.record) : null],
    ['record', status.outcome?.status === 'completed' ? `Redis key ${outcomeKey} (or: plans status ${status.jobId} --json)` : null],
  ];
  return rows
    .filter((row): row is [string, string] => row[1] !== null)
    .map(([label, value]) => `${label.padEnd(9)} ${value}`)
    .join('\n');
}
