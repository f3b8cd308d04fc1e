import { describe, expect, it } from 'vitest';
import { Mark, Proto } from '../../../src/core/dissect/packet';
import { FrameType, Flag, errorCodeName, looksLikeHttp2 } from '../../../src/core/http2/frames';
import { H2Driver, PREFACE, ascii, concat, frame, h2Nodes, indexedLiteral, literal, u16, u32, values } from './h2-bytes';

// A request header block: :method GET (static 2), :scheme https (7), :path / (4), :authority.
const GET_ROOT = [0x82, 0x87, 0x84, ...literal(':authority', 'example.test')];
// A response header block: :status 200 (static 8), content-type.
const OK_HTML = [0x88, ...literal('content-type', 'text/html')];

describe('HTTP/2 frames built by hand (RFC 9113 §6)', () => {
  it('the client preface and SETTINGS: "Magic, SETTINGS[0]", one layer per frame, settings by name', () => {
    const d = new H2Driver();
    const p = d.send(0, concat(PREFACE, frame(FrameType.Settings, 0, 0, [...u16(1), ...u32(8192), ...u16(4), ...u32(1 << 20), ...u16(0x99), ...u32(7)])));
    expect(p.appInfo).toBe('Magic, SETTINGS[0]');
    expect(p.top).toBe(Proto.Http2);
    expect(p.tree!.layers.filter((l) => l.protocol === 'http2')).toHaveLength(2);
    expect(values(p, 'http2.magic')).toEqual(['PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n']);
    expect(values(p, 'http2.settings.id')).toEqual(['1', '4', '153']);
    expect(values(p, 'http2.settings.header_table_size')).toEqual(['8192']);
    expect(values(p, 'http2.settings.initial_window_size')).toEqual([String(1 << 20)]);
    expect(values(p, 'http2.settings.unknown')).toEqual(['7']);
    expect(h2Nodes(p).find((n) => n.name === 'http2.settings')!.label).toBe('Settings - Header table size : 8192');
    expect(d.parser.session.settings[0].get(1)).toBe(8192);
    expect(d.parser.session.prefaceRow).toBe(0);
    // The ACK carries no payload.
    const ack = d.send(1, frame(FrameType.Settings, Flag.Ack, 0));
    expect(ack.appInfo).toBe('SETTINGS[0]');
    expect(values(ack, 'http2.flags.ack.settings')).toEqual(['1']);
  });

  it('HEADERS with PADDED and PRIORITY, then DATA with padding: fields, Info and the stream', () => {
    const d = new H2Driver();
    d.send(0, PREFACE);
    const block = GET_ROOT;
    const headers = frame(FrameType.Headers, Flag.EndHeaders | Flag.EndStream | Flag.Padded | Flag.Priority, 1, [3, ...u32(0x80000000 | 0), 15, ...block, 0, 0, 0]);
    const req = d.send(0, headers);
    expect(req.appInfo).toBe('HEADERS[1]: GET /');
    expect(values(req, 'http2.padding')).toEqual(['0x03']);
    expect(values(req, 'http2.pad_length')).toEqual(['3']);
    expect(values(req, 'http2.exclusive')).toEqual(['1']);
    expect(values(req, 'http2.stream_dependency')).toEqual(['0']);
    expect(values(req, 'http2.headers.weight')).toEqual(['15']);
    expect(values(req, 'http2.headers.weight_real')).toEqual(['16']);
    expect(values(req, 'http2.headers.padding')).toEqual(['000000']);
    expect(values(req, 'http2.header.name')).toEqual([':method', ':scheme', ':path', ':authority']);
    expect(values(req, 'http2.request.full_uri')).toEqual(['https://example.test/']);
    const res = d.send(1, concat(frame(FrameType.Headers, Flag.EndHeaders, 1, OK_HTML), frame(FrameType.Data, Flag.Padded | Flag.EndStream, 1, [2, ...ascii('<p>hi</p>\n'), 0, 0])));
    expect(res.appInfo).toBe('HEADERS[1]: 200 OK, DATA[1] (text/html)');
    expect(values(res, 'http2.headers.status')).toEqual(['200']);
    expect(values(res, 'http2.data.padding')).toEqual(['0000']);
    const st = d.parser.session.streams.get(1)!;
    expect([st.request.method, st.request.path, st.request.authority, st.request.endRow]).toEqual(['GET', '/', 'example.test', 1]);
    expect([st.response.status, st.response.contentType, st.response.bodyBytes, st.response.dataFrames, st.response.endRow]).toEqual([200, 'text/html', 10, 1, 2]);
    expect(new TextDecoder().decode(st.response.body!.subarray(0, st.response.bodyKept))).toBe('<p>hi</p>\n');
  });

  it('PRIORITY, RST_STREAM, PING and its ACK, WINDOW_UPDATE, GOAWAY with debug data', () => {
    const d = new H2Driver();
    d.send(0, PREFACE);
    d.send(0, frame(FrameType.Headers, Flag.EndHeaders, 3, GET_ROOT));
    const p = d.send(
      0,
      concat(
        frame(FrameType.Priority, 0, 3, [...u32(1), 255]),
        frame(FrameType.WindowUpdate, 0, 0, u32(65536)),
        frame(FrameType.Ping, 0, 0, ascii('12345678')),
        frame(FrameType.RstStream, 0, 3, u32(8)),
      ),
    );
    expect(p.appInfo).toBe('PRIORITY[3], WINDOW_UPDATE[0], PING[0], RST_STREAM[3]');
    expect(values(p, 'http2.stream_dependency')).toEqual(['1']);
    expect(values(p, 'http2.window_update.window_size_increment')).toEqual(['65536']);
    expect(values(p, 'http2.ping')).toEqual(['3132333435363738']);
    expect(values(p, 'http2.rst_stream.error')).toEqual(['8']);
    expect(h2Nodes(p).find((n) => n.name === 'http2.rst_stream.error')!.label).toBe('Error: CANCEL (8)');
    const pong = d.send(1, frame(FrameType.Ping, Flag.Ack, 0, ascii('12345678')));
    expect(values(pong, 'http2.pong')).toEqual(['3132333435363738']);
    const bye = d.send(1, frame(FrameType.Goaway, 0, 0, [...u32(3), ...u32(0xb), ...ascii('calm down')]));
    expect(bye.appInfo).toBe('GOAWAY[0]');
    expect(values(bye, 'http2.goaway.last_stream_id')).toEqual(['3']);
    expect(h2Nodes(bye).find((n) => n.name === 'http2.goaway.error')!.label).toBe('Error: ENHANCE_YOUR_CALM (11)');
    const s = d.parser.session;
    expect(s.streams.get(3)!.reset).toMatchObject({ by: 0, code: 8, name: 'CANCEL', row: 2 });
    expect(s.goaways).toEqual([expect.objectContaining({ by: 1, lastStreamId: 3, code: 11, name: 'ENHANCE_YOUR_CALM', debug: 'calm down' })]);
  });

  it('error codes are named (RFC 9113 §7); unknown ones say so', () => {
    expect([0, 1, 7, 8, 13].map(errorCodeName)).toEqual(['NO_ERROR', 'PROTOCOL_ERROR', 'REFUSED_STREAM', 'CANCEL', 'HTTP_1_1_REQUIRED']);
    expect(errorCodeName(0x1234)).toBe('Unknown (0x00001234)');
  });

  it('PUSH_PROMISE opens the promised stream with the request it carries; the push is answered on it', () => {
    const d = new H2Driver();
    d.send(0, PREFACE);
    d.send(0, frame(FrameType.Headers, Flag.EndHeaders | Flag.EndStream, 1, GET_ROOT));
    const push = d.send(1, frame(FrameType.PushPromise, Flag.EndHeaders, 1, [...u32(2), 0x82, 0x87, ...literal(':path', '/app.js'), ...literal(':authority', 'example.test')]));
    expect(push.appInfo).toBe('PUSH_PROMISE[1]: GET /app.js');
    expect(values(push, 'http2.push_promise.promised_stream_id')).toEqual(['2']);
    d.send(1, frame(FrameType.Headers, Flag.EndHeaders, 2, [0x88]));
    const pushed = d.parser.session.streams.get(2)!;
    expect([pushed.promisedBy, pushed.request.path, pushed.response.status]).toEqual([1, '/app.js', 200]);
  });

  it('a header block split into HEADERS and CONTINUATION decodes across them; each frame shows what it completed', () => {
    const d = new H2Driver();
    d.send(0, PREFACE);
    const block = [0x82, 0x87, 0x84, ...literal(':authority', 'example.test'), ...literal('user-agent', 'test/1')];
    const cut = 8; // inside the :authority literal
    const first = d.send(0, frame(FrameType.Headers, Flag.EndStream, 5, block.slice(0, cut)));
    expect(first.appInfo).toBe('HEADERS[5]: GET /');
    expect(values(first, 'http2.header.name')).toEqual([':method', ':scheme', ':path']);
    const second = d.send(0, frame(FrameType.Continuation, Flag.EndHeaders, 5, block.slice(cut)));
    expect(second.appInfo).toBe('CONTINUATION[5]');
    expect(values(second, 'http2.header.name')).toEqual([':authority', 'user-agent']);
    expect(values(second, 'http2.continuation.header')).toHaveLength(1);
    expect(d.parser.session.streams.get(5)!.request.headers.map((h) => h.name)).toEqual([':method', ':scheme', ':path', ':authority', 'user-agent']);
    expect(d.parser.session.requests).toBe(1);
  });

  it('a frame of an unknown type is kept as such (RFC 9113 §5.5) and framing goes on', () => {
    const d = new H2Driver();
    d.send(0, PREFACE);
    const p = d.send(0, concat(frame(0x42, 0xff, 0, [1, 2, 3]), frame(FrameType.Ping, 0, 0, u32(0).concat(u32(1)))));
    expect(p.appInfo).toBe('Unknown type (66)[0], PING[0]');
    expect(values(p, 'http2.unknown')).toEqual(['010203']);
    expect(values(p, 'http2.type')).toEqual(['66', '6']);
    expect(values(p, 'http2.flags.unused')).toEqual(['0xff']);
    expect(d.parser.session.framesByType[12]).toBe(1);
  });

  it('frames split at every byte boundary, and many frames in one chunk, give the same result', () => {
    const bytes = concat(
      PREFACE,
      frame(FrameType.Settings, 0, 0, [...u16(3), ...u32(100)]),
      frame(FrameType.Headers, Flag.EndHeaders | Flag.EndStream, 1, GET_ROOT),
      frame(FrameType.WindowUpdate, 0, 0, u32(1000)),
    );
    const whole = new H2Driver();
    whole.send(0, bytes);
    for (let cut = 1; cut < bytes.length; cut++) {
      const d = new H2Driver();
      const a = d.send(0, bytes.subarray(0, cut));
      const b = d.send(0, bytes.subarray(cut));
      const info = [a.appInfo, b.appInfo].filter((x) => x !== null).join(', ');
      expect(info, `cut at ${cut}`).toBe('Magic, SETTINGS[0], HEADERS[1]: GET /, WINDOW_UPDATE[0]');
      expect(d.parser.session.streams.get(1)!.request.authority, `cut at ${cut}`).toBe('example.test');
    }
  });

  it('bad padding marks the frame malformed; the frames around it still show', () => {
    const d = new H2Driver();
    d.send(0, PREFACE);
    const p = d.send(0, concat(frame(FrameType.Data, Flag.Padded, 1, [9, 1, 2]), frame(FrameType.Ping, 0, 0, u32(0).concat(u32(0)))));
    expect(p.appInfo).toBe('DATA[1], PING[0]');
    expect((p.marks & Mark.Malformed) !== 0).toBe(true);
    expect(p.malformed).toMatch(/padding length 9 exceeds the DATA payload of 3 bytes/);
    const layers = p.tree!.layers.filter((l) => l.protocol === 'http2');
    expect(layers.map((l) => l.malformed !== null)).toEqual([true, false]);
  });

  it('a capture starting mid-connection: the chunk inside a frame is skipped, framing resumes at the next', () => {
    const d = new H2Driver();
    d.gap(1, 0);
    const body = frame(FrameType.Data, 0, 1, new Array<number>(100).fill(0x61));
    d.send(1, body.subarray(40)); // the middle of a DATA frame
    const p = d.send(1, concat(frame(FrameType.Headers, Flag.EndHeaders, 3, [0x88, 0xbe]), frame(FrameType.Data, Flag.EndStream, 3, ascii('ok'))));
    expect(p.appInfo).toBe('HEADERS[3]: 200 OK, DATA[3]');
    // Index 62 was added before the capture began: named as Wireshark does, and explained.
    expect(values(p, 'http2.header.name')).toEqual([':status', '<unknown>']);
    expect(h2Nodes(p).some((n) => n.warning === 'unknown HPACK dynamic table entry')).toBe(true);
    const st = d.parser.session.streams.get(3)!;
    expect(st.response.status).toBe(200);
    expect(st.response.undecodable).toMatch(/index 62 is dynamic table entry 1, added before the capture began/);
    expect(d.parser.session.undecodableBlocks).toBe(1);
  });

  it('bytes missing inside a DATA frame keep the framing; missing bytes inside HEADERS make its block undecodable', () => {
    const d = new H2Driver();
    d.send(0, PREFACE);
    d.send(0, frame(FrameType.Headers, Flag.EndHeaders | Flag.EndStream, 1, GET_ROOT));
    const data = frame(FrameType.Data, Flag.EndStream, 1, new Array<number>(50).fill(0x62));
    d.send(1, concat(frame(FrameType.Headers, Flag.EndHeaders, 1, [0x88, ...indexedLiteral('x-a', 'b')]), data.subarray(0, 20)));
    d.gap(1, 20);
    const after = d.send(1, concat(data.subarray(40), frame(FrameType.Ping, 0, 0, u32(0).concat(u32(0)))));
    expect(after.appInfo).toBe('DATA[1], PING[0]');
    const res = d.parser.session.streams.get(1)!.response;
    expect([res.bodyBytes, res.bodyTruncated, res.endRow]).toEqual([50, true, 3]);
    // A HEADERS frame with bytes missing: its block (and the table) cannot be read.
    const h = frame(FrameType.Headers, Flag.EndHeaders, 3, [0x88, 0xbe, ...literal('x-b', 'c')]);
    d.send(1, h.subarray(0, 11));
    d.gap(1, 2);
    d.send(1, h.subarray(13));
    const next = d.send(1, frame(FrameType.Headers, Flag.EndHeaders, 5, [0x88, 0xbe]));
    expect(values(next, 'http2.header.name')).toEqual([':status', '<unknown>']);
  });

  it('never crashes on any prefix of a conversation, nor on random bytes', () => {
    const bytes = concat(
      PREFACE,
      frame(FrameType.Settings, 0, 0, [...u16(1), ...u32(100)]),
      frame(FrameType.Headers, Flag.EndHeaders | Flag.Padded, 1, [1, ...GET_ROOT, 0]),
      frame(FrameType.Data, Flag.EndStream | Flag.Padded, 1, [0, 1, 2, 3]),
      frame(FrameType.Goaway, 0, 0, [...u32(1), ...u32(0)]),
    );
    for (let n = 0; n <= bytes.length; n++) {
      const d = new H2Driver();
      d.send(0, bytes.subarray(0, n));
      d.end();
    }
    let seed = 12345;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    for (let t = 0; t < 200; t++) {
      const d = new H2Driver();
      const junk = Uint8Array.from({ length: 1 + (t % 97) * 7 }, rand);
      d.send(0, concat(PREFACE, junk));
      d.send(1, junk);
      d.gap(1, 5);
      d.send(1, junk);
      d.end();
    }
  });

  it('detection: the preface, or plausible frames; not HTTP/1.1 text', () => {
    const yes = (b: Uint8Array): boolean => looksLikeHttp2(b, 0, b.length);
    expect(yes(PREFACE.subarray(0, 16))).toBe(true);
    expect(yes(frame(FrameType.Settings, 0, 0, [...u16(3), ...u32(100)]))).toBe(true);
    expect(yes(concat(frame(FrameType.WindowUpdate, 0, 0, u32(5)), frame(FrameType.Headers, Flag.EndHeaders, 1, [0x82])))).toBe(true);
    expect(yes(Uint8Array.from(ascii('GET / HTTP/1.1\r\nHost: a\r\n\r\n')))).toBe(false);
    expect(yes(Uint8Array.from(ascii('PRI * HTTP/1.1\r\n')))).toBe(false);
    expect(yes(frame(FrameType.Headers, Flag.EndHeaders, 0, [0x82]))).toBe(false); // HEADERS on stream 0
  });
});

describe('HTTP/2 decompression bombs', () => {
  it('a small block naming a large table entry many times is decoded (HPACK stays in step) but cut at 200 fields', () => {
    const d = new H2Driver();
    d.send(0, PREFACE);
    const big = 'x'.repeat(100);
    // One entry of 100 bytes, then 300 references to it (index 62): 30 KB of fields from 300 bytes.
    d.send(0, frame(FrameType.Headers, Flag.EndHeaders | Flag.EndStream, 1, [...GET_ROOT, ...indexedLiteral('x-big', big), ...new Array<number>(300).fill(0xbe)]));
    const st = d.parser.session.streams.get(1)!;
    expect(st.request.headers).toHaveLength(200);
    const p = d.packets[1]!;
    expect(values(p, 'http2.header.name')).toHaveLength(200);
    expect(h2Nodes(p).some((n) => n.warning === 'header list cut')).toBe(true);
    // The table followed every field: a later block still finds its entry at 62.
    const next = d.send(0, frame(FrameType.Headers, Flag.EndHeaders | Flag.EndStream, 3, [0x82, 0x87, 0x84, 0xbe]));
    expect(values(next, 'http2.header.value')).toContain(big);
  });
});
