// Live capture on the loopback interface through the capture helper process (CI runs as root, so
// `lo` can be opened): a real TLS handshake, bad filters and interfaces, stopping under load, and a
// helper that is killed, loses its interface or fills its disk — the file stays whole every time.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFilter, listInterfaces, startCapture } from '../../../src/core/capture/capture-client';
import { CaptureError } from '../../../src/core/capture/errors';
import type { CaptureMessage } from '../../../src/core/capture/protocol';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import { defaultAppFactories } from '../../../src/core/engine/app-factories';
import { readCaptureFile } from '../../../src/core/io/capture-reader';
import { ensureBundles, helperScript, killQuietly, request, tlsExchange, tlsServer, tsharkCount, udpFlood, udpPackets } from './helpers';

let dir: string;
const pids: (number | undefined)[] = [];

beforeAll(() => {
  ensureBundles();
  dir = mkdtempSync(join(tmpdir(), 'wireladder-capture-test-'));
});

afterAll(() => {
  for (const pid of pids) killQuietly(pid);
  rmSync(dir, { recursive: true, force: true });
});

/** TCP payload of an Ethernet/IPv4/TCP frame, or null. */
function tcpPayload(frame: Uint8Array): Uint8Array | null {
  if (frame.length < 54 || frame[12] !== 0x08 || frame[13] !== 0x00 || frame[23] !== 6) return null;
  const ip = 14;
  const ihl = (frame[ip]! & 0x0f) * 4;
  const total = (frame[ip + 2]! << 8) | frame[ip + 3]!;
  const tcp = ip + ihl;
  const doff = (frame[tcp + 12]! >> 4) * 4;
  return frame.subarray(tcp + doff, ip + total);
}

describe('interfaces', () => {
  it('lists lo as an up loopback interface with 127.0.0.1', async () => {
    const list = await listInterfaces();
    const lo = list.find((i) => i.name === 'lo');
    expect(lo).toBeDefined();
    expect(lo!.loopback).toBe(true);
    expect(lo!.up).toBe(true);
    expect(lo!.addresses).toContain('127.0.0.1');
  });
});

describe('a TLS handshake captured on lo', () => {
  let path: string;
  let port: number;
  let echoed = '';

  beforeAll(async () => {
    const server = await tlsServer();
    port = server.port;
    path = join(dir, 'tls.pcapng');
    const run = startCapture(request(path, { filter: `tcp port ${port}` }));
    pids.push(run.pid);
    try {
      const started = await run.started;
      expect(started.linkType).toBe(1);
      echoed = await tlsExchange(port, server.cert);
      // The last segments (FIN/ACK) reach the capture a moment after the client sees the close.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await run.stop();
      await server.close();
    }
  });

  it('writes a pcapng file our reader reads whole, with the interface name, filter and statistics', async () => {
    expect(echoed).toBe('echo: hello over TLS');
    const result = await readCaptureFile(path, { onPacket: () => undefined });
    expect(result.format).toBe('pcapng');
    expect(result.stop).toBeNull();
    const { analyzer } = await analyzeFile(path);
    expect(analyzer.interfaces).toHaveLength(1);
    expect(analyzer.interfaces[0]!.name).toBe('lo');
    expect(analyzer.interfaces[0]!.filter).toBe(`tcp port ${port}`);
    expect(analyzer.interfaces[0]!.tsUnitsPerSecond).toBe(1e9);
    expect(analyzer.statistics).toHaveLength(1);
    expect(analyzer.statistics[0]!.delivered).toBe(analyzer.index.count);
    expect(analyzer.index.count).toBeGreaterThanOrEqual(8);
  });

  it('is read by tshark with the same packets', async () => {
    const { analyzer } = await analyzeFile(path);
    const n = tsharkCount(path);
    if (n !== null) expect(n).toBe(analyzer.index.count);
  });

  it('holds the complete TCP handshake and the TLS records of the exchange', async () => {
    const { analyzer } = await analyzeFile(path);
    const conv = analyzer.flows.conversations.find((c) => c.proto === 6 && (c.portA === port || c.portB === port));
    expect(conv).toBeDefined();
    expect(conv!.tcp!.handshakeStatus()).toBe('complete');
    const server = conv!.clientIsA ? { addr: conv!.addrB, port: conv!.portB } : { addr: conv!.addrA, port: conv!.portA };
    expect(server.port).toBe(port);
    // TLS handshake records (content type 22, version 3.x) from both sides, raw in the payloads.
    const frames: Uint8Array[] = [];
    await readCaptureFile(path, { onPacket: (r) => void frames.push(r.data.slice(r.dataOffset, r.dataOffset + r.caplen)) });
    const handshakes = { client: 0, server: 0 };
    for (const f of frames) {
      const payload = tcpPayload(f);
      if (payload === null || payload.length < 5 || payload[0] !== 0x16 || payload[1] !== 0x03) continue;
      const srcPort = (f[34]! << 8) | f[35]!;
      if (srcPort === port) handshakes.server++;
      else handshakes.client++;
    }
    expect(handshakes.client).toBeGreaterThanOrEqual(1);
    expect(handshakes.server).toBeGreaterThanOrEqual(1);
  });

  // Needs the TLS parser in defaultAppFactories() (wired by the engine lead).
  it('shows the ClientHello and ServerHello in the conversation with the default application parsers', async () => {
    const { analyzer } = await analyzeFile(path, { appFactories: defaultAppFactories() });
    const conv = analyzer.flows.conversations.find((c) => c.proto === 6 && (c.portA === port || c.portB === port));
    expect(conv?.app?.protocol).toBe('tls');
    const infos = [...analyzer.index.infoText.values()].join(' | ');
    expect(infos).toMatch(/Client Hello/);
    expect(infos).toMatch(/Server Hello/);
  });
});

