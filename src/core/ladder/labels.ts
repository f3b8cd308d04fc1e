// The words the ladder renderers print around the model's own text (headers, legend, phase names,
// verdicts) in each language, and the number formats (times, durations, byte counts) they share.

import type { Language, Phase, StepKind, VerdictStatus } from './model';

export interface ChromeStrings {
  client: string;
  server: string;
  time: string;
  explanation: string;
  legend: string;
  stream: string;
  verdict: string;
  phases: Record<Phase, string>;
  kinds: Record<StepKind, string>;
  verdicts: Record<VerdictStatus, string>;
  stateChange: string;
  /** Text in the legend's sample state tag. */
  stateSample: string;
  rttBracket: string;
  annotation: string;
  folded: string;
  gap: string;
  /** A hole in one side's bytes: the marker's text and the legend's. */
  hole: (bytes: string) => string;
  holeLegend: string;
  /** The legend's words for a step with malformed bytes. */
  malformed: string;
  layoutTime: string;
  layoutEven: string;
  packets: (n: number) => string;
  later: (duration: string) => string;
  wait: (duration: string) => string;
  noSteps: string;
}

const en: ChromeStrings = {
  client: 'Client',
  server: 'Server',
  time: 'Time',
  explanation: 'What happens',
  legend: 'Legend',
  stream: 'stream',
  verdict: 'Verdict',
  phases: {
    'tcp-handshake': 'TCP handshake',
    'tls-handshake': 'TLS handshake',
    'application-data': 'Application data',
    teardown: 'Teardown',
    reset: 'Reset',
  },
  kinds: {
    'tcp-control': 'TCP control',
    'tcp-data': 'TCP data',
    ack: 'ACK',
    'tls-handshake': 'TLS handshake',
    'tls-ccs': 'ChangeCipherSpec',
    'tls-alert': 'TLS alert',
    'tls-close': 'TLS close (close_notify)',
    'tls-app-data': 'TLS application data',
    'http-request': 'HTTP request',
    'http-response': 'HTTP response',
    retransmission: 'Retransmission',
    rst: 'RST',
    'http2-control': 'HTTP/2 control frame',
    'http2-reset': 'HTTP/2 reset (RST_STREAM, GOAWAY error)',
  },
  verdicts: { complete: 'Complete', failed: 'Failed', incomplete: 'Incomplete' },
  stateChange: 'TCP state after the step',
  stateSample: 'STATE',
  rttBracket: 'round-trip time',
  annotation: 'annotation',
  folded: 'folded steps',
  gap: 'long gap, shortened',
  hole: (b) => `${b} not captured`,
  holeLegend: 'bytes the capture missed',
  malformed: 'malformed bytes',
  layoutTime: 'Vertical spacing follows capture time; long gaps are shortened (≈).',
  layoutEven: 'Steps are evenly spaced; see the time column for real times.',
  packets: (n) => (n === 1 ? '1 packet' : `${n} packets`),
  later: (d) => `≈ ${d} later`,
  wait: (d) => `${d} later`,
  noSteps: 'No packets in this conversation.',
};

const zhCN: ChromeStrings = {
  client: '客户端',
  server: '服务器',
  time: '时间',
  explanation: '步骤说明',
  legend: '图例',
  stream: '流',
  verdict: '结论',
  phases: {
    'tcp-handshake': 'TCP 握手',
    'tls-handshake': 'TLS 握手',
    'application-data': '应用数据',
    teardown: '连接关闭',
    reset: '连接重置',
  },
  kinds: {
    'tcp-control': 'TCP 控制',
    'tcp-data': 'TCP 数据',
    ack: 'ACK',
    'tls-handshake': 'TLS 握手',
    'tls-ccs': 'ChangeCipherSpec',
    'tls-alert': 'TLS 告警',
    'tls-close': 'TLS 关闭（close_notify）',
    'tls-app-data': 'TLS 应用数据',
    'http-request': 'HTTP 请求',
    'http-response': 'HTTP 响应',
    retransmission: '重传',
    rst: 'RST 复位',
    'http2-control': 'HTTP/2 控制帧',
    'http2-reset': 'HTTP/2 重置（RST_STREAM、GOAWAY 错误）',
  },
  verdicts: { complete: '完成', failed: '失败', incomplete: '未完成' },
  stateChange: '该步之后的 TCP 状态',
  stateSample: '状态',
  rttBracket: '往返时间',
  annotation: '注释',
  folded: '合并的步骤',
  gap: '长间隔（已缩短）',
  hole: (b) => `缺少 ${b}`,
  holeLegend: '抓包缺失的字节',
  malformed: '格式错误的字节',
  layoutTime: '纵向间距按抓包时间排列；长间隔已缩短（≈）。',
  layoutEven: '步骤等距排列；实际时间见时间列。',
  packets: (n) => `${n} 个包`,
  later: (d) => `≈ ${d} 之后`,
  wait: (d) => `${d} 之后`,
  noSteps: '该会话中没有数据包。',
};

export function chrome(language: Language): ChromeStrings {
  return language === 'zh-CN' ? zhCN : en;
}

/** Rounds for output: at most `decimals` places, no "-0", no exponent. */
export function fixed(value: number, decimals: number): string {
  const v = Number.isFinite(value) ? value : 0;
  const s = v.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * A step's time relative to the first packet, always in milliseconds (one unit for the whole
 * column), with fewer decimals as the number grows: `+0.126 ms`, `+12.35 ms`, `+2134.5 ms`.
 * Conversations longer than 10 s switch the whole column to seconds.
 */
export function relativeTime(seconds: number, unit: 'ms' | 's'): string {
  if (unit === 's') return `+${fixed(seconds, 3)} s`;
  const ms = seconds * 1000;
  const decimals = ms < 10 ? 3 : ms < 100 ? 2 : ms < 10000 ? 1 : 0;
  return `+${fixed(ms, decimals)} ms`;
}

export function timeUnit(lastTime: number): 'ms' | 's' {
  return lastTime >= 10 ? 's' : 'ms';
}

/** A duration for RTT brackets and gap markers: `0.13 ms`, `12.4 ms`, `2.1 s`. */
export function duration(seconds: number): string {
  const ms = seconds * 1000;
  if (ms < 10) return `${fixed(ms, 2)} ms`;
  if (ms < 1000) return `${fixed(ms, 1)} ms`;
  if (seconds < 100) return `${fixed(seconds, 1)} s`;
  return `${fixed(seconds, 0)} s`;
}

/** Payload bytes: `512 B`, `18.4 kB`, `3.2 MB` (decimal units). */
export function byteCount(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${fixed(bytes / 1000, 1)} kB`;
  if (bytes < 1_000_000_000) return `${fixed(bytes / 1_000_000, 1)} MB`;
  return `${fixed(bytes / 1_000_000_000, 2)} GB`;
}

/** The conversation line: `TCP 127.0.0.1:45614 → 127.0.0.1:8444 — stream 0 — mtls12.pcap`. */
export function conversationTitle(
  m: { protocol: string; client: { label: string }; server: { label: string }; stream: number; capture: string },
  language: Language,
): string {
  const parts = [`${m.protocol} ${m.client.label} → ${m.server.label}`, `${chrome(language).stream} ${m.stream}`];
  if (m.capture !== '') parts.push(m.capture);
  return parts.join(' — ');
}
