// Input bytes, stored once in Redis under their sha256 so workers on any machine can read them
// and job data stays small. Each document job holding an input is noted beside it; the bytes are
// deleted when the last one finishes, and expire anyway after INPUT_TTL_S.
import type { Redis } from 'ioredis';
import { INPUT_TTL_S } from './config.js';

/** Input bytes no longer in Redis (expired, or removed with their last job): permanent. */
export class InputGoneError extends Error {
  override name = 'InputGoneError';
  constructor(readonly sha256: string) {
    super(`the input bytes (sha256 ${sha256.slice(0, 12)}…) are no longer stored in Redis; enqueue the file again`);
  }
}

// Deletes the bytes only when no other job still holds them, atomically.
const RELEASE_SCRIPT = `
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('SCARD', KEYS[2]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 1
end
return 0`;

export class InputStore {
  /** Pages of one document mostly land on the same few workers: keep the last inputs read. */
  private readonly cache = new Map<string, Buffer>();
  private cachedBytes = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly cacheLimitBytes = 256 * 2 ** 20,
  ) {}

  /** Stores the bytes for a job (again, if already there: the TTL is renewed). */
  async hold(sha256: string, bytes: Uint8Array, jobId: string): Promise<void> {
    await this.redis
      .multi()
      .set(this.bytesKey(sha256), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'EX', INPUT_TTL_S)
      .sadd(this.holdersKey(sha256), jobId)
      .expire(this.holdersKey(sha256), INPUT_TTL_S)
      .exec();
  }

  async read(sha256: string): Promise<Buffer> {
    const cached = this.cache.get(sha256);
    if (cached) {
      // re-insert: Map order is the eviction order
      this.cache.delete(sha256);
      this.cache.set(sha256, cached);
      return cached;
    }
    const bytes = await this.redis.getBuffer(this.bytesKey(sha256));
    if (!bytes) throw new InputGoneError(sha256);
    this.remember(sha256, bytes);
    return bytes;
  }

  /** The job is done with the input; returns whether the bytes were deleted. */
  async release(sha256: string, jobId: string): Promise<boolean> {
    const deleted = await this.redis.eval(RELEASE_SCRIPT, 2, this.bytesKey(sha256), this.holdersKey(sha256), jobId);
    return deleted === 1;
  }

  private remember(sha256: string, bytes: Buffer): void {
    if (bytes.length > this.cacheLimitBytes) return;
    this.cache.set(sha256, bytes);
    this.cachedBytes += bytes.length;
    for (const [key, value] of this.cache) {
      if (this.cachedBytes <= this.cacheLimitBytes) break;
      this.cache.delete(key);
      this.cachedBytes -= value.length;
    }
  }

  private bytesKey(sha256: string): string {
    return `${this.prefix}:input:${sha256}`;
  }

  private holdersKey(sha256: string): string {
    return `${this.prefix}:input-holders:${sha256}`;
  }
}
