// The pipeline composes the stages: input → pages of text (text layer, repair or OCR per page)
// → extraction → a validated record. The queue and the CLI only call this module.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { InputError } from '../errors/index.js';
import { extractPlan } from '../extract/index.js';
import { pgmToPng, preparePage, type PreparedPage, type PrepareOptions } from '../image/index.js';
import { OcrPool, type OcrOptions, type OcrResult } from '../ocr/index.js';
import { defaultPdfLimits, PdfDocument, type PdfLimits } from '../pdf/index.js';
import { loadRepairModel, renumberHeadings, repairText, type RepairModel } from '../repair/index.js';
import { validateRecord, type PlanRecord } from '../schema/index.js';
import { triageText, type TextVerdict } from './triage.js';

export type TextSource = 'ocr' | 'text-layer' | 'text';

/** One page's text and how it was obtained: the plain context object passed between stages. */
export interface PageText {
  page: number;
  /** Text as read (text layer, OCR or file), before repair. */
  raw: string;
  /** Text after repair: what extraction reads. */
  text: string;
  source: TextSource;
  /** OCR mean word confidence 0..1; null for text that was not OCR'd. */
  confidence: number | null;
  /** Preparation decisions for an OCR'd page. */
  preparation: string[];
  warnings: string[];
}

export interface DocumentInput {
  /** File name as uploaded: named in the record and in errors. */
  file: string;
  bytes: Uint8Array;
}

export interface PipelineOptions {
  ocr: Partial<OcrOptions>;
  /** Working resolutions of the page preparation (the mode is chosen per page). */
  prepare: Partial<Omit<PrepareOptions, 'mode'>>;
  limits: PdfLimits;
  /** Pages whose OCR confidence is below this are retried with a stronger preparation. */
  retryConfidence: number;
  /** Pages still below this after the retry are named in the warnings. */
  doubtfulConfidence: number;
  /** Where prepared page images are written for inspection, if set. */
  debugDir: string | null;
  /** Force OCR even where a usable text layer exists. */
  forceOcr: boolean;
  /** Compile the repair decoder on sample text at load (see repair's LoadOptions). */
  warmUpRepair: boolean;
}

export const defaultPipelineOptions: PipelineOptions = {
  ocr: {},
  prepare: {},
  limits: defaultPdfLimits,
  retryConfidence: 0.75,
  doubtfulConfidence: 0.7,
  debugDir: null,
  forceOcr: false,
  warmUpRepair: false,
};

/** Called when the page count is known (page 0) and after each page is read. */
export type ProgressListener = (event: { file: string; page: number; pageCount: number }) => void;

export function inputKind(file: string, bytes: Uint8Array): 'pdf' | 'text' {
  if (/\.pdf$/i.test(file)) return 'pdf';
  if (/\.txt$/i.test(file)) return 'text';
  return Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-') ? 'pdf' : 'text';
}

export class Pipeline {
  readonly options: PipelineOptions;
  private readonly ocr: OcrPool;
  private repairModel: RepairModel | null = null;

  constructor(options: Partial<PipelineOptions> = {}) {
    this.options = { ...defaultPipelineOptions, ...options };
    this.ocr = new OcrPool(this.options.ocr);
  }

  /** The whole document: every page read (in parallel), then the record built and validated. */
  async process(input: DocumentInput, onProgress?: ProgressListener): Promise<PlanRecord> {
    const { pages, pageCount } = await this.readDocument(input, onProgress);
    return this.buildRecord(input, pageCount, pages);
  }

  /** All pages' text, in page order. */
  async readDocument(input: DocumentInput, onProgress?: ProgressListener): Promise<{ pages: PageText[]; pageCount: number }> {
    if (inputKind(input.file, input.bytes) === 'text') {
      const pages = this.withDocumentRepairs(this.readTextFile(input));
      onProgress?.({ file: input.file, page: pages.length, pageCount: pages.length });
      return { pages, pageCount: pages.length };
    }
    const pdf = await PdfDocument.open(input.bytes, input.file, this.options.limits);
    try {
      let done = 0;
      onProgress?.({ file: input.file, page: 0, pageCount: pdf.pageCount });
      // one page more in hand than OCR workers: the next page is decoded and prepared while the
      // workers read, and a long document never holds all its page images at once
      const inHand = pLimit(this.ocr.options.workers + 1);
      const pages = await Promise.all(
        Array.from({ length: pdf.pageCount }, (_, i) =>
          inHand(async () => {
            const page = await this.readPdfPage(pdf, i + 1);
            onProgress?.({ file: input.file, page: ++done, pageCount: pdf.pageCount });
            return page;
          }),
        ),
      );
      return { pages: this.withDocumentRepairs(pages), pageCount: pdf.pageCount };
    } finally {
      await pdf.close();
    }
  }

  /**
   * The repair that needs the whole document, over its pages' repaired text once all are read:
   * the numerals of Roman-numbered headings, which count up across pages (a queue assembling a
   * document from its page jobs calls it too).
   */
  withDocumentRepairs(pages: PageText[]): PageText[] {
    const texts = renumberHeadings(pages.map((p) => p.text));
    return pages.map((p, i) => (texts[i] === p.text ? p : { ...p, text: texts[i]! }));
  }

