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
        data: new Uint8Array(rec.data.subarray(rec.dataOffset, rec.dataOffset + rec.caplen)),
      });
    },
    onInterface: (i) => void c.interfaces.push({ ...i }),
    onSection: (s) => void c.sections.push({ ...s, comments: [...s.comments] }),
    onSecrets: (s) => void c.secrets.push({ secretsType: s.secretsType, data: new Uint8Array(s.data) }),
    onStatistics: (s) => void c.stats.push({ ...s }),
    onNameResolution: (e) => void c.names.push(e),
  };
  return c;
}

/** One string per packet with every field and the bytes (fast to compare, readable in a diff). */
export function signature(p: Rec): string {
  const comments = p.comments === null ? '-' : JSON.stringify(p.comments);
  return `${p.tsSec}.${p.tsNsec} if${p.iface} ${p.caplen}/${p.wirelen} @${p.dataFileOffset} f${p.flags} ${comments} ${Buffer.from(p.data).toString('base64')}`;
}

export const signatures = (packets: readonly Rec[]): string[] => packets.map(signature);

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

/** Runs `tshark -T json -e ...` and returns, per packet, each field's values (JSON keeps odd comments intact). */
export function tsharkJson(file: string, fields: string[]): Array<Record<string, string[]>> {
  const r = spawnSync('tshark', ['-r', file, '-T', 'json', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tshark failed on ${file}: ${r.stderr}`);
  const packets = JSON.parse(r.stdout) as Array<{ _source: { layers: Record<string, string[]> } }>;
  return packets.map((p) => p._source.layers);
}
