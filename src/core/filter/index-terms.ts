// The fast path: what the packet index alone can say about a test, per row, in three values —
// no, yes, or "unknown" (the packet must be re-dissected). The index holds one row's innermost
// addresses and ports, its top protocol, marks, TCP flags and analysis bits; everything it cannot
// vouch for (tunnels, the datagram an ICMP error quotes, damaged packets) is left unknown.

import { IpProto } from '../dissect/ip-protocols';
import { Mark, Proto } from '../dissect/packet';
import { AddressKind, type AddressTable } from '../io/address-table';
import { EXPERT, Group, expertSummary } from '../dissect/expert';
import type { ExpertItemView } from '../io/expert-log';
import { Analysis, TCP_ANALYSIS_FLAGS, type PacketIndex } from '../io/packet-index';
import type { FieldInfo } from './catalogue';
import type { Quantifier } from './parser';
import { parseIpv4, parseIpv6, type Pred } from './values';

export type Chunk = NonNullable<ReturnType<PacketIndex['chunk']>>;

/** Verdicts of the fast path. */
export const NO = 0;
export const YES = 1;
export const UNKNOWN = 2;

/** A row test over the index: NO, YES or UNKNOWN. */
export type RowFn = (c: Chunk, i: number, row: number) => number;

/** What the fast path needs besides the index columns. */
export interface FilterContext {
  index: PacketIndex;
  addresses: AddressTable;
  /** The capture's conversations by id (the index's stream column), for tcp.stream / udp.stream. */
  conversations: ConversationList;
  /** Packet comments by row; defaults to those the file holds (index.comments). */
  comments?: (row: number) => readonly string[];
}

/** Per-run lookups the row tests share. */
export class Bound {
  readonly index: PacketIndex;
  readonly addresses: AddressTable;
  readonly comments: (row: number) => readonly string[];
  readonly t0Sec: number;
  readonly t0Nsec: number;
  private readonly conversations: FilterContext['conversations'];
  private readonly streams: Int32Array;
  private kinds: Uint8Array;
  /** Address ids whose kind `kinds` holds (the table grows while a single pass filters). */
  private known = 0;
  private readonly infoKinds = new Map<string, boolean>();

  constructor(ctx: FilterContext) {
    this.index = ctx.index;
    this.addresses = ctx.addresses;
    const fileComments = ctx.index.comments;
    this.comments = ctx.comments ?? ((row) => fileComments.get(row) ?? []);
    this.t0Sec = ctx.index.count > 0 ? ctx.index.tsSec(0) : 0;
    this.t0Nsec = ctx.index.count > 0 ? ctx.index.tsNsec(0) : 0;
    this.conversations = ctx.conversations;
    // Conversation id → tcp.stream (≥ 0) or udp.stream (encoded −2 − n), −1 for neither.
    const n = ctx.conversations.count;
    this.streams = new Int32Array(n);
    for (let id = 0; id < n; id++) this.streams[id] = encodeStream(ctx.conversations, id);
    this.kinds = new Uint8Array(0);
    this.refreshKinds();
  }

  private refreshKinds(): void {
    const size = this.addresses.size + 1;
    if (size > this.kinds.length) {
      const kinds = new Uint8Array(size + 1024);
      kinds.set(this.kinds.subarray(0, this.known));
      this.kinds = kinds;
    }
    for (let id = this.known; id < size; id++) this.kinds[id] = this.addresses.kind(id);
    this.known = size;
  }

  private expertRow = -1;
  private expertList: readonly ExpertItemView[] = [];

  /** The expert items of a row (the last row asked is remembered: tests of one filter share it). */
  expertItems(row: number): readonly ExpertItemView[] {
    if (row !== this.expertRow) {
      this.expertRow = row;
      this.expertList = this.index.expert.hasRow(row) ? this.index.expert.itemsOf(row) : [];
    }
    return this.expertList;
  }

  /** AddressKind of an interned address id. */
  kind(id: number): number {
    if (id >= this.known) this.refreshKinds();
    return this.kinds[id]!;
  }

