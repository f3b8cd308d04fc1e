// Internet Protocol Version 6 (RFC 8200): fixed header, the extension headers walked inside it
// (hop-by-hop, routing, fragment, destination options, AH), and fragment reassembly.

import type { Dissector } from '../dissector';
import { EtherType } from '../ethertypes';
import { bytesField, field, flag, uintDec, uintHex, valueNames } from '../fields';
import { IpProto, ipProtoNames } from '../ip-protocols';
import { DefragStatus, fragmentFields, moveToReassembled, showReassembledIn, showReassembly } from '../ip-defrag';
import { LinkType } from '../link-types';
import { Mark, Proto, Table, type Packet } from '../packet';
import type { TreeBuilder } from '../tree';
import { ipv4Fields } from './ipv4';
import { hexBytes, ipv6Text } from '../../util/address';

/** DSCP short names for the Traffic Class summary (Wireshark's dscp_short_vals, RFC 4594). */
const dscpShort = valueNames([
  [0, 'CS0'], [1, 'LE'], [8, 'CS1'], [10, 'AF11'], [12, 'AF12'], [14, 'AF13'], [16, 'CS2'], [18, 'AF21'],
  [20, 'AF22'], [22, 'AF23'], [24, 'CS3'], [26, 'AF31'], [28, 'AF32'], [30, 'AF33'], [32, 'CS4'],
  [34, 'AF41'], [36, 'AF42'], [38, 'AF43'], [40, 'CS5'], [44, 'VOICE-ADMIT'], [46, 'EF PHB'], [48, 'CS6'], [56, 'CS7'],
]);

/** DSCP names (Wireshark's dscp_vals). */
const dscpNames = valueNames([
  [0, 'Default'], [1, 'Lower Effort'], [8, 'Class Selector 1'], [10, 'Assured Forwarding 11'],
  [12, 'Assured Forwarding 12'], [14, 'Assured Forwarding 13'], [16, 'Class Selector 2'],
  [18, 'Assured Forwarding 21'], [20, 'Assured Forwarding 22'], [22, 'Assured Forwarding 23'],
  [24, 'Class Selector 3'], [26, 'Assured Forwarding 31'], [28, 'Assured Forwarding 32'],
  [30, 'Assured Forwarding 33'], [32, 'Class Selector 4'], [34, 'Assured Forwarding 41'],
  [36, 'Assured Forwarding 42'], [38, 'Assured Forwarding 43'], [40, 'Class Selector 5'],
  [44, 'Voice Admit'], [46, 'Expedited Forwarding'], [48, 'Class Selector 6'], [56, 'Class Selector 7'],
]);

/** ECN codepoints (RFC 3168 §5). */
const ecnShort = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'];
const ecnNames = valueNames([
  [0, 'Not ECN-Capable Transport'],
  [1, 'ECN-Capable Transport codepoint \'01\''],
  [2, 'ECN-Capable Transport codepoint \'10\''],
  [3, 'Congestion Experienced'],
]);

/** Hop-by-hop and destination option types (IANA "Destination Options and Hop-by-Hop Options"). */
const optionNames = valueNames([
  [0x00, 'Pad1'],
  [0x01, 'PadN'],
  [0x04, 'Tunnel Encapsulation Limit'],
  [0x05, 'Router Alert'],
  [0x07, 'CALIPSO'],
  [0x08, 'SMF_DPD'],
  [0x0f, 'Performance and Diagnostic Metrics'],
  [0x26, 'Quick-Start'],
  [0x31, 'IOAM'],
  [0x63, 'RPL Option'],
  [0x6d, 'MPL Option'],
  [0x8b, 'ILNP Nonce'],
  [0x8c, 'Line-Identification Option'],
  [0xc2, 'Jumbo Payload'],
  [0xc9, 'Home Address'],
  [0xee, 'IP_DFF'],
]);

const optionActions = valueNames([
  [0, 'Skip and continue'],
  [1, 'Discard packet'],
  [2, 'Discard packet and send ICMP Parameter Problem'],
  [3, 'Discard packet and send ICMP Parameter Problem if not multicast'],
]);

const routerAlertNames = valueNames([
  [0, 'MLD'],
  [1, 'RSVP'],
  [2, 'Active Networks'],
]);

