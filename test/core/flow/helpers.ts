// Test helpers for the flow stage: hand-built Ethernet/IPv4/TCP frames fed through the Analyzer,
// per-packet results copied out of the reused slot, and an app parser that records what it gets.

import { Analyzer, type AnalyzerOptions } from '../../../src/core/engine/analyzer';
import type { Packet } from '../../../src/core/dissect/packet';
import type {
  AppParser,
  AppParserFactory,
  Direction,
  SegmentSpan,
  StreamChunk,
  StreamHost,
} from '../../../src/core/flow/app-parser';
import { tcpStateName } from '../../../src/core/flow/tcp-state';
import type { PacketRecord } from '../../../src/core/io/types';
import type { PacketIndex } from '../../../src/core/io/packet-index';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const FIN = 0x001;
export const SYN = 0x002;
export const RST = 0x004;
export const PSH = 0x008;
export const ACK = 0x010;

/** One end of the connection being scripted. */
export interface End {
  ip: [number, number, number, number];
  port: number;
}

export const CLIENT: End = { ip: [10, 0, 0, 1], port: 40000 };
export const SERVER: End = { ip: [10, 0, 0, 2], port: 80 };

export interface SegmentSpec {
  from: End;
  to: End;
  flags: number;
  seq: number;
  ack?: number;
  payload?: Uint8Array;
  window?: number;
  /** Window scale option (only sent on SYNs by real stacks). */
  wscale?: number;
  /** Bytes of the frame actually captured (snap length), default all. */
  caplen?: number;
}

function sum16(b: Uint8Array, off: number, len: number, acc: number): number {
  for (let i = 0; i + 1 < len; i += 2) acc += (b[off + i]! << 8) | b[off + i + 1]!;
  if (len & 1) acc += b[off + len - 1]! << 8;
  return acc;
}

function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return ~acc & 0xffff;
}

/** An Ethernet II / IPv4 / TCP frame with correct checksums. */
export function tcpFrame(s: SegmentSpec): Uint8Array {
  const payload = s.payload ?? new Uint8Array(0);
  const opts = s.wscale !== undefined ? [1, 3, 3, s.wscale] : []; // NOP, WS kind 3 len 3 shift
  const thl = 20 + opts.length;
  const ipLen = 20 + thl + payload.length;
  const f = new Uint8Array(14 + ipLen);
  const v = new DataView(f.buffer);
  // Ethernet: dst 02:00:00:00:00:02, src 02:00:00:00:00:01, type IPv4.
  f.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00], 0);
  // IPv4: version 4, IHL 5, total length, id 0, DF, TTL 64, protocol 6, checksum, addresses.
  f.set([0x45, 0, ipLen >> 8, ipLen & 0xff, 0, 0, 0x40, 0, 64, 6, 0, 0, ...s.from.ip, ...s.to.ip], 14);
  v.setUint16(24, fold(sum16(f, 14, 20, 0)));
  // TCP: ports, seq, ack, data offset, flags, window, checksum 0, urgent 0, options.
  const t = 34;
  v.setUint16(t, s.from.port);
  v.setUint16(t + 2, s.to.port);
  v.setUint32(t + 4, s.seq >>> 0);
  v.setUint32(t + 8, (s.ack ?? 0) >>> 0);
  f[t + 12] = (thl / 4) << 4;
  f[t + 13] = s.flags & 0xff;
  v.setUint16(t + 14, s.window ?? 65535);
  f.set(opts, t + 20);
  f.set(payload, t + thl);
  // Pseudo-header: addresses, protocol, TCP length.
  let acc = sum16(f, 26, 8, 0) + 6 + thl + payload.length;
  acc = sum16(f, t, thl + payload.length, acc);
  v.setUint16(t + 16, fold(acc));
  return s.caplen !== undefined ? f.slice(0, s.caplen) : f;
}

/** What a test wants to know about one analysed packet (copied out of the reused slot). */
export interface Seen {
  number: number;
  conversation: number;
  flowDir: number;
  relSeq: number;
  relAck: number;
  nextSeq: number;
  window: number;
  analysis: number;
  client: [string, string];
  server: [string, string];
}

function seen(p: Packet): Seen {
  return {
    number: p.number,
    conversation: p.conversation,
    flowDir: p.flowDir,
    relSeq: p.tcpRelSeq,
    relAck: p.tcpRelAck,
    nextSeq: p.tcpNextSeq,
    window: p.tcpWindowScaled,
    analysis: p.analysis,
    client: [tcpStateName(p.tcpClientStateBefore), tcpStateName(p.tcpClientStateAfter)],
    server: [tcpStateName(p.tcpServerStateBefore), tcpStateName(p.tcpServerStateAfter)],
  };
}

/** Feeds hand-built frames through an Analyzer and records each packet's results. */
export class Run {
  readonly analyzer: Analyzer;
  readonly packets: Seen[] = [];
  private usec = 0;

  constructor(opts: AnalyzerOptions = {}) {
    const also = opts.onPacket;
    this.analyzer = new Analyzer({
      ...opts,
      onPacket: (p, row) => {
        this.packets.push(seen(p));
        also?.(p, row);
      },
    });
    this.analyzer.onInterface({
      id: 0,
      section: 0,
      linkType: 1,
      snaplen: 65535,
      tsUnitsPerSecond: 1e6,
      tsOffsetSeconds: 0,
      name: null,
      description: null,
      filter: null,
      os: null,
    });
  }

