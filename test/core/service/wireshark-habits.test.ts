// The engine behind the Wireshark habits: sorting in the engine (stable, numeric where numeric),
// Find Packet, marks / ignores / time references, Export Specified Packets, Endpoints and the I/O
// graph against tshark's -z endpoints and -z io,stat (test/fixtures/stats, made by
// scripts/make-stats-fixtures.mjs), conversations and statistics limited to the display filter,
// the filter catalogue and live filter checks, and what the detail pane's items carry.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../../src/core/io/capture-reader';
import { EngineService } from '../../../src/core/service/engine-service';
import type { EndpointRowDto, FieldNodeDto, PacketRangeDto } from '../../../src/core/service/dto';
import { parseRange } from '../../../src/core/service/packet-range';
import { collector, corpusPath } from '../io/helpers';

const dir = mkdtempSync(join(tmpdir(), 'wireladder-habits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function open(e: EngineService, rel: string): Promise<string> {
  const { session } = await e.openFile({ path: corpusPath(rel) });
  await e.whenLoaded(session);
  return session;
}

async function allRows(e: EngineService, session: string) {
  const info = await e.sessionInfo({ session });
  return (await e.rows({ session, start: 0, count: info.displayed })).rows;
}

describe('sorting in the engine', () => {
  it('sorts by length numerically, ties by frame number (reversed with the rest when descending), and back to frame order', async () => {
    const e = new EngineService();
    const session = await open(e, 'local/tls12-rsa.pcap');
    await e.setSort({ session, sort: { column: 'length', field: false, descending: false } });
    const up = await allRows(e, session);
    for (let i = 1; i < up.length; i++) {
      const [a, b] = [up[i - 1]!, up[i]!];
      expect(a.length < b.length || (a.length === b.length && a.number < b.number)).toBe(true);
    }
    await e.setSort({ session, sort: { column: 'length', field: false, descending: true } });
    const down = await allRows(e, session);
    for (let i = 1; i < down.length; i++) {
      const [a, b] = [down[i - 1]!, down[i]!];
      expect(a.length > b.length || (a.length === b.length && a.number > b.number)).toBe(true);
    }
    // rowIndexOf follows the sorted order.
    const biggest = down[0]!.number;
    expect(await e.rowIndexOf({ session, packet: biggest })).toBe(0);
    await e.setSort({ session, sort: null });
    expect((await allRows(e, session)).map((r) => r.number)).toEqual(up.map((r) => r.number).sort((a, b) => a - b));
  });

  it('sorts by Info text, by a custom column numerically, and keeps the sort under a new filter', async () => {
    const e = new EngineService();
    const session = await open(e, 'local/tls12-rsa.pcap');
    await e.setSort({ session, sort: { column: 'info', field: false, descending: false } });
    const byInfo = (await allRows(e, session)).map((r) => r.info);
    const collator = new Intl.Collator('en', { numeric: true });
    for (let i = 1; i < byInfo.length; i++) expect(collator.compare(byInfo[i - 1]!, byInfo[i]!)).toBeLessThanOrEqual(0);

    await e.setSort({ session, sort: { column: 'tcp.srcport', field: true, descending: true } });
    const rows = (await e.rows({ session, start: 0, count: 34, columns: ['tcp.srcport'] })).rows;
    const ports = rows.map((r) => Number(r.custom![0]));
    expect(ports).toEqual([...ports].sort((a, b) => b - a));
    // 60752 > 60750 > 8441 numerically (a text sort would agree here; lengths below would not).
    expect(ports[0]).toBe(60752);

    await e.setFilter({ session, filter: 'tcp.len > 0' });
    const filtered = await e.rows({ session, start: 0, count: 100, columns: ['tcp.srcport'] });
    const fports = filtered.rows.map((r) => Number(r.custom![0]));
    expect(fports).toEqual([...fports].sort((a, b) => b - a));
    expect((await e.sessionInfo({ session })).sort).toEqual({ column: 'tcp.srcport', field: true, descending: true });
  });

  // Wireshark's order for a numeric custom column (PacketListModel::recordLessThan): the number
  // the cell's text starts with (the first of several occurrences), cells without one first, equal
  // cells by frame number; descending is that order reversed. The texts are tshark's
  // (test/fixtures/sort, made by scripts/make-sort-fixtures.mjs).
  for (const name of ['gre-sample.pcap', 'methods.pcap', 'ipv6.pcap']) {
    it(`sorts ${name} by custom columns as Wireshark does (index and tree values alike)`, async () => {
      const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/sort', `${name}.json`), 'utf8')) as { capture: string; fields: string[]; values: string[][] };
      const e = new EngineService();
      const session = await open(e, fixture.capture);
      for (const [f, field] of fixture.fields.entries()) {
        const number = (n: number): number | null => {
          const v = Number.parseFloat(fixture.values[n - 1]![f]!);
          return Number.isNaN(v) ? null : v;
        };
        const up = fixture.values.map((_, i) => i + 1);
        up.sort((x, y) => {
          const [a, b] = [number(x), number(y)];
          if (a === b) return x - y;
          return a === null ? -1 : b === null ? 1 : a - b;
        });
        await e.setSort({ session, sort: { column: field, field: true, descending: false } });
        expect((await allRows(e, session)).map((r) => r.number), `${field} ascending`).toEqual(up);
        await e.setSort({ session, sort: { column: field, field: true, descending: true } });
        expect((await allRows(e, session)).map((r) => r.number), `${field} descending`).toEqual([...up].reverse());
      }
    });
  }

  it('sorts source addresses as addresses (10.0.0.9 before 10.0.0.10)', async () => {
    const e = new EngineService();
    const session = await open(e, 'zeek/tls/missing-intermediate.pcap');
    await e.setSort({ session, sort: { column: 'source', field: false, descending: false } });
    const sources = (await allRows(e, session)).map((r) => r.source);
    const key = (a: string) => a.split('.').map((o) => o.padStart(3, '0')).join('.');
    expect(sources.map(key)).toEqual([...sources].map(key).sort());
  });
});

describe('Find Packet', () => {
  it('finds by display filter forward and backward, wrapping around', async () => {
    const e = new EngineService();
    const session = await open(e, 'local/tls12-rsa.pcap');
    const find = (from: number, backward = false) =>
      e.findPacket({ session, find: { by: 'filter', text: 'tls.handshake.type == 1', in: 'list', caseSensitive: false, backward, from } });
    // Client Hellos are frames 4 and 21.
    expect((await find(-1)).packet).toBe(4);
    expect((await find(3)).packet).toBe(21);
    const wrapped = await find(20);
    expect(wrapped.packet).toBe(4);
    expect(wrapped.wrapped).toBe(true);
    expect((await find(20, true)).packet).toBe(4);
    expect((await find(3, true)).packet).toBe(21);
  });

  it('finds hex bytes, a string in the bytes, the list or the details; says so when nothing matches', async () => {
    const e = new EngineService();
    const session = await open(e, 'local/tls12-rsa.pcap');
    const req = (by: 'hex' | 'string' | 'regex' | 'filter', text: string, where: 'list' | 'details' | 'bytes', caseSensitive = false) =>
      e.findPacket({ session, find: { by, text, in: where, caseSensitive, backward: false, from: -1 } });
    // 16 03 01 starts the first TLS record (the ClientHello in frame 4, TCP payload at 66).
    const hex = await req('hex', '16 03 01', 'bytes');
    expect(hex.packet).toBe(4);
    expect(hex.bytes).toEqual({ source: 0, start: 66, length: 3 });
    const list = await req('string', 'server hello', 'list');
    expect(list.packet).toBe(6);
    expect((await req('string', 'server hello', 'list', true)).message).toBe('No packet contained that string in its Info column.');
    // The Client Hello (frame 4) offers the suite before the Server Hello (frame 6) picks it.
    const details = await req('string', 'Cipher Suite: TLS_RSA_WITH_AES_128_GCM_SHA256', 'details', true);
    expect(details.packet).toBe(4);
    expect(details.label).toContain('TLS_RSA_WITH_AES_128_GCM_SHA256');
    expect((await req('regex', 'Seq=1 Ack=1\\b', 'list')).packet).toBe(3);
    // References to later packets are in the details searched, as in the detail pane.
    const http = await open(e, 'zeek/http/get.pcap');
    const later = (text: string) => e.findPacket({ session: http, find: { by: 'string', text, in: 'details', caseSensitive: true, backward: false, from: -1 } });
    expect(await later('[Reassembled PDU in frame: 9]')).toMatchObject({ packet: 6, label: '[Reassembled PDU in frame: 9]' });
    expect(await later('Response in frame: 9')).toMatchObject({ packet: 4, label: 'Response in frame: 9' });
    expect((await req('hex', 'de ad be ef 00', 'bytes')).message).toBe('No packet contained those bytes.');
    expect((await req('filter', 'tcp.prot == 1', 'list')).message).toContain('"tcp.prot" is neither a field nor a protocol name');
  });
});

describe('marks, ignored packets, time references and Export Specified Packets', () => {
  it('keeps marks and time references on rows; exports marked and displayed packets with comments', async () => {
    const e = new EngineService();
    const session = await open(e, 'local/mtls12-annotated.pcapng');
    let info = await e.setPacketFlags({ session, packets: [6, 8, 9], flag: 'marked', value: true });
    expect(info.marked).toBe(3);
    info = await e.setPacketFlags({ session, packets: [9], flag: 'marked', value: null });
    expect(info.marked).toBe(2);
    await e.setPacketFlags({ session, packets: [5], flag: 'timeRef', value: true });
    await e.setPacketFlags({ session, packets: [7], flag: 'ignored', value: true });
    const rows = await allRows(e, session);
    expect(rows.filter((r) => r.marked).map((r) => r.number)).toEqual([6, 8]);
    expect(rows[4]!.timeRef).toBe(true);
    expect(rows[4]!.time).toBe(0);
    expect(Math.round(rows[5]!.time * 1e9)).toBe((rows[5]!.epochSec - rows[4]!.epochSec) * 1e9 + rows[5]!.epochNsec - rows[4]!.epochNsec);
    expect(rows[6]!.ignored).toBe(true);
    expect(rows[6]!.info).toBe('<Ignored>');

    const marked: PacketRangeDto = { scope: 'marked', displayed: false, removeIgnored: false };
    expect(await e.rangeCount({ session, packets: marked })).toBe(2);
    const out = join(dir, 'marked.pcapng');
    const saved = await e.saveAs({ session, path: out, packets: marked });
    expect(saved).toMatchObject({ packets: 2, annotations: 2 });
    const back = collector();
    await readCaptureFile(out, back);
    expect(back.packets.map((p) => p.comments?.length ?? 0)).toEqual([1, 1]);

    await e.setFilter({ session, filter: 'frame.number >= 5 && frame.number <= 10' });
    const displayed: PacketRangeDto = { scope: 'all', displayed: true, removeIgnored: true };
    expect(await e.rangeCount({ session, packets: displayed })).toBe(5);
    const saved2 = await e.saveAs({ session, path: join(dir, 'displayed.pcapng'), packets: displayed });
    expect(saved2.packets).toBe(5);
    // An export of some packets does not count as saving the capture.
    expect((await e.sessionInfo({ session })).unsavedCapture).toBe(false);
    expect(await e.rangeCount({ session, packets: { scope: 'range', range: '1-3, 9-', displayed: true, removeIgnored: false } })).toBe(2);
    // A range of captured packets (the filter not applied), and every packet, read back.
    const range: PacketRangeDto = { scope: 'range', range: '2-4, 10', displayed: false, removeIgnored: false };
    const rangeOut = join(dir, 'range.pcapng');
    expect((await e.saveAs({ session, path: rangeOut, packets: range })).packets).toBe(4);
    const rangeBack = collector();
    await readCaptureFile(rangeOut, rangeBack);
    const stamp = (sec: number, nsec: number, len: number) => `${sec}.${nsec} ${len}`;
    expect(rangeBack.packets.map((p) => stamp(p.tsSec, p.tsNsec, p.wirelen))).toEqual([2, 3, 4, 10].map((n) => stamp(rows[n - 1]!.epochSec, rows[n - 1]!.epochNsec, rows[n - 1]!.length)));
    const all: PacketRangeDto = { scope: 'all', displayed: false, removeIgnored: false };
    expect((await e.saveAs({ session, path: join(dir, 'all.pcapng'), packets: all })).packets).toBe(rows.length);
  });

  it('reads ranges as Wireshark does', () => {
    expect(parseRange('1-10,15,20-', 30)).toEqual([[1, 10], [15, 15], [20, 30]]);
    expect(parseRange('-5', 30)).toEqual([[1, 5]]);
    expect(() => parseRange('a-b', 30)).toThrow(/not a packet number or range/);
  });
});

interface StatsCase {
  capture: string;
  filter: string;
  endpoints: Record<string, EndpointRowDto[]>;
  displayedEndpoints: Record<string, EndpointRowDto[]>;
  io: { interval: number; series: string[]; frames: number[][]; bytes: number[][] };
}
const stats = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'stats', 'tshark-stats.json'), 'utf8')) as { cases: StatsCase[] };
const byAddress = (rows: EndpointRowDto[]) => [...rows].sort((a, b) => a.address.localeCompare(b.address) || (a.port ?? 0) - (b.port ?? 0));

