// A TLS 1.3 conversation with KeyUpdate, which node:tls cannot send: `openssl s_server -www` and
// `openssl s_client` (whose 'K' command sends KeyUpdate with update_requested) on loopback,
// through a recording proxy, so the bytes each side wrote become WireWrites like the in-memory ones.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import type { SamplePki } from './certificates';
import { CLIENT, SERVER, type RecordedConversation, type Side, type WireWrite } from './tls-conversation';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

async function waitListening(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((done) => {
      const c = createConnection(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), done(true)));
      c.once('error', () => done(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`openssl s_server did not listen on port ${port}`);
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records one TLS 1.3 connection in which the client sends KeyUpdate before its request. */
export async function recordKeyUpdate(pki: SamplePki, workDir: string, path: string): Promise<RecordedConversation> {
  const cert = join(workDir, 'ku-server.crt');
  const key = join(workDir, 'ku-server.key');
  const keyLogFile = join(workDir, 'ku.keys');
  writeFileSync(cert, pki.server.cert);
  writeFileSync(key, pki.server.key);
  writeFileSync(keyLogFile, '');
  const serverPort = await freePort();
  const server: ChildProcess = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${serverPort}`, '-cert', cert, '-key', key, '-www', '-tls1_3', '-quiet'], { stdio: 'ignore' });
  const log: WireWrite[] = [];
  const last: [WireWrite | null, WireWrite | null] = [null, null];
  const record = (side: Side, bytes: Uint8Array | null): void => {
    const w: WireWrite = { side, bytes, after: last[side === CLIENT ? SERVER : CLIENT], thinkMs: 0 };
    log.push(w);
    last[side] = w;
  };
  let client: ChildProcess | null = null;
  const proxy = createServer();
  try {
    await waitListening(serverPort);
    const done = new Promise<void>((resolve) => {
      proxy.once('connection', (down: Socket) => {
        const up = createConnection(serverPort, '127.0.0.1');
        up.on('error', () => down.destroy());
        down.on('error', () => up.destroy());
        let ends = 0;
        const ended = (): void => {
          if (++ends === 2) resolve();
        };
        down.on('data', (b: Buffer) => (record(CLIENT, Uint8Array.from(b)), up.write(b)));
        up.on('data', (b: Buffer) => (record(SERVER, Uint8Array.from(b)), down.write(b)));
        down.on('end', () => (record(CLIENT, null), up.end(), ended()));
        up.on('end', () => (record(SERVER, null), down.end(), ended()));
      });
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
    const proxyPort = (proxy.address() as AddressInfo).port;
    client = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${proxyPort}`, '-servername', 'wireladder.test', '-tls1_3', '-keylogfile', keyLogFile, '-crlf'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    await delay(400);
    client.stdin!.write('K\n'); // KeyUpdate, update_requested: both sides move to generation 1
    await delay(300);
    client.stdin!.write(`GET ${path} HTTP/1.0\n\n`);
    await Promise.race([done, delay(5000)]);
    client.stdin!.end();
  } finally {
    if (client !== null && client.exitCode === null) client.kill();
    if (server.exitCode === null) server.kill();
    proxy.close();
  }
  const keyLog = readFileSync(keyLogFile, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  if (!log.some((w) => w.side === SERVER && w.bytes !== null)) throw new Error('the KeyUpdate conversation recorded nothing from the server');
  return { writes: log, keyLog, facts: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', alpn: '', serverName: 'wireladder.test', clientSubject: null }, session: null };
}
