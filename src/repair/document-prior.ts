// The document as its own evidence: a cache model (Kuhn and De Mori, 1990) over the marked forms
// of the same letters. How the first reading of a document chose among "tỉnh", "tính", "tình"
// makes the same choice likelier wherever the context alone does not settle it ("thuộc tinh;").
import { contextsAlong, decodeLattice, START_CONTEXT, withAlternatives, type ChunkLattice } from './decode.js';
import type { RepairModel } from './model.js';
import { stripMarks } from './vietnamese.js';

/** Weight of the prior's log-probability beside the language model's (measured: 0.5 and 2 no better). */
const CACHE_WEIGHT = 1;
/** Added to every count: a form read once among many is unlikely, not impossible. */
const CACHE_SMOOTHING = 1;
/**
 * A chunk is decoded again only if the prior favours, by more than PRIOR_MARGIN nats, an
 * alternative within COST_MARGIN of the channel cost of its first reading (measured on the bench
 * folds: the same accuracy as decoding everything again, for a quarter of the work).
 */
const PRIOR_MARGIN = 1;
const COST_MARGIN = 2;
const groupsOfModel = new WeakMap<RepairModel, Int32Array>();

/** The group (same letters without marks) of every LM id that is a syllable, -1 for other ids. */
function markGroups(model: RepairModel): Int32Array {
  let groups = groupsOfModel.get(model);
  if (!groups) {
    groups = new Int32Array(model.lm.size).fill(-1);
    const ids = new Map<string, number>();
    model.syllables.forEach((syllable, i) => {
      const skeleton = stripMarks(syllable);
      if (!ids.has(skeleton)) ids.set(skeleton, ids.size);
      groups![model.syllableLmId[i]!] = ids.get(skeleton)!;
    });
    groupsOfModel.set(model, groups);
  }
  return groups;
}

/** log P(form | its letters) in the document's first reading, smoothed, by LM id; 0 for other ids. */
export function documentPrior(lattice: ChunkLattice[], choices: number[], model: RepairModel): Float64Array {
  const groups = markGroups(model);
  const counts = new Float64Array(model.lm.size);
  const groupCounts = new Map<number, number>();
  lattice.forEach((chunk, i) => {
    for (const id of chunk.alternatives[choices[i]!]!.lmIds) {
      const group = groups[id]!;
      if (group < 0) continue;
      counts[id]!++;
      groupCounts.set(group, (groupCounts.get(group) ?? 0) + 1);
    }
  });
  const prior = new Float64Array(model.lm.size);
  for (let id = 0; id < prior.length; id++) {
    const group = groups[id]!;
    const total = group < 0 ? 0 : groupCounts.get(group) ?? 0;
    if (total > 0) prior[id] = CACHE_WEIGHT * Math.log((counts[id]! + CACHE_SMOOTHING) / (total + CACHE_SMOOTHING));
  }
  return prior;
}

/** The prior's log-probability summed over an alternative's tokens. */
function priorOf(alternative: ChunkLattice['alternatives'][number], prior: Float64Array): number {
  let sum = 0;
  for (let t = 0; t < alternative.lmIds.length; t++) sum += prior[alternative.lmIds[t]!]!;
  return sum;
}

/** Chunks on each side of a chunk the document's prior may read otherwise that are decoded again with it. */
const WINDOW = 2;

/**
 * Decodes the document twice: once with the language model alone, then, around every chunk where
 * the document's prior (from that first reading) prefers another plausible alternative, again
 * with the prior.
 */
export function decodeWithDocumentPrior(lattice: ChunkLattice[], model: RepairModel): number[] {
  return decodeTwice(lattice, model, 0);
}

/** Chunks apart of those the warm-up decodes again whatever the prior says. */
const WARM_UP_SPACING = 8;

/**
 * decodeWithDocumentPrior for the load-time warm-up: its synthetic pages repeat no word, so the
 * prior alone would never send them to the second pass, and the first real page would be the
 * first to run the search with a prior and a window's context (the compiler drops the code it
 * optimised without them).
 */
export function warmUpDocumentPrior(lattice: ChunkLattice[], model: RepairModel): number[] {
  return decodeTwice(lattice, model, WARM_UP_SPACING);
}

/**
 * The two decodings; every `spacing`-th chunk (none if 0) is sent to the second pass besides those
 * the prior sends (a number, not a callback: the warm-up's callback and the real one at the same
 * call site sent the optimised code back to the interpreter on the first real page).
 */
function decodeTwice(lattice: ChunkLattice[], model: RepairModel, spacing: number): number[] {
  const choices = decodeLattice(lattice, model);
  const prior = documentPrior(lattice, choices, model);
  const changeable = lattice.map((chunk, i) => {
    const read = chunk.alternatives[choices[i]!]!;
    const chosen = priorOf(read, prior);
    return (spacing > 0 && i % spacing === spacing / 2) || chunk.alternatives.some((a) => a.cost <= read.cost + COST_MARGIN && priorOf(a, prior) > chosen + PRIOR_MARGIN);
  });
  return decodeAgainAround(lattice, choices, changeable, model, prior);
}

/**
 * `choices` with the windows around the changeable chunks decoded again (with the prior). Each
 * window starts in the first reading's LM context and ends on two chunks held to their first
 * reading, so it joins the rest of the first reading seamlessly.
 */
export function decodeAgainAround(lattice: ChunkLattice[], choices: number[], changeable: boolean[], model: RepairModel, prior: Float64Array): number[] {
  const contexts = contextsAlong(lattice, choices, model);
  // where the last window ended: the first reading's contexts hold again from there
  let settled = 0;
  for (let i = 0; i < lattice.length; i++) {
    if (!changeable[i]) continue;
    const from = Math.max(settled, i - WINDOW);
    // extend the window while changeable chunks follow within reach
    let last = i;
    for (let j = i + 1; j < lattice.length && j <= last + WINDOW; j++) if (changeable[j]) last = j;
    const to = Math.min(lattice.length, last + WINDOW + 1);
    const held = Math.min(2, to - last - 1);
    // built by push, as buildLattice builds a lattice: the search reads one kind of array
    const window: ChunkLattice[] = [];
    for (let k = from; k < to; k++) window.push(k >= to - held ? withAlternatives(lattice[k]!, [lattice[k]!.alternatives[choices[k]!]!]) : lattice[k]!);
    const decoded = decodeLattice(window, model, prior, from > 0 ? contexts[from - 1]! : START_CONTEXT);
    decoded.forEach((c, k) => {
      if (from + k < to - held) choices[from + k] = c;
    });
    settled = to;
    i = to - 1;
  }
  return choices;
}