  /** One page of a PDF: what a queue's page job runs. */
  async readPage(input: DocumentInput, pageNumber: number): Promise<PageText> {
    const pdf = await PdfDocument.open(input.bytes, input.file, this.options.limits);
    try {
      if (pageNumber < 1 || pageNumber > pdf.pageCount) throw new InputError(input.file, `no page ${pageNumber} (the PDF has ${pdf.pageCount})`);
      return await this.readPdfPage(pdf, pageNumber);
    } finally {
      await pdf.close();
    }
  }

  /** Extraction over the pages' repaired text, then schema validation. */
  buildRecord(input: DocumentInput, pageCount: number, pages: PageText[]): PlanRecord {
    const extracted = extractPlan(
      pages.map((p) => p.text),
      { fileName: input.file },
    );
    const ocrPages = pages.filter((p) => p.confidence !== null);
    const sources = new Set(pages.map((p) => p.source));
    const textSource: TextSource = sources.has('ocr') ? 'ocr' : sources.has('text-layer') ? 'text-layer' : 'text';
    const warnings = [...pages.flatMap((p) => p.warnings.map((w) => `page ${p.page}: ${w}`)), ...extracted.warnings];
    return validateRecord({
      schemaVersion: '1',
      source: {
        file: input.file,
        sha256: sha256(input.bytes),
        pages: pageCount,
        textSource,
        meanConfidence: ocrPages.length ? round(ocrPages.reduce((s, p) => s + p.confidence!, 0) / ocrPages.length) : null,
        pageDetails: pages.map((p) => ({ page: p.page, textSource: p.source, confidence: p.confidence === null ? null : round(p.confidence), preparation: p.preparation })),
      },
      document: extracted.document,
      targets: extracted.targets,
      deadlines: extracted.deadlines,
      awards: extracted.awards,
      warnings,
    });
  }

  /** Repairs text with the shared model (loaded once). Line count is kept. */
  repair(text: string): string {
    return repairText(text, this.model());
  }

  /** Loads the OCR workers and the repair model ahead of the first document. */
  async warmUp(): Promise<void> {
    this.model();
    await this.ocr.warmUp();
  }

  async close(): Promise<void> {
    await this.ocr.close();
  }

  private model(): RepairModel {
    this.repairModel ??= loadRepairModel(undefined, { warmUp: this.options.warmUpRepair });
    return this.repairModel;
  }

  private readTextFile(input: DocumentInput): PageText[] {
    const content = Buffer.from(input.bytes).toString('utf8');
    if (!content.trim()) throw new InputError(input.file, 'empty text file');
    if (content.includes('\u0000')) throw new InputError(input.file, 'not a text file (binary content)');
    // form feeds separate pages in plain-text exports
    return content.normalize('NFC').split('\f').map((raw, i) => {
      const verdict = triageText(raw, this.model());
      return this.fromVerdict(i + 1, raw, 'text', verdict);
    });
  }

  private async readPdfPage(pdf: PdfDocument, pageNumber: number): Promise<PageText> {
    if (!this.options.forceOcr) {
      const layer = await pdf.pageText(pageNumber);
      if (layer.trim()) {
        const verdict = triageText(layer, this.model());
        if (verdict.verdict !== 'beyond-repair') return this.fromVerdict(pageNumber, layer, 'text-layer', verdict);
        const page = await this.ocrPage(pdf, pageNumber);
        page.warnings.unshift(verdict.reason);
        return page;
      }
    }
    return this.ocrPage(pdf, pageNumber);
  }

  private fromVerdict(page: number, raw: string, source: TextSource, verdict: TextVerdict): PageText {
    return { page, raw, text: verdict.text, source, confidence: null, preparation: [], warnings: verdict.verdict === 'good' ? [] : [verdict.reason] };
  }

  private async ocrPage(pdf: PdfDocument, pageNumber: number): Promise<PageText> {
    const image = await pdf.pageImage(pageNumber);
    const warnings: string[] = [];
    let prepared = await preparePage(image, { ...this.options.prepare, mode: 'standard' });
    let result = await this.recognize(pdf.file, pageNumber, prepared);
    if (result.confidence < this.options.retryConfidence) {
      const retryPrepared = await preparePage(image, { ...this.options.prepare, mode: 'strong' });
      const retry = await this.recognize(pdf.file, pageNumber, retryPrepared);
      warnings.push(`OCR confidence ${pct(result.confidence)} below ${pct(this.options.retryConfidence)}: retried with stronger preparation (${pct(retry.confidence)})`);
      if (retry.confidence > result.confidence) {
        result = retry;
        prepared = retryPrepared;
      }
    }
    if (result.confidence < this.options.doubtfulConfidence) warnings.push(`doubtful page: OCR confidence ${pct(result.confidence)}`);
    return { page: pageNumber, raw: result.text, text: this.repair(result.text), source: 'ocr', confidence: result.confidence, preparation: prepared.decisions, warnings };
  }

  private async recognize(file: string, pageNumber: number, prepared: PreparedPage): Promise<OcrResult> {
    if (this.options.debugDir) {
      const dir = path.join(this.options.debugDir, path.parse(file).name);
      await mkdir(dir, { recursive: true });
      const name = `page-${String(pageNumber).padStart(3, '0')}${prepared.decisions.some((d) => d.includes('retry')) ? '-retry' : ''}.png`;
      await writeFile(path.join(dir, name), await pgmToPng(prepared));
    }
    return this.ocr.recognize({ image: prepared.pgm, width: prepared.width, dpi: prepared.dpi });
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const pct = (x: number): string => `${Math.round(x * 100)}%`;
