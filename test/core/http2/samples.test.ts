import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import { HttpParser } from '../../../src/core/http/parser';
import { decodeBody } from '../../../src/core/http2/content-coding';
import { Repr } from '../../../src/core/http2/hpack';
import { Http2Parser } from '../../../src/core/http2/parser';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'http2');

async function h2(file: string, summaryOnly = false): Promise<Http2Parser> {
  const { analyzer } = await analyzeFile(join(fixtures, file), { summaryOnly });
  const apps = analyzer.flows.conversations.map((c) => c.app);
  const app = apps.find((a) => a instanceof Http2Parser) ?? apps.map((a) => (a instanceof HttpParser ? a.innerParser : null)).find((a) => a instanceof Http2Parser);
  if (!(app instanceof Http2Parser)) throw new Error(`no HTTP/2 in ${file}`);
  return app;
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('HTTP/2 streams of a real node:http2 conversation (h2c, prior knowledge)', () => {
  it('pairs requests and responses per stream, with outcomes', async () => {
    const s = (await h2('h2c-prior-knowledge.pcapng')).session;
    expect(s.start).toBe('preface');
    const rows = [...s.streams.values()].map((st) => [st.id, st.request.method, st.request.path, st.response.status, st.reset?.name ?? null, st.reset?.by ?? null]);
    expect(rows).toEqual([
      [1, 'GET', '/', 200, null, null],
      [3, 'GET', '/style.css', 200, null, null],
      [5, 'POST', '/api/login', 200, null, null],
      [7, 'GET', '/large', 200, null, null],
      [9, 'GET', '/events', 200, 'CANCEL', 0],
      [11, 'GET', '/refused', null, 'REFUSED_STREAM', 1],
      [13, 'GET', '/after-settings', 200, null, null],
    ]);
    expect([s.requests, s.responses, s.resets, s.statusCounts.get(200)]).toEqual([7, 6, 2, 6]);
    expect(s.goaways.map((g) => [g.by, g.lastStreamId, g.name, g.debug])).toEqual([
      [1, 13, 'NO_ERROR', 'sample finished'],
      [1, 13, 'NO_ERROR', ''],
      [0, 0, 'NO_ERROR', ''],
    ]);
    expect(s.problems).toEqual([]);
    expect(s.undecodableBlocks).toBe(0);
  });

  it('reassembles DATA bodies across frames and segments and undoes gzip, br and deflate for display', async () => {
    const s = (await h2('h2c-prior-knowledge.pcapng')).session;
    const body = (id: number, dir: 'request' | 'response'): Uint8Array => {
      const m = s.streams.get(id)![dir];
      return m.body!.subarray(0, m.bodyKept);
    };
    const html = decodeBody(body(1, 'response'), s.streams.get(1)!.response.contentEncoding);
    expect(html.coding).toBe('gzip');
    expect(text(html.bytes)).toContain('<h1>Hello over HTTP/2</h1>');
    expect(text(decodeBody(body(3, 'response'), 'br').bytes)).toMatch(/^body \{ font-family: sans-serif; \}/);
    expect(JSON.parse(text(decodeBody(body(5, 'response'), 'deflate').bytes))).toEqual({ ok: true, received: 33, user: 'sample' });
    expect(JSON.parse(text(body(5, 'request')))).toEqual({ user: 'sample', remember: true });
    const large = s.streams.get(7)!.response;
    expect([large.bodyBytes, large.contentLength, large.dataFrames, large.bodyTruncated]).toEqual([100000, 100000, 8, false]);
  });

  it('marks the never-indexed credential and the Huffman-coded values; the size update follows the SETTINGS change', async () => {
    const s = (await h2('h2c-prior-knowledge.pcapng')).session;
    const auth = s.streams.get(5)!.request.headers.find((h) => h.name === 'authorization')!;
    expect([auth.neverIndexed, auth.repr]).toEqual([true, Repr.NeverIndexedIndexedName]);
    expect(s.streams.get(1)!.request.headers.filter((h) => h.huffman).map((h) => h.name)).toContain(':authority');
    expect(s.settings[0].get(1)).toBe(256);
    const sizeUpdates = s.frameRecords.filter((r) => r.dir === 1 && r.stream === 13 && r.type === 1);
    expect(sizeUpdates).toHaveLength(1);
  });

  it('keeps only the summary in a whole-file pass: open streams, counts, no frame records', async () => {
    const s = (await h2('h2c-prior-knowledge.pcapng', true)).session;
    expect([s.requests, s.responses, s.resets, s.streamCount]).toEqual([7, 6, 2, 7]);
    expect(s.frameRecords).toEqual([]);
    expect(s.streams.size).toBe(0);
  });
});

describe('HTTP/2 after Upgrade: h2c, and a capture cut mid-connection', () => {
  it('stream 1 is the upgraded HTTP/1.1 request; its answer comes in HTTP/2', async () => {
    const parser = await h2('h2c-upgrade.pcapng');
    const st = parser.session.streams.get(1)!;
    expect([parser.session.start, st.upgraded, st.request.method, st.request.path, st.request.authority]).toEqual(['upgrade', true, 'GET', '/upgrade', 'wireladder.test']);
    expect([st.response.status, st.response.contentType, st.response.bodyBytes]).toEqual([200, 'text/plain; charset=utf-8', 80]);
  });

  it('header blocks that refer to entries from before the capture are marked undecodable with the reason; no crash', async () => {
    const s = (await h2('h2c-midstream.pcapng')).session;
    expect(s.start).toBe('frames');
    expect(s.undecodableBlocks).toBeGreaterThan(0);
    const first = [...s.streams.values()].find((st) => st.request.undecodable !== null)!;
    expect(first.request.undecodable).toMatch(/dynamic table entry \d+, added before the capture began/);
    // What could be decoded still is: methods, paths and statuses of the later streams.
    expect([...s.streams.values()].map((st) => [st.id, st.request.method, st.request.path, st.response.status])).toContainEqual([13, 'GET', '/after-settings', 200]);
  });
});
