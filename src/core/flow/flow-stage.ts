// The flow stage of the analysis pass: finds each packet's conversation, counts it, and for TCP
// runs the per-connection analysis (states, tshark's SEQ/ACK analysis) and stream reassembly into
// the conversation's application parser.

import { IpProto } from '../dissect/ip-protocols';
import { Packet } from '../dissect/packet';
import type { FieldNode, Layer } from '../dissect/tree';
import { uintDec } from '../dissect/fields';
import { Analysis } from '../io/packet-index';
import type { AppParserFactory, StreamChunk } from './app-parser';
import { clientIsFirstByPorts, newDirection, type Conversation } from './conversation';
import { FlowKeyTable } from './flow-key';
import { SegmentAnalysis } from './tcp-analysis';
import { tcpExpert } from './tcp-expert';
import { TcpConnection, type FlowContext } from './tcp-connection';
import { addTcpFlowTree, tcpFlowFields, type TcpTreeInfo } from './tcp-fields';

export const flowFields = {
  tcpStream: uintDec('tcp.stream', 'Stream index'),
  udpStream: uintDec('udp.stream', 'Stream index'),
  ...tcpFlowFields,
};

/** Out-of-order bytes buffered per direction before the oldest hole is declared a gap. */
export const DEFAULT_REASSEMBLY_LIMIT = 4 * 1024 * 1024;

export interface FlowStageOptions {
  /** Application protocols to detect on each conversation's first payload, in order of preference. */
  appFactories?: readonly AppParserFactory[];
  /**
   * Record which packet carried every reassembled byte (StreamHost.spans), for replays of one
   * conversation (the ladder, TLS record flows). Off for whole-file passes.
   */
  keepSpans?: boolean;
  /** Whether the pass builds field trees for some packets (told to parsers). */
  wantsTrees?: boolean;
  /**
   * App parsers keep only their session summary (StreamHost.summaryOnly). Default: when the pass
   * builds no trees and keeps no segment maps (a whole-file pass).
   */
  summaryOnly?: boolean;
  /** Out-of-order bytes buffered per direction (default 4 MiB). */
  reassemblyLimit?: number;
  /**
   * Replays of part of a capture: the tcp.stream / udp.stream number a conversation starting at
   * `row` had in the full pass (undefined: number them here, from 0).
   */
  streamOf?: (row: number) => number | undefined;
}

const SYN = 0x002;
const ACK = 0x010;

export class FlowStage implements FlowContext {
  readonly conversations: Conversation[] = [];
  readonly factories: readonly AppParserFactory[];
  readonly keepSpans: boolean;
  readonly wantsTrees: boolean;
  readonly summaryOnly: boolean;
  readonly reassemblyLimit: number;
  readonly chunk: StreamChunk;
  current: Packet;
  currentRow = -1;
  private readonly keys = new FlowKeyTable(4096);
  private readonly ta = new SegmentAnalysis();
  private readonly treeInfo: TcpTreeInfo = { haveSeglen: false, headerOk: false, winScale: -1, initialRttNs: 0, sackBase: 0 };
  private tcpStreams = 0;
  private udpStreams = 0;
  /** Key and conversation of the previous packet. */
  private lastA = -1;
  private lastB = -1;
  private lastPorts = -1;
  private lastProto = -1;
  private lastId = -1;
  private readonly streamOf: ((row: number) => number | undefined) | null;

  constructor(opts: FlowStageOptions = {}) {
    this.factories = opts.appFactories ?? [];
    this.keepSpans = opts.keepSpans ?? false;
    this.wantsTrees = opts.wantsTrees ?? false;
    this.summaryOnly = opts.summaryOnly ?? (!this.keepSpans && !this.wantsTrees);
    this.reassemblyLimit = opts.reassemblyLimit ?? DEFAULT_REASSEMBLY_LIMIT;
    this.streamOf = opts.streamOf ?? null;
    // An empty slot until the first packet: chunk.p is never null.
    this.current = new Packet();
    this.chunk = { p: this.current, row: -1, streamOffset: 0, frameOffset: -1 };
  }