  /** Is a TLS Info text made only of records that are not handshake messages? (cached per text) */
  withoutHandshake(info: string): boolean {
    let v = this.infoKinds.get(info);
    if (v === undefined) {
      v = info.split(', ').every((part) => part === 'Application Data' || part === 'Change Cipher Spec');
      this.infoKinds.set(info, v);
    }
    return v;
  }

  /** tcp.stream of a conversation id, or −1. */
  tcpStream(conv: number): number {
    const s = conv < this.streams.length ? this.streams[conv]! : encodeStream(this.conversations, conv);
    return s >= 0 ? s : -1;
  }

  /** udp.stream of a conversation id, or −1. */
  udpStream(conv: number): number {
    const s = conv < this.streams.length ? this.streams[conv]! : encodeStream(this.conversations, conv);
    return s <= -2 ? -2 - s : -1;
  }
}

/** Conversations by id as a filter reads them (the flow stage's ConversationStore is one). */
export interface ConversationList {
  readonly count: number;
  proto(id: number): number;
  stream(id: number): number;
  firstRow(id: number): number;
}

function encodeStream(list: ConversationList, id: number): number {
  if (id < 0 || id >= list.count) return -1;
  const proto = list.proto(id);
  if (proto === IpProto.Tcp) return list.stream(id);
  if (proto === IpProto.Udp) return -2 - list.stream(id);
  return -1;
}

/** A test on one row as the index can answer it, built per run. */
export type IndexPlan = (b: Bound) => RowFn;

// Presence of a field in a row, as the index knows it.
const ABSENT = 0;
/** Present, and the values the index holds are all its occurrences. */
const EXACT = 1;
/** Present with the values the index holds, but there may be more occurrences (tunnels, ICMP). */
const PARTIAL = 2;
/** The index cannot tell. */
const OPAQUE = 3;

type Gate = (c: Chunk, i: number, b: Bound) => number;

const family = (protos: number[]): Uint8Array => {
  const t = new Uint8Array(256);
  for (const p of protos) t[p] = 1;
  return t;
};
const TLS = family([Proto.Tls, Proto.Ssl, Proto.Tls10, Proto.Tls11, Proto.Tls12, Proto.Tls13, Proto.Ssl3, Proto.Ssl2]);
/** Top protocols that sit on a TCP layer (the app parsers run on TCP streams only). */
const TCP = family([Proto.Tcp, Proto.Http, Proto.Http2, Proto.Tls, Proto.Ssl, Proto.Tls10, Proto.Tls11, Proto.Tls12, Proto.Tls13, Proto.Ssl3, Proto.Ssl2]);
const ICMPS = family([Proto.Icmp, Proto.Icmpv6]);
const MAL = Mark.Malformed;
const TUN = Mark.Tunnel;

/**
 * Protocol presence (NO / YES / UNKNOWN) from the top protocol: every layer above IP sets it, so a
 * TCP-borne top means a TCP layer; the datagram an ICMP error quotes is only in the tree.
 */
