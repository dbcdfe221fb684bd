// OCR stage: a pool of tesseract.js workers with the Vietnamese model, kept warm across
// documents, so the pages of a document are read in parallel.
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
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
  /** Number of pages read at once, one core each; each holds a worker (~100 MB). */
  workers: number;
  model: ModelVariant;
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
  /** Mean confidence of its words, 0..1. */
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
  // CPU; on 150 dpi scans read at their own resolution it reads fax150 better (98.99/98.80) and
  // poor150 nearly as well (97.00/97.12) for about 30% less CPU.
  model: 'fast',
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

/** One core's share of the pool: its engine (started on first use), one page at a time. */
interface Slot {
  engine: Promise<Engine> | null;
}

export interface PageImageForOcr {
  /** PGM, PNG or JPEG bytes. */
  image: Buffer;
  width: number;
  dpi: number;
}

export class OcrPool {
  private idle: Slot[] = [];
  private all: Slot[] = [];
  private waiting: ((slot: Slot) => void)[] = [];
  private starting: Promise<void> | null = null;
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
      const engine = await this.engine(slot);
      if (engine.dpi !== page.dpi) {
        // measured: a wrong resolution costs up to 20 points of accuracy on noisy 150 dpi scans
        await engine.worker.setParameters({ user_defined_dpi: String(page.dpi) });
        engine.dpi = page.dpi;
      }
      // Only the TSV (words with boxes and confidences; layout.ts makes the text from them): the
      // "blocks" tree, built for every symbol, cost 6-8% more CPU a page (measured on 8 pages).
      const reading = engine.worker.recognize(page.image, {}, { text: false, tsv: true });
      const result = await this.withinTimeout(reading, () => this.replaceEngine(slot, engine));
      return toOcrResult(result.data.tsv ?? '', page.width);
    } finally {
      this.release(slot);
    }
  }

  /** Starts the workers now rather than on the first page (loading takes seconds). */
  async warmUp(): Promise<void> {
    this.starting ??= this.start();
    await this.starting;
  }

  async close(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    this.generation++;
    const slots = this.all;
    this.all = [];
    this.idle = [];
    this.starting = null;
    await Promise.all(slots.map(async (slot) => (await slot.engine?.catch(() => null))?.worker.terminate()));
  }

  private async acquire(): Promise<Slot> {
    await this.warmUp();
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
  private async replaceEngine(slot: Slot, engine: Engine): Promise<void> {
    slot.engine = null;
    await engine.worker.terminate().catch(() => undefined);
  }

  /**
   * The slot's worker, started on first use and kept warm. One that failed to start is forgotten
   * (the next page tries again); one that finishes starting after close() is ended.
   */
  private engine(slot: Slot): Promise<Engine> {
    if (slot.engine) return slot.engine;
    const generation = this.generation;
    const starting = (async () => {
      // cacheMethod "none": the model is read from the package every time, never fetched or cached elsewhere
      const worker = await createWorker('vie', OEM.LSTM_ONLY, { langPath: modelPath(this.options.model), cacheMethod: 'none', gzip: true, workerPath: workerPath() });
      if (generation !== this.generation) {
        await worker.terminate();
        throw new Error('the OCR pool was closed');
      }
      // no inverted second reading of weak lines (white on black does not occur in these documents):
      // measured on fax150/poor150, same accuracy for up to 10% less CPU
      await worker.setParameters({ tessedit_pageseg_mode: this.options.pageSegMode, tessedit_do_invert: '0', debug_file: '/dev/null' });
      return { worker, dpi: null };
    })();
    slot.engine = starting;
    starting.catch(() => {
      if (slot.engine === starting) slot.engine = null;
    });
    return starting;
  }

  private async start(): Promise<void> {
    const slots: Slot[] = Array.from({ length: this.options.workers }, () => ({ engine: null }));
    const started = await Promise.allSettled(slots.map((slot) => this.engine(slot)));
    const failure = started.find((r) => r.status === 'rejected');
    if (failure) {
      // none of them is kept: their threads would hold the process open
      await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.worker.terminate() : undefined)));
      this.starting = null;
      throw failure.reason;
    }
    this.all = slots;
    this.idle = [...slots];
  }
}