describe('Endpoints and the I/O graph agree with tshark -z endpoints and -z io,stat', () => {
  for (const c of stats.cases) {
    it(c.capture, async () => {
      const e = new EngineService();
      const session = await open(e, c.capture);
      const all = await e.endpoints({ session, limitToDisplay: false });
      for (const table of ['ipv4', 'ipv6', 'tcp', 'udp'] as const) expect(byAddress(all[table]), table).toEqual(byAddress(c.endpoints[table]!));
      await e.setFilter({ session, filter: c.filter });
      const shown = await e.endpoints({ session, limitToDisplay: true });
      for (const table of ['ipv4', 'ipv6', 'tcp', 'udp'] as const) expect(byAddress(shown[table]), `${table} limited to ${c.filter}`).toEqual(byAddress(c.displayedEndpoints[table]!));

      const graph = await e.ioGraph({
        session,
        intervalSeconds: c.io.interval,
        series: c.io.series.flatMap((filter) => [
          { filter, unit: 'packets' as const },
          { filter, unit: 'bytes' as const },
        ]),
      });
      c.io.series.forEach((filter, k) => {
        expect(graph.series[k * 2]!.values, `frames of "${filter}"`).toEqual(c.io.frames[k]);
        expect(graph.series[k * 2 + 1]!.values, `bytes of "${filter}"`).toEqual(c.io.bytes[k]);
      });
    });
  }

  it('an I/O graph series with a bad filter says why; other series still count', async () => {
    const e = new EngineService();
    const session = await open(e, 'local/tls12-rsa.pcap');
    const graph = await e.ioGraph({ session, intervalSeconds: 0.001, series: [{ filter: 'tcp.prot', unit: 'packets' }, { filter: '', unit: 'bits' }] });
    expect(graph.series[0]!.error).toContain('"tcp.prot" is neither a field nor a protocol name');
    expect(graph.series[1]!.values.reduce((x, y) => x + y, 0)).toBe(7907 * 8);
    await expect(e.ioGraph({ session, intervalSeconds: 0.000001, series: [{ filter: '', unit: 'packets' }] })).resolves.toBeDefined();
  });
});