const protocolGates: Record<string, (c: Chunk, i: number, row: number, b: Bound) => number> = {
  frame: () => YES,
  tcp: (c, i) => {
    const p = c.proto[i]!;
    return TCP[p] === 1 ? YES : ICMPS[p] === 1 ? UNKNOWN : NO;
  },
  udp: (c, i) => {
    const p = c.proto[i]!;
    if (p === Proto.Udp || p === Proto.Vxlan) return YES;
    return ICMPS[p] === 1 || (c.marks[i]! & (MAL | TUN)) !== 0 ? UNKNOWN : NO;
  },
  ip: (c, i, _row, b) => ipPresence(c, i, b, AddressKind.Ipv4),
  ipv6: (c, i, _row, b) => ipPresence(c, i, b, AddressKind.Ipv6),
  tls: (c, i) => {
    const p = c.proto[i]!;
    // HTTP may have been decrypted out of TLS; a segment cut short by the snap length may hold
    // the start of a layer the Protocol column does not show.
    if (TLS[p] === 1) return YES;
    return p === Proto.Http || p === Proto.Http2 || (TCP[p] === 1 && c.caplen[i]! < c.wirelen[i]!) ? UNKNOWN : NO;
  },
  http: (c, i, row, b) => {
    const p = c.proto[i]!;
    // The Protocol column says HTTP for a body "Continuation" that has no http layer, and TCP for
    // a request head cut short by the snap length that has one (as tshark's does).
    if (p === Proto.Http) return b.index.infoText.get(row) === 'Continuation' ? UNKNOWN : YES;
    // An Upgrade's 101 shares its packet with the first HTTP/2 frames, which name the packet.
    return p === Proto.Http2 || (TCP[p] === 1 && c.caplen[i]! < c.wirelen[i]!) ? UNKNOWN : NO;
  },
  http2: (c, i) => {
    const p = c.proto[i]!;
    if (p === Proto.Http2) return YES;
    // HTTP/2 frames begin in decrypted TLS, or in a packet whose Protocol column says HTTP (101).
    return TLS[p] === 1 || p === Proto.Http || (TCP[p] === 1 && c.caplen[i]! < c.wirelen[i]!) ? UNKNOWN : NO;
  },
  arp: (c, i) => (c.proto[i] === Proto.Arp ? YES : NO),
  icmp: (c, i) => (c.proto[i] === Proto.Icmp ? YES : NO),
  icmpv6: (c, i) => (c.proto[i] === Proto.Icmpv6 ? YES : NO),
};

function ipPresence(c: Chunk, i: number, b: Bound, kind: number): number {
  if (b.kind(c.src[i]!) === kind) return YES;
  return ICMPS[c.proto[i]!] === 1 || (c.marks[i]! & (MAL | TUN)) !== 0 ? UNKNOWN : NO;
}

const gateTcp: Gate = (c, i) => {
  const p = c.proto[i]!;
  if (TCP[p] === 1) return (c.marks[i]! & MAL) !== 0 ? OPAQUE : EXACT;
  return ICMPS[p] === 1 ? OPAQUE : ABSENT;
};

const gateTcpStream: Gate = (c, i) => {
  const p = c.proto[i]!;
  if (TCP[p] === 1) return (c.marks[i]! & MAL) !== 0 || c.stream[i]! < 0 ? OPAQUE : EXACT;
  return ICMPS[p] === 1 ? OPAQUE : ABSENT;
};

const gateUdp: Gate = (c, i) => {
  const p = c.proto[i]!;
  const m = c.marks[i]!;
  if (p === Proto.Udp && (m & (MAL | TUN)) === 0) return EXACT;
  return ICMPS[p] === 1 || (m & (MAL | TUN)) !== 0 || p === Proto.Vxlan ? OPAQUE : ABSENT;
};

const gateUdpStream: Gate = (c, i, b) => {
  const g = gateUdp(c, i, b);
  return g === EXACT && c.stream[i]! < 0 ? OPAQUE : g;
};

function gateIp(kind: number): Gate {
  return (c, i, b) => {
    const uncertain = ICMPS[c.proto[i]!] === 1 || (c.marks[i]! & (MAL | TUN)) !== 0;
    if (b.kind(c.src[i]!) === kind) return uncertain ? PARTIAL : EXACT;
    return uncertain ? OPAQUE : ABSENT;
  };
}

type Getter = (c: Chunk, i: number, row: number, b: Bound) => number;

interface NumSource {
  kind: 'num';
  gate: Gate;
  get: Getter[];
}
interface AddrSource {
  kind: 'addr';
  family: number;
  gate: Gate;
  columns: ('src' | 'dst')[];
}
/** A field with any number of occurrences per row, each read from a per-row list. */
interface ListSource {
  kind: 'list';
  values: (b: Bound, row: number) => readonly (number | string)[];
}
interface FlagSource {
  kind: 'flag';
  /** NO / YES / UNKNOWN presence of an existence-only field. */
  presence: (c: Chunk, i: number, b: Bound, row: number) => number;
  /** The presence is never UNKNOWN. */
  exact: boolean;
}
type Source = NumSource | AddrSource | ListSource | FlagSource;

