// `wireladder capture`: lists interfaces (-D) or captures live to a pcapng file through the capture
// helper process, like dumpcap: a live packet count on stderr, Ctrl+C stops cleanly with a valid file.

import { resolve } from 'node:path';
import { isOrdinaryEnd, listInterfaces, startCapture, type CaptureEnd } from '../../core/capture/capture-client';
import { CaptureError } from '../../core/capture/errors';
import type { CaptureEndReason, CaptureRequest, InterfaceInfo } from '../../core/capture/protocol';
import { temporaryCapturePath } from '../../core/service/capture-service';
import { UsageError, parseArgs, single } from '../args';
import type { CliIo } from '../main';

const USAGE = [
  'usage: wireladder capture -D [--json]',
  '       wireladder capture -i IFACE [-f BPF] [-c N] [-a duration:S|filesize:KB|packets:N] [-s SNAPLEN] [-B MiB] [-p] [-q] [-w OUT.pcapng] [--overwrite]',
].join('\n');

const spec = {
  '-D': { alias: '--list-interfaces' },
  '--json': {},
  '-i': { value: true, alias: '--interface' },
  '-f': { value: true },
  '-c': { value: true },
  '-a': { value: true, alias: '--autostop' },
  '-s': { value: true, alias: '--snapshot-length' },
  '-B': { value: true, alias: '--buffer-size' },
  '-w': { value: true },
  '-p': { alias: '--no-promiscuous-mode' },
  '-q': {},
  '--overwrite': {},
  '-h': { alias: '--help' },
} as const;

export async function captureCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.flags.has('-h')) {
    io.out(USAGE);
    return 0;
  }
  try {
    if (args.flags.has('-D')) return await listCommand(io, args.flags.has('--json'));
    const iface = single(args, '-i');
    if (iface === undefined) throw new UsageError(`capture needs an interface (-i)\n${USAGE}`);
    return await captureLive(await requestFrom(args, iface), io, args.flags.has('-q'));
  } catch (err) {
    if (err instanceof CaptureError) {
      io.err(`wireladder: ${err.reason}`);
      if (err.fix !== null) io.err(err.fix);
      return 1;
    }
    throw err;
  }
}

async function listCommand(io: CliIo, json: boolean): Promise<number> {
  const list = await listInterfaces();
  if (json) {
    io.out(JSON.stringify(list, null, 2));
    return 0;
  }
  list.forEach((i, n) => io.out(formatInterface(i, n + 1)));
  return 0;
}

/** One line per interface, as `tshark -D` prints it, with state and addresses after it. */
export function formatInterface(i: InterfaceInfo, n: number): string {
  const description = i.description !== '' ? i.description : i.loopback ? 'Loopback' : '';
  const flags = [i.up ? 'up' : 'down', ...(i.loopback ? ['loopback'] : [])].join(', ');
  const addresses = i.addresses.length > 0 ? `  ${i.addresses.join(', ')}` : '';
  return `${n}. ${i.name}${description === '' ? '' : ` (${description})`}  [${flags}]${addresses}`;
}

function count(text: string, what: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) throw new UsageError(`${what} must be a whole number above 0, got '${text}'`);
  return Number(text);
}

