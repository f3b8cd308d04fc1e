import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Proto } from '../../../src/core/dissect/packet';
import type { AppParser, AppParserFactory, Direction, StreamChunk } from '../../../src/core/flow/app-parser';
import { createHttpFactory, httpFactory, type HttpParser } from '../../../src/core/http/parser';
import { streamCapture, type Streamed } from './stream-helper';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'tshark');
const appFields = (JSON.parse(readFileSync(join(fixtures, 'field-sets.json'), 'utf8')) as Record<string, string[]>)['app']!;
const httpColumns = appFields.map((name, column) => ({ name, column })).filter((c) => c.name.startsWith('http.'));

const captures = [
  'local/http11-keepalive.pcap',
  'local/http10.pcap',
  'zeek/http/get.pcap',
  'zeek/http/get-gzip.pcap',
  'zeek/http/post.pcap',
  'zeek/http/http-post-large.pcap',
  'zeek/http/100-continue.pcap',
  'zeek/http/pipelined-requests.pcap',
  'zeek/http/methods.pcap',
  'zeek/http/multipart.pcap',
  'zeek/http/proxy.pcap',
  'zeek/http/connect-with-header.pcap',
  'zeek/http/websocket.pcap',
];

const cache = new Map<string, Promise<Streamed>>();
function streamed(file: string): Promise<Streamed> {
  let s = cache.get(file);
  if (s === undefined) {
    s = streamCapture(file, httpFactory);
    cache.set(file, s);
  }
  return s;
}

function sessions(s: Streamed): HttpParser['session'][] {
  return s.connections.map((c) => (c.parser as HttpParser).session);
}

/** Frame number (1-based) of a 0-based row, for messages that read like tshark's output. */
const frame = (row: number): number => row + 1;

/** Every capture with committed tshark output for the 'app' field set. */
const manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8')) as { files: Record<string, unknown> };
const withFixtures = Object.keys(manifest.files).filter((f) => existsSync(join(fixtures, 'app', `${f}.tsv`)));

/** Where tshark's output is not ours to match here, and why. */
const elsewhere: Record<string, string> = {
  'local/tls13-dsb.pcapng': 'HTTP inside TLS decrypted with the embedded keys: the TLS parser runs HTTP on decrypted data',
};
/** Frames with http fields whose Protocol column tshark leaves at TCP. */
const protocolColumnTcp: Record<string, number[]> = {
  // A request line cut by the snap length: fields, but no HTTP in the Protocol or Info column.
  'zeek/communityid/tcp.pcap': [4],
};

describe('http fields on the packet completing each message equal tshark 4.0', () => {
  it('covers every HTTP capture of the corpus', () => {
    for (const f of captures) expect(withFixtures).toContain(f);
  });
  for (const file of withFixtures) {
    if (elsewhere[file] !== undefined) continue;
    it(file, async () => {
      const s = await streamed(file);
      const rows = readFileSync(join(fixtures, 'app', `${file}.tsv`), 'utf8').replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
      if (rows.length === 1 && rows[0]!.length === 1) rows.length = 0; // an empty capture
      expect(s.packets.length).toBe(rows.length);
      const mismatches: string[] = [];
      rows.forEach((theirs, row) => {
        let any = false;
        for (const { name, column } of httpColumns) {
          const ours = s.values(row, name);
          any ||= (theirs[column] ?? '') !== '';
          if (ours !== (theirs[column] ?? '')) mismatches.push(`frame ${frame(row)} ${name}: ours "${ours}" tshark "${theirs[column]}"`);
        }
        // The packets tshark shows as HTTP (messages, and "Continuation" data) are the ones we mark.
        if (protocolColumnTcp[file]?.includes(frame(row)) === true) any = false;
        if (s.packets[row]!.appInfo === 'Continuation') any = true;
        if (any !== (s.packets[row]!.top === Proto.Http)) mismatches.push(`frame ${frame(row)}: Protocol column`);
      });
      expect(mismatches).toEqual([]);
    });
  }
});