describe('capture errors', () => {
  it('says a BPF filter with a syntax error is invalid, before and when starting', async () => {
    expect(await checkFilter('lo', 'tcp port')).toBe("capture filter 'tcp port' is invalid: syntax error");
    expect(await checkFilter('lo', 'tcp port 99999')).toMatch(/^capture filter 'tcp port 99999' is invalid: .*99999/);
    expect(await checkFilter('lo', 'tcp port 443')).toBeNull();
    const run = startCapture(request(join(dir, 'bad-filter.pcapng'), { filter: 'tcp port' }));
    const err = await run.started.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as CaptureError).code).toBe('bad-filter');
    expect((err as CaptureError).reason).toBe("capture filter 'tcp port' is invalid: syntax error");
    expect((await run.ended).reason).toBe('failed');
  });

  it('names an interface that does not exist and lists the ones that do', async () => {
    const run = startCapture(request(join(dir, 'nope.pcapng'), { interface: 'wlnope0' }));
    const err = (await run.started.catch((e: unknown) => e)) as CaptureError;
    expect(err).toBeInstanceOf(CaptureError);
    expect(err.code).toBe('no-such-device');
    expect(err.reason).toBe("interface 'wlnope0' does not exist");
    expect(err.fix).toMatch(/\blo\b/);
    expect(await checkFilter('wlnope0', 'tcp')).toBe("cannot check the filter: interface 'wlnope0' does not exist");
  });

  // An unprivileged user's permission failure and its fix: capture-helper.test.ts.

  it('refuses to overwrite an existing file unless asked to', async () => {
    const path = join(dir, 'exists.pcapng');
    const first = startCapture(request(path));
    await first.started;
    await first.stop();
    const second = startCapture(request(path));
    const err = (await second.started.catch((e: unknown) => e)) as CaptureError;
    expect(err.code).toBe('file-exists');
  });
});

