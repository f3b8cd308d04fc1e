// PNG and PDF made from the ladder's SVG, for the CLI and the app.
//
// PNG: @resvg/resvg-js (Rust resvg through N-API): a complete static-SVG renderer with no browser
// and no system libraries, fed the bundled fonts explicitly (it drops text silently without fonts).
//
// PDF: pdfkit + svg-to-pdfkit. The SVG is replayed as PDF drawing operators, so the PDF is vector
// (sharp at any zoom, small), its text stays real text (selectable, searchable, with ToUnicode maps),
// and the same DejaVu / Noto faces are embedded as subsets (FontFile2 for TrueType, FontFile3 for the
// CFF-based CJK face). Both are pure JavaScript and run in the CLI, the engine worker and Electron's
// main process alike. Rejected: printing through headless Chromium (Electron's printToPDF) — needs a
// browser window, so not in the CLI or tests; wrapping resvg's PNG in a PDF — raster, text not
// selectable; pdf-lib — no SVG support. The page layout is ours: A4, portrait or landscape by the
// drawing's aspect, scaled to the page width, and split across pages at the step boundaries the
// SVG lists in data-page-breaks.

import { createRequire } from 'node:module';
import type * as ResvgModule from '@resvg/resvg-js';
import { FONT_CJK, FONT_MONO, FONT_SANS, fontFiles, resvgFontPaths } from './fonts';
import { hasCjk } from './text-metrics';

// The renderers load on first use: every command and the engine worker start without them (they
// take most of a CLI start-up, and `wireladder info` must cost what reading the file costs).
// Not named `require`: the CLI bundle's banner already declares that at the top level.
const load = createRequire(import.meta.url);

export interface PngOptions {
  /** Pixels per SVG px (default 1; 2 for high-DPI screens and print). */
  scale?: number;
}

/** Larger renderings are scaled down to stay below this many pixels (~480 MB of RGBA). */
const MAX_PIXELS = 120_000_000;

interface SvgSize {
  width: number;
  height: number;
}

function rootTag(svg: string): string {
  const m = /<svg\b[^>]*>/.exec(svg);
  if (m === null) throw new Error('not an SVG document');
  return m[0];
}

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m === null ? null : m[1]!;
}

/** The drawing's size in px, from width/height or the viewBox. */
function svgSize(svg: string): SvgSize {
  const tag = rootTag(svg);
  const w = Number.parseFloat(attr(tag, 'width') ?? '');
  const h = Number.parseFloat(attr(tag, 'height') ?? '');
  if (w > 0 && h > 0) return { width: w, height: h };
  const vb = (attr(tag, 'viewBox') ?? '').trim().split(/[\s,]+/).map(Number);
  if (vb.length === 4 && vb[2]! > 0 && vb[3]! > 0) return { width: vb[2]!, height: vb[3]! };
  throw new Error('the SVG has neither width/height nor a viewBox');
}

export function renderPng(svg: string, opts: PngOptions = {}): Uint8Array {
  const size = svgSize(svg);
  let scale = Math.min(8, Math.max(0.1, opts.scale ?? 1));
  const pixels = size.width * size.height * scale * scale;
  if (pixels > MAX_PIXELS) scale *= Math.sqrt(MAX_PIXELS / pixels);
  const { Resvg } = load('@resvg/resvg-js') as typeof ResvgModule;
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      fontFiles: resvgFontPaths(hasCjk(svg)),
      loadSystemFonts: false,
      defaultFontFamily: FONT_SANS,
      sansSerifFamily: FONT_SANS,
      monospaceFamily: FONT_MONO,
    },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: 'off',
  });
  const png = resvg.render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

export interface PdfOptions {
  /** Page margin in pt (default 24 ≈ 8.5 mm). */
  margin?: number;
  /** 'auto' (default): landscape when the drawing is wider than tall. */
  orientation?: 'auto' | 'portrait' | 'landscape';
  /** Document title (default: the SVG's <title>). */
  title?: string;
  /** Creation date written into the PDF; fixed by default so that the same SVG gives the same bytes. */
  creationDate?: Date;
  /** Page footer with the title and "page / pages" (default true). */
  footer?: boolean;
  /** What svg-to-pdfkit could not draw (unsupported SVG features); silent by default. */
  onWarning?: (message: string) => void;
}

