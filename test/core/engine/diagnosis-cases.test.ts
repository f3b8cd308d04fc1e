// The cases of issue 16, each on a capture that reproduces it (test/fixtures/diagnosis, made by
// scripts/make-diagnosis-fixtures.mjs, or the corpus): the verdict, the ladder's sentences and the
// packet list's Info, checked against the facts and against tshark 4.0 (the fixtures' *.tshark.txt).
// Before issue 16 each of these said something the wire contradicts (noted per case).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LadderModel } from '../../../src/core/ladder/model';
import { ladderFromFile } from '../../../src/core/ladder/build';
import { EngineService } from '../../../src/core/service/engine-service';
import type { ConversationDto, PacketDetail, PacketRow } from '../../../src/core/service/dto';
import { corpusPath } from '../io/helpers';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'diagnosis');
const fixture = (name: string): string => join(fixtures, name);

const service = new EngineService();
afterAll(async () => {
  for (const s of await service.listSessions({})) await service.closeSession({ session: s.session });
});

interface Opened {
  session: string;
  rows: PacketRow[];
  conversations: ConversationDto[];
}

const opened = new Map<string, Promise<Opened>>();
function open(path: string): Promise<Opened> {
  let o = opened.get(path);
  if (o === undefined) {
    o = (async () => {
      const { session } = await service.openFile({ path });
      const info = await service.whenLoaded(session);
      const rows = (await service.rows({ session, start: 0, count: info.packets })).rows;
      return { session, rows, conversations: (await service.conversations({ session })).conversations };
    })();
    opened.set(path, o);
  }
  return o;
}

async function detail(path: string, packet: number): Promise<PacketDetail> {
  return service.packetDetail({ session: (await open(path)).session, packet });
}

/** tshark's protocol and Info per frame (the fixture's last two columns). */
function tshark(name: string): Map<number, { stream: string; protocol: string; info: string }> {
  const out = new Map<number, { stream: string; protocol: string; info: string }>();
  for (const line of readFileSync(fixture(name.replace(/\.pcap$/, '.tshark.txt')), 'utf8').split('\n')) {
    if (line === '') continue;
    const [frame, stream, protocol, info] = line.split('\t') as [string, string, string, string];
    out.set(Number(frame), { stream, protocol, info });
  }
  return out;
}

const said = (m: LadderModel, key: string): number[] => m.steps.filter((s) => s.says?.some((x) => x.key === key)).map((s) => s.index);
const stepOf = (m: LadderModel, frame: number) => m.steps.find((s) => s.packets.includes(frame))!;
const labels = (d: PacketDetail): string[] => d.layers.flatMap((l) => l.fields.map((f) => f.label));

