// Test helper: a stand-in for TCP reassembly. Reads a capture, groups TCP payloads per connection
// and direction in sequence order (exact retransmissions dropped, gaps reported) and feeds an
// application parser, building a field tree for every packet.

import { join } from 'node:path';
import { defaultRegistry } from '../../../src/core/dissect/all';
import { dissect } from '../../../src/core/dissect/dissect';
import { Packet } from '../../../src/core/dissect/packet';
import { TreeBuilder, walkFields } from '../../../src/core/dissect/tree';
import type { AppParser, AppParserFactory, Direction, SegmentSpan, StreamChunk, StreamHost } from '../../../src/core/flow/app-parser';
import { readCaptureBytes, readCaptureFile } from '../../../src/core/io/capture-reader';
import type { CaptureSink, InterfaceInfo, PacketRecord } from '../../../src/core/io/types';

export const corpus = join(__dirname, '..', '..', '..', '..', 'shared', 'corpus');

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

/** One direction of a connection as the reassembler sees it. */
interface DirectionFeed {
  /** Sequence number of stream offset 0, or -1 until known. */
  base: number;
  /** Next stream offset to deliver. */
  next: number;
  /** Segments that arrived ahead of `next`: [offset, bytes, row]. */
  ahead: { offset: number; bytes: Uint8Array; row: number }[];
  /** Stream offset of the FIN, or -1. */
  fin: number;
  ended: boolean;
}

export interface Connection {
  index: number;
  /** `a:port>b:port` with the client first. */
  key: string;
  parser: AppParser;
  firstRow: number;
  dirs: [DirectionFeed, DirectionFeed];
  clientAddr: string;
  clientPort: number;
  closed: boolean;
}

export interface Streamed {
  /** One slot per packet, each with its own field tree. */
  packets: Packet[];
  connections: Connection[];
  /** Values of a field in one packet, as `tshark -T fields` joins them. */
  values(row: number, name: string): string;
}

const host: StreamHost = {
  spans: (): SegmentSpan[] => [],
  keepsSpans: false,
  wantsTrees: true,
};

/** Feeds every TCP connection of `file` (corpus-relative or absolute) to a parser made by `factory`. */
export async function streamCapture(file: string, factory: AppParserFactory, opts: { trees?: boolean } = {}): Promise<Streamed> {
  const feeder = new Feeder(factory, opts.trees ?? true);
  await readCaptureFile(file.startsWith('/') ? file : join(corpus, file), feeder);
  return feeder.finish();
}

/** The same for a capture held in memory. */
export function streamBytes(bytes: Uint8Array, factory: AppParserFactory, opts: { trees?: boolean } = {}): Streamed {
  const feeder = new Feeder(factory, opts.trees ?? true);
  readCaptureBytes(bytes, feeder);
  return feeder.finish();
}

class Feeder implements CaptureSink {
  readonly packets: Packet[] = [];
  readonly connections: Connection[] = [];
  private readonly byKey = new Map<string, Connection>();
  private readonly linkTypes: number[] = [];
  private readonly registry = defaultRegistry();
  private first: [number, number] | null = null;
  private readonly treeHost: StreamHost;

  constructor(
    private readonly factory: AppParserFactory,
    trees: boolean,
  ) {
    this.treeHost = trees ? host : { ...host, wantsTrees: false };
  }

  onInterface(iface: InterfaceInfo): void {
    this.linkTypes[iface.id] = iface.linkType;
  }

  onPacket(rec: PacketRecord): void {
    const row = this.packets.length;
    const frame = rec.data.slice(rec.dataOffset, rec.dataOffset + rec.caplen);
    const p = new Packet();
    p.registry = this.registry;
    p.reset(frame, 0, rec.caplen, rec.wirelen, this.linkTypes[rec.iface] ?? 1);
    p.tree = this.treeHost.wantsTrees ? new TreeBuilder(frame) : null;
    p.number = row + 1;
    p.tsSec = rec.tsSec;
    p.tsNsec = rec.tsNsec;
    if (this.first === null) this.first = [rec.tsSec, rec.tsNsec];
    p.firstSec = this.first[0];
    p.firstNsec = this.first[1];
    dissect(p, this.registry);
    this.packets.push(p);
    if (p.l4 === 6) this.tcp(p, row);
  }

