// Keyed captures for the decryption tests: one real conversation per record-protection family
// (AES-GCM, ChaCha20-Poly1305, AES-CBC with and without encrypt-then-MAC, RSA key transport, TLS
// 1.3 with resumption, mutual TLS 1.3, HelloRetryRequest; node:tls) and for what only OpenSSL's
// command line sends (KeyUpdate, 0-RTT early data), each written as a pcapng with its NSS key log
// beside it (NAME.keys) and, for RSA key transport, the server's private key (NAME.pem).

import { constants, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PcapngWriter } from '../../src/core/io/pcapng-writer';
import { SERVER_NAME, makePki, type SamplePki } from './certificates';
import { type CapturedPacket, type Endpoint, tcpSession } from './tcp-session';
import { recordEarlyData, recordKeyUpdate } from './openssl-conversation';
import { CLIENT, recordConversation, type ConversationSpec, type RecordedConversation } from './tls-conversation';

const START_EPOCH_SECONDS = Date.UTC(2026, 1, 2, 9, 0, 0) / 1000;
const CLIENT_MAC = [0x02, 0x57, 0x4c, 0x00, 0x00, 0x0a];
const GATEWAY_MAC = [0x02, 0x57, 0x4c, 0x00, 0x00, 0x01];

function request(path: string): string {
  return [`GET ${path} HTTP/1.1`, `Host: ${SERVER_NAME}`, 'User-Agent: wireladder-keyed/1.0', 'Accept: */*', '', ''].join('\r\n');
}

function response(text: string): string {
  const body = `<!doctype html><title>${text}</title><p>${text}</p>\n`;
  return ['HTTP/1.1 200 OK', 'Content-Type: text/html', `Content-Length: ${Buffer.byteLength(body)}`, '', ''].join('\r\n') + body;
}

export interface KeyedSample {
  name: string;
  what: string;
  /** Conversations in the file (a resumption sample has two). */
  conversations: number;
  cipher: string;
  protocol: string;
}

interface Recipe {
  name: string;
  what: string;
  specs: (prev: RecordedConversation | null) => Omit<ConversationSpec, 'request' | 'respond' | 'serverThinkMs' | 'serverName' | 'alpn'>;
  /** Conversations recorded (the later ones resume the earlier one's session). */
  count: number;
  /** Also write the server's RSA private key (NAME.pem): RSA key transport. */
  pem?: boolean;
  /** Recorded with OpenSSL's command line instead of node:tls (KeyUpdate, 0-RTT): all conversations at once. */
  openssl?: (pki: SamplePki, workDir: string, paths: string[]) => Promise<RecordedConversation[]>;
}

