// HTTP front of the queue, for offices uploading scans and systems fetching records:
//   POST /documents              upload (multipart files, or one raw PDF/text body with ?name=)
//   GET  /documents/:id          a document job's state and progress (job id or sha256)
//   GET  /documents/:id/record   its record once done (202 while pending, 422 with the reason if failed)
//   GET  /queue                  job counts per state, and workers
//   GET  /health                 Redis reachable or not
// It only enqueues and reads: workers (`plans worker`) do the processing.
import multipart from '@fastify/multipart';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { pino } from 'pino';
import { z } from 'zod';
import { errorMessage } from '../errors/index.js';
import { MAX_PRIORITY } from '../queue/config.js';
import { enqueueDocument, type Enqueued } from '../queue/enqueue.js';
import type { PlanQueues } from '../queue/queues.js';
import { documentStatus, queueOverview } from '../queue/status.js';

export interface ApiOptions {
  /** Largest upload accepted: one file, or all the files of one multipart request together. */
  maxFileBytes: number;
  /** Most files in one multipart upload. */
  maxFiles: number;
  /** Request and error log; silent when not given. */
  logger?: FastifyBaseLogger;
}

const UploadQuery = z.object({
  name: z.string().min(1).max(255).optional(),
  priority: z.coerce.number().int().min(1).max(MAX_PRIORITY).optional(),
  force: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .optional(),
});

const IdParams = z.object({ id: z.string().min(1).max(200) });

interface Upload {
  file: string;
  bytes: Buffer;
}

/** What one accepted upload answers: where to follow it. */
export interface UploadAnswer extends Enqueued {
  file: string;
  status: string;
  record: string;
}

const RAW_TYPES = ['application/pdf', 'application/octet-stream', 'text/plain'];

export async function createApiServer(queues: PlanQueues, options: ApiOptions): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = options.logger ?? pino({ level: 'silent' });
  const app = Fastify({ loggerInstance, bodyLimit: options.maxFileBytes });
  await app.register(multipart, { limits: { fileSize: options.maxFileBytes, files: options.maxFiles, fields: 10 } });
  // raw uploads arrive as bytes: text/plain too, so its encoding is checked by the pipeline, not here
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) request.log.error({ err: err.message }, 'request failed');
    // FST_REQ_FILE_TOO_LARGE and FST_ERR_CTP_BODY_TOO_LARGE both say which limit was hit
    void reply.status(status).send({ error: status === 500 ? `internal error: ${err.message}` : err.message, code: err.code });
  });

  app.post('/documents', async (request, reply) => {
    const query = parsed(UploadQuery, request.query, reply);
    if (!query) return reply;
    const uploads: Upload[] = [];
    if (request.isMultipart()) {
      let total = 0;
      for await (const part of request.files()) {
        const upload = { file: safeName(part.filename), bytes: await part.toBuffer() };
        // every file is held until all are read (a batch is queued whole or not at all): bound the lot
        total += upload.bytes.length;
        if (total > options.maxFileBytes) return reply.status(413).send({ error: `the upload's files add up to more than ${options.maxFileBytes} bytes; send them in several requests` });
        uploads.push(upload);
      }
    } else if (Buffer.isBuffer(request.body)) {
      uploads.push({ file: safeName(query.name ?? defaultName(request.headers['content-type'])), bytes: request.body });
    } else {
      return reply.status(415).send({ error: `send the file as multipart/form-data or as a raw body (${RAW_TYPES.join(', ')})` });
    }
    if (!uploads.length) return reply.status(400).send({ error: 'no file in the upload' });
    const empty = uploads.find((u) => u.bytes.length === 0);
    if (empty) return reply.status(400).send({ error: `${empty.file}: file is empty` });
    const documents: UploadAnswer[] = [];
    for (const upload of uploads) {
      const enqueued = await enqueueDocument(queues, upload, { priority: query.priority, force: query.force });
      documents.push({ file: upload.file, ...enqueued, status: `/documents/${enqueued.jobId}`, record: `/documents/${enqueued.jobId}/record` });
    }
    return reply.status(202).send({ documents });
  });

  app.get('/documents/:id', async (request, reply) => {
    const params = parsed(IdParams, request.params, reply);
    if (!params) return reply;
    const status = await documentStatus(queues, params.id);
    if (!status) return reply.status(404).send({ error: `no document job ${params.id}` });
    // the record has its own address: the status stays small
    const { outcome, ...rest } = status;
    return { ...rest, outcome: outcome ? { status: outcome.status, finishedAt: outcome.finishedAt } : null };
  });

  app.get('/documents/:id/record', async (request, reply) => {
    const params = parsed(IdParams, request.params, reply);
    if (!params) return reply;
    const status = await documentStatus(queues, params.id);
    if (!status) return reply.status(404).send({ error: `no document job ${params.id}` });
    const outcome = status.outcome;
    if (outcome?.status === 'completed') return outcome.record;
    if (outcome?.status === 'failed') return reply.status(422).send({ error: `${outcome.file}: ${outcome.reason}`, jobId: status.jobId });
    return reply.status(202).send({ state: status.state, progress: status.progress });
  });

  app.get('/queue', async () => queueOverview(queues));

  app.get('/health', async (_request, reply) => {
    try {
      await queues.redis.ping();
      return { redis: 'ok' };
    } catch (err) {
      return reply.status(503).send({ redis: errorMessage(err) });
    }
  });

  return app;
}

/** The value, or undefined after answering 400 with what is wrong. */
function parsed<T>(schema: z.ZodType<T>, value: unknown, reply: FastifyReply): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  void reply.status(400).send({ error: result.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ') });
  return undefined;
}

/** Longest file name kept (job data allows 255 characters). */
const MAX_NAME_LENGTH = 200;

/** A client's file name without any folder part (records are named after it), shortened if need be. */
function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop()?.trim() || 'upload';
  if (base.length <= MAX_NAME_LENGTH) return base;
  const extension = /\.[A-Za-z0-9]{1,5}$/.exec(base)?.[0] ?? '';
  return base.slice(0, MAX_NAME_LENGTH - extension.length) + extension;
}

function defaultName(contentType: string | undefined): string {
  return contentType?.startsWith('text/plain') ? 'upload.txt' : 'upload.pdf';
}
