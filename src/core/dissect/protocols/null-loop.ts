// BSD loopback link headers: DLT_NULL (link type 0), a 4-byte address family in the capturing
// host's byte order, and DLT_LOOP (108), the same in network byte order.

import type { Dissector } from '../dissector';
import { EtherType, etherTypeNames } from '../ethertypes';
import { uintDec, uintHex, valueNames } from '../fields';
import { LinkType } from '../link-types';
import { Proto, Table, type Packet } from '../packet';
import { hex } from '../../util/address';

/** BSD AF_* values as Wireshark names them (AF_INET6 differs: 24 NetBSD/OpenBSD, 28 FreeBSD, 30 Darwin). */
const familyNames = valueNames([
  [2, 'IP'],
  [7, 'OSI'],
  [16, 'Appletalk'],
  [23, 'Netware IPX/SPX'],
  [24, 'IPv6'],
  [28, 'IPv6'],
  [30, 'IPv6'],
]);

export const nullFields = {
  family: uintDec('null.family', 'Family', familyNames),
  type: uintHex('null.type', 'Type', 4, etherTypeNames),
};

const AF_INET = 2;
const AF_INET6_BSD = 24;
const AF_INET6_FREEBSD = 28;
const AF_INET6_DARWIN = 30;
/** Linux's AF_INET6; tshark 4.0 leaves it undecoded, we take it when an IPv6 header follows. */
const AF_INET6_LINUX = 10;
/** Largest IEEE 802.3 length; anything above it in a DLT_NULL header is an EtherType. */
const MAX_802_3_LENGTH = 1500;

export const nullLoop: Dissector = {
  name: 'null',
  title: 'Null/Loopback',
  proto: Proto.Null,
  osi: 2,
  fields: Object.values(nullFields),
  handoffs: [
    { table: Table.LinkType, key: LinkType.Null },
    { table: Table.LinkType, key: LinkType.Loop },
  ],
  decode(p: Packet, off: number, end: number): number {
    const t = p.tree;
    const b = p.buf;
    const avail = end - off;
    const loop = p.linkType === LinkType.Loop;
    if (!loop && avail >= 2 && b[off] === 0xff && b[off + 1] === 0x03) {
      // PPP in HDLC-like framing (RFC 1662) captured as DLT_NULL: Wireshark hands it to PPP,
      // which we do not decode.
      if (t !== null) {
        t.begin('null', 'Null/Loopback', 2, off, avail);
        t.text('PPP in HDLC-like framing (not decoded)', off, avail);
      }
      return off;
    }
    if (avail < 4) {
      t?.begin('null', 'Null/Loopback', 2, off, avail);
      p.fail(`Loopback header needs 4 bytes, only ${avail} captured`);
      return end;
    }
    let value: number;
    if (loop) {
      value = ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
    } else {
      value = hostOrderFamily(((b[off + 3]! << 24) | (b[off + 2]! << 16) | (b[off + 1]! << 8) | b[off]!) >>> 0);
      if (value > MAX_802_3_LENGTH) {
        // Old Linux libpcap wrote 2 zero bytes and the Ethernet type here.
        const type = value & 0xffff;
        if (t !== null) {
          t.begin('null', 'Null/Loopback', 2, off, 4);
          t.add(nullFields.type, type, off, 4, `${etherTypeNames.get(type) ?? 'Unknown'} (${hex(type, 4)})`);
        }
        p.next(Table.EtherType, type, end);
        return off + 4;
      }
    }
    if (t !== null) {
      t.begin('null', 'Null/Loopback', 2, off, 4);
      t.add(nullFields.family, value, off, 4, `${familyNames.get(value) ?? 'Unknown'} (${value})`);
    }
    const payload = off + 4;
    if (value === AF_INET) p.next(Table.EtherType, EtherType.Ipv4, end);
    else if (value === AF_INET6_BSD || value === AF_INET6_FREEBSD || value === AF_INET6_DARWIN) p.next(Table.EtherType, EtherType.Ipv6, end);
    else if (value === AF_INET6_LINUX && payload < end && b[payload]! >> 4 === 6) p.next(Table.EtherType, EtherType.Ipv6, end);
    return payload;
  },
};

/**
 * The AF_ value of a DLT_NULL header read as a little-endian 32-bit number, the way Wireshark
 * reads it on a little-endian host (packet-null.c): AF_ values are small, so a value with its
 * upper 16 bits set was written by a host of the other byte order, except the IRIX/UNICOS
 * snoop form that holds a 16-bit big-endian AF_ value followed by two zero bytes.
 */
function hostOrderFamily(h: number): number {
  if ((h & 0xffff0000) !== 0) {
    if ((h & 0xff000000) === 0 && (h & 0x00ff0000) < 0x00060000) return h >>> 16;
    return (((h & 0xff) << 24) | ((h & 0xff00) << 8) | ((h >>> 8) & 0xff00) | (h >>> 24)) >>> 0;
  }
  // IRIX/UNICOS written on a little-endian host: the AF_ value byte-swapped in the low 16 bits.
  if ((h & 0xff) === 0 && (h & 0xff00) < 0x0600) return h >>> 8;
  return h;
}
