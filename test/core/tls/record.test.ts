// Record framing over a direction's stream: records split anywhere, several per call, bulk data
// counted not copied, gaps, SSL 2.0 headers, and handshake messages spanning records.

import { describe, expect, it } from 'vitest';
import { RecordFramer, type FramerSink } from '../../../src/core/tls/record';
import { TlsParser, detectTls } from '../../../src/core/tls/parser';
import type { StreamChunk } from '../../../src/core/flow/app-parser';
import { TestHost, ascii, chunkFor, clientHelloBody, clientHelloRecord, concat, handshake, record, u16 } from './tls-bytes';

class Recorder implements FramerSink {
  readonly seen: { type: number; length: number; body: number[] | null; start: number; frameOffset: number; v2: boolean }[] = [];
  readonly junked: string[] = [];
  keep: (f: RecordFramer) => boolean = (f) => f.type !== 23;
  keepBody(f: RecordFramer): boolean {
    return this.keep(f);
  }
  record(f: RecordFramer, b: Uint8Array | null, at: number, frameOffset: number): void {
    const body = b === null ? null : Array.from(b.subarray(at + f.headerLength, at + f.headerLength + f.length));
    this.seen.push({ type: f.type, length: f.length, body, start: f.start, frameOffset, v2: f.sslv2 });
  }
  junk(_f: RecordFramer, _length: number, reason: string): void {
    this.junked.push(reason);
  }
}

const chunk = (row = 0, frameOffset = -1): StreamChunk => chunkFor(row, 0, null, frameOffset);

describe('record framing', () => {
  const ccs = record(20, 0x0303, [1]);
  const alert = record(21, 0x0303, [2, 40]);
  const appData = record(23, 0x0303, new Array<number>(300).fill(0xab));
  const stream = concat(ccs, alert, appData, alert);

  it('finds every record when the stream is split at any byte', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const f = new RecordFramer(0);
      const r = new Recorder();
      f.feed(stream, 0, cut, chunk(0), r);
      f.feed(stream, cut, stream.length - cut, chunk(1), r);
      expect(r.seen.map((s) => [s.type, s.length, s.start])).toEqual([
        [20, 1, 0],
        [21, 2, 6],
        [23, 300, 13],
        [21, 2, 318],
      ]);
      expect(r.seen[1]!.body).toEqual([2, 40]);
    }
  });

  it('frames a stream fed one byte at a time', () => {
    const f = new RecordFramer(0);
    const r = new Recorder();
    for (let i = 0; i < stream.length; i++) f.feed(stream, i, 1, chunk(i), r);
    expect(r.seen.map((s) => s.type)).toEqual([20, 21, 23, 21]);
    expect(f.pos).toBe(stream.length);
  });

  it('hands whole records over in place with their frame offset, without copying', () => {
    const f = new RecordFramer(0);
    const r = new Recorder();
    f.feed(stream, 0, stream.length, chunk(0, 54), r);
    expect(r.seen.map((s) => s.frameOffset)).toEqual([54, 60, 67, 372]);
  });

  it('counts application data split across calls without keeping its bytes', () => {
    const f = new RecordFramer(0);
    const r = new Recorder();
    f.feed(appData, 0, 100, chunk(0), r);
    f.feed(appData, 100, appData.length - 100, chunk(1), r);
    expect(r.seen).toHaveLength(1);
    expect(r.seen[0]!.body).toBeNull();
    expect(r.seen[0]!.frameOffset).toBe(-1);
    expect(f.buf.length).toBe(0);
  });

  it('keeps framing when a gap falls inside a record whose length is known', () => {
    const f = new RecordFramer(0);
    const r = new Recorder();
    f.feed(appData, 0, 50, chunk(0), r);
    f.gap(100, chunk(1), r); // bytes 50..150 of the stream were not captured
    const rest = concat(appData.subarray(150), alert);
    f.feed(rest, 0, rest.length, chunk(2), r);
    expect(r.seen.map((s) => s.type)).toEqual([23, 21]);
    expect(f.lost).toBe(false);
  });

  it('loses framing at a gap between records and resynchronises on a plausible header', () => {
    const f = new RecordFramer(0);
    const r = new Recorder();
    f.feed(alert, 0, alert.length, chunk(0), r);
    f.gap(40, chunk(1), r);
    expect(f.lost).toBe(true);
    const garbage = new Uint8Array([0x99, 1, 2, 3, 4, 5, 6]);
    f.feed(garbage, 0, garbage.length, chunk(2), r);
    f.feed(alert, 0, alert.length, chunk(3), r);
    expect(r.seen.map((s) => s.type)).toEqual([21, 21]);
    expect(r.junked).toHaveLength(1);
  });

  it('reads SSL 2.0 two-byte and three-byte headers (escape bit, padding)', () => {
    const f = new RecordFramer(0);
    const r = new Recorder();
    // 2-byte header: 0x80 | length (5), then a CLIENT-HELLO-like body starting with type 1.
    const twoByte = new Uint8Array([0x80, 0x05, 0x01, 0x00, 0x02, 0x00, 0x00]);
    f.feed(twoByte, 0, twoByte.length, chunk(0), r);
    expect(r.seen[0]).toMatchObject({ v2: true, length: 5, body: [1, 0, 2, 0, 0] });
    f.sslv2Mode = 1; // an SSL 2.0 session: every header is SSL 2.0
    // 3-byte header: escape bit set (0x40), length 4, padding 2.
    const threeByte = new Uint8Array([0x40, 0x04, 0x02, 9, 9, 9, 9]);
    f.feed(threeByte, 0, threeByte.length, chunk(1), r);
    expect(r.seen[1]).toMatchObject({ v2: true, length: 4, body: [9, 9, 9, 9] });
    expect(f.v2Escape).toBe(1);
    expect(f.v2Padding).toBe(2);
  });

  it('reports bytes that are not a record header and stops framing', () => {
    const f = new RecordFramer(0);
    const r = new Recorder();
    const http = new Uint8Array(ascii('GET / HTTP/1.1\r\n'));
    f.feed(http, 0, http.length, chunk(0), r);
    expect(r.seen).toHaveLength(0);
    expect(r.junked[0]).toMatch(/record header 47 45 54 20 2f: unknown content type 71/);
    expect(f.lost).toBe(true);
  });
});

