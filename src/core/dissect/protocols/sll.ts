// Linux "cooked" capture header v1 (LINKTYPE_LINUX_SLL, 113): what libpcap writes for `any` and
// for interfaces without a link-layer header. Also the address and protocol rules v2 shares.

import type { Dissector } from '../dissector';
import { EtherType, etherTypeNames } from '../ethertypes';
import { bytesField, field, uintDec, uintHex, valueNames } from '../fields';
import { LinkType } from '../link-types';
import { Proto, Table, type Packet } from '../packet';
import { hex, hexBytes, ipv4Text, macText } from '../../util/address';
import { arpHardwareTypes } from './arp';

/** sll_pkttype values (linux/if_packet.h PACKET_HOST…PACKET_OUTGOING). */
export const packetTypes = valueNames([
  [0, 'Unicast to us'],
  [1, 'Broadcast'],
  [2, 'Multicast'],
  [3, 'Unicast to another host'],
  [4, 'Sent by us'],
]);

/** Linux-internal protocol numbers used instead of an EtherType (linux/if_ether.h ETH_P_802_3…). */
const linuxProtocols = valueNames([
  [0x0001, 'Raw 802.3'],
  [0x0003, 'Ethernet'],
  [0x0004, '802.2 LLC'],
  [0x0007, 'PPP (HDLC)'],
  [0x000c, 'CAN'],
  [0x000d, 'CAN FD'],
  [0x0017, 'IrDA LAP'],
  [0x00f5, 'ISI'],
  [0x00f6, 'IEEE 802.15.4'],
]);

/** GRE protocol types (an ARPHRD_IPGRE device reports these), Wireshark's names for the common ones. */
const greProtocols = valueNames([
  [0x0000, 'Possible GRE keepalive packet'],
  [0x0800, 'IP'],
  [0x0806, 'ARP'],
  [0x86dd, 'IPv6'],
  [0x6558, 'Transparent Ethernet bridging'],
  [0x8847, 'MPLS label switched packet'],
  [0x880b, 'PPP'],
  [0x88be, 'ERSPAN'],
  [0x22eb, 'ERSPAN III'],
]);

export const sllFields = {
  pkttype: uintDec('sll.pkttype', 'Packet type', packetTypes),
  hatype: uintDec('sll.hatype', 'Link-layer address type', arpHardwareTypes),
  halen: uintDec('sll.halen', 'Link-layer address length'),
  srcEth: field('sll.src.eth', 'Source', 'ether'),
  srcIpv4: field('sll.src.ipv4', 'Source', 'ipv4'),
  srcOther: bytesField('sll.src.other', 'Source'),
  unused: bytesField('sll.unused', 'Unused'),
  ltype: uintHex('sll.ltype', 'Protocol', 4, linuxProtocols),
  gretype: uintHex('sll.gretype', 'Protocol', 4, greProtocols),
  etype: uintHex('sll.etype', 'Protocol', 4, etherTypeNames),
  ifindex: uintDec('sll.ifindex', 'Interface index'),
};

/** ARPHRD_* values that change how the protocol field reads (linux/if_arp.h). */
const ARPHRD_IPGRE = 778;
const ARPHRD_NETLINK = 824;
/** Linux's own cut-off: protocol values up to 1536 are ETH_P_* internals, not EtherTypes. */
const MAX_LINUX_PROTOCOL = 1536;
const LINUX_P_ETHERNET = 0x0003;
const LINUX_P_802_2 = 0x0004;
/** Size of the address field in both header versions. */
const ADDRESS_SIZE = 8;
/** pkttype 2, hatype 2, halen 2, address 8, protocol 2. */
const HEADER_SIZE = 16;