/** Routing header types (IANA "Routing Types"). */
const routingTypes = valueNames([
  [0, 'Source Route'],
  [1, 'Nimrod'],
  [2, 'Type 2 Routing'],
  [3, 'RPL Source Route'],
  [4, 'Segment Routing'],
  [5, 'CRH-16'],
  [6, 'CRH-32'],
]);

export const ipv6Fields = {
  version: uintDec('ipv6.version', 'Version'),
  tclass: uintHex('ipv6.tclass', 'Traffic Class', 8),
  dscp: uintDec('ipv6.tclass.dscp', 'Differentiated Services Codepoint', dscpNames),
  ecn: uintDec('ipv6.tclass.ecn', 'Explicit Congestion Notification', ecnNames),
  flow: uintHex('ipv6.flow', 'Flow Label', 6),
  plen: uintDec('ipv6.plen', 'Payload Length'),
  nxt: uintDec('ipv6.nxt', 'Next Header', ipProtoNames),
  hlim: uintDec('ipv6.hlim', 'Hop Limit'),
  src: field('ipv6.src', 'Source Address', 'ipv6'),
  dst: field('ipv6.dst', 'Destination Address', 'ipv6'),

  hopoptsNxt: uintDec('ipv6.hopopts.nxt', 'Next Header', ipProtoNames),
  hopoptsLen: uintDec('ipv6.hopopts.len', 'Length'),
  hopoptsLenOct: uintDec('ipv6.hopopts.len_oct', 'Length'),
  dstoptsNxt: uintDec('ipv6.dstopts.nxt', 'Next Header', ipProtoNames),
  dstoptsLen: uintDec('ipv6.dstopts.len', 'Length'),
  dstoptsLenOct: uintDec('ipv6.dstopts.len_oct', 'Length'),
  optType: uintHex('ipv6.opt.type', 'Type', 2, optionNames),
  optAction: uintDec('ipv6.opt.type.action', 'Action', optionActions),
  optChange: flag('ipv6.opt.type.change', 'May Change'),
  optRest: uintHex('ipv6.opt.type.rest', 'Low-Order Bits', 2),
  optLength: uintDec('ipv6.opt.length', 'Length'),
  optPad1: field('ipv6.opt.pad1', 'Pad1', 'none'),
  optPadN: bytesField('ipv6.opt.padn', 'PadN'),
  optRouterAlert: uintDec('ipv6.opt.router_alert', 'Router Alert', routerAlertNames),
  optTel: uintDec('ipv6.opt.tel', 'Tunnel Encapsulation Limit'),
  optJumbo: uintDec('ipv6.opt.jumbo', 'Payload Length'),
  optHomeAddress: field('ipv6.opt.mipv6.home_address', 'MIPv6 Home Address', 'ipv6'),
  optUnknown: bytesField('ipv6.opt.unknown', 'Unknown Option Payload'),

  routingNxt: uintDec('ipv6.routing.nxt', 'Next Header', ipProtoNames),
  routingLen: uintDec('ipv6.routing.len', 'Length'),
  routingLenOct: uintDec('ipv6.routing.len_oct', 'Length'),
  routingType: uintDec('ipv6.routing.type', 'Type', routingTypes),
  routingSegleft: uintDec('ipv6.routing.segleft', 'Segments Left'),
  routingSrcReserved: bytesField('ipv6.routing.src.reserved', 'Reserved'),
  routingSrcAddr: field('ipv6.routing.src.addr', 'Address', 'ipv6'),
  routingMipv6Reserved: bytesField('ipv6.routing.mipv6.reserved', 'Reserved'),
  routingMipv6Home: field('ipv6.routing.mipv6.home_address', 'Home Address', 'ipv6'),
  routingSrhLastEntry: uintDec('ipv6.routing.srh.last_entry', 'Last Entry'),
  routingSrhFlags: uintHex('ipv6.routing.srh.flags', 'Flags', 2),
  routingSrhTag: bytesField('ipv6.routing.srh.tag', 'Tag'),
  routingSrhAddr: field('ipv6.routing.srh.addr', 'Address', 'ipv6'),
  routingUnknown: bytesField('ipv6.routing.unknown_data', 'Type-Specific Data'),

  fraghdrNxt: uintDec('ipv6.fraghdr.nxt', 'Next header', ipProtoNames),
  fraghdrReservedOctet: uintHex('ipv6.fraghdr.reserved_octet', 'Reserved octet', 2),
  fraghdrOffset: uintDec('ipv6.fraghdr.offset', 'Offset'),
  fraghdrReservedBits: uintDec('ipv6.fraghdr.reserved_bits', 'Reserved bits'),
  fraghdrMore: flag('ipv6.fraghdr.more', 'More Fragments'),
  fraghdrIdent: uintHex('ipv6.fraghdr.ident', 'Identification', 8),

  ahNext: uintDec('ah.next_header', 'Next header', ipProtoNames),
  ahLength: uintDec('ah.length', 'Length'),
  ahReserved: bytesField('ah.reserved', 'Reserved'),
  ahSpi: uintHex('ah.spi', 'AH SPI', 8),
  ahSequence: uintDec('ah.sequence', 'AH Sequence'),
  ahIcv: bytesField('ah.icv', 'AH ICV'),
};

