// Live capture for the engine service: the requests of the contract (listInterfaces,
// interfaceCounters, checkCaptureFilter, startCapture, stopCapture). EngineService delegates to
// these; the capture itself runs in the capture helper process, and a LiveSession follows its file.

import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { checkFilter, listInterfaces as listCaptureInterfaces, startCapture as startCaptureRun, type CaptureProgram } from '../capture/capture-client';
import { trafficCounters } from '../capture/interface-state';
import { removeStaleRunDirectories, runDirectory } from '../io/private-temp';
import type { AnalyzerOptions } from '../engine/analyzer';
import type { CaptureOptionsDto, EngineEvents, InterfaceCountersDto, InterfaceDto, SessionInfo } from './dto';
import { LiveSession } from './live-session';
import type { CaptureSession } from './session';

export interface CaptureContext {
  sessions: Map<string, CaptureSession>;
  analyzerOptions: AnalyzerOptions;
  notify: (s: CaptureSession) => void;
  emitStats: (payload: EngineEvents['capture-stats']) => void;
  /** Tests and the packaged app: where temporary captures go, the helper to run, its libpcap buffer. */
  capture?: { directory?: string; program?: CaptureProgram; bufferSize?: number; pollMs?: number };
}

export async function listInterfaces(program?: CaptureProgram): Promise<InterfaceDto[]> {
  return (await listCaptureInterfaces(program)).map((i) => ({ name: i.name, description: i.description, addresses: i.addresses, loopback: i.loopback, up: i.up }));
}

/** Cumulative rx + tx counters per interface (Linux); an empty list where the OS does not say. */
export async function interfaceCounters(): Promise<InterfaceCountersDto[]> {
  return trafficCounters();
}

/** Answers of the filter check by interface and filter (the dialog checks as the user types). */
const filterChecks = new Map<string, string | null>();

export async function checkCaptureFilter(arg: { filter: string; interface: string }, program?: CaptureProgram): Promise<{ error: string | null }> {
  if (arg.filter.trim() === '') return { error: null };
  if (arg.interface === '') return { error: 'choose an interface to check the filter against' };
  const key = `${arg.interface}\0${arg.filter}`;
  const known = filterChecks.get(key);
  if (known !== undefined) return { error: known };
  const error = await checkFilter(arg.interface, arg.filter, program);
  // Only the filter's own verdict is kept: a device that could not be opened may be fixed meanwhile.
  if (error === null || error.startsWith('capture filter ')) {
    if (filterChecks.size >= 256) filterChecks.delete(filterChecks.keys().next().value!);
    filterChecks.set(key, error);
  }
  return { error };
}

let captureDir: string | null = null;

/**
 * This run's directory for temporary captures: $TMPDIR/wireladder-UID/capture-PID-…, 0700. On first
 * use, empty directories of runs that ended go; ones still holding a capture (the app crashed
 * before it could ask) are kept: nothing captured is deleted without asking.
 */
export function captureDirectory(): string {
  if (captureDir === null) {
    removeStaleRunDirectories('capture', { keepFiles: true });
    captureDir = runDirectory('capture');
  }
  return captureDir;
}

/** A new file for a capture, named the way Wireshark names its temporary captures. */
export function temporaryCapturePath(iface: string, directory = captureDirectory()): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
  const safe = iface.replace(/[^\w.-]+/g, '_').slice(0, 40) || 'if';
  return join(directory, `wireladder_${safe}_${stamp}_${randomBytes(4).toString('hex')}.pcapng`);
}

/**
 * Starts a capture and opens it as a live session. Resolves once the device is open and the file
 * has its header; rejects with the helper's explanation (permission and how to grant it, no such
 * interface, invalid capture filter…).
 */
export async function startCapture(arg: { options: CaptureOptionsDto }, ctx: CaptureContext): Promise<SessionInfo> {
  const o = arg.options;
  if (o.interface.trim() === '') throw new Error('choose an interface to capture on');
  const run = startCaptureRun(
    {
      interface: o.interface,
      filter: o.filter.trim(),
      snaplen: o.snaplen,
      promiscuous: o.promiscuous,
      stopAfterPackets: o.stopAfterPackets,
      stopAfterSeconds: o.stopAfterSeconds,
      stopAfterBytes: o.stopAfterBytes,
      path: temporaryCapturePath(o.interface, ctx.capture?.directory),
      overwrite: false,
      bufferSize: ctx.capture?.bufferSize ?? null,
    },
    ctx.capture?.program,
  );
  await run.started;
  const id = randomUUID();
  const session = new LiveSession(
    id,
    run,
    ctx.analyzerOptions,
    ctx.notify,
    (s, e) => ctx.emitStats({ session: s.id, ...e }),
    ctx.capture?.pollMs,
  );
  ctx.sessions.set(id, session);
  return session.info();
}

/** Stops a live capture; resolves with the session once it holds the whole finished file. */
export async function stopCapture(arg: { session: string }, ctx: CaptureContext): Promise<SessionInfo> {
  const s = ctx.sessions.get(arg.session);
  if (s === undefined) throw new Error(`no open capture with id ${arg.session}`);
  if (!(s instanceof LiveSession)) throw new Error(`${s.fileName} is a capture file, not a live capture`);
  return s.stopCapture();
}