  finish(): Streamed {
    for (const c of this.connections) {
      for (const d of [0, 1] as const) {
        const f = c.dirs[d];
        // Segments stuck behind a hole that never filled: report the hole, deliver the rest.
        f.ahead.sort((x, y) => x.offset - y.offset);
        for (const seg of f.ahead) {
          const p = this.packets[seg.row]!;
          const chunk: StreamChunk = { p, row: seg.row, streamOffset: f.next, frameOffset: -1 };
          if (seg.offset > f.next) {
            c.parser.gap(d, seg.offset - f.next, chunk);
            f.next = seg.offset;
          }
          this.deliver(c, d, seg.bytes, p, seg.row, -1);
        }
        f.ahead.length = 0;
        if (!f.ended) {
          f.ended = true;
          c.parser.end(d, null);
        }
      }
    }
    const packets = this.packets;
    return {
      packets,
      connections: this.connections,
      values(row: number, name: string): string {
        const tree = packets[row]?.tree ?? null;
        if (tree === null) return '';
        const out: string[] = [];
        for (const n of walkFields(tree.layers)) if (n.name === name) out.push(n.text);
        return out.join(',');
      },
    };
  }

  private tcp(p: Packet, row: number): void {
    const src = addressText(p, true);
    const dst = addressText(p, false);
    const a = `${src}:${p.srcPort}`;
    const b = `${dst}:${p.dstPort}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    const flags = p.tcpFlags;
    let c = this.byKey.get(key);
    if (c !== undefined && c.closed && (flags & (SYN | ACK)) === SYN) c = undefined;
    if (c === undefined) {
      // The SYN's sender is the client; without one, the end on the service port is the server.
      let clientIsSrc = true;
      if ((flags & (SYN | ACK)) === (SYN | ACK)) clientIsSrc = false;
      else if ((flags & SYN) === 0 && p.srcPort < 1024 && p.dstPort >= 1024) clientIsSrc = false;
      const feed = (): DirectionFeed => ({ base: -1, next: 0, ahead: [], fin: -1, ended: false });
      c = {
        index: this.connections.length,
        key: clientIsSrc ? `${a}>${b}` : `${b}>${a}`,
        parser: this.factory.create(this.treeHost),
        firstRow: row,
        dirs: [feed(), feed()],
        clientAddr: clientIsSrc ? src : dst,
        clientPort: clientIsSrc ? p.srcPort : p.dstPort,
        closed: false,
      };
      this.byKey.set(key, c);
      this.connections.push(c);
    }
    const d: Direction = src === c.clientAddr && p.srcPort === c.clientPort ? 0 : 1;
    const f = c.dirs[d];
    if ((flags & RST) !== 0) c.closed = true;
    // Data in a SYN (TCP Fast Open, RFC 7413) starts right after the SYN's sequence number.
    if ((flags & SYN) !== 0) f.base = (p.tcpSeq + 1) >>> 0;
    else if (f.base < 0) f.base = p.tcpSeq;
    const offset = (flags & SYN) !== 0 ? 0 : (p.tcpSeq - f.base) >>> 0;
    const len = p.payloadLength;
    // Bytes on the wire beyond the snap length: reported as a gap with the packet that lost them.
    const wireLen = Math.max(p.payloadWireLength, len);
    if (len > 0) {
      const bytes = p.buf.subarray(p.payloadOffset, p.payloadOffset + len);
      if (offset > f.next) f.ahead.push({ offset, bytes: bytes.slice(), row });
      else if (offset + len > f.next) {
        const skip = f.next - offset;
        this.deliver(c, d, bytes.subarray(skip), p, row, p.payloadOffset - p.start + skip);
        if (wireLen > len && offset + len === f.next) {
          c.parser.gap(d, wireLen - len, { p, row, streamOffset: f.next, frameOffset: -1 });
          f.next += wireLen - len;
        }
        this.drainAhead(c, d, p, row);
      }
    }
    if ((flags & FIN) !== 0) {
      f.fin = offset + wireLen;
      c.closed = true;
    }
    if (f.fin >= 0 && f.next >= f.fin && !f.ended) {
      f.ended = true;
      c.parser.end(d, { p, row, streamOffset: f.next, frameOffset: -1 });
    }
  }

  private deliver(c: Connection, d: Direction, bytes: Uint8Array, p: Packet, row: number, frameOffset: number): void {
    const f = c.dirs[d];
    c.parser.data(d, bytes, 0, bytes.length, { p, row, streamOffset: f.next, frameOffset });
    f.next += bytes.length;
  }

  /** Segments that were ahead and now follow on: delivered with the packet that filled the hole. */
  private drainAhead(c: Connection, d: Direction, p: Packet, row: number): void {
    const f = c.dirs[d];
    f.ahead.sort((x, y) => x.offset - y.offset);
    while (f.ahead.length > 0 && f.ahead[0]!.offset <= f.next) {
      const seg = f.ahead.shift()!;
      const end = seg.offset + seg.bytes.length;
      if (end > f.next) this.deliver(c, d, seg.bytes.subarray(f.next - seg.offset), p, row, -1);
    }
  }
}

function addressText(p: Packet, src: boolean): string {
  if (p.net === 4) {
    const v = src ? p.src4 : p.dst4;
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const o = src ? p.src6 : p.dst6;
  return Array.from(p.buf.subarray(o, o + 16), (x) => x.toString(16).padStart(2, '0')).join('');
}
