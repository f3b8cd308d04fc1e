// Follow stream (Wireshark's most used view for HTTPS debugging): one conversation's application
// bytes in both directions, as sent: the TCP payload reassembled, or the TLS plaintext decrypted.

import type { AppParser, AppParserFactory, Direction, StreamChunk } from '../flow/app-parser';
import { replay, type ReplaySource } from '../engine/replay';
import { tlsOf } from '../engine/app-of';
import { endpointOf } from './conversations';
import type { CaptureSession } from './session';
import type { FollowStreamDto } from './dto';

/** Bytes one answer carries at most (DESIGN: large data never crosses the RPC seam in bulk). */
export const FOLLOW_LIMIT = 4 * 1024 * 1024;

interface Chunk {
  dir: Direction;
  row: number;
  bytes: Uint8Array;
}

class Collector {
  readonly chunks: Chunk[] = [];
  readonly totals: [number, number] = [0, 0];
  kept = 0;
  truncated = false;

  add(dir: Direction, row: number, b: Uint8Array, off: number, len: number): void {
    this.totals[dir] += len;
    if (this.kept >= FOLLOW_LIMIT) {
      this.truncated = true;
      return;
    }
    const take = Math.min(len, FOLLOW_LIMIT - this.kept);
    if (take < len) this.truncated = true;
    this.kept += take;
    const last = this.chunks[this.chunks.length - 1];
    // Consecutive bytes of one side in one packet are one run.
    if (last !== undefined && last.dir === dir && last.row === row) {
      const joined = new Uint8Array(last.bytes.length + take);
      joined.set(last.bytes, 0);
      joined.set(b.subarray(off, off + take), last.bytes.length);
      last.bytes = joined;
    } else this.chunks.push({ dir, row, bytes: b.slice(off, off + take) });
  }
}

/** An application parser that keeps what TCP reassembly hands it (the raw stream). */
function rawFactory(c: Collector): AppParserFactory {
  return {
    protocol: 'tcp-stream',
    fields: [],
    detect: () => true,
    create: (): AppParser => ({
      protocol: 'tcp-stream',
      data(dir: Direction, bytes: Uint8Array, off: number, len: number, chunk: StreamChunk): void {
        c.add(dir, chunk.row, bytes, off, len);
      },
      gap(): void {},
      end(): void {},
    }),
  };
}

export function followStream(s: CaptureSession, src: ReplaySource, conversation: number, mode: 'tcp' | 'tls'): FollowStreamDto {
  const store = s.analyzer.flows.store;
  if (!Number.isInteger(conversation) || conversation < 0 || conversation >= store.count) throw new Error(`no conversation ${conversation}`);
  const stream = store.stream(conversation);
  const rows = s.analyzer.index.rowsOfStream(conversation);
  const c = new Collector();
  let note: string | null = null;
  if (mode === 'tcp') {
    replay(src, { rows, appFactories: [rawFactory(c)], summaryOnly: true, streamOf: () => stream });
  } else {
    const replayed = replay(src, { rows, keepSpans: true, summaryOnly: false, streamOf: () => stream });
    const tls = replayed.flows.conversations[0] === undefined ? null : tlsOf(replayed.flows.conversations[0]);
    if (tls === null) note = 'this conversation carries no TLS';
    else {
      const d = tls.session.decryption;
      if (d === null) note = 'no TLS keys are loaded: load a key log (Keys…) to follow the decrypted stream';
      else if (d.status !== 'decrypted' && d.reason !== null) note = d.reason;
      // Records are in stream order per direction; completedRow orders them across both.
      const records = tls.records.filter((r) => r.decryption === 'decrypted' && r.innerType === 23 && r.plaintext !== null);
      records.sort((a, b) => a.completedRow - b.completedRow);
      for (const r of records) c.add(r.dir, r.completedRow, r.plaintext!, 0, r.plaintext!.length);
    }
  }
  // Directions as the conversation names them: client → server first.
  const clientDir: Direction = store.clientIsA(conversation) ? 0 : 1;
  const fromOf = (dir: Direction): 'client' | 'server' => (dir === clientDir ? 'client' : 'server');
  return {
    conversation,
    mode,
    client: endpointOf(store, conversation, s.analyzer.addresses, true),
    server: endpointOf(store, conversation, s.analyzer.addresses, false),
    chunks: c.chunks.map((x) => ({ from: fromOf(x.dir), packet: x.row + 1, base64: Buffer.from(x.bytes).toString('base64') })),
    bytes: [c.totals[clientDir], c.totals[clientDir === 0 ? 1 : 0]],
    truncated: c.truncated,
    note,
  };
}
