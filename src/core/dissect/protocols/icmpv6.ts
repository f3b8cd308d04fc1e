// Internet Control Message Protocol for IPv6 (RFC 4443): type, code, checksum, echo, Neighbor
// Discovery (RFC 4861) messages and options, and the datagram an error message quotes.

import type { Dissector } from '../dissector';
import { EtherType } from '../ethertypes';
import { bytesField, field, flag, uintDec, uintHex, valueNames } from '../fields';
import { IpProto } from '../ip-protocols';
import { Proto, Table, type Packet } from '../packet';
import { hexBytes, ipv6Text, macText } from '../../util/address';
import { checksum, icmpv6Checksum, icmpv6ChecksumStatus, messageStart, quotedDatagram } from './icmp';

/** Message types (IANA "ICMPv6 Type Numbers", names as Wireshark's icmpv6_type_val). */
const typeNames = valueNames([
  [1, 'Destination Unreachable'],
  [2, 'Packet Too Big'],
  [3, 'Time Exceeded'],
  [4, 'Parameter Problem'],
  [100, 'Private experimentation'],
  [101, 'Private experimentation'],
  [127, 'Reserved for expansion of ICMPv6 error messages'],
  [128, 'Echo (ping) request'],
  [129, 'Echo (ping) reply'],
  [130, 'Multicast Listener Query'],
  [131, 'Multicast Listener Report'],
  [132, 'Multicast Listener Done'],
  [133, 'Router Solicitation'],
  [134, 'Router Advertisement'],
  [135, 'Neighbor Solicitation'],
  [136, 'Neighbor Advertisement'],
  [137, 'Redirect'],
  [138, 'Router Renumbering'],
  [139, 'ICMP Node Information Query'],
  [140, 'ICMP Node Information Response'],
  [141, 'Inverse Neighbor Discovery Solicitation Message'],
  [142, 'Inverse Neighbor Discovery Advertisement Message'],
  [143, 'Multicast Listener Report Message v2'],
  [144, 'Home Agent Address Discovery Request Message'],
  [145, 'Home Agent Address Discovery Reply Message'],
  [146, 'Mobile Prefix Solicitation'],
  [147, 'Mobile Prefix Advertisement'],
  [148, 'Certification Path Solicitation Message'],
  [149, 'Certification Path Advertisement Message'],
  [151, 'Multicast Router Advertisement'],
  [152, 'Multicast Router Solicitation'],
  [153, 'Multicast Router Termination'],
  [155, 'RPL Control Message'],
  [160, 'Extended Echo request'],
  [161, 'Extended Echo reply'],
]);

const unreachCodes = valueNames([
  [0, 'No route to destination'],
  [1, 'Administratively prohibited'],
  [2, 'Beyond scope of source address'],
  [3, 'Address unreachable'],
  [4, 'Port unreachable'],
  [5, 'Source address failed ingress/egress policy'],
  [6, 'Reject route to destination'],
  [7, 'Error in Source Routing Header'],
]);

const timeExceededCodes = valueNames([
  [0, 'hop limit exceeded in transit'],
  [1, 'fragment reassembly time exceeded'],
]);

const parameterCodes = valueNames([
  [0, 'erroneous header field encountered'],
  [1, 'unrecognized Next Header type encountered'],
  [2, 'unrecognized IPv6 option encountered'],
  [3, 'IPv6 First Fragment has incomplete IPv6 Header Chain'],
]);

/** Neighbor Discovery option types (RFC 4861 §4.6 and IANA "IPv6 Neighbor Discovery Option Formats"). */
const optionNames = valueNames([
  [1, 'Source link-layer address'],
  [2, 'Target link-layer address'],
  [3, 'Prefix information'],
  [4, 'Redirected header'],
  [5, 'MTU'],
  [6, 'NBMA Shortcut Limit Option'],
  [7, 'Advertisement Interval Option'],
  [8, 'Home Agent Information Option'],
  [14, 'Nonce'],
  [24, 'Route Information Option'],
  [25, 'Recursive DNS Server'],
  [31, 'DNS Search List Option'],
  [38, 'PREF64 Option'],
]);

