import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ladderFromFile } from '../../../src/core/ladder/build';
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
    const get = m.steps.find((s) => s.label === 'GET / HTTP/1.1')!;
    expect(get.phase).toBe('application-data');
    expect(get.kind).toBe('http-request');
    expect(m.steps.find((s) => s.label.startsWith('HTTP/1.0 200'))?.kind).toBe('http-response');
    const server = m.steps.find((s) => s.label.startsWith('ServerHello'))!;
    expect(server.explanation).toContain('Decrypted with tls13.keys lines 1, 3–5');
    expect(m.steps.some((s) => s.explanation.includes('Finished verified: both sides saw the same handshake'))).toBe(true);
  });

  it('explains in Simplified Chinese which key log lines decrypted the session', async () => {
    const m = await ladderFromFile(join(corpus, 'mtls13.pcap'), 0, { language: 'zh-CN' }, { tlsKeys: keys('mtls13') });
    const text = m.steps.map((s) => s.explanation).join('\n');
    expect(text).toContain('已用 mtls13.keys lines 1, 3–5 解密');
    expect(text).toContain('Finished 已验证');
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
});
