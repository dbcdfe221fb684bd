// PDF stage: page count, each page's text layer, and each page as an image.
// Scans carry one image per page: that image is taken at its own resolution (no resampling);
// any other page is rendered. A scan's JPEG or deflated image is decoded natively (sharp, zlib)
// from the file's bytes, several times faster than pdfjs's JavaScript decoders.
import { getDocument, OPS, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { inflate } from 'node:zlib';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument as PdfLibDocument, PDFName, PDFNumber, PDFRawStream, PDFRef } from 'pdf-lib';
import sharp from 'sharp';
import { InputError } from '../errors/index.js';

export interface PageImage {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  /** Raw interleaved 8-bit pixels, row-major. */
  data: Buffer;
  /** Resolution of the image relative to the page's physical size. */
  dpi: number;
  /** "embedded" for a scan's own image, "rendered" when the page was drawn. */
  origin: 'embedded' | 'rendered';
}

export interface PdfLimits {
  maxPages: number;
  /** Largest image (width × height) accepted or rendered: guards against page bombs. */
  maxPixels: number;
}

export const defaultPdfLimits: PdfLimits = { maxPages: 2000, maxPixels: 80_000_000 };
const RENDER_DPI = 300;

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

export class PdfDocument {
  /** The same file parsed by pdf-lib, for the raw bytes of scanned pages' JPEGs (parsed on first use). */
  private raw: Promise<PdfLibDocument | null> | null = null;

  private constructor(
    readonly file: string,
    private readonly doc: PDFDocumentProxy,
    private readonly limits: PdfLimits,
    private readonly bytes: Uint8Array,
  ) {}

  static async open(bytes: Uint8Array, file: string, limits: PdfLimits = defaultPdfLimits): Promise<PdfDocument> {
    if (bytes.length === 0) throw new InputError(file, 'empty file');
    const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
    if (!head.includes('%PDF-')) throw new InputError(file, 'not a PDF (no %PDF- header)');
    let doc: PDFDocumentProxy;
    try {
      doc = await getDocument({
        // pdfjs takes ownership of (and may detach) the buffer it is given
        data: new Uint8Array(bytes),
        verbosity: 0,
        disableFontFace: true,
        isEvalSupported: false,
        stopAtErrors: false,
        maxImageSize: limits.maxPixels,
        standardFontDataUrl: path.join(pdfjsRoot, 'standard_fonts') + path.sep,
        cMapUrl: path.join(pdfjsRoot, 'cmaps') + path.sep,
        wasmUrl: path.join(pdfjsRoot, 'wasm') + path.sep,
        iccUrl: path.join(pdfjsRoot, 'iccs') + path.sep,
      }).promise;
    } catch (err) {
      throw new InputError(file, describePdfError(err));
    }
    if (doc.numPages === 0) {
      await doc.destroy();
      throw new InputError(file, 'PDF has no pages');
    }
    if (doc.numPages > limits.maxPages) {
      await doc.destroy();
      throw new InputError(file, `PDF has ${doc.numPages} pages, more than the limit of ${limits.maxPages}`);
    }
    return new PdfDocument(file, doc, limits, bytes);
  }

  get pageCount(): number {
    return this.doc.numPages;
  }

  /** The page's text layer as lines in reading order ("" when it has none). */
  async pageText(pageNumber: number): Promise<string> {
    const page = await this.page(pageNumber);
    const content = await page.getTextContent();
    const lines: string[] = [];
    let line = '';
    for (const item of content.items) {
      if (!('str' in item)) continue;
      line += item.str;
      if (item.hasEOL) {
        lines.push(line);
        line = '';
      }
    }
    if (line) lines.push(line);
    return lines.join('\n').normalize('NFC');
  }

  /** The page as an image: the scan's own image when the page is one, else a rendering. */
  async pageImage(pageNumber: number): Promise<PageImage> {
    const scan = await this.scannedImage(pageNumber);
    if (scan) return scan;
    const page = await this.page(pageNumber);
    return (await this.embeddedScan(page)) ?? (await this.render(page));
  }

