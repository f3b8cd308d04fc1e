// The ladder model built from real captures: labels, kinds, phases, flights, TCP states after each
// handshake and teardown step, RTT brackets, folding, annotations and the builder's two entry points.

import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import type { ReplaySource } from '../../../src/core/engine/replay';
import { RecordStore } from '../../../src/core/io/record-store';
import { buildLadder, LadderInputError, ladderFromFile } from '../../../src/core/ladder/build';
import type { LadderModel, LadderStep } from '../../../src/core/ladder/model';
import { corpusPath } from '../io/helpers';
import { ladder } from './ladders';

const labels = (m: LadderModel): string[] => m.steps.map((s) => s.label);
const stepWith = (m: LadderModel, frame: number): LadderStep => m.steps.find((s) => s.packets.includes(frame))!;
const states = (s: LadderStep): string => `${s.clientState}/${s.serverState}`;

const HANDSHAKE = ['SYN seq=0', 'SYN, ACK seq=0 ack=1', 'ACK seq=1 ack=1'];

describe('ladder model: TLS 1.2 with RSA key transport (tls12-rsa.pcap, stream 0)', () => {
  it('labels the steps as the issue writes them, one step per packet, pure ACKs folded', async () => {
    const m = await ladder('local/tls12-rsa.pcap', 0);
    expect(labels(m).slice(0, 7)).toEqual([
      ...HANDSHAKE,
      'ClientHello (2 suites)',
      'ServerHello, Certificate, ServerHelloDone',
      'ClientKeyExchange, ChangeCipherSpec, Finished (encrypted)',
      'ChangeCipherSpec, Finished (encrypted)',
    ]);
    expect(labels(m).slice(-3)).toEqual(['FIN, ACK seq=3077 ack=583', 'FIN, ACK seq=583 ack=3078', 'ACK seq=3078 ack=584']);
    expect(m.steps.map((s) => s.kind)).toEqual([
      'tcp-control', 'tcp-control', 'ack', 'tls-handshake', 'tls-handshake', 'tls-handshake', 'tls-ccs',
      'tls-app-data', 'tls-app-data', 'tls-close', 'tls-close', 'tcp-control', 'tcp-control', 'ack',
    ]);
    // The ACKs of frames 5, 7 and 13 change no state: folded into the step before them.
    expect(stepWith(m, 4).foldedAcks).toEqual([5]);
    expect(m.steps.flatMap((s) => s.packets)).not.toContain(5);
    expect(m.stream).toBe(0);
    expect(m.client.label).toBe('127.0.0.1:60750');
    expect(m.server.label).toBe('127.0.0.1:8441');
    expect(m.capture).toBe('tls12-rsa.pcap');
  });

  it('gives each end’s TCP state after the handshake and teardown steps', async () => {
    const m = await ladder('local/tls12-rsa.pcap', 0);
    const s = m.steps;
    expect(states(s[0]!)).toBe('SYN_SENT/SYN_RECEIVED');
    expect(states(s[1]!)).toBe('ESTABLISHED/SYN_RECEIVED');
    expect(states(s[2]!)).toBe('ESTABLISHED/ESTABLISHED');
    expect(s[2]!.serverStateChanged).toBe(true);
    expect(s[3]!.clientStateChanged || s[3]!.serverStateChanged).toBe(false);
    const n = s.length;
    expect(states(s[n - 3]!)).toBe('CLOSE_WAIT/FIN_WAIT_1');
    expect(states(s[n - 2]!)).toBe('LAST_ACK/TIME_WAIT');
    expect(states(s[n - 1]!)).toBe('CLOSED/TIME_WAIT');
  });

  it('groups phases and flights, and brackets the three latencies as the diagnosis defines them', async () => {
    const m = await ladder('local/tls12-rsa.pcap', 0);
    expect(m.phases).toEqual([
      { phase: 'tcp-handshake', firstStep: 1, lastStep: 3 },
      { phase: 'tls-handshake', firstStep: 4, lastStep: 7 },
      { phase: 'application-data', firstStep: 8, lastStep: 9 },
      { phase: 'teardown', firstStep: 10, lastStep: 14 },
    ]);
    // The client's handshake ACK and its ClientHello are one flight: the server has not answered.
    expect(m.steps.slice(0, 5).map((s) => s.flight)).toEqual([1, 2, 3, 3, 4]);
    // TCP connect: SYN → SYN/ACK; TLS handshake: ClientHello → the server's Finished (the last);
    // time to first byte: the client's first application data → the server's answer.
    expect(m.brackets.map((b) => [b.label, b.fromStep, b.toStep])).toEqual([
      ['TCP connect', 1, 2],
      ['TLS handshake', 4, 7],
      ['TTFB', 8, 9],
    ]);
    for (const b of m.brackets) expect(b.seconds).toBeGreaterThan(0);
    expect(m.brackets[0]!.seconds).toBeCloseTo(0.00002, 9);
    expect(m.brackets[1]!.seconds).toBeCloseTo(0.001831, 9);
    expect(m.diagnosis.latency.tlsHandshake).toEqual({ fromFrame: 4, toFrame: 9, seconds: m.brackets[1]!.seconds });
  });

  it('lists the header facts and a complete verdict', async () => {
    const m = await ladder('local/tls12-rsa.pcap', 0);
    expect(m.facts).toEqual(
      expect.arrayContaining([
        { label: 'TLS', value: '1.2' },
        { label: 'Cipher suite', value: 'TLS_RSA_WITH_AES_128_GCM_SHA256' },
        { label: 'Key exchange', value: 'RSA' },
        { label: 'Server certificate', value: 'CN=server.test' },
      ]),
    );
    expect(m.title).toBe('TLS 1.2 handshake with RSA key transport');
    expect(m.verdict.status).toBe('complete');
  });

  it('shows every packet as its own step with --show-acks, and loses none when folding', async () => {
    const all = await ladder('local/tls12-rsa.pcap', 0, { showAcks: true });
    expect(all.steps.map((s) => s.packets)).toEqual(Array.from({ length: 17 }, (_, i) => [i + 1]));
    expect(stepWith(all, 5).label).toBe('ACK seq=1 ack=127');
    expect(stepWith(all, 5).kind).toBe('ack');
    const folded = await ladder('local/tls12-rsa.pcap', 0);
    const seen = folded.steps.flatMap((s) => [...s.packets, ...(s.foldedAcks ?? [])]).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
  });
});

