// Where the ladder's parts go: lifelines, one slanted arrow per step, phase bands, RTT brackets.
// 'time' spaces steps by elapsed time (log-compressed so microseconds and seconds both read);
// 'even' spaces them equally.

import type { LadderModel, LadderStep, Phase } from '../../../shared/api';

export const HEADER_HEIGHT = 64;
export const SLANT = 14;
const TOP = HEADER_HEIGHT + 34;
const EVEN_GAP = 46;
const MIN_GAP = 36;
const MAX_EXTRA = 110;
export const MIN_WIDTH = 980;
/** A step label wraps onto up to this many lines (a TLS 1.3 server flight names seven messages). */
const LABEL_MAX_LINES = 4;
/** Line height of a wrapped step label (12.5 px text). */
export const LABEL_LINE = 15;

/** Width in px of a text at the step labels' size. */
export type Measure = (text: string) => number;

/** Without a canvas (tests), an estimate: 6.6 px per Latin character, a full em per CJK one. */
export const estimateWidth: Measure = (text) => {
  let w = 0;
  for (const ch of text) w += ch.codePointAt(0)! >= 0x2e80 ? 12.5 : 6.6;
  return w;
};

export interface StepGeom {
  step: LadderStep;
  /** Arrow start and end. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Where each lifeline meets this step (for state tags). */
  yClient: number;
  yServer: number;
  /** The label, wrapped: every line is drawn above the arrow, the last one next to it. */
  labelLines: string[];
}

export interface LadderGeometry {
  width: number;
  height: number;
  xClient: number;
  xServer: number;
  steps: StepGeom[];
  phases: { phase: Phase; top: number; bottom: number }[];
  /** Latency brackets: the label in lines that fit between the step numbers and the bracket. */
  brackets: { label: string; lines: string[]; seconds: number; top: number; bottom: number }[];
  /** Bytes the capture missed: a break in the sender's lifeline before the step after the hole. */
  holes: { x: number; y: number; side: 'client' | 'server'; bytes: number; frame: number }[];
}

/** The latency brackets' vertical line; their labels end 6 px left of it. */
export const BRACKET_X = 196;
/** Room for a bracket label: from the step numbers' circles (centre 100, radius 10) to the bracket. */
const BRACKET_LABEL_PX = BRACKET_X - 6 - 116;
/** Bracket labels are 11 px semibold, step labels (what `measure` measures) 12.5 px regular. */
const BRACKET_TEXT_SCALE = (11 / 12.5) * 1.06;

/** Room a hole marker takes between two steps. */
const HOLE_GAP = 30;

/** Kinds whose label is drawn in the arrow's colour, bold (as in the SVG export). */
export const loudKinds: ReadonlySet<string> = new Set(['tls-alert', 'retransmission', 'rst', 'http2-reset']);

let measurer: { font: string; measure: Measure } | null = null;

/**
 * Measures with the font the labels are drawn in (a canvas, once per font), so wrapping holds on
 * every platform's system font; the estimate where there is no canvas.
 */
export function labelMeasure(): Measure {
  if (typeof document === 'undefined') return estimateWidth;
  const family = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'sans-serif';
  const font = `12.5px ${family}`;
  if (measurer?.font === font) return measurer.measure;
  const ctx = document.createElement('canvas').getContext('2d');
  if (ctx === null || typeof ctx.measureText !== 'function') return estimateWidth;
  ctx.font = font;
  const measure: Measure = (text) => ctx.measureText(text).width;
  measurer = { font, measure };
  return measure;
}

/** The text a step's arrow carries: its label, and the packet count when it folds several. */
export function stepLabel(step: LadderStep): string {
  // A step with malformed bytes is marked before its label (the tooltip says what is malformed).
  const label = step.problem !== undefined ? `⚠ ${step.label}` : step.label;
  return step.folded === null ? label : `${label} (${step.folded.packets} packets)`;
}

/**
 * Breaks a label into lines of at most `px`: between the messages of a flight (after ", ") first,
 * then between words, then anywhere (a long CJK run). Lines are balanced: the narrowest width that
 * needs no more lines than the widest, so no message sits alone under a long line. Nothing is cut
 * unless the label needs more than LABEL_MAX_LINES lines (the full text stays in the tooltip).
 */
export function wrapLabel(text: string, px: number, measure: Measure = estimateWidth): string[] {
  const greedy = greedyLines(text, px, measure);
  if (greedy.length < 2) return greedy;
  let lo = px * 0.3;
  let hi = px;
  let best = greedy;
  while (hi - lo > 2) {
    const mid = (lo + hi) / 2;
    const lines = greedyLines(text, mid, measure);
    if (lines.length <= greedy.length) {
      best = lines;
      hi = mid;
    } else {
      lo = mid;
    }
  }
  if (best.length <= LABEL_MAX_LINES) return best;
  const kept = best.slice(0, LABEL_MAX_LINES);
  kept[LABEL_MAX_LINES - 1] = fitLabel(`${kept[LABEL_MAX_LINES - 1]!} ${best.slice(LABEL_MAX_LINES).join(' ')}`, px);
  return kept;
}

