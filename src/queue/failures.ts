// Which failures are worth retrying. Bad input, a record that fails its schema, malformed job data
// and vanished input bytes fail the same way every time: they fail the job at once with their own
// reason. Anything else (Redis hiccups, an OCR worker dying, running out of memory) is retried
// with backoff.
import { UnrecoverableError } from 'bullmq';
import { errorMessage, InputError } from '../errors/index.js';
import { RecordValidationError } from '../schema/index.js';
import { InputGoneError } from './input-store.js';
import { QueueDataError } from './schemas.js';

export function isPermanent(err: unknown): boolean {
  return (
    err instanceof InputError ||
    err instanceof RecordValidationError ||
    err instanceof QueueDataError ||
    err instanceof InputGoneError ||
    err instanceof UnrecoverableError
  );
}

/** Runs a job step; a permanent failure becomes BullMQ's UnrecoverableError, with a reason a person can act on. */
export async function failPermanentAtOnce<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof UnrecoverableError || !isPermanent(err)) throw err;
    // the outcome names the file already: keep only the reason
    throw new UnrecoverableError(err instanceof InputError ? err.reason : errorMessage(err));
  }
}
