import { describe, expect, it } from 'vitest';
import { readingOrder, type PositionedWord } from '../src/ocr/layout.js';

/** Words laid out from a string: "|" marks a wide gap, each line 40 px tall. */
function line(y: number, text: string, startX = 100): PositionedWord[] {
  const words: PositionedWord[] = [];
  let x = startX;
  for (const part of text.split('|')) {
    for (const word of part.trim().split(' ')) {
      words.push({ text: word, bbox: { x0: x, y0: y, x1: x + word.length * 20, y1: y + 40 } });
      x += word.length * 20 + 15;
    }
    x += 300;
  }
  return words;
}

describe('reading order', () => {
  it('reads a two-column header as two blocks, left first, then the body', () => {
    const lines = [
      line(100, 'UBND TỈNH TUYÊN QUANG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'),
      line(150, 'Số: 154/KH-UBND | Độc lập - Tự do - Hạnh phúc'),
      [...line(200, 'Tuyên Quang, ngày 12 tháng 8 năm 2022', 1500)],
      line(300, 'KẾ HOẠCH', 1000),
      line(360, 'Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ'),
    ];
    expect(readingOrder(lines, 2480)).toEqual([
      'UBND TỈNH TUYÊN QUANG',
      'Số: 154/KH-UBND',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Tuyên Quang, ngày 12 tháng 8 năm 2022',
      'KẾ HOẠCH',
      'Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ',
    ]);
  });

  it('keeps lines apart where a tall mark joins a word of one line to the next', () => {
    const first = line(100, '- Biểu dương, tôn vinh, khen thưởng các tập thể', 160);
    first[5]!.bbox.y1 = 185; // "tập" joined to a speck reaching into the line below
    const lines = [first, line(150, 'thuộc Sở có thành tích xuất sắc, tiêu biểu')];
    expect(readingOrder(lines, 2480)).toEqual(['- Biểu dương, tôn vinh, khen thưởng các tập thể', 'thuộc Sở có thành tích xuất sắc, tiêu biểu']);
  });

  it('drops specks read as characters and the page number', () => {
    const speck = (text: string, x: number, y: number): PositionedWord => ({ text, bbox: { x0: x, y0: y, x1: x + 3, y1: y + 3 } });
    const lines = [
      line(20, '2', 1230),
      [...line(100, '- Biểu dương, tôn vinh, khen thưởng các tập thể'), speck('i', 1900, 115)],
      line(150, 'thuộc Sở có thành tích xuất sắc, tiêu biểu'),
      [speck(':', 600, 215), ...line(200, 'trong triển khai thực hiện', 900)],
    ];
    expect(readingOrder(lines, 2480)).toEqual(['- Biểu dương, tôn vinh, khen thưởng các tập thể', 'thuộc Sở có thành tích xuất sắc, tiêu biểu', 'trong triển khai thực hiện']);
    // a page's own short lines and list markers stay
    expect(readingOrder([line(100, 'a) Mục tiêu'), line(150, '2025')], 2480)).toEqual(['a) Mục tiêu', '2025']);
  });

  it('keeps ordinary justified lines whole', () => {
    const lines = [line(100, 'Phát động phong trào thi đua'), line(150, 'đến năm 2025, định hướng đến năm 2030')];
    expect(readingOrder(lines, 2480)).toEqual(['Phát động phong trào thi đua', 'đến năm 2025, định hướng đến năm 2030']);
  });

  it('reads a recipients list that runs on below the signature, and past its gutter, before the signature', () => {
    const lines = [
      [...line(100, 'Nơi nhận:', 300), ...line(100, 'TM. ỦY BAN NHÂN DÂN', 1300)],
      [...line(150, '- Ban TĐKT tỉnh;', 300), ...line(150, 'KT. CHỦ TỊCH', 1300)],
      line(200, '- Các sở, ban, ngành, cơ quan;', 300),
      [...line(250, '- UBND huyện;', 300), ...line(250, 'Lưu Thanh Bình', 1300)],
      // a wrapped recipient reaching under the signer's name, beside the signature's scribble
      [...line(300, '- Hiệp hội Doanh nghiệp tỉnh; Hội Doanh nhân trẻ tỉnh', 300), ...line(300, '¬nn.', 1500)],
      line(350, '- Lưu: VT.', 300),
    ];
    expect(readingOrder(lines, 2480)).toEqual([
      'Nơi nhận:',
      '- Ban TĐKT tỉnh;',
      '- Các sở, ban, ngành, cơ quan;',
      '- UBND huyện;',
      '- Hiệp hội Doanh nghiệp tỉnh; Hội Doanh nhân trẻ tỉnh',
      '- Lưu: VT.',
      'TM. ỦY BAN NHÂN DÂN',
      'KT. CHỦ TỊCH',
      'Lưu Thanh Bình',
      '¬nn.',
    ]);
  });
});