describe('views limited to the display filter', () => {
  it('conversations and statistics count only displayed packets when asked', async () => {
    const e = new EngineService();
    const session = await open(e, 'local/tls12-rsa.pcap');
    await e.setFilter({ session, filter: 'tcp.stream == 1 && tcp.len > 0' });
    const { total, conversations: limited } = await e.conversations({ session, limitToDisplay: true });
    expect(total).toBe(1);
    expect(limited.map((c) => c.stream)).toEqual([1]);
    const shown = (await allRows(e, session)).length;
    expect(limited[0]!.packets[0] + limited[0]!.packets[1]).toBe(shown);
    expect((await e.conversations({ session })).conversations.length).toBe(2);
    const st = await e.statistics({ session, limitToDisplay: true });
    expect(st.protocolHierarchy[0]!.packets).toBe(shown);
    expect(st.handshakeLatencies.map((l) => l.conversation)).toEqual([limited[0]!.id]);
    expect((await e.statistics({ session })).protocolHierarchy[0]!.packets).toBe(34);
  });
});

describe('filter box support and detail items', () => {
  it('lists field and protocol names and checks filters as they are typed', async () => {
    const e = new EngineService();
    const cat = await e.fieldCatalogue({});
    expect(cat.fields.find((f) => f.name === 'tcp.srcport')).toEqual({ name: 'tcp.srcport', title: 'Source Port', type: 'uint' });
    expect(cat.fields.some((f) => f.name === 'ip.addr')).toBe(true);
    expect(cat.protocols).toContain('tls');
    expect(await e.checkFilter({ filter: 'tcp.port == 443' })).toEqual({ ok: true, error: null, position: null, warnings: [] });
    const bad = await e.checkFilter({ filter: 'tcp.prot == 1' });
    expect(bad.ok).toBe(false);
    expect(bad.error).toContain('"tcp.prot" is neither a field nor a protocol name');
    expect((await e.checkFilter({ filter: 'dns' })).warnings[0]).toContain('does not decode dns');
  });

  it('gives each tree item the filter Wireshark would make, its value and its frame links', async () => {
    const e = new EngineService();
    const session = await open(e, 'local/http11-keepalive.pcap');
    const walk = (nodes: FieldNodeDto[]): FieldNodeDto[] => nodes.flatMap((n) => [n, ...walk(n.children ?? [])]);
    // Frame 8 completes the first response (HTTP/1.1 200): it links to its request in frame 4.
    const detail = await e.packetDetail({ session, packet: 8 });
    const nodes = detail.layers.flatMap((l) => walk(l.fields));
    const by = (name: string) => nodes.find((n) => n.name === name)!;
    expect(detail.layers.map((l) => l.filter)).toEqual(['frame', 'eth', 'ip', 'tcp', 'http']);
    expect(by('ip.src').filter).toBe('ip.src == 127.0.0.1');
    expect(by('tcp.srcport').filter).toBe('tcp.srcport == 8080');
    expect(by('tcp.flags').filter).toBe('tcp.flags == 0x0018');
    expect(by('tcp.flags.push').filter).toBe('tcp.flags.push == 1');
    expect(by('http.response.code').filter).toBe('http.response.code == 200');
    expect(by('http.request_in')).toMatchObject({ filter: 'http.request_in == 4', frame: 4, value: '4' });
    expect(by('eth.type').filter).toBe('eth.type == 0x0800');
    expect(by('frame.len').value).toBe(String(by('frame.len').filter!.split(' == ')[1]));
  });

  it('links frame references to their packets: an IP fragment’s Reassembled in, the ACKed frame, the request', async () => {
    const e = new EngineService();
    const walk = (nodes: FieldNodeDto[]): FieldNodeDto[] => nodes.flatMap((n) => [n, ...walk(n.children ?? [])]);
    const links = async (session: string, packet: number) => {
      const nodes = (await e.packetDetail({ session, packet })).layers.flatMap((l) => walk(l.fields));
      return Object.fromEntries(nodes.filter((n) => n.frame !== undefined && n.frame !== null).map((n) => [n.name, n.frame]));
    };
    // tshark -2 -T fields -e tcp.analysis.acks_frame -e http.request_in / -e ip.reassembled_in
    const http = await open(e, 'zeek/http/get.pcap');
    expect(await links(http, 2)).toMatchObject({ 'tcp.analysis.acks_frame': 1 });
    expect(await links(http, 9)).toMatchObject({ 'http.request_in': 4 });
    expect(await links(http, 11)).toMatchObject({ 'tcp.analysis.acks_frame': 9 });
    // "Fragmented IP protocol (proto=UDP 17, off=0, ID=00f2) [Reassembled in #3]"
    const fragments = await open(e, 'zeek/ipv4/fragmented-1.pcap');
    expect(await links(fragments, 1)).toMatchObject({ 'ip.reassembled_in': 3 });
    expect(await links(fragments, 2)).toMatchObject({ 'ip.reassembled_in': 3 });
  });

  it('links references to later packets as Wireshark shows them once it has read the file: the PDU a segment began, the response to a request', async () => {
    const e = new EngineService();
    const walk = (nodes: FieldNodeDto[]): FieldNodeDto[] => nodes.flatMap((n) => [n, ...walk(n.children ?? [])]);
    const nodes = async (session: string, packet: number) => (await e.packetDetail({ session, packet })).layers.flatMap((l) => walk(l.fields));
    // tshark -2 -T fields -e tcp.reassembled_in -e http.response_in: the request completes in 4;
    // the response's segments 6-8 are reassembled in 9, which answers it.
    const http = await open(e, 'zeek/http/get.pcap');
    const request = await nodes(http, 4);
    expect(request.find((n) => n.name === 'http.response_in')).toMatchObject({ label: 'Response in frame: 9', frame: 9, filter: 'http.response_in == 9' });
    expect(request.some((n) => n.name === 'tcp.reassembled_in')).toBe(false);
    for (const segment of [6, 7, 8]) {
      const tcp = (await e.packetDetail({ session: http, packet: segment })).layers.find((l) => l.filter === 'tcp')!;
      const names = tcp.fields.map((n) => n.name);
      // packet-tcp.c puts it right after the TCP payload.
      expect(names[names.indexOf('tcp.payload') + 1]).toBe('tcp.reassembled_in');
      expect(tcp.fields.find((n) => n.name === 'tcp.reassembled_in')).toMatchObject({ label: '[Reassembled PDU in frame: 9]', frame: 9 });
    }
    expect((await nodes(http, 9)).some((n) => n.name === 'tcp.reassembled_in')).toBe(false);
    // The completing packet lists the segments, each a link (tshark -e tcp.segment: 6,7,8,9).
    const segments = (await nodes(http, 9)).find((n) => n.name === 'tcp.segments')!;
    expect(segments.label).toMatch(/^\[4 Reassembled TCP Segments \(\d+ bytes\): #6\(1448\), #7\(1448\), #8\(1448\), #9\(\d+\)\]$/);
    expect(segments.children!.filter((n) => n.name === 'tcp.segment').map((n) => n.frame)).toEqual([6, 7, 8, 9]);
    // A TLS record over three segments, the first of which also completes the Server Hello.
    const tls = await open(e, 'zeek/tls/client-certificate.pcap');
    expect((await nodes(tls, 6)).find((n) => n.name === 'tcp.reassembled_in')?.frame).toBe(11);
    // The display filter decides them too (tshark -2 -Y 'tcp.reassembled_in == 11': 6, 7, 9).
    const r = await e.setFilter({ session: tls, filter: 'tcp.reassembled_in == 11' });
    expect(r.error).toBeNull();
    expect((await e.rows({ session: tls, start: 0, count: r.displayed })).rows.map((x) => x.number)).toEqual([6, 7, 9]);
    const answered = await e.setFilter({ session: http, filter: 'http.response_in' });
    expect((await e.rows({ session: http, start: 0, count: answered.displayed })).rows.map((x) => x.number)).toEqual([4]);
  });
});
