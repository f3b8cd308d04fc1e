// Live-capture test helpers: the bundled capture helper, a self-signed certificate made at test
// time, a TLS exchange and a UDP flood on 127.0.0.1, and readers for the files captures write.

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import type { CaptureRequest } from '../../../src/core/capture/protocol';

export const root = join(__dirname, '..', '..', '..');
export const helperScript = join(root, 'out', 'engine', 'capture-process.js');
export const cliScript = join(root, 'out', 'cli', 'wireladder.js');
/** The dedicated capture helper executable (scripts/build-capture-helper.mjs). */
export const dedicatedHelper = join(root, 'out', 'capture-helper', process.platform === 'win32' ? 'wireladder-capture.exe' : 'wireladder-capture');

/** The tests run the bundles `npm test` builds; build them only when they are missing. */
export function ensureBundles(): void {
  if (!existsSync(helperScript) || !existsSync(cliScript)) execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root, stdio: 'inherit' });
  if (!existsSync(dedicatedHelper)) execFileSync(process.execPath, [join(root, 'scripts', 'build-capture-helper.mjs')], { cwd: root, stdio: 'inherit' });
}

export const tsharkAvailable = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;

/** Packets and interface statistics tshark reads from a file (null when tshark is not installed). */
export function tsharkCount(path: string): number | null {
  if (!tsharkAvailable) return null;
  const r = spawnSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`tshark could not read ${path}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').length;
}

/** A small libpcap ring: tests carry little traffic, and a large ring costs startup time. */
export function request(path: string, overrides: Partial<CaptureRequest> = {}): CaptureRequest {
  return {
    interface: 'lo',
    filter: '',
    snaplen: 262_144,
    promiscuous: true,
    stopAfterPackets: null,
    stopAfterSeconds: null,
    stopAfterBytes: null,
    path,
    overwrite: false,
    bufferSize: 8 * 1024 * 1024,
    ...overrides,
  };
}

// --- a self-signed certificate, DER-encoded by hand (node:crypto signs but does not issue) ---

function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const head = n < 0x80 ? [tag, n] : n < 0x100 ? [tag, 0x81, n] : [tag, 0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from(head), body]);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a! + b!];
  for (const v of rest) {
    const enc = [v & 0x7f];
    for (let x = v >>> 7; x > 0; x >>>= 7) enc.unshift((x & 0x7f) | 0x80);
    bytes.push(...enc);
  }
  return der(0x06, Buffer.from(bytes));
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const text = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return der(0x17, Buffer.from(text, 'latin1'));
}

/** A P-256 key and a self-signed X.509 v3 certificate for CN=localhost (SAN DNS:localhost). */
export function selfSignedCertificate(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const seq = (...p: Buffer[]) => der(0x30, ...p);
  const name = seq(der(0x31, seq(oid('2.5.4.3'), der(0x0c, Buffer.from('localhost')))));
  const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const now = Date.now();
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))), // version v3
    der(0x02, Buffer.from([0x01, 0x23, 0x45, 0x67])), // serial
    ecdsaWithSha256,
    name,
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    der(0xa3, seq(seq(oid('2.5.29.17'), der(0x04, seq(der(0x82, Buffer.from('localhost'))))))), // subjectAltName
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = seq(tbs, ecdsaWithSha256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = certificate.toString('base64').replace(/.{64}/g, '$&\n');
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    cert: `-----BEGIN CERTIFICATE-----\n${b64.trim()}\n-----END CERTIFICATE-----\n`,
  };
}

/** A TLS echo server on 127.0.0.1 (a free port); close() stops it. */
export async function tlsServer(): Promise<{ port: number; cert: string; close: () => Promise<void> }> {
  const { key, cert } = selfSignedCertificate();
  const server = tls.createServer({ key, cert }, (socket) => {
    socket.on('data', (d) => socket.write(Buffer.concat([Buffer.from('echo: '), d])));
    socket.on('end', () => socket.end());
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, cert, close: () => closeServer(server) };
}

/** Connects, completes the handshake, sends `message`, reads the echo, closes. */
export function tlsExchange(port: number, cert: string, message = 'hello over TLS'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: cert }, () => socket.write(message));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      answer += d;
      if (answer.length >= message.length + 6) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

/** A plain TCP echo server on 127.0.0.1. */
export async function tcpServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer((s) => {
    s.on('data', (d) => s.write(d));
    s.on('end', () => s.end());
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A child process sending 64-byte UDP datagrams to 127.0.0.1:port as fast as it can for `ms`
 * milliseconds (a bound socket that is never read takes them, so no ICMP comes back). Prints the
 * count when done. Stop it early with kill(child.pid).
 */
export function udpFlood(port: number, ms: number): { child: ChildProcess; sent: Promise<number> } {
  const code = `
    const dgram = require('node:dgram');
    const sink = dgram.createSocket('udp4');
    sink.bind(${port}, '127.0.0.1', () => {
      const s = dgram.createSocket('udp4');
      s.on('error', () => {});
      s.connect(${port}, '127.0.0.1', () => {
        const payload = Buffer.alloc(64, 0x5a);
        const end = Date.now() + ${ms};
        let sent = 0;
        const pump = () => {
          for (let i = 0; i < 200; i++) s.send(payload);
          sent += 200;
          if (Date.now() < end) setImmediate(pump);
          else process.stdout.write(String(sent) + '\\n', () => process.exit(0));
        };
        pump();
      });
    });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => (out += d));
  const sent = new Promise<number>((resolve) => child.on('exit', () => resolve(Number(out.trim()) || 0)));
  return { child, sent };
}

/** Sends `n` small UDP datagrams to 127.0.0.1:port, `gapMs` apart. */
export async function udpPackets(port: number, n: number, gapMs = 2): Promise<void> {
  const dgram = await import('node:dgram');
  const s = dgram.createSocket('udp4');
  try {
    for (let i = 0; i < n; i++) {
      await new Promise<void>((resolve) => s.send(Buffer.from(`packet ${i}`), port, '127.0.0.1', () => resolve()));
      if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  } finally {
    s.close();
  }
}

export function killQuietly(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
