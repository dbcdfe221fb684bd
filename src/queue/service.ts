// A worker as a long-running process: JSON logs (pino) on stdout, and shutdown on SIGTERM/SIGINT.
// The first signal finishes the jobs in hand (page jobs are seconds long) and exits; a second one
// hands them straight back to the queue for other workers and exits at once.
import { pino, type Logger } from 'pino';
import { errorMessage } from '../errors/index.js';
import { defaultConcurrency, type QueueConfig } from './config.js';
import { startPlanWorker } from './worker.js';

export interface WorkerServiceOptions {
  config: QueueConfig;
  concurrency?: number;
  logger?: Logger;
}

/** Runs until a signal has shut the worker down; resolves with the exit code. */
export async function runWorkerService(options: WorkerServiceOptions): Promise<number> {
  const log = options.logger ?? pino({ name: 'plans-worker', level: process.env.LOG_LEVEL ?? 'info' });
  const worker = await startPlanWorker(options.config, { concurrency: options.concurrency ?? defaultConcurrency(), logger: log });
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (!stopping) {
        stopping = true;
        log.info({ signal }, 'shutting down: finishing the jobs in hand (signal again to hand them back now)');
        worker.close().then(
          () => {
            log.info('worker stopped');
            resolve(0);
          },
          (err: unknown) => {
            log.error({ err: errorMessage(err) }, 'shutdown failed');
            resolve(1);
          },
        );
        return;
      }
      log.warn({ signal }, 'second signal: handing the jobs in hand back to the queue');
      worker.handBack().finally(() => resolve(130));
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
