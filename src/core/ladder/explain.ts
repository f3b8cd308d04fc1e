// Step explanations that are true for this connection: each step's facts (flags, states, TLS
// messages, HTTP messages) pick sentences from the language's text table and fill their
// placeholders with the actual values. Also the header facts, the title and the likely cause of
// a TLS alert (shared with diagnose.ts).

import { alertCause, certName, type Cause } from '../engine/alert-cause';
import type { DiagnosisFacts } from '../engine/diagnosis';
import type { Conversation } from '../flow/conversation';
import type { HttpParser } from '../http/parser';
import type { HttpHeader, HttpRequest, HttpResponse, HttpTransaction } from '../http/model';
import type { TlsAlert } from '../tls/model';
import type { TlsParser } from '../tls/parser';
import { alertDescriptions, cipherSuites, contentTypeTitle, describeCipherSuite, isGrease, namedGroupName, tlsVersionName } from '../tls/tables';
import { Analysis } from '../io/packet-index';
import { messageName, type PacketFacts, type StepFacts, type TlsItem, type TlsSegment } from './build';
import { duration } from './labels';
import type { Language, Side, TcpStateName } from './model';
import { en, type TextKey } from './texts/en';
import { alertMeaningsZh, zhCN } from './texts/zh-CN';

const FIN = 0x001;
const SYN = 0x002;

/** At most this many sentences per step (the most telling ones, kept in their order). */
const MAX_SENTENCES = 4;

// ---------------------------------------------------------------------------------------------
// Text tables and formatting
// ---------------------------------------------------------------------------------------------

export type TextValues = Readonly<Record<string, string | number>>;

export function textTable(language: Language): Readonly<Record<TextKey, string>> {
  return language === 'zh-CN' ? zhCN : en;
}

/**
 * Each template split once at its placeholders: literal parts at even positions, placeholder
 * names at odd ones (a whole-file pass renders a verdict for every conversation).
 */
const compiled = new Map<string, readonly string[]>();

function partsOf(template: string): readonly string[] {
  let parts = compiled.get(template);
  if (parts === undefined) {
    parts = template.split(/\{(\w+)\}/);
    compiled.set(template, parts);
  }
  return parts;
}

/** The text for `key` in `language` with its `{placeholders}` filled. */
export function text(language: Language, key: TextKey, values: TextValues = {}): string {
  const parts = partsOf(textTable(language)[key]);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const v = values[parts[i]!];
    out += (v === undefined ? `{${parts[i]!}}` : String(v)) + parts[i + 1]!;
  }
  return out;
}

/** The `{placeholder}` names a template uses (for the locale consistency test). */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

export function sideWord(language: Language, side: Side): string {
  return text(language, side === 'client' ? 'word.client' : 'word.server');
}

function otherSide(side: Side): Side {
  return side === 'client' ? 'server' : 'client';
}

export function groupNumber(n: number): string {
  // Whole numbers below 2^53 get their thousands separators here; toLocaleString (ICU) costs
  // microseconds a call, and a whole-file pass writes numbers into every conversation's verdict.
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}

export function suitesText(language: Language, n: number): string {
  return n === 1 ? text(language, 'unit.suite') : text(language, 'unit.suites', { n: groupNumber(n) });
}

export function bytesText(language: Language, n: number): string {
  return n === 1 ? text(language, 'unit.byte') : text(language, 'unit.bytes', { n: groupNumber(n) });
}

/** `A, B and C` / `A、B 和 C` (Chinese puts a space between a Latin word and a Han character). */
export function listText(language: Language, items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  const sep = text(language, 'list.sep');
  const head = items.slice(0, -1).join(sep);
  const tail = items[items.length - 1]!;
  const and = text(language, 'list.and');
  if (language !== 'zh-CN') return `${head}${and}${tail}`;
  const latin = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z0-9)\]]/.test(ch);
  return `${head}${latin(head[head.length - 1]) ? ' ' : ''}${and}${latin(tail[0]) ? ' ' : ''}${tail}`;
}

function seconds(s: number): string {
  return duration(Math.max(0, s));
}

/** A lifetime in seconds as people say it: `300 s`, `2 h`, `7 days` (zh: `7 天`). */
function lifetimeText(language: Language, s: number): string {
  if (s >= 86400 && s % 86400 === 0) return language === 'zh-CN' ? `${s / 86400} 天` : `${s / 86400} day${s === 86400 ? '' : 's'}`;
  if (s >= 3600 && s % 3600 === 0) return language === 'zh-CN' ? `${s / 3600} 小时` : `${s / 3600} h`;
  return text(language, 'unit.seconds', { n: groupNumber(s) });
}

function dateText(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '?';
}

function versionName(v: number): string {
  return tlsVersionName(v);
}

/** The cipher suite in words (key exchange, authentication, cipher, hash). */
export function suiteWords(id: number, language: Language): string {
  const info = cipherSuites.get(id);
  // TLS 1.3 suites name only the AEAD and the hash; the explanation tells the key exchange itself.
  if (language !== 'zh-CN') return info?.tls13 === true ? describeCipherSuite(id).replace(/ \(TLS 1\.3[^)]*\)$/, '') : describeCipherSuite(id);
  if (info === undefined || info.scsv) return describeCipherSuite(id);
  const cipher = zhCipher(info.cipher);
  const hash = info.prf.replace(/^SHA(\d+)$/, 'SHA-$1');
  if (info.tls13) return `${cipher}加密，${hash} 哈希`;
  const kx: Record<string, string> = {
    RSA: 'RSA 密钥传输',
    ECDHE: 'ECDHE 密钥交换',
    DHE: 'DHE 密钥交换',
    ECDH: 'ECDH（静态）密钥交换',
    DH: 'DH（静态）密钥交换',
    PSK: '预共享密钥（PSK）',
  };
  const auth: Record<string, string> = {
    RSA: 'RSA 身份验证',
    ECDSA: 'ECDSA 身份验证',
    DSS: 'DSS 身份验证',
    anon: '无身份验证（匿名）',
    PSK: 'PSK 身份验证',
  };
  const mac = info.aead ? `${hash} 哈希` : `HMAC-${info.mac.replace(/^SHA$/, 'SHA1').replace(/^SHA(\d+)$/, 'SHA$1')} 完整性校验`;
  const parts = [kx[info.keyExchange] ?? `${info.keyExchange} 密钥交换`, auth[info.authentication] ?? `${info.authentication} 身份验证`, `${cipher}加密`, mac];
  return parts.join('，') + (info.export ? '（出口级，已被刻意削弱）' : '');
}

