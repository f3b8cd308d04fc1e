// The reused per-packet slot that dissectors fill on the fast path (no objects per packet).

import { ExpertSlot } from './expert';
import type { TreeBuilder } from './tree';
import type { Registry } from './registry';
import type { Defragmenter } from './ip-defrag';

/** Protocol numbers for the Protocol column and the index (one byte each). */
export const Proto = {
  None: 0,
  Frame: 1,
  Eth: 2,
  Llc: 3,
  Vlan: 4,
  Mpls: 5,
  Sll: 6,
  Sll2: 7,
  Null: 8,
  Arp: 9,
  Ipv4: 10,
  Ipv6: 11,
  Icmp: 12,
  Icmpv6: 13,
  Tcp: 14,
  Udp: 15,
  Gre: 16,
  Vxlan: 17,
  Tls: 18,
  Http: 19,
  Data: 20,
  Ssl: 21,
  Raw: 22,
  Tls10: 23,
  Tls11: 24,
  Tls12: 25,
  Tls13: 26,
  Ssl3: 27,
  Ssl2: 28,
  Http2: 29,
} as const;
export type ProtoId = (typeof Proto)[keyof typeof Proto];

/** Column names, as tshark's Protocol column shows them. */
export const protoColumnNames: readonly string[] = [
  '', 'Frame', 'Ethernet', 'LLC', '802.1Q', 'MPLS', 'SLL', 'SLL2', 'NULL', 'ARP', 'IPv4', 'IPv6',
  'ICMP', 'ICMPv6', 'TCP', 'UDP', 'GRE', 'VXLAN', 'TLS', 'HTTP', 'Data', 'SSL', 'Raw',
  'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', 'SSLv3', 'SSLv2', 'HTTP2',
];

/** Bits of `Packet.marks` (kept per packet in the index). */
export const Mark = {
  Malformed: 1,
  IpChecksumBad: 2,
  L4ChecksumBad: 4,
  Fragment: 8,
  Comment: 16,
  Truncated: 32,
  /**
   * The packet is encapsulated: a link or network layer follows a network layer (IP in IP, GRE,
   * VXLAN), so the index's addresses and ports describe only the innermost headers.
   */
  Tunnel: 64,
} as const;

/** Dispatch tables a dissector can hand off to (Wireshark's dissector tables). */
export const Table = {
  None: 0,
  LinkType: 1,
  EtherType: 2,
  IpProto: 3,
  UdpPort: 4,
  PppType: 5,
  /** 802.3 frames with a length field: the LLC header follows (key 0). */
  Ieee8023: 6,
} as const;
export type TableId = (typeof Table)[keyof typeof Table];

export class Packet {
  /** 1-based frame number. */
  number = 0;
  buf: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  /** Offset of the frame's first byte in `buf`. */
  start = 0;
  /** End of captured bytes in `buf` (start + caplen). */
  end = 0;
  wirelen = 0;
  linkType = 0;
  tsSec = 0;
  tsNsec = 0;
  iface = 0;

  /** Innermost network layer: 4, 6, Proto.Arp (9) or 0. */
  net = 0;
  netOffset = 0;
  /** IPv4 addresses as unsigned 32-bit integers (net === 4). */
  src4 = 0;
  dst4 = 0;
  /** Offsets of the IPv6 addresses in `buf` (net === 6). */
  src6 = 0;
  dst6 = 0;
  /** Offsets of the innermost link-layer addresses, -1 when the link has none. */
  macSrc = -1;
  macDst = -1;
  ipProto = 0;
  ipTtl = 0;
  /** Of a fragment (marks & Mark.Fragment): its offset in bytes, identification, more-fragments flag. */
  fragOffset = 0;
  fragId = 0;
  fragMore = false;
  /** Transport: 6 (TCP), 17 (UDP), 1 (ICMP), 58 (ICMPv6) or 0. */
  l4 = 0;
  l4Offset = 0;
  srcPort = 0;
  dstPort = 0;
  /** L4 payload in `buf`, bounded by the IP length and the captured bytes. */
  payloadOffset = 0;
  payloadLength = 0;
  /** Payload length the IP header claims (tcp.len), even when the capture cut it short. */
  payloadWireLength = 0;

