// Transmission Control Protocol header (RFC 9293) and options; the byte stream above it is the
// flow stage's work (src/core/flow).

import type { Dissector } from '../dissector';
import { bytesField, field, flag, str, uintDec, uintHex, valueNames } from '../fields';
import { IpProto } from '../ip-protocols';
import { Proto, Table, type Packet } from '../packet';
import { finish16, sum16 } from '../../util/checksum';
import { hexBytes } from '../../util/address';

export const TcpFlag = {
  Fin: 0x001,
  Syn: 0x002,
  Rst: 0x004,
  Psh: 0x008,
  Ack: 0x010,
  Urg: 0x020,
  Ece: 0x040,
  Cwr: 0x080,
  Ae: 0x100,
} as const;

const optionKinds = valueNames([
  [0, 'End of Option List (EOL)'],
  [1, 'No-Operation (NOP)'],
  [2, 'Maximum segment size'],
  [3, 'Window scale'],
  [4, 'SACK permitted'],
  [5, 'SACK'],
  [8, 'Time Stamp Option'],
  [28, 'User Timeout'],
  [29, 'TCP Authentication Option'],
  [30, 'Multipath TCP'],
  [34, 'TCP Fast Open Cookie'],
  [253, 'RFC3692-style Experiment 1'],
  [254, 'RFC3692-style Experiment 2'],
]);

const checksumStatus = valueNames([
  [0, 'Bad'],
  [1, 'Good'],
  [2, 'Unverified'],
]);

export const tcpFields = {
  srcport: uintDec('tcp.srcport', 'Source Port'),
  dstport: uintDec('tcp.dstport', 'Destination Port'),
  len: uintDec('tcp.len', 'TCP Segment Len'),
  seqRaw: uintDec('tcp.seq_raw', 'Sequence Number (raw)'),
  ackRaw: uintDec('tcp.ack_raw', 'Acknowledgment number (raw)'),
  hdrLen: uintDec('tcp.hdr_len', 'Header Length'),
  flags: uintHex('tcp.flags', 'Flags', 4),
  flagsRes: flag('tcp.flags.res', 'Reserved'),
  flagsAe: flag('tcp.flags.ae', 'Accurate ECN'),
  flagsCwr: flag('tcp.flags.cwr', 'Congestion Window Reduced'),
  flagsEce: flag('tcp.flags.ece', 'ECN-Echo'),
  flagsUrg: flag('tcp.flags.urg', 'Urgent'),
  flagsAck: flag('tcp.flags.ack', 'Acknowledgment'),
  flagsPush: flag('tcp.flags.push', 'Push'),
  flagsReset: flag('tcp.flags.reset', 'Reset'),
  flagsSyn: flag('tcp.flags.syn', 'Syn'),
  flagsFin: flag('tcp.flags.fin', 'Fin'),
  flagsStr: str('tcp.flags.str', 'TCP Flags'),
  windowValue: uintDec('tcp.window_size_value', 'Window'),
  checksum: uintHex('tcp.checksum', 'Checksum', 4),
  checksumStatus: uintDec('tcp.checksum.status', 'Checksum Status', checksumStatus),
  urgentPointer: uintDec('tcp.urgent_pointer', 'Urgent Pointer'),
  options: bytesField('tcp.options', 'Options'),
  optionKind: uintDec('tcp.option_kind', 'Kind', optionKinds),
  optionLen: uintDec('tcp.option_len', 'Length'),
  mss: uintDec('tcp.options.mss_val', 'MSS Value'),
  wscaleShift: uintDec('tcp.options.wscale.shift', 'Shift count'),
  wscaleMultiplier: uintDec('tcp.options.wscale.multiplier', 'Multiplier'),
  sackPerm: field('tcp.options.sack_perm', 'TCP SACK Permitted Option', 'none'),
  sackLe: uintDec('tcp.options.sack_le', 'left edge'),
  sackRe: uintDec('tcp.options.sack_re', 'right edge'),
  sackCount: uintDec('tcp.options.sack.count', 'TCP SACK Count'),
  tsval: uintDec('tcp.options.timestamp.tsval', 'Timestamp value'),
  tsecr: uintDec('tcp.options.timestamp.tsecr', 'Timestamp echo reply'),
  tfoCookie: bytesField('tcp.options.tfo.cookie', 'Fast Open Cookie'),
  tfoRequest: field('tcp.options.tfo.request', 'Fast Open Cookie Request', 'none'),
  payload: bytesField('tcp.payload', 'TCP payload'),
};

