// The one judgement of a conversation: its facts (states reached, bytes sent and acknowledged,
// handshake messages seen in order, malformed bytes, holes, who closed it and how, latencies) and
// the verdict those facts support — complete, failed or incomplete, with the reason as phrases.
// The conversations table, `wireladder flows`, the statistics and the ladder all read this; the
// ladder's sentences explain these facts and never derive their own (STYLE.md §8). Words come later
// (ladder/verdict-text.ts): here a reason is a phrase key with its values.

import type { Conversation } from '../flow/conversation';
import type { TcpFacts } from '../flow/tcp-facts';
import type { VerdictStatus } from '../flow/verdict';
import type { HttpParser } from '../http/parser';
import type { TlsAlert, TlsSession } from '../tls/model';
import type { TlsParser } from '../tls/parser';
import { weakCipherSuite } from '../tls/tables';
import { alertCause, type Cause } from './alert-cause';
import type { DiagnosisFacts, Side, Span } from './diagnosis-facts';
import { http2Of, httpOf, tlsOf } from './app-of';

// ---------------------------------------------------------------------------------------------
// Phrases
// ---------------------------------------------------------------------------------------------

/** The text keys a verdict uses (ladder/texts has a sentence for each, in every language). */
export type VerdictKey =
  | 'verdict.synRetransmitted'
  | 'verdict.synUnanswered'
  | 'verdict.refused'
  | 'verdict.rstAfterSyn'
  | 'verdict.synAckUnanswered'
  | 'verdict.tcpHandshakeReset'
  | 'verdict.tlsAlert'
  | 'verdict.tlsAlertEncrypted'
  | 'verdict.tlsReset'
  | 'verdict.tlsClosed'
  | 'verdict.tlsIncomplete'
  | 'verdict.tlsMalformed'
  | 'verdict.tlsMissing'
  | 'verdict.plainHttp'
  | 'verdict.heartbeatPayload'
  | 'verdict.heartbeatResponse'
  | 'verdict.resetMidTransfer'
  | 'verdict.httpUnanswered'
  | 'verdict.httpIncomplete'
  | 'verdict.part.tls'
  | 'verdict.part.tlsMutual'
  | 'verdict.part.tlsResumed'
  | 'verdict.part.appData'
  | 'verdict.part.http'
  | 'verdict.part.tcp'
  | 'verdict.part.closed'
  | 'verdict.part.open'
  | 'verdict.part.rst'
  | 'verdict.part.rstClosing'
  | 'verdict.part.midStream'
  | 'detail.unacked'
  | 'detail.httpIncomplete'
  | 'unit.httpRequest'
  | 'unit.httpRequests'
  | 'how.session-id'
  | 'how.ticket'
  | 'how.psk'
  | 'message.serverHello'
  | 'message.serverHelloDone'
  | 'message.ccs'
  | 'message.finished'
  | 'message.encryptedFlight'
  | 'finding.hrr'
  | 'finding.handshakeRetransmissions'
  | 'finding.handshakeRetransmission'
  | 'finding.retransmissions'
  | 'finding.retransmissionsSlow'
  | 'finding.retransmission'
  | 'finding.synRetransmitted'
  | 'finding.certExpired'
  | 'finding.certNotYetValid'
  | 'finding.sniMismatch'
  | 'finding.missingIntermediate'
  | 'finding.chainOrder'
  | 'finding.noForwardSecrecy'
  | 'finding.emptyClientCert'
  | 'finding.midStream'
  | 'finding.gap'
  | 'finding.earlierAttempt'
  | 'finding.malformed'
  | 'finding.renegotiation'
  | 'finding.weakSuite';

export interface Phrase {
  key: VerdictKey;
  values: Readonly<Record<string, string | number | Phrase>>;
  /** The alert a `verdict.tlsAlert` is about, who sent it, and its likely cause (worded with it). */
  alert?: { alert: TlsAlert; sender: Side; cause: Cause };
}