/** Default Router Preference (RFC 4191 §2.2). */
const preferenceNames = valueNames([
  [0, 'Medium'],
  [1, 'High'],
  [2, 'Reserved'],
  [3, 'Low'],
]);

export const icmpv6Fields = {
  type: uintDec('icmpv6.type', 'Type', typeNames),
  code: uintDec('icmpv6.code', 'Code'),
  checksum: icmpv6Checksum,
  checksumStatus: icmpv6ChecksumStatus,
  reserved: bytesField('icmpv6.reserved', 'Reserved'),
  mtu: uintDec('icmpv6.mtu', 'MTU'),
  pointer: uintDec('icmpv6.pointer', 'Pointer'),
  echoId: uintHex('icmpv6.echo.identifier', 'Identifier', 4),
  echoSeq: uintDec('icmpv6.echo.sequence_number', 'Sequence'),
  mldDelay: uintDec('icmpv6.mld.maximum_response_delay', 'Maximum Response Delay [ms]'),
  mldAddress: field('icmpv6.mld.multicast_address', 'Multicast Address', 'ipv6'),
  raHopLimit: uintDec('icmpv6.nd.ra.cur_hop_limit', 'Cur hop limit'),
  raFlag: uintHex('icmpv6.nd.ra.flag', 'Flags', 2),
  raFlagM: flag('icmpv6.nd.ra.flag.m', 'Managed address configuration'),
  raFlagO: flag('icmpv6.nd.ra.flag.o', 'Other configuration'),
  raFlagH: flag('icmpv6.nd.ra.flag.h', 'Home Agent'),
  raFlagPrf: uintDec('icmpv6.nd.ra.flag.prf', 'Prf (Default Router Preference)', preferenceNames),
  raFlagP: flag('icmpv6.nd.ra.flag.p', 'Proxy'),
  raFlagRsv: uintDec('icmpv6.nd.ra.flag.rsv', 'Reserved'),
  raLifetime: uintDec('icmpv6.nd.ra.router_lifetime', 'Router lifetime (s)'),
  raReachable: uintDec('icmpv6.nd.ra.reachable_time', 'Reachable time (ms)'),
  raRetrans: uintDec('icmpv6.nd.ra.retrans_timer', 'Retrans timer (ms)'),
  nsTarget: field('icmpv6.nd.ns.target_address', 'Target Address', 'ipv6'),
  naFlag: uintHex('icmpv6.nd.na.flag', 'Flags', 8),
  naFlagR: flag('icmpv6.nd.na.flag.r', 'Router'),
  naFlagS: flag('icmpv6.nd.na.flag.s', 'Solicited'),
  naFlagO: flag('icmpv6.nd.na.flag.o', 'Override'),
  naFlagRsv: uintDec('icmpv6.nd.na.flag.rsv', 'Reserved'),
  naTarget: field('icmpv6.nd.na.target_address', 'Target Address', 'ipv6'),
  rdTarget: field('icmpv6.nd.rd.target_address', 'Target Address', 'ipv6'),
  rdDestination: field('icmpv6.rd.na.destination_address', 'Destination Address', 'ipv6'),
  optType: uintDec('icmpv6.opt.type', 'Type', optionNames),
  optLength: uintDec('icmpv6.opt.length', 'Length'),
  optLinkaddr: field('icmpv6.opt.linkaddr', 'Link-layer address', 'bytes'),
  optReserved: field('icmpv6.opt.reserved', 'Reserved', 'none'),
  optMtu: uintDec('icmpv6.opt.mtu', 'MTU'),
  optPrefixLength: uintDec('icmpv6.opt.prefix.length', 'Prefix Length'),
  optPrefixFlag: uintHex('icmpv6.opt.prefix.flag', 'Flag', 2),
  optPrefixFlagL: flag('icmpv6.opt.prefix.flag.l', 'On-link flag(L)'),
  optPrefixFlagA: flag('icmpv6.opt.prefix.flag.a', 'Autonomous address-configuration flag(A)'),
  optPrefixFlagR: flag('icmpv6.opt.prefix.flag.r', 'Router address flag(R)'),
  optPrefixFlagReserved: uintDec('icmpv6.opt.prefix.flag.reserved', 'Reserved'),
  optPrefixValid: uintDec('icmpv6.opt.prefix.valid_lifetime', 'Valid Lifetime'),
  optPrefixPreferred: uintDec('icmpv6.opt.prefix.preferred_lifetime', 'Preferred Lifetime'),
  optPrefix: field('icmpv6.opt.prefix', 'Prefix', 'ipv6'),
};