function zhCipher(cipher: string): string {
  if (cipher === 'CHACHA20_POLY1305') return 'ChaCha20-Poly1305 ';
  if (cipher === 'NULL') return '不';
  const m = /^(AES|CAMELLIA|ARIA)_(\d+)_(CBC|GCM|CCM)(_8)?$/.exec(cipher);
  if (m !== null) return `${m[1] === 'AES' ? 'AES' : m[1] === 'CAMELLIA' ? 'Camellia' : 'ARIA'}-${m[2]}（${m[3]} 模式${m[4] !== undefined ? '，8 字节标签' : ''}）`;
  return `${cipher.replace(/_/g, '-')} `;
}

/** What an alert means, in `language` (English from tls/tables.ts). */
export function alertMeaning(language: Language, alert: TlsAlert): string {
  const name = alert.name ?? '';
  const info = alert.description !== null ? alertDescriptions.get(alert.description) : undefined;
  if (language === 'zh-CN') {
    const zh = alertMeaningsZh[name];
    if (zh !== undefined) return zh;
  }
  return info?.meaning ?? (language === 'zh-CN' ? '未知的告警。' : 'An alert this analyzer does not know.');
}

/** The label words in `language` (the rest of a label is protocol names and numbers). */
export function labelWords(language: Language): {
  bytes(n: number): string;
  suites(n: number): string;
  tcpData: string;
  encryptedHandshake(n: number): string;
  finishedEncrypted: string;
  handshakeFragment(n: number): string;
  alertGuess: string;
  tlsSegment(contents: string, n: number): string;
  httpBody(request: boolean, n: number): string;
  malformed(n: number): string;
  tcpConnect: string;
  tlsHandshake: string;
  ttfb: string;
  earlyData(n: number): string;
  earlyDataOf(what: string): string;
} {
  const b = (n: number): string => bytesText(language, n);
  return {
    bytes: b,
    suites: (n) => (n === 1 ? text(language, 'label.suite') : text(language, 'label.suites', { n })),
    tcpData: text(language, 'label.tcpData'),
    encryptedHandshake: (n) => text(language, 'label.encryptedHandshake', { bytes: b(n) }),
    finishedEncrypted: text(language, 'label.finished'),
    handshakeFragment: (n) => text(language, 'label.fragment', { bytes: b(n) }),
    alertGuess: text(language, 'label.alertGuess'),
    tlsSegment: (contents, n) => text(language, 'label.segment', { contents, bytes: b(n) }),
    httpBody: (request, n) => text(language, request ? 'label.requestBody' : 'label.responseBody', { bytes: b(n) }),
    malformed: (n) => text(language, 'label.malformed', { bytes: b(n) }),
    tcpConnect: text(language, 'label.tcpConnect'),
    tlsHandshake: text(language, 'label.tlsHandshake'),
    ttfb: text(language, 'label.ttfb'),
    earlyData: (n) => text(language, 'label.earlyData', { bytes: b(n) }),
    earlyDataOf: (what) => text(language, 'label.earlyDataOf', { what }),
  };
}

// ---------------------------------------------------------------------------------------------
// The likely cause of an alert (used by step explanations and verdicts)
// ---------------------------------------------------------------------------------------------

/**
 * `the server could not find…` from `The sender could not find….`: the alert's meaning as a clause,
 * with "the sender" named (the tables speak of any sender).
 */
export function meaningClause(language: Language, alert: TlsAlert, sender: Side): string {
  const who = sideWord(language, sender);
  const m = alertMeaning(language, alert).replace(/[.。]\s*$/, '');
  if (language === 'zh-CN') return m.replace(/发送方/g, who);
  const named = m.replace(/\b[Tt]he sender\b/g, `the ${who}`);
  return named.charAt(0).toLowerCase() + named.slice(1);
}

/** A likely cause (engine/alert-cause.ts) in words: lists joined, counts with their unit. */
export function causeText(L: Language, cause: Cause, alert: TlsAlert, sender: Side): string {
  if (cause.key === 'cause.meaning') return text(L, 'cause.meaning', { meaning: meaningClause(L, alert, sender) });
  const values: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(cause.values)) {
    if (Array.isArray(v)) values[k] = listText(L, v as readonly string[]);
    else if (k === 'suites' && typeof v === 'number') values[k] = suitesText(L, v);
    else values[k] = v as string | number;
  }
  return text(L, cause.key, values);
}

// ---------------------------------------------------------------------------------------------
// Step explanations
// ---------------------------------------------------------------------------------------------

export interface ExplainContext {
  language: Language;
  conv: Conversation;
  tls: TlsParser | null;
  http: HttpParser | null;
  packets: readonly PacketFacts[];
  steps: readonly StepFacts[];
  serverPort: number;
  /** Row after which both sides have finished the TLS handshake (Infinity: never; -1: no TLS). */
  tlsDoneRow: number;
  /** What the verdict was judged on: sentences state these facts, they do not work out their own. */
  facts: DiagnosisFacts;
}

interface Frag {
  key: TextKey;
  values: TextValues;
  /** Lower is more important. */
  prio: number;
}

/**
 * One to a few sentences about a step, true for this connection, and what they say as keys and
 * values (so that tests can hold each claim against the diagnosis).
 */
/** A step's explanation and the claims its sentences make (keys and values, for tests). */
export interface Explained {
  text: string;
  says: { key: string; values: Record<string, string | number> }[];
}

export function explainStep(s: StepFacts, ctx: ExplainContext): Explained {
  const frags = stepFragments(s, ctx);
  const L = ctx.language;
  let kept = frags;
  if (frags.length > MAX_SENTENCES) {
    const order = frags.map((f, k) => ({ f, k })).sort((a, b) => a.f.prio - b.f.prio || a.k - b.k).slice(0, MAX_SENTENCES);
    const keep = new Set(order.map((o) => o.k));
    kept = frags.filter((_, k) => keep.has(k));
  }
  return {
    text: kept.map((f) => text(L, f.key, f.values)).join(text(L, 'sep.sentence')),
    says: kept.map((f) => ({ key: f.key, values: { ...f.values } })),
  };
}

