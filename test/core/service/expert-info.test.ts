// The Expert Info view's data and the `_ws.expert*` / `_ws.malformed` filter fields, read from the
// index's expert columns: grouped and counted as `tshark -q -z expert` groups and counts them.

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineService } from '../../../src/core/service/engine-service';
import type { ExpertInfoDto } from '../../../src/core/service/dto';

const fixture = (name: string): string => join(__dirname, '..', '..', 'fixtures', 'diagnosis', name);
const service = new EngineService();
afterAll(async () => {
  for (const s of await service.listSessions({})) await service.closeSession({ session: s.session });
});

async function open(name: string): Promise<string> {
  const { session } = await service.openFile({ path: fixture(name) });
  await service.whenLoaded(session);
  return session;
}

/** Severity → [count, protocol, summary, frames] per entry, tshark's -z expert layout. */
const table = (x: ExpertInfoDto): Record<string, [number, string, string, number[]][]> =>
  Object.fromEntries(x.severities.map((s) => [s.severity, s.entries.map((e) => [e.count, e.protocol, e.summary, e.packets] as [number, string, string, number[]])]));

async function shown(session: string, filter: string): Promise<number[]> {
  const r = await service.setFilter({ session, filter });
  expect(r.error, filter).toBeNull();
  return (await service.rows({ session, start: 0, count: r.displayed })).rows.map((row) => row.number);
}

describe('Expert Info', () => {
  it('groups http-lost-segment.pcap as tshark -z expert does: Warns (2), Notes (2), Chats (15)', async () => {
    const session = await open('http-lost-segment.pcap');
    const x = await service.expertInfo({ session, limitToFilter: false });
    expect(x.total).toBe(19);
    expect(x.severities.map((s) => [s.severity, s.count])).toEqual([
      ['Warning', 2],
      ['Note', 2],
      ['Chat', 15],
    ]);
    expect(table(x)).toEqual({
      Warning: [
        [1, 'TCP', "ACKed segment that wasn't captured (common at capture start)", [19]],
        [1, 'TCP', 'Previous segment(s) not captured (common at capture start)', [18]],
      ],
      Note: [
        [1, 'TCP', 'This frame initiates the connection closing', [41]],
        [1, 'TCP', 'This frame undergoes the connection closing', [42]],
      ],
      Chat: [
        [6, 'HTTP', 'GET /big.txt HTTP/1.1\\r\\n', [4, 16, 21, 26, 31, 36]],
        [5, 'HTTP', 'HTTP/1.1 200 OK\\r\\n', [14, 25, 30, 35, 40]],
        [2, 'TCP', 'Connection finish (FIN)', [41, 42]],
        [1, 'TCP', 'Connection establish acknowledge (SYN+ACK): server port 18080', [2]],
        [1, 'TCP', 'Connection establish request (SYN): server port 18080', [1]],
      ],
    });
    // "Limit to display filter": only the items of the packets the filter shows.
    await service.setFilter({ session, filter: 'tcp.analysis.flags' });
    const limited = await service.expertInfo({ session, limitToFilter: true });
    expect(limited.total).toBe(2);
    expect(limited.severities.map((s) => s.severity)).toEqual(['Warning']);
  });

  it('puts the malformed TLS record header first, as an error of the Malformed group', async () => {
    const session = await open('tls12-ccs-corrupt.pcap');
    const x = await service.expertInfo({ session, limitToFilter: false });
    expect(x.severities[0]).toMatchObject({ severity: 'Error', count: 1, entries: [{ group: 'Malformed', protocol: 'TLS', packets: [8] }] });
    expect(x.severities[0]!.entries[0]!.summary).toMatch(/^record header 14 ff ff ff 01/);
  });
});

describe('expert filter fields', () => {
  // The frames tshark -Y shows for the same filters on http-lost-segment.pcap.
  it('_ws.expert, _ws.expert.severity/group/message and _ws.malformed select from the index', async () => {
    const lost = await open('http-lost-segment.pcap');
    expect(await shown(lost, '_ws.expert.severity == "Warning"')).toEqual([18, 19]);
    expect(await shown(lost, '_ws.expert.severity >= 6291456')).toEqual([18, 19]);
    expect(await shown(lost, '_ws.expert.group == "Sequence" && http')).toEqual([4, 14, 16, 21, 25, 26, 30, 31, 35, 36, 40]);
    expect(await shown(lost, '_ws.expert.message contains "captured"')).toEqual([18, 19]);
    expect((await shown(lost, '_ws.expert')).length).toBe(17); // 19 items; frames 41 and 42 carry two each (tshark: 17 frames too)
    expect(await shown(lost, '_ws.malformed')).toEqual([]);

    const ccs = await open('tls12-ccs-corrupt.pcap');
    expect(await shown(ccs, '_ws.malformed')).toEqual([8]);
    expect(await shown(ccs, '_ws.expert.severity == "Error"')).toEqual([8]);
    expect(await shown(ccs, '_ws.expert.group == "Malformed"')).toEqual([8]);
  });
});