describe('ladder model: the other loopback captures', () => {
  it('tls12-rsa stream 1 is an abbreviated (resumed) handshake', async () => {
    const m = await ladder('local/tls12-rsa.pcap', 1);
    expect(labels(m).slice(3, 6)).toEqual(['ClientHello (2 suites)', 'ServerHello, ChangeCipherSpec, Finished (encrypted)', 'ChangeCipherSpec, Finished (encrypted)']);
    expect(m.steps[0]!.packets).toEqual([18]);
    expect(m.facts).toContainEqual({ label: 'Resumed', value: 'yes, session ID' });
    expect(m.title).toBe('TLS 1.2 resumed handshake');
  });

  it('tls12-ecdhe sends a ServerKeyExchange', async () => {
    const m = await ladder('local/tls12-ecdhe.pcap');
    expect(labels(m).slice(3, 6)).toEqual([
      'ClientHello (28 suites)',
      'ServerHello, Certificate, ServerKeyExchange, ServerHelloDone',
      'ClientKeyExchange, ChangeCipherSpec, Finished (encrypted)',
    ]);
    expect(m.facts).toContainEqual({ label: 'Key exchange', value: 'ECDHE x25519' });
  });

  it('reads a gzip-compressed capture the same way', async () => {
    const plain = await ladder('local/tls12-ecdhe.pcap');
    const gz = await ladder('local/tls12-ecdhe.pcap.gz');
    expect(labels(gz)).toEqual(labels(plain));
  });

  it('tls13 shows the encrypted handshake after ServerHello and the likely close_notify records', async () => {
    const m = await ladder('local/tls13.pcap');
    expect(labels(m).slice(3, 6)).toEqual([
      'ClientHello (4 suites)',
      'ServerHello, ChangeCipherSpec, Encrypted handshake (1,208 bytes)',
      'ChangeCipherSpec, Encrypted handshake (69 bytes)',
    ]);
    expect(m.steps.map((s) => s.phase).filter((p) => p === 'tls-handshake')).toHaveLength(3);
    const alerts = m.steps.filter((s) => s.label === 'Encrypted Alert (likely close_notify)');
    expect(alerts.map((s) => s.from)).toEqual(['server', 'client']);
    expect(alerts.every((s) => s.phase === 'teardown' && s.kind === 'tls-close')).toBe(true);
    // An orderly close is not an error: nothing in this conversation is drawn as an alert.
    expect(m.steps.filter((s) => s.kind === 'tls-alert')).toEqual([]);
    expect(m.brackets.map((b) => b.label)).toEqual(['TCP connect', 'TLS handshake', 'TTFB']);
  });

  it('mtls12 carries the client certificate, the key exchange and CertificateVerify in one step', async () => {
    const m = await ladder('local/mtls12.pcap');
    expect(labels(m).slice(4, 7)).toEqual([
      'ServerHello, Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone',
      'Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished (encrypted)',
      'ChangeCipherSpec, Finished (encrypted)',
    ]);
    expect(m.facts).toContainEqual({ label: 'Client certificate', value: 'CN=alice client' });
    expect(m.title).toBe('TLS 1.2 handshake with mutual authentication');
  });

  it('mtls12-annotated: the pcapng comments of frames 6 and 8 become the steps’ annotations', async () => {
    const m = await ladder('local/mtls12-annotated.pcapng');
    expect(stepWith(m, 6).annotations).toEqual([{ packet: 6, text: 'Server asks the client for a certificate (CertificateRequest)' }]);
    expect(stepWith(m, 8).annotations).toEqual([{ packet: 8, text: 'Client proves it holds the private key (CertificateVerify)' }]);
    expect(m.steps.filter((s) => s.annotations.length > 0)).toHaveLength(2);
  });

  it('mtls12-nocert ends the handshake with a fatal alert, then both sides close', async () => {
    const m = await ladder('local/mtls12-nocert.pcap');
    const alert = stepWith(m, 9);
    expect(alert.label).toBe('Alert (fatal): handshake_failure');
    expect(alert.kind).toBe('tls-alert');
    expect(alert.phase).toBe('tls-handshake');
    expect(stepWith(m, 8).label).toBe('Certificate, ClientKeyExchange, ChangeCipherSpec, Finished (encrypted)');
    expect(stepWith(m, 10).phase).toBe('teardown');
    expect(m.verdict.status).toBe('failed');
    // The handshake never completed: no TLS handshake latency to bracket.
    expect(m.brackets.map((b) => b.label)).toEqual(['TCP connect']);
  });

  it('http11-keepalive: two requests on one connection, responses split over two segments', async () => {
    const m = await ladder('local/http11-keepalive.pcap', 0);
    expect(labels(m).slice(3)).toEqual([
      'GET /',
      '200 OK text/html 17 bytes',
      'HTTP response body (17 bytes)',
      'GET /index.html',
      '200 OK text/html 17 bytes',
      'HTTP response body (17 bytes)',
      'FIN, ACK seq=167 ack=405',
      'FIN, ACK seq=405 ack=168',
      'ACK seq=168 ack=406',
    ]);
    expect(m.steps.slice(3, 9).map((s) => s.kind)).toEqual(['http-request', 'http-response', 'http-response', 'http-request', 'http-response', 'http-response']);
    expect(m.brackets.find((b) => b.label === 'TTFB')).toMatchObject({ fromStep: 4, toStep: 5 });
    // The client closes first here.
    expect(states(stepWith(m, 15))).toBe('FIN_WAIT_1/CLOSE_WAIT');
    const post = await ladder('local/http11-keepalive.pcap', 1);
    // A request with a body names its type and size too; the status line's reason is as sent.
    expect(post.steps[3]!.label).toBe('POST / application/x-www-form-urlencoded 18 bytes');
    expect(post.steps[4]!.label).toBe("501 Unsupported method ('POST') text/html 357 bytes");
  });

  it('http10: one request per connection', async () => {
    for (const stream of [0, 1]) {
      const m = await ladder('local/http10.pcap', stream);
      expect(m.steps.filter((s) => s.kind === 'http-request')).toHaveLength(1);
    }
    expect((await ladder('local/http10.pcap', 1)).steps[3]!.label).toBe('GET /index.html');
  });
});

