// OCR stage: a pool of tesseract.js workers with the Vietnamese model, kept warm across
// documents, so the pages of a document are read in parallel.
import { createWorker, OEM, PSM, type Page, type Worker } from 'tesseract.js';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../paths.js';
import { readingOrder, type PositionedWord } from './layout.js';

/**
 * Vietnamese LSTM models: "best_int" (tessdata, 512-unit top layer, from @tesseract.js-data/vie) and
 * "fast" (tessdata_fast, 192-unit top layer, the model of Debian's tesseract-ocr-vie; dictionaries/tessdata_fast/).
 */
export type ModelVariant = 'best_int' | 'fast';

export interface OcrOptions {
  /** Number of pages read at once, one core each; each holds a worker per model used (~100 MB). */
  workers: number;
  /** The model for pages scanned at 180 dpi or more. */
  model: ModelVariant;
  /** The model for pages scanned below 180 dpi. */
  lowResolutionModel: ModelVariant;
  /** Page segmentation: AUTO finds columns (two-column header, signature block) as separate blocks. */
  pageSegMode: PSM;
  /**
   * A page still being read after this long is taken for a hung engine: its worker is ended and
   * replaced, and the page fails with OcrTimeoutError (a queue retries it, on another worker).
   */
  pageTimeoutMs: number;
}

/** OCR of a page did not finish in time; transient: the engine that hung has been replaced. */
export class OcrTimeoutError extends Error {
  override name = 'OcrTimeoutError';
}

export interface OcrWord {
  text: string;
  confidence: number;
}

export interface OcrLine {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

export interface OcrResult {
  /** Lines in reading order (columns of the header and signature block one after the other). */
  text: string;
  /** Mean word confidence, 0..1. */
  confidence: number;
  lines: OcrLine[];
  words: OcrWord[];
}

export const defaultOcrOptions: OcrOptions = {
  workers: Math.max(1, os.availableParallelism()),
  // Measured (bench:ocr, 3 documents): on 200-300 dpi scans "fast" reads as well as "best_int"
  // (clean300 99.42% vs 99.36%, office200 99.53/99.47, color200 99.34/99.36) for about 25% less
  // CPU; on 150 dpi scans best_int is 0.3 points better (fax150 98.36/98.09, poor150 95.33/95.00).
  model: 'fast',
  lowResolutionModel: 'best_int',
  pageSegMode: PSM.AUTO,
  // pages take 1-4 s of CPU; two minutes is far beyond any page on a busy machine
  pageTimeoutMs: 120_000,
};

/** The folder holding the variant's vie.traineddata.gz. */
function modelPath(variant: ModelVariant): string {
  if (variant === 'fast') return path.join(packageRoot(), 'dictionaries', 'tessdata_fast');
  const vieRoot = path.dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/vie/package.json'));
  return path.join(vieRoot, '4.0.0_best_int');
}

/** One tesseract worker and the resolution it was last told: noise filtering depends on it. */
interface Engine {
  worker: Worker;
  dpi: number | null;
}

/** One core's share of the pool: an engine per model it has been asked for, one page at a time. */
interface Slot {
  engines: Partial<Record<ModelVariant, Promise<Engine>>>;
}

export interface PageImageForOcr {
  /** PGM, PNG or JPEG bytes. */
  image: Buffer;
  width: number;
  dpi: number;
  /** Scanned below 180 dpi (fax, poor copies): read with the pool's low-resolution model. */
  lowResolution?: boolean;
}

export class OcrPool {
  private idle: Slot[] = [];
  private all: Slot[] = [];
  private waiting: ((slot: Slot) => void)[] = [];
  /** Counts close() calls: an engine that finishes starting in an older generation is ended. */
  private generation = 0;
  readonly options: OcrOptions;

  constructor(options: Partial<OcrOptions> = {}) {
    this.options = { ...defaultOcrOptions, ...options };
  }

  /** Reads one prepared page on the next free slot. */
  async recognize(page: PageImageForOcr): Promise<OcrResult> {
    const slot = await this.acquire();
    try {
      const model = page.lowResolution ? this.options.lowResolutionModel : this.options.model;
      const engine = await this.engine(slot, model);
      if (engine.dpi !== page.dpi) {
        // measured: a wrong resolution costs up to 20 points of accuracy on noisy 150 dpi scans
        await engine.worker.setParameters({ user_defined_dpi: String(page.dpi) });
        engine.dpi = page.dpi;
      }
      // only the blocks (words with boxes and confidences): layout.ts makes the text from them
      const reading = engine.worker.recognize(page.image, {}, { text: false, blocks: true });
      const result = await this.withinTimeout(reading, () => this.replaceEngine(slot, model, engine));
      return toOcrResult(result.data, page.width);
    } finally {
      this.release(slot);
    }
  }

