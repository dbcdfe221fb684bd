// Administrative units of Viet Nam (dictionaries/extract-places.json, built from the dvhcvn package
// by scripts/build-extract-places.ts): finds the province a city, district or commune belongs to.
import type { Locality } from '../schema/index.js';
import { loadDictionary } from './dictionaries.js';
import { countPhrase, foldPhrase } from './text.js';

export type Level = Locality['level'];

interface PlacesFile {
  provinces: { name: string; level: Level; districts: [string, Level][]; communes: [string, Level, number][] }[];
}

export interface Place {
  name: string;
  level: Level;
  province: string;
  district: string | null;
}

let index: Map<string, Place[]> | null = null;

function places(): Map<string, Place[]> {
  if (index) return index;
  index = new Map();
  const add = (p: Place) => {
    const key = foldPhrase(p.name);
    index!.set(key, [...(index!.get(key) ?? []), p]);
  };
  for (const prov of loadDictionary<PlacesFile>('extract-places.json').provinces) {
    add({ name: prov.name, level: prov.level, province: prov.name, district: null });
    for (const [name, level] of prov.districts) add({ name, level, province: prov.name, district: null });
    for (const [name, level, di] of prov.communes) add({ name, level, province: prov.name, district: prov.districts[di]?.[0] ?? null });
  }
  return index;
}

/** Units with this name (diacritics and case ignored), optionally of the given levels. */
export function findPlaces(name: string, levels?: Level[]): Place[] {
  const found = places().get(foldPhrase(name)) ?? [];
  return levels ? found.filter((p) => levels.includes(p.level)) : found;
}

/** Province-level units (tỉnh and thành phố trực thuộc trung ương). */
export function provinces(): Place[] {
  return [...places().values()].flat().filter((p) => p.level === 'tinh' || p.level === 'thanh_pho_tw');
}

/**
 * The unit a document names, disambiguated by how often the document mentions each candidate's
 * province and district ("xã Tân Lập" exists in many provinces).
 */
export function resolvePlace(name: string, levels: Level[], foldedDocument: string): Place | null {
  const candidates = findPlaces(name, levels);
  if (candidates.length <= 1) return candidates[0] ?? null;
  let best: Place | null = null;
  let bestScore = -1;
  for (const c of candidates) {
    const score =
      countPhrase(foldedDocument, foldPhrase(c.province)) * 2 + (c.district ? countPhrase(foldedDocument, foldPhrase(c.district)) : 0);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
