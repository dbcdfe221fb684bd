// What each document job came to, the record or the error, as JSON under
// `<prefix>:outcome:<jobId>`, kept OUTCOME_TTL_S: other systems fetch records from here.
import type { Redis } from 'ioredis';
import { OUTCOME_TTL_S } from './config.js';
import { Outcome, parseAt } from './schemas.js';

export class OutcomeStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async save(outcome: Outcome): Promise<void> {
    const valid = parseAt(Outcome, outcome, `outcome of job ${outcome.jobId}`);
    await this.redis.set(this.key(valid.jobId), JSON.stringify(valid), 'EX', OUTCOME_TTL_S);
  }

  /** Saves unless an outcome is already stored: a late failure never hides an earlier record. */
  async saveIfAbsent(outcome: Outcome): Promise<boolean> {
    const valid = parseAt(Outcome, outcome, `outcome of job ${outcome.jobId}`);
    return (await this.redis.set(this.key(valid.jobId), JSON.stringify(valid), 'EX', OUTCOME_TTL_S, 'NX')) === 'OK';
  }

  async get(jobId: string): Promise<Outcome | null> {
    return (await this.getMany([jobId]))[0] ?? null;
  }

  /** Outcomes in the order of the ids asked for; null where none is stored. */
  async getMany(jobIds: string[]): Promise<(Outcome | null)[]> {
    if (!jobIds.length) return [];
    const values = await this.redis.mget(jobIds.map((id) => this.key(id)));
    return values.map((value, i) => (value === null ? null : parseAt(Outcome, JSON.parse(value), `stored outcome of job ${jobIds[i]}`)));
  }

  key(jobId: string): string {
    return `${this.prefix}:outcome:${jobId}`;
  }
}
