// `wireladder capture` end to end (the bundled CLI and capture helper, capturing on lo as root):
// -D lists interfaces; -c and -a stop by themselves; Ctrl+C stops cleanly; errors exit 1 with the reason.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/core/engine/analyze-file';
import { readCaptureFile } from '../../src/core/io/capture-reader';
import { cliScript, ensureBundles, killQuietly, tsharkCount, udpPackets } from '../core/capture/helpers';

let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  ensureBundles();
  dir = mkdtempSync(join(tmpdir(), 'wireladder-cli-capture-'));
});

afterAll(() => {
  for (const c of children) killQuietly(c.pid);
  rmSync(dir, { recursive: true, force: true });
});

const port = () => 20000 + Math.floor(Math.random() * 30000);

interface Running {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
  /** Resolves once stderr contains `text`. */
  waitFor: (text: string | RegExp) => Promise<void>;
}

function cli(args: string[], opts: { detached?: boolean } = {}): Running {
  const child = spawn(process.execPath, [cliScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: opts.detached ?? false });
  children.push(child);
  let err = '';
  const waiters: { test: string | RegExp; resolve: () => void }[] = [];
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    err += d;
    for (const w of waiters.splice(0)) {
      if (typeof w.test === 'string' ? err.includes(w.test) : w.test.test(err)) w.resolve();
      else waiters.push(w);
    }
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (test: string | RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (typeof test === 'string' ? err.includes(test) : test.test(err)) return resolve();
      waiters.push({ test, resolve });
      void exit.then(() => reject(new Error(`exited before printing ${String(test)}:\n${err}`)));
    });
  return { child, stderr: () => err, exit, waitFor };
}

