// Error analysis of the repair stage, on the folds of the benchmark (scripts/bench-repair.ts):
// every OCR chunk whose repair (its final reading: document prior and document channel included)
// differs from the gold, classified by why: the gold reading was
// among the lattice's alternatives and the search chose another ('choice'), or it never was
// ('missing': one syllable the channel does not reach, 'glued' several gold syllables in one
// chunk, 'split' one gold syllable over several chunks), with the channel cost of the gold reading.
// Usage: npx tsx scripts/repair-errors.ts --doc ID [--half 1|2] [--list N] [--model DIR]
//   --model DIR: the fold's model is built into DIR once and reused (decoder changes only).

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alignLine } from '../src/repair/align.js';
import { buildRepairData, writeRepairData } from '../src/repair/build.js';
import { damageMode } from '../src/repair/decode.js';
import { loadRepairModel, repairReading } from '../src/repair/index.js';
import { defaultSharedDir } from '../src/repair/paths.js';
import { readGoldDocuments, readRepairSources } from '../src/repair/sources.js';
import { splitChunk, splitLine } from '../src/repair/tokenize.js';
import { canonicalSyllable, channelForm, splitTone } from '../src/repair/vietnamese.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A token as the shared evaluator compares it: lowercase, tone placement ignored. */
function key(token: string): string {
  const { tone, bare } = splitTone(token.toLowerCase());
  return bare + '|' + tone;
}

function tokens(text: string): string[] {
  return text
    .normalize('NFC')
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter(Boolean);
}

/** Tokens of b matching tokens of a along a longest common subsequence (the evaluator's matches, near enough). */
function matches(a: string[], b: string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const cur = [0];
    for (let j = 1; j <= b.length; j++) cur.push(x === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!));
    prev = cur;
  }
  return prev[b.length]!;
}

function sameReading(a: string, b: string): boolean {
  const x = tokens(a).map(key);
  const y = tokens(b).map(key);
  return x.length === y.length && x.every((t, i) => t === y[i]);
}

const sharedDir = option('--shared') ?? defaultSharedDir();
const docId = option('--doc') ?? '000a';
const half = option('--half');
const listed = Number(option('--list') ?? 60);
const docs = readGoldDocuments(sharedDir);
const doc = docs.find((d) => d.id.startsWith(docId));
if (!doc) throw new Error(`no gold document ${docId}`);
const sources = readRepairSources(sharedDir, [doc.id]);
let ocr = doc.ocr;
let text = doc.text;
if (half) {
  const ocrLines = doc.ocr.split('\n');
  const textLines = doc.text.split('\n');
  const middle = Math.floor(textLines.length / 2);
  const [scored, trained] = half === '1' ? [[0, middle], [middle, textLines.length]] : [[middle, textLines.length], [0, middle]];
  sources.gold.push({ id: `${doc.id}-other-half`, ocr: ocrLines.slice(trained[0], trained[1]).join('\n'), text: textLines.slice(trained[0], trained[1]).join('\n') });
  ocr = ocrLines.slice(scored[0], scored[1]).join('\n');
  text = textLines.slice(scored[0], scored[1]).join('\n');
}
const kept = option('--model');
const work = kept ?? mkdtempSync(join(tmpdir(), 'repair-errors-'));
try {
  if (!kept || !existsSync(join(kept, 'channel.json'))) writeRepairData(work, buildRepairData(sources));
  const model = loadRepairModel(work);
  const mode = damageMode(ocr, model);
  const { lattice, choices } = repairReading(ocr.normalize('NFC'), model);
  const goldLines = text.split('\n');
  const byLine = new Map<number, number[]>();
  lattice.forEach((chunk, k) => byLine.set(chunk.line, [...(byLine.get(chunk.line) ?? []), k]));

  const classes = new Map<string, number>();
  const examples: string[] = [];
  let goldSyllables = 0;
  let matched = 0;
  ocr.split('\n').forEach((line, i) => {
    const gold = goldLines[i] ?? '';
    if (!tokens(gold).length) return;
    goldSyllables += tokens(gold).length;
    const chunkIds = byLine.get(i) ?? [];
    const repaired = chunkIds.map((k) => lattice[k]!.alternatives[choices[k]!]!.text).join(' ');
    matched += matches(tokens(gold).map(key), tokens(repaired).map(key));
    const chunks = splitLine(line.normalize('NFC').trim()).chunks.filter(Boolean);
    let next = 0;
    for (const pair of alignLine(line, gold).pairs) {
      const width = pair.ocr.split(' ').length;
      while (next < chunks.length && chunks.slice(next, next + width).join(' ') !== pair.ocr) next++;
      const ids = chunkIds.slice(next, next + width);
      next += width;
      const output = ids.map((k) => lattice[k]!.alternatives[choices[k]!]!.text).join(' ');
      if (sameReading(output, pair.gold)) continue;
      const wrong = Math.max(1, tokens(pair.gold).length);
      let cls: string;
      let detail = '';
      if (pair.kind === 'split') cls = 'split';
      else {
        const chunk = lattice[ids[0]!]!;
        const goldCore = splitChunk(pair.gold).core;
        const present = chunk.alternatives.find((a) => sameReading(a.text, goldCore));
        const goldCount = tokens(goldCore).length;
        if (present) {
          cls = `choice (${goldCount === 1 ? 'one syllable' : `${goldCount} glued`})`;
          const chosen = chunk.alternatives[choices[ids[0]!]!]!;
          detail = `gold cost ${present.cost.toFixed(1)} chosen cost ${chosen.cost.toFixed(1)}`;
        } else if (goldCount >= 2) cls = `missing: ${goldCount} glued`;
        else {
          const syllable = model.syllables.indexOf(canonicalSyllable(goldCore.toLowerCase()));
          if (syllable < 0) cls = 'missing: not a syllable of the inventory';
          else {
            const form = channelForm(chunk.core);
            const cost = model.readingCost(model.segmentsOf(form), syllable, mode, 1000);
            const lengths = `${[...form].length}→${[...goldCore].length}`;
            cls = cost === Infinity ? `missing: unreachable` : cost > 16 ? 'missing: cost > 16' : 'missing: cost ≤ 16';
            detail = `cost ${cost === Infinity ? '∞' : cost.toFixed(1)} lengths ${lengths}`;
          }
        }
      }
      classes.set(cls, (classes.get(cls) ?? 0) + wrong);
      examples.push(`${cls.padEnd(34)} ${pair.ocr.padEnd(18)} → ${output.padEnd(18)} gold ${pair.gold.padEnd(18)} ${detail}`);
    }
  });
  const errors = [...classes.values()].reduce((a, b) => a + b, 0);
  console.log(`${doc.id}${half ? ` half ${half}` : ''}: ${goldSyllables} gold syllables, accuracy ${((matched / goldSyllables) * 100).toFixed(2)}%, ~${errors} in wrong chunks (mode ${mode})`);
  for (const [cls, count] of [...classes].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(5)}  ${cls}`);
  for (const e of examples.slice(0, listed)) console.log(e);
} finally {
  if (!kept) rmSync(work, { recursive: true, force: true });
}
