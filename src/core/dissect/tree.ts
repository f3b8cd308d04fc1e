// The field tree of one packet (the detail pane): layers of named fields with byte ranges.

import { displayValue, fieldsText, type FieldDef, type FieldValue } from './fields';

/** OSI layer a protocol belongs to; 5 stands for the session/presentation pair (TLS). */
export type OsiLayer = 1 | 2 | 3 | 4 | 5 | 7;

export interface FieldNode {
  /** Wireshark field name, or '' for a text-only line. */
  name: string;
  /** What the detail pane shows, e.g. `Source Port: 443`. */
  label: string;
  value: FieldValue;
  /** What `tshark -T fields` prints for it. */
  text: string;
  /** Byte range inside data source `source` (0 is the frame itself). */
  start: number;
  length: number;
  source: number;
  children: FieldNode[] | null;
  /** Set on expert-info style warnings (bad checksum, malformed). */
  warning?: string;
  /**
   * A field that exists for filters and `-T fields` but is not drawn in the tree (Wireshark's
   * PROTO_ITEM_SET_HIDDEN, e.g. http.request.line beside each named header).
   */
  hidden?: boolean;
}

export interface Layer {
  protocol: string;
  title: string;
  osi: OsiLayer;
  start: number;
  length: number;
  source: number;
  fields: FieldNode[];
  malformed: string | null;
}

export interface DataSource {
  /** 'Frame', 'Reassembled TCP', 'Reassembled IPv4', 'Decrypted TLS'… */
  name: string;
  bytes: Uint8Array;
}

export class TreeBuilder {
  readonly layers: Layer[] = [];
  readonly sources: DataSource[] = [];
  /** Current data source for new layers and fields. */
  source = 0;
  private layer: Layer | null = null;
  private readonly stack: FieldNode[][] = [];

  constructor(frame: Uint8Array) {
    this.sources.push({ name: 'Frame', bytes: frame });
  }

  /** Adds a data source (reassembled or decrypted bytes) and makes it current. */
  addSource(name: string, bytes: Uint8Array): number {
    this.sources.push({ name, bytes });
    this.source = this.sources.length - 1;
    return this.source;
  }

  /** Starts a new protocol layer; fields added next belong to it. */
  begin(protocol: string, title: string, osi: OsiLayer, start: number, length: number): Layer {
    const layer: Layer = { protocol, title, osi, start, length, source: this.source, fields: [], malformed: null };
    this.layers.push(layer);
    this.layer = layer;
    this.stack.length = 0;
    this.stack.push(layer.fields);
    return layer;
  }

  /** The layer being built. */
  current(): Layer | null {
    return this.layer;
  }

  /** Finds the last layer of a protocol (for late additions such as TCP analysis). */
  find(protocol: string): Layer | null {
    for (let i = this.layers.length - 1; i >= 0; i--) if (this.layers[i]!.protocol === protocol) return this.layers[i]!;
    return null;
  }

  /** Re-opens an existing layer so fields can be appended to it. */
  resume(layer: Layer): void {
    this.layer = layer;
    this.stack.length = 0;
    this.stack.push(layer.fields);
  }

  /** Adds a field whose label is made from its definition: `Title: value`. */
  add(def: FieldDef, value: FieldValue, start: number, length: number, display?: string): FieldNode {
    const shown = display ?? displayValue(def, value);
    return this.push({
      name: def.name,
      label: shown === '' ? def.title : `${def.title}: ${shown}`,
      value,
      text: fieldsText(def, value),
      start,
      length,
      source: this.source,
      children: null,
    });
  }

  /** Adds a field with a label written in full (Wireshark's proto_tree_add_*_format). */
  addLabelled(def: FieldDef, value: FieldValue, start: number, length: number, label: string): FieldNode {
    return this.push({ name: def.name, label, value, text: fieldsText(def, value), start, length, source: this.source, children: null });
  }

  /** Adds a text-only line (no field name). */
  text(label: string, start: number, length: number): FieldNode {
    return this.push({ name: '', label, value: null, text: '', start, length, source: this.source, children: null });
  }

  /** Adds a field and makes it the parent of what follows until close(). */
  open(def: FieldDef, value: FieldValue, start: number, length: number, display?: string): FieldNode {
    const node = this.add(def, value, start, length, display);
    this.descend(node);
    return node;
  }

  /** Adds a text-only subtree and makes it the parent. */
  openText(label: string, start: number, length: number): FieldNode {
    const node = this.text(label, start, length);
    this.descend(node);
    return node;
  }

  close(): void {
    if (this.stack.length > 1) this.stack.pop();
  }

  /**
   * Marks the current layer malformed (the first reason wins, as Wireshark's [Malformed Packet]) and
   * shows where: a `[Malformed: reason]` line over the damaged bytes (the layer's, unless given), so
   * the bytes are visible in the tree and the hex view.
   */
  malformed(reason: string, start?: number, length?: number, source?: number): void {
    const layer = this.layer;
    if (layer === null) return;
    if (layer.malformed === null) layer.malformed = reason;
    const node: FieldNode = {
      name: '_ws.malformed',
      label: `[Malformed: ${reason}]`,
      value: null,
      text: '',
      start: start ?? layer.start,
      length: length ?? layer.length,
      source: source ?? (start !== undefined ? this.source : layer.source),
      children: null,
      warning: reason,
    };
    layer.fields.push(node);
  }

  /** Adds a field that filters and `-T fields` see but the tree does not draw (Wireshark's hidden items). */
  addHidden(def: FieldDef, value: FieldValue, start: number, length: number, label: string): FieldNode {
    const node = this.addLabelled(def, value, start, length, label);
    node.hidden = true;
    return node;
  }

  /** Attaches an expert warning to a node. */
  warn(node: FieldNode, warning: string): void {
    node.warning = warning;
  }

  private descend(node: FieldNode): void {
    node.children = [];
    this.stack.push(node.children);
  }

  private push(node: FieldNode): FieldNode {
    const top = this.stack[this.stack.length - 1];
    if (top !== undefined) top.push(node);
    return node;
  }
}

/** Every field of a tree, depth first, in order (for `tshark -T fields` style output). */
export function* walkFields(layers: readonly Layer[]): Generator<FieldNode> {
  const stack: FieldNode[][] = [];
  for (const layer of layers) {
    stack.push(layer.fields);
    while (stack.length > 0) {
      const list = stack.pop()!;
      for (let i = 0; i < list.length; i++) {
        const n = list[i]!;
        yield n;
        if (n.children !== null && n.children.length > 0) {
          // Depth-first in document order: finish this child's subtree before its next sibling.
          stack.push(list.slice(i + 1));
          stack.push(n.children);
          break;
        }
      }
    }
  }
}
