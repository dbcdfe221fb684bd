import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPlan } from '../src/extract/index.js';
import { matchIndicator } from '../src/extract/indicators.js';
import { readLayout } from '../src/extract/structure.js';
import { mendPercents, parseNumber } from '../src/extract/text.js';
import { validateRecord } from '../src/schema/index.js';

/** A plan as the OCR reads it: header columns on separate lines, title, preamble, body, signature. */
function plan(body: string, header?: string): string {
  return [
    header ??
      [
        'ỦY BAN NHÂN DÂN',
        'TỈNH TUYÊN QUANG',
        'Số: 154/KH-UBND',
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        'Tuyên Quang, ngày 12 tháng 8 năm 2022',
      ].join('\n'),
    'KẾ HOẠCH',
    'Phát động Phong trào thi đua “Chuyển đổi số tỉnh Tuyên Quang',
    'đến năm 2025, định hướng đến năm 2030”',
    'Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ về phê duyệt Chương trình Chuyển đổi số quốc gia;',
    body,
  ].join('\n');
}

const record = (text: string) =>
  validateRecord({
    schemaVersion: '1',
    source: { file: 'x.txt', sha256: '0'.repeat(64), pages: 1, textSource: 'text', meanConfidence: null },
    ...extractPlan(text.split('\f')),
  });

