// Test helpers for the network-layer dissectors: frames from corpus captures, several packets
// through one reused Packet slot (with a shared Defragmenter), and the every-prefix check.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { defaultRegistry } from '../../../src/core/dissect/all';
import { dissect } from '../../../src/core/dissect/dissect';
import type { Defragmenter } from '../../../src/core/dissect/ip-defrag';
import { Packet } from '../../../src/core/dissect/packet';
import type { Registry } from '../../../src/core/dissect/registry';
import { TreeBuilder, walkFields, type FieldNode, type Layer } from '../../../src/core/dissect/tree';
import { readCaptureBytes } from '../../../src/core/io/capture-reader';
import { dissectFrame } from '../../helpers/dissect';

export const corpus = join(__dirname, '..', '..', '..', '..', 'shared', 'corpus');

export interface Frame {
  bytes: Uint8Array;
  linkType: number;
}

/** Every frame of a corpus capture (path relative to the corpus), copied out of the reader's chunk. */
export function readFrames(path: string): Frame[] {
  const frames: Frame[] = [];
  const linkTypes: number[] = [];
  readCaptureBytes(readFileSync(join(corpus, path)), {
    onInterface: (iface) => {
      linkTypes[iface.id] = iface.linkType;
    },
    onPacket: (rec) => {
      frames.push({ bytes: rec.data.slice(rec.dataOffset, rec.dataOffset + rec.caplen), linkType: linkTypes[rec.iface] ?? 1 });
    },
  });
  return frames;
}

/** What one packet of a sequence left in the slot, and its tree. */
export interface Result {
  number: number;
  top: number;
  net: number;
  l4: number;
  srcPort: number;
  dstPort: number;
  payloadLength: number;
  payloadWireLength: number;
  tunnelDepth: number;
  marks: number;
  malformed: string | null;
  layers: Layer[];
  /** The slot's bytes after dissection (reassembled datagrams switch them), and offsets into them. */
  buf: Uint8Array;
  start: number;
  end: number;
  payloadOffset: number;
  macSrc: number;
  src6: number;
  dst6: number;
  values(name: string): string[];
  node(name: string): FieldNode | undefined;
}

/**
 * Runs frames in order through ONE Packet slot, as the analysis pass does, with `defrag` shared
 * by all of them. `tree` builds field trees (the tree path); otherwise the fast path runs.
 */
export function dissectSequence(frames: readonly Frame[], opts: { defrag: Defragmenter | null; tree: boolean; registry?: Registry; firstNumber?: number }): Result[] {
  const p = new Packet();
  p.defrag = opts.defrag;
  const registry = opts.registry ?? defaultRegistry();
  const results: Result[] = [];
  frames.forEach((f, i) => {
    p.reset(f.bytes, 0, f.bytes.length, f.bytes.length, f.linkType);
    p.number = (opts.firstNumber ?? 1) + i;
    p.tree = opts.tree ? new TreeBuilder(f.bytes) : null;
    dissect(p, registry);
    const layers = p.tree?.layers ?? [];
    results.push({
      number: p.number,
      top: p.top,
      net: p.net,
      l4: p.l4,
      srcPort: p.srcPort,
      dstPort: p.dstPort,
      payloadLength: p.payloadLength,
      payloadWireLength: p.payloadWireLength,
      tunnelDepth: p.tunnelDepth,
      marks: p.marks,
      malformed: p.malformed,
      layers,
      buf: p.buf,
      start: p.start,
      end: p.end,
      payloadOffset: p.payloadOffset,
      macSrc: p.macSrc,
      src6: p.src6,
      dst6: p.dst6,
      values: (name) => [...walkFields(layers)].filter((n) => n.name === name).map((n) => n.text),
      node: (name) => [...walkFields(layers)].find((n) => n.name === name),
    });
  });
  return results;
}

/** `tshark -T fields -e NAME` for one field: the values joined with commas. */
export function fieldText(r: { values(name: string): string[] }, name: string): string {
  return r.values(name).join(',');
}

/** Every prefix of the frame decodes on both paths without throwing. */
export function expectEveryPrefixDecodes(frame: Frame): void {
  for (let n = 0; n <= frame.bytes.length; n++) {
    const cut = frame.bytes.subarray(0, n);
    expect(() => dissectFrame(cut, frame.linkType, true)).not.toThrow();
    expect(() => dissectFrame(cut, frame.linkType)).not.toThrow();
  }
}
