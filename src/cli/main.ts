// Command line: `plans process|text|repair|schema` (queue commands and `serve` register their own). Each command only parses its arguments
// and calls the pipeline (process.ts prints the per-file summary lines).
import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../errors/index.js';
import { planRecordJsonSchema } from '../schema/index.js';
import { processFiles } from './process.js';
import { Pipeline } from '../pipeline/index.js';
import { readInput } from './input.js';
import { positiveInt, registerQueueCommands } from './queue-commands.js';
import { registerServeCommand } from './serve-command.js';

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
    const pipeline = new Pipeline();
    process.stdout.write(pipeline.repair(text.normalize('NFC')));
    await pipeline.close();
  });

program
  .command('schema')
  .description('print the record format as JSON Schema')
  .action(() => {
    process.stdout.write(JSON.stringify(planRecordJsonSchema(), null, 2) + '\n');
  });

registerQueueCommands(program);
registerServeCommand(program);

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
