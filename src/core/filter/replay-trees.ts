// Field trees for the filter's tree path, made by replaying just the packets they depend on: the
// earlier packets of each one's conversation (flow context: relative numbers, reassembly, TLS and
// HTTP state) and IP fragments, in one pass, as the detail pane does for one packet; with a first
// pass to the conversations' ends when the trees must name later packets (tshark -2).

import { Mark } from '../dissect/packet';
import { Analyzer, type AnalyzerOptions } from '../engine/analyzer';
import { LaterFrames } from '../flow/later-frames';
import { recordOf, type ReplaySource } from '../engine/replay';
import { newPacketRecord } from '../io/record-parser';
import { CHUNK_BITS, CHUNK_ROWS } from '../io/packet-index';
import type { ConversationList } from './index-terms';
import type { TreeProvider } from './run';

export interface ReplayTreesOptions extends Omit<AnalyzerOptions, 'tree' | 'onPacket' | 'rowOf' | 'frameTimes' | 'streamOf' | 'keepSpans' | 'laterFrames'> {
  /** Packets replayed between yields to the event loop (default 1000). */
  batch?: number;
}

/**
 * A TreeProvider over a capture: `conversations` are the full pass's (flow-stage order, the
 * index's stream column points into it).
 */
export function replayTrees(src: ReplaySource, conversations: ConversationList, opts: ReplayTreesOptions = {}): TreeProvider {
  const { batch = 1000, ...analyzerOptions } = opts;
  return async (rows, visit, { signal, onProgress, laterFrames: wantsLater }) => {
    const index = src.index;
    const total = rows.length;
    if (total === 0) return;
    const last = rows[total - 1]!;
    const wanted = new Uint8Array(last + 1);
    const convLast = new Int32Array(conversations.count).fill(-1);
    let fragments = false;
    for (let k = 0; k < total; k++) {
      const r = rows[k]!;
      wanted[r] = 1;
      const conv = index.stream(r);
      if (conv >= 0 && conv < convLast.length && r > convLast[conv]!) convLast[conv] = r;
      if ((index.marks(r) & Mark.Fragment) !== 0) fragments = true;
    }
    // Which rows to replay: one scan of the stream and marks columns. References to later packets
    // need the rest of each conversation too (`later`: for the first pass only).
    const order: number[] = [];
    const later: number[] = [];
    const scanEnd = wantsLater === true ? index.count : last + 1;
    for (let ci = 0; ci <= (scanEnd - 1) >>> CHUNK_BITS; ci++) {
      const c = index.chunk(ci)!;
      const base = ci << CHUNK_BITS;
      const n = Math.min(CHUNK_ROWS, scanEnd - base);
      for (let i = 0; i < n; i++) {
        const row = base + i;
        const conv = c.stream[i]!;
        const known = conv >= 0 && conv < convLast.length && convLast[conv]! >= 0;
        if (row <= last && (wanted[row] === 1 || (known && row <= convLast[conv]!) || (fragments && (c.marks[i]! & Mark.Fragment) !== 0))) {
          order.push(row);
          if (wantsLater === true) later.push(row);
        } else if (wantsLater === true && known) later.push(row);
      }
    }
    const streamAt = new Map<number, number>();
    for (let id = 0; id < convLast.length; id++) {
      if (convLast[id]! >= 0) streamAt.set(conversations.firstRow(id), conversations.stream(id));
    }
    const frameTimes = (row: number): { firstSec: number; firstNsec: number; prevSec: number; prevNsec: number } => ({
      firstSec: index.tsSec(0),
      firstNsec: index.tsNsec(0),
      prevSec: index.tsSec(row > 0 ? row - 1 : 0),
      prevNsec: index.tsNsec(row > 0 ? row - 1 : 0),
    });
    const common = {
      // Trees are read and dropped one by one: parsers need not keep per-record objects.
      summaryOnly: true,
      ...(src.tlsKeys !== undefined ? { tlsKeys: src.tlsKeys } : {}),
      ...analyzerOptions,
      frameTimes,
      streamOf: (row: number) => streamAt.get(row),
    };
    let laterFrames: LaterFrames | undefined;
    if (wantsLater === true) {
      // tshark -2's first pass: no trees, just where the wanted rows' PDUs and answers completed.
      laterFrames = new LaterFrames((row) => row <= last && wanted[row] === 1);
      const first = new Analyzer({ ...common, laterFrames, rowOf: (local) => later[local]! });
      await feed(src, first, later, batch, signal, () => onProgress?.(0, total));
    }
    let delivered = 0;
    const analyzer = new Analyzer({
      ...common,
      ...(laterFrames !== undefined ? { laterFrames } : {}),
      rowOf: (local) => order[local]!,
      tree: (row) => row <= last && wanted[row] === 1,
      onPacket: (p, row) => {
        if (p.tree !== null && row <= last && wanted[row] === 1) {
          delivered++;
          visit(row, p.tree);
        }
      },
    });
    await feed(src, analyzer, order, batch, signal, () => onProgress?.(delivered, total));
    onProgress?.(delivered, total);
  };
}

/** Replays `order` into `analyzer` and ends its pass, yielding to the event loop every `batch` packets. */
async function feed(src: ReplaySource, analyzer: Analyzer, order: readonly number[], batch: number, signal: AbortSignal | undefined, progress: () => void): Promise<void> {
  for (const iface of src.interfaces) analyzer.onInterface(iface);
  const rec = newPacketRecord();
  for (let k = 0; k < order.length; k++) {
    analyzer.onPacket(recordOf(src, order[k]!, rec));
    if ((k + 1) % batch === 0) {
      progress();
      await new Promise<void>((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
    }
  }
  analyzer.finish();
}
