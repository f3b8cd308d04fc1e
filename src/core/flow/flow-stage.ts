// The flow stage of the analysis pass: finds each packet's conversation, counts it, and for TCP
// runs the per-connection analysis (states, tshark's SEQ/ACK analysis) and stream reassembly into
// the conversation's application parser.

import { IpProto } from '../dissect/ip-protocols';
import { Packet } from '../dissect/packet';
import type { FieldNode, Layer } from '../dissect/tree';
import { uintDec } from '../dissect/fields';
import { Analysis, RETRANSMISSION } from '../io/packet-index';
import type { AppParserFactory, StreamChunk } from './app-parser';
import { clientIsFirstByPorts, type Conversation, type RoleReason } from './conversation';
import { ConvFlag, ConversationStore, RETRANSMISSION_ROWS, slotOf } from './conversation-store';
import { FlowKeyTable } from './flow-key';
import { SegmentAnalysis } from './tcp-analysis';
import { tcpExpert } from './tcp-expert';
import { TcpConnection, tcpSegmentLength, type FlowContext } from './tcp-connection';
import { addReassembledIn, addTcpFlowTree, tcpFlowFields, type TcpTreeInfo } from './tcp-fields';
import type { LaterFrames } from './later-frames';

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
  /**
   * Keep conversations in the store only: a TCP connection's objects are released once nothing in
   * them is needed any more (closed, or idle with no parser state), UDP conversations never get
   * any. For whole-file passes, whose memory must grow with open connections, not with all of them.
   * Off: every conversation keeps its objects (`conversations`), for replays and tests.
   */
  compact?: boolean;
  /** The store to keep conversations in (a shared one, for a pass split across threads). */
  store?: ConversationStore;
  /**
   * When a compacting pass looks for idle connections (every `sweepPackets` packets) and how long
   * they must have been idle (capture seconds). Tests make both tiny to release and restore
   * connections as often as possible.
   */
  compaction?: { idleSeconds: number; sweepPackets: number };
  /**
   * Writes what the store keeps of a conversation's application and its verdict, while its objects
   * are still there (when they are released, when the pass ends, or on sync()). The engine provides it.
   */
  summarize?: (conv: Conversation, store: ConversationStore) => void;
  /** Out-of-order bytes buffered per direction (default 4 MiB). */
  reassemblyLimit?: number;
  /**
   * Replays of part of a capture: the tcp.stream / udp.stream number a conversation starting at
   * `row` had in the full pass (undefined: number them here, from 0).
   */
  streamOf?: (row: number) => number | undefined;
  /**
   * Frame references to later packets (tcp.reassembled_in, http.response_in): recorded for its
   * wanted rows as the pass goes, and shown in the trees of rows a previous pass recorded them for.
   */
  laterFrames?: LaterFrames;
}

const SYN = 0x002;
const ACK = 0x010;


/** A compacting pass looks for closed and idle connections to release every this many packets. */
const SWEEP_PACKETS = 1 << 14;
/** Capture seconds without packets after which a connection that holds no parser state is released. */
const IDLE_SECONDS = 10;

export class FlowStage implements FlowContext {
  /** Every conversation: identity, counters, TCP facts, application summary, verdict. */
  readonly store: ConversationStore;
  readonly factories: readonly AppParserFactory[];
  readonly keepSpans: boolean;
  readonly wantsTrees: boolean;
  readonly summaryOnly: boolean;
  readonly compact: boolean;
  readonly reassemblyLimit: number;
  readonly laterFrames: LaterFrames | null;
  readonly chunk: StreamChunk;
  current: Packet;
  currentRow = -1;
  /** Conversation objects by id: all of them, or (compact) the TCP connections still open. */
  private readonly objects: (Conversation | undefined)[] = [];
  /** Ids with objects (compact mode), for sweeps and the end of the pass. */
  private readonly live = new Set<number>();
  private readonly summarize: ((conv: Conversation, store: ConversationStore) => void) | null;
  private readonly keys = new FlowKeyTable(4096);
  private readonly ta = new SegmentAnalysis();
  private readonly treeInfo: TcpTreeInfo = { haveSeglen: false, headerOk: false, winScale: -1, initialRttNs: 0, sackBase: 0 };
  /** Key and conversation of the previous packet. */
  private lastA = -1;
  private lastB = -1;
  private lastPorts = -1;
  private lastProto = -1;
  private lastId = -1;
  private sinceSweep = 0;
  private tcpStreams = 0;
  private udpStreams = 0;
  private readonly idleSeconds: number;
  private readonly sweepPackets: number;
  private readonly streamOf: ((row: number) => number | undefined) | null;