function stepFragments(s: StepFacts, ctx: ExplainContext): Frag[] {
  const L = ctx.language;
  const out: Frag[] = [];
  const add = (key: TextKey, values: TextValues = {}, prio = 3): void => {
    out.push({ key, values, prio });
  };
  const p = s.packets[0]!;
  const last = s.packets[s.packets.length - 1]!;
  const side = sideWord(L, s.from);
  const peer = sideWord(L, otherSide(s.from));

  if (s.folded !== null) {
    add(s.kind === 'tls-app-data' ? 'fold.tls' : 'fold.tcp', { n: s.folded.packets, bytes: bytesText(L, s.folded.bytes), side }, 1);
    return out;
  }

  // TCP: what the segment itself does.
  const retrans = (p.analysis & (Analysis.Retransmission | Analysis.FastRetransmission | Analysis.SpuriousRetransmission)) !== 0;
  switch (s.role) {
    case 'syn':
      add('tcp.syn', { state: p.clientAfter }, 1);
      {
        const options: string[] = [];
        if (p.mss >= 0) options.push(text(L, 'opt.mss', { mss: p.mss }));
        if (p.sackPermitted) options.push(text(L, 'opt.sack'));
        if (p.windowScale >= 0) options.push(text(L, 'opt.wscale', { factor: groupNumber(2 ** Math.min(14, p.windowScale)) }));
        if (options.length > 0) add('tcp.syn.options', { options: listText(L, options) }, 3);
      }
      break;
    case 'syn-restart': {
      // A new attempt on the same ports: what ended the one before (the diagnosis's record of it).
      const prev = ctx.facts.tcp.attempts.find((a) => a.restartFrame === p.number);
      const how = prev === undefined ? 'RST' : prev.endedBy === 'rst' ? 'RST' : 'FIN';
      add('tcp.syn.restart', { how, frame: prev?.endFrame ?? 0, state: p.clientAfter }, 1);
      if ((p.analysis & (Analysis.Retransmission | Analysis.FastRetransmission | Analysis.SpuriousRetransmission)) !== 0) add('tcp.syn.restartSameIsn', {}, 2);
      break;
    }
    case 'syn-again': {
      const from = attemptStart(ctx, p.row);
      const earlier = ctx.packets.filter((q) => q.row < p.row && q.row >= from && q.from === 'client' && (q.flags & (SYN | 0x010)) === SYN);
      const prev = earlier[earlier.length - 1];
      add('tcp.syn.again', { n: earlier.length + 1, wait: seconds(prev !== undefined ? p.time - prev.time : 0), state: p.clientAfter }, 1);
      break;
    }
    case 'syn-ack':
      add('tcp.synack', { port: ctx.serverPort, state: p.serverAfter }, 1);
      if (p.clientAfter !== p.clientBefore) add('tcp.synack.client', { state: p.clientAfter }, 2);
      break;
    case 'syn-ack-again':
      add('tcp.synack.again', {}, 1);
      break;
    case 'handshake-ack': {
      if (p.clientAfter === 'ESTABLISHED' && p.serverAfter === 'ESTABLISHED') {
        const rttNs = ctx.conv.tcp?.analysis.firstRttNs ?? 0;
        const syn = ctx.packets.find((q) => (q.flags & (SYN | 0x010)) === SYN);
        const rtt = rttNs > 0 ? rttNs / 1e9 : syn !== undefined ? p.time - syn.time : 0;
        add('tcp.handshakeAck.established', { rtt: seconds(rtt) }, 1);
      } else {
        add('tcp.handshakeAck', { clientState: p.clientAfter, serverState: p.serverAfter }, 1);
      }
      break;
    }
    case 'state-ack':
      stateAck(p, side, peer, L, add);
      break;
    case 'ack': {
      const a = p.analysis;
      if ((a & Analysis.DuplicateAck) !== 0) add('tcp.ack.dup', { side, peer, ack: p.ack }, 1);
      else if ((a & Analysis.ZeroWindow) !== 0) add('tcp.ack.zeroWindow', { side, peer }, 1);
      else if ((a & Analysis.WindowUpdate) !== 0) add('tcp.ack.windowUpdate', { side }, 1);
      else add('tcp.ack', { side, peer, ack: p.ack }, 1);
      break;
    }
    case 'rst':
      rstFragments(s, p, ctx, side, add);
      break;
    default:
      break;
  }

  if (retrans && s.role !== 'syn-again' && s.role !== 'syn-ack-again' && s.role !== 'syn-restart') {
    const orig = s.retransmits;
    const end = p.seq + p.len;
    if (p.len === 0 && (p.flags & FIN) !== 0) add('tcp.retransmission.fin', { side }, 1);
    else if (orig === 0) add('tcp.retransmission.unseen', { side, seq: p.seq, end }, 1);
    else if ((p.analysis & Analysis.FastRetransmission) !== 0) add('tcp.retransmission.fast', { side, peer, seq: p.seq, end, orig }, 1);
    else if ((p.analysis & Analysis.SpuriousRetransmission) !== 0) add('tcp.retransmission.spurious', { peer, orig }, 1);
    else add('tcp.retransmission', { side, seq: p.seq, end, orig }, 1);
  } else if ((p.analysis & Analysis.OutOfOrder) !== 0) {
    add('tcp.outOfOrder', {}, 2);
  }
  if ((p.analysis & Analysis.LostSegment) !== 0) {
    const hole = ctx.facts.tcp.gaps.find((g) => g.frame === p.number && g.kind === 'lost');
    if (hole !== undefined) add('tcp.lostSegment.bytes', { bytes: bytesText(L, hole.bytes), side }, 1);
    else add('tcp.lostSegment', {}, 2);
  }
  for (const m of s.malformed) add('tls.malformed', { side: sideWord(L, m.side), what: m.reason }, 1);

  // Application layer.
  const appBefore = out.length;
  if (s.http.length > 0) httpFragments(s, ctx, add);
  if (s.tls.length > 0) tlsFragments(s, ctx, side, peer, add);
  if (out.length === appBefore && s.segments.length > 0 && !retrans) {
    const seg = s.segments[0]!;
    const r = seg.record;
    const total = r.headerLength + r.length;
    add('tls.segment', { bytes: bytesText(L, seg.bytes), total: bytesText(L, total), contents: segmentContents(L, seg), packet: r.completedRow + 1 }, 1);
  }
  if (s.role === 'data' && out.length === 0) {
    add('tcp.data', { side, bytes: bytesText(L, p.len), seq: p.seq, end: p.seq + p.len }, 1);
  }

  // A FIN riding on a step that also carries data or an alert.
  if (s.role === 'fin' && !retrans) finFragments(s, last, ctx, side, peer, add, out.length > 0 ? 2 : 1);
  return out;
}