/** The 12-character flag string Wireshark shows, e.g. `·······A··S·`. */
export function tcpFlagString(flags: number): string {
  const letters = 'RRRACEUAPRSF';
  let s = '';
  for (let bit = 11; bit >= 0; bit--) s += (flags >> bit) & 1 ? letters[11 - bit] : '\u00b7';
  return s;
}

/** `SYN, ACK` style list of the set flags, as in Wireshark's Flags line. */
export function tcpFlagNames(flags: number): string {
  const names: string[] = [];
  if (flags & TcpFlag.Ae) names.push('AE');
  if (flags & TcpFlag.Cwr) names.push('CWR');
  if (flags & TcpFlag.Ece) names.push('ECE');
  if (flags & TcpFlag.Urg) names.push('URG');
  if (flags & TcpFlag.Fin) names.push('FIN');
  if (flags & TcpFlag.Syn) names.push('SYN');
  if (flags & TcpFlag.Rst) names.push('RST');
  if (flags & TcpFlag.Psh) names.push('PSH');
  if (flags & TcpFlag.Ack) names.push('ACK');
  return names.join(', ');
}

export const tcp: Dissector = {
  name: 'tcp',
  title: 'Transmission Control Protocol',
  proto: Proto.Tcp,
  osi: 4,
  fields: Object.values(tcpFields),
  handoffs: [{ table: Table.IpProto, key: IpProto.Tcp }],
  decode(p: Packet, off: number, end: number): number {
    const b = p.buf;
    const t = p.tree;
    const avail = end - off;
    if (avail < 20) {
      if (t !== null) shortHeader(p, off, avail);
      p.fail(`TCP header needs 20 bytes, only ${avail} captured`);
      return end;
    }
    // The whole TCP part of the slot, here and before any early return (packet.ts: reset()).
    tcpSlot(p, off);
    const hlen = p.tcpHeaderLength;
    // tcp.len is what the IP header says follows, even if the capture cut it short.
    const claimed = p.payloadWireLength > 0 ? p.payloadWireLength : end - off;
    if (t !== null) header(p, off, end, hlen, p.srcPort, p.dstPort, p.tcpSeq, p.tcpAck, p.tcpFlags, p.tcpWindow, claimed);
    if (hlen < 20) {
      p.fail(`Bogus TCP header length (${hlen}, must be at least 20)`);
      return end;
    }
    if (hlen > avail) {
      // As Wireshark does, decode the options that were captured before calling the header cut short.
      parseOptions(p, off + 20, end);
      if (t !== null) optionsTree(p, off + 20, end);
      p.fail(`TCP header of ${hlen} bytes is cut short by the capture (${avail} bytes)`);
      return end;
    }
    if (hlen > 20) parseOptions(p, off + 20, off + hlen);
    p.payloadOffset = off + hlen;
    p.payloadLength = end - (off + hlen);
    p.payloadWireLength = claimed - hlen < 0 ? 0 : claimed - hlen;
    if (t !== null && hlen > 20) optionsTree(p, off + 20, off + hlen);
    if (t !== null && p.payloadLength > 0) {
      t.add(tcpFields.payload, hexBytes(b, off + hlen, p.payloadLength), off + hlen, p.payloadLength, `${p.payloadLength} bytes`);
    }
    return off + hlen;
  },
};

/**
 * The fields a cut header still holds: ports and sequence number, as Wireshark shows them for the
 * 8 bytes an ICMP error quotes (RFC 792).
 */
