import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/core/engine/analyze-file';
import { tlsOf } from '../../src/core/engine/app-of';
import { extractFields } from '../../src/core/engine/field-values';
import { addKeyFile, addKeyText } from '../../src/core/tls/keys/key-files';
import { TlsKeyStore } from '../../src/core/tls/keys/key-store';
import type { TlsParser } from '../../src/core/tls/parser';
import { fieldSets, root } from './differential';

// The keyed captures of `npm run samples -- --keyed` (real node:tls conversations, one per record
// protection family): every record opens, both Finished verify, the HTTP inside reads, and the
// decrypted fields agree with tshark 4.0 given the same keys (test/fixtures/keyed/NAME.tsv, made
// by scripts/make-fixtures.mjs keys; the RSA sample with the server's PEM key alone).
const dir = join(root, 'test', 'fixtures', 'keyed');
const samples = readdirSync(dir).filter((n) => n.endsWith('.pcapng')).map((n) => n.replace(/\.pcapng$/, '')).sort();

function keysFor(name: string, only: 'keylog' | 'pem' = existsSync(join(dir, `${name}.pem`)) ? 'pem' : 'keylog'): TlsKeyStore {
  const store = new TlsKeyStore();
  addKeyFile(store, join(dir, `${name}.${only === 'pem' ? 'pem' : 'keys'}`));
  return store;
}

async function sessions(name: string, store: TlsKeyStore): Promise<TlsParser[]> {
  const { analyzer } = await analyzeFile(join(dir, `${name}.pcapng`), { tlsKeys: store });
  return analyzer.flows.conversations.map(tlsOf).filter((t): t is TlsParser => t !== null);
}

