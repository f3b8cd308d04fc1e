// Certificates through X509Certificate: the fields we show, the SHA-256 fingerprint (checked against
// openssl), chain order, validity at capture time, missing intermediates and SNI matching.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkChain, parseCertificate } from '../../../src/core/tls/certificate';
import type { CertificateInfo } from '../../../src/core/tls/model';
import { feedCapture } from './stream-helper';

function serverChain(file: string, connection = 0): { chain: CertificateInfo[]; at: number; sni: string | null } {
  const s = feedCapture(file).connections[connection]!.parser.session;
  return { chain: s.serverCertificates, at: s.clientHelloTime, sni: s.sni };
}

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;

describe('certificate fields', () => {
  const { chain } = serverChain('local/mtls12.pcap');
  const leaf = chain[0]!;

  it('reads subject, issuer, serial, validity, SANs, key and signature algorithm', () => {
    expect(leaf.parseError).toBeNull();
    expect(leaf.subject).toBe('CN=server.test');
    expect(leaf.issuer).toBe('CN=WireLadder Test CA');
    expect(leaf.serialNumber).toBe('1037FC3C6D282D173E05C682328BAF1800200E07');
    expect(leaf.notBefore).toBe('Nov 22 23:45:04 2026 GMT');
    expect(leaf.notAfter).toBe('Feb 24 23:45:04 2029 GMT');
    expect(leaf.notBeforeMs).toBe(Date.UTC(2026, 10, 22, 23, 45, 4));
    expect(leaf.subjectAltNames).toEqual(['DNS:server.test', 'IP Address:127.0.0.1']);
    expect(leaf.dnsNames).toEqual(['server.test']);
    expect(leaf.keyType).toBe('rsa');
    expect(leaf.keyBits).toBe(2048);
    expect(leaf.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(leaf.isCA).toBe(false);
    expect(chain[1]!.isCA).toBe(true);
    expect(chain[1]!.selfSigned).toBe(true);
    expect(leaf.rdnText).toBe('id-at-commonName=server.test');
  });

  it('has the SHA-256 fingerprint openssl printed for the bytes tshark extracted', () => {
    // `tshark -r local/mtls12.pcap -Y frame.number==6 -T fields -e tls.handshake.certificate`, first
    // certificate, through `xxd -r -p | openssl x509 -inform der -noout -fingerprint -sha256`.
    expect(leaf.sha256).toBe('9A:EA:EB:2B:6E:96:84:B2:7A:50:0F:9B:BE:57:27:D3:C1:09:9B:00:50:5D:BB:ED:3E:A0:55:C9:EB:A8:E3:26');
  });

  it.runIf(openssl)('matches `openssl x509 -fingerprint -sha256` on every server certificate of several captures', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wl-tls-'));
    try {
      const files = ['local/mtls12.pcap', 'zeek/tls/client-certificate.pcap', 'zeek/tls/ocsp-stapling.pcap', 'zeek/tls/ssl-v2.pcap'];
      let checked = 0;
      for (const file of files) {
        for (const cert of serverChain(file).chain) {
          const path = join(dir, `${checked}.der`);
          writeFileSync(path, cert.der);
          const out = spawnSync('openssl', ['x509', '-inform', 'der', '-in', path, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
          expect(out.stdout.trim()).toBe(`sha256 Fingerprint=${cert.sha256}`);
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports unreadable bytes instead of throwing', () => {
    const junk = new Uint8Array([0x30, 0x82, 0x01, 0x00, 1, 2, 3]);
    const info = parseCertificate(junk);
    expect(info.parseError).toMatch(/not a readable X\.509 certificate/);
    expect(info.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const checks = checkChain([info], 'example.com', 0);
    expect(checks.problems).toEqual([{ index: 0, problem: 'unreadable' }]);
    expect(checks.sniMatches).toBe(false);
  });
});

describe('chain checks', () => {
  it('a chain in order: every certificate issued and signed by the next, ending at a sent root', () => {
    const { chain, at } = serverChain('local/mtls12.pcap');
    const c = checkChain(chain, null, at);
    expect(c.links).toEqual([{ child: 0, parent: 1, issuerMatchesSubject: true, signatureValid: true }]);
    expect(c.chainOrderOk).toBe(true);
    expect(c.anchor).toBe('self-signed');
    expect(c.missingIntermediate).toBe(false);
  });

  it('the same chain reversed is out of order', () => {
    const { chain, at } = serverChain('zeek/tls/client-certificate.pcap');
    const c = checkChain([...chain].reverse(), null, at);
    expect(c.chainOrderOk).toBe(false);
    expect(c.links.every((l) => !l.issuerMatchesSubject)).toBe(true);
  });

  it('a leaf sent without its intermediate (zeek/tls/missing-intermediate.pcap)', () => {
    const broken = serverChain('zeek/tls/missing-intermediate.pcap', 0);
    const c = checkChain(broken.chain, broken.sni, broken.at);
    expect(broken.chain).toHaveLength(1);
    expect(c.missingIntermediate).toBe(true);
    expect(c.anchor).toBeNull();
    expect(c.missingIssuer).toMatch(/^CN=Starfield Secure Certificate Authority - G2/);
    // The same site's complete chain, fetched on the second connection, has no gap.
    const complete = serverChain('zeek/tls/missing-intermediate.pcap', 1);
    const ok = checkChain(complete.chain, complete.sni, complete.at);
    expect(ok.missingIntermediate).toBe(false);
    expect(ok.chainOrderOk).toBe(true);
  });

  it('a private CA the server does not send is not mistaken for a missing intermediate', () => {
    const { chain, at } = serverChain('local/tls12-rsa.pcap');
    const c = checkChain(chain, null, at);
    expect(c.anchor).toBeNull();
    expect(c.missingIssuer).toBe('CN=WireLadder Test CA');
    expect(c.missingIntermediate).toBe(false);
  });

  it('validity is judged at the capture time of the ClientHello', () => {
    const old = serverChain('zeek/tls/ssl-v2.pcap');
    const expired = checkChain(old.chain, null, old.at);
    expect(expired.validAtCaptureTime).toBe(false);
    expect(expired.problems).toEqual([{ index: 0, problem: 'expired' }]);
    expect(checkChain(old.chain, null, Date.UTC(2012, 0, 1) / 1000).validAtCaptureTime).toBe(true);
    expect(checkChain(old.chain, null, Date.UTC(2011, 0, 1) / 1000).problems[0]!.problem).toBe('not-yet-valid');
    // x509-generalizedtime: valid 2015-09-01 … 2025-09-01, captured 2015-09-03.
    const g = serverChain('zeek/tls/x509-generalizedtime.pcap');
    expect(g.chain[0]!.notAfterMs).toBe(Date.UTC(2025, 8, 1, 13, 33, 37));
    expect(checkChain(g.chain, null, g.at).validAtCaptureTime).toBe(true);
  });

  it('SNI against the leaf: a SAN match, a mismatch, and the CN when there are no SANs', () => {
    const idrix = serverChain('zeek/tls/client-certificate.pcap');
    const match = checkChain(idrix.chain, idrix.sni, idrix.at);
    expect(match.sniMatches).toBe(true);
    expect(match.matchedName).toBe('certauth.idrix.fr');
    expect(checkChain(idrix.chain, 'www.example.org', idrix.at).sniMatches).toBe(false);
    const bro = serverChain('zeek/tls/tls-fragmented-handshake.pcap.gz');
    expect(bro.sni).toBe('104.236.167.107');
    expect(checkChain(bro.chain, bro.sni, bro.at).sniMatches).toBe(false);
    const g = serverChain('zeek/tls/x509-generalizedtime.pcap');
    expect(g.chain[0]!.dnsNames).toEqual([]);
    expect(checkChain(g.chain, 'bro-generalizedtime-test', g.at).matchedName).toBe('bro-generalizedtime-test');
  });

  it('the session summary carries the checks and describe() names the problems', () => {
    const p = feedCapture('zeek/tls/missing-intermediate.pcap').connections[0]!.parser;
    expect(p.session.serverChecks!.missingIntermediate).toBe(true);
    expect(p.describe()['tls.cert_problems']).toBe('missing intermediate');
    const v2 = feedCapture('zeek/tls/ssl-v2.pcap').connections[0]!.parser;
    expect(v2.describe()['tls.cert_problems']).toBe('expired');
  });
});