const A4 = { width: 595.28, height: 841.89 };
const FOOTER_H = 14;
/** Up to this much taller than a page, the drawing is scaled down to fit instead of split. */
const FIT_SLACK = 1.1;

/** Undoes escapeXml for the few strings read back out of the SVG (the title). */
function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

export interface PageSlice {
  top: number;
  bottom: number;
}

/**
 * Cuts a drawing `height` px tall into pages, the first at most `firstHeight` px, the others at
 * most `otherHeight`, ending each page at the lowest allowed break that fits (a step boundary), or
 * at the page height when none does.
 */
export function paginate(height: number, firstHeight: number, otherHeight: number, breaks: number[]): PageSlice[] {
  const slices: PageSlice[] = [];
  let top = 0;
  let pageHeight = firstHeight;
  while (height - top > pageHeight + 0.5) {
    const limit = top + pageHeight;
    const fit = breaks.filter((b) => b > top + pageHeight * 0.25 && b <= limit);
    const bottom = fit.length > 0 ? Math.max(...fit) : limit;
    slices.push({ top, bottom });
    top = bottom;
    pageHeight = otherHeight;
  }
  slices.push({ top, bottom: height });
  return slices;
}

interface RepeatedHeads {
  /** The boxes' markup and their vertical extent in the drawing. */
  inner: string;
  y0: number;
  y1: number;
}

const HEADS_RE = /^<g class="lifeline-heads" data-y0="([-\d.]+)" data-y1="([-\d.]+)">(.*)<\/g>$/m;

/**
 * The part of a WireLadder SVG between `top` and `bottom`: the root's viewBox is narrowed to the
 * slice and its size set in pt, and top-level elements whose data-y0…data-y1 lie outside are left
 * out, so no hidden copy of their text lands on this page. Lines without an extent (backgrounds,
 * lifelines, band rectangles: no text) are kept and clipped by the viewport. On continuation pages
 * the lifeline header boxes are drawn again above the slice.
 */
function sliceSvg(svg: string, slice: PageSlice, width: number, scale: number, heads: RepeatedHeads | null, background: string): string {
  const out: string[] = [];
  const headH = heads === null ? 0 : heads.y1 - heads.y0 + 8;
  const top = slice.top - headH;
  const h = slice.bottom - top;
  for (const line of svg.split('\n')) {
    if (line.startsWith('<svg')) {
      out.push(
        line
          .replace(/\swidth="[^"]*"/, ` width="${(width * scale).toFixed(2)}"`)
          .replace(/\sheight="[^"]*"/, ` height="${(h * scale).toFixed(2)}"`)
          .replace(/\sviewBox="[^"]*"/, ` viewBox="0 ${top.toFixed(2)} ${width} ${h.toFixed(2)}"`),
      );
      continue;
    }
    if (line === '</svg>' && heads !== null) {
      out.push(`<rect x="0" y="${top.toFixed(2)}" width="${width}" height="${(headH - 2).toFixed(2)}" fill="${background}"/>`);
      out.push(`<g transform="translate(0 ${(top + 2 - heads.y0).toFixed(2)})">${heads.inner}</g>`);
    }
    const y0 = /^<\w+[^>]*\sdata-y0="([-\d.]+)"/.exec(line);
    const y1 = /^<\w+[^>]*\sdata-y1="([-\d.]+)"/.exec(line);
    if (y0 !== null && y1 !== null && (Number(y1[1]) <= slice.top || Number(y0[1]) >= slice.bottom)) continue;
    out.push(line);
  }
  return out.join('\n');
}