const always: Gate = () => EXACT;
const num = (gate: Gate, ...get: Getter[]): NumSource => ({ kind: 'num', gate, get });
const bit = (mask: number): Getter => (c, i) => ((c.tcpFlags[i]! & mask) !== 0 ? 1 : 0);

function analysisFlag(mask: number): FlagSource {
  return {
    kind: 'flag',
    exact: false,
    presence: (c, i) => {
      const p = c.proto[i]!;
      if (TCP[p] === 1) return (c.marks[i]! & MAL) !== 0 ? UNKNOWN : (c.analysis[i]! & mask) !== 0 ? YES : NO;
      return ICMPS[p] === 1 ? UNKNOWN : NO;
    },
  };
}

const A = Analysis;

/** Fields the index answers, by filter name. */
const SOURCES: Record<string, Source> = {
  'frame.number': num(always, (_c, _i, row) => row + 1),
  'frame.len': num(always, (c, i) => c.wirelen[i]!),
  'frame.cap_len': num(always, (c, i) => c.caplen[i]!),
  'frame.interface_id': num(always, (c, i) => c.iface[i]!),
  'frame.time_relative': num(always, (c, i, _row, b) => (c.tsSec[i]! - b.t0Sec) * 1e9 + (c.tsNsec[i]! - b.t0Nsec)),
  'frame.time_delta': num(always, (c, i, row, b) => {
    if (row === 0) return 0;
    const ps = i > 0 ? c.tsSec[i - 1]! : b.index.tsSec(row - 1);
    const pn = i > 0 ? c.tsNsec[i - 1]! : b.index.tsNsec(row - 1);
    return (c.tsSec[i]! - ps) * 1e9 + (c.tsNsec[i]! - pn);
  }),
  'frame.time_epoch': { kind: 'flag', exact: true, presence: () => YES },
  'frame.comment': { kind: 'list', values: (b, row) => b.comments(row) },
  // A dissector's damage, or an expert item of the Malformed group (Wireshark adds the field for both).
  '_ws.malformed': { kind: 'flag', exact: true, presence: (c, i, b, row) => ((c.marks[i]! & MAL) !== 0 || b.expertItems(row).some((x) => EXPERT[x.code]!.group === Group.Malformed) ? YES : NO) },
  '_ws.expert': { kind: 'flag', exact: true, presence: (_c, _i, b, row) => (b.index.expert.hasRow(row) ? YES : NO) },
  '_ws.expert.severity': { kind: 'list', values: (b, row) => b.expertItems(row).map((x) => EXPERT[x.code]!.severity) },
  '_ws.expert.group': { kind: 'list', values: (b, row) => b.expertItems(row).map((x) => EXPERT[x.code]!.group) },
  '_ws.expert.message': { kind: 'list', values: (b, row) => b.expertItems(row).map((x) => expertSummary(x.code, x.a, x.b, x.text)) },
  'tcp.srcport': num(gateTcp, (c, i) => c.srcPort[i]!),
  'tcp.dstport': num(gateTcp, (c, i) => c.dstPort[i]!),
  'tcp.port': num(gateTcp, (c, i) => c.srcPort[i]!, (c, i) => c.dstPort[i]!),
  'tcp.flags': num(gateTcp, (c, i) => c.tcpFlags[i]!),
  'tcp.flags.res': num(gateTcp, bit(0xe00)),
  'tcp.flags.ae': num(gateTcp, bit(0x100)),
  'tcp.flags.cwr': num(gateTcp, bit(0x080)),
  'tcp.flags.ece': num(gateTcp, bit(0x040)),
  'tcp.flags.urg': num(gateTcp, bit(0x020)),
  'tcp.flags.ack': num(gateTcp, bit(0x010)),
  'tcp.flags.push': num(gateTcp, bit(0x008)),
  'tcp.flags.reset': num(gateTcp, bit(0x004)),
  'tcp.flags.syn': num(gateTcp, bit(0x002)),
  'tcp.flags.fin': num(gateTcp, bit(0x001)),
  'tcp.stream': num(gateTcpStream, (c, i, _row, b) => b.tcpStream(c.stream[i]!)),
  'tcp.analysis.flags': analysisFlag(TCP_ANALYSIS_FLAGS),
  'tcp.analysis.retransmission': analysisFlag(A.Retransmission | A.FastRetransmission | A.SpuriousRetransmission),
  'tcp.analysis.fast_retransmission': analysisFlag(A.FastRetransmission),
  'tcp.analysis.spurious_retransmission': analysisFlag(A.SpuriousRetransmission),
  'tcp.analysis.out_of_order': analysisFlag(A.OutOfOrder),
  'tcp.analysis.lost_segment': analysisFlag(A.LostSegment),
  'tcp.analysis.ack_lost_segment': analysisFlag(A.AckLostSegment),
  'tcp.analysis.duplicate_ack': analysisFlag(A.DuplicateAck),
  'tcp.analysis.zero_window': analysisFlag(A.ZeroWindow),
  'tcp.analysis.zero_window_probe': analysisFlag(A.ZeroWindowProbe),
  'tcp.analysis.zero_window_probe_ack': analysisFlag(A.ZeroWindowProbeAck),
  'tcp.analysis.window_full': analysisFlag(A.WindowFull),
  'tcp.analysis.window_update': analysisFlag(A.WindowUpdate),
  'tcp.analysis.keep_alive': analysisFlag(A.KeepAlive),
  'tcp.analysis.keep_alive_ack': analysisFlag(A.KeepAliveAck),
  'tcp.analysis.reused_ports': analysisFlag(A.ReusedPorts),
  'udp.srcport': num(gateUdp, (c, i) => c.srcPort[i]!),
  'udp.dstport': num(gateUdp, (c, i) => c.dstPort[i]!),
  'udp.port': num(gateUdp, (c, i) => c.srcPort[i]!, (c, i) => c.dstPort[i]!),
  'udp.stream': num(gateUdpStream, (c, i, _row, b) => b.udpStream(c.stream[i]!)),
  'ip.src': { kind: 'addr', family: AddressKind.Ipv4, gate: gateIp(AddressKind.Ipv4), columns: ['src'] },
  'ip.dst': { kind: 'addr', family: AddressKind.Ipv4, gate: gateIp(AddressKind.Ipv4), columns: ['dst'] },
  'ip.addr': { kind: 'addr', family: AddressKind.Ipv4, gate: gateIp(AddressKind.Ipv4), columns: ['src', 'dst'] },
  'ipv6.src': { kind: 'addr', family: AddressKind.Ipv6, gate: gateIp(AddressKind.Ipv6), columns: ['src'] },
  'ipv6.dst': { kind: 'addr', family: AddressKind.Ipv6, gate: gateIp(AddressKind.Ipv6), columns: ['dst'] },
  'ipv6.addr': { kind: 'addr', family: AddressKind.Ipv6, gate: gateIp(AddressKind.Ipv6), columns: ['src', 'dst'] },
};