export type { DiagnosisFacts, GapFact, MalformedFact, Side, Span } from './diagnosis-facts';

export interface ConversationDiagnosis {
  status: VerdictStatus;
  reason: Phrase[];
  findings: Phrase[];
  facts: DiagnosisFacts;
}

/** Where a conversation's packet times come from (rows are capture rows). */
export interface RowTimes {
  /** Seconds from row `a` to row `b`, exact to the nanosecond (epoch doubles are not). */
  between(a: number, b: number): number;
}

// ---------------------------------------------------------------------------------------------
// TLS: how far the handshake got
// ---------------------------------------------------------------------------------------------

/**
 * The row completing the TLS handshake — both Finished (TLS ≤ 1.2: each after its side's CCS; TLS
 * 1.3: the server's encrypted flight and the client's Finished), with nothing malformed before —
 * or Infinity when it never completed.
 */
export function tlsDoneRow(tls: TlsParser): number {
  const s = tls.session;
  const serverDir = s.clientDir === 0 ? 1 : 0;
  if (s.serverHelloRow < 0 || s.clientHelloRow < 0) return sslv2DoneRow(s);
  const fin = s.progress.finishedRow;
  const client = fin[s.clientDir];
  const server = fin[serverDir];
  if (client < 0 || server < 0) return Infinity;
  const done = s.version === 0x0304 ? client : Math.max(client, server);
  const broken = firstMalformed(s);
  return broken !== null && broken.row <= done ? Infinity : done;
}

/** SSL 2.0 has no Finished in the clear: both sides encrypting is as far as a capture can see. */
function sslv2DoneRow(s: TlsSession): number {
  if (!s.sslv2) return Infinity;
  const c = s.encryptedFrom[s.clientDir];
  const sv = s.encryptedFrom[s.clientDir === 0 ? 1 : 0];
  return c !== null && sv !== null && s.serverHelloRow >= 0 ? Math.max(c.row, sv.row) : Infinity;
}

function firstMalformed(s: TlsSession): TlsSession['problems'][number] | null {
  let first: TlsSession['problems'][number] | null = null;
  for (const p of s.problems) if (p.kind === 'malformed' && (first === null || p.row < first.row)) first = p;
  return first;
}

