// Where the queue lives and how long what it stores is kept. One place for every tuning
// figure, so the README and the code cannot disagree.
import type { JobsOptions } from 'bullmq';
import os from 'node:os';

export interface QueueConfig {
  redisUrl: string;
  /** Namespace of every key: BullMQ's queues and our own input and outcome keys. */
  prefix: string;
}

/** One unit of concurrency per core: each page job keeps one core busy with OCR. */
export const defaultConcurrency = (): number => Math.max(1, os.availableParallelism());

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_PREFIX = 'plans';

/** `REDIS_URL` and `PLANS_QUEUE_PREFIX` from the environment, with the defaults. */
export function queueConfigFromEnv(env: NodeJS.ProcessEnv = process.env): QueueConfig {
  return {
    redisUrl: env.REDIS_URL?.trim() || DEFAULT_REDIS_URL,
    prefix: env.PLANS_QUEUE_PREFIX?.trim() || DEFAULT_PREFIX,
  };
}

export const DOCUMENTS_QUEUE = 'documents';
export const PAGES_QUEUE = 'pages';

const DAY_S = 24 * 3600;

/**
 * Input bytes wait in Redis for as long as a backlog may take to drain; they are deleted as soon
 * as the last document job using them finishes, so Redis holds the backlog, not the history.
 */
export const INPUT_TTL_S = 14 * DAY_S;
/** Records and errors, per job: also the horizon of "the same file is processed once". */
export const OUTCOME_TTL_S = 30 * DAY_S;

/** Lower numbers run first; jobs without a priority would jump every prioritised one, so all get one. */
export const DEFAULT_PRIORITY = 100;
export const MAX_PRIORITY = 2_097_151;

export const documentJobOptions: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.2 },
  removeOnComplete: { age: 7 * DAY_S, count: 50_000 },
  removeOnFail: { age: OUTCOME_TTL_S },
};

export const pageJobOptions: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.2 },
  // the parent keeps each page's value in its own hash, so a finished page job is not needed
  removeOnComplete: true,
  removeOnFail: { age: 7 * DAY_S },
  // a page that fails for good wakes its document at once, which then fails with the page's reason
  continueParentOnFailure: true,
};

/**
 * A worker renews its job locks every lockDuration/2. A SIGKILLed worker's job is moved back to
 * wait by any other worker's stalled check once the lock has expired: within
 * lockDuration + 2 × stalledInterval (5 to 14 s), instead of BullMQ's default 30 to 90 s.
 * The lock must outlast the longest stretch a job blocks the event loop (PDF parsing, extraction),
 * or live jobs would be taken for stalled: page OCR runs in worker threads, so 10 s is ample.
 */
export const workerTuning = {
  lockDuration: 10_000,
  stalledInterval: 2_000,
  /** A job may stall (lose its worker) this many times; the next stall fails it: a file that kills workers stops at three. */
  maxStalledCount: 2,
} as const;
