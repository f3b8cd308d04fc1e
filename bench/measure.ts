// One benchmark measurement in a fresh process (so peak RSS belongs to it): prints one JSON line.
// Usage: node out/bench/measure.js MODE FILE [WORKERS]   (MODE: bare | columns | index | flows | full | pcap-parser |
// conversation-table; WORKERS: analysis threads for flows and full, default the machine's cores, as the app and the CLI)

import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Analyzer } from '../src/core/engine/analyzer';
import { EngineService } from '../src/core/service/engine-service';
import { CONVERSATION_SORT_KEYS } from '../src/shared/api';
import { READ_SLACK, readCaptureFile } from '../src/core/io/capture-reader';
import { PacketIndex } from '../src/core/io/packet-index';
import { TlsKeyStore } from '../src/core/tls/keys/key-store';
import { addKeyFile } from '../src/core/tls/keys/key-files';

/** What one measurement prints (bench/run.ts reads it). */
export interface Measure {
  mode: string;
  packets: number;
  seconds: number;
  /** CPU time (user + system) of the measured pass, less disturbed by the machine's other work. */
  cpuSeconds?: number;
  maxRssMB: number;
  indexBytesPerPacket?: number;
  conversations?: number;
  /** Analysis threads (the reading thread included). */
  workers?: number;
  /** V8 heap in use at the end of the pass, after a full garbage collection (what the pass keeps). */
  heapUsedMB?: number;
  /** full-keys: TLS sessions the key log matched, and conversations whose every record opened. */
  decryptedSessions?: number;
  decryptedConversations?: number;
  /**
   * conversation-table: milliseconds from asking a column's order to its first page of 200 rows
   * (the sort and the page), per column and direction; then a page of the same order.
   */
  tableMs?: Record<string, number>;
  pageMs?: number;
}

/** Heap still in use after a full collection (V8's gc() made reachable for this one call). */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

/**
 * The ceiling: the least work that still visits every record (header walk, a copied carry for the
 * record cut by a chunk's end), reading the file the way readCaptureFile does (readSync into one
 * reused 4 MiB buffer, 2 KiB in, yielding between chunks), so the ratio compares parsing work, not
 * two ways of doing I/O.
 */