export async function renderPdf(svg: string, opts: PdfOptions = {}): Promise<Uint8Array> {
  const size = svgSize(svg);
  const tag = rootTag(svg);
  const margin = opts.margin ?? 24;
  const footer = opts.footer ?? true;
  const landscape = opts.orientation === 'landscape' || (opts.orientation !== 'portrait' && size.width > size.height);
  const page = landscape ? { width: A4.height, height: A4.width } : A4;
  const contentH = page.height - 2 * margin - (footer ? FOOTER_H : 0);
  let scale = (page.width - 2 * margin) / size.width;
  // A drawing a little taller than one page is shrunk onto it rather than split off a nearly empty page.
  if (size.height * scale > contentH && size.height * scale <= contentH * FIT_SLACK) scale = contentH / size.height;
  const usable = contentH / scale;
  const breaks = (attr(tag, 'data-page-breaks') ?? '').split(/\s+/).filter((b) => b !== '').map(Number).filter(Number.isFinite);
  const headsMatch = HEADS_RE.exec(svg);
  const heads = headsMatch === null ? null : { y0: Number(headsMatch[1]), y1: Number(headsMatch[2]), inner: headsMatch[3]! };
  const headH = heads === null ? 0 : heads.y1 - heads.y0 + 8;
  const slices = paginate(size.height, usable, usable - headH, breaks);
  const titleMatch = /<title>([^<]*)<\/title>/.exec(svg);
  const title = opts.title ?? (titleMatch !== null ? unescapeXml(titleMatch[1]!) : 'WireLadder ladder');
  const background = /<rect\b[^>]*class="background"[^>]*fill="(#[0-9a-fA-F]{3,8})"/.exec(svg)?.[1] ?? '#ffffff';
  const dark = background !== '#ffffff' && background !== '#fff';

  const PDFDocument = (await import('pdfkit')).default;
  const SVGtoPDF = (await import('svg-to-pdfkit')).default;
  const doc = new PDFDocument({
    size: [page.width, page.height],
    margin: 0,
    autoFirstPage: false,
    compress: true,
    info: {
      Title: title,
      Creator: 'WireLadder',
      Producer: 'WireLadder (pdfkit, svg-to-pdfkit)',
      CreationDate: opts.creationDate ?? new Date(Date.UTC(2000, 0, 1)),
    },
  });
  for (const f of fontFiles()) doc.registerFont(f.pdfName, f.path);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  const fontCallback = (family: string, bold: boolean, italic: boolean): string => {
    if (family.includes(FONT_CJK)) return bold ? `${FONT_CJK}-Bold` : FONT_CJK;
    if (family.includes(FONT_MONO)) return bold ? `${FONT_MONO}-Bold` : FONT_MONO;
    return `${FONT_SANS}${bold && italic ? '-BoldItalic' : bold ? '-Bold' : italic ? '-Italic' : ''}`;
  };
  slices.forEach((slice, i) => {
    doc.addPage({ size: [page.width, page.height], margin: 0 });
    if (dark) doc.rect(0, 0, page.width, page.height).fill(background);
    // Continuation pages that still show steps get the lifeline headers again.
    const hasSteps = [...svg.matchAll(/^<g class="step"[^>]*\sdata-y0="([-\d.]+)"/gm)].some((m) => Number(m[1]) >= slice.top && Number(m[1]) < slice.bottom);
    const repeat = i > 0 && hasSteps ? heads : null;
    const h = (slice.bottom - slice.top + (repeat === null ? 0 : headH)) * scale;
    doc.save();
    const left = (page.width - size.width * scale) / 2;
    doc.rect(left, margin, size.width * scale, h).clip();
    SVGtoPDF(doc, sliceSvg(svg, slice, size.width, scale, repeat, background), left, margin, {
      assumePt: true,
      fontCallback,
      warningCallback: (w) => opts.onWarning?.(w),
    });
    doc.restore();
    if (footer) {
      const text = `${title}   ·   ${i + 1} / ${slices.length}`;
      doc
        .font(hasCjk(text) ? FONT_CJK : FONT_SANS)
        .fontSize(7)
        .fillColor(dark ? '#aab4c3' : '#6b7280')
        .text(text, margin, page.height - margin - 8, { width: page.width - 2 * margin, align: 'right', lineBreak: false });
    }
  });
  doc.end();
  await done;
  const buf = Buffer.concat(chunks);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
