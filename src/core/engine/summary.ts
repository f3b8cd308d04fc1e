// The packet list's Info column for the link-to-transport layers, in the words tshark uses.

import { IpProto, ipProtoNames } from '../dissect/ip-protocols';
import { Mark, Proto, type Packet } from '../dissect/packet';
import { Analysis } from '../io/packet-index';
import { TcpOptionCode, tcpFlagNames } from '../dissect/protocols/tcp';
import { analysisPrefix } from '../flow/tcp-expert';
import { ipv4Text, macText } from '../util/address';

const ARROW = '\u2192';
/** What packet-tcp.c appends to the Info of a segment carrying only part of a PDU. */
const SEGMENT_OF_PDU = '[TCP segment of a reassembled PDU]';

const icmpTypes: ReadonlyMap<number, string> = new Map([
  [0, 'Echo (ping) reply'],
  [3, 'Destination unreachable'],
  [4, 'Source quench (flow control)'],
  [5, 'Redirect'],
  [8, 'Echo (ping) request'],
  [9, 'Router advertisement'],
  [10, 'Router solicitation'],
  [11, 'Time-to-live exceeded'],
  [12, 'Parameter problem'],
  [13, 'Timestamp request'],
  [14, 'Timestamp reply'],
]);

const icmpv6Types: ReadonlyMap<number, string> = new Map([
  [1, 'Destination Unreachable'],
  [2, 'Packet Too Big'],
  [3, 'Time Exceeded'],
  [4, 'Parameter Problem'],
  [128, 'Echo (ping) request'],
  [129, 'Echo (ping) reply'],
  [133, 'Router Solicitation'],
  [134, 'Router Advertisement'],
  [135, 'Neighbor Solicitation'],
  [136, 'Neighbor Advertisement'],
  [137, 'Redirect'],
  [143, 'Multicast Listener Report Message v2'],
]);

/** Info text of a dissected packet (fast-path slot, after the flow stage). */
export function infoText(p: Packet): string {
  let text: string;
  if (p.appInfo !== null) text = p.appInfo;
  else if (p.l4 === IpProto.Tcp) text = tcpInfo(p);
  else if (p.l4 === IpProto.Udp) text = `${p.srcPort} ${ARROW} ${p.dstPort} Len=${p.payloadWireLength}`;
  else if (p.l4 === IpProto.Icmp) text = icmpTypes.get(p.icmpType) ?? `Type ${p.icmpType}, code ${p.icmpCode}`;
  else if (p.l4 === IpProto.Icmpv6) text = icmpv6Types.get(p.icmpType) ?? `Type ${p.icmpType}, code ${p.icmpCode}`;
  else if (p.top === Proto.Arp) text = arpInfo(p);
  else if ((p.marks & Mark.Fragment) !== 0) text = fragmentInfo(p);
  else text = '';
  // packet-tcp.c appends it once the subdissector asked for more (col_append_sep_str, " ").
  if (p.l4 === IpProto.Tcp && (p.analysis & Analysis.SegmentOfPdu) !== 0) text = text === '' ? SEGMENT_OF_PDU : `${text} ${SEGMENT_OF_PDU}`;
  if (p.malformed !== null) text += text === '' ? `[Malformed Packet: ${p.malformed}]` : ` [Malformed Packet: ${p.malformed}]`;
  // tshark's TCP analysis puts its findings in front ([TCP Retransmission], [TCP Dup ACK 8#1]…).
  if (p.l4 === IpProto.Tcp && p.analysis !== 0) text = analysisPrefix(p.analysis, p.tcpDupAckFrame, p.tcpDupAckNum) + text;
  return text;
}

/** A fragment waiting for the rest of its datagram, as tshark's ip and ipv6 dissectors write it. */
function fragmentInfo(p: Packet): string {
  if (p.net === 6) {
    const ident = p.fragId.toString(16).padStart(8, '0');
    return `IPv6 fragment (off=${p.fragOffset} more=${p.fragMore ? 'y' : 'n'} ident=0x${ident} nxt=${p.ipProto})`;
  }
  const id = p.fragId.toString(16).padStart(4, '0');
  return `Fragmented IP protocol (proto=${ipProtoNames.get(p.ipProto) ?? 'Unknown'} ${p.ipProto}, off=${p.fragOffset}, ID=${id})`;
}

function tcpInfo(p: Packet): string {
  const flags = p.tcpFlags;
  let s = `${p.srcPort} ${ARROW} ${p.dstPort} [${tcpFlagNames(flags)}] Seq=${p.tcpRelSeq}`;
  if ((flags & 0x010) !== 0) s += ` Ack=${p.tcpRelAck}`;
  s += ` Win=${p.tcpWindowScaled >= 0 ? p.tcpWindowScaled : p.tcpWindow} Len=${p.payloadWireLength}`;
  // Each option dissector of packet-tcp.c appends to Info as it meets its option: header order.
  for (let order = p.tcpOptionOrder; order !== 0; order >>>= 3) {
    switch (order & 7) {
      case TcpOptionCode.Mss:
        s += ` MSS=${p.tcpMss}`;
        break;
      case TcpOptionCode.WindowScale:
        // RFC 7323 §2.3: a shift above 14 is used as 14 (tshark's multiplier says so too).
        s += ` WS=${2 ** Math.min(14, p.tcpWindowScale)}`;
        break;
      case TcpOptionCode.SackPermitted:
        s += ' SACK_PERM';
        break;
      case TcpOptionCode.Timestamps:
        s += ` TSval=${p.tcpTsVal} TSecr=${p.tcpTsEcr}`;
        break;
      case TcpOptionCode.Sack: {
        // SACK edges are in the acknowledged direction's sequence space: relative like Ack.
        const base = (p.tcpFlags & 0x010) !== 0 ? (p.tcpAck - p.tcpRelAck) >>> 0 : 0;
        for (let i = 0; i < p.tcpSackCount; i++) s += ` SLE=${(p.tcpSack[i * 2]! - base) >>> 0} SRE=${(p.tcpSack[i * 2 + 1]! - base) >>> 0}`;
        break;
      }
    }
  }
  return s;
}

function arpInfo(p: Packet): string {
  const b = p.buf;
  const o = p.netOffset;
  if (p.end - o < 28 || b[o + 4] !== 6 || b[o + 5] !== 4) return 'ARP';
  const op = (b[o + 6]! << 8) | b[o + 7]!;
  const senderIp = ipv4Text(b, o + 14);
  const targetIp = ipv4Text(b, o + 24);
  if (op === 1) return senderIp === targetIp ? `ARP Announcement for ${senderIp}` : `Who has ${targetIp}? Tell ${senderIp}`;
  if (op === 2) return `${senderIp} is at ${macText(b, o + 8)}`;
  return `ARP opcode ${op}`;
}
