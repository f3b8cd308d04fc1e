// The reading thread's side of a parallel whole-file pass: analysis shards in worker threads take
// the conversations the flow stage's route() gives them. The file is read into a ring of shared
// buffers, each shard gets the descriptors of its packets per buffer, and a buffer is read into
// again once every shard is done with it. Rows are published (shown) only when every shard has
// analysed them; what a shard sends back (analysis flags, Protocol column, Info text) goes into
// the index. New conversations go to whichever shard is least behind (the reading thread's own
// shard, 0, when every worker has work queued), so the threads stay busy; results do not depend
// on it: conversations are analysed independently, each in packet order.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Packet } from '../dissect/packet';
import type { ConversationStore } from '../flow/conversation-store';
import type { PacketIndex } from '../io/packet-index';
import { READ_SLACK } from '../io/capture-reader';
import { Bit, EXPERT_STRIDE, RESULT_STRIDE, STRIDE, encodePacket, type FromShard, type ShardApps, type ShardBatch, type TextReport, type ToShard } from './shard-protocol';

export interface ShardPoolOptions {
  /** Worker threads (the reading thread is shard 0 besides). */
  workers: number;
  workerPath: string;
  apps: ShardApps;
  reassemblyLimit: number;
  store: ConversationStore;
  index: PacketIndex;
  /**
   * How new conversations are spread: to the shard least behind (default), or in turn over all
   * shards, the reading thread's included (tests, so every shard gets some of every capture).
   */
  spread?: 'balanced' | 'in-turn';
}

/** Below this size a capture is analysed in the reading thread alone (starting workers costs more). */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Analysis threads for a capture of `bytes` bytes: `requested` (default: the cores this process
 * may use), or 1 for a small capture.
 */
export function analysisThreads(bytes: number, requested?: number): number {
  const wanted = requested ?? availableParallelism();
  return bytes < PARALLEL_MIN_BYTES ? 1 : Math.max(1, Math.min(wanted, 16));
}

/** Read buffers in the ring: the reader fills one while the shards work on the others. */
const RING = 4;
/** First byte of a batch's side buffer in use. */
const SIDE_START = 16;
/** Descriptors a batch holds before its arrays grow. */
const BATCH = 16384;

interface Slot {
  sab: SharedArrayBuffer;
  view: Uint8Array;
  /** Shards still working on packets in this buffer. */
  busy: number;
}

/** One buffer's worth of rows on its way through the shards. */
interface Chunk {
  seq: number;
  slot: number;
  /** The row after the chunk's last one. */
  endRow: number;
  pending: number;
}

class Outbox {
  words: Int32Array;
  times: Float64Array;
  count = 0;
  side: Uint8Array | null = null;
  /** Bytes used in the side buffer; it starts past 0 so that no moved offset becomes 0 ("absent"). */
  sideUsed = SIDE_START;
  /** Arrays the worker handed back, for the next batches. */
  readonly spare: [ArrayBuffer, ArrayBuffer][] = [];
  /** Store chunks this worker has views of. */
  chunksSent = 0;
  /** Batches sent and not answered. */
  outstanding = 0;
  /** Info texts the worker reported, by its ids. */
  readonly info: string[] = [''];
  /** The worker said it is set up; until then its conversations go to the reading thread. */
  ready = false;

  constructor() {
    this.words = new Int32Array(BATCH * STRIDE);
    this.times = new Float64Array(BATCH);
  }

