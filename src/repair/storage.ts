// Compact binary container for the language model: a JSON header (vocabulary, array layout)
// followed by the raw typed arrays, so loading is one read and a few views. Log-probabilities
// are stored as 16-bit integers in thousandths of a nat (ample precision, half the size).

import { readFileSync, writeFileSync } from 'node:fs';
import type { LmArrays } from './lm.js';

type ArrayName = Exclude<keyof LmArrays, 'vocab'>;
const LOG_SCALE = 1000;
const ARRAY_NAMES: ArrayName[] = [
  'unigramLogProb',
  'unigramBackoff',
  'bigramKeys',
  'bigramLogProb',
  'bigramBackoff',
  'trigramContext',
  'trigramWord',
  'trigramLogProb',
];

interface Header {
  format: 'vn-repair-lm/2';
  vocab: string[];
  arrays: Record<ArrayName, { type: 'q16' | 'u32'; offset: number; length: number }>;
}

export function writeLanguageModel(path: string, lm: LmArrays): void {
  let offset = 0;
  const layout = {} as Header['arrays'];
  const stored = ARRAY_NAMES.map((name) => {
    const arr = lm[name];
    const data = arr instanceof Float32Array ? Int16Array.from(arr, (x) => Math.max(-32767, Math.min(32767, Math.round(x * LOG_SCALE)))) : arr;
    layout[name] = { type: arr instanceof Float32Array ? 'q16' : 'u32', offset, length: arr.length };
    // Keep every array 4-byte aligned.
    offset += Math.ceil(data.byteLength / 4) * 4;
    return data;
  });
  const header: Header = { format: 'vn-repair-lm/2', vocab: lm.vocab, arrays: layout };
  let headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (4 - ((4 + headerBytes.length) % 4)) % 4;
  headerBytes = Buffer.concat([headerBytes, Buffer.alloc(pad, 0x20)]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(headerBytes.length, 0);
  const body = stored.map((data) => {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const pad = Math.ceil(bytes.length / 4) * 4 - bytes.length;
    return pad ? Buffer.concat([bytes, Buffer.alloc(pad)]) : bytes;
  });
  writeFileSync(path, Buffer.concat([size, headerBytes, ...body]));
}

export function readLanguageModel(path: string): LmArrays {
  const file = readFileSync(path);
  const headerLength = file.readUInt32LE(0);
  const header = JSON.parse(file.subarray(4, 4 + headerLength).toString('utf8')) as Header;
  if (header.format !== 'vn-repair-lm/2') throw new Error(`${path}: unknown language model format`);
  // Copy the body into a fresh, aligned ArrayBuffer: Buffer pools may not be 4-byte aligned.
  const body = new Uint8Array(file.length - 4 - headerLength);
  body.set(file.subarray(4 + headerLength));
  const view = (name: ArrayName) => {
    const { type, offset, length } = header.arrays[name];
    if (type === 'u32') return new Uint32Array(body.buffer, offset, length);
    return Float32Array.from(new Int16Array(body.buffer, offset, length), (q) => q / LOG_SCALE);
  };
  return {
    vocab: header.vocab,
    unigramLogProb: view('unigramLogProb') as Float32Array,
    unigramBackoff: view('unigramBackoff') as Float32Array,
    bigramKeys: view('bigramKeys') as Uint32Array,
    bigramLogProb: view('bigramLogProb') as Float32Array,
    bigramBackoff: view('bigramBackoff') as Float32Array,
    trigramContext: view('trigramContext') as Uint32Array,
    trigramWord: view('trigramWord') as Uint32Array,
    trigramLogProb: view('trigramLogProb') as Float32Array,
  };
}
