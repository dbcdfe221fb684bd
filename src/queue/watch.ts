// Following document jobs until each has an outcome. Queue events make it prompt; a periodic sweep
// of the outcome store makes it certain (events missed while reconnecting, jobs finished before
// we started listening), and a job that failed or vanished without an outcome is still reported.
import { QueueEvents } from 'bullmq';
import { DOCUMENTS_QUEUE } from './config.js';
import type { PlanQueues } from './queues.js';
import { DocumentJobData, DocumentProgress, type Outcome } from './schemas.js';

export interface WatchHandlers {
  progress?(jobId: string, progress: DocumentProgress): void;
  finished(jobId: string, outcome: Outcome): void | Promise<void>;
}

export interface WatchOptions {
  /** How often every pending job is checked regardless of events. */
  sweepMs?: number;
  /** A failed job gets this long to have its outcome stored before its own failedReason is used. */
  outcomeGraceMs?: number;
}

/** Resolves once every job has been handed to `finished`. */
export async function watchDocuments(queues: PlanQueues, jobIds: string[], handlers: WatchHandlers, options: WatchOptions = {}): Promise<void> {
  const sweepMs = options.sweepMs ?? 3_000;
  const graceMs = options.outcomeGraceMs ?? 5_000;
  const pending = new Set(jobIds);
  if (!pending.size) return;
  const events = new QueueEvents(DOCUMENTS_QUEUE, { connection: queues.redis, prefix: queues.config.prefix });
  const touched = new Set<string>();
  let wake = (): void => {};
  const onFinishedEvent = ({ jobId }: { jobId: string }): void => {
    if (!pending.has(jobId)) return;
    touched.add(jobId);
    wake();
  };
  events.on('completed', onFinishedEvent);
  events.on('failed', onFinishedEvent);
  events.on('progress', ({ jobId, data }) => {
    const progress = DocumentProgress.safeParse(data);
    if (pending.has(jobId) && progress.success) handlers.progress?.(jobId, progress.data);
  });
  // the client's own errors end the watch through failing commands below
  events.on('error', () => {});
  try {
    await events.waitUntilReady();
    let lastSweep = 0;
    let sweeps = 0;
    while (pending.size) {
      const sweep = Date.now() - lastSweep >= sweepMs;
      const ids = sweep ? [...pending] : [...touched].filter((id) => pending.has(id));
      touched.clear();
      if (sweep) lastSweep = Date.now();
      await settle(queues, ids, pending, handlers);
      // rare (a worker died between failing a job and storing why), so looked for less often
      if (sweep && sweeps++ % 5 === 0 && pending.size) await settleWithoutOutcome(queues, [...pending], pending, handlers, graceMs);
      if (!pending.size) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, sweepMs - (Date.now() - lastSweep)));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        if (touched.size) wake();
      });
      wake = () => {};
    }
  } finally {
    await events.close().catch(() => {});
  }
}

async function settle(queues: PlanQueues, ids: string[], pending: Set<string>, handlers: WatchHandlers): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const outcomes = await queues.outcomes.getMany(chunk);
    for (const [j, outcome] of outcomes.entries()) {
      const jobId = chunk[j]!;
      if (!outcome || !pending.delete(jobId)) continue;
      await handlers.finished(jobId, outcome);
    }
  }
}

/** Jobs that ended with no outcome stored (a worker died in between) or are gone altogether. */
async function settleWithoutOutcome(queues: PlanQueues, ids: string[], pending: Set<string>, handlers: WatchHandlers, graceMs: number): Promise<void> {
  const ended: string[] = [];
  for (let i = 0; i < ids.length; i += 200) {
    // sent together: one round trip per chunk, not per job
    const chunk = ids.slice(i, i + 200);
    const states = await Promise.all(chunk.map((id) => queues.documents.getJobState(id)));
    ended.push(...chunk.filter((_, j) => ['failed', 'completed', 'unknown'].includes(states[j]!)));
  }
  for (const jobId of ended) {
    const job = await queues.documents.getJob(jobId);
    const state = job ? await job.getState() : 'unknown';
    if (job?.finishedOn && Date.now() - job.finishedOn < graceMs) continue;
    // the outcome may have been stored since the sweep
    if (await queues.outcomes.get(jobId)) continue;
    const data = DocumentJobData.safeParse(job?.data);
    const reason =
      state === 'failed'
        ? (job?.failedReason ?? 'failed without a reason')
        : state === 'completed'
          ? 'completed, but its record is no longer stored'
          : 'the job no longer exists (removed from the queue)';
    pending.delete(jobId);
    await handlers.finished(jobId, {
      status: 'failed',
      jobId,
      file: data.data?.file ?? jobId,
      sha256: data.data?.sha256 ?? '0'.repeat(64),
      finishedAt: new Date(job?.finishedOn ?? Date.now()).toISOString(),
      reason,
    });
  }
}
