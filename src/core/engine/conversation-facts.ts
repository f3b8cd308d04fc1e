// What the store keeps of a conversation's application layer and its diagnosis, written while the
// conversation's objects still exist (the flow stage's `summarize` hook): the TLS and HTTP facts the
// conversations list, `wireladder flows` and the statistics show, the verdict in English and the
// diagnosis' latencies (engine/diagnosis.ts: the one diagnosis every view reads).

import type { AppParser, AppParserFactory } from '../flow/app-parser';
import type { Conversation } from '../flow/conversation';
import { storedVerdict } from '../flow/conversation-summary';
import { AppFlag, AppKind, ConvFlag, FINDINGS_SEPARATOR, LATENCY_FRAMES, slotOf, verdictStatuses, type ConversationStore } from '../flow/conversation-store';
import { HttpParser } from '../http/parser';
import { TlsParser } from '../tls/parser';
import type { Verdict } from '../flow/verdict';
import { verdictText } from '../ladder/verdict-text';
import { http2Of, httpOf, tlsOf } from './app-of';
import { diagnose, indexTimes, type ConversationDiagnosis, type DiagnosisFacts, type RowTimes, type Span } from './diagnosis';
import { replay, type ReplaySource } from './replay';

/** Diagnoses worked out from replays, per store and conversation, with the last row they saw. */
const replayed = new WeakMap<ConversationStore, Map<number, { lastRow: number; appFactories: readonly AppParserFactory[]; diagnosis: ConversationDiagnosis; verdict: Verdict }>>();

/**
 * Times while the pass runs (a shard has no index): the store keeps the latencies as frames, and
 * their seconds are read from the index when shown; nothing else in a diagnosis reads times.
 */
const NO_TIMES: RowTimes = { between: () => 0 };

function sameParsers(a: readonly AppParserFactory[], b: readonly AppParserFactory[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}

/** The describe() keys the lists show that have no column of their own. */
const EXTRA_KEYS = ['tls.decryption', 'http.first_request', 'http2.streams', 'http2.resets'] as const;

/**
 * The conversation's extras record as one JSON text (null when it has none): the describe() keys
 * above, and what the views show of HTTP/2 (HttpSummaryDto and the status counts the statistics add up).
 */
function extrasText(conv: Conversation, d: Record<string, string | number> | null): string | null {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const key of EXTRA_KEYS) {
    if (d !== null && d[key] !== undefined) {
      out[key] = d[key];
      any = true;
    }
  }
  const h2 = http2Of(conv);
  if (h2 !== null) {
    const s = h2.session;
    const g = s.goaways[0];
    out['http2'] = {
      streams: s.streamCount,
      requests: s.requests,
      responses: s.responses,
      resets: s.resets,
      goaway: g === undefined ? null : `${g.name} (last stream ${g.lastStreamId})`,
      undecodable: s.undecodableBlocks,
      statusCounts: [...s.statusCounts],
    };
    any = true;
  }
  return any ? JSON.stringify(out) : null;
}

/** Verdict texts interned per pass at most; beyond, a verdict is worked out again when shown. */
const MAX_VERDICT_TEXTS = 65_536;

export function summarizeConversationFacts(conv: Conversation, store: ConversationStore): void {
  const id = conv.id;
  const c = store.chunkOf(id);
  const i = slotOf(id);
  const app = conv.app;
  if (app === null && (c.flags[i]! & ConvFlag.AppFinal) !== 0) {
    // Objects restored after the parser had finished (a late packet): the application facts stay
    // as they were, and the verdict, which reads the parser, is worked out again when shown.
    if (conv.proto === 6) c.flags[i] = c.flags[i]! | ConvFlag.VerdictStale;
    return;
  }
  const texts = store.texts;
  if (app !== null) {
    c.app[i] = app instanceof TlsParser ? AppKind.Tls : app instanceof HttpParser ? AppKind.Http : AppKind.Other;
    if (conv.tcp !== null && conv.tcp.streamsEnded) c.flags[i] = c.flags[i]! | ConvFlag.AppFinal;
    // What the parsers describe (the seam's keys): the conversation's own, over what a parser
    // nested in it says (decrypted TLS, an HTTP Upgrade, a CONNECT tunnel), as the lists show it.
    const inner = (app as { innerParser?: AppParser | null }).innerParser ?? null;
    const own = app.describe !== undefined ? app.describe() : null;
    const d = inner !== null && inner.describe !== undefined ? { ...inner.describe(), ...(own ?? {}) } : own;
    const str = (key: string): string | null => (d !== null && d[key] !== undefined ? String(d[key]) : null);
    c.version[i] = texts.id(str('tls.version'));
    c.sni[i] = texts.id(str('tls.sni'));
    c.cipher[i] = texts.id(str('tls.cipher'));
    c.alpn[i] = texts.id(str('tls.alpn'));
    const tx = d?.['http.transactions'];
    c.httpTransactions[i] = tx !== undefined && Number.isFinite(Number(tx)) ? Number(tx) : -1;
    c.extras[i] = texts.id(extrasText(conv, d));
    let flags = 0;
    const tls = tlsOf(conv);
    if (tls !== null) {
      const s = tls.session;
      if (s.resumed !== null) flags |= AppFlag.TlsResumed;
      if (s.alerts.some((a) => a.level === 2)) flags |= AppFlag.FatalAlert;
      c.clientHelloRow[i] = s.clientHelloRow;
      c.clientFinishedRow[i] = s.clientHelloRow >= 0 ? (s.encryptedFrom[s.clientDir]?.row ?? -1) : -1;
      c.requestRow[i] = s.appDataRequestRow;
      c.responseRow[i] = s.appDataResponseRow;
    }
    c.appFlags[i] = flags;
    const http = httpOf(conv);
    const answered = http?.session.transactions.find((x) => x.request !== null && x.response !== null);
    c.httpWait[i] = answered !== undefined && answered.waitSeconds !== null ? answered.waitSeconds : Number.NaN;
  }
  if (conv.proto !== 6) return;
  if ((c.flags[i]! & ConvFlag.Restored) !== 0) {
    // Objects restored for a late packet keep only part of the connection's facts: a replay judges it.
    c.flags[i] = c.flags[i]! | ConvFlag.VerdictStale;
    return;
  }
  const d = diagnose(conv, NO_TIMES);
  const l = d.facts.latency;
  const lf = c.latencyFrames;
  const spans = [l.tcpConnect, l.tlsHandshake, l.timeToFirstByte];
  for (let k = 0; k < 3; k++) {
    lf[i * LATENCY_FRAMES + 2 * k] = spans[k]?.fromFrame ?? 0;
    lf[i * LATENCY_FRAMES + 2 * k + 1] = spans[k]?.toFrame ?? 0;
  }
  const v = verdictText(d, 'en');
  c.verdict[i] = verdictStatuses.indexOf(v.status);
  const findings = v.findings.join(FINDINGS_SEPARATOR);
  if (texts.size < MAX_VERDICT_TEXTS || ((v.reason === '' || texts.known(v.reason) !== 0) && (findings === '' || texts.known(findings) !== 0))) {
    c.verdictReason[i] = v.reason === '' ? 0 : texts.id(v.reason);
    c.verdictFindings[i] = findings === '' ? 0 : texts.id(findings);
    c.flags[i] = c.flags[i]! & ~ConvFlag.VerdictStale;
  } else {
    c.verdictReason[i] = 0;
    c.verdictFindings[i] = 0;
    c.flags[i] = c.flags[i]! | ConvFlag.VerdictStale;
  }
}

