// The capture options libpcap honours through the patched `cap` (patches/cap+0.2.1.patch): the snap
// length, promiscuous mode on or off, and pcap_stats' drop counters in the live statistics and the
// statistics block that closes the file. Root on Linux, as the other live-capture tests.

import { execFileSync, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCapture, type CaptureEnd } from '../../../src/core/capture/capture-client';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import { readCaptureFile } from '../../../src/core/io/capture-reader';
import { ensureBundles, killQuietly, request } from './helpers';

const linuxRoot = process.platform === 'linux' && process.getuid?.() === 0;

let dir: string;
const pids: (number | undefined)[] = [];

beforeAll(() => {
  ensureBundles();
  dir = mkdtempSync(join(tmpdir(), 'wireladder-capture-options-'));
});

afterAll(() => {
  for (const pid of pids) killQuietly(pid);
  rmSync(dir, { recursive: true, force: true });
});

const randomPort = () => 20000 + Math.floor(Math.random() * 30000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends one UDP datagram per payload size to 127.0.0.1:port, in order. */
async function sendUdp(port: number, sizes: number[]): Promise<void> {
  const s = createSocket('udp4');
  try {
    for (const size of sizes) await new Promise<void>((resolve, reject) => s.send(Buffer.alloc(size, 0x61), port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  } finally {
    s.close();
  }
}

/** The kernel's promiscuity count of an interface (one per open promiscuous socket). */
function promiscuity(iface: string): number {
  const [link] = JSON.parse(execFileSync('ip', ['-d', '-j', 'link', 'show', iface], { encoding: 'utf8' })) as { promiscuity: number }[];
  return link!.promiscuity;
}

/**
 * The interface whose promiscuity is watched: a veth pair of this test's own when it can make one
 * (other captures on lo, from tests running beside this one, would move lo's count), else lo.
 */
function watchedInterface(): { name: string; remove: () => void } {
  const name = `wlp${process.pid % 100000}`;
  if (spawnSync('ip', ['link', 'add', `${name}a`, 'type', 'veth', 'peer', 'name', `${name}b`], { stdio: 'ignore' }).status !== 0) return { name: 'lo', remove: () => undefined };
  spawnSync('ip', ['link', 'set', `${name}a`, 'up'], { stdio: 'ignore' });
  return { name: `${name}a`, remove: () => void spawnSync('ip', ['link', 'del', `${name}a`], { stdio: 'ignore' }) };
}

const ipAvailable = linuxRoot && spawnSync('ip', ['-j', 'link', 'show', 'lo'], { stdio: 'ignore' }).status === 0;

describe.runIf(ipAvailable)('promiscuous mode', () => {
  let watched: { name: string; remove: () => void };
  beforeAll(() => {
    watched = watchedInterface();
  });
  afterAll(() => watched.remove());

  it('is on while a promiscuous capture runs: the interface’s promiscuity rises by one, and falls back after', async () => {
    const iface = watched.name;
    const before = promiscuity(iface);
    const run = startCapture(request(join(dir, 'promisc-on.pcapng'), { interface: iface, promiscuous: true }));
    pids.push(run.pid);
    const started = await run.started;
    try {
      expect(promiscuity(iface)).toBe(before + 1);
      expect(started.warnings).toEqual([]);
    } finally {
      expect((await run.stop()).reason).toBe('stopped');
    }
    expect(promiscuity(iface)).toBe(before);
  });

  it('stays off while a capture with promiscuous mode off runs, without a warning', async () => {
    const iface = watched.name;
    const before = promiscuity(iface);
    const run = startCapture(request(join(dir, 'promisc-off.pcapng'), { interface: iface, promiscuous: false }));
    pids.push(run.pid);
    const started = await run.started;
    let end: CaptureEnd;
    try {
      await sleep(150);
      expect(promiscuity(iface)).toBe(before);
      expect(started.warnings).toEqual([]);
    } finally {
      end = await run.stop();
    }
    expect(end.reason).toBe('stopped');
    // Without promiscuous mode libpcap does not count the interface's drops; they are read from sysfs.
    expect(end.stats.droppedByKernel).toBe(0);
    expect(end.stats.droppedByInterface).toBe(0);
  });
});

describe.runIf(linuxRoot)('snap length', () => {
  it('cuts packets longer than the snap length to it and keeps their length on the wire', async () => {
    const port = randomPort();
    const path = join(dir, 'snaplen-100.pcapng');
    const run = startCapture(request(path, { filter: `udp port ${port}`, snaplen: 100, stopAfterPackets: 4 }));
    pids.push(run.pid);
    expect((await run.started).snaplen).toBe(100);
    await sendUdp(port, [1000, 10, 1400, 58]);
    const end = await run.ended;
    expect(end.reason).toBe('packet-count');
    const records: { caplen: number; wirelen: number }[] = [];
    await readCaptureFile(path, { onPacket: (r) => void records.push({ caplen: r.caplen, wirelen: r.wirelen }) });
    // Ethernet (14) + IPv4 (20) + UDP (8) + payload; a 58-byte payload makes a frame of exactly 100.
    expect(records).toEqual([
      { caplen: 100, wirelen: 1042 },
      { caplen: 52, wirelen: 52 },
      { caplen: 100, wirelen: 1442 },
      { caplen: 100, wirelen: 100 },
    ]);
    const { analyzer } = await analyzeFile(path);
    expect(analyzer.interfaces[0]!.snaplen).toBe(100);
  });

  it('keeps a 65,549-byte loopback frame whole under the default snap length (above cap’s old 65,535)', async () => {
    const port = randomPort();
    const path = join(dir, 'snaplen-max.pcapng');
    const run = startCapture(request(path, { filter: `udp port ${port}`, stopAfterPackets: 1 }));
    pids.push(run.pid);
    expect((await run.started).snaplen).toBe(262_144);
    // The largest UDP datagram: 65,507 bytes of payload make a 65,535-byte IPv4 packet.
    await sendUdp(port, [65_507]);
    expect((await run.ended).reason).toBe('packet-count');
    const records: { caplen: number; wirelen: number }[] = [];
    await readCaptureFile(path, { onPacket: (r) => void records.push({ caplen: r.caplen, wirelen: r.wirelen }) });
    expect(records).toEqual([{ caplen: 65_549, wirelen: 65_549 }]);
  });
});

describe.runIf(linuxRoot)('capture statistics', () => {
  it('closes the file with received, interface drops and kernel drops as numbers (received ≥ written)', async () => {
    const port = randomPort();
    const path = join(dir, 'isb.pcapng');
    const run = startCapture(request(path, { filter: `udp port ${port}` }));
    pids.push(run.pid);
    await run.started;
    const live: { kernel: number | null; iface: number | null }[] = [];
    run.onStats((s) => live.push({ kernel: s.droppedByKernel, iface: s.droppedByInterface }));
    await sendUdp(port, Array.from({ length: 20 }, () => 32));
    await sleep(300);
    const end = await run.stop();
    expect(end.stats.written).toBe(20);
    // The periodic statistics carry libpcap's counts too, not only the last one.
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((s) => typeof s.kernel === 'number' && typeof s.iface === 'number')).toBe(true);
    const { analyzer } = await analyzeFile(path);
    expect(analyzer.statistics).toHaveLength(1);
    const isb = analyzer.statistics[0]!;
    expect(isb.received).toEqual(expect.any(Number));
    expect(isb.droppedByInterface).toEqual(expect.any(Number));
    expect(isb.droppedByOs).toEqual(expect.any(Number));
    expect(isb.delivered).toBe(20);
    expect(isb.received!).toBeGreaterThanOrEqual(isb.delivered!);
    expect(isb.droppedByOs).toBe(end.stats.droppedByKernel);
    expect(isb.droppedByInterface).toBe(end.stats.droppedByInterface);
  });

  it('counts the packets the kernel dropped while the capture process could not read them', async () => {
    const port = randomPort();
    const path = join(dir, 'kernel-drops.pcapng');
    // A 1 MiB ring holds about 16 loopback frames at the default snap length (64 KiB frames).
    const run = startCapture(request(path, { filter: `udp port ${port}`, bufferSize: 1024 * 1024 }));
    pids.push(run.pid);
    await run.started;
    const sent = 500;
    process.kill(run.pid!, 'SIGSTOP');
    try {
      await sendUdp(port, Array.from({ length: sent }, () => 16));
    } finally {
      process.kill(run.pid!, 'SIGCONT');
    }
    await sleep(300);
    const end = await run.stop();
    expect(end.reason).toBe('stopped');
    expect(end.stats.written).toBeLessThan(sent);
    expect(end.stats.droppedByKernel).toBeGreaterThan(0);
    // Every datagram was either written or dropped (on lo the kernel may count a drop twice: the
    // packet socket sees the outgoing and the incoming copy).
    expect(end.stats.written + end.stats.droppedByKernel!).toBeGreaterThanOrEqual(sent);
    const { analyzer } = await analyzeFile(path);
    expect(analyzer.index.count).toBe(end.stats.written);
    expect(analyzer.statistics[0]!.droppedByOs).toBe(end.stats.droppedByKernel);
  });
});

/** The patched addon itself, as the capture helper uses it. */
interface PatchedCap {
  Cap: new () => {
    open(device: string, filter: string, bufSize: number, buffer: Buffer, snaplen?: number, promisc?: boolean): string;
    close(): boolean;
    stats(): { received: number; dropped: number; ifDropped: number };
    on(event: 'packet', fn: (nbytes: number, truncated: boolean, wirelen: number) => void): void;
  };
}

// Buffers and handles given to `cap` must outlive the process (see capture-process.ts).
const pinned: unknown[] = [];

describe.runIf(linuxRoot)('the patched cap addon', () => {
  const cap = createRequire(import.meta.url)('cap') as PatchedCap;

  it('takes a snap length, passes each packet’s wire length, and reports pcap_stats only while open', async () => {
    const port = randomPort();
    const handle = new cap.Cap();
    const buffer = Buffer.alloc(64);
    pinned.push(handle, buffer);
    const packets: [number, boolean, number][] = [];
    expect(handle.open('lo', `udp port ${port}`, 1 << 20, buffer, 64, false)).toBe('ETHERNET');
    handle.on('packet', (nbytes, truncated, wirelen) => packets.push([nbytes, truncated, wirelen]));
    expect(handle.stats()).toEqual({ received: 0, dropped: 0, ifDropped: 0 });
    await sendUdp(port, [500]);
    for (let i = 0; i < 50 && packets.length === 0; i++) await sleep(20);
    expect(packets).toEqual([[64, false, 542]]);
    const stats = handle.stats();
    expect(stats.received).toBeGreaterThanOrEqual(1);
    expect(stats.dropped).toBe(0);
    handle.close();
    expect(() => handle.stats()).toThrow('Not currently capturing/open');
  });

  it('still opens with the four arguments of the unpatched API, and checks the new ones', () => {
    const handle = new cap.Cap();
    const buffer = Buffer.alloc(65_536);
    pinned.push(handle, buffer);
    expect(handle.open('lo', 'udp port 9', 1 << 20, buffer)).toBe('ETHERNET');
    expect(handle.stats()).toMatchObject({ dropped: 0 });
    handle.close();
    const bad = new cap.Cap();
    pinned.push(bad);
    expect(() => bad.open('lo', '', 1 << 20, buffer, -1)).toThrow('snaplen must be a positive integer');
    expect(() => bad.open('lo', '', 1 << 20, buffer, 100, 1 as unknown as boolean)).toThrow('promisc must be a boolean');
  });
});
