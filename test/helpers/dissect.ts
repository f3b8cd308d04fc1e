// Test helper: dissect raw frame bytes on the tree path and look fields up by name.

import { defaultRegistry } from '../../src/core/dissect/all';
import { dissect } from '../../src/core/dissect/dissect';
import { Packet } from '../../src/core/dissect/packet';
import { TreeBuilder, walkFields, type FieldNode, type Layer } from '../../src/core/dissect/tree';

export interface Dissected {
  packet: Packet;
  layers: Layer[];
  /** Every value of a field, as `tshark -T fields` would print it. */
  values(name: string): string[];
  /** The first node with this field name. */
  node(name: string): FieldNode | undefined;
}

/** Decodes one frame (tree path) and returns the slot and its layers. */
export function dissectFrame(bytes: Uint8Array, linkType: number, fast = false): Dissected {
  const p = new Packet();
  p.reset(bytes, 0, bytes.length, bytes.length, linkType);
  p.number = 1;
  p.tree = fast ? null : new TreeBuilder(bytes);
  dissect(p, defaultRegistry());
  const layers = p.tree?.layers ?? [];
  return {
    packet: p,
    layers,
    values: (name) => [...walkFields(layers)].filter((n) => n.name === name).map((n) => n.text),
    node: (name) => [...walkFields(layers)].find((n) => n.name === name),
  };
}

/** Bytes from a hex string with optional whitespace and comments after `#` on each line. */
export function hexToBytes(text: string): Uint8Array {
  const clean = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join('')
    .replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return out;
}
