// Runs a compiled display filter over a capture: one tight pass over the index columns, then the
// tree path (re-dissection, with progress and cancellation) for the rows the index cannot decide.

import type { Layer } from '../dissect/tree';
import { CHUNK_BITS, CHUNK_ROWS } from '../io/packet-index';
import type { BoundFilter, CompiledFilter, FilterContext, PacketTree } from './compile';
import { UNKNOWN, YES } from './index-terms';
import { readsLaterFrames } from '../flow/later-frames';

export interface TreeRequestOptions {
  signal?: AbortSignal;
  /** Called now and then with the number of requested trees delivered so far. */
  onProgress?: (done: number, total: number) => void;
  /**
   * The trees must name later packets (tcp.reassembled_in, http.response_in): a first pass over the
   * rows' conversations, to their ends, records them (as tshark -2 does).
   */
  laterFrames?: boolean;
}

/**
 * Delivers the field trees of `rows` (ascending) to `visit`, in ascending order. The service's
 * implementation replays the packets (filter/replay-trees.ts); tests may keep trees in memory.
 */
export type TreeProvider = (rows: Int32Array, visit: (row: number, tree: PacketTree) => void, opts: TreeRequestOptions) => Promise<void>;

export interface FilterSource extends FilterContext {
  /** Field trees for the rows the index cannot decide (preferred: one request for all of them). */
  trees?: TreeProvider;
  /** Or one tree at a time, in ascending row order. */
  treeOf?: (row: number) => PacketTree | readonly Layer[] | null;
}

export interface FilterProgress {
  /** 'index': the fast pass; 'tree': re-dissecting the rows the index could not decide. */
  phase: 'index' | 'tree';
  done: number;
  total: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: FilterProgress) => void;
  /** First row to filter (default 0) and the row after the last (default index.count). */
  start?: number;
  end?: number;
}

export interface FastResult {
  /** Rows the index says match, ascending. */
  matches: Int32Array;
  /** Rows only the field tree can decide, ascending. */
  unknown: Int32Array;
}

/** The fast pass alone: a loop over each chunk's columns. */
export function runIndexPass(bound: BoundFilter, ctx: FilterContext, start = 0, end = ctx.index.count): FastResult {
  const index = ctx.index;
  let matches = new Int32Array(Math.max(0, end - start));
  let unknown: Int32Array<ArrayBuffer> = new Int32Array(0);
  let m = 0;
  let u = 0;
  const fast = bound.fast;
  for (let ci = start >>> CHUNK_BITS; ci < index.chunkCount; ci++) {
    const base = ci << CHUNK_BITS;
    if (base >= end) break;
    const c = index.chunk(ci)!;
    const from = Math.max(start - base, 0);
    const to = Math.min(end - base, CHUNK_ROWS);
    for (let i = from; i < to; i++) {
      const v = fast(c, i, base + i);
      if (v === YES) matches[m++] = base + i;
      else if (v === UNKNOWN) {
        if (u === unknown.length) unknown = grow(unknown);
        unknown[u++] = base + i;
      }
    }
  }
  matches = matches.slice(0, m);
  return { matches, unknown: unknown.slice(0, u) };
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(1024, a.length * 2));
  b.set(a);
  return b;
}

/**
 * The rows of `source` that match `filter`, ascending. Rows the index decides cost a few
 * nanoseconds each; the others are re-dissected through `source.trees` (or `treeOf`), with
 * progress reported and `signal` honoured between packets.
 */
export async function runFilter(filter: CompiledFilter, source: FilterSource, opts: RunOptions = {}): Promise<Int32Array> {
  const { signal, onProgress } = opts;
  signal?.throwIfAborted();
  const start = opts.start ?? 0;
  const end = opts.end ?? source.index.count;
  const bound = filter.bind(source);
  const fast = runIndexPass(bound, source, start, end);
  onProgress?.({ phase: 'index', done: end - start, total: end - start });
  const unknown = fast.unknown;
  if (unknown.length === 0) return fast.matches;
  signal?.throwIfAborted();

  const hits: number[] = [];
  const total = unknown.length;
  const visit = (row: number, tree: PacketTree): void => {
    if (bound.matchTree(tree, row)) hits.push(row);
  };
  if (source.trees !== undefined) {
    await source.trees(unknown, visit, {
      signal,
      laterFrames: readsLaterFrames(filter.fields),
      onProgress: (done) => onProgress?.({ phase: 'tree', done, total }),
    });
  } else if (source.treeOf !== undefined) {
    let last = 0;
    for (let k = 0; k < total; k++) {
      const row = unknown[k]!;
      const t = source.treeOf(row);
      if (t !== null) visit(row, Array.isArray(t) ? { layers: t as readonly Layer[] } : (t as PacketTree));
      if (k - last >= 256) {
        last = k;
        onProgress?.({ phase: 'tree', done: k, total });
        // Let other requests (rows, cancel) in between packets.
        await new Promise<void>((resolve) => setImmediate(resolve));
        signal?.throwIfAborted();
      }
    }
  } else {
    throw new Error(`the filter "${filter.text}" needs packet trees for ${total} packets, and no tree source was given`);
  }
  signal?.throwIfAborted();
  onProgress?.({ phase: 'tree', done: total, total });
  hits.sort((a, b) => a - b);
  return mergeAscending(fast.matches, hits);
}

function mergeAscending(a: Int32Array, b: readonly number[]): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
