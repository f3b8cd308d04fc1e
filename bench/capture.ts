// `npm run bench` (last section) and `node out/bench/capture.js`: live capture on the loopback
// interface. A generator process sends UDP datagrams to 127.0.0.1 (paced, then as fast as it can)
// while the capture helper captures them with a filter on that port; reports packets/s offered,
// captured and written, and every packet the capture missed.
//
//   node out/bench/capture.js [--seconds S] [--rates 50000,0] [--buffer MiB]
//   node out/bench/capture.js --generate PORT MILLISECONDS RATE   (the generator; RATE 0 = flat out)

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import dgram from 'node:dgram';
import { Worker } from 'node:worker_threads';
import { startCapture } from '../src/core/capture/capture-client';
import { readCaptureFile } from '../src/core/io/capture-reader';
import type { CaptureSink } from '../src/core/io/types';

const self = fileURLToPath(import.meta.url);

interface Generated {
  sent: number;
  seconds: number;
}

/**
 * Sends 64-byte datagrams to 127.0.0.1:port for `ms` milliseconds. The port is bound by a socket in
 * a worker thread that never reads (its thread waits forever), so the kernel takes each datagram
 * (no ICMP unreachable, no ECONNREFUSED on the next send) and drops it at the socket, after the
 * capture tap has seen it; the generator spends no time receiving.
 */
async function generate(port: number, ms: number, rate: number): Promise<Generated> {
  const sink = new Worker(
    `const d = require('node:dgram'); const { parentPort, workerData } = require('node:worker_threads');
     const s = d.createSocket({ type: 'udp4', recvBufferSize: 1 << 16 });
     s.bind(workerData.port, '127.0.0.1', () => { parentPort.postMessage('bound'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); });`,
    { eval: true, workerData: { port } },
  );
  await new Promise((resolve) => sink.once('message', resolve));
  const s = dgram.createSocket({ type: 'udp4', sendBufferSize: 4 << 20 });
  let errors = 0;
  s.on('error', () => errors++);
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  await new Promise<void>((resolve) => s.connect(port, '127.0.0.1', () => resolve()));
  const payload = Buffer.alloc(64, 0x5a);
  let calls = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      const elapsed = performance.now() - t0;
      if (elapsed >= ms) {
        resolve();
        return;
      }
      const due = rate > 0 ? Math.min(500, Math.floor((rate * elapsed) / 1000) - calls) : 200;
      for (let i = 0; i < due; i++) s.send(payload);
      calls += Math.max(0, due);
      setImmediate(pump);
    };
    pump();
  });
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { sent: calls - errors, seconds };
}

function runGenerator(port: number, ms: number, rate: number): Promise<Generated> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [self, '--generate', String(port), String(ms), String(rate)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`generator exited with ${code}`));
      else resolve(JSON.parse(out) as Generated);
    });
  });
}

interface CaptureBenchRow {
  offered: string;
  sent: number;
  offeredPps: number;
  received: number;
  capturedPps: number;
  written: number;
  inFile: number;
  missed: number;
  droppedByKernel: number | null;
  droppedByInterface: number | null;
  cpuSeconds: number;
  fileMB: number;
}

async function countPackets(path: string): Promise<number> {
  let n = 0;
  const sink: CaptureSink = {
    onPacket: () => {
      n++;
    },
  };
  const r = await readCaptureFile(path, sink);
  if (r.stop !== null) throw new Error(`${path}: ${r.stop.reason}`);
  return n;
}

async function scenario(dir: string, rate: number, seconds: number, bufferMiB: number | null): Promise<CaptureBenchRow> {
  const port = 40000 + Math.floor(Math.random() * 20000);
  const path = join(dir, `lo-${rate}.pcapng`);
  const run = startCapture({
    interface: 'lo',
    filter: `udp port ${port}`,
    snaplen: 262144,
    promiscuous: true,
    stopAfterPackets: null,
    stopAfterSeconds: null,
    stopAfterBytes: null,
    path,
    overwrite: false,
    bufferSize: bufferMiB === null ? null : bufferMiB * 1024 * 1024,
  });
  await run.started;
  const gen = await runGenerator(port, seconds * 1000, rate);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const end = await run.stop();
  const inFile = await countPackets(path);
  const s = end.stats;
  return {
    offered: rate > 0 ? `paced ${rate.toLocaleString('en-US')}/s` : 'flat out',
    sent: gen.sent,
    offeredPps: gen.sent / gen.seconds,
    received: s.received,
    capturedPps: s.received / gen.seconds,
    written: s.written,
    inFile,
    missed: Math.max(0, gen.sent - s.received),
    droppedByKernel: s.droppedByKernel,
    droppedByInterface: s.droppedByInterface,
    cpuSeconds: s.cpuSeconds,
    fileMB: statSync(path).size / 1e6,
  };
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function captureBench(): Promise<CaptureBenchRow[]> {
  const seconds = Number(arg('--seconds', '3'));
  const rates = arg('--rates', '50000,0').split(',').map(Number);
  const buffer = arg('--buffer', '');
  const dir = mkdtempSync(join(tmpdir(), 'wireladder-capture-bench-'));
  const rows: CaptureBenchRow[] = [];
  try {
    for (const rate of rates) rows.push(await scenario(dir, rate, seconds, buffer === '' ? null : Number(buffer)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`live capture on lo: UDP 64-byte datagrams to 127.0.0.1, filter "udp port P", ${seconds} s per run, load average ${loadavg().map((l) => fmt(l, 2)).join(' ')}`);
  console.log(
    'offered'.padEnd(18) + 'sent'.padStart(10) + 'offered/s'.padStart(11) + 'captured'.padStart(10) + 'captured/s'.padStart(12) + 'in file'.padStart(10) + 'missed'.padStart(9) + 'kernel drops'.padStart(14) + 'if drops'.padStart(10) + 'CPU s'.padStart(7) + 'MB'.padStart(7),
  );
  for (const r of rows) {
    console.log(
      r.offered.padEnd(18) +
        fmt(r.sent).padStart(10) +
        fmt(r.offeredPps).padStart(11) +
        fmt(r.received).padStart(10) +
        fmt(r.capturedPps).padStart(12) +
        fmt(r.inFile).padStart(10) +
        fmt(r.missed).padStart(9) +
        (r.droppedByKernel === null ? '-' : fmt(r.droppedByKernel)).padStart(14) +
        (r.droppedByInterface === null ? '-' : fmt(r.droppedByInterface)).padStart(10) +
        fmt(r.cpuSeconds, 2).padStart(7) +
        fmt(r.fileMB, 1).padStart(7),
    );
  }
  console.log(
    'missed = sent by the generator but never delivered to the capture helper (counted from both ends); kernel drops = libpcap\'s pcap_stats ps_drop ' +
      '(on lo the kernel can count a dropped packet twice, once per direction it is seen in); ' +
      'in file = packets our reader finds in the pcapng (equals captured when nothing was lost after libpcap).',
  );
  return rows;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--generate') {
    const g = await generate(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5] ?? '0'));
    process.stdout.write(JSON.stringify(g) + '\n', () => process.exit(0));
    return;
  }
  await captureBench();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
