// The sample generator: two real TLS conversations (TLS 1.2 with mutual authentication, TLS 1.3),
// framed as a client-side Ethernet capture and written as pcapng with comments and the key log.

import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { PcapngWriter } from '../../src/core/io/pcapng-writer';
import { SECRETS_TLS_KEY_LOG } from '../../src/core/io/types';
import { CLIENT_NAME, SERVER_NAME, makePki } from './certificates';
import { type CapturedPacket, type Endpoint, tcpSession } from './tcp-session';
import { CLIENT, SERVER, type ConnectionFacts, type RecordedConversation, type Side, recordConversation } from './tls-conversation';
import {
  HANDSHAKE_CERTIFICATE,
  HANDSHAKE_CERTIFICATE_REQUEST,
  HANDSHAKE_CERTIFICATE_VERIFY,
  scanTls,
} from './tls-scan';

export { makeKeyedSamples } from './keyed';

/** 2026-01-15T10:00:00Z: every timestamp is an offset from here, so regenerating keeps the times. */
const START_EPOCH_SECONDS = Date.UTC(2026, 0, 15, 10, 0, 0) / 1000;
/** The second conversation starts one second after the first. */
const SECOND_CONVERSATION_NS = 1_000_000_000;

const LINKTYPE_ETHERNET = 1;
/** epb_flags direction bits (pcapng §4.3.1): the capture is taken on the client. */
const EPB_INBOUND = 1;
const EPB_OUTBOUND = 2;

// Documentation addresses (RFC 5737) and locally administered MACs ("WL").
const CLIENT_MAC = [0x02, 0x57, 0x4c, 0x00, 0x00, 0x0a];
const GATEWAY_MAC = [0x02, 0x57, 0x4c, 0x00, 0x00, 0x01];
const CLIENT_IP = [192, 0, 2, 10];

export function client(port: number, isn: number, ipId: number, tsBase: number): Endpoint {
  return { mac: CLIENT_MAC, ip: CLIENT_IP, port, isn, ipId, ttl: 64, tsBase, synWindow: 64240, window: 502 };
}

export function server(ip: number[], isn: number, ipId: number, tsBase: number, port = 443): Endpoint {
  // Ten routers away: TTL 64 arrives as 54.
  return { mac: GATEWAY_MAC, ip, port, isn, ipId, ttl: 54, tsBase, synWindow: 65160, window: 509 };
}

function httpDate(seconds: number): string {
  return new Date(seconds * 1000).toUTCString();
}

function request(path: string): string {
  return [`GET ${path} HTTP/1.1`, `Host: ${SERVER_NAME}`, 'User-Agent: wireladder-sample/1.0', 'Accept: text/html', '', ''].join('\r\n');
}

function response(body: string, dateSeconds: number): string {
  const bytes = Buffer.byteLength(body, 'utf8');
  const head = ['HTTP/1.1 200 OK', `Date: ${httpDate(dateSeconds)}`, 'Server: wireladder-sample', 'Content-Type: text/html; charset=utf-8', `Content-Length: ${bytes}`, '', ''];
  return head.join('\r\n') + body;
}

function page(title: string, paragraphs: string[]): string {
  return ['<!doctype html>', '<html lang="en">', `<head><meta charset="utf-8"><title>${title}</title></head>`, '<body>', `<h1>${title}</h1>`,
    ...paragraphs.map((p) => `<p>${p}</p>`), '</body>', '</html>', ''].join('\n');
}

