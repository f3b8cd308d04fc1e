// The HTTP/2 views' data: a connection's streams in the Conversations tab, Follow HTTP/2 stream,
// statistics, and the packet detail (layer 7 holds one HTTP/2 layer per frame).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineService } from '../../../src/core/service/engine-service';

const h2c = join(__dirname, '..', '..', 'fixtures', 'http2', 'h2c-prior-knowledge.pcapng');

async function open(path: string): Promise<{ e: EngineService; session: string }> {
  const e = new EngineService();
  const { session } = await e.openFile({ path });
  await e.whenLoaded(session);
  return { e, session };
}

describe('HTTP/2 in the engine service', () => {
  it('the conversation row sums up its streams; the streams replay one by one with outcomes', async () => {
    const { e, session } = await open(h2c);
    const [conv] = (await e.conversations({ session })).conversations;
    expect(conv!.http2).toEqual({ streams: 7, requests: 7, responses: 6, resets: 2, goaway: 'NO_ERROR (last stream 13)', undecodable: 0 });
    const dto = await e.http2Streams({ session, conversation: 0 });
    expect(dto.start).toBe('preface');
    expect(dto.streams.map((s) => [s.id, s.method, s.path, s.status, s.outcome, s.reset?.by ?? null, s.reset?.error ?? null])).toEqual([
      [1, 'GET', '/', 200, 'complete', null, null],
      [3, 'GET', '/style.css', 200, 'complete', null, null],
      [5, 'POST', '/api/login', 200, 'complete', null, null],
      [7, 'GET', '/large', 200, 'complete', null, null],
      [9, 'GET', '/events', 200, 'reset', 'client', 'CANCEL'],
      [11, 'GET', '/refused', null, 'reset', 'server', 'REFUSED_STREAM'],
      [13, 'GET', '/after-settings', 200, 'complete', null, null],
    ]);
    const large = dto.streams.find((s) => s.id === 7)!;
    expect([large.responseBytes, large.firstPacket, large.lastPacket]).toEqual([100000, 14, 121]);
    expect(large.wait).toBeGreaterThan(0.02);
    expect(dto.settings.client).toContainEqual({ name: 'SETTINGS_HEADER_TABLE_SIZE', value: 256 });
    expect(dto.goaways[0]).toEqual({ by: 'server', lastStreamId: 13, error: 'NO_ERROR', debug: 'sample finished', packet: 135 });
    await e.closeSession({ session });
  });

  it('Follow HTTP/2 stream N shows the header fields and the decoded body', async () => {
    const { e, session } = await open(h2c);
    const f = await e.followHttp2Stream({ session, conversation: 0, stream: 1 });
    expect(f.request.headers).toContainEqual([':path', '/']);
    expect([f.response.coding, f.response.bodyBytes, f.response.binary]).toEqual(['gzip', 2166, false]);
    expect(f.response.decodedBytes).toBe(11245);
    expect(f.text).toContain(':status: 200');
    expect(f.text).toContain('<h1>Hello over HTTP/2</h1>');
    const large = await e.followHttp2Stream({ session, conversation: 0, stream: 7 });
    expect(large.response.binary).toBe(true);
    expect(large.response.body).toMatch(/^\[100000 bytes of application\/octet-stream; the first 256 in hex\]/);
    await expect(e.followHttp2Stream({ session, conversation: 0, stream: 99 })).rejects.toThrow(/no HTTP\/2 stream 99/);
    await e.closeSession({ session });
  });

  it('statistics count status codes and requests per connection', async () => {
    const { e, session } = await open(h2c);
    const st = await e.statistics({ session });
    expect(st.http2).toEqual({
      connections: 1,
      requests: 7,
      resets: 2,
      statusCodes: [{ name: '200', count: 6 }],
      perConnection: [{ conversation: 0, label: '0: 192.0.2.10 → 198.51.100.40:8080', streams: 7, requests: 7, resets: 2 }],
    });
    expect(st.protocolHierarchy[0]!.children[0]!.children[0]!.children.map((c) => c.name)).toEqual(['HTTP2']);
    await e.closeSession({ session });
  });

  it('the detail of a packet with several frames has one HTTP/2 layer per frame, on layer 7', async () => {
    const { e, session } = await open(h2c);
    const d = await e.packetDetail({ session, packet: 4 });
    const h2 = d.layers.filter((l) => l.protocol === 'http2');
    expect(h2.map((l) => l.fields[0]!.label)).toEqual(['Stream: Magic', 'Stream: SETTINGS, Stream ID: 0, Length 12', 'Stream: HEADERS, Stream ID: 1, Length 60, GET /', 'Stream: HEADERS, Stream ID: 3, Length 22, GET /style.css']);
    expect(h2.every((l) => l.osi === 7)).toBe(true);
    expect(d.sources.map((s) => s.name)).toContain('Decompressed Header');
    await e.closeSession({ session });
  });
});

describe('HTTP/2 inside decrypted TLS (ALPN h2, keys in the capture)', () => {
  it('the TLS connection carries the same streams, and its ladder draws them', async () => {
    const { e, session } = await open(join(__dirname, '..', '..', 'fixtures', 'http2', 'h2-tls13.pcapng'));
    const [conv] = (await e.conversations({ session })).conversations;
    expect(conv!.tls?.alpn).toBe('h2');
    expect(conv!.http2).toEqual({ streams: 7, requests: 7, responses: 6, resets: 2, goaway: 'NO_ERROR (last stream 13)', undecodable: 0 });
    const dto = await e.http2Streams({ session, conversation: 0 });
    expect(dto.streams.map((s) => [s.id, s.path, s.status, s.outcome])).toEqual([
      [1, '/', 200, 'complete'],
      [3, '/style.css', 200, 'complete'],
      [5, '/api/login', 200, 'complete'],
      [7, '/large', 200, 'complete'],
      [9, '/events', 200, 'reset'],
      [11, '/refused', null, 'reset'],
      [13, '/after-settings', 200, 'complete'],
    ]);
    const f = await e.followHttp2Stream({ session, conversation: 0, stream: 3 });
    expect(f.response.coding).toBe('br');
    expect(f.response.body).toMatch(/^body \{ font-family: sans-serif; \}/);
    const ladder = await e.ladder({ session, conversation: 0, options: { showAcks: false, layout: 'time', theme: 'light', language: 'en', collapseAppData: 4 } });
    const labels = ladder.model.steps.map((s) => s.label);
    expect(labels).toContain('Connection preface, SETTINGS, HEADERS stream 1: GET /, HEADERS stream 3: GET /style.css');
    expect(labels).toContain('HEADERS+DATA stream 1: 200 text/html 2.1 KB, HEADERS+DATA stream 3: 200 text/css 288 B');
    expect(ladder.model.facts).toContainEqual({ label: 'ALPN', value: 'h2' });
    // Frames of a packet come from decrypted records: their layer 7 points into "Decrypted TLS".
    const d = await e.packetDetail({ session, packet: 9 });
    expect(d.layers.filter((l) => l.protocol === 'http2')).toHaveLength(4);
    expect(d.sources.some((s) => s.name.startsWith('Decrypted TLS'))).toBe(true);
    await e.closeSession({ session });
  });
});
