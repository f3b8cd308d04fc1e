// The parent's side of the capture process: finds and starts the capture helper, follows its
// messages, stops it, and when it dies without closing its file, closes the file for it.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repairCaptureFile, type RepairResult } from './capture-file';
import { HELPER_DIR, HELPER_NAME } from './helper-location';
import { CaptureError } from './errors';
import { kernelInterfaceExists } from './interface-state';
import {
  emptyStats,
  type CaptureEndReason,
  type CaptureFailure,
  type CaptureMessage,
  type CaptureRequest,
  type CaptureStats,
  type InterfaceInfo,
} from './protocol';

/** How to run the capture program: which executable, with which leading arguments, in which environment. */
export interface CaptureProgram {
  /** The dedicated helper executable, or Node.js running the helper script (source checkouts). */
  command: string;
  /** Arguments before the program's own: the script, when `command` is Node.js. */
  args: string[];
  env: NodeJS.ProcessEnv;
}

const SCRIPT = 'capture-process.js';

/**
 * The capture program to run, in this order: `helper` (the packaged app passes its own,
 * resources/capture-helper), WIRELADDER_CAPTURE_HELPER (tests, packagers), the dedicated helper of
 * this build (out/capture-helper, made by `npm run build`), and only outside Electron, where Node.js
 * is what runs this code, the helper script. The app itself never runs as the capture program:
 * its RunAsNode fuse is off.
 */
export function captureProgram(helper?: string): CaptureProgram {
  const here = dirname(fileURLToPath(import.meta.url));
  const env: NodeJS.ProcessEnv = { ...process.env };
  const executables = [helper, process.env.WIRELADDER_CAPTURE_HELPER, join(here, '..', HELPER_DIR, HELPER_NAME), join(here, '..', '..', '..', 'out', HELPER_DIR, HELPER_NAME)].filter(
    (p): p is string => typeof p === 'string' && p !== '',
  );
  const executable = executables.find((p) => existsSync(p));
  if (executable !== undefined) return { command: executable, args: [], env };
  const scripts = [join(here, SCRIPT), join(here, '..', 'engine', SCRIPT), join(here, '..', '..', '..', 'out', 'engine', SCRIPT)];
  const script = process.versions.electron === undefined ? scripts.find((p) => existsSync(p)) : undefined;
  if (script === undefined) {
    throw new CaptureError({
      code: 'failed',
      reason: `the capture helper (${HELPER_NAME}) is missing`,
      fix: 'Build it with `npm run build` (it goes to out/capture-helper), or reinstall WireLadder.',
      detail: `looked for ${executables.join(', ')}`,
    });
  }
  return { command: process.execPath, args: [script], env };
}

/** libpcap's "pcap_lookupnet failed" chatter from `cap`, which says nothing to the user. */
const NOISE = /This may not actually work/;

function runHelper(args: string[], program: CaptureProgram, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(program.command, [...program.args, ...args], { env: program.env, timeout: timeoutMs, maxBuffer: 4 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      let parsed: unknown;
      try {
        parsed = line === '' ? null : JSON.parse(line);
      } catch {
        parsed = null;
      }
      if (parsed !== null) {
        resolve(parsed);
        return;
      }
      const why = stderr.split('\n').filter((l) => l.trim() !== '' && !NOISE.test(l)).slice(-3).join(' ');
      reject(new CaptureError({ code: 'failed', reason: `the capture helper failed${err === null ? '' : `: ${err.message.split('\n')[0]}`}`, fix: null, detail: why || null }));
    });
  });
}

function failureOf(value: unknown): CaptureFailure | null {
  if (value === null || typeof value !== 'object' || !('failure' in value)) return null;
  const f = (value as { failure: unknown }).failure;
  return f !== null && typeof f === 'object' ? (f as CaptureFailure) : null;
}

