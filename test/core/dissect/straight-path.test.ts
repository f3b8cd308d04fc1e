// The Ethernet/IPv4/TCP straight path (dissect.ts) must leave the slot exactly as the general chain
// of dissectors does: every corpus frame goes through both, each with its own slot and IP
// defragmenter, and every field of the two slots is compared.

import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../src/core/dissect/all';
import { dissect, dissectChain, ethernetIpv4Tcp } from '../../../src/core/dissect/dissect';
import { Defragmenter } from '../../../src/core/dissect/ip-defrag';
import { LinkType } from '../../../src/core/dissect/link-types';
import { Packet } from '../../../src/core/dissect/packet';
import { corpusFrames } from '../../helpers/corpus-frames';

const corpusRoot = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));

function captures(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...captures(path));
    else if (/\.(pcap|pcapng|cap)(\.gz)?$/.test(name)) out.push(relative(corpusRoot, path));
  }
  return out.sort();
}

/**
 * Every own field of the slot except the references it holds (buffer, view, tree, tables) and the
 * general loop's own hand-off bookkeeping (nextTable/nextKey/nextEnd, read by nothing after it).
 */
const skipped = new Set(['buf', 'view', 'tree', 'registry', 'defrag', 'nextTable', 'nextKey', 'nextEnd']);
function snapshot(p: Packet): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (skipped.has(k)) continue;
    out[k] = v instanceof Uint32Array ? Array.from(v) : v;
  }
  return out;
}

function slot(): Packet {
  const p = new Packet();
  p.defrag = new Defragmenter();
  return p;
}

describe('Ethernet/IPv4/TCP straight path', () => {
  const registry = defaultRegistry();
  let straight = 0;
  let declined = 0;

  it.each(captures(corpusRoot))('%s: both paths leave the same slot on every frame', (path) => {
    const frames = corpusFrames(path);
    const fast = slot();
    const general = slot();
    const probe = new Packet();
    frames.forEach((f, i) => {
      // The straight path alone: it takes the frame, or declines having written nothing.
      probe.reset(f.bytes, 0, f.bytes.length, f.wirelen, f.linkType);
      const before = snapshot(probe);
      if (f.linkType === LinkType.Ethernet && ethernetIpv4Tcp(probe)) straight++;
      else {
        expect(snapshot(probe), `${path} frame ${i + 1} declined`).toEqual(before);
        declined++;
      }

      for (const p of [fast, general]) {
        p.reset(f.bytes, 0, f.bytes.length, f.wirelen, f.linkType);
        p.number = i + 1;
        p.tree = null;
      }
      dissect(fast, registry);
      dissectChain(general, registry);
      expect(snapshot(fast), `${path} frame ${i + 1}`).toEqual(snapshot(general));
    });
  });

  it('the corpus exercises both sides of it', () => {
    // About two thirds of the corpus frames are plain Ethernet/IPv4/TCP; VLANs, IPv6, UDP,
    // fragments, IP options and other link types take the general loop.
    expect(straight).toBeGreaterThan(2_000);
    expect(declined).toBeGreaterThan(1_000);
  });

  it('edited headers: the same slot either way, and the straight path declines what it should', () => {
    // The SYN of a plain Ethernet/IPv4/TCP conversation (MSS, SACK, timestamps, window scale).
    const syn = corpusFrames('local/tls12-ecdhe.pcap')[0]!;
    const cases: [string, (b: Uint8Array) => void, number | null, boolean][] = [
      ['as captured', () => {}, null, true],
      ["Don't Fragment set", (b) => (b[20] = 0x40), null, true],
      ['a bad IPv4 header checksum', (b) => (b[24] ^= 0xff), null, true],
      ['More Fragments set', (b) => (b[20] = 0x20), null, false],
      ['a fragment offset', (b) => (b[21] = 0x01), null, false],
      ['IP options (IHL 6)', (b) => (b[14] = 0x46), null, false],
      ['IP version 6 in an IPv4 EtherType', (b) => (b[14] = 0x65), null, false],
      ['total length past the capture', (b) => (b[17] = b[17]! + 8), null, false],
      ['total length shorter than the TCP header', (b) => { b[16] = 0; b[17] = 44; }, null, false],
      ['total length 0 (segmentation offload)', (b) => { b[16] = 0; b[17] = 0; }, null, false],
      ['TCP data offset 4 (16 bytes)', (b) => (b[46] = 0x40), null, false],
      ['TCP data offset past the datagram', (b) => (b[46] = 0xf0), null, false],
      ['a wire length shorter than the datagram', () => {}, 40, false],
      ['UDP', (b) => (b[23] = 17), null, false],
      ['an 802.1Q tag', (b) => { b[12] = 0x81; b[13] = 0x00; }, null, false],
    ];
    for (const [name, edit, wirelen, takes] of cases) {
      const bytes = syn.bytes.slice();
      edit(bytes);
      const fast = slot();
      const general = slot();
      const probe = new Packet();
      for (const p of [fast, general, probe]) p.reset(bytes, 0, bytes.length, wirelen ?? syn.wirelen, LinkType.Ethernet);
      expect(ethernetIpv4Tcp(probe), name).toBe(takes);
      dissect(fast, registry);
      dissectChain(general, registry);
      expect(snapshot(fast), name).toEqual(snapshot(general));
    }
  });
});