export const sll: Dissector = {
  name: 'sll',
  title: 'Linux cooked capture v1',
  proto: Proto.Sll,
  osi: 2,
  fields: Object.values(sllFields),
  handoffs: [{ table: Table.LinkType, key: LinkType.LinuxSll }],
  decode(p: Packet, off: number, end: number): number {
    const t = p.tree;
    const b = p.buf;
    const avail = end - off;
    if (avail < HEADER_SIZE) {
      if (t !== null) {
        t.begin('sll', 'Linux cooked capture v1', 2, off, avail);
        headerFields(p, off, avail);
      }
      p.fail(`Linux cooked capture header needs ${HEADER_SIZE} bytes, only ${avail} captured`);
      return end;
    }
    const hatype = (b[off + 2]! << 8) | b[off + 3]!;
    const halen = (b[off + 4]! << 8) | b[off + 5]!;
    const protocol = (b[off + 14]! << 8) | b[off + 15]!;
    if (halen === 6) p.macSrc = off + 6;
    if (t !== null) {
      t.begin('sll', 'Linux cooked capture v1', 2, off, HEADER_SIZE);
      headerFields(p, off, HEADER_SIZE);
      sllProtocolField(p, off + 14, hatype, protocol);
    }
    sllHandoff(p, hatype, protocol, end);
    return off + HEADER_SIZE;
  },
};

/** Packet type, address type, length and address, as many as `avail` bytes hold (tree path only). */
function headerFields(p: Packet, off: number, avail: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = sllFields;
  if (avail < 2) return;
  const pkttype = (b[off]! << 8) | b[off + 1]!;
  t.add(F.pkttype, pkttype, off, 2, namedDec(packetTypes, pkttype));
  if (avail < 4) return;
  const hatype = (b[off + 2]! << 8) | b[off + 3]!;
  t.add(F.hatype, hatype, off + 2, 2, namedDec(arpHardwareTypes, hatype));
  if (avail < 6) return;
  const halen = (b[off + 4]! << 8) | b[off + 5]!;
  t.add(F.halen, halen, off + 4, 2);
  if (avail >= 6 + ADDRESS_SIZE) sllAddressFields(p, off + 6, halen);
}

/** The source address inside the 8-byte address field, and the unused rest (tree path only). */
export function sllAddressFields(p: Packet, off: number, halen: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = sllFields;
  if (halen === 4) t.add(F.srcIpv4, ipv4Text(b, off), off, 4);
  else if (halen === 6) t.add(F.srcEth, macText(b, off), off, 6);
  else if (halen !== 0) {
    const n = Math.min(halen, ADDRESS_SIZE);
    t.add(F.srcOther, hexBytes(b, off, n), off, n);
  }
  if (halen < ADDRESS_SIZE) t.add(F.unused, hexBytes(b, off + halen, ADDRESS_SIZE - halen), off + halen, ADDRESS_SIZE - halen);
}

/** The protocol field under the name Wireshark gives it for this device type (tree path only). */
export function sllProtocolField(p: Packet, off: number, hatype: number, protocol: number): void {
  const t = p.tree!;
  const F = sllFields;
  // A netlink capture carries a netlink family here; Wireshark hands the frame to its netlink dissector.
  if (hatype === ARPHRD_NETLINK) return;
  if (protocol <= MAX_LINUX_PROTOCOL) t.add(F.ltype, protocol, off, 2, namedHex(linuxProtocols, protocol));
  else if (hatype === ARPHRD_IPGRE) t.add(F.gretype, protocol, off, 2, namedHex(greProtocols, protocol));
  else t.add(F.etype, protocol, off, 2, namedHex(etherTypeNames, protocol));
}

/** Names the next protocol from the device type and protocol field. */
export function sllHandoff(p: Packet, hatype: number, protocol: number, end: number): void {
  if (hatype === ARPHRD_NETLINK) return;
  if (protocol <= MAX_LINUX_PROTOCOL) {
    if (protocol === LINUX_P_802_2) p.next(Table.Ieee8023, 0, end);
    else if (protocol === LINUX_P_ETHERNET) p.next(Table.EtherType, EtherType.TransparentEthernet, end);
    return;
  }
  // GRE protocol types are EtherTypes too (RFC 2784 §2.4).
  p.next(Table.EtherType, protocol, end);
}

/** `Loopback (772)`, or `Unknown (9)`, as Wireshark labels a decimal value_string field. */
export function namedDec(names: ReadonlyMap<number, string>, v: number): string {
  return `${names.get(v) ?? 'Unknown'} (${v})`;
}

/** `IPv4 (0x0800)`, or `Unknown (0x090a)`. */
function namedHex(names: ReadonlyMap<number, string>, v: number): string {
  return `${names.get(v) ?? 'Unknown'} (${hex(v, 4)})`;
}
