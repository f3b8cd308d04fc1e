// The TLS model on real captures: versions, key exchange, resumption, HelloRetryRequest, mutual
// authentication, alerts, SSL 2.0, fragmented handshakes, ECH, GREASE, OCSP stapling, DHE.

import { describe, expect, it } from 'vitest';
import type { TlsParser } from '../../../src/core/tls/parser';
import type { ClientHello, ServerHello, ServerKeyExchange, TlsHandshakeMessage } from '../../../src/core/tls/model';
import { feedCapture } from './stream-helper';

function only(file: string): TlsParser {
  const r = feedCapture(file);
  expect(r.connections).toHaveLength(1);
  return r.connections[0]!.parser;
}

function titles(p: TlsParser): string[] {
  return p.messages.map((m) => `${m.dir === p.session.clientDir ? 'C' : 'S'}:${m.title}`);
}

function find<K extends TlsHandshakeMessage['kind']>(p: TlsParser, kind: K): Extract<TlsHandshakeMessage, { kind: K }>[] {
  return p.messages.filter((m): m is Extract<TlsHandshakeMessage, { kind: K }> => m.kind === kind);
}

describe('TLS 1.2 with RSA key transport (local/tls12-rsa.pcap)', () => {
  const { connections } = feedCapture('local/tls12-rsa.pcap');

  it('negotiates TLS_RSA_WITH_AES_128_GCM_SHA256 with RSA key transport and no forward secrecy', () => {
    expect(connections).toHaveLength(2);
    const s = connections[0]!.parser.session;
    expect(s.versionName).toBe('TLS 1.2');
    expect(s.cipherSuiteName).toBe('TLS_RSA_WITH_AES_128_GCM_SHA256');
    expect(s.keyExchange).toBe('RSA');
    expect(s.forwardSecrecy).toBe(false);
    expect(s.resumed).toBeNull();
    const cke = find(connections[0]!.parser, 'client_key_exchange')[0]!;
    expect(cke.exchange).toBe('rsa');
    expect(cke.publicLength).toBe(256); // RSA-2048 encrypted premaster secret
  });

  it('shows a full handshake first, then an abbreviated one resumed by session id', () => {
    expect(titles(connections[0]!.parser)).toEqual(['C:Client Hello', 'S:Server Hello', 'S:Certificate', 'S:Server Hello Done', 'C:Client Key Exchange']);
    const second = connections[1]!.parser;
    expect(titles(second)).toEqual(['C:Client Hello', 'S:Server Hello']);
    expect(second.session.resumed).toBe('session-id');
    expect(second.session.resumptionOffered).toEqual({ sessionId: true, ticket: false, psk: false });
    const ch = find(second, 'client_hello')[0]!;
    const sh = find(second, 'server_hello')[0]!;
    expect(sh.sessionId).toBe(ch.sessionId);
    expect(second.describe()['tls.resumed']).toBe('session-id');
  });

  it('marks the handshake encrypted after each ChangeCipherSpec and counts application data', () => {
    const p = connections[0]!.parser;
    const afterCcs = p.records.filter((r) => r.contentType === 22 && r.encrypted);
    expect(afterCcs).toHaveLength(2); // both Finished messages
    expect(p.session.encryptedFrom[0]).not.toBeNull();
    expect(p.session.encryptedFrom[1]).not.toBeNull();
    expect(p.session.appDataRecords).toEqual([1, 1]);
    expect(p.session.alerts.map((a) => a.title)).toEqual(['Encrypted Alert', 'Encrypted Alert']);
  });
});

