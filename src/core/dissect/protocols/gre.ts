// Generic Routing Encapsulation (RFC 2784, key and sequence from RFC 2890, routing from RFC 1701,
// enhanced GRE for PPTP from RFC 2637): the header, then the payload by its EtherType.

import type { Dissector } from '../dissector';
import { bytesField, field, flag, uintDec, uintHex, valueNames } from '../fields';
import { IpProto } from '../ip-protocols';
import { Mark, Proto, Table, type Packet } from '../packet';
import { finish16, sum16 } from '../../util/checksum';
import { hexBytes } from '../../util/address';

/** Payload types as Wireshark's GRE dissector names them (gre_typevals). */
const protocolNames = valueNames([
  [0x0800, 'IP'],
  [0x0806, 'ARP'],
  [0x86dd, 'IPv6'],
  [0x6558, 'Transparent Ethernet bridging'],
  [0x880b, 'PPP'],
  [0x8847, 'MPLS label switched packet'],
  [0x8848, 'MPLS multicast label switched packet'],
  [0x88be, 'ERSPAN'],
  [0x22eb, 'ERSPAN'],
  [0x8100, '802.1Q Virtual LAN'],
  [0x883e, 'WCCP'],
  [0x894f, 'NSH'],
]);

const versionNames = valueNames([
  [0, 'GRE'],
  [1, 'Enhanced GRE'],
]);

const checksumStatus = valueNames([
  [0, 'Bad'],
  [1, 'Good'],
  [2, 'Unverified'],
]);

const Bit = {
  Checksum: 0x8000,
  Routing: 0x4000,
  Key: 0x2000,
  Sequence: 0x1000,
  StrictSourceRoute: 0x0800,
  Ack: 0x0080,
} as const;

export const greFields = {
  flagsAndVersion: uintHex('gre.flags_and_version', 'Flags and Version', 4),
  flagChecksum: flag('gre.flags.checksum', 'Checksum Bit'),
  flagRouting: flag('gre.flags.routing', 'Routing Bit'),
  flagKey: flag('gre.flags.key', 'Key Bit'),
  flagSequence: flag('gre.flags.sequence_number', 'Sequence Number Bit'),
  flagStrictSourceRoute: flag('gre.flags.strict_source_route', 'Strict Source Route Bit'),
  recursion: uintDec('gre.flags.recursion_control', 'Recursion control'),
  flagAck: flag('gre.flags.ack', 'Acknowledgment'),
  reserved: uintDec('gre.flags.reserved', 'Flags (Reserved)'),
  version: uintDec('gre.flags.version', 'Version', versionNames),
  proto: uintHex('gre.proto', 'Protocol Type', 4, protocolNames),
  checksum: uintHex('gre.checksum', 'Checksum', 4),
  checksumStatus: uintDec('gre.checksum.status', 'Checksum Status', checksumStatus),
  offset: uintDec('gre.offset', 'Offset'),
  key: uintHex('gre.key', 'Key', 8),
  payloadLength: uintDec('gre.key.payload_length', 'Payload Length'),
  callId: uintDec('gre.key.call_id', 'Call ID'),
  sequence: uintDec('gre.sequence_number', 'Sequence Number'),
  ack: uintDec('gre.ack_number', 'Acknowledgment Number'),
  routing: field('gre.routing', 'Routing', 'none'),
  routingAddressFamily: uintDec('gre.routing.address_family', 'Address Family'),
  routingSreOffset: uintDec('gre.routing.sre_offset', 'SRE Offset'),
  routingSreLength: uintDec('gre.routing.src_length', 'SRE Length'),
  routingInformation: bytesField('gre.routing.information', 'Routing Information'),
};

export const gre: Dissector = {
  name: 'gre',
  title: 'Generic Routing Encapsulation',
  proto: Proto.Gre,
  osi: 3,
  fields: Object.values(greFields),
  handoffs: [{ table: Table.IpProto, key: IpProto.Gre }],
  decode(p: Packet, off: number, end: number): number {
    const b = p.buf;
    const t = p.tree;
    const avail = end - off;
    if (avail < 4) {
      t?.begin('gre', 'Generic Routing Encapsulation', 3, off, avail);
      p.fail(`GRE header needs 4 bytes, only ${avail} captured`);
      return end;
    }
    const fv = (b[off]! << 8) | b[off + 1]!;
    const proto = (b[off + 2]! << 8) | b[off + 3]!;
    const version = fv & 7;
    // Optional fields follow in this order, each present when its bit is set.
    let len = 4;
    if (fv & (Bit.Checksum | Bit.Routing)) len += 4;
    if (fv & Bit.Key) len += 4;
    if (fv & Bit.Sequence) len += 4;
    if (version === 1 && fv & Bit.Ack) len += 4;
    if (t !== null) header(p, off, end, fv, proto, len);
    if (len > avail) {
      p.fail(`GRE header of ${len} bytes is cut short by the capture (${avail} bytes)`);
      return end;
    }
    if (fv & Bit.Routing) {
      // RFC 1701 §2.1.6: Source Route Entries up to a NULL one (address family 0, length 0).
      let pos = off + len;
      for (;;) {
        if (end - pos < 4) {
          p.fail('GRE source route entries are cut short');
          return end;
        }
        const family = (b[pos]! << 8) | b[pos + 1]!;
        const sreLength = b[pos + 3]!;
        if (pos + 4 + sreLength > end) {
          p.fail('GRE source route entry is cut short');
          return end;
        }
        if (t !== null) sourceRouteEntry(p, pos, family, sreLength);
        pos += 4 + sreLength;
        if (family === 0 && sreLength === 0) break;
      }
      len = pos - off;
    }
    p.next(Table.EtherType, proto, end);
    return off + len;
  },
};

