// Raw IP link types (DLT_RAW: 12, 14 and 101): no link header, the IP version nibble says which IP.
// Shown as Wireshark's fieldless "Raw packet data" line so the frame still has a layer-2 card.

import type { Dissector } from '../dissector';
import { EtherType } from '../ethertypes';
import { LinkType } from '../link-types';
import { Proto, Table, type Packet } from '../packet';

/** Wireshark reads bytes 6-7 before deciding anything, so shorter frames are malformed there. */
const MIN_SIZE = 8;
/** Linux ISDN ippp devices send 10 zero bytes before the IP header while the link is down. */
const ISDN_ZEROES = 10;

export const rawIp: Dissector = {
  name: 'raw',
  title: 'Raw packet data',
  proto: Proto.Raw,
  osi: 2,
  fields: [],
  handoffs: [
    { table: Table.LinkType, key: LinkType.RawBsd12 },
    { table: Table.LinkType, key: LinkType.RawBsd14 },
    { table: Table.LinkType, key: LinkType.Raw },
  ],
  decode(p: Packet, off: number, end: number): number {
    const t = p.tree;
    const b = p.buf;
    const avail = end - off;
    if (t !== null) t.begin('raw', 'Raw packet data', 2, off, avail);
    if (avail < MIN_SIZE) {
      p.fail(`Raw IP packet of ${avail} bytes is too short for an IP header`);
      return end;
    }
    // Old Linux PPP and ISDN drivers leave (part of) a PPP HDLC header in front (packet-raw.c).
    if (isPppHdlc(b, off) || isPppHdlc(b, off + 6) || isPppHdlc(b, off + 1)) {
      t?.text('PPP in HDLC-like framing (not decoded)', off, avail);
      return off;
    }
    let ip = off;
    if (avail >= ISDN_ZEROES && allZero(b, off, ISDN_ZEROES)) ip = off + ISDN_ZEROES;
    const version = b[ip]! >> 4;
    if (version === 4) p.next(Table.EtherType, EtherType.Ipv4, end);
    else if (version === 6) p.next(Table.EtherType, EtherType.Ipv6, end);
    // Any other version: Wireshark shows the bytes as data.
    return ip;
  },
};

function isPppHdlc(b: Uint8Array, off: number): boolean {
  return b[off] === 0xff && b[off + 1] === 0x03;
}

function allZero(b: Uint8Array, off: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[off + i] !== 0) return false;
  return true;
}
