// Test helper until the flow stage lands TCP reassembly: reads a corpus capture, groups TCP payloads
// by connection and direction in capture order (dropping exact retransmissions by sequence number,
// reporting holes as gaps) and feeds them to the TLS parser through the AppParser interface.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { defaultRegistry } from '../../../src/core/dissect/all';
import { dissect } from '../../../src/core/dissect/dissect';
import { Packet, protoColumnNames } from '../../../src/core/dissect/packet';
import { TreeBuilder, walkFields, type Layer } from '../../../src/core/dissect/tree';
import { readCaptureBytes } from '../../../src/core/io/capture-reader';
import type { InterfaceInfo, PacketRecord } from '../../../src/core/io/types';
import type { Direction, SegmentSpan, StreamChunk, StreamHost } from '../../../src/core/flow/app-parser';
import { type TlsParser, tlsFactory } from '../../../src/core/tls/parser';

export const corpusDir = join(__dirname, '..', '..', '..', '..', 'shared', 'corpus');

export interface FedConnection {
  /** `client-address:port → server-address:port` as first seen. */
  label: string;
  /** Server port (the SYN's destination, else the first packet's destination). */
  serverPort: number;
  parser: TlsParser;
  /** Row of the packet in which TLS was detected. */
  detectedRow: number;
}

export interface FedPacket {
  row: number;
  number: number;
  /** Protocol column name (tshark's `_ws.col.Protocol`). */
  protocol: string;
  info: string | null;
  /** Every tls.* field in tree order, by name (tree mode only). */
  fields: Map<string, string[]>;
  layers: Layer[];
  sources: string[];
}

export interface FeedResult {
  connections: FedConnection[];
  packets: FedPacket[];
}

export interface FeedOptions {
  /** Build a tree for every packet (the `fields` path). */
  tree?: boolean;
  /** Pretend the flow stage keeps segment maps (replay of one conversation). */
  keepsSpans?: boolean;
}

interface DirState {
  nextSeq: number | null;
  streamOffset: number;
  fin: boolean;
}

interface Conn {
  client: string;
  label: string;
  serverPort: number;
  dirs: [DirState, DirState];
  parser: TlsParser | null;
  notTls: boolean;
  closed: boolean;
  detectedRow: number;
}

const SYN = 0x002;
const ACK = 0x010;
const FIN = 0x001;
const RST = 0x004;

