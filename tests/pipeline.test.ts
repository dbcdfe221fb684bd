import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { Pipeline } from '../src/pipeline/index.js';
import { PlanRecord } from '../src/schema/index.js';

const fixture = async (name: string) => ({ file: name, bytes: await readFile(new URL(`./fixtures/${name}`, import.meta.url)) });
const pipeline = new Pipeline({ ocr: { workers: 2 } });
afterAll(() => pipeline.close());

describe('pipeline end to end', () => {
  it('turns a real scanned page into a valid record with diacritics', async () => {
    const record = await pipeline.process(await fixture('scan-page.pdf'));
    expect(PlanRecord.parse(record)).toEqual(record);
    expect(record.source).toMatchObject({ file: 'scan-page.pdf', pages: 1, textSource: 'ocr' });
    expect(record.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record.source.meanConfidence).toBeGreaterThan(0.6);
    expect(record.document.kind).toBe('Kế hoạch');
    expect(record.document.locality).toMatchObject({ name: 'Kiên Giang', level: 'so_nganh', province: 'Kiên Giang' });
    expect(record.document.title).toMatch(/Chuyển đổi số/);
    expect(record.document.legalBases.map((b) => b.number)).toContain('243/KH-UBND');
  });

  it('uses and repairs a broken text layer instead of OCR', async () => {
    const { pages } = await pipeline.readDocument(await fixture('textlayer-page.pdf'));
    expect(pages).toHaveLength(1);
    expect(pages[0]!.source).toBe('text-layer');
    expect(pages[0]!.raw).toMatch(/Chuyén/);
    expect(pages[0]!.text).toMatch(/Chuyển đổi số/);
    expect(pages[0]!.text.split('\n')).toHaveLength(pages[0]!.raw.split('\n').length);
    expect(pages[0]!.warnings.join(' ')).toMatch(/repaired/);
  });

  it('takes a text file as it is, one page per form feed', async () => {
    const text = 'KẾ HOẠCH\nPhát động phong trào thi đua “Chuyển đổi số”\n\fTrang hai: phấn đấu 100% hồ sơ được xử lý trực tuyến đến năm 2025.\n';
    const record = await pipeline.process({ file: 'plan.txt', bytes: Buffer.from(text) });
    expect(record.source).toMatchObject({ textSource: 'text', pages: 2, meanConfidence: null });
    expect(record.targets.some((t) => t.value === 100)).toBe(true);
  });

  it('refuses an empty text file naming it', async () => {
    await expect(pipeline.process({ file: 'blank.txt', bytes: Buffer.from('  \n') })).rejects.toThrow(/^blank\.txt: empty text file/);
  });
});
