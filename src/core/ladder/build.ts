// Builds the ladder model of one TCP conversation: replays its packets, maps every TLS record and
// HTTP message to the packets that carried it, and turns packets into steps (labels, kinds,
// phases, flights, TCP states, RTT brackets), with explanations and a verdict.

import { http2Of, httpOf, tlsOf } from '../engine/app-of';
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { analyzeFile } from '../engine/analyze-file';
import { defaultAppFactories } from '../engine/app-factories';
import { replay, type ReplaySource } from '../engine/replay';
import type { TlsKeyStore } from '../tls/keys/key-store';
import type { AppParserFactory } from '../flow/app-parser';
import type { Conversation } from '../flow/conversation';
import { endpointText } from '../flow/conversation-summary';
import { tcpStateName } from '../flow/tcp-state';
import { type HttpParser } from '../http/parser';
import type { HttpRequest, HttpResponse, HttpTransaction } from '../http/model';
import { detectFormat } from '../io/capture-reader';
import { Analysis, RETRANSMISSION } from '../io/packet-index';
import { RecordStore } from '../io/record-store';
import type { AddressTable } from '../io/address-table';
import type { TlsAlert, TlsHandshakeMessage, TlsRecord, TlsSession } from '../tls/model';
import { type TlsParser } from '../tls/parser';
import { contentTypeTitle, tls13RecordSizes } from '../tls/tables';
import { diagnose, indexTimes, type ConversationDiagnosis } from '../engine/diagnosis';
import { verdictText } from './verdict-text';
import { explainHttp2, explainHttp2Parts } from './explain-http2';
import { classifyHttp2, h2Text, http2Kind, http2Label, isHiddenControl, partsStream, sizeText, visibleItems, type H2Item } from './http2-steps';
import type { Http2Parser } from '../http2/parser';
import { explainStep, headerFacts, labelWords, ladderTitle, segmentContents, type ExplainContext, type Explained } from './explain';
import type { DiagnosisFacts, MalformedFact, Span } from '../engine/diagnosis-facts';

type HeartbeatFact = NonNullable<DiagnosisFacts['tls']>['heartbeats'][number];
import {
  defaultLadderOptions,
  type LadderHole,
  type LadderModel,
  type LadderOptions,
  type LadderStep,
  type Phase,
  type PhaseSpan,
  type RttBracket,
  type Side,
  type StepKind,
  type TcpStateName,
} from './model';

const FIN = 0x001;
const SYN = 0x002;
const RST = 0x004;
const PSH = 0x008;
const ACK = 0x010;
const URG = 0x020;


// ---------------------------------------------------------------------------------------------
// What the builder knows about each packet and step (also read by explain.ts)
// ---------------------------------------------------------------------------------------------

/** One replayed TCP packet, as the ladder needs it. */
export interface PacketFacts {
  /** 0-based capture row and 1-based frame number. */
  row: number;
  number: number;
  /** Seconds since the conversation's first packet. */
  time: number;
  from: Side;
  flags: number;
  /** Relative sequence and acknowledgment numbers, payload length (tcp.len). */
  seq: number;
  ack: number;
  len: number;
  analysis: number;
  /** TCP options of this segment (-1 / false when absent). */
  mss: number;
  windowScale: number;
  sackPermitted: boolean;
  clientBefore: TcpStateName;
  clientAfter: TcpStateName;
  serverBefore: TcpStateName;
  serverAfter: TcpStateName;
  comments: string[];
}

/** What a TLS record contributes to the step of the packet in which it completed. */
export type TlsItem =
  | { t: 'message'; msg: TlsHandshakeMessage; record: TlsRecord }
  | { t: 'ccs'; record: TlsRecord; tls13: boolean }
  /** TLS ≤ 1.2: the first encrypted handshake record after ChangeCipherSpec is always Finished (RFC 5246 §7.4.9). */
  | { t: 'finished'; record: TlsRecord }
  /** TLS ≤ 1.2: an encrypted handshake record that is not that Finished (renegotiation, or CCS not seen). */
  | { t: 'encrypted-handshake'; record: TlsRecord }
  /** TLS 1.3: a handshake record encrypted with the handshake keys (recognised by its position). */
  | { t: 'encrypted-handshake-13'; record: TlsRecord; role: Side }
  /** A handshake record holding only the start of a message that completes in a later record. */
  | { t: 'fragment'; record: TlsRecord }
  | { t: 'alert'; record: TlsRecord; alert: TlsAlert }
  /** TLS 1.3: a sender's last record whose size is exactly that of an encrypted alert. */
  | { t: 'alert-guess'; record: TlsRecord }
  | { t: 'app-data'; record: TlsRecord; hint: 'tickets' | 'early-data' | null }
  | { t: 'other'; record: TlsRecord; title: string };

export type HttpItem =
  | { t: 'request'; msg: HttpRequest; tx: HttpTransaction }
  | { t: 'response'; msg: HttpResponse; tx: HttpTransaction; interim: boolean }
  /** A packet that carries only more of a message begun earlier (its body, usually). */
  | { t: 'body'; msg: HttpRequest | HttpResponse; tx: HttpTransaction; bytes: number };

/** A TCP segment carrying part of a TLS record that completes in a later packet. */
export interface TlsSegment {
  record: TlsRecord;
  bytes: number;
  /** What the record turned out to be (the item it makes where it completes). */
  role: TlsItem['t'];
}

/** The TCP role of a step's packet, as the explanations distinguish them. */
export type TcpRole =
  | 'syn'
  | 'syn-again'
  /** A SYN after the connection was reset or closed: a new attempt on the same ports. */
  | 'syn-restart'
  | 'syn-ack'
  | 'syn-ack-again'
  | 'handshake-ack'
  | 'fin'
  | 'rst'
  | 'state-ack'
  | 'ack'
  | 'data';

