// The verdict on one conversation — complete, failed or incomplete — with the reason and the
// evidence behind it: no answer to SYN, RST after SYN (port closed), TLS alerts and their likely
// cause, certificate problems, HelloRetryRequest, retransmissions, resets mid-transfer. Works on a
// conversation from the full analysis pass (`wireladder flows`, the UI's list) and on a replay
// (the ladder).

import type { Conversation } from '../flow/conversation';
import { ConvFlag, slotOf, type ConversationStore } from '../flow/conversation-store';
import { HttpParser } from '../http/parser';
import { Analysis } from '../io/packet-index';
import type { TlsParser } from '../tls/parser';
import { TlsParser as TlsParserClass } from '../tls/parser';
import { alertCause, bytesText, sideWord, text } from './explain';
import type { Language, Side, Verdict, VerdictStatus } from './model';
import type { TextKey } from './texts/en';

const FIN = 0x001;
const SYN = 0x002;
const RST = 0x004;
const ACK = 0x010;

const RETRANSMISSION = Analysis.Retransmission | Analysis.FastRetransmission | Analysis.SpuriousRetransmission;
/** Retransmission rows kept per conversation (enough to place them before or after the handshake). */
const KEPT_ROWS = 256;

/** Per-packet evidence of one conversation that the conversation object itself does not keep. */
export interface ConversationEvidence {
  /** Pure SYNs from the client (retransmissions included) and SYN/ACKs from the server. */
  synCount: number;
  synAckCount: number;
  retransmissions: number;
  fastRetransmissions: number;
  /** Rows of the first retransmissions (at most 256). */
  retransmissionRows: number[];
  /** First RST: row, sender, time; -1 when none. */
  rstRow: number;
  rstFrom: Side | null;
  /** Seconds between the RST and the packet before it. */
  rstIdle: number;
  /** Payload bytes sent but not acknowledged when the RST came (both ways). */
  unackedAtRst: number;
  /** A FIN was seen before the first RST. */
  finBeforeRst: boolean;
  /** Rows of the first FIN from the client and from the server (-1 when none). */
  clientFinRow: number;
  serverFinRow: number;
  /** Payload bytes each way. */
  clientBytes: number;
  serverBytes: number;
}

function emptyEvidence(): ConversationEvidence {
  return {
    synCount: 0,
    synAckCount: 0,
    retransmissions: 0,
    fastRetransmissions: 0,
    retransmissionRows: [],
    rstRow: -1,
    rstFrom: null,
    rstIdle: 0,
    unackedAtRst: 0,
    finBeforeRst: false,
    clientFinRow: -1,
    serverFinRow: -1,
    clientBytes: 0,
    serverBytes: 0,
  };
}

/** One packet as the evidence needs it (the ladder's PacketFacts have these fields). */
export interface EvidencePacket {
  row: number;
  time: number;
  from: Side;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  analysis: number;
}

/** Folds packets (in capture order) into evidence. */
class EvidenceBuilder {
  readonly e = emptyEvidence();
  private sent = { client: 0, server: 0 };
  private acked = { client: 0, server: 0 };
  private lastTime = NaN;

