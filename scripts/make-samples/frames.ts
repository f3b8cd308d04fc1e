// Ethernet II / IPv4 / TCP frame encoding with real checksums, for the sample generator.

export interface TcpFrame {
  srcMac: readonly number[];
  dstMac: readonly number[];
  srcIp: readonly number[];
  dstIp: readonly number[];
  ipId: number;
  ttl: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  /** TCP options, already padded to a multiple of 4 bytes. */
  options: Uint8Array;
  payload: Uint8Array;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

const ETHERTYPE_IPV4 = 0x0800;
const IPPROTO_TCP = 6;
const IP_DONT_FRAGMENT = 0x4000;

/** RFC 1071 ones' complement sum of 16-bit words, folded (not yet complemented). */
function onesComplementSum(bytes: Uint8Array, start: number, end: number, initial: number): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < end) sum += bytes[i]! << 8; // odd length: pad with a zero byte
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

export function encodeTcpFrame(f: TcpFrame): Uint8Array {
  if (f.options.length % 4 !== 0 || f.options.length > 40) throw new RangeError(`TCP options must be padded to 4 bytes and at most 40, got ${f.options.length}`);
  const tcpLen = 20 + f.options.length + f.payload.length;
  const ipLen = 20 + tcpLen;
  const frame = new Uint8Array(14 + ipLen);
  const v = new DataView(frame.buffer);
  frame.set(f.dstMac, 0);
  frame.set(f.srcMac, 6);
  v.setUint16(12, ETHERTYPE_IPV4);

  const ip = 14;
  v.setUint8(ip, 0x45); // version 4, header length 5 words
  v.setUint8(ip + 1, 0); // DSCP 0, not ECN-capable
  v.setUint16(ip + 2, ipLen);
  v.setUint16(ip + 4, f.ipId & 0xffff);
  v.setUint16(ip + 6, IP_DONT_FRAGMENT); // TCP with path MTU discovery sets DF (RFC 1191)
  v.setUint8(ip + 8, f.ttl);
  v.setUint8(ip + 9, IPPROTO_TCP);
  frame.set(f.srcIp, ip + 12);
  frame.set(f.dstIp, ip + 16);
  v.setUint16(ip + 10, ~onesComplementSum(frame, ip, ip + 20, 0) & 0xffff);

  const tcp = ip + 20;
  v.setUint16(tcp, f.srcPort);
  v.setUint16(tcp + 2, f.dstPort);
  v.setUint32(tcp + 4, f.seq >>> 0);
  v.setUint32(tcp + 8, f.ack >>> 0);
  v.setUint8(tcp + 12, ((20 + f.options.length) / 4) << 4);
  v.setUint8(tcp + 13, f.flags);
  v.setUint16(tcp + 14, f.window);
  frame.set(f.options, tcp + 20);
  frame.set(f.payload, tcp + 20 + f.options.length);
  // RFC 9293 §3.1: the checksum covers a pseudo-header (addresses, protocol, TCP length) too.
  let pseudo = 0;
  for (let i = 0; i < 4; i += 2) pseudo += ((f.srcIp[i]! << 8) | f.srcIp[i + 1]!) + ((f.dstIp[i]! << 8) | f.dstIp[i + 1]!);
  pseudo += IPPROTO_TCP + tcpLen;
  const sum = ~onesComplementSum(frame, tcp, tcp + tcpLen, pseudo) & 0xffff;
  v.setUint16(tcp + 16, sum);
  return frame;
}

/** MSS, SACK permitted, timestamps, NOP, window scale: the SYN options of a Linux stack. */
export function synOptions(mss: number, tsval: number, tsecr: number, windowScale: number): Uint8Array {
  const o = new Uint8Array(20);
  const v = new DataView(o.buffer);
  o.set([2, 4], 0); // MSS (RFC 9293 §3.7.1)
  v.setUint16(2, mss);
  o.set([4, 2], 4); // SACK permitted (RFC 2018)
  o.set([8, 10], 6); // timestamps (RFC 7323 §3)
  v.setUint32(8, tsval >>> 0);
  v.setUint32(12, tsecr >>> 0);
  o[16] = 1; // NOP
  o.set([3, 3, windowScale], 17); // window scale (RFC 7323 §2)
  return o;
}

/** NOP, NOP, timestamps: every segment after the SYNs once both sides agreed to timestamps. */
export function timestampOptions(tsval: number, tsecr: number): Uint8Array {
  const o = new Uint8Array(12);
  const v = new DataView(o.buffer);
  o.set([1, 1, 8, 10], 0);
  v.setUint32(4, tsval >>> 0);
  v.setUint32(8, tsecr >>> 0);
  return o;
}
