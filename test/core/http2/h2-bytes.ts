// Test helpers: HTTP/2 frames and HPACK blocks built by hand, and a driver that feeds them to an
// Http2Parser chunk by chunk, each chunk standing for one packet (with a field tree).

import { Packet } from '../../../src/core/dissect/packet';
import { TreeBuilder, walkFields, type FieldNode } from '../../../src/core/dissect/tree';
import type { Direction, SegmentSpan, StreamChunk, StreamHost } from '../../../src/core/flow/app-parser';
import { PREFACE } from '../../../src/core/http2/frames';
import { Http2Parser } from '../../../src/core/http2/parser';

export { PREFACE };

/** RFC 9113 §4.1 frame: 24-bit length, type, flags, reserved bit + stream id, payload. */
export function frame(type: number, flags: number, stream: number, payload: ArrayLike<number> = []): Uint8Array {
  const n = payload.length;
  const out = new Uint8Array(9 + n);
  out.set([(n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, type, flags, (stream >>> 24) & 0x7f, (stream >>> 16) & 0xff, (stream >>> 8) & 0xff, stream & 0xff], 0);
  out.set(Array.from(payload), 9);
  return out;
}

export const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
export const u16 = (v: number): number[] => [(v >>> 8) & 0xff, v & 0xff];
export const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/** RFC 7541 §6.2.2: a literal without indexing, new name, plain strings (lengths below 127). */
export function literal(name: string, value: string): number[] {
  return [0x00, name.length, ...ascii(name), value.length, ...ascii(value)];
}

/** RFC 7541 §6.2.1: a literal with incremental indexing, new name. */
export function indexedLiteral(name: string, value: string): number[] {
  return [0x40, name.length, ...ascii(name), value.length, ...ascii(value)];
}

export const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

export interface Fed {
  p: Packet;
  row: number;
}

/** Feeds chunks to one parser; each call is one packet whose payload is exactly the chunk. */
export class H2Driver {
  readonly parser: Http2Parser;
  readonly packets: Packet[] = [];
  private readonly offset: [number, number] = [0, 0];

  constructor(opts: { summaryOnly?: boolean; trees?: boolean } = {}) {
    const host: StreamHost = {
      spans: (): SegmentSpan[] => [],
      keepsSpans: false,
      wantsTrees: opts.trees ?? true,
      summaryOnly: opts.summaryOnly ?? false,
    };
    this.parser = new Http2Parser(host);
  }

  /** One packet carrying `bytes` in direction `dir`. */
  send(dir: Direction, bytes: Uint8Array): Packet {
    const row = this.packets.length;
    const p = new Packet();
    p.reset(bytes, 0, bytes.length, bytes.length, 1);
    p.number = row + 1;
    p.tsSec = 1_700_000_000 + row;
    p.tree = new TreeBuilder(bytes);
    this.packets.push(p);
    const chunk: StreamChunk = { p, row, streamOffset: this.offset[dir], frameOffset: 0 };
    this.parser.data(dir, bytes, 0, bytes.length, chunk);
    this.offset[dir] += bytes.length;
    return p;
  }

  /** `len` bytes of `dir` missing (0 at the start: the capture began mid-connection). */
  gap(dir: Direction, len: number): void {
    const p = new Packet();
    const chunk: StreamChunk = { p, row: this.packets.length, streamOffset: this.offset[dir], frameOffset: -1 };
    this.parser.gap(dir, len, chunk);
    this.offset[dir] += len;
  }

  end(): void {
    this.parser.end(0, null);
    this.parser.end(1, null);
  }
}

/** Every field node of a packet's http2 layers, depth first. */
export function h2Nodes(p: Packet): FieldNode[] {
  return [...walkFields(p.tree!.layers.filter((l) => l.protocol === 'http2'))];
}

/** The `tshark -T fields` texts of a field in a packet. */
export function values(p: Packet, name: string): string[] {
  return h2Nodes(p)
    .filter((n) => n.name === name)
    .map((n) => n.text);
}