type Add = (key: TextKey, values?: TextValues, prio?: number) => void;

/** What the record a segment belongs to holds, for its label and explanation. */
export function segmentContents(language: Language, seg: TlsSegment): string {
  const r = seg.record;
  if (seg.role === 'encrypted-handshake-13' || seg.role === 'encrypted-handshake' || seg.role === 'finished') return text(language, 'word.encryptedHandshake');
  if (r.contentType === 22 && r.messages.length > 0) return r.messages.map(messageName).join(', ');
  return contentTypeTitle(r.contentType);
}

function stateAck(p: PacketFacts, side: string, peer: string, L: Language, add: Add): void {
  const fromClient = p.from === 'client';
  const peerBefore = fromClient ? p.serverBefore : p.clientBefore;
  const peerAfter = fromClient ? p.serverAfter : p.clientAfter;
  const sideBefore = fromClient ? p.clientBefore : p.serverBefore;
  const sideAfter = fromClient ? p.clientAfter : p.serverAfter;
  if (peerBefore === 'FIN_WAIT_1' && peerAfter === 'FIN_WAIT_2') add('tcp.ack.finWait2', { side, peer }, 1);
  else if (peerBefore !== peerAfter && (peerAfter === 'CLOSED' || peerAfter === 'TIME_WAIT')) add('tcp.ack.last', { side, peer, before: peerBefore, after: peerAfter }, 1);
  else if (peerBefore !== peerAfter) add('tcp.ack.state', { side, who: peer, before: peerBefore, after: peerAfter }, 1);
  if (sideBefore !== sideAfter) add('tcp.ack.state', { side, who: side, before: sideBefore, after: sideAfter }, 2);
  timeWait(p, L, add);
}

/** TIME_WAIT entered at this packet by either end. */
function timeWait(p: PacketFacts, L: Language, add: Add): void {
  const entered = (before: TcpStateName, after: TcpStateName): boolean => after === 'TIME_WAIT' && before !== 'TIME_WAIT';
  if (entered(p.clientBefore, p.clientAfter)) add('tcp.timeWait', { who: sideWord(L, 'client') }, 2);
  if (entered(p.serverBefore, p.serverAfter)) add('tcp.timeWait', { who: sideWord(L, 'server') }, 2);
}

function finFragments(s: StepFacts, p: PacketFacts, ctx: ExplainContext, side: string, peer: string, add: Add, prio: number): void {
  const earlierFin = ctx.packets.some((q) => q.row < p.row && q.from !== s.from && (q.flags & FIN) !== 0);
  const fromClient = s.from === 'client';
  const sideState = fromClient ? p.clientAfter : p.serverAfter;
  const peerState = fromClient ? p.serverAfter : p.clientAfter;
  const senderDir = fromClient ? ctx.tls?.session.clientDir : ctx.tls !== null ? 1 - ctx.tls.session.clientDir : undefined;
  const afterAlert = !earlierFin && ctx.tls !== null && ctx.tls.session.alerts.some((a) => a.level === 2 && a.dir === senderDir && a.row <= p.row);
  add(earlierFin ? 'tcp.fin.passive' : afterAlert ? 'tcp.fin.afterAlert' : 'tcp.fin.active', { side, peer, sideState, peerState }, prio);
  timeWait(p, ctx.language, add);
}

/** Row where the attempt holding `row` began (a SYN starting the connection over), or −∞. */
function attemptStart(ctx: ExplainContext, row: number): number {
  let start = -Infinity;
  for (const a of ctx.facts.tcp.attempts) if (a.restartFrame - 1 <= row && a.restartFrame - 1 > start) start = a.restartFrame - 1;
  return start;
}

function rstFragments(s: StepFacts, p: PacketFacts, ctx: ExplainContext, side: string, add: Add): void {
  const L = ctx.language;
  // What came before this reset in its own attempt (an earlier attempt's handshake is over).
  const from = attemptStart(ctx, p.row);
  const before = ctx.packets.filter((q) => q.row < p.row && q.row >= from);
  const synAck = before.some((q) => (q.flags & (SYN | 0x010)) === (SYN | 0x010));
  const syn = before.filter((q) => (q.flags & (SYN | 0x010)) === SYN);
  const handshakeAck = before.some((q) => q.number === ctx.facts.tcp.ackFrame);
  if (syn.length > 0 && !synAck) {
    if (s.from === 'server') add('tcp.rst.refused', { port: ctx.serverPort }, 1);
    else add('tcp.rst.abortSyn', { wait: seconds(p.time - syn[syn.length - 1]!.time) }, 1);
    return;
  }
  if (syn.length > 0 && !handshakeAck && !before.some((q) => q.len > 0)) {
    add('tcp.rst.handshake', { side }, 1);
    return;
  }
  if (before.some((q) => (q.flags & FIN) !== 0)) {
    add('tcp.rst.closing', { side }, 1);
    return;
  }
  // What was unacknowledged when it came: the diagnosis's count for this very reset.
  const unacked = ctx.facts.tcp.resets.find((r) => r.frame === p.number)?.unacked ?? 0;
  if (unacked > 0) {
    add('tcp.rst.unacked', { side, bytes: bytesText(L, unacked) }, 1);
    return;
  }
  if (httpIncompleteAt(ctx.http, p.row)) {
    add('tcp.rst.httpIncomplete', { side }, 1);
    return;
  }
  add('tcp.rst', { side }, 1);
  add('tcp.rst.clean', {}, 2);
  const prev = before[before.length - 1];
  if (prev !== undefined && p.time - prev.time >= 1) add('tcp.rst.idle', { idle: seconds(p.time - prev.time) }, 3);
}