/**
 * The diagnosis of a stale conversation (its parser was gone when a late packet came, or its
 * objects were restored): from a replay of its packets, as the pass would have judged it with its
 * objects kept to the end. Worked out once per state of the conversation (a packet more, and again).
 */
function replayedDiagnosis(src: ReplaySource, store: ConversationStore, id: number, appFactories: readonly AppParserFactory[]): { diagnosis: ConversationDiagnosis; verdict: Verdict } | null {
  let cache = replayed.get(store);
  if (cache === undefined) replayed.set(store, (cache = new Map()));
  const known = cache.get(id);
  if (known !== undefined && known.lastRow === store.lastRow(id) && sameParsers(known.appFactories, appFactories)) return known;
  const rows = src.index.rowsOfStream(id);
  const firstRow = store.firstRow(id);
  const again = replay(src, { rows, appFactories, summaryOnly: true, streamOf: (row) => (row === firstRow ? store.stream(id) : undefined) });
  const conv = again.flows.conversations.find((c) => c.firstRow === firstRow);
  if (conv === undefined) return null;
  const diagnosis = diagnose(conv, indexTimes(src.index));
  const entry = { lastRow: store.lastRow(id), appFactories, diagnosis, verdict: verdictText(diagnosis, 'en') };
  cache.set(id, entry);
  return entry;
}

/**
 * The verdict of a conversation of a whole-file pass: as the store keeps it, or, when it went
 * stale, from a replay of the conversation's packets.
 */
export function conversationVerdict(
  src: ReplaySource,
  store: ConversationStore,
  id: number,
  appFactories: readonly AppParserFactory[],
  /** While the pass still runs: a stale verdict is shown as it was (a replay would chase new rows). */
  provisional = false,
): Verdict | null {
  const stored = storedVerdict(store, id, provisional);
  if (stored !== 'stale') return stored;
  return replayedDiagnosis(src, store, id, appFactories)?.verdict ?? null;
}

/**
 * The diagnosis' latencies of a TCP conversation of a whole-file pass (TCP connect, TLS handshake,
 * time to first byte, each with its frames): from the store's frames and the index's times, or from
 * a replay when the conversation is stale (the same numbers the ladder shows).
 */
export function conversationLatency(
  src: ReplaySource,
  store: ConversationStore,
  id: number,
  appFactories: readonly AppParserFactory[],
  /** While the pass still runs: stale latencies are shown as stored (a replay would chase new rows). */
  provisional = false,
): DiagnosisFacts['latency'] {
  if (store.proto(id) !== 6) return { tcpConnect: null, tlsHandshake: null, timeToFirstByte: null };
  const c = store.chunkOf(id);
  const i = slotOf(id);
  if (!provisional && (c.flags[i]! & ConvFlag.VerdictStale) !== 0) {
    const again = replayedDiagnosis(src, store, id, appFactories);
    if (again !== null) return again.diagnosis.facts.latency;
  }
  const times = indexTimes(src.index);
  const span = (k: number): Span | null => {
    const from = c.latencyFrames[i * LATENCY_FRAMES + 2 * k]!;
    const to = c.latencyFrames[i * LATENCY_FRAMES + 2 * k + 1]!;
    if (from <= 0 || to <= 0) return null;
    // As engine/diagnosis.ts rounds them.
    return { fromFrame: from, toFrame: to, seconds: Math.round(times.between(from - 1, to - 1) * 1e9) / 1e9 };
  };
  return { tcpConnect: span(0), tlsHandshake: span(1), timeToFirstByte: span(2) };
}