describe('ladder model: Zeek traces', () => {
  it('hrr.pcap: HelloRetryRequest, a second ClientHello, then the out-of-order ServerHello', async () => {
    const m = await ladder('zeek/tls/hrr.pcap');
    expect(labels(m).slice(3, 6)).toEqual(['ClientHello (4 suites)', 'HelloRetryRequest, ChangeCipherSpec', 'ChangeCipherSpec, ClientHello (4 suites)']);
    expect(stepWith(m, 11).label).toBe('[Out-Of-Order] ServerHello, Encrypted handshake (1,248 bytes)');
    // Frame 9 carries the end of that flight before its hole was filled.
    expect(stepWith(m, 9).label).toBe('TCP segment of encrypted handshake (45 bytes)');
    expect(m.facts).toContainEqual({ label: 'HelloRetryRequest', value: 'asked for secp256r1' });
    expect(m.title).toBe('TLS 1.3 handshake with HelloRetryRequest');
  });

  it('tls-1.2-handshake-failure.pcap: a fatal alert answers the ClientHello', async () => {
    const m = await ladder('zeek/tls/tls-1.2-handshake-failure.pcap');
    expect(labels(m).slice(3, 5)).toEqual(['ClientHello (9 suites)', 'Alert (fatal): handshake_failure']);
    expect(m.steps[4]!.phase).toBe('tls-handshake');
    // The client acknowledges the server's FIN on its own (FIN_WAIT_1 → FIN_WAIT_2): kept although ACKs fold.
    expect(states(stepWith(m, 9))).toBe('CLOSE_WAIT/FIN_WAIT_2');
    // Frame 8 acknowledges only the alert: it changes no state and is folded after the FIN step.
    expect(stepWith(m, 7).foldedAcks).toEqual([8]);
    expect(m.steps.some((s) => s.packets.includes(8))).toBe(false);
  });

  it('client-certificate.pcap: records larger than a segment show as TCP segments of them', async () => {
    const m = await ladder('zeek/tls/client-certificate.pcap');
    expect(stepWith(m, 6).label).toBe('ServerHello');
    expect(stepWith(m, 7).label).toBe('TCP segment of Certificate (1,440 bytes)');
    expect(stepWith(m, 11).label).toBe('Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone');
    expect(stepWith(m, 15).label).toBe('Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished (encrypted)');
    expect(stepWith(m, 4).label).toBe('ClientHello (SNI certauth.idrix.fr, 17 suites)');
    expect(m.facts).toContainEqual({ label: 'SNI', value: 'certauth.idrix.fr' });
  });

  it('syn-then-rst.pcap: a SYN and a RST, nothing else', async () => {
    const m = await ladder('zeek/tcp/syn-then-rst.pcap');
    expect(labels(m)).toEqual(['SYN seq=0', 'RST seq=0']);
    expect(m.steps.map((s) => s.kind)).toEqual(['tcp-control', 'rst']);
    expect(m.steps.map((s) => s.phase)).toEqual(['tcp-handshake', 'reset']);
    expect(m.steps[1]!.clientState).toBe('CLOSED');
    expect(m.brackets).toEqual([]);
    expect(m.title).toBe('TCP connection attempt');
  });

  it('retransmit-fast009.pcap: retransmissions are their own steps; long data runs collapse', async () => {
    const m = await ladder('zeek/tcp/retransmit-fast009.pcap');
    const re = m.steps.filter((s) => s.kind === 'retransmission');
    expect(re.map((s) => s.label)).toEqual([
      '[Fast Retransmission] ACK seq=12871 ack=475 len=1430',
      '[Retransmission] ACK seq=18591 ack=475 len=1430',
      '[Retransmission] ACK seq=20021 ack=475 len=1430',
    ]);
    const collapsed = m.steps.find((s) => s.folded !== null)!;
    expect(collapsed.label).toBe('TCP data ×17 (23,783 bytes)');
    expect(collapsed.folded).toEqual({ packets: 17, bytes: 23783 });
    expect(collapsed.packets).toHaveLength(17);
    expect(m.steps[m.steps.length - 1]).toMatchObject({ label: 'RST, ACK seq=475 ack=23784', kind: 'rst', phase: 'reset', clientState: 'CLOSED', serverState: 'CLOSED' });
    const never = await ladder('zeek/tcp/retransmit-fast009.pcap', 0, { collapseAppData: 0 });
    expect(never.steps.every((s) => s.folded === null)).toBe(true);
    expect(never.steps.length).toBeGreaterThan(m.steps.length + 10);
  });
});