  constructor(opts: FlowStageOptions = {}) {
    this.store = opts.store ?? new ConversationStore();
    this.factories = opts.appFactories ?? [];
    this.keepSpans = opts.keepSpans ?? false;
    this.wantsTrees = opts.wantsTrees ?? false;
    this.summaryOnly = opts.summaryOnly ?? (!this.keepSpans && !this.wantsTrees);
    this.compact = opts.compact ?? false;
    this.summarize = opts.summarize ?? null;
    this.idleSeconds = opts.compaction?.idleSeconds ?? IDLE_SECONDS;
    this.sweepPackets = opts.compaction?.sweepPackets ?? SWEEP_PACKETS;
    this.reassemblyLimit = opts.reassemblyLimit ?? DEFAULT_REASSEMBLY_LIMIT;
    this.streamOf = opts.streamOf ?? null;
    this.laterFrames = opts.laterFrames ?? null;
    // An empty slot until the first packet: chunk.p is never null.
    this.current = new Packet();
    this.chunk = { p: this.current, row: -1, streamOffset: 0, frameOffset: -1 };
  }

  /**
   * The conversation objects, by id. Without `compact`, every conversation of the pass (replays,
   * tests); a compacting pass keeps none here (read the store).
   */
  get conversations(): readonly Conversation[] {
    return this.compact ? NONE : (this.objects as Conversation[]);
  }

  /**
   * What relative numbers of end `end` of TCP conversation `id` count from, and its window shift
   * (live objects or the store): null when the conversation is not TCP or the base is not known.
   */
  tcpBase(id: number, end: number): { baseSeq: number | null; winScale: number } | null {
    if (id < 0 || id >= this.store.count || this.store.proto(id) !== IpProto.Tcp) return null;
    const cols = this.store.chunkOf(id);
    const i = slotOf(id);
    return { baseSeq: (cols.seqBaseSet[i]! & (1 << end)) !== 0 ? cols.seqBase2[2 * i + end]! : null, winScale: cols.winScale2[2 * i + end]! };
  }

  /** The objects of conversation `id` if it still has them. */
  objectOf(id: number): Conversation | undefined {
    return this.objects[id];
  }

  /**
   * Assigns `p.conversation` for TCP and UDP packets and runs the TCP analysis. `srcId`/`dstId`
   * are the interned ids of the packet's innermost network addresses.
   */
  onPacket(p: Packet, row: number, srcId: number, dstId: number): void {
    if (this.route(p, row, srcId, dstId) >= 0) this.analyse(p, row, this.routedDir, this.routedNew, this.routedReused);
  }

