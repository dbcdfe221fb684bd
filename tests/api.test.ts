// The HTTP API against the real Redis (REDIS_URL, default 127.0.0.1:6379), under a key prefix of
// its own deleted afterwards, with one in-process worker: uploads go onto the queue, their records
// and failures come back through the API.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../src/api/server.js';
import { DEFAULT_REDIS_URL, type QueueConfig } from '../src/queue/config.js';
import { PlanQueues } from '../src/queue/queues.js';
import { startPlanWorker, type PlanWorker } from '../src/queue/worker.js';
import { PlanRecord } from '../src/schema/index.js';

const root = path.resolve(import.meta.dirname, '..');
const config: QueueConfig = { redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL, prefix: `plans-api-test-${randomBytes(4).toString('hex')}` };

const planText = (title: string): string =>
  `UỶ BAN NHÂN DÂN TỈNH KIÊN GIANG\nSố: 21/KH-UBND\nKẾ HOẠCH\n${title}\n` +
  'Phấn đấu đến năm 2025 có 100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến mức độ 4.\n';

/** A multipart/form-data body with one part per file. */
function multipartBody(files: Array<{ name: string; type: string; bytes: Buffer }>): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----plans${randomBytes(8).toString('hex')}`;
  const parts = files.map((f) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`),
      f.bytes,
      Buffer.from('\r\n'),
    ]),
  );
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('HTTP API', () => {
  let queues: PlanQueues;
  let worker: PlanWorker;
  let app: FastifyInstance;

  beforeAll(async () => {
    queues = await PlanQueues.open(config, { persistent: false });
    worker = await startPlanWorker(config, { concurrency: 1, logger: pino({ level: 'silent' }) });
    app = await createApiServer(queues, { maxFileBytes: 1 << 20, maxFiles: 5 });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await worker?.close();
    if (queues) {
      const keys: string[] = [];
      for await (const batch of queues.redis.scanStream({ match: `${config.prefix}:*`, count: 1000 })) keys.push(...(batch as string[]));
      if (keys.length) await queues.redis.unlink(...keys);
      await queues.close();
    }
  }, 30_000);

  /** GET the record address until it stops answering 202. */
  const finalAnswer = async (address: string): Promise<{ statusCode: number; body: unknown }> => {
    for (let i = 0; i < 300; i++) {
      const res = await app.inject({ method: 'GET', url: address });
      if (res.statusCode !== 202) return { statusCode: res.statusCode, body: res.json() };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${address} still pending`);
  };

  it('takes a raw text upload onto the queue and serves its valid record, once, however often it is sent', async () => {
    const body = planText('Chuyển đổi số qua API');
    const res = await app.inject({ method: 'POST', url: '/documents?name=ke-hoach-api.txt&priority=5', headers: { 'content-type': 'text/plain; charset=utf-8' }, payload: body });
    expect(res.statusCode).toBe(202);
    const [doc] = res.json().documents;
    expect(doc).toMatchObject({ file: 'ke-hoach-api.txt', state: 'queued' });

    const answer = await finalAnswer(doc.record);
    expect(answer.statusCode).toBe(200);
    const record = PlanRecord.parse(answer.body);
    expect(record.source).toMatchObject({ file: 'ke-hoach-api.txt', textSource: 'text', sha256: doc.sha256 });
    expect(record.targets.some((t) => t.value === 100)).toBe(true);

    const status = await app.inject({ method: 'GET', url: `/documents/${doc.sha256}` });
    expect(status.json()).toMatchObject({ jobId: doc.jobId, state: 'completed', outcome: { status: 'completed' } });

    const again = await app.inject({ method: 'POST', url: '/documents?name=copy.txt', headers: { 'content-type': 'text/plain' }, payload: body });
    expect(again.json().documents[0]).toMatchObject({ jobId: doc.jobId, state: 'completed' });
  }, 60_000);

  it('takes several files in one multipart upload; a bad one fails with its reason while the good one completes', async () => {
    const notPdf = await readFile(path.join(root, 'tests', 'fixtures', 'not-a-pdf.pdf'));
    const { payload, headers } = multipartBody([
      { name: 'good.txt', type: 'text/plain', bytes: Buffer.from(planText('Tệp tốt')) },
      { name: 'scans/not-a-pdf.pdf', type: 'application/pdf', bytes: notPdf },
    ]);
    const res = await app.inject({ method: 'POST', url: '/documents', headers, payload });
    expect(res.statusCode).toBe(202);
    const [good, bad] = res.json().documents;
    expect(bad.file).toBe('not-a-pdf.pdf');

    expect((await finalAnswer(good.record)).statusCode).toBe(200);
    const failed = await finalAnswer(bad.record);
    expect(failed.statusCode).toBe(422);
    expect(failed.body).toMatchObject({ error: expect.stringMatching(/^not-a-pdf\.pdf: not a PDF/) });
    // a bad file is not retried
    expect((await app.inject({ method: 'GET', url: bad.status })).json()).toMatchObject({ state: 'failed', attemptsMade: 1 });
  }, 60_000);

  it('refuses what it cannot take with a clear reason', async () => {
    const empty = await app.inject({ method: 'POST', url: '/documents?name=blank.pdf', headers: { 'content-type': 'application/pdf' }, payload: Buffer.alloc(0) });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatch(/blank\.pdf: file is empty/);

    const tooLarge = await app.inject({ method: 'POST', url: '/documents?name=big.pdf', headers: { 'content-type': 'application/pdf' }, payload: Buffer.alloc((1 << 20) + 1, 0x20) });
    expect(tooLarge.statusCode).toBe(413);

    const halves = multipartBody([
      { name: 'a.pdf', type: 'application/pdf', bytes: Buffer.alloc(600_000, 0x20) },
      { name: 'b.pdf', type: 'application/pdf', bytes: Buffer.alloc(600_000, 0x20) },
    ]);
    const together = await app.inject({ method: 'POST', url: '/documents', ...halves });
    expect(together.statusCode).toBe(413);
    expect(together.json().error).toMatch(/add up to more than/);

    const json = await app.inject({ method: 'POST', url: '/documents', payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);

    const priority = await app.inject({ method: 'POST', url: '/documents?priority=0', headers: { 'content-type': 'text/plain' }, payload: 'x' });
    expect(priority.statusCode).toBe(400);
    expect(priority.json().error).toMatch(/priority/);

    expect((await app.inject({ method: 'GET', url: '/documents/doc-unknown' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/documents/doc-unknown/record' })).statusCode).toBe(404);
  });

  it('shortens a very long file name, keeping its extension', async () => {
    const { payload, headers } = multipartBody([{ name: `${'kế-hoạch-'.repeat(40)}.txt`, type: 'text/plain', bytes: Buffer.from(planText('Tên dài')) }]);
    const res = await app.inject({ method: 'POST', url: '/documents', headers, payload });
    expect(res.statusCode).toBe(202);
    const [doc] = res.json().documents;
    expect(doc.file.length).toBeLessThanOrEqual(200);
    expect(doc.file).toMatch(/^kế-hoạch-.*\.txt$/);
    expect((await finalAnswer(doc.record)).statusCode).toBe(200);
  }, 60_000);

  it('reports the queue and Redis health', async () => {
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toEqual({ redis: 'ok' });
    const queue = (await app.inject({ method: 'GET', url: '/queue' })).json();
    expect(queue.workers).toBeGreaterThanOrEqual(1);
    expect(queue.documents.completed).toBeGreaterThanOrEqual(2);
  });
});
