// Field values per packet by Wireshark name, as `tshark -T fields` extracts them.

import { walkFields } from '../dissect/tree';
import { readCaptureFile, type ReadResult } from '../io/capture-reader';
import { Analyzer } from './analyzer';
import type { TlsKeyStore } from '../tls/keys/key-store';

/** Names the analysis pass does not know (tshark: "Some fields aren't valid"). */
export function unknownFields(names: readonly string[]): string[] {
  const registry = new Analyzer().registry;
  return names.filter((n) => registry.field(n) === undefined);
}

/**
 * Reads `file` on the tree path and calls `onRow` with every occurrence of each wanted field,
 * in tree order, for each packet.
 */
export async function extractFields(
  file: string,
  names: readonly string[],
  onRow: (values: (string[] | undefined)[], row: number) => void,
  opts: { tlsKeys?: TlsKeyStore } = {},
): Promise<ReadResult> {
  const position = new Map<string, number>();
  names.forEach((n, i) => {
    if (!position.has(n)) position.set(n, i);
  });
  const analyzer = new Analyzer({
    ...opts,
    tree: true,
    onPacket: (p, row) => {
      const values: (string[] | undefined)[] = new Array(names.length);
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
  const result = await readCaptureFile(file, analyzer);
  analyzer.finish();
  return result;
}
