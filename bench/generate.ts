// Generates the benchmark capture: real TLS conversations from the corpus replayed with new
// addresses, ports, sequence numbers and times, interleaved and sorted by time (classic pcap).
// Also a command: `node out/bench/generate.js --packets N --out FILE` (after `npm run build:cli`).

import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
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

const TEMPLATES = ['tls12-ecdhe', 'tls13', 'mtls12'];

/** The benchmark's templates: a TLS 1.2 ECDHE, a TLS 1.3 and a mutual-TLS 1.2 conversation. */
export function benchTemplates(corpusDir: string): Template[] {
  return TEMPLATES.map((name) => loadTemplate(join(corpusDir, `${name}.pcap`)));
}

/**
 * The key log of the benchmark capture: the templates' own. Every conversation replays its
 * template's TLS bytes (new addresses, ports, sequence numbers), so its client random is the
 * template's and every conversation decrypts — with the real record work each time.
 */
export function benchKeyLog(corpusDir: string): string {
  return TEMPLATES.map((name) => readFileSync(join(corpusDir, `${name}.keys`), 'utf8').trimEnd()).join('\n') + '\n';
}

/** The key log beside a template capture (`NAME.keys` for `NAME.pcap[ng]`), or '' when it has none. */
export function keysBeside(template: string): string {
  const keys = template.replace(/\.(pcap|pcapng)$/, '.keys');
  return keys !== template && existsSync(keys) ? `${readFileSync(keys, 'utf8').trimEnd()}\n` : '';
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

/**
 * Writes the capture and returns the number of packets and conversations written. Conversation
 * c starts at c × spacing and replays its template's packets at their (stretched) times; packets
 * are merged in time order (ties: conversation, then packet) through a heap of the conversations
 * in flight, so memory stays bounded by concurrency, not by the packet count (a 50M-packet file
 * needs no 50M-entry arrays).
 */
export function generate(opts: GenerateOptions): { packets: number; conversations: number; bytes: number } {
  const spacing = opts.spacing ?? 0.0005;
  const stretch = opts.stretch ?? 20;
  const templates = opts.templates;
  // Conversations until the packet budget is met, cycling through the templates.
  let conversations = 0;
  let total = 0;
  while (total < opts.packets) {
    total += templates[conversations % templates.length]!.packets.length;
    conversations++;
  }
  const heap = new ConversationHeap();
  const timeOf = (c: number, k: number): number => c * spacing + templates[c % templates.length]!.packets[k]!.t * stretch;

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
  let nextConv = 0;
  let n = 0;
  while (n < total) {
    // Conversations that start no later than the earliest packet in flight join the merge.
    while (nextConv < conversations && (heap.size === 0 || nextConv * spacing <= heap.minTime())) {
      heap.push(timeOf(nextConv, 0), nextConv, 0);
      nextConv++;
    }
    const t = heap.minTime();
    const c = heap.minConv();
    const k = heap.minPacket();
    const tpl = templates[c % templates.length]!;
    if (k + 1 < tpl.packets.length) heap.replaceMin(timeOf(c, k + 1), c, k + 1);
    else heap.pop();
    const src = tpl.packets[k]!;
    const len = src.bytes.length;
    if (used + 16 + len > buf.length) {
      flush();
      if (16 + len > buf.length) {
        buf = new Uint8Array(16 + len);
        view = new DataView(buf.buffer);
      }
    }
    const sec = Math.floor(t);
    view.setUint32(used, base + sec, true);
    view.setUint32(used + 4, Math.floor((t - sec) * 1e6), true);
    view.setUint32(used + 8, len, true);
    view.setUint32(used + 12, len, true);
    const p = used + 16;
    buf.set(src.bytes, p);
    rewrite(buf, view, p, c, src.fromClient, tpl.clientPort);
    used = p + len;
    n++;
  }
  flush();
  closeSync(fd);
  return { packets: n, conversations, bytes: written };
}

/** (t1, c1, k1) sorts before (t2, c2, k2): by time, then conversation, then packet. */
function before(t1: number, c1: number, k1: number, t2: number, c2: number, k2: number): boolean {
  if (t1 !== t2) return t1 < t2;
  return c1 !== c2 ? c1 < c2 : k1 < k2;
}

/** A binary min-heap of (time, conversation, packet), ordered by time, then conversation, then packet. */
class ConversationHeap {
  private time = new Float64Array(1024);
  private conv = new Uint32Array(1024);
  private pkt = new Uint32Array(1024);
  size = 0;

  minTime(): number {
    return this.time[0]!;
  }
  minConv(): number {
    return this.conv[0]!;
  }
  minPacket(): number {
    return this.pkt[0]!;
  }

  push(t: number, c: number, k: number): void {
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(t, c, k, this.time[parent]!, this.conv[parent]!, this.pkt[parent]!)) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, t, c, k);
  }

  pop(): void {
    const last = --this.size;
    if (last > 0) this.siftDown(this.time[last]!, this.conv[last]!, this.pkt[last]!);
  }

  replaceMin(t: number, c: number, k: number): void {
    this.siftDown(t, c, k);
  }

  private siftDown(t: number, c: number, k: number): void {
    let i = 0;
    while (true) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const child = r < this.size && before(this.time[r]!, this.conv[r]!, this.pkt[r]!, this.time[l]!, this.conv[l]!, this.pkt[l]!) ? r : l;
      if (!before(this.time[child]!, this.conv[child]!, this.pkt[child]!, t, c, k)) break;
      this.move(child, i);
      i = child;
    }
    this.set(i, t, c, k);
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from]!;
    this.conv[to] = this.conv[from]!;
    this.pkt[to] = this.pkt[from]!;
  }

  private set(i: number, t: number, c: number, k: number): void {
    this.time[i] = t;
    this.conv[i] = c;
    this.pkt[i] = k;
  }

  private grow(): void {
    const time = new Float64Array(this.time.length * 2);
    time.set(this.time);
    const conv = new Uint32Array(this.conv.length * 2);
    conv.set(this.conv);
    const pkt = new Uint32Array(this.pkt.length * 2);
    pkt.set(this.pkt);
    this.time = time;
    this.conv = conv;
    this.pkt = pkt;
  }
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

