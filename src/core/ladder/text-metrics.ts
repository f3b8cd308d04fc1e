// Font family names and text measurement for the ladder renderers: advance widths of the bundled
// DejaVu fonts (so wrapping needs no font files and no DOM), and a word/character wrapper for Latin
// and CJK text.

/** Families as named inside the bundled font files (what resvg and the SVG `font-family` match on). */
export const FONT_SANS = 'DejaVu Sans';
export const FONT_MONO = 'DejaVu Sans Mono';
/** Noto Sans CJK SC (GB2312 subset) from @embedpdf/fonts-sc; its typographic family name. */
export const FONT_CJK = 'Noto Sans S Chinese';

/** `font-family` values for the SVG: the bundled face first, then generic fallbacks. */
export const FAMILY_SANS = `'${FONT_SANS}', 'Helvetica Neue', Arial, sans-serif`;
export const FAMILY_MONO = `'${FONT_MONO}', Menlo, Consolas, monospace`;
/** Text with Chinese in it is set entirely in the CJK face (which has Latin too), so that the PDF,
 * which takes one font per text element, and the PNG show the same glyphs. */
export const FAMILY_CJK = `'${FONT_CJK}', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif`;

export type Face = 'sans' | 'sans-bold' | 'mono';

// Advance widths in 1/1000 em of U+0020…U+007E, read from DejaVuSans.ttf and DejaVuSans-Bold.ttf
// 2.37 (test/core/ladder/text-metrics.test.ts checks them against the files).
const SANS_ASCII = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
  603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
  634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const BOLD_ASCII = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
  733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
  712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];
/** A few non-ASCII characters the ladder prints (arrows, dashes, ≈, ×, ·, typographic quotes). */
const SANS_EXTRA: Record<number, number> = {
  0xa0: 318, 0xa9: 1000, 0xab: 612, 0xb0: 500, 0xb1: 838, 0xb5: 636, 0xb7: 318, 0xbb: 612, 0xd7: 838, 0xe9: 615,
  0xfc: 634, 0x2013: 500, 0x2014: 1000, 0x2018: 318, 0x2019: 318, 0x201c: 518, 0x201d: 518, 0x2022: 590, 0x2026: 1000,
  0x2190: 838, 0x2192: 838, 0x2194: 838, 0x2248: 838, 0x2264: 838, 0x2265: 838, 0x2713: 838, 0x2717: 838, 0x270e: 838,
};
const BOLD_EXTRA: Record<number, number> = {
  ...SANS_EXTRA,
  0xa0: 348, 0xab: 646, 0xb5: 736, 0xb7: 380, 0xbb: 646, 0xe9: 678, 0xfc: 712, 0x2018: 380, 0x2019: 380, 0x201c: 657,
  0x201d: 657, 0x2022: 639,
};
const MONO_ADVANCE = 602;
/** Anything else: a generous average, so that estimates err towards wrapping early. */
const FALLBACK_ADVANCE = 640;

/** Ideographs, kana, hangul, CJK punctuation and full-width forms: one em wide, breakable anywhere. */
export function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

const WIDE_RE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** True when the text needs the CJK face. */
export function hasCjk(text: string): boolean {
  return WIDE_RE.test(text);
}

/** The `font-family` to set text in: the CJK stack for Chinese text, otherwise the given stack. */
export function familyFor(text: string, face: Face): string {
  if (hasCjk(text)) return FAMILY_CJK;
  return face === 'mono' ? FAMILY_MONO : FAMILY_SANS;
}

function advance(cp: number, face: Face): number {
  if (isWide(cp)) return 1000;
  if (face === 'mono') return MONO_ADVANCE;
  if (cp >= 0x20 && cp < 0x7f) return (face === 'sans-bold' ? BOLD_ASCII : SANS_ASCII)[cp - 0x20]!;
  const extra = (face === 'sans-bold' ? BOLD_EXTRA : SANS_EXTRA)[cp];
  return extra ?? FALLBACK_ADVANCE;
}

/** Estimated width in px of `text` set at `size` px. */
export function textWidth(text: string, size: number, face: Face = 'sans'): number {
  let units = 0;
  for (const ch of text) units += advance(ch.codePointAt(0)!, face);
  return (units * size) / 1000;
}

