// "Apply as Filter › Selected" on every item of the detail pane makes the filter Wireshark makes:
// each one compiles, matches its own packet, and (where tshark is installed) tshark 4.0 accepts it
// and shows that packet too — one filter per kind of value (integers in each base, booleans,
// strings, bytes, addresses, times, protocols, text lines).

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compileFilter, isFilterError } from '../../../src/core/filter/compile';
import { EngineService } from '../../../src/core/service/engine-service';
import type { FieldNodeDto } from '../../../src/core/service/dto';
import { quoted } from '../../../src/core/filter/match-selected';
import { Analyzer } from '../../../src/core/engine/analyzer';
import { corpusPath, hasTshark } from '../io/helpers';

const packets: [string, number][] = [
  ['local/tls12-rsa.pcap', 4],
  ['local/tls12-rsa.pcap', 6],
  ['local/http11-keepalive.pcap', 8],
  ['zeek/communityid/ipv6.pcap', 1],
  ['zeek/arp-who-has.pcap', 1],
  ['zeek/http-vlan-0.pcap', 4],
];

interface Made {
  capture: string;
  frame: number;
  item: string;
  filter: string;
}

async function filtersOf(): Promise<Made[]> {
  const e = new EngineService();
  const out: Made[] = [];
  const walk = (nodes: FieldNodeDto[]): FieldNodeDto[] => nodes.flatMap((n) => [n, ...walk(n.children ?? [])]);
  for (const [capture, frame] of packets) {
    const { session } = await e.openFile({ path: corpusPath(capture) });
    await e.whenLoaded(session);
    const detail = await e.packetDetail({ session, packet: frame });
    for (const layer of detail.layers) {
      out.push({ capture, frame, item: layer.title, filter: layer.filter });
      for (const n of walk(layer.fields)) if (n.filter !== undefined) out.push({ capture, frame, item: n.label, filter: n.filter });
    }
  }
  return out;
}

/** One filter per shape of value (the name's left part is the field, the right part its form). */
function oneOfEachKind(made: Made[]): Made[] {
  const seen = new Set<string>();
  return made.filter((m) => {
    const value = m.filter.split(' == ')[1] ?? '';
    const kind = `${m.filter.includes(' == ') ? 'cmp' : 'name'}:${value.replace(/[0-9a-f]/gi, 'x').replace(/x+/g, 'x').slice(0, 24)}:${m.filter.startsWith('frame[') ? 'slice' : ''}`;
    if (seen.has(kind)) return false;
    seen.add(kind);
    return true;
  });
}

describe('Apply as Filter › Selected', () => {
  it('makes a filter that compiles and matches its own packet, for every item', async () => {
    const made = await filtersOf();
    expect(made.length).toBeGreaterThan(200);
    const registry = new Analyzer().registry;
    const e = new EngineService();
    const problems: string[] = [];
    const sessions = new Map<string, string>();
    for (const m of made) {
      const compiled = compileFilter(m.filter, registry);
      if (isFilterError(compiled)) {
        problems.push(`${m.capture} #${m.frame} "${m.item}": ${m.filter} → ${compiled.error}`);
        continue;
      }
      let session = sessions.get(m.capture);
      if (session === undefined) {
        session = (await e.openFile({ path: corpusPath(m.capture) })).session;
        await e.whenLoaded(session);
        sessions.set(m.capture, session);
      }
      await e.setFilter({ session, filter: `frame.number == ${m.frame} && (${m.filter})` });
      if ((await e.sessionInfo({ session })).displayed !== 1) problems.push(`${m.capture} #${m.frame} "${m.item}": ${m.filter} does not match it`);
    }
    expect(problems).toEqual([]);
  });

  it.skipIf(!hasTshark)('makes filters tshark 4.0 accepts and that show the same packet', async () => {
    const problems: string[] = [];
    // tshark shows no interface id for classic pcap files (WireLadder's Frame layer does).
    for (const m of oneOfEachKind((await filtersOf()).filter((x) => !x.filter.startsWith('frame.interface_id')))) {
      const r = spawnSync('tshark', ['-r', corpusPath(m.capture), '-Y', `frame.number == ${m.frame} && (${m.filter})`, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
      if (r.stdout.trim() !== String(m.frame)) problems.push(`${m.filter}: tshark says ${r.stdout.trim() || r.stderr.trim()}`);
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it('quotes strings as Wireshark writes them', () => {
    expect(quoted('GET')).toBe('"GET"');
    expect(quoted('a "b" \\ c')).toBe('"a \\"b\\" \\\\ c"');
    expect(quoted('line\r\n')).toBe('"line\\r\\n"');
    expect(quoted('\x01')).toBe('"\\x01"');
  });
});