/** An HTTP request whose response had not completed by `row`. */
export function httpIncompleteAt(http: HttpParser | null, row: number): boolean {
  if (http === null) return false;
  return http.session.transactions.some((tx) => tx.request !== null && tx.request.startRow <= row && (tx.response === null || !tx.response.complete || tx.response.completedRow > row));
}

function headerValue(headers: readonly HttpHeader[], name: string): string {
  const lower = name.toLowerCase();
  return headers
    .filter(([n]) => n.toLowerCase() === lower)
    .map(([, v]) => v.toLowerCase())
    .join(',');
}

/** Why the connection stays open or closes after this transaction (RFC 9112 §9.3). */
function connectionFragment(tx: HttpTransaction, res: HttpResponse, add: Add): void {
  const req = tx.request;
  const reqConn = req !== null ? headerValue(req.headers, 'connection') : '';
  const resConn = headerValue(res.headers, 'connection');
  const http10 = (v: string): boolean => v === 'HTTP/1.0' || v === 'HTTP/0.9';
  if (tx.upgraded !== null) add('http.close.upgrade', { target: tx.upgradeProtocol ?? tx.upgraded }, 2);
  else if (/\bclose\b/.test(reqConn)) add('http.close.request', {}, 2);
  else if (/\bclose\b/.test(resConn)) add('http.close.response', {}, 2);
  else if (req !== null && http10(req.version) && !/keep-alive/.test(reqConn)) add('http.close.http10', {}, 2);
  else if (res.framing === 'close') add('http.close.untilClose', {}, 2);
  else if (http10(res.version) && !/keep-alive/.test(resConn)) add('http.close.response10', { version: res.version }, 2);
  else if (/keep-alive/.test(reqConn) || /keep-alive/.test(resConn)) add('http.keepalive.header', {}, 2);
  else add('http.keepalive.default', {}, 2);
}

function httpFragments(s: StepFacts, ctx: ExplainContext, add: Add): void {
  const L = ctx.language;
  const foreign = ctx.facts.tls?.foreign ?? null;
  if (foreign !== null && s.packets.some((p) => p.number === foreign.frame)) {
    add('http.plainOnTlsPort', { side: sideWord(L, foreign.side), peer: sideWord(L, otherSide(foreign.side)), port: ctx.serverPort }, 1);
  }
  for (const h of s.http) {
    if (h.t === 'request') {
      const req: HttpRequest = h.msg;
      add('http.request', { version: req.version || 'HTTP', method: req.method, uri: req.uri }, 1);
      if (req.host !== null) add('http.request.host', { host: req.host }, 4);
      if (req.bodyLength > 0) add('http.request.body', { bytes: bytesText(L, req.bodyLength) }, 3);
    } else if (h.t === 'response') {
      const res: HttpResponse = h.msg;
      if (h.interim) {
        add('http.interim', { code: res.code, reason: res.reason }, 1);
        continue;
      }
      const wait = h.tx.waitSeconds;
      if (wait !== null) add('http.response', { code: res.code, reason: res.reason, wait: seconds(wait) }, 1);
      else add('http.response.noWait', { code: res.code, reason: res.reason }, 1);
      if (!res.complete && res.missingBytes > 0) add('http.response.partial', { bytes: bytesText(L, res.missingBytes) }, 1);
      if (res.bodyLength > 0) {
        if (res.mediaType !== null) add('http.response.body', { bytes: bytesText(L, res.bodyLength), type: res.mediaType }, 3);
        else add('http.response.bodyUntyped', { bytes: bytesText(L, res.bodyLength) }, 3);
      }
      connectionFragment(h.tx, res, add);
    } else {
      const bytes = bytesText(L, h.bytes);
      if (h.msg.kind === 'request') add('http.body.request', { bytes }, 1);
      else if (h.msg.completedRow === s.packets[0]!.row && h.msg.complete) add('http.body.responseLast', { bytes }, 1);
      else add('http.body.response', { bytes }, 1);
    }
  }
}