/**
 * `generate --packets N --out FILE [--corpus DIR] [--template FILE …]`: one capture of at least N
 * packets, from the corpus's TLS conversations or from the given single-conversation captures
 * (the HTTP/2 and HTTP/1.1 comparison uses its own).
 */
function main(argv: readonly string[]): void {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const packets = Number(value('--packets') ?? '');
  const out = value('--out');
  if (!(packets > 0) || out === undefined) {
    process.stderr.write('usage: node out/bench/generate.js --packets N --out FILE [--corpus DIR] [--template FILE …]\n');
    process.exit(1);
  }
  // out/bench/generate.js → the repo → ../shared/corpus/local beside it.
  const corpus = value('--corpus') ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'corpus', 'local');
  const t0 = performance.now();
  const given = argv.flatMap((a, i) => (a === '--template' && argv[i + 1] !== undefined ? [argv[i + 1]!] : []));
  const templates = given.length > 0 ? given.map((f) => loadTemplate(resolve(f))) : benchTemplates(corpus);
  const g = generate({ packets, templates, out: resolve(out) });
  // FILE.keys beside FILE: the key log that decrypts every conversation (the pass with keys).
  writeFileSync(`${resolve(out)}.keys`, given.length > 0 ? given.map((f) => keysBeside(resolve(f))).join('') : benchKeyLog(corpus));
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(`${out}: ${g.packets} packets, ${g.conversations} conversations, ${g.bytes} bytes in ${seconds.toFixed(1)} s\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main(process.argv.slice(2));