function shortHeader(p: Packet, off: number, avail: number): void {
  const t = p.tree!;
  const b = p.buf;
  if (avail < 4) {
    t.begin('tcp', 'Transmission Control Protocol', 4, off, avail);
    return;
  }
  const sport = (b[off]! << 8) | b[off + 1]!;
  const dport = (b[off + 2]! << 8) | b[off + 3]!;
  t.begin('tcp', `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}`, 4, off, avail);
  t.add(tcpFields.srcport, sport, off, 2);
  t.add(tcpFields.dstport, dport, off + 2, 2);
  if (avail >= 8) t.add(tcpFields.seqRaw, p.view.getUint32(off + 4), off + 4, 4);
}

function header(
  p: Packet,
  off: number,
  end: number,
  hlen: number,
  sport: number,
  dport: number,
  seq: number,
  ack: number,
  flags: number,
  window: number,
  claimed: number,
): void {
  const t = p.tree!;
  const b = p.buf;
  const F = tcpFields;
  const segLen = claimed - hlen < 0 ? 0 : claimed - hlen;
  t.begin('tcp', `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}, Len: ${segLen}`, 4, off, Math.min(hlen, end - off));
  t.add(F.srcport, sport, off, 2);
  t.add(F.dstport, dport, off + 2, 2);
  t.add(F.len, segLen, off, 0);
  t.add(F.seqRaw, seq, off + 4, 4);
  t.add(F.ackRaw, ack, off + 8, 4);
  t.add(F.hdrLen, hlen, off + 12, 1, `${hlen} bytes (${hlen >> 2})`);
  const names = tcpFlagNames(flags);
  t.open(F.flags, flags, off + 12, 2, `0x${flags.toString(16).padStart(3, '0')}${names ? ` (${names})` : ''}`);
  const bit = (def: (typeof F)['flagsFin'], mask: number) => t.add(def, (flags & mask) !== 0, off + 12, 2, (flags & mask) !== 0 ? 'Set' : 'Not set');
  t.add(F.flagsRes, (flags & 0xe00) !== 0, off + 12, 1, (flags & 0xe00) !== 0 ? 'Set' : 'Not set');
  bit(F.flagsAe, TcpFlag.Ae);
  bit(F.flagsCwr, TcpFlag.Cwr);
  bit(F.flagsEce, TcpFlag.Ece);
  bit(F.flagsUrg, TcpFlag.Urg);
  bit(F.flagsAck, TcpFlag.Ack);
  bit(F.flagsPush, TcpFlag.Psh);
  bit(F.flagsReset, TcpFlag.Rst);
  bit(F.flagsSyn, TcpFlag.Syn);
  bit(F.flagsFin, TcpFlag.Fin);
  t.add(F.flagsStr, tcpFlagString(flags), off + 12, 2, `[TCP Flags: ${tcpFlagString(flags)}]`);
  t.close();
  t.add(F.windowValue, window, off + 14, 2);
  if (end - off >= 18) {
    const ck = (b[off + 16]! << 8) | b[off + 17]!;
    const status = transportChecksum(p, off, claimed, IpProto.Tcp, end);
    const node = t.add(F.checksum, ck, off + 16, 2, `0x${ck.toString(16).padStart(4, '0')} [${checksumWord(status)}]`);
    if (status === 0) t.warn(node, 'Bad TCP checksum (or checksum offload on the capturing host)');
    t.add(F.checksumStatus, status, off + 16, 2);
  }
  if (end - off >= 20) t.add(F.urgentPointer, (b[off + 18]! << 8) | b[off + 19]!, off + 18, 2);
}

function checksumWord(status: number): string {
  return status === 1 ? 'correct' : status === 0 ? 'incorrect' : 'unverified';
}

/**
 * Verifies a TCP/UDP checksum with the IP pseudo-header (RFC 9293 §3.1, RFC 8200 §8.1):
 * 1 good, 0 bad, 2 unverified (segment not fully captured or not reassembled, or no IP layer).
 */
