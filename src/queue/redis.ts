// Redis connections: one clear error when Redis cannot be reached, bounded reconnects for
// commands a person waits on, endless ones for workers that must outlive a Redis restart.
import { Redis } from 'ioredis';

export class RedisUnavailableError extends Error {
  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(`Redis is not reachable at ${displayUrl(url)} (${causeText(cause)}); start Redis or set REDIS_URL`);
    this.name = 'RedisUnavailableError';
  }
}

export interface ConnectOptions {
  /** Workers reconnect forever once started; CLI commands give up after a few seconds. */
  persistent: boolean;
  /** Called on connection errors after the first successful connect (workers log them). */
  onError?: (err: Error) => void;
}

/** Attempts at connecting before a command gives up: about 5 s in all. */
const BOUNDED_RETRIES = 6;

/**
 * A connected client, or RedisUnavailableError after a bounded number of attempts, whatever the mode:
 * a worker that cannot reach Redis at start says so and exits rather than waiting silently.
 */
export async function connectRedis(url: string, options: ConnectOptions): Promise<Redis> {
  let connectedOnce = false;
  let lastError: unknown = null;
  const client = new Redis(url, {
    // BullMQ requires null (its blocking commands must wait through reconnects); the retry
    // strategy below is what bounds waiting
    maxRetriesPerRequest: null,
    connectTimeout: 3_000,
    lazyConnect: true,
    retryStrategy: (attempt) => {
      if ((!connectedOnce || !options.persistent) && attempt > BOUNDED_RETRIES) return null;
      return Math.min(attempt * 250, options.persistent && connectedOnce ? 5_000 : 1_000);
    },
  });
  client.on('error', (err: Error) => {
    lastError = err;
    if (connectedOnce) options.onError?.(err);
  });
  client.on('ready', () => {
    connectedOnce = true;
  });
  client.connect().catch(() => {
    // the first failure rejects here while reconnecting goes on; ping below waits for the outcome
  });
  try {
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new RedisUnavailableError(url, lastError ?? err);
  }
  return client;
}

/** The URL without its password, for messages and logs. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

function causeText(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length) return causeText(cause.errors[0]);
  return cause instanceof Error ? cause.message : String(cause);
}
