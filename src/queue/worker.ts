// A worker process's BullMQ workers: one on the documents queue, one on the pages queue, sharing a
// pipeline (one OCR pool with a tesseract worker per unit of concurrency). The finish handlers keep
// the stores right: an input is released when its document is done, a final failure is stored as
// the document's outcome, and page completions move the document's progress.
import { Worker, type Job } from 'bullmq';
import os from 'node:os';
import type { Logger } from 'pino';
import { errorMessage } from '../errors/index.js';
import { Pipeline, type PipelineOptions } from '../pipeline/index.js';
import { DOCUMENTS_QUEUE, PAGES_QUEUE, workerTuning, type QueueConfig } from './config.js';
import { documentProcessor } from './document-job.js';
import { pageProcessor } from './page-job.js';
import { PlanQueues } from './queues.js';
import { displayUrl } from './redis.js';
import { DocumentJobData, DocumentProgress, DocumentResult, parseAt } from './schemas.js';

export interface PlanWorkerOptions {
  /** Jobs of each queue run at once; also the number of OCR threads. */
  concurrency: number;
  logger: Logger;
  pipeline?: Partial<PipelineOptions>;
}

export interface PlanWorker {
  /** Stored on every job it processes (`processedBy`): host and pid. */
  readonly name: string;
  /** Takes no new jobs, finishes those in hand, then closes. */
  close(): Promise<void>;
  /** Puts the jobs in hand straight back on the queue for other workers, then closes without waiting. */
  handBack(): Promise<void>;
}

type Processor<R> = (job: Job, token?: string) => Promise<R>;

