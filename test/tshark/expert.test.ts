// Expert information against tshark 4.0 (test/fixtures/expert, scripts/make-expert-fixtures.mjs):
// on every corpus capture and every capture of test/fixtures/diagnosis, each packet carries the
// items tshark raises — same severity, group and words — for every kind WireLadder raises as tshark
// does (dissect/expert.ts, `tshark: true`), and none tshark does not. Kinds only tshark raises are
// listed below with the reason; items only WireLadder raises (`tshark: false`) are its own.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERT, expertSummary } from '../../src/core/dissect/expert';
import { analyzeFile } from '../../src/core/engine/analyze-file';
import { corpusPath } from '../core/io/helpers';

const fixtures = join(__dirname, '..', 'fixtures', 'expert');
const manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8')) as { captures: string[] };

function pathOf(capture: string): string {
  const [set, ...rest] = capture.split('/');
  return set === 'corpus' ? corpusPath(rest.join('/')) : join(__dirname, '..', 'fixtures', 'diagnosis', rest.join('/'));
}

/** What a text-only kind's summary looks like (its template says nothing). */
const TEXT_LIKE: Readonly<Record<string, RegExp>> = {
  'http.chat': /^(HTTP\/|[A-Z][A-Z_-]*( |\\n|$))/,
};

/** Our kinds that tshark raises too, as patterns over its items. */
const shared = EXPERT.filter((d) => d.tshark && d.name !== '').map((d) => ({
  def: d,
  pattern: new RegExp(`^${d.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{a\\\}|\\\{b\\\}/g, '\\d+').replace(/\\\{text\\\}/g, '.*')}$`, 's'),
}));

const isShared = (i: Item): boolean =>
  shared.some((s) => s.def.severity === i.severity && s.def.group === i.group && s.pattern.test(i.message) && (TEXT_LIKE[s.def.name]?.test(i.message) ?? true));

/** Kinds tshark raises that WireLadder does not (yet): other dissectors' checks. */
const NOT_RAISED: [RegExp, string][] = [
  [/^"Time To Live" only \d+$/, 'IPv4 TTL notes (packet-ip.c)'],
  [/^Possible traceroute/, 'IPv4 traceroute guess (packet-ip.c)'],
  [/^Didn't find padding of zeros/, 'Ethernet trailer check (packet-eth.c)'],
  [/^IPv4 total length exceeds packet length/, 'IPv4 length check on snap-length-cut frames (packet-ip.c)'],
  [/^Bad checksum/, 'checksums are not verified (tshark does not either, except ICMP)'],
  [/^The SYN packet does not contain a MSS option$/, 'TCP option presence notes'],
  [/^TCP SYN(-ACK)? (with TFO Cookie|accepting TFO data)$/, 'TCP Fast Open notes'],
  [/^D-SACK Sequence$/, 'SACK option analysis'],
  [/^option length should be \d+$/, 'TCP option length checks'],
  [/^Window scale shift exceeds \d+$/, 'TCP option value checks'],
  [/^HTTP body subdissector failed/, 'HTTP body sub-dissection (media types)'],
  [/^Malformed Packet \(Exception occurred\)$/, "tshark's exception item: WireLadder raises its own malformed item with the reason"],
  [/^Vector length \d+ is too large, truncating it to \d+$/, "TLS vector checks: WireLadder raises its own malformed item with the reason (tls.malformed)"],
];

/** Where WireLadder and tshark differ on purpose, or until another issue lands. */
const DIFFERENCES: { capture: string; frame: number; message: RegExp; reason: string }[] = [
  {
    capture: 'corpus/local/tls13-dsb.pcapng',
    frame: 13,
    message: /^HTTP\/1\.0 200 ok/,
    reason: "the HTTP/1.0 answer has no Content-Length: tshark 4.0 never ends that body inside TLS, WireLadder ends it at the server's close_notify (RFC 2818 §2.2.2; test/tshark/keyed-samples.test.ts)",
  },
  {
    capture: 'diagnosis/tls12-cert-malformed.pcap',
    frame: 9,
    message: /Session resumption/,
    reason: 'tshark takes a full handshake whose Certificate it could not read for a resumed one; WireLadder saw the Certificate (malformed) and the session ID was new',
  },
];

interface Item {
  severity: number;
  group: number;
  message: string;
}

function theirs(capture: string): Map<number, Item[]> {
  const out = new Map<number, Item[]>();
  for (const line of readFileSync(join(fixtures, `${capture}.tsv`), 'utf8').split('\n')) {
    const [frame, sev, grp, msg] = line.split('\t');
    if (frame === undefined || frame === '' || msg === undefined || msg === '') continue;
    const sevs = sev!.split('\u001f');
    const grps = grp!.split('\u001f');
    const items = msg.split('\u001f').map((m, i) => ({ severity: Number(sevs[i]), group: Number(grps[i]), message: m }));
    out.set(Number(frame), items);
  }
  return out;
}

const key = (i: Item): string => `${i.severity}/${i.group}/${i.message}`;

describe('expert information agrees with tshark 4.0', () => {
  for (const capture of manifest.captures.filter((c) => existsSync(pathOf(c)))) {
    it(capture, async () => {
      const { analyzer } = await analyzeFile(pathOf(capture));
      const log = analyzer.index.expert;
      const expected = theirs(capture);
      const problems: string[] = [];
      for (let row = 0; row < analyzer.index.count; row++) {
        const frame = row + 1;
        const mine = log
          .itemsOf(row)
          .filter((x) => EXPERT[x.code]!.tshark)
          .map((x) => ({ severity: EXPERT[x.code]!.severity as number, group: EXPERT[x.code]!.group as number, message: expertSummary(x.code, x.a, x.b, x.text) }))
          .filter((i) => !DIFFERENCES.some((d) => d.capture === capture && d.frame === frame && d.message.test(i.message)));
        const tsharks = (expected.get(frame) ?? []).filter((i) => {
          if (DIFFERENCES.some((d) => d.capture === capture && d.frame === frame && d.message.test(i.message))) return false;
          if (isShared(i)) return true;
          if (!NOT_RAISED.some(([re]) => re.test(i.message))) problems.push(`frame ${frame}: tshark raises "${i.message}", a kind not compared here`);
          return false;
        });
        const a = mine.map(key).sort();
        const b = tsharks.map(key).sort();
        if (a.join('\n') !== b.join('\n')) problems.push(`frame ${frame}: ours [${a.join(' | ')}] tshark [${b.join(' | ')}]`);
      }
      expect(problems).toEqual([]);
    });
  }
});