describe('wireladder capture', () => {
  it('-D lists the interfaces like tshark -D, with their state and addresses', () => {
    const r = spawnSync(process.execPath, [cliScript, 'capture', '-D'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+\. lo \(Loopback\) {2}\[up, loopback\] {2}127\.0\.0\.1, ::1$/m);
    const json = spawnSync(process.execPath, [cliScript, 'capture', '-D', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(json.stdout)).toContainEqual(expect.objectContaining({ name: 'lo', loopback: true }));
  });

  it('-c N stops after N packets with a valid file and exit 0', async () => {
    const p = port();
    const out = join(dir, 'count.pcapng');
    const run = cli(['capture', '-i', 'lo', '-f', `udp port ${p}`, '-c', '10', '-B', '8', '-w', out]);
    await run.waitFor("Capturing on 'lo' (udp port " + p + ') …');
    await udpPackets(p, 25, 2);
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toMatch(/… 10 packets\n/);
    expect(run.stderr()).toContain(`10 packets (`);
    expect(run.stderr()).toContain(`written to ${out}; packet count reached`);
    // libpcap's counts (pcap_stats through the patched cap), never "unknown" on lo.
    expect(run.stderr()).toMatch(/^received 10; dropped by the kernel: \d+; dropped by the interface: \d+$/m);
    const { analyzer, result } = await analyzeFile(out);
    expect(result.stop).toBeNull();
    expect(analyzer.index.count).toBe(10);
    expect(analyzer.interfaces[0]).toMatchObject({ name: 'lo', filter: `udp port ${p}` });
    const n = tsharkCount(out);
    if (n !== null) expect(n).toBe(10);
  });

  it('-s cuts packets at the snap length keeping their wire length, and -p captures with no warning', async () => {
    const p = port();
    const out = join(dir, 'snaplen.pcapng');
    const run = cli(['capture', '-i', 'lo', '-f', `udp port ${p}`, '-s', '40', '-p', '-c', '3', '-B', '8', '-w', out]);
    await run.waitFor('Capturing on');
    await udpPackets(p, 3, 2);
    expect(await run.exit).toBe(0);
    // Promiscuous mode off used to be refused with a warning ("cannot be turned off").
    expect(run.stderr()).not.toContain('warning');
    const lengths: [number, number][] = [];
    await readCaptureFile(out, { onPacket: (r) => void lengths.push([r.caplen, r.wirelen]) });
    // `packet N` in UDP over IPv4 over Ethernet: 14 + 20 + 8 + 8 = 50 bytes on the wire.
    expect(lengths).toEqual([
      [40, 50],
      [40, 50],
      [40, 50],
    ]);
    const { analyzer } = await analyzeFile(out);
    expect(analyzer.interfaces[0]!.snaplen).toBe(40);
  });

  it('-a duration:S stops after S seconds', async () => {
    const out = join(dir, 'duration.pcapng');
    const t0 = Date.now();
    const run = cli(['capture', '-i', 'lo', '-f', `udp port ${port()}`, '-a', 'duration:1', '-B', '8', '-w', out]);
    expect(await run.exit).toBe(0);
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(run.stderr()).toContain('duration reached');
    const { result, analyzer } = await analyzeFile(out);
    expect(result.stop).toBeNull();
    expect(analyzer.statistics).toHaveLength(1);
  });

  it('Ctrl+C (SIGINT to the process group) stops cleanly: valid file, exit 0', async () => {
    const p = port();
    const out = join(dir, 'sigint.pcapng');
    // Its own process group, as a terminal's foreground job: Ctrl+C reaches the CLI and the helper.
    const run = cli(['capture', '-i', 'lo', '-f', `udp port ${p}`, '-B', '8', '-w', out], { detached: true });
    await run.waitFor('Capturing on');
    await udpPackets(p, 7, 2);
    await run.waitFor('… 7 packets');
    process.kill(-run.child.pid!, 'SIGINT');
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toContain('written to');
    const { analyzer, result } = await analyzeFile(out);
    expect(result.stop).toBeNull();
    expect(analyzer.index.count).toBe(7);
    expect(analyzer.statistics).toHaveLength(1);
  });

  it('SIGINT to the CLI alone is passed on to the capture helper', async () => {
    const p = port();
    const out = join(dir, 'sigint-cli.pcapng');
    const run = cli(['capture', '-i', 'lo', '-f', `udp port ${p}`, '-q', '-B', '8', '-w', out]);
    await run.waitFor('Capturing on');
    await udpPackets(p, 3, 2);
    // -q shows no count: wait until the helper has written all three to the file.
    let written = 0;
    for (let i = 0; i < 100 && written < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      written = (await analyzeFile(out)).analyzer.index.count;
    }
    expect(written).toBe(3);
    expect(run.stderr()).not.toMatch(/… \d+ packets/);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
    const { analyzer, result } = await analyzeFile(out);
    expect(result.stop).toBeNull();
    expect(analyzer.index.count).toBe(3);
  });

  it('when the CLI dies, the capture helper closes the file properly by itself', async () => {
    const p = port();
    const out = join(dir, 'orphan.pcapng');
    const run = cli(['capture', '-i', 'lo', '-f', `udp port ${p}`, '-B', '8', '-w', out]);
    await run.waitFor('Capturing on');
    await udpPackets(p, 4, 2);
    await run.waitFor('… 4 packets');
    run.child.kill('SIGKILL');
    await run.exit;
    // The helper sees its IPC channel close, writes the statistics block and exits.
    let stats = 0;
    for (let i = 0; i < 50 && stats === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stats = (await analyzeFile(out)).analyzer.statistics.length;
    }
    const { analyzer, result } = await analyzeFile(out);
    expect(stats).toBe(1);
    expect(result.stop).toBeNull();
    expect(analyzer.index.count).toBe(4);
  });

  it('exits 1 with the reason for a bad filter, a missing interface and an existing file', async () => {
    const bad = cli(['capture', '-i', 'lo', '-f', 'tcp port', '-w', join(dir, 'bad.pcapng')]);
    expect(await bad.exit).toBe(1);
    expect(bad.stderr()).toContain("wireladder: capture filter 'tcp port' is invalid: syntax error\n");
    const nope = cli(['capture', '-i', 'wlnope0', '-w', join(dir, 'nope.pcapng')]);
    expect(await nope.exit).toBe(1);
    expect(nope.stderr()).toContain("wireladder: interface 'wlnope0' does not exist\n");
    const existing = join(dir, 'existing.pcapng');
    writeFileSync(existing, 'keep me');
    const exists = cli(['capture', '-i', 'lo', '-B', '8', '-w', existing]);
    expect(await exists.exit).toBe(1);
    expect(exists.stderr()).toContain(`wireladder: ${existing} already exists`);
    const usage = cli(['capture', '-f', 'tcp']);
    expect(await usage.exit).toBe(1);
    expect(usage.stderr()).toContain('capture needs an interface (-i)');
  });
});
