// The HTTP/2 test captures: one real node:http2 connection over cleartext TCP (h2c, prior
// knowledge) and one over TLS 1.3 with ALPN h2 (its key log beside it and inside the file), the
// h2c one cut to start mid-connection, and an HTTP/1.1 `Upgrade: h2c` exchange built frame by frame.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PcapngWriter } from '../../src/core/io/pcapng-writer';
import { SECRETS_TLS_KEY_LOG } from '../../src/core/io/types';
import { SERVER_NAME, makePki } from './certificates';
import { recordH2Conversation, type H2Exchange } from './h2-conversation';
import { h2cUpgradeWrites } from './h2c-upgrade';
import { client, server } from './main';
import { type CapturedPacket, tcpSession } from './tcp-session';

/** 2026-01-15T11:00:00Z, an hour after the bundled sample. */
const START_EPOCH_SECONDS = Date.UTC(2026, 0, 15, 11, 0, 0) / 1000;
const DATE_HEADER = new Date(START_EPOCH_SECONDS * 1000).toUTCString();
const LINKTYPE_ETHERNET = 1;
const EPB_INBOUND = 1;
const EPB_OUTBOUND = 2;

function writeCapture(path: string, packets: readonly CapturedPacket[], comment: string, keyLog: readonly string[]): void {
  const partial = `${path}.partial`;
  const w = PcapngWriter.create(partial, { overwrite: true });
  w.writeSectionHeader({ application: 'WireLadder sample generator', comments: [comment] });
  const iface = w.addInterface({ linkType: LINKTYPE_ETHERNET, snaplen: 262144, name: 'sample0', description: 'Synthetic capture on the client 192.0.2.10', tsresol: 9 });
  if (keyLog.length > 0) w.writeDecryptionSecrets(SECRETS_TLS_KEY_LOG, new TextEncoder().encode(keyLog.map((l) => `${l}\n`).join('')));
  for (const p of packets) {
    w.writePacket({
      iface,
      tsSec: START_EPOCH_SECONDS + Math.floor(p.timeNs / 1e9),
      tsNsec: p.timeNs % 1e9,
      data: p.frame,
      comments: null,
      flags: p.side === 0 ? EPB_OUTBOUND : EPB_INBOUND,
    });
  }
  w.close();
  renameSync(partial, path);
}

export interface H2SampleSummary {
  files: Array<{ path: string; packets: number; exchanges: H2Exchange[] }>;
}

/** Writes the HTTP/2 captures into `outDir` (test/fixtures/http2), using `workDir` for the PKI. */
export async function makeH2Samples(opts: { outDir: string; workDir: string }): Promise<H2SampleSummary> {
  mkdirSync(opts.outDir, { recursive: true });
  const files: H2SampleSummary['files'] = [];

  const h2c = await recordH2Conversation({ tls: null, authority: `${SERVER_NAME}:8080`, date: DATE_HEADER });
  const h2cPackets = tcpSession(h2c.writes, {
    client: client(50312, 0x510e527f, 0x2c41, 3011522001),
    server: server([198, 51, 100, 40], 0x9b05688c, 0x61d2, 1712203991, 8080),
    startNs: 0,
  });
  const h2cPath = join(opts.outDir, 'h2c-prior-knowledge.pcapng');
  writeCapture(h2cPath, h2cPackets, 'HTTP/2 over cleartext TCP with prior knowledge (RFC 9113 §3.3), node:http2 client and server; made by npm run samples -- http2.', []);
  files.push({ path: h2cPath, packets: h2cPackets.length, exchanges: h2c.exchanges });

  // The same connection seen from its ninth data packet on: the capture missed the SETTINGS and
  // the first header blocks, so HPACK's dynamic table is unknown (RFC 7541 §2.3.2).
  let dataPackets = 0;
  const cutAt = h2cPackets.findIndex((p) => p.payloadLength > 0 && ++dataPackets === 9);
  const cutPath = join(opts.outDir, 'h2c-midstream.pcapng');
  const cut = h2cPackets.slice(cutAt);
  writeCapture(cutPath, cut, 'The h2c capture cut to start mid-connection: the HPACK dynamic table is missing.', []);
  files.push({ path: cutPath, packets: cut.length, exchanges: [] });

  const upgrade = h2cUpgradeWrites(SERVER_NAME, DATE_HEADER);
  const upPackets = tcpSession(upgrade, {
    client: client(50320, 0x1f83d9ab, 0x3a10, 3011523007),
    server: server([198, 51, 100, 40], 0x5be0cd19, 0x0e77, 1712204999, 80),
    startNs: 0,
  });
  const upPath = join(opts.outDir, 'h2c-upgrade.pcapng');
  writeCapture(upPath, upPackets, 'HTTP/1.1 Upgrade: h2c (RFC 7540 §3.2), the answer on stream 1 in HTTP/2.', []);
  files.push({ path: upPath, packets: upPackets.length, exchanges: [] });

  const pkiDir = join(opts.workDir, 'pki');
  mkdirSync(pkiDir, { recursive: true });
  const pki = makePki(pkiDir);
  const h2 = await recordH2Conversation({ tls: { pki, serverName: SERVER_NAME }, authority: SERVER_NAME, date: DATE_HEADER });
  const h2Packets = tcpSession(h2.writes, {
    client: client(50330, 0x6a09e667, 0x4d21, 2845112019),
    server: server([198, 51, 100, 20], 0xbb67ae85, 0x9b3e, 1276509331, 443),
    startNs: 0,
  });
  const h2Path = join(opts.outDir, 'h2-tls13.pcapng');
  writeCapture(h2Path, h2Packets, 'HTTP/2 over TLS 1.3 (ALPN h2), node:http2 over node:tls; the key log is in a Decryption Secrets Block and in h2-tls13.keys.', h2.keyLog);
  writeFileSync(join(opts.outDir, 'h2-tls13.keys'), h2.keyLog.map((l) => `${l}\n`).join(''));
  files.push({ path: h2Path, packets: h2Packets.length, exchanges: h2.exchanges });
  return { files };
}