describe('Info column in tshark words', () => {
  it('names requests, segments of a message and responses with their media type', async () => {
    const s = await streamed('local/http11-keepalive.pcap');
    const info = new Map(s.packets.map((p) => [p.number, p.appInfo] as const).filter(([, i]) => i !== null));
    // A message's first segment is named "%s " by HTTP; TCP appends its "[TCP segment of a
    // reassembled PDU]" (test/cli/info-segment-of-pdu.test.ts).
    expect(Object.fromEntries(info)).toEqual({
      4: 'GET / HTTP/1.1 ',
      6: 'HTTP/1.1 200 OK ',
      8: 'HTTP/1.1 200 OK  (text/html)',
      10: 'GET /index.html HTTP/1.1 ',
      11: 'HTTP/1.1 200 OK ',
      13: 'HTTP/1.1 200 OK  (text/html)',
      21: 'POST / HTTP/1.1  (application/x-www-form-urlencoded)',
      23: "HTTP/1.1 501 Unsupported method ('POST') ",
      25: "HTTP/1.1 501 Unsupported method ('POST')  (text/html)",
    });
  });

  it('follows the media dissectors: JSON, image signatures, multipart without a suffix', async () => {
    expect((await streamed('zeek/http/get-gzip.pcap')).packets[7]!.appInfo).toBe('HTTP/1.1 200 OK , JavaScript Object Notation (application/json)');
    const pipelined = await streamed('zeek/http/pipelined-requests.pcap');
    // Declared image/png, but the bytes are a GIF: tshark names what the bytes are.
    expect(pipelined.packets[14]!.appInfo).toBe('HTTP/1.1 200 OK  (GIF89a)');
    expect(pipelined.packets[17]!.appInfo).toBe('HTTP/1.1 200 OK  (PNG)');
    expect((await streamed('zeek/http/multipart.pcap')).packets[3]!.appInfo).toBe('POST /post HTTP/1.1 ');
  });

  it('leaves body segments of a message with a known length to TCP, as tshark does', async () => {
    const s = await streamed('zeek/http/get.pcap');
    expect(s.packets.slice(5, 9).map((p) => p.appInfo)).toEqual(['HTTP/1.1 200 OK ', null, null, 'HTTP/1.1 200 OK  (text/plain)']);
    // A chunked body is re-examined by HTTP on every segment: each names the message.
    const c = await streamed('zeek/http/100-continue.pcap');
    expect(c.packets[3]!.appInfo).toBe('POST / HTTP/1.1 ');
    expect(c.packets[5]!.appInfo).toBe('HTTP/1.1 100 Continue ');
    expect(c.packets[12]!.appInfo).toBe('HTTP/1.1 200 OK ');
  });
});

