// Colours and strokes of the ladder in the light and the dark theme: one style per step kind, one
// tint per phase, one colour family per TCP state. Solid colours only (no opacity), so the PNG and
// the PDF print the same.

import type { Phase, StepKind, TcpStateName, VerdictStatus } from './model';

export interface KindStyle {
  color: string;
  width: number;
  /** SVG stroke-dasharray, or '' for a solid line. */
  dash: string;
  /** Label drawn in the kind's colour and bold (alerts, resets). */
  loud: boolean;
}

export interface Theme {
  name: 'light' | 'dark';
  background: string;
  text: string;
  muted: string;
  grid: string;
  lifeline: string;
  headerFill: string;
  headerStroke: string;
  numberFill: string;
  numberText: string;
  bracket: string;
  callout: { fill: string; stroke: string; text: string };
  phases: Record<Phase, { band: string; title: string }>;
  kinds: Record<StepKind, KindStyle>;
  states: Record<'opening' | 'established' | 'closing' | 'closed', { fill: string; stroke: string; text: string }>;
  verdicts: Record<VerdictStatus, { fill: string; text: string }>;
}

export const lightTheme: Theme = {
  name: 'light',
  background: '#ffffff',
  text: '#1f2937',
  muted: '#4b5563',
  grid: '#d1d5db',
  lifeline: '#6b7280',
  headerFill: '#f3f4f6',
  headerStroke: '#9ca3af',
  numberFill: '#374151',
  numberText: '#ffffff',
  bracket: '#0369a1',
  callout: { fill: '#fef9c3', stroke: '#ca8a04', text: '#422006' },
  phases: {
    'tcp-handshake': { band: '#eff6ff', title: '#1d4ed8' },
    'tls-handshake': { band: '#f5f3ff', title: '#6d28d9' },
    'application-data': { band: '#ecfdf5', title: '#047857' },
    teardown: { band: '#fffbeb', title: '#b45309' },
    reset: { band: '#fef2f2', title: '#b91c1c' },
  },
  kinds: {
    'tcp-control': { color: '#1f2937', width: 1.6, dash: '', loud: false },
    'tcp-data': { color: '#475569', width: 1.6, dash: '', loud: false },
    ack: { color: '#6b7280', width: 1.2, dash: '5 3', loud: false },
    'tls-handshake': { color: '#6d28d9', width: 2, dash: '', loud: false },
    'tls-ccs': { color: '#7c3aed', width: 1.6, dash: '2 3', loud: false },
    'tls-alert': { color: '#dc2626', width: 2, dash: '', loud: true },
    'tls-close': { color: '#b45309', width: 1.8, dash: '', loud: false },
    'tls-app-data': { color: '#047857', width: 1.8, dash: '', loud: false },
    'http-request': { color: '#0e7490', width: 1.8, dash: '', loud: false },
    'http-response': { color: '#0e7490', width: 1.8, dash: '', loud: false },
    retransmission: { color: '#ea580c', width: 1.8, dash: '7 4', loud: true },
    rst: { color: '#b91c1c', width: 3, dash: '', loud: true },
    'http2-control': { color: '#64748b', width: 1.4, dash: '3 3', loud: false },
    'http2-reset': { color: '#c2410c', width: 2.2, dash: '', loud: true },
  },
  states: {
    opening: { fill: '#dbeafe', stroke: '#60a5fa', text: '#1e3a8a' },
    established: { fill: '#dcfce7', stroke: '#4ade80', text: '#14532d' },
    closing: { fill: '#fef3c7', stroke: '#f59e0b', text: '#78350f' },
    closed: { fill: '#e5e7eb', stroke: '#9ca3af', text: '#111827' },
  },
  verdicts: {
    complete: { fill: '#15803d', text: '#ffffff' },
    failed: { fill: '#b91c1c', text: '#ffffff' },
    incomplete: { fill: '#b45309', text: '#ffffff' },
  },
};

