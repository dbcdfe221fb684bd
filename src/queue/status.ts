// What `plans status` shows: job counts per state for both queues, or one document job in detail.
import type { PlanQueues } from './queues.js';
import { DocumentJobData, DocumentProgress, DocumentResult, type Outcome } from './schemas.js';

export const jobStates = ['waiting', 'prioritized', 'active', 'waiting-children', 'delayed', 'completed', 'failed'] as const;
export type JobStateCounts = Record<(typeof jobStates)[number], number>;

export interface QueueOverview {
  documents: JobStateCounts;
  pages: JobStateCounts;
  /** Worker connections on the documents queue: one per running worker process. */
  workers: number;
}

export async function queueOverview(queues: PlanQueues): Promise<QueueOverview> {
  const [documents, pages, workers] = await Promise.all([
    queues.documents.getJobCounts(...jobStates),
    queues.pages.getJobCounts(...jobStates),
    queues.documents.getWorkersCount(),
  ]);
  return { documents: documents as JobStateCounts, pages: pages as JobStateCounts, workers };
}

export interface DocumentStatus {
  jobId: string;
  /** BullMQ's state, or "expired" when only the stored outcome remains. */
  state: string;
  file: string | null;
  sha256: string | null;
  progress: DocumentProgress | null;
  attemptsMade: number | null;
  processedBy: string | null;
  enqueuedAt: string | null;
  finishedAt: string | null;
  failedReason: string | null;
  result: DocumentResult | null;
  outcome: Outcome | null;
}

/** One document job by id (a sha256 alone stands for its unforced job); null if unknown. */
export async function documentStatus(queues: PlanQueues, idOrSha: string): Promise<DocumentStatus | null> {
  const jobId = /^[0-9a-f]{64}$/.test(idOrSha) ? `doc-${idOrSha}` : idOrSha;
  const [job, outcome] = await Promise.all([queues.documents.getJob(jobId), queues.outcomes.get(jobId)]);
  if (!job && !outcome) return null;
  const data = DocumentJobData.safeParse(job?.data);
  const progress = DocumentProgress.safeParse(job?.progress);
  const result = DocumentResult.safeParse(job?.returnvalue);
  return {
    jobId,
    state: job ? await job.getState() : 'expired',
    file: data.data?.file ?? outcome?.file ?? null,
    sha256: data.data?.sha256 ?? outcome?.sha256 ?? null,
    progress: progress.success ? progress.data : null,
    attemptsMade: job?.attemptsMade ?? null,
    processedBy: job?.processedBy ?? null,
    enqueuedAt: job ? new Date(job.timestamp).toISOString() : null,
    finishedAt: job?.finishedOn ? new Date(job.finishedOn).toISOString() : (outcome?.finishedAt ?? null),
    failedReason: job?.failedReason || (outcome?.status === 'failed' ? outcome.reason : null),
    result: result.success ? result.data : null,
    outcome,
  };
}
