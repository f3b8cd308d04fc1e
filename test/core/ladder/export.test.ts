// PNG and PDF exports of the ladder SVG: file signatures, image and page sizes, that text is
// really drawn (fonts found), that fonts are embedded, and page splitting at step boundaries.

import { Resvg } from '@resvg/resvg-js';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { paginate, renderPdf, renderPng } from '../../../src/core/ladder/export';
import { fontFiles } from '../../../src/core/ladder/fonts';
import type { LadderModel } from '../../../src/core/ladder/model';
import { renderJson } from '../../../src/core/ladder/render-json';
import { renderSvg } from '../../../src/core/ladder/render-svg';
import { hasCjk } from '../../../src/core/ladder/text-metrics';
import { keepAliveModel, mtls12Model, tls13Model } from './fixtures';
import { decodePng, PNG_SIGNATURE, pixelDifference } from './png';

// fontkit comes with pdfkit.
const fontkit = createRequire(import.meta.url)('fontkit') as { openSync(path: string): { hasGlyphForCodePoint(cp: number): boolean } };

const svgOf = (model: LadderModel, layout: 'time' | 'even' = 'even', width?: number): string =>
  renderSvg(model, { layout, theme: 'light', width });

function svgHeight(svg: string): number {
  return Number(/<svg [^>]*height="(\d+)"/.exec(svg)![1]);
}

function pdfText(pdf: Uint8Array): string {
  return Buffer.from(pdf).toString('latin1');
}

/** Every stream's /Length is right and every Flate stream inflates (what a PDF reader will do). */
function checkStreams(pdf: Uint8Array): number {
  const text = pdfText(pdf);
  let checked = 0;
  for (const m of text.matchAll(/<<((?:[^<>]|<<[^<>]*>>|<[0-9a-fA-F]*>)*)>>\nstream\n/g)) {
    const dict = m[1]!;
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const start = m.index + m[0].length;
    expect(text.slice(start + length, start + length + 10)).toBe('\nendstream');
    if (dict.includes('/FlateDecode')) inflateSync(pdf.subarray(start, start + length));
    checked++;
  }
  return checked;
}

function pages(pdf: Uint8Array): string[] {
  return [...pdfText(pdf).matchAll(/\/Type \/Page\b[^]*?\/MediaBox \[([^\]]*)\]/g)].map((m) => m[1]!.trim());
}

/** A long conversation: the application data of the keep-alive fixture repeated, unfolded. */
function longModel(): LadderModel {
  const m = keepAliveModel();
  const app = m.steps.filter((s) => s.phase === 'application-data');
  const steps = [...m.steps.slice(0, 3)];
  for (let r = 0; r < 6; r++) for (const s of app) steps.push({ ...s, time: s.time + r * 0.01, folded: null });
  steps.push(...m.steps.filter((s) => s.phase === 'teardown'));
  steps.forEach((s, i) => (s.index = i + 1));
  m.steps = steps;
  m.phases = [
    { phase: 'tcp-handshake', firstStep: 1, lastStep: 3 },
    { phase: 'application-data', firstStep: 4, lastStep: steps.length - 3 },
    { phase: 'teardown', firstStep: steps.length - 2, lastStep: steps.length },
  ];
  return m;
}

describe('renderPng', () => {
  const svg = svgOf(mtls12Model());

  it('writes a PNG of the drawing’s size at scale 1 and twice that at scale 2', () => {
    const one = renderPng(svg);
    expect([...one.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const ihdr = new DataView(one.buffer, one.byteOffset + 8);
    expect(String.fromCharCode(...one.subarray(12, 16))).toBe('IHDR');
    expect(ihdr.getUint32(8)).toBe(1000);
    expect(ihdr.getUint32(12)).toBe(svgHeight(svg));
    const two = decodePng(renderPng(svg, { scale: 2 }));
    expect(two.width).toBe(2000);
    expect(two.height).toBe(svgHeight(svg) * 2);
  });

  it('draws the text (the bundled fonts load)', () => {
    const withText = decodePng(renderPng(svg));
    const withoutText = decodePng(renderPng(svg.replace(/<text\b[^>]*>[^<]*<\/text>/g, '')));
    expect(withText.width).toBe(withoutText.width);
    // Glyphs cover a few percent of a text-heavy diagram…
    expect(pixelDifference(withText, withoutText)).toBeGreaterThan(0.02);
    // …and resvg without fonts silently draws none, which this comparison would catch.
    const noFonts = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [] } }).render().asPng();
    expect(pixelDifference(decodePng(noFonts), withoutText)).toBeLessThan(0.001);
  });

  it('draws Chinese text with the CJK font', () => {
    const zh = svgOf(mtls12Model('zh-CN'));
    const withText = decodePng(renderPng(zh));
    const withoutCjk = decodePng(renderPng(zh.replace(/<text\b[^>]*Noto Sans S Chinese[^>]*>[^<]*<\/text>/g, '')));
    expect(pixelDifference(withText, withoutCjk)).toBeGreaterThan(0.02);
  });
});