function header(p: Packet, off: number, end: number, fv: number, proto: number, len: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = greFields;
  const avail = end - off;
  const version = fv & 7;
  const protoName = protocolNames.get(proto) ?? `0x${proto.toString(16).padStart(4, '0')}`;
  t.begin('gre', `Generic Routing Encapsulation (${protoName})`, 3, off, Math.min(len, avail));
  t.open(F.flagsAndVersion, fv, off, 2);
  const yes = (mask: number) => ((fv & mask) !== 0 ? 'Yes' : 'No');
  t.add(F.flagChecksum, (fv & Bit.Checksum) !== 0, off, 2, yes(Bit.Checksum));
  t.add(F.flagRouting, (fv & Bit.Routing) !== 0, off, 2, yes(Bit.Routing));
  t.add(F.flagKey, (fv & Bit.Key) !== 0, off, 2, yes(Bit.Key));
  t.add(F.flagSequence, (fv & Bit.Sequence) !== 0, off, 2, yes(Bit.Sequence));
  t.add(F.flagStrictSourceRoute, (fv & Bit.StrictSourceRoute) !== 0, off, 2, yes(Bit.StrictSourceRoute));
  t.add(F.recursion, (fv >> 8) & 7, off, 2);
  if (version === 1) {
    t.add(F.flagAck, (fv & Bit.Ack) !== 0, off, 2, yes(Bit.Ack));
    t.add(F.reserved, (fv >> 3) & 0x0f, off, 2);
  } else {
    t.add(F.reserved, (fv >> 3) & 0x1f, off, 2);
  }
  t.add(F.version, version, off, 2, `${versionNames.get(version) ?? 'Unknown'} (${version})`);
  t.close();
  t.add(F.proto, proto, off + 2, 2);
  let pos = off + 4;
  const v = p.view;
  if (fv & (Bit.Checksum | Bit.Routing)) {
    if (pos + 4 > end) return;
    const ck = (b[pos]! << 8) | b[pos + 1]!;
    if (fv & Bit.Checksum) checksum(p, off, end, pos, ck);
    t.add(F.offset, (b[pos + 2]! << 8) | b[pos + 3]!, pos + 2, 2);
    pos += 4;
  }
  if (fv & Bit.Key) {
    if (pos + 4 > end) return;
    if (version === 1) {
      // RFC 2637 §4.1: the key holds the payload length and the call ID.
      t.add(F.payloadLength, v.getUint16(pos), pos, 2);
      t.add(F.callId, v.getUint16(pos + 2), pos + 2, 2);
    } else {
      t.add(F.key, v.getUint32(pos), pos, 4);
    }
    pos += 4;
  }
  if (fv & Bit.Sequence) {
    if (pos + 4 > end) return;
    t.add(F.sequence, v.getUint32(pos), pos, 4);
    pos += 4;
  }
  if (version === 1 && fv & Bit.Ack) {
    if (pos + 4 > end) return;
    t.add(F.ack, v.getUint32(pos), pos, 4);
  }
}

/** RFC 2784 §2.5: the one's-complement checksum of the GRE header and payload. */
function checksum(p: Packet, off: number, end: number, at: number, ck: number): void {
  const t = p.tree!;
  const F = greFields;
  const text = `0x${ck.toString(16).padStart(4, '0')}`;
  // The whole packet must be there: what IP says follows its header.
  const length = p.payloadWireLength > 0 ? p.payloadWireLength : end - off;
  if (p.fragmented || off + length > end) {
    t.add(F.checksum, ck, at, 2, `${text} [unverified]`);
    t.add(F.checksumStatus, 2, at, 2).label = '[Checksum Status: Unverified]';
    return;
  }
  const acc = sum16(p.buf, off, length, 0);
  if (finish16(acc) === 0) {
    t.add(F.checksum, ck, at, 2, `${text} [correct]`);
    t.add(F.checksumStatus, 1, at, 2).label = '[Checksum Status: Good]';
    return;
  }
  const should = `0x${finish16(acc - ck).toString(16).padStart(4, '0')}`;
  const node = t.add(F.checksum, ck, at, 2, `${text} incorrect, should be ${should}`);
  t.warn(node, `Incorrect GRE Checksum [should be ${should}]`);
  t.add(F.checksumStatus, 0, at, 2).label = '[Checksum Status: Bad]';
  p.marks |= Mark.L4ChecksumBad;
}

function sourceRouteEntry(p: Packet, pos: number, family: number, sreLength: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = greFields;
  t.open(F.routing, 1, pos, 4 + sreLength, '').label = 'Routing';
  t.add(F.routingAddressFamily, family, pos, 2);
  t.add(F.routingSreOffset, b[pos + 2]!, pos + 2, 1);
  t.add(F.routingSreLength, sreLength, pos + 3, 1);
  if (sreLength > 0) t.add(F.routingInformation, hexBytes(b, pos + 4, sreLength), pos + 4, sreLength, hexBytes(b, pos + 4, sreLength));
  t.close();
}
