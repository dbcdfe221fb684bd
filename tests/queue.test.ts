// The queue against the real Redis (REDIS_URL, default 127.0.0.1:6379), under a key prefix of its
// own that is deleted afterwards. Two worker processes run as `npx plans worker` would, one core
// each; the tests enqueue through the same function as `plans enqueue`.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueCommand, statusCommand } from '../src/cli/queue-commands.js';
import { sha256 } from '../src/pipeline/index.js';
import { DEFAULT_REDIS_URL, type QueueConfig } from '../src/queue/config.js';
import { enqueueDocument } from '../src/queue/enqueue.js';
import { findInputFiles, RecordFileNames } from '../src/queue/local-files.js';
import { PlanQueues } from '../src/queue/queues.js';
import { RedisUnavailableError } from '../src/queue/redis.js';
import { watchDocuments } from '../src/queue/watch.js';
import type { Outcome } from '../src/queue/schemas.js';
import { PlanRecord } from '../src/schema/index.js';

const root = path.resolve(import.meta.dirname, '..');
const fixture = (name: string): string => path.join(root, 'tests', 'fixtures', name);
const config: QueueConfig = { redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL, prefix: `plans-test-${randomBytes(4).toString('hex')}` };

interface WorkerProcess {
  child: ChildProcess;
  /** The name the worker stores on its jobs (`processedBy`). */
  name: string;
  log: string[];
  ready: Promise<void>;
  exited: Promise<number | null>;
}

function startWorker(): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'workers/plan-worker.ts'), '--concurrency', '1'], {
    cwd: root,
    env: { ...process.env, REDIS_URL: config.redisUrl, PLANS_QUEUE_PREFIX: config.prefix, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      log.push(chunk.toString());
      if (chunk.toString().includes('"worker ready"')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${log.join('')}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, name: `${os.hostname()}#${child.pid}`, log, ready, exited };
}

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) } };
};

const planText = (title: string): string =>
  `UỶ BAN NHÂN DÂN TỈNH KIÊN GIANG\nSố: 12/KH-UBND\nKẾ HOẠCH\n${title}\n` +
  'Phấn đấu đến năm 2025 có 100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến mức độ 4.\n';

const waitFor = async (jobId: string, queues: PlanQueues): Promise<Outcome> => {
  let result: Outcome | null = null;
  await watchDocuments(queues, [jobId], { finished: (_, outcome) => void (result = outcome) });
  return result!;
};

