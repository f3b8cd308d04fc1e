// 0-RTT records are opened before the ServerHello names the suite: the candidates are the ClientHello's
// TLS 1.3 suites whose hash fits the early secret, tried in the client's order on the first record.

import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SessionDecryptor } from '../../../../src/core/tls/decrypt/session-decryptor';
import { trafficKeys } from '../../../../src/core/tls/decrypt/tls13-key-schedule';
import { addKeyText } from '../../../../src/core/tls/keys/key-files';
import { TlsKeyStore } from '../../../../src/core/tls/keys/key-store';

const random = randomBytes(32);
const secret = randomBytes(32);

/** A ClientHello offering `suites` and early_data (RFC 8446 §4.1.2, §4.2.10). */
function clientHello(suites: number[]): Uint8Array {
  const suiteBytes = suites.flatMap((s) => [s >> 8, s & 0xff]);
  const body = [
    0x03, 0x03, ...random, // legacy_version, random
    0, // legacy_session_id
    0, suiteBytes.length, ...suiteBytes,
    1, 0, // legacy_compression_methods: null
    0, 4, 0x00, 0x2a, 0, 0, // extensions: early_data (empty)
  ];
  return Uint8Array.from([1, 0, body.length >> 8, body.length & 0xff, ...body]);
}

/** An early data record (RFC 8446 §5.2): TLSInnerPlaintext sealed with ChaCha20-Poly1305, record 0. */
function chachaRecord(text: string): Uint8Array {
  const { key, iv } = trafficKeys('sha256', secret, 32, 12);
  const inner = Buffer.concat([Buffer.from(text), Buffer.from([23])]);
  const header = Buffer.from([23, 3, 3, (inner.length + 16) >> 8, (inner.length + 16) & 0xff]);
  const c = createCipheriv('chacha20-poly1305', key, iv, { authTagLength: 16 });
  c.setAAD(header, { plaintextLength: inner.length });
  return Buffer.concat([header, c.update(inner), c.final(), c.getAuthTag()]);
}

function decryptor(): SessionDecryptor {
  const store = new TlsKeyStore();
  addKeyText(store, 'early.keys', `CLIENT_EARLY_TRAFFIC_SECRET ${random.toString('hex')} ${secret.toString('hex')}\n`);
  return new SessionDecryptor(store);
}

describe('0-RTT early data before the ServerHello', () => {
  it('a ChaCha20-Poly1305 early record opens although AES-128-GCM (same hash) is offered first', () => {
    const dec = decryptor();
    const hello = clientHello([0x1301, 0x1303]);
    dec.message(0, hello, 0, hello.length);
    const record = chachaRecord('GET /early HTTP/1.1\r\n\r\n');
    expect(dec.earlyDataBeforeHello(0, 23)).toBe(true);
    const r = dec.open(0, 23, 0x0303, record, 5, record.length - 5);
    expect(r).toMatchObject({ ok: true, type: 23 });
    expect(Buffer.from((r as { data: Uint8Array }).data).toString()).toBe('GET /early HTTP/1.1\r\n\r\n');
    expect(dec.info).toMatchObject({ status: 'decrypted', opened: [1, 0], failed: [0, 0], keySource: 'early.keys line 1' });
  });

  it('a suite the client did not offer is not tried: the record fails its tag', () => {
    const dec = decryptor();
    const hello = clientHello([0x1301]);
    dec.message(0, hello, 0, hello.length);
    const record = chachaRecord('GET /early HTTP/1.1\r\n\r\n');
    expect(dec.open(0, 23, 0x0303, record, 5, record.length - 5)).toMatchObject({ ok: false });
  });
});