function tlsFragments(s: StepFacts, ctx: ExplainContext, side: string, peer: string, add: Add): void {
  const L = ctx.language;
  const tls = ctx.tls!;
  const session = tls.session;
  const row = s.packets[0]!.row;
  const items = s.tls;
  const has = (t: TlsItem['t']): boolean => items.some((x) => x.t === t);
  const msgKinds = new Set(items.flatMap((x) => (x.t === 'message' ? [x.msg.kind] : [])));
  const version = session.versionName ?? (session.version !== null ? versionName(session.version) : 'TLS');
  const suite = session.cipherSuiteName ?? '?';
  const words = session.cipherSuite !== null ? suiteWords(session.cipherSuite, L) : '?';
  const group = session.groupName ?? '?';
  let ccsSaid = false;

  // Consecutive records of one sort are told once.
  const enc13 = items.filter((x) => x.t === 'encrypted-handshake-13');
  const app = items.filter((x): x is TlsItem & { t: 'app-data' } => x.t === 'app-data');
  let enc13Told = false;
  let appTold = false;

  for (const x of items) {
    switch (x.t) {
      case 'message':
        messageFragments(x.msg, s, ctx, { version, suite, words, group }, msgKinds, add);
        break;
      case 'ccs':
        if (x.tls13) add('tls13.ccs', {}, 5);
        else if (has('finished')) {
          // The second side to finish is told more briefly.
          const peerFinishedBefore = ctx.steps.some((st) => st.from !== s.from && st.packets[0]!.row < row && st.tls.some((y) => y.t === 'finished'));
          add(peerFinishedBefore ? 'tls.ccsFinished.second' : 'tls.ccsFinished', { side, peer }, 2);
          ccsSaid = true;
        } else add('tls.ccs', { side }, 3);
        break;
      case 'finished':
        if (!ccsSaid) add('tls.finished', { peer }, 2);
        break;
      case 'encrypted-handshake':
        add('tls.encryptedHandshake', { bytes: bytesText(L, x.record.length) }, 2);
        break;
      case 'encrypted-handshake-13': {
        if (enc13Told) break;
        enc13Told = true;
        const n = enc13.length;
        const bytes = bytesText(L, enc13.reduce((sum, y) => sum + y.record.length, 0));
        const records = n === 1 ? text(L, 'unit.record') : text(L, 'unit.records', { n });
        if (x.role === 'server') add(session.resumed === 'psk' ? 'tls13.encryptedHandshake.serverPsk' : 'tls13.encryptedHandshake.server', { records, bytes }, 1);
        else {
          // The whole client flight may span packets: count all of it.
          const total = ctx.steps.reduce((sum, st) => sum + st.tls.filter((y) => y.t === 'encrypted-handshake-13' && y.role === 'client').length, 0);
          if (total <= 1) add('tls13.encryptedHandshake.client', {}, 1);
          else if (total === 2) {
            // RFC 8446 §4.5: a client whose early data was accepted sends EndOfEarlyData first.
            const early = ctx.steps.some((st) => st.tls.some((y) => y.t === 'app-data' && y.hint === 'early-data'));
            add(early ? 'tls13.encryptedHandshake.clientEarly' : 'tls13.encryptedHandshake.client2', {}, 1);
          }
          else add('tls13.encryptedHandshake.clientAuth', { n: total }, 1);
        }
        break;
      }
      case 'fragment':
        add('tls.fragment', {}, 3);
        break;
      case 'alert': {
        const a = x.alert;
        const inHandshake = !(row > ctx.tlsDoneRow);
        if (a.encrypted || a.name === null) add(inHandshake ? 'tls.alert.encryptedHandshake' : 'tls.alert.encrypted', { side }, 1);
        else if (a.name === 'close_notify') add('tls.alert.closeNotify', { side }, 1);
        else {
          const level = a.level === 2 ? text(L, 'word.fatal') : text(L, 'word.warning');
          add('tls.alert', { side, level, name: a.name, meaning: meaningClause(L, a, s.from) }, 1);
          const cause = alertCause(tls, a);
          if (cause.key !== 'cause.meaning') add('tls.alert.cause', { cause: causeText(L, cause, a, s.from) }, 1);
        }
        break;
      }
      case 'alert-guess':
        add('tls13.alertGuess', { bytes: bytesText(L, x.record.length), side }, 1);
        break;
      case 'app-data': {
        if (appTold) break;
        appTold = true;
        if (app.some((y) => y.hint === 'early-data')) {
          add('tls13.earlyData', {}, 1);
          if (app.some((y) => y.record.decryption === 'decrypted')) {
            add('tls13.earlyData.key', {}, 3);
            // RFC 8446 §4.2.10: the server accepts early data by echoing early_data in EncryptedExtensions.
            const ee = tls.messages.find((m) => m.kind === 'encrypted_extensions');
            if (ee !== undefined && ee.kind === 'encrypted_extensions') add(ee.extensions.some((e) => e.type === 42) ? 'tls13.earlyData.accepted' : 'tls13.earlyData.rejected', {}, 2);
          }
          break;
        }
        const bytes = bytesText(L, app.reduce((sum, y) => sum + y.record.length, 0));
        if (app.every((y) => y.record.decryption === 'decrypted')) {
          // Decrypted: the HTTP sentences tell what it holds; alone, say it was read.
          if (s.http.length === 0) add('tls.appData.decrypted', { side, n: app.length, bytes }, 2);
          break;
        }
        add(app.length === 1 ? 'tls.appData.one' : 'tls.appData.many', { side, n: app.length, bytes }, 1);
        // The ticket hint is told once, on the first step it applies to.
        const firstTicketStep = ctx.steps.find((st) => st.tls.some((y) => y.t === 'app-data' && y.hint === 'tickets'));
        if (app.some((y) => y.hint === 'tickets') && firstTicketStep === s) add('tls13.appData.tickets', {}, 2);
        break;
      }
      case 'other': {
        // Heartbeats (RFC 6520) as the diagnosis read them.
        const beat = x.record.contentType === 24 ? s.heartbeats.find((b) => b.frame === x.record.completedRow + 1) : undefined;
        if (beat === undefined) add('tls.message', { side, name: x.title }, 3);
        else if (beat.anomaly === 'response-larger') add('tls.heartbeat.responseLarger', { side, bytes: bytesText(L, beat.length), request: bytesText(L, beat.requestLength ?? 0) }, 1);
        else if (beat.anomaly === 'payload-length') add('tls.heartbeat.payloadLength', { side, claimed: groupNumber(beat.payloadLength ?? 0), bytes: bytesText(L, beat.length) }, 1);
        else if (beat.type === 'encrypted') add('tls.heartbeat.encrypted', { side, bytes: bytesText(L, beat.length) }, 2);
        else add(beat.type === 'request' ? 'tls.heartbeat.request' : 'tls.heartbeat.response', { side, peer }, 2);
        break;
      }
    }
  }

  decryptionFragments(s, ctx, add);

  // The step that completes the handshake says so.
  const lastRow = s.packets[s.packets.length - 1]!.row;
  if (ctx.tlsDoneRow >= 0 && Number.isFinite(ctx.tlsDoneRow) && lastRow === ctx.tlsDoneRow) {
    // The TLS handshake latency as the diagnosis defines it: ClientHello → this Finished.
    const latency = ctx.facts.latency.tlsHandshake;
    if (latency !== null) add('tls.handshakeDone', { time: seconds(latency.seconds) }, 2);
  }
}

/**
 * What decrypted the session, told once on the first step that shows a decrypted record (naming
 * the key log lines or RSA key), or why loaded keys did not open it.
 */
function decryptionFragments(s: StepFacts, ctx: ExplainContext, add: Add): void {
  const d = ctx.tls!.session.decryption;
  if (d === null) return;
  const first = ctx.steps.find((st) => st.tls.some((x) => x.record.decryption !== null));
  if (first !== s) return;
  const opened = s.tls.some((x) => x.record.decryption === 'decrypted');
  if (opened && d.keySource !== null) {
    const key = d.method === 'rsa-key' ? 'tls.decrypted.rsaKey' : d.method === 'rsa-pre-master' ? 'tls.decrypted.rsaLine' : d.method === 'resumption' ? 'tls.decrypted.resumed' : 'tls.decrypted.keyLog';
    add(key, { source: d.keySource }, 1);
  } else if (!opened && d.reason !== null) {
    add('tls.decryptFailed', { reason: d.reason }, 1);
  }
}