describe('keyed samples: every suite family decrypts', () => {
  it('covers AES-GCM, ChaCha20, CBC with and without EtM, RSA key transport, resumption, mTLS 1.3, HelloRetryRequest, KeyUpdate and 0-RTT', () => {
    expect(samples).toEqual(['mtls13', 'tls12-aes-gcm', 'tls12-cbc', 'tls12-cbc-etm', 'tls12-chacha20', 'tls12-resumed', 'tls12-rsa-kx', 'tls13-early-data', 'tls13-hrr', 'tls13-keyupdate', 'tls13-resumed']);
  });

  for (const name of samples) {
    it(`${name}: every record opens, both Finished verify, the GET reads`, async () => {
      const tls = await sessions(name, keysFor(name));
      expect(tls.length).toBeGreaterThan(0);
      for (const t of tls) {
        expect(t.session.decryption).toMatchObject({ status: 'decrypted', reason: null, failed: [0, 0], finished: ['verified', 'verified'] });
        expect(t.records.filter((r) => r.encrypted && r.decryption !== 'decrypted')).toEqual([]);
        expect(String(t.describe()['http.first_request'])).toMatch(new RegExp(`^GET /${name}/\\d$`));
      }
    });

    it(`${name}: decrypted fields agree with tshark`, async () => {
      const names = fieldSets['keys']!;
      const expected = readFileSync(join(dir, `${name}.tsv`), 'utf8').split('\n').filter((l) => l !== '');
      const ours: string[] = [];
      await extractFields(join(dir, `${name}.pcapng`), names, (values) => ours.push(values.map((v) => (v === undefined ? '' : v.join(','))).join('\t')), { tlsKeys: keysFor(name) });
      // openssl s_server -www answers HTTP/1.0 without Content-Length: tshark 4.0 never ends that
      // body inside TLS, WireLadder ends it at the server's close_notify (RFC 2818 §2.2.2), as for
      // the corpus captures (test/fixtures/tshark/exceptions.json).
      const code = names.indexOf('http.response.code');
      const closeDelimited = (row: string): string => row.split('\t').map((v, i) => (i === code ? '' : v)).join('\t');
      const known = name === 'tls13-keyupdate' ? new Set([17]) : new Set<number>();
      expect(ours.map((r, i) => (known.has(i + 1) ? closeDelimited(r) : r))).toEqual(expected);
      for (const frame of known) expect(ours[frame - 1]!.split('\t')[code]).toBe('200');
    });
  }

  it('CBC records are read with encrypt-then-MAC where negotiated, MAC-then-encrypt where not', async () => {
    expect((await sessions('tls12-cbc-etm', keysFor('tls12-cbc-etm')))[0]!.session.encryptThenMac).toBe(true);
    expect((await sessions('tls12-cbc', keysFor('tls12-cbc')))[0]!.session.encryptThenMac).toBe(false);
  });

  it('TLS 1.3 after a HelloRetryRequest: the transcript starts with the hash of the first ClientHello', async () => {
    const t = (await sessions('tls13-hrr', keysFor('tls13-hrr')))[0]!;
    expect(t.session.helloRetry).toBe(true);
    expect(t.session.decryption?.finished).toEqual(['verified', 'verified']);
  });

  it('a resumed TLS 1.2 session decrypts with the master secret of the session it resumes (ticket), without its own key log line', async () => {
    const lines = readFileSync(join(dir, 'tls12-resumed.keys'), 'utf8').split('\n');
    const store = new TlsKeyStore();
    addKeyText(store, 'first-only.keys', `${lines[0]}\n`);
    const [first, second] = await sessions('tls12-resumed', store);
    expect(first!.session.decryption?.method).toBe('key-log');
    expect(second!.session.resumed).toBe('ticket');
    expect(second!.session.decryption).toMatchObject({ status: 'decrypted', method: 'resumption', finished: ['verified', 'verified'] });
  });

  it('RSA key transport: the server PEM alone decrypts it (pre-master secret recovered, PKCS#1 v1.5 padding checked)', async () => {
    const t = (await sessions('tls12-rsa-kx', keysFor('tls12-rsa-kx', 'pem')))[0]!;
    expect(t.session.decryption).toMatchObject({ status: 'decrypted', method: 'rsa-key', keySource: 'tls12-rsa-kx.pem' });
  });

  it("TLS 1.3 KeyUpdate: both sides move to the next generation; OpenSSL's _TRAFFIC_SECRET_N lines are accepted and named", async () => {
    const t = (await sessions('tls13-keyupdate', keysFor('tls13-keyupdate')))[0]!;
    expect(t.messages.filter((m) => m.kind === 'key_update').map((m) => m.dir === t.session.clientDir)).toEqual([true, false]);
    expect(t.session.decryption).toMatchObject({ status: 'decrypted', failed: [0, 0] });
    // Lines 6 and 7 are CLIENT_TRAFFIC_SECRET_N and SERVER_TRAFFIC_SECRET_N: equal to the derived generation 1.
    expect(t.session.decryption?.keySource).toBe('tls13-keyupdate.keys lines 1, 3–7');
    expect(t.describe()['http.first_request']).toBe('GET /tls13-keyupdate/1');
    // Without the _N lines the next generation is derived (RFC 8446 §7.2), as tshark does.
    const lines = readFileSync(join(dir, 'tls13-keyupdate.keys'), 'utf8').split('\n').filter((l) => !l.includes('_SECRET_N '));
    const store = new TlsKeyStore();
    addKeyText(store, 'derived.keys', lines.join('\n'));
    expect((await sessions('tls13-keyupdate', store))[0]!.session.decryption).toMatchObject({ status: 'decrypted', failed: [0, 0] });
  });

  it('TLS 1.3 0-RTT: the GET sent as early data decrypts with CLIENT_EARLY_TRAFFIC_SECRET, before the ServerHello', async () => {
    const [, resumed] = await sessions('tls13-early-data', keysFor('tls13-early-data'));
    const t = resumed!;
    expect(t.session.resumed).toBe('psk');
    expect(t.session.earlyData).toBe(true);
    const early = t.records.filter((r) => r.dir === t.session.clientDir && r.completedRow < t.session.serverHelloRow && r.contentType === 23);
    expect(early).toHaveLength(1);
    expect(early[0]).toMatchObject({ decryption: 'decrypted', innerType: 23 });
    expect(t.describe()['http.first_request']).toBe('GET /tls13-early-data/2');
    // The client's EndOfEarlyData moves it to its handshake keys (RFC 8446 §4.5): its Finished verifies.
    expect(t.messages.filter((m) => m.dir === t.session.clientDir).map((m) => m.title)).toEqual(['Client Hello', 'End of Early Data', 'Finished']);
    expect(t.session.decryption).toMatchObject({ status: 'decrypted', failed: [0, 0], finished: ['verified', 'verified'] });
    // Line 7 is the CLIENT_EARLY_TRAFFIC_SECRET; line 6 (EARLY_EXPORTER_SECRET) opens nothing.
    expect(t.session.decryption?.keySource).toBe('tls13-early-data.keys lines 7–8, 10–12');
  });

  it('TLS 1.3 0-RTT without the early secret: the early record stays encrypted, says why, and the rest still decrypts', async () => {
    const lines = readFileSync(join(dir, 'tls13-early-data.keys'), 'utf8').split('\n').filter((l) => !l.startsWith('CLIENT_EARLY_TRAFFIC_SECRET '));
    const store = new TlsKeyStore();
    addKeyText(store, 'no-early.keys', lines.join('\n'));
    const t = (await sessions('tls13-early-data', store))[1]!;
    const early = t.records.find((r) => r.dir === t.session.clientDir && r.contentType === 23 && r.completedRow < t.session.serverHelloRow)!;
    expect(early.decryption).toBeNull();
    // EndOfEarlyData is under the early keys too (RFC 8446 §4.5): it stays encrypted, and the
    // client's Finished after it opens with the handshake keys (as tshark shows it).
    const sealed = t.records.filter((r) => r.encrypted && r.decryption !== 'decrypted');
    expect(sealed.map((r) => r.completedRow)).toEqual([early.completedRow, t.messages.find((m) => m.kind === 'finished' && m.dir === t.session.clientDir)!.row]);
    expect(t.session.decryption).toMatchObject({ status: 'partial', failed: [0, 0], finished: ['verified', 'verified'] });
    expect(t.session.decryption?.reason).toBe('no CLIENT_EARLY_TRAFFIC_SECRET for this session in the keys loaded (0-RTT early data)');
  });

  it('mutual TLS 1.3: the client Certificate and CertificateVerify are visible', async () => {
    const t = (await sessions('mtls13', keysFor('mtls13')))[0]!;
    const fromClient = t.messages.filter((m) => m.dir === t.session.clientDir).map((m) => m.title);
    expect(fromClient).toEqual(['Client Hello', 'Certificate', 'Certificate Verify', 'Finished']);
    expect(t.session.clientCertSent).toBe('certificate');
  });
});
