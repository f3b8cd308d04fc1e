import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mark, Packet, Proto } from '../../../src/core/dissect/packet';
import { TreeBuilder, walkFields } from '../../../src/core/dissect/tree';
import type { Direction, SegmentSpan, StreamHost } from '../../../src/core/flow/app-parser';
import { createHttpFactory, httpFactory, looksLikeHttp, type HttpParser } from '../../../src/core/http/parser';
import { ACK, FIN_ACK, bytesOf, tcpConversation, type Segment } from './pcap-builder';
import { streamBytes } from './stream-helper';

const treeHost: StreamHost = { spans: (): SegmentSpan[] => [], keepsSpans: false, wantsTrees: true };
const fastHost: StreamHost = { ...treeHost, wantsTrees: false };

/**
 * Drives a parser directly: each piece is one packet (row = index) whose frame is just the piece,
 * so frame offsets are 0 and every packet has a tree on the tree path.
 */
function feed(pieces: readonly (readonly [Direction, Uint8Array | string])[], opts: { trees?: boolean; parser?: HttpParser } = {}) {
  const trees = opts.trees ?? true;
  const parser = opts.parser ?? httpFactory.create(trees ? treeHost : fastHost);
  const offsets = [0, 0];
  const packets = pieces.map(([dir, data], row) => {
    const bytes = typeof data === 'string' ? bytesOf(data) : data;
    const p = new Packet();
    p.reset(bytes, 0, bytes.length, bytes.length, 1);
    p.number = row + 1;
    p.tsSec = 1700000000;
    p.tsNsec = row * 1_000_000;
    p.tree = trees ? new TreeBuilder(bytes) : null;
    parser.data(dir, bytes, 0, bytes.length, { p, row, streamOffset: offsets[dir]!, frameOffset: 0 });
    offsets[dir]! += bytes.length;
    return p;
  });
  return { parser, packets, session: parser.session, values: (row: number, name: string) => valuesOf(packets[row]!, name) };
}

function valuesOf(p: Packet, name: string): string[] {
  if (p.tree === null) return [];
  return [...walkFields(p.tree.layers)].filter((n) => n.name === name).map((n) => n.text);
}

const GET = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';

// A chunked response with chunk extensions (RFC 9112 §7.1.1) and a trailer section (§7.1.2).
const CHUNKED =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n' +
  '5;name=value\r\nhello\r\n' + // chunk-size with an extension
  '6 ; ext\r\n world\r\n' + // whitespace before the extension
  '0\r\n' + // last-chunk
  'X-Trailer: yes\r\nX-Other: 2\r\n' + // trailer fields
  '\r\n';

describe('chunked bodies', () => {
  it('decode sizes, extensions and trailers', () => {
    const { session, packets, values } = feed([[0, GET], [1, CHUNKED]]);
    const res = session.transactions[0]!.response!;
    expect(res.framing).toBe('chunked');
    expect(res.bodyLength).toBe(11);
    expect(res.bodyWireLength).toBe(CHUNKED.length - CHUNKED.indexOf('\r\n\r\n') - 4);
    expect(res.trailers).toEqual([['X-Trailer', 'yes'], ['X-Other', '2']]);
    expect(res.complete).toBe(true);
    expect(packets[1]!.appInfo).toBe('HTTP/1.1 200 OK  (text/plain)');
    expect(values(1, 'http.chunk_size')).toEqual(['5', '6', '0']);
    expect(values(1, 'http.chunk_data')).toEqual(['68656c6c6f', '20776f726c64']);
    expect(values(1, 'http.chunked_trailer_part')).toEqual(['X-Trailer: yes\\r\\n', 'X-Other: 2\\r\\n']);
    expect(values(1, 'http.file_data')).toEqual(['hello world']);
  });

  it('split at every byte boundary, or fed a byte at a time, give the same result', () => {
    const whole = feed([[0, GET], [1, CHUNKED]]);
    const wholeResponse = whole.session.transactions[0]!.response!;
    for (let k = 1; k < CHUNKED.length; k++) {
      const r = feed([[0, GET], [1, CHUNKED.slice(0, k)], [1, CHUNKED.slice(k)]]);
      const res = r.session.transactions[0]!.response!;
      expect(res.completedRow).toBe(2);
      // Everything but where (and when) it completed is the same as for the whole message.
      expect({ ...res, completedRow: 1, time: wholeResponse.time }).toEqual(wholeResponse);
      expect(r.values(2, 'http.chunk_size')).toEqual(['5', '6', '0']);
      expect(r.values(2, 'http.file_data')).toEqual(['hello world']);
      // The message spans two packets: its fields point into a reassembled copy.
      expect(r.packets[2]!.tree!.sources.map((s) => s.name)).toEqual(['Frame', 'Reassembled TCP']);
      expect(r.packets[1]!.appInfo).toBe(k >= 'HTTP/1.1 200 OK\r\n'.length ? 'HTTP/1.1 200 OK ' : null);
    }
    const bytewise = feed([[0, GET], ...Array.from(CHUNKED, (c) => [1, c] as const)]);
    const res = bytewise.session.transactions[0]!.response!;
    expect(res.bodyLength).toBe(11);
    expect(res.trailers.length).toBe(2);
    expect(res.completedRow).toBe(CHUNKED.length);
    expect(bytewise.values(CHUNKED.length, 'http.file_data')).toEqual(['hello world']);
  });

  it('says when a message is under way, for the flow stage to mark its segments', () => {
    const { parser } = feed([[0, GET], [1, CHUNKED.slice(0, 80)]]);
    expect([parser.inMessage(0), parser.inMessage(1)]).toEqual([false, true]);
  });

  it('a bad chunk size is malformed and the parser moves on to the next message', () => {
    const bad = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nHTTP/1.1 204 No Content\r\n\r\n';
    const { session, packets } = feed([[0, GET + GET], [1, bad]]);
    expect(session.damage.map((d) => d.reason)).toEqual(['bad chunk size "zz"']);
    expect(packets[1]!.marks & Mark.Malformed).toBe(Mark.Malformed);
    expect(session.transactions[0]!.response!.malformed).toBe('bad chunk size "zz"');
    expect(session.transactions[1]!.response!.code).toBe(204);
  });
});

