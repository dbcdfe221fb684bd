// `plans serve`: the HTTP upload and record API in front of the queue (src/api). It enqueues and
// reads only; `plans worker` processes. Its arguments are declared in main.ts.
import { pino } from 'pino';
import { createApiServer } from '../api/server.js';
import { errorMessage } from '../errors/index.js';
import { queueConfigFromEnv } from '../queue/config.js';
import { PlanQueues } from '../queue/queues.js';
import { displayUrl } from '../queue/redis.js';
import { MAX_INPUT_BYTES } from './input.js';

/** Most files one multipart upload may carry: an archive batch goes through `enqueue` instead. */
const MAX_FILES_PER_UPLOAD = 100;

/** `plans serve`: listens until SIGTERM/SIGINT, then finishes the requests in flight and lets go of Redis. */
export async function serveCommand(opts: { host: string; port: number }): Promise<void> {
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
    await app.close();
    await queues.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
