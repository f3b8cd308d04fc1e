// Internet Protocol version 4 (RFC 791): header, options, header checksum, and fragments (handed to
// the Defragmenter when the slot has one, as tshark does with ip.defragment on).

import type { Dissector } from '../dissector';
import { EtherType } from '../ethertypes';
import { field, flag, uintDec, uintHex, valueNames } from '../fields';
import { IpProto, ipProtoNames } from '../ip-protocols';
import { DefragStatus, fragmentFields, moveToReassembled, showReassembledIn, showReassembly } from '../ip-defrag';
import { LinkType } from '../link-types';
import { Mark, Proto, Table, type Packet } from '../packet';
import { ipv4Text } from '../../util/address';

const checksumStatus = valueNames([
  [0, 'Bad'],
  [1, 'Good'],
  [2, 'Unverified'],
]);

const optionNames = valueNames([
  [0, 'End of Options List (EOL)'],
  [1, 'No-Operation (NOP)'],
  [7, 'Record Route (RR)'],
  [68, 'Time Stamp (TS)'],
  [130, 'Security (SEC)'],
  [131, 'Loose Source Route (LSR)'],
  [133, 'Extended Security (ESEC)'],
  [136, 'Stream ID (SID)'],
  [137, 'Strict Source Route (SSR)'],
  [148, 'Router Alert (RTRALT)'],
]);

export const ipv4Fields = {
  version: uintDec('ip.version', 'Version'),
  hdrLen: uintDec('ip.hdr_len', 'Header Length'),
  dsfield: uintHex('ip.dsfield', 'Differentiated Services Field', 2),
  dscp: uintDec('ip.dsfield.dscp', 'Differentiated Services Codepoint'),
  ecn: uintDec('ip.dsfield.ecn', 'Explicit Congestion Notification'),
  len: uintDec('ip.len', 'Total Length'),
  id: field('ip.id', 'Identification', 'uint', { base: 'hex_dec', digits: 4 }),
  flags: uintHex('ip.flags', 'Flags', 2),
  flagsRb: flag('ip.flags.rb', 'Reserved bit'),
  flagsDf: flag('ip.flags.df', "Don't fragment"),
  flagsMf: flag('ip.flags.mf', 'More fragments'),
  fragOffset: uintDec('ip.frag_offset', 'Fragment Offset'),
  ttl: uintDec('ip.ttl', 'Time to Live'),
  proto: uintDec('ip.proto', 'Protocol', ipProtoNames),
  checksum: uintHex('ip.checksum', 'Header Checksum', 4),
  checksumStatus: uintDec('ip.checksum.status', 'Header checksum status', checksumStatus),
  src: field('ip.src', 'Source Address', 'ipv4'),
  dst: field('ip.dst', 'Destination Address', 'ipv4'),
  optType: uintDec('ip.opt.type', 'Type', optionNames),
  optLen: uintDec('ip.opt.len', 'Length'),
};

/** ip.fragments, ip.fragment, ip.reassembled_in… (shown when fragments are reassembled). */
const fragmentItems = fragmentFields(4);

