// The font files the PNG and PDF exports draw text with, shipped as npm packages so that output
// does not depend on the fonts of the machine: DejaVu (dejavu-fonts-ttf) for Latin, Greek and
// symbols, Noto Sans CJK SC (@embedpdf/fonts-sc, a GB2312 subset, OTF/CFF) for Simplified Chinese.
// resvg silently drops text for which it has no font, so these paths are passed to it explicitly.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { FONT_CJK, FONT_MONO, FONT_SANS } from './text-metrics';

export { FAMILY_CJK, FAMILY_MONO, FAMILY_SANS, FONT_CJK, FONT_MONO, FONT_SANS } from './text-metrics';

export interface FontFile {
  /** Family name inside the file (what `font-family` matches). */
  family: string;
  bold: boolean;
  italic: boolean;
  /** Name the face is registered under in pdfkit: `DejaVu Sans`, `DejaVu Sans-Bold`, … */
  pdfName: string;
  path: string;
  cjk: boolean;
}

// Not named `require`: the CLI bundle's banner already declares that at the top level.
const resolveFrom = createRequire(import.meta.url);

/**
 * Native code (resvg) cannot read inside Electron's app.asar; packaged builds list the font
 * packages under asarUnpack, and this points at the unpacked copy.
 */
function unpacked(path: string): string {
  const marker = `${sep}app.asar${sep}`;
  if (!path.includes(marker)) return path;
  const alt = path.replace(marker, `${sep}app.asar.unpacked${sep}`);
  return existsSync(alt) ? alt : path;
}

function packageDir(entry: string): string {
  return unpacked(dirname(resolveFrom.resolve(entry)));
}

let cache: FontFile[] | null = null;

/** Every bundled face, Latin first. Paths are resolved from this module, so they work from tests,
 * the CLI bundle (with the packages external) and the Electron main process alike. */
export function fontFiles(): FontFile[] {
  if (cache !== null) return cache;
  const dejavu = join(packageDir('dejavu-fonts-ttf/package.json'), 'ttf');
  // @embedpdf/fonts-sc exports only its index (dist/index.cjs); the fonts sit in ../fonts.
  const noto = join(dirname(packageDir('@embedpdf/fonts-sc')), 'fonts');
  const face = (family: string, bold: boolean, italic: boolean, path: string, cjk = false): FontFile => ({
    family,
    bold,
    italic,
    pdfName: `${family}${bold && italic ? '-BoldItalic' : bold ? '-Bold' : italic ? '-Italic' : ''}`,
    path,
    cjk,
  });
  cache = [
    face(FONT_SANS, false, false, join(dejavu, 'DejaVuSans.ttf')),
    face(FONT_SANS, true, false, join(dejavu, 'DejaVuSans-Bold.ttf')),
    face(FONT_SANS, false, true, join(dejavu, 'DejaVuSans-Oblique.ttf')),
    face(FONT_SANS, true, true, join(dejavu, 'DejaVuSans-BoldOblique.ttf')),
    face(FONT_MONO, false, false, join(dejavu, 'DejaVuSansMono.ttf')),
    face(FONT_MONO, true, false, join(dejavu, 'DejaVuSansMono-Bold.ttf')),
    face(FONT_CJK, false, false, join(noto, 'NotoSansHans-Regular.otf'), true),
    face(FONT_CJK, true, false, join(noto, 'NotoSansHans-Bold.otf'), true),
  ];
  return cache;
}

/** Paths for resvg; the 8 MB CJK faces only when the document has Chinese text. */
export function resvgFontPaths(needCjk: boolean): string[] {
  return fontFiles().filter((f) => needCjk || !f.cjk).map((f) => f.path);
}
