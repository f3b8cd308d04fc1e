// The capture program: the one program that opens a capture device (libpcap through `cap`, patched by
// patches/cap+0.2.1.patch for the snap length, promiscuous mode, wire lengths and pcap_stats). It writes
// every packet to a pcapng file as it goes and reports to its parent over IPC, as dumpcap does for
// Wireshark, so the engine and the UI never open a device and never need privileges. It runs as the
// dedicated helper executable (capture-helper.ts), or as a script under Node (capture-process.ts).
//
//   HELPER --list                          interfaces, JSON on stdout
//   HELPER --check-filter IFACE FILTER     {"error": null | "…"} on stdout
//   HELPER --capture REQUEST_JSON          capture; messages over IPC (JSON lines on stdout without it)

import { closeSync, fsyncSync, openSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { PcapngWriter, type PacketOptions } from '../io/pcapng-writer';
import { BatchFile } from './batch-file';
import { statisticsBlock } from './capture-file';
import { CaptureError, deviceFailure, fileFailure, filterFailure, libraryMissing, looksLikeDeviceError, type OpenErrorContext } from './errors';
import { goneCheck, interfaceCounters, interfaceUp, type InterfaceCounters } from './interface-state';
import { linkTypeFromCap, wireLength } from './link';
import {
  CAP_SNAPLEN,
  CAPTURE_TSRESOL,
  MAX_SNAPLEN,
  type CaptureCommand,
  type CaptureEndReason,
  type CaptureFailure,
  type CaptureMessage,
  type CaptureRequest,
  type CaptureStats,
  type InterfaceInfo,
} from './protocol';

/** The parts of `cap` (node_modules/cap/src/binding.cc, with patches/cap+0.2.1.patch) used here. */
interface CapDevice {
  name: string;
  description?: string;
  addresses: { addr?: string }[];
  flags?: string;
}
/** pcap_stats: ps_recv, ps_drop, ps_ifdrop (32-bit counters in libpcap). */
interface PcapStats {
  received: number;
  dropped: number;
  ifDropped: number;
}
interface CapHandle {
  /** snaplen and promisc are the patch's; an unpatched build ignores them (65,535, always promiscuous). */
  open(device: string, filter: string, bufSize: number, buffer: Buffer, snaplen?: number, promisc?: boolean): string;
  close(): boolean;
  /** The patch's: pcap_stats while the device is open; throws libpcap's error. */
  stats?: () => PcapStats;
  /** The patch's: decimal digits of the timestamp fraction packets carry (9: ns, 6: µs). */
  tsPrecision?: () => number;
  /**
   * The patch's extra arguments: `wirelen`, the packet's length on the wire, and libpcap's
   * timestamp (the kernel's): seconds and the fraction in tsPrecision()'s unit.
   */
  on(event: 'packet', fn: (nbytes: number, truncated: boolean, wirelen?: number, tsSec?: number, tsFrac?: number) => void): void;
}
export interface CapModule {
  Cap: { new (): CapHandle; prototype: CapHandle; deviceList(): CapDevice[] };
}

/** What differs between the helper executable and the script: how `cap` loads, and who it is. */
export interface ProgramHost {
  /** Loads the `cap` module (throws when it cannot). */
  loadCap(): CapModule;
  /** The dedicated helper executable: the one program a permission fix may name. */
  helper: string;
}

let host: ProgramHost | null = null;

/** Whether `cap` was built with our patch (postinstall rebuilds it; a stale build may lack it). */
function capPatched(cap: CapModule): boolean {
  return typeof cap.Cap.prototype.stats === 'function';
}

/**
 * `cap` writes each packet from C++ into the Buffer given to open() and never holds a reference to
 * it: a Buffer the garbage collector frees while the device is open corrupts the heap. Every buffer
 * and handle given to `cap` stays here until the process exits (a handle whose open() failed must
 * never be closed or collected either: its poll handle was never initialised).
 */
const pinned: unknown[] = [];

function loadCap(): CapModule {
  try {
    return host!.loadCap();
  } catch (err) {
    throw new CaptureError(libraryMissing(process.platform, errorText(err)));
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function listDevices(cap: CapModule): InterfaceInfo[] {
  return cap.Cap.deviceList().map((d) => ({
    name: d.name,
    description: d.description ?? '',
    addresses: d.addresses.map((a) => a.addr).filter((a): a is string => typeof a === 'string' && a !== ''),
    loopback: (d.flags ?? '').includes('LOOPBACK'),
    // libpcap's pseudo-devices (any, nflog…) have no kernel state: usable, so "up".
    up: interfaceUp(d.name) ?? true,
  }));
}

function openContext(cap: CapModule, iface: string): OpenErrorContext {
  return {
    interface: iface,
    platform: process.platform,
    program: host!.helper,
    available: () => cap.Cap.deviceList().map((d) => d.name),
  };
}

interface OpenOptions {
  filter: string;
  bufferSize: number;
  /** Receives each packet; at least `snaplen` bytes. */
  buffer: Buffer;
  snaplen: number;
  promiscuous: boolean;
}

/** Opens `iface`, or throws a CaptureError saying whether the device or the filter is at fault. */
function openDevice(cap: CapModule, iface: string, o: OpenOptions): { handle: CapHandle; linkName: string } {
  const { filter, buffer } = o;
  const handle = new cap.Cap();
  pinned.push(handle, buffer);
  try {
    return { handle, linkName: handle.open(iface, filter, o.bufferSize, buffer, o.snaplen, o.promiscuous) };
  } catch (err) {
    const message = errorText(err);
    const ctx = openContext(cap, iface);
    if (filter.trim() === '' || looksLikeDeviceError(message)) throw new CaptureError(deviceFailure(message, ctx));
    // libpcap compiles the filter after activating the device: open it bare to tell which failed.
    const probe = new cap.Cap();
    const probeBuffer = Buffer.alloc(CAP_SNAPLEN + 1);
    pinned.push(probe, probeBuffer);
    try {
      probe.open(iface, '', 1 << 20, probeBuffer, CAP_SNAPLEN, o.promiscuous);
    } catch (bare) {
      throw new CaptureError(deviceFailure(errorText(bare), ctx));
    }
    probe.close();
    throw new CaptureError(filterFailure(filter, message));
  }
}

/** The filter's error, or null when libpcap compiles it for `iface`. */
function checkFilter(cap: CapModule, iface: string, filter: string): CaptureFailure | null {
  if (filter.trim() === '') return null;
  try {
    // Not promiscuous: checking a filter need not change the interface's mode.
    const { handle } = openDevice(cap, iface, { filter, bufferSize: 1 << 20, buffer: Buffer.alloc(CAP_SNAPLEN + 1), snaplen: CAP_SNAPLEN, promiscuous: false });
    handle.close();
    return null;
  } catch (err) {
    if (err instanceof CaptureError) return err.toFailure();
    throw err;
  }
}

/**
 * The libpcap buffer. `cap` asks for immediate delivery, so Linux uses a TPACKET_V2 ring of
 * fixed-size frames, and with segmentation offloads (loopback, most NICs) every frame is 64 KiB:
 * 128 MiB holds about 2,000 packets, 40 ms of a 50,000 packets/s burst while the helper is not
 * scheduled. Larger rings cost startup time (the kernel allocates them: ~0.5 s for 256 MiB).
 */
const DEFAULT_BUFFER_SIZE = 128 * 1024 * 1024;

type Send = (msg: CaptureMessage, then?: () => void) => void;

function sender(): Send {
  return (msg, then) => {
    if (process.send !== undefined && process.connected) {
      process.send(msg, undefined, {}, () => then?.());
      return;
    }
    process.stdout.write(JSON.stringify(msg) + '\n', () => then?.());
  };
}

const STATS_EVERY_MS = 100;
const FLUSH_EVERY_MS = 50;

/** One capture: device → pcapng file, until a stop condition, a stop request or a failure. */
class Capture {
  private readonly buffer: Buffer;
  private readonly snaplen: number;
  private readonly patched: boolean;
  private handle: CapHandle | null = null;
  private deviceOpen = false;
  /** The last pcap_stats reading (kept when a later one fails, e.g. the interface went away). */
  private pcap: PcapStats | null = null;
  private file: BatchFile | null = null;
  private writer: PcapngWriter | null = null;
  private linkType = 1;
  private received = 0;
  private stopping = false;
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private lastTick = 0;
  private readonly baseMicros = Date.now() * 1000;
  private readonly perf0 = performance.now();
  /** Nanoseconds per unit of libpcap's timestamp fraction (1 or 1000); 0 when cap gives none. */
  private tsScale = 0;
  private counters0: InterfaceCounters | null = null;
  private gone: (() => boolean) | null = null;
  private readonly packet: PacketOptions = { iface: 0, tsSec: 0, tsNsec: 0, data: new Uint8Array(0), wirelen: 0, comments: null, flags: null };
  private readonly maxPackets: number;
  private readonly maxBytes: number;
  private readonly maxMillis: number;

  constructor(
    private readonly cap: CapModule,
    private readonly req: CaptureRequest,
    private readonly send: Send,
  ) {
    this.patched = capPatched(cap);
    // An unpatched `cap` captures 65,535 bytes and the snap length is applied here.
    this.snaplen = Math.min(req.snaplen, this.patched ? MAX_SNAPLEN : CAP_SNAPLEN);
    this.buffer = Buffer.alloc(this.patched ? this.snaplen : CAP_SNAPLEN + 1);
    pinned.push(this.buffer);
    this.maxPackets = req.stopAfterPackets ?? Number.POSITIVE_INFINITY;
    this.maxBytes = req.stopAfterBytes ?? Number.POSITIVE_INFINITY;
    this.maxMillis = req.stopAfterSeconds === null ? Number.POSITIVE_INFINITY : req.stopAfterSeconds * 1000;
  }

  start(): void {
    const req = this.req;
    const bufferSize = req.bufferSize ?? DEFAULT_BUFFER_SIZE;
    // Before the device opens, so that its packets are all counted after this.
    this.counters0 = interfaceCounters(req.interface);
    // The device first: a permission or filter problem must not leave (or truncate) a file.
    const { handle, linkName } = openDevice(this.cap, req.interface, { filter: req.filter, bufferSize, buffer: this.buffer, snaplen: this.snaplen, promiscuous: req.promiscuous });
    this.handle = handle;
    this.deviceOpen = true;
    this.linkType = linkTypeFromCap(linkName);
    if (handle.tsPrecision !== undefined) this.tsScale = handle.tsPrecision() === 9 ? 1 : 1000;
    let fd: number;
    try {
      // 0600: what crosses an interface is nobody else's business (dumpcap creates its files so too).
      fd = openSync(req.path, req.overwrite ? 'w' : 'wx', 0o600);
    } catch (err) {
      handle.close();
      throw new CaptureError(fileFailure(req.path, err as NodeJS.ErrnoException, 0));
    }
    const file = new BatchFile(fd);
    this.file = file;
    const writer = new PcapngWriter(file.append);
    this.writer = writer;
    const osName = `${os.type()} ${os.release()}`;
    writer.writeSectionHeader({
      hardware: os.cpus()[0]?.model ?? os.arch(),
      os: osName,
      application: 'WireLadder capture helper (libpcap through cap)',
      comments: [
        this.tsScale === 1
          ? "Timestamps are the kernel's, as libpcap delivers them, to the nanosecond."
          : this.tsScale === 1000
            ? "Timestamps are the kernel's, as libpcap delivers them, to the microsecond."
            : 'Timestamps were taken by the capture helper as each packet arrived (this build of the capture library does not pass the kernel timestamps), to the microsecond.',
      ],
    });
    writer.addInterface({ linkType: this.linkType, snaplen: this.snaplen, name: req.interface, filter: req.filter === '' ? null : req.filter, os: osName, tsresol: CAPTURE_TSRESOL });
    if (!file.flush()) {
      handle.close();
      closeFile(fd);
      tryUnlink(req.path);
      throw new CaptureError(fileFailure(req.path, file.error!, 0));
    }
    this.gone = goneCheck(req.interface);
    handle.on('packet', this.onPacket);
    this.lastTick = performance.now();
    this.timer = setInterval(this.tick, FLUSH_EVERY_MS);
    const warnings: string[] = [];
    if (!this.patched) {
      // A build from before the patch: snap lengths above 65,535 are recorded as the 65,535 libpcap
      // used (only loopback and offloaded segments are longer, and keep their wire length).
      const what = req.promiscuous ? 'drop counts are unknown' : 'promiscuous mode cannot be turned off and drop counts are unknown';
      warnings.push(`the capture library (cap) was built without WireLadder's patch, so ${what}: reinstall with \`npm ci\``);
    }
    this.send({
      type: 'started',
      interface: req.interface,
      filter: req.filter,
      path: req.path,
      linkType: this.linkType,
      snaplen: this.snaplen,
      bufferSize,
      pid: process.pid,
      warnings,
    });
  }

  /** The hot path: one call per packet from `cap`, which has copied it into `buffer`. */
  private readonly onPacket = (nbytes: number, _truncated: boolean, wirelen?: number, tsSec?: number, tsFrac?: number): void => {
    if (this.stopping) return;
    this.received++;
    const p = this.packet;
    if (tsSec !== undefined && tsFrac !== undefined && this.tsScale !== 0) {
      // The kernel's timestamp (libpcap's header): RTTs in the file are the wire's, not the
      // helper's scheduling.
      p.tsSec = tsSec;
      p.tsNsec = tsFrac * this.tsScale;
    } else {
      const us = this.baseMicros + Math.round((performance.now() - this.perf0) * 1000);
      const sec = Math.floor(us / 1e6);
      p.tsSec = sec;
      p.tsNsec = (us - sec * 1e6) * 1000;
    }
    const caplen = nbytes < this.snaplen ? nbytes : this.snaplen;
    if (wirelen !== undefined) p.wirelen = wirelen > caplen ? wirelen : caplen;
    else p.wirelen = nbytes >= CAP_SNAPLEN ? wireLength(this.linkType, this.buffer, nbytes) : nbytes;
    p.data = this.buffer.subarray(0, caplen);
    this.writer!.writePacket(p);
    const file = this.file!;
    if (file.error !== null) this.stop(writeEnd(file.error));
    else if (this.received >= this.maxPackets) this.stop('packet-count');
    else if (file.size >= this.maxBytes) this.stop('file-size');
    else if ((this.received & 1023) === 0 && performance.now() - this.lastTick > 4 * STATS_EVERY_MS) {
      // The device keeps `cap` busy and timers wait: keep the file and the parent up to date anyway.
      this.tick();
    }
  };

  private readonly tick = (): void => {
    if (this.stopping) return;
    this.lastTick = performance.now();
    const file = this.file!;
    if (!file.flush()) {
      this.stop(writeEnd(file.error!));
      return;
    }
    if (this.lastTick - this.perf0 >= this.maxMillis) {
      this.stop('duration');
      return;
    }
    if (this.gone !== null && this.gone()) {
      this.stop('interface-gone');
      return;
    }
    if (++this.ticks % (STATS_EVERY_MS / FLUSH_EVERY_MS) === 0) this.send({ type: 'stats', stats: this.stats() });
  };

  private packetsInFile(): number {
    // Two blocks precede the packets: the section header and the interface description.
    return Math.max(0, this.file!.committedBlocks - 2);
  }

  /** pcap_stats now while the device is open, else the last reading; null if there never was one. */
  private pcapStats(): PcapStats | null {
    const handle = this.handle;
    if (this.deviceOpen && handle?.stats !== undefined) {
      try {
        this.pcap = handle.stats();
      } catch {
        // pcap_stats failed (the interface went away, or the platform cannot tell): keep the last.
      }
    }
    return this.pcap;
  }

  stats(): CaptureStats {
    const now = interfaceCounters(this.req.interface);
    const c0 = this.counters0;
    const pcap = this.pcapStats();
    const cpu = process.cpuUsage();
    const file = this.file;
    let droppedByInterface: number | null = null;
    if (now !== null && c0 !== null) {
      // libpcap's Linux ps_ifdrop reads the same sysfs counters, but only in promiscuous mode.
      droppedByInterface = pcap !== null && this.req.promiscuous ? pcap.ifDropped : Math.max(0, now.dropped - c0.dropped);
    }
    return {
      received: this.received,
      written: file === null ? 0 : file.error === null ? this.received : this.packetsInFile(),
      bytesWritten: file === null ? 0 : file.size,
      bytesCommitted: file === null ? 0 : file.committed,
      droppedByKernel: pcap === null ? null : pcap.dropped,
      droppedByInterface,
      interfaceReceived: now !== null && c0 !== null ? Math.max(0, now.received - c0.received) : null,
      seconds: (performance.now() - this.perf0) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
  }

  /** Ends the capture: closes the device, writes the statistics block, syncs and closes the file. */
  stop(reason: CaptureEndReason, note: string | null = null): void {
    if (this.stopping) return;
    this.stopping = true;
    if (this.timer !== null) clearInterval(this.timer);
    // pcap_stats works only while the device is open: the final counts are read just before.
    this.pcapStats();
    this.deviceOpen = false;
    // Safe inside the packet callback: `cap` finishes the current dispatch, then closes.
    this.handle?.close();
    const file = this.file!;
    if (file.error === null) file.flush();
    // Counted before the statistics block is added: every packet block that reached the file.
    const packets = file.error === null ? this.received : this.packetsInFile();
    const stats = this.stats();
    let message = note;
    // pcapng §4.6: isb_ifdrop is what the interface dropped, isb_osdrop what the OS (the kernel's
    // capture buffer) dropped.
    const isb = statisticsBlock({
      received: stats.interfaceReceived ?? (this.req.filter === '' ? stats.received : null),
      droppedByInterface: stats.droppedByInterface,
      droppedByOs: stats.droppedByKernel,
      acceptedByFilter: stats.received,
      delivered: packets,
    });
    if (file.error === null) {
      file.append(isb);
      file.flush();
    } else {
      file.appendAfterError(isb);
    }
    if (file.error !== null) {
      const f = fileFailure(this.req.path, file.error, packets);
      message = f.fix === null ? f.reason : `${f.reason}. ${f.fix}`;
      if (reason !== 'disk-full') reason = f.code === 'disk-full' ? 'disk-full' : 'write-error';
    } else if (reason === 'interface-gone') {
      message = `interface '${this.req.interface}' went away; the capture stopped and the file keeps every packet captured before`;
    }
    closeFile(file.fd);
    const final = this.stats();
    final.written = packets;
    this.send({ type: 'ended', reason, message, stats: final }, () => process.exit(0));
    // If the parent is gone the callback may never come.
    setTimeout(() => process.exit(0), 2000).unref();
  }

  /** An unexpected exception: keep what was written, say what happened. */
  abort(err: unknown): void {
    // Even if closing fails too, do not linger holding the device.
    setTimeout(() => process.exit(1), 3000);
    this.stop('crashed', `the capture helper failed: ${errorText(err)}`);
  }
}

function writeEnd(err: NodeJS.ErrnoException): CaptureEndReason {
  return err.code === 'ENOSPC' || err.code === 'EDQUOT' || err.code === 'EFBIG' ? 'disk-full' : 'write-error';
}

function closeFile(fd: number): void {
  try {
    fsyncSync(fd);
  } catch {
    // A full disk can refuse the sync; every block written is already in the file.
  }
  closeSync(fd);
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // nothing to clean up
  }
}

function parseRequest(text: string | undefined): CaptureRequest {
  let r: Partial<CaptureRequest>;
  try {
    r = JSON.parse(text ?? '') as Partial<CaptureRequest>;
  } catch {
    throw new CaptureError({ code: 'bad-request', reason: 'the capture request is not valid JSON', fix: null, detail: null });
  }
  const bad = (what: string): never => {
    throw new CaptureError({ code: 'bad-request', reason: `the capture request has no valid ${what}`, fix: null, detail: null });
  };
  const count = (v: unknown, what: string): number | null => (v === null || v === undefined ? null : Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : bad(what));
  if (typeof r.interface !== 'string' || r.interface === '') bad('interface');
  if (typeof r.path !== 'string' || r.path === '') bad('path');
  if (!Number.isSafeInteger(r.snaplen) || r.snaplen! < 1 || r.snaplen! > MAX_SNAPLEN) bad('snaplen');
  return {
    interface: r.interface!,
    filter: typeof r.filter === 'string' ? r.filter : '',
    snaplen: r.snaplen!,
    promiscuous: r.promiscuous !== false,
    stopAfterPackets: count(r.stopAfterPackets, 'stopAfterPackets'),
    stopAfterSeconds: count(r.stopAfterSeconds, 'stopAfterSeconds'),
    stopAfterBytes: count(r.stopAfterBytes, 'stopAfterBytes'),
    path: r.path!,
    overwrite: r.overwrite === true,
    bufferSize: count(r.bufferSize, 'bufferSize'),
  };
}

function runCapture(requestJson: string | undefined): void {
  const send = sender();
  let capture: Capture;
  try {
    const req = parseRequest(requestJson);
    capture = new Capture(loadCap(), req, send);
    capture.start();
  } catch (err) {
    const failure: CaptureFailure = err instanceof CaptureError ? err.toFailure() : { code: 'failed', reason: `the capture could not start: ${errorText(err)}`, fix: null, detail: null };
    send({ type: 'failed', failure, stats: null }, () => process.exit(1));
    setTimeout(() => process.exit(1), 2000).unref();
    return;
  }
  const c = capture;
  const stop = (): void => c.stop('stopped');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  process.on('message', (m: CaptureCommand) => {
    if (m !== null && typeof m === 'object' && m.type === 'stop') stop();
  });
  // The engine or CLI that started us died: finish the file properly instead of capturing forever.
  process.on('disconnect', () => c.stop('parent-gone', 'the program that started the capture went away'));
  process.on('uncaughtException', (err) => c.abort(err));
}

function printJson(value: unknown, code: number): void {
  process.stdout.write(JSON.stringify(value) + '\n', () => process.exit(code));
}

/** Runs the program with its arguments (argv without the executable and script). */
export function runCaptureProgram(argv: string[], programHost: ProgramHost): void {
  host = programHost;
  const [mode, ...rest] = argv;
  try {
    if (mode === '--list') {
      printJson(listDevices(loadCap()), 0);
    } else if (mode === '--check-filter') {
      const failure = checkFilter(loadCap(), rest[0] ?? '', rest[1] ?? '');
      const error = failure === null ? null : failure.code === 'bad-filter' ? failure.reason : `cannot check the filter: ${failure.reason}`;
      printJson({ error, failure }, 0);
    } else if (mode === '--capture') {
      runCapture(rest[0]);
    } else {
      process.stderr.write('usage: wireladder-capture --list | --check-filter IFACE FILTER | --capture REQUEST_JSON\n');
      process.exitCode = 2;
    }
  } catch (err) {
    const failure: CaptureFailure = err instanceof CaptureError ? err.toFailure() : { code: 'failed', reason: errorText(err), fix: null, detail: null };
    printJson({ error: failure.reason, failure }, 1);
  }
}