export const ipv4: Dissector = {
  name: 'ip',
  title: 'Internet Protocol Version 4',
  proto: Proto.Ipv4,
  osi: 3,
  fields: [...Object.values(ipv4Fields), ...Object.values(fragmentItems)],
  handoffs: [
    { table: Table.EtherType, key: EtherType.Ipv4 },
    { table: Table.LinkType, key: LinkType.Ipv4 },
    { table: Table.IpProto, key: IpProto.Ipip },
  ],
  decode(p: Packet, off: number, end: number): number {
    const b = p.buf;
    const t = p.tree;
    const avail = end - off;
    if (avail < 20) {
      t?.begin('ip', 'Internet Protocol Version 4', 3, off, avail);
      p.fail(`IPv4 header needs 20 bytes, only ${avail} captured`);
      return end;
    }
    const vhl = b[off]!;
    const version = vhl >> 4;
    const hlen = (vhl & 0x0f) * 4;
    const totalLen = (b[off + 2]! << 8) | b[off + 3]!;
    const id = (b[off + 4]! << 8) | b[off + 5]!;
    const flagsFrag = (b[off + 6]! << 8) | b[off + 7]!;
    const checksumOk = ipv4Slot(p, off, hlen, avail);
    const ttl = p.ipTtl;
    const proto = p.ipProto;
    const src = p.src4;
    const dst = p.dst4;
    // A total length of 0 happens with TCP segmentation offload: the frame length is the truth.
    const datagramEnd = totalLen === 0 ? end : Math.min(end, off + totalLen);
    // What the IP header claims follows it, bounded by what the wire carried from here on
    // (Wireshark's reported length: "IPv4 total length exceeds packet length").
    const onWire = off >= p.start ? p.wirelen - (off - p.start) : totalLen;
    const claimedLen = totalLen === 0 || totalLen > onWire ? Math.max(onWire, end - off) : totalLen;
    const mf = (flagsFrag & 0x2000) !== 0;
    const fragOffset = flagsFrag & 0x1fff;

    if (t !== null) {
      const srcText = ipv4Text(b, off + 12);
      const dstText = ipv4Text(b, off + 16);
      t.begin('ip', `Internet Protocol Version 4, Src: ${srcText}, Dst: ${dstText}`, 3, off, Math.min(hlen, avail));
      const F = ipv4Fields;
      t.add(F.version, version, off, 1);
      t.add(F.hdrLen, hlen, off, 1, `${hlen} bytes (${vhl & 0x0f})`);
      const ds = b[off + 1]!;
      t.open(F.dsfield, ds, off + 1, 1);
      t.add(F.dscp, ds >> 2, off + 1, 1);
      t.add(F.ecn, ds & 3, off + 1, 1);
      t.close();
      if (totalLen === 0) {
        // Segmentation offload leaves 0 here; Wireshark presumes the frame's length (TSO).
        t.add(F.len, claimedLen, off + 2, 2).label = `[Total Length: ${claimedLen} bytes (reported as 0, presumed to be because of "TCP segmentation offload" (TSO))]`;
      } else {
        t.add(F.len, totalLen, off + 2, 2);
      }
      t.add(F.id, id, off + 4, 2);
      const flags = flagsFrag >> 13;
      const flagText = (flagsFrag & 0x4000) !== 0 ? ", Don't fragment" : mf ? ', More fragments' : '';
      t.open(F.flags, flags, off + 6, 1, `0x${flags.toString(16).padStart(2, '0')}${flagText}`);
      t.add(F.flagsRb, (flagsFrag & 0x8000) !== 0, off + 6, 1, (flagsFrag & 0x8000) !== 0 ? 'Set' : 'Not set');
      t.add(F.flagsDf, (flagsFrag & 0x4000) !== 0, off + 6, 1, (flagsFrag & 0x4000) !== 0 ? 'Set' : 'Not set');
      t.add(F.flagsMf, mf, off + 6, 1, mf ? 'Set' : 'Not set');
      t.close();
      t.add(F.fragOffset, fragOffset, off + 6, 2, `${fragOffset * 8}`);
      t.add(F.ttl, ttl, off + 8, 1);
      t.add(F.proto, proto, off + 9, 1);
      const ck = (b[off + 10]! << 8) | b[off + 11]!;
      const ckNode = t.add(F.checksum, ck, off + 10, 2, `0x${ck.toString(16).padStart(4, '0')} [${checksumOk ? 'correct' : 'incorrect'}]`);
      if (!checksumOk) t.warn(ckNode, 'Bad IPv4 header checksum');
      t.add(F.checksumStatus, checksumOk ? 1 : 0, off + 10, 2);
      t.add(F.src, srcText, off + 12, 4);
      t.add(F.dst, dstText, off + 16, 4);
      if (hlen > 20 && hlen <= avail) options(p, off + 20, off + hlen);
    }
    if (version !== 4) {
      p.fail(`Bogus IP version (${version})`);
      return end;
    }
    if (hlen < 20) {
      p.fail(`Bogus IPv4 header length (${hlen}, must be at least 20)`);
      return end;
    }
    if (hlen > avail) {
      p.fail(`IPv4 header of ${hlen} bytes is cut short by the capture (${avail} bytes)`);
      return end;
    }
    if (totalLen !== 0 && totalLen < hlen) {
      p.fail(`Bogus IPv4 total length (${totalLen}, less than the header length ${hlen})`);
      return end;
    }
    if (mf || fragOffset !== 0) {
      p.marks |= Mark.Fragment;
      p.fragOffset = fragOffset * 8;
      p.fragId = id;
      p.fragMore = mf;
      const fragLen = claimedLen - hlen;
      p.payloadWireLength = fragLen;
      const defrag = p.defrag;
      // Like tshark (ip.defragment on), only fragments captured whole are reassembled.
      if (defrag !== null && fragLen > 0 && off + hlen + fragLen <= end) {
        const status = defrag.add4(src, dst, id, proto, p.number, fragOffset * 8, mf, b, off + hlen, fragLen);
        if (status === DefragStatus.Complete) {
          // This fragment completes the datagram: the transport sees all of it, from offset 0 of
          // the reassembled bytes.
          const r = defrag.result!;
          moveToReassembled(p, r, 4);
          if (t !== null) showReassembly(t, fragmentItems, r, 4);
          p.payloadWireLength = r.data.length;
          p.next(Table.IpProto, proto, r.data.length);
          return 0;
        }
        if (t !== null) {
          const inFrame = defrag.reassembledIn(p.number);
          if (inFrame !== 0) showReassembledIn(t, fragmentItems, inFrame, off + hlen, 4);
        }
        // tshark's "Fragmented IP protocol": the payload waits for the rest of the datagram.
        p.top = Proto.Ipv4;
        return off + hlen;
      }
      if (fragOffset !== 0) {
        // Only the first fragment carries the next header; the rest is opaque until reassembly.
        p.top = Proto.Ipv4;
        return off + hlen;
      }
      p.fragmented = true;
    }
    // The transport layer's claimed length (tcp.len) comes from the IP header, not the capture.
    p.payloadWireLength = claimedLen - hlen;
    p.next(Table.IpProto, proto, datagramEnd);
    return off + hlen;
  },
};