function greedyLines(text: string, px: number, measure: Measure): string[] {
  // Pieces keep their trailing separator, so a line ends in "," and the next starts with a name.
  const pieces = text.split(/(?<=, |，| )/);
  const lines: string[] = [];
  let cur = '';
  for (const piece of pieces) {
    if (cur === '' || measure((cur + piece).trimEnd()) <= px) {
      cur += piece;
    } else {
      lines.push(cur.trimEnd());
      cur = piece;
    }
    while (measure(cur.trimEnd()) > px && cur.length > 1) {
      let n = cur.length - 1;
      while (n > 1 && measure(cur.slice(0, n)) > px) n--;
      lines.push(cur.slice(0, n));
      cur = cur.slice(n);
    }
  }
  if (cur.trim() !== '') lines.push(cur.trimEnd());
  return lines.length > 0 ? lines : [''];
}

export function layoutLadder(model: LadderModel, layout: 'time' | 'even', availableWidth: number, measure: Measure = estimateWidth): LadderGeometry {
  const width = Math.max(MIN_WIDTH, Math.floor(availableWidth));
  const xClient = 300;
  const xServer = width - 330;
  const labelRoom = xServer - xClient - 24;
  const steps: StepGeom[] = [];
  const holes: LadderGeometry['holes'] = [];
  let y = TOP;
  model.steps.forEach((step, i) => {
    // Bold labels are about a tenth wider than the regular face measured.
    const labelLines = wrapLabel(stepLabel(step), loudKinds.has(step.kind) ? labelRoom / 1.1 : labelRoom, measure);
    const extra = (labelLines.length - 1) * LABEL_LINE;
    if (i > 0) {
      const dt = Math.max(0, step.time - model.steps[i - 1]!.time);
      y += layout === 'even' ? EVEN_GAP : MIN_GAP + Math.min(MAX_EXTRA, 10 * Math.log2(1 + dt / 50e-6));
    }
    for (const h of model.holes.filter((x) => x.beforeStep === step.index)) {
      holes.push({ x: h.side === 'client' ? xClient : xServer, y: y - (i > 0 ? MIN_GAP / 2 : 0), side: h.side, bytes: h.bytes, frame: h.frame });
      y += HOLE_GAP;
    }
    // The lines above the first stand over the gap before the step, so it opens by their height.
    y += extra;
    const fromClient = step.from === 'client';
    const g: StepGeom = {
      step,
      x1: fromClient ? xClient : xServer,
      x2: fromClient ? xServer : xClient,
      y1: y,
      y2: y + SLANT,
      yClient: fromClient ? y : y + SLANT,
      yServer: fromClient ? y + SLANT : y,
      labelLines,
    };
    steps.push(g);
  });
  const byIndex = new Map(steps.map((g) => [g.step.index, g]));
  const last = steps[steps.length - 1];
  const height = (last?.y2 ?? TOP) + 48;

  const phases = model.phases.flatMap((p) => {
    const first = byIndex.get(p.firstStep);
    const lastStep = byIndex.get(p.lastStep);
    if (first === undefined || lastStep === undefined) return [];
    const before = steps[steps.indexOf(first) - 1];
    const after = steps[steps.indexOf(lastStep) + 1];
    return [
      {
        phase: p.phase,
        top: before === undefined ? labelTop(first) - 9 : (before.y2 + labelTop(first) + 13) / 2,
        bottom: after === undefined ? lastStep.y2 + 18 : (lastStep.y2 + after.y1) / 2,
      },
    ];
  });

  const brackets = model.brackets.flatMap((b) => {
    const from = byIndex.get(b.fromStep);
    const to = byIndex.get(b.toStep);
    if (from === undefined || to === undefined) return [];
    // "TLS handshake" is wider than the room at some font sizes: it wraps instead of covering the step numbers.
    const lines = wrapLabel(b.label, BRACKET_LABEL_PX, (t) => measure(t) * BRACKET_TEXT_SCALE);
    return [{ label: b.label, lines, seconds: b.seconds, top: Math.min(from.yClient, to.yClient), bottom: Math.max(from.yClient, to.yClient) }];
  });

  return { width, height, xClient, xServer, steps, phases, brackets, holes };
}

/** Top of a step's label block (the arrow's y1 less its extra lines and the first line's height). */
export function labelTop(g: StepGeom): number {
  return g.y1 - 13 - (g.labelLines.length - 1) * LABEL_LINE;
}

export const phaseNames: Record<Phase, { long: string; short: string }> = {
  'tcp-handshake': { long: 'TCP handshake', short: 'TCP' },
  'tls-handshake': { long: 'TLS handshake', short: 'TLS' },
  'application-data': { long: 'Application data', short: 'Data' },
  teardown: { long: 'Teardown', short: 'Close' },
  reset: { long: 'Reset', short: 'RST' },
};

/** Shortens a label to about `px` pixels of 12px text. */
export function fitLabel(text: string, px: number): string {
  const max = Math.max(4, Math.floor(px / 6.6));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