describe('transactions', () => {
  it('keep-alive: two GETs on one connection, then a POST answered with Connection: close', async () => {
    const [first, second] = sessions(await streamed('local/http11-keepalive.pcap'));
    expect(first!.transactions.map((t) => `${t.request!.method} ${t.request!.uri} -> ${t.response!.code}`)).toEqual(['GET / -> 200', 'GET /index.html -> 200']);
    const [a, b] = first!.transactions;
    expect(a!.keepAlive).toBe(true);
    expect(a!.keepAliveReason).toMatch(/HTTP\/1\.1 default/);
    expect(frame(a!.request!.completedRow)).toBe(4);
    expect(frame(a!.response!.startRow)).toBe(6);
    expect(frame(a!.response!.completedRow)).toBe(8);
    expect(a!.response!.bodyLength).toBe(17);
    expect(a!.responseSeconds).toBeCloseTo(0.006668, 9);
    expect(a!.waitSeconds).toBeCloseTo(0.006583, 9);
    expect(b!.responseSeconds).toBeCloseTo(0.043135, 9);
    const post = second!.transactions[0]!;
    expect(post.request!.method).toBe('POST');
    expect(post.request!.framing).toBe('content-length');
    expect(post.request!.bodyLength).toBe(18);
    expect(post.response!.code).toBe(501);
    expect(post.keepAlive).toBe(false);
    expect(post.keepAliveReason).toBe('the response says Connection: close');
  });

  it('HTTP/1.0: one request per connection, closed by default', async () => {
    const all = sessions(await streamed('local/http10.pcap'));
    expect(all.map((s) => s.transactions.length)).toEqual([1, 1]);
    for (const s of all) {
      const t = s.transactions[0]!;
      expect(t.request!.version).toBe('HTTP/1.0');
      expect(t.keepAlive).toBe(false);
      expect(t.keepAliveReason).toMatch(/HTTP\/1\.0 request without Connection: keep-alive/);
    }
  });

  it('a large POST body spanning many segments completes in the packet with its last byte', async () => {
    const s = await streamed('zeek/http/http-post-large.pcap');
    const t = sessions(s)[0]!.transactions[0]!;
    expect(t.request!.contentLength).toBe(61484);
    expect(t.request!.bodyLength).toBe(61484);
    expect(frame(t.request!.startRow)).toBe(4);
    expect(frame(t.request!.completedRow)).toBe(7);
    expect(t.response!.version).toBe('HTTP/1.0');
    expect(t.response!.bodyLength).toBe(60321);
    expect(s.values(6, 'http.content_length')).toBe('61484');
    expect(s.values(14, 'http.time')).toBe('0.007998000');
    expect(s.values(14, 'http.request_in')).toBe('7');
  });

  it('100-continue: the interim response precedes the request body and the final response', async () => {
    const s = await streamed('zeek/http/100-continue.pcap');
    const session = sessions(s)[0]!;
    const t = session.transactions[0]!;
    expect(t.interim.map((r) => r.code)).toEqual([100]);
    expect(frame(t.interim[0]!.completedRow)).toBe(6);
    expect(frame(t.request!.completedRow)).toBe(10);
    expect(t.response!.code).toBe(200);
    expect(t.response!.framing).toBe('chunked');
    expect(t.response!.bodyLength).toBe(60731);
    expect(frame(t.response!.completedRow)).toBe(63);
    expect(t.responseSeconds).toBeCloseTo(0.907545, 9);
    expect(session.interimResponses).toBe(1);
    // tshark: the 100 is not paired (the request is not complete yet); the final response is.
    expect(s.values(5, 'http.request_in')).toBe('');
    expect(s.values(62, 'http.request_in')).toBe('10');
    expect(s.values(62, 'http.prev_response_in')).toBe('6');
    expect(s.values(62, 'http.chunk_size').split(',')).toEqual(['8558', '8496', '12615', '8782', '8200', '8377', '5703', '0']);
  });

  it('pairs several requests on one connection in order', async () => {
    const s = await streamed('zeek/http/pipelined-requests.pcap');
    const txs = sessions(s)[0]!.transactions;
    expect(txs.map((t) => [t.request!.uri, frame(t.request!.completedRow), frame(t.response!.completedRow)])).toEqual([
      ['/style/enhanced.css', 4, 5],
      ['/script/urchin.js', 6, 12],
      ['/images/template/screen/bullet_utility.png', 14, 15],
      ['/images/template/screen/key-point-top.png', 16, 18],
      ['/projects/calendar/images/header-sunbird.png', 20, 45],
    ]);
    expect(s.values(11, 'http.prev_request_in')).toBe('4');
    expect(s.values(11, 'http.prev_response_in')).toBe('5');
  });

  it('methods: unknown or mangled request lines are skipped; their error responses stand alone', async () => {
    const all = sessions(await streamed('zeek/http/methods.pcap'));
    expect(all.length).toBe(49);
    const lines = all.map((s) => s.transactions.map((t) => `${t.request === null ? '-' : `${t.request.method} ${t.request.uri} ${t.request.version}`} ${t.response?.code}`));
    expect(lines.slice(0, 4)).toEqual([['OPTIONS * HTTP/1.1 405'], ['OPTIONS HTTP/1.1  400'], ['- 400'], ['OPTIONS   400']]);
    // GET/, POST/HTTP/1.1, a binary method…: 22 connections whose request tshark does not call HTTP either.
    expect(lines.filter((l) => l[0]!.startsWith('- ')).length).toBe(22);
    const head = all[44]!.transactions[0]!;
    expect(head.request!.method).toBe('HEAD');
    expect(head.response!.framing).toBe('none');
  });

  it('multipart and JSON bodies are counted', async () => {
    const t = sessions(await streamed('zeek/http/multipart.pcap'))[0]!.transactions[0]!;
    expect(t.request!.mediaType).toBe('multipart/form-data');
    expect(t.request!.bodyLength).toBe(350);
    expect(t.response!.mediaType).toBe('application/json');
    expect(t.response!.bodyLength).toBe(465);
  });

  it('heads cut by the snap length are shown as far as they go, and paired', async () => {
    const s = await streamed('zeek/communityid/tcp.pcap');
    const t = sessions(s)[0]!.transactions[0]!;
    expect([t.request!.method, t.request!.uri, t.request!.version, t.request!.complete]).toEqual(['GET', '/images/sf.net_box.gif', 'HTT', false]);
    expect(t.request!.malformed).toBe('truncated: 466 bytes of the request head not captured');
    expect(t.response!.code).toBe(200);
    expect(t.response!.headers).toEqual([['Date', 'Tue, 16']]);
    expect(s.packets[3]!.appInfo).toBe(null);
    expect(s.packets[5]!.appInfo).toBe('HTTP/1.1 200 OK [Packet size limited during capture]');
    expect(s.values(5, 'http.request_in')).toBe('4');
    expect(s.values(5, 'http.response_for.uri')).toBe('/images/sf.net_box.gif');
    // The rest of the response follows a hole: tshark's "Continuation".
    expect(s.packets[7]!.appInfo).toBe('Continuation');
  });

  it('proxy requests keep their absolute URI', async () => {
    const s = await streamed('zeek/http/proxy.pcap');
    expect(sessions(s)[0]!.transactions[0]!.request!.uri).toBe('HTTP://bro.org/');
    expect(s.values(3, 'http.request.full_uri')).toBe('HTTP://bro.org/');
    expect(s.values(21, 'http.response_for.uri')).toBe('HTTP://bro.org/');
  });

  it('websocket: after 101 Switching Protocols the rest is counted as websocket bytes', async () => {
    const s = await streamed('zeek/http/websocket.pcap');
    const session = sessions(s)[0]!;
    expect(session.transactions.length).toBe(1);
    const t = session.transactions[0]!;
    expect(t.response!.code).toBe(101);
    expect(t.upgraded).toBe('websocket');
    expect(t.keepAlive).toBe(false);
    expect(session.tunnel).toMatchObject({ kind: 'websocket', target: 'websocket', innerProtocol: null, bytes: [177, 632], streamOffset: [576, 581] });
    expect(session.damage).toEqual([]);
    expect(s.packets.slice(7).every((p) => p.top !== Proto.Http && p.appInfo === null)).toBe(true);
  });
});