/**
 * Fills the IPv4 part of the slot from the header at `off` (at least 20 bytes captured, `hlen`
 * from its IHL, `avail` bytes captured from `off`): addresses, protocol, TTL, the tunnel depth, and
 * the bad-checksum mark when the whole header is there to check. Returns false when this header's
 * checksum is wrong. Shared by the dissector and the Ethernet/IPv4/TCP straight path (dissect.ts).
 */
export function ipv4Slot(p: Packet, off: number, hlen: number, avail: number): boolean {
  const b = p.buf;
  if (p.net === 4 || p.net === 6) p.tunnelDepth++;
  p.net = 4;
  p.netOffset = off;
  p.src4 = ((b[off + 12]! << 24) | (b[off + 13]! << 16) | (b[off + 14]! << 8) | b[off + 15]!) >>> 0;
  p.dst4 = ((b[off + 16]! << 24) | (b[off + 17]! << 16) | (b[off + 18]! << 8) | b[off + 19]!) >>> 0;
  p.ipProto = b[off + 9]!;
  p.ipTtl = b[off + 8]!;
  p.l4 = 0;
  if (hlen < 20 || hlen > avail || headerChecksumOk(b, off, hlen)) return true;
  p.marks |= Mark.IpChecksumBad;
  return false;
}

/**
 * RFC 1071 over a header of `hlen` (20–60, even) bytes: the one's-complement sum of its words is
 * 0xFFFF when the checksum field is right. At most 30 words sum below 2^21, so two folds suffice
 * (the per-packet path: no division, no loop over the fold).
 */
function headerChecksumOk(b: Uint8Array, off: number, hlen: number): boolean {
  let acc = 0;
  const end = off + hlen;
  for (let i = off; i < end; i += 2) acc += (b[i]! << 8) | b[i + 1]!;
  acc = (acc & 0xffff) + (acc >>> 16);
  acc = (acc & 0xffff) + (acc >>> 16);
  return acc === 0xffff;
}

function options(p: Packet, off: number, end: number): void {
  const t = p.tree!;
  const b = p.buf;
  t.openText(`Options: (${end - off} bytes)`, off, end - off);
  while (off < end) {
    const type = b[off]!;
    if (type === 0 || type === 1) {
      t.add(ipv4Fields.optType, type, off, 1);
      off++;
      if (type === 0) break;
      continue;
    }
    if (end - off < 2) break;
    const len = b[off + 1]!;
    if (len < 2 || off + len > end) {
      t.malformed(`IPv4 option ${type} has a bad length (${len})`);
      break;
    }
    t.openText(optionNames.get(type) ?? `Unknown option (${type})`, off, len);
    t.add(ipv4Fields.optType, type, off, 1);
    t.add(ipv4Fields.optLen, len, off + 1, 1);
    t.close();
    off += len;
  }
  t.close();
}
