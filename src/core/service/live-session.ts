// A capture session that is still being written: it follows the capture helper's pcapng file as it
// grows (whole blocks only), so rows, conversations and ladders update while the capture runs, and
// when the capture ends it becomes an ordinary session over the finished file. That file is
// temporary (private, in this run's capture directory): it goes when the session closes.

import { closeSync, fstatSync, openSync, readSync, rm } from 'node:fs';
import { wholeBlocks } from '../capture/capture-file';
import { isOrdinaryEnd, type CaptureRun } from '../capture/capture-client';
import type { CaptureStats } from '../capture/protocol';
import type { AnalyzerOptions } from '../engine/analyzer';
import { MemoryGuard, memoryStopMessage } from '../util/memory-guard';
import { ChunkFeeder } from '../io/capture-reader';
import { RecordStore } from '../io/record-store';
import type { CaptureStatsDto, SessionInfo } from './dto';
import { CaptureSession, type LoadContext, type SessionLoader } from './session';

/** How often the file is checked for new blocks (the UI sees at least five updates a second). */
export const FOLLOW_INTERVAL_MS = 100;
const CHUNK = 4 * 1024 * 1024;

export interface LiveStatsEvent {
  stats: CaptureStatsDto;
  running: boolean;
  /** Why the capture ended, when that is something to tell the user (disk full, interface gone…). */
  error: string | null;
}

export function statsDto(s: CaptureStats): CaptureStatsDto {
  return {
    received: s.received,
    // pcap_stats' counts; null (no reading yet, or a platform that cannot tell) says "unknown", never a made-up 0.
    droppedByKernel: s.droppedByKernel,
    droppedByInterface: s.droppedByInterface,
    written: s.written,
    bytesWritten: s.bytesWritten,
    seconds: s.seconds,
  };
}

export class LiveSession extends CaptureSession {
  readonly capture: CaptureRun;

  constructor(
    id: string,
    capture: CaptureRun,
    analyzerOptions: AnalyzerOptions,
    notify: (s: CaptureSession) => void,
    onStats: (s: LiveSession, e: LiveStatsEvent) => void = () => undefined,
    pollMs = FOLLOW_INTERVAL_MS,
  ) {
    super(id, capture.path, analyzerOptions, notify, followCapture(capture, onStats, pollMs));
    this.capture = capture;
  }

  /** Whether the capture helper is still running. */
  get capturing(): boolean {
    return this.capture.running;
  }

  /** Stops the capture and resolves once the session holds every packet of the finished file. */
  async stopCapture(): Promise<SessionInfo> {
    await this.capture.stop();
    await this.done;
    return this.info();
  }

  /** Settles once close() has stopped the capture and deleted its temporary file. */
  released: Promise<void> = Promise.resolve();

  override close(): void {
    // The temporary file goes with its session, once the helper has let go of it: a copy the user
    // saved is elsewhere (saveAs), and the app asks before a window with an unsaved capture closes.
    this.released = this.capture.stop().then(() => new Promise<void>((done) => rm(this.path, { force: true }, () => done())));
    super.close();
  }
}

function followCapture(capture: CaptureRun, onStats: (s: LiveSession, e: LiveStatsEvent) => void, pollMs: number): SessionLoader {
  return async (s: CaptureSession, ctx: LoadContext): Promise<void> => {
    // Runs inside CaptureSession's constructor: touch only what the base class owns.
    const live = s as LiveSession;
    s.live = true;
    s.unsavedCapture = true;
    s.format = 'pcapng';
    const unsubscribe = capture.onStats((st) => {
      if (capture.running) onStats(live, { stats: statsDto(st), running: true, error: null });
    });
    const fd = openSync(s.path, 'r');
    ctx.useStore(RecordStore.forFile(s.path));
    const feeder = new ChunkFeeder('pcapng', s.analyzer);
    const onAbort = (): void => void capture.stop();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    let offset = 0;
    let lastCount = -1;
    const guard = new MemoryGuard();
    try {
      while (true) {
        // Whatever the helper wrote before it ended is on disk now: one more pass reads it all.
        const finished = capture.end !== null;
        offset = await drain(fd, feeder, offset, ctx.signal);
        s.fileSize = offset;
        if (s.analyzer.index.count !== lastCount) {
          lastCount = s.analyzer.index.count;
          ctx.notify();
        }
        if (finished || ctx.signal.aborted || feeder.stop !== null) break;
        if (s.memoryLimit === null && guard.check() !== null) {
          // Memory is short: the capture stops (its file keeps every packet), the rows stay.
          s.memoryLimit = memoryStopMessage(s.analyzer.index.count, 1);
          s.progress = 1;
          void capture.stop();
        }
        await Promise.race([sleep(pollMs), capture.ended]);
      }
      const size = fstatSync(fd).size;
      if (feeder.stop === null && size > offset && !ctx.signal.aborted) {
        // A block left unfinished (the helper died mid-write and the file was not closed for it).
        const rest = new Uint8Array(size - offset);
        const n = readSync(fd, rest, 0, rest.length, offset);
        feeder.feed(rest.subarray(0, n), offset);
        offset += n;
      }
      feeder.finish(offset);
    } finally {
      closeSync(fd);
      unsubscribe();
      ctx.signal.removeEventListener('abort', onAbort);
    }
    s.analyzer.finish();
    s.fileSize = offset;
    s.stop = feeder.stop;
    s.live = false;
    const end = capture.end ?? (await capture.ended);
    onStats(live, { stats: statsDto(end.stats), running: false, error: isOrdinaryEnd(end.reason) ? null : end.message });
  };
}

/** Feeds the whole blocks between `offset` and the end of the file; returns the new offset. */
async function drain(fd: number, feeder: ChunkFeeder, offset: number, signal: AbortSignal): Promise<number> {
  let chunkSize = CHUNK;
  while (!signal.aborted) {
    const size = fstatSync(fd).size;
    if (size < offset) throw new Error(`the capture file shrank to ${size} bytes while ${offset} were read`);
    if (size === offset) break;
    const want = Math.min(size - offset, chunkSize);
    // A fresh buffer each time: the parser may keep views into what it was given.
    const chunk = new Uint8Array(want);
    const n = readSync(fd, chunk, 0, want, offset);
    const walk = wholeBlocks(chunk, n);
    if (walk.damaged) {
      // Not a block boundary we wrote: let the reader say what is wrong, and stop there.
      feeder.feed(chunk.subarray(0, n), offset);
      return offset + n;
    }
    if (walk.length === 0) {
      const len = n >= 8 ? new DataView(chunk.buffer).getUint32(4, true) : 0;
      if (len > want && offset + len <= size) {
        chunkSize = len; // one block larger than a chunk, already complete: read it whole
        continue;
      }
      break; // the helper is still writing it
    }
    feeder.feed(chunk.subarray(0, walk.length), offset);
    offset += walk.length;
    if (feeder.stop !== null || walk.length < n) break;
    // Let the engine answer row requests between chunks of a large backlog.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return offset;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
