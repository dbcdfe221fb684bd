// Awards: every tier of recognition the plan offers (Huân chương, Cờ thi đua, Chiến sĩ thi đua,
// Bằng khen, Giấy khen, named titles), with its grantor and the grantor's level, merged across the
// plan's mentions, ranked by prestige, with the occasions (hằng năm, sơ kết, tổng kết, đột xuất)
// and quotas ("tối đa không quá 05 tập thể và 05 cá nhân") the plan gives.
import type { Award, Locality } from '../schema/index.js';
import { splitSentences } from './sentences.js';
import type { Paragraph } from './structure.js';
import { capitalize, clean, fold, trimClause } from './text.js';

type Kind = Award['kind'];
type Level = NonNullable<Award['grantorLevel']>;
type Occasion = Award['occasions'][number];

interface Grantor {
  text: string;
  level: Level | null;
  /** Length of the grantor phrase in the text it was read from. */
  length: number;
}

const stopWords = /\s+(cho|để|về|đối với|tặng|khen thưởng|theo|trong|do|hoặc|nhằm|có|đã)\s|[;,.(:“"]|$/iu;

/** Level of "Ủy ban nhân dân <unit>" as a grantor, seen from a plan of the given locality. */
function unitLevel(unit: string, locality: Locality | null): Level {
  if (unit === 'tinh') return 'tinh';
  if (unit === 'thanh pho') return locality?.level === 'thanh_pho_tw' || locality?.province === null ? 'tinh' : 'huyen';
  if (unit === 'huyen' || unit === 'thi xa' || unit === 'quan') return 'huyen';
  return 'xa';
}

/** Reads a grantor at the start of `text` ("Thủ tướng Chính phủ", "Chủ tịch UBND tỉnh", ...). */
function readGrantor(text: string, locality: Locality | null): Grantor | null {
  const f = fold(text);
  let m = /^(thu tuong chinh phu|chu tich nuoc|chinh phu)\b/.exec(f);
  if (m) return { text: text.slice(0, m[0].length), level: 'trung_uong', length: m[0].length };
  m = /^(chu tich\s+)?(uy ban nhan dan|ubnd)\s+(tinh|thanh pho|huyen|thi xa|quan|xa|phuong|thi tran)\b/.exec(f);
  if (m) {
    let end = m[0].length;
    // A unit's proper name follows in capitals ("UBND tỉnh Tuyên Quang").
    for (let w = /^\s+\p{Lu}\p{L}*/u.exec(text.slice(end)); w; w = /^\s+\p{Lu}\p{L}*/u.exec(text.slice(end))) end += w[0].length;
    const unitText = text.slice(0, end).replace(/Ủy ban nhân dân/u, 'UBND');
    return { text: unitText, level: unitLevel(m[3]!, locality), length: end };
  }
  m = /^thu truong\s+(?:cac\s+)?(?:co quan|don vi|to chuc|dia phuong|doanh nghiep)(?:\s*,\s*(?:co quan|don vi|to chuc|dia phuong|doanh nghiep))*/.exec(f);
  if (m) return { text: text.slice(0, m[0].length), level: 'co_quan', length: m[0].length };
  m = /^(bo truong|bo|giam doc|truong ban|hieu truong|chanh van phong|chu tich|tinh uy|thanh uy|huyen uy|dang uy|ban thuong vu|ban chap hanh|lien doan lao dong|hoi dong thi dua)\s*\S/.exec(f);
  if (m) {
    const stop = stopWords.exec(text.slice(m[1]!.length));
    const end = m[1]!.length + (stop ? stop.index : text.length);
    const words = trimClause(text.slice(0, end).trim().split(/\s+/).slice(0, 9).join(' '));
    const wf = fold(words);
    const level: Level = /^bo\b|chu tich nuoc|trung uong/.test(wf)
      ? 'trung_uong'
      : /\b(tinh uy|tinh)\b/.test(wf)
        ? 'tinh'
        : /\b(thanh uy|huyen uy|thi uy|huyen|thi xa|quan)\b/.test(wf) || (/\bthanh pho\b/.test(wf) && locality?.level !== 'thanh_pho_tw')
          ? 'huyen'
          : /\b(xa|phuong|thi tran)\b/.test(wf)
            ? 'xa'
            : 'co_quan';
    return { text: words, level, length: words.length };
  }
  return null;
}

const kindOf: [RegExp, Kind][] = [
  [/^huan chuong\b/, 'huan_chuong'],
  [/^co thi dua\b/, 'co_thi_dua'],
  [/^chien si thi dua\b/, 'chien_si_thi_dua'],
  [/^bang khen\b/, 'bang_khen'],
  [/^giay khen\b/, 'giay_khen'],
  [/^danh hieu\s*[“"«]/, 'danh_hieu'],
  [/^ky niem chuong\b/, 'other'],
];

interface Mention {
  tier: string;
  kind: Kind;
  grantor: Grantor | null;
  occasions: Set<Occasion>;
  quota: Award['quota'];
  page: number;
}

function occasionsIn(text: string): Set<Occasion> {
  const f = fold(text);
  const out = new Set<Occasion>();
  if (/\b(hang nam|moi nam)\b/.test(f)) out.add('hang_nam');
  if (/\bso ket\b/.test(f)) out.add('so_ket');
  if (/\btong ket\b/.test(f)) out.add('tong_ket');
  if (/\b(dot xuat|chuyen de)\b/.test(f)) out.add('dot_xuat');
  return out;
}

function quotaIn(text: string): Award['quota'] {
  const f = fold(text);
  if (!/\b(toi da|khong qua|so luong)\b/.test(f)) return null;
  const collectives = /(\d{1,3})\s+tap the\b/.exec(f);
  const individuals = /(\d{1,3})\s+ca nhan\b/.exec(f);
  if (!collectives && !individuals) return null;
  return { collectives: collectives ? Number(collectives[1]) : null, individuals: individuals ? Number(individuals[1]) : null };
}

/** Who confers "Chiến sĩ thi đua" of a scope: "toàn quốc" the Prime Minister, "cấp tỉnh" the province. */
function fighterGrantor(scope: string): Grantor | null {
  if (/toan quoc/.test(scope)) return { text: 'Thủ tướng Chính phủ', level: 'trung_uong', length: 0 };
  if (/cap tinh/.test(scope)) return { text: 'Chủ tịch UBND tỉnh', level: 'tinh', length: 0 };
  return null;
}

/** Award tiers named in one sentence: "Bằng khen (của) <grantor>" and "<grantor> tặng Giấy khen". */
function mentionsIn(sentence: string, locality: Locality | null): { kind: Kind; tier: string; grantor: Grantor | null }[] {
  const f = fold(sentence);
  const out: { kind: Kind; tier: string; grantor: Grantor | null }[] = [];
  let quotedEnd = -1;
  for (const m of f.matchAll(/\b(huan chuong|co thi dua|chien si thi dua|bang khen|giay khen|danh hieu\s*[“"«]|ky niem chuong)/g)) {
    const start = m.index!;
    if (start < quotedEnd) continue; // inside a quoted title already read ("danh hiệu “Chiến sĩ thi đua cơ sở”")
    // A tier the nominee already holds is a condition, not an award offered ("đã được tặng Bằng khen").
    if (/\bda (duoc|co)( tang)?\s*$/.test(f.slice(Math.max(0, start - 25), start))) continue;
    const kind = kindOf.find(([re]) => re.test(f.slice(start)))![1];
    const head = sentence.slice(start, start + m[0].length);
    let rest = sentence.slice(start + m[0].length);
    let tier = capitalize(head.trim());
    let grantor: Grantor | null = null;
    if (kind === 'huan_chuong' || kind === 'chien_si_thi_dua' || kind === 'other') {
      const name =
        /^(\s+(?:Lao động|Bảo vệ Tổ quốc|Chiến công|Độc lập|Hồ Chí Minh|Sao vàng|Quân công|Dũng cảm|Hữu nghị|Đại đoàn kết dân tộc)(?:\s+hạng\s+(?:Nhất|Nhì|Ba|I{1,3}))?|\s+(?:toàn quốc|cấp tỉnh|cấp cơ sở|cấp huyện|cấp bộ|cấp ngành))/iu.exec(rest);
      if (name) tier += name[1];
      grantor = kind === 'huan_chuong' ? { text: 'Chủ tịch nước', level: 'trung_uong', length: 0 } : fighterGrantor(fold(tier));
    } else if (kind === 'danh_hieu') {
      const q = /^([^”"»]{2,80})[”"»]/u.exec(rest);
      if (!q) continue;
      tier = `${tier}${q[1]}”`;
      quotedEnd = start + m[0].length + q[0].length;
      // The title "Chiến sĩ thi đua cấp tỉnh" is that tier, whoever the plan names it through.
      const fighter = /^chien si thi dua(?:\s+(toan quoc|cap tinh|cap bo|cap nganh|co so|cap co so))?/.exec(fold(q[1]!).trim());
      if (fighter) {
        out.push({ kind: 'chien_si_thi_dua', tier: clean(tier), grantor: fighterGrantor(fighter[1] ?? '') });
        continue;
      }
    } else {
      const lead = /^\s+(của\s+)?/iu.exec(rest)?.[0] ?? '';
      grantor = readGrantor(rest.slice(lead.length), locality);
      if (grantor) {
        tier = clean(`${tier}${rest.slice(0, lead.length + grantor.length)}`);
        rest = rest.slice(lead.length + grantor.length);
      } else {
        // "<grantor> tặng Giấy khen": the grantor comes first.
        const before = sentence.slice(0, start);
        const by = /(?:^|\s)((?:Chủ tịch|Thủ tướng|Bộ trưởng|Giám đốc|Thủ trưởng)[^,;.]{2,80}?)\s+(?:xét\s+)?(?:tặng|khen thưởng|tặng thưởng)\s*$/u.exec(before);
        if (by) {
          grantor = readGrantor(by[1]!, locality);
          if (grantor) tier = `${tier} của ${grantor.text.replace(/^UBND/u, 'Ủy ban nhân dân')}`;
        }
      }
    }
    out.push({ kind, tier: clean(tier), grantor });
  }
  return out;
}

const levelRank: Record<string, number> = { trung_uong: 0, tinh: 1, huyen: 2, xa: 3, co_quan: 4 };
const kindRank: Record<Kind, number> = { huan_chuong: 0, co_thi_dua: 1, chien_si_thi_dua: 2, danh_hieu: 3, bang_khen: 4, giay_khen: 5, other: 6 };

/** Same grantor however the plan words it: "Chủ tịch UBND tỉnh", "Chủ tịch Ủy ban nhân dân tỉnh Kiên Giang", "UBND tỉnh". */
function grantorKey(g: Grantor | null): string {
  if (!g) return '';
  const f = fold(g.text).replace(/uy ban nhan dan/g, 'ubnd').replace(/\s+/g, ' ').replace(/^chu tich (?=ubnd)/, '');
  return /^ubnd /.test(f) ? f.replace(/^(ubnd (?:thanh pho|thi xa|thi tran|tinh|huyen|quan|xa|phuong)).*$/, '$1') : f;
}

/** All award tiers the plan offers. */
export function extractAwards(paragraphs: Paragraph[], locality: Locality | null): Award[] {
  const tiers: Mention[] = [];
  const planOccasions = new Set<Occasion>();
  // Occasions an award paragraph gives without naming a tier ("Hằng năm ... khen thưởng theo thẩm quyền").
  const authorityOccasions = new Set<Occasion>();
  let lastTiers: Mention[] = [];
  for (const p of paragraphs) {
    const headingOccasions = occasionsIn(p.headings.slice(1).join(' '));
    const awardSection = /khen thuong/.test(fold(p.headings.join(' ')));
    for (const sentence of splitSentences(p.text)) {
      const f = fold(sentence);
      const found = mentionsIn(sentence, locality);
      const sentenceOccasions = /khen thuong|khen|tang/.test(f) ? occasionsIn(sentence) : new Set<Occasion>();
      if (awardSection || /khen thuong/.test(f)) for (const o of occasionsIn(sentence)) planOccasions.add(o);
      if (!found.length && /khen thuong/.test(f) && /tham quyen/.test(f)) {
        for (const o of new Set([...headingOccasions, ...sentenceOccasions])) authorityOccasions.add(o);
      }
      const quota = quotaIn(sentence);
      const current: Mention[] = [];
      for (const m of found) {
        const occasions = new Set([...headingOccasions, ...sentenceOccasions, ...occasionsIn(p.isHeading ? '' : (p.text.split(':')[0] ?? ''))]);
        let tier = tiers.find((t) => t.kind === m.kind && (grantorKey(t.grantor) === grantorKey(m.grantor) || !m.grantor || !t.grantor));
        if (tier && !tier.grantor && m.grantor) {
          tier.grantor = m.grantor;
          tier.tier = m.tier;
        }
        if (!tier) {
          tier = { tier: m.tier, kind: m.kind, grantor: m.grantor, occasions: new Set(), quota: null, page: p.page };
          tiers.push(tier);
        }
        for (const o of occasions) tier.occasions.add(o);
        current.push(tier);
      }
      if (quota) for (const t of current.length ? current : lastTiers) t.quota = quota;
      if (current.length) lastTiers = current;
    }
  }
  // Authority-level awards go to the tiers the plan's own bodies give.
  const own = tiers.filter((t) => t.grantor?.level === 'co_quan');
  for (const o of authorityOccasions) for (const t of own.length ? own : tiers.slice(-1)) t.occasions.add(o);
  // A ministry's awards stand with the province's (Cờ thi đua, then Bằng khen, of a Bộ or a tỉnh),
  // below those of the Prime Minister and the President.
  const tierRank = (t: Mention) => {
    const level = t.grantor?.level ?? '';
    const rank = level === 'trung_uong' && !/thu tuong|chinh phu|chu tich nuoc/.test(fold(t.grantor!.text)) ? levelRank.tinh! : (levelRank[level] ?? 5);
    return rank * 10 + kindRank[t.kind];
  };
  const ordered = [...tiers].sort((a, b) => tierRank(a) - tierRank(b));
  const occasionOrder: Occasion[] = ['hang_nam', 'so_ket', 'tong_ket', 'dot_xuat'];
  return ordered.map((t, i) => {
    const occasions = t.occasions.size ? t.occasions : planOccasions;
    return {
      tier: t.tier,
      kind: t.kind,
      grantor: t.grantor?.text ?? null,
      grantorLevel: t.grantor?.level ?? null,
      rank: i + 1,
      occasions: occasionOrder.filter((o) => occasions.has(o)),
      quota: t.quota,
      page: t.page,
    };
  });
}
