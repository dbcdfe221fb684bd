/**
 * An input the pipeline cannot process (not a PDF, corrupt, encrypted, empty, too large).
 * Permanent: retrying will not help, so queues fail such jobs at once.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'InputError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
