// Test helper: a classic pcap of one TCP conversation (Ethernet, IPv4, handshake included) built from
// a list of segments, so hand-written HTTP exchanges run through the same path as real captures.

export const ACK = 0x10;
export const PSH_ACK = 0x18;
export const FIN_ACK = 0x11;
const SYN = 0x02;

/** One segment: direction (0 = client 10.0.0.1:40000 → server 10.0.0.2:80), payload, TCP flags. */
export type Segment = [dir: 0 | 1, payload: string | Uint8Array | null, flags?: number];

/** Latin-1 bytes of a string (one byte per character). */
export function bytesOf(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** Frames are 1 ms apart, starting at 1700000000 s; frames 1-3 are the three-way handshake. */
export function tcpConversation(segments: readonly Segment[]): Uint8Array {
  const seq = [1000, 5000];
  const records: Uint8Array[] = [];
  const all: Segment[] = [[0, null, SYN], [1, null, SYN | ACK], [0, null, ACK], ...segments];
  all.forEach(([dir, data, flags], i) => {
    const payload = data === null ? new Uint8Array(0) : typeof data === 'string' ? bytesOf(data) : data;
    const f = flags ?? PSH_ACK;
    const frame = new Uint8Array(14 + 20 + 20 + payload.length);
    const v = new DataView(frame.buffer);
    frame.set([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00], 0); // Ethernet, IPv4
    const ip = 14;
    v.setUint8(ip, 0x45);
    v.setUint16(ip + 2, 40 + payload.length);
    v.setUint8(ip + 8, 64);
    v.setUint8(ip + 9, 6);
    frame.set(dir === 0 ? [10, 0, 0, 1, 10, 0, 0, 2] : [10, 0, 0, 2, 10, 0, 0, 1], ip + 12);
    let sum = 0;
    for (let k = 0; k < 20; k += 2) sum += v.getUint16(ip + k);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    v.setUint16(ip + 10, ~sum & 0xffff);
    const tcp = ip + 20;
    v.setUint16(tcp, dir === 0 ? 40000 : 80);
    v.setUint16(tcp + 2, dir === 0 ? 80 : 40000);
    v.setUint32(tcp + 4, seq[dir]! >>> 0);
    v.setUint32(tcp + 8, seq[1 - dir]! >>> 0);
    v.setUint8(tcp + 12, 0x50);
    v.setUint8(tcp + 13, f);
    v.setUint16(tcp + 14, 65535);
    frame.set(payload, tcp + 20);
    seq[dir]! += payload.length + ((f & 0x03) !== 0 ? 1 : 0);
    const header = new Uint8Array(16);
    const h = new DataView(header.buffer);
    h.setUint32(0, 1700000000, true);
    h.setUint32(4, (i + 1) * 1000, true);
    h.setUint32(8, frame.length, true);
    h.setUint32(12, frame.length, true);
    records.push(header, frame);
  });
  const global = new Uint8Array(24);
  const g = new DataView(global.buffer);
  g.setUint32(0, 0xa1b2c3d4, true);
  g.setUint16(4, 2, true);
  g.setUint16(6, 4, true);
  g.setUint32(16, 65535, true);
  g.setUint32(20, 1, true);
  const out = new Uint8Array(24 + records.reduce((n, r) => n + r.length, 0));
  out.set(global, 0);
  let o = 24;
  for (const r of records) {
    out.set(r, o);
    o += r.length;
  }
  return out;
}