describe('1. a handshake is complete only with both Finished in order and nothing malformed before', () => {
  // Before: "complete: TLS 1.2 handshake completed (RSA)", the corrupted bytes nowhere.
  it('a corrupted client ChangeCipherSpec header (14 ff ff ff 01) fails the handshake, names the bytes and marks them', async () => {
    const path = fixture('tls12-ccs-corrupt.pcap');
    const m = await ladderFromFile(path, 0);
    expect(m.verdict.status).toBe('failed');
    expect(m.verdict.reason).toBe(
      'the TLS handshake broke at frame 8: the client sent malformed bytes (record header 14 ff ff ff 01: no TLS version (0xffff), a length of 65,281 beyond the 18,432 bytes a record may hold); no ChangeCipherSpec from the client was seen',
    );
    const step = stepOf(m, 8);
    expect(step.label).toBe('ClientKeyExchange, Malformed (51 bytes)');
    expect(step.problem).toContain('record header 14 ff ff ff 01');
    expect(step.explanation).toMatch(/^Malformed: the client sent bytes that break the protocol here \(record header 14 ff ff ff 01/);
    expect(said(m, 'tls.handshakeDone')).toEqual([]);
    // 393 = the 126-byte ClientHello and the 267-byte ClientKeyExchange record before it.
    expect(m.diagnosis.tls).toMatchObject({ complete: false, missing: { side: 'client', message: 'ChangeCipherSpec' }, malformed: { frame: 8, streamOffset: 393, length: 51 } });
    // The conversations table says the same.
    const o = await open(path);
    expect(o.conversations[0]!.verdict).toMatchObject({ status: 'failed', reason: m.verdict.reason });
    // The packet tree shows the 51 bytes (frame offsets 333–383) and the hex view gets them.
    const d = await detail(path, 8);
    expect(labels(d)).toContain('[Malformed: record header 14 ff ff ff 01: no TLS version (0xffff), a length of 65,281 beyond the 18,432 bytes a record may hold]');
    expect(d.malformed).toEqual([{ source: 0, start: 333, length: 51, reason: expect.stringContaining('14 ff ff ff 01') as string }]);
    expect(d.expert).toContainEqual({ severity: 'Error', group: 'Malformed', protocol: 'TLS', summary: expect.stringContaining('14 ff ff ff 01') as string });
    // The TLS records view shows them where they sat, between ClientKeyExchange and the next record.
    const records = await service.tlsRecords({ session: o.session, conversation: 0 });
    expect(records.records.find((r) => r.malformed !== null)).toMatchObject({ dir: 'client', contentType: 'Not a TLS record', length: 51, segments: [{ packet: 8, offset: 333, length: 51 }] });
    // List Info as tshark up to the damage (tshark then waits for the 65,281 bytes the header claims;
    // WireLadder finds the next record header and reads on).
    const t = tshark('tls12-ccs-corrupt.pcap');
    for (const row of o.rows.slice(0, 9)) expect(row.info, `frame ${row.number}`).toBe(t.get(row.number)!.info);
  });

  // Before: "Conversations says COMPLETE".
  it('a malformed server Certificate with no ServerHelloDone fails the handshake at that step', async () => {
    const path = fixture('tls12-cert-malformed.pcap');
    const m = await ladderFromFile(path, 0);
    expect(m.verdict).toMatchObject({
      status: 'failed',
      reason: 'the TLS handshake broke at frame 6: the server sent malformed bytes (certificates: length 3820 exceeds the message); no ServerHelloDone from the server was seen',
    });
    expect(stepOf(m, 6).problem).toBe('certificates: length 3820 exceeds the message');
    expect((await open(path)).conversations[0]!.verdict!.status).toBe('failed');
    expect(labels(await detail(path, 6))).toContain('[Malformed: certificates: length 3820 exceeds the message]');
  });

  // Before: "shown as plain TCP, verdict complete".
  it('a heartbeat answered with twenty times its size is Heartbleed; both are "Encrypted Heartbeat" as in tshark', async () => {
    const path = fixture('tls12-heartbeat-mismatch.pcap');
    const m = await ladderFromFile(path, 0);
    expect(m.verdict.status).toBe('failed');
    expect(m.verdict.reason).toMatch(/^Heartbleed: the server answered a heartbeat of 102 bytes with 2,070 bytes \(frame 11\)/);
    expect(stepOf(m, 10).label).toBe('Encrypted Heartbeat (102 bytes)');
    expect(stepOf(m, 11)).toMatchObject({ label: 'Encrypted Heartbeat (2,070 bytes)', kind: 'tls-alert' });
    expect(stepOf(m, 11).explanation).toContain('the Heartbleed bug (CVE-2014-0160)');
    const o = await open(path);
    const t = tshark('tls12-heartbeat-mismatch.pcap');
    for (const f of [10, 11]) expect(o.rows[f - 1]!.info).toBe(t.get(f)!.info);
    expect((await detail(path, 11)).expert.map((x) => x.summary)).toContainEqual(expect.stringMatching(/^Heartbeat response of 2070 bytes answers a heartbeat of 102 bytes/));
  });

  it('heartbleed.pcap: the request claiming 16,365 bytes in a 16,368-byte record is a Heartbleed probe, as tshark reads it', async () => {
    const path = corpusPath('zeek/tls/heartbleed.pcap');
    const m = await ladderFromFile(path, 0);
    expect(m.verdict.status).toBe('failed');
    expect(m.verdict.reason).toMatch(/^Heartbleed probe: the client’s heartbeat request in frame 19 claims 16,365 bytes of payload in a record of 16,368 bytes/);
    expect(stepOf(m, 19).label).toMatch(/^Heartbeat Request/);
    const o = await open(path);
    expect(o.rows[18]!.info).toBe('Heartbeat Request');
    expect((await detail(path, 19)).expert).toContainEqual({ severity: 'Error', group: 'Malformed', protocol: 'TLS', summary: 'Invalid heartbeat payload length (16365)' });
  });
});

describe('2. TCP port reuse', () => {
  it('a new ISN on the same ports is a new tcp.stream with tshark’s [TCP Port numbers reused]', async () => {
    const path = fixture('port-reuse.pcap');
    const o = await open(path);
    const t = tshark('port-reuse.pcap');
    expect(o.rows.map((r) => String(o.conversations[r.conversation]!.stream))).toEqual([...t.values()].map((x) => x.stream));
    expect(o.rows[2]!.info).toBe(t.get(3)!.info);
    expect(o.rows[2]!.info).toMatch(/^\[TCP Port numbers reused\] 40001 → 18081 \[SYN\]/);
    expect(o.conversations.map((c) => c.verdict?.status)).toEqual(['failed', 'complete']);
  });

  // Before: "closed by a RST after all data was acknowledged" from the wrong side, "TCP handshake:
  // steps 1–1", then reset to the end; the retried SYN "No SYN/ACK came back".
  it('the same ISN after a refused SYN is a second attempt in one stream, and every sentence agrees with the verdict', async () => {
    const path = fixture('port-reuse-same-isn.pcap');
    const m = await ladderFromFile(path, 0);
    expect(m.verdict).toEqual({
      status: 'complete',
      reason: 'TCP connection established, 153 bytes of data exchanged; closed by a RST from the client after all data was acknowledged',
      findings: ['an earlier connection on these ports (frames 1–2) ended with RST from the server, and the client connected again'],
    });
    expect(m.phases.map((p) => [p.phase, p.firstStep, p.lastStep])).toEqual([
      ['tcp-handshake', 1, 1],
      ['reset', 2, 2],
      ['tcp-handshake', 3, 5],
      ['application-data', 6, 7],
      ['reset', 8, 8],
    ]);
    expect(said(m, 'tcp.rst.refused')).toEqual([2]);
    expect(said(m, 'tcp.syn.restart')).toEqual([3]);
    expect(said(m, 'tcp.syn.again')).toEqual([]);
    expect(said(m, 'tcp.rst.clean')).toEqual([8]);
    // The refused port was never listening: the server is CLOSED, not SYN_RECEIVED, before the RST.
    expect(m.steps[0]!.serverState).toBe('CLOSED');
    expect(m.steps[7]).toMatchObject({ from: 'client', clientState: 'CLOSED', serverState: 'CLOSED' });
    const o = await open(path);
    const t = tshark('port-reuse-same-isn.pcap');
    expect(o.rows.map((r) => r.info.replace(/ .*/, ''))).toEqual([...t.values()].map((x) => x.info.replace(/ .*/, '')));
  });
});

describe('3. plain HTTP on port 443', () => {
  // Before: "SSL Continuation Data", "not in this packet", the client's RST blamed.
  it('the server’s HTTP 400 answer to a ClientHello is HTTP, and the verdict says the server speaks plain HTTP', async () => {
    const path = fixture('http-on-443.pcap');
    const o = await open(path);
    const t = tshark('http-on-443.pcap');
    expect(o.rows[5]).toMatchObject({ protocol: t.get(6)!.protocol, info: t.get(6)!.info });
    expect(o.rows[5]!.info).toBe('HTTP/1.1 400 Bad Request  (text/html)');
    const m = await ladderFromFile(path, 0);
    expect(m.verdict).toEqual({ status: 'failed', reason: 'the server speaks plain HTTP on this port: frame 6 is HTTP, not TLS, so no TLS handshake took place', findings: [] });
    expect(m.title).toBe('Plain HTTP on TLS port 443');
    expect(stepOf(m, 6).explanation).toMatch(/^The server speaks plain HTTP on this port: it answers the client’s TLS ClientHello with a plain-text HTTP message/);
    const d = await detail(path, 6);
    expect(d.layers.map((l) => l.protocol)).toContain('http');
    expect(d.expert).toContainEqual({ severity: 'Warning', group: 'Security', protocol: 'HTTP', summary: 'Unencrypted HTTP protocol detected over encrypted port, could indicate a dangerous misconfiguration.' });
  });
});

describe('4. HTTP across a lost segment', () => {
  // Before: 200 OK with all its body, 12 HTTP packets against tshark's 11, "1 request without a
  // response" in the tooltip and no gap in the ladder.
  it('one truth in every view: the response is incomplete, the counts agree with tshark, the ladder draws the hole', async () => {
    const path = fixture('http-lost-segment.pcap');
    const o = await open(path);
    const t = tshark('http-lost-segment.pcap');
    const http = (rows: { protocol: string }[]): number => rows.filter((r) => r.protocol === 'HTTP').length;
    expect(http(o.rows)).toBe(http([...t.values()]));
    expect(http(o.rows)).toBe(11);
    expect(o.rows[19]).toMatchObject({ protocol: 'TCP' });
    const v = o.conversations[0]!.verdict!;
    expect(v.status).toBe('incomplete');
    expect(v.reason).toBe('5 HTTP requests answered; 1 HTTP request answered only in part: 22,976 bytes of the response not captured (response in frame 17); closed cleanly');
    expect(v.findings).toEqual(['the capture misses 22,976 bytes sent by the server (the first hole is before frame 18)']);
    expect(o.conversations[0]!.flags).toContain('lost segments');
    const m = await ladderFromFile(path, 0);
    expect(m.verdict).toEqual(v);
    const after = stepOf(m, 18);
    expect(m.holes).toEqual([{ beforeStep: after.index, side: 'server', bytes: 22976, frame: 18 }]);
    expect(after.explanation).toMatch(/^The capture misses 22,976 bytes the server sent before this segment/);
    expect(stepOf(m, 17).explanation).toContain('The capture misses 22,976 bytes of this response, so it is incomplete here.');
    expect(o.rows[17]!.info).toMatch(/^\[TCP Previous segment not captured\] /);
  });
});

describe('5. each latency defined once, with its endpoints', () => {
  it('statistics, ladder brackets and the handshake sentence give the same TLS handshake time (ClientHello → last Finished)', async () => {
    for (const file of ['local/tls12-rsa.pcap', 'local/tls12-ecdhe.pcap', 'local/tls13.pcap', 'local/mtls12.pcap', 'zeek/tls/missing-intermediate.pcap', 'zeek/tls/hrr.pcap']) {
      const path = corpusPath(file);
      const o = await open(path);
      const stats = await service.statistics({ session: o.session });
      for (const l of stats.handshakeLatencies) {
        if (l.tlsHandshake === null) continue;
        const c = o.conversations.find((x) => x.id === l.conversation)!;
        const m = await ladderFromFile(path, c.stream);
        const bracket = m.brackets.find((b) => b.label === 'TLS handshake')!;
        expect(bracket.seconds, file).toBe(l.tlsHandshake);
        expect(m.diagnosis.latency.tlsHandshake).toEqual(l.spans.tlsHandshake);
        const done = m.steps.find((s) => s.says?.some((x) => x.key === 'tls.handshakeDone'))!;
        expect(done.packets).toContain(l.spans.tlsHandshake!.toFrame);
        const tcp = m.brackets.find((b) => b.label === 'TCP connect');
        if (tcp !== undefined) expect(tcp.seconds).toBe(l.tcpConnect);
      }
    }
  });
});

describe('6. HTTP headers appear once in the packet tree', () => {
  it('http11-keepalive.pcap #8: every header line once (the http.response.line copies are hidden, as in Wireshark)', async () => {
    const path = corpusPath('local/http11-keepalive.pcap');
    const d = await detail(path, 8);
    const http = d.layers.find((l) => l.protocol === 'http')!;
    const lines = http.fields.map((f) => f.label).filter((l) => l.endsWith('\\r\\n'));
    expect(lines).toEqual(['HTTP/1.1 200 OK\\r\\n', 'Server: SimpleHTTP/0.6 Python/3.11.7\\r\\n', 'Date: Sun, 22 Nov 2026 23:45:49 GMT\\r\\n', 'Content-type: text/html\\r\\n', 'Content-Length: 17\\r\\n', 'Last-Modified: Sun, 22 Nov 2026 23:45:47 GMT\\r\\n', '\\r\\n']);
  });
});

describe('7. cipher suites counted as tshark counts them', () => {
  it('missing-intermediate: 74 suites (TLS_EMPTY_RENEGOTIATION_INFO_SCSV among them, and said to be a signal)', async () => {
    const m = await ladderFromFile(corpusPath('zeek/tls/missing-intermediate.pcap'), 0);
    const hello = stepOf(m, 4);
    expect(hello.label).toBe('ClientHello (74 suites)');
    expect(hello.explanation).toContain('it offers TLS 1.2 with 74 cipher suites. One of them, TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00ff), is a signal rather than a cipher suite');
  });
});