  add(q: EvidencePacket): void {
    const e = this.e;
    const f = q.flags;
    if ((f & (SYN | ACK)) === SYN && q.from === 'client') e.synCount++;
    if ((f & (SYN | ACK)) === (SYN | ACK) && q.from === 'server') e.synAckCount++;
    if ((q.analysis & RETRANSMISSION) !== 0) {
      e.retransmissions++;
      if ((q.analysis & Analysis.FastRetransmission) !== 0) e.fastRetransmissions++;
      if (e.retransmissionRows.length < KEPT_ROWS) e.retransmissionRows.push(q.row);
    }
    if ((f & FIN) !== 0) {
      if (q.from === 'client' && e.clientFinRow < 0) e.clientFinRow = q.row;
      if (q.from === 'server' && e.serverFinRow < 0) e.serverFinRow = q.row;
    }
    const end = q.seq + q.len;
    if (q.len > 0 && end > this.sent[q.from]) this.sent[q.from] = end;
    // Bytes of the stream (relative sequence numbers start at 1): retransmitted bytes count once.
    e.clientBytes = Math.max(0, this.sent.client - 1);
    e.serverBytes = Math.max(0, this.sent.server - 1);
    if ((f & ACK) !== 0) {
      const other = q.from === 'client' ? 'server' : 'client';
      if (q.ack > this.acked[other]) this.acked[other] = q.ack;
    }
    if ((f & RST) !== 0 && e.rstRow < 0) {
      e.rstRow = q.row;
      e.rstFrom = q.from;
      e.rstIdle = Number.isNaN(this.lastTime) ? 0 : q.time - this.lastTime;
      e.finBeforeRst = e.clientFinRow >= 0 && e.clientFinRow < q.row ? true : e.serverFinRow >= 0 && e.serverFinRow < q.row;
      let n = 0;
      for (const sd of ['client', 'server'] as const) if (this.sent[sd] > this.acked[sd]) n += this.sent[sd] - Math.max(this.acked[sd], 1);
      e.unackedAtRst = Math.max(0, n);
    }
    this.lastTime = q.time;
  }
}

/** Evidence from a conversation's packets (the ladder replay). */
export function evidenceFromPackets(packets: readonly EvidencePacket[]): ConversationEvidence {
  const b = new EvidenceBuilder();
  for (const q of packets) b.add(q);
  return b.e;
}

/**
 * Evidence for a conversation of a full pass, from what the flow stage counted in its store (the
 * same facts a scan of the index gives: SYNs and SYN/ACKs, retransmissions, first FINs and RST, the
 * idle time before it). Without sequence numbers in the index, the unacknowledged bytes at a RST
 * come from the connection's last sequence and acknowledgment numbers, when that RST,ACK ended it.
 */
export function evidenceFromStore(store: ConversationStore, id: number): ConversationEvidence {
  const c = store.chunkOf(id);
  const i = slotOf(id);
  const ci = store.clientIsA(id) ? 0 : 1;
  const si = 1 - ci;
  const e = emptyEvidence();
  e.synCount = c.syns2[2 * i + ci]!;
  e.synAckCount = c.synAcks2[2 * i + si]!;
  e.retransmissions = c.retransmissions[i]!;
  e.retransmissionRows = store.retransmissionRows.get(id) ?? [];
  e.fastRetransmissions = c.fastRetransmissions[i]!;
  e.clientFinRow = c.finRow2[2 * i + ci]!;
  e.serverFinRow = c.finRow2[2 * i + si]!;
  const rstRow = c.rstRow[i]!;
  if (rstRow >= 0) {
    e.rstRow = rstRow;
    e.rstFrom = c.rstFrom[i] === ci ? 'client' : 'server';
    e.rstIdle = c.rstIdle[i]!;
    e.finBeforeRst = (e.clientFinRow >= 0 && e.clientFinRow <= rstRow) || (e.serverFinRow >= 0 && e.serverFinRow <= rstRow);
    if (rstRow === c.lastRow[i] && (c.flags[i]! & ConvFlag.RstAck) !== 0) e.unackedAtRst = c.unackedAtEnd[i]!;
  }
  const cb = c.streamBytes2[2 * i + ci]!;
  const sb = c.streamBytes2[2 * i + si]!;
  e.clientBytes = cb >= 0 ? cb : c.payload2[2 * i + ci]!;
  e.serverBytes = sb >= 0 ? sb : c.payload2[2 * i + si]!;
  return e;
}

// ---------------------------------------------------------------------------------------------
// The verdict
// ---------------------------------------------------------------------------------------------

export interface DiagnoseOptions {
  language?: Language;
  /** Per-packet evidence; without it, only what the conversation keeps is used. */
  evidence?: ConversationEvidence;
}

interface Phrase {
  key: TextKey;
  values: Readonly<Record<string, string | number | Phrase>>;
}

function tlsOfConv(conv: Conversation): TlsParser | null {
  const app = conv.app;
  if (app instanceof TlsParserClass) return app;
  if (app instanceof HttpParser && app.innerParser instanceof TlsParserClass) return app.innerParser;
  return null;
}

