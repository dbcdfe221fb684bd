// Extraction stage: from a plan's repaired text, page by page, to the record's document facts,
// targets, deadlines and award tiers. Pure: no I/O beyond reading the rule files in dictionaries/.
import type { Award, Deadline, DocumentFacts, Target } from '../schema/index.js';
import { extractAwards } from './awards.js';
import { extractDeadlines } from './deadlines.js';
import { readDocument } from './document.js';
import { readLayout, type Paragraph } from './structure.js';
import { extractTargets } from './targets.js';
import { fold } from './text.js';

export interface ExtractedPlan {
  document: DocumentFacts;
  targets: Target[];
  deadlines: Deadline[];
  awards: Award[];
  warnings: string[];
}

export interface ExtractOptions {
  /** File name, used in warnings only. */
  fileName?: string;
}

/**
 * The year the plan's targets are due when a clause and its headings do not say: the horizon of
 * its title or campaign ("giai đoạn 2022-2025", "đến năm 2025"), else the year its purpose strives
 * for ("phấn đấu đến năm 2025"), else the end of its first phase or of its period.
 */
function defaultTargetYear(paragraphs: Paragraph[], document: DocumentFacts): number | null {
  for (const text of [document.title, document.campaign]) {
    if (!text) continue;
    const f = fold(text);
    const span = /(\d{4})\s*[-–]\s*(\d{4})/.exec(f);
    if (span) return Number(span[2]);
    const horizon = /\bden nam (\d{4})\b/.exec(f);
    if (horizon) return Number(horizon[1]);
  }
  for (const p of paragraphs) {
    const m = /\bphan dau\b[^.;]{0,120}?\bden nam (\d{4})\b/.exec(fold(p.text));
    if (m) return Number(m[1]);
  }
  return document.phases[0]?.to ?? document.period?.to ?? null;
}

/** Extracts a plan's record fields from its pages' text (repaired Vietnamese, NFC or not). */
export function extractPlan(pages: string[], options: ExtractOptions = {}): ExtractedPlan {
  const layout = readLayout(pages);
  const warnings: string[] = [];
  const name = options.fileName ? `${options.fileName}: ` : '';
  if (!layout.paragraphs.length) warnings.push(`${name}no numbered sections found in the text`);
  const { facts: document, warnings: documentWarnings } = readDocument(
    layout,
    layout.paragraphs.map((p) => p.text),
  );
  warnings.push(...documentWarnings.map((w) => name + w));
  const agency = document.locality?.level === 'so_nganh' && document.issuer ? document.issuer.replace(/\s+(tỉnh|thành phố)\s+.*$/u, '') : null;
  const defaultYear = defaultTargetYear(layout.paragraphs, document);
  const targets = extractTargets(layout.paragraphs, { defaultYear, agency });
  if (targets.some((t) => t.year === null)) warnings.push(`${name}some targets have no year`);
  const deadlines = extractDeadlines(layout.paragraphs, document.issuedAt);
  const awards = extractAwards(layout.paragraphs, document.locality);
  return { document, targets, deadlines, awards, warnings };
}
