// `wireladder info` walks the records only (as capinfos does) and reports what capinfos reports
// (test/fixtures/io/capinfos.json, made by scripts/make-io-fixtures.mjs), with the comments and
// the stop reason the full analysis pass sees.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureInfo } from '../../src/cli/commands/info';
import { analyzeFile } from '../../src/core/engine/analyze-file';
import { corpusFiles, corpusPath } from '../core/io/helpers';

interface CapinfosEntry {
  packets: number;
  dataSize: number;
  start: number;
  end: number;
  ordered: boolean;
}

const capinfos = JSON.parse(readFileSync(new URL('../fixtures/io/capinfos.json', import.meta.url), 'utf8')) as { files: Record<string, CapinfosEntry> };

describe('wireladder info', () => {
  it('reports the packets, data size and times capinfos reports, for every corpus capture', async () => {
    const files = corpusFiles();
    expect(files.length).toBe(Object.keys(capinfos.files).length);
    for (const rel of files) {
      const want = capinfos.files[rel];
      expect(want, rel).toBeDefined();
      const info = await captureInfo(corpusPath(rel));
      expect(info.packets, rel).toBe(want!.packets);
      // capinfos' data size is the sum of the lengths on the wire.
      expect(info.bytes, rel).toBe(want!.dataSize);
      if (want!.ordered && info.packets > 0) {
        // capinfos prints the earliest and latest times; in a file in time order, the first and last.
        const seconds = (iso: string): number => Date.parse(iso.slice(0, 19).replace(' ', 'T') + 'Z') / 1000 + Number(`0.${iso.slice(20, 29)}`);
        expect(seconds(info.firstTime!), rel).toBeCloseTo(want!.start, 5);
        expect(seconds(info.lastTime!), rel).toBeCloseTo(want!.end, 5);
      }
    }
  });

  it('counts, comments and stop reasons agree with the full analysis pass on every corpus capture', async () => {
    for (const rel of corpusFiles()) {
      const info = await captureInfo(corpusPath(rel));
      const { analyzer, result } = await analyzeFile(corpusPath(rel));
      const index = analyzer.index;
      let bytes = 0;
      for (let r = 0; r < index.count; r++) bytes += index.wirelen(r);
      const comments = [...index.comments].sort((a, b) => a[0] - b[0]).flatMap(([row, list]) => list.map((text) => ({ packet: row + 1, text })));
      expect({ packets: info.packets, bytes: info.bytes, comments: info.comments, stop: info.stop }, rel).toEqual({
        packets: index.count,
        bytes,
        comments,
        stop: result.stop,
      });
    }
  });

  it('lists packet comments and decryption secrets of a pcapng', async () => {
    const annotated = await captureInfo(corpusPath('local/mtls12-annotated.pcapng'));
    expect(annotated.comments.length).toBeGreaterThan(0);
    const dsb = await captureInfo(corpusPath('local/tls13-dsb.pcapng'));
    expect(dsb.decryptionSecrets).toEqual([{ type: 'TLS key log', bytes: expect.any(Number) as number }]);
  });
});