describe('ladder builder entry points', () => {
  it('an unknown stream is bad input, and the message lists the streams there are', async () => {
    await expect(ladderFromFile(corpusPath('local/http10.pcap'), 7)).rejects.toThrow(LadderInputError);
    await expect(ladderFromFile(corpusPath('local/http10.pcap'), 7)).rejects.toThrow(/no TCP stream 7; TCP streams: 0, 1/);
  });

  it('buildLadder over a replay source (what the engine service calls) gives the same model', async () => {
    const path = corpusPath('local/mtls12-annotated.pcapng');
    const { analyzer } = await analyzeFile(path);
    const store = RecordStore.forFile(path);
    try {
      const index = analyzer.index;
      const src: ReplaySource = {
        index,
        interfaces: analyzer.interfaces,
        bytes: (row) => store.read(index.fileOffset(row), index.caplen(row)),
        comments: (row) => (row === 0 ? ['an edit made in the session'] : (index.comments.get(row) ?? [])),
      };
      const conv = analyzer.flows.conversations[0]!;
      const m = buildLadder(src, conv.id, { language: 'zh-CN' }, { capture: 'x.pcapng', stream: conv.stream });
      const fromFile = await ladder('local/mtls12-annotated.pcapng', 0, { language: 'zh-CN' });
      expect(labels(m)).toEqual(labels(fromFile));
      expect(m.steps.map((s) => s.explanation)).toEqual(fromFile.steps.map((s) => s.explanation));
      expect(m.steps[0]!.annotations).toEqual([{ packet: 1, text: 'an edit made in the session' }]);
      expect(m.language).toBe('zh-CN');
      expect(m.capture).toBe('x.pcapng');
    } finally {
      store.close();
    }
  });
});