function workerPath(): string {
  return path.join(packageRoot(), 'src', 'ocr', 'tesseract-worker.cjs');
}

/**
 * Tesseract takes a list number and the heading after a narrow space for one word ("1.Tiêu",
 * "V.TIẾN"): the space is put back. Only numbers and roman numerals before the dot ("TP.HCM" stays).
 */
const JOINED_LIST_MARKER = /^(\d{1,2}|[IVX]{1,4})\.(?=\p{Lu})/u;
/**
 * The model's capital of a marked vowel inside a lowercase word ("cỦa", "tỐt", "chỶ"): one capital
 * between lowercase letters, with a mark (so "eGov" stays).
 */
const CAPITAL_INSIDE_WORD = /(?<=\p{Ll})\p{Lu}(?![\p{Lu}\d])/gu;
const hasMark = (letter: string): boolean => letter.normalize('NFD').length > 1 || letter === 'Đ';
/** The "I" of a Roman numeral read as a bracket or bar ("quý [V" for "quý IV"): never a bracket before a lone V or X. */
const BRACKETED_NUMERAL = /^[[|](I{0,2}[VX]|II)(?=[.,;:)]?$)/;
export const ocrWordText = (text: string): string =>
  text
    .replace(JOINED_LIST_MARKER, '$1. ')
    .replace(CAPITAL_INSIDE_WORD, (capital) => (hasMark(capital) ? capital.toLowerCase() : capital))
    .replace(BRACKETED_NUMERAL, 'I$1')
    // the list marker "c)" read as a copyright sign
    .replace(/^©(?=\)$)/, 'c')
    // a list dash read as a tilde: a lone "~" is never text in these documents
    .replace(/^~$/, '-');

/** Tesseract's TSV levels: a row per page, block, paragraph, line and word. */
const TSV_LINE_LEVEL = '4';
const TSV_WORD_LEVEL = '5';

/** Lines of words with boxes and confidences, from Tesseract's TSV (a row per element, no header). */
function tsvLines(tsv: string): Array<{ bbox: OcrLine['bbox']; words: Array<PositionedWord & OcrWord> }> {
  const lines: Array<{ bbox: OcrLine['bbox']; words: Array<PositionedWord & OcrWord> }> = [];
  for (const row of tsv.split('\n')) {
    const [level, , , , , , left, top, width, height, conf, text] = row.split('\t');
    if (level !== TSV_LINE_LEVEL && level !== TSV_WORD_LEVEL) continue;
    const x0 = Number(left);
    const y0 = Number(top);
    const bbox = { x0, y0, x1: x0 + Number(width), y1: y0 + Number(height) };
    if (level === TSV_LINE_LEVEL) lines.push({ bbox, words: [] });
    else if (text?.trim()) lines.at(-1)?.words.push({ text: ocrWordText(text), bbox, confidence: Number(conf) / 100 });
  }
  return lines;
}

function toOcrResult(tsv: string, pageWidth: number): OcrResult {
  const lines: OcrLine[] = [];
  const words: OcrWord[] = [];
  const positioned: PositionedWord[][] = [];
  for (const line of tsvLines(tsv)) {
    const text = line.words.map((w) => w.text).join(' ').trim();
    if (!text) continue;
    lines.push({ text, confidence: line.words.reduce((s, w) => s + w.confidence, 0) / line.words.length, bbox: line.bbox });
    positioned.push(line.words);
    for (const w of line.words) words.push({ text: w.text, confidence: w.confidence });
  }
  const confidence = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 0;
  return { text: readingOrder(positioned, pageWidth).join('\n').normalize('NFC'), confidence, lines, words };
}