/** Row after which both sides have finished the TLS handshake; Infinity when they never did. */
export function tlsDoneRow(tls: TlsParser): number {
  const s = tls.session;
  const serverDir = s.clientDir === 0 ? 1 : 0;
  const c = s.encryptedFrom[s.clientDir];
  const sv = s.encryptedFrom[serverDir];
  if (s.serverHelloRow < 0 || c === null || sv === null) return Infinity;
  if (s.version === 0x0304) {
    // The client's first encrypted record after ServerHello is its Finished (or its Certificate).
    if (c.row > s.serverHelloRow) return c.row;
    // It sent early data first: find the flight in the records (kept on replays), else trust
    // that a request was answered.
    const rec = tls.records.find((r) => r.dir === s.clientDir && r.contentType === 23 && r.completedRow > s.serverHelloRow);
    if (rec !== undefined) return rec.completedRow;
    return s.appDataRequestRow >= 0 ? s.appDataRequestRow : Infinity;
  }
  return Math.max(c.row, sv.row);
}

/** The verdict on a TCP conversation (UDP conversations are `incomplete` with no reason). */
export function diagnoseConversation(conv: Conversation, opts: DiagnoseOptions = {}): Verdict {
  const L = opts.language ?? 'en';
  const d = diagnose(conv, opts.evidence ?? null, L);
  const reason = d.reason.map((p) => render(L, p)).join(text(L, 'sep.clause'));
  return { status: d.status, reason, findings: d.findings.map((p) => render(L, p)) };
}

/** A phrase in words: sides and byte counts are stored raw, nested phrases rendered first. */
function render(L: Language, p: Phrase): string {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p.values)) {
    if (typeof v === 'object') out[k] = render(L, v);
    else if (k === 'side' && (v === 'client' || v === 'server')) out[k] = sideWord(L, v);
    else if (k === 'bytes' && typeof v === 'number') out[k] = bytesText(L, v);
    else out[k] = v;
  }
  return text(L, p.key, out);
}

interface Diagnosis {
  status: VerdictStatus;
  reason: Phrase[];
  findings: Phrase[];
}

