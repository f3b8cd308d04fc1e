// Where everything on the ladder goes: columns, step rows (from real time or evenly spaced), wrapped
// labels and explanations, state tags, phase bands, RTT brackets, gap markers, legend. Pure: the SVG
// renderer only draws what this computes, so tests can check geometry without parsing SVG.

import type { LadderModel, LadderStep, Phase, StepKind, TcpStateName } from './model';
import { byteCount, chrome, conversationTitle, duration, relativeTime, timeUnit, type ChromeStrings } from './labels';
import { hasCjk, textWidth, wrapText, type Face } from './text-metrics';
import { lightTheme } from './theme';

export interface LayoutOptions {
  layout: 'time' | 'even';
  /** Total width in px (default 1000; at least 760). Extra width goes to the explanation column. */
  width?: number;
}

/** Type sizes in px at the default width; the smallest is 11 px so that an A4 print stays legible. */
export const SIZES = {
  title: 17,
  fact: 12,
  header: 13,
  address: 12,
  label: 12.5,
  subLabel: 11,
  time: 11,
  number: 11,
  tag: 11,
  explanation: 12.5,
  callout: 11,
  bracket: 11,
  phase: 11.5,
  legend: 11,
  badge: 12,
} as const;

const LINE = { title: 22, fact: 16, label: 15, subLabel: 14, explanation: 17, callout: 14, bracket: 13 } as const;

const MARGIN = 16;
const TIME_RIGHT = 92;
const NUMBER_X = 108;
const NUMBER_R = 10;
const CLIENT_X = 252;
const SPAN = 300;
/** Arrows drop this much from sender to receiver: the ladder's slant. */
export const SLANT = 12;
const TAG_H = 17;
const TAG_PAD = 6;
/** Half the widest state tag (ESTABLISHED): labels and callouts keep clear of this around a lifeline. */
const TAG_HALF = 44;
const ROW_GAP = 10;
const PHASE_TITLE_H = 22;
const BREAK_H = 34;
const HOLE_H = 30;
const BRACKET_OFFSET = 52;
const BRACKET_LANE = 9;
/** The largest time-proportional gap between two arrows (px), before a gap counts as a break. */
const TIME_CAP = 170;
/** Width of a legend sample (arrow, tag…) plus the space before its text. */
export const LEGEND_SAMPLE = 56;

export interface Tag {
  side: 'client' | 'server';
  text: string;
  x: number;
  y: number;
  w: number;
  state: TcpStateName;
}

export interface Callout {
  lines: string[];
  x: number;
  y: number;
  w: number;
  h: number;
  /** Where the leader line touches the arrow. */
  anchorX: number;
  anchorY: number;
}

export interface StepLayout {
  step: LadderStep;
  /** Arrow from (x1, y1) at the sender to (x2, y2) at the receiver. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  labelLines: string[];
  /** Baseline of the first label line. */
  labelY: number;
  labelX: number;
  subLabel: string | null;
  subLabelY: number;
  timeText: string;
  tags: Tag[];
  callouts: Callout[];
  explLines: string[];
  explTop: number;
  /** Vertical extent of everything this step draws. */
  top: number;
  bottom: number;
}

export interface BandLayout {
  phase: Phase;
  title: string;
  top: number;
  bottom: number;
}

export interface BracketLayout {
  x: number;
  y1: number;
  y2: number;
  lines: string[];
  labelX: number;
  labelY: number;
}

export interface GapLayout {
  y: number;
  text: string;
}

/** Bytes one side sent that the capture missed: a break in its lifeline with how many. */
export interface HoleLayout {
  x: number;
  y: number;
  side: 'client' | 'server';
  text: string;
}

export interface LegendItem {
  kind: StepKind | 'state' | 'bracket' | 'annotation' | 'folded' | 'gap' | 'hole' | 'malformed';
  text: string;
  x: number;
  y: number;
}

export interface HeaderLayout {
  titleLines: string[];
  titleY: number;
  factLines: string[];
  factY: number;
  /** Reason lines, then findings (starting with "• "), right of the badge. */
  verdictLines: string[];
  reasonLineCount: number;
  verdictX: number;
  verdictY: number;
  badge: { text: string; x: number; y: number; w: number; h: number };
  /** Lifeline header boxes. */
  boxes: { side: 'client' | 'server'; x: number; y: number; w: number; h: number; role: string; address: string[] }[];
  initialTags: Tag[];
  captionsY: number;
}