  /** Sends one frame; each frame is 1 ms after the previous unless `atUsec` says otherwise. */
  frame(bytes: Uint8Array, wirelen = bytes.length, atUsec?: number): Seen {
    this.usec = atUsec ?? this.usec + 1000;
    const rec: PacketRecord = {
      data: bytes,
      dataOffset: 0,
      caplen: bytes.length,
      wirelen,
      tsSec: 1_700_000_000 + Math.floor(this.usec / 1e6),
      tsNsec: (this.usec % 1e6) * 1000,
      iface: 0,
      dataFileOffset: 0,
      comments: null,
      flags: 0,
    };
    this.analyzer.onPacket(rec);
    return this.packets[this.packets.length - 1]!;
  }

  segment(s: SegmentSpec, atUsec?: number): Seen {
    const f = tcpFrame(s);
    const full = s.caplen !== undefined ? tcpFrame({ ...s, caplen: undefined }).length : f.length;
    return this.frame(f, full, atUsec);
  }

  finish(): void {
    this.analyzer.finish();
  }

  get conversations() {
    return this.analyzer.flows.conversations;
  }
}

/**
 * A scripted connection between CLIENT and SERVER that keeps both sequence numbers, so tests
 * read like the exchange: `c.client(SYN)`, `c.server(SYN | ACK)`, `c.client(ACK, 'GET /')`.
 */
export class Script {
  readonly run: Run;
  clientSeq: number;
  serverSeq: number;

  constructor(opts: AnalyzerOptions = {}, clientIsn = 1000, serverIsn = 5000) {
    this.run = new Run(opts);
    this.clientSeq = clientIsn;
    this.serverSeq = serverIsn;
  }

  client(flags: number, data: string | Uint8Array = ''): Seen {
    return this.send(true, flags, data);
  }

  server(flags: number, data: string | Uint8Array = ''): Seen {
    return this.send(false, flags, data);
  }

  private send(fromClient: boolean, flags: number, data: string | Uint8Array): Seen {
    const payload = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const seq = fromClient ? this.clientSeq : this.serverSeq;
    const ack = fromClient ? this.serverSeq : this.clientSeq;
    const s = this.run.segment({
      from: fromClient ? CLIENT : SERVER,
      to: fromClient ? SERVER : CLIENT,
      flags,
      seq,
      ack: (flags & ACK) !== 0 ? ack : 0,
      payload,
    });
    const used = payload.length + ((flags & SYN) !== 0 ? 1 : 0) + ((flags & FIN) !== 0 ? 1 : 0);
    if (fromClient) this.clientSeq = (this.clientSeq + used) >>> 0;
    else this.serverSeq = (this.serverSeq + used) >>> 0;
    return s;
  }
}

/** One call an app parser received. */
export type ParserEvent =
  | { kind: 'data'; dir: Direction; bytes: Uint8Array; streamOffset: number; row: number; frameOffset: number }
  | { kind: 'gap'; dir: Direction; len: number; streamOffset: number }
  | { kind: 'end'; dir: Direction; withChunk: boolean };

/** An app parser that only records (test-only), and its factory. */
export class RecordingParser implements AppParser {
  readonly protocol = 'rec';
  readonly events: ParserEvent[] = [];
  constructor(readonly host: StreamHost) {}

  data(dir: Direction, bytes: Uint8Array, off: number, len: number, chunk: StreamChunk): void {
    // Copy: the view may point into the reader's buffer.
    this.events.push({ kind: 'data', dir, bytes: bytes.slice(off, off + len), streamOffset: chunk.streamOffset, row: chunk.row, frameOffset: chunk.frameOffset });
  }

  gap(dir: Direction, len: number, chunk: StreamChunk): void {
    this.events.push({ kind: 'gap', dir, len, streamOffset: chunk.streamOffset });
  }

  end(dir: Direction, chunk: StreamChunk | null): void {
    this.events.push({ kind: 'end', dir, withChunk: chunk !== null });
  }

  describe(): Record<string, string | number> {
    return { 'http.transactions': this.events.filter((e) => e.kind === 'data').length };
  }

  /** Everything received in one direction, gaps as `fill` bytes. */
  stream(dir: Direction, fill = 0x3f): Uint8Array {
    const parts: number[] = [];
    for (const e of this.events) {
      if (e.dir !== dir) continue;
      if (e.kind === 'data') for (const b of e.bytes) parts.push(b);
      else if (e.kind === 'gap') for (let i = 0; i < e.len; i++) parts.push(fill);
    }
    return Uint8Array.from(parts);
  }

  spans(dir: Direction, start: number, end: number): SegmentSpan[] {
    return this.host.spans(dir, start, end);
  }
}

export class RecordingFactory implements AppParserFactory {
  readonly protocol = 'rec';
  readonly fields = [];
  readonly parsers: RecordingParser[] = [];
  constructor(private readonly accept: (bytes: Uint8Array, port: number) => boolean = () => true) {}

  detect(bytes: Uint8Array, off: number, len: number, port: number): boolean {
    return this.accept(bytes.subarray(off, off + len), port);
  }

  create(host: StreamHost): AppParser {
    const p = new RecordingParser(host);
    this.parsers.push(p);
    return p;
  }
}

/** A row's expert items (the diagnosis' per-packet findings) as texts, in a fixed order. */
export function expertOf(index: PacketIndex, row: number): string[] {
  return index.expert
    .itemsOf(row)
    .map((x) => `${x.code}/${x.a}/${x.b}/${x.text ?? ''}`)
    .sort();
}

/** The issue-16 captures (test/fixtures/diagnosis): broken handshakes, port reuse, plain HTTP on 443… as [name, path]. */
export function diagnosisCaptures(): (readonly [string, string])[] {
  const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'diagnosis');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pcap') || f.endsWith('.pcapng'))
    .map((f) => [`diagnosis/${f}`, join(dir, f)] as const);
}
