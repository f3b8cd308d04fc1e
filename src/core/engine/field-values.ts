// Field values per packet by Wireshark name, as `tshark -T fields` extracts them.

import type { Packet } from '../dissect/packet';
import { walkFields } from '../dissect/tree';
import { readCaptureFile, type ReadOptions, type ReadResult } from '../io/capture-reader';
import { Analyzer } from './analyzer';
import { ColumnReader, isColumnField } from './columns';
import type { TlsKeyStore } from '../tls/keys/key-store';
import { LaterFrames } from '../flow/later-frames';

/** Names the analysis pass does not know (tshark: "Some fields aren't valid"); columns are known. */
export function unknownFields(names: readonly string[]): string[] {
  const registry = new Analyzer().registry;
  return names.filter((n) => registry.field(n) === undefined && !isColumnField(n));
}

export interface ExtractOptions {
  /** Only packets this accepts get a row (a display filter, judged in the same pass). */
  accept?: (p: Packet, row: number, analyzer: Analyzer) => boolean;
  /** Keys that decrypt TLS (key logs, RSA keys), besides the capture's own secrets. */
  tlsKeys?: TlsKeyStore;
  /** Frame references to later packets, recorded by a first pass (laterFramesOf): tshark -2. */
  laterFrames?: LaterFrames;
}

/**
 * tshark -2's first pass: reads `file` without trees and records every packet's references to
 * later ones (tcp.reassembled_in, http.response_in), for extractFields to show.
 */
export async function laterFramesOf(file: string, opts: { tlsKeys?: TlsKeyStore } = {}, readOptions: ReadOptions = {}): Promise<LaterFrames> {
  const laterFrames = new LaterFrames();
  const analyzer = new Analyzer({ ...(opts.tlsKeys !== undefined ? { tlsKeys: opts.tlsKeys } : {}), laterFrames });
  await readCaptureFile(file, analyzer, readOptions);
  analyzer.finish();
  return laterFrames;
}

/**
 * Reads `file` on the tree path and calls `onRow` with every occurrence of each wanted field,
 * in tree order, for each packet.
 */
export async function extractFields(
  file: string,
  names: readonly string[],
  onRow: (values: (string[] | undefined)[], row: number) => void,
  opts: ExtractOptions = {},
  readOptions: ReadOptions = {},
): Promise<ReadResult> {
  const position = new Map<string, number>();
  names.forEach((n, i) => {
    if (!position.has(n)) position.set(n, i);
  });
  const accept = opts.accept ?? null;
  const columnNames = names.filter(isColumnField);
  const analyzer: Analyzer = new Analyzer({
    ...(opts.tlsKeys !== undefined ? { tlsKeys: opts.tlsKeys } : {}),
    ...(opts.laterFrames !== undefined ? { laterFrames: opts.laterFrames } : {}),
    tree: true,
    onPacket: (p, row) => {
      if (accept !== null && !accept(p, row, analyzer)) return;
      const values: (string[] | undefined)[] = new Array(names.length);
      // Columns (_ws.col.*) as tshark fills them for the packet.
      for (const name of columnNames) values[position.get(name)!] = [columns.text(name, p, row)];
      for (const node of walkFields(p.tree!.layers)) {
        const i = position.get(node.name);
        if (i === undefined) continue;
        const list = values[i];
        if (list === undefined) values[i] = [node.text];
        else list.push(node.text);
      }
      // A name asked for twice gets the same values in both columns.
      names.forEach((n, i) => {
        const first = position.get(n)!;
        if (first !== i) values[i] = values[first];
      });
      onRow(values, row);
    },
  });
  const columns = new ColumnReader(analyzer);
  const result = await readCaptureFile(file, analyzer, readOptions);
  analyzer.finish();
  return result;
}