  /**
   * Starts the default model's engine on every slot now rather than on the first pages (loading
   * takes a second). Without it, each slot starts the engine a page needs when it first needs it:
   * a fax is read without ever loading the model of 200 dpi pages.
   */
  async warmUp(): Promise<void> {
    const slots = this.slots();
    await Promise.all(slots.map((slot) => this.engine(slot, this.options.model)));
  }

  async close(): Promise<void> {
    this.generation++;
    const slots = this.all;
    this.all = [];
    this.idle = [];
    const engines = slots.flatMap((slot) => Object.values(slot.engines));
    await Promise.all(engines.map(async (engine) => (await engine.catch(() => null))?.worker.terminate()));
  }

  /** The pool's slots, created (without engines) on first use and again after close(). */
  private slots(): Slot[] {
    if (!this.all.length) {
      this.all = Array.from({ length: this.options.workers }, () => ({ engines: {} }));
      this.idle = [...this.all];
    }
    return this.all;
  }

  private async acquire(): Promise<Slot> {
    this.slots();
    const free = this.idle.pop();
    if (free) return free;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    if (!this.all.includes(slot)) return; // the pool was closed meanwhile
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.idle.push(slot);
  }

  /** The reading, or OcrTimeoutError after pageTimeoutMs (when onTimeout has ended the engine). */
  private async withinTimeout<T>(reading: Promise<T>, onTimeout: () => Promise<void>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const seconds = Math.round(this.options.pageTimeoutMs / 1000);
        void onTimeout().finally(() => reject(new OcrTimeoutError(`OCR of the page did not finish within ${seconds} s; its engine was restarted`)));
      }, this.options.pageTimeoutMs);
    });
    // an ended engine's reading rejects later: nobody waits for it any more
    reading.catch(() => undefined);
    try {
      return await Promise.race([reading, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends a hung engine; the slot starts a fresh one for its next page. */
  private async replaceEngine(slot: Slot, model: ModelVariant, engine: Engine): Promise<void> {
    delete slot.engines[model];
    await engine.worker.terminate().catch(() => undefined);
  }

  /**
   * The slot's worker for a model, started on first use and kept warm. One that failed to start is
   * forgotten (the next page tries again); one that finishes starting after close() is ended.
   */
  private engine(slot: Slot, model: ModelVariant): Promise<Engine> {
    const existing = slot.engines[model];
    if (existing) return existing;
    const generation = this.generation;
    const starting = (async () => {
      // cacheMethod "none": the model is read from the package every time, never fetched or cached elsewhere
      const worker = await createWorker('vie', OEM.LSTM_ONLY, { langPath: modelPath(model), cacheMethod: 'none', gzip: true, workerPath: workerPath() });
      if (generation !== this.generation) {
        await worker.terminate();
        throw new Error('the OCR pool was closed');
      }
      // no inverted second reading of weak lines (white on black does not occur in these documents):
      // measured on fax150/poor150, same accuracy for up to 10% less CPU
      await worker.setParameters({ tessedit_pageseg_mode: this.options.pageSegMode, tessedit_do_invert: '0', debug_file: '/dev/null' });
      return { worker, dpi: null };
    })();
    slot.engines[model] = starting;
    starting.catch(() => {
      if (slot.engines[model] === starting) delete slot.engines[model];
    });
    return starting;
  }
}

function workerPath(): string {
  return path.join(packageRoot(), 'src', 'ocr', 'tesseract-worker.cjs');
}

function toOcrResult(page: Page, pageWidth: number): OcrResult {
  const lines: OcrLine[] = [];
  const words: OcrWord[] = [];
  const positioned: PositionedWord[][] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const text = line.words.map((w) => w.text).join(' ').trim();
        if (!text) continue;
        lines.push({ text, confidence: line.confidence / 100, bbox: line.bbox });
        positioned.push(line.words.map((w) => ({ text: w.text, bbox: w.bbox })));
        for (const w of line.words) words.push({ text: w.text, confidence: w.confidence / 100 });
      }
    }
  }
  const confidence = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 0;
  return { text: readingOrder(positioned, pageWidth).join('\n').normalize('NFC'), confidence, lines, words };
}
