// Internet Control Message Protocol (RFC 792): type, code, checksum, echo identifiers, and the
// datagram an error message quotes, shown nested inside the ICMP layer as Wireshark does.

import type { Dissector } from '../dissector';
import { EtherType } from '../ethertypes';
import { bytesField, field, uintDec, valueNames } from '../fields';
import { IpProto } from '../ip-protocols';
import { Mark, Packet, Proto, Table } from '../packet';
import type { FieldNode } from '../tree';
import { finish16, sum16 } from '../../util/checksum';
import { hexBytes, ipv4Text } from '../../util/address';

/** Message types (IANA "ICMP Type Numbers", names as Wireshark's icmp_type_str). */
const typeNames = valueNames([
  [0, 'Echo (ping) reply'],
  [3, 'Destination unreachable'],
  [4, 'Source quench (flow control)'],
  [5, 'Redirect'],
  [6, 'Alternate host address'],
  [8, 'Echo (ping) request'],
  [9, 'Router advertisement'],
  [10, 'Router solicitation'],
  [11, 'Time-to-live exceeded'],
  [12, 'Parameter problem'],
  [13, 'Timestamp request'],
  [14, 'Timestamp reply'],
  [15, 'Information request'],
  [16, 'Information reply'],
  [17, 'Address mask request'],
  [18, 'Address mask reply'],
  [30, 'Traceroute'],
  [31, 'Datagram Conversion Error'],
  [32, 'Mobile Host Redirect'],
  [40, 'Photuris'],
  [42, 'Extended Echo request'],
  [43, 'Extended Echo reply'],
]);

const unreachCodes = valueNames([
  [0, 'Network unreachable'],
  [1, 'Host unreachable'],
  [2, 'Protocol unreachable'],
  [3, 'Port unreachable'],
  [4, 'Fragmentation needed'],
  [5, 'Source route failed'],
  [6, 'Destination network unknown'],
  [7, 'Destination host unknown'],
  [8, 'Source host isolated'],
  [9, 'Network administratively prohibited'],
  [10, 'Host administratively prohibited'],
  [11, 'Network unreachable for TOS'],
  [12, 'Host unreachable for TOS'],
  [13, 'Communication administratively filtered'],
  [14, 'Host precedence violation'],
  [15, 'Precedence cutoff in effect'],
]);

const redirectCodes = valueNames([
  [0, 'Redirect for network'],
  [1, 'Redirect for host'],
  [2, 'Redirect for TOS and network'],
  [3, 'Redirect for TOS and host'],
]);

const timeExceededCodes = valueNames([
  [0, 'Time to live exceeded in transit'],
  [1, 'Fragment reassembly time exceeded'],
]);

const parameterCodes = valueNames([
  [0, 'Pointer indicates the error'],
  [1, 'Required option missing'],
  [2, 'Bad length'],
]);

const routerAdvertCodes = valueNames([
  [0, 'Normal router advertisement'],
  [16, 'Does not route common traffic'],
]);

const checksumStatus = valueNames([
  [0, 'Bad'],
  [1, 'Good'],
  [2, 'Unverified'],
]);

export const icmpFields = {
  type: uintDec('icmp.type', 'Type', typeNames),
  code: uintDec('icmp.code', 'Code'),
  checksum: field('icmp.checksum', 'Checksum', 'uint', { base: 'hex', digits: 4 }),
  checksumStatus: uintDec('icmp.checksum.status', 'Checksum Status', checksumStatus),
  unused: bytesField('icmp.unused', 'Unused'),
  ident: field('icmp.ident', 'Identifier (BE)', 'uint', { base: 'dec_hex', digits: 4 }),
  identLe: field('icmp.ident_le', 'Identifier (LE)', 'uint', { base: 'dec_hex', digits: 4 }),
  seq: field('icmp.seq', 'Sequence Number (BE)', 'uint', { base: 'dec_hex', digits: 4 }),
  seqLe: field('icmp.seq_le', 'Sequence Number (LE)', 'uint', { base: 'dec_hex', digits: 4 }),
  mtu: uintDec('icmp.mtu', 'MTU of next hop'),
  pointer: uintDec('icmp.pointer', 'Pointer'),
  length: uintDec('icmp.length', 'Length'),
  lengthOriginal: uintDec('icmp.length.original_datagram', 'Length of original datagram'),
  redirGw: field('icmp.redir_gw', 'Gateway Address', 'ipv4'),
  originate: uintDec('icmp.originate_timestamp', 'Originate Timestamp'),
  receive: uintDec('icmp.receive_timestamp', 'Receive Timestamp'),
  transmit: uintDec('icmp.transmit_timestamp', 'Transmit Timestamp'),
  addressMask: field('icmp.address_mask', 'Address Mask', 'ipv4'),
};

/** Types that carry an identifier and a sequence number (RFC 792, RFC 950). */
function hasIdentifier(type: number): boolean {
  return type === 0 || type === 8 || (type >= 13 && type <= 18);
}