describe('timestamps', () => {
  const dumpcap = spawnSync('dumpcap', ['-v'], { stdio: 'ignore' }).status === 0;
  it.runIf(dumpcap && process.getuid?.() === 0)('are the kernel’s: dumpcap capturing the same datagrams on lo records the same times, to the nanosecond', async () => {
    const port = 20000 + Math.floor(Math.random() * 30000);
    const ours = join(dir, 'ts-ours.pcapng');
    const theirs = join(dir, 'ts-dumpcap.pcapng');
    const run = startCapture(request(ours, { filter: `udp port ${port}` }));
    pids.push(run.pid);
    await run.started;
    const other = spawn('dumpcap', ['-q', '-i', 'lo', '-f', `udp port ${port}`, '-w', theirs], { stdio: ['ignore', 'ignore', 'pipe'] });
    pids.push(other.pid);
    let err = '';
    other.stderr!.on('data', (d) => (err += String(d)));
    for (let i = 0; i < 200 && !err.includes('Capturing on'); i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 300));
    await udpPackets(port, 30, 3);
    await new Promise((r) => setTimeout(r, 300));
    await run.stop();
    const exited = new Promise((r) => other.once('exit', r));
    other.kill('SIGINT');
    await exited;
    // Time of each datagram by its payload ("packet N", the last bytes of the frame).
    const times = async (path: string): Promise<Map<string, string>> => {
      const t = new Map<string, string>();
      await readCaptureFile(path, {
        onPacket: (rec) => {
          const payload = Buffer.from(rec.data.subarray(rec.dataOffset + 42, rec.dataOffset + rec.caplen)).toString('latin1');
          t.set(payload, `${rec.tsSec}.${String(rec.tsNsec).padStart(9, '0')}`);
        },
      });
      return t;
    };
    const a = await times(ours);
    const b = await times(theirs);
    const both = [...a.keys()].filter((k) => b.has(k));
    expect(both.length).toBeGreaterThanOrEqual(20);
    expect(both.map((k) => a.get(k))).toEqual(both.map((k) => b.get(k)));
    // Not rounded to microseconds: the kernel's nanoseconds, where libpcap gives them.
    expect(both.some((k) => !a.get(k)!.endsWith('000'))).toBe(true);
  });
});

describe('ending a capture', () => {
  it('stops on request during heavy traffic and leaves a valid file with its statistics block', async () => {
    const port = 20000 + Math.floor(Math.random() * 30000);
    const path = join(dir, 'heavy.pcapng');
    const run = startCapture(request(path, { filter: `udp port ${port}` }));
    pids.push(run.pid);
    await run.started;
    const flood = udpFlood(port, 4000);
    pids.push(flood.child.pid);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const end = await run.stop();
    killQuietly(flood.child.pid);
    expect(end.reason).toBe('stopped');
    expect(end.stats.written).toBeGreaterThan(1000);
    const { analyzer, result } = await analyzeFile(path);
    expect(result.stop).toBeNull();
    expect(analyzer.index.count).toBe(end.stats.written);
    expect(analyzer.statistics).toHaveLength(1);
    const n = tsharkCount(path);
    if (n !== null) expect(n).toBe(end.stats.written);
  });

  it('stops by itself after a packet count', async () => {
    const port = 20000 + Math.floor(Math.random() * 30000);
    const path = join(dir, 'count.pcapng');
    const run = startCapture(request(path, { filter: `udp port ${port}`, stopAfterPackets: 10 }));
    await run.started;
    await udpPackets(port, 30, 1);
    const end = await run.ended;
    expect(end.reason).toBe('packet-count');
    expect(end.stats.written).toBe(10);
    const { analyzer, result } = await analyzeFile(path);
    expect(result.stop).toBeNull();
    expect(analyzer.index.count).toBe(10);
  });

  it('leaves a readable file when the capture process is killed mid-way (before and after the parent closes it)', async () => {
    const port = 20000 + Math.floor(Math.random() * 30000);
    // The helper on its own, killed with SIGKILL: what it left on disk must read as is.
    const raw = join(dir, 'killed-raw.pcapng');
    const child = spawn(process.execPath, [helperScript, '--capture', JSON.stringify(request(raw, { filter: `udp port ${port}` }))], { stdio: ['ignore', 'pipe', 'ignore'] });
    pids.push(child.pid);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (d: string) => {
        const first = JSON.parse(d.split('\n')[0]!) as CaptureMessage;
        if (first.type === 'started') resolve();
        else reject(new Error(d));
      });
    });
    await udpPackets(port, 50, 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const left = await analyzeFile(raw);
    expect(left.analyzer.index.count).toBe(50);
    expect(left.result.stop).toBeNull();
    const n = tsharkCount(raw);
    if (n !== null) expect(n).toBe(50);

    // Through the client: it notices, cuts any half-written block and adds the statistics block.
    const path = join(dir, 'killed.pcapng');
    const run = startCapture(request(path, { filter: `udp port ${port}` }));
    await run.started;
    await udpPackets(port, 20, 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    run.kill();
    const end = await run.ended;
    expect(end.reason).toBe('killed');
    expect(end.message).toMatch(/killed \(SIGKILL\)/);
    expect(end.repaired).not.toBeNull();
    const { analyzer, result } = await analyzeFile(path);
    expect(result.stop).toBeNull();
    expect(analyzer.index.count).toBe(20);
    expect(analyzer.statistics).toHaveLength(1);
    expect(analyzer.statistics[0]!.delivered).toBe(20);
  });
});

