// Parsers of numeric command-line arguments, shared by the commands, the worker entry and benchmarks.
import { InvalidArgumentError } from 'commander';
import { MAX_PRIORITY } from '../queue/config.js';

export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
};

export const priority = (value: string): number => {
  const n = positiveInt(value);
  if (n > MAX_PRIORITY) throw new InvalidArgumentError(`must be at most ${MAX_PRIORITY}`);
  return n;
};

export const port = (value: string): number => {
  const n = positiveInt(value);
  if (n > 65_535) throw new InvalidArgumentError('must be at most 65535');
  return n;
};
