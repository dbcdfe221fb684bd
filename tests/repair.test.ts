// Diacritic repair: line structure, known damage, pass-through of correct text, case, numbers,
// abbreviations, and the quality score used for text-layer triage. Fixture lines are written in
// the style of the plans, not copied from the gold documents.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRepairModel, QUALITY_GOOD, QUALITY_REPAIRABLE, renumberHeadings, repairText, vietnameseQuality } from '../src/repair/index.js';
import { countResidualConfusions, type ResidualCounts } from '../src/repair/residual.js';

const model = loadRepairModel();

const CORRECT = [
  'Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện Chương trình chuyển đổi số năm 2023 như sau:',
  'Các cơ quan, đơn vị phối hợp với Sở Thông tin và Truyền thông triển khai nền tảng số.',
  '- 100% hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng (trừ hồ sơ mật).',
  'Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ;',
  'KẾ HOẠCH',
  'Tổ chức sơ kết, tổng kết, khen thưởng kịp thời các tập thể, cá nhân có thành tích xuất sắc.',
].join('\n');

describe('repairText', () => {
  it('keeps the number of lines, empty lines and whitespace', () => {
    const input = 'Chuyén doi s6\n\n  thgc hiQn  \nKE HOACH\n';
    const output = repairText(input, model);
    expect(output.split('\n')).toHaveLength(input.split('\n').length);
    expect(output.split('\n')[1]).toBe('');
    expect(output.split('\n')[2]).toMatch(/^ {2}\S.*\S {2}$/);
    expect(output.endsWith('\n')).toBe(true);
  });

  it('restores stripped and look-alike diacritics', () => {
    expect(repairText('Chuyén doi s6', model)).toBe('Chuyển đổi số');
    expect(repairText('Tang cuong ung dung cong nghé thong tin trong co quan nha nudc', model)).toBe(
      'Tăng cường ứng dụng công nghệ thông tin trong cơ quan nhà nước',
    );
    expect(repairText('Phat huy vai trd cua cac td chirc chinh tri - xa hoi', model)).toBe('Phát huy vai trò của các tổ chức chính trị - xã hội');
  });

  it('reads a form the way the rest of the document reads it where the context does not decide', () => {
    // alone, "trong tinh;" reads "trong tình"; the document's other "tinh" are all "tỉnh"
    const text = [
      'Uy ban nhan dan tinh Tuyen Quang; Chu tich UBND tinh Tuyen Quang;',
      'cac don vi cua tinh Tuyen Quang va cac hoi doan trong tinh;',
      'Ban Thi dua tinh Tuyen Quang, Hoi Nong dan tinh;',
    ].join('\n');
    expect(repairText(text, model).split('\n')[1]).toMatch(/trong tỉnh;$/);
    expect(repairText('cac hoi doan trong tinh;', model)).not.toMatch(/tỉnh/);
  });

  it("keeps a bullet or a heading's Roman numeral that opens a line", () => {
    expect(repairText('* Nhiem vu cu the\n  * Muc tieu chung', model)).toBe('* Nhiệm vụ cụ thể\n  * Mục tiêu chung');
    expect(repairText('VI. TO CHUC THUC HIEN', model)).toBe('VI. TỔ CHỨC THỰC HIỆN');
  });

  it('reads unknown capitals in a heading of capitals as a damaged word, and keeps known abbreviations', () => {
    expect(repairText('IV. TIEN DQ VA KINH PHI THUC HIEN', model)).toBe('IV. TIẾN ĐỘ VÀ KINH PHÍ THỰC HIỆN');
    expect(repairText('KE HOACH THUC HIEN CUA UBND TINH', model)).toBe('KẾ HOẠCH THỰC HIỆN CỦA UBND TỈNH');
  });

  it('reads a Roman numeral whose I was read as 1, l or a bar', () => {
    expect(repairText('I11. TO CHUC THUC HIEN\nI1. NOI DUNG', model)).toBe('III. TỔ CHỨC THỰC HIỆN\nII. NỘI DUNG');
    expect(repairText('theo phan Il Ke hoach nay; Dai hoi (khoa XVI1)', model)).toBe('theo phần II Kế hoạch này; Đại hội (khóa XVII)');
    // a number stays a number
    expect(repairText('co 11 xa', model)).toBe('có 11 xã');
  });

  it('reads a capital where no sentence starts as the word names and bodies are written with', () => {
    // "Sở" (a department) is capitalised in running text, "số" (number) seldom
    expect(repairText('lam viec voi So', model)).toBe('làm việc với Sở');
    expect(repairText('lanh dao So', model)).toBe('lãnh đạo Sở');
    expect(repairText('voi so', model)).toBe('với số');
  });

  it("lowers the OCR's capital of a vowel that opens a word where no sentence starts, unless the word is written so", () => {
    expect(repairText('Các đơn vị triển khai Ứng dụng công nghệ số; thi đua Ở một số ngành.', model)).toBe('Các đơn vị triển khai ứng dụng công nghệ số; thi đua ở một số ngành.');
    // "Ủy" of a body keeps its capital; a sentence may open with "Ứng"
    expect(repairText('Báo cáo gửi Ủy ban nhân dân tỉnh. Ứng dụng công nghệ số.', model)).toBe('Báo cáo gửi Ủy ban nhân dân tỉnh. Ứng dụng công nghệ số.');
  });

  it("puts a misread heading numeral back in the document's count, across pages", () => {
    const pages = ['IL.MỤC ĐÍCH, YÊU CẦU\n1. Mục đích', 'II. NỘI DUNG\nnội dung\nII. TỔ CHỨC THỰC HIỆN', 'IV. KINH PHÍ\nHV. TIẾN ĐỘ'];
    expect(renumberHeadings(pages)).toEqual(['I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích', 'II. NỘI DUNG\nnội dung\nIII. TỔ CHỨC THỰC HIỆN', 'IV. KINH PHÍ\nV. TIẾN ĐỘ']);
    // an annex starting again at "I." is no misreading; nor is a numeral inside a line
    const annex = ['I. MỤC ĐÍCH\nII. NỘI DUNG\nIII. TỔ CHỨC\nI. DANH MỤC', 'sơ kết vào quý IV. TỔNG KẾT'];
    expect(renumberHeadings(annex)).toBe(annex);
  });

  it('counts list markers on through a look-alike ("¢)" after "b)")', () => {
    const repaired = repairText('a) Phat huy\nb) To chuc\n¢) Bieu duong\nd) Linh vuc\ne) Linh vuc\n@) Linh vuc tai nguyen', model).split('\n');
    expect(repaired.map((line) => line.slice(0, 2))).toEqual(['a)', 'b)', 'c)', 'd)', 'e)', 'g)']);
    // Vietnamese OCR: "€" is "e" in words, but after "b)" the marker is "c)"
    const ocr = repairText('a) Việc xét khen thưởng hằng năm\nb) Hồ sơ đề nghị khen thưởng\n€) Thời gian gửi hồ sơ', model).split('\n');
    expect(ocr.map((line) => line.slice(0, 2))).toEqual(['a)', 'b)', 'c)']);
  });

  it('keeps the letters of a legal reference ("điểm a, b, c")', () => {
    expect(repairText('theo quy dinh tai diem a, b, ¢ khoan 2', model)).toMatch(/^theo quy định tại điểm a, b, c kho/);
    expect(repairText('co 2 nhom: A, B, C va D', model)).toMatch(/A, B, C và D/);
  });

  it('fixes residual mark errors of Vietnamese OCR', () => {
    expect(repairText('Các cơ quan tổ chức thực hiện nhiệm vũ chuyển đổi số của tỉnh.', model)).toBe(
      'Các cơ quan tổ chức thực hiện nhiệm vụ chuyển đổi số của tỉnh.',
    );
    expect(repairText('Phát triển chính quyền sồ, kinh tế số, xã hội số.', model)).toBe('Phát triển chính quyền số, kinh tế số, xã hội số.');
    // a wrong mark that still spells a syllable ("kiển"), where a neighbour settles it
    expect(repairText('Các cơ quan xin ý kiển Ban Chỉ đạo chuyển đổi số của tỉnh.', model)).toBe('Các cơ quan xin ý kiến Ban Chỉ đạo chuyển đổi số của tỉnh.');
    // two neighbouring wrong marks, each a syllable ("nên tẳng" for "nền tảng")
    expect(repairText('Kết nối các hệ thống thông qua nên tẳng chia sẻ dữ liệu của tỉnh.', model)).toBe('Kết nối các hệ thống thông qua nền tảng chia sẻ dữ liệu của tỉnh.');
    // a wrong mark that a trigram settles where the bigram alone is weak ("chủ trương của Đảng")
    expect(repairText('Các cơ quan thực hiện tốt chủ trương của Đẳng, chính sách của Nhà nước.', model)).toBe('Các cơ quan thực hiện tốt chủ trương của Đảng, chính sách của Nhà nước.');
    // ... also where the neighbour's bigram is only moderately strong (ln P(tư | đầu) ≈ -3.3)
    expect(repairText('Cải thiện môi trường đâu tư, kinh doanh; báo cáo, đê xuất với Ủy ban.', model)).toBe(
      'Cải thiện môi trường đầu tư, kinh doanh; báo cáo, đề xuất với Ủy ban.',
    );
  });

  it('reads a stray character inside a word as inserted', () => {
    expect(repairText('Cac don vi to chu.c thu.c hien nhiem vu', model)).toBe('Các đơn vị tổ chức thực hiện nhiệm vụ');
    expect(repairText('huo:ng dan nang cao chat luo,ng dich vu cong', model)).toBe('hướng dẫn nâng cao chất lượng dịch vụ công');
  });

  it('splits glued words', () => {
    expect(repairText('thgc hiQn hiQu qu6 ndm2025', model)).toBe('thực hiện hiệu quả năm 2025');
    // Run together at a speck read as punctuation; real abbreviations keep their dots.
    expect(repairText('nguoi dan vd.doanh nghiep, v.v. va TP.HCM', model)).toBe('người dân và doanh nghiệp, v.v. và TP.HCM');
    // Three words in one chunk, a number with look-alikes among them.
    expect(repairText('hop dong dien tu d4ttr€n40%o.', model)).toBe('hợp đồng điện tử đạt trên 40%.');
  });

  it('keeps case, numbers, dates and abbreviations', () => {
    expect(repairText('KE HOACH', model)).toBe('KẾ HOẠCH');
    expect(repairText('S6: 105/KH-UBND ngay 15/9/2021', model)).toBe('Số: 105/KH-UBND ngày 15/9/2021');
    expect(repairText('Can cu Quyét dinh s6 749/QD-TTg cua Thu tudng Chinh phu', model)).toBe(
      'Căn cứ Quyết định số 749/QĐ-TTg của Thủ tướng Chính phủ',
    );
    expect(repairText('UBND tinh, CNTT, 06-NQ/TU', model)).toBe('UBND tỉnh, CNTT, 06-NQ/TU');
    // a code restored part by part; a capital and a look-alike symbol are a word, not an abbreviation
    expect(repairText('Nghi dinh s6 91/2017/ND-CP cua Chinh phu', model)).toBe('Nghị định số 91/2017/NĐ-CP của Chính phủ');
    expect(repairText('thuoc tham quyen cua S& Xay dung.', model)).toBe('thuộc thẩm quyền của Sở Xây dựng.');
    // capitals that spell no syllable are kept, unless they are a known abbreviation without its Đ
    expect(repairText('Nghi quyet cua HDND tinh, GRDP', model)).toBe('Nghị quyết của HĐND tỉnh, GRDP');
    // A percent sign read as "%o", look-alikes in the digits.
    expect(repairText('Ty le ho so dat 95%o; tren 8O%o', model)).toBe('Tỷ lệ hồ sơ đạt 95%; trên 80%');
    // ... or as three characters, longer than any learned segment
    expect(repairText('Ty le ho so dat 50o/o', model)).toBe('Tỷ lệ hồ sơ đạt 50%');
    // ... or as letters the channel learned for it ("yo"), one sign at the end of the number
    expect(repairText('Ty trong kinh te so dat 15Yo GRDP; toi thieu 4oyo', model)).toBe('Tỷ trọng kinh tế số đạt 15% GRDP; tối thiểu 40%');
    // digits standing for letters where the context wants a word are no percentage ("16n": "lớn")
    expect(repairText('doanh nghiep cong nghe 16n', model)).not.toMatch(/%/);
    expect(repairText('nam 2025 dat 100% muc tieu, 4G va 5G', model)).toBe('năm 2025 đạt 100% mục tiêu, 4G và 5G');
  });

  it('leaves correct Vietnamese unchanged', () => {
    expect(repairText(CORRECT, model)).toBe(CORRECT);
    // Old-style tone placement is a correct spelling too.
    expect(repairText('Chương trình hoá đơn điện tử của ngành thuỷ sản', model)).toBe('Chương trình hoá đơn điện tử của ngành thuỷ sản');
  });

  it('returns NFC and is deterministic', () => {
    const nfd = 'Chuyển đổi số'.normalize('NFD');
    const output = repairText(nfd, model);
    expect(output).toBe('Chuyển đổi số');
    expect(output.normalize('NFC')).toBe(output);
    expect(repairText('hiQu qu6', model)).toBe(repairText('hiQu qu6', model));
  });
});