  tcpSeq = 0;
  tcpAck = 0;
  /** Relative sequence and acknowledgment numbers (set by the flow stage; raw until then). */
  tcpRelSeq = 0;
  tcpRelAck = 0;
  /** Window after scaling (tcp.window_size), -1 until the flow stage knows the scale. */
  tcpWindowScaled = -1;
  /** Relative sequence number after this segment (tcp.nxtseq), set by the flow stage. */
  tcpNextSeq = 0;
  /** Frame this segment acknowledges exactly (tcp.analysis.acks_frame), 0 when none. */
  tcpAckedFrame = 0;
  /** Time since that frame in ns (tcp.analysis.ack_rtt); meaningful when tcpAckedFrame ≠ 0. */
  tcpAckRttNs = 0;
  /** Duplicate ACK number and the frame it repeats (tcp.analysis.duplicate_ack_num / _frame), 0 when none. */
  tcpDupAckNum = 0;
  tcpDupAckFrame = 0;
  /**
   * TCP state (flow/tcp-state TcpState) of the client and the server end before and after this
   * segment, -1 when the packet is not TCP.
   */
  tcpClientStateBefore = -1;
  tcpClientStateAfter = -1;
  tcpServerStateBefore = -1;
  tcpServerStateAfter = -1;
  tcpFlags = 0;
  tcpWindow = 0;
  tcpHeaderLength = 0;
  /** TCP options: -1 when absent. */
  tcpMss = -1;
  tcpWindowScale = -1;
  tcpSackPermitted = false;
  tcpTsVal = -1;
  tcpTsEcr = -1;
  tcpSackCount = 0;
  readonly tcpSack = new Uint32Array(8);
  /**
   * The options above in the order the header carries them (tshark's Info lists them so): 3 bits
   * each, first option lowest (TcpOptionCode), up to ten.
   */
  tcpOptionOrder = 0;
  icmpType = -1;
  icmpCode = -1;

  /** Conversation (tcp.stream / udp.stream numbering is per protocol), -1 when none. */
  conversation = -1;
  /** Direction in the conversation: 0 client → server, 1 server → client, -1 when none. */
  flowDir = -1;
  /** TCP analysis flags (io/packet-index Analysis bits), set by the flow stage. */
  analysis = 0;
  /** Upper-layer summary code for the Info column, set by the flow stage. */
  info = 0;
  /** Upper-layer Info text (TLS messages, HTTP request line), only on packets that complete one. */
  appInfo: string | null = null;
  /**
   * The app dissector cleared the Info column as it began reading this packet's bytes (packet-tls.c
   * col_clear): a segment of a reassembled PDU then shows only that note.
   */
  infoCleared = false;

  /** Protocol column value (a Proto id). */
  top: number = Proto.None;
  marks = 0;
  malformed: string | null = null;
  /** Depth of tunnels seen (outer IP layers before the innermost one). */
  tunnelDepth = 0;

  /** Field tree, only on the tree path. */
  tree: TreeBuilder | null = null;
  /** Expert information raised for this packet (dissect/expert.ts). */
  readonly expert = new ExpertSlot();

  /** Hand-off set by the last dissector: table, key, and where its payload ends. */
  nextTable: number = Table.None;
  nextKey = 0;
  nextEnd = 0;