describe('message framing', () => {
  it('HEAD, 204 and 304 responses have no body even with a Content-Length', () => {
    const { session } = feed([
      [0, 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n'],
      [1, 'HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc'],
    ]);
    expect(session.transactions.map((t) => [t.request!.uri, t.response!.code, t.response!.framing, t.response!.bodyLength])).toEqual([
      ['/', 200, 'none', 0],
      ['/a', 204, 'none', 0],
      ['/b', 304, 'none', 0],
      ['/c', 200, 'content-length', 3],
    ]);
    expect(session.maxPipelineDepth).toBe(4);
  });

  it('a response without length runs until the server closes, and is shown on the FIN', () => {
    const segments: Segment[] = [
      [0, GET],
      [1, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello'],
      [1, ' world'],
      [0, null, ACK],
      [1, null, FIN_ACK],
      [0, null, FIN_ACK],
    ];
    const s = streamBytes(tcpConversation(segments), httpFactory);
    const t = (s.connections[0]!.parser as HttpParser).session.transactions[0]!;
    expect(t.response!.framing).toBe('close');
    expect(t.response!.bodyLength).toBe(11);
    expect(t.response!.completedRow + 1).toBe(8);
    expect(t.keepAlive).toBe(false);
    expect(t.keepAliveReason).toBe('the response body runs until the connection closes');
    expect(s.packets[7]!.top).toBe(Proto.Http);
    expect(s.packets[7]!.appInfo).toBe('HTTP/1.1 200 OK  (text/plain)');
    expect(s.values(7, 'http.file_data')).toBe('hello world');
    expect(s.packets[4]!.appInfo).toBe('HTTP/1.1 200 OK ');
    expect(s.packets[5]!.appInfo).toBe(null);
  });

  it('without the FIN (capture cut) that response stays incomplete and is shown nowhere', () => {
    const s = streamBytes(tcpConversation([[0, 'GET / HTTP/1.0\r\n\r\n'], [1, 'HTTP/1.0 200 OK\r\n\r\nbody']]), httpFactory);
    const t = (s.connections[0]!.parser as HttpParser).session.transactions[0]!;
    expect(t.response!.complete).toBe(false);
    expect(t.response!.completedRow).toBe(-1);
    expect(t.response!.bodyLength).toBe(4);
    expect(s.packets.filter((p) => p.top === Proto.Http).length).toBe(1);
  });

  it('pipelined requests in one segment are paired with their responses in order', () => {
    const s = streamBytes(
      tcpConversation([
        [0, 'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHo'],
        [0, 'st: x\r\n\r\n'],
        [1, 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nbbHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nc'],
        [1, 'cc'],
      ]),
      httpFactory,
    );
    const session = (s.connections[0]!.parser as HttpParser).session;
    expect(session.transactions.map((t) => `${t.request!.uri} ${t.response!.code} ${t.response!.bodyLength}`)).toEqual(['/1 200 1', '/2 404 2', '/3 200 3']);
    expect(session.maxPipelineDepth).toBe(3);
    // tshark's Info for these packets, field for field.
    expect(s.packets[3]!.appInfo).toBe('GET /1 HTTP/1.1 GET /2 HTTP/1.1 GET /3 HTTP/1.1 ');
    expect(s.packets[4]!.appInfo).toBe('GET /3 HTTP/1.1 ');
    expect(s.packets[5]!.appInfo).toBe('HTTP/1.1 200 OK HTTP/1.1 404 Not Found HTTP/1.1 200 OK ');
    expect(s.values(3, 'http.request.uri')).toBe('/1,/2');
    expect(s.values(5, 'http.response.code')).toBe('200,404');
    // Each response is timed against its own request (tshark mismatches these in one packet).
    expect(s.values(5, 'http.request_in')).toBe('4,4');
    expect(s.values(6, 'http.request_in')).toBe('5');
  });

  it('lines may end in a bare LF, and obsolete folded header lines continue the previous value', () => {
    const { session } = feed([[0, 'GET / HTTP/1.1\nHost: x\nX-A: a\n  folded\n\n'], [1, 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok']]);
    const t = session.transactions[0]!;
    expect(t.request!.headers).toEqual([['Host', 'x'], ['X-A', 'a folded']]);
    expect(t.response!.bodyLength).toBe(2);
  });

  it('a Content-Length that is not a number is recorded and the response read until close', () => {
    const { session } = feed([[0, GET], [1, 'HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\nxyz']]);
    const res = session.transactions[0]!.response!;
    expect(res.malformed).toBe('invalid Content-Length');
    expect(res.framing).toBe('close');
    expect(session.damage[0]!.reason).toBe('invalid or conflicting Content-Length');
  });
});

describe('connection semantics', () => {
  const exchange = (req: string, res: string) => feed([[0, req], [1, res]]).session.transactions[0]!;

  it('HTTP/1.1 persists unless either side says Connection: close', () => {
    expect(exchange(GET, 'HTTP/1.1 204 No Content\r\n\r\n').keepAlive).toBe(true);
    const closing = exchange('GET / HTTP/1.1\r\nConnection: close\r\n\r\n', 'HTTP/1.1 204 No Content\r\n\r\n');
    expect([closing.keepAlive, closing.keepAliveReason]).toEqual([false, 'the request says Connection: close']);
  });

  it('HTTP/1.0 closes unless both ends say Connection: keep-alive', () => {
    expect(exchange('GET / HTTP/1.0\r\n\r\n', 'HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').keepAlive).toBe(false);
    const kept = exchange('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n', 'HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n');
    expect([kept.keepAlive, kept.keepAliveReason]).toEqual([true, 'HTTP/1.0 with Connection: keep-alive']);
    const oneSided = exchange('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n', 'HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(oneSided.keepAliveReason).toMatch(/^HTTP\/1\.0 response without Connection: keep-alive/);
  });

  it('CONNECT: client bytes sent before the answer that cannot be HTTP are the tunnel', () => {
    const hello = new Uint8Array([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]);
    const { session } = feed([[0, 'CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n'], [0, hello], [1, 'HTTP/1.1 200 Connection established\r\n\r\n'], [1, new Uint8Array([0x16, 3, 3])]]);
    expect(session.transactions.length).toBe(1);
    expect(session.tunnel).toMatchObject({ kind: 'connect-tunnel', target: 'h:443', bytes: [10, 3] });
    expect(session.damage).toEqual([]);
  });

  it('a refused CONNECT leaves the connection speaking HTTP', () => {
    const { session } = feed([[0, 'CONNECT h:443 HTTP/1.1\r\n\r\n'], [1, 'HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n'], [0, GET], [1, 'HTTP/1.1 204 No Content\r\n\r\n']]);
    expect(session.tunnel).toBe(null);
    expect(session.transactions.map((t) => t.response!.code)).toEqual([407, 204]);
  });

  it('Upgrade without 101 keeps HTTP; with 101 the rest is the new protocol', () => {
    const up = 'GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n';
    const refused = feed([[0, up], [1, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'], [0, GET], [1, 'HTTP/1.1 204 No Content\r\n\r\n']]).session;
    expect(refused.tunnel).toBe(null);
    expect(refused.transactions.length).toBe(2);
    const switched = feed([[0, up], [1, 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x02hi'], [0, '\x81\x82abcd12']]).session;
    expect(switched.transactions[0]!.upgraded).toBe('websocket');
    expect(switched.tunnel).toMatchObject({ kind: 'websocket', bytes: [8, 4] });
  });
});

describe('damage', () => {
  it('a header block larger than the limit is malformed; the parser resynchronises', () => {
    // 70 header lines of 1 KB each: past the 64 KiB limit before the blank line arrives.
    const huge = `GET /big HTTP/1.1\r\nHost: x\r\n${`${'X-Pad: '.padEnd(1000, 'a')}\r\n`.repeat(70)}\r\n`;
    const pieces: [Direction, string][] = [];
    for (let i = 0; i < huge.length; i += 1460) pieces.push([0, huge.slice(i, i + 1460)]);
    pieces.push([0, 'GET /next HTTP/1.1\r\nHost: x\r\n\r\n']);
    const { session, packets } = feed(pieces);
    expect(session.damage.map((d) => d.reason)).toEqual(['header block larger than 64 KiB']);
    expect(packets.filter((p) => (p.marks & Mark.Malformed) !== 0).length).toBe(1);
    // The oversized request is dropped (its head never completed); the next one is found again.
    expect(session.transactions.map((t) => t.request!.uri)).toEqual(['/next']);
  });

  it('the header limit is configurable', () => {
    const parser = createHttpFactory({ maxHeaderBytes: 64 }).create(treeHost);
    const { session } = feed([[0, `GET / HTTP/1.1\r\nUser-Agent: ${'u'.repeat(80)}\r\n\r\n`]], { parser });
    expect(session.damage[0]!.reason).toBe('header block larger than 64 bytes');
  });

  it('garbage before the first message is skipped up to a start line', () => {
    const { session, packets } = feed([[0, '\x00\x01binary\r\nhello there\r\n' + GET], [1, 'HTTP/1.1 204 No Content\r\n\r\n']]);
    expect(session.transactions.length).toBe(1);
    expect(session.damage.length).toBe(1);
    expect(session.damage[0]!.reason).toMatch(/^not an HTTP request or status line/);
    expect(packets[0]!.appInfo).toBe('GET / HTTP/1.1 ');
  });

  it('a gap inside a body completes the message as incomplete; a gap inside headers resynchronises', () => {
    const parser = httpFactory.create(treeHost);
    const r = feed([[0, GET], [1, 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc']], { parser });
    const p = new Packet();
    p.reset(new Uint8Array(0), 0, 0, 0, 1);
    parser.gap(1, 7, { p, row: 2, streamOffset: 41, frameOffset: -1 });
    const res = r.session.transactions[0]!.response!;
    expect([res.bodyLength, res.missingBytes, res.complete, res.completedRow]).toEqual([10, 7, false, 2]);
    const send = (text: string, row: number, at: number): void => parser.data(0, bytesOf(text), 0, text.length, { p, row, streamOffset: at, frameOffset: -1 });
    send('GET /x HTTP/1.1\r\nHo', 3, GET.length);
    parser.gap(0, 5, { p, row: 4, streamOffset: GET.length + 19, frameOffset: -1 });
    send('x\r\n\r\nGET /y HTTP/1.1\r\n\r\n', 5, GET.length + 24);
    // The request cut inside its head never became a transaction; the next one is found again.
    expect(r.session.transactions.map((t) => t.request?.uri)).toEqual(['/', '/y']);
    expect(r.session.damage.map((d) => d.reason)).toEqual(['5 bytes missing inside a request']);
  });

  it('random bytes, cut anywhere, never throw', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<Direction>(0, 1), fc.uint8Array({ maxLength: 300 }), fc.nat(40)), { maxLength: 20 }),
        fc.boolean(),
        (pieces, trees) => {
          const parser = httpFactory.create(trees ? treeHost : fastHost);
          const offsets = [0, 0];
          pieces.forEach(([dir, bytes, gap], row) => {
            const p = new Packet();
            p.reset(bytes, 0, bytes.length, bytes.length, 1);
            p.tree = trees ? new TreeBuilder(bytes) : null;
            const chunk = { p, row, streamOffset: offsets[dir]!, frameOffset: 0 };
            if (gap === 0) parser.gap(dir, 3, chunk);
            parser.data(dir, bytes, 0, bytes.length, chunk);
            offsets[dir]! += bytes.length;
          });
          parser.end(0, null);
          parser.end(1, null);
          parser.describe();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('mutated HTTP exchanges never throw and keep counting bytes', () => {
    const base = bytesOf(GET + 'POST /p HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n');
    const reply = bytesOf(CHUNKED + 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabc');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), fc.integer({ min: 1, max: 64 }), (edits, step) => {
        const a = base.slice();
        const b = reply.slice();
        for (const [at, v] of edits) {
          if (at % 2 === 0) a[(at >> 1) % a.length] = v;
          else b[(at >> 1) % b.length] = v;
        }
        const pieces: [Direction, Uint8Array][] = [];
        for (let i = 0; i < Math.max(a.length, b.length); i += step) {
          if (i < a.length) pieces.push([0, a.subarray(i, i + step)]);
          if (i < b.length) pieces.push([1, b.subarray(i, i + step)]);
        }
        const { session } = feed(pieces);
        expect(session.bodyBytes[0] + session.bodyBytes[1]).toBeLessThanOrEqual(a.length + b.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe('detection and description', () => {
  it('recognises request lines by method and status lines by HTTP/1.', () => {
    const yes = ['GET / HTTP/1.1\r\n', 'OPTIONS\r\n', 'PROPFIND /x HTTP/1.1', 'M-SEARCH * HTTP/1.1', 'HTTP/1.1 200 OK'];
    const no = ['\x16\x03\x01\x02\x00', 'GETX / HTTP/1.1', 'get / HTTP/1.1', 'GET', 'HTTP/2 200', 'SSH-2.0-OpenSSH'];
    expect(yes.map((t) => looksLikeHttp(bytesOf(t), 0, t.length))).toEqual(yes.map(() => true));
    expect(no.map((t) => looksLikeHttp(bytesOf(t), 0, t.length))).toEqual(no.map(() => false));
    expect(httpFactory.detect(bytesOf('xxGET / HTTP/1.1'), 2, 14, 80)).toBe(true);
    expect(httpFactory.fields.some((f) => f.name === 'http.request.method')).toBe(true);
  });

  it('describe() summarises the conversation', () => {
    const { parser } = feed([[0, 'GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n'], [1, 'HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n']]);
    expect(parser.describe()).toEqual({ 'http.transactions': 2, 'http.first_request': 'GET /a', 'http.pipeline_depth': 2 });
  });

  it('the fast path keeps no body bytes and builds no tree, with the same model', () => {
    const pieces: [Direction, string][] = [[0, GET], [1, CHUNKED]];
    const fast = feed(pieces, { trees: false });
    const slow = feed(pieces);
    expect(fast.session).toEqual(slow.session);
    expect(fast.packets[1]!.appInfo).toBe(slow.packets[1]!.appInfo);
  });

  it('a message inside one packet points into the frame; tree values match tshark', () => {
    const { packets, values } = feed([[0, 'GET /echo?a=1&b=2 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n'], [1, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/html; charset=utf-8\r\n\r\nok']]);
    expect(packets[0]!.tree!.sources.length).toBe(1);
    const layer = packets[0]!.tree!.layers.find((l) => l.protocol === 'http')!;
    expect([layer.title, layer.osi, layer.source, layer.start, layer.length]).toEqual(['Hypertext Transfer Protocol', 7, 0, 0, 64]);
    expect(values(0, 'http.request.uri.query.parameter')).toEqual(['a=1', 'b=2']);
    expect(values(0, 'http.request.full_uri')).toEqual(['http://example.com/echo?a=1&b=2']);
    expect(values(0, 'http.request.line')).toEqual(['Host: example.com\\r\\n', 'User-Agent: t\\r\\n']);
    expect(values(1, 'http.content_length_header')).toEqual(['2']);
    expect(values(1, 'http.content_length')).toEqual(['2']);
    expect(values(1, 'http.response.code.desc')).toEqual(['OK']);
    expect(values(1, 'http.time')).toEqual(['0.001000000']);
    expect(values(1, 'http.request_in')).toEqual(['1']);
    expect(values(1, 'http.file_data')).toEqual(['ok']);
    const method = [...walkFields(packets[0]!.tree!.layers)].find((n) => n.name === 'http.request.method')!;
    expect([method.start, method.length, method.label]).toEqual([0, 3, 'Request Method: GET']);
    expect(packets[1]!.appInfo).toBe('HTTP/1.1 200 OK  (text/html)');
  });
});