export function transportChecksum(p: Packet, off: number, length: number, proto: number, end: number): number {
  // A lone first fragment holds only part of the segment (Wireshark: pinfo->fragmented).
  if (length <= 0 || off + length > end || p.fragmented || (p.net !== 4 && p.net !== 6)) return 2;
  const b = p.buf;
  let acc: number;
  if (p.net === 4) {
    acc = (p.src4 >>> 16) + (p.src4 & 0xffff) + (p.dst4 >>> 16) + (p.dst4 & 0xffff) + proto + length;
  } else {
    acc = sum16(b, p.src6, 16, 0);
    acc = sum16(b, p.dst6, 16, acc);
    acc += proto + (length >>> 16) + (length & 0xffff);
  }
  acc = sum16(b, off, length, acc);
  return finish16(acc) === 0 ? 1 : 0;
}

/** Fast path: the options the flow stage needs (MSS, window scale, SACK, timestamps). */
/**
 * Fills the TCP part of the slot from the fixed header at `off` (at least 20 bytes captured):
 * ports, raw sequence numbers, flags, window, header length, every option "absent" and the flow
 * stage's fields unset. Shared by the dissector and the Ethernet/IPv4/TCP straight path
 * (dissect.ts), so both leave the slot the same.
 */
export function tcpSlot(p: Packet, off: number): void {
  const b = p.buf;
  const v = p.view;
  const seq = v.getUint32(off + 4);
  const ack = v.getUint32(off + 8);
  p.l4 = IpProto.Tcp;
  p.l4Offset = off;
  p.srcPort = (b[off]! << 8) | b[off + 1]!;
  p.dstPort = (b[off + 2]! << 8) | b[off + 3]!;
  p.tcpSeq = seq;
  p.tcpAck = ack;
  p.tcpRelSeq = seq;
  p.tcpRelAck = ack;
  p.tcpFlags = ((b[off + 12]! & 0x0f) << 8) | b[off + 13]!;
  p.tcpWindow = (b[off + 14]! << 8) | b[off + 15]!;
  p.tcpHeaderLength = (b[off + 12]! >> 4) * 4;
  p.tcpMss = -1;
  p.tcpWindowScale = -1;
  p.tcpSackPermitted = false;
  p.tcpTsVal = -1;
  p.tcpTsEcr = -1;
  p.tcpSackCount = 0;
  p.tcpOptionOrder = 0;
  // Set by the flow stage when it runs.
  p.tcpWindowScaled = -1;
  p.tcpNextSeq = 0;
  p.tcpAckedFrame = 0;
  p.tcpAckRttNs = 0;
  p.tcpDupAckNum = 0;
  p.tcpDupAckFrame = 0;
  p.tcpClientStateBefore = -1;
  p.tcpClientStateAfter = -1;
  p.tcpServerStateBefore = -1;
  p.tcpServerStateAfter = -1;
}

/** Codes of Packet.tcpOptionOrder: the options Info mentions. */
export const TcpOptionCode = { Mss: 1, WindowScale: 2, SackPermitted: 3, Timestamps: 4, Sack: 5 } as const;