describe('handshake messages across records', () => {
  it('reassembles a ClientHello split over three records and fed in odd pieces', () => {
    const msg = handshake(1, clientHelloBody());
    const a = msg.subarray(0, 2); // not even the message header
    const b = msg.subarray(2, 100);
    const c = msg.subarray(100);
    const stream = concat(record(22, 0x0301, a), record(22, 0x0301, b), record(22, 0x0301, c));
    const parser = new TlsParser(new TestHost());
    for (let at = 0; at < stream.length; at += 7) parser.data(0, stream, at, Math.min(7, stream.length - at), chunkFor(at, at));
    expect(parser.messages).toHaveLength(1);
    const hello = parser.messages[0]!;
    expect(hello.kind).toBe('client_hello');
    expect(hello.malformed).toBeNull();
    expect(parser.session.sni).toBe('example.com');
    expect(parser.records.map((r) => [r.continues, r.messages.length])).toEqual([
      [true, 0],
      [true, 0],
      [false, 1],
    ]);
  });

  it('parses several messages in one record and several records in one call', () => {
    const serverHello = handshake(
      2,
      concat(u16(0x0303), new Array<number>(32).fill(7), [0], u16(0x009c), [0], u16(0)),
    );
    const done = handshake(14, []);
    const flight = concat(record(22, 0x0303, concat(serverHello, done)), record(20, 0x0303, [1]));
    const parser = new TlsParser(new TestHost());
    const hello = clientHelloRecord();
    parser.data(0, hello, 0, hello.length, chunkFor(0, 0));
    const c = chunkFor(1, 0);
    parser.data(1, flight, 0, flight.length, c);
    expect(parser.messages.map((m) => m.title)).toEqual(['Client Hello', 'Server Hello', 'Server Hello Done']);
    expect(c.p.appInfo).toBe('Server Hello, Server Hello Done, Change Cipher Spec');
    expect(parser.session.cipherSuiteName).toBe('TLS_RSA_WITH_AES_128_GCM_SHA256');
    expect(parser.session.keyExchange).toBe('RSA');
  });
});

describe('detection by content', () => {
  it('recognises a ClientHello, mid-stream records and an SSL 2.0-format hello', () => {
    const hello = clientHelloRecord();
    expect(detectTls(hello, 0, hello.length)).toBe(true);
    const app = concat(record(23, 0x0303, new Array<number>(40).fill(1)), record(21, 0x0303, new Array<number>(26).fill(2)));
    expect(detectTls(app, 0, app.length)).toBe(true);
    // RFC 5246 §E.2: msg_length 0x802e, CLIENT-HELLO (1), version 3.1, 21 bytes of specs, no
    // session id, 16-byte challenge.
    const v2 = concat([0x80, 0x2e, 0x01], u16(0x0301), u16(21), u16(0), u16(16), new Array<number>(21).fill(0), new Array<number>(16).fill(5));
    expect(detectTls(v2, 0, v2.length)).toBe(true);
  });

  it('rejects HTTP, text and impossible headers', () => {
    for (const text of ['GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'HTTP/1.1 200 OK\r\n', 'SSH-2.0-OpenSSH_9.6\r\n', '220 mail ESMTP\r\n']) {
      const b = new Uint8Array(ascii(text));
      expect(detectTls(b, 0, b.length)).toBe(false);
    }
    const badVersion = record(22, 0x0309, [1, 0, 0, 0]);
    expect(detectTls(badVersion, 0, badVersion.length)).toBe(false);
    const tooLong = concat([23, 3, 3], u16(40000));
    expect(detectTls(tooLong, 0, tooLong.length)).toBe(false);
    // An application data record followed by something that is not a record.
    const thenText = concat(record(23, 0x0303, [1, 2, 3]), ascii('hello world'));
    expect(detectTls(thenText, 0, thenText.length)).toBe(false);
  });
});