/** The interfaces libpcap can capture on (the helper asks; the engine never loads libpcap). */
export async function listInterfaces(program: CaptureProgram = captureProgram()): Promise<InterfaceInfo[]> {
  const out = await runHelper(['--list'], program, 15_000);
  if (Array.isArray(out)) return out as InterfaceInfo[];
  const f = failureOf(out);
  throw new CaptureError(f ?? { code: 'failed', reason: 'the capture helper could not list the interfaces', fix: null, detail: null });
}

/** Null when libpcap compiles `filter` for `iface`; otherwise what is wrong, in one line. */
export async function checkFilter(iface: string, filter: string, program: CaptureProgram = captureProgram()): Promise<string | null> {
  if (filter.trim() === '') return null;
  const out = (await runHelper(['--check-filter', iface, filter], program, 15_000)) as { error?: unknown };
  return typeof out.error === 'string' ? out.error : null;
}

/** What the capture process reported on starting (its `started` message). */
export type Started = Omit<Extract<CaptureMessage, { type: 'started' }>, 'type'>;

export interface CaptureEnd {
  reason: CaptureEndReason;
  /** What the user should know about the end (null for an ordinary stop). */
  message: string | null;
  stats: CaptureStats;
  /** A failure to start (started rejected with it). */
  failure: CaptureFailure | null;
  exitCode: number | null;
  signal: string | null;
  /** Set when the helper died and its file was closed here. */
  repaired: RepairResult | null;
}

/** Reasons that are not a problem: the capture ended because it was asked to. */
export function isOrdinaryEnd(reason: CaptureEndReason): boolean {
  return reason === 'stopped' || reason === 'packet-count' || reason === 'duration' || reason === 'file-size' || reason === 'parent-gone';
}

/** Seconds a stop request gets before SIGTERM, and SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 3000;

/** One running capture helper. */
export class CaptureRun {
  readonly path: string;
  readonly started: Promise<Started>;
  readonly ended: Promise<CaptureEnd>;
  info: Started | null = null;
  stats: CaptureStats = emptyStats();
  end: CaptureEnd | null = null;
  private readonly child: ChildProcess;
  private readonly listeners = new Set<(s: CaptureStats) => void>();
  private endMessage: Extract<CaptureMessage, { type: 'ended' }> | null = null;
  private failure: CaptureFailure | null = null;
  private stderrTail = '';
  private stopTimers: NodeJS.Timeout[] = [];
  /** The interface was a kernel interface when the capture started (libpcap's 'any' is not). */
  private kernelInterface = false;