/** A veth pair the test owns (root, with the veth driver), or null where that is not possible. */
function makeVeth(): string | null {
  const name = `wlt${process.pid % 100000}`;
  const r = spawnSync('ip', ['link', 'add', `${name}a`, 'type', 'veth', 'peer', 'name', `${name}b`], { stdio: 'ignore' });
  if (r.status !== 0) return null;
  spawnSync('ip', ['link', 'set', `${name}a`, 'up'], { stdio: 'ignore' });
  spawnSync('ip', ['link', 'set', `${name}b`, 'up'], { stdio: 'ignore' });
  return `${name}a`;
}

const veth = process.platform === 'linux' && process.getuid?.() === 0 ? makeVeth() : null;

describe.skipIf(veth === null)('an interface that goes away', () => {
  afterAll(() => {
    if (veth !== null) spawnSync('ip', ['link', 'del', veth], { stdio: 'ignore' });
  });

  it('ends the capture with the file kept and valid', async () => {
    const path = join(dir, 'gone.pcapng');
    const run = startCapture(request(path, { interface: veth! }));
    pids.push(run.pid);
    await run.started;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(spawnSync('ip', ['link', 'del', veth!]).status).toBe(0);
    const end = await run.ended;
    expect(end.reason).toBe('interface-gone');
    expect(end.message).toBe(`interface '${veth}' went away; the capture stopped and the file keeps every packet captured before`);
    const { analyzer, result } = await analyzeFile(path);
    expect(result.stop).toBeNull();
    expect(analyzer.interfaces[0]!.name).toBe(veth);
    expect(analyzer.statistics).toHaveLength(1);
  });
});

/** A 256 KiB tmpfs the test mounts (root), or null where mounting is not allowed. */
function mountSmallDisk(): string | null {
  const mnt = mkdtempSync(join(tmpdir(), 'wireladder-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt], { stdio: 'ignore' });
  if (r.status !== 0) {
    rmSync(mnt, { recursive: true, force: true });
    return null;
  }
  return mnt;
}

const smallDisk = process.platform === 'linux' && process.getuid?.() === 0 ? mountSmallDisk() : null;

describe.skipIf(smallDisk === null)('a full disk', () => {
  afterAll(() => {
    if (smallDisk === null) return;
    spawnSync('umount', [smallDisk], { stdio: 'ignore' });
    rmSync(smallDisk, { recursive: true, force: true });
  });

  it('stops the capture with a message, the file valid up to the last packet written', async () => {
    const port = 20000 + Math.floor(Math.random() * 30000);
    const path = join(smallDisk!, 'full.pcapng');
    const run = startCapture(request(path, { filter: `udp port ${port}` }));
    pids.push(run.pid);
    await run.started;
    const flood = udpFlood(port, 5000);
    pids.push(flood.child.pid);
    const end = await run.ended;
    killQuietly(flood.child.pid);
    expect(end.reason).toBe('disk-full');
    expect(end.message).toMatch(/^the disk is full: the capture stopped after [\d,]+ packets; .*full\.pcapng holds every packet up to the last one written/);
    const { analyzer, result } = await analyzeFile(path);
    expect(result.stop).toBeNull();
    expect(analyzer.index.count).toBe(end.stats.written);
    expect(analyzer.index.count).toBeGreaterThan(100);
  });
});