function diagnose(conv: Conversation, ev: ConversationEvidence | null, L: Language): Diagnosis {
  const findings: Phrase[] = [];
  const tcp = conv.tcp;
  if (tcp === null) return { status: 'incomplete', reason: [], findings };
  const h = tcp.handshake;
  const clientIdx = conv.clientIsA ? 0 : 1;
  const serverPort = conv.clientIsA ? conv.portB : conv.portA;
  const rstFrom: Side | null = ev?.rstFrom ?? (h.rstRow >= 0 ? (h.rstFrom === clientIdx ? 'client' : 'server') : null);
  const rstRow = ev?.rstRow ?? h.rstRow;
  const synCount = ev?.synCount ?? (h.synRow >= 0 ? 1 : 0);
  const fail = (key: TextKey, values: Phrase['values'] = {}): Diagnosis => ({ status: 'failed', reason: [{ key, values }], findings });

  // ---- TCP handshake ------------------------------------------------------------------------------
  if (h.synRow >= 0 && h.synAckRow < 0) {
    if (rstRow >= 0 && rstFrom === 'server') return fail('verdict.refused', { port: serverPort });
    if (rstRow >= 0 && rstFrom === 'client') return fail('verdict.rstAfterSyn');
    if (synCount > 1) return fail('verdict.synRetransmitted', { n: synCount });
    return { status: 'incomplete', reason: [{ key: 'verdict.synUnanswered', values: {} }], findings };
  }
  if (h.synRow >= 0 && h.ackRow < 0) {
    const tlsEarly = tlsOfConv(conv);
    // Some stacks' first data segment completes the handshake; the app layer then shows it.
    const dataSeen = (ev !== null && ev.clientBytes > 0) || (tlsEarly !== null && tlsEarly.session.clientHelloRow >= 0);
    if (!dataSeen) {
      if (rstRow >= 0 && rstFrom !== null) return fail('verdict.tcpHandshakeReset', { side: rstFrom });
      return { status: 'incomplete', reason: [{ key: 'verdict.synAckUnanswered', values: {} }], findings };
    }
  }
  if (h.synRow < 0) findings.push({ key: 'finding.midStream', values: {} });
  else if (synCount > 1) findings.push({ key: 'finding.synRetransmitted', values: { n: synCount } });

  const closed = ev !== null ? ev.clientFinRow >= 0 && ev.serverFinRow >= 0 : h.finRowA >= 0 && h.finRowB >= 0;
  const finBeforeRst = ev !== null ? ev.finBeforeRst : (h.finRowA >= 0 && h.finRowA < rstRow) || (h.finRowB >= 0 && h.finRowB < rstRow);
  const http = conv.app instanceof HttpParser ? conv.app : null;
  const tls = tlsOfConv(conv);

  // ---- TLS --------------------------------------------------------------------------------------------
  let doneRow = -1;
  const parts: Phrase[] = [];
  if (tls !== null) {
    const s = tls.session;
    doneRow = tlsDoneRow(tls);
    const fatal = s.alerts.find((a) => (a.level === 2 && !a.encrypted) || (a.encrypted && a.row <= doneRow));
    if (s.helloRetry) findings.push({ key: 'finding.hrr', values: { group: s.groupName ?? '?' } });
    certificateFindings(tls, findings);
    if (fatal !== undefined && (fatal.row <= doneRow || doneRow === Infinity)) {
      const side: Side = fatal.dir === s.clientDir ? 'client' : 'server';
      retransmissionFindings(ev, doneRow, findings);
      if (fatal.encrypted || fatal.name === null) return fail('verdict.tlsAlertEncrypted', { side });
      const cause = alertCause(L, tls, fatal, true);
      return fail('verdict.tlsAlert', { side, name: fatal.name, cause });
    }
    if (doneRow === Infinity) {
      retransmissionFindings(ev, doneRow, findings);
      if (s.clientHelloRow < 0 && h.synRow >= 0 && !closed && rstRow < 0) {
        return { status: 'incomplete', reason: [{ key: 'verdict.tlsIncomplete', values: {} }], findings };
      }
      if (rstRow >= 0 && rstFrom !== null) return fail('verdict.tlsReset', { side: rstFrom });
      const finRow = ev !== null ? [ev.clientFinRow, ev.serverFinRow] : [h.finRowA, h.finRowB];
      if (finRow.some((r) => r >= 0)) {
        const clientFirst = ev !== null ? ev.clientFinRow >= 0 && (ev.serverFinRow < 0 || ev.clientFinRow < ev.serverFinRow) : (conv.clientIsA ? h.finRowA : h.finRowB) >= 0;
        return fail('verdict.tlsClosed', { side: clientFirst ? 'client' : 'server' });
      }
      return { status: 'incomplete', reason: [{ key: 'verdict.tlsIncomplete', values: {} }], findings };
    }
    const version = s.versionName ?? 'TLS';
    const kx = s.groupName !== null && s.keyExchange !== null ? `${s.keyExchange} ${s.groupName}` : (s.keyExchange ?? '?');
    if (s.resumed !== null) parts.push({ key: 'verdict.part.tlsResumed', values: { version, how: { key: `how.${s.resumed}` as TextKey, values: {} } } });
    else if (s.clientCertSent === 'certificate') parts.push({ key: 'verdict.part.tlsMutual', values: { version, kx } });
    else parts.push({ key: 'verdict.part.tls', values: { version, kx } });
    if (s.keyExchange === 'RSA') findings.push({ key: 'finding.noForwardSecrecy', values: {} });
    if (s.clientCertSent === 'empty') findings.push({ key: 'finding.emptyClientCert', values: {} });
    if (http === null && s.appDataRecords[0] + s.appDataRecords[1] > 0) parts.push({ key: 'verdict.part.appData', values: {} });
  }
  retransmissionFindings(ev, doneRow, findings);

  // ---- Application data and the end -----------------------------------------------------------------
  let status: VerdictStatus = 'complete';
  if (http !== null) {
    const txs = http.session.transactions.filter((t) => t.request !== null);
    const answered = txs.filter((t) => t.response !== null && t.response.complete).length;
    if (answered > 0) parts.push({ key: 'verdict.part.http', values: { requests: count(answered) } });
    const unanswered = txs.length - answered;
    if (unanswered > 0 && !(rstRow >= 0 && !finBeforeRst)) {
      parts.push({ key: 'verdict.httpUnanswered', values: { requests: count(unanswered) } });
      status = 'incomplete';
    }
  } else if (tls === null) {
    const bytes = ev !== null ? ev.clientBytes + ev.serverBytes : 0;
    // A capture that starts mid-connection and shows no data has nothing to say here.
    if (bytes > 0 || h.synRow >= 0) parts.push({ key: 'verdict.part.tcp', values: { bytes } });
  }
  if (h.synRow < 0) parts.unshift({ key: 'verdict.part.midStream', values: {} });

  if (rstRow >= 0 && rstFrom !== null && !finBeforeRst) {
    const httpOpen = http !== null && http.session.transactions.some((t) => t.request !== null && t.request.startRow < rstRow && (t.response === null || !t.response.complete));
    const unacked = ev?.unackedAtRst ?? 0;
    if (unacked > 0 || httpOpen) {
      const detail: Phrase = unacked > 0 ? { key: 'detail.unacked', values: { bytes: unacked } } : { key: 'detail.httpIncomplete', values: {} };
      return fail('verdict.resetMidTransfer', { side: rstFrom, detail });
    }
    parts.push({ key: 'verdict.part.rst', values: { side: rstFrom } });
  } else if (rstRow >= 0 && rstFrom !== null) {
    parts.push({ key: 'verdict.part.rstClosing', values: { side: rstFrom } });
  } else if (closed) {
    parts.push({ key: 'verdict.part.closed', values: {} });
  } else if (rstRow < 0) {
    parts.push({ key: 'verdict.part.open', values: {} });
  }
  return { status, reason: parts, findings };
}