/** A row's value of a field as the index holds it: a number, null when the packet has no such field, undefined when only its tree can say. */
export type IndexValue = (c: Chunk, i: number, row: number, b: Bound) => number | null | undefined;

/**
 * The index's reader of one numeric field with one value per packet (ports, lengths, streams, TCP
 * flags…), for sorting a custom column without re-dissecting: null where the gate says the field
 * is absent, undefined where the index cannot vouch for it. Times are in seconds, as the tree shows them.
 */
export function indexValue(name: string): IndexValue | null {
  const src = SOURCES[name];
  if (src === undefined || src.kind !== 'num' || src.get.length !== 1) return null;
  const get = src.get[0]!;
  const gate = src.gate;
  const scale = name.startsWith('frame.time_') ? 1e-9 : 1;
  return (c, i, row, b) => {
    const g = gate(c, i, b);
    return g === EXACT ? get(c, i, row, b) * scale : g === ABSENT ? null : undefined;
  };
}

/** Can the index answer this field in at least some rows (beyond its protocol's absence)? */
export function indexAnswers(field: FieldInfo): boolean {
  return SOURCES[field.name] !== undefined || (field.isProtocol && protocolGates[field.name] !== undefined);
}

/** The fast-path test for "field is present". */
export function existsPlan(field: FieldInfo): { plan: IndexPlan; exact: boolean } {
  const src = SOURCES[field.name];
  if (src !== undefined) {
    if (src.kind === 'flag') {
      const presence = src.presence;
      return { plan: (b) => (c, i, row) => presence(c, i, b, row), exact: src.exact };
    }
    if (src.kind === 'list') return { plan: (b) => (_c, _i, row) => (src.values(b, row).length > 0 ? YES : NO), exact: true };
    const gate = src.gate;
    return {
      plan: (b) => (c, i) => {
        const g = gate(c, i, b);
        return g === ABSENT ? NO : g === OPAQUE ? UNKNOWN : YES;
      },
      exact: gate === always,
    };
  }
  return gatePlan(field, true);
}

