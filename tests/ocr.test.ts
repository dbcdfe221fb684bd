import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { preparePage } from '../src/image/index.js';
import { ocrWordText, OcrPool, OcrTimeoutError } from '../src/ocr/index.js';
import { PdfDocument } from '../src/pdf/index.js';

const pool = new OcrPool({ workers: 1 });
afterAll(() => pool.close());

/** The top fifth of the fixture's prepared page (header blocks and title), as PNG. */
async function headerCrop(): Promise<{ image: Buffer; width: number; dpi: number }> {
  const pdf = await PdfDocument.open(await readFile(new URL('./fixtures/scan-page.pdf', import.meta.url)), 'scan-page.pdf');
  // the page as the pipeline hands it over: prepared
  const prepared = await preparePage(await pdf.pageImage(1));
  await pdf.close();
  const pixels = prepared.pgm.subarray(prepared.pgm.length - prepared.width * prepared.height);
  const image = await sharp(pixels, { raw: { width: prepared.width, height: prepared.height, channels: 1 } })
    .extract({ left: 0, top: 0, width: prepared.width, height: Math.round(prepared.height / 5) })
    .png()
    .toBuffer();
  return { image, width: prepared.width, dpi: prepared.dpi };
}

describe('ocr stage', () => {
  it('puts back the space tesseract loses after a list number, and only there', () => {
    expect(['1.Tiêu', 'V.TIẾN', '12.Giai', 'TP.HCM', '1.000', '2.1.', 'III.'].map(ocrWordText)).toEqual(['1. Tiêu', 'V. TIẾN', '12. Giai', 'TP.HCM', '1.000', '2.1.', 'III.']);
  });

  it("lowers the model's capital of a marked vowel inside a lowercase word, and only that", () => {
    expect(['cỦa', 'tỐt,', 'sỐ.', 'eGov', 'TTg', 'QĐ-TTg', 'ýGIÁM', 'Sở', 'SỞ'].map(ocrWordText)).toEqual(['của', 'tốt,', 'số.', 'eGov', 'TTg', 'QĐ-TTg', 'ýGIÁM', 'Sở', 'SỞ']);
  });

  it('reads a lone tilde as the list dash it stands for', () => {
    expect(['~', '~5%', 'a~b'].map(ocrWordText)).toEqual(['-', '~5%', 'a~b']);
  });

  it('reads a bracket or bar before a lone V or X as the I of a Roman numeral, a "©)" as "c)"', () => {
    expect(['[V', '|V.', '[X,', '[II', '[X]', '[Văn', '(V)'].map(ocrWordText)).toEqual(['IV', 'IV.', 'IX,', 'III', '[X]', '[Văn', '(V)']);
    // and a copyright sign before ")" as the list marker "c)"
    expect(['©)', '©', '©2024'].map(ocrWordText)).toEqual(['c)', '©', '©2024']);
  });

  it('reads Vietnamese with diacritics from a scanned header, with confidence', async () => {
    const result = await pool.recognize(await headerCrop());
    // the two header columns come out as separate lines, left column first
    const lines = result.text.split('\n');
    expect(lines.findIndex((l) => /SỞ XÂY DỰNG/.test(l))).toBeLessThan(lines.findIndex((l) => /CỘNG HÒA/.test(l)));
    expect(lines.some((l) => /CỘNG HÒA/.test(l) && /KIÊN GIANG/.test(l))).toBe(false);
    expect(result.text).toMatch(/CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
    expect(result.text).toMatch(/KẾ HOẠCH/);
    expect(result.text).toMatch(/Chuyển đổi số/);
    expect(result.confidence).toBeGreaterThan(0.7);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(result.words.length).toBeGreaterThan(10);
  }, 60_000);

  it('ends an engine that does not finish a page in time, fails the page, and reads the next page on a fresh engine', async () => {
    const impatient = new OcrPool({ workers: 1, pageTimeoutMs: 1 });
    try {
      const page = await headerCrop();
      await expect(impatient.recognize(page)).rejects.toThrow(OcrTimeoutError);
      impatient.options.pageTimeoutMs = 60_000;
      expect((await impatient.recognize(page)).text).toMatch(/KẾ HOẠCH/);
    } finally {
      await impatient.close();
    }
  }, 60_000);
});