  /** The dissector tables (set once by the owner of the slot). */
  registry: Registry | null = null;
  /** IP fragment reassembly (set by the owner of the slot); null means no reassembly. */
  defrag: Defragmenter | null = null;
  /**
   * Set on the slot that decodes the packet quoted inside an ICMP error: such headers are shown,
   * never reassembled or handed to applications, and their lengths are not checked (Wireshark's
   * pinfo->flags.in_error_pkt).
   */
  inError = false;
  /**
   * The layers above see only the first fragment of a datagram that was not reassembled
   * (Wireshark's pinfo->fragmented): their lengths and checksums cannot be checked.
   */
  fragmented = false;
  /** Time of the first packet of the capture, for frame.time_relative. */
  firstSec = 0;
  firstNsec = 0;
  /** Time of the previous packet, for frame.time_delta. */
  prevSec = 0;
  prevNsec = 0;
  /** pcapng comments of this packet (tree path only). */
  comments: readonly string[] | null = null;

  /**
   * Starts a new packet. Only the presence and state markers are cleared here (one store each, on
   * the per-packet path): `net`, `l4`, `top`, `marks`, `malformed`, the link-layer address
   * offsets, the payload bounds, the ports and TCP flags (the index keeps them for every packet),
   * the flow stage's conversation/direction/analysis/Info, the hand-off and the tunnel and
   * fragment state. Every other field belongs to a layer and is meaningful only when that layer's
   * marker says it ran: the network fields (`netOffset`, `src4`/`dst4`, `src6`/`dst6`, `ipProto`,
   * `ipTtl`) when `net` is set, the transport fields (`l4Offset`, every `tcp*`, `icmp*`) when
   * `l4` names their protocol. The rule that keeps this safe: a dissector that sets its marker
   * initialises every field of its layer in the same step, before any early return (tcp.ts sets
   * all TCP option and flow-stage fields to their "absent" values, ICMP its type and code…).
   * Fields keep one representation (numbers stay numbers, never null) so the slot stays a
   * fast-mode object with in-object properties.
   */
  reset(buf: Uint8Array, start: number, caplen: number, wirelen: number, linkType: number): void {
    // The reader hands the same chunk object for many packets: an identity check (the typed-array
    // buffer/byteOffset getters cost more than the rest of this method).
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const end = start + caplen;
    this.start = start;
    this.end = end;
    this.wirelen = wirelen;
    this.linkType = linkType;
    this.net = 0;
    this.macSrc = -1;
    this.macDst = -1;
    this.l4 = 0;
    this.srcPort = 0;
    this.dstPort = 0;
    this.tcpFlags = 0;
    this.payloadOffset = 0;
    this.payloadLength = 0;
    this.payloadWireLength = 0;
    this.conversation = -1;
    this.flowDir = -1;
    this.analysis = 0;
    this.info = 0;
    this.appInfo = null;
    this.infoCleared = false;
    this.top = Proto.None;
    this.marks = 0;
    this.malformed = null;
    this.expert.count = 0;
    this.tunnelDepth = 0;
    this.inError = false;
    this.fragmented = false;
    this.nextTable = Table.None;
    this.nextKey = 0;
    this.nextEnd = end;
  }

  /**
   * Switches to a buffer holding a reassembled datagram, `[0, n)`, followed by a copy of the frame:
   * every offset the slot holds moves by `shift` (the copy's position minus the frame's old start),
   * so addresses, link-layer offsets and the frame bounds stay valid. `reset()` undoes it.
   */
  moveTo(buf: Uint8Array, shift: number): void {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.start += shift;
    this.end += shift;
    this.nextEnd += shift;
    this.netOffset += shift;
    this.src6 += shift;
    this.dst6 += shift;
    if (this.macSrc >= 0) this.macSrc += shift;
    if (this.macDst >= 0) this.macDst += shift;
    this.l4Offset += shift;
    this.payloadOffset += shift;
  }

  /** Hands off to the dissector registered in `table` under `key`. */
  next(table: number, key: number, payloadEnd: number): void {
    this.nextTable = table;
    this.nextKey = key;
    this.nextEnd = payloadEnd;
  }

  /** Records damage: the packet keeps what decoded so far and shows the first reason. */
  fail(reason: string): void {
    this.marks |= Mark.Malformed;
    if (this.malformed === null) this.malformed = reason;
    this.tree?.malformed(reason);
    this.nextTable = Table.None;
  }
}
