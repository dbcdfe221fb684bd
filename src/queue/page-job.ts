// A page job: one page of a PDF read (text layer, repair or OCR) by pipeline.readPage. Its result
// is kept by BullMQ in the parent document's hash of children values.
import type { Job } from 'bullmq';
import type { Pipeline } from '../pipeline/index.js';
import { failPermanentAtOnce } from './failures.js';
import type { PlanQueues } from './queues.js';
import { PageJobData, PageResult, parseAt } from './schemas.js';

export function pageProcessor(queues: PlanQueues, pipeline: Pipeline) {
  return (job: Job): Promise<PageResult> =>
    failPermanentAtOnce(async () => {
      const data = parseAt(PageJobData, job.data, `data of page job ${job.id}`);
      const bytes = await queues.inputs.read(data.sha256);
      const page = await pipeline.readPage({ file: data.file, bytes }, data.page);
      return parseAt(PageResult, page, `result of page ${data.page} of ${data.file}`);
    });
}