export interface StepFacts {
  from: Side;
  packets: PacketFacts[];
  role: TcpRole;
  tls: TlsItem[];
  segments: TlsSegment[];
  http: HttpItem[];
  /** HTTP/2: the preface, frames completed in the packet, parts of frames completing later. */
  h2: H2Item[];
  /** HTTP/2 control-only packets folded away after this step (frame numbers). */
  foldedControl: number[];
  /** Frame of the segment this one retransmits (first copy), 0 when not a retransmission. */
  retransmits: number;
  /** Malformed bytes in this step's packets (diagnosis facts), in capture order. */
  malformed: MalformedFact[];
  /** Heartbeats completing in this step's packets, as the diagnosis read them. */
  heartbeats: HeartbeatFact[];
  /** Collapsed application data (set on summarised steps). */
  folded: { packets: number; bytes: number } | null;
  /** Pure ACKs folded away after this step (frame numbers). */
  foldedAcks: number[];
  kind: StepKind;
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/** Bad input for a ladder: no such stream, not TCP, no packets. The CLI prints the message. */
export class LadderInputError extends Error {
  override name = 'LadderInputError';
}

export interface LadderContext {
  /** File name shown in the header (default: none). */
  capture?: string;
  /** The tcp.stream number of the conversation in the full pass (replays number from 0). */
  stream?: number;
  /** Application parsers (default: TLS and HTTP, decrypting with the source's keys). */
  appFactories?: readonly AppParserFactory[];
  /** ladderFromFile: TLS keys from the command line (the file's DSBs are added to them). */
  tlsKeys?: TlsKeyStore;
  /** Rows of the conversation (default: the index's rows of `conversation`). */
  rows?: readonly number[];
  /**
   * The conversation's diagnosis from the whole-file pass (engine/diagnosis.ts), so the ladder's
   * verdict and sentences speak of the same facts as the conversations table; without it the
   * replay's own diagnosis is used (the same computation on the same packets).
   */
  diagnosis?: ConversationDiagnosis;
}

/**
 * The ladder of conversation `conversation` (its id in the full pass, i.e. the index's stream
 * column) of an open capture: replays its rows (with TLS record → packet maps) and builds the model.
 * This is what the engine service calls.
 */
export function buildLadder(src: ReplaySource, conversation: number, options: Partial<LadderOptions> = {}, context: LadderContext = {}): LadderModel {
  const opts: LadderOptions = { ...defaultLadderOptions, ...options };
  const rows = context.rows ?? src.index.rowsOfStream(conversation);
  if (rows.length === 0) throw new LadderInputError(`conversation ${conversation} has no packets`);
  const packets: PacketFacts[] = [];
  let t0Sec = 0;
  let t0Nsec = 0;
  const stream = context.stream;
  const analyzer = replay(src, {
    rows,
    keepSpans: true,
    appFactories: context.appFactories ?? defaultAppFactories({ tlsKeys: src.tlsKeys ?? null }),
    ...(stream !== undefined ? { streamOf: (row: number) => (row === rows[0] ? stream : undefined) } : {}),
    onPacket: (p, row) => {
      if (p.flowDir < 0 || p.l4 !== 6) return;
      if (packets.length === 0) {
        t0Sec = p.tsSec;
        t0Nsec = p.tsNsec;
      }
      packets.push({
        row,
        number: p.number,
        time: p.tsSec - t0Sec + (p.tsNsec - t0Nsec) / 1e9,
        from: p.flowDir === 0 ? 'client' : 'server',
        flags: p.tcpFlags,
        seq: p.tcpRelSeq,
        ack: p.tcpRelAck,
        len: p.payloadWireLength,
        analysis: p.analysis,
        mss: p.tcpMss,
        windowScale: p.tcpWindowScale,
        sackPermitted: p.tcpSackPermitted,
        clientBefore: stateName(p.tcpClientStateBefore),
        clientAfter: stateName(p.tcpClientStateAfter),
        serverBefore: stateName(p.tcpServerStateBefore),
        serverAfter: stateName(p.tcpServerStateAfter),
        comments: src.comments(row).slice(),
      });
    },
  });
  const conv = analyzer.flows.conversations.find((c) => c.firstRow === rows[0]) ?? analyzer.flows.conversations[0];
  if (conv === undefined || conv.proto !== 6 || conv.tcp === null) {
    throw new LadderInputError(`conversation ${conversation} is not a TCP connection; ladders are drawn for TCP`);
  }
  const startEpoch = src.index.tsSec(rows[0]!) + src.index.tsNsec(rows[0]!) / 1e9;
  const diagnosis = context.diagnosis ?? diagnose(conv, indexTimes(src.index));
  return modelOf(conv, packets, analyzer.addresses, opts, { capture: context.capture ?? '', conversation, startEpoch, diagnosis });
}

/**
 * Reads a capture file and builds the ladder of TCP stream `stream` (the tcp.stream number
 * `wireladder flows` prints). Throws LadderInputError (listing the streams there are) when the
 * stream does not exist.
 */
export async function ladderFromFile(path: string, stream: number, options: Partial<LadderOptions> = {}, context: Omit<LadderContext, 'stream' | 'rows'> = {}): Promise<LadderModel> {
  const gz = detectFormat(readHead(path)) === 'gzip';
  const store = gz ? RecordStore.spooled() : RecordStore.forFile(path);
  try {
    const appFactories = context.appFactories;
    // A compacting pass finds the stream in a capture of any size; the ladder replays its packets.
    const { analyzer } = await analyzeFile(path, {
      compact: true,
      summaryOnly: true,
      ...(appFactories !== undefined ? { appFactories } : {}),
      ...(context.tlsKeys !== undefined ? { tlsKeys: context.tlsKeys } : {}),
      ...(gz ? { onChunk: (chunk: Uint8Array, offset: number) => store.append(chunk, offset) } : {}),
    });
    const conversations = analyzer.flows.store;
    const tcpIds: number[] = [];
    for (let id = 0; id < conversations.count; id++) if (conversations.proto(id) === 6) tcpIds.push(id);
    const id = tcpIds.find((c) => conversations.stream(c) === stream);
    if (id === undefined) {
      const list = tcpIds.map((c) => conversations.stream(c));
      const shown = list.length > 20 ? `${list.slice(0, 20).join(', ')}, … (${list.length} in all)` : list.join(', ');
      throw new LadderInputError(
        list.length === 0 ? `${basename(path)} has no TCP streams` : `${basename(path)} has no TCP stream ${stream}; TCP streams: ${shown}`,
      );
    }
    const index = analyzer.index;
    const src: ReplaySource = {
      index,
      interfaces: analyzer.interfaces,
      bytes: (row) => store.read(index.fileOffset(row), index.caplen(row)),
      comments: (row) => index.comments.get(row) ?? [],
      tlsKeys: analyzer.tlsKeys,
    };
    return buildLadder(src, id, options, { capture: context.capture ?? basename(path), stream, ...(appFactories !== undefined ? { appFactories } : {}) });
  } finally {
    store.close();
  }
}

function readHead(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(8);
    const n = readSync(fd, buf, 0, 8, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function stateName(state: number): TcpStateName {
  return (state < 0 ? 'CLOSED' : tcpStateName(state)) as TcpStateName;
}

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

interface ModelMeta {
  capture: string;
  conversation: number;
  startEpoch: number;
  diagnosis: ConversationDiagnosis;
}

function modelOf(conv: Conversation, packets: PacketFacts[], addresses: AddressTable, opts: LadderOptions, meta: ModelMeta): LadderModel {
  const tcp = conv.tcp!;
  const tls = tlsOf(conv);
  const http = httpOf(conv);
  const tlsMap = tls !== null ? classifyTls(tls) : { items: new Map<number, TlsItem[]>(), segments: new Map<number, TlsSegment[]>() };
  const httpMap = http !== null ? classifyHttp(http) : new Map<number, HttpItem[]>();
  const h2 = http2Of(conv);
  const h2Map = h2 !== null ? classifyHttp2(h2) : new Map<number, H2Item[]>();
  const showControl = opts.showControlFrames === true;
  const transportData: StepKind = tls !== null ? 'tls-app-data' : 'tcp-data';

  refusedWasClosed(packets, meta.diagnosis.facts);
  // One raw step per packet.
  let steps: StepFacts[] = [];
  let synSeen = false;
  let synAckSeen = false;
  const restarts = new Set(meta.diagnosis.facts.tcp.attempts.map((a) => a.restartFrame));
  const malformedAt = new Map<number, MalformedFact[]>();
  for (const m of meta.diagnosis.facts.tls?.problems ?? []) malformedAt.set(m.frame, [...(malformedAt.get(m.frame) ?? []), m]);
  for (let i = 0; i < packets.length; i++) {
    const pf = packets[i]!;
    const f = pf.flags;
    let role: TcpRole;
    if ((f & RST) !== 0) role = 'rst';
    else if ((f & (SYN | ACK)) === SYN && restarts.has(pf.number)) {
      role = 'syn-restart';
      synAckSeen = false;
    } else if ((f & (SYN | ACK)) === SYN) {
      role = synSeen ? 'syn-again' : 'syn';
      synSeen = true;
    } else if ((f & (SYN | ACK)) === (SYN | ACK)) {
      role = synAckSeen ? 'syn-ack-again' : 'syn-ack';
      synAckSeen = true;
    } else if ((f & FIN) !== 0) role = 'fin';
    else if (pf.len > 0) role = 'data';
    else if (pf.row === tcp.handshake.ackRow) role = 'handshake-ack';
    else if (pf.clientAfter !== pf.clientBefore || pf.serverAfter !== pf.serverBefore) role = 'state-ack';
    else role = 'ack';
    const step: StepFacts = {
      from: pf.from,
      packets: [pf],
      role,
      tls: tlsMap.items.get(pf.row) ?? [],
      segments: tlsMap.segments.get(pf.row) ?? [],
      http: httpMap.get(pf.row) ?? [],
      h2: h2Map.get(pf.row) ?? [],
      foldedControl: [],
      retransmits: (pf.analysis & RETRANSMISSION) !== 0 && role !== 'syn-restart' ? firstCopy(packets, i) : 0,
      malformed: malformedAt.get(pf.number) ?? [],
      heartbeats: (meta.diagnosis.facts.tls?.heartbeats ?? []).filter((b) => b.frame === pf.number && b.side === pf.from),
      folded: null,
      foldedAcks: [],
      kind: 'ack',
    };
    step.kind = kindOf(step);
    // HTTP/2 names the step, but an HTTP/1.1 message in the same packet (the 101 of an Upgrade) comes first.
    if (step.h2.length > 0 && step.http.length === 0 && step.kind !== 'rst' && step.kind !== 'retransmission') {
      step.kind = http2Kind(visibleItems(step.h2, showControl), transportData) ?? step.kind;
    }
    steps.push(step);
  }

  steps = splitEarlyData(steps);
  if (h2 !== null && !showControl) steps = foldHttp2Control(steps);
  if (!opts.showAcks) steps = foldAcks(steps);
  if (opts.collapseAppData > 0) steps = collapseData(steps, opts.collapseAppData);

  const facts = meta.diagnosis.facts;
  // The row completing the TLS handshake, as the diagnosis judged it (Infinity: never; −1: no TLS).
  const doneRow = tls === null ? -1 : facts.tls !== null && facts.tls.complete ? facts.tls.doneFrame - 1 : Infinity;
  for (const s of steps) if (s.kind === 'tls-alert' && closesInOrder(s, doneRow)) s.kind = 'tls-close';
  const ctx: ExplainContext = {
    language: opts.language,
    conv,
    tls,
    http,
    packets,
    steps,
    serverPort: conv.clientIsA ? conv.portB : conv.portA,
    tlsDoneRow: doneRow,
    facts,
  };

  const phases = phasesOf(steps, doneRow);
  const out: LadderStep[] = [];
  let flight = 0;
  let prevFrom: Side | null = null;
  let prevClient = packets[0]?.clientBefore ?? 'CLOSED';
  let prevServer = packets[0]?.serverBefore ?? 'CLOSED';
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.from !== prevFrom) flight++;
    prevFrom = s.from;
    const first = s.packets[0]!;
    const last = s.packets[s.packets.length - 1]!;
    const annotations: { packet: number; text: string }[] = [];
    for (const p of s.packets) for (const text of p.comments) annotations.push({ packet: p.number, text });
    const explained = h2 !== null ? explainWithHttp2(s, ctx, h2, showControl) : explainStep(s, ctx);
    const step: LadderStep = {
      index: i + 1,
      time: first.time,
      from: s.from,
      packets: s.packets.map((p) => p.number),
      label: labelOf(s, opts.language, h2 !== null ? { parser: h2, showControl } : null),
      kind: s.kind,
      phase: phases[i]!,
      flight,
      clientState: last.clientAfter,
      serverState: last.serverAfter,
      clientStateChanged: last.clientAfter !== prevClient,
      serverStateChanged: last.serverAfter !== prevServer,
      explanation: explained.text,
      annotations,
      folded: s.folded,
      says: explained.says,
    };
    if (s.foldedAcks.length > 0) step.foldedAcks = s.foldedAcks;
    const problems = [...s.malformed.map((m) => m.reason), ...s.heartbeats.filter((b) => b.anomaly !== null).map((b) => heartbeatProblem(b))];
    if (problems.length > 0) step.problem = problems.join('; ');
    if (s.foldedControl.length > 0) step.foldedControl = s.foldedControl;
    prevClient = last.clientAfter;
    prevServer = last.serverAfter;
    out.push(step);
  }

  const clientLabel = endpointText(addresses, conv.clientIsA ? conv.addrA : conv.addrB, conv.clientIsA ? conv.portA : conv.portB);
  const serverLabel = endpointText(addresses, conv.clientIsA ? conv.addrB : conv.addrA, conv.clientIsA ? conv.portB : conv.portA);
  const addrText = (id: number): string => addresses.text(id);
  const verdict = verdictText(meta.diagnosis, opts.language);
  const model: LadderModel = {
    title: ladderTitle(ctx),
    capture: meta.capture,
    conversation: meta.conversation,
    stream: conv.stream,
    protocol: 'TCP',
    client: {
      address: addrText(conv.clientIsA ? conv.addrA : conv.addrB),
      port: conv.clientIsA ? conv.portA : conv.portB,
      label: clientLabel,
      role: 'client',
    },
    server: {
      address: addrText(conv.clientIsA ? conv.addrB : conv.addrA),
      port: conv.clientIsA ? conv.portB : conv.portA,
      label: serverLabel,
      role: 'server',
    },
    startEpoch: meta.startEpoch,
    steps: out,
    brackets: bracketsOf(steps, out, facts, opts.language),
    holes: holesOf(steps, facts),
    phases: spansOf(out),
    verdict,
    diagnosis: facts,
    language: opts.language,
    facts: headerFacts(ctx),
  };
  if (h2 !== null) {
    const s = h2.session;
    const L = opts.language;
    const streams = s.streamCount === 1 ? h2Text(L, 'unit.stream') : h2Text(L, 'unit.streams', { n: s.streamCount });
    const requests = s.requests === 1 ? h2Text(L, 'unit.request') : h2Text(L, 'unit.requests', { n: s.requests });
    model.facts.push({ label: h2Text(L, 'fact.http2'), value: h2Text(L, 'fact.http2.value', { streams, requests, resets: s.resets > 0 ? h2Text(L, 'unit.resets', { n: s.resets }) : '' }) });
    model.http2 = { controlFrames: s.frameRecords.filter(isHiddenControl).length };
    // Without TLS the connection is named by its HTTP/2 (over TLS, the TLS title says more).
    if (tls === null) model.title = h2Text(L, s.start === 'upgrade' ? 'title.upgrade' : 'title.h2c');
  }
  return model;
}

/**
 * A SYN the server answered with RST (and no SYN/ACK) found the port closed: the server was never
 * listening, so it is CLOSED throughout that attempt, not SYN_RECEIVED as the SYN alone suggested.
 */
function refusedWasClosed(packets: PacketFacts[], facts: DiagnosisFacts): void {
  const restarts = new Set(facts.tcp.attempts.map((a) => a.restartFrame));
  let start = 0;
  for (let i = 0; i <= packets.length; i++) {
    if (i < packets.length && !(restarts.has(packets[i]!.number) && i > start)) continue;
    const attempt = packets.slice(start, i);
    const rst = attempt.findIndex((p) => p.from === 'server' && (p.flags & RST) !== 0);
    const answered = attempt.findIndex((p) => p.from === 'server' && (p.flags & (SYN | ACK)) === (SYN | ACK));
    if (rst >= 0 && (answered < 0 || answered > rst) && attempt.some((p) => (p.flags & (SYN | ACK)) === SYN)) {
      for (const p of attempt.slice(0, rst + 1)) {
        p.serverBefore = 'CLOSED';
        p.serverAfter = 'CLOSED';
      }
    }
    start = i;
  }
}

/** A heartbeat anomaly in a few words (the step's problem; the sentence tells the rest). */
function heartbeatProblem(b: HeartbeatFact): string {
  return b.anomaly === 'response-larger'
    ? `heartbeat response of ${b.length} bytes to a request of ${b.requestLength ?? 0} bytes (Heartbleed, CVE-2014-0160)`
    : `heartbeat payload_length ${b.payloadLength ?? 0} beyond its ${b.length}-byte record (Heartbleed, CVE-2014-0160)`;
}

/**
 * The step's explanation when the connection speaks HTTP/2: its frames, plus what TCP says of a FIN
 * or RST (whose sentences are the step's claims).
 */
function explainWithHttp2(s: StepFacts, ctx: ExplainContext, h2: Http2Parser, showControl: boolean): Explained {
  const L = ctx.language;
  const h2ctx = { language: L, h2, overTls: ctx.tls !== null };
  if (s.folded !== null) {
    const stream = partsStream(s.h2);
    if (stream !== null) return { text: explainHttp2Parts(stream, s.folded.packets, s.folded.bytes, L), says: [] };
    return explainStep(s, ctx);
  }
  const visible = visibleItems(s.h2, showControl);
  if (visible.length === 0) return explainStep(s, ctx);
  const hidden = s.foldedControl.length;
  const sep = L === 'zh-CN' ? '' : ' ';
  const text = explainHttp2(visible, hidden, h2ctx, s.http.length > 0 ? 2 : 5);
  // The HTTP/1.1 message of an Upgrade comes first; a FIN or RST is TCP's to explain.
  if (s.http.length > 0) {
    const before = explainStep({ ...s, h2: [] }, ctx);
    return { text: `${before.text}${sep}${text}`, says: before.says };
  }
  if (s.role === 'fin' || s.role === 'rst') {
    const tcp = explainStep({ ...s, h2: [], tls: [], http: [] }, ctx);
    return { text: `${text}${sep}${tcp.text}`, says: tcp.says };
  }
  return { text, says: [] };
}

/** Packets that carry only hidden HTTP/2 control frames join the step before them. */
function foldHttp2Control(steps: StepFacts[]): StepFacts[] {
  const out: StepFacts[] = [];
  for (const s of steps) {
    const p = s.packets[0]!;
    const onlyHidden = s.h2.length > 0 && s.h2.every((x) => x.t === 'frame' && isHiddenControl(x.rec));
    const quiet = s.role === 'data' && p.comments.length === 0 && s.tls.every((x) => x.t === 'app-data') && s.http.length === 0 && s.retransmits === 0;
    if (onlyHidden && quiet && out.length > 0) {
      out[out.length - 1]!.foldedControl.push(p.number);
      continue;
    }
    out.push(s);
  }
  return out;
}

/** The first packet from the same side whose bytes this retransmission repeats. */
function firstCopy(packets: PacketFacts[], i: number): number {
  const p = packets[i]!;
  for (let j = 0; j < i; j++) {
    const q = packets[j]!;
    if (q.from !== p.from) continue;
    const qEnd = q.seq + q.len + ((q.flags & (SYN | FIN)) !== 0 ? 1 : 0);
    if (q.seq === p.seq || (p.seq >= q.seq && p.seq < qEnd)) return q.number;
  }
  return 0;
}

/**
 * The step's alerts end the TLS session in order: each is a close_notify, or (once the handshake
 * is done) an encrypted alert or a record the size of one, which at that point is almost always
 * close_notify (TLS 1.2 and 1.3 both encrypt it). Drawn as a closing step, not as an error; an
 * alert inside the handshake, or any other alert in the clear, stays a 'tls-alert'.
 */
function closesInOrder(s: StepFacts, doneRow: number): boolean {
  const afterHandshake = firstRowOf(s) > doneRow;
  let alerts = 0;
  for (const x of s.tls) {
    if (x.t === 'alert') {
      alerts++;
      if (x.alert.name === 'close_notify' && !x.alert.encrypted) continue;
      if ((x.alert.encrypted || x.alert.name === null) && afterHandshake) continue;
      return false;
    }
    if (x.t === 'alert-guess') {
      alerts++;
      if (!afterHandshake) return false;
    }
  }
  return alerts > 0;
}

function kindOf(s: StepFacts): StepKind {
  const p = s.packets[0]!;
  if (s.role === 'rst') return 'rst';
  // A SYN or SYN/ACK sent again is a retransmission whatever the analysis flags say.
  if (s.role === 'syn-restart') return 'tcp-control';
  if (s.retransmits !== 0 || (p.analysis & RETRANSMISSION) !== 0 || s.role === 'syn-again' || s.role === 'syn-ack-again') return 'retransmission';
  if (s.http.length > 0) {
    const h = s.http[0]!;
    if (h.t === 'request') return 'http-request';
    if (h.t === 'response') return 'http-response';
    return h.msg.kind === 'request' ? 'http-request' : 'http-response';
  }
  const tls = s.tls;
  if (tls.length > 0) {
    if (tls.some((x) => x.t === 'alert' && x.alert.level === 2) || s.heartbeats.some((b) => b.anomaly !== null)) return 'tls-alert';
    if (tls.some((x) => x.t === 'message' || x.t === 'encrypted-handshake-13' || x.t === 'fragment' || x.t === 'encrypted-handshake')) return 'tls-handshake';
    if (tls.some((x) => x.t === 'ccs' || x.t === 'finished')) return 'tls-ccs';
    if (tls.some((x) => x.t === 'alert' || x.t === 'alert-guess')) return 'tls-alert';
    return 'tls-app-data';
  }
  if (s.segments.length > 0) {
    const role = s.segments[0]!.role;
    return role === 'app-data' ? 'tls-app-data' : role === 'alert' || role === 'alert-guess' ? 'tls-alert' : 'tls-handshake';
  }
  if (p.len > 0) return 'tcp-data';
  if ((p.flags & (SYN | FIN)) !== 0) return 'tcp-control';
  return 'ack';
}

// ---------------------------------------------------------------------------------------------
// TLS records and HTTP messages → packets
// ---------------------------------------------------------------------------------------------

function push<T>(map: Map<number, T[]>, row: number, item: T): void {
  const list = map.get(row);
  if (list === undefined) map.set(row, [item]);
  else list.push(item);
}

/**
 * Which step each TLS record belongs to, and what it is. TLS 1.3 hides the handshake after
 * ServerHello in records of type application_data: their place tells them apart — the server's
 * records up to the client's first encrypted flight are its handshake flight, the client's first
 * records up to one exactly the size of an encrypted Finished are its handshake flight (RFC 8446
 * §2, §5.2), the client's records before ServerHello are 0-RTT early data.
 */
export function classifyTls(tls: TlsParser): { items: Map<number, TlsItem[]>; segments: Map<number, TlsSegment[]> } {
  const items = new Map<number, TlsItem[]>();
  const segments = new Map<number, TlsSegment[]>();
  const s: TlsSession = tls.session;
  const clientDir = s.clientDir;
  const records = tls.records;
  const v13 = s.version === 0x0304;

  const role13 = new Map<TlsRecord, TlsItem['t']>();
  const hint13 = new Map<TlsRecord, 'tickets' | 'early-data'>();
  if (v13) {
    const { finished: finishedLen, alert: alertLen } = tls13RecordSizes(s.cipherSuite);
    const shRow = s.serverHelloRow;
    // Decrypted records are read as what they are; only records still sealed are told by place.
    const enc = (r: TlsRecord): boolean => r.contentType === 23 && r.decryption !== 'decrypted';
    const client = records.filter((r) => r.dir === clientDir && enc(r));
    const server = records.filter((r) => r.dir !== clientDir && enc(r));
    const clientAfter = shRow >= 0 ? client.filter((r) => r.completedRow > shRow) : [];
    if (shRow >= 0) for (const r of client) if (r.completedRow < shRow) hint13.set(r, 'early-data');
    // The client's handshake flight: up to its Finished (by size), else its first record.
    let hsCount = 0;
    for (let i = 0; i < clientAfter.length && i < 8; i++) {
      if (clientAfter[i]!.length === finishedLen) {
        hsCount = i + 1;
        break;
      }
    }
    if (hsCount === 0 && clientAfter.length > 0) {
      const firstRow = clientAfter[0]!.completedRow;
      hsCount = clientAfter.filter((r) => r.completedRow === firstRow).length;
    }
    const clientHs = clientAfter.slice(0, hsCount);
    for (const r of clientHs) role13.set(r, 'encrypted-handshake-13');
    const clientFinRow = clientHs.length > 0 ? clientHs[clientHs.length - 1]!.completedRow : Infinity;
    const clientFirstRow = clientHs.length > 0 ? clientHs[0]!.completedRow : Infinity;
    const clientApp = clientAfter.slice(hsCount);
    const clientAppRow = clientApp.length > 0 ? clientApp[0]!.completedRow : Infinity;
    if (shRow >= 0) {
      for (const r of server) {
        if (r.completedRow >= shRow && r.completedRow < clientFirstRow) role13.set(r, 'encrypted-handshake-13');
        else if (r.completedRow > clientFinRow && r.completedRow < clientAppRow) hint13.set(r, 'tickets');
      }
    }
    // A sender's last record the size of an encrypted alert: its close_notify, most likely.
    for (const list of [clientApp, server.filter((r) => !role13.has(r))]) {
      const last = list[list.length - 1];
      if (last !== undefined && last.length === alertLen) role13.set(last, 'alert-guess');
    }
  }

  const ccsSeen = [false, false];
  const finishedSeen = [false, false];
  for (const r of records) {
    const row = r.completedRow;
    const side: Side = r.dir === clientDir ? 'client' : 'server';
    if (r.decryption === 'decrypted' && r.innerType !== null) {
      // RFC 8446 §2.3: the client's application data before the ServerHello is 0-RTT early data.
      const early = v13 && r.dir === clientDir && r.innerType === 23 && (s.serverHelloRow >= 0 ? row < s.serverHelloRow : s.earlyData);
      decryptedItem(items, r, early);
      continue;
    }
    switch (r.contentType) {
      case 20:
        ccsSeen[r.dir] = true;
        push(items, row, { t: 'ccs', record: r, tls13: v13 });
        break;
      case 21:
        if (r.alert !== null) push(items, row, { t: 'alert', record: r, alert: r.alert });
        break;
      case 22:
        if (r.encrypted) {
          if (ccsSeen[r.dir] && !finishedSeen[r.dir]) {
            finishedSeen[r.dir] = true;
            push(items, row, { t: 'finished', record: r });
          } else push(items, row, { t: 'encrypted-handshake', record: r });
        } else if (r.messages.length === 0) {
          push(items, row, { t: 'fragment', record: r });
        } else {
          for (const msg of r.messages) push(items, row, { t: 'message', msg, record: r });
        }
        break;
      case 23: {
        const role = role13.get(r);
        if (role === 'encrypted-handshake-13') push(items, row, { t: 'encrypted-handshake-13', record: r, role: side });
        else if (role === 'alert-guess') push(items, row, { t: 'alert-guess', record: r });
        else push(items, row, { t: 'app-data', record: r, hint: hint13.get(r) ?? null });
        break;
      }
      default:
        if (r.sslv2 && r.messages.length > 0) for (const msg of r.messages) push(items, row, { t: 'message', msg, record: r });
        else push(items, row, { t: 'other', record: r, title: r.sslv2 ? 'SSLv2 record' : contentTypeTitle(r.contentType) });
        break;
    }
  }

  // Packets that carried part of a record completing later.
  if (tls.host.keepsSpans) {
    const roleOf = new Map<TlsRecord, TlsItem['t']>();
    for (const list of items.values()) for (const x of list) roleOf.set(x.record, x.t);
    for (const r of records) {
      const spans = tls.host.spans(r.dir, r.streamOffset, r.streamOffset + r.headerLength + r.length);
      for (const sp of spans) {
        if (sp.row === r.completedRow) continue;
        const list = segments.get(sp.row);
        const known = list?.find((x) => x.record === r);
        if (known !== undefined) known.bytes += sp.length;
        else push(segments, sp.row, { record: r, bytes: sp.length, role: roleOf.get(r) ?? 'other' });
      }
    }
  }
  return { items, segments };
}

/**
 * A decrypted record (key log, DSB or RSA key) by its real content type: the handshake messages
 * inside (TLS 1.3's EncryptedExtensions … Finished, NewSessionTicket, KeyUpdate; TLS 1.2's
 * Finished), a readable alert, or application data whose HTTP the inner parser shows.
 */
function decryptedItem(items: Map<number, TlsItem[]>, r: TlsRecord, early: boolean): void {
  const row = r.completedRow;
  if (r.innerType === 22) {
    if (r.messages.length === 0) push(items, row, { t: 'fragment', record: r });
    else for (const msg of r.messages) push(items, row, { t: 'message', msg, record: r });
  } else if (r.innerType === 21 && r.alert !== null) push(items, row, { t: 'alert', record: r, alert: r.alert });
  else if (r.innerType === 23) push(items, row, { t: 'app-data', record: r, hint: early ? 'early-data' : null });
  else push(items, row, { t: 'other', record: r, title: contentTypeTitle(r.innerType!) });
}

/** HTTP messages by the packet that carried their first byte, and the packets carrying the rest. */
function classifyHttp(http: HttpParser): Map<number, HttpItem[]> {
  const map = new Map<number, HttpItem[]>();
  // The parser's own host: the TCP connection, or (inside decrypted TLS) the TLS records' map.
  const host = http.streamHost;
  const bodyRows = new Map<number, HttpItem & { t: 'body' }>();
  for (const tx of http.session.transactions) {
    const msgs: (HttpRequest | HttpResponse)[] = [];
    if (tx.request !== null) msgs.push(tx.request);
    msgs.push(...tx.interim);
    if (tx.response !== null) msgs.push(tx.response);
    for (const msg of msgs) {
      if (msg.startRow >= 0) {
        if (msg.kind === 'request') push(map, msg.startRow, { t: 'request', msg, tx });
        else push(map, msg.startRow, { t: 'response', msg, tx, interim: msg !== tx.response });
      }
      if (!host.keepsSpans) continue;
      const dir = msg.kind === 'request' ? 0 : 1;
      for (const sp of host.spans(dir, msg.streamOffset, Math.max(msg.bodyEnd, msg.headerEnd))) {
        if (sp.row === msg.startRow) continue;
        const key = sp.row * 2 + dir;
        const known = bodyRows.get(key);
        if (known !== undefined && known.msg === msg) {
          known.bytes += sp.length;
          continue;
        }
        const item = { t: 'body' as const, msg, tx, bytes: sp.length };
        bodyRows.set(key, item);
        push(map, sp.row, item);
      }
    }
  }
  return map;
}

// ---------------------------------------------------------------------------------------------
// Folding and collapsing
// ---------------------------------------------------------------------------------------------

const isEarly = (x: TlsItem): boolean => x.t === 'app-data' && x.hint === 'early-data';

/**
 * A packet carrying the ClientHello and 0-RTT early data (RFC 8446 §2.3) becomes two steps on the
 * same packet: the hello, then the early data (and the HTTP request in it), so what the client
 * sent before any answer has its own arrow and explanation.
 */
function splitEarlyData(steps: StepFacts[]): StepFacts[] {
  const out: StepFacts[] = [];
  for (const s of steps) {
    const early = s.tls.filter(isEarly);
    if (early.length === 0 || early.length === s.tls.length) {
      out.push(s);
      continue;
    }
    const hello: StepFacts = { ...s, tls: s.tls.filter((x) => !isEarly(x)), http: [], h2: [] };
    hello.kind = kindOf(hello);
    const data: StepFacts = { ...s, tls: early, segments: [] };
    data.kind = kindOf(data);
    out.push(hello, data);
  }
  return out;
}

/** Pure ACKs that change no state and carry no note are folded into the step before them. */
function foldAcks(steps: StepFacts[]): StepFacts[] {
  const out: StepFacts[] = [];
  for (const s of steps) {
    const p = s.packets[0]!;
    const foldable = s.role === 'ack' && s.kind === 'ack' && p.comments.length === 0;
    if (foldable && out.length > 0) {
      out[out.length - 1]!.foldedAcks.push(p.number);
      continue;
    }
    out.push(s);
  }
  return out;
}

function collapsible(s: StepFacts): boolean {
  if (s.kind !== 'tls-app-data' && s.kind !== 'tcp-data') return false;
  if (s.role !== 'data' || s.packets.length !== 1) return false;
  const p = s.packets[0]!;
  // What must stay visible: notes, malformed bytes, a hole before the segment.
  if (p.comments.length > 0 || s.malformed.length > 0 || (p.analysis & Analysis.LostSegment) !== 0) return false;
  if (p.clientAfter !== p.clientBefore || p.serverAfter !== p.serverBefore) return false;
  // TLS 1.3 records read by their place (tickets, early data, a likely alert) keep their own step.
  return s.tls.every((x) => x.t === 'app-data' && x.hint === null);
}

/** Runs of more than `limit` data steps from one side become one summarised step. */
function collapseData(steps: StepFacts[], limit: number): StepFacts[] {
  const out: StepFacts[] = [];
  let i = 0;
  while (i < steps.length) {
    const s = steps[i]!;
    let j = i;
    if (collapsible(s)) {
      while (j + 1 < steps.length && collapsible(steps[j + 1]!) && steps[j + 1]!.from === s.from && steps[j + 1]!.kind === s.kind) j++;
    }
    const n = j - i + 1;
    if (n > limit) {
      const run = steps.slice(i, j + 1);
      const packets = run.flatMap((r) => r.packets);
      const bytes = packets.reduce((sum, p) => sum + p.len, 0);
      out.push({
        ...s,
        packets,
        tls: run.flatMap((r) => r.tls),
        segments: run.flatMap((r) => r.segments),
        malformed: run.flatMap((r) => r.malformed),
        heartbeats: run.flatMap((r) => r.heartbeats),
        h2: run.flatMap((r) => r.h2),
        foldedControl: run.flatMap((r) => r.foldedControl),
        folded: { packets: packets.length, bytes },
        foldedAcks: run.flatMap((r) => r.foldedAcks),
      });
    } else {
      for (let k = i; k <= j; k++) out.push(steps[k]!);
    }
    i = j + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

const MESSAGE_NAMES: Record<string, string> = {
  client_hello: 'ClientHello',
  server_hello: 'ServerHello',
  certificate: 'Certificate',
  server_key_exchange: 'ServerKeyExchange',
  certificate_request: 'CertificateRequest',
  server_hello_done: 'ServerHelloDone',
  client_key_exchange: 'ClientKeyExchange',
  certificate_verify: 'CertificateVerify',
  new_session_ticket: 'NewSessionTicket',
  encrypted_extensions: 'EncryptedExtensions',
  certificate_status: 'CertificateStatus',
  key_update: 'KeyUpdate',
  finished: 'Finished',
  hello_request: 'HelloRequest',
  end_of_early_data: 'EndOfEarlyData',
};

export function messageName(m: TlsHandshakeMessage): string {
  if (m.kind === 'server_hello' && m.isHelloRetryRequest) return 'HelloRetryRequest';
  return MESSAGE_NAMES[m.kind] ?? m.title;
}

/** Flag names as tshark's Info column lists them: `SYN, ACK`, `FIN, ACK`, `RST, ACK`. */
export function flagNames(flags: number): string {
  const names: string[] = [];
  if (flags & SYN) names.push('SYN');
  if (flags & FIN) names.push('FIN');
  if (flags & RST) names.push('RST');
  if (flags & PSH) names.push('PSH');
  if (flags & ACK) names.push('ACK');
  if (flags & URG) names.push('URG');
  return names.length > 0 ? names.join(', ') : '<none>';
}

function tcpLabel(p: PacketFacts): string {
  let text = `${flagNames(p.flags)} seq=${p.seq}`;
  if ((p.flags & ACK) !== 0) text += ` ack=${p.ack}`;
  if (p.len > 0) text += ` len=${p.len}`;
  return text;
}

function clientHelloLabel(m: TlsHandshakeMessage & { kind: 'client_hello' }, w: ReturnType<typeof labelWords>): string {
  const parts: string[] = [];
  if (m.sni !== null) parts.push(`SNI ${m.sni}`);
  // Counted as tshark counts them: every entry, signalling values and GREASE included.
  parts.push(w.suites(m.cipherSuites.length));
  return `ClientHello (${parts.join(', ')})`;
}

/**
 * An HTTP/1.x message as the ladder names it: what was asked and what came back, not the version
 * (the header facts give it): `GET /index.html`, `200 OK text/html 4,383 bytes`. The size is the
 * body's (de-chunked), shown when the message has one; the media type when Content-Type names it.
 */
export function httpLabel(msg: HttpRequest | HttpResponse, w: ReturnType<typeof labelWords>): string {
  const parts = msg.kind === 'request' ? [msg.method, msg.uri] : [msg.code > 0 ? String(msg.code) : msg.version, msg.reason];
  if (msg.mediaType !== null) parts.push(msg.mediaType);
  if (msg.framing !== 'none') parts.push(w.bytes(msg.bodyLength));
  return parts.filter((x) => x !== '').join(' ');
}

function labelOf(s: StepFacts, language: LadderOptions['language'], h2: { parser: Http2Parser; showControl: boolean } | null): string {
  const w = labelWords(language);
  const p = s.packets[0]!;
  const h2Visible = h2 !== null ? visibleItems(s.h2, h2.showControl) : [];
  if (s.folded !== null && h2 !== null) {
    const stream = partsStream(s.h2);
    if (stream !== null) return h2Text(language, 'label.parts', { id: stream, n: s.folded.packets, bytes: sizeText(s.folded.bytes) });
  }
  if (s.folded !== null) {
    const what = s.kind === 'tls-app-data' ? 'Application Data' : w.tcpData;
    return `${what} ×${s.folded.packets} (${w.bytes(s.folded.bytes)})`;
  }
  const parts: string[] = [];
  for (const h of s.http) {
    if (h.t === 'request' || h.t === 'response') parts.push(httpLabel(h.msg, w));
    else parts.push(w.httpBody(h.msg.kind === 'request', h.bytes));
  }
  if (h2 !== null && h2Visible.length > 0) parts.push(http2Label(h2Visible, h2.parser, language));
  // 0-RTT records (their own step): named as early data, by what they carry when decrypted.
  const earlyOnly = s.tls.length > 0 && s.tls.every(isEarly);
  if (earlyOnly) {
    const inner = parts.splice(0);
    parts.push(inner.length > 0 ? w.earlyDataOf(inner.join(', ')) : w.earlyData(s.tls.reduce((n, x) => n + x.record.length, 0)));
  }
  const tlsParts: string[] = [];
  const add = (text: string): void => {
    tlsParts.push(text);
  };
  let appRecords = 0;
  let appBytes = 0;
  const flushApp = (): void => {
    if (appRecords === 0) return;
    add(appRecords === 1 ? `Application Data (${w.bytes(appBytes)})` : `Application Data ×${appRecords} (${w.bytes(appBytes)})`);
    appRecords = 0;
    appBytes = 0;
  };
  let enc13 = 0;
  let enc13Bytes = 0;
  const flush13 = (): void => {
    if (enc13 === 0) return;
    add(w.encryptedHandshake(enc13Bytes));
    enc13 = 0;
    enc13Bytes = 0;
  };
  for (const x of earlyOnly ? [] : s.tls) {
    // TLS records whose decrypted HTTP/2 frames the step already names are not listed again.
    if (x.t === 'app-data' && h2Visible.length > 0) continue;
    if (x.t !== 'app-data') flushApp();
    if (x.t !== 'encrypted-handshake-13') flush13();
    switch (x.t) {
      case 'message':
        add(x.msg.kind === 'client_hello' ? clientHelloLabel(x.msg, w) : messageName(x.msg));
        break;
      case 'ccs':
        add('ChangeCipherSpec');
        break;
      case 'finished':
        add(w.finishedEncrypted);
        break;
      case 'encrypted-handshake':
        add(w.encryptedHandshake(x.record.length));
        break;
      case 'encrypted-handshake-13':
        enc13++;
        enc13Bytes += x.record.length;
        break;
      case 'fragment':
        add(w.handshakeFragment(x.record.length));
        break;
      case 'alert':
        add(x.alert.encrypted || x.alert.name === null ? 'Encrypted Alert' : `Alert (${x.alert.level === 2 ? 'fatal' : x.alert.level === 1 ? 'warning' : 'level ' + String(x.alert.level)}): ${x.alert.name}`);
        break;
      case 'alert-guess':
        add(w.alertGuess);
        break;
      case 'app-data':
        // Decrypted application data is named by what it carries (the HTTP parts above).
        if (x.record.decryption === 'decrypted' && s.http.length > 0) break;
        appRecords++;
        appBytes += x.record.length;
        break;
      case 'other': {
        const beat = x.record.contentType === 24 ? s.heartbeats.find((b) => b.frame === x.record.completedRow + 1) : undefined;
        // Named as tshark names heartbeats it cannot decrypt.
        if (beat === undefined) add(x.title);
        else add(beat.type === 'encrypted' ? `Encrypted Heartbeat (${w.bytes(beat.length)})` : `Heartbeat ${beat.type === 'request' ? 'Request' : 'Response'}`);
        break;
      }
    }
  }
  flushApp();
  flush13();
  parts.push(...tlsParts);
  // Malformed bytes the TLS items do not show (a record header that is not one) are named too.
  const malformedBytes = s.malformed.reduce((n, m) => n + m.length, 0);
  if (s.malformed.length > 0) parts.push(w.malformed(malformedBytes));
  if (parts.length === 0 && s.segments.length > 0) {
    parts.push(w.tlsSegment(segmentContents(language, s.segments[0]!), s.segments.reduce((n, x) => n + x.bytes, 0)));
  }
  let label = parts.length > 0 ? parts.join(', ') : tcpLabel(p);
  if (parts.length > 0 && (p.flags & (FIN | RST)) !== 0) label += ` + ${(p.flags & RST) !== 0 ? 'RST' : 'FIN'}`;
  const a = p.analysis;
  if ((a & Analysis.FastRetransmission) !== 0) label = `[Fast Retransmission] ${label}`;
  else if ((a & Analysis.SpuriousRetransmission) !== 0) label = `[Spurious Retransmission] ${label}`;
  else if ((a & Analysis.Retransmission) !== 0 || s.role === 'syn-again' || s.role === 'syn-ack-again') label = `[Retransmission] ${label}`;
  else if ((a & Analysis.OutOfOrder) !== 0) label = `[Out-Of-Order] ${label}`;
  else if ((a & Analysis.DuplicateAck) !== 0) label = `[Dup ACK] ${label}`;
  else if ((a & Analysis.ZeroWindow) !== 0) label = `[Zero Window] ${label}`;
  else if ((a & Analysis.KeepAlive) !== 0) label = `[Keep-Alive] ${label}`;
  else if ((a & Analysis.WindowUpdate) !== 0 && s.kind === 'ack') label = `[Window Update] ${label}`;
  return label;
}


// ---------------------------------------------------------------------------------------------
// Phases and brackets
// ---------------------------------------------------------------------------------------------

function firstRowOf(s: StepFacts): number {
  return s.packets[0]!.row;
}

/**
 * The phase of each step. A SYN starting the connection over (a new attempt on the same ports)
 * starts the phases over: each attempt has its own handshake, and a reset ends only its attempt.
 */
function phasesOf(steps: StepFacts[], doneRow: number): Phase[] {
  const out: Phase[] = [];
  let start = 0;
  for (let i = 1; i <= steps.length; i++) {
    if (i < steps.length && steps[i]!.role !== 'syn-restart') continue;
    out.push(...attemptPhases(steps.slice(start, i), doneRow));
    start = i;
  }
  return out;
}

function attemptPhases(steps: StepFacts[], doneRow: number): Phase[] {
  const lastRowOf = (role: TcpRole): number => {
    const s = steps.find((x) => x.role === role);
    return s === undefined ? -1 : firstRowOf(s);
  };
  const ack = lastRowOf('handshake-ack');
  const synAck = lastRowOf('syn-ack');
  const syn = Math.max(lastRowOf('syn'), lastRowOf('syn-restart'));
  const handshakeEnd = ack >= 0 ? ack : synAck >= 0 ? synAck : syn;
  let tlsStart = Infinity;
  let tlsEnd = -1;
  let teardown = Infinity;
  let rst = Infinity;
  for (const s of steps) {
    for (const p of s.packets) {
      if ((p.flags & RST) !== 0 && p.row < rst) rst = p.row;
      if ((p.flags & FIN) !== 0 && p.row < teardown) teardown = p.row;
    }
    const row = firstRowOf(s);
    for (const x of s.tls) {
      if (x.t === 'message' && x.msg.kind === 'client_hello' && row < tlsStart) tlsStart = row;
      const inHandshake = !(row > doneRow);
      const hs =
        x.t === 'message' ||
        x.t === 'ccs' ||
        x.t === 'finished' ||
        x.t === 'encrypted-handshake-13' ||
        x.t === 'fragment' ||
        (x.t === 'alert' && inHandshake);
      if (hs && inHandshake) tlsEnd = Math.max(tlsEnd, row);
      const closing = (x.t === 'alert' && (x.alert.name === 'close_notify' || x.alert.encrypted)) || x.t === 'alert-guess';
      if (closing && !inHandshake && row < teardown) teardown = row;
    }
  }
  return steps.map((s) => {
    const row = firstRowOf(s);
    if (row >= rst) return 'reset';
    if (row >= teardown) return 'teardown';
    if (row >= tlsStart && row <= tlsEnd) return 'tls-handshake';
    if (handshakeEnd >= 0 && row <= handshakeEnd) return 'tcp-handshake';
    return 'application-data';
  });
}

function spansOf(steps: LadderStep[]): PhaseSpan[] {
  const out: PhaseSpan[] = [];
  for (const s of steps) {
    const last = out[out.length - 1];
    if (last !== undefined && last.phase === s.phase) last.lastStep = s.index;
    else out.push({ phase: s.phase, firstStep: s.index, lastStep: s.index });
  }
  return out;
}

/**
 * Latency brackets, each as the diagnosis defines it (engine/diagnosis.ts): TCP connect (SYN →
 * SYN/ACK), TLS handshake (ClientHello → the Finished completing it), time to first byte (first
 * request → first packet of the answer). A bracket spans the steps holding those packets.
 */
function bracketsOf(steps: StepFacts[], out: LadderStep[], facts: DiagnosisFacts, language: LadderOptions['language']): RttBracket[] {
  const w = labelWords(language);
  const brackets: RttBracket[] = [];
  const stepOf = (frame: number): number =>
    steps.findIndex((s) => s.packets.some((p) => p.number === frame) || s.foldedAcks.includes(frame) || s.foldedControl.includes(frame));
  const add = (label: string, span: Span | null): void => {
    if (span === null || span.seconds <= 0) return;
    const a = stepOf(span.fromFrame);
    const b = stepOf(span.toFrame);
    if (a < 0 || b < 0 || b <= a) return;
    brackets.push({ label, fromStep: out[a]!.index, toStep: out[b]!.index, seconds: span.seconds });
  };
  add(w.tcpConnect, facts.latency.tcpConnect);
  add(w.tlsHandshake, facts.latency.tlsHandshake);
  add(w.ttfb, facts.latency.timeToFirstByte);
  return brackets;
}

/** Bytes the capture does not have, drawn on the sender's lifeline before the step after the hole. */
function holesOf(steps: StepFacts[], facts: DiagnosisFacts): LadderHole[] {
  const holes: LadderHole[] = [];
  for (const g of facts.tcp.gaps) {
    if (g.kind !== 'lost') continue;
    const i = steps.findIndex((s) => s.packets.some((p) => p.number === g.frame));
    if (i < 0) continue;
    holes.push({ beforeStep: i + 1, side: g.side, bytes: g.bytes, frame: g.frame });
  }
  return holes;
}
