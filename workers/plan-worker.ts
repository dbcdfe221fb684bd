// Worker entry point, for machines that run workers only: `node dist/workers/plan-worker.js
// [--concurrency N]` (the same as `npx plans worker`). Reads REDIS_URL and PLANS_QUEUE_PREFIX.
import { Command } from 'commander';
import { queueConfigFromEnv } from '../src/queue/config.js';
import { runWorkerService } from '../src/queue/service.js';
import { positiveInt } from '../src/cli/arguments.js';
import { errorMessage } from '../src/errors/index.js';

const opts = new Command()
  .name('plan-worker')
  .description('process queued plans until SIGTERM/SIGINT')
  .option('-c, --concurrency <n>', 'jobs at once, and OCR threads (default: one per core)', positiveInt)
  .parse()
  .opts<{ concurrency?: number }>();

try {
  const code = await runWorkerService({ config: queueConfigFromEnv(), concurrency: opts.concurrency });
  process.exit(code);
} catch (err) {
  process.stderr.write(`plan-worker: ${errorMessage(err)}\n`);
  process.exit(1);
}