/** The first handshake message that did not come, in the order RFC 5246 §7.3 / RFC 8446 §2 expect them. */
function missingMessage(s: TlsSession): NonNullable<NonNullable<DiagnosisFacts['tls']>['missing']> | null {
  const c = s.clientDir;
  const sv = c === 0 ? 1 : 0;
  const p = s.progress;
  if (s.serverHelloRow < 0) return { side: 'server', message: 'ServerHello' };
  if (s.version === 0x0304) {
    if (p.finishedRow[sv] < 0) return { side: 'server', message: 'encrypted flight' };
    if (p.finishedRow[c] < 0) return { side: 'client', message: 'Finished' };
    return null;
  }
  // Resumed (abbreviated): the server finishes first; a full handshake: the client does.
  const order: [number, 'ChangeCipherSpec' | 'Finished'][] =
    s.resumed !== null
      ? [
          [sv, 'ChangeCipherSpec'],
          [sv, 'Finished'],
          [c, 'ChangeCipherSpec'],
          [c, 'Finished'],
        ]
      : [
          [c, 'ChangeCipherSpec'],
          [c, 'Finished'],
          [sv, 'ChangeCipherSpec'],
          [sv, 'Finished'],
        ];
  if (s.resumed === null && p.serverHelloDoneRow < 0 && s.version !== null && s.version >= 0x0300) return { side: 'server', message: 'ServerHelloDone' };
  for (const [dir, message] of order) {
    const row = message === 'ChangeCipherSpec' ? p.ccsRow[dir] : p.finishedRow[dir];
    if (row < 0) return { side: dir === c ? 'client' : 'server', message };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The diagnosis
// ---------------------------------------------------------------------------------------------

/** The diagnosis of a conversation from what the analysis pass (or a replay) kept of it. */
export function diagnose(conv: Conversation, times: RowTimes): ConversationDiagnosis {
  const tcp = conv.tcp;
  const facts = emptyFacts();
  if (tcp === null) return { status: 'incomplete', reason: [], findings: [], facts };
  const tf = tcp.facts;
  const h = tcp.handshake;
  const ce = conv.clientIsA ? 0 : 1;
  const sideOf = (end: number): Side => (end === ce ? 'client' : 'server');
  const frame = (row: number): number => (row >= 0 && Number.isFinite(row) ? row + 1 : 0);
  const serverPort = conv.clientIsA ? conv.portB : conv.portA;
  const tls = tlsOf(conv);
  const http = httpOf(conv);

  // ---- facts ----------------------------------------------------------------------------------------
  fillTcpFacts(facts, tf, h, ce, sideOf, frame);
  if (tls !== null) facts.tls = tlsFacts(tls, frame);
  if (http !== null) facts.http = httpFacts(http, frame);
  facts.latency = latencies(conv, tls, http, times, frame);

  const findings: Phrase[] = [];
  const fail = (key: VerdictKey, values: Phrase['values'] = {}, extra: Phrase[] = []): ConversationDiagnosis => ({ status: 'failed', reason: [{ key, values }, ...extra], findings, facts });
  const closing = tf.closingReset;
  const rstFrom: Side | null = closing !== null ? sideOf(closing.end) : null;
  const rstRow = closing?.row ?? -1;
  const synCount = tf.syns[ce]!;

  for (const a of tf.attempts) {
    findings.push({ key: 'finding.earlierAttempt', values: { frame: frame(a.synRow), end: frame(a.endRow), how: a.endedBy === 'rst' ? 'RST' : 'FIN', side: sideOf(a.endedFrom) } });
  }

  // ---- TCP handshake ------------------------------------------------------------------------------
  if (h.synRow >= 0 && h.synAckRow < 0) {
    if (rstRow >= 0 && rstFrom === 'server') return fail('verdict.refused', { port: serverPort });
    if (rstRow >= 0 && rstFrom === 'client') return fail('verdict.rstAfterSyn');
    if (synCount > 1) return fail('verdict.synRetransmitted', { n: synCount });
    return { status: 'incomplete', reason: [{ key: 'verdict.synUnanswered', values: {} }], findings, facts };
  }
  if (h.synRow >= 0 && h.ackRow < 0) {
    // Some stacks' first data segment completes the handshake; the app layer then shows it.
    const dataSeen = tf.bytesSent(ce) > 0 || (tls !== null && tls.session.clientHelloRow >= 0);
    if (!dataSeen) {
      if (rstRow >= 0 && rstFrom !== null) return fail('verdict.tcpHandshakeReset', { side: rstFrom });
      return { status: 'incomplete', reason: [{ key: 'verdict.synAckUnanswered', values: {} }], findings, facts };
    }
  }
  if (h.synRow < 0 && tf.attempts.length === 0) findings.push({ key: 'finding.midStream', values: {} });
  else if (synCount > 1) findings.push({ key: 'finding.synRetransmitted', values: { n: synCount } });

  const closed = tf.finRow[0]! >= 0 && tf.finRow[1]! >= 0;
  const firstFin = Math.min(...tf.finRow.filter((r) => r >= 0), Infinity);
  const finBeforeRst = rstRow >= 0 && firstFin < rstRow;

  // ---- TLS --------------------------------------------------------------------------------------------
  let doneRow = -1;
  const parts: Phrase[] = [];
  const t = facts.tls;
  if (tls !== null && t !== null) {
    const s = tls.session;
    doneRow = tlsDoneRow(tls);
    if (s.helloRetry) findings.push({ key: 'finding.hrr', values: { group: s.groupName ?? '?' } });
    certificateFindings(tls, findings);
    // A side that does not speak TLS at all: nothing after it is a TLS handshake.
    if (t.foreign !== null) {
      retransmissionFindings(tf, doneRow, findings);
      return fail('verdict.plainHttp', { side: t.foreign.side, frame: t.foreign.frame, port: serverPort });
    }
    const heartbleed = t.heartbeats.find((b) => b.anomaly !== null);
    const fatal = s.alerts.find((a) => (a.level === 2 && !a.encrypted) || (a.encrypted && a.row <= doneRow));
    // A heartbeat that breaks RFC 6520 is told as what it is, not as a malformed record.
    const broken = t.malformed !== null && t.malformed.frame !== heartbleed?.frame ? t.malformed : null;
    if (broken !== null && (doneRow === Infinity || frame(doneRow) >= broken.frame)) {
      // Malformed bytes inside the handshake: what broke, and what never came intact after it.
      retransmissionFindings(tf, doneRow, findings);
      const extra: Phrase[] = t.missing !== null ? [{ key: 'verdict.tlsMissing', values: { side: t.missing.side, message: messagePhrase(t.missing.message) } }] : [];
      if (heartbleed !== undefined) extra.push(heartbeatPhrase(heartbleed));
      return fail('verdict.tlsMalformed', { side: broken.side, frame: broken.frame, what: broken.reason }, extra);
    }
    if (fatal !== undefined && (fatal.row <= doneRow || doneRow === Infinity)) {
      const side: Side = fatal.dir === s.clientDir ? 'client' : 'server';
      retransmissionFindings(tf, doneRow, findings);
      if (fatal.encrypted || fatal.name === null) return fail('verdict.tlsAlertEncrypted', { side });
      return { status: 'failed', reason: [{ key: 'verdict.tlsAlert', values: { side, name: fatal.name }, alert: { alert: fatal, sender: side, cause: alertCause(tls, fatal, true) } }], findings, facts };
    }
    if (doneRow === Infinity) {
      retransmissionFindings(tf, doneRow, findings);
      const missing: Phrase[] = t.missing !== null && s.clientHelloRow >= 0 ? [{ key: 'verdict.tlsMissing', values: { side: t.missing.side, message: messagePhrase(t.missing.message) } }] : [];
      if (heartbleed !== undefined) return fail(heartbeatPhrase(heartbleed).key, heartbeatPhrase(heartbleed).values, missing);
      if (s.clientHelloRow < 0 && h.synRow >= 0 && !closed && rstRow < 0) {
        return { status: 'incomplete', reason: [{ key: 'verdict.tlsIncomplete', values: {} }], findings, facts };
      }
      if (rstRow >= 0 && rstFrom !== null) return fail('verdict.tlsReset', { side: rstFrom }, missing);
      if (tf.finRow[0]! >= 0 || tf.finRow[1]! >= 0) {
        const clientFirst = tf.finRow[ce]! >= 0 && (tf.finRow[1 - ce]! < 0 || tf.finRow[ce]! < tf.finRow[1 - ce]!);
        return fail('verdict.tlsClosed', { side: clientFirst ? 'client' : 'server' }, missing);
      }
      return { status: 'incomplete', reason: [{ key: 'verdict.tlsIncomplete', values: {} }, ...missing], findings, facts };
    }
    const version = s.versionName ?? 'TLS';
    const kx = s.groupName !== null && s.keyExchange !== null ? `${s.keyExchange} ${s.groupName}` : (s.keyExchange ?? '?');
    if (s.resumed !== null) parts.push({ key: 'verdict.part.tlsResumed', values: { version, how: { key: `how.${s.resumed}`, values: {} } } });
    else if (s.clientCertSent === 'certificate') parts.push({ key: 'verdict.part.tlsMutual', values: { version, kx } });
    else parts.push({ key: 'verdict.part.tls', values: { version, kx } });
    if (s.keyExchange === 'RSA') findings.push({ key: 'finding.noForwardSecrecy', values: {} });
    if (s.clientCertSent === 'empty') findings.push({ key: 'finding.emptyClientCert', values: {} });
    const weak = weakCipherSuite(s.cipherSuite);
    if (weak !== null) findings.push({ key: 'finding.weakSuite', values: { suite: weak } });
    if (t.renegotiationFrame > 0) findings.push({ key: 'finding.renegotiation', values: { frame: t.renegotiationFrame } });
    if (broken !== null) findings.push({ key: 'finding.malformed', values: { side: broken.side, frame: broken.frame, what: broken.reason } });
    if (http === null && s.appDataRecords[0] + s.appDataRecords[1] > 0) parts.push({ key: 'verdict.part.appData', values: {} });
    if (heartbleed !== undefined) {
      retransmissionFindings(tf, doneRow, findings);
      gapFindings(facts, findings);
      return { status: 'failed', reason: [heartbeatPhrase(heartbleed), ...parts], findings, facts };
    }
  }
  retransmissionFindings(tf, doneRow, findings);
  gapFindings(facts, findings);

  // ---- Application data and the end -----------------------------------------------------------------
  let status: VerdictStatus = 'complete';
  const hf = facts.http;
  if (hf !== null) {
    if (hf.answered > 0) parts.push({ key: 'verdict.part.http', values: { requests: count(hf.answered) } });
    if (hf.incomplete.length > 0) {
      const bytes = hf.incomplete.reduce((n, x) => n + x.missingBytes, 0);
      parts.push({ key: 'verdict.httpIncomplete', values: { requests: count(hf.incomplete.length), bytes, frame: hf.incomplete[0]!.responseFrame } });
      status = 'incomplete';
    }
    if (hf.unanswered.length > 0 && !(rstRow >= 0 && !finBeforeRst)) {
      parts.push({ key: 'verdict.httpUnanswered', values: { requests: count(hf.unanswered.length) } });
      status = 'incomplete';
    }
  } else if (tls === null) {
    const bytes = tf.bytesSent(0) + tf.bytesSent(1);
    // A capture that starts mid-connection and shows no data has nothing to say here.
    if (bytes > 0 || h.synRow >= 0) parts.push({ key: 'verdict.part.tcp', values: { bytes } });
  }
  if (h.synRow < 0 && tf.attempts.length === 0) parts.unshift({ key: 'verdict.part.midStream', values: {} });

  if (closing !== null && rstFrom !== null && !finBeforeRst) {
    const httpOpen = http !== null && http.session.transactions.some((x) => x.request !== null && x.request.startRow < rstRow && (x.response === null || !x.response.complete));
    if (closing.unacked > 0 || httpOpen) {
      const detail: Phrase = closing.unacked > 0 ? { key: 'detail.unacked', values: { bytes: closing.unacked } } : { key: 'detail.httpIncomplete', values: {} };
      return { status: 'failed', reason: [{ key: 'verdict.resetMidTransfer', values: { side: rstFrom, detail } }], findings, facts };
    }
    parts.push({ key: 'verdict.part.rst', values: { side: rstFrom } });
  } else if (closing !== null && rstFrom !== null) {
    parts.push({ key: 'verdict.part.rstClosing', values: { side: rstFrom } });
  } else if (closed) {
    parts.push({ key: 'verdict.part.closed', values: {} });
  } else {
    parts.push({ key: 'verdict.part.open', values: {} });
  }
  return { status, reason: parts, findings, facts };
}

function emptyFacts(): DiagnosisFacts {
  return {
    tcp: {
      synFrame: 0,
      synAckFrame: 0,
      ackFrame: 0,
      established: false,
      clientStates: [],
      serverStates: [],
      bytes: { client: 0, server: 0 },
      resets: [],
      finFrame: { client: 0, server: 0 },
      closedBy: null,
      gaps: [],
      retransmissions: 0,
      attempts: [],
    },
    tls: null,
    http: null,
    latency: { tcpConnect: null, tlsHandshake: null, timeToFirstByte: null },
  };
}

const STATE_NAMES = ['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK'];

function fillTcpFacts(facts: DiagnosisFacts, tf: TcpFacts, h: { synRow: number; synAckRow: number; ackRow: number }, ce: number, sideOf: (end: number) => Side, frame: (row: number) => number): void {
  const t = facts.tcp;
  const se = 1 - ce;
  t.synFrame = frame(h.synRow);
  t.synAckFrame = frame(h.synAckRow);
  t.ackFrame = frame(h.ackRow);
  t.established = tf.established;
  t.clientStates = STATE_NAMES.filter((_, i) => tf.wasIn(ce, i));
  t.serverStates = STATE_NAMES.filter((_, i) => tf.wasIn(se, i));
  t.bytes = { client: Math.max(0, tf.bytesSent(ce)), server: Math.max(0, tf.bytesSent(se)) };
  t.resets = tf.resets.map((r) => ({ frame: frame(r.row), side: sideOf(r.end), unacked: r.unacked }));
  t.finFrame = { client: frame(tf.finRow[ce]!), server: frame(tf.finRow[se]!) };
  const last = tf.closingReset;
  const bothFin = tf.finRow[0]! >= 0 && tf.finRow[1]! >= 0;
  if (last !== null) t.closedBy = { how: 'rst', side: sideOf(last.end), frame: frame(last.row) };
  else if (bothFin) {
    const first = tf.finRow[ce]! <= tf.finRow[se]! ? ce : se;
    t.closedBy = { how: 'fin', side: sideOf(first), frame: frame(tf.finRow[first]!) };
  }
  t.gaps = tf.gaps.map((g) => ({ frame: frame(g.row), side: sideOf(g.end), bytes: g.bytes, kind: g.kind }));
  t.retransmissions = tf.retransmissionCount;
  t.attempts = tf.attempts.map((a) => ({ synFrame: frame(a.synRow), endFrame: frame(a.endRow), endedBy: a.endedBy, side: sideOf(a.endedFrom), restartFrame: frame(a.restartRow) }));
}

function tlsFacts(tls: TlsParser, frame: (row: number) => number): NonNullable<DiagnosisFacts['tls']> {
  const s = tls.session;
  const done = tlsDoneRow(tls);
  const side = (dir: number): Side => (dir === s.clientDir ? 'client' : 'server');
  const broken = firstMalformed(s);
  const serverDir = s.clientDir === 0 ? 1 : 0;
  return {
    complete: Number.isFinite(done),
    doneFrame: frame(done),
    clientHelloFrame: frame(s.clientHelloRow),
    serverHelloFrame: frame(s.serverHelloRow),
    finishedFrame: { client: frame(s.progress.finishedRow[s.clientDir]), server: frame(s.progress.finishedRow[serverDir]) },
    missing: Number.isFinite(done) ? null : missingMessage(s),
    malformed: broken === null ? null : { side: side(broken.dir), frame: frame(broken.row), reason: broken.reason, streamOffset: broken.streamOffset, length: broken.length },
    // A heartbeat breaking RFC 6520 is told as a heartbeat (its own fact below), not twice.
    problems: s.problems
      .filter((p) => p.kind === 'malformed' && !s.heartbeats.some((b) => b.anomaly === 'payload-length' && b.row === p.row && b.dir === p.dir))
      .sort((a, b) => a.row - b.row)
      .map((p) => ({ side: side(p.dir), frame: frame(p.row), reason: p.reason, streamOffset: p.streamOffset, length: p.length })),
    heartbeats: s.heartbeats.map((b) => ({
      frame: frame(b.row),
      side: side(b.dir),
      length: b.length,
      type: b.type === 1 ? ('request' as const) : b.type === 2 ? ('response' as const) : ('encrypted' as const),
      anomaly: b.anomaly,
      payloadLength: b.payloadLength,
      requestLength: b.requestLength,
    })),
    foreign: s.foreign === null ? null : { side: side(s.foreign.dir), protocol: s.foreign.protocol, frame: frame(s.foreign.row) },
    renegotiationFrame: frame(Math.min(...s.progress.renegotiationRow.map((r) => (r < 0 ? Infinity : r)))),
  };
}

function httpFacts(http: HttpParser, frame: (row: number) => number): NonNullable<DiagnosisFacts['http']> {
  const txs = http.session.transactions.filter((t) => t.request !== null);
  const out: NonNullable<DiagnosisFacts['http']> = { requests: txs.length, answered: 0, incomplete: [], unanswered: [] };
  for (const t of txs) {
    const res = t.response;
    if (res === null) out.unanswered.push(frame(t.request!.startRow));
    else if (res.complete) out.answered++;
    else if (res.missingBytes > 0) out.incomplete.push({ requestFrame: frame(t.request!.startRow), responseFrame: frame(res.startRow), missingBytes: res.missingBytes });
    else out.unanswered.push(frame(t.request!.startRow));
  }
  return out;
}

/**
 * The three latencies, each defined once: TCP connect is SYN → SYN/ACK (the SYN that was answered:
 * the last one before it); TLS handshake is ClientHello → the Finished completing the handshake;
 * time to first byte is the client's first request (the packet completing it: an HTTP request, or
 * the first application data record after the handshake; with HTTP/2 the first request's header
 * block) → the first packet of the server's answer (HTTP/2: the response's header block).
 */
function latencies(conv: Conversation, tls: TlsParser | null, http: HttpParser | null, times: RowTimes, frame: (row: number) => number): DiagnosisFacts['latency'] {
  const span = (a: number, b: number): Span | null => {
    if (a < 0 || b < 0 || !Number.isFinite(a) || !Number.isFinite(b) || b < a) return null;
    return { fromFrame: frame(a), toFrame: frame(b), seconds: Math.round(times.between(a, b) * 1e9) / 1e9 };
  };
  const h = conv.tcp!.handshake;
  const tcpConnect = span(h.answeredSynRow, h.synAckRow);
  let tlsHandshake: Span | null = null;
  let ttfb: Span | null = null;
  if (tls !== null && tls.session.clientHelloRow >= 0) {
    tlsHandshake = span(tls.session.clientHelloRow, tlsDoneRow(tls));
    ttfb = span(tls.session.appDataRequestRow, tls.session.appDataResponseRow);
  }
  const tx = http?.session.transactions.find((x) => x.request !== null && x.response !== null && x.request.completedRow >= 0 && x.response.startRow >= 0);
  if (tx !== undefined) ttfb = span(tx.request!.completedRow, tx.response!.startRow);
  const h2 = http2Of(conv)?.session.firstByteRows ?? null;
  if (h2 !== null) ttfb = span(h2[0], h2[1]);
  return { tcpConnect, tlsHandshake, timeToFirstByte: ttfb };
}

/** `2 HTTP requests` as a phrase. */
function count(n: number): Phrase {
  return n === 1 ? { key: 'unit.httpRequest', values: {} } : { key: 'unit.httpRequests', values: { n } };
}

function messagePhrase(message: NonNullable<NonNullable<DiagnosisFacts['tls']>['missing']>['message']): Phrase {
  switch (message) {
    case 'ServerHello':
      return { key: 'message.serverHello', values: {} };
    case 'ServerHelloDone':
      return { key: 'message.serverHelloDone', values: {} };
    case 'ChangeCipherSpec':
      return { key: 'message.ccs', values: {} };
    case 'Finished':
      return { key: 'message.finished', values: {} };
    case 'encrypted flight':
      return { key: 'message.encryptedFlight', values: {} };
  }
}

function heartbeatPhrase(b: NonNullable<DiagnosisFacts['tls']>['heartbeats'][number]): Phrase {
  if (b.anomaly === 'response-larger') return { key: 'verdict.heartbeatResponse', values: { side: b.side, frame: b.frame, bytes: b.length, requestBytes: b.requestLength ?? 0 } };
  return { key: 'verdict.heartbeatPayload', values: { side: b.side, frame: b.frame, claimed: b.payloadLength ?? 0, bytes: b.length } };
}

function retransmissionFindings(tf: TcpFacts, doneRow: number, findings: Phrase[]): void {
  if (tf.retransmissionCount === 0) return;
  if (findings.some((f) => f.key === 'finding.retransmissions' || f.key === 'finding.handshakeRetransmissions')) return;
  const limit = doneRow < 0 ? Infinity : doneRow;
  const during = tf.retransmissions.filter((r) => r <= limit).length;
  // Retransmitted SYNs are reported on their own.
  const extraSyn = Math.max(0, tf.syns[0]! + tf.syns[1]! - 1);
  const inHandshake = Math.max(0, during - extraSyn);
  if (doneRow >= 0 && inHandshake > 0) {
    findings.push(inHandshake === 1 ? { key: 'finding.handshakeRetransmission', values: {} } : { key: 'finding.handshakeRetransmissions', values: { n: inHandshake } });
  }
  const n = tf.retransmissionCount - extraSyn;
  if (n > 0 && (n > inHandshake || doneRow < 0)) {
    const fast = tf.fastRetransmissionCount;
    findings.push(
      n === 1 ? { key: 'finding.retransmission', values: {} } : fast > 0 ? { key: 'finding.retransmissions', values: { n, fast } } : { key: 'finding.retransmissionsSlow', values: { n } },
    );
  }
}

/** Bytes the capture lost, per side (the ladder draws each hole where it is). */
function gapFindings(facts: DiagnosisFacts, findings: Phrase[]): void {
  for (const side of ['client', 'server'] as const) {
    const gaps = facts.tcp.gaps.filter((g) => g.side === side && g.kind === 'lost');
    if (gaps.length === 0) continue;
    const bytes = gaps.reduce((n, g) => n + g.bytes, 0);
    findings.push({ key: 'finding.gap', values: { side, bytes, n: gaps.length, frame: gaps[0]!.frame } });
  }
}

function certificateFindings(tls: TlsParser, findings: Phrase[]): void {
  const s = tls.session;
  const checks = s.serverChecks;
  if (checks === null) return;
  const chain = s.serverCertificates;
  const name = (i: number): string => {
    const c = chain[i];
    return c === undefined ? '?' : c.subjectCN !== null ? `CN=${c.subjectCN}` : c.subject;
  };
  const date = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '?');
  for (const p of checks.problems) {
    if (p.problem === 'expired') findings.push({ key: 'finding.certExpired', values: { subject: name(p.index), date: date(chain[p.index]?.notAfterMs ?? NaN) } });
    else if (p.problem === 'not-yet-valid') findings.push({ key: 'finding.certNotYetValid', values: { subject: name(p.index), date: date(chain[p.index]?.notBeforeMs ?? NaN) } });
  }
  if (checks.sniMatches === false && s.sni !== null) {
    const leaf = chain[0];
    const names = leaf === undefined ? [] : leaf.dnsNames.length > 0 ? leaf.dnsNames : leaf.subjectCN !== null ? [leaf.subjectCN] : [];
    findings.push({ key: 'finding.sniMismatch', values: { sni: s.sni, names: names.slice(0, 4).join(', ') } });
  }
  if (checks.missingIntermediate) findings.push({ key: 'finding.missingIntermediate', values: { subject: name(chain.length - 1) } });
  if (!checks.chainOrderOk) findings.push({ key: 'finding.chainOrder', values: {} });
}

/** Times of capture rows from a packet index's columns. */
export function indexTimes(index: { tsSec(row: number): number; tsNsec(row: number): number }): RowTimes {
  return { between: (a, b) => index.tsSec(b) - index.tsSec(a) + (index.tsNsec(b) - index.tsNsec(a)) / 1e9 };
}