describe('queue on Redis', () => {
  let queues: PlanQueues;
  let workers: WorkerProcess[];
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'plans-queue-'));
    queues = await PlanQueues.open(config, { persistent: false });
    workers = [startWorker(), startWorker()];
    await Promise.all(workers.map((w) => w.ready));
  }, 60_000);

  afterAll(async () => {
    for (const w of workers ?? []) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await Promise.all((workers ?? []).map((w) => w.exited));
    if (queues) {
      const keys: string[] = [];
      for await (const batch of queues.redis.scanStream({ match: `${config.prefix}:*`, count: 1000 })) keys.push(...(batch as string[]));
      if (keys.length) await queues.redis.unlink(...keys);
      await queues.close();
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('runs a text file and a scanned page end to end: records written, valid, and stored in Redis', async () => {
    const txt = path.join(dir, 'ke-hoach.txt');
    await writeFile(txt, planText('Chuyển đổi số năm 2024'));
    const out = path.join(dir, 'out-e2e');
    const { io, out: lines, err } = capture();
    const code = await enqueueCommand([txt, fixture('scan-page.pdf')], { wait: true, out }, config, io);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(lines.filter((l) => l.startsWith('✓'))).toHaveLength(2);

    const text = PlanRecord.parse(JSON.parse(await readFile(path.join(out, 'ke-hoach.json'), 'utf8')));
    expect(text.source).toMatchObject({ file: 'ke-hoach.txt', textSource: 'text', sha256: sha256(await readFile(txt)) });
    const scan = PlanRecord.parse(JSON.parse(await readFile(path.join(out, 'scan-page.json'), 'utf8')));
    expect(scan.source).toMatchObject({ file: 'scan-page.pdf', pages: 1, textSource: 'ocr' });
    expect(scan.document.locality?.province ?? scan.document.locality?.name).toMatch(/Kiên Giang/);

    const stored = await queues.outcomes.get(`doc-${scan.source.sha256}`);
    expect(stored?.status === 'completed' && stored.record).toEqual(scan);
    // the input bytes leave Redis with their last job
    expect(await queues.redis.exists(`${config.prefix}:input:${scan.source.sha256}`)).toBe(0);

    const status = capture();
    expect(await statusCommand(scan.source.sha256, {}, config, status.io)).toBe(0);
    expect(status.out.join('\n')).toMatch(/^state\s+completed$/m);
    const overview = capture();
    expect(await statusCommand(undefined, { json: true }, config, overview.io)).toBe(0);
    expect(JSON.parse(overview.out.join('\n'))).toMatchObject({ documents: { completed: 2, failed: 0 }, workers: 2 });
  }, 60_000);

  it('processes the same bytes once, however often or under whatever name they are enqueued, unless forced', async () => {
    const first = path.join(dir, 'dup-a.txt');
    const second = path.join(dir, 'dup-b.txt');
    await writeFile(first, planText('Bản sao'));
    await copyFile(first, second);
    const jobId = `doc-${sha256(await readFile(first))}`;
    const out = path.join(dir, 'out-dup');

    const run1 = capture();
    expect(await enqueueCommand([first, second], { wait: true, out }, config, run1.io)).toBe(0);
    expect(run1.out.filter((l) => l.includes(jobId)).map((l) => l.split(/\s{2,}/)[0])).toEqual(['queued', 'already queued']);
    expect(JSON.parse(await readFile(path.join(out, 'dup-b.json'), 'utf8'))).toEqual(JSON.parse(await readFile(path.join(out, 'dup-a.json'), 'utf8')));
    const processedOn = (await queues.documents.getJob(jobId))!.processedOn;

    const run2 = capture();
    expect(await enqueueCommand([second], { wait: true, out }, config, run2.io)).toBe(0);
    expect(run2.out[0]).toMatch(/^already done\s+\S*dup-b\.txt/);
    expect((await queues.documents.getJob(jobId))!.processedOn).toBe(processedOn);
    const jobsOf = async (): Promise<string[]> =>
      (await queues.documents.getJobs(['completed', 'waiting', 'active', 'waiting-children', 'failed'])).filter((job) => job.data.sha256 === jobId.slice(4)).map((job) => job.id!);
    expect(await jobsOf()).toEqual([jobId]);

    const forced = await enqueueDocument(queues, { file: 'dup-a.txt', bytes: await readFile(first) }, { force: true });
    expect(forced.state).toBe('queued');
    expect(forced.jobId).not.toBe(jobId);
    expect((await waitFor(forced.jobId, queues)).status).toBe('completed');
    expect((await jobsOf()).sort()).toEqual([jobId, forced.jobId].sort());
  }, 30_000);

  it('fails a poison file at once with its reason, not retried, while good files complete and workers live on', async () => {
    // an archive folder: the poison files sit among the good one, one of them a level down
    const batch = path.join(dir, 'batch');
    await mkdir(path.join(batch, 'cu'), { recursive: true });
    await writeFile(path.join(batch, 'tot.txt'), planText('Tài liệu tốt'));
    await copyFile(fixture('truncated.pdf'), path.join(batch, 'cu', 'truncated.pdf'));
    await copyFile(fixture('not-a-pdf.pdf'), path.join(batch, 'not-a-pdf.pdf'));
    const out = path.join(dir, 'out-poison');
    const { io, out: lines, err } = capture();
    const code = await enqueueCommand([batch], { wait: true, out }, config, io);
    expect(code).toBe(1);
    expect(err).toHaveLength(2);
    expect(err).toEqual(
      expect.arrayContaining([expect.stringMatching(/^✗ \S*\/not-a-pdf\.pdf: not a PDF/), expect.stringMatching(/^✗ \S*\/cu\/truncated\.pdf: corrupt or truncated PDF/)]),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^✓ \S*tot\.txt → /));
    PlanRecord.parse(JSON.parse(await readFile(path.join(out, 'tot.json'), 'utf8')));
    for (const name of ['truncated.pdf', 'not-a-pdf.pdf']) {
      const job = await queues.documents.getJob(`doc-${sha256(await readFile(fixture(name)))}`);
      expect(await job!.getState()).toBe('failed');
      expect(job!.attemptsMade).toBe(1);
    }
    for (const w of workers) expect(w.child.exitCode).toBeNull();
  }, 30_000);

  it('finishes a document on the other worker when the worker reading one of its pages is SIGKILLed', async () => {
    // two scanned pages: each worker takes one, and one worker dies in the middle of its page
    const scan = await PDFDocument.load(await readFile(fixture('scan-page.pdf')));
    const doc = await PDFDocument.create();
    for (const page of await doc.copyPages(scan, [0, 0])) doc.addPage(page);
    const bytes = await doc.save();
    const { jobId } = await enqueueDocument(queues, { file: 'two-pages.pdf', bytes });

    const [victim, survivor] = workers as [WorkerProcess, WorkerProcess];
    const victimPage = await until(async () => (await queues.pages.getJobs(['active'])).find((job) => job.processedBy === victim.name && job.parent?.id === jobId), 30_000);
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await victim.exited).toBeNull();

    const outcome = await waitFor(jobId, queues);
    expect(outcome.status, outcome.status === 'failed' ? outcome.reason : '').toBe('completed');
    const record = outcome.status === 'completed' ? outcome.record : null;
    expect(record?.source.pages).toBe(2);
    expect(record?.source.pageDetails?.map((p) => [p.page, p.textSource])).toEqual([
      [1, 'ocr'],
      [2, 'ocr'],
    ]);
    // the survivor logged the stalled page it took back
    expect(survivor.log.join('')).toContain(`"jobId":"${victimPage.id}","queue":"pages","msg":"job stalled`);
    // lock expiry plus a stalled check, then one page's OCR
    expect(Date.now() - killedAt).toBeLessThan(45_000);
    expect(survivor.child.exitCode).toBeNull();
  }, 75_000);

  it('says in one line that Redis is unreachable, without hanging', async () => {
    const started = Date.now();
    const unreachable = { ...config, redisUrl: 'redis://127.0.0.1:1' };
    const attempt = enqueueCommand([fixture('scan-page.pdf')], { out: dir }, unreachable, capture().io);
    await expect(attempt).rejects.toThrow(RedisUnavailableError);
    await expect(attempt).rejects.toThrow(/^Redis is not reachable at redis:\/\/127\.0\.0\.1:1 \(connect ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 15_000);
});

describe('local input files', () => {
  it('walks folders for .pdf and .txt files, skipping hidden ones, and keeps record names unique', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'plans-files-'));
    try {
      for (const file of ['a/ke-hoach.pdf', 'a/b/KE-HOACH.TXT', 'a/notes.docx', 'a/.hidden.pdf', 'a/.cache/x.pdf', 'c/ke-hoach.pdf']) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), file);
      }
      const found = await findInputFiles([path.join(dir, 'a'), path.join(dir, 'c', 'ke-hoach.pdf'), path.join(dir, 'missing')]);
      expect(found.files.map((f) => path.relative(dir, f))).toEqual(['a/b/KE-HOACH.TXT', 'a/ke-hoach.pdf', 'c/ke-hoach.pdf']);
      expect(found.unusable).toEqual([{ path: path.join(dir, 'missing'), reason: 'no such file or folder' }]);

      const names = new RecordFileNames();
      expect(names.nameFor('a/ke-hoach.pdf', 'aa'.repeat(32))).toBe('ke-hoach.json');
      expect(names.nameFor('c/ke-hoach.pdf', 'bb'.repeat(32))).toBe('ke-hoach-bbbbbbbb.json');
      expect(names.nameFor('d/ke-hoach.pdf', 'aa'.repeat(32))).toBe('ke-hoach.json');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
