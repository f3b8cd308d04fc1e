// Draws a ladder model as one self-contained SVG document (no scripts, external references or
// foreignObject). Pure and deterministic: the same model and options give the same bytes.
//
// Every top-level element sits on its own line and carries data-y0/data-y1 when it has text, so
// export.ts can split the drawing into PDF pages at the y positions listed in data-page-breaks
// without leaving hidden copies of text on other pages.

import type { LadderModel, StepKind } from './model';
import { layoutLadder, LEGEND_SAMPLE, SIZES, type Callout, type Layout, type LegendItem, type StepLayout, type Tag } from './layout';
import { conversationTitle } from './labels';
import { FAMILY_SANS, familyFor, textWidth } from './text-metrics';
import { stateFamily, theme as themeByName, type KindStyle, type Theme } from './theme';

export interface SvgOptions {
  layout: 'time' | 'even';
  theme: 'light' | 'dark';
  /** Width in px (default 1000). */
  width?: number;
}

// Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF): text from
// the wire may carry them, and one of them makes the whole document unreadable.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Coordinates rounded to two decimals, printed without exponent or "-0". */
function n(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) || r === 0 ? '0' : String(r);
}

interface TextStyle {
  size: number;
  fill: string;
  bold?: boolean;
  mono?: boolean;
  italic?: boolean;
  anchor?: 'start' | 'middle' | 'end';
}

function text(x: number, y: number, content: string, st: TextStyle): string {
  const family = familyFor(content, st.mono === true ? 'mono' : 'sans');
  let attrs = `x="${n(x)}" y="${n(y)}" font-size="${n(st.size)}" fill="${st.fill}"`;
  if (family !== FAMILY_SANS) attrs += ` font-family="${escapeXml(family)}"`;
  if (st.bold === true) attrs += ' font-weight="bold"';
  if (st.italic === true) attrs += ' font-style="italic"';
  if (st.anchor !== undefined && st.anchor !== 'start') attrs += ` text-anchor="${st.anchor}"`;
  return `<text ${attrs}>${escapeXml(content)}</text>`;
}

function rect(x: number, y: number, w: number, h: number, attrs: string): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" ${attrs}/>`;
}

function line(x1: number, y1: number, x2: number, y2: number, attrs: string): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" ${attrs}/>`;
}

function strokeAttrs(k: KindStyle): string {
  return `stroke="${k.color}" stroke-width="${n(k.width)}"${k.dash === '' ? '' : ` stroke-dasharray="${k.dash}"`} fill="none"`;
}

/** An arrow from (x1, y1) to (x2, y2) with a filled head; `double` draws the folded-steps style. */
function arrow(x1: number, y1: number, x2: number, y2: number, k: KindStyle, double: boolean, bg: string): string {
  const len = Math.hypot(x2 - x1, y2 - y1) || 1;
  const dx = (x2 - x1) / len;
  const dy = (y2 - y1) / len;
  const head = 10 + k.width;
  const half = 4 + k.width / 2;
  const bx = x2 - dx * head;
  const by = y2 - dy * head;
  const out: string[] = [];
  if (double) {
    const ox = -dy * 2.2;
    const oy = dx * 2.2;
    out.push(line(x1 + ox, y1 + oy, bx + ox, by + oy, strokeAttrs(k)));
    out.push(line(x1 - ox, y1 - oy, bx - ox, by - oy, strokeAttrs(k)));
  } else {
    out.push(line(x1, y1, bx + dx * 1, by + dy * 1, strokeAttrs(k)));
  }
  out.push(`<circle cx="${n(x1)}" cy="${n(y1)}" r="${n(2.2 + k.width / 2)}" fill="${k.color}" stroke="${bg}" stroke-width="1"/>`);
  out.push(`<path d="M${n(x2)} ${n(y2)}L${n(bx - dy * half)} ${n(by + dx * half)}L${n(bx + dy * half)} ${n(by - dx * half)}Z" fill="${k.color}"/>`);
  return out.join('');
}

function numberBadge(cx: number, cy: number, index: number, t: Theme): string {
  const label = String(index);
  const w = textWidth(label, SIZES.number, 'sans-bold');
  const r = Math.max(10, w / 2 + 4);
  return `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="${t.numberFill}"/>` + text(cx, cy + 4, label, { size: SIZES.number, fill: t.numberText, bold: true, anchor: 'middle' });
}

function stateTag(tag: Tag, t: Theme): string {
  const c = t.states[stateFamily(tag.state)];
  return `<g class="state" data-side="${tag.side}" data-state="${tag.state}">` +
    rect(tag.x, tag.y, tag.w, 17, `rx="8.5" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1"`) +
    text(tag.x + tag.w / 2, tag.y + 12.5, tag.text, { size: SIZES.tag, fill: c.text, bold: true, mono: true, anchor: 'middle' }) +
    '</g>';
}

