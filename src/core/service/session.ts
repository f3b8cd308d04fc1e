// One open capture: its index (filled by a background load), random access to its packets, the
// display filter and the user's annotations.

import { basename } from 'node:path';
import { Analyzer, type AnalyzerOptions } from '../engine/analyzer';
import type { ReplaySource } from '../engine/replay';
import { linkTypeName } from '../dissect/link-types';
import { detectFormat, readCaptureFile, type ReadResult } from '../io/capture-reader';
import { RecordStore } from '../io/record-store';
import type { CompiledFilter } from '../filter/compile';
import { MemoryGuard } from '../util/memory-guard';
import type { SessionInfo, SortDto, StopInfo } from './dto';
import { closeSync, openSync, readSync } from 'node:fs';

/** What a loader gets besides the session: the abort signal and the means to publish progress. */
export interface LoadContext {
  readonly signal: AbortSignal;
  /** Gives the session random access to the packets being indexed (`bytes(row)`). */
  useStore(store: RecordStore): void;
  /** Tells listeners the session changed (loaders throttle their calls). */
  notify(): void;
}

/**
 * Fills a session's index, then resolves; the session then counts as loaded (errors thrown become
 * its `error`). The default reads a capture file; a live session follows a file that is growing.
 */
export type SessionLoader = (session: CaptureSession, ctx: LoadContext) => Promise<void>;

export class CaptureSession {
  readonly analyzer: Analyzer;
  readonly fileName: string;
  loading = true;
  progress = 0;
  fileSize = 0;
  format = 'pcap';
  compressed = false;
  live = false;
  stop: StopInfo | null = null;
  /** The user cancelled the load: the rows read so far stay, `progress` says how far it got. */
  cancelled = false;
  /** Memory ran short and reading stopped (the message the UI shows), or null. */
  memoryLimit: string | null = null;
  error: string | null = null;
  result: ReadResult | null = null;
  /** Rows passing the display filter, or null when there is no filter (all rows). */
  displayed: Int32Array | null = null;
  filter = '';
  /** The display filter in force (null: none), and how many rows it has been applied to. */
  compiledFilter: CompiledFilter | null = null;
  filteredUpTo = 0;
  /** Annotations edited in this session, by row: a list of comments, or [] for removed. */
  readonly edits = new Map<number, string[]>();
  dirty = false;
  /** Set by a live capture (its file is temporary) until the capture is saved elsewhere. */
  unsavedCapture = false;
  /** Rows the user marked and ignored (Wireshark's Mark / Ignore Packet). */
  readonly marked = new Set<number>();
  readonly ignored = new Set<number>();
  /** Time references (Wireshark's Set Time Reference), rows ascending. */
  timeRefs: number[] = [];
  /** The packet list's sort and the displayed rows in that order (null: frame order). */
  sort: SortDto | null = null;
  order: Int32Array | null = null;
  /** Row → its position in `order` (-1: not displayed), made when first asked for. */
  private positions: Int32Array | null = null;
  private store: RecordStore | null = null;
  private readonly abort = new AbortController();
  readonly done: Promise<void>;

  /** `loader` fills the index: by default it reads the file; a live capture follows it as it grows. */
  constructor(
    readonly id: string,
    readonly path: string,
    analyzerOptions: AnalyzerOptions,
    private readonly notify: (s: CaptureSession) => void,
    loader: SessionLoader = loadFile,
  ) {
    this.fileName = basename(path);
    // A whole-file pass: conversations are kept in the flow stage's store, objects only while open,
    // analysed on as many threads as the options say (a live capture: one).
    this.analyzer = new Analyzer({ compact: true, ...analyzerOptions });
    this.done = this.load(loader);
  }

  private async load(loader: SessionLoader): Promise<void> {
    const ctx: LoadContext = {
      signal: this.abort.signal,
      useStore: (store) => {
        this.store = store;
      },
      notify: () => this.notify(this),
    };
    try {
      await loader(this, ctx);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.loading = false;
      // A load cut short (cancelled, or stopped by the memory guard) keeps how far it got.
      if (!this.cancelled && this.memoryLimit === null) this.progress = 1;
      this.notify(this);
    }
  }

  cancel(): void {
    this.abort.abort();
  }

  /** The bytes of a packet (0-based row). */
  bytes(row: number): Uint8Array {
    if (this.store === null) throw new Error(`${this.fileName}: capture is not readable`);
    const index = this.analyzer.index;
    return this.store.read(index.fileOffset(row), index.caplen(row));
  }

  /** The session's packets for replays (the ladder, the detail pane, a verdict worked out again). */
  replaySource(): ReplaySource {
    return {
      index: this.analyzer.index,
      interfaces: this.analyzer.interfaces,
      bytes: (row: number) => this.bytes(row),
      comments: (row: number) => this.comments(row),
      // Replays decrypt with the session's keys (its own store).
      tlsKeys: this.analyzer.tlsKeys,
    };
  }

  /** Comments of a row: the user's edit if any, else what the file holds. */
  comments(row: number): string[] {
    return this.edits.get(row) ?? this.analyzer.index.comments.get(row) ?? [];
  }

  annotationCount(): number {
    let n = 0;
    const rows = new Set([...this.analyzer.index.comments.keys(), ...this.edits.keys()]);
    for (const r of rows) if (this.comments(r).length > 0) n++;
    return n;
  }

