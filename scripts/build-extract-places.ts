// Builds dictionaries/extract-places.json, the compact place-name list the extraction stage uses to
// find the province of a city, district or commune (units as they were before the 2025 mergers).
// Source: the dvhcvn package (dev dependency). Run: npx tsx scripts/build-extract-places.ts
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { level1s, Type } from 'dvhcvn';

const levelOfType: Record<number, string> = {
  [Type.tinh]: 'tinh',
  [Type.tptw]: 'thanh_pho_tw',
  [Type.tp]: 'thanh_pho',
  [Type.thi_xa]: 'thi_xa',
  [Type.huyen]: 'huyen',
  [Type.quan]: 'quan',
  [Type.xa]: 'xa',
  [Type.phuong]: 'phuong',
  [Type.thi_tran]: 'thi_tran',
};

/** "Thành phố Hà Tiên" -> "Hà Tiên": the unit's own name without its type word. */
function bareName(name: string): string {
  return name
    .normalize('NFC')
    .replace(/^(Thành phố|Tỉnh|Huyện|Quận|Thị xã|Thị trấn|Phường|Xã)\s+/u, '')
    .trim();
}

const provinces = level1s.map((p) => {
  const districts = p.children ?? [];
  return {
    name: bareName(p.name),
    level: levelOfType[p.type],
    districts: districts.map((d) => [bareName(d.name), levelOfType[d.type]]),
    // [name, level, index of its district in `districts`]
    communes: districts.flatMap((d, di) => (d.children ?? []).map((c) => [bareName(c.name), levelOfType[c.type], di])),
  };
});

const out = {
  source: 'dvhcvn 1.2.20250301: provinces, districts and communes of Viet Nam before the 2025 reorganisation',
  provinces,
};
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const file = path.join(root, 'dictionaries', 'extract-places.json');
fs.mkdirSync(path.dirname(file), { recursive: true });
// One province per line keeps the file diffable while staying compact.
const body = provinces.map((p) => '    ' + JSON.stringify(p)).join(',\n');
fs.writeFileSync(file, `{\n  "source": ${JSON.stringify(out.source)},\n  "provinces": [\n${body}\n  ]\n}\n`);
console.log(`wrote ${file}: ${provinces.length} provinces, ${provinces.reduce((n, p) => n + p.communes.length, 0)} communes`);
