// Test helpers: the frames of a capture in the shared corpus (../shared/corpus), copied out of the
// reader's chunk with their link type; the "every prefix" check every dissector test runs; and one
// dissector's decode on its own, to see the hand-off it names.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Dissector } from '../../src/core/dissect/dissector';
import { Mark, Packet } from '../../src/core/dissect/packet';
import { readCaptureBytes } from '../../src/core/io/capture-reader';
import { dissectFrame } from './dissect';

export interface CorpusFrame {
  bytes: Uint8Array;
  wirelen: number;
  linkType: number;
}

const corpusRoot = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/** Every frame of `corpus/<path>` (e.g. `zeek/http-vlan-0.pcap`, gzipped ones too), in file order. */
export function corpusFrames(path: string): CorpusFrame[] {
  const frames: CorpusFrame[] = [];
  const linkTypes: number[] = [];
  const raw = readFileSync(corpusRoot + path);
  readCaptureBytes(new Uint8Array(path.endsWith('.gz') ? gunzipSync(raw) : raw), {
    onInterface(iface) {
      linkTypes[iface.id] = iface.linkType;
    },
    onPacket(rec) {
      frames.push({
        bytes: rec.data.slice(rec.dataOffset, rec.dataOffset + rec.caplen),
        wirelen: rec.wirelen,
        linkType: linkTypes[rec.iface] ?? 1,
      });
    },
  });
  return frames;
}

/** Frame `n` (1-based, as tshark numbers them) of a corpus capture. */
export function corpusFrame(path: string, n: number): CorpusFrame {
  const f = corpusFrames(path)[n - 1];
  if (f === undefined) throw new Error(`${path} has no frame ${n}`);
  return f;
}

/**
 * Cuts `bytes` after every length from 0 up: both paths must decode each prefix without throwing,
 * every prefix shorter than `malformedBelow` must be marked malformed, and every prefix of at least
 * `completeFrom` bytes must not be (the layers are whole; what follows is padding or a trailer).
 * Between the two, what the cut does is up to the dissectors above the ones under test.
 */
export function expectEveryPrefixHandled(
  bytes: Uint8Array,
  linkType: number,
  malformedBelow: number = bytes.length,
  completeFrom: number = bytes.length,
): void {
  expect(dissectFrame(bytes, linkType).packet.marks & Mark.Malformed).toBe(0);
  for (let n = 0; n < bytes.length; n++) {
    const cut = bytes.slice(0, n);
    const slow = dissectFrame(cut, linkType).packet.marks & Mark.Malformed;
    const fast = dissectFrame(cut, linkType, true).packet.marks & Mark.Malformed;
    expect(fast, `prefix of ${n} bytes: fast and tree paths agree`).toBe(slow);
    if (n < malformedBelow) expect(slow, `prefix of ${n} bytes`).toBe(Mark.Malformed);
    if (n >= completeFrom) expect(slow, `prefix of ${n} bytes`).toBe(0);
  }
}

/** Runs only `dissector.decode` over the whole of `bytes` (fast path) and returns the slot and payload offset. */
export function decodeOne(dissector: Dissector, bytes: Uint8Array, linkType = 1): { packet: Packet; payload: number } {
  const packet = new Packet();
  packet.reset(bytes, 0, bytes.length, bytes.length, linkType);
  const payload = dissector.decode(packet, 0, bytes.length);
  return { packet, payload };
}
