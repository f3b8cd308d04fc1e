// Shared helpers for the capture I/O tests: corpus paths, hand-written bytes, a collecting sink.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  CaptureSink,
  DecryptionSecrets,
  InterfaceInfo,
  InterfaceStatistics,
  NameResolutionEntry,
  PacketRecord,
  SectionInfo,
} from '../../../src/core/io/types';

export const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../../fixtures/io/', import.meta.url));

/** Every capture in the corpus, as paths relative to it, sorted. */
export function corpusFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(CORPUS, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : /\.pcap(ng)?(\.gz)?$/.test(e.name) ? [join(dir, e.name)] : [],
    );
  return walk('').sort();
}

export const corpusPath = (rel: string): string => join(CORPUS, rel);

/** Bytes from hex with whitespace and `#` comments to the end of each line. */
export function hexToBytes(text: string): Uint8Array {
  const clean = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join('')
    .replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2 !== 0) throw new Error(`odd number of hex digits (${clean.length})`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** A packet as the tests compare it: the reused record copied out. */
export interface Rec {
  caplen: number;
  wirelen: number;
  tsSec: number;
  tsNsec: number;
  iface: number;
  dataFileOffset: number;
  comments: string[] | null;
  flags: number;
  data: Uint8Array;
}

export interface Collected extends CaptureSink {
  packets: Rec[];
  interfaces: InterfaceInfo[];
  sections: SectionInfo[];
  secrets: DecryptionSecrets[];
  stats: InterfaceStatistics[];
  names: NameResolutionEntry[][];
}

/** A sink that keeps a copy of everything the reader reports. */
export function collector(): Collected {
  const c: Collected = {
    packets: [],
    interfaces: [],
    sections: [],
    secrets: [],
    stats: [],
    names: [],
    onPacket(rec: PacketRecord) {
      c.packets.push({
        caplen: rec.caplen,
        wirelen: rec.wirelen,
        tsSec: rec.tsSec,
        tsNsec: rec.tsNsec,
        iface: rec.iface,
        dataFileOffset: rec.dataFileOffset,
        comments: rec.comments === null ? null : [...rec.comments],
        flags: rec.flags,
        data: rec.data.slice(rec.dataOffset, rec.dataOffset + rec.caplen),
      });
    },
    onInterface: (i) => void c.interfaces.push({ ...i }),
    onSection: (s) => void c.sections.push({ ...s, comments: [...s.comments] }),
    onSecrets: (s) => void c.secrets.push({ secretsType: s.secretsType, data: s.data.slice() }),
    onStatistics: (s) => void c.stats.push({ ...s }),
    onNameResolution: (e) => void c.names.push(e),
  };
  return c;
}

/** Seconds since the epoch with nine decimals, as tshark prints frame.time_epoch. */
export const epoch9 = (sec: number, nsec: number): string => `${sec}.${String(nsec).padStart(9, '0')}`;

/** Deterministic PRNG (mulberry32) so random cuts and bytes are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const hasTshark = ((): boolean => {
  try {
    return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
})();

/** Runs tshark -T fields and returns one array of values per packet. */
export function tsharkFields(file: string, fields: string[]): string[][] {
  const r = spawnSync('tshark', ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`tshark failed on ${file}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}
