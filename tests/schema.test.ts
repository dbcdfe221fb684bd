import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRecord, RecordValidationError } from '../src/schema/index.js';

const expectedDir = path.resolve(import.meta.dirname, '../samples/expected');

describe('record schema', () => {
  it('accepts the analysts\' records of the bundled samples (with source filled in)', async () => {
    for (const name of await readdir(expectedDir)) {
      const record = JSON.parse(await readFile(path.join(expectedDir, name), 'utf8'));
      record.source = { ...record.source, sha256: 'a'.repeat(64) };
      expect(() => validateRecord(record), name).not.toThrow();
    }
  });

  it('rejects a record with a wrong field and says where', async () => {
    const record = JSON.parse(await readFile(path.join(expectedDir, '002.json'), 'utf8'));
    record.source.sha256 = 'b'.repeat(64);
    record.targets[0].unit = 'percent';
    record.document.issuedAt = '12/8/2022';
    let error: unknown;
    try {
      validateRecord(record);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RecordValidationError);
    expect((error as RecordValidationError).issues.join('\n')).toMatch(/targets\.0\.unit/);
    expect((error as RecordValidationError).issues.join('\n')).toMatch(/document\.issuedAt/);
  });

  it('rejects text that is not NFC', async () => {
    const record = JSON.parse(await readFile(path.join(expectedDir, '002.json'), 'utf8'));
    record.source.sha256 = 'c'.repeat(64);
    record.document.title = 'Chuyển đổi số'.normalize('NFD');
    expect(() => validateRecord(record)).toThrow(/NFC/);
  });
});
