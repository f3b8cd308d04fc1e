// What the reading thread and the analysis shards (worker threads) say to each other: packets as
// fixed-width descriptors (the fields the flow stage reads of a Packet, offsets into a shared read
// buffer), and what comes back per packet (TCP analysis flags, the Protocol column, the Info text).

import type { Packet } from '../dissect/packet';

/** Int32 words per packet descriptor (tsSec travels in a Float64Array beside it). */
export const STRIDE = 21;
export const D = {
  row: 0,
  id: 1,
  bits: 2,
  reused: 3,
  srcPort: 4,
  dstPort: 5,
  l4: 6,
  tcpFlags: 7,
  tcpSeq: 8,
  tcpAck: 9,
  tcpHeaderLength: 10,
  tcpWindow: 11,
  tcpWindowScale: 12,
  payloadOffset: 13,
  payloadLength: 14,
  payloadWireLength: 15,
  l4Offset: 16,
  start: 17,
  wirelen: 18,
  tsNsec: 19,
  top: 20,
} as const;

/**
 * Bits of D.bits: the end that sent it (1: B), a new conversation, bytes in the side buffer, and
 * the dissectors found it malformed (the reading thread raised that item; a parser may not again).
 */
export const Bit = { FromB: 1, Fresh: 2, Side: 4, Malformed: 8 } as const;

/** Float64 words per expert item a shard raised: row, code, a, b, text id (0: none; an Info text id). */
export const EXPERT_STRIDE = 5;

/** Int32 words per result: row, analysis flags, Protocol column, Info text id (0: none). */
export const RESULT_STRIDE = 4;

/** Which application parsers the shards run (parsers are code: they cannot be sent). */
export type ShardApps = 'default' | 'none';

export interface ShardInit {
  type: 'init';
  shard: number;
  shards: number;
  apps: ShardApps;
  reassemblyLimit: number;
}

/** A batch of packets for one shard: the read buffer they sit in and the descriptors. */
export interface ShardBatch {
  type: 'batch';
  seq: number;
  /** Conversation-store chunks made since the last batch (the shard's views of them). */
  chunks: ArrayBufferLike[];
  /** The read buffer (shared) and where the view the offsets count from begins in it. */
  buffer: ArrayBufferLike;
  byteOffset: number;
  byteLength: number;
  /** Bytes of packets that are not in the read buffer (records cut by a chunk's end, reassembled datagrams). */
  side: ArrayBuffer;
  count: number;
  words: ArrayBuffer;
  times: ArrayBuffer;
}

/** A TLS key log the capture carries (a Decryption Secrets Block met while reading). */
export interface ShardKeys {
  type: 'keys';
  name: string;
  text: string;
}

export interface ShardSync {
  type: 'sync' | 'finish';
  seq: number;
}

export type ToShard = ShardInit | ShardBatch | ShardKeys | ShardSync;

/** New texts a shard made since its last report (its store's texts and its Info texts). */
export interface TextReport {
  store: { from: number; texts: string[] };
  info: { from: number; texts: string[] };
}

export interface ShardDone {
  type: 'done';
  seq: number;
  /** Results (RESULT_STRIDE words each), and the batch's buffers handed back for reuse. */
  results: ArrayBuffer;
  resultCount: number;
  /** Expert items the flow stage raised (EXPERT_STRIDE words each), in row order. */
  expert: ArrayBuffer;
  expertCount: number;
  words: ArrayBuffer;
  times: ArrayBuffer;
  texts: TextReport;
}

export interface ShardSynced {
  type: 'synced';
  seq: number;
  texts: TextReport;
}

/** The shard is set up (its code loaded and compiled): packets may go to it. */
export interface ShardReady {
  type: 'ready';
}

export interface ShardFailed {
  type: 'failed';
  message: string;
}

export type FromShard = ShardDone | ShardSynced | ShardReady | ShardFailed;

/** Writes packet `p` (routed: conversation `p.conversation`) into descriptor `k`. */
export function encodePacket(w: Int32Array, t: Float64Array, k: number, p: Packet, row: number, bits: number, reused: number, shift: number): void {
  const o = k * STRIDE;
  w[o + D.row] = row;
  w[o + D.id] = p.conversation;
  w[o + D.bits] = bits;
  w[o + D.reused] = reused;
  w[o + D.srcPort] = p.srcPort;
  w[o + D.dstPort] = p.dstPort;
  w[o + D.l4] = p.l4;
  w[o + D.tcpFlags] = p.tcpFlags;
  w[o + D.tcpSeq] = p.tcpSeq;
  w[o + D.tcpAck] = p.tcpAck;
  w[o + D.tcpHeaderLength] = p.tcpHeaderLength;
  w[o + D.tcpWindow] = p.tcpWindow;
  w[o + D.tcpWindowScale] = p.tcpWindowScale;
  w[o + D.payloadOffset] = p.payloadOffset + shift;
  w[o + D.payloadLength] = p.payloadLength;
  w[o + D.payloadWireLength] = p.payloadWireLength;
  w[o + D.l4Offset] = p.l4Offset + shift;
  w[o + D.start] = p.start + shift;
  w[o + D.wirelen] = p.wirelen;
  w[o + D.tsNsec] = p.tsNsec;
  w[o + D.top] = p.top;
  t[k] = p.tsSec;
}

/**
 * Fills slot `p` from descriptor `k` as the reading thread's dissection left it (the fields the
 * flow stage and the parsers read), over `buf`. Returns the row.
 */
export function decodePacket(w: Int32Array, t: Float64Array, k: number, p: Packet, buf: Uint8Array): number {
  const o = k * STRIDE;
  const row = w[o + D.row]!;
  p.buf = buf;
  p.number = row + 1;
  p.conversation = w[o + D.id]!;
  p.srcPort = w[o + D.srcPort]!;
  p.dstPort = w[o + D.dstPort]!;
  p.l4 = w[o + D.l4]!;
  p.tcpFlags = w[o + D.tcpFlags]!;
  p.tcpSeq = w[o + D.tcpSeq]! >>> 0;
  p.tcpAck = w[o + D.tcpAck]! >>> 0;
  p.tcpHeaderLength = w[o + D.tcpHeaderLength]!;
  p.tcpWindow = w[o + D.tcpWindow]!;
  p.tcpWindowScale = w[o + D.tcpWindowScale]!;
  p.payloadOffset = w[o + D.payloadOffset]!;
  p.payloadLength = w[o + D.payloadLength]!;
  p.payloadWireLength = w[o + D.payloadWireLength]!;
  p.l4Offset = w[o + D.l4Offset]!;
  p.start = w[o + D.start]!;
  p.wirelen = w[o + D.wirelen]!;
  p.tsSec = t[k]!;
  p.tsNsec = w[o + D.tsNsec]!;
  p.top = w[o + D.top]!;
  p.analysis = 0;
  p.appInfo = null;
  p.infoCleared = false;
  p.flowDir = -1;
  p.tree = null;
  return row;
}
