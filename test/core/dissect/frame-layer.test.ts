// The Frame layer reads as `tshark -V` prints it: "Encapsulation type: Ethernet (1)" (wiretap's
// number and name, not the pcap link type), then the wall-clock Arrival Time with its zone
// (test/fixtures/frame/frame-lines.json, made by scripts/make-frame-fixtures.mjs in UTC).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analyzer } from '../../../src/core/engine/analyzer';
import { readCaptureFile } from '../../../src/core/io/capture-reader';
import { absTimeText } from '../../../src/core/util/time-text';
import { corpusPath } from '../io/helpers';

const fixture = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'frame', 'frame-lines.json'), 'utf8')) as { frames: Record<string, string[][]> };
const wanted = /^(Encapsulation type|Arrival Time|Epoch Time|Frame Number): /;

// tshark wrote the fixture with TZ=UTC; Arrival Time is local time, so compare in the same zone.
const savedTz = process.env['TZ'];
beforeAll(() => {
  process.env['TZ'] = 'UTC';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env['TZ'];
  else process.env['TZ'] = savedTz;
});

async function frameLines(capture: string, packets: number): Promise<string[][]> {
  const out: string[][] = [];
  const analyzer = new Analyzer({
    tree: (row) => row < packets,
    onPacket: (p, row) => {
      if (row < packets) out.push(p.tree!.layers[0]!.fields.map((f) => f.label).filter((l) => wanted.test(l)));
    },
  });
  await readCaptureFile(corpusPath(capture), analyzer);
  return out;
}

describe('Frame layer', () => {
  for (const [capture, expected] of Object.entries(fixture.frames)) {
    it(`${capture}: encapsulation, arrival time, epoch time and number as tshark -V`, async () => {
      expect(await frameLines(capture, expected.length)).toEqual(expected);
    });
  }

  it('frame.time holds what tshark -T fields prints (local time with its zone)', () => {
    expect(absTimeText(1795391123, 81691000, 'local', true)).toBe('Nov 22, 2026 23:45:23.081691000 UTC');
    expect(absTimeText(1767663089, 500330493, 'utc', false)).toBe('Jan  6, 2026 01:31:29.500330493');
  });
});
