// `plans serve`: the HTTP upload and record API in front of the queue (src/api). It enqueues and
// reads only; `plans worker` processes.
import { InvalidArgumentError, type Command } from 'commander';
import { pino } from 'pino';
import { createApiServer } from '../api/server.js';
import { errorMessage } from '../errors/index.js';
import { queueConfigFromEnv } from '../queue/config.js';
import { PlanQueues } from '../queue/queues.js';
import { displayUrl } from '../queue/redis.js';
import { MAX_INPUT_BYTES } from './input.js';
import { positiveInt } from './queue-commands.js';

/** Most files one multipart upload may carry: an archive batch goes through `enqueue` instead. */
const MAX_FILES_PER_UPLOAD = 100;

const port = (value: string): number => {
  const n = positiveInt(value);
  if (n > 65_535) throw new InvalidArgumentError('must be at most 65535');
  return n;
};

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('HTTP API: upload documents to the queue, follow them, fetch their records (REDIS_URL)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (1-65535)', port, 3000)
    .action(async (opts: { host: string; port: number }) => {
      const log = pino({ name: 'plans-api', level: process.env.LOG_LEVEL ?? 'info' });
      const config = queueConfigFromEnv();
      const queues = await PlanQueues.open(config, { persistent: true, onError: (err) => log.error({ err: err.message }, `Redis at ${displayUrl(config.redisUrl)}; retrying`) });
      const app = await createApiServer(queues, { maxFileBytes: MAX_INPUT_BYTES, maxFiles: MAX_FILES_PER_UPLOAD, logger: log });
      try {
        await app.listen({ host: opts.host, port: opts.port });
      } catch (err) {
        // port taken, not allowed, no such address: say so and let go of Redis, or the process lingers
        await app.close();
        await queues.close();
        throw new Error(`cannot listen on ${opts.host}:${opts.port} (${errorMessage(err)})`);
      }
      const stop = async (): Promise<void> => {
        // finish the requests in flight, then let go of Redis
        await app.close();
        await queues.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop());
      process.once('SIGINT', () => void stop());
    });
}