  constructor(
    readonly request: CaptureRequest,
    program: CaptureProgram = captureProgram(),
  ) {
    this.path = request.path;
    // spawn with an 'ipc' channel, not fork: the dedicated helper is not Node.js taking a script.
    this.child = spawn(program.command, [...program.args, '--capture', JSON.stringify(request)], {
      env: program.env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (d: string) => {
      this.stderrTail = (this.stderrTail + d).slice(-4096);
    });
    let onStarted!: (s: Started) => void;
    let onFailed!: (e: Error) => void;
    this.started = new Promise<Started>((resolve, reject) => {
      onStarted = resolve;
      onFailed = reject;
    });
    // Callers that only await `ended` must not see an unhandled rejection.
    this.started.catch(() => undefined);
    this.ended = new Promise<CaptureEnd>((resolve) => {
      this.child.on('message', (m: CaptureMessage) => {
        if (m.type === 'started') {
          const { type: _type, ...info } = m;
          this.info = info;
          this.kernelInterface = kernelInterfaceExists(info.interface) === true;
          onStarted(info);
        } else if (m.type === 'stats') {
          this.stats = m.stats;
          for (const fn of this.listeners) fn(m.stats);
        } else if (m.type === 'ended') {
          this.endMessage = m;
          this.stats = m.stats;
        } else if (m.type === 'failed') {
          this.failure = m.failure;
        }
      });
      const settle = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.end !== null) return;
        for (const t of this.stopTimers) clearTimeout(t);
        const end = this.finish(code, signal);
        this.end = end;
        if (this.info === null) onFailed(new CaptureError(end.failure ?? { code: 'failed', reason: end.message ?? 'the capture helper ended before starting', fix: null, detail: null }));
        for (const fn of this.listeners) fn(end.stats);
        resolve(end);
      };
      this.child.on('error', (err) => {
        this.failure ??= { code: 'failed', reason: `the capture helper could not run: ${err.message}`, fix: null, detail: null };
        // A helper that never started emits no 'close'.
        if (this.child.pid === undefined) settle(null, null);
      });
      // 'close', not 'exit': it comes after the last message the helper sent has been read.
      this.child.on('close', settle);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.end === null;
  }

  /** Called with the statistics about ten times a second, and once more at the end. */
  onStats(fn: (s: CaptureStats) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Asks the helper to stop (it writes the statistics block and closes the file); escalates if it hangs. */
  stop(): Promise<CaptureEnd> {
    if (this.end !== null) return this.ended;
    if (this.stopTimers.length === 0) {
      if (this.child.connected) this.child.send({ type: 'stop' }, () => undefined);
      else this.child.kill('SIGTERM');
      this.stopTimers.push(
        setTimeout(() => this.child.kill('SIGTERM'), STOP_GRACE_MS),
        setTimeout(() => this.child.kill('SIGKILL'), 2 * STOP_GRACE_MS),
      );
    }
    return this.ended;
  }

  /** Kills the helper outright (its file is closed here afterwards). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal);
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): CaptureEnd {
    const base = { stats: this.stats, exitCode: code, signal, repaired: null };
    if (this.endMessage !== null) {
      const m = this.endMessage;
      return { ...base, reason: m.reason, message: m.message, stats: m.stats, failure: null };
    }
    if (this.info === null) {
      const why = this.stderrTail.split('\n').filter((l) => l.trim() !== '' && !NOISE.test(l)).slice(-3).join(' ');
      const failure = this.failure ?? {
        code: 'failed' as const,
        reason: `the capture helper ended before starting (${signal ?? `exit code ${code}`})`,
        fix: null,
        detail: why || null,
      };
      return { ...base, reason: 'failed', message: failure.reason, failure };
    }
    // The helper died without closing its file (killed, crashed, or its interface vanished under
    // libpcap): the file is whole blocks up to its last write; close it properly here.
    const iface = this.info.interface;
    let reason: CaptureEndReason;
    let message: string;
    if (this.kernelInterface && kernelInterfaceExists(iface) === false) {
      reason = 'interface-gone';
      message = `interface '${iface}' went away; the capture stopped and the file keeps every packet captured before`;
    } else if (signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT') {
      reason = 'killed';
      message = `the capture process was killed (${signal}); the file keeps every packet written before`;
    } else {
      reason = 'crashed';
      const why = this.failure?.reason ?? this.stderrTail.split('\n').filter((l) => l.trim() !== '' && !NOISE.test(l)).slice(-2).join(' ');
      message = `the capture process ended unexpectedly (${signal ?? `exit code ${code}`}${why ? `: ${why}` : ''}); the file keeps every packet written before`;
    }
    let repaired: RepairResult | null = null;
    const last = this.stats;
    try {
      repaired = repairCaptureFile(this.path, 0, (packets) => ({
        received: null,
        droppedByInterface: last.droppedByInterface,
        droppedByOs: last.droppedByKernel,
        acceptedByFilter: null,
        delivered: packets,
      }));
    } catch (err) {
      message += ` (closing the file failed: ${err instanceof Error ? err.message : String(err)})`;
    }
    const stats: CaptureStats =
      repaired === null ? last : { ...last, written: repaired.packets, received: Math.max(last.received, repaired.packets), bytesWritten: repaired.size, bytesCommitted: repaired.size };
    return { ...base, reason, message, stats, failure: null, repaired };
  }
}

export function startCapture(request: CaptureRequest, program?: CaptureProgram): CaptureRun {
  return new CaptureRun(request, program);
}
