// Text measurement and wrapping for the ladder: the width table matches the bundled fonts, and
// wrapping breaks Latin at spaces (and long URIs after punctuation) and Chinese between characters.

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fontFiles, FONT_MONO, FONT_SANS } from '../../../src/core/ladder/fonts';
import { ellipsize, hasCjk, textWidth, wrapText } from '../../../src/core/ladder/text-metrics';

// fontkit comes with pdfkit; it reads the real advance widths to compare with the table.
const fontkit = createRequire(import.meta.url)('fontkit') as {
  openSync(path: string): { unitsPerEm: number; glyphForCodePoint(cp: number): { advanceWidth: number } };
};

describe('text widths', () => {
  it('match the advance widths in the bundled DejaVu fonts', () => {
    const faces = [
      { file: fontFiles().find((f) => f.family === FONT_SANS && !f.bold && !f.italic)!, face: 'sans' as const },
      { file: fontFiles().find((f) => f.family === FONT_SANS && f.bold && !f.italic)!, face: 'sans-bold' as const },
      { file: fontFiles().find((f) => f.family === FONT_MONO && !f.bold)!, face: 'mono' as const },
    ];
    const sample = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), '→', '≈', '×', '·', '—', '…', '✎', '“'];
    for (const { file, face } of faces) {
      const font = fontkit.openSync(file.path);
      for (const ch of sample) {
        const expected = (font.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth / font.unitsPerEm) * 1000;
        expect(Math.abs(textWidth(ch, 1000, face) - expected), `${face} ${JSON.stringify(ch)}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('counts ideographs and full-width punctuation as one em', () => {
    expect(textWidth('握手，', 10)).toBe(30);
    expect(hasCjk('TLS 握手')).toBe(true);
    expect(hasCjk('ClientHello → 0.13 ms')).toBe(false);
  });
});

describe('wrapText', () => {
  it('breaks Latin text at spaces within the width', () => {
    const text = 'The client acknowledges the server’s SYN. The three-way handshake is complete.';
    const lines = wrapText(text, 200, 12);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe(text);
    for (const l of lines) expect(textWidth(l, 12)).toBeLessThanOrEqual(200);
  });

  it('splits a long URI after its punctuation instead of anywhere', () => {
    const lines = wrapText('GET /api/status?since=1795391127&fields=a,b HTTP/1.1', 200, 12.5);
    expect(lines[0]).toMatch(/^GET \/api\/status\?/);
    expect(lines[0]).toMatch(/[/?&=,]$/);
    expect(lines.join('').replace(/ /g, '')).toBe('GET/api/status?since=1795391127&fields=a,bHTTP/1.1');
    for (const l of lines) expect(textWidth(l, 12.5)).toBeLessThanOrEqual(200);
  });

  it('breaks a word longer than a line by character', () => {
    const lines = wrapText('A'.repeat(60), 100, 12);
    expect(lines.join('')).toBe('A'.repeat(60));
    for (const l of lines) expect(textWidth(l, 12)).toBeLessThanOrEqual(100);
  });

  it('wraps Chinese between characters, keeping punctuation off the line starts and brackets off the ends', () => {
    const text = '服务器在 8444 端口监听，回复 SYN+ACK：确认客户端的 SYN（ack=1），同时发送自己的初始序列号。';
    for (const width of [80, 120, 160, 200]) {
      const lines = wrapText(text, width, 12);
      for (const l of lines) expect(textWidth(l, 12)).toBeLessThanOrEqual(width);
      for (const l of lines.slice(1)) expect(l).not.toMatch(/^[，。：）]/);
      for (const l of lines.slice(0, -1)) expect(l).not.toMatch(/（$/);
      expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    }
  });

  it('ellipsizes to a maximum number of lines', () => {
    const lines = wrapText('one two three four five six seven eight nine ten', 60, 12, 'sans', 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.endsWith('…')).toBe(true);
    expect(ellipsize('short', 100, 12)).toBe('short');
  });
});