async function bare(file: string): Promise<number> {
  const CHUNK = 4 * 1024 * 1024;
  const buf = new Uint8Array(READ_SLACK + CHUNK);
  const chunk = buf.subarray(READ_SLACK / 2, READ_SLACK / 2 + CHUNK);
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const fd = openSync(file, 'r');
  let packets = 0;
  let fileOffset = 0;
  // The record cut by the previous chunk's end (a copy, as ChunkFeeder keeps it).
  let carry: Uint8Array | null = null;
  let pos = 24;
  try {
    while (true) {
      const n = readSync(fd, chunk, 0, CHUNK, fileOffset);
      if (n === 0) break;
      fileOffset += n;
      if (carry !== null) {
        // Complete the header, then the record, from the new chunk.
        const head = carry.length >= 16 ? carry : concat(carry, chunk.subarray(0, 16 - carry.length));
        const caplen = head[8]! | (head[9]! << 8) | (head[10]! << 16) | (head[11]! << 24);
        const rest = 16 + caplen - carry.length;
        concat(carry, chunk.subarray(0, rest));
        packets++;
        pos = rest;
        carry = null;
      }
      while (n - pos >= 16) {
        const caplen = view.getUint32(pos + 8, true);
        if (n - pos < 16 + caplen) break;
        pos += 16 + caplen;
        packets++;
      }
      if (pos < n) carry = chunk.slice(pos, n);
      pos = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    closeSync(fd);
  }
  return packets;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * What any index costs before a byte of a packet is decoded: our reader, and each record's file
 * offset, lengths, time and interface appended to the index columns (chunks allocated as the
 * index pass allocates them). Between the bare walk and the index pass, it shows how much of the
 * gap is writing the index itself (fresh memory, ~59 bytes a packet) rather than dissecting.
 */
async function columns(file: string): Promise<{ packets: number; bytesPerPacket: number }> {
  const index = new PacketIndex();
  const r = await readCaptureFile(file, {
    onPacket(rec) {
      index.append(rec.dataFileOffset, rec.caplen, rec.wirelen, rec.tsSec, rec.tsNsec, rec.iface);
    },
  });
  return { packets: r.packets, bytesPerPacket: index.byteSize / Math.max(1, index.count) };
}

async function pcapParser(file: string): Promise<number> {
  const require = createRequire(import.meta.url);
  const pcapp = require('pcap-parser') as { parse(path: string): NodeJS.EventEmitter };
  return new Promise((resolve, reject) => {
    let n = 0;
    const parser = pcapp.parse(file);
    parser.on('packet', () => n++);
    parser.on('end', () => resolve(n));
    parser.on('error', reject);
  });
}

async function main(): Promise<void> {
  const [mode, file, workersArg] = process.argv.slice(2);
  const workers = workersArg !== undefined ? Number(workersArg) : availableParallelism();
  if (mode === undefined || file === undefined) throw new Error('usage: measure MODE FILE');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const out: Measure = { mode, packets: 0, seconds: 0, maxRssMB: 0 };
  /** Ends the timed part (the heap measurement after it is not timed). */
  const stop = (): void => {
    out.seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    out.cpuSeconds = (cpu.user + cpu.system) / 1e6;
    out.maxRssMB = process.resourceUsage().maxRSS / 1024;
  };
  if (mode === 'bare') out.packets = await bare(file);
  else if (mode === 'columns') {
    const c = await columns(file);
    out.packets = c.packets;
    out.indexBytesPerPacket = c.bytesPerPacket;
  } else if (mode === 'pcap-parser') out.packets = await pcapParser(file);
  else if (mode === 'full-keys') {
    // The full pass with the capture's key log (FILE.keys): every TLS conversation decrypts.
    const tlsKeys = new TlsKeyStore();
    addKeyFile(tlsKeys, `${file}.keys`);
    const analyzer = new Analyzer({ tlsKeys });
    const r = await readCaptureFile(file, analyzer);
    analyzer.finish();
    stop();
    out.packets = r.packets;
    out.conversations = analyzer.flows.conversations.length;
    out.decryptedSessions = tlsKeys.sessionsMatched;
    let decrypted = 0;
    for (const c of analyzer.flows.conversations) {
      const app = c.app as { session?: { decryption?: { status: string } | null } } | null;
      if (app?.session?.decryption?.status === 'decrypted') decrypted++;
    }
    out.decryptedConversations = decrypted;
    out.heapUsedMB = heapAfterGc();
  } else if (mode === 'index' || mode === 'flows' || mode === 'full') {
    // flows: the index pass plus conversations, TCP analysis and states, no application parsers
    // (so no reassembly either): with index and full it splits the full pass into its stages.
    const analyzer = new Analyzer(mode === 'index' ? { flows: false } : mode === 'flows' ? { appFactories: [], compact: true, workers } : { compact: true, workers });
    const r = await readCaptureFile(file, analyzer);
    await analyzer.complete();
    out.workers = mode === 'index' ? 1 : workers;
    stop();
    out.packets = r.packets;
    out.indexBytesPerPacket = analyzer.index.byteSize / Math.max(1, analyzer.index.count);
    // Measured while the analysis is still referenced (it is read below): what a session keeps.
    if (mode === 'full') out.heapUsedMB = heapAfterGc();
    out.conversations = analyzer.flows.store.count;
  } else if (mode === 'conversation-table') {
    // The Conversations tab once the file is loaded, as the app asks: each column's order (sorted
    // once, kept) and its first page; the load is not timed.
    const engine = new EngineService({ workers });
    const { session } = await engine.openFile({ path: file });
    const info = await engine.whenLoaded(session);
    out.packets = info.packets;
    out.conversations = info.conversations;
    await engine.conversations({ session, count: 0 });
    out.tableMs = {};
    for (const key of CONVERSATION_SORT_KEYS) {
      for (const descending of [false, true]) {
        const t = performance.now();
        await engine.conversations({ session, sort: { key, descending }, offset: 0, count: 200 });
        out.tableMs[`${key}${descending ? ' ↓' : ' ↑'}`] = performance.now() - t;
      }
    }
    const t = performance.now();
    // The order asked last (kept): a page is a slice of it and 200 DTOs.
    await engine.conversations({ session, sort: { key: 'verdict', descending: true }, offset: Math.max(0, info.conversations - 200), count: 200 });
    out.pageMs = performance.now() - t;
    stop();
  } else throw new Error(`unknown mode ${mode}`);
  if (out.seconds === 0) stop();
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