  /**
   * The first half of onPacket, done by the thread that reads the file: finds (or starts) the
   * packet's conversation and sets `p.conversation`; returns it, or −1 for neither TCP nor UDP.
   * What analyse() needs besides is left in routedDir (0: sent by end A), routedNew (a new
   * conversation) and routedReused (the conversation a SYN on a reused 5-tuple ends, or −1).
   */
  route(p: Packet, row: number, srcId: number, dstId: number): number {
    const proto = p.l4;
    if (proto !== IpProto.Tcp && proto !== IpProto.Udp) return -1;
    const tcp = proto === IpProto.Tcp;
    const sport = p.srcPort;
    const dport = p.dstPort;
    const srcFirst = srcId < dstId || (srcId === dstId && sport <= dport);
    const a = srcFirst ? srcId : dstId;
    const b = srcFirst ? dstId : srcId;
    const ports = srcFirst ? ((sport << 16) | dport) >>> 0 : ((dport << 16) | sport) >>> 0;
    const store = this.store;
    // Packets come in bursts per conversation: the previous one's key is checked first.
    let id: number;
    if (a === this.lastA && b === this.lastB && ports === this.lastPorts && proto === this.lastProto) id = this.lastId;
    else id = this.keys.get(proto, a, b, ports);
    let reused = -1;
    if (id >= 0 && tcp && (p.tcpFlags & (SYN | ACK)) === SYN) {
      // tshark: a SYN whose sequence number differs from what that end started with opens a new
      // connection on the same 5-tuple (a new tcp.stream) and reports the ports as reused.
      const cols = store.chunkOf(id);
      const i = slotOf(id);
      const end = cols.addrA[i] === srcId && cols.portA[i] === sport ? 0 : 1;
      if ((cols.seqBaseSet[i]! & (1 << end)) !== 0 && p.tcpSeq >>> 0 !== cols.seqBase2[2 * i + end]) {
        reused = id;
        id = -1;
      }
    }
    const fresh = id < 0;
    if (fresh) {
      id = this.create(p, row, srcId, dstId, reused);
      this.keys.set(proto, a, b, ports, id);
    }
    this.lastA = a;
    this.lastB = b;
    this.lastPorts = ports;
    this.lastProto = proto;
    this.lastId = id;
    const cols = store.chunkOf(id);
    const i = slotOf(id);
    const d = cols.addrA[i] === srcId && cols.portA[i] === sport ? 0 : 1;
    if (tcp) trackTcpEnds(cols, i, d, p);
    p.conversation = id;
    this.routedDir = d;
    this.routedNew = fresh;
    this.routedReused = reused;
    return id;
  }

  /** The end that sent the packet route() saw last (0: A), whether it began a conversation, and the one it ended by port reuse. */
  routedDir = 0;
  routedNew = false;
  routedReused = -1;

  /**
   * The second half of onPacket, done by the shard that holds conversation `p.conversation`:
   * counts the packet and runs the TCP analysis, reassembly and application parsers. `d`, `fresh`
   * and `reused` are what route() found.
   */
  analyse(p: Packet, row: number, d: number, fresh: boolean, reused: number): void {
    const id = p.conversation;
    const tcp = p.l4 === IpProto.Tcp;
    const ta = this.ta;
    ta.clear();
    this.current = p;
    this.currentRow = row;
    const store = this.store;
    if (reused >= 0) {
      const old = this.objects[reused];
      if (old !== undefined) {
        old.tcp!.finish();
        if (this.compact) this.release(old);
      }
      ta.flag(Analysis.ReusedPorts);
    }
    const since = store.count1(id, d, row, p.wirelen, p.payloadWireLength, p.tsSec, p.tsNsec);
    const t = p.tree;
    const layer = t !== null ? t.find(tcp ? 'tcp' : 'udp') : null;
    if (!tcp) {
      if (fresh && !this.compact) this.objects[id] = this.newConversation(id, row);
      p.flowDir = (d === 0) === store.clientIsA(id) ? 0 : 1;
      if (layer !== null) this.streamField(layer, store.stream(id), false);
      return;
    }
    const conv = fresh ? this.adopt(id, row) : (this.objects[id] ?? this.restore(id));
    const connection = conv.tcp!;
    const flags = p.tcpFlags;
    if ((flags & (SYN | ACK)) === SYN && (conv.roleReason === 'port' || conv.roleReason === 'first-packet') && conv.app === null) {
      // A SYN settles who the client is, whatever ports or the first packet suggested.
      conv.clientIsA = d === 0;
      conv.roleReason = 'syn';
      store.setRole(id, conv.clientIsA, 'syn');
    }
    // What the verdict's evidence counts: SYNs and SYN/ACKs each end sent, retransmissions, and
    // how long the conversation was idle before its first RST.
    const cols = store.chunkOf(id);
    const slot = slotOf(id);
    if ((flags & (SYN | ACK)) === SYN) cols.syns2[2 * slot + d]!++;
    else if ((flags & (SYN | ACK)) === (SYN | ACK)) cols.synAcks2[2 * slot + d]!++;
    const hadRst = connection.handshake.rstRow >= 0;
    connection.segment(p, row, d, ta, this.treeInfo);
    tcpExpert(p, connection, d, ta);
    if ((p.analysis & RETRANSMISSION) !== 0) {
      let rows = store.retransmissionRows.get(id);
      if (rows === undefined) store.retransmissionRows.set(id, (rows = []));
      if (rows.length < RETRANSMISSION_ROWS && cols.retransmissions[slot]! < RETRANSMISSION_ROWS) rows.push(row);
      cols.retransmissions[slot]!++;
      if ((p.analysis & Analysis.FastRetransmission) !== 0) cols.fastRetransmissions[slot]!++;
    }
    if (!hadRst && connection.handshake.rstRow >= 0) {
      cols.rstIdle[slot] = since < 0 ? 0 : since;
      if ((flags & ACK) !== 0) cols.flags[slot] = cols.flags[slot]! | ConvFlag.RstAck;
    }
    if (layer !== null) {
      this.streamField(layer, conv.stream, true);
      const source = t!.source;
      t!.source = layer.source;
      addTcpFlowTree(t!, layer, p, ta, this.treeInfo);
      const reassembledIn = this.laterFrames?.reassembledIn(row) ?? 0;
      if (reassembledIn > 0) addReassembledIn(t!, layer, reassembledIn);
      t!.source = source;
    }
    connection.payload(p, d);
    if (this.compact && ++this.sinceSweep >= this.sweepPackets) this.sweep(p.tsSec);
  }

