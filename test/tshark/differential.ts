// Compares `wireladder fields` with committed tshark 4.0 output for every corpus capture.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFields, laterFramesOf } from '../../src/core/engine/field-values';
import { TlsKeyStore } from '../../src/core/tls/keys/key-store';
import { addKeyFile } from '../../src/core/tls/keys/key-files';

export const root = join(__dirname, '..', '..');
export const corpus = join(root, '..', 'shared', 'corpus');
const fixtures = join(root, 'test', 'fixtures', 'tshark');

export const fieldSets = JSON.parse(readFileSync(join(fixtures, 'field-sets.json'), 'utf8')) as Record<string, string[]>;
const manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8')) as { files: Record<string, Record<string, string>> };

export interface Exception {
  set: string;
  /** Corpus-relative path, or '*' for every file. */
  file: string;
  field: string;
  /** Frames the difference is allowed on; omitted means every frame of the file. */
  frames?: number[];
  reason: string;
}

export const exceptions = JSON.parse(readFileSync(join(fixtures, 'exceptions.json'), 'utf8')) as Exception[];

export function capturesWithFixtures(set: string): string[] {
  return Object.keys(manifest.files).filter((f) => existsSync(join(fixtures, set, `${f}.tsv`)));
}

export interface Mismatch {
  frame: number;
  field: string;
  ours: string;
  tshark: string;
}

/**
 * Runs our extractor on one capture and returns every undocumented difference from tshark. `file`
 * names the fixture (and the corpus capture, unless `path` says where the capture is).
 */
export async function compareCapture(set: string, file: string, path = join(corpus, file)): Promise<{ mismatches: Mismatch[]; frames: number; compared: number }> {
  const names = fieldSets[set]!;
  const expected = readFileSync(join(fixtures, set, `${file}.tsv`), 'utf8').split('\n');
  if (expected[expected.length - 1] === '') expected.pop();
  const ours: string[][] = [];
  // The 'keys' and 'later' sets: tshark ran with -o tls.keylog_file:NAME.keys where there is one
  // (DSB captures without options).
  const keyLog = set === 'keys' || set === 'later' ? keyLogBeside(path) : null;
  const tlsKeys = keyLog === null ? undefined : new TlsKeyStore();
  if (tlsKeys !== undefined) addKeyFile(tlsKeys, keyLog!);
  // The 'later' set is tshark's two-pass view (-2): a first pass records references to later packets.
  const laterFrames = set === 'later' ? await laterFramesOf(path, tlsKeys !== undefined ? { tlsKeys } : {}) : undefined;
  await extractFields(
    path,
    names,
    (values) => {
      ours.push(values.map((v) => (v === undefined ? '' : v.join(','))));
    },
    { ...(tlsKeys !== undefined ? { tlsKeys } : {}), ...(laterFrames !== undefined ? { laterFrames } : {}) },
  );
  const allowed = exceptions.filter((e) => e.set === set && (e.file === '*' || e.file === file));
  const mismatches: Mismatch[] = [];
  let compared = 0;
  const n = Math.max(expected.length, ours.length);
  for (let i = 0; i < n; i++) {
    const theirs = expected[i]?.split('\t') ?? [];
    const mine = ours[i] ?? [];
    for (let c = 0; c < names.length; c++) {
      const field = names[c]!;
      const t = theirs[c] ?? '';
      const o = mine[c] ?? '';
      compared++;
      if (t === o) continue;
      const frame = i + 1;
      if (allowed.some((e) => e.field === field && (e.frames === undefined || e.frames.includes(frame)))) continue;
      mismatches.push({ frame, field, ours: o, tshark: t });
    }
  }
  return { mismatches, frames: ours.length, compared };
}

/** NAME.keys beside NAME.pcap (or NAME.pcap.gz), as scripts/make-fixtures.mjs finds it. */
export function keyLogBeside(file: string): string | null {
  const keys = file.replace(/\.(pcap|pcapng|cap)(\.gz)?$/, '.keys');
  return keys !== file && existsSync(keys) ? keys : null;
}

export function describe(m: Mismatch[]): string {
  return m
    .slice(0, 25)
    .map((x) => `frame ${x.frame} ${x.field}: ours "${x.ours}" tshark "${x.tshark}"`)
    .join('\n');
}
