// The plan record: the contract with consuming systems (../shared/SCHEMA.md, schema version 1).
// Defined once here; the JSON Schema printed by `plans schema` is generated from it.
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ISO date YYYY-MM-DD');
/** Vietnamese text must be NFC everywhere. */
const nfcText = z.string().refine((s) => s === s.normalize('NFC'), 'text must be Unicode NFC');

export const localityLevels = ['tinh', 'thanh_pho_tw', 'thanh_pho', 'thi_xa', 'huyen', 'quan', 'xa', 'phuong', 'thi_tran', 'so_nganh'] as const;
export const pillars = ['chinh_quyen_so', 'kinh_te_so', 'xa_hoi_so', 'ha_tang_so', 'chung'] as const;
export const awardKinds = ['huan_chuong', 'bang_khen', 'giay_khen', 'co_thi_dua', 'chien_si_thi_dua', 'danh_hieu', 'other'] as const;
export const grantorLevels = ['trung_uong', 'tinh', 'huyen', 'xa', 'co_quan'] as const;
export const occasions = ['hang_nam', 'so_ket', 'tong_ket', 'dot_xuat'] as const;
export const textSources = ['ocr', 'text-layer', 'text'] as const;

export const Locality = z.object({
  name: nfcText,
  level: z.enum(localityLevels),
  province: nfcText.nullable(),
});

export const LegalBasis = z.object({
  kind: nfcText,
  number: nfcText,
  date: isoDate.nullable(),
  issuer: nfcText.nullable(),
});

export const DocumentFacts = z.object({
  kind: nfcText.nullable(),
  number: nfcText.nullable(),
  issuer: nfcText.nullable(),
  locality: Locality.nullable(),
  issuedAt: isoDate.nullable(),
  place: nfcText.nullable(),
  title: nfcText.nullable(),
  campaign: nfcText.nullable(),
  period: z.object({ from: z.number().int(), to: z.number().int() }).nullable(),
  phases: z.array(z.object({ name: nfcText, from: z.number().int(), to: z.number().int() })),
  signer: z.object({ name: nfcText.nullable(), position: nfcText.nullable() }).nullable(),
  legalBases: z.array(LegalBasis),
});

export const Target = z.object({
  text: nfcText,
  indicator: z.string().nullable(),
  value: z.number(),
  valueMax: z.number().nullable(),
  unit: z.enum(['%', 'count', '%/year']),
  comparator: z.enum(['>=', '>', '=', '<=', '<']),
  year: z.number().int().nullable(),
  pillar: z.enum(pillars).nullable(),
  appliesTo: nfcText.nullable(),
  section: z.string().nullable(),
  page: z.number().int().min(1).nullable(),
});

export const Deadline = z.object({
  text: nfcText,
  task: nfcText.nullable(),
  due: isoDate.nullable(),
  dueText: nfcText,
  precision: z.enum(['day', 'month', 'quarter', 'year']),
  recurrence: z.literal('yearly').nullable(),
  recurDay: z.string().regex(/^\d{2}-\d{2}$/, 'MM-DD').nullable(),
  responsible: nfcText.nullable(),
  page: z.number().int().min(1).nullable(),
});

export const Award = z.object({
  tier: nfcText,
  kind: z.enum(awardKinds),
  grantor: nfcText.nullable(),
  grantorLevel: z.enum(grantorLevels).nullable(),
  rank: z.number().int().min(1),
  occasions: z.array(z.enum(occasions)),
  quota: z.object({ collectives: z.number().int().nullable(), individuals: z.number().int().nullable() }).nullable(),
  page: z.number().int().min(1).nullable(),
});

export const Source = z.object({
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  pages: z.number().int().min(0),
  textSource: z.enum(textSources),
  meanConfidence: z.number().min(0).max(1).nullable(),
  /** Added field: per page, where its text came from, OCR confidence and image preparation. */
  pageDetails: z
    .array(
      z.object({
        page: z.number().int().min(1),
        textSource: z.enum(textSources),
        confidence: z.number().min(0).max(1).nullable(),
        /** How the page image was prepared for OCR (upscaled, denoised, deskewed, ...). */
        preparation: z.array(z.string()),
      }),
    )
    .optional(),
});

export const PlanRecord = z.object({
  schemaVersion: z.literal('1'),
  source: Source,
  document: DocumentFacts,
  targets: z.array(Target),
  deadlines: z.array(Deadline),
  awards: z.array(Award),
  warnings: z.array(z.string()),
});

export type PlanRecord = z.infer<typeof PlanRecord>;
export type DocumentFacts = z.infer<typeof DocumentFacts>;
export type Target = z.infer<typeof Target>;
export type Deadline = z.infer<typeof Deadline>;
export type Award = z.infer<typeof Award>;
export type Locality = z.infer<typeof Locality>;
export type LegalBasis = z.infer<typeof LegalBasis>;