function isError(type: number): boolean {
  return type >= 1 && type <= 4;
}

function codeNames(type: number): ReadonlyMap<number, string> | null {
  return type === 1 ? unreachCodes : type === 3 ? timeExceededCodes : type === 4 ? parameterCodes : null;
}

export const icmpv6: Dissector = {
  name: 'icmpv6',
  title: 'Internet Control Message Protocol v6',
  proto: Proto.Icmpv6,
  osi: 3,
  fields: Object.values(icmpv6Fields),
  handoffs: [{ table: Table.IpProto, key: IpProto.Icmpv6 }],
  decode(p: Packet, off: number, end: number): number {
    const t = p.tree;
    const avail = end - off;
    if (avail < 4) {
      t?.begin('icmpv6', 'Internet Control Message Protocol v6', 3, off, avail);
      p.fail(`ICMPv6 header needs 4 bytes, only ${avail} captured`);
      return end;
    }
    const claimed = messageStart(p, off, end, IpProto.Icmpv6);
    const type = p.icmpType;
    const code = p.icmpCode;
    const body = p.payloadOffset;
    if (t !== null) tree(p, off, end, type, code, claimed);
    if (avail < 8 && (isError(type) || type === 128 || type === 129 || (type >= 133 && type <= 137))) {
      p.fail(`ICMPv6 ${typeNames.get(type) ?? type} needs 8 bytes, only ${avail} captured`);
      return end;
    }
    return body;
  },
};

function tree(p: Packet, off: number, end: number, type: number, code: number, claimed: number): void {
  const t = p.tree!;
  const b = p.buf;
  const v = p.view;
  const F = icmpv6Fields;
  const avail = end - off;
  t.begin('icmpv6', 'Internet Control Message Protocol v6', 3, off, avail);
  t.add(F.type, type, off, 1, `${typeNames.get(type) ?? 'Unknown'} (${type})`);
  const codeName = codeNames(type)?.get(code);
  t.add(F.code, code, off + 1, 1, codeName === undefined ? String(code) : `${code} (${codeName})`);
  checksum(p, off, end, claimed, IpProto.Icmpv6);
  if (avail < 8) return;
  const reserved = (at: number, n: number) => t.add(F.reserved, hexBytes(b, at, n), at, n, hexBytes(b, at, n));
  switch (type) {
    case 1:
    case 3:
      reserved(off + 4, 4);
      quotedDatagram(p, off + 8, end, EtherType.Ipv6);
      return;
    case 2:
      t.add(F.mtu, v.getUint32(off + 4), off + 4, 4);
      quotedDatagram(p, off + 8, end, EtherType.Ipv6);
      return;
    case 4:
      t.add(F.pointer, v.getUint32(off + 4), off + 4, 4);
      quotedDatagram(p, off + 8, end, EtherType.Ipv6);
      return;
    case 128:
    case 129:
      t.add(F.echoId, v.getUint16(off + 4), off + 4, 2);
      t.add(F.echoSeq, v.getUint16(off + 6), off + 6, 2);
      return;
    case 130:
    case 131:
    case 132:
      // RFC 2710 §3: maximum response delay, reserved, multicast address.
      t.add(F.mldDelay, v.getUint16(off + 4), off + 4, 2);
      reserved(off + 6, 2);
      if (avail >= 24) t.add(F.mldAddress, ipv6Text(b, off + 8), off + 8, 16);
      return;
    case 133:
      reserved(off + 4, 4);
      options(p, off + 8, end);
      return;
    case 134:
      if (avail < 16) return;
      routerAdvertisement(p, off);
      options(p, off + 16, end);
      return;
    case 135:
      reserved(off + 4, 4);
      if (avail < 24) return;
      t.add(F.nsTarget, ipv6Text(b, off + 8), off + 8, 16);
      options(p, off + 24, end);
      return;
    case 136:
      neighborAdvertisementFlags(p, off + 4);
      if (avail < 24) return;
      t.add(F.naTarget, ipv6Text(b, off + 8), off + 8, 16);
      options(p, off + 24, end);
      return;
    case 137:
      reserved(off + 4, 4);
      if (avail < 40) return;
      t.add(F.rdTarget, ipv6Text(b, off + 8), off + 8, 16);
      t.add(F.rdDestination, ipv6Text(b, off + 24), off + 24, 16);
      options(p, off + 40, end);
      return;
    default:
      return;
  }
}