describe('document facts', () => {
  it('reads the header through OCR specks: a motto broken over two lines, stray marks, a misread comma', () => {
    const header = [
      'ỦY BAN NHÂN DÂN .',
      "'ˆ TÍNH HÀ GIANG.",
      'Số: 21/KH-UBND..',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT',
      "':- NẤM",
      '|',
      'Độc lập - Tự do - Hạnh phúc',
      '- Hà Giang; ngày .5 tháng 3 năm 2023',
    ].join('\n');
    const { document } = extractPlan([plan('- 100% hồ sơ được xử lý trực tuyến.', header).replace('KẾ HOẠCH', '“ KẾ HOẠCH')]);
    expect(document.number).toBe('21/KH-UBND');
    expect(document.issuedAt).toBe('2023-03-05');
    expect(document.issuer).toBe('Ủy ban nhân dân tỉnh Hà Giang');
    expect(document.locality).toEqual({ name: 'Hà Giang', level: 'tinh', province: 'Hà Giang' });
    expect(document.kind).toBe('Kế hoạch');
  });

  it('reads number, date line, issuer, locality, title, campaign and legal bases', () => {
    const { document } = extractPlan([plan('I. MỤC ĐÍCH\n1. Mục đích')]);
    expect(document.kind).toBe('Kế hoạch');
    expect(document.number).toBe('154/KH-UBND');
    expect(document.issuedAt).toBe('2022-08-12');
    expect(document.place).toBe('Tuyên Quang');
    expect(document.issuer).toBe('Ủy ban nhân dân tỉnh Tuyên Quang');
    expect(document.locality).toEqual({ name: 'Tuyên Quang', level: 'tinh', province: 'Tuyên Quang' });
    expect(document.title).toBe('Phát động Phong trào thi đua “Chuyển đổi số tỉnh Tuyên Quang đến năm 2025, định hướng đến năm 2030”');
    expect(document.campaign).toBe('Chuyển đổi số tỉnh Tuyên Quang đến năm 2025, định hướng đến năm 2030');
    expect(document.legalBases).toEqual([{ kind: 'Quyết định', number: '749/QĐ-TTg', date: '2020-06-03', issuer: 'Thủ tướng Chính phủ' }]);
  });

  it('reads every document a clause lists as legal basis, not those a description cites', () => {
    const preamble =
      'Thực hiện Kế hoạch số 243/KH-UBND ngày 16/11/2022 của UBND tỉnh Kiên Giang về phát động phong trào thi đua thực hiện Quyết định số 749/QĐ-TTg của Thủ tướng Chính phủ, Hướng dẫn số 15/HD-HĐTĐKT ngày 20/11/2022 của Hội đồng Thi đua - Khen thưởng tỉnh và Công văn số 100/STTTT-BCVT ngày 01/12/2022 của Bộ Thông tin và Truyền thông;';
    const text = plan('I. MỤC ĐÍCH').replace(/Căn cứ Quyết định số 749[^\n]*/u, preamble);
    expect(extractPlan([text]).document.legalBases).toEqual([
      { kind: 'Kế hoạch', number: '243/KH-UBND', date: '2022-11-16', issuer: 'UBND tỉnh Kiên Giang' },
      { kind: 'Hướng dẫn', number: '15/HD-HĐTĐKT', date: '2022-11-20', issuer: 'Hội đồng Thi đua - Khen thưởng tỉnh' },
      { kind: 'Công văn', number: '100/STTTT-BCVT', date: '2022-12-01', issuer: 'Bộ Thông tin và Truyền thông' },
    ]);
  });

  it('reads header columns merged on one line and a number with stray spaces', () => {
    const header = ['THÀNH PHỐ CHÍ LINH Độc lập - Tự do - Hạnh phúc', 'Số 105 /KH-UBND Chí Linh, ngày 15 tháng 9 năm 2021'].join('\n');
    const { document } = extractPlan([plan('I. MỤC ĐÍCH', header)]);
    expect(document.number).toBe('105/KH-UBND');
    expect(document.issuedAt).toBe('2021-09-15');
    expect(document.place).toBe('Chí Linh');
    expect(document.locality).toEqual({ name: 'Chí Linh', level: 'thanh_pho', province: 'Hải Dương' });
  });

  it('reads an abbreviated unit word in the header', () => {
    const header = ['UBND TP. HÀ TIÊN', 'Số: 215/KH-UBND', 'TP. Hà Tiên, ngày 20 tháng 12 năm 2022'].join('\n');
    const { document } = extractPlan([plan('I. MỤC ĐÍCH', header)]);
    expect(document.issuer).toBe('Ủy ban nhân dân thành phố Hà Tiên');
    expect(document.locality).toEqual({ name: 'Hà Tiên', level: 'thanh_pho', province: 'Kiên Giang' });
  });

  it('finds the province of a commune from the place list', () => {
    const header = ['UBND HUYỆN TUẦN GIÁO', 'UBND XÃ TÀ MA', 'Số: 12/KH-UBND', 'Tà Ma, ngày 05 tháng 10 năm 2022'].join('\n');
    const { document } = extractPlan([plan('I. MỤC ĐÍCH\nThi đua trên địa bàn xã Tà Ma, huyện Tuần Giáo.', header)]);
    expect(document.locality).toEqual({ name: 'Tà Ma', level: 'xa', province: 'Điện Biên' });
    expect(document.issuer).toBe('Ủy ban nhân dân xã Tà Ma');
  });

  it('reads a department issuer under its province', () => {
    const header = ['UBND TỈNH KIÊN GIANG', 'SỞ XÂY DỰNG', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'].join('\n');
    const { document } = extractPlan([plan('Sở Xây dựng ban hành kế hoạch như sau:\nI. MỤC ĐÍCH', header)]);
    expect(document.issuer).toBe('Sở Xây dựng tỉnh Kiên Giang');
    expect(document.locality).toEqual({ name: 'Kiên Giang', level: 'so_nganh', province: 'Kiên Giang' });
  });

  it('reads phases, period and the signer', () => {
    const body = [
      'V. TIẾN ĐỘ THỰC HIỆN',
      '1. Giai đoạn 1: Từ năm 2021 đến năm 2025.',
      '2. Giai đoạn 2 (từ 2026 - 2030):',
      'Nơi nhận: TM. ỦY BAN NHÂN DÂN',
      '- Thường trực Tỉnh ủy; KT. CHỦ TỊCH',
      '- Thường trực HĐND tỉnh; PHÓ CHỦ TỊCH',
      '- Lưu: VT, NC.',
      'Hoàng Việt Phương',
    ].join('\n');
    const { document } = extractPlan([plan(body)]);
    expect(document.phases).toEqual([
      { name: 'Giai đoạn 1', from: 2021, to: 2025 },
      { name: 'Giai đoạn 2', from: 2026, to: 2030 },
    ]);
    expect(document.period).toEqual({ from: 2021, to: 2030 });
    expect(document.signer).toEqual({ name: 'Hoàng Việt Phương', position: 'Phó Chủ tịch' });
  });
});

describe('signature block', () => {
  it('reads the signer’s post at the end of a recipients’ line', () => {
    const body = ['V. TỔ CHỨC THỰC HIỆN', 'Trên đây là Kế hoạch của UBND thành phố./.', 'Nơi nhận: TM. ỦY BAN NHÂN DÂN', '- UBND tỉnh; KT. CHỦ TỊCH', '- Lưu: VT. PHÓ CHỦ TỊCH', 'Nguyễn Văn An'].join('\n');
    expect(extractPlan([plan(body)]).document.signer).toEqual({ name: 'Nguyễn Văn An', position: 'Phó Chủ tịch' });
  });
});

describe('targets', () => {
  it('applies a target to every level its clause joins', () => {
    const body = ['II. MỤC TIÊU', '- 100% hồ sơ công việc cấp tỉnh và cấp huyện và 90% hồ sơ công việc cấp xã được xử lý trên môi trường mạng.'].join('\n');
    expect(extractPlan([plan(body)]).targets.map((t) => [t.value, t.appliesTo])).toEqual([
      [100, 'cấp tỉnh và cấp huyện'],
      [90, 'cấp xã'],
    ]);
  });

  it('splits a clause with two numbers and keeps the shared predicate', () => {
    const body = ['II. MỤC TIÊU', '1. Mục tiêu cụ thể đến năm 2023', 'a) Về chính quyền số', '- 100% cơ sở dữ liệu dùng chung và 80% cơ sở dữ liệu chuyên ngành được kết nối, chia sẻ trên toàn tỉnh.'].join('\n');
    const { targets } = extractPlan([plan(body)]);
    expect(targets.map((t) => [t.value, t.indicator, t.year, t.pillar, t.section])).toEqual([
      [100, 'csdl_ket_noi_chia_se', 2023, 'chinh_quyen_so', 'II.1.a'],
      [80, 'csdl_ket_noi_chia_se', 2023, 'chinh_quyen_so', 'II.1.a'],
    ]);
    expect(targets[0]!.text).toContain('được kết nối, chia sẻ');
  });

  it('splits at a colon OCR read for a semicolon and takes the pillar of the indicator when a heading is lost', () => {
    const body = [
      'II. MỤC TIÊU',
      'a) Về chính quyền số',
      '- 100% cơ quan cấp tỉnh có nền tảng phân tích, xử lý dữ liệu tổng hợp tập trung: 100% cơ sở dữ liệu dùng chung được kết nối, chia sẻ.',
      'U VÀ bình tú so',
      '- Tỷ trọng thương mại điện tử trong tổng mức bán lẻ đạt trên 6%.',
    ].join('\n');
    const { targets } = extractPlan([plan(body)]);
    expect(targets.map((t) => [t.value, t.indicator, t.pillar])).toEqual([
      [100, 'nen_tang_phan_tich_du_lieu', 'chinh_quyen_so'],
      [100, 'csdl_ket_noi_chia_se', 'chinh_quyen_so'],
      [6, 'tmdt_ban_le', 'kinh_te_so'],
    ]);
  });

  it('ends a sentence at a comma OCR read for a full stop before "Tối thiểu"', () => {
    const body = ['II. MỤC TIÊU', '- 100% báo cáo định kỳ được thực hiện trên hệ thống thông tin báo cáo của tỉnh, Tối thiểu 70% cơ sở dữ liệu dùng chung được kết nối, chia sẻ.'].join('\n');
    const { targets } = extractPlan([plan(body)]);
    expect(targets.map((t) => [t.value, t.comparator, t.indicator])).toEqual([
      [100, '=', 'bao_cao_tren_he_thong'],
      [70, '>=', 'csdl_ket_noi_chia_se'],
    ]);
  });

  it('reads comparators, ranges, %/năm and counts', () => {
    const body = [
      'II. MỤC TIÊU',
      '- Tối thiểu 50% hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến.',
      '- Tỷ trọng thương mại điện tử trong tổng mức bán lẻ đạt trên 6%.',
      '- Tỷ lệ hồ sơ trễ hạn không quá 5%; tỷ lệ thất nghiệp dưới 2%.',
      '- Góp phần tăng năng suất lao động bình quân trên 6%/năm.',
      '- Trong quý IV năm 2021, UBND thành phố chọn ít nhất từ 02 đến 03 đơn vị để chỉ đạo điểm.',
    ].join('\n');
    const { targets } = extractPlan([plan(body)]);
    expect(targets.map((t) => [t.value, t.valueMax, t.unit, t.comparator])).toEqual([
      [50, null, '%', '>='],
      [6, null, '%', '>'],
      [5, null, '%', '<='],
      [2, null, '%', '<'],
      [6, null, '%/year', '>'],
      [2, 3, 'count', '>='],
    ]);
    expect(targets[0]!.indicator).toBe('ho_so_tthc_truc_tuyen');
    expect(targets[4]!.indicator).toBe('nang_suat_lao_dong');
    expect(targets[5]!.year).toBe(2021);
    expect(targets[5]!.appliesTo).toBe('UBND thành phố');
  });

  it('takes the level a heading gives and reads numbers with OCR stray characters', () => {
    const body = ['II. TIÊU CHÍ', '2. Các chỉ tiêu đến năm 2025', 'c) Đối với cấp xã:', '- 6O% hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng.'].join('\n');
    const [target] = extractPlan([plan(body)]).targets;
    expect(target).toMatchObject({ value: 60, appliesTo: 'cấp xã', year: 2025, section: 'II.2.c', indicator: 'ho_so_cong_viec_tren_mang' });
    expect(parseNumber('1O0')).toBe(100);
    expect(parseNumber('0,5')).toBe(0.5);
  });

  it('gives the same indicator to the same measure phrased differently', () => {
    expect(matchIndicator('Tỷ lệ hộ gia đình được phủ mạng Internet băng rộng cáp quang đạt 70%')).toBe('cap_quang_ho_gia_dinh');
    expect(matchIndicator('phổ cập dịch vụ mạng internet băng rộng cáp quang trên 70% hộ gia đình')).toBe('cap_quang_ho_gia_dinh');
    expect(matchIndicator('100% cán bộ công chức được bồi dưỡng, phổ cập kỹ năng số cơ bản')).toBe('can_bo_ky_nang_so');
    expect(matchIndicator('Tỷ lệ người dân trong độ tuổi lao động được đào tạo kỹ năng số cơ bản')).toBe('ky_nang_so_nguoi_dan');
    expect(matchIndicator('100% xe ô tô được đăng kiểm')).toBeNull();
    // Phrasings of other plans for indicators the gold plans word otherwise.
    expect(matchIndicator('Tỷ lệ dịch vụ công trực tuyến mức độ 4 trên tổng số thủ tục hành chính đạt 80%')).toBe('dvc_truc_tuyen_toan_trinh');
    expect(matchIndicator('Tỷ trọng kinh tế số trong các ngành kinh tế đạt tối thiểu 10%')).toBe('kinh_te_so_nganh');
    expect(matchIndicator('Doanh thu thương mại điện tử chiếm 10% tổng mức bán lẻ hàng hóa')).toBe('tmdt_ban_le');
    expect(matchIndicator('Tỷ lệ doanh nghiệp nhỏ và vừa ứng dụng các nền tảng số đạt 50%')).toBe('dnnvv_nen_tang_so');
    expect(matchIndicator('Trên 50% cuộc họp của UBND huyện với UBND cấp xã được tổ chức theo hình thức trực tuyến')).toBe('hop_truc_tuyen');
    expect(matchIndicator('100% thôn, bản được phủ sóng băng rộng di động 4G')).toBe('cap_quang_khu_dan_cu');
    expect(matchIndicator('Tỷ lệ doanh nghiệp sử dụng hóa đơn điện tử đạt 100%')).toBeNull();
  });
});

describe('deadlines', () => {
  it('reads quarters, years, both full date forms and yearly dates', () => {
    const body = [
      'V. TIẾN ĐỘ THỰC HIỆN',
      '- Năm 2022: Triển khai Kế hoạch thi đua. Hoàn thành trong quý IV năm 2022.',
      '- Từ quý I năm 2023 đến năm 2025, triển khai sâu rộng phong trào. Tổ chức sơ kết vào năm 2023 và tổng kết trong năm 2025.',
      '- Phòng Nội vụ tổng hợp danh sách chậm nhất ngày 31 tháng 12 năm 2022; báo cáo kết quả trước ngày 15/6/2023.',
      '- Hằng năm, các phòng chuyên môn gửi báo cáo về Văn phòng trước ngày 05/11.',
      '- Thực hiện theo Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ.',
    ].join('\n');
    const { deadlines } = extractPlan([plan(body)]);
    expect(deadlines.map((d) => [d.due, d.precision, d.recurrence, d.recurDay])).toEqual([
      ['2022-12-31', 'quarter', null, null],
      ['2023-12-31', 'year', null, null],
      ['2025-12-31', 'year', null, null],
      ['2022-12-31', 'day', null, null],
      ['2023-06-15', 'day', null, null],
      [null, 'day', 'yearly', '11-05'],
    ]);
    expect(deadlines[0]!.task).toBe('triển khai Kế hoạch thi đua');
    expect(deadlines[3]!.responsible).toBe('Phòng Nội vụ');
    expect(deadlines[5]!.responsible).toBe('các phòng chuyên môn');
  });

  it('finds the body behind a clause that opens with another verb ("ban hành ..., Sở ... chủ trì")', () => {
    const body = ['V. TIẾN ĐỘ THỰC HIỆN', '- Sau khi ban hành kế hoạch, Sở Nội vụ chủ trì tổng hợp kết quả trước ngày 15/12/2023.'].join('\n');
    const { deadlines } = extractPlan([plan(body)]);
    expect(deadlines.map((d) => [d.due, d.responsible])).toEqual([['2023-12-15', 'Sở Nội vụ']]);
  });
});

describe('deadlines under year headings', () => {
  it('dates the closing tasks under a year or span heading by its end, not the work that goes on', () => {
    const body = [
      'V. THỜI GIAN, TIẾN ĐỘ THỰC HIỆN',
      '1. Năm 2022',
      '- Ban hành Kế hoạch và tổ chức phát động phong trào thi đua.',
      '2. Năm 2023',
      '- Triển khai sâu rộng phong trào.',
      '- Tổ chức sơ kết phong trào thi đua.',
      '3. Giai đoạn 2024 - 2025',
      '- Tổng kết phong trào thi đua.',
    ].join('\n');
    const { deadlines } = extractPlan([body]);
    expect(deadlines.map((d) => [d.due, d.dueText, d.precision, d.task])).toEqual([
      ['2022-12-31', 'Năm 2022', 'year', 'ban hành Kế hoạch và tổ chức phát động phong trào thi đua'],
      ['2023-12-31', 'Năm 2023', 'year', 'tổ chức sơ kết phong trào thi đua'],
      ['2025-12-31', 'Giai đoạn 2024 - 2025', 'year', 'tổng kết phong trào thi đua'],
    ]);
  });
});

describe('awards', () => {
  it('lists every tier once, ranked by prestige, with grantor, occasions and quota', () => {
    const body = [
      'IV. KHEN THƯỞNG',
      '1. Khen thưởng hằng năm',
      'Chủ tịch UBND xã tặng Giấy khen cho tập thể, cá nhân có thành tích xuất sắc, tối đa không quá 05 tập thể và 05 cá nhân.',
      '2. Khen thưởng tổng kết',
      'a) Bằng khen của Chủ tịch UBND tỉnh; Bằng khen Thủ tướng Chính phủ.',
      'b) Giấy khen của Chủ tịch Ủy ban nhân dân xã cho các tập thể tiêu biểu.',
    ].join('\n');
    const { awards } = extractPlan([plan(body)]);
    expect(awards.map((a) => [a.rank, a.kind, a.grantor, a.grantorLevel, a.occasions])).toEqual([
      [1, 'bang_khen', 'Thủ tướng Chính phủ', 'trung_uong', ['tong_ket']],
      [2, 'bang_khen', 'Chủ tịch UBND tỉnh', 'tinh', ['tong_ket']],
      [3, 'giay_khen', 'Chủ tịch UBND xã', 'xa', ['hang_nam', 'tong_ket']],
    ]);
    expect(awards[2]!.quota).toEqual({ collectives: 5, individuals: 5 });
  });

  it('ranks a ministry’s awards with the province’s and reads a “Chiến sĩ thi đua” title as that tier', () => {
    const body = [
      'IV. HÌNH THỨC KHEN THƯỞNG',
      '1. Khen thưởng tổng kết',
      '- Đề nghị Bộ trưởng Bộ Thông tin và Truyền thông tặng Bằng khen cho 02 tập thể.',
      '- Cờ thi đua của Ủy ban nhân dân tỉnh tặng cho tập thể dẫn đầu.',
      '- Danh hiệu “Chiến sĩ thi đua cấp tỉnh”.',
      '- Đề nghị Chủ tịch nước tặng Huân chương Lao động hạng Ba.',
    ].join('\n');
    const { awards } = extractPlan([plan(body)]);
    expect(awards.map((a) => [a.rank, a.kind, a.grantor])).toEqual([
      [1, 'huan_chuong', 'Chủ tịch nước'],
      [2, 'co_thi_dua', 'UBND tỉnh'],
      [3, 'chien_si_thi_dua', 'Chủ tịch UBND tỉnh'],
      [4, 'bang_khen', 'Bộ trưởng Bộ Thông tin và Truyền thông'],
    ]);
  });
});

describe('OCR damage left after repair', () => {
  it('reads the period from a span whose "từ" OCR damaged', () => {
    const { document } = extractPlan([plan('V. TIẾN ĐỘ THỰC HIỆN\nPhong trào thi đua được triển khai thực hiện ừ năm 2021 đến năm 2030, chia làm hai giai đoạn.')]);
    expect(document.period).toEqual({ from: 2021, to: 2030 });
  });

  it('reads a header and headings as OCR leaves them', () => {
    const text = [
      'ỦY BAN NHÂN DÂN',
      'THÀNH PHỔỐ CHÍ LINH',
      'ˆ.. Số: 1057KH-UBND',
      ':',
      'Chí Linh, ngày 15 tháng 9 ndam 2021',
      'KẾ HOẠCH',
      'Triển khai phong trào thi đua “Chuyển đổi số”',
      '1. MỤC TIÊU',
      '1. Mục tiêu cụ thể',
      '.c) Đối với cấp xã: 60% hồ sơ công việc được xử lý trên môi trường mạng.',
      '- Tỷ lệ dân số trưởng thành có sử dụng dịch vụ công trực tuyến đạt trên',
      '- Tỷ lệ hộ gia đình có địa chỉ số đạt 70%.',
      '40%.',
      '. V.TIẾN ĐỘ THỰC HIỆN',
      '- Hằng năm, các phòng gửi báo cáo vào ngày 30/5.và 30/11 về Văn phòng.',
    ].join('\n');
    const { document, targets, deadlines } = extractPlan([text]);
    expect(document.number).toBe('105/KH-UBND');
    expect(document.issuedAt).toBe('2021-09-15');
    expect(document.locality).toEqual({ name: 'Chí Linh', level: 'thanh_pho', province: 'Hải Dương' });
    expect(targets.map((t) => [t.section, t.value, t.appliesTo])).toEqual([
      ['I.1.c', 60, 'cấp xã'],
      ['I.1.c', 40, 'cấp xã'],
      ['I.1.c', 70, 'cấp xã'],
    ]);
    expect(targets[1]!.indicator).toBe('dan_so_dung_dvc_truc_tuyen');
    expect(deadlines.map((d) => d.recurDay)).toEqual(['05-30', '11-30']);
  });

  it('takes a speck read as a bullet before a roman heading for a speck', () => {
    const text = [
      'KẾ HOẠCH',
      'Phát động phong trào thi đua “Chuyển đổi số”',
      'I. MỤC ĐÍCH, YÊU CẦU',
      '- Phát huy sức mạnh của cả hệ thống chính trị.',
      '- II. NỘI DUNG, TIÊU CHÍ THI ĐUA',
      '1. Các chỉ tiêu thi đua đến năm 2023',
      '- 100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình.',
    ].join('\n');
    const { targets } = extractPlan([text]);
    expect(targets.map((t) => [t.section, t.value, t.year])).toEqual([['II.1', 100, 2023]]);
  });
});

describe('numbers with stray characters', () => {
  it('mends percent signs and digits an engine without Vietnamese misread', () => {
    expect(mendPercents('đạt lO%o GRDP; đạt trên 50o/o; đạt 600/o; 15Yo; tối thiểu 3oyotrên')).toBe('đạt 10% GRDP; đạt trên 50%; đạt 60%; 15%; tối thiểu 30% trên');
    expect(mendPercents('dqt7Uo/o. dqtT5yo; dattr&t2yo. cấp tỉnh, gO% hồ sơ; đạt trên 50o;')).toBe('dqt 70%. dqt 75%; dattr&t 2%. cấp tỉnh, 90% hồ sơ; đạt trên 50%;');
    expect(mendPercents('- 1 00% hồ sơ; giảm 5 10%')).toBe('- 100% hồ sơ; giảm 5 10%');
    // the letters of a word glued to its number stay the word's
    expect(mendPercents('tăng10% và ĐẠT50%')).toBe('tăng 10% và ĐẠT 50%');
    // Words and numbers without a percent sign stay as written.
    const plain = 'Lo lắng, 100 người, ngày 15/6, Tổ 20o Phường 3, cao 50%';
    expect(mendPercents(plain)).toBe(plain);
  });

  it('reads targets from a damaged old text layer', () => {
    const body = ['II. MỤC TIÊU', '1. Mục tiêu đến năm 2023', '- Tỷ trọng kinh tế số đạt lO%o GRDP;', '- Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử dqttr€n50o/o;', '- Tỷ lệ hộ gia đình được phủ mạng Internet băng rộng cáp quang dqt7Uo/o.'].join('\n');
    const { targets } = extractPlan([plan(body)]);
    expect(targets.map((t) => [t.value, t.year, t.indicator])).toEqual([
      [10, 2023, 'kinh_te_so_grdp'],
      [50, 2023, 'dn_hop_dong_dien_tu'],
      [70, 2023, 'cap_quang_ho_gia_dinh'],
    ]);
  });

  it('reads a rate clause whose percent sign OCR lost or read as a digit', () => {
    const body = ['II. MỤC TIÊU', '- Tỷ lệ dân số có tài khoản thanh toán tại ngân hàng đạt 600 ;', '- Tỷ lệ người dân kết nối mạng được bảo vệ ở mức cơ bản đạt trên', '700h;', '- Tỷ lệ hộ gia đình có máy tính đạt 2000;'].join('\n');
    const { targets } = extractPlan([plan(body)]);
    expect(targets.map((t) => [t.value, t.unit, t.comparator, t.indicator])).toEqual([
      [60, '%', '=', 'tai_khoan_thanh_toan'],
      [70, '%', '>', 'nguoi_dan_ket_noi_bao_ve'],
    ]);
  });

  it('matches indicators through a letter damaged in a word and either spelling of i/y', () => {
    expect(matchIndicator('Có tối thiểu 80% người dân, doanh nghiệp thực hiện đánh giá hồi lòng')).toBe('hai_long_tthc');
    expect(matchIndicator('Tỷ lệ doanh nghiệp sử dụng hợp dùng điện tử đạt trên 50%')).toBe('dn_hop_dong_dien_tu');
    expect(matchIndicator('Tỉ lệ người dân trong độ tuổi lao động được đào tạo kĩ năng số cơ bản')).toBe('ky_nang_so_nguoi_dan');
    expect(matchIndicator('Tỉ lệ người dân trong độ tuổi lao động được đào tạo k! năng số cơ bản')).toBe('ky_nang_so_nguoi_dan');
    expect(matchIndicator('50% cán bộ, công chức được tập huấn, bồi dưỡng kỹ găng si. tích, khai thác dữ liệu')).toBe('can_bo_ky_nang_du_lieu');
    // Two words of "hợp đồng điện tử" changed is another phrase.
    expect(matchIndicator('Tỷ lệ người dân mua hộp dùng điện thoại đạt 50%')).toBeNull();
  });
});

describe('dates through OCR damage', () => {
  it('reads a quarter numeral, "ngày" and "năm" with a letter or speck damaged', () => {
    const body = [
      'V. TIẾN ĐỘ THỰC HIỆN',
      '- Tổ chức tổng kết phong trào thi đua vào Quý ¡V năm 2025.',
      '- Hằng năm, các phòng gửi báo cáo định kỳ vào hgày 30/5 và 30/11 về Văn phòng Sở.',
      '- Ủy ban nhân dân tỉnh tiếp tục triển khai giai đoạn 2 và tổng kết vào năm.',
      '2030..',
      '- Thực hiện theo Nghị quyết số 22-NQ/TU ngày',
      '.„. 08/6/2022 về Chuyển đổi số.',
    ].join('\n');
    const { deadlines } = extractPlan([body]);
    expect(deadlines.map((d) => [d.due, d.recurDay, d.task])).toEqual([
      ['2025-12-31', null, 'tổ chức tổng kết phong trào thi đua'],
      [null, '05-30', 'gửi báo cáo định kỳ về Văn phòng Sở'],
      [null, '11-30', 'gửi báo cáo định kỳ về Văn phòng Sở'],
      ['2030-12-31', null, 'tiếp tục triển khai giai đoạn 2 và tổng kết'],
    ]);
    const misread = extractPlan(['V. TIẾN ĐỘ\n- Hội đồng Thi đua - Khen thưởng tỉnh tổng kết vào hư 2030.\n- Hồ sơ lưu trong số 2022.']).deadlines;
    expect(misread.map((d) => [d.due, d.responsible])).toEqual([['2030-12-31', 'Hội đồng Thi đua - Khen thưởng tỉnh']]);
  });

  it('keeps the span the title gives when a body year is misread', () => {
    const text = plan('V. TIẾN ĐỘ\nPhong trào thi đua được triển khai thực hiện từ năm 2022 đến năm 2023, cụ thể như sau:').replace(
      /Phát động Phong trào thi đua “Chuyển đổi số tỉnh Tuyên Quang\nđến năm 2025, định hướng đến năm 2030”/u,
      'Phát động phong trào thi đua “Chuyển đổi số”\ngiai đoạn 2022-2025',
    );
    expect(extractPlan([text]).document.period).toEqual({ from: 2022, to: 2025 });
  });
});

describe('headings broken across lines and a missing first page', () => {
  // Page 2 of a plan whose first page is lost: no header, title or preamble; headings wrapped,
  // markers alone on their lines.
  const text = [
    'với Chủ đề "xây dựng chính quyền số, kinh tế số và xã hội số" như sau:',
    'II. MỤC TIÊU CỦA PHONG TRÀO',
    'THI ĐUA',
    '2.',
    'Mục tiêu cụ thể',
    '2.1. Mục tiêu cụ thể đến',
    'năm 2023',
    'a)',
    'Về chính quyền',
    'số',
    '- 90% thủ tục hành chính có đủ điều kiện được cung cấp dưới dạng dịch',
    'vụ công trực tuyến toàn trình.',
    'b) Về kinh tế số',
    '- Tỷ trọng kinh tế số đạt 10% GRDP;',
    '2.2. Mục tiêu cụ thể',
    'đến năm 2025',
    'c) Đối với',
    'cấp xã:',
    '- 70% hồ sơ công việc được xử lý trên môi trường mạng.',
  ].join('\n');

  it('gives each clause the section, year, pillar and level of its wrapped headings', () => {
    const { targets, warnings } = extractPlan(['', text]);
    expect(targets.map((t) => [t.section, t.value, t.year, t.pillar, t.appliesTo, t.indicator, t.page])).toEqual([
      ['II.2.1.a', 90, 2023, 'chinh_quyen_so', null, 'dvc_truc_tuyen_toan_trinh', 2],
      ['II.2.1.b', 10, 2023, 'kinh_te_so', null, 'kinh_te_so_grdp', 2],
      ['II.2.2.c', 70, 2025, 'chinh_quyen_so', 'cấp xã', 'ho_so_cong_viec_tren_mang', 2],
    ]);
    expect(warnings.join(' ')).toMatch(/first page may be missing/);
    const headings = readLayout(['', text]).paragraphs.filter((p) => p.isHeading);
    expect(headings.map((p) => [p.section, p.text])).toEqual([
      ['II', 'MỤC TIÊU CỦA PHONG TRÀO THI ĐUA'],
      ['II.2', 'Mục tiêu cụ thể'],
      ['II.2.1', 'Mục tiêu cụ thể đến năm 2023'],
      ['II.2.1.a', 'Về chính quyền số'],
      ['II.2.1.b', 'Về kinh tế số'],
      ['II.2.2', 'Mục tiêu cụ thể đến năm 2025'],
      ['II.2.2.c', 'Đối với cấp xã:'],
    ]);
  });

  it('gives the body a sentence opens with to the deadlines of all its clauses', () => {
    const body = [
      'V. TỔ CHỨC THỰC HIỆN',
      '1. Phòng Nội vụ có trách nhiệm hướng dẫn, theo dõi việc thực hiện Kế hoạch; tổng hợp báo cáo kết quả về Ban Thi đua - Khen thưởng tỉnh trước ngày 15/11 hằng năm.',
      '2. Các phòng, ban, ngành, đoàn thể thành phố, UBND các xã, phường xây dựng kế hoạch, gửi về Phòng Nội vụ chậm nhất ngày 31 tháng 10 năm 2022.',
    ].join('\n');
    const { deadlines } = extractPlan([body]);
    expect(deadlines.map((d) => [d.due, d.recurDay, d.responsible])).toEqual([
      [null, '11-15', 'Phòng Nội vụ'],
      ['2022-10-31', null, 'Các phòng, ban, ngành, đoàn thể thành phố, UBND các xã, phường'],
    ]);
  });
});

describe('whole documents', () => {
  it('returns values the record schema accepts, even without a first page', () => {
    const text = plan('I. MỤC TIÊU\n- Tối thiểu 90% người dân hài lòng.\nV. TIẾN ĐỘ\n- Hoàn thành trong quý III năm 2022.');
    expect(() => record(text)).not.toThrow();
    const noFirstPage = '100% văn bản điện tử.\nII. MỤC TIÊU\n- 80% thủ tục hành chính được xử lý đúng hạn.';
    const r = record(noFirstPage);
    expect(r.targets.map((t) => t.value)).toContain(80);
    expect(r.warnings.join(' ')).toMatch(/first page/);
  });

  const shared = path.resolve(__dirname, '..', '..', 'shared');
  const goldDir = path.join(shared, 'gold', 'extract');
  const haveGold = fs.existsSync(goldDir);
  it.skipIf(!haveGold)('scores above the floors on the gold documents (evalx)', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'extract-test-'));
    try {
      for (const file of fs.readdirSync(goldDir).filter((f) => f.endsWith('.json'))) {
        const id = file.slice(0, -5);
        const text = fs.readFileSync(path.join(shared, 'gold', 'text', `${id}.txt`), 'utf8');
        const out = path.join(work, file);
        fs.writeFileSync(out, JSON.stringify(record(text)));
        const score = JSON.parse(execFileSync('node', [path.join(shared, 'eval', 'evalx.mjs'), path.join(goldDir, file), out, '--json'], { encoding: 'utf8' }));
        expect(score.targets.f1, id).toBeGreaterThanOrEqual(0.9);
        expect(score.targets.indicatorAccuracy ?? 1, id).toBeGreaterThanOrEqual(0.85);
        expect(score.deadlines.f1, id).toBeGreaterThanOrEqual(0.85);
        expect(score.awards.f1, id).toBeGreaterThanOrEqual(0.9);
        expect(score.document.accuracy ?? 1, id).toBeGreaterThanOrEqual(0.85);
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it.skipIf(!haveGold)('maps the canonical list’s example phrasings to their own keys', () => {
    const indicators = JSON.parse(fs.readFileSync(path.join(shared, 'indicators.json'), 'utf8')) as { key: string; examples: string[] }[];
    const examples = indicators.flatMap((i) => i.examples.map((e) => [i.key, e] as const));
    const right = examples.filter(([key, e]) => matchIndicator(e) === key).length;
    expect(right / examples.length).toBeGreaterThanOrEqual(0.95);
  });
});
