// bench:queue — documents through the queue with 1, then 2 worker processes (one core each, as
// `npx plans worker --concurrency 1`): documents and pages per minute and the scaling ratio; then
// how long a SIGKILLed worker's page takes to be picked up by another worker.
// Needs Redis (REDIS_URL); uses a key prefix of its own, deleted at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { positiveInt } from '../src/cli/arguments.js';
import { queueConfigFromEnv, type QueueConfig } from '../src/queue/config.js';
import { enqueueDocument } from '../src/queue/enqueue.js';
import { PlanQueues } from '../src/queue/queues.js';
import { watchDocuments } from '../src/queue/watch.js';

const opts = new Command()
  .option('--docs <n>', 'documents per run', positiveInt, 4)
  .option('--files <paths>', 'comma-separated PDFs or .txt files, cycled to make up the documents', 'samples/002-office200.pdf')
  .parse()
  .opts<{ docs: number; files: string }>();

const root = path.resolve(import.meta.dirname, '..');
const config: QueueConfig = { ...queueConfigFromEnv(), prefix: `plans-bench-${randomBytes(4).toString('hex')}` };

interface WorkerProcess {
  child: ChildProcess;
  name: string;
  ready: Promise<void>;
  exited: Promise<unknown>;
}

function startWorker(): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'workers/plan-worker.ts'), '--concurrency', '1'], {
    cwd: root,
    env: { ...process.env, REDIS_URL: config.redisUrl, PLANS_QUEUE_PREFIX: config.prefix, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('"worker ready"') && resolve());
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
  });
  return { child, name: `${os.hostname()}#${child.pid}`, ready, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

interface Run {
  workers: number;
  documents: number;
  pages: number;
  seconds: number;
  /** CPU seconds the worker processes used: with `seconds`, how many cores they really had. */
  cpuSeconds: number | null;
  /** The machine's 1-minute load average at the end: other work on the machine skews the figures. */
  load: number;
}

/** CPU time of a process and its threads (Linux /proc; null elsewhere). */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, in clock ticks of 1/100 s
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const totalCpu = (workers: WorkerProcess[]): number | null => {
  const each = workers.map((w) => cpuSeconds(w.child.pid));
  return each.some((c) => c === null) ? null : each.reduce((a, c) => a! + c!, 0);
};

/** Every document, forced so that each is processed, from the first enqueue to the last record. */
async function throughput(workerCount: number, inputs: { file: string; bytes: Buffer }[]): Promise<Run> {
  const workers = Array.from({ length: workerCount }, startWorker);
  await Promise.all(workers.map((w) => w.ready));
  const started = Date.now();
  const cpuBefore = totalCpu(workers);
  const jobIds: string[] = [];
  for (let i = 0; i < opts.docs; i++) jobIds.push((await enqueueDocument(queues, inputs[i % inputs.length]!, { force: true })).jobId);
  let pages = 0;
  let failed = 0;
  await watchDocuments(queues, jobIds, {
    finished: (jobId, outcome) => {
      if (outcome.status === 'completed') pages += outcome.record.source.pages;
      else (failed++, process.stderr.write(`✗ ${outcome.file}: ${outcome.reason}\n`));
    },
  });
  const seconds = (Date.now() - started) / 1000;
  const cpuAfter = totalCpu(workers);
  await stop(workers);
  if (failed) throw new Error(`${failed} document(s) failed`);
  const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  return { workers: workerCount, documents: opts.docs, pages, seconds, cpuSeconds: cpu, load: os.loadavg()[0]! };
}

/** Two workers; the one reading a page is SIGKILLed; the time until another worker has that page. */
async function killedWorkerPickup(input: { file: string; bytes: Buffer }): Promise<{ stalledAfter: number; pickedUpAfter: number }> {
  const workers = [startWorker(), startWorker()];
  await Promise.all(workers.map((w) => w.ready));
  const { jobId } = await enqueueDocument(queues, input, { force: true });
  const victimPage = await poll(async () => (await queues.pages.getJobs(['active'])).find((job) => job.parent?.id === jobId));
  const victim = workers.find((w) => w.name === victimPage.processedBy)!;
  victim.child.kill('SIGKILL');
  const killedAt = Date.now();
  let stalledAt = 0;
  await poll(async () => {
    const state = await queues.pages.getJobState(victimPage.id!);
    if (!stalledAt && state === 'waiting') stalledAt = Date.now();
    const job = await queues.pages.getJob(victimPage.id!);
    // picked up: active under another worker, or already done (page jobs are removed on completion)
    return state === 'unknown' || (state === 'active' && job?.processedBy !== victim.name) ? true : undefined;
  }, 100);
  const pickedUpAt = Date.now();
  await watchDocuments(queues, [jobId], { finished: () => {} });
  await stop(workers);
  return { stalledAfter: ((stalledAt || pickedUpAt) - killedAt) / 1000, pickedUpAfter: (pickedUpAt - killedAt) / 1000 };
}

async function stop(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
}

async function poll<T>(probe: () => Promise<T | undefined>, everyMs = 200): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

async function removeBenchKeys(): Promise<void> {
  const keys: string[] = [];
  for await (const batch of queues.redis.scanStream({ match: `${config.prefix}:*`, count: 1000 })) keys.push(...(batch as string[]));
  if (keys.length) await queues.redis.unlink(...keys);
}

const queues = await PlanQueues.open(config, { persistent: false });
try {
  const inputs = await Promise.all(opts.files.split(',').map(async (file) => ({ file: path.basename(file), bytes: await readFile(path.resolve(root, file)) })));
  process.stderr.write(`${opts.docs} documents (${inputs.map((i) => i.file).join(', ')}) through 1, then 2 workers, one core each; ${os.availableParallelism()} cores here\n`);
  const runs = [await throughput(1, inputs), await throughput(2, inputs)];
  process.stderr.write('killing a worker in the middle of a page\n');
  const pickup = await killedWorkerPickup(inputs[0]!);

  const perMinute = (n: number, run: Run): string => ((n / run.seconds) * 60).toFixed(1);
  const rows = [
    ['workers', 'documents', 'pages', 'seconds', 'documents/min', 'pages/min', 'worker CPU s', 'CPU s/page', 'cores busy', 'load avg'],
    ...runs.map((r) => [
      String(r.workers),
      String(r.documents),
      String(r.pages),
      r.seconds.toFixed(1),
      perMinute(r.documents, r),
      perMinute(r.pages, r),
      r.cpuSeconds === null ? '?' : r.cpuSeconds.toFixed(1),
      r.cpuSeconds === null ? '?' : (r.cpuSeconds / r.pages).toFixed(2),
      r.cpuSeconds === null ? '?' : (r.cpuSeconds / r.seconds).toFixed(2),
      r.load.toFixed(1),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows.slice(1)) console.log(line(row));
  console.log(`\nscaling, 2 workers vs 1: ${(runs[0]!.seconds / runs[1]!.seconds).toFixed(2)}×`);
  const [one, two] = runs as [Run, Run];
  if (one.cpuSeconds !== null && two.cpuSeconds !== null)
    // near 1: a second worker adds no work per page, so on free cores throughput can only scale
    console.log(`CPU per page, 2 workers vs 1: ${(two.cpuSeconds / two.pages / (one.cpuSeconds / one.pages)).toFixed(2)}×`);
  if (runs.some((r) => r.load > os.availableParallelism() + 0.5)) console.log('(other work was running: the load average exceeded the core count, so the wall-clock figures are not reliable)');
  console.log(`killed worker's page: back on the queue after ${pickup.stalledAfter.toFixed(1)} s, taken by another worker after ${pickup.pickedUpAfter.toFixed(1)} s`);
} finally {
  await removeBenchKeys();
  await queues.close();
}
