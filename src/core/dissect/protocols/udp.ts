// User Datagram Protocol (RFC 768): ports, length, checksum, and the hand-off by port.

import type { Dissector } from '../dissector';
import { bytesField, uintDec, uintHex, valueNames } from '../fields';
import { IpProto } from '../ip-protocols';
import { Mark, Proto, Table, type Packet } from '../packet';
import { finish16, sum16 } from '../../util/checksum';
import { hexBytes } from '../../util/address';
import { transportChecksum } from './tcp';

/** Wireshark's proto_checksum_vals. */
const checksumStatus = valueNames([
  [0, 'Bad'],
  [1, 'Good'],
  [2, 'Unverified'],
  [3, 'Not present'],
  [4, 'Illegal'],
]);

export const udpFields = {
  srcport: uintDec('udp.srcport', 'Source Port'),
  dstport: uintDec('udp.dstport', 'Destination Port'),
  length: uintDec('udp.length', 'Length'),
  checksum: uintHex('udp.checksum', 'Checksum', 4),
  checksumCalculated: uintHex('udp.checksum_calculated', 'Calculated Checksum', 4),
  checksumStatus: uintDec('udp.checksum.status', 'Checksum Status', checksumStatus),
  payload: bytesField('udp.payload', 'Payload'),
};

export const udp: Dissector = {
  name: 'udp',
  title: 'User Datagram Protocol',
  proto: Proto.Udp,
  osi: 4,
  fields: Object.values(udpFields),
  handoffs: [{ table: Table.IpProto, key: IpProto.Udp }],
  decode(p: Packet, off: number, end: number): number {
    const b = p.buf;
    const t = p.tree;
    const avail = end - off;
    if (avail < 8) {
      t?.begin('udp', 'User Datagram Protocol', 4, off, avail);
      p.fail(`UDP header needs 8 bytes, only ${avail} captured`);
      return end;
    }
    const sport = (b[off]! << 8) | b[off + 1]!;
    const dport = (b[off + 2]! << 8) | b[off + 3]!;
    const ulen = (b[off + 4]! << 8) | b[off + 5]!;
    p.l4 = IpProto.Udp;
    p.l4Offset = off;
    p.srcPort = sport;
    p.dstPort = dport;
    // What IP says follows its header; the UDP length must fit in it.
    const reported = p.payloadWireLength > 0 ? p.payloadWireLength : avail;
    // The first fragment of an unreassembled datagram, and a datagram quoted in an ICMP error,
    // are short by nature (Wireshark skips the check when pinfo->fragmented or in_error_pkt).
    const lengthBogus = ulen > reported && !p.fragmented && !p.inError;
    if (t !== null) header(p, off, end, sport, dport, ulen, reported, lengthBogus);
    if (ulen < 8) {
      p.fail(`Bogus UDP length (${ulen}, must be at least 8)`);
      return off + 8;
    }
    // A length past the IP payload is bogus: the IP payload is taken instead.
    const length = ulen > reported ? reported : ulen;
    const payloadEnd = off + length < end ? off + length : end;
    p.payloadOffset = off + 8;
    p.payloadLength = payloadEnd > off + 8 ? payloadEnd - (off + 8) : 0;
    p.payloadWireLength = length - 8;
    if (t !== null && p.payloadLength > 0) {
      t.add(udpFields.payload, hexBytes(b, off + 8, p.payloadLength), off + 8, p.payloadLength).label = `UDP payload (${p.payloadLength} bytes)`;
    }
    // Wireshark files this under "Malformed" (an expert error) and still decodes the payload.
    if (lengthBogus) p.fail(`Bogus UDP length (${ulen}, more than the IP payload length ${reported})`);
    if (p.inError) return off + 8;
    // Wireshark's decode_udp_ports: the lower port first, then the other one.
    const registry = p.registry;
    if (registry !== null) {
      const low = sport < dport ? sport : dport;
      const high = sport < dport ? dport : sport;
      if (low !== 0 && registry.lookup(Table.UdpPort, low) !== null) p.next(Table.UdpPort, low, payloadEnd);
      else if (high !== 0 && registry.lookup(Table.UdpPort, high) !== null) p.next(Table.UdpPort, high, payloadEnd);
    }
    return off + 8;
  },
};

