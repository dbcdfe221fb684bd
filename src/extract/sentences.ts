// Splits paragraph text into sentences and clauses.

/** Sentences of a paragraph: split after ".", "!" or "?" when a new sentence visibly starts. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  // A comma before a capitalised word that opens statements ("..., Tối thiểu 70% ...") is a full stop OCR misread.
  const re = /[.!?](?:["”»)])?\s+(?=[\p{Lu}\d“"(])|,\s+(?=(?:Tối thiểu|Ít nhất|Phấn đấu|Tỷ lệ|Tỷ trọng|Hoàn thành)\s)/gu;
  for (const m of text.matchAll(re)) {
    const before = text.slice(start, m.index + 1);
    // "TP. Hà Tiên", "KT. Chủ tịch", "v.v." and numbered references ("Mục 2. Kế hoạch") do not end a sentence.
    if (/(?:^|\s)(?:TP|TT|KT|TM|Q|ThS|TS|PGS|GS|Tp|St|v\.v|[A-ZĐ])\.$/u.test(before)) continue;
    // A speck between a date word and its number ("vào năm. 2030") ends nothing.
    if (/(?:^|\s)(?:năm|ngày|tháng|quý)\.$/iu.test(before) && /\d/.test(text[m.index + m[0].length] ?? '')) continue;
    out.push(before.trim());
    start = m.index + m[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out.filter(Boolean);
}

/** Clauses of a sentence: the parts between semicolons. */
export function splitClauses(sentence: string): string[] {
  return sentence
    .split(/;/)
    .map((s) => s.trim())
    .filter(Boolean);
}