/** RFC 4861 §4.2 and RFC 4191 §2.2: hop limit, M/O/H/Prf/P flags, lifetime and timers. */
function routerAdvertisement(p: Packet, off: number): void {
  const t = p.tree!;
  const b = p.buf;
  const v = p.view;
  const F = icmpv6Fields;
  t.add(F.raHopLimit, b[off + 4]!, off + 4, 1);
  const f = b[off + 5]!;
  const prf = (f >> 3) & 3;
  let summary = `0x${f.toString(16).padStart(2, '0')}`;
  if (f & 0x80) summary += ', Managed address configuration';
  if (f & 0x40) summary += ', Other configuration';
  if (f & 0x20) summary += ', Home Agent';
  summary += `, Prf (Default Router Preference): ${preferenceNames.get(prf)}`;
  if (f & 0x04) summary += ', Proxy';
  t.open(F.raFlag, f, off + 5, 1, summary);
  const set = (mask: number) => ((f & mask) !== 0 ? 'Set' : 'Not set');
  t.add(F.raFlagM, (f & 0x80) !== 0, off + 5, 1, set(0x80));
  t.add(F.raFlagO, (f & 0x40) !== 0, off + 5, 1, set(0x40));
  t.add(F.raFlagH, (f & 0x20) !== 0, off + 5, 1, set(0x20));
  t.add(F.raFlagPrf, prf, off + 5, 1);
  t.add(F.raFlagP, (f & 0x04) !== 0, off + 5, 1, set(0x04));
  t.add(F.raFlagRsv, f & 3, off + 5, 1);
  t.close();
  t.add(F.raLifetime, v.getUint16(off + 6), off + 6, 2);
  t.add(F.raReachable, v.getUint32(off + 8), off + 8, 4);
  t.add(F.raRetrans, v.getUint32(off + 12), off + 12, 4);
}

/** RFC 4861 §4.4: Router, Solicited and Override flags. */
function neighborAdvertisementFlags(p: Packet, at: number): void {
  const t = p.tree!;
  const F = icmpv6Fields;
  const f = p.view.getUint32(at);
  let summary = `0x${f.toString(16).padStart(8, '0')}`;
  if (f & 0x80000000) summary += ', Router';
  if (f & 0x40000000) summary += ', Solicited';
  if (f & 0x20000000) summary += ', Override';
  t.open(F.naFlag, f, at, 4, summary);
  t.add(F.naFlagR, (f & 0x80000000) !== 0, at, 4, (f & 0x80000000) !== 0 ? 'Set' : 'Not set');
  t.add(F.naFlagS, (f & 0x40000000) !== 0, at, 4, (f & 0x40000000) !== 0 ? 'Set' : 'Not set');
  t.add(F.naFlagO, (f & 0x20000000) !== 0, at, 4, (f & 0x20000000) !== 0 ? 'Set' : 'Not set');
  t.add(F.naFlagRsv, f & 0x1fffffff, at, 4);
  t.close();
}