/** ipv6.fragments, ipv6.fragment, ipv6.reassembled.in… (shown when fragments are reassembled). */
const fragmentItems = fragmentFields(6);

export const ipv6: Dissector = {
  name: 'ipv6',
  title: 'Internet Protocol Version 6',
  proto: Proto.Ipv6,
  osi: 3,
  fields: [...Object.values(ipv6Fields), ...Object.values(fragmentItems)],
  handoffs: [
    { table: Table.EtherType, key: EtherType.Ipv6 },
    { table: Table.LinkType, key: LinkType.Ipv6 },
    // 6in4 (RFC 4213) and 6in6 (RFC 2473).
    { table: Table.IpProto, key: IpProto.Ipv6 },
  ],
  decode(p: Packet, off: number, end: number): number {
    let b = p.buf;
    const t = p.tree;
    const avail = end - off;
    if (avail < 40) {
      t?.begin('ipv6', 'Internet Protocol Version 6', 3, off, avail);
      p.fail(`IPv6 header needs 40 bytes, only ${avail} captured`);
      return end;
    }
    const version = b[off]! >> 4;
    const plen = (b[off + 4]! << 8) | b[off + 5]!;
    let nxt = b[off + 6]!;
    if (p.net === 4 || p.net === 6) p.tunnelDepth++;
    p.net = 6;
    p.netOffset = off;
    p.src6 = off + 8;
    p.dst6 = off + 24;
    p.ipProto = nxt;
    p.ipTtl = b[off + 7]!;
    p.l4 = 0;
    if (t !== null) header(p, off, plen);
    if (version !== 6) {
      p.fail(`Bogus IP version (${version})`);
      return end;
    }
    // What the header claims follows it, bounded by what the wire carried (Wireshark's reported
    // length); a payload length of 0 (a jumbogram, RFC 2675, or segmentation offload) leaves the
    // captured bytes as the truth, as IPv4 does with length 0.
    const wireEnd = off >= p.start ? p.start + p.wirelen : off + 40 + plen;
    let claimedEnd = plen === 0 ? end : off + 40 + plen;
    if (claimedEnd > wireEnd && wireEnd >= end) claimedEnd = wireEnd;
    let limit = claimedEnd < end ? claimedEnd : end;
    let pos = off + 40;
    // Extension headers (RFC 8200 §4): each says what follows it.
    while (nxt === IpProto.HopByHop || nxt === IpProto.Routing || nxt === IpProto.Fragment || nxt === IpProto.DestOptions || nxt === IpProto.Ah) {
      if (limit - pos < 8) {
        if (t !== null) extensionTitle(t, nxt, pos, limit - pos);
        p.fail(limit < claimedEnd ? `IPv6 extension header cut short by the capture` : `IPv6 extension header runs past the payload length`);
        return limit;
      }
      const hdrNxt = b[pos]!;
      const len = nxt === IpProto.Fragment ? 8 : nxt === IpProto.Ah ? (b[pos + 1]! + 2) * 4 : (b[pos + 1]! + 1) * 8;
      if (pos + len > limit) {
        if (t !== null) extensionTitle(t, nxt, pos, limit - pos);
        p.fail(limit < claimedEnd ? `IPv6 extension header of ${len} bytes cut short by the capture` : `IPv6 extension header of ${len} bytes runs past the payload length`);
        return limit;
      }
      if (nxt !== IpProto.Fragment) {
        if (t !== null) extension(p, nxt, pos, len);
        nxt = hdrNxt;
        p.ipProto = nxt;
        pos += len;
        continue;
      }
      // Fragment header (RFC 8200 §4.5).
      const offMore = (b[pos + 2]! << 8) | b[pos + 3]!;
      const fragOffset = offMore >> 3;
      const more = (offMore & 1) !== 0;
      if (t !== null) fragmentHeader(p, pos);
      nxt = hdrNxt;
      p.ipProto = nxt;
      pos += 8;
      // An atomic fragment (offset 0, no more fragments; RFC 6946) is a whole datagram.
      if (fragOffset === 0 && !more) continue;
      p.marks |= Mark.Fragment;
      p.fragOffset = fragOffset * 8;
      p.fragId = p.view.getUint32(pos - 4);
      p.fragMore = more;
      const fragLen = claimedEnd - pos;
      p.payloadWireLength = fragLen;
      const defrag = p.defrag;
      // Like tshark (ipv6.defragment on), only fragments captured whole are reassembled.
      if (defrag !== null && fragLen > 0 && claimedEnd <= end) {
        const status = defrag.add6(b, p.src6, p.dst6, p.fragId, p.number, fragOffset * 8, more, b, pos, fragLen);
        if (status === DefragStatus.Complete) {
          // The datagram is whole: the headers after the fragment header, and the transport, are
          // read from the reassembled bytes.
          const r = defrag.result!;
          moveToReassembled(p, r, 6);
          if (t !== null) showReassembly(t, fragmentItems, r, 6);
          b = p.buf;
          pos = 0;
          claimedEnd = r.data.length;
          limit = claimedEnd;
          continue;
        }
        if (t !== null) {
          const inFrame = defrag.reassembledIn(p.number);
          if (inFrame !== 0) showReassembledIn(t, fragmentItems, inFrame, pos, 6);
        }
        return pos;
      }
      // Without reassembly only the first fragment has the next header; the rest is opaque.
      if (fragOffset !== 0) return pos;
      p.fragmented = true;
    }
    // The transport's claimed length (tcp.len, udp) is what the header says, minus extensions.
    p.payloadWireLength = claimedEnd - pos;
    p.next(Table.IpProto, nxt, limit);
    return pos;
  },
};