  /** Called once after the last packet: flushes reassembly, ends open streams, fills the store. */
  finish(): void {
    for (let id = 0; id < this.objects.length; id++) {
      const conv = this.objects[id];
      if (conv === undefined) continue;
      if (conv.tcp !== null) conv.tcp.finish();
      if (this.compact) this.release(conv);
      else this.save(conv);
    }
  }

  /**
   * Brings the store up to date for the conversations that still have objects (while a pass runs:
   * the views read the store only).
   */
  sync(): void {
    for (const id of this.compact ? this.live : this.objects.keys()) {
      const conv = this.objects[id];
      if (conv !== undefined) this.save(conv);
    }
  }

  /** Writes a conversation's objects into the store (they stay). */
  private save(conv: Conversation): void {
    const store = this.store;
    if (conv.tcp !== null) conv.tcp.save(store, conv.id);
    if (this.summarize !== null) this.summarize(conv, store);
  }

  /** Saves a TCP connection into the store and lets its objects go. */
  private release(conv: Conversation): void {
    this.save(conv);
    this.objects[conv.id] = undefined;
    this.live.delete(conv.id);
    // Once the parser is gone the verdict is not worked out from objects again (a late packet makes
    // it stale, and a replay reads the rows from the index): the rows can go.
    if (conv.app !== null) this.store.retransmissionRows.delete(conv.id);
  }

  /** Objects again for a released connection (a packet came after all), from what the store saved. */
  private restore(id: number): Conversation {
    const store = this.store;
    const conv = this.newConversation(id, store.firstRow(id));
    conv.tcp = TcpConnection.restore(this, conv, store, id);
    store.setFlag(id, ConvFlag.Restored, true);
    this.objects[id] = conv;
    this.live.add(id);
    return conv;
  }

  /**
   * Releases the connections that hold no parser state and are closed, or idle for IDLE_SECONDS of
   * capture time. Closed ones wait for a sweep rather than going at their last FIN or ACK: a late
   * packet (a retransmitted FIN) then finds them whole, with no verdict to work out again.
   */
  private sweep(nowSec: number): void {
    this.sinceSweep = 0;
    const store = this.store;
    for (const id of this.live) {
      const conv = this.objects[id]!;
      const tcp = conv.tcp!;
      if (!tcp.releasable) continue;
      const last = Math.max(store.lastTime(id, 0).sec, store.lastTime(id, 1).sec);
      if (tcp.closed || nowSec - last >= this.idleSeconds) this.release(conv);
    }
  }

  /** tcp.stream / udp.stream, placed after the ports as tshark shows it. */
  private streamField(layer: Layer, stream: number, tcp: boolean): void {
    const t = this.current.tree!;
    t.resume(layer);
    const node = t.add(tcp ? flowFields.tcpStream : flowFields.udpStream, stream, layer.start, 0);
    placeAfter(layer.fields, node, tcp ? 'tcp.dstport' : 'udp.dstport');
  }