describe('CONNECT tunnels', () => {
  /** A stand-in for the TLS factory: records what the tunnel hands it. */
  function recordingTls(): { factory: AppParserFactory; calls: { dir: Direction; bytes: Uint8Array; chunk: StreamChunk; frame: Uint8Array }[]; ends: (StreamChunk | null)[] } {
    const calls: { dir: Direction; bytes: Uint8Array; chunk: StreamChunk; frame: Uint8Array }[] = [];
    const ends: (StreamChunk | null)[] = [];
    const parser: AppParser = {
      protocol: 'tls',
      data: (dir, b, off, len, chunk) => calls.push({ dir, bytes: b.slice(off, off + len), chunk: { ...chunk }, frame: chunk.p.buf }),
      gap: () => {},
      end: (_dir, chunk) => ends.push(chunk === null ? null : { ...chunk }),
    };
    const factory: AppParserFactory = {
      protocol: 'tls',
      fields: [],
      // A TLS handshake record (RFC 8446 §5.1), and the CONNECT target's port.
      detect: (b, off, len, port) => len >= 3 && b[off] === 0x16 && b[off + 1] === 0x03 && port === 443,
      create: () => parser,
    };
    return { factory, calls, ends };
  }

  it('hands the bytes after a 2xx to CONNECT to the nested parser, offsets counted from the tunnel', async () => {
    const tls = recordingTls();
    const s = await streamCapture('zeek/http/connect-with-header.pcap', createHttpFactory({ tunnelFactories: [tls.factory] }));
    const session = sessions(s)[0]!;
    const t = session.transactions[0]!;
    expect(t.request!.method).toBe('CONNECT');
    expect(t.upgraded).toBe('connect-tunnel');
    expect(t.keepAliveReason).toMatch(/tunnel/);
    expect(session.tunnel).toMatchObject({ kind: 'connect-tunnel', target: 'secure.newegg.com:443', innerProtocol: 'tls' });
    expect((s.connections[0]!.parser as HttpParser).describe()).toEqual({
      'http.transactions': 1,
      'http.first_request': 'CONNECT secure.newegg.com:443',
      'http.tunnel': 'CONNECT secure.newegg.com:443',
      'http.tunnel.protocol': 'tls',
    });
    const first = tls.calls[0]!;
    expect(first.dir).toBe(0);
    expect(frame(first.chunk.row)).toBe(9);
    expect(first.chunk.streamOffset).toBe(0);
    expect(Array.from(first.bytes.subarray(0, 3))).toEqual([0x16, 0x03, 0x01]);
    for (const dir of [0, 1] as const) {
      const mine = tls.calls.filter((c) => c.dir === dir);
      const total = mine.reduce((n, c) => n + c.bytes.length, 0);
      expect(total).toBe(session.tunnel!.bytes[dir]);
      // Offsets are contiguous from 0, and frame offsets point at the same bytes in the frame.
      let expected = 0;
      for (const c of mine) {
        expect(c.chunk.streamOffset).toBe(expected);
        expected += c.bytes.length;
        expect(c.frame.subarray(c.chunk.frameOffset, c.chunk.frameOffset + c.bytes.length)).toEqual(c.bytes);
      }
    }
    expect(tls.ends.length).toBe(2);
  });

  it('without a matching nested parser the tunnel is only counted', async () => {
    const s = await streamCapture('zeek/http/connect-with-header.pcap', createHttpFactory({ tunnelFactories: [] }));
    const session = sessions(s)[0]!;
    expect(session.tunnel).toMatchObject({ innerProtocol: null, bytes: [3423, 55425] });
    expect(session.damage).toEqual([]);
    expect(s.packets.slice(7).every((p) => p.appInfo === null)).toBe(true);
  });

  it('the default factory dissects TLS inside the tunnel: tls.* fields equal tshark too', async () => {
    const file = 'zeek/http/connect-with-header.pcap';
    const s = await streamed(file);
    expect(sessions(s)[0]!.tunnel!.innerProtocol).toBe('tls');
    const rows = readFileSync(join(fixtures, 'app', `${file}.tsv`), 'utf8').replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
    const mismatches: string[] = [];
    rows.forEach((theirs, row) => {
      appFields.forEach((name, column) => {
        if (!name.startsWith('tls.')) return;
        const ours = s.values(row, name);
        if (ours !== (theirs[column] ?? '')) mismatches.push(`frame ${frame(row)} ${name}: ours "${ours}" tshark "${theirs[column]}"`);
      });
    });
    expect(mismatches).toEqual([]);
    expect(s.packets[8]!.appInfo).toBe('Client Hello');
  });
});