export const darkTheme: Theme = {
  name: 'dark',
  background: '#0f172a',
  text: '#e5e7eb',
  muted: '#aab4c3',
  grid: '#334155',
  lifeline: '#94a3b8',
  headerFill: '#1e293b',
  headerStroke: '#64748b',
  numberFill: '#e5e7eb',
  numberText: '#0f172a',
  bracket: '#7dd3fc',
  callout: { fill: '#3b3510', stroke: '#eab308', text: '#fef9c3' },
  phases: {
    'tcp-handshake': { band: '#14213d', title: '#93c5fd' },
    'tls-handshake': { band: '#1d1a3a', title: '#c4b5fd' },
    'application-data': { band: '#0f2a26', title: '#6ee7b7' },
    teardown: { band: '#2a2314', title: '#fcd34d' },
    reset: { band: '#2f1518', title: '#fca5a5' },
  },
  kinds: {
    'tcp-control': { color: '#e5e7eb', width: 1.6, dash: '', loud: false },
    'tcp-data': { color: '#cbd5e1', width: 1.6, dash: '', loud: false },
    ack: { color: '#94a3b8', width: 1.2, dash: '5 3', loud: false },
    'tls-handshake': { color: '#c4b5fd', width: 2, dash: '', loud: false },
    'tls-ccs': { color: '#a78bfa', width: 1.6, dash: '2 3', loud: false },
    'tls-alert': { color: '#f87171', width: 2, dash: '', loud: true },
    'tls-close': { color: '#fcd34d', width: 1.8, dash: '', loud: false },
    'tls-app-data': { color: '#34d399', width: 1.8, dash: '', loud: false },
    'http-request': { color: '#22d3ee', width: 1.8, dash: '', loud: false },
    'http-response': { color: '#22d3ee', width: 1.8, dash: '', loud: false },
    retransmission: { color: '#fb923c', width: 1.8, dash: '7 4', loud: true },
    rst: { color: '#f87171', width: 3, dash: '', loud: true },
    'http2-control': { color: '#94a3b8', width: 1.4, dash: '3 3', loud: false },
    'http2-reset': { color: '#fb923c', width: 2.2, dash: '', loud: true },
  },
  states: {
    opening: { fill: '#1e3a8a', stroke: '#3b82f6', text: '#dbeafe' },
    established: { fill: '#14532d', stroke: '#22c55e', text: '#dcfce7' },
    closing: { fill: '#713f12', stroke: '#f59e0b', text: '#fef3c7' },
    closed: { fill: '#374151', stroke: '#9ca3af', text: '#f3f4f6' },
  },
  verdicts: {
    complete: { fill: '#16a34a', text: '#ffffff' },
    failed: { fill: '#dc2626', text: '#ffffff' },
    incomplete: { fill: '#d97706', text: '#111827' },
  },
};

export function theme(name: 'light' | 'dark'): Theme {
  return name === 'dark' ? darkTheme : lightTheme;
}

export function stateFamily(state: TcpStateName): 'opening' | 'established' | 'closing' | 'closed' {
  switch (state) {
    case 'SYN_SENT':
    case 'SYN_RECEIVED':
      return 'opening';
    case 'ESTABLISHED':
      return 'established';
    case 'FIN_WAIT_1':
    case 'FIN_WAIT_2':
    case 'CLOSING':
    case 'CLOSE_WAIT':
    case 'LAST_ACK':
    case 'TIME_WAIT':
      return 'closing';
    default:
      return 'closed';
  }
}

/** Light-theme colours as rgb() for Mermaid `rect` blocks (Mermaid reads `#` as a comment). */
export const mermaidPhaseColors: Record<Phase, string> = {
  'tcp-handshake': 'rgb(219, 234, 254)',
  'tls-handshake': 'rgb(237, 233, 254)',
  'application-data': 'rgb(209, 250, 229)',
  teardown: 'rgb(254, 243, 199)',
  reset: 'rgb(254, 226, 226)',
};