/**
 * Only the protocol's presence is known: for a value test, an absent protocol → NO and otherwise
 * the tree decides; for a protocol's own presence, the answer itself.
 */
export function gatePlan(field: FieldInfo, presenceTest = false): { plan: IndexPlan; exact: boolean } {
  const presence = protocolGates[field.protocol];
  if (presence === undefined) return { plan: () => () => UNKNOWN, exact: false };
  if (field.isProtocol && presenceTest) return { plan: (b) => (c, i, row) => presence(c, i, row, b), exact: field.protocol === 'frame' };
  if (field.name === 'ip.version') {
    // IPv6 carries a hidden ip.version too (packet-ipv6.c), so `ip.version == 6` finds IPv6 packets.
    const v6 = protocolGates['ipv6']!;
    return { plan: (b) => (c, i, row) => (presence(c, i, row, b) === NO && v6(c, i, row, b) === NO ? NO : UNKNOWN), exact: false };
  }
  if (field.name.startsWith('tls.handshake.') || field.name === 'tls.handshake') {
    // Most TLS packets carry only application data: their Info text says so, and then the tree
    // has no handshake message to look at.
    return {
      plan: (b) => {
        const infoText = b.index.infoText;
        return (c, i, row) => {
          const v = presence(c, i, row, b);
          if (v === NO) return NO;
          const info = infoText.get(row);
          return info !== undefined && b.withoutHandshake(info) ? NO : UNKNOWN;
        };
      },
      exact: false,
    };
  }
  return { plan: (b) => (c, i, row) => (presence(c, i, row, b) === NO ? NO : UNKNOWN), exact: false };
}

/**
 * The fast-path test for a comparison: `pred` on each occurrence (masked first when `mask` is set),
 * combined by `quantifier` — any occurrence, or all of at least one.
 */
export function comparePlan(field: FieldInfo, pred: Pred, quantifier: Quantifier, mask: number | null): { plan: IndexPlan; exact: boolean } {
  const src = SOURCES[field.name];
  if (src === undefined || src.kind === 'flag') return gatePlan(field);
  const any = quantifier === 'any';
  if (src.kind === 'list') {
    return {
      plan: (b) => (_c, _i, row) => {
        const list = src.values(b, row);
        if (list.length === 0) return NO;
        for (const s of list) if (pred(s) === any) return any ? YES : NO;
        return any ? NO : YES;
      },
      exact: true,
    };
  }
  if (src.kind === 'addr') return { plan: addressPlan(src, pred, any), exact: false };
  const gate = src.gate;
  const exact = gate === always;
  const test: Pred = mask === null ? pred : (v) => pred(((v as number) & mask) >>> 0);
  if (src.get.length === 1) {
    const get = src.get[0]!;
    return {
      plan: (b) => (c, i, row) => {
        const g = gate(c, i, b);
        if (g === ABSENT) return NO;
        if (g === OPAQUE) return UNKNOWN;
        // One occurrence: any and all agree when it is the only one.
        if (test(get(c, i, row, b)) === any) return any ? YES : NO;
        return g === EXACT ? (any ? NO : YES) : UNKNOWN;
      },
      exact,
    };
  }
  const getA = src.get[0]!;
  const getB = src.get[1]!;
  return {
    plan: (b) => (c, i, row) => {
      const g = gate(c, i, b);
      if (g === ABSENT) return NO;
      if (g === OPAQUE) return UNKNOWN;
      if (test(getA(c, i, row, b)) === any || test(getB(c, i, row, b)) === any) return any ? YES : NO;
      return g === EXACT ? (any ? NO : YES) : UNKNOWN;
    },
    exact,
  };
}