  /**
   * A new conversation from its first packet: its row in the store, with the role the packet
   * suggests and its stream number; a conversation begun by port reuse stays in the shard of the
   * one it replaces.
   */
  private create(p: Packet, row: number, srcId: number, dstId: number, reused: number): number {
    const tcp = p.l4 === IpProto.Tcp;
    const flags = p.tcpFlags;
    let clientIsA = true;
    let roleReason: RoleReason = 'first-packet';
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
    const store = this.store;
    const stream = (this.streamOf !== null ? this.streamOf(row) : undefined) ?? (tcp ? this.tcpStreams++ : this.udpStreams++);
    const id = store.add(p.l4, stream, srcId, p.srcPort, dstId, p.dstPort, row);
    store.setRole(id, clientIsA, roleReason);
    store.chunkOf(id).shard[slotOf(id)] = reused >= 0 ? store.chunkOf(reused).shard[slotOf(reused)]! : this.chooseShard();
    return id;
  }

  /**
   * Which shard a new conversation goes to (the parallel pass balances its shards here; alone,
   * the flow stage is shard 0).
   */
  chooseShard: () => number = () => 0;

  /** Objects for a TCP conversation route() just began. */
  private adopt(id: number, row: number): Conversation {
    const conv = this.newConversation(id, row);
    conv.tcp = new TcpConnection(this, conv);
    this.objects[id] = conv;
    if (this.compact) this.live.add(id);
    return conv;
  }

  private newConversation(id: number, firstRow: number): Conversation {
    const store = this.store;
    return {
      id,
      proto: store.proto(id),
      stream: store.stream(id),
      addrA: store.addrA(id),
      portA: store.portA(id),
      addrB: store.addrB(id),
      portB: store.portB(id),
      clientIsA: store.clientIsA(id),
      roleReason: store.roleReason(id),
      firstRow,
      tcp: null,
      app: null,
    };
  }
}

const NONE: readonly Conversation[] = Object.freeze([]);

/**
 * What the reading thread keeps of each TCP end (ConversationStore.seqBase2 / winScale2), updated
 * from packet `p` sent by end `d` as the connection's own analysis updates its TcpFlow: the base of
 * its relative numbers (a SYN,ACK with a new sequence number moves it; otherwise the first segment
 * sets it, and the first ACK sets the peer's) and the window shift (RFC 7323 §2.3, and tshark's
 * verify_tcp_window_scaling).
 */
function trackTcpEnds(cols: ReturnType<ConversationStore['chunkOf']>, i: number, d: number, p: Packet): void {
  const r = 1 - d;
  const flags = p.tcpFlags;
  const seq = p.tcpSeq >>> 0;
  const fwd = 2 * i + d;
  const rev = 2 * i + r;
  let set = cols.seqBaseSet[i]!;
  if ((flags & (SYN | ACK)) === (SYN | ACK) && (set & (1 << d)) !== 0 && seq !== cols.seqBase2[fwd]) cols.seqBase2[fwd] = seq;
  if (tcpSegmentLength(p) >= 0) {
    if ((set & (1 << d)) === 0) {
      cols.seqBase2[fwd] = (flags & SYN) !== 0 ? seq : (seq - 1) >>> 0;
      set |= 1 << d;
    }
    if ((set & (1 << r)) === 0 && (flags & ACK) !== 0) {
      cols.seqBase2[rev] = ((p.tcpAck >>> 0) - 1) >>> 0;
      set |= 1 << r;
    }
    cols.seqBaseSet[i] = set;
  }
  if (p.tcpHeaderLength >= 20) {
    if (p.tcpWindowScale >= 0) cols.winScale2[fwd] = p.tcpWindowScale > 14 ? 14 : p.tcpWindowScale;
    if ((flags & SYN) !== 0) {
      if (cols.winScale2[fwd] === -1) {
        cols.winScale2[fwd] = -2;
        cols.winScale2[rev] = -2;
      } else if ((flags & ACK) !== 0 && cols.winScale2[rev] === -2) cols.winScale2[fwd] = -2;
    }
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
