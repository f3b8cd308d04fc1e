import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ladderFromFile } from '../../../src/core/ladder/build';
import { layoutLadder } from '../../../src/core/ladder/layout';
import { addKeyText } from '../../../src/core/tls/keys/key-files';
import { TlsKeyStore } from '../../../src/core/tls/keys/key-store';

const corpus = join(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'local');

function keys(name: string): TlsKeyStore {
  const store = new TlsKeyStore();
  addKeyText(store, join(corpus, `${name}.keys`), readFileSync(join(corpus, `${name}.keys`), 'utf8'));
  return store;
}

describe('ladders of decrypted sessions', () => {
  it('TLS 1.3: the encrypted flight becomes its messages, tickets are their own steps, the GET is a step', async () => {
    const m = await ladderFromFile(join(corpus, 'tls13.pcap'), 0, {}, { tlsKeys: keys('tls13') });
    const labels = m.steps.map((s) => s.label);
    expect(labels).toContain('ServerHello, ChangeCipherSpec, EncryptedExtensions, Certificate, CertificateVerify, Finished');
    expect(labels).toContain('ChangeCipherSpec, Finished');
    expect(labels.filter((l) => l === 'NewSessionTicket')).toHaveLength(2);
    const get = m.steps.find((s) => s.label === 'GET /')!;
    expect(get.phase).toBe('application-data');
    expect(get.kind).toBe('http-request');
    // The response: status as sent (openssl s_server -WWW writes "200 ok"), media type and body size.
    expect(m.steps.find((s) => s.label === '200 ok text/html 4,322 bytes')?.kind).toBe('http-response');
    const server = m.steps.find((s) => s.label.startsWith('ServerHello'))!;
    expect(server.explanation).toContain('Decrypted with tls13.keys lines 1, 3–5');
    expect(m.steps.some((s) => s.explanation.includes('Finished verified: both sides saw the same handshake'))).toBe(true);
  });

  it('explains in Simplified Chinese which key log lines decrypted the session', async () => {
    const m = await ladderFromFile(join(corpus, 'mtls13.pcap'), 0, { language: 'zh-CN' }, { tlsKeys: keys('mtls13') });
    const text = m.steps.map((s) => s.explanation).join('\n');
    expect(text).toContain('已用 mtls13.keys lines 1, 3–5 解密');
    expect(text).toContain('Finished 已验证');
    expect(m.steps.map((s) => s.label)).toContain('200 ok text/html 8,089 字节');
    // Mutual TLS 1.3: the client's certificate flight is visible.
    expect(m.steps.map((s) => s.label)).toContain('ChangeCipherSpec, Certificate, CertificateVerify, Finished');
  });

  it('names the RSA line that gave the pre-master secret (TLS 1.2 RSA key transport)', async () => {
    const m = await ladderFromFile(join(corpus, 'tls12-rsa.pcap'), 0, {}, { tlsKeys: keys('tls12-rsa') });
    expect(m.steps.map((s) => s.explanation).join('\n')).toContain('Decrypted with tls12-rsa.keys line 1: an RSA line gives the pre-master secret');
  });

  it('without keys the ladder stays as it was', async () => {
    const m = await ladderFromFile(join(corpus, 'tls13.pcap'), 0);
    expect(m.steps.map((s) => s.label)).toContain('ServerHello, ChangeCipherSpec, Encrypted handshake (1,208 bytes)');
    expect(m.steps.some((s) => s.explanation.includes('Decrypted'))).toBe(false);
  });

  it('the exported ladder (SVG, PNG, PDF layout) shows every message of a decrypted flight, wrapped, even at the narrowest width', async () => {
    for (const name of ['tls13', 'mtls13']) {
      for (const language of ['en', 'zh-CN'] as const) {
        const m = await ladderFromFile(join(corpus, `${name}.pcap`), 0, { language }, { tlsKeys: keys(name) });
        const L = layoutLadder(m, { layout: 'time', width: 760 });
        const flight = L.steps.find((s) => s.step.label.startsWith('ServerHello'))!;
        expect(flight.labelLines.length).toBeGreaterThan(1);
        expect(flight.labelLines.join(' ')).toBe(flight.step.label);
        for (const s of L.steps) expect(s.labelLines.join(' ')).not.toContain('…');
      }
    }
  });

  it('0-RTT: the early data is its own step after the ClientHello, named by the GET it carries, and explained', async () => {
    const dir = join(__dirname, '..', '..', 'fixtures', 'keyed');
    const store = new TlsKeyStore();
    addKeyText(store, 'tls13-early-data.keys', readFileSync(join(dir, 'tls13-early-data.keys'), 'utf8'));
    const m = await ladderFromFile(join(dir, 'tls13-early-data.pcapng'), 1, {}, { tlsKeys: store });
    const hello = m.steps.find((s) => s.label.startsWith('ClientHello'))!;
    const early = m.steps[m.steps.indexOf(hello) + 1]!;
    // Both come from packet 21 (ClientHello, ChangeCipherSpec and the early data record).
    expect(early.packets).toEqual(hello.packets);
    // Suites counted as tshark counts them: 0x1302, 0x1303, 0x1301 and the renegotiation SCSV 0x00ff.
    expect(hello.label).toBe('ClientHello (SNI wireladder.test, 4 suites), ChangeCipherSpec');
    expect(hello.explanation).toContain('It also announces 0-RTT early data.');
    expect(early).toMatchObject({ label: 'Early data: GET /tls13-early-data/2', kind: 'http-request', phase: 'tls-handshake' });
    expect(early.explanation).toContain('Early data (0-RTT): the client sends application data before the handshake has finished');
    expect(early.explanation).toContain('The server accepted it: its EncryptedExtensions carries early_data');
    expect(early.explanation).toContain('Decrypted with tls13-early-data.keys lines 7–8, 10–12');
    expect(m.steps.map((s) => s.label)).toContain('EndOfEarlyData, Finished');

    const zh = await ladderFromFile(join(dir, 'tls13-early-data.pcapng'), 1, { language: 'zh-CN' }, { tlsKeys: store });
    const zhEarly = zh.steps.find((s) => s.label.startsWith('早期数据'))!;
    expect(zhEarly.label).toBe('早期数据：GET /tls13-early-data/2');
    expect(zhEarly.explanation).toContain('服务器接受了它');

    // Without keys: still its own step, by its size; the client's two-record flight is read as
    // EndOfEarlyData and Finished, not as a client certificate.
    const plain = await ladderFromFile(join(dir, 'tls13-early-data.pcapng'), 1);
    expect(plain.steps.map((s) => s.label)).toContain('Early data (76 bytes)');
    const flight = plain.steps.find((s) => s.from === 'client' && s.label.startsWith('Encrypted handshake'))!;
    expect(flight.explanation).toContain('most likely EndOfEarlyData, which closes the early data, and Finished');
  });
});
