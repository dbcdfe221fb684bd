// Command line: every `plans` command and its arguments. Each action loads its implementation when
// it runs, so a command starts without the modules of the others (the queue's Redis client and
// the HTTP server are not loaded to print a schema or read a PDF), and calls the pipeline or the queue.
import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../errors/index.js';
import { defaultConcurrency } from '../queue/config.js';
import { port, positiveInt, priority } from './arguments.js';
import type { EnqueueCommandOptions } from './queue-commands.js';

const program = new Command()
  .name('plans')
  .description('Scanned Vietnamese plans (Kế hoạch) in, validated JSON records of targets, deadlines and awards out')
  .showHelpAfterError();

program
  .command('process')
  .description('read PDFs or text files and write one JSON record each')
  .argument('<files...>', 'PDF or .txt files')
  .option('-o, --out <dir>', 'folder for the records', 'out')
  .option('--ocr-workers <n>', 'tesseract workers (default: one per core)', positiveInt)
  .option('--force-ocr', 'OCR every page even where the PDF has a usable text layer')
  .option('--debug <dir>', 'write the prepared page images (PNG) to DIR/<file>/')
  .action(async (files: string[], opts: { out: string; ocrWorkers?: number; forceOcr?: boolean; debug?: string }) => {
    const { processFiles } = await import('./process.js');
    const failed = await processFiles(files, {
      outDir: opts.out,
      pipeline: { ocr: opts.ocrWorkers ? { workers: opts.ocrWorkers } : {}, forceOcr: Boolean(opts.forceOcr), debugDir: opts.debug ?? null },
    });
    process.exitCode = failed > 0 ? 1 : 0;
  });

program
  .command('text')
  .description("print a document's text after repair, pages in order")
  .argument('<file>', 'PDF or .txt file')
  .option('--raw', 'print the text before repair')
  .option('--force-ocr', 'OCR every page even where the PDF has a usable text layer')
  .action(async (file: string, opts: { raw?: boolean; forceOcr?: boolean }) => {
    const [{ Pipeline }, { readInput }] = await Promise.all([import('../pipeline/index.js'), import('./input.js')]);
    const pipeline = new Pipeline({ forceOcr: Boolean(opts.forceOcr) });
    try {
      const { pages } = await pipeline.readDocument(await readInput(file));
      process.stdout.write(pages.map((p) => (opts.raw ? p.raw : p.text)).join('\n') + '\n');
    } finally {
      await pipeline.close();
    }
  });

program
  .command('repair')
  .description('repair broken Vietnamese diacritics; prints exactly as many lines as it reads')
  .argument('[file]', 'text file (default: standard input)')
  .action(async (file?: string) => {
    const text = file ? await readFile(file, 'utf8') : await readStdin();
    const { Pipeline } = await import('../pipeline/index.js');
    const pipeline = new Pipeline({ warmUpRepair: true });
    process.stdout.write(pipeline.repair(text.normalize('NFC')));
    await pipeline.close();
  });

program
  .command('schema')
  .description('print the record format as JSON Schema')
  .action(async () => {
    const { planRecordJsonSchema } = await import('../schema/index.js');
    process.stdout.write(JSON.stringify(planRecordJsonSchema(), null, 2) + '\n');
  });

program
  .command('worker')
  .description('process queued documents until SIGTERM/SIGINT (REDIS_URL, default redis://127.0.0.1:6379)')
  .option('-c, --concurrency <n>', `jobs at once, and OCR threads (default: one per core, here ${defaultConcurrency()})`, positiveInt)
  .action(async (opts: { concurrency?: number }) => {
    const { workerCommand } = await import('./queue-commands.js');
    await workerCommand(opts);
  });

program
  .command('enqueue')
  .description('put PDFs or text files (folders: recursively) on the queue; with --wait, write their records as they finish')
  .argument('<paths...>', 'files or folders')
  .option('-w, --wait', 'wait for the documents, showing progress, and write their records')
  .option('-o, --out <dir>', 'folder for the records (with --wait)', 'out')
  .option('-p, --priority <n>', '1 runs first (default 100)', priority)
  .option('-f, --force', 'process again documents already processed or queued')
  .action(async (paths: string[], opts: EnqueueCommandOptions) => {
    const { enqueueCommand } = await import('./queue-commands.js');
    process.exitCode = await enqueueCommand(paths, opts);
  });

program
  .command('status')
  .description('job counts per state, or one document job (by job id or sha256)')
  .argument('[jobId]', 'a document job id, or a document sha256')
  .option('--json', 'print as JSON (with the whole record, for one job)')
  .action(async (jobId: string | undefined, opts: { json?: boolean }) => {
    const { statusCommand } = await import('./queue-commands.js');
    process.exitCode = await statusCommand(jobId, opts);
  });

program
  .command('serve')
  .description('HTTP API: upload documents to the queue, follow them, fetch their records (REDIS_URL)')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <n>', 'port to listen on (1-65535)', port, 3000)
  .action(async (opts: { host: string; port: number }) => {
    const { serveCommand } = await import('./serve-command.js');
    await serveCommand(opts);
  });

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// `plans text big.pdf | head`: a closed pipe ends the output, it is not an error
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`plans: ${errorMessage(err)}\n`);
  process.exitCode = 1;
});
