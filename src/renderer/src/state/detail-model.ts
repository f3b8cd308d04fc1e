// Packet-detail helpers: OSI and TCP/IP groupings, field keys, and byte ↔ field lookups.

import type { FieldNodeDto, LayerDto, OsiLayerNumber, PacketDetail } from '../../../shared/api';

export type LayerModel = 'osi' | 'tcpip';

/** A selected field or layer: its key in the tree and the bytes it covers. */
export interface FieldSelection {
  key: string;
  source: number;
  start: number;
  length: number;
}

export const osiNames: Record<OsiLayerNumber, string> = {
  1: 'Physical · frame',
  2: 'Data link',
  3: 'Network',
  4: 'Transport',
  5: 'Session / Presentation',
  7: 'Application',
};

export const osiBadge = (osi: OsiLayerNumber): string => (osi === 5 ? 'L5–6' : `L${osi}`);

export interface StackGroup {
  /** 'L1'…'L7' or the TCP/IP layer name. */
  badge: string;
  name: string;
  /** OSI numbers the group covers. */
  osi: OsiLayerNumber[];
  layers: { layer: LayerDto; index: number }[];
}

const tcpipGroups: { badge: string; name: string; osi: OsiLayerNumber[] }[] = [
  { badge: 'Link', name: 'Network access (OSI 1–2)', osi: [1, 2] },
  { badge: 'Internet', name: 'Internet (OSI 3)', osi: [3] },
  { badge: 'Transport', name: 'Transport (OSI 4)', osi: [4] },
  { badge: 'Application', name: 'Application (OSI 5–7)', osi: [5, 7] },
];

/** Cards of the layer stack: one per OSI layer present, or the four TCP/IP layers. */
export function stackGroups(detail: PacketDetail, model: LayerModel): StackGroup[] {
  const indexed = detail.layers.map((layer, index) => ({ layer, index }));
  if (model === 'tcpip') {
    return tcpipGroups.map((g) => ({ ...g, layers: indexed.filter((l) => g.osi.includes(l.layer.osi)) }));
  }
  const order: OsiLayerNumber[] = [1, 2, 3, 4, 5, 7];
  return order.map((osi) => ({ badge: osiBadge(osi), name: osiNames[osi], osi: [osi], layers: indexed.filter((l) => l.layer.osi === osi) }));
}

export const layerKey = (layerIndex: number): string => `${layerIndex}`;
export const fieldKey = (parent: string, i: number): string => `${parent}.${i}`;

/** The field or layer a key names. */
export function selectionOf(detail: PacketDetail, key: string): FieldSelection | null {
  const parts = key.split('.').map(Number);
  const layer = detail.layers[parts[0] ?? -1];
  if (layer === undefined) return null;
  if (parts.length === 1) return { key, source: layer.source, start: layer.start, length: layer.length };
  let list: FieldNodeDto[] | undefined = layer.fields;
  let node: FieldNodeDto | undefined;
  for (const i of parts.slice(1)) {
    node = list?.[i];
    if (node === undefined) return null;
    list = node.children;
  }
  return node === undefined ? null : { key, source: node.source, start: node.start, length: node.length };
}

/** The most specific field covering byte `offset` of `source` (else its layer), like Wireshark. */
export function fieldAt(detail: PacketDetail, source: number, offset: number): FieldSelection | null {
  let best: FieldSelection | null = null;
  const consider = (key: string, s: number, start: number, length: number): void => {
    if (s !== source || length <= 0 || offset < start || offset >= start + length) return;
    if (best === null || length <= best.length) best = { key, source: s, start, length };
  };
  const walk = (nodes: FieldNodeDto[] | undefined, parent: string): void => {
    nodes?.forEach((n, i) => {
      const key = fieldKey(parent, i);
      consider(key, n.source, n.start, n.length);
      walk(n.children, key);
    });
  };
  detail.layers.forEach((layer, li) => {
    consider(layerKey(li), layer.source, layer.start, layer.length);
    walk(layer.fields, layerKey(li));
  });
  return best;
}

/** Keys of a field's ancestors (to expand them when a byte click selects it). */
export function ancestorKeys(key: string): string[] {
  const parts = key.split('.');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('.'));
  return out;
}
