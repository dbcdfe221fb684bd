// build:ocr-model — dictionaries/tessdata_fast/vie.traineddata.gz, the "fast" Vietnamese LSTM model
// (tesseract-ocr/tessdata_fast 4.1.0, Apache-2.0), taken from Debian's tesseract-ocr-vie package
// (1:4.1.0-2: `apt-get install tesseract-ocr-vie`), checked against the sha256 it was built from.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { packageRoot } from '../src/paths.js';

const source = '/usr/share/tesseract-ocr/5/tessdata/vie.traineddata';
const sourceSha256 = '79df64caf7bcfb2a27df5042ecb6121e196eada34da774956995747636d5bfa1';

const model = await readFile(source);
const sha256 = createHash('sha256').update(model).digest('hex');
if (sha256 !== sourceSha256) throw new Error(`${source}: sha256 ${sha256}, expected ${sourceSha256} (another version of tesseract-ocr-vie?)`);
const target = path.join(packageRoot(), 'dictionaries', 'tessdata_fast', 'vie.traineddata.gz');
await mkdir(path.dirname(target), { recursive: true });
await writeFile(target, gzipSync(model, { level: 9 }));
console.log(`${target}: ${model.length} bytes from ${source}`);
