// What a display filter reads of an open capture: its index, addresses and conversations for the
// fast path, and replayed field trees (from the packets' bytes) for the rest.

import type { InterfaceInfo } from '../io/types';
import type { AddressTable } from '../io/address-table';
import type { PacketIndex } from '../io/packet-index';
import type { ConversationList } from './index-terms';
import { replayTrees, type ReplayTreesOptions } from './replay-trees';
import type { FilterSource } from './run';
import type { TlsKeyStore } from '../tls/keys/key-store';

/** An open capture as the engine service holds one (CaptureSession fits). */
export interface FilterableCapture {
  readonly analyzer: {
    readonly index: PacketIndex;
    readonly addresses: AddressTable;
    readonly interfaces: readonly InterfaceInfo[];
    readonly flows: { readonly store: ConversationList };
    readonly tlsKeys?: TlsKeyStore;
  };
  /** A packet's bytes, read by its index entry. */
  bytes(row: number): Uint8Array;
  /** A packet's comments as the user sees them (edits included). */
  comments(row: number): readonly string[];
}

/** The filter source of a capture; `opts` are the analysis options replays use (app parsers…). */
export function captureFilterSource(capture: FilterableCapture, opts: ReplayTreesOptions = {}): FilterSource {
  const { index, addresses, interfaces, flows } = capture.analyzer;
  const replay = {
    index,
    interfaces,
    bytes: (row: number) => capture.bytes(row),
    comments: (row: number) => [...capture.comments(row)],
    ...(capture.analyzer.tlsKeys !== undefined ? { tlsKeys: capture.analyzer.tlsKeys } : {}),
  };
  return {
    index,
    addresses,
    conversations: flows.store,
    comments: (row) => capture.comments(row),
    trees: replayTrees(replay, flows.store, opts),
  };
}