describe('TLS 1.2 with ECDHE (local/tls12-ecdhe.pcap)', () => {
  it('reads the ECDHE group and public key from ServerKeyExchange: forward secrecy', () => {
    const p = only('local/tls12-ecdhe.pcap');
    expect(p.session.keyExchange).toBe('ECDHE');
    expect(p.session.groupName).toBe('x25519');
    expect(p.session.forwardSecrecy).toBe(true);
    const ske = find(p, 'server_key_exchange')[0]!;
    expect(ske).toMatchObject({ exchange: 'ecdhe', group: 0x001d, curveType: 3, publicKeyLength: 32, sigAlg: 0x0804, signatureLength: 256 });
    const cke = find(p, 'client_key_exchange')[0]!;
    expect(cke).toMatchObject({ exchange: 'ecdh', publicLength: 32 });
  });

  it('reads the gzip-compressed copy the same way', () => {
    const p = only('local/tls12-ecdhe.pcap.gz');
    expect(p.session.cipherSuiteName).toBe('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
  });
});

describe('TLS 1.3 (local/tls13.pcap)', () => {
  const p = only('local/tls13.pcap');

  it('negotiates TLS 1.3 through supported_versions while legacy_version says TLS 1.2', () => {
    const sh = find(p, 'server_hello')[0]!;
    expect(sh.legacyVersion).toBe(0x0303);
    expect(sh.version).toBe(0x0304);
    expect(sh.negotiatedViaSupportedVersions).toBe(true);
    expect(p.session.versionName).toBe('TLS 1.3');
    expect(p.session.cipherSuiteName).toBe('TLS_AES_256_GCM_SHA384');
    expect(p.session.keyExchange).toBe('ECDHE');
    expect(p.session.groupName).toBe('x25519');
  });

  it('sees only the hellos: everything after ServerHello is encrypted, NewSessionTickets too', () => {
    expect(titles(p)).toEqual(['C:Client Hello', 'S:Server Hello']);
    expect(find(p, 'new_session_ticket')).toHaveLength(0);
    const server = p.records.filter((r) => r.dir !== p.session.clientDir);
    expect(server.map((r) => [r.contentType, r.encrypted])).toEqual([
      [22, false],
      [20, false],
      [23, true],
      [23, true],
      [23, true],
      [23, true],
      [23, true],
      [23, true],
      [23, true],
      [23, true],
    ]);
    expect(p.session.clientCertRequested).toBeNull(); // hidden by encryption
  });
});

describe('mutual authentication', () => {
  it('TLS 1.2: CertificateRequest, a client Certificate and CertificateVerify (local/mtls12.pcap)', () => {
    const p = only('local/mtls12.pcap');
    expect(titles(p)).toEqual([
      'C:Client Hello',
      'S:Server Hello',
      'S:Certificate',
      'S:Server Key Exchange',
      'S:Certificate Request',
      'S:Server Hello Done',
      'C:Certificate',
      'C:Client Key Exchange',
      'C:Certificate Verify',
    ]);
    const cr = find(p, 'certificate_request')[0]!;
    expect(cr.certificateTypes).toEqual([1, 2, 64]);
    expect(cr.sigAlgs).toHaveLength(20);
    expect(cr.authorities).toBe(1);
    expect(p.session.clientCertRequested).toBe(true);
    expect(p.session.clientCertSent).toBe('certificate');
    expect(p.session.clientCertificates.map((c) => c.subjectCN)).toEqual(['alice client']);
    const cv = find(p, 'certificate_verify')[0]!;
    expect(cv).toMatchObject({ sigAlg: 0x0804, signatureLength: 256 });
    expect(p.describe()['tls.client_cert']).toBe('certificate');
  });

  it('TLS 1.2 without a client certificate: an empty Certificate, then a fatal handshake_failure', () => {
    const p = only('local/mtls12-nocert.pcap');
    const clientCert = find(p, 'certificate').find((m) => m.dir === p.session.clientDir)!;
    expect(clientCert.chain).toEqual([]);
    expect(p.session.clientCertSent).toBe('empty');
    expect(p.session.alerts).toHaveLength(1);
    expect(p.session.alerts[0]).toMatchObject({ level: 2, description: 40, name: 'handshake_failure', encrypted: false, title: 'Alert (Level: Fatal, Description: Handshake Failure)' });
    expect(p.session.alerts[0]!.dir).not.toBe(p.session.clientDir);
    expect(p.describe()['tls.alert']).toBe('handshake_failure');
  });

  it('TLS 1.3: the request and the certificates are encrypted, so unknown (local/mtls13.pcap)', () => {
    const p = only('local/mtls13.pcap');
    expect(p.session.versionName).toBe('TLS 1.3');
    expect(p.session.clientCertRequested).toBeNull();
    expect(p.session.clientCertSent).toBeNull();
    expect(p.session.serverCertificates).toEqual([]);
  });

  it('a real client certificate chain from the wild (zeek/tls/client-certificate.pcap)', () => {
    const p = only('zeek/tls/client-certificate.pcap');
    expect(p.session.clientCertSent).toBe('certificate');
    expect(p.session.clientCertificates.map((c) => c.subjectCN)).toEqual(['johanna@corelight.com', 'Actalis Client Authentication CA G3']);
    const checks = p.session.clientChecks!;
    expect(checks.chainOrderOk).toBe(true);
    expect(checks.anchor).toBe('bundled-root');
    expect(checks.sniMatches).toBeNull();
    expect(p.session.sni).toBe('certauth.idrix.fr');
    expect(p.session.alpn).toBe('http/1.1');
    expect(find(p, 'new_session_ticket')).toHaveLength(1);
  });
});

describe('HelloRetryRequest (zeek/tls/hrr.pcap)', () => {
  it('recognises the HelloRetryRequest by its random and the group it asks for', () => {
    const p = only('zeek/tls/hrr.pcap');
    const hrr = find(p, 'server_hello')[0]!;
    expect(hrr.isHelloRetryRequest).toBe(true);
    expect(hrr.title).toBe('Hello Retry Request');
    expect(hrr.selectedGroup).toBe(0x0017);
    expect(p.session.helloRetry).toBe(true);
    expect(p.session.groupName).toBe('secp256r1');
    const hellos = find(p, 'client_hello');
    expect(hellos).toHaveLength(2);
    expect(hellos[0]!.keyShares.map((k) => k.group)).not.toContain(0x0017);
    expect(hellos[1]!.keyShares.map((k) => k.group)).toEqual([0x0017]);
    expect(p.describe()['tls.hello_retry']).toBe('yes');
  });
});

describe('failures and old protocols', () => {
  it('a handshake refused with a fatal alert (zeek/tls/tls-1.2-handshake-failure.pcap)', () => {
    const p = only('zeek/tls/tls-1.2-handshake-failure.pcap');
    expect(titles(p)).toEqual(['C:Client Hello']);
    expect(p.session.alerts.map((a) => a.name)).toEqual(['handshake_failure']);
    expect(p.session.version).toBeNull();
  });

  it('SSL 2.0: CLIENT-HELLO, SERVER-HELLO with its certificate, CLIENT-MASTER-KEY (zeek/tls/ssl-v2.pcap)', () => {
    const p = only('zeek/tls/ssl-v2.pcap');
    expect(titles(p)).toEqual(['C:Client Hello', 'S:Server Hello', 'C:Client Master Key']);
    const ch = find(p, 'client_hello')[0]!;
    expect(ch.sslv2).toBe(true);
    expect(ch.cipherSpecs).toContain(0x0700c0);
    expect(p.session.sslv2).toBe(true);
    expect(p.session.versionName).toBe('SSL 2.0');
    expect(p.session.serverCertificates[0]!.subjectCN).toBe('plesk');
    expect(p.records.filter((r) => r.encrypted).length).toBeGreaterThan(0);
    expect(p.records.every((r) => r.sslv2)).toBe(true);
  });
});

describe('handshake details', () => {
  it('reassembles a 339 KB Certificate message spanning 21 records (zeek/tls/tls-fragmented-handshake.pcap.gz)', () => {
    const p = only('zeek/tls/tls-fragmented-handshake.pcap.gz');
    const cert = find(p, 'certificate')[0]!;
    expect(cert.length).toBe(339629);
    expect(cert.malformed).toBeNull();
    expect(cert.chain).toHaveLength(1);
    expect(cert.chain[0]!.subjectCN).toBe('Bro');
    const carrying = p.records.filter((r) => r.dir !== p.session.clientDir && r.contentType === 22);
    // 20 full 16 KB records end inside the message; the 21st (11953 bytes) completes it.
    expect(carrying.filter((r) => r.continues)).toHaveLength(20);
    expect(carrying.find((r) => r.messages.includes(cert))!.length).toBe(11953);
    expect(titles(p)).toEqual(['C:Client Hello', 'S:Server Hello', 'S:Certificate', 'S:Server Key Exchange', 'S:Server Hello Done']);
  });

  it('reads encrypted_client_hello and the outer SNI (zeek/tls/tls13-ech.pcap)', () => {
    const r = feedCapture('zeek/tls/tls13-ech.pcap');
    const withHello = r.connections.filter((c) => c.parser.messages.length > 0);
    expect(withHello.length).toBeGreaterThan(0);
    const ch = find(withHello[0]!.parser, 'client_hello')[0]!;
    expect(ch.ech).toBe(true);
    const ech = ch.extensions.find((x) => x.type === 0xfe0d)!;
    expect(ech.name).toBe('encrypted_client_hello');
    expect(ech.value).toMatchObject({ kind: 'encrypted_client_hello', form: 'outer', kdf: 1, aead: 1 });
    expect(ch.sni).toBe('cloudflare-ech.com');
    // The capture starts inside an earlier connection: its records are application data.
    const late = r.connections.find((c) => c.parser.messages.length === 0)!;
    expect(late.parser.session.appDataRecords[0] + late.parser.session.appDataRecords[1]).toBe(2);
  });

  it('recognises GREASE and the X25519Kyber768 hybrid key share (zeek/tls/chrome-1250-tls-x25519-kyber.pcap)', () => {
    const p = only('zeek/tls/chrome-1250-tls-x25519-kyber.pcap');
    const ch = find(p, 'client_hello')[0] as ClientHello;
    expect(ch.grease).toBe(true);
    expect(ch.cipherSuites[0]).toBe(0xeaea);
    expect(ch.extensions.filter((x) => x.grease).length).toBeGreaterThanOrEqual(2);
    expect(ch.extensions.find((x) => x.grease)!.name).toBe('Reserved (GREASE)');
    expect(ch.keyShares.map((k) => [k.group, k.length])).toContainEqual([0x6399, 1216]);
    expect(ch.versions[0]).toBe(0x8a8a);
    const sh = find(p, 'server_hello')[0] as ServerHello;
    expect(sh.selectedGroup).toBe(0x6399);
    expect(p.session.groupName).toBe('X25519Kyber768Draft00');
    expect(p.session.sni).toBe('lh3.google.com');
  });

  it('finds the stapled OCSP response in CertificateStatus (zeek/tls/ocsp-stapling.pcap)', () => {
    const p = only('zeek/tls/ocsp-stapling.pcap');
    const status = find(p, 'certificate_status')[0]!;
    expect(status).toMatchObject({ statusType: 1, responseLength: 1995 });
    expect(p.session.ocspStapled).toBe(true);
    const ch = find(p, 'client_hello')[0]!;
    expect(ch.extensions.find((x) => x.type === 5)!.value).toEqual({ kind: 'status_request', statusType: 1 });
  });

  it('reads the DHE prime size from ServerKeyExchange (zeek/tls/dhe.pcap)', () => {
    const p = only('zeek/tls/dhe.pcap');
    const ske = find(p, 'server_key_exchange')[0] as ServerKeyExchange;
    expect(ske.exchange).toBe('dhe');
    expect(ske.dhPrimeBits).toBe(1024);
    expect(ske.publicKeyLength).toBe(128);
    expect(p.session.keyExchange).toBe('DHE');
    expect(p.session.forwardSecrecy).toBe(true);
    const cke = find(p, 'client_key_exchange')[0]!;
    expect(cke.exchange).toBe('dh');
  });

  it('parses every ClientHello extension the issue names with its value', () => {
    const p = only('zeek/tls/chrome-1250-tls-x25519-kyber.pcap');
    const ch = find(p, 'client_hello')[0]!;
    const kinds = new Map(ch.extensions.map((x) => [x.name, x.value.kind]));
    expect(kinds.get('server_name')).toBe('server_name');
    expect(kinds.get('supported_versions')).toBe('supported_versions');
    expect(kinds.get('supported_groups')).toBe('supported_groups');
    expect(kinds.get('key_share')).toBe('key_share');
    expect(kinds.get('signature_algorithms')).toBe('signature_algorithms');
    expect(kinds.get('application_layer_protocol_negotiation')).toBe('alpn');
    expect(kinds.get('ec_point_formats')).toBe('ec_point_formats');
    expect(kinds.get('session_ticket')).toBe('session_ticket');
    expect(kinds.get('extended_master_secret')).toBe('empty');
    expect(kinds.get('renegotiation_info')).toBe('renegotiation_info');
    expect(kinds.get('status_request')).toBe('status_request');
    expect(kinds.get('signed_certificate_timestamp')).toBe('signed_certificate_timestamp');
    expect(kinds.get('psk_key_exchange_modes')).toBe('psk_key_exchange_modes');
    expect(kinds.get('encrypted_client_hello')).toBe('encrypted_client_hello');
    expect(ch.extensions.every((x) => x.malformed === null)).toBe(true);
    expect(ch.alpn).toEqual(['h2', 'http/1.1']);
    expect(ch.pskModes).toEqual([1]);
  });

  it('reads record_size_limit, encrypt_then_mac and pre_shared_key/early_data from hand-built hellos', async () => {
    const { TlsParser } = await import('../../../src/core/tls/parser');
    const { TestHost, chunkFor, clientHelloRecord, extension, concat, u16, u8 } = await import('./tls-bytes');
    const psk = extension(41, concat(u16(10), u16(4), [1, 2, 3, 4], [0, 0, 0, 9], u16(33), u8(32), new Array<number>(32).fill(3)));
    const hello = clientHelloRecord({ extra: [extension(28, u16(16385)), extension(22, []), extension(42, []), psk] });
    const p = new TlsParser(new TestHost());
    p.data(0, hello, 0, hello.length, chunkFor(0, 0));
    const ch = find(p, 'client_hello')[0]!;
    expect(ch.malformed).toBeNull();
    expect(ch.extensions.find((x) => x.type === 28)!.value).toEqual({ kind: 'record_size_limit', limit: 16385 });
    expect(ch.extensions.find((x) => x.type === 22)!.name).toBe('encrypt_then_mac');
    expect(ch.earlyData).toBe(true);
    expect(ch.pskOffered).toBe(true);
    expect(ch.extensions.find((x) => x.type === 41)!.value).toEqual({ kind: 'pre_shared_key', identities: [{ length: 4, obfuscatedTicketAge: 9 }], binders: 1 });
    expect(p.session.resumptionOffered.psk).toBe(true);
    expect(p.session.earlyData).toBe(true);
  });
});