/** Characters that must not start a line (closing punctuation), per the usual CJK line-breaking rules. */
const NO_LINE_START = new Set([...'，。、；：！？）》」』】〕〉”’…—·,.;:!?)]}%']);
/** Characters that must not end a line (opening brackets and quotes). */
const NO_LINE_END = new Set([...'（《「『【〔〈“‘']);

interface Unit {
  text: string;
  spaceAfter: boolean;
}

/** Splits text into wrap units: words (with the space after them marked), single wide characters. */
function units(text: string): Unit[] {
  const out: Unit[] = [];
  let word = '';
  let carry = '';
  const push = (t: string, spaceAfter: boolean): void => {
    out.push({ text: carry + t, spaceAfter });
    carry = '';
  };
  const flush = (spaceAfter: boolean): void => {
    if (word !== '') push(word, spaceAfter);
    else if (spaceAfter && out.length > 0) out[out.length - 1]!.spaceAfter = true;
    word = '';
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      flush(true);
    } else if (NO_LINE_END.has(ch)) {
      // Opening brackets stick to what follows them, so they never end a line.
      flush(false);
      carry += ch;
    } else if (isWide(cp)) {
      // Closing punctuation sticks to what precedes it, so it never starts a line.
      if (NO_LINE_START.has(ch) && word !== '') {
        word += ch;
      } else if (NO_LINE_START.has(ch) && carry === '' && out.length > 0 && !out[out.length - 1]!.spaceAfter) {
        out[out.length - 1]!.text += ch;
      } else {
        flush(false);
        push(ch, false);
      }
    } else {
      if (carry !== '' && word === '') {
        word = carry;
        carry = '';
      }
      word += ch;
    }
  }
  flush(false);
  if (carry !== '') push('', false);
  return out;
}

/** Breaks a unit that is wider than the line into pieces by character. */
function hardBreak(text: string, maxWidth: number, size: number, face: Face): string[] {
  const pieces: string[] = [];
  let cur = '';
  for (const ch of text) {
    if (cur !== '' && textWidth(cur + ch, size, face) > maxWidth) {
      pieces.push(cur);
      cur = '';
    }
    cur += ch;
  }
  if (cur !== '') pieces.push(cur);
  return pieces;
}

/** Pieces of a long URI that end after `/ ? & =` (identifiers such as cipher suite names stay whole). */
function softPieces(word: string): string[] {
  return word.match(/[^/?&=]+[/?&=]*|[/?&=]+/g) ?? [word];
}

/**
 * Greedy wrap to lines no wider than `maxWidth` px: at spaces for Latin text, between characters
 * for CJK text; a long word (a URI) is split after its punctuation, and one longer than a line is
 * broken by character.
 */
export function wrapText(text: string, maxWidth: number, size: number, face: Face = 'sans', maxLines = Infinity): string[] {
  const lines: string[] = [];
  let cur = '';
  const fits = (s: string): boolean => textWidth(s, size, face) <= maxWidth;
  const place = (piece: string, joiner: string): void => {
    if (cur === '') cur = piece;
    else if (fits(cur + joiner + piece)) cur += joiner + piece;
    else {
      lines.push(cur);
      cur = piece;
    }
    if (!fits(cur)) {
      const pieces = hardBreak(cur, maxWidth, size, face);
      lines.push(...pieces.slice(0, -1));
      cur = pieces[pieces.length - 1] ?? '';
    }
  };
  let pendingSpace = false;
  for (const u of units(text.trim())) {
    const joiner = cur === '' || !pendingSpace ? '' : ' ';
    const long = textWidth(u.text, size, face) > maxWidth * 0.4;
    if (long && !fits(cur + joiner + u.text)) {
      softPieces(u.text).forEach((p, i) => place(p, i === 0 ? joiner : ''));
    } else {
      place(u.text, joiner);
    }
    pendingSpace = u.spaceAfter;
  }
  if (cur !== '') lines.push(cur);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = ellipsize(`${kept[maxLines - 1]!} ${lines.slice(maxLines).join(' ')}`, maxWidth, size, face);
    return kept;
  }
  return lines;
}

/** Cuts text to fit `maxWidth`, ending in an ellipsis when cut. */
export function ellipsize(text: string, maxWidth: number, size: number, face: Face = 'sans'): string {
  if (textWidth(text, size, face) <= maxWidth) return text;
  let cur = '';
  for (const ch of text) {
    if (textWidth(`${cur}${ch}…`, size, face) > maxWidth) break;
    cur += ch;
  }
  return `${cur.trimEnd()}…`;
}