/** Address tests run once per distinct address (a table by id), not once per packet. */
function addressPlan(src: AddrSource, pred: Pred, any: boolean): IndexPlan {
  const gate = src.gate;
  const both = src.columns.length === 2;
  const useSrc = src.columns[0] === 'src';
  const fam = src.family;
  return (b) => {
    const table = new IdTable(b.addresses, fam, pred);
    if (both) {
      return (c, i) => {
        const g = gate(c, i, b);
        if (g === ABSENT) return NO;
        if (g === OPAQUE) return UNKNOWN;
        if (table.test(c.src[i]!) === any || table.test(c.dst[i]!) === any) return any ? YES : NO;
        return g === EXACT ? (any ? NO : YES) : UNKNOWN;
      };
    }
    return (c, i) => {
      const g = gate(c, i, b);
      if (g === ABSENT) return NO;
      if (g === OPAQUE) return UNKNOWN;
      if (table.test(useSrc ? c.src[i]! : c.dst[i]!) === any) return any ? YES : NO;
      return g === EXACT ? (any ? NO : YES) : UNKNOWN;
    };
  };
}

/** `pred` of each interned address, computed on first use (0 not yet, 1 false, 2 true). */
class IdTable {
  private cache: Uint8Array;
  private readonly values: AddressValues;

  constructor(
    addresses: AddressTable,
    private readonly family: number,
    private readonly pred: Pred,
  ) {
    this.values = addressValues(addresses);
    this.cache = new Uint8Array(addresses.size + 1);
  }

  test(id: number): boolean {
    let v = id < this.cache.length ? this.cache[id]! : 0;
    if (v === 0) {
      if (id >= this.cache.length) {
        const grown = new Uint8Array(id + 1024);
        grown.set(this.cache);
        this.cache = grown;
      }
      const value = this.family === AddressKind.Ipv4 ? this.values.v4(id) : this.values.v6(id);
      v = value !== null && this.pred(value) ? 2 : 1;
      this.cache[id] = v;
    }
    return v === 2;
  }
}

/** Addresses in comparable form, parsed once per address table (filters run again and again). */
class AddressValues {
  /** IPv4 value by id: −2 not parsed yet, −1 not an IPv4 address. */
  private four = new Float64Array(0);
  private readonly six = new Map<number, string | null>();

  constructor(private readonly addresses: AddressTable) {}

  v4(id: number): number | null {
    if (id >= this.four.length) {
      const grown = new Float64Array(Math.max(id + 1, this.addresses.size + 1) + 1024).fill(-2);
      grown.set(this.four);
      this.four = grown;
    }
    let v = this.four[id]!;
    if (v === -2) {
      v = this.addresses.kind(id) === AddressKind.Ipv4 ? (parseIpv4(this.addresses.text(id)) ?? -1) : -1;
      this.four[id] = v;
    }
    return v < 0 ? null : v;
  }

  v6(id: number): string | null {
    let v = this.six.get(id);
    if (v === undefined) {
      v = this.addresses.kind(id) === AddressKind.Ipv6 ? parseIpv6(this.addresses.text(id)) : null;
      this.six.set(id, v);
    }
    return v;
  }
}

const valueCache = new WeakMap<AddressTable, AddressValues>();

function addressValues(addresses: AddressTable): AddressValues {
  let v = valueCache.get(addresses);
  if (v === undefined) {
    v = new AddressValues(addresses);
    valueCache.set(addresses, v);
  }
  return v;
}