function callout(c: Callout, t: Theme): string {
  const out = [line(c.anchorX, c.anchorY, c.anchorX, c.y, `stroke="${t.callout.stroke}" stroke-width="1" stroke-dasharray="3 2"`)];
  out.push(rect(c.x, c.y, c.w, c.h, `rx="4" fill="${t.callout.fill}" stroke="${t.callout.stroke}" stroke-width="1"`));
  c.lines.forEach((l, i) => out.push(text(c.x + 8, c.y + 15 + i * 14, l, { size: SIZES.callout, fill: t.callout.text })));
  return out.join('');
}

function stepGroup(s: StepLayout, L: Layout, t: Theme): string {
  const st = s.step;
  const k = t.kinds[st.kind];
  const out: string[] = [];
  out.push(text(L.columns.timeRight, s.y1 + 4, s.timeText, { size: SIZES.time, fill: t.muted, mono: true, anchor: 'end' }));
  out.push(numberBadge(L.columns.numberX, s.y1, st.index, t));
  out.push(arrow(s.x1, s.y1, s.x2, s.y2, k, st.folded !== null, t.background));
  s.labelLines.forEach((l, i) =>
    out.push(text(s.labelX, s.labelY + i * 15, l, { size: SIZES.label, fill: k.loud ? k.color : t.text, bold: k.loud, anchor: 'middle' })),
  );
  if (s.subLabel !== null) out.push(text(s.labelX, s.subLabelY, s.subLabel, { size: SIZES.subLabel, fill: t.muted, anchor: 'middle' }));
  for (const tag of s.tags) out.push(stateTag(tag, t));
  for (const c of s.callouts) out.push(callout(c, t));
  if (s.explLines.length > 0) {
    out.push(numberBadge(L.columns.explX + L.columns.numberR, s.explTop + 10, st.index, t));
    s.explLines.forEach((l, i) => out.push(text(L.columns.explTextX, s.explTop + 14 + i * 17, l, { size: SIZES.explanation, fill: t.text })));
  }
  const packets = st.packets.join(',');
  const problem = st.problem !== undefined ? ` data-problem="${escapeXml(st.problem)}"` : '';
  return `<g class="step" data-step="${st.index}" data-packets="${packets}" data-kind="${st.kind}"${problem} data-y0="${n(s.top)}" data-y1="${n(s.bottom)}">${out.join('')}</g>`;
}

function legendSample(item: LegendItem, L: Layout, t: Theme): string {
  const { x, y } = item;
  switch (item.kind) {
    case 'state': {
      const c = t.states.established;
      const label = L.strings.stateSample;
      const w = textWidth(label, SIZES.tag, 'mono') + 12;
      return rect(x + 1, y - 8.5, w, 17, `rx="8.5" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1"`) +
        text(x + 1 + w / 2, y + 4, label, { size: SIZES.tag, fill: c.text, bold: true, mono: true, anchor: 'middle' });
    }
    case 'bracket':
      return `<path d="M${n(x + 2)} ${n(y - 6)}V${n(y + 2)}H${n(x + 46)}V${n(y - 6)}" fill="none" stroke="${t.bracket}" stroke-width="1.5"/>`;
    case 'annotation':
      return rect(x + 2, y - 8, 44, 16, `rx="3" fill="${t.callout.fill}" stroke="${t.callout.stroke}" stroke-width="1"`) +
        text(x + 24, y + 4, '✎', { size: SIZES.legend, fill: t.callout.text, anchor: 'middle' });
    case 'folded':
      return arrow(x + 2, y, x + 46, y, t.kinds[L.steps.find((s) => s.step.folded !== null)?.step.kind ?? 'tls-app-data'], true, t.background);
    case 'gap':
      return text(x + 24, y + 5, '≈', { size: 14, fill: t.muted, anchor: 'middle', bold: true });
    case 'hole':
      return `<path d="M${n(x + 16)} ${n(y - 6)}L${n(x + 32)} ${n(y - 2)}M${n(x + 16)} ${n(y + 2)}L${n(x + 32)} ${n(y + 6)}" fill="none" stroke="${t.kinds.rst.color}" stroke-width="1.8"/>`;
    case 'malformed':
      return text(x + 24, y + 5, '⚠', { size: 13, fill: t.kinds.rst.color, anchor: 'middle', bold: true });
    default:
      return arrow(x + 2, y, x + 46, y, t.kinds[item.kind as StepKind], false, t.background);
  }
}