export interface Layout {
  width: number;
  height: number;
  strings: ChromeStrings;
  columns: {
    timeRight: number;
    numberX: number;
    numberR: number;
    clientX: number;
    serverX: number;
    explX: number;
    explTextX: number;
    explRight: number;
  };
  header: HeaderLayout;
  lifelineTop: number;
  lifelineBottom: number;
  steps: StepLayout[];
  bands: BandLayout[];
  brackets: BracketLayout[];
  gaps: GapLayout[];
  holes: HoleLayout[];
  /** Time layout: the time a tall empty stretch stands for, printed in it. */
  waits: GapLayout[];
  legend: { top: number; titleY: number; items: LegendItem[]; noteLines: string[]; noteY: number };
  /** y positions where a page may end without cutting through a step (for the PDF). */
  pageBreaks: number[];
  emptyMessage: string | null;
}

function face(text: string, f: Face): Face {
  return hasCjk(text) && f === 'mono' ? 'sans' : f;
}

function wrap(text: string, maxWidth: number, size: number, f: Face = 'sans', maxLines = Infinity): string[] {
  const lines = wrapText(text.replace(/\s+/g, ' '), maxWidth, size, face(text, f), maxLines);
  return lines.length > 0 ? lines : [''];
}

/**
 * Wraps centred text into as few lines as the greedy wrap needs, but with lines of similar length
 * (no lone last word under a long line): the narrowest width giving the same line count.
 */