/** `2 HTTP requests` as a phrase rendered in the verdict's language. */
function count(n: number): Phrase {
  return n === 1 ? { key: 'unit.httpRequest', values: {} } : { key: 'unit.httpRequests', values: { n } };
}

function retransmissionFindings(ev: ConversationEvidence | null, doneRow: number, findings: Phrase[]): void {
  if (ev === null || ev.retransmissions === 0) return;
  if (findings.some((f) => f.key === 'finding.retransmissions' || f.key === 'finding.handshakeRetransmissions')) return;
  const limit = doneRow < 0 ? Infinity : doneRow;
  const during = ev.retransmissionRows.filter((r) => r <= limit).length;
  // Retransmitted SYNs are reported on their own.
  const extraSyn = Math.max(0, ev.synCount - 1);
  const inHandshake = Math.max(0, during - extraSyn);
  if (doneRow >= 0 && inHandshake > 0) {
    findings.push(inHandshake === 1 ? { key: 'finding.handshakeRetransmission', values: {} } : { key: 'finding.handshakeRetransmissions', values: { n: inHandshake } });
  }
  const n = ev.retransmissions - extraSyn;
  if (n > 0 && (n > inHandshake || doneRow < 0)) {
    const fast = ev.fastRetransmissions;
    findings.push(
      n === 1 ? { key: 'finding.retransmission', values: {} } : fast > 0 ? { key: 'finding.retransmissions', values: { n, fast } } : { key: 'finding.retransmissionsSlow', values: { n } },
    );
  }
}

/** `2026-01-31` for a time in ms; the last one is remembered (a chain is judged again for every conversation that sent it). */
let lastDateMs = Number.NaN;
let lastDate = '?';
function isoDate(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms !== lastDateMs) {
    lastDateMs = ms;
    lastDate = new Date(ms).toISOString().slice(0, 10);
  }
  return lastDate;
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
  const date = isoDate;
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