function mutualTlsPage(f: ConnectionFacts): string {
  return page('Hello over mutual TLS', [
    `This page was served over ${f.protocol} with ${f.cipher}, to the name ${f.serverName} (SNI), speaking ${f.alpn} (ALPN).`,
    `You presented a client certificate: ${f.clientSubject ?? 'none'}. The server asked for it with a CertificateRequest naming the ` +
      'certificate authorities it trusts; your client answered with its Certificate, then proved it holds the matching private key ' +
      'by signing the handshake so far in CertificateVerify.',
    'The key exchange was ephemeral elliptic-curve Diffie-Hellman (ECDHE): the server signed its key share with its RSA key in ' +
      'ServerKeyExchange, both sides combined the shares into the premaster secret, and the master secret derived from it protects ' +
      'this response. Recording only the traffic does not let anyone decrypt it later, even with the server key: that is forward secrecy.',
    'This capture was made without a network. A TLS client and a TLS server ran inside one Node.js process, joined by in-memory ' +
      'streams; the generator recorded the bytes each side wrote and laid them out as TCP segments on a synthetic clock with a 20 ms ' +
      'round trip, as a capture on the client would show them.',
    'The TLS key log of both connections is stored in the file itself, in a pcapng Decryption Secrets Block, so WireLadder and ' +
      'Wireshark can show the HTTP inside. Regenerate the file with npm run samples; the keys, randoms and signatures change on every ' +
      'run, the structure and timing do not.',
    'The client closes first: it sends a close_notify alert and a FIN, the server answers with its own close_notify and FIN, and ' +
      'the client acknowledges the last FIN and waits in TIME_WAIT.',
  ]);
}

function tls13Page(f: ConnectionFacts): string {
  return page('Hello over TLS 1.3', [
    `This page was served over ${f.protocol} with ${f.cipher}, to ${f.serverName}, speaking ${f.alpn}.`,
    'In TLS 1.3 the client sends its key share in the ClientHello, so the server answers with everything at once: ServerHello, then ' +
      'encrypted EncryptedExtensions, Certificate, CertificateVerify and Finished. The client sends its Finished and this request ' +
      'together, one round trip after its ClientHello.',
  ]);
}

interface Annotation {
  side: Side;
  /** Stream offset just past the message to annotate; the packet carrying that byte gets the comment. */
  end: number;
  text: string;
}

function streamOf(conv: RecordedConversation, side: Side): Uint8Array {
  return Buffer.concat(conv.writes.filter((w) => w.side === side && w.bytes !== null).map((w) => w.bytes!));
}

/** The comments of the mutual-TLS conversation, placed by the TLS content of its streams. */
function mutualTlsAnnotations(conv: RecordedConversation): Annotation[] {
  const server = scanTls(streamOf(conv, SERVER));
  const client = scanTls(streamOf(conv, CLIENT));
  const find = (list: typeof server.handshake, type: number, what: string): number => {
    const m = list.find((h) => h.type === type);
    if (m === undefined) throw new Error(`the TLS 1.2 conversation has no ${what}`);
    return m.end;
  };
  const certificateRequest = find(server.handshake, HANDSHAKE_CERTIFICATE_REQUEST, 'CertificateRequest');
  const clientCertificate = find(client.handshake, HANDSHAKE_CERTIFICATE, 'client Certificate');
  const certificateVerify = find(client.handshake, HANDSHAKE_CERTIFICATE_VERIFY, 'CertificateVerify');
  if (client.firstAppDataEnd === null) throw new Error('the TLS 1.2 conversation has no application data from the client');
  const subject = conv.facts.clientSubject ?? CLIENT_NAME;
  return [
    { side: SERVER, end: certificateRequest, text: 'The server asks the client for a certificate (mutual TLS): CertificateRequest lists the signature algorithms and the CAs it accepts.' },
    { side: CLIENT, end: clientCertificate, text: `The client presents its certificate (${subject}), issued by the CA the server named.` },
    { side: CLIENT, end: certificateVerify, text: 'CertificateVerify: the client signs the handshake so far with its private key, proving the certificate is its own.' },
    { side: CLIENT, end: client.firstAppDataEnd, text: 'First application data: the HTTP GET, encrypted with the keys both sides derived (the key log in this file decrypts it).' },
  ];
}

/** Comments by packet, for the packets of one conversation. */
function place(packets: readonly CapturedPacket[], annotations: readonly Annotation[]): Map<CapturedPacket, string[]> {
  const out = new Map<CapturedPacket, string[]>();
  for (const a of annotations) {
    const last = a.end - 1;
    const p = packets.find((q) => q.side === a.side && q.payloadLength > 0 && q.streamOffset <= last && last < q.streamOffset + q.payloadLength);
    if (p === undefined) throw new Error(`no packet carries stream byte ${last} of side ${a.side}`);
    out.set(p, [...(out.get(p) ?? []), a.text]);
  }
  return out;
}