/** Error types, which quote the IP header and first bytes of the datagram that caused them. */
function isError(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

function codeNames(type: number): ReadonlyMap<number, string> | null {
  switch (type) {
    case 3:
      return unreachCodes;
    case 5:
      return redirectCodes;
    case 9:
      return routerAdvertCodes;
    case 11:
      return timeExceededCodes;
    case 12:
      return parameterCodes;
    default:
      return null;
  }
}

/**
 * What ICMP and ICMPv6 messages share (type, code, checksum, then 4 type-specific bytes): fills the
 * slot's transport fields, with the message body from byte 8 (or `end` when the capture holds
 * less), and returns the message length IP says follows its header (the capture may hold less).
 */
export function messageStart(p: Packet, off: number, end: number, proto: typeof IpProto.Icmp | typeof IpProto.Icmpv6): number {
  const claimed = p.payloadWireLength > 0 ? p.payloadWireLength : end - off;
  p.l4 = proto;
  p.l4Offset = off;
  p.icmpType = p.buf[off]!;
  p.icmpCode = p.buf[off + 1]!;
  const body = end - off < 8 ? end : off + 8;
  p.payloadOffset = body;
  p.payloadLength = end - body;
  p.payloadWireLength = claimed > 8 ? claimed - 8 : 0;
  return claimed;
}

export const icmp: Dissector = {
  name: 'icmp',
  title: 'Internet Control Message Protocol',
  proto: Proto.Icmp,
  osi: 3,
  fields: Object.values(icmpFields),
  handoffs: [{ table: Table.IpProto, key: IpProto.Icmp }],
  decode(p: Packet, off: number, end: number): number {
    const t = p.tree;
    const avail = end - off;
    if (avail < 4) {
      t?.begin('icmp', 'Internet Control Message Protocol', 3, off, avail);
      p.fail(`ICMP header needs 4 bytes, only ${avail} captured`);
      return end;
    }
    const claimed = messageStart(p, off, end, IpProto.Icmp);
    const type = p.icmpType;
    const code = p.icmpCode;
    const body = p.payloadOffset;
    if (t !== null) tree(p, off, end, type, code, claimed);
    if (avail < 8 && (hasIdentifier(type) || isError(type))) {
      p.fail(`ICMP ${typeNames.get(type) ?? type} needs 8 bytes, only ${avail} captured`);
      return end;
    }
    return body;
  },
};

function tree(p: Packet, off: number, end: number, type: number, code: number, claimed: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = icmpFields;
  const avail = end - off;
  t.begin('icmp', 'Internet Control Message Protocol', 3, off, avail);
  t.add(F.type, type, off, 1, `${type} (${typeNames.get(type) ?? 'Unknown ICMP (obsolete or malformed?)'})`);
  const codeName = codeNames(type)?.get(code);
  t.add(F.code, code, off + 1, 1, codeName === undefined ? String(code) : `${code} (${codeName})`);
  checksum(p, off, end, claimed, IpProto.Icmp);
  if (avail < 8) return;
  if (hasIdentifier(type)) {
    const v = p.view;
    t.add(F.ident, v.getUint16(off + 4), off + 4, 2);
    t.add(F.identLe, v.getUint16(off + 4, true), off + 4, 2);
    t.add(F.seq, v.getUint16(off + 6), off + 6, 2);
    t.add(F.seqLe, v.getUint16(off + 6, true), off + 6, 2);
    if ((type === 13 || type === 14) && avail >= 20) {
      // RFC 792: milliseconds since midnight UT.
      const ms = (x: number) => `${x} (${(x / 1000).toFixed(3)} seconds after midnight UTC)`;
      t.add(F.originate, v.getUint32(off + 8), off + 8, 4, ms(v.getUint32(off + 8)));
      t.add(F.receive, v.getUint32(off + 12), off + 12, 4, ms(v.getUint32(off + 12)));
      t.add(F.transmit, v.getUint32(off + 16), off + 16, 4, ms(v.getUint32(off + 16)));
    } else if ((type === 17 || type === 18) && avail >= 12) {
      t.add(F.addressMask, ipv4Text(b, off + 8), off + 8, 4);
    }
    return;
  }
  if (!isError(type)) return;
  if (type === 5) {
    t.add(F.redirGw, ipv4Text(b, off + 4), off + 4, 4);
  } else if (type === 3 && code === 4) {
    // RFC 1191: path MTU discovery puts the next hop's MTU in the low half.
    t.add(F.unused, hexBytes(b, off + 4, 2), off + 4, 2, hexBytes(b, off + 4, 2));
    t.add(F.mtu, (b[off + 6]! << 8) | b[off + 7]!, off + 6, 2);
  } else if (type === 12) {
    t.add(F.pointer, b[off + 4]!, off + 4, 1);
    t.add(F.unused, hexBytes(b, off + 5, 3), off + 5, 3, hexBytes(b, off + 5, 3));
  } else if (b[off + 5] !== 0 && type !== 4) {
    // RFC 4884 §4.1: the length of the quoted datagram, in 32-bit words.
    t.add(F.unused, hexBytes(b, off + 4, 1), off + 4, 1, hexBytes(b, off + 4, 1));
    t.add(F.length, b[off + 5]!, off + 5, 1);
    t.add(F.lengthOriginal, b[off + 5]! * 4, off + 5, 1).label = `[Length of original datagram: ${b[off + 5]! * 4}]`;
    t.add(F.unused, hexBytes(b, off + 6, 2), off + 6, 2, hexBytes(b, off + 6, 2));
  } else {
    t.add(F.unused, hexBytes(b, off + 4, 4), off + 4, 4, hexBytes(b, off + 4, 4));
  }
  quotedDatagram(p, off + 8, end, EtherType.Ipv4);
}

/**
 * Adds the checksum and its status (RFC 1071) for ICMP (`proto` 1, no pseudo-header) or ICMPv6
 * (`proto` 58, IPv6 pseudo-header, RFC 4443 §2.3). Verified only when the whole message is
 * there (captured, not a lone first fragment) and not itself quoted in an error; a bad one marks
 * the packet.
 */
export function checksum(p: Packet, off: number, end: number, length: number, proto: number): void {
  const t = p.tree!;
  const b = p.buf;
  const ck = (b[off + 2]! << 8) | b[off + 3]!;
  const v6 = proto === IpProto.Icmpv6;
  const ckField = v6 ? icmpv6Checksum : icmpFields.checksum;
  const statusField = v6 ? icmpv6ChecksumStatus : icmpFields.checksumStatus;
  if (p.inError || p.fragmented || off + length > end || (v6 && p.net !== 6)) {
    t.add(ckField, ck, off + 2, 2, `0x${ck.toString(16).padStart(4, '0')} [unverified]${p.fragmented ? ' [fragmented datagram]' : ''}`);
    t.add(statusField, 2, off + 2, 2).label = '[Checksum Status: Unverified]';
    return;
  }
  let acc = 0;
  if (v6) {
    acc = sum16(b, p.src6, 16, 0);
    acc = sum16(b, p.dst6, 16, acc);
    acc += proto + (length >>> 16) + (length & 0xffff);
  }
  acc = sum16(b, off, length, acc);
  if (finish16(acc) === 0) {
    t.add(ckField, ck, off + 2, 2, `0x${ck.toString(16).padStart(4, '0')} [correct]`);
    t.add(statusField, 1, off + 2, 2).label = '[Checksum Status: Good]';
    return;
  }
  // The sum without the stored checksum gives the value the sender should have put there.
  const should = finish16(acc - ck);
  const node = t.add(ckField, ck, off + 2, 2, `0x${ck.toString(16).padStart(4, '0')} incorrect, should be 0x${should.toString(16).padStart(4, '0')}`);
  t.warn(node, `Bad checksum [should be 0x${should.toString(16).padStart(4, '0')}]`);
  t.add(statusField, 0, off + 2, 2).label = '[Checksum Status: Bad]';
  p.marks |= Mark.L4ChecksumBad;
}

// ICMPv6's checksum fields live here so the shared checksum code needs no import cycle.
export const icmpv6Checksum = field('icmpv6.checksum', 'Checksum', 'uint', { base: 'hex', digits: 4 });
export const icmpv6ChecksumStatus = uintDec('icmpv6.checksum.status', 'Checksum Status', checksumStatus);

/** Longest chain followed inside a quoted datagram (IP, perhaps a tunnel, then the transport). */
const MAX_QUOTED_DEPTH = 6;

/**
 * Decodes the datagram an ICMP or ICMPv6 error quotes (tree path only) with the registered IP
 * and transport dissectors, on a separate slot so the quoted addresses and ports never replace
 * the packet's own, and nests the layers it produced inside the current (ICMP) layer.
 */
export function quotedDatagram(p: Packet, off: number, end: number, etherType: number): void {
  const t = p.tree!;
  const registry = p.registry;
  const layer = t.current();
  // Wireshark does not look inside an error quoted by an error.
  if (registry === null || layer === null || p.inError || off >= end) return;
  const q = new Packet();
  q.reset(p.buf, off, end - off, end - off, p.linkType);
  q.number = p.number;
  q.tree = t;
  q.registry = registry;
  q.inError = true;
  const first = t.layers.length;
  let d = registry.lookup(Table.EtherType, etherType);
  let o = off;
  let e = end;
  for (let depth = 0; d !== null && depth < MAX_QUOTED_DEPTH; depth++) {
    q.nextTable = Table.None;
    q.nextEnd = e;
    const payload = d.decode(q, o, e);
    // Applications on UDP ports are not decoded from a quoted datagram.
    if (q.nextTable === Table.None || q.nextTable === Table.UdpPort) break;
    d = registry.lookup(q.nextTable, q.nextKey);
    o = payload;
    e = q.nextEnd;
  }
  // A quoted datagram is cut short by design: its layers are shown without a malformed mark.
  const quoted = t.layers.splice(first);
  for (const l of quoted) {
    const node: FieldNode = { name: l.protocol, label: l.title, value: null, text: '', start: l.start, length: l.length, source: l.source, children: l.fields };
    layer.fields.push(node);
  }
  t.resume(layer);
}
