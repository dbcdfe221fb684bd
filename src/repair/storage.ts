// Compact binary container for the language model: a JSON header (vocabulary, array layout)
// followed by the raw typed arrays, so loading is one read and a few zero-copy views.

import { readFileSync, writeFileSync } from 'node:fs';
import type { LmArrays } from './lm.js';

type ArrayName = Exclude<keyof LmArrays, 'vocab'>;
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
  format: 'vn-repair-lm/1';
  vocab: string[];
  arrays: Record<ArrayName, { type: 'f32' | 'u32'; offset: number; length: number }>;
}

export function writeLanguageModel(path: string, lm: LmArrays): void {
  let offset = 0;
  const layout = {} as Header['arrays'];
  for (const name of ARRAY_NAMES) {
    const arr = lm[name];
    layout[name] = { type: arr instanceof Float32Array ? 'f32' : 'u32', offset, length: arr.length };
    offset += arr.byteLength;
  }
  const header: Header = { format: 'vn-repair-lm/1', vocab: lm.vocab, arrays: layout };
  let headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (4 - ((4 + headerBytes.length) % 4)) % 4;
  headerBytes = Buffer.concat([headerBytes, Buffer.alloc(pad, 0x20)]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(headerBytes.length, 0);
  const body = ARRAY_NAMES.map((name) => Buffer.from(lm[name].buffer, lm[name].byteOffset, lm[name].byteLength));
  writeFileSync(path, Buffer.concat([size, headerBytes, ...body]));
}

export function readLanguageModel(path: string): LmArrays {
  const file = readFileSync(path);
  const headerLength = file.readUInt32LE(0);
  const header = JSON.parse(file.subarray(4, 4 + headerLength).toString('utf8')) as Header;
  if (header.format !== 'vn-repair-lm/1') throw new Error(`${path}: unknown language model format`);
  // Copy the body into a fresh, aligned ArrayBuffer: Buffer pools may not be 4-byte aligned.
  const body = new Uint8Array(file.length - 4 - headerLength);
  body.set(file.subarray(4 + headerLength));
  const view = (name: ArrayName) => {
    const { type, offset, length } = header.arrays[name];
    return type === 'f32' ? new Float32Array(body.buffer, offset, length) : new Uint32Array(body.buffer, offset, length);
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
