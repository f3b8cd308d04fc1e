// `wireladder packets FILE -Y FILTER` and `wireladder fields FILE -Y FILTER` against `tshark -Y` on
// the corpus: the frames printed are those tshark 4.0 displayed (test/fixtures/filter, made by
// scripts/make-filter-fixtures.mjs with `tshark -r FILE -Y FILTER`), except the differences
// test/fixtures/filter/exceptions.json explains. Both are single passes, as tshark's -Y is.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../core/io/helpers';
import { cli } from './run-cli';

const fixtures = join(__dirname, '..', 'fixtures', 'filter');
const spec = JSON.parse(readFileSync(join(fixtures, 'filters.json'), 'utf8')) as { filters: string[] };
const manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8')) as { captures: string[] };
const exceptions = JSON.parse(readFileSync(join(fixtures, 'exceptions.json'), 'utf8')) as { capture: string; filter: string; missing?: number[]; extra?: number[] }[];

interface Fixture {
  frames: Record<string, number[] | { error: string }>;
}

const captures = manifest.captures.filter((c) => existsSync(join(fixtures, `${c}.json`)) && existsSync(corpusPath(c)));
/** Captures of several hundred packets. */
const large = new Set(['zeek/http/methods.pcap', 'zeek/tcp/timestamp.pcap', 'zeek/tls/tls-fragmented-handshake.pcap.gz']);
const diff = (a: number[], b: number[]): number[] => a.filter((x) => !b.includes(x));

/** Frame numbers of `packets` output lines (the first column). */
const framesOfLines = (out: string): number[] => out.split('\n').filter((l) => l.trim() !== '').map((l) => Number(l.trim().split(/\s+/, 1)[0]));

describe('wireladder packets/fields -Y agree with tshark -Y', () => {
  for (const capture of captures) {
    it(capture, async () => {
      const fixture = JSON.parse(readFileSync(join(fixtures, `${capture}.json`), 'utf8')) as Fixture;
      const problems: string[] = [];
      for (const filter of spec.filters) {
        const expected = fixture.frames[filter];
        if (expected === undefined || !Array.isArray(expected)) continue;
        // `packets` (the one-line output) on every filter, `fields -e frame.number` on every fourth;
        // the few captures of hundreds of packets on every fifth filter only (the tree pass is slow).
        const k = spec.filters.indexOf(filter);
        if (large.has(capture) && k % 5 !== 0) continue;
        const runs: [string, number[]][] = [['packets', framesOfLines((await cli(['packets', corpusPath(capture), '-Y', filter])).out)]];
        if (k % 4 === 0) {
          const byFields = await cli(['fields', corpusPath(capture), '-Y', filter, '-e', 'frame.number']);
          runs.push(['fields', byFields.out.split('\n').filter((l) => l !== '').map(Number)]);
        }
        const known = exceptions.find((e) => e.capture === capture && e.filter === filter);
        for (const [command, ours] of runs) {
          const missing = diff(expected, ours);
          const extra = diff(ours, expected);
          if ((known?.missing ?? []).join() !== missing.join() || (known?.extra ?? []).join() !== extra.join()) {
            problems.push(`${command} -Y '${filter}': tshark shows ${missing.join(' ') || '-'} that we do not, we show ${extra.join(' ') || '-'} that tshark does not`);
          }
        }
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }

  it('a filter tshark rejects is a usage error naming the problem, with nothing printed', async () => {
    const r = await cli(['packets', corpusPath('local/tls12-rsa.pcap'), '-Y', 'tcp.prot == 1']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('"tcp.prot" is neither a field nor a protocol name');
  });
});
