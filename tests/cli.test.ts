import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(root, 'tests', 'fixtures');

/** Runs the CLI from source, as `npx plans` runs the build of it. */
async function plans(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = run(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), ...args], { cwd: root, maxBuffer: 1 << 24 });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('command line', () => {
  it('processes good files and names each bad one with its reason', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'plans-cli-'));
    const good = path.join(dir, 'ke-hoach.txt');
    await writeFile(good, 'KẾ HOẠCH\nPhấn đấu đến năm 2025 có 100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến.\n');
    const bad = ['not-a-pdf.pdf', 'empty.pdf', 'truncated.pdf'].map((f) => path.join(fixtures, f));
    const out = path.join(dir, 'out');
    const result = await plans(['process', bad[0]!, good, bad[1]!, bad[2]!, '--out', out]);
    expect(result.code).toBe(1);
    const errors = result.stderr.trim().split('\n').filter((l) => l.startsWith('✗'));
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/not-a-pdf\.pdf: not a PDF/);
    expect(errors[1]).toMatch(/empty\.pdf: empty file/);
    expect(errors[2]).toMatch(/truncated\.pdf: .*(corrupt|truncated|unreadable)/);
    expect(result.stdout).toMatch(/✓ .*ke-hoach\.txt/);
    const record = JSON.parse(await readFile(path.join(out, 'ke-hoach.json'), 'utf8'));
    expect(record.schemaVersion).toBe('1');
    expect(record.source.textSource).toBe('text');
  });

  it('repairs standard input keeping the line count', async () => {
    const input = 'Chuyén doi s6\n\nthgc hiQn ké hoach\n';
    const result = await plans(['repair'], input);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toHaveLength(input.split('\n').length);
    expect(result.stdout.split('\n')[0]).toBe('Chuyển đổi số');
  });

  it('prints the record format as JSON Schema', async () => {
    const result = await plans(['schema']);
    const schema = JSON.parse(result.stdout);
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'source', 'document', 'targets', 'deadlines', 'awards', 'warnings']));
    expect(schema.properties.targets.items.properties.unit.enum).toEqual(['%', 'count', '%/year']);
  });
});
