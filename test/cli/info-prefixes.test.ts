// The analysis prefixes of the Info column — [TCP Retransmission], [TCP Dup ACK 8#1], [TCP Previous
// segment not captured], [TCP Port numbers reused]… — exactly as tshark 4.0 writes and orders them,
// on every corpus capture (test/fixtures/columns) and every capture of test/fixtures/diagnosis
// (its *.tshark.txt), in `wireladder fields -e _ws.col.Info` and `wireladder packets`.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli';
import { tsharkInfo } from './tshark-info';
import { corpusPath } from '../core/io/helpers';

const columns = join(__dirname, '..', 'fixtures', 'columns');
const diagnosis = join(__dirname, '..', 'fixtures', 'diagnosis');
const manifest = JSON.parse(readFileSync(join(columns, 'manifest.json'), 'utf8')) as { captures: string[] };

/** The bracketed findings at the start of an Info line. */
export function analysisPrefix(info: string): string {
  return /^((?:\[TCP [^\]]+\] )+)/.exec(info)?.[1] ?? '';
}

async function compare(path: string, expected: Map<number, string>): Promise<{ prefixed: number; problems: string[] }> {
  const r = await cli(['fields', path, '-e', 'frame.number', '-e', '_ws.col.Info']);
  const problems: string[] = [];
  let prefixed = 0;
  for (const line of r.out.split('\n')) {
    if (line === '') continue;
    const [frame, info] = line.split('\t') as [string, string];
    const theirs = analysisPrefix(expected.get(Number(frame)) ?? '');
    const mine = analysisPrefix(info);
    if (theirs !== '') prefixed++;
    if (mine !== theirs) problems.push(`frame ${frame}: "${mine}" ≠ tshark "${theirs}"`);
  }
  return { prefixed, problems };
}

describe('Info-column analysis prefixes agree with tshark 4.0', () => {
  for (const capture of manifest.captures.filter((c) => existsSync(corpusPath(c)))) {
    it(capture, async () => {
      const { problems } = await compare(corpusPath(capture), tsharkInfo(join(columns, `${capture}.tsv`)));
      expect(problems).toEqual([]);
    });
  }
  for (const name of readdirSync(diagnosis).filter((n) => n.endsWith('.pcap'))) {
    it(`diagnosis/${name}`, async () => {
      const { problems } = await compare(join(diagnosis, name), tsharkInfo(join(diagnosis, name.replace(/\.pcap$/, '.tshark.txt'))));
      expect(problems).toEqual([]);
    });
  }

  it('reassembly.pcap: the 54 coloured rows say why — 20 retransmissions and 21 duplicate ACKs among them — in fields and in packets', async () => {
    const path = corpusPath('zeek/tcp/reassembly.pcap');
    const expected = tsharkInfo(join(columns, 'zeek/tcp/reassembly.pcap.tsv'));
    const { prefixed, problems } = await compare(path, expected);
    expect(problems).toEqual([]);
    expect(prefixed).toBe(54);
    const prefixes = [...expected.values()].map(analysisPrefix);
    expect(prefixes.filter((p) => p.includes('Retransmission]')).length).toBe(20);
    expect(prefixes.filter((p) => p.startsWith('[TCP Dup ACK ')).length).toBe(21);
    const lines = (await cli(['packets', path])).out.split('\n').filter((l) => l !== '');
    const fromPackets = lines.map((l) => analysisPrefix(l.replace(/^.*?\bTCP \d+ /, ''))).filter((p) => p !== '');
    expect(fromPackets).toEqual([...expected.values()].map(analysisPrefix).filter((p) => p !== ''));
  });
});
