// Re-runs the analysis over a subset of a capture's rows (one conversation, or one packet) from
// their file offsets, with field trees where asked: how the detail pane and the ladder get
// per-packet context without the full pass keeping it for every packet.

import { Analyzer, type AnalyzerOptions } from './analyzer';
import type { Packet } from '../dissect/packet';
import type { PacketIndex } from '../io/packet-index';
import { newPacketRecord } from '../io/record-parser';
import type { InterfaceInfo, PacketRecord } from '../io/types';
import type { TlsKeyStore } from '../tls/keys/key-store';

export interface ReplaySource {
  index: PacketIndex;
  interfaces: readonly InterfaceInfo[];
  /** Bytes of a row, read from the capture by its offset. */
  bytes(row: number): Uint8Array;
  comments(row: number): string[];
  /** The capture's TLS keys (loaded key files and its DSBs): replays decrypt as the full pass did. */
  tlsKeys?: TlsKeyStore;
}

export interface ReplayOptions extends Omit<AnalyzerOptions, 'tree' | 'onPacket' | 'rowOf'> {
  /**
   * Rows to replay, in order (ascending, but for a deliberate revisit). A row that completed an IP
   * datagram is preceded by the rows of its other fragments, so it is reassembled as in the full pass.
   */
  rows: readonly number[];
  /** Build the tree for this row (capture row), if any. */
  treeRow?: number;
  /** Build trees for every replayed row. */
  allTrees?: boolean;
  onPacket?: (p: Packet, row: number) => void;
  /** Called after each row: true ends the replay there (the rest of `rows` is not read). */
  stopAfter?: (row: number) => boolean;
}

/** Replays `rows` and returns the analyzer that saw them (its conversations describe just these rows). */
export function replay(src: ReplaySource, opts: ReplayOptions): Analyzer {
  const { rows, treeRow, allTrees, onPacket, stopAfter, ...rest } = opts;
  const index = src.index;
  const order = withFragments(index, rows);
  const analyzer = new Analyzer({
    ...(src.tlsKeys !== undefined ? { tlsKeys: src.tlsKeys } : {}),
    ...rest,
    // A replay is read through its conversation objects.
    compact: false,
    rowOf: (local) => order[local]!,
    tree: allTrees === true ? true : treeRow === undefined ? false : (row) => row === treeRow,
    frameTimes: (row) => ({
      firstSec: index.tsSec(0),
      firstNsec: index.tsNsec(0),
      prevSec: index.tsSec(row > 0 ? row - 1 : 0),
      prevNsec: index.tsNsec(row > 0 ? row - 1 : 0),
    }),
    onPacket,
  });
  for (const iface of src.interfaces) analyzer.onInterface(iface);
  const rec = newPacketRecord();
  for (const row of order) {
    analyzer.onPacket(recordOf(src, row, rec));
    if (stopAfter?.(row) === true) break;
  }
  analyzer.finish();
  return analyzer;
}

/** Row `row` of the capture as a record to analyse again (in `rec`, reused). */
export function recordOf(src: ReplaySource, row: number, rec: PacketRecord): PacketRecord {
  const index = src.index;
  const bytes = src.bytes(row);
  const comments = src.comments(row);
  rec.data = bytes;
  rec.dataOffset = 0;
  rec.caplen = bytes.length;
  rec.wirelen = index.wirelen(row);
  rec.tsSec = index.tsSec(row);
  rec.tsNsec = index.tsNsec(row);
  rec.iface = index.iface(row);
  rec.dataFileOffset = index.fileOffset(row);
  rec.comments = comments.length > 0 ? comments : null;
  return rec;
}

/**
 * `rows` with the fragments each datagram was reassembled from placed just before the row that
 * completed it (a fragment belongs to one datagram; a row given explicitly is replayed where it is
 * given too).
 */
export function withFragments(index: PacketIndex, rows: readonly number[]): readonly number[] {
  const fragments = index.fragmentRows;
  if (fragments.size === 0) return rows;
  let out: number[] | null = null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const before = fragments.get(row);
    if (before !== undefined) {
      out ??= rows.slice(0, i);
      out.push(...before);
    }
    if (out !== null) out.push(row);
  }
  return out ?? rows;
}