describe('renderPdf', () => {
  it('writes an A4 PDF with embedded subset fonts and a text layer', async () => {
    const pdf = await renderPdf(svgOf(tls13Model()));
    const text = pdfText(pdf);
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pages(pdf).length).toBeGreaterThanOrEqual(1);
    for (const box of pages(pdf)) expect(box).toBe('0 0 595.28 841.89');
    expect(text).toContain('/FontFile2');
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(text).toContain('/ToUnicode');
    expect(text).not.toMatch(/\/BaseFont \/Helvetica/);
    expect(checkStreams(pdf)).toBeGreaterThan(5);
  });

  it('embeds the CJK face for Chinese diagrams', async () => {
    const pdf = await renderPdf(svgOf(mtls12Model('zh-CN')));
    expect(checkStreams(pdf)).toBeGreaterThan(5);
    const text = pdfText(pdf);
    expect(text).toContain('/FontFile3');
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
  });

  it('splits a tall diagram across A4 portrait pages at step boundaries', async () => {
    const svg = svgOf(longModel());
    const pdf = await renderPdf(svg);
    const boxes = pages(pdf);
    expect(boxes.length).toBeGreaterThanOrEqual(3);
    for (const box of boxes) expect(box).toBe('0 0 595.28 841.89');
    const breaks = /data-page-breaks="([^"]*)"/.exec(svg)![1]!.split(' ').map(Number);
    const usable = (841.89 - 48 - 14) / ((595.28 - 48) / 1000);
    const heads = /<g class="lifeline-heads" data-y0="([\d.]+)" data-y1="([\d.]+)"/.exec(svg)!;
    const slices = paginate(svgHeight(svg), usable, usable - (Number(heads[2]) - Number(heads[1]) + 8), breaks);
    expect(slices).toHaveLength(boxes.length);
    for (const s of slices.slice(0, -1)) expect(breaks).toContain(s.bottom);
  });

  it('turns the page for a drawing wider than tall', async () => {
    const m = mtls12Model();
    m.steps = m.steps.slice(0, 3);
    m.phases = [{ phase: 'tcp-handshake', firstStep: 1, lastStep: 3 }];
    m.brackets = m.brackets.slice(0, 1);
    const svg = svgOf(m, 'even', 1400);
    expect(svgHeight(svg)).toBeLessThan(1400);
    expect(pages(await renderPdf(svg))).toEqual(['0 0 841.89 595.28']);
  });

  it('gives the same bytes for the same SVG', async () => {
    const svg = svgOf(tls13Model());
    expect(Buffer.from(await renderPdf(svg)).equals(Buffer.from(await renderPdf(svg)))).toBe(true);
  });
});

describe('paginate', () => {
  it('ends pages at the lowest break that fits, or cuts when none does', () => {
    expect(paginate(900, 1000, 1000, [])).toEqual([{ top: 0, bottom: 900 }]);
    expect(paginate(2500, 1000, 900, [400, 950, 1200, 1700, 2100])).toEqual([
      { top: 0, bottom: 950 },
      { top: 950, bottom: 1700 },
      { top: 1700, bottom: 2500 },
    ]);
    expect(paginate(2100, 1000, 1000, [])).toEqual([
      { top: 0, bottom: 1000 },
      { top: 1000, bottom: 2000 },
      { top: 2000, bottom: 2100 },
    ]);
  });
});

describe('fonts', () => {
  it('resolves every bundled font file', () => {
    for (const f of fontFiles()) expect(existsSync(f.path), f.path).toBe(true);
  });

  it('has a glyph for every character the Chinese diagrams print (the CJK face is a GB2312 subset)', () => {
    const noto = fontkit.openSync(fontFiles().find((f) => f.cjk && !f.bold)!.path);
    const zh = [renderSvg(mtls12Model('zh-CN'), { layout: 'time', theme: 'light' }), renderSvg(keepAliveModel('zh-CN'), { layout: 'time', theme: 'light' })];
    const chars = new Set([...zh.join('')].filter((c) => hasCjk(c)));
    expect(chars.size).toBeGreaterThan(100);
    const missing = [...chars].filter((c) => !noto.hasGlyphForCodePoint(c.codePointAt(0)!));
    expect(missing).toEqual([]);
  });
});

describe('renderJson', () => {
  it('round-trips the model as pretty JSON with a stable key order', () => {
    const model = mtls12Model();
    const json = renderJson(model);
    expect(JSON.parse(json)).toEqual(model);
    expect(json.startsWith('{\n  "title": ')).toBe(true);
    // Same model built with keys in another order: same bytes.
    const shuffled = JSON.parse(JSON.stringify(model, Object.keys(model).reverse())) as LadderModel;
    const reordered = { ...Object.fromEntries(Object.entries(model).reverse()) } as unknown as LadderModel;
    expect(renderJson(reordered)).toBe(json);
    expect(Object.keys(JSON.parse(renderJson(shuffled)) as object)[0]).toBe('title');
    const step = JSON.parse(json).steps[0] as Record<string, unknown>;
    expect(Object.keys(step).slice(0, 3)).toEqual(['index', 'time', 'from']);
  });
});