  reserve(): number {
    if (this.count === this.times.length) {
      const words = new Int32Array(this.words.length * 2);
      words.set(this.words);
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times);
      this.words = words;
      this.times = times;
    }
    return this.count++;
  }

  /** Room for `n` more bytes in the side buffer; returns where they go. */
  sideRoom(n: number): Uint8Array {
    const side = this.side;
    if (side === null || this.sideUsed + n > side.length) {
      const grown = new Uint8Array(Math.max(64 * 1024, 2 * (this.sideUsed + n)));
      if (side !== null) grown.set(side.subarray(0, this.sideUsed));
      this.side = grown;
    }
    return this.side!;
  }

  /** Fresh arrays after the current ones were sent. */
  renew(): void {
    const spare = this.spare.pop();
    this.words = spare !== undefined ? new Int32Array(spare[0]) : new Int32Array(BATCH * STRIDE);
    this.times = spare !== undefined ? new Float64Array(spare[1]) : new Float64Array(BATCH);
    this.count = 0;
    this.side = null;
    this.sideUsed = SIDE_START;
  }
}

export class ShardPool {
  /** Shards in all: the reading thread's and one per worker. */
  readonly shards: number;
  private readonly workers: Worker[] = [];
  private readonly outboxes: Outbox[] = [];
  private readonly ring: Slot[] = [];
  private current = -1;
  /** Packets given to workers from the current buffer since it was last flushed. */
  private dirty = false;
  private readonly chunks: Chunk[] = [];
  private seq = 0;
  private published = 0;
  private failure: Error | null = null;
  private waiters: (() => void)[] = [];
  private readonly syncWaits = new Map<number, { left: number; resolve: () => void }>();
  private readonly store: ConversationStore;
  private readonly index: PacketIndex;
  private closed = false;
  private readonly inTurn: boolean;
  private turn = 0;
  /**
   * Share of new conversations the reading thread analyses itself: more when it had to wait for
   * the workers, less when they were idle (it also reads, dissects and indexes every packet).
   */
  private inlineShare = 0.3;
  private owed = 0;

  private readonly opts: ShardPoolOptions;
  /** New conversations stay in the reading thread (keys arrived: see Analyzer.onSecrets). */
  private inlineOnly = false;

  constructor(opts: ShardPoolOptions) {
    this.opts = opts;
    this.inTurn = opts.spread === 'in-turn';
    this.shards = opts.workers + 1;
    this.store = opts.store;
    this.index = opts.index;
  }

