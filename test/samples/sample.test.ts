// The bundled sample (resources/samples/sample.pcapng, made by npm run samples) holds what its
// README promises: a TLS 1.2 mutual-TLS conversation with comments and a TLS 1.3 one, with keys.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile, type AnalyzedFile } from '../../src/core/engine/analyze-file';
import { summarizeConversation } from '../../src/core/flow/conversation-summary';
import { SECRETS_TLS_KEY_LOG } from '../../src/core/io/types';
import type { TlsHandshakeMessage } from '../../src/core/tls/model';
import { TlsParser } from '../../src/core/tls/parser';

const sample = join(__dirname, '..', '..', 'resources', 'samples', 'sample.pcapng');

const hasTshark = ((): boolean => {
  try {
    return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
})();

function tlsOf(file: AnalyzedFile, stream: number): TlsParser {
  const app = file.analyzer.flows.conversations[stream]!.app;
  if (!(app instanceof TlsParser)) throw new Error(`conversation ${stream} was not parsed as TLS`);
  return app;
}

function fromClient(tls: TlsParser, kind: TlsHandshakeMessage['kind']): TlsHandshakeMessage[] {
  return tls.messages.filter((m) => m.kind === kind && m.dir === tls.session.clientDir);
}

function fromServer(tls: TlsParser, kind: TlsHandshakeMessage['kind']): TlsHandshakeMessage[] {
  return tls.messages.filter((m) => m.kind === kind && m.dir !== tls.session.clientDir);
}

describe('the bundled sample capture', () => {
  let file: AnalyzedFile;
  beforeAll(async () => {
    file = await analyzeFile(sample);
  });

  it('reads to the end: one Ethernet interface, packets in time order', () => {
    expect(file.result.stop).toBeNull();
    expect(file.analyzer.interfaces.map((i) => [i.linkType, i.name, i.tsUnitsPerSecond])).toEqual([[1, 'sample0', 1e9]]);
    expect(file.analyzer.sections[0]!.application).toBe('WireLadder sample generator');
    const index = file.analyzer.index;
    expect(index.count).toBeGreaterThan(30);
  });

  it('holds two TCP conversations from 192.0.2.10 to port 443, each with a complete handshake and the client closing first', () => {
    const rows = file.analyzer.flows.conversations.map((c) => summarizeConversation(file.analyzer.flows.store, c.id, file.analyzer.addresses));
    expect(rows.map((r) => [r.protocol, r.client.split(':')[0], r.server, r.handshake, r.clientState, r.serverState, r.reset])).toEqual([
      ['TCP', '192.0.2.10', '198.51.100.20:443', 'complete', 'TIME_WAIT', 'CLOSED', false],
      ['TCP', '192.0.2.10', '198.51.100.30:443', 'complete', 'TIME_WAIT', 'CLOSED', false],
    ]);
    // The synthetic network has a 20 ms round trip.
    for (const r of rows) expect(r.initialRtt).toBeCloseTo(0.02, 2);
  });

  it('conversation 1 is TLS 1.2 with mutual authentication: CertificateRequest, a client Certificate, CertificateVerify', () => {
    const tls = tlsOf(file, 0);
    expect(tls.session.versionName).toBe('TLS 1.2');
    expect(tls.session.cipherSuiteName).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(tls.session.sni).toBe('wireladder.test');
    expect(tls.session.alpn).toBe('http/1.1');
    expect(fromServer(tls, 'certificate_request')).toHaveLength(1);
    const [clientCert] = fromClient(tls, 'certificate');
    expect(clientCert?.kind === 'certificate' ? clientCert.chain.length : 0).toBeGreaterThan(0);
    expect(fromClient(tls, 'certificate_verify')).toHaveLength(1);
    expect(tls.session.clientCertSent).toBe('certificate');
    expect(tls.session.serverChecks?.validAtCaptureTime).toBe(true);
    expect(tls.session.serverChecks?.sniMatches).toBe(true);
  });

  it('conversation 2 is TLS 1.3', () => {
    const tls = tlsOf(file, 1);
    expect(tls.session.versionName).toBe('TLS 1.3');
    expect(tls.session.sni).toBe('wireladder.test');
    expect(tls.session.offeredVersions).toContain(0x0304);
  });

  it('carries comments on the mutual-TLS steps of conversation 1', () => {
    const comments = [...file.analyzer.index.comments.entries()];
    expect(comments.length).toBeGreaterThanOrEqual(3);
    const text = comments.flatMap(([, c]) => c).join('\n');
    expect(text).toContain('asks the client for a certificate (mutual TLS)');
    expect(text).toContain('CertificateVerify');
    expect(text).toContain('First application data');
    // The CertificateRequest comment sits on the packet that completed the CertificateRequest.
    const request = fromServer(tlsOf(file, 0), 'certificate_request')[0]!;
    expect(file.analyzer.index.comments.get(request.row)?.join(' ')).toContain('mutual TLS');
  });

  it('embeds the key log of both connections in a Decryption Secrets Block', () => {
    const secrets = file.analyzer.secrets;
    expect(secrets.map((s) => s.secretsType)).toEqual([SECRETS_TLS_KEY_LOG]);
    const log = new TextDecoder().decode(secrets[0]!.data);
    expect(log).toMatch(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/m);
    expect(log).toMatch(/^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]{64,96}$/m);
    // The keys belong to these connections: each ClientHello random is in the log.
    for (const stream of [0, 1]) {
      const hello = fromClient(tlsOf(file, stream), 'client_hello')[0];
      const random = hello?.kind === 'client_hello' ? hello.random.replace(/[^0-9a-f]/gi, '').toLowerCase() : '';
      expect(random).toHaveLength(64);
      expect(log).toContain(` ${random} `);
    }
  });

  it.skipIf(!hasTshark)('tshark decrypts both conversations to HTTP with the embedded keys alone', () => {
    const r = spawnSync('tshark', ['-r', sample, '-Y', 'http', '-T', 'fields', '-e', 'tcp.stream', '-e', 'http.request.method', '-e', 'http.request.uri', '-e', 'http.response.code'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows).toEqual([
      ['0', 'GET', '/', ''],
      ['0', '', '', '200'],
      ['1', 'GET', '/tls13', ''],
      ['1', '', '', '200'],
    ]);
  });
});
