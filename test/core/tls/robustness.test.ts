// Damaged input never throws: every prefix and random byte flips of real ClientHello and server
// flight records, on the fast path and the tree path.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TlsParser } from '../../../src/core/tls/parser';
import { framePayload } from './stream-helper';
import { TestHost, chunkFor } from './tls-bytes';

/** Feeds `bytes` as one direction's whole stream (optionally in two pieces) and ends it. */
function run(bytes: Uint8Array, tree: boolean, cut = bytes.length): TlsParser {
  const p = new TlsParser(new TestHost(tree));
  const first = chunkFor(0, 0, tree ? bytes : null, 0);
  p.data(0, bytes, 0, cut, first);
  if (cut < bytes.length) p.data(0, bytes, cut, bytes.length - cut, chunkFor(1, cut, tree ? bytes : null, cut));
  p.end(0, null);
  p.end(1, null);
  p.describe();
  return p;
}

// Chrome's 1751-byte ClientHello: GREASE, ECH, a Kyber key share, every common extension.
const chromeHello = framePayload('zeek/tls/chrome-1250-tls-x25519-kyber.pcap', 4);
// A TLS 1.2 server flight: ServerHello, Certificate (2 certificates), ServerKeyExchange,
// CertificateRequest, ServerHelloDone.
const serverFlight = framePayload('local/mtls12.pcap', 6);
// TLS 1.3 ServerHello, ChangeCipherSpec and encrypted records; an SSL 2.0 SERVER-HELLO.
const tls13Flight = framePayload('local/tls13.pcap', 6);
const sslv2Hello = framePayload('zeek/tls/ssl-v2.pcap', 6);

describe('robustness', () => {
  it('the corpus records parse cleanly before we damage them', () => {
    expect(run(chromeHello, false).messages.map((m) => [m.title, m.malformed])).toEqual([['Client Hello', null]]);
    expect(run(serverFlight, false).messages.every((m) => m.malformed === null)).toBe(true);
  });

  it('every prefix of a ClientHello record and of a server flight parses without throwing', () => {
    for (const bytes of [chromeHello, serverFlight]) {
      for (let n = 0; n <= bytes.length; n++) {
        const prefix = bytes.subarray(0, n);
        expect(() => run(prefix, n % 7 === 0)).not.toThrow();
      }
    }
  });

  it('a truncated record is reported at the end of the stream', () => {
    const p = run(chromeHello.subarray(0, 1000), false);
    expect(p.records).toHaveLength(1);
    expect(p.records[0]!.malformed).toMatch(/^truncated: 995 of 1751/);
  });

  it('random byte flips never throw, on either path and at any split', () => {
    for (const bytes of [chromeHello, serverFlight, tls13Flight, sslv2Hello]) {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
          fc.boolean(),
          fc.nat(bytes.length),
          (flips, tree, cut) => {
            const damaged = bytes.slice();
            for (const [at, v] of flips) damaged[at] = v;
            run(damaged, tree, cut);
          },
        ),
        { numRuns: 300, seed: 20240611 },
      );
    }
  });

  it('damage inside a message is recorded as malformed, not thrown', () => {
    const damaged = chromeHello.slice();
    // The cipher suites length (after record 5 + handshake 4 + version 2 + random 32 + session id 33).
    damaged[5 + 4 + 2 + 32 + 33] = 0xff;
    const p = run(damaged, true);
    expect(p.messages[0]!.malformed).not.toBeNull();
  });

  it('arbitrary byte soup after a valid header never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), fc.integer({ min: 20, max: 24 }), (body, type) => {
        const rec = new Uint8Array(5 + body.length);
        rec.set([type, 3, 3, body.length >> 8, body.length & 255]);
        rec.set(body, 5);
        run(rec, true);
      }),
      { numRuns: 400, seed: 7 },
    );
  });
});