function header(model: LadderModel, L: Layout, t: Theme): string {
  const h = L.header;
  const out: string[] = [];
  h.titleLines.forEach((l, i) => out.push(text(16, h.titleY + i * 22, l, { size: SIZES.title, fill: t.text, bold: true })));
  h.factLines.forEach((l, i) => out.push(text(16, h.factY + i * 16, l, { size: SIZES.fact, fill: t.muted })));
  const v = t.verdicts[model.verdict.status];
  out.push(rect(h.badge.x, h.badge.y, h.badge.w, h.badge.h, `rx="11.5" fill="${v.fill}"`));
  out.push(text(h.badge.x + h.badge.w / 2, h.badge.y + 16, h.badge.text, { size: SIZES.badge, fill: v.text, bold: true, anchor: 'middle' }));
  h.verdictLines.forEach((l, i) =>
    out.push(text(h.verdictX, h.verdictY + i * 16, l, { size: SIZES.fact, fill: i < h.reasonLineCount ? t.text : t.muted, bold: i < h.reasonLineCount && model.verdict.status !== 'complete' })),
  );
  out.push(text(L.columns.timeRight, h.captionsY, L.strings.time, { size: SIZES.legend, fill: t.muted, bold: true, anchor: 'end' }));
  out.push(text(L.columns.explX, h.captionsY, L.strings.explanation, { size: SIZES.legend, fill: t.muted, bold: true }));
  for (const tag of h.initialTags) out.push(stateTag(tag, t));
  const bottom = Math.max(...h.initialTags.map((g) => g.y + 17));
  return `<g class="header" data-y0="0" data-y1="${n(bottom)}">${out.join('')}</g>`;
}

/** The lifeline header boxes, on their own line: the PDF repeats them at the top of every page. */
function lifelineHeads(L: Layout, t: Theme): string {
  const out: string[] = [];
  for (const b of L.header.boxes) {
    out.push(rect(b.x, b.y, b.w, b.h, `rx="6" fill="${t.headerFill}" stroke="${t.headerStroke}" stroke-width="1.2"`));
    out.push(text(b.x + b.w / 2, b.y + 18, b.role, { size: SIZES.header, fill: t.text, bold: true, anchor: 'middle' }));
    b.address.forEach((a, i) => out.push(text(b.x + b.w / 2, b.y + 35 + i * 15, a, { size: SIZES.address, fill: t.text, mono: true, anchor: 'middle' })));
  }
  const top = Math.min(...L.header.boxes.map((b) => b.y));
  const bottom = Math.max(...L.header.boxes.map((b) => b.y + b.h));
  return `<g class="lifeline-heads" data-y0="${n(top)}" data-y1="${n(bottom)}">${out.join('')}</g>`;
}

