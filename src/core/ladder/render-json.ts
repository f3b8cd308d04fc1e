// The ladder model as pretty JSON with a stable key order: the model's own field order for the
// fields it declares, then any others alphabetically. Same model, same bytes.

import type { LadderModel } from './model';

const ORDER: Record<string, string[]> = {
  model: ['title', 'capture', 'conversation', 'stream', 'protocol', 'client', 'server', 'startEpoch', 'language', 'facts', 'verdict', 'phases', 'brackets', 'steps'],
  endpoint: ['role', 'address', 'port', 'label'],
  step: ['index', 'time', 'from', 'packets', 'kind', 'phase', 'flight', 'label', 'clientState', 'serverState', 'clientStateChanged', 'serverStateChanged', 'explanation', 'annotations', 'folded'],
  fact: ['label', 'value'],
  verdict: ['status', 'reason', 'findings'],
  phase: ['phase', 'firstStep', 'lastStep'],
  bracket: ['label', 'fromStep', 'toStep', 'seconds'],
  annotation: ['packet', 'text'],
  folded: ['packets', 'bytes'],
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function ordered(value: unknown, shape: string | null): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => ordered(v, shape));
  if (typeof value !== 'object') return null;
  const obj = value as Record<string, unknown>;
  const known = shape !== null ? (ORDER[shape] ?? []) : [];
  const keys = [...known.filter((k) => k in obj), ...Object.keys(obj).filter((k) => !known.includes(k)).sort()];
  const out: { [key: string]: Json } = {};
  for (const k of keys) {
    if (obj[k] === undefined) continue;
    out[k] = ordered(obj[k], childShape(shape, k));
  }
  return out;
}

function childShape(parent: string | null, key: string): string | null {
  if (parent === 'model') {
    const map: Record<string, string> = { client: 'endpoint', server: 'endpoint', facts: 'fact', verdict: 'verdict', phases: 'phase', brackets: 'bracket', steps: 'step' };
    return map[key] ?? null;
  }
  if (parent === 'step') return key === 'annotations' ? 'annotation' : key === 'folded' ? 'folded' : null;
  return null;
}

export function renderJson(model: LadderModel): string {
  return `${JSON.stringify(ordered(model, 'model'), null, 2)}\n`;
}
