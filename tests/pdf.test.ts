import { readFile } from 'node:fs/promises';
import { concatTransformationMatrix, drawObject, PDFDocument as PdfLibDocument, PDFName, popGraphicsState, pushGraphicsState, type PDFRawStream } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors/index.js';
import { PdfDocument } from '../src/pdf/index.js';

const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url));

describe('pdf stage', () => {
  it('takes a scanned page as its embedded image at its own resolution', async () => {
    const pdf = await PdfDocument.open(await fixture('scan-page.pdf'), 'scan-page.pdf');
    expect(pdf.pageCount).toBe(1);
    const image = await pdf.pageImage(1);
    expect(image.origin).toBe('embedded');
    expect(image.dpi).toBe(200);
    expect(image.data.length).toBe(image.width * image.height * image.channels);
    expect(await pdf.pageText(1)).toBe('');
    await pdf.close();
  });

  it('reads the text layer of a page as lines', async () => {
    const pdf = await PdfDocument.open(await fixture('textlayer-page.pdf'), 'textlayer-page.pdf');
    const text = await pdf.pageText(1);
    expect(text.split('\n').length).toBeGreaterThan(10);
    expect(text).toContain('KH-UBND');
    await pdf.close();
  });

  it('renders a page that is not a scan', async () => {
    const pdf = await PdfDocument.open(await fixture('vector-page.pdf'), 'vector-page.pdf');
    const image = await pdf.pageImage(1);
    expect(image.origin).toBe('rendered');
    expect(image.dpi).toBe(300);
    expect(image.width).toBe(Math.ceil((595 * 300) / 72));
    // drawn text leaves dark pixels on white paper
    let dark = 0;
    for (let i = 0; i < image.data.length; i += image.channels) if (image.data[i]! < 100) dark++;
    expect(dark).toBeGreaterThan(500);
    expect(await pdf.pageText(1)).toContain('KE HOACH 12/KH-UBND');
    await pdf.close();
  });

  it.each([
    ['empty.pdf', /empty file/],
    ['not-a-pdf.pdf', /not a PDF/],
    ['truncated.pdf', /corrupt|truncated|unreadable/],
    ['encrypted.pdf', /encrypted/],
  ])('refuses %s with a reason naming the file', async (name, reason) => {
    const err = await PdfDocument.open(await fixture(name), name).then(
      async (pdf) => {
        // a truncated file may open; its page then fails
        await pdf.pageImage(1);
        return null;
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(new RegExp(`^${name}: `));
    expect((err as InputError).reason).toMatch(reason);
  });

  it('decodes a scanned page\'s JPEG at its own size; a JPEG that is not the whole page is rendered', async () => {
    // a 150 dpi A5-proportioned gray gradient with a dark bar
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="620" height="877"><rect width="100%" height="100%" fill="rgb(230,230,230)"/><rect x="60" y="400" width="500" height="40" fill="black"/></svg>`;
    const jpeg = await sharp(Buffer.from(svg)).toColourspace('b-w').jpeg({ quality: 90 }).toBuffer();
    const doc = await PdfLibDocument.create();
    const image = await doc.embedJpg(jpeg);
    doc.addPage([297.6, 421]).drawImage(image, { x: 0, y: 0, width: 297.6, height: 421 });
    doc.addPage([421, 421]).drawImage(image, { x: 100, y: 0, width: 297.6, height: 421 });
    const pdf = await PdfDocument.open(await doc.save(), 'jpeg.pdf');
    const scan = await pdf.pageImage(1);
    expect([scan.origin, scan.width, scan.height, scan.channels, scan.dpi]).toEqual(['embedded', 620, 877, 1, 150]);
    const expected = await sharp(jpeg).toColourspace('b-w').raw().toBuffer();
    expect(scan.data.equals(expected)).toBe(true);
    expect((await pdf.pageImage(2)).origin).toBe('rendered');
    await pdf.close();
  });

  it("decodes a scanned page's deflated samples natively, exactly", async () => {
    const width = 310;
    const height = 438;
    const samples = Buffer.alloc(width * height * 3);
    for (let i = 0; i < samples.length; i++) samples[i] = (i * 7) % 251;
    const doc = await PdfLibDocument.create();
    const stream = doc.context.flateStream(samples, { Type: 'XObject', Subtype: 'Image', Width: width, Height: height, ColorSpace: 'DeviceRGB', BitsPerComponent: 8 });
    const ref = doc.context.register(stream);
    const page = doc.addPage([297.6, 421]);
    page.node.setXObject(PDFName.of('Scan'), ref);
    page.pushOperators(...[pushGraphicsState(), concatTransformationMatrix(297.6, 0, 0, 421, 0, 0), drawObject('Scan'), popGraphicsState()]);
    const pdf = await PdfDocument.open(await doc.save(), 'deflated.pdf');
    const scan = await pdf.pageImage(1);
    expect([scan.origin, scan.width, scan.height, scan.channels, scan.dpi]).toEqual(['embedded', width, height, 3, 75]);
    expect(Buffer.from(scan.data).equals(samples)).toBe(true);
    await pdf.close();
  });

  it('reads a scanned page whose JPEG has an ICC colour space (through pdfjs)', async () => {
    const jpeg = await sharp({ create: { width: 310, height: 438, channels: 3, background: { r: 200, g: 200, b: 200 } } }).toColourspace('b-w').jpeg().toBuffer();
    const doc = await PdfLibDocument.create();
    const image = await doc.embedJpg(jpeg);
    doc.addPage([297.6, 421]).drawImage(image, { x: 0, y: 0, width: 297.6, height: 421 });
    await image.embed();
    // as scanners write it: /ColorSpace [/ICCBased <profile stream>], which pdf-lib's typed lookups reject
    const profile = doc.context.register(doc.context.stream(new Uint8Array(0), { N: 1, Alternate: 'DeviceGray' }));
    const stream = doc.context.lookup(image.ref) as PDFRawStream;
    stream.dict.set(PDFName.of('ColorSpace'), doc.context.obj([PDFName.of('ICCBased'), profile]));
    const pdf = await PdfDocument.open(await doc.save(), 'icc.pdf');
    const scan = await pdf.pageImage(1);
    expect([scan.width, scan.height, scan.dpi]).toEqual([310, 438, 75]);
    await pdf.close();
  });

  it('refuses a PDF with more pages than the limit', async () => {
    await expect(PdfDocument.open(await fixture('scan-page.pdf'), 'x.pdf', { maxPages: 0, maxPixels: 1e8 })).rejects.toThrow(/more than the limit/);
  });
});