export function renderSvg(model: LadderModel, opts: SvgOptions): string {
  const L = layoutLadder(model, { layout: opts.layout, width: opts.width });
  const t = themeByName(opts.theme);
  const W = L.width;
  const H = L.height;
  const title = conversationTitle(model, model.language);
  const lines: string[] = [];
  lines.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
      `font-family="${escapeXml(FAMILY_SANS)}" data-theme="${t.name}" data-layout="${opts.layout}" ` +
      `data-page-breaks="${L.pageBreaks.map(n).join(' ')}" role="img" lang="${model.language}">`,
  );
  lines.push(`<title>${escapeXml(model.title !== '' ? `${model.title} — ${title}` : title)}</title>`);
  lines.push(rect(0, 0, W, H, `class="background" fill="${t.background}"`));

  // Band rectangles carry no text, so they stay on every PDF page they cross (clipped there);
  // their titles are separate elements with their own extent.
  for (const b of L.bands) {
    const p = t.phases[b.phase];
    lines.push(
      `<g class="phase" data-phase="${b.phase}">` +
        rect(8, b.top, W - 16, b.bottom - b.top, `fill="${p.band}"`) +
        rect(8, b.top, 4, b.bottom - b.top, `fill="${p.title}"`) +
        '</g>',
    );
    lines.push(`<g class="phase-title" data-y0="${n(b.top)}" data-y1="${n(b.top + 20)}">${text(20, b.top + 16, b.title, { size: SIZES.phase, fill: p.title, bold: true })}</g>`);
  }

  const c = L.columns;
  lines.push(
    `<g class="lifelines">` +
      line(c.clientX, L.lifelineTop, c.clientX, L.lifelineBottom, `stroke="${t.lifeline}" stroke-width="1.5"`) +
      line(c.serverX, L.lifelineTop, c.serverX, L.lifelineBottom, `stroke="${t.lifeline}" stroke-width="1.5"`) +
      line(c.clientX - 10, L.lifelineBottom, c.clientX + 10, L.lifelineBottom, `stroke="${t.lifeline}" stroke-width="1.5"`) +
      line(c.serverX - 10, L.lifelineBottom, c.serverX + 10, L.lifelineBottom, `stroke="${t.lifeline}" stroke-width="1.5"`) +
      '</g>',
  );
  lines.push(header(model, L, t));
  lines.push(lifelineHeads(L, t));

  for (const g of L.gaps) {
    const out: string[] = [];
    for (const x of [c.clientX, c.serverX]) {
      out.push(rect(x - 8, g.y - 6, 16, 12, `fill="${t.background}"`));
      out.push(line(x - 8, g.y - 1, x + 8, g.y - 7, `stroke="${t.lifeline}" stroke-width="1.5"`));
      out.push(line(x - 8, g.y + 7, x + 8, g.y + 1, `stroke="${t.lifeline}" stroke-width="1.5"`));
    }
    out.push(text((c.clientX + c.serverX) / 2, g.y + 4, g.text, { size: SIZES.legend, fill: t.muted, italic: true, anchor: 'middle' }));
    lines.push(`<g class="gap" data-y0="${n(g.y - 8)}" data-y1="${n(g.y + 8)}">${out.join('')}</g>`);
  }

  for (const h of L.holes) {
    // The sender's lifeline breaks where its bytes are missing; the count sits beside the break.
    const out: string[] = [];
    out.push(rect(h.x - 9, h.y - 9, 18, 18, `fill="${t.background}"`));
    out.push(`<path d="M${n(h.x - 8)} ${n(h.y - 7)}L${n(h.x + 8)} ${n(h.y - 3)}M${n(h.x - 8)} ${n(h.y + 3)}L${n(h.x + 8)} ${n(h.y + 7)}" fill="none" stroke="${t.kinds.rst.color}" stroke-width="1.8"/>`);
    const right = h.side === 'client';
    out.push(text(right ? h.x + 14 : h.x - 14, h.y + 4, h.text, { size: SIZES.legend, fill: t.kinds.rst.color, bold: true, anchor: right ? 'start' : 'end' }));
    lines.push(`<g class="hole" data-side="${h.side}" data-y0="${n(h.y - 10)}" data-y1="${n(h.y + 10)}">${out.join('')}</g>`);
  }

  for (const w of L.waits) {
    lines.push(
      `<g class="wait" data-y0="${n(w.y - 12)}" data-y1="${n(w.y + 4)}">` +
        text((c.clientX + c.serverX) / 2, w.y, w.text, { size: SIZES.legend, fill: t.muted, italic: true, anchor: 'middle' }) +
        '</g>',
    );
  }

  for (const b of L.brackets) {
    const path = `M${n(b.x + 7)} ${n(b.y1)}H${n(b.x)}V${n(b.y2)}H${n(b.x + 7)}`;
    lines.push(`<path class="rtt" d="${path}" fill="none" stroke="${t.bracket}" stroke-width="1.5"/>`);
    const label = b.lines.map((l, i) => text(b.labelX, b.labelY + i * 13, l, { size: SIZES.bracket, fill: t.bracket, bold: i === 0, anchor: 'end' }));
    const top = b.labelY - 11;
    const bottom = b.labelY + (b.lines.length - 1) * 13 + 3;
    lines.push(`<g class="rtt-label" data-y0="${n(top)}" data-y1="${n(bottom)}">${label.join('')}</g>`);
  }

  for (const s of L.steps) lines.push(stepGroup(s, L, t));

  if (L.emptyMessage !== null) {
    const y = L.lifelineBottom - 30;
    lines.push(`<g class="empty" data-y0="${n(y - 14)}" data-y1="${n(y + 4)}">${text((c.clientX + c.serverX) / 2, y, L.emptyMessage, { size: SIZES.label, fill: t.muted, anchor: 'middle', italic: true })}</g>`);
  }

  const lg = L.legend;
  const legend: string[] = [line(16, lg.top, W - 16, lg.top, `stroke="${t.grid}" stroke-width="1"`)];
  legend.push(text(16, lg.titleY, L.strings.legend, { size: SIZES.legend + 1, fill: t.text, bold: true }));
  for (const item of lg.items) {
    legend.push(legendSample(item, L, t));
    legend.push(text(item.x + LEGEND_SAMPLE, item.y + 4, item.text, { size: SIZES.legend, fill: t.text }));
  }
  lg.noteLines.forEach((l, i) => legend.push(text(16, lg.noteY + i * 15, l, { size: SIZES.legend, fill: t.muted, italic: true })));
  lines.push(`<g class="legend" data-y0="${n(lg.top - 2)}" data-y1="${n(H)}">${legend.join('')}</g>`);

  lines.push('</svg>');
  return `${lines.join('\n')}\n`;
}