function header(p: Packet, off: number, plen: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = ipv6Fields;
  const src = ipv6Text(b, off + 8);
  const dst = ipv6Text(b, off + 24);
  t.begin('ipv6', `Internet Protocol Version 6, Src: ${src}, Dst: ${dst}`, 3, off, 40);
  const tclass = ((b[off]! & 0x0f) << 4) | (b[off + 1]! >> 4);
  const flow = ((b[off + 1]! & 0x0f) << 16) | (b[off + 2]! << 8) | b[off + 3]!;
  const dscp = tclass >> 2;
  const ecn = tclass & 3;
  // Wireshark also adds ip.version (hidden) so `ip.version == 6` filters work; tshark -T fields
  // prints it. Our tree has no hidden items, so it is a generated child of the version.
  t.open(F.version, b[off]! >> 4, off, 1);
  t.add(ipv4Fields.version, b[off]! >> 4, off, 1).label = `[IP version: ${b[off]! >> 4}]`;
  t.close();
  t.open(F.tclass, tclass, off, 2, `0x${hex2(tclass)} (DSCP: ${dscpShort.get(dscp) ?? 'Unknown'}, ECN: ${ecnShort[ecn]})`);
  t.add(F.dscp, dscp, off, 2, `${dscpNames.get(dscp) ?? 'Unknown'} (${dscp})`);
  t.add(F.ecn, ecn, off + 1, 1);
  t.close();
  t.add(F.flow, flow, off + 1, 3, `0x${flow.toString(16).padStart(5, '0')}`);
  t.add(F.plen, plen, off + 4, 2);
  t.add(F.nxt, b[off + 6]!, off + 6, 1);
  t.add(F.hlim, b[off + 7]!, off + 7, 1);
  t.add(F.src, src, off + 8, 16);
  t.add(F.dst, dst, off + 24, 16);
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0');
}

