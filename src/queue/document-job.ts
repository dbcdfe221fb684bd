// A document job, in steps that are safe to run again after a crash:
//   1. fan out: count the PDF's pages and add one page job per page as its children (a text file
//      is read and assembled right here: it is cheap);
//   2. wait for the children (the job sleeps in waiting-children, holding no worker);
//   3. assemble: the pages in order → pipeline.buildRecord → the record stored → a summary returned.
// A page that fails for good wakes the document at once, which fails with that page's reason.
import { UnrecoverableError, WaitingChildrenError, type Job } from 'bullmq';
import { inputKind, type DocumentInput, type PageText, type Pipeline } from '../pipeline/index.js';
import { PdfDocument } from '../pdf/index.js';
import type { PlanRecord } from '../schema/index.js';
import { PAGES_QUEUE, pageJobOptions } from './config.js';
import { failPermanentAtOnce } from './failures.js';
import { pageJobId, type PlanQueues } from './queues.js';
import { DocumentJobData, DocumentProgress, DocumentResult, PageJobData, PageResult, parseAt, QueueDataError } from './schemas.js';

export function documentProcessor(queues: PlanQueues, pipeline: Pipeline) {
  return (job: Job, token?: string): Promise<DocumentResult> => failPermanentAtOnce(() => processDocument(queues, pipeline, job, token));
}

async function processDocument(queues: PlanQueues, pipeline: Pipeline, job: Job, token?: string): Promise<DocumentResult> {
  const data = parseAt(DocumentJobData, job.data, `data of document job ${job.id}`);
  let pageCount = data.pageCount;
  if (pageCount === undefined) {
    const input: DocumentInput = { file: data.file, bytes: await queues.inputs.read(data.sha256) };
    if (inputKind(input.file, input.bytes) === 'text') {
      const text = await pipeline.readDocument(input);
      return finish(queues, pipeline, job, input, text.pageCount, text.pages);
    }
    pageCount = await countPages(input, pipeline);
    await fanOut(queues, job, data, pageCount);
    await job.updateData(parseAt(DocumentJobData, { ...data, pageCount }, `data of document job ${job.id}`));
    await reportProgress(job, { stage: 'reading', pagesDone: 0, pageCount });
  }
  await failIfAPageFailed(job);
  if (!token) throw new Error('document jobs need a worker lock token');
  if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
  // a page may have failed between the check above and the move
  await failIfAPageFailed(job);
  await reportProgress(job, { stage: 'assembling', pagesDone: pageCount, pageCount });
  // the page jobs read each page alone: what needs the whole document is done here
  const pages = pipeline.withDocumentRepairs(await pagesInOrder(job, pageCount));
  const input: DocumentInput = { file: data.file, bytes: await queues.inputs.read(data.sha256) };
  return finish(queues, pipeline, job, input, pageCount, pages);
}

async function countPages(input: DocumentInput, pipeline: Pipeline): Promise<number> {
  const pdf = await PdfDocument.open(input.bytes, input.file, pipeline.options.limits);
  try {
    return pdf.pageCount;
  } finally {
    await pdf.close();
  }
}

/** One page job per page, children of this job. Ids are fixed, so adding them again is a no-op. */
async function fanOut(queues: PlanQueues, job: Job, data: DocumentJobData, pageCount: number): Promise<void> {
  const priority = job.opts.priority || undefined;
  await queues.flow.addBulk(
    Array.from({ length: pageCount }, (_, i) => ({
      name: 'page',
      queueName: PAGES_QUEUE,
      data: parseAt(PageJobData, { file: data.file, sha256: data.sha256, page: i + 1 }, 'page job data'),
      opts: { ...pageJobOptions, priority, jobId: pageJobId(job.id!, i + 1), parent: { id: job.id!, queue: job.queueQualifiedName } },
    })),
  );
}

async function failIfAPageFailed(job: Job): Promise<void> {
  const failures = Object.entries(await job.getIgnoredChildrenFailures());
  if (!failures.length) return;
  // the other pages are of no use now: drop those not started (running ones just finish)
  await job.removeUnprocessedChildren();
  const reasons = failures.map(([childKey, reason]) => pageReason(childKey, reason)).sort();
  throw new UnrecoverableError(reasons.join('; '));
}

function pageReason(childKey: string, reason: string): string {
  const page = /-p(\d+)$/.exec(childKey)?.[1];
  return page && !reason.startsWith('page ') ? `page ${page}: ${reason}` : reason;
}

async function pagesInOrder(job: Job, pageCount: number): Promise<PageText[]> {
  const values = Object.values(await job.getChildrenValues());
  const pages = values.map((value) => parseAt(PageResult, value, `a page result of job ${job.id}`)).sort((a, b) => a.page - b.page);
  const missing = Array.from({ length: pageCount }, (_, i) => i + 1).filter((n) => pages[n - 1]?.page !== n);
  if (missing.length || pages.length !== pageCount) throw new QueueDataError(`page results missing for page(s) ${missing.join(', ') || '?'} of ${pageCount}`);
  return pages;
}

/** Builds and validates the record, stores it as this job's outcome, returns the summary. */
async function finish(queues: PlanQueues, pipeline: Pipeline, job: Job, input: DocumentInput, pageCount: number, pages: PageText[]): Promise<DocumentResult> {
  const record = pipeline.buildRecord(input, pageCount, pages);
  await queues.outcomes.save({ status: 'completed', jobId: job.id!, file: input.file, sha256: record.source.sha256, finishedAt: new Date().toISOString(), record });
  return parseAt(DocumentResult, summarize(record), `result of document job ${job.id}`);
}

function summarize(record: PlanRecord): DocumentResult {
  return {
    file: record.source.file,
    sha256: record.source.sha256,
    pages: record.source.pages,
    textSource: record.source.textSource,
    targets: record.targets.length,
    deadlines: record.deadlines.length,
    awards: record.awards.length,
    warnings: record.warnings.length,
  };
}

async function reportProgress(job: Job, progress: DocumentProgress): Promise<void> {
  await job.updateProgress(parseAt(DocumentProgress, progress, 'document progress'));
}
