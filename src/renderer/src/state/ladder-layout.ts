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
}

export interface LadderGeometry {
  width: number;
  height: number;
  xClient: number;
  xServer: number;
  steps: StepGeom[];
  phases: { phase: Phase; top: number; bottom: number }[];
  brackets: { label: string; seconds: number; top: number; bottom: number }[];
  /** Bytes the capture missed: a break in the sender's lifeline before the step after the hole. */
  holes: { x: number; y: number; side: 'client' | 'server'; bytes: number; frame: number }[];
}

/** Room a hole marker takes between two steps. */
const HOLE_GAP = 30;

export function layoutLadder(model: LadderModel, layout: 'time' | 'even', availableWidth: number): LadderGeometry {
  const width = Math.max(MIN_WIDTH, Math.floor(availableWidth));
  const xClient = 300;
  const xServer = width - 330;
  const steps: StepGeom[] = [];
  const holes: LadderGeometry['holes'] = [];
  let y = TOP;
  model.steps.forEach((step, i) => {
    if (i > 0) {
      const dt = Math.max(0, step.time - model.steps[i - 1]!.time);
      y += layout === 'even' ? EVEN_GAP : MIN_GAP + Math.min(MAX_EXTRA, 10 * Math.log2(1 + dt / 50e-6));
    }
    for (const h of model.holes.filter((x) => x.beforeStep === step.index)) {
      holes.push({ x: h.side === 'client' ? xClient : xServer, y: y - (i > 0 ? MIN_GAP / 2 : 0), side: h.side, bytes: h.bytes, frame: h.frame });
      y += HOLE_GAP;
    }
    const fromClient = step.from === 'client';
    const g: StepGeom = {
      step,
      x1: fromClient ? xClient : xServer,
      x2: fromClient ? xServer : xClient,
      y1: y,
      y2: y + SLANT,
      yClient: fromClient ? y : y + SLANT,
      yServer: fromClient ? y + SLANT : y,
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
        top: before === undefined ? first.y1 - 22 : (before.y2 + first.y1) / 2,
        bottom: after === undefined ? lastStep.y2 + 18 : (lastStep.y2 + after.y1) / 2,
      },
    ];
  });

  const brackets = model.brackets.flatMap((b) => {
    const from = byIndex.get(b.fromStep);
    const to = byIndex.get(b.toStep);
    if (from === undefined || to === undefined) return [];
    return [{ label: b.label, seconds: b.seconds, top: Math.min(from.yClient, to.yClient), bottom: Math.max(from.yClient, to.yClient) }];
  });

  return { width, height, xClient, xServer, steps, phases, brackets, holes };
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