  /**
   * Rows the views show: every row read, but for rows still being analysed by a shard of a
   * parallel pass (their Protocol and Info are not known yet).
   */
  get rowCount(): number {
    return this.analyzer.publishedRows;
  }

  get displayedCount(): number {
    return this.displayed === null ? this.rowCount : this.displayed.length;
  }

  /** Row number of the i-th displayed row (in the list's sort order). */
  displayedRow(i: number): number {
    if (this.order !== null) return this.order[i]!;
    return this.displayed === null ? i : this.displayed[i]!;
  }

  /** Replaces the sorted order (null: frame order). */
  setOrder(order: Int32Array | null): void {
    this.order = order;
    this.positions = null;
  }

  /** Position of a row in the displayed list as shown (sorted or not), or -1 when hidden. */
  positionOf(row: number): number {
    if (row < 0 || row >= this.rowCount) return -1;
    if (this.order !== null) {
      if (this.positions === null || this.positions.length < this.rowCount) {
        const positions = new Int32Array(this.rowCount).fill(-1);
        for (let i = 0; i < this.order.length; i++) positions[this.order[i]!] = i;
        this.positions = positions;
      }
      return this.positions[row]!;
    }
    return this.framePosition(row);
  }

  /** Position of a row among the displayed rows in frame order, or -1 when hidden. */
  framePosition(row: number): number {
    if (row < 0 || row >= this.rowCount) return -1;
    if (this.displayed === null) return row;
    // Displayed rows are ascending: binary search.
    let lo = 0;
    let hi = this.displayed.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.displayed[mid]!;
      if (v === row) return mid;
      if (v < row) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The displayed row before `row` in frame order (Wireshark's previous displayed frame), or -1. */
  previousDisplayed(row: number): number {
    if (this.displayed === null) return row - 1;
    const at = this.framePosition(row);
    if (at > 0) return this.displayed[at - 1]!;
    if (at === 0) return -1;
    // A hidden row: the last displayed row before it.
    let lo = 0;
    let hi = this.displayed.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.displayed[mid]! < row) {
        best = this.displayed[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  /** The time reference a row's time counts from: the latest one at or before it, else row 0. */
  timeReferenceOf(row: number): number {
    const refs = this.timeRefs;
    let lo = 0;
    let hi = refs.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (refs[mid]! <= row) {
        best = refs[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  info(): SessionInfo {
    const index = this.analyzer.index;
    const n = this.rowCount;
    return {
      session: this.id,
      fileName: this.fileName,
      format: this.live ? 'live' : this.format,
      compressed: this.compressed,
      fileSize: this.fileSize,
      packets: n,
      displayed: this.displayedCount,
      filter: this.filter,
      loading: this.loading,
      progress: this.progress,
      live: this.live,
      stop: this.stop,
      cancelled: this.cancelled,
      memoryLimit: this.memoryLimit,
      error: this.error,
      firstTime: n > 0 ? index.tsSec(0) + index.tsNsec(0) / 1e9 : null,
      durationSeconds: n > 0 ? index.relativeTime(n - 1) : 0,
      linkTypes: [...new Set(this.analyzer.interfaces.map((i) => linkTypeName(i.linkType)))],
      annotations: this.annotationCount(),
      dirty: this.dirty,
      unsavedCapture: this.unsavedCapture,
      marked: this.marked.size,
      ignored: this.ignored.size,
      sort: this.sort,
      // The flow stage numbers conversations as it routes packets: the count is current without a sync.
      conversations: this.analyzer.flows.store.count,
    };
  }

  close(): void {
    this.cancel();
    this.store?.close();
    void this.done.then(() => this.analyzer.stop());
  }
}

/** The default loader: reads the whole file (decompressing gzip into a spool for random access). */
async function loadFile(s: CaptureSession, ctx: LoadContext): Promise<void> {
  let lastNotify = 0;
  s.compressed = detectFormat(readHead(s.path)) === 'gzip';
  const store = s.compressed ? RecordStore.spooled() : RecordStore.forFile(s.path);
  ctx.useStore(store);
  try {
    s.result = await readCaptureFile(s.path, s.analyzer, {
      signal: ctx.signal,
      onChunk: s.compressed ? (chunk, offset) => store.append(chunk, offset) : undefined,
      memoryGuard: new MemoryGuard(),
      onProgress: async (read, size) => {
        s.fileSize = size;
        s.progress = size > 0 ? Math.min(1, read / size) : 1;
        const now = Date.now();
        // Progress is throttled (DESIGN: the UI thread never blocks), and the worker yields to
        // answer row requests between chunks.
        if (now - lastNotify > 100) {
          lastNotify = now;
          ctx.notify();
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      },
    });
  } catch (err) {
    await s.analyzer.stop();
    throw err;
  }
  await s.analyzer.complete();
  s.cancelled = s.result.aborted;
  s.format = s.result.format;
  s.fileSize = s.result.fileSize;
  s.stop = s.result.stop;
  if (s.result.memoryLimit !== null) {
    s.memoryLimit = s.result.memoryLimit.message;
    s.progress = s.result.memoryLimit.fraction;
  }
}

function readHead(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(8);
    const n = readSync(fd, buf, 0, 8, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
