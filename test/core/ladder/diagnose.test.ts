// Verdicts: complete, failed or incomplete with the reason, on the corpus captures and on tiny
// hand-built ones (a refused port, an unanswered SYN, a reset mid-transfer), from the ladder's
// replay and from the whole-file pass `wireladder flows` uses — which must agree.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import { ladderFromFile } from '../../../src/core/ladder/build';
import { diagnose, indexTimes } from '../../../src/core/engine/diagnosis';
import type { Language, Verdict } from '../../../src/core/ladder/model';
import { verdictText } from '../../../src/core/ladder/verdict-text';
import { corpusPath } from '../io/helpers';
import { ladder } from './ladders';

// ---- hand-built captures ------------------------------------------------------------------------

const CLIENT = [10, 0, 0, 1];
const SERVER = [10, 0, 0, 2];
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

interface Seg {
  t: number;
  fromClient: boolean;
  flags: number;
  seq: number;
  ack: number;
  len?: number;
}

function checksum(bytes: Uint8Array, init = 0): number {
  let sum = init;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (bytes.length % 2 === 1) sum += bytes[bytes.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Ethernet + IPv4 + TCP (20-byte header, no options), checksums filled in. */
function frame(s: Seg): Uint8Array {
  const len = s.len ?? 0;
  const f = new Uint8Array(14 + 20 + 20 + len);
  const v = new DataView(f.buffer);
  v.setUint16(12, 0x0800);
  const ip = 14;
  const [src, dst] = s.fromClient ? [CLIENT, SERVER] : [SERVER, CLIENT];
  f[ip] = 0x45;
  v.setUint16(ip + 2, 40 + len);
  v.setUint16(ip + 6, 0x4000);
  f[ip + 8] = 64;
  f[ip + 9] = 6;
  f.set(src!, ip + 12);
  f.set(dst!, ip + 16);
  v.setUint16(ip + 10, checksum(f.subarray(ip, ip + 20)));
  const tcp = ip + 20;
  v.setUint16(tcp, s.fromClient ? 40000 : 443);
  v.setUint16(tcp + 2, s.fromClient ? 443 : 40000);
  v.setUint32(tcp + 4, s.seq >>> 0);
  v.setUint32(tcp + 8, s.ack >>> 0);
  f[tcp + 12] = 5 << 4;
  f[tcp + 13] = s.flags;
  v.setUint16(tcp + 14, 65535);
  for (let i = 0; i < len; i++) f[tcp + 20 + i] = 0x61 + (i % 26);
  // Pseudo header: addresses, protocol, TCP length (RFC 9293 §3.1).
  const pseudo = new Uint8Array(12 + 20 + len);
  pseudo.set(src!, 0);
  pseudo.set(dst!, 4);
  pseudo[9] = 6;
  new DataView(pseudo.buffer).setUint16(10, 20 + len);
  pseudo.set(f.subarray(tcp), 12);
  v.setUint16(tcp + 16, checksum(pseudo));
  return f;
}

/** A classic little-endian pcap file of Ethernet frames. */
function pcap(segs: Seg[]): Uint8Array {
  const frames = segs.map(frame);
  const out = new Uint8Array(24 + frames.reduce((n, f) => n + 16 + f.length, 0));
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 65535, true);
  v.setUint32(20, 1, true);
  let off = 24;
  segs.forEach((s, i) => {
    const f = frames[i]!;
    const base = 1_700_000_000 + s.t;
    v.setUint32(off, Math.floor(base), true);
    v.setUint32(off + 4, Math.round((base % 1) * 1e6), true);
    v.setUint32(off + 8, f.length, true);
    v.setUint32(off + 12, f.length, true);
    out.set(f, off + 16);
    off += 16 + f.length;
  });
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'wireladder-diagnose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, segs: Seg[]): string {
  const path = join(dir, name);
  writeFileSync(path, pcap(segs));
  return path;
}

const C = 1000; // client ISN
const S = 5000; // server ISN
const handshake: Seg[] = [
  { t: 0, fromClient: true, flags: SYN, seq: C, ack: 0 },
  { t: 0.01, fromClient: false, flags: SYN | ACK, seq: S, ack: C + 1 },
  { t: 0.02, fromClient: true, flags: ACK, seq: C + 1, ack: S + 1 },
];

/** The verdict of a file's first TCP conversation, from the whole-file pass (as `wireladder flows`). */
async function flowsVerdict(path: string, language: Language = 'en', index = 0): Promise<Verdict> {
  const { analyzer } = await analyzeFile(path);
  const convs = analyzer.flows.conversations.filter((c) => c.proto === 6);
  const c = convs[index]!;
  return verdictText(diagnose(c, indexTimes(analyzer.index)), language);
}

// ---- tests -------------------------------------------------------------------------------------------

describe('verdicts on hand-built captures', () => {
  it('RST answering the SYN: connection refused, the port is closed', async () => {
    const path = write('refused.pcap', [
      { t: 0, fromClient: true, flags: SYN, seq: C, ack: 0 },
      { t: 0.001, fromClient: false, flags: RST | ACK, seq: 0, ack: C + 1 },
    ]);
    const m = await ladderFromFile(path, 0);
    expect(m.verdict).toEqual({ status: 'failed', reason: 'connection refused: the server answered the SYN with RST (port 443 closed)', findings: [] });
    expect(m.steps[1]!.kind).toBe('rst');
    expect(m.steps[1]!.explanation).toContain('nothing accepts connections on port 443 (the port is closed)');
    expect(m.steps[1]!.clientState).toBe('CLOSED');
    expect(await flowsVerdict(path)).toEqual(m.verdict);
    expect((await flowsVerdict(path, 'zh-CN')).reason).toBe('连接被拒绝：服务器用 RST 回应 SYN（443 端口关闭）');
  });

  it('a SYN sent three times without an answer', async () => {
    const path = write('unanswered.pcap', [
      { t: 0, fromClient: true, flags: SYN, seq: C, ack: 0 },
      { t: 1, fromClient: true, flags: SYN, seq: C, ack: 0 },
      { t: 3, fromClient: true, flags: SYN, seq: C, ack: 0 },
    ]);
    const m = await ladderFromFile(path, 0);
    expect(m.verdict.status).toBe('failed');
    expect(m.verdict.reason).toMatch(/^no answer to SYN: the client sent it 3 times without getting a SYN\/ACK/);
    expect(m.steps.map((s) => s.label)).toEqual(['SYN seq=0', '[Retransmission] SYN seq=0', '[Retransmission] SYN seq=0']);
    expect(m.steps.map((s) => s.kind)).toEqual(['tcp-control', 'retransmission', 'retransmission']);
    expect(m.steps[2]!.explanation).toContain('attempt 3, 2.0 s after the previous one');
    expect(m.steps[2]!.clientState).toBe('SYN_SENT');
    expect((await flowsVerdict(path)).status).toBe('failed');
  });

  it('a single unanswered SYN is incomplete: the capture may simply have ended', async () => {
    const path = write('one-syn.pcap', [{ t: 0, fromClient: true, flags: SYN, seq: C, ack: 0 }]);
    expect((await ladderFromFile(path, 0)).verdict).toEqual({ status: 'incomplete', reason: 'no answer to the SYN before the capture ended', findings: [] });
  });

  it('a reset while data is unacknowledged: connection reset mid-transfer', async () => {
    const path = write('reset.pcap', [
      ...handshake,
      { t: 0.03, fromClient: true, flags: PSH | ACK, seq: C + 1, ack: S + 1, len: 100 },
      { t: 0.04, fromClient: false, flags: PSH | ACK, seq: S + 1, ack: C + 101, len: 1000 },
      { t: 0.05, fromClient: true, flags: RST | ACK, seq: C + 101, ack: S + 1 },
    ]);
    const m = await ladderFromFile(path, 0);
    expect(m.verdict).toEqual({ status: 'failed', reason: 'connection reset mid-transfer by the client (1,000 bytes unacknowledged)', findings: [] });
    const rst = m.steps[m.steps.length - 1]!;
    expect(rst.explanation).toContain('1,000 bytes not yet acknowledged');
    expect(rst.phase).toBe('reset');
    expect(await flowsVerdict(path)).toEqual(m.verdict);
  });

  it('a reset after everything was acknowledged closes the connection, it does not fail it', async () => {
    const path = write('reset-clean.pcap', [
      ...handshake,
      { t: 0.03, fromClient: true, flags: PSH | ACK, seq: C + 1, ack: S + 1, len: 100 },
      { t: 0.04, fromClient: false, flags: ACK, seq: S + 1, ack: C + 101 },
      { t: 2.04, fromClient: true, flags: RST | ACK, seq: C + 101, ack: S + 1 },
    ]);
    const m = await ladderFromFile(path, 0);
    expect(m.verdict.status).toBe('complete');
    expect(m.verdict.reason).toBe('TCP connection established, 100 bytes of data exchanged; closed by a RST from the client after all data was acknowledged');
    expect((await flowsVerdict(path)).status).toBe('complete');
  });
});

describe('verdicts on the corpus', () => {
  it('complete handshakes', async () => {
    expect((await ladder('local/tls12-rsa.pcap', 0)).verdict).toEqual({
      status: 'complete',
      reason: 'TLS 1.2 handshake completed (RSA); application data exchanged; closed cleanly',
      findings: ['RSA key transport: no forward secrecy'],
    });
    expect((await ladder('local/tls12-rsa.pcap', 1)).verdict.reason).toBe('TLS 1.2 session resumed (session ID); application data exchanged; closed cleanly');
    expect((await ladder('local/tls13.pcap')).verdict.reason).toBe('TLS 1.3 handshake completed (ECDHE x25519); application data exchanged; closed cleanly');
    expect((await ladder('local/mtls12.pcap')).verdict.reason).toMatch(/^mutual TLS 1\.2 handshake completed/);
    expect((await ladder('local/http11-keepalive.pcap', 0)).verdict.reason).toBe('2 HTTP requests answered; closed cleanly');
  });

  it('mtls12-nocert: handshake_failure after an empty client Certificate — the server requires a client certificate', async () => {
    const v = (await ladder('local/mtls12-nocert.pcap')).verdict;
    expect(v.status).toBe('failed');
    expect(v.reason).toBe('handshake_failure from the server during the TLS handshake: the server requires a client certificate, and the client sent an empty Certificate');
    const zh = (await ladder('local/mtls12-nocert.pcap', 0, { language: 'zh-CN' })).verdict;
    expect(zh.reason).toBe('服务器在 TLS 握手过程中发送 handshake_failure：服务器要求客户端证书，而客户端发送了空的 Certificate');
  });

  it('tls-1.2-handshake-failure: nothing in common with the ClientHello', async () => {
    const v = (await ladder('zeek/tls/tls-1.2-handshake-failure.pcap')).verdict;
    expect(v.status).toBe('failed');
    expect(v.reason).toContain('handshake_failure from the server during the TLS handshake: the server found nothing acceptable in the ClientHello (TLS 1.2');
  });

  it('hrr: complete, with the HelloRetryRequest round trip as a finding', async () => {
    const v = (await ladder('zeek/tls/hrr.pcap')).verdict;
    expect(v.status).toBe('complete');
    expect(v.findings).toContain('HelloRetryRequest: the server asked for a secp256r1 key share (one extra round trip)');
  });

  it('syn-then-rst: RST after SYN, no connection', async () => {
    const v = (await ladder('zeek/tcp/syn-then-rst.pcap')).verdict;
    expect(v.status).toBe('failed');
    expect(v.reason).toMatch(/^RST after SYN: .*before any SYN\/ACK, so no connection was made$/);
  });

  it('retransmit-fast009: the retransmissions are reported', async () => {
    const v = (await ladder('zeek/tcp/retransmit-fast009.pcap')).verdict;
    expect(v.status).toBe('complete');
    expect(v.findings).toEqual(['3 retransmissions (1 fast)']);
    expect(v.reason).toContain('closed by a RST from the client after all data was acknowledged');
  });

  it('missing-intermediate: the certificate problem is a finding', async () => {
    const v = (await ladder('zeek/tls/missing-intermediate.pcap', 0)).verdict;
    expect(v.findings).toContain('missing intermediate: the server does not send the certificate that issued CN=www.cviis.org');
  });

  it('the whole-file pass (wireladder flows) reaches the ladder’s verdicts', async () => {
    const cases: [string, number][] = [
      ['local/tls12-rsa.pcap', 0],
      ['local/tls12-rsa.pcap', 1],
      ['local/tls12-ecdhe.pcap', 0],
      ['local/tls13.pcap', 0],
      ['local/mtls12.pcap', 0],
      ['local/mtls12-nocert.pcap', 0],
      ['local/mtls13.pcap', 0],
      ['local/http11-keepalive.pcap', 0],
      ['local/http10.pcap', 1],
      ['zeek/tls/hrr.pcap', 0],
      ['zeek/tls/tls-1.2-handshake-failure.pcap', 0],
      ['zeek/tls/client-certificate.pcap', 0],
      ['zeek/tcp/syn-then-rst.pcap', 0],
      ['zeek/tcp/retransmit-fast009.pcap', 0],
    ];
    for (const [file, stream] of cases) {
      const fromLadder = (await ladder(file, stream)).verdict;
      const fromFlows = await flowsVerdict(corpusPath(file), 'en', stream);
      expect({ file, status: fromFlows.status, reason: fromFlows.reason }).toEqual({ file, status: fromLadder.status, reason: fromLadder.reason });
    }
  });
});