function messageFragments(
  m: TlsItem & { t: 'message' } extends { msg: infer M } ? M : never,
  s: StepFacts,
  ctx: ExplainContext,
  v: { version: string; suite: string; words: string; group: string },
  kinds: Set<string>,
  add: Add,
): void {
  const L = ctx.language;
  const tls = ctx.tls!;
  const session = tls.session;
  const fromClient = m.dir === session.clientDir;
  switch (m.kind) {
    case 'client_hello': {
      const first = tls.messages.find((x) => x.kind === 'client_hello');
      if (first !== m && session.helloRetry) {
        add('tls.clientHello.retry', { group: v.group }, 1);
        break;
      }
      const versions = m.versions.filter((x) => !isGrease(x));
      const offers13 = versions.includes(0x0304);
      // Counted as tshark counts them; what is not a cipher suite among them is said.
      add('tls.clientHello', { versions: listText(L, versions.map(versionName)), suites: suitesText(L, m.cipherSuites.length) }, 1);
      if (m.cipherSuites.includes(0x00ff)) add('tls.clientHello.scsvRenegotiation', {}, 2);
      if (m.cipherSuites.includes(0x5600)) add('tls.clientHello.scsvFallback', {}, 2);
      const grease = m.cipherSuites.filter(isGrease).length;
      if (grease > 0) add('tls.clientHello.grease', { n: grease }, 4);
      if (m.sni !== null) add('tls.clientHello.sni', { sni: m.sni }, 2);
      else add('tls.clientHello.noSni', {}, 4);
      if (m.pskOffered) add('tls.clientHello.psk', {}, 2);
      else if (m.sessionTicket !== null && m.sessionTicket > 0) add('tls.clientHello.resumeTicket', {}, 2);
      else if (!offers13 && m.sessionId !== '') add('tls.clientHello.resumeSessionId', {}, 2);
      if (offers13) {
        const groups = m.keyShares.filter((k) => !k.grease).map((k) => namedGroupName(k.group));
        if (groups.length > 0) add('tls.clientHello.keyShare', { groups: listText(L, groups) }, 3);
      }
      // The step after this one is the early data it announces: the sentence introducing it stays
      // beside the SCSV's (issue 16) when a ClientHello has more to say than a step shows.
      if (m.earlyData) add('tls.clientHello.earlyData', {}, 1);
      if (m.alpn.length > 0) add('tls.clientHello.alpn', { alpn: listText(L, m.alpn) }, 4);
      break;
    }
    case 'server_hello': {
      if (m.isHelloRetryRequest) {
        if (m.selectedGroup !== null) add('tls.hrr', { group: namedGroupName(m.selectedGroup) }, 1);
        else add('tls.hrr.noGroup', {}, 1);
        break;
      }
      if (session.version === 0x0304) {
        const kx = session.keyExchange === 'DHE' || session.keyExchange === 'PSK+DHE' ? 'DHE' : 'ECDHE';
        if (session.resumed === 'psk') add(m.selectedGroup !== null ? 'tls13.serverHello.pskDhe' : 'tls13.serverHello.psk', { suite: v.suite, group: v.group }, 1);
        else add('tls13.serverHello', { suite: v.suite, words: v.words, group: v.group, kx }, 1);
        break;
      }
      const resumedHere = (session.resumed === 'session-id' || session.resumed === 'ticket') && !kinds.has('certificate');
      if (resumedHere) {
        add(session.resumed === 'ticket' ? 'tls.serverHello.resumedTicket' : 'tls.serverHello.resumed', { version: v.version, suite: v.suite }, 1);
        break;
      }
      add('tls.serverHello', { version: v.version, suite: v.suite, words: v.words }, 1);
      if (session.keyExchange === 'RSA' && !kinds.has('server_key_exchange')) add('tls.serverHello.rsa', {}, 4);
      break;
    }
    case 'certificate': {
      if (fromClient) {
        if (m.chain.length === 0) add('tls.clientCertificate.empty', {}, 1);
        else if (kinds.has('certificate_verify')) add('tls.clientCertificate.verified', { subject: certName(m.chain[0]) }, 1);
        else add('tls.clientCertificate', { subject: certName(m.chain[0]) }, 2);
        break;
      }
      if (m.chain.length === 0) break;
      add('tls.certificate', { subjects: listText(L, m.chain.map(certName)) }, 2);
      const checks = session.serverChecks;
      if (checks !== null && m.chain === session.serverCertificates) {
        const expired = checks.problems.find((p) => p.problem === 'expired');
        const early = checks.problems.find((p) => p.problem === 'not-yet-valid');
        if (expired !== undefined) add('tls.certificate.expired', { subject: certName(m.chain[expired.index]), date: dateText(m.chain[expired.index]?.notAfterMs ?? NaN) }, 1);
        else if (early !== undefined) add('tls.certificate.notYetValid', { subject: certName(m.chain[early.index]), date: dateText(m.chain[early.index]?.notBeforeMs ?? NaN) }, 1);
        else if (checks.validAtCaptureTime) add('tls.certificate.valid', { notAfter: dateText(m.chain[0]!.notAfterMs) }, 4);
        if (checks.sniMatches === true && session.sni !== null) add('tls.certificate.sniMatch', { sni: session.sni }, 5);
        else if (checks.sniMatches === false && session.sni !== null) {
          const leaf = m.chain[0]!;
          const names = leaf.dnsNames.length > 0 ? leaf.dnsNames : leaf.subjectCN !== null ? [leaf.subjectCN] : [];
          add('tls.certificate.sniMismatch', { sni: session.sni, names: listText(L, names.slice(0, 4)) }, 1);
        }
        if (checks.missingIntermediate) add('tls.certificate.missingIntermediate', { subject: certName(m.chain[m.chain.length - 1]) }, 2);
      }
      break;
    }
    case 'server_key_exchange':
      if (m.exchange === 'ecdhe' || m.exchange === 'ecdhe-psk') add('tls.serverKeyExchange.ecdhe', { group: m.group !== null ? namedGroupName(m.group) : v.group }, 3);
      else if (m.exchange === 'dhe' || m.exchange === 'dhe-psk') add('tls.serverKeyExchange.dhe', { bits: m.dhPrimeBits ?? '?' }, 3);
      else add('tls.serverKeyExchange', {}, 4);
      break;
    case 'certificate_request':
      add('tls.certificateRequest', {}, 1);
      break;
    case 'server_hello_done':
      add('tls.serverHelloDone', {}, 6);
      break;
    case 'client_key_exchange': {
      const kx = session.keyExchange;
      if (m.exchange === 'rsa' || kx === 'RSA') add('tls.clientKeyExchange.rsa', {}, 1);
      else if (kx === 'ECDHE' || (m.exchange === 'ecdh' && kx !== 'ECDH')) add('tls.clientKeyExchange.ecdhe', { group: v.group }, 2);
      else if (kx === 'DHE') add('tls.clientKeyExchange.dhe', {}, 2);
      else add('tls.clientKeyExchange', {}, 5);
      break;
    }
    case 'certificate_verify':
      // Told together with the client's Certificate when both are in this step.
      if (!fromClient) add('tls13.certificateVerify.server', {}, 3);
      else if (!kinds.has('certificate')) add('tls.certificateVerify', {}, 2);
      break;
    case 'new_session_ticket':
      add('tls.newSessionTicket', { lifetime: lifetimeText(L, m.lifetime) }, 3);
      break;
    case 'certificate_status':
      add('tls.certificateStatus', {}, 3);
      break;
    case 'finished': {
      add('tls.finished', { peer: sideWord(L, otherSide(s.from)) }, 2);
      // Decrypted: Finished was recomputed from the transcript (RFC 5246 §7.4.9, RFC 8446 §4.4.4).
      const check = session.decryption?.finished[m.dir] ?? null;
      if (check !== null) add(check === 'verified' ? 'tls.finished.verified' : 'tls.finished.mismatch', {}, check === 'verified' ? 2 : 1);
      break;
    }
    case 'encrypted_extensions':
      add('tls13.encryptedExtensions', { alpn: m.alpn !== null ? ` (ALPN ${m.alpn})` : '' }, 2);
      break;
    case 'key_update': {
      const request = m.requestUpdate === 1 ? text(L, 'tls13.keyUpdate.request', { peer: sideWord(L, otherSide(s.from)) }) : '';
      add('tls13.keyUpdate', { side: sideWord(L, s.from), request }, 1);
      break;
    }
    case 'end_of_early_data':
      add('tls13.endOfEarlyData', {}, 2);
      break;
    default:
      add('tls.message', { side: sideWord(L, s.from), name: m.title }, 3);
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Header facts and title
// ---------------------------------------------------------------------------------------------

export function headerFacts(ctx: ExplainContext): { label: string; value: string }[] {
  const L = ctx.language;
  const out: { label: string; value: string }[] = [];
  const fact = (key: TextKey, value: string): void => {
    out.push({ label: text(L, key), value });
  };
  const tls = ctx.tls;
  if (tls !== null) {
    const s = tls.session;
    if (s.versionName !== null) fact('fact.tls', s.versionName.replace(/^TLS /, ''));
    if (s.cipherSuiteName !== null) fact('fact.cipher', s.cipherSuiteName);
    if (s.keyExchange !== null) fact('fact.keyExchange', s.groupName !== null ? `${s.keyExchange} ${s.groupName}` : s.keyExchange);
    if (s.sni !== null) fact('fact.sni', s.sni);
    if (s.alpn !== null) fact('fact.alpn', s.alpn);
    if (s.resumed !== null) fact('fact.resumed', text(L, `value.resumed.${s.resumed}` as TextKey));
    if (s.helloRetry) fact('fact.hrr', text(L, 'value.hrr', { group: s.groupName ?? '?' }));
    const leaf = s.serverCertificates[0];
    if (leaf !== undefined) fact('fact.serverCert', certName(leaf));
    if (s.clientCertSent === 'certificate') fact('fact.clientCert', certName(s.clientCertificates[0]));
    else if (s.clientCertSent === 'empty') fact('fact.clientCert', text(L, 'value.clientCert.empty'));
    else if (s.clientCertRequested === true) fact('fact.clientCert', text(L, 'value.clientCert.requested'));
  }
  const http = ctx.http;
  if (http !== null && http.session.transactions.length > 0) {
    const versions = [...new Set(http.session.transactions.flatMap((t) => (t.request !== null && t.request.version !== '' ? [t.request.version] : [])))];
    const n = http.session.transactions.length;
    const requests = n === 1 ? text(L, 'unit.httpRequest') : text(L, 'unit.httpRequests', { n });
    fact('fact.http', text(L, 'value.http', { requests, version: versions.join('/') || 'HTTP' }));
  }
  return out;
}

export function ladderTitle(ctx: ExplainContext): string {
  const L = ctx.language;
  const tls = ctx.tls;
  if (tls !== null && ctx.facts.tls?.foreign != null) return text(L, 'title.plainHttp', { port: ctx.serverPort });
  if (tls !== null) {
    const s = tls.session;
    if (s.versionName === null) return text(L, 'title.tls.failed');
    const version = s.versionName;
    if (s.helloRetry) return text(L, 'title.tls.hrr', { version });
    if (s.clientCertSent === 'certificate') return text(L, 'title.tls.mutual', { version });
    if (s.resumed !== null) return text(L, 'title.tls.resumed', { version });
    if (s.keyExchange === 'RSA') return text(L, 'title.tls.rsa', { version });
    return text(L, 'title.tls', { version });
  }
  const http = ctx.http;
  if (http !== null && http.session.transactions.length > 0) {
    const reqs = http.session.transactions.flatMap((t) => (t.request !== null ? [`${t.request.method} ${t.request.uri}`] : []));
    const shown = reqs.length > 3 ? [...reqs.slice(0, 3), '…'] : reqs;
    return text(L, 'title.http', { requests: shown.join(text(L, 'list.sep')) });
  }
  const h = ctx.conv.tcp?.handshake;
  return text(L, h !== undefined && h.synAckRow >= 0 ? 'title.tcp' : 'title.tcp.attempt');
}