  /**
   * A page whose content draws one image (a baseline JPEG, or deflated samples without a
   * predictor; 8-bit gray or RGB; nothing else drawn from an image) with the page's proportions,
   * decoded natively; null for anything else, which pdfjs reads.
   */
  private async scannedImage(pageNumber: number): Promise<PageImage | null> {
    this.raw ??= PdfLibDocument.load(this.bytes, { ignoreEncryption: true, updateMetadata: false }).then(
      (doc) => (doc.isEncrypted ? null : doc),
      () => null,
    );
    const doc = await this.raw;
    if (!doc || pageNumber > doc.getPageCount()) return null;
    let found: ScannedImage | null;
    try {
      found = this.findScannedImage(doc, pageNumber);
    } catch {
      return null; // a structure pdf-lib does not expect (odd types, broken references): pdfjs reads it
    }
    if (!found) return null;
    const { stream, filter, width, height, colourSpace, pageWidth } = found;
    const dpi = Math.round((width / pageWidth) * 72);
    if (filter === '/FlateDecode') {
      const channels = colourSpace === '/DeviceGray' ? 1 : 3;
      // never more than the image's own size: a deflate bomb stops there and falls to pdfjs
      const data = await inflateAsync(stream.contents, { maxOutputLength: width * height * channels }).catch(() => null);
      if (!data || data.length !== width * height * channels) return null;
      return { width, height, channels, data, dpi, origin: 'embedded' };
    }
    const decoder = sharp(stream.contents, { limitInputPixels: this.limits.maxPixels });
    // sharp hands out sRGB unless told otherwise: a gray scan stays one band
    if (colourSpace === '/DeviceGray') decoder.toColourspace('b-w');
    const decoded = await decoder
      .raw()
      .toBuffer({ resolveWithObject: true })
      .catch(() => null);
    if (!decoded || decoded.info.width !== width || decoded.info.height !== height) return null;
    const channels = decoded.info.channels;
    if (channels !== 1 && channels !== 3) return null;
    return { width, height, channels, data: decoded.data, dpi, origin: 'embedded' };
  }

  /** The single image a scanned page draws, or null; throws on structures pdf-lib cannot read. */
  private findScannedImage(doc: PdfLibDocument, pageNumber: number): ScannedImage | null {
    const page = doc.getPage(pageNumber - 1);
    if (page.getRotation().angle % 360 !== 0) return null;
    const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    const refs = xobjects ? xobjects.values() : [];
    if (refs.length !== 1 || !(refs[0] instanceof PDFRef)) return null;
    const stream = doc.context.lookup(refs[0]);
    if (!(stream instanceof PDFRawStream)) return null;
    const dict = stream.dict;
    // lookup + instanceof: lookupMaybe throws where a value has another type ("/ColorSpace [/ICCBased 5 0 R]")
    const name = (key: string) => {
      const value = dict.lookup(PDFName.of(key));
      return value instanceof PDFName ? value.asString() : undefined;
    };
    const number = (key: string) => {
      const value = dict.lookup(PDFName.of(key));
      return value instanceof PDFNumber ? value.asNumber() : 0;
    };
    const filter = dict.lookup(PDFName.of('Filter'));
    const singleFilter = filter instanceof PDFArray && filter.size() === 1 ? filter.lookup(0) : filter;
    if (name('Subtype') !== '/Image' || !(singleFilter instanceof PDFName)) return null;
    const filterName = singleFilter.asString();
    if (filterName !== '/DCTDecode' && filterName !== '/FlateDecode') return null;
    // deflated samples are read as they are: 8 bits, no predictor (DecodeParms) to undo
    if (filterName === '/FlateDecode' && (dict.has(PDFName.of('DecodeParms')) || number('BitsPerComponent') !== 8)) return null;
    const colourSpace = name('ColorSpace');
    if (colourSpace !== '/DeviceRGB' && colourSpace !== '/DeviceGray') return null;
    if (['SMask', 'Mask', 'Decode', 'ImageMask'].some((key) => dict.has(PDFName.of(key)))) return null;
    const width = number('Width');
    const height = number('Height');
    if (!width || !height || width * height > this.limits.maxPixels) return null;
    const operators = contentOperators(page.node.Contents(), doc);
    if (operators.filter((op) => op === 'Do' || op === 'BI').length !== 1) return null;
    const { width: pageWidth, height: pageHeight } = page.getSize();
    if (Math.abs(pageWidth / pageHeight - width / height) / (pageWidth / pageHeight) > 0.03) return null;
    return { stream, filter: filterName, width, height, colourSpace, pageWidth };
  }

  async close(): Promise<void> {
    await this.doc.destroy();
  }

  private async page(pageNumber: number): Promise<PDFPageProxy> {
    try {
      return await this.doc.getPage(pageNumber);
    } catch (err) {
      throw new InputError(this.file, `page ${pageNumber} cannot be read: ${describePdfError(err)}`);
    }
  }