function extensionName(nxt: number): string {
  switch (nxt) {
    case IpProto.HopByHop:
      return 'IPv6 Hop-by-Hop Option';
    case IpProto.Routing:
      return 'Routing Header for IPv6';
    case IpProto.Fragment:
      return 'Fragment Header for IPv6';
    case IpProto.DestOptions:
      return 'Destination Options for IPv6';
    default:
      return 'Authentication Header';
  }
}

/** A subtree for an extension header too short to decode. */
function extensionTitle(t: TreeBuilder, nxt: number, pos: number, len: number): void {
  t.openText(extensionName(nxt), pos, Math.max(0, len));
  t.close();
}

/** Hop-by-hop, destination options, routing and AH as subtrees of the IPv6 layer. */
function extension(p: Packet, nxt: number, pos: number, len: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = ipv6Fields;
  if (nxt === IpProto.Ah) {
    // RFC 4302 §2: the length is in 4-octet units, minus 2.
    t.openText('Authentication Header', pos, len);
    t.add(F.ahNext, b[pos]!, pos, 1);
    t.add(F.ahLength, b[pos + 1]!, pos + 1, 1, `${b[pos + 1]!} (${len} bytes)`);
    t.add(F.ahReserved, hexBytes(b, pos + 2, 2), pos + 2, 2, hexBytes(b, pos + 2, 2));
    t.add(F.ahSpi, p.view.getUint32(pos + 4), pos + 4, 4);
    t.add(F.ahSequence, p.view.getUint32(pos + 8), pos + 8, 4);
    if (len > 12) t.add(F.ahIcv, hexBytes(b, pos + 12, len - 12), pos + 12, len - 12, hexBytes(b, pos + 12, len - 12));
    t.close();
    return;
  }
  if (nxt === IpProto.Routing) {
    routing(p, pos, len);
    return;
  }
  const hbh = nxt === IpProto.HopByHop;
  t.openText(extensionName(nxt), pos, len);
  t.add(hbh ? F.hopoptsNxt : F.dstoptsNxt, b[pos]!, pos, 1);
  t.add(hbh ? F.hopoptsLen : F.dstoptsLen, b[pos + 1]!, pos + 1, 1);
  t.add(hbh ? F.hopoptsLenOct : F.dstoptsLenOct, len, pos + 1, 1, '').label = `[Length: ${len} bytes]`;
  options(p, pos + 2, pos + len);
  t.close();
}

/** The TLV options of a hop-by-hop or destination options header (RFC 8200 §4.2). */
function options(p: Packet, off: number, end: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = ipv6Fields;
  while (off < end) {
    const type = b[off]!;
    if (type === 0) {
      t.openText('Pad1', off, 1);
      optionType(t, type, off);
      t.add(F.optPad1, null, off, 1, '').label = 'Pad1';
      t.close();
      off++;
      continue;
    }
    if (end - off < 2) {
      t.malformed('IPv6 option has no length byte');
      return;
    }
    const len = b[off + 1]!;
    if (off + 2 + len > end) {
      t.malformed(`IPv6 option 0x${hex2(type)} has a bad length (${len})`);
      return;
    }
    const v = off + 2;
    t.openText(optionNames.get(type) ?? `Unknown IPv6 Option (0x${hex2(type)})`, off, 2 + len);
    optionType(t, type, off);
    t.add(F.optLength, len, off + 1, 1);
    if (type === 0x01) t.add(F.optPadN, hexBytes(b, v, len), v, len, len === 0 ? '<none>' : hexBytes(b, v, len)).text = len === 0 ? '<none>' : hexBytes(b, v, len);
    else if (type === 0x05 && len === 2) t.add(F.optRouterAlert, (b[v]! << 8) | b[v + 1]!, v, 2);
    else if (type === 0x04 && len === 1) t.add(F.optTel, b[v]!, v, 1);
    else if (type === 0xc2 && len === 4) t.add(F.optJumbo, p.view.getUint32(v), v, 4);
    else if (type === 0xc9 && len === 16) t.add(F.optHomeAddress, ipv6Text(b, v), v, 16);
    else if (len > 0) t.add(F.optUnknown, hexBytes(b, v, len), v, len, hexBytes(b, v, len));
    t.close();
    off += 2 + len;
  }
}

