// Generates the benchmark capture: real TLS conversations from the corpus replayed with new
// addresses, ports, sequence numbers and times, interleaved and sorted by time (classic pcap).

import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { readCaptureBytes } from '../src/core/io/capture-reader';
import { finish16, sum16 } from '../src/core/util/checksum';

interface Template {
  packets: { bytes: Uint8Array; t: number; fromClient: boolean }[];
  clientPort: number;
}

/** Reads one single-conversation Ethernet/IPv4/TCP capture as a template. */
export function loadTemplate(path: string): Template {
  const packets: Template['packets'] = [];
  let t0 = -1;
  let clientPort = -1;
  readCaptureBytes(new Uint8Array(readFileSync(path)), {
    onPacket(rec) {
      const bytes = rec.data.slice(rec.dataOffset, rec.dataOffset + rec.caplen);
      const t = rec.tsSec + rec.tsNsec / 1e9;
      if (t0 < 0) t0 = t;
      const ihl = (bytes[14]! & 0x0f) * 4;
      const sport = (bytes[14 + ihl]! << 8) | bytes[15 + ihl]!;
      if (clientPort < 0) clientPort = sport; // the first packet is the client's SYN
      packets.push({ bytes, t: t - t0, fromClient: sport === clientPort });
    },
  });
  return { packets, clientPort };
}

export interface GenerateOptions {
  packets: number;
  templates: Template[];
  out: string;
  /** Seconds between conversation starts. */
  spacing?: number;
  /** Time stretch applied to each template (loopback captures are very fast). */
  stretch?: number;
}

/** Writes the capture and returns the number of packets and conversations written. */
export function generate(opts: GenerateOptions): { packets: number; conversations: number; bytes: number } {
  const spacing = opts.spacing ?? 0.0005;
  const stretch = opts.stretch ?? 20;
  // Conversations until the packet budget is met, cycling through the templates.
  const convTemplate: number[] = [];
  let total = 0;
  while (total < opts.packets) {
    const ti = convTemplate.length % opts.templates.length;
    convTemplate.push(ti);
    total += opts.templates[ti]!.packets.length;
  }
  const n = total;
  const times = new Float64Array(n);
  const conv = new Uint32Array(n);
  const pkt = new Uint16Array(n);
  let i = 0;
  for (let c = 0; c < convTemplate.length; c++) {
    const tpl = opts.templates[convTemplate[c]!]!;
    for (let k = 0; k < tpl.packets.length; k++) {
      times[i] = c * spacing + tpl.packets[k]!.t * stretch;
      conv[i] = c;
      pkt[i] = k;
      i++;
    }
  }
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  order.sort((a, b) => times[a]! - times[b]! || a - b);

  const fd = openSync(opts.out, 'w');
  const CHUNK = 4 * 1024 * 1024;
  let buf = new Uint8Array(CHUNK);
  let view = new DataView(buf.buffer);
  let used = 0;
  let written = 0;
  const flush = () => {
    writeSync(fd, buf, 0, used);
    written += used;
    used = 0;
  };
  // Global header: microsecond pcap, little-endian, Ethernet.
  const header = new DataView(new ArrayBuffer(24));
  header.setUint32(0, 0xa1b2c3d4, true);
  header.setUint16(4, 2, true);
  header.setUint16(6, 4, true);
  header.setUint32(16, 262144, true);
  header.setUint32(20, 1, true);
  buf.set(new Uint8Array(header.buffer), 0);
  used = 24;
  const base = 1_767_225_600; // 2026-01-01T00:00:00Z
  for (let k = 0; k < n; k++) {
    const idx = order[k]!;
    const c = conv[idx]!;
    const tpl = opts.templates[convTemplate[c]!]!;
    const src = tpl.packets[pkt[idx]!]!;
    const len = src.bytes.length;
    if (used + 16 + len > buf.length) {
      flush();
      if (16 + len > buf.length) {
        buf = new Uint8Array(16 + len);
        view = new DataView(buf.buffer);
      }
    }
    const t = times[idx]!;
    const sec = Math.floor(t);
    view.setUint32(used, base + sec, true);
    view.setUint32(used + 4, Math.floor((t - sec) * 1e6), true);
    view.setUint32(used + 8, len, true);
    view.setUint32(used + 12, len, true);
    const p = used + 16;
    buf.set(src.bytes, p);
    rewrite(buf, view, p, c, src.fromClient, tpl.clientPort);
    used = p + len;
  }
  flush();
  closeSync(fd);
  return { packets: n, conversations: convTemplate.length, bytes: written };
}

/** New addresses, ports and sequence numbers for conversation `c`; checksums recomputed. */
function rewrite(b: Uint8Array, v: DataView, off: number, c: number, fromClient: boolean, _clientPort: number): void {
  const ip = off + 14;
  const ihl = (b[ip]! & 0x0f) * 4;
  const tcp = ip + ihl;
  const clientAddr = (10 << 24) | ((c >>> 8) & 0xffff) << 8 | (c & 0xff);
  const serverAddr = ((198 << 24) | (51 << 16) | (100 << 8) | (1 + (c % 250))) >>> 0;
  const clientPort = 1024 + (c % 64000);
  const serverPort = 443;
  const seqShiftClient = Math.imul(c, 2654435761) >>> 0;
  const seqShiftServer = Math.imul(c ^ 0x5bd1e995, 2246822519) >>> 0;
  v.setUint32(ip + 12, fromClient ? clientAddr >>> 0 : serverAddr);
  v.setUint32(ip + 16, fromClient ? serverAddr : clientAddr >>> 0);
  v.setUint16(ip + 10, 0);
  v.setUint16(ip + 10, finish16(sum16(b, ip, ihl, 0)));
  v.setUint16(tcp, fromClient ? clientPort : serverPort);
  v.setUint16(tcp + 2, fromClient ? serverPort : clientPort);
  const flags = b[tcp + 13]!;
  const seq = v.getUint32(tcp + 4);
  const ack = v.getUint32(tcp + 8);
  v.setUint32(tcp + 4, (seq + (fromClient ? seqShiftClient : seqShiftServer)) >>> 0);
  if ((flags & 0x10) !== 0) v.setUint32(tcp + 8, (ack + (fromClient ? seqShiftServer : seqShiftClient)) >>> 0);
  const totalLen = v.getUint16(ip + 2);
  const tcpLen = totalLen - ihl;
  v.setUint16(tcp + 16, 0);
  let acc = (v.getUint16(ip + 12) + v.getUint16(ip + 14) + v.getUint16(ip + 16) + v.getUint16(ip + 18) + 6 + tcpLen) >>> 0;
  acc = sum16(b, tcp, tcpLen, acc);
  v.setUint16(tcp + 16, finish16(acc));
}