/** Reads the options the flow stage uses (MSS, window scale, SACK, timestamps) into the slot. */
export function parseOptions(p: Packet, off: number, end: number): void {
  const b = p.buf;
  // The order Info lists options in: 3 bits per option, the first lowest.
  let order = 0;
  let shift = 0;
  while (off < end) {
    const kind = b[off]!;
    if (kind === 0) break;
    if (kind === 1) {
      off++;
      continue;
    }
    if (off + 1 >= end) break;
    const len = b[off + 1]!;
    if (len < 2 || off + len > end) break;
    let code = 0;
    if (kind === 2 && len === 4) {
      p.tcpMss = (b[off + 2]! << 8) | b[off + 3]!;
      code = TcpOptionCode.Mss;
    } else if (kind === 3 && len === 3) {
      p.tcpWindowScale = b[off + 2]!;
      code = TcpOptionCode.WindowScale;
    } else if (kind === 4 && len === 2) {
      p.tcpSackPermitted = true;
      code = TcpOptionCode.SackPermitted;
    } else if (kind === 8 && len === 10) {
      p.tcpTsVal = p.view.getUint32(off + 2);
      p.tcpTsEcr = p.view.getUint32(off + 6);
      code = TcpOptionCode.Timestamps;
    } else if (kind === 5 && len >= 10) {
      const n = Math.min(4, (len - 2) >> 3);
      for (let i = 0; i < n; i++) {
        p.tcpSack[i * 2] = p.view.getUint32(off + 2 + i * 8);
        p.tcpSack[i * 2 + 1] = p.view.getUint32(off + 6 + i * 8);
      }
      p.tcpSackCount = n;
      code = TcpOptionCode.Sack;
    }
    if (code !== 0 && shift < 30) {
      order |= code << shift;
      shift += 3;
    }
    off += len;
  }
  p.tcpOptionOrder = order;
}

function optionsTree(p: Packet, off: number, end: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = tcpFields;
  const v = p.view;
  t.open(F.options, hexBytes(b, off, end - off), off, end - off, `(${end - off} bytes)`);
  while (off < end) {
    const kind = b[off]!;
    if (kind === 0 || kind === 1) {
      t.openText(`TCP Option - ${kind === 0 ? 'End of Option List (EOL)' : 'No-Operation (NOP)'}`, off, 1);
      t.add(F.optionKind, kind, off, 1);
      t.close();
      off++;
      if (kind === 0) break;
      continue;
    }
    if (off + 1 >= end) {
      t.malformed(`TCP option ${kind} has no length byte`);
      break;
    }
    const len = b[off + 1]!;
    if (len < 2 || off + len > end) {
      t.malformed(`TCP option ${kind} has a bad length (${len})`);
      break;
    }
    let title = optionKinds.get(kind) ?? `Unknown (${kind})`;
    if (kind === 2 && len === 4) title = `Maximum segment size: ${(b[off + 2]! << 8) | b[off + 3]!} bytes`;
    else if (kind === 3 && len === 3) title = `Window scale: ${b[off + 2]!} (multiply by ${2 ** b[off + 2]!})`;
    else if (kind === 8 && len === 10) title = `Timestamps: TSval ${v.getUint32(off + 2)}, TSecr ${v.getUint32(off + 6)}`;
    t.openText(`TCP Option - ${title}`, off, len);
    t.add(F.optionKind, kind, off, 1);
    t.add(F.optionLen, len, off + 1, 1);
    if (kind === 2 && len === 4) t.add(F.mss, (b[off + 2]! << 8) | b[off + 3]!, off + 2, 2);
    else if (kind === 3 && len === 3) {
      t.add(F.wscaleShift, b[off + 2]!, off + 2, 1);
      t.add(F.wscaleMultiplier, 2 ** b[off + 2]!, off + 2, 1);
    } else if (kind === 4 && len === 2) t.add(F.sackPerm, null, off, 2, '');
    else if (kind === 5) {
      const n = (len - 2) >> 3;
      for (let i = 0; i < n; i++) {
        t.add(F.sackLe, v.getUint32(off + 2 + i * 8), off + 2 + i * 8, 4);
        t.add(F.sackRe, v.getUint32(off + 6 + i * 8), off + 6 + i * 8, 4);
      }
      t.add(F.sackCount, n, off, len);
    } else if (kind === 8 && len === 10) {
      t.add(F.tsval, v.getUint32(off + 2), off + 2, 4);
      t.add(F.tsecr, v.getUint32(off + 6), off + 6, 4);
    } else if (kind === 34) {
      if (len === 2) t.add(F.tfoRequest, null, off, 2, '');
      else t.add(F.tfoCookie, hexBytes(b, off + 2, len - 2), off + 2, len - 2, hexBytes(b, off + 2, len - 2));
    }
    t.close();
    off += len;
  }
  t.close();
}