function header(p: Packet, off: number, end: number, sport: number, dport: number, ulen: number, reported: number, lengthBogus: boolean): void {
  const t = p.tree!;
  const b = p.buf;
  const F = udpFields;
  t.begin('udp', `User Datagram Protocol, Src Port: ${sport}, Dst Port: ${dport}`, 4, off, 8);
  t.add(F.srcport, sport, off, 2);
  t.add(F.dstport, dport, off + 2, 2);
  if (ulen < 8) {
    const n = t.add(F.length, ulen, off + 4, 2, `${ulen} (bogus, must be >= 8)`);
    t.warn(n, `Bad length value ${ulen} < 8`);
    return;
  }
  if (lengthBogus) {
    const n = t.add(F.length, ulen, off + 4, 2, `${ulen} (bogus, payload length ${reported})`);
    t.warn(n, `Bad length value ${ulen} > IP payload length`);
  } else {
    t.add(F.length, ulen, off + 4, 2);
  }
  const ck = (b[off + 6]! << 8) | b[off + 7]!;
  const ckText = `0x${ck.toString(16).padStart(4, '0')}`;
  if (ck === 0) {
    // RFC 768: zero means "no checksum" over IPv4; RFC 8200 §8.1 forbids it over IPv6.
    const v6 = p.net === 6 && !p.inError;
    const node = t.open(F.checksum, ck, off + 6, 2, `${ckText} [zero-value ${v6 ? 'illegal' : 'ignored'}]`);
    if (v6) t.warn(node, 'Illegal checksum value (0)');
    t.add(F.checksumStatus, v6 ? 4 : 3, off + 6, 2).label = `[Checksum Status: ${v6 ? 'Illegal' : 'Not present'}]`;
    t.close();
    return;
  }
  const length = ulen > reported ? reported : ulen;
  // Verified on the tree path only; a datagram quoted in an ICMP error is never verified.
  const status = p.inError ? 2 : transportChecksum(p, off, length, IpProto.Udp, end);
  if (status === 0) {
    const should = shouldBe(p, off, length);
    const shouldText = `0x${should.toString(16).padStart(4, '0')}`;
    const node = t.open(F.checksum, ck, off + 6, 2, `${ckText} incorrect, should be ${shouldText} (maybe caused by "UDP checksum offload"?)`);
    t.warn(node, `Bad checksum [should be ${shouldText}]`);
    t.add(F.checksumCalculated, should, off + 6, 2).label = `[Calculated Checksum: ${shouldText}]`;
    t.close();
    p.marks |= Mark.L4ChecksumBad;
  } else {
    t.add(F.checksum, ck, off + 6, 2, `${ckText} [${status === 1 ? 'correct' : 'unverified'}]`);
  }
  t.add(F.checksumStatus, status, off + 6, 2).label = `[Checksum Status: ${checksumStatus.get(status)}]`;
}

/** The checksum the sender should have sent: the pseudo-header sum without the stored value. */
function shouldBe(p: Packet, off: number, length: number): number {
  const b = p.buf;
  let acc: number;
  if (p.net === 4) {
    acc = (p.src4 >>> 16) + (p.src4 & 0xffff) + (p.dst4 >>> 16) + (p.dst4 & 0xffff) + IpProto.Udp + length;
  } else {
    acc = sum16(b, p.src6, 16, 0);
    acc = sum16(b, p.dst6, 16, acc);
    acc += IpProto.Udp + (length >>> 16) + (length & 0xffff);
  }
  acc = sum16(b, off, length, acc) - ((b[off + 6]! << 8) | b[off + 7]!);
  const v = finish16(acc);
  // RFC 768: a computed zero is sent as all ones.
  return v === 0 ? 0xffff : v;
}
