// What crosses the queue, as zod schemas: job data, page results, progress, document results and
// stored outcomes. Everything is parsed when it is written and again when it is read, because the
// writer may be another machine, another version, or another system entirely.
import { z } from 'zod';
import { PlanRecord, textSources } from '../schema/index.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 as 64 lowercase hex digits');
const fileName = z.string().min(1).max(255);

export const DocumentJobData = z.object({
  /** File name as uploaded: named in the record and in errors. */
  file: fileName,
  /** Key of the input bytes in the input store. */
  sha256,
  size: z.number().int().min(0),
  /** Set once the page jobs exist, so a document job that runs again does not fan out twice. */
  pageCount: z.number().int().min(1).optional(),
});
export type DocumentJobData = z.infer<typeof DocumentJobData>;

export const PageJobData = z.object({
  file: fileName,
  sha256,
  page: z.number().int().min(1),
});
export type PageJobData = z.infer<typeof PageJobData>;

/** A page job's result: the pipeline's PageText. */
export const PageResult = z.object({
  page: z.number().int().min(1),
  raw: z.string(),
  text: z.string(),
  source: z.enum(textSources),
  confidence: z.number().min(0).max(1).nullable(),
  preparation: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type PageResult = z.infer<typeof PageResult>;

export const DocumentProgress = z.object({
  stage: z.enum(['reading', 'assembling']),
  pagesDone: z.number().int().min(0),
  pageCount: z.number().int().min(0),
});
export type DocumentProgress = z.infer<typeof DocumentProgress>;

/** A document job's return value: a summary; the record itself is in the outcome store. */
export const DocumentResult = z.object({
  file: fileName,
  sha256,
  pages: z.number().int().min(0),
  textSource: z.enum(textSources),
  targets: z.number().int().min(0),
  deadlines: z.number().int().min(0),
  awards: z.number().int().min(0),
  warnings: z.number().int().min(0),
});
export type DocumentResult = z.infer<typeof DocumentResult>;

const outcomeBase = {
  jobId: z.string().min(1),
  file: fileName,
  sha256,
  finishedAt: z.iso.datetime(),
};

/** What a document came to, stored per job for other systems to fetch. */
export const Outcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('completed'), ...outcomeBase, record: PlanRecord }),
  z.object({ status: z.literal('failed'), ...outcomeBase, reason: z.string().min(1) }),
]);
export type Outcome = z.infer<typeof Outcome>;

/** Parses at a queue boundary; the error names the boundary and the first issues. */
export function parseAt<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new QueueDataError(`${where} is malformed: ${issues.join('; ')}`);
}

/** Data on the queue that does not match its schema: permanent, retrying cannot fix it. */
export class QueueDataError extends Error {
  override name = 'QueueDataError';
}
