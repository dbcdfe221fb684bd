// Putting a document on the queue: its bytes into the input store, one document job keyed by its
// sha256. The same bytes enqueued again join the existing job (or its stored outcome) instead of
// being processed twice, unless forced.
import type { DocumentInput } from '../pipeline/index.js';
import { sha256 } from '../pipeline/index.js';
import { DEFAULT_PRIORITY, documentJobOptions } from './config.js';
import { documentJobId, type PlanQueues } from './queues.js';
import { DocumentJobData, parseAt } from './schemas.js';

export interface EnqueueOptions {
  /** 1 runs first; DEFAULT_PRIORITY when not given. */
  priority?: number;
  /** Process again even if these bytes were processed or queued before. */
  force?: boolean;
}

export interface Enqueued {
  jobId: string;
  sha256: string;
  /** "queued": added now; otherwise the state of the earlier job these bytes joined. */
  state: 'queued' | 'pending' | 'completed' | 'failed';
}

export async function enqueueDocument(queues: PlanQueues, input: DocumentInput, options: EnqueueOptions = {}): Promise<Enqueued> {
  const sha = sha256(input.bytes);
  const force = Boolean(options.force);
  const jobId = documentJobId(sha, force);
  if (!force) {
    const earlier = await earlierState(queues, jobId);
    if (earlier) return { jobId, sha256: sha, state: earlier };
  }
  const data = parseAt(DocumentJobData, { file: input.file, sha256: sha, size: input.bytes.length }, `job data for ${input.file}`);
  // bytes first: a worker may take the job the moment it exists
  await queues.inputs.hold(sha, input.bytes, jobId);
  // if another enqueuer added the same id in between, BullMQ keeps theirs: still one job
  await queues.documents.add('document', data, { ...documentJobOptions, jobId, priority: options.priority ?? DEFAULT_PRIORITY });
  return { jobId, sha256: sha, state: 'queued' };
}

/** The earlier job's state, from its stored outcome or its job; null if there is none. */
async function earlierState(queues: PlanQueues, jobId: string): Promise<Enqueued['state'] | null> {
  const outcome = await queues.outcomes.get(jobId);
  if (outcome) return outcome.status;
  const state = await queues.documents.getJobState(jobId);
  if (state === 'unknown') return null;
  return state === 'completed' || state === 'failed' ? state : 'pending';
}
