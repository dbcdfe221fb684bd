// The queues and stores over one Redis connection: what enqueuers, workers and `status` share.
import { FlowProducer, Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DOCUMENTS_QUEUE, PAGES_QUEUE, type QueueConfig } from './config.js';
import { InputStore } from './input-store.js';
import { OutcomeStore } from './outcome-store.js';
import { connectRedis, type ConnectOptions } from './redis.js';

export class PlanQueues {
  private constructor(
    readonly config: QueueConfig,
    readonly redis: Redis,
    /** Document jobs: fan out into pages, then assemble the record (text files in one go). */
    readonly documents: Queue,
    /** Page jobs: one page of a PDF read, children of their document job. */
    readonly pages: Queue,
    readonly flow: FlowProducer,
    readonly inputs: InputStore,
    readonly outcomes: OutcomeStore,
  ) {}

  static async open(config: QueueConfig, options: ConnectOptions): Promise<PlanQueues> {
    const redis = await connectRedis(config.redisUrl, options);
    const common = { connection: redis, prefix: config.prefix };
    const queues = new PlanQueues(
      config,
      redis,
      new Queue(DOCUMENTS_QUEUE, common),
      new Queue(PAGES_QUEUE, common),
      new FlowProducer(common),
      new InputStore(redis, config.prefix),
      new OutcomeStore(redis, config.prefix),
    );
    // connection errors surface through the client (and the caller's onError); these would
    // otherwise be unhandled 'error' events
    queues.documents.on('error', () => {});
    queues.pages.on('error', () => {});
    queues.flow.on('error', () => {});
    return queues;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.documents.close(), this.pages.close(), this.flow.close()]);
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * A document's job id is its sha256, so the same bytes enqueued twice are one job. A forced
 * re-run gets a fresh id (BullMQ ids cannot contain ':').
 */
export function documentJobId(sha256: string, force: boolean): string {
  return force ? `doc-${sha256}-${Date.now().toString(36)}${randomBytes(3).toString('hex')}` : `doc-${sha256}`;
}

export function pageJobId(documentJobId: string, page: number): string {
  return `${documentJobId}-p${page}`;
}
