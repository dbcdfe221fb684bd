// OCR stage: a pool of tesseract.js workers with the Vietnamese model, kept warm across
// documents, so the pages of a document are read in parallel.
import { createWorker, OEM, PSM, type Page, type Worker } from 'tesseract.js';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../paths.js';
import { readingOrder, type PositionedWord } from './layout.js';

export type ModelVariant = 'best_int' | 'standard';

export interface OcrOptions {
  /** Number of tesseract workers; each holds a model (~100 MB) and uses one core. */
  workers: number;
  model: ModelVariant;
  /** Page segmentation: AUTO finds columns (two-column header, signature block) as separate blocks. */
  pageSegMode: PSM;
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
  model: 'best_int',
  pageSegMode: PSM.AUTO,
};

const modelDirs: Record<ModelVariant, string> = { best_int: '4.0.0_best_int', standard: '4.0.0' };

function modelPath(variant: ModelVariant): string {
  const vieRoot = path.dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/vie/package.json'));
  return path.join(vieRoot, modelDirs[variant]);
}

/** One tesseract worker and the resolution it was last told: noise filtering depends on it. */
interface PooledWorker {
  worker: Worker;
  dpi: number | null;
}

export interface PageImageForOcr {
  /** PGM, PNG or JPEG bytes. */
  image: Buffer;
  width: number;
  dpi: number;
}

export class OcrPool {
  private idle: PooledWorker[] = [];
  private all: PooledWorker[] = [];
  private waiting: ((worker: PooledWorker) => void)[] = [];
  private starting: Promise<void> | null = null;
  readonly options: OcrOptions;

  constructor(options: Partial<OcrOptions> = {}) {
    this.options = { ...defaultOcrOptions, ...options };
  }

  /** Reads one prepared page on the next free worker. */
  async recognize(page: PageImageForOcr): Promise<OcrResult> {
    const pooled = await this.acquire();
    try {
      if (pooled.dpi !== page.dpi) {
        // measured: a wrong resolution costs up to 20 points of accuracy on noisy 150 dpi scans
        await pooled.worker.setParameters({ user_defined_dpi: String(page.dpi) });
        pooled.dpi = page.dpi;
      }
      const result = await pooled.worker.recognize(page.image, {}, { text: true, blocks: true });
      return toOcrResult(result.data, page.width);
    } finally {
      this.release(pooled);
    }
  }

  /** Starts the workers now rather than on the first page (loading the model takes seconds). */
  async warmUp(): Promise<void> {
    this.starting ??= this.start();
    await this.starting;
  }

  async close(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    const workers = this.all;
    this.all = [];
    this.idle = [];
    this.starting = null;
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private async acquire(): Promise<PooledWorker> {
    await this.warmUp();
    const free = this.idle.pop();
    if (free) return free;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(pooled: PooledWorker): void {
    if (!this.all.includes(pooled)) return; // the pool was closed meanwhile
    const next = this.waiting.shift();
    if (next) next(pooled);
    else this.idle.push(pooled);
  }

  private async start(): Promise<void> {
    const langPath = modelPath(this.options.model);
    const workers = await Promise.all(
      Array.from({ length: this.options.workers }, async () => {
        // cacheMethod "none": the model is read from node_modules every time, never fetched or cached elsewhere
        const worker = await createWorker('vie', OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true, workerPath: quietWorkerPath() });
        await worker.setParameters({ tessedit_pageseg_mode: this.options.pageSegMode, debug_file: '/dev/null' });
        return { worker, dpi: null };
      }),
    );
    this.all = workers;
    this.idle = [...workers];
  }
}

function quietWorkerPath(): string {
  return path.join(packageRoot(), 'src', 'ocr', 'quiet-worker.cjs');
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