  /** A page whose only drawing is one image with the page's proportions is a scan. */
  private async embeddedScan(page: PDFPageProxy): Promise<PageImage | null> {
    const ops = await page.getOperatorList();
    const imageOps: string[] = [];
    for (let i = 0; i < ops.fnArray.length; i++) {
      const fn = ops.fnArray[i];
      if (fn === OPS.paintImageXObject) imageOps.push(String((ops.argsArray[i] as unknown[])[0]));
      else if (fn === OPS.paintInlineImageXObject || fn === OPS.paintImageMaskXObject) return null;
    }
    if (imageOps.length !== 1) return null;
    const name = imageOps[0]!;
    const store = name.startsWith('g_') ? page.commonObjs : page.objs;
    const image = await new Promise<PdfjsImage>((resolve) => store.get(name, resolve as (v: unknown) => void));
    if (!image?.data || !image.width || !image.height) return null;
    const viewport = page.getViewport({ scale: 1 });
    const pageAspect = viewport.width / viewport.height;
    const imageAspect = image.width / image.height;
    if (Math.abs(pageAspect - imageAspect) / pageAspect > 0.03) return null;
    const channels = image.kind === 1 ? 1 : image.kind === 2 ? 3 : 4;
    if (image.kind === 1) return null; // 1-bit packed data: let the renderer expand it
    return {
      width: image.width,
      height: image.height,
      channels,
      data: Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength),
      dpi: Math.round((image.width / viewport.width) * 72),
      origin: 'embedded',
    };
  }

  private async render(page: PDFPageProxy): Promise<PageImage> {
    const base = page.getViewport({ scale: 1 });
    let scale = RENDER_DPI / 72;
    const pixels = base.width * base.height * scale * scale;
    if (pixels > this.limits.maxPixels) scale *= Math.sqrt(this.limits.maxPixels / pixels);
    const viewport = page.getViewport({ scale });
    const width = Math.ceil(viewport.width);
    const height = Math.ceil(viewport.height);
    const factory = (this.doc as unknown as { canvasFactory: CanvasFactory }).canvasFactory;
    const { canvas, context } = factory.create(width, height);
    try {
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, width, height);
      await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
      const pixelsRgba = context.getImageData(0, 0, width, height).data;
      return {
        width,
        height,
        channels: 4,
        data: Buffer.from(pixelsRgba.buffer, pixelsRgba.byteOffset, pixelsRgba.byteLength),
        dpi: Math.round(72 * scale),
        origin: 'rendered',
      };
    } finally {
      factory.destroy({ canvas, context });
    }
  }
}

const inflateAsync = promisify(inflate);

/** What a scanned page's image is: its bytes as stored and their encoding, size, colour space and the page's width in points. */
interface ScannedImage {
  stream: PDFRawStream;
  filter: '/DCTDecode' | '/FlateDecode';
  width: number;
  height: number;
  colourSpace: '/DeviceRGB' | '/DeviceGray';
  pageWidth: number;
}

interface PdfjsImage {
  width: number;
  height: number;
  kind: number;
  data: Uint8Array | Uint8ClampedArray;
}

interface CanvasFactory {
  create(width: number, height: number): { canvas: unknown; context: CanvasContext };
  destroy(pair: { canvas: unknown; context: CanvasContext }): void;
}

interface CanvasContext {
  fillStyle: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
}

/** The operators of a page's content streams (their words that are not operands), in order. */
function contentOperators(contents: unknown, doc: PdfLibDocument): string[] {
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : [contents];
  const operators: string[] = [];
  for (const stream of streams) {
    if (!(stream instanceof PDFRawStream)) continue;
    const text = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
    // strings and names are operands; what is left as bare words are operators
    const bare = text.replace(/\((?:\\.|[^\\)])*\)|<[^<>]*>|\/[^\s/[\]()<>{}%]+/g, ' ');
    for (const word of bare.match(/[A-Za-z'"*]+/g) ?? []) if (word !== 'true' && word !== 'false' && word !== 'null') operators.push(word);
  }
  return operators;
}

function describePdfError(err: unknown): string {
  const name = (err as { name?: string })?.name;
  const message = err instanceof Error ? err.message : String(err);
  switch (name) {
    case 'PasswordException':
      return 'PDF is encrypted with a password';
    case 'InvalidPDFException':
      return `corrupt or truncated PDF (${message})`;
    case 'MissingPDFException':
      return 'PDF is missing';
    default:
      return `unreadable PDF (${message})`;
  }
}
