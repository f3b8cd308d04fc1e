// The slow path: a test's answer from a packet's field tree, for what the index cannot tell.

import type { DataSource, FieldNode, Layer } from '../dissect/tree';
import type { FieldInfo } from './catalogue';
import { absTimeNs, unescapeShown, hexToBytes, parseEther, parseInteger, parseIpv4, parseIpv6, parseSecondsNs, type Scalar } from './values';

/** A packet's dissection as the filter reads it (a TreeBuilder fits). */
export interface PacketTree {
  readonly layers: readonly Layer[];
  /** Data sources (frame, reassembled, decrypted), for protocol bytes (`frame contains "GET"`). */
  readonly sources?: readonly DataSource[];
}

/** A protocol layer, or a field (or a quoted protocol nested in ICMP) of the tree. */
type Occurrence = FieldNode | Layer;

/** The occurrences of the names a filter uses, gathered in one walk of a tree. */
export class Occurrences {
  private readonly found = new Map<string, Occurrence[]>();

  constructor(
    readonly tree: PacketTree,
    wanted: ReadonlySet<string>,
  ) {
    const malformed = wanted.has('_ws.malformed');
    for (const layer of tree.layers) {
      if (wanted.has(layer.protocol)) this.add(layer.protocol, layer);
      // Wireshark's [Malformed Packet] item: here the damaged layer stands for it.
      if (malformed && layer.malformed !== null) this.add('_ws.malformed', layer);
      this.walk(layer.fields, wanted);
    }
  }

  private add(name: string, o: Occurrence): void {
    const list = this.found.get(name);
    if (list === undefined) this.found.set(name, [o]);
    else list.push(o);
  }

  private walk(nodes: readonly FieldNode[], wanted: ReadonlySet<string>): void {
    for (const n of nodes) {
      if (wanted.has(n.name)) this.add(n.name, n);
      if (n.children !== null) this.walk(n.children, wanted);
    }
  }

  /** Occurrences of a field (both halves of a combined field such as ip.addr). */
  of(field: FieldInfo): Occurrence[] {
    if (field.treeNames.length === 1) return this.found.get(field.treeNames[0]!) ?? [];
    const out: Occurrence[] = [];
    for (const n of field.treeNames) {
      const list = this.found.get(n);
      if (list !== undefined) out.push(...list);
    }
    return out;
  }

  /**
   * A slice of each occurrence's bytes (Wireshark's `field[i:j]`): a protocol's bytes run to the end
   * of its data source, a field's are those it covers. Occurrences the slice falls outside of give none.
   */
  sliced(field: FieldInfo, start: number, length: number | null): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const o of this.of(field)) {
      const src = this.tree.sources?.[o.source];
      if (src === undefined) continue;
      const whole = !('name' in o) || field.type === 'protocol' ? src.bytes.subarray(o.start) : src.bytes.subarray(o.start, o.start + o.length);
      const from = start < 0 ? whole.length + start : start;
      const to = length === null ? whole.length : from + length;
      if (from < 0 || to > whole.length || to <= from) continue;
      out.push(whole.subarray(from, to));
    }
    return out;
  }

  /** The comparable values of a field's occurrences (those that have one). */
  values(field: FieldInfo): Scalar[] {
    const out: Scalar[] = [];
    for (const o of this.of(field)) {
      const v = scalarOf(field, o, this.tree);
      if (v !== null) out.push(v);
    }
    return out;
  }
}

/** The value of one occurrence in the form the field type compares in (values.ts Scalar). */
function scalarOf(field: FieldInfo, o: Occurrence, tree: PacketTree): Scalar | null {
  if (!('name' in o) || field.type === 'protocol') {
    // A protocol's value is its bytes up to the end of its data source, as Wireshark's tvb.
    const src = tree.sources?.[o.source];
    return src === undefined ? null : src.bytes.subarray(o.start);
  }
  const v = o.value;
  if (v === null) return null;
  switch (field.type) {
    case 'uint':
    case 'int':
    case 'framenum':
    case 'float':
      if (typeof v === 'number') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      return parseInteger(v) ?? (Number.isFinite(Number(v)) ? Number(v) : null);
    case 'bool':
      return v === true || v === 1 || v === '1' ? 1 : 0;
    case 'ipv4':
      return typeof v === 'number' ? v >>> 0 : parseIpv4(String(v));
    case 'ipv6':
      return parseIpv6(String(v));
    case 'ether':
      return typeof v === 'number' ? v : parseEther(String(v));
    case 'reltime':
      return typeof v === 'number' ? v * 1e9 : parseSecondsNs(String(v));
    case 'abstime':
      return typeof v === 'number' ? v * 1e9 : absTimeNs(String(v));
    case 'string':
      return unescapeShown(String(v));
    case 'bytes':
      return hexToBytes(String(v));
    default:
      return null;
  }
}