/** Neighbor Discovery options (RFC 4861 §4.6): type, length in 8-octet units, value. */
function options(p: Packet, off: number, end: number): void {
  const t = p.tree!;
  const b = p.buf;
  const v = p.view;
  const F = icmpv6Fields;
  while (end - off >= 2) {
    const type = b[off]!;
    const units = b[off + 1]!;
    const len = units * 8;
    if (len === 0 || off + len > end) {
      t.malformed(`ICMPv6 option ${type} has a bad length (${units})`);
      return;
    }
    const name = optionNames.get(type) ?? 'Unknown';
    let title = `ICMPv6 Option (${name})`;
    if ((type === 1 || type === 2) && len === 8) title = `ICMPv6 Option (${name} : ${macText(b, off + 2)})`;
    else if (type === 5 && len === 8) title = `ICMPv6 Option (${name} : ${v.getUint32(off + 4)})`;
    else if (type === 3 && len === 32) title = `ICMPv6 Option (${name} : ${ipv6Text(b, off + 16)}/${b[off + 2]!})`;
    t.openText(title, off, len);
    t.add(F.optType, type, off, 1);
    t.add(F.optLength, units, off + 1, 1, `${units} (${len} bytes)`);
    if ((type === 1 || type === 2) && len === 8) {
      t.add(F.optLinkaddr, macText(b, off + 2), off + 2, 6);
    } else if ((type === 1 || type === 2) && len > 2) {
      t.add(F.optLinkaddr, hexBytes(b, off + 2, len - 2, ':'), off + 2, len - 2);
    } else if (type === 5 && len === 8) {
      t.add(F.optReserved, 1, off + 2, 2, '').label = 'Reserved';
      t.add(F.optMtu, v.getUint32(off + 4), off + 4, 4);
    } else if (type === 3 && len === 32) {
      prefixInformation(p, off);
    }
    t.close();
    off += len;
  }
}

/** RFC 4861 §4.6.2: prefix length, L/A/R flags, lifetimes and the prefix. */
function prefixInformation(p: Packet, off: number): void {
  const t = p.tree!;
  const b = p.buf;
  const v = p.view;
  const F = icmpv6Fields;
  t.add(F.optPrefixLength, b[off + 2]!, off + 2, 1);
  const f = b[off + 3]!;
  let summary = `0x${f.toString(16).padStart(2, '0')}`;
  if (f & 0x80) summary += ', On-link flag(L)';
  if (f & 0x40) summary += ', Autonomous address-configuration flag(A)';
  if (f & 0x20) summary += ', Router address flag(R)';
  t.open(F.optPrefixFlag, f, off + 3, 1, summary);
  t.add(F.optPrefixFlagL, (f & 0x80) !== 0, off + 3, 1, (f & 0x80) !== 0 ? 'Set' : 'Not set');
  t.add(F.optPrefixFlagA, (f & 0x40) !== 0, off + 3, 1, (f & 0x40) !== 0 ? 'Set' : 'Not set');
  t.add(F.optPrefixFlagR, (f & 0x20) !== 0, off + 3, 1, (f & 0x20) !== 0 ? 'Set' : 'Not set');
  t.add(F.optPrefixFlagReserved, f & 0x1f, off + 3, 1);
  t.close();
  const lifetime = (x: number) => (x === 0xffffffff ? `Infinity (${x})` : String(x));
  t.add(F.optPrefixValid, v.getUint32(off + 4), off + 4, 4, lifetime(v.getUint32(off + 4)));
  t.add(F.optPrefixPreferred, v.getUint32(off + 8), off + 8, 4, lifetime(v.getUint32(off + 8)));
  t.add(F.optReserved, 1, off + 12, 4, '').label = 'Reserved';
  t.add(F.optPrefix, ipv6Text(b, off + 16), off + 16, 16);
}