  /** Starts the workers (until then, and without them, the reading thread analyses everything). */
  start(): void {
    if (this.workers.length > 0 || this.closed) return;
    const opts = this.opts;
    for (let w = 0; w < opts.workers; w++) {
      const worker = new Worker(opts.workerPath);
      const shard = w + 1;
      worker.on('message', (m: FromShard) => this.receive(shard, m));
      worker.on('error', (err) => this.fail(new Error(`analysis shard ${shard} failed: ${err.message}`)));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`analysis shard ${shard} stopped unexpectedly (exit code ${code})`));
      });
      this.post(worker, { type: 'init', shard, shards: this.shards, apps: opts.apps, reassemblyLimit: opts.reassemblyLimit });
      this.workers.push(worker);
      this.outboxes.push(new Outbox());
    }
  }

  /** Rows every shard has analysed (the rows the views may show). */
  get publishedRows(): number {
    return this.published;
  }

  /** The shard for a new conversation: the worker least behind, or the reading thread's when all have a backlog. */
  choose(): number {
    if (this.inlineOnly || this.workers.length === 0) return 0;
    if (this.inTurn) return this.turn++ % this.shards;
    // Until a worker is ready the reading thread analyses alone: the first rows show at once.
    if (!this.outboxes.some((o) => o.ready)) return 0;
    this.owed += this.inlineShare;
    if (this.owed >= 1) {
      this.owed -= 1;
      return 0;
    }
    // The worker least behind (ties in turn).
    let best = -1;
    let least = Infinity;
    const n = this.outboxes.length;
    for (let k = 0; k < n; k++) {
      const w = (this.turn + k) % n;
      const o = this.outboxes[w]!;
      if (!o.ready) continue;
      const load = o.outstanding * BATCH + o.count;
      if (load < least) {
        least = load;
        best = w;
      }
    }
    this.turn++;
    return best + 1;
  }

  /** A TLS key log found in the capture (a DSB): the shards get it, new conversations stay here. */
  addKeyLog(name: string, text: string): void {
    this.inlineOnly = true;
    for (const w of this.workers) this.post(w, { type: 'keys', name, text });
  }

  /** A read buffer for the next chunk (the last one's packets go to the shards first). */
  async take(size: number): Promise<Uint8Array> {
    this.throwIfFailed();
    this.flush();
    const slot = (this.current + 1) % RING;
    // The workers are behind: the reading thread takes a larger share of new conversations.
    if (this.ring[slot] !== undefined && this.ring[slot].busy > 0) this.inlineShare = Math.min(0.9, this.inlineShare + 0.05);
    while (this.ring[slot] !== undefined && this.ring[slot].busy > 0) await this.nextMessage();
    let s = this.ring[slot];
    if (s === undefined || s.view.length < size) {
      // Like the plain reader's buffer: the data starts half the slack into it (see READ_SLACK).
      const sab = new SharedArrayBuffer(READ_SLACK + size);
      s = { sab, view: new Uint8Array(sab, READ_SLACK / 2, size), busy: 0 };
      this.ring[slot] = s;
    }
    this.current = slot;
    return s.view;
  }

  /** Hands packet `p` (routed to `shard`, a worker) to that shard's next batch. */
  enqueue(shard: number, p: Packet, row: number, d: number, fresh: boolean, reused: number): void {
    const o = this.outboxes[shard - 1]!;
    const k = o.reserve();
    let bits = (d === 1 ? Bit.FromB : 0) | (fresh ? Bit.Fresh : 0);
    let shift = 0;
    const slot = this.ring[this.current];
    const buf = p.buf;
    const inRing = slot !== undefined && buf.buffer === slot.sab && buf.byteOffset === slot.view.byteOffset;
    if (!inRing && p.payloadLength > 0) {
      // A record cut by the buffer's end (copied by the reader) or a reassembled datagram: its
      // bytes go with the batch. Offsets move with them.
      const lo = Math.min(p.start, p.payloadOffset, p.l4Offset);
      const hi = Math.max(p.payloadOffset + p.payloadLength, p.start);
      const side = o.sideRoom(hi - lo);
      side.set(buf.subarray(lo, hi), o.sideUsed);
      shift = o.sideUsed - lo;
      o.sideUsed += hi - lo;
      bits |= Bit.Side;
    }
    if (p.malformed !== null) bits |= Bit.Malformed;
    encodePacket(o.words, o.times, k, p, row, bits, reused, shift);
    this.dirty = true;
  }

  /** Sends the batches of the buffer being read (called once it is fully read). */
  flush(): void {
    if (this.current < 0) return;
    const chunk: Chunk = { seq: ++this.seq, slot: this.current, endRow: this.index.count, pending: 0 };
    // The workers finished all they had before this buffer was read: give them more.
    if (this.dirty && this.outboxes.every((o) => o.outstanding === 0)) this.inlineShare = Math.max(0, this.inlineShare - 0.05);
    if (this.dirty) {
      const chunkCount = this.store.chunkCount;
      for (let w = 0; w < this.workers.length; w++) {
        const o = this.outboxes[w]!;
        if (o.count === 0) continue;
        const side = o.side === null ? new ArrayBuffer(0) : (o.side.buffer as ArrayBuffer);
        const view = this.ring[this.current]!.view;
        const m: ShardBatch = {
          type: 'batch',
          seq: chunk.seq,
          chunks: this.store.chunkBuffers(o.chunksSent),
          buffer: view.buffer,
          byteOffset: view.byteOffset,
          byteLength: view.byteLength,
          side,
          count: o.count,
          words: o.words.buffer as ArrayBuffer,
          times: o.times.buffer as ArrayBuffer,
        };
        o.chunksSent = chunkCount;
        const transfer = side.byteLength > 0 ? [m.words, m.times, side] : [m.words, m.times];
        this.workers[w]!.postMessage(m, transfer);
        o.outstanding++;
        chunk.pending++;
        this.ring[this.current]!.busy++;
        o.renew();
      }
      this.dirty = false;
    }
    this.chunks.push(chunk);
    this.publish();
  }

  /** Brings the store up to date for the views: every shard writes its open conversations. */
  async sync(): Promise<void> {
    this.flush();
    await this.broadcast('sync');
  }

  /** After the last chunk: every shard finishes its conversations. Then the workers stop. */
  async complete(): Promise<void> {
    try {
      this.flush();
      await this.broadcast('finish');
      this.published = this.index.count;
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private async broadcast(type: 'sync' | 'finish'): Promise<void> {
    if (this.workers.length === 0) return;
    const seq = ++this.seq;
    const done = new Promise<void>((resolve) => this.syncWaits.set(seq, { left: this.workers.length, resolve }));
    for (const w of this.workers) this.post(w, { type, seq });
    while (this.syncWaits.has(seq)) {
      this.throwIfFailed();
      await Promise.race([done, this.nextMessage()]);
    }
    this.throwIfFailed();
  }

  private post(w: Worker, m: ToShard): void {
    w.postMessage(m);
  }

  private receive(shard: number, m: FromShard): void {
    if (m.type === 'failed') {
      this.fail(new Error(`analysis shard ${shard} failed: ${m.message}`));
      return;
    }
    const o = this.outboxes[shard - 1]!;
    if (m.type === 'ready') {
      o.ready = true;
      return;
    }
    this.adopt(shard, o, m.texts);
    if (m.type === 'done') {
      o.outstanding--;
      o.spare.push([m.words, m.times]);
      this.apply(o, new Int32Array(m.results), m.resultCount);
      this.applyExpert(o, new Float64Array(m.expert), m.expertCount);
      const chunk = this.chunks.find((c) => c.seq === m.seq);
      if (chunk !== undefined) {
        chunk.pending--;
        this.ring[chunk.slot]!.busy--;
      }
      this.publish();
    } else {
      const wait = this.syncWaits.get(m.seq);
      if (wait !== undefined && --wait.left === 0) {
        this.syncWaits.delete(m.seq);
        wait.resolve();
      }
    }
    this.poke();
  }

  private adopt(shard: number, o: Outbox, texts: TextReport): void {
    this.store.texts.adopt(shard, texts.store);
    for (const t of texts.info.texts) o.info.push(t);
  }

  /** What a shard found for each packet, into the index. */
  private apply(o: Outbox, r: Int32Array, n: number): void {
    const index = this.index;
    for (let k = 0; k < n; k++) {
      const at = k * RESULT_STRIDE;
      const row = r[at]!;
      index.setAnalysis(row, r[at + 1]!);
      index.setProto(row, r[at + 2]!);
      const text = r[at + 3]!;
      if (text !== 0) index.infoText.set(row, o.info[text]!);
    }
  }

  /** The expert items a shard raised, into the index's log (rows it has not published yet). */
  private applyExpert(o: Outbox, e: Float64Array, n: number): void {
    const log = this.index.expert;
    for (let k = 0; k < n; k++) {
      const at = k * EXPERT_STRIDE;
      const text = e[at + 4]!;
      log.add(e[at]!, e[at + 1]!, e[at + 2]!, e[at + 3]!, text === 0 ? null : o.info[text]!);
    }
  }

  /** Rows are shown up to the first chunk a shard still works on. */
  private publish(): void {
    const chunks = this.chunks;
    let done = 0;
    while (done < chunks.length && chunks[done]!.pending === 0) done++;
    if (done === 0) return;
    this.published = chunks[done - 1]!.endRow;
    chunks.splice(0, done);
  }

  private nextMessage(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private poke(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.poke();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}