async function requestFrom(args: ReturnType<typeof parseArgs>, ifaceArg: string): Promise<CaptureRequest> {
  let iface = ifaceArg;
  if (/^\d+$/.test(iface)) {
    // `-i 3`, as tshark accepts: the third interface of `capture -D` (unless one is named "3").
    const list = await listInterfaces();
    if (!list.some((i) => i.name === iface)) {
      const picked = list[Number(iface) - 1];
      if (picked === undefined) throw new UsageError(`there is no interface number ${iface} (wireladder capture -D lists ${list.length})`);
      iface = picked.name;
    }
  }
  let stopAfterPackets: number | null = null;
  let stopAfterSeconds: number | null = null;
  let stopAfterBytes: number | null = null;
  const c = single(args, '-c');
  if (c !== undefined) stopAfterPackets = count(c, '-c');
  for (const cond of args.values.get('-a') ?? []) {
    const m = /^(duration|filesize|packets):(.+)$/.exec(cond);
    if (m === null) throw new UsageError(`-a takes duration:SECONDS, filesize:KB or packets:N, got '${cond}'`);
    const v = count(m[2]!, `-a ${m[1]}`);
    if (m[1] === 'duration') stopAfterSeconds = v;
    else if (m[1] === 'filesize') stopAfterBytes = v * 1000; // kB as dumpcap counts them
    else stopAfterPackets = v;
  }
  const s = single(args, '-s');
  // -s 0 means "the default", as in tcpdump.
  const snaplen = s === undefined || s === '0' ? 262_144 : Math.min(262_144, count(s, '-s'));
  const b = single(args, '-B');
  const out = single(args, '-w');
  return {
    interface: iface,
    filter: (single(args, '-f') ?? '').trim(),
    snaplen,
    promiscuous: !args.flags.has('-p'),
    stopAfterPackets,
    stopAfterSeconds,
    stopAfterBytes,
    path: out === undefined ? temporaryCapturePath(iface) : resolve(out),
    overwrite: args.flags.has('--overwrite'),
    bufferSize: b === undefined ? null : count(b, '-B') * 1024 * 1024,
  };
}

const ENDS: Record<CaptureEndReason, string> = {
  failed: 'the capture could not start',
  stopped: 'stopped',
  'packet-count': 'packet count reached',
  duration: 'duration reached',
  'file-size': 'file size reached',
  'parent-gone': 'stopped',
  'interface-gone': 'the interface went away',
  'disk-full': 'the disk is full',
  'write-error': 'the file could not be written',
  crashed: 'the capture process failed',
  killed: 'the capture process was killed',
};

async function captureLive(req: CaptureRequest, io: CliIo, quiet: boolean): Promise<number> {
  const run = startCapture(req);
  // Ctrl+C reaches the helper too (same process group) and it stops itself; a signal sent to this
  // process alone is passed on. A second one kills the helper (its file is closed here).
  let interrupts = 0;
  const onSignal = (): void => {
    if (++interrupts === 1) void run.stop();
    else run.kill();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const started = await run.started;
    for (const w of started.warnings) io.err(`wireladder: warning: ${w}`);
    const label = `Capturing on '${started.interface}'${started.filter !== '' ? ` (${started.filter})` : ''} …`;
    let shown = -1;
    let last = 0;
    const show = (packets: number, force: boolean): void => {
      const now = Date.now();
      if (quiet || packets === shown || (!force && now - last < 200)) return;
      shown = packets;
      last = now;
      process.stderr.write(`\r${label} ${packets.toLocaleString('en-US')} packets`);
    };
    // Like tshark -q: the line that says capture has begun stays; only the running count goes.
    if (quiet) process.stderr.write(`${label}\n`);
    show(0, true);
    const off = run.onStats((s) => show(s.written, false));
    const end = await run.ended;
    off();
    show(end.stats.written, true);
    if (!quiet) process.stderr.write('\n');
    return report(end, run.path, io);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function report(end: CaptureEnd, path: string, io: CliIo): number {
  const s = end.stats;
  const kb = (s.bytesWritten / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 });
  // null: libpcap could not tell (no pcap_stats reading; an interface without drop counters).
  const drops = (n: number | null): string => (n === null ? 'unknown' : n.toLocaleString('en-US'));
  io.err(`${s.written.toLocaleString('en-US')} packets (${kb} kB) written to ${end.repaired === null ? '' : 'and closed in '}${path}; ${ENDS[end.reason]}`);
  io.err(`received ${s.received.toLocaleString('en-US')}; dropped by the kernel: ${drops(s.droppedByKernel)}; dropped by the interface: ${drops(s.droppedByInterface)}`);
  if (isOrdinaryEnd(end.reason)) return 0;
  if (end.message !== null) io.err(`wireladder: ${end.message}`);
  return 1;
}