export interface SampleSummary {
  path: string;
  packets: number;
  comments: number;
  keyLogLines: number;
  conversations: ConnectionFacts[];
}

/** Generates resources/samples/sample.pcapng under `outDir`, using `workDir` for the certificates. */
export async function makeSamples(opts: { outDir: string; workDir: string }): Promise<SampleSummary> {
  const pkiDir = join(opts.workDir, 'pki');
  mkdirSync(pkiDir, { recursive: true });
  const pki = makePki(pkiDir);

  const mutual = await recordConversation(pki, {
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.2',
    serverCiphers: 'ECDHE-RSA-AES128-GCM-SHA256',
    mutualAuth: true,
    serverName: SERVER_NAME,
    alpn: 'http/1.1',
    request: request('/'),
    respond: (f) => response(mutualTlsPage(f), START_EPOCH_SECONDS),
    serverThinkMs: 1.5,
  });
  const tls13 = await recordConversation(pki, {
    minVersion: 'TLSv1.3',
    maxVersion: 'TLSv1.3',
    mutualAuth: false,
    serverName: SERVER_NAME,
    alpn: 'http/1.1',
    request: request('/tls13'),
    respond: (f) => response(tls13Page(f), START_EPOCH_SECONDS + SECOND_CONVERSATION_NS / 1e9),
    serverThinkMs: 1.2,
  });

  // Fixed ISNs, IP ids, ports and timestamp clocks (any values would do; these look random).
  const first = tcpSession(mutual.writes, {
    client: client(49732, 0x6a09e667, 0x4d21, 2845112019),
    server: server([198, 51, 100, 20], 0xbb67ae85, 0x9b3e, 1276509331),
    startNs: 0,
  });
  const second = tcpSession(tls13.writes, {
    client: client(49746, 0x3c6ef372, 0x7a55, 2845113027),
    server: server([198, 51, 100, 30], 0xa54ff53a, 0x1f83, 3915025507),
    startNs: SECOND_CONVERSATION_NS,
  });
  if (first[first.length - 1]!.timeNs >= SECOND_CONVERSATION_NS) throw new Error('the first conversation runs into the second');
  const comments = place(first, mutualTlsAnnotations(mutual));
  const keyLog = [...mutual.keyLog, ...tls13.keyLog];

  mkdirSync(opts.outDir, { recursive: true });
  const path = join(opts.outDir, 'sample.pcapng');
  const partial = `${path}.partial`;
  const w = PcapngWriter.create(partial, { overwrite: true });
  w.writeSectionHeader({
    application: 'WireLadder sample generator',
    comments: [
      `Two HTTPS conversations with ${SERVER_NAME}: TLS 1.2 with mutual authentication (client certificate), then TLS 1.3. ` +
        'Generated by scripts/make-samples.mjs (npm run samples) from real TLS run in memory; the TCP/IP framing and the timing are synthetic.',
    ],
  });
  const iface = w.addInterface({
    linkType: LINKTYPE_ETHERNET,
    snaplen: 262144,
    name: 'sample0',
    description: 'Synthetic capture on the client 192.0.2.10 (20 ms round trip to the servers)',
    tsresol: 9,
  });
  // Before the packets, as editcap --inject-secrets places it: readers meet the keys first.
  w.writeDecryptionSecrets(SECRETS_TLS_KEY_LOG, new TextEncoder().encode(keyLog.map((l) => `${l}\n`).join('')));
  const packets = [...first, ...second];
  for (const p of packets) {
    w.writePacket({
      iface,
      tsSec: START_EPOCH_SECONDS + Math.floor(p.timeNs / 1e9),
      tsNsec: p.timeNs % 1e9,
      data: p.frame,
      comments: comments.get(p) ?? null,
      flags: p.side === CLIENT ? EPB_OUTBOUND : EPB_INBOUND,
    });
  }
  w.close();
  renameSync(partial, path);
  let commentCount = 0;
  for (const c of comments.values()) commentCount += c.length;
  return { path, packets: packets.length, comments: commentCount, keyLogLines: keyLog.length, conversations: [mutual.facts, tls13.facts] };
}