/** Option type with its bit fields (RFC 8200 §4.2: action, may-change, rest). */
function optionType(t: TreeBuilder, type: number, off: number): void {
  const F = ipv6Fields;
  t.open(F.optType, type, off, 1);
  t.add(F.optAction, type >> 6, off, 1);
  t.add(F.optChange, (type & 0x20) !== 0, off, 1, (type & 0x20) !== 0 ? 'Yes' : 'No');
  t.add(F.optRest, type & 0x1f, off, 1);
  t.close();
}

function routing(p: Packet, pos: number, len: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = ipv6Fields;
  const type = b[pos + 2]!;
  const segleft = b[pos + 3]!;
  const name = routingTypes.get(type);
  t.openText(name === undefined ? 'Routing Header for IPv6' : `Routing Header for IPv6 (${name})`, pos, len);
  t.add(F.routingNxt, b[pos]!, pos, 1);
  t.add(F.routingLen, b[pos + 1]!, pos + 1, 1);
  t.add(F.routingLenOct, len, pos + 1, 1, '').label = `[Length: ${len} bytes]`;
  t.add(F.routingType, type, pos + 2, 1);
  t.add(F.routingSegleft, segleft, pos + 3, 1);
  const data = pos + 4;
  const end = pos + len;
  if (type === 0) {
    // RFC 2460 §4.4 (deprecated by RFC 5095): reserved, then the addresses.
    t.add(F.routingSrcReserved, hexBytes(b, data, 4), data, 4, hexBytes(b, data, 4));
    for (let a = data + 4, i = 1; a + 16 <= end; a += 16, i++) t.addLabelled(F.routingSrcAddr, ipv6Text(b, a), a, 16, `Address[${i}]: ${ipv6Text(b, a)}`);
  } else if (type === 2 && len >= 24) {
    // RFC 6275 §6.4: the home address.
    t.add(F.routingMipv6Reserved, hexBytes(b, data, 4), data, 4, hexBytes(b, data, 4));
    t.add(F.routingMipv6Home, ipv6Text(b, data + 4), data + 4, 16);
  } else if (type === 4) {
    // RFC 8754 §2: last entry, flags, tag, then the segment list.
    t.add(F.routingSrhLastEntry, b[data]!, data, 1);
    t.add(F.routingSrhFlags, b[data + 1]!, data + 1, 1);
    t.add(F.routingSrhTag, hexBytes(b, data + 2, 2), data + 2, 2, hexBytes(b, data + 2, 2));
    for (let a = data + 4, i = 0; a + 16 <= end; a += 16, i++) t.addLabelled(F.routingSrhAddr, ipv6Text(b, a), a, 16, `Address[${i}]: ${ipv6Text(b, a)}`);
  } else if (end > data) {
    t.add(F.routingUnknown, hexBytes(b, data, end - data), data, end - data, hexBytes(b, data, end - data));
  }
  t.close();
}

function fragmentHeader(p: Packet, pos: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = ipv6Fields;
  const offMore = (b[pos + 2]! << 8) | b[pos + 3]!;
  const units = offMore >> 3;
  t.openText('Fragment Header for IPv6', pos, 8);
  t.add(F.fraghdrNxt, b[pos]!, pos, 1);
  t.add(F.fraghdrReservedOctet, b[pos + 1]!, pos + 1, 1);
  t.add(F.fraghdrOffset, units, pos + 2, 2, `${units} (${units * 8} bytes)`);
  t.add(F.fraghdrReservedBits, (offMore >> 1) & 3, pos + 2, 2);
  t.add(F.fraghdrMore, (offMore & 1) !== 0, pos + 2, 2, (offMore & 1) !== 0 ? 'Yes' : 'No');
  t.add(F.fraghdrIdent, p.view.getUint32(pos + 4), pos + 4, 4);
  t.close();
}
