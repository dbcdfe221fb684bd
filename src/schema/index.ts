import { z } from 'zod';
import { PlanRecord } from './record.js';

export * from './record.js';

/** The record's JSON Schema (draft 2020-12), generated from the zod definition. */
export function planRecordJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PlanRecord, { target: 'draft-2020-12' }) as Record<string, unknown>;
}

export class RecordValidationError extends Error {
  constructor(readonly issues: string[]) {
    super(`record does not match the schema: ${issues.slice(0, 5).join('; ')}`);
    this.name = 'RecordValidationError';
  }
}

/** Validates a record before it leaves the pipeline; throws with readable issue paths. */
export function validateRecord(value: unknown): PlanRecord {
  const result = PlanRecord.safeParse(value);
  if (result.success) return result.data;
  throw new RecordValidationError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
}