export async function startPlanWorker(config: QueueConfig, options: PlanWorkerOptions): Promise<PlanWorker> {
  const log = options.logger;
  const logError = throttledErrorLog(log, `Redis at ${displayUrl(config.redisUrl)}`);
  const queues = await PlanQueues.open(config, { persistent: true, onError: (err) => logError(err, 'connection') });
  queues.redis.on('ready', () => logError.recovered());
  const pipeline = new Pipeline({ ...options.pipeline, ocr: { workers: options.concurrency, ...options.pipeline?.ocr } });
  const name = `${os.hostname()}#${process.pid}`;
  const inHand = new Map<string, { job: Job; token: string }>();
  let handedBack = false;
  const tracked =
    <R>(processor: Processor<R>): Processor<R> =>
    async (job, token) => {
      if (token) inHand.set(job.id!, { job, token });
      try {
        return await processor(job, token);
      } finally {
        inHand.delete(job.id!);
      }
    };
  const common = { connection: queues.redis, prefix: config.prefix, concurrency: options.concurrency, name, ...workerTuning };
  const documents = new Worker(DOCUMENTS_QUEUE, tracked(documentProcessor(queues, pipeline)), common);
  const pages = new Worker(PAGES_QUEUE, tracked(pageProcessor(queues, pipeline)), common);

  documents.on('completed', (job, result: DocumentResult) => {
    log.info({ jobId: job.id, file: result.file, pages: result.pages, sinceEnqueuedMs: job.finishedOn ? job.finishedOn - job.timestamp : undefined }, 'document done');
    void releaseInput(queues, job, log);
  });
  documents.on('failed', (job, err) => {
    if (!job) return;
    if (!job.finishedOn) return void log.info({ jobId: job.id, attempt: job.attemptsMade, err: err.message }, 'document attempt failed; will retry');
    log.warn({ jobId: job.id, file: (job.data as { file?: string }).file, err: err.message }, 'document failed');
    void storeFailure(queues, job, err.message, log).then(() => releaseInput(queues, job, log));
  });
  pages.on('completed', (job) => {
    log.debug({ jobId: job.id, ms: job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : undefined }, 'page done');
    void reportPageDone(queues, job, log);
  });
  pages.on('failed', (job, err) => {
    if (!job) return;
    if (!job.finishedOn) return void log.info({ jobId: job.id, attempt: job.attemptsMade, err: err.message }, 'page attempt failed; will retry');
    log.warn({ jobId: job.id, err: err.message }, 'page failed');
  });
  for (const worker of [documents, pages]) {
    worker.on('stalled', (jobId) => log.warn({ jobId, queue: worker.name }, 'job stalled (its worker died or hung); moved back to wait'));
    // once jobs are handed back, their lock renewals fail as they should: not worth an error line
    worker.on('error', (err) => (handedBack ? log.debug({ err: errorMessage(err) }, 'after hand-back') : logError(err, `${worker.name} worker`)));
  }
  await Promise.all([documents.waitUntilReady(), pages.waitUntilReady()]);
  log.info({ worker: name, concurrency: options.concurrency, redis: displayUrl(config.redisUrl), prefix: config.prefix }, 'worker ready');

  const shutDown = async (force: boolean): Promise<void> => {
    await Promise.allSettled([documents.close(force), pages.close(force)]);
    await pipeline.close();
    await queues.close();
  };
  return {
    name,
    close: () => shutDown(false),
    handBack: async () => {
      const jobs = [...inHand.values()];
      handedBack = true;
      await Promise.allSettled(jobs.map(({ job, token }) => job.moveToWait(token)));
      log.info({ jobs: jobs.map(({ job }) => job.id) }, 'jobs in hand put back on the queue');
      // a graceful close may already be waiting on those jobs: give closing a moment, no more
      await Promise.race([shutDown(true), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    },
  };
}

/**
 * Errors logged once per message per 10 s: during a Redis outage every connection reports every
 * reconnect attempt. Once Redis answers again, that is logged too.
 */
function throttledErrorLog(log: Logger, redis: string) {
  const lastLogged = new Map<string, number>();
  const report = (err: Error, source: string): void => {
    const message = errorMessage(err);
    if (Date.now() - (lastLogged.get(message) ?? 0) < 10_000) return;
    lastLogged.set(message, Date.now());
    log.error({ err: message, source }, `error (${redis}); retrying`);
  };
  report.recovered = (): void => {
    if (!lastLogged.size) return;
    lastLogged.clear();
    log.info(`${redis} answers again`);
  };
  return report;
}

async function releaseInput(queues: PlanQueues, job: Job, log: Logger): Promise<void> {
  const data = DocumentJobData.safeParse(job.data);
  if (!data.success) return;
  await queues.inputs.release(data.data.sha256, job.id!).catch((err: unknown) => log.warn({ jobId: job.id, err: errorMessage(err) }, 'could not release the input bytes (they expire on their own)'));
}

/** The failure as the document's outcome, unless a record was stored first (a crash after assembling). */
async function storeFailure(queues: PlanQueues, job: Job, reason: string, log: Logger): Promise<void> {
  const data = DocumentJobData.safeParse(job.data);
  if (!data.success) return void log.warn({ jobId: job.id }, 'failed job has malformed data: no outcome stored');
  const { file, sha256 } = data.data;
  await queues.outcomes
    .saveIfAbsent({ status: 'failed', jobId: job.id!, file, sha256, finishedAt: new Date(job.finishedOn ?? Date.now()).toISOString(), reason })
    .catch((err: unknown) => log.error({ jobId: job.id, err: errorMessage(err) }, 'could not store the failure'));
}

/** Pages done so far, as the document's progress (the document reports its own last steps). */
async function reportPageDone(queues: PlanQueues, job: Job, log: Logger): Promise<void> {
  try {
    const parentId = job.parent?.id;
    const parent = parentId ? await queues.documents.getJob(parentId) : undefined;
    const pageCount = parent ? DocumentJobData.safeParse(parent.data).data?.pageCount : undefined;
    if (!parent || !pageCount) return;
    const { processed = 0 } = await parent.getDependenciesCount({ processed: true });
    if (processed < pageCount) await parent.updateProgress(parseAt(DocumentProgress, { stage: 'reading', pagesDone: processed, pageCount }, 'document progress'));
  } catch (err) {
    log.debug({ jobId: job.id, err: errorMessage(err) }, 'progress not updated');
  }
}