  /**
   * Assigns `p.conversation` for TCP and UDP packets and runs the TCP analysis. `srcId`/`dstId`
   * are the interned ids of the packet's innermost network addresses.
   */
  onPacket(p: Packet, row: number, srcId: number, dstId: number): void {
    const proto = p.l4;
    if (proto !== IpProto.Tcp && proto !== IpProto.Udp) return;
    const tcp = proto === IpProto.Tcp;
    const sport = p.srcPort;
    const dport = p.dstPort;
    const srcFirst = srcId < dstId || (srcId === dstId && sport <= dport);
    const a = srcFirst ? srcId : dstId;
    const b = srcFirst ? dstId : srcId;
    const ports = srcFirst ? ((sport << 16) | dport) >>> 0 : ((dport << 16) | sport) >>> 0;
    const ta = this.ta;
    ta.clear();
    this.current = p;
    this.currentRow = row;
    // Packets come in bursts per conversation: the previous one's key is checked first.
    let id: number;
    if (a === this.lastA && b === this.lastB && ports === this.lastPorts && proto === this.lastProto) id = this.lastId;
    else id = this.keys.get(proto, a, b, ports);
    if (id >= 0 && tcp && (p.tcpFlags & (SYN | ACK)) === SYN) {
      // tshark: a SYN whose sequence number differs from what that end started with opens a new
      // connection on the same 5-tuple (a new tcp.stream) and reports the ports as reused.
      const old = this.conversations[id]!;
      const fwd = old.tcp!.flow[old.addrA === srcId && old.portA === sport ? 0 : 1];
      if (fwd.baseSeqSet && p.tcpSeq >>> 0 !== fwd.baseSeq) {
        old.tcp!.finish();
        id = -1;
        ta.flag(Analysis.ReusedPorts);
      }
    }
    let conv: Conversation;
    if (id < 0) {
      conv = this.create(p, row, srcId, dstId);
      this.keys.set(proto, a, b, ports, conv.id);
    } else {
      conv = this.conversations[id]!;
    }
    this.lastA = a;
    this.lastB = b;
    this.lastPorts = ports;
    this.lastProto = proto;
    this.lastId = conv.id;
    const d = conv.addrA === srcId && conv.portA === sport ? 0 : 1;
    const stats = conv.dir[d];
    if (stats.packets === 0) {
      stats.firstSec = p.tsSec;
      stats.firstNsec = p.tsNsec;
    }
    stats.packets++;
    stats.bytes += p.wirelen;
    stats.payloadBytes += p.payloadWireLength;
    stats.lastSec = p.tsSec;
    stats.lastNsec = p.tsNsec;
    conv.lastRow = row;
    p.conversation = conv.id;
    const t = p.tree;
    const layer = t !== null ? t.find(tcp ? 'tcp' : 'udp') : null;
    if (!tcp) {
      p.flowDir = (d === 0) === conv.clientIsA ? 0 : 1;
      if (layer !== null) this.streamField(layer, conv);
      return;
    }
    const connection = conv.tcp!;
    if ((p.tcpFlags & (SYN | ACK)) === SYN && (conv.roleReason === 'port' || conv.roleReason === 'first-packet') && conv.app === null) {
      // A SYN settles who the client is, whatever ports or the first packet suggested.
      conv.clientIsA = d === 0;
      conv.roleReason = 'syn';
    }
    connection.segment(p, row, d, ta, this.treeInfo);
    tcpExpert(p, connection, d, ta);
    if (layer !== null) {
      this.streamField(layer, conv);
      const source = t!.source;
      t!.source = layer.source;
      addTcpFlowTree(t!, layer, p, ta, this.treeInfo);
      t!.source = source;
    }
    connection.payload(p, d);
  }

  /** Called once after the last packet: flushes reassembly and ends open streams. */
  finish(): void {
    const list = this.conversations;
    for (let i = 0; i < list.length; i++) {
      const tcp = list[i]!.tcp;
      if (tcp !== null) tcp.finish();
    }
  }

  /** tcp.stream / udp.stream, placed after the ports as tshark shows it. */
  private streamField(layer: Layer, conv: Conversation): void {
    const t = this.current.tree!;
    const tcp = conv.proto === IpProto.Tcp;
    t.resume(layer);
    const node = t.add(tcp ? flowFields.tcpStream : flowFields.udpStream, conv.stream, layer.start, 0);
    placeAfter(layer.fields, node, tcp ? 'tcp.dstport' : 'udp.dstport');
  }

  private create(p: Packet, row: number, srcId: number, dstId: number): Conversation {
    const tcp = p.l4 === IpProto.Tcp;
    const flags = p.tcpFlags;
    let clientIsA = true;
    let roleReason: Conversation['roleReason'] = 'first-packet';
    if (tcp && (flags & (SYN | ACK)) === SYN) roleReason = 'syn';
    else if (tcp && (flags & (SYN | ACK)) === (SYN | ACK)) {
      clientIsA = false;
      roleReason = 'syn-ack';
    } else {
      const guess = clientIsFirstByPorts(p.srcPort, p.dstPort);
      if (guess !== null) {
        clientIsA = guess;
        roleReason = 'port';
      }
    }
    const conv: Conversation = {
      id: this.conversations.length,
      proto: p.l4,
      stream: (this.streamOf !== null ? this.streamOf(row) : undefined) ?? (tcp ? this.tcpStreams++ : this.udpStreams++),
      addrA: srcId,
      portA: p.srcPort,
      addrB: dstId,
      portB: p.dstPort,
      clientIsA,
      roleReason,
      dir: [newDirection(), newDirection()],
      firstRow: row,
      lastRow: row,
      tcp: null,
      app: null,
    };
    if (tcp) conv.tcp = new TcpConnection(this, conv);
    this.conversations.push(conv);
    return conv;
  }
}

/** Moves `node` (the last top-level field) right after the field named `after`, if present. */
function placeAfter(list: FieldNode[], node: FieldNode, after: string): void {
  if (list[list.length - 1] !== node) return;
  const at = list.findIndex((n) => n.name === after);
  if (at < 0 || at === list.length - 2) return;
  list.pop();
  list.splice(at + 1, 0, node);
}