describe('abbreviations', () => {
  it('holds the parts of every curated compound abbreviation, so that a damaged code is restored part by part', () => {
    const known = new Set(readFileSync(new URL('../dictionaries/abbreviations.txt', import.meta.url), 'utf8').split('\n'));
    const curated = readFileSync(new URL('../dictionaries/sources/admin-terms.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('ABBR:'))
      .flatMap((line) => line.slice(5).trim().split(/\s+/));
    const parts = curated.filter((a) => /[-/]/.test(a)).flatMap((a) => a.split(/[-/]/)).filter((p) => p.length >= 2);
    expect(parts).toContain('NĐ');
    expect(parts.filter((p) => !known.has(p))).toEqual([]);
  });
});

describe('loadRepairModel', () => {
  it('names the files (or the parts of them) a dictionaries folder lacks and how to rebuild them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'repair-model-'));
    try {
      cpSync(fileURLToPath(new URL('../dictionaries', import.meta.url)), dir, { recursive: true });
      rmSync(join(dir, 'capitalisation.txt'));
      expect(() => loadRepairModel(dir)).toThrow(/lacks capitalisation\.txt; rebuild it with npm run build:dictionaries/);
      cpSync(fileURLToPath(new URL('../dictionaries/capitalisation.txt', import.meta.url)), join(dir, 'capitalisation.txt'));
      const channelFile = join(dir, 'channel.json');
      const { residualCounts: _, ...older } = JSON.parse(readFileSync(channelFile, 'utf8')) as Record<string, unknown>;
      writeFileSync(channelFile, JSON.stringify(older));
      expect(() => loadRepairModel(dir)).toThrow(/channel\.json lacks the residual channel; rebuild it with npm run build:dictionaries/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('residual channel of Vietnamese OCR', () => {
  it('counts the marks a reading got wrong, letter by letter, against its gold text', () => {
    const counts = countResidualConfusions([
      { rendered: 'Gửi báo cáo về Sở,\nnền tảng số', ocr: 'Gửi báo cáo vê Sở, nên\ntẳng số và' },
    ]);
    expect(counts['ề']).toEqual({ 'ê': 2 });
    expect(counts['ả']).toEqual({ 'ẳ': 1 });
    expect(counts['á']).toEqual({ 'á': 2 });
    // the extra OCR word "và" pairs with nothing
    expect(counts['à']).toBeUndefined();
  });

  it('prices a misreading by how often it was seen, and one never seen as before', () => {
    const withCounts = (residualCounts: ResidualCounts) => {
      const dir = mkdtempSync(join(tmpdir(), 'repair-model-'));
      cpSync(fileURLToPath(new URL('../dictionaries', import.meta.url)), dir, { recursive: true });
      const channelFile = join(dir, 'channel.json');
      writeFileSync(channelFile, JSON.stringify({ ...JSON.parse(readFileSync(channelFile, 'utf8')), residualCounts }));
      try {
        const learned = loadRepairModel(dir, { warmUp: false });
        const cost = (ocr: string, reading: string) => learned.candidates(ocr, 'accented').find((c) => learned.syllables[c.syllable] === reading)?.cost ?? Infinity;
        return { dropped: cost('vê', 'về'), unseen: cost('vê', 'vế') };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const none = withCounts({});
    const seen = withCounts({ 'ề': { 'ề': 970, 'ê': 30 } });
    expect(seen.dropped).toBeLessThan(none.dropped - 1.5);
    expect(seen.unseen).toBeCloseTo(none.unseen, 5);
  });
});

describe('vietnameseQuality', () => {
  it('ranks correct, broken and unreadable text for triage', () => {
    const broken = 'Trién khai phong trao thi dua Chuyén doi s6 trén dia ban tinh, nang cao nhan thirc cua can bd';
    const noise = '#@!k x9Q$ ]]p~ %zq& ;;#, 8q@z vv%% ^^w';
    expect(vietnameseQuality(CORRECT, model)).toBeGreaterThanOrEqual(QUALITY_GOOD);
    const brokenQuality = vietnameseQuality(broken, model);
    expect(brokenQuality).toBeGreaterThanOrEqual(QUALITY_REPAIRABLE);
    expect(brokenQuality).toBeLessThan(QUALITY_GOOD);
    expect(vietnameseQuality(noise, model)).toBeLessThan(QUALITY_REPAIRABLE);
    expect(vietnameseQuality('', model)).toBe(0);
  });
});