const tls12 = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', mutualAuth: false } as const;
const tls13 = { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', mutualAuth: false } as const;

const RECIPES: Recipe[] = [
  { name: 'tls12-aes-gcm', what: 'TLS 1.2 ECDHE with AES-128-GCM', count: 1, specs: () => ({ ...tls12, serverCiphers: 'ECDHE-RSA-AES128-GCM-SHA256' }) },
  { name: 'tls12-chacha20', what: 'TLS 1.2 ECDHE with ChaCha20-Poly1305', count: 1, specs: () => ({ ...tls12, serverCiphers: 'ECDHE-RSA-CHACHA20-POLY1305' }) },
  { name: 'tls12-cbc-etm', what: 'TLS 1.2 ECDHE with AES-256-CBC and HMAC-SHA384, encrypt-then-MAC (RFC 7366)', count: 1, specs: () => ({ ...tls12, serverCiphers: 'ECDHE-RSA-AES256-SHA384' }) },
  {
    name: 'tls12-cbc',
    what: 'TLS 1.2 ECDHE with AES-128-CBC and HMAC-SHA1, MAC-then-encrypt (no encrypt-then-MAC)',
    count: 1,
    specs: () => ({ ...tls12, serverCiphers: 'ECDHE-RSA-AES128-SHA', serverSecureOptions: constants.SSL_OP_NO_ENCRYPT_THEN_MAC }),
  },
  { name: 'tls12-rsa-kx', what: 'TLS 1.2 RSA key transport with AES-256-GCM (and the server key)', count: 1, pem: true, specs: () => ({ ...tls12, serverCiphers: 'AES256-GCM-SHA384' }) },
  {
    name: 'tls12-resumed',
    what: 'TLS 1.2: a full handshake, then a second connection resuming it (session ticket)',
    count: 2,
    specs: (prev) => ({ ...tls12, serverCiphers: 'ECDHE-RSA-AES128-GCM-SHA256', ...(prev?.session != null ? { clientSession: prev.session } : {}) }),
  },
  {
    name: 'tls13-resumed',
    what: 'TLS 1.3: a full handshake with tickets, then a second connection resuming with PSK',
    count: 2,
    specs: (prev) => ({ ...tls13, ...(prev?.session != null ? { clientSession: prev.session } : {}) }),
  },
  { name: 'mtls13', what: 'TLS 1.3 with mutual authentication (client certificate)', count: 1, specs: () => ({ ...tls13, mutualAuth: true }) },
  {
    name: 'tls13-keyupdate',
    what: 'TLS 1.3 with KeyUpdate (update_requested) before the request (openssl s_client/s_server)',
    count: 1,
    openssl: async (pki, workDir, paths) => [await recordKeyUpdate(pki, workDir, paths[0]!)],
    specs: () => tls13,
  },
  {
    name: 'tls13-early-data',
    what: 'TLS 1.3 0-RTT: a full handshake, then a resumption whose GET is early data (openssl s_client -early_data)',
    count: 2,
    openssl: (pki, workDir, paths) => recordEarlyData(pki, workDir, [paths[0]!, paths[1]!]),
    specs: () => tls13,
  },
  {
    name: 'tls13-hrr',
    what: 'TLS 1.3 HelloRetryRequest: the client shares X25519, the server wants P-384',
    count: 1,
    specs: () => ({ ...tls13, clientEcdhCurve: 'X25519:P-384', serverEcdhCurve: 'P-384' }),
  },
];

function endpoints(i: number): { client: Endpoint; server: Endpoint } {
  return {
    client: { mac: CLIENT_MAC, ip: [192, 0, 2, 10], port: 50100 + i, isn: 0x10000000 + i * 7919, ipId: 0x1000 + i, ttl: 64, tsBase: 1000000 + i, synWindow: 64240, window: 502 },
    server: { mac: GATEWAY_MAC, ip: [198, 51, 100, 40], port: 443, isn: 0x20000000 + i * 104729, ipId: 0x2000 + i, ttl: 54, tsBase: 2000000 + i, synWindow: 65160, window: 509 },
  };
}

/** Writes NAME.pcapng and NAME.keys (and NAME.pem) for every recipe into `outDir`. */
export async function makeKeyedSamples(opts: { outDir: string; workDir: string }): Promise<KeyedSample[]> {
  const pkiDir = join(opts.workDir, 'pki-keyed');
  mkdirSync(pkiDir, { recursive: true });
  mkdirSync(opts.outDir, { recursive: true });
  const pki: SamplePki = makePki(pkiDir);
  const out: KeyedSample[] = [];
  let n = 0;
  for (const r of RECIPES) {
    const convs: RecordedConversation[] = [];
    let prev: RecordedConversation | null = null;
    // One server "process" for the connections of a sample: the same ticket keys decrypt its tickets.
    const serverTicketKeys = randomBytes(48);
    const paths = Array.from({ length: r.count }, (_, i) => `/${r.name}/${i + 1}`);
    if (r.openssl !== undefined) convs.push(...(await r.openssl(pki, opts.workDir, paths)));
    for (let i = 0; i < r.count && r.openssl === undefined; i++) {
      const spec: ConversationSpec = { ...r.specs(prev), serverTicketKeys, serverName: SERVER_NAME, alpn: 'http/1.1', request: request(paths[i]!), respond: () => response(`${r.what}, connection ${i + 1}`), serverThinkMs: 0.4 };
      prev = await recordConversation(pki, spec);
      convs.push(prev);
    }
    const packets: CapturedPacket[] = [];
    convs.forEach((c, i) => packets.push(...tcpSession(c.writes, { ...endpoints(n++), startNs: i * 100_000_000 })));
    const w = PcapngWriter.create(join(opts.outDir, `${r.name}.pcapng`), { overwrite: true });
    w.writeSectionHeader({ application: 'WireLadder keyed sample generator (scripts/make-samples.mjs --keyed)', comments: [r.what] });
    const iface = w.addInterface({ linkType: 1, snaplen: 262144, name: 'keyed0', tsresol: 9 });
    for (const p of packets) {
      w.writePacket({ iface, tsSec: START_EPOCH_SECONDS + Math.floor(p.timeNs / 1e9), tsNsec: p.timeNs % 1e9, data: p.frame, comments: null, flags: p.side === CLIENT ? 2 : 1 });
    }
    w.close();
    writeFileSync(join(opts.outDir, `${r.name}.keys`), convs.flatMap((c) => c.keyLog).map((l) => `${l}\n`).join(''));
    if (r.pem === true) writeFileSync(join(opts.outDir, `${r.name}.pem`), pki.server.key);
    out.push({ name: r.name, what: r.what, conversations: convs.length, cipher: convs[0]!.facts.cipher, protocol: convs[0]!.facts.protocol });
  }
  return out;
}