function endpoint(p: Packet, src: boolean): string {
  if (p.net === 4) {
    const v = src ? p.src4 : p.dst4;
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}:${src ? p.srcPort : p.dstPort}`;
  }
  const at = src ? p.src6 : p.dst6;
  let s = '';
  for (let i = 0; i < 16; i++) s += p.buf[at + i]!.toString(16).padStart(2, '0');
  return `[${s}]:${src ? p.srcPort : p.dstPort}`;
}

class Host implements StreamHost {
  readonly keepsSpans: boolean;
  readonly wantsTrees: boolean;
  constructor(keepsSpans: boolean, wantsTrees: boolean) {
    this.keepsSpans = keepsSpans;
    this.wantsTrees = wantsTrees;
  }
  spans(_dir: Direction, _start: number, _end: number): SegmentSpan[] {
    return [];
  }
}

export function captureBytes(file: string): Uint8Array {
  const raw = readFileSync(join(corpusDir, file));
  return file.endsWith('.gz') ? new Uint8Array(gunzipSync(raw)) : new Uint8Array(raw);
}

/** Runs `file` (corpus-relative) through dissection and the TLS parser. */
export function feedCapture(file: string, opts: FeedOptions = {}): FeedResult {
  const tree = opts.tree ?? false;
  const registry = defaultRegistry();
  const host = new Host(opts.keepsSpans ?? false, tree);
  const p = new Packet();
  p.registry = registry;
  const linkTypes: number[] = [];
  const conns = new Map<string, Conn>();
  const all: Conn[] = [];
  const packets: FedPacket[] = [];
  let row = 0;

  const sink = {
    onInterface(iface: InterfaceInfo): void {
      linkTypes[iface.id] = iface.linkType;
    },
    onPacket(rec: PacketRecord): void {
      const frame = rec.data.slice(rec.dataOffset, rec.dataOffset + rec.caplen);
      p.reset(frame, 0, rec.caplen, rec.wirelen, linkTypes[rec.iface] ?? 1);
      p.tree = tree ? new TreeBuilder(frame) : null;
      p.number = row + 1;
      p.tsSec = rec.tsSec;
      p.tsNsec = rec.tsNsec;
      dissect(p, registry);
      if (p.l4 === 6) onTcp(row);
      const fields = new Map<string, string[]>();
      if (p.tree !== null) {
        for (const n of walkFields(p.tree.layers)) {
          if (!n.name.startsWith('tls.')) continue;
          const list = fields.get(n.name);
          if (list === undefined) fields.set(n.name, [n.text]);
          else list.push(n.text);
        }
      }
      packets.push({
        row,
        number: row + 1,
        protocol: protoColumnNames[p.top] ?? '',
        info: p.appInfo,
        fields,
        layers: p.tree?.layers ?? [],
        sources: p.tree?.sources.map((s) => s.name) ?? [],
      });
      row++;
    },
  };

  function onTcp(r: number): void {
    const a = endpoint(p, true);
    const b = endpoint(p, false);
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let c = conns.get(key);
    const flags = p.tcpFlags;
    if (c !== undefined && c.closed && (flags & (SYN | ACK)) === SYN) c = undefined;
    if (c === undefined) {
      const synAck = (flags & (SYN | ACK)) === (SYN | ACK);
      const client = synAck ? b : a;
      c = {
        client,
        label: synAck ? `${b} → ${a}` : `${a} → ${b}`,
        serverPort: synAck ? p.srcPort : p.dstPort,
        dirs: [
          { nextSeq: null, streamOffset: 0, fin: false },
          { nextSeq: null, streamOffset: 0, fin: false },
        ],
        parser: null,
        notTls: false,
        closed: false,
        detectedRow: -1,
      };
      conns.set(key, c);
      all.push(c);
    }
    const dir: Direction = a === c.client ? 0 : 1;
    const d = c.dirs[dir];
    const seq = p.tcpSeq >>> 0;
    if ((flags & SYN) !== 0) {
      d.nextSeq = (seq + 1) >>> 0;
    }
    let len = p.payloadLength;
    let off = p.payloadOffset;
    if (len > 0) {
      if (d.nextSeq === null) d.nextSeq = seq;
      const rel = (seq - d.nextSeq) | 0;
      let skip = 0;
      let gap = 0;
      if (rel < 0) {
        skip = -rel;
        if (skip >= len) len = 0;
      } else if (rel > 0) {
        gap = rel;
      }
      if (len > 0) {
        len -= skip;
        off += skip;
        const chunk: StreamChunk = { p, row: r, streamOffset: d.streamOffset + gap, frameOffset: off };
        if (c.parser === null && !c.notTls && tlsFactory.detect(p.buf, off, len, c.serverPort)) {
          c.parser = tlsFactory.create(host) as TlsParser;
          c.detectedRow = r;
        }
        if (c.parser !== null) {
          if (gap > 0) c.parser.gap(dir, gap, { p, row: r, streamOffset: d.streamOffset, frameOffset: -1 });
          c.parser.data(dir, p.buf, off, len, chunk);
        }
        d.streamOffset += gap + len;
        d.nextSeq = (seq + skip + len) >>> 0;
      }
    }
    if ((flags & FIN) !== 0 && !d.fin) {
      d.fin = true;
      c.parser?.end(dir, { p, row: r, streamOffset: d.streamOffset, frameOffset: -1 });
    }
    if ((flags & (FIN | RST)) !== 0) c.closed = true;
  }

  readCaptureBytes(captureBytes(file), sink);
  for (const c of all) {
    if (c.parser === null) continue;
    if (!c.dirs[0].fin) c.parser.end(0, null);
    if (!c.dirs[1].fin) c.parser.end(1, null);
  }
  return {
    connections: all.filter((c) => c.parser !== null).map((c) => ({ label: c.label, serverPort: c.serverPort, parser: c.parser!, detectedRow: c.detectedRow })),
    packets,
  };
}

/** The TCP payload of frame `number` (1-based) of a corpus capture. */
export function framePayload(file: string, number: number): Uint8Array {
  const registry = defaultRegistry();
  const p = new Packet();
  const linkTypes: number[] = [];
  let row = 0;
  let out: Uint8Array | null = null;
  readCaptureBytes(captureBytes(file), {
    onInterface(iface: InterfaceInfo): void {
      linkTypes[iface.id] = iface.linkType;
    },
    onPacket(rec: PacketRecord): void {
      row++;
      if (row !== number) return;
      const frame = rec.data.slice(rec.dataOffset, rec.dataOffset + rec.caplen);
      p.reset(frame, 0, rec.caplen, rec.wirelen, linkTypes[rec.iface] ?? 1);
      dissect(p, registry);
      out = frame.slice(p.payloadOffset, p.payloadOffset + p.payloadLength);
    },
  });
  if (out === null) throw new Error(`${file} has no frame ${number}`);
  return out;
}
