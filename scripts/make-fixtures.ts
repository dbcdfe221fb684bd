// Rebuilds the small test fixtures in tests/fixtures from ../shared/samples.
// Needs qpdf (Debian package) for the encrypted fixture.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const shared = path.resolve(process.argv[2] ?? '../shared');
const out = path.resolve('tests/fixtures');

async function firstPage(sample: string, target: string): Promise<Uint8Array> {
  const source = await PDFDocument.load(await readFile(path.join(shared, 'samples', sample)));
  const doc = await PDFDocument.create();
  const [page] = await doc.copyPages(source, [0]);
  doc.addPage(page!);
  const bytes = await doc.save();
  await writeFile(path.join(out, target), bytes);
  return bytes;
}

const scan = await firstPage('002-office200.pdf', 'scan-page.pdf');
await firstPage('002-textlayer.pdf', 'textlayer-page.pdf');
await writeFile(path.join(out, 'truncated.pdf'), scan.subarray(0, Math.floor(scan.length / 3)));
await writeFile(path.join(out, 'empty.pdf'), new Uint8Array());
await writeFile(path.join(out, 'not-a-pdf.pdf'), 'This is a plain text file with a .pdf name.\n');

// a born-digital page (drawn text, no image): exercises rendering
const vector = await PDFDocument.create();
const font = await vector.embedFont(StandardFonts.Helvetica);
const page = vector.addPage([595, 842]);
page.drawText('KE HOACH 12/KH-UBND', { x: 72, y: 760, size: 16, font });
page.drawText('Test page drawn as vectors.', { x: 72, y: 730, size: 12, font });
await writeFile(path.join(out, 'vector-page.pdf'), await vector.save());

execFileSync('qpdf', ['--encrypt', 'user-secret', 'owner-secret', '256', '--', path.join(out, 'vector-page.pdf'), path.join(out, 'encrypted.pdf')]);
console.log(`fixtures written to ${out}`);