function balanced(text: string, maxWidth: number, size: number, f: Face, maxLines: number): string[] {
  const greedy = wrap(text, maxWidth, size, f, maxLines);
  if (greedy.length < 2 || greedy.length >= maxLines) return greedy;
  let lo = maxWidth * 0.3;
  let hi = maxWidth;
  let best = greedy;
  while (hi - lo > 2) {
    const mid = (lo + hi) / 2;
    const lines = wrap(text, mid, size, f, maxLines + 1);
    if (lines.length === greedy.length) {
      best = lines;
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return best;
}

/** Facts as `label value` units joined by ` · `, wrapped at fact boundaries. */
function wrapFacts(facts: { label: string; value: string }[], maxWidth: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const f of facts) {
    const unit = f.label === '' ? f.value : `${f.label}: ${f.value}`;
    const candidate = cur === '' ? unit : `${cur}  ·  ${unit}`;
    if (cur === '' || textWidth(candidate, SIZES.fact) <= maxWidth) {
      cur = candidate;
    } else {
      lines.push(cur);
      cur = unit;
    }
    if (textWidth(cur, SIZES.fact) > maxWidth) {
      const parts = wrap(cur, maxWidth, SIZES.fact);
      lines.push(...parts.slice(0, -1));
      cur = parts[parts.length - 1]!;
    }
  }
  if (cur !== '') lines.push(cur);
  return lines;
}

/** The title, broken preferably between its ` — ` parts. */
function wrapTitle(title: string, maxWidth: number): string[] {
  if (textWidth(title, SIZES.title, 'sans-bold') <= maxWidth) return [title];
  const lines: string[] = [];
  let cur = '';
  for (const part of title.split(' — ')) {
    const candidate = cur === '' ? part : `${cur} — ${part}`;
    if (textWidth(candidate, SIZES.title, 'sans-bold') <= maxWidth) cur = candidate;
    else {
      if (cur !== '') lines.push(`${cur} —`);
      const pieces = wrap(part, maxWidth, SIZES.title, 'sans-bold');
      lines.push(...pieces.slice(0, -1));
      cur = pieces[pieces.length - 1]!;
    }
  }
  if (cur !== '') lines.push(cur);
  return lines;
}

function tagWidth(text: string): number {
  return textWidth(text, SIZES.tag, 'mono') + 2 * TAG_PAD;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Gaps between steps longer than a conversation's usual pauses by this factor count as breaks. */
const LONG_GAP_FACTOR = 20;

/**
 * Seconds above which a gap between consecutive steps is "long": drawn shortened with a break
 * marker in the time layout (and noted in Mermaid). Relative to the upper quartile of the gaps, so
 * a 2 s keep-alive pause among sub-millisecond steps breaks, but a slow server answer does not.
 */
export function longGapThreshold(times: number[]): number {
  const positive = times
    .map((t, i) => (i === 0 ? 0 : t - times[i - 1]!))
    .filter((d) => d > 0)
    .sort((a, b) => a - b);
  return positive.length >= 3 ? Math.max(LONG_GAP_FACTOR * quantile(positive, 0.75), 1e-9) : Infinity;
}

/** The states each end is in before the first step (CLOSED / LISTEN when the capture saw the SYN). */
function initialStates(steps: LadderStep[]): { client: TcpStateName; server: TcpStateName } {
  const first = steps[0];
  if (first === undefined) return { client: 'CLOSED', server: 'LISTEN' };
  return {
    client: first.clientStateChanged ? 'CLOSED' : first.clientState,
    server: first.serverStateChanged ? 'LISTEN' : first.serverState,
  };
}

/** Phase of each step, from the model's spans when they cover it, else the step's own phase. */
function phaseOf(model: LadderModel): Phase[] {
  return model.steps.map((s) => {
    const span = model.phases.find((p) => s.index >= p.firstStep && s.index <= p.lastStep);
    return span?.phase ?? s.phase;
  });
}

interface StepMetrics {
  labelLines: string[];
  subLabel: string | null;
  above: number;
  below: number;
  explLines: string[];
  explH: number;
  calloutLines: string[][];
}

export function layoutLadder(model: LadderModel, opts: LayoutOptions): Layout {
  const strings = chrome(model.language);
  const width = Math.max(760, Math.round(opts.width ?? 1000));
  const clientX = CLIENT_X;
  const serverX = CLIENT_X + SPAN;
  const explX = serverX + TAG_HALF + 14;
  const explTextX = explX + 2 * NUMBER_R + 8;
  const explRight = width - MARGIN;
  const explWidth = explRight - explTextX;
  const labelMax = SPAN - 24;
  const calloutW = SPAN - 2 * TAG_HALF - 8;
  const unit = timeUnit(model.steps[model.steps.length - 1]?.time ?? 0);

  // ---- header -------------------------------------------------------------------------------
  // Title line, facts, then the verdict: a coloured badge with the reason and findings beside it.
  const titleLines = wrapTitle(conversationTitle(model, model.language), width - 2 * MARGIN);
  const titleY = MARGIN + 18;
  let y = titleY + (titleLines.length - 1) * LINE.title;
  const factLines = wrapFacts(model.facts, width - 2 * MARGIN);
  const factY = y + 8 + LINE.fact;
  y += factLines.length > 0 ? 8 + factLines.length * LINE.fact : 0;
  const status = model.verdict.status;
  const badgeText = `${status === 'complete' ? '✓' : status === 'failed' ? '✗' : '…'} ${strings.verdicts[status]}`;
  const badgeW = textWidth(badgeText, SIZES.badge, 'sans-bold') + 22;
  const badge = { text: badgeText, x: MARGIN, y: y + 10, w: badgeW, h: 23 };
  const verdictX = MARGIN + badgeW + 10;
  const verdictWidth = width - MARGIN - verdictX;
  const reasonLines = model.verdict.reason.trim() === '' ? [] : wrap(model.verdict.reason, verdictWidth, SIZES.fact, status === 'complete' ? 'sans' : 'sans-bold');
  const verdictLines = [...reasonLines, ...model.verdict.findings.flatMap((f) => wrap(`• ${f}`, verdictWidth, SIZES.fact))];
  const verdictY = badge.y + 16;
  y = Math.max(badge.y + badge.h, verdictY + (verdictLines.length - 1) * LINE.fact + 4);
  y += 16;

  const boxes: HeaderLayout['boxes'] = [];
  const boxTop = y;
  let boxH = 0;
  for (const side of ['client', 'server'] as const) {
    const ep = side === 'client' ? model.client : model.server;
    const role = side === 'client' ? strings.client : strings.server;
    const maxW = SPAN - 40;
    const address = textWidth(ep.label, SIZES.address, 'mono') + 20 <= maxW
      ? [ep.label]
      : wrap(ep.label, maxW - 20, SIZES.address, 'mono', 2);
    const w = Math.min(maxW, Math.max(textWidth(role, SIZES.header, 'sans-bold'), ...address.map((a) => textWidth(a, SIZES.address, 'mono'))) + 24);
    const h = 26 + address.length * 15;
    boxH = Math.max(boxH, h);
    const x = (side === 'client' ? clientX : serverX) - w / 2;
    boxes.push({ side, x, y: boxTop, w, h, role, address });
  }
  for (const b of boxes) b.h = boxH;
  y = boxTop + boxH;

  const init = initialStates(model.steps);
  const initialTags: Tag[] = [
    { side: 'client', text: init.client, state: init.client, x: clientX - tagWidth(init.client) / 2, y: y + 8, w: tagWidth(init.client) },
    { side: 'server', text: init.server, state: init.server, x: serverX - tagWidth(init.server) / 2, y: y + 8, w: tagWidth(init.server) },
  ];
  const lifelineTop = y;
  // Column captions share the row of the initial state tags, clear of the lifeline header boxes.
  const captionsY = y + 8 + 13;
  y += 8 + TAG_H + 14;
  const pageBreaks: number[] = [y - 6];

  // ---- per-step text ------------------------------------------------------------------------
  const metrics: StepMetrics[] = model.steps.map((s) => {
    // A step with malformed bytes carries a warning sign (its explanation says what broke).
    const text = `${s.problem !== undefined ? '⚠ ' : ''}${s.label === '' ? strings.kinds[s.kind] : s.label}`;
    const labelLines = balanced(text, labelMax, SIZES.label, lightTheme.kinds[s.kind].loud ? 'sans-bold' : 'sans', 4);
    const subLabel = s.folded === null ? null : `${strings.packets(s.folded.packets)} · ${byteCount(s.folded.bytes)}`;
    const above = labelLines.length * LINE.label + (subLabel === null ? 0 : LINE.subLabel) + 4;
    const tagged = s.clientStateChanged || s.serverStateChanged;
    const calloutLines = s.annotations.map((a) => wrap(`✎ ${a.text}`, calloutW - 16, SIZES.callout, 'sans', 6));
    let below = SLANT + (tagged ? 5 + TAG_H : 2);
    if (calloutLines.length > 0) {
      let cy = SLANT + 10;
      for (const lines of calloutLines) cy += lines.length * LINE.callout + 10 + 6;
      below = Math.max(below, cy);
    }
    const explLines = s.explanation.trim() === '' ? [] : wrap(s.explanation, explWidth, SIZES.explanation);
    const explH = Math.max(2 * NUMBER_R + 2, explLines.length * LINE.explanation + 4);
    return { labelLines, subLabel, above, below: below + 4, explLines, explH, calloutLines };
  });

  // ---- vertical placement -------------------------------------------------------------------
  const times = model.steps.map((s) => (Number.isFinite(s.time) ? s.time : 0));
  const dts = times.map((t, i) => (i === 0 ? 0 : Math.max(0, t - times[i - 1]!)));
  const positive = dts.filter((d) => d > 0).sort((a, b) => a - b);
  const breakAbove = longGapThreshold(times);
  const regular = positive.filter((d) => d <= breakAbove);
  const avgMinGap = metrics.length > 0 ? metrics.reduce((a, m) => a + m.above + m.below, 0) / metrics.length + ROW_GAP : 60;
  const median = quantile(regular, 0.5);
  const maxRegular = regular.length > 0 ? regular[regular.length - 1]! : 0;
  const pxPerSecond = opts.layout === 'time' && maxRegular > 0 ? Math.min(TIME_CAP / maxRegular, avgMinGap / median) : 0;

  const phases = phaseOf(model);
  const steps: StepLayout[] = [];
  const bands: BandLayout[] = [];
  const gaps: GapLayout[] = [];
  const holes: HoleLayout[] = [];
  const waits: GapLayout[] = [];
  const WAIT_MIN = 30;
  let prevBottom = y - ROW_GAP;
  let prevY = -Infinity;
  for (let i = 0; i < model.steps.length; i++) {
    const s = model.steps[i]!;
    const m = metrics[i]!;
    let cursor = prevBottom + ROW_GAP;
    let timeFloor = -Infinity;
    let gapBefore = false;
    // Bytes missing before this step: a break on the sender's lifeline says how many.
    for (const h of model.holes.filter((x) => x.beforeStep === s.index)) {
      holes.push({ x: h.side === 'client' ? clientX : serverX, y: cursor + HOLE_H / 2, side: h.side, text: strings.hole(byteCount(h.bytes)) });
      cursor += HOLE_H;
    }
    if (i > 0 && opts.layout === 'time') {
      if (dts[i]! > breakAbove) {
        gaps.push({ y: cursor + BREAK_H / 2 - 2, text: strings.later(duration(dts[i]!)) });
        cursor += BREAK_H;
        gapBefore = true;
      } else {
        timeFloor = prevY + dts[i]! * pxPerSecond;
      }
    }
    const newPhase = i === 0 || phases[i] !== phases[i - 1];
    if (newPhase) {
      const last = bands[bands.length - 1];
      if (last !== undefined) last.bottom = prevBottom + 6;
      // Adjacent phases share their border, unless a gap marker or (time layout) a wait sits
      // between them: a band starts right above its first step, so the wait stays outside it.
      const natural = last === undefined || gapBefore ? cursor - 4 : last.bottom;
      const top = Math.max(natural, timeFloor - m.above - PHASE_TITLE_H - 4);
      if (top - natural >= WAIT_MIN) waits.push({ y: (natural + top) / 2 + 4, text: strings.wait(duration(dts[i]!)) });
      pageBreaks.push(last === undefined ? top : gapBefore ? prevBottom + ROW_GAP / 2 : last.bottom);
      bands.push({ phase: phases[i]!, title: strings.phases[phases[i]!], top, bottom: top });
      cursor = top + PHASE_TITLE_H + 4;
    } else if (i > 0) {
      pageBreaks.push(gapBefore ? prevBottom + ROW_GAP / 2 : (prevBottom + cursor) / 2);
    }
    const y1 = Math.max(cursor + m.above, timeFloor);
    if (!newPhase && y1 - (cursor + m.above) >= WAIT_MIN) {
      waits.push({ y: cursor + (y1 - m.above - cursor) / 2 + 4, text: strings.wait(duration(dts[i]!)) });
    }
    const fromClient = s.from === 'client';
    const x1 = fromClient ? clientX : serverX;
    const x2 = fromClient ? serverX : clientX;
    const y2 = y1 + SLANT;
    const tags: Tag[] = [];
    if (s.clientStateChanged) tags.push({ side: 'client', text: s.clientState, state: s.clientState, x: clientX - tagWidth(s.clientState) / 2, y: y2 + 5, w: tagWidth(s.clientState) });
    if (s.serverStateChanged) tags.push({ side: 'server', text: s.serverState, state: s.serverState, x: serverX - tagWidth(s.serverState) / 2, y: y2 + 5, w: tagWidth(s.serverState) });
    const callouts: Callout[] = [];
    let cy = y1 + SLANT + 10;
    const midX = (clientX + serverX) / 2;
    for (const lines of m.calloutLines) {
      const w = Math.min(calloutW, Math.max(...lines.map((l) => textWidth(l, SIZES.callout))) + 16);
      const h = lines.length * LINE.callout + 10;
      callouts.push({ lines, x: midX - w / 2, y: cy, w, h, anchorX: midX, anchorY: y1 + SLANT / 2 });
      cy += h + 6;
    }
    const labelBlock = m.labelLines.length * LINE.label + (m.subLabel === null ? 0 : LINE.subLabel);
    const top = y1 - m.above;
    const labelY = top + LINE.label - 3;
    const explTop = top;
    const bottom = Math.max(y1 + m.below, explTop + m.explH);
    steps.push({
      step: s,
      x1,
      y1,
      x2,
      y2,
      labelLines: m.labelLines,
      labelX: midX,
      labelY,
      subLabel: m.subLabel,
      subLabelY: top + labelBlock - 4,
      timeText: relativeTime(times[i]!, unit),
      tags,
      callouts,
      explLines: m.explLines,
      explTop,
      top,
      bottom,
    });
    prevBottom = bottom;
    prevY = y1;
  }
  const lastBand = bands[bands.length - 1];
  if (lastBand !== undefined) lastBand.bottom = prevBottom + 8;
  let end = lastBand !== undefined ? lastBand.bottom : prevBottom + ROW_GAP;
  const emptyMessage = model.steps.length === 0 ? strings.noSteps : null;
  if (emptyMessage !== null) end += 40;
  const lifelineBottom = end + 14;

  // ---- RTT brackets -------------------------------------------------------------------------
  const byIndex = new Map(steps.map((s) => [s.step.index, s]));
  const clientEnd = (s: StepLayout): number => (s.step.from === 'client' ? s.y1 : s.y2);
  const laneEnds: number[] = [];
  const brackets: BracketLayout[] = [];
  for (const b of [...model.brackets].sort((a, c) => a.fromStep - c.fromStep || a.toStep - c.toStep)) {
    const from = byIndex.get(b.fromStep);
    const to = byIndex.get(b.toStep);
    if (from === undefined || to === undefined) continue;
    const y1 = clientEnd(from);
    const y2 = Math.max(clientEnd(to), y1 + 8);
    let lane = laneEnds.findIndex((e) => e < y1 - 2);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = y2;
    const x = clientX - BRACKET_OFFSET - lane * BRACKET_LANE;
    const labelRight = x - 5;
    const maxW = labelRight - (NUMBER_X + NUMBER_R + 6);
    const lines = [...wrap(b.label, maxW, SIZES.bracket, 'sans-bold', 2), ...wrap(duration(b.seconds), maxW, SIZES.bracket, 'sans', 1)];
    const labelY = (y1 + y2) / 2 - ((lines.length - 1) * LINE.bracket) / 2 + 4;
    brackets.push({ x, y1, y2, lines, labelX: labelRight, labelY });
  }

  // ---- legend -------------------------------------------------------------------------------
  const legendTop = lifelineBottom + 22;
  const legendTitleY = legendTop + 14;
  const kindsPresent: StepKind[] = [];
  for (const s of model.steps) if (!kindsPresent.includes(s.kind)) kindsPresent.push(s.kind);
  const order: StepKind[] = ['tcp-control', 'ack', 'tcp-data', 'tls-handshake', 'tls-ccs', 'tls-app-data', 'http2-control', 'http-request', 'http-response', 'http2-reset', 'tls-close', 'tls-alert', 'retransmission', 'rst'];
  const entries: { kind: LegendItem['kind']; text: string }[] = order
    .filter((k) => kindsPresent.includes(k))
    .filter((k) => !(k === 'http-response' && kindsPresent.includes('http-request')))
    .map((k) => ({ kind: k, text: k === 'http-request' && kindsPresent.includes('http-response') ? `${strings.kinds['http-request']} / ${strings.kinds['http-response']}` : strings.kinds[k] }));
  entries.push({ kind: 'state', text: strings.stateChange });
  if (brackets.length > 0) entries.push({ kind: 'bracket', text: strings.rttBracket });
  if (model.steps.some((s) => s.folded !== null)) entries.push({ kind: 'folded', text: strings.folded });
  if (model.steps.some((s) => s.annotations.length > 0)) entries.push({ kind: 'annotation', text: strings.annotation });
  if (gaps.length > 0) entries.push({ kind: 'gap', text: strings.gap });
  if (holes.length > 0) entries.push({ kind: 'hole', text: strings.holeLegend });
  if (model.steps.some((s) => s.problem !== undefined)) entries.push({ kind: 'malformed', text: strings.malformed });
  const items: LegendItem[] = [];
  let lx = MARGIN;
  let ly = legendTitleY + 22;
  for (const e of entries) {
    const w = LEGEND_SAMPLE + textWidth(e.text, SIZES.legend) + 22;
    if (lx + w > width - MARGIN && lx > MARGIN) {
      lx = MARGIN;
      ly += 22;
    }
    items.push({ kind: e.kind, text: e.text, x: lx, y: ly });
    lx += w;
  }
  const noteLines = wrap(opts.layout === 'time' ? strings.layoutTime : strings.layoutEven, width - 2 * MARGIN, SIZES.legend);
  const noteY = ly + 24;
  const height = Math.ceil(noteY + (noteLines.length - 1) * 15 + MARGIN);
  pageBreaks.push(legendTop - 8);

  return {
    width,
    height,
    strings,
    columns: { timeRight: TIME_RIGHT, numberX: NUMBER_X, numberR: NUMBER_R, clientX, serverX, explX, explTextX, explRight },
    header: { titleLines, titleY, factLines, factY, verdictLines, reasonLineCount: reasonLines.length, verdictX, verdictY, badge, boxes, initialTags, captionsY },
    lifelineTop,
    lifelineBottom,
    steps,
    bands,
    brackets,
    gaps,
    holes,
    waits,
    legend: { top: legendTop, titleY: legendTitleY, items, noteLines, noteY },
    pageBreaks: [...new Set(pageBreaks.map((b) => Math.round(b)))].sort((a, b) => a - b),
    emptyMessage,
  };
}
