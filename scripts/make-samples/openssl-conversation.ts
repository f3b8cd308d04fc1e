// TLS 1.3 conversations node:tls cannot make, recorded from `openssl s_server` and `openssl
// s_client` on loopback through a recording proxy, so the bytes each side wrote become WireWrites
// like the in-memory ones: KeyUpdate (s_client's 'K' command, update_requested) and 0-RTT early
// data (a saved session resumed with -early_data).

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

/**
 * A recording proxy for one connection: what each side wrote, in order, with what it had heard.
 * `port` accepts the client; `log` fills as it goes; `done` settles when both directions have ended.
 */
async function recordingProxy(serverPort: number): Promise<{ port: number; log: WireWrite[]; done: Promise<void>; close(): void }> {
  const log: WireWrite[] = [];
  const last: [WireWrite | null, WireWrite | null] = [null, null];
  const record = (side: Side, bytes: Uint8Array | null): void => {
    const w: WireWrite = { side, bytes, after: last[side === CLIENT ? SERVER : CLIENT], thinkMs: 0 };
    log.push(w);
    last[side] = w;
  };
  const proxy = createServer();
  const done = new Promise<void>((resolve) => {
    proxy.once('connection', (down: Socket) => {
      const up = createConnection(serverPort, '127.0.0.1');
      up.on('error', () => undefined);
      down.on('error', () => undefined);
      const open = [true, true];
      // A side's end is its FIN, or its socket closing without one (a reset): recorded once.
      const ended = (side: Side): void => {
        if (!open[side]) return;
        open[side] = false;
        record(side, null);
        (side === CLIENT ? up : down).end();
        if (!open[CLIENT] && !open[SERVER]) resolve();
      };
      down.on('data', (b: Buffer) => (record(CLIENT, Uint8Array.from(b)), up.write(b)));
      up.on('data', (b: Buffer) => (record(SERVER, Uint8Array.from(b)), down.write(b)));
      down.on('end', () => ended(CLIENT));
      up.on('end', () => ended(SERVER));
      down.on('close', () => ended(CLIENT));
      up.on('close', () => ended(SERVER));
    });
  });
  await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
  return { port: (proxy.address() as AddressInfo).port, log, done, close: () => proxy.close() };
}

/** The server's certificate and key as files for `openssl s_server`. */
function serverFiles(pki: SamplePki, workDir: string, prefix: string): { cert: string; key: string } {
  const cert = join(workDir, `${prefix}-server.crt`);
  const key = join(workDir, `${prefix}-server.key`);
  writeFileSync(cert, pki.server.cert);
  writeFileSync(key, pki.server.key);
  return { cert, key };
}

function keyLogLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

/** Records one TLS 1.3 connection in which the client sends KeyUpdate before its request. */
export async function recordKeyUpdate(pki: SamplePki, workDir: string, path: string): Promise<RecordedConversation> {
  const { cert, key } = serverFiles(pki, workDir, 'ku');
  const keyLogFile = join(workDir, 'ku.keys');
  writeFileSync(keyLogFile, '');
  const serverPort = await freePort();
  const server: ChildProcess = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${serverPort}`, '-cert', cert, '-key', key, '-www', '-tls1_3', '-quiet'], { stdio: 'ignore' });
  let client: ChildProcess | null = null;
  let proxy: Awaited<ReturnType<typeof recordingProxy>> | null = null;
  let log: WireWrite[];
  try {
    await waitListening(serverPort);
    proxy = await recordingProxy(serverPort);
    client = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${proxy.port}`, '-servername', 'wireladder.test', '-tls1_3', '-keylogfile', keyLogFile, '-crlf'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    await delay(400);
    client.stdin!.write('K\n'); // KeyUpdate, update_requested: both sides move to generation 1
    await delay(300);
    client.stdin!.write(`GET ${path} HTTP/1.0\n\n`);
    await Promise.race([proxy.done, delay(5000)]);
    log = proxy.log;
    client.stdin!.end();
  } finally {
    if (client !== null && client.exitCode === null) client.kill();
    if (server.exitCode === null) server.kill();
    proxy?.close();
  }
  if (!log.some((w) => w.side === SERVER && w.bytes !== null)) throw new Error('the KeyUpdate conversation recorded nothing from the server');
  return { writes: log, keyLog: keyLogLines(keyLogFile), facts: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', alpn: '', serverName: 'wireladder.test', clientSubject: null }, session: null };
}

/**
 * 0-RTT (RFC 8446 §2.3), which node:tls cannot send: a full TLS 1.3 handshake whose ticket the
 * client saves (`s_client -sess_out`), then a second connection resuming it that sends its GET as
 * early data (`-sess_in -early_data`), both answered by one `s_server -early_data` (one process:
 * its ticket key opens the ticket). The server runs without -www (which reads no early data), so
 * its answers are typed on its standard input once the request is in.
 */
export async function recordEarlyData(pki: SamplePki, workDir: string, paths: [string, string]): Promise<RecordedConversation[]> {
  const { cert, key } = serverFiles(pki, workDir, 'ed');
  const keyLogFile = join(workDir, 'ed.keys');
  const sessionFile = join(workDir, 'ed.session');
  const earlyFile = join(workDir, 'ed.early');
  writeFileSync(keyLogFile, '');
  const serverPort = await freePort();
  const server: ChildProcess = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${serverPort}`, '-cert', cert, '-key', key, '-tls1_3', '-early_data', '-quiet'], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const answer = (path: string): string => {
    const body = `<!doctype html><title>${path}</title><p>answered ${path}</p>\n`;
    return ['HTTP/1.0 200 OK', 'Content-Type: text/html', `Content-Length: ${Buffer.byteLength(body)}`, '', ''].join('\r\n') + body;
  };
  const conversations: RecordedConversation[] = [];
  try {
    await waitListening(serverPort);
    for (const [i, path] of paths.entries()) {
      const early = i === 1;
      const request = `GET ${path} HTTP/1.0\r\nHost: wireladder.test\r\n\r\n`;
      if (early) writeFileSync(earlyFile, request);
      const proxy = await recordingProxy(serverPort);
      // Not -quiet: it implies -ign_eof, and the client's end of input is what closes it.
      const args = ['s_client', '-connect', `127.0.0.1:${proxy.port}`, '-servername', 'wireladder.test', '-tls1_3', '-keylogfile', keyLogFile];
      args.push(...(early ? ['-sess_in', sessionFile, '-early_data', earlyFile] : ['-sess_out', sessionFile]));
      const client = spawn('openssl', args, { stdio: ['pipe', 'ignore', 'ignore'] });
      try {
        await delay(400);
        if (!early) client.stdin!.write(request);
        await delay(300);
        server.stdin!.write(answer(path));
        await delay(300);
        // The client ends (close_notify, FIN); the server answers in kind.
        client.stdin!.end();
        await Promise.race([proxy.done, delay(5000)]);
        const log = proxy.log;
        if (!log.some((w) => w.side === SERVER && w.bytes !== null)) throw new Error(`the 0-RTT sample's connection ${i + 1} recorded nothing from the server`);
        await new Promise<void>((ok) => (client.exitCode !== null ? ok() : client.once('exit', () => ok())));
        conversations.push({ writes: log, keyLog: [], facts: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', alpn: '', serverName: 'wireladder.test', clientSubject: null }, session: null });
      } finally {
        if (client.exitCode === null) client.kill();
        proxy.close();
      }
    }
  } finally {
    if (server.exitCode === null) server.kill();
  }
  // The key log of both connections, in the order the client wrote it.
  conversations[conversations.length - 1]!.keyLog = keyLogLines(keyLogFile);
  return conversations;
}
