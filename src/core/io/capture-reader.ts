// Streams a capture file (pcap, pcapng, either gzip-compressed) in large chunks into a sink.

import { closeSync, createReadStream, openSync, promises as fsp, readSync } from 'node:fs';
import { constants as zlibConstants, createGunzip, type Gunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { basename } from 'node:path';
import { PcapParser, isPcapMagic } from './pcap-reader';
import { BLOCK_SHB, PcapngParser } from './pcapng-reader';
import { MAX_BLOCK_SIZE, bytesText, type RecordParser } from './record-parser';
import type { CaptureFormat, CaptureSink, StopReason } from './types';
import { memoryStopMessage, type MemoryGuard } from '../util/memory-guard';

/** Chunks of at least 1 MiB keep the per-chunk overhead negligible (DESIGN: data path 1). */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

/**
 * Room around the plain-file read buffer: reads land half of it (2 KiB) into the buffer. The
 * kernel copies a page-aligned file range into the buffer with `rep movsb`, which runs at a third
 * of its speed on x86 when source and destination sit at (nearly) the same offset within a 4 KiB
 * page (4K aliasing), as a page-aligned read into a page-aligned buffer does: measured 3.5 vs
 * 10.8 GB/s from the page cache.
 */
export const READ_SLACK = 4096;

/** A file that is not a capture at all (nothing could be read from it). */
export class CaptureFormatError extends Error {
  override name = 'CaptureFormatError';
}

export type DetectedFormat = CaptureFormat | 'gzip';

/** Identifies a capture by its first four bytes; null when they match no format we read. */
export function detectFormat(head: Uint8Array): DetectedFormat | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length < 4) return null;
  const le = (head[0]! | (head[1]! << 8) | (head[2]! << 16) | (head[3]! << 24)) >>> 0;
  const be = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  if (le === BLOCK_SHB) return 'pcapng';
  if (isPcapMagic(le) || isPcapMagic(be)) return 'pcap';
  return null;
}

/**
 * Why `head` is not a capture, without quoting it: a file that is not a capture may be anything
 * (a key, a password file) and the message travels to the UI and into logs.
 */
export function notCaptureReason(head: Uint8Array): string {
  if (head.length === 0) return 'the file is empty';
  return 'it does not start with the signature of a pcap, pcapng or gzip file';
}

/**
 * Drives a record parser over chunks of any size. Records that straddle two chunks are the only
 * ones copied (into a carry buffer that grows by doubling up to the record's size, so a claimed
 * length never turns into an allocation bigger than twice the bytes actually present); everything
 * else is parsed in place. The feeder keeps no view into a chunk once feed() returns (the carry
 * is a copy), so the caller may reuse the chunk's memory for the next one; a carry buffer handed
 * to the parser is never written again afterwards.
 */
export class ChunkFeeder {
  readonly parser: RecordParser;
  /** Bytes of the (decompressed) file consumed by complete records so far. */
  offset = 0;
  private carry: Uint8Array | null = null;
  private carryLen = 0;
  private carryOffset = 0;

  constructor(format: CaptureFormat, sink: CaptureSink) {
    this.parser = format === 'pcap' ? new PcapParser(sink) : new PcapngParser(sink);
  }

  get stop(): StopReason | null {
    return this.parser.stop;
  }

  /** Feeds the next chunk; `chunkOffset` is where it starts in the file. */
  feed(chunk: Uint8Array, chunkOffset: number): void {
    const parser = this.parser;
    if (parser.stop !== null) return;
    let cpos = 0;
    while (this.carryLen > 0) {
      const need = parser.need;
      if (need > MAX_BLOCK_SIZE + 64) {
        parser.stop = { offset: this.carryOffset, reason: `damaged record: claims ${bytesText(need)}` };
        return;
      }
      const take = Math.min(need - this.carryLen, chunk.length - cpos);
      this.appendCarry(chunk, cpos, take, need);
      cpos += take;
      if (this.carryLen < need) return;
      const carry = this.carry!;
      const carryLen = this.carryLen;
      const used = parser.parse(carry, 0, carryLen, this.carryOffset);
      if (parser.stop !== null) return;
      if (used === 0 && parser.need <= carryLen) {
        parser.stop = { offset: this.carryOffset, reason: 'reader made no progress on a complete record' };
        return;
      }
      this.carryOffset += used;
      this.offset = this.carryOffset;
      if (used === carryLen) {
        this.carry = null;
        this.carryLen = 0;
      } else {
        // The parser may have handed `carry` to the sink: keep the rest in a new buffer.
        this.carry = new Uint8Array(carry.subarray(used, carryLen));
        this.carryLen = carryLen - used;
      }
    }
    const used = parser.parse(chunk, cpos, chunk.length, chunkOffset);
    if (parser.stop !== null) return;
    this.offset = chunkOffset + used;
    this.carryOffset = chunkOffset + used;
    if (used < chunk.length) {
      // A real copy (Buffer#slice would be a view pinning the whole chunk).
      this.carry = new Uint8Array(chunk.subarray(used));
      this.carryLen = this.carry.length;
    }
  }

  /**
   * Call once after the last chunk: an incomplete record at the end becomes the stop reason.
   * `cause` says why the data ended early when it was not the end of the file (a damaged gzip stream).
   */
  finish(totalBytes: number, cause?: string): void {
    const parser = this.parser;
    if (parser.stop !== null) return;
    if (this.carryLen === 0 && cause === undefined) return;
    // Only a stop reason needs the text (the first toLocaleString loads ICU data: tens of ms).
    const at = this.carryOffset.toLocaleString('en-US');
    if (this.carryLen > 0) {
      const ended = cause === undefined ? 'the file ends' : `the data ends (${cause})`;
      parser.stop = {
        offset: this.carryOffset,
        reason: `truncated record at byte ${at}: it needs ${bytesText(parser.need)} but ${ended} after ${bytesText(totalBytes - this.carryOffset)}`,
      };
    } else if (cause !== undefined) {
      parser.stop = { offset: this.carryOffset, reason: `the data ends at byte ${at}: ${cause}` };
    }
  }

  private appendCarry(chunk: Uint8Array, from: number, take: number, need: number): void {
    let carry = this.carry!;
    const len = this.carryLen + take;
    if (len > carry.length) {
      // Doubling keeps a record fed in tiny chunks linear; `need` caps it at the record's size.
      const grown = new Uint8Array(Math.min(need, Math.max(len, carry.length * 2, 4096)));
      grown.set(carry.subarray(0, this.carryLen), 0);
      carry = grown;
      this.carry = grown;
    }
    carry.set(chunk.subarray(from, from + take), this.carryLen);
    this.carryLen = len;
  }
}

export interface ReadOptions {
  chunkSize?: number;
  signal?: AbortSignal;
  /** Called after each chunk with the bytes of the compressed/plain file read so far. */
  onProgress?: (fileBytesRead: number, fileSize: number) => void | Promise<void>;
  /**
   * Sees every decompressed chunk (e.g. to spool a gzip capture for random access). The chunk is
   * valid during the call only: a plain file's read buffer is reused for the next chunk.
   */
  onChunk?: (chunk: Uint8Array, offset: number) => void;
  /**
   * Checked after every chunk: when memory runs short, reading stops there (ReadResult.memoryLimit)
   * and everything read so far stays with the sink.
   */
  memoryGuard?: MemoryGuard;
}

/** Reading stopped because memory ran short (not because the file is damaged). */
export interface MemoryLimitStop {
  /** Packets read (all of them went to the sink). */
  packets: number;
  /** Share of the file read, 0..1. */
  fraction: number;
  /** Which limit was reached (heap or resident size, with the figures). */
  detail: string;
  /** "stopped at N packets (P %): memory limit reached — the packets read are all available" */
  message: string;
}

export interface ReadResult {
  file: string;
  format: CaptureFormat;
  compressed: boolean;
  fileSize: number;
  /** Bytes of the decompressed stream seen. */
  bytes: number;
  packets: number;
  stop: StopReason | null;
  aborted: boolean;
  /** Reading stopped before the end because memory ran short (see ReadOptions.memoryGuard). */
  memoryLimit: MemoryLimitStop | null;
}

/**
 * Reads a whole capture file into `sink`. Throws CaptureFormatError only when the file is not a
 * capture at all; damage later in the file ends the read with `stop` set and everything before it kept.
 *
 * A plain file is read with `readSync` into one reused buffer (page-cached files read several
 * times faster than through a stream, which allocates a new Buffer per chunk), yielding to the
 * event loop after every chunk so a worker keeps answering requests. The buffer is overwritten by
 * the next chunk: `sink.onPacket` and `onChunk` must copy what they keep (the ChunkFeeder's carry,
 * pcapng secrets, the tree path's frame and out-of-order TCP segments are copies). A gzip file
 * is inflated as a stream.
 */
export async function readCaptureFile(path: string, sink: CaptureSink, opts: ReadOptions = {}): Promise<ReadResult> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const fileSize = (await fsp.stat(path)).size;
  const head = await readHead(path, 16);
  const outer = detectFormat(head);
  if (outer === null) throw new CaptureFormatError(`${basename(path)}: not a capture file (${notCaptureReason(head)})`);
  const compressed = outer === 'gzip';
  const state: ReadState = { path, sink, opts, feeder: null, format: compressed ? null : outer, offset: 0, pending: null, memoryLimit: null };
  const read = compressed ? await readGzip(state, chunkSize, fileSize) : await readPlain(state, chunkSize, fileSize);
  const { streamError, aborted } = read;
  const feeder = state.feeder;
  if (feeder === null && aborted) {
    // Cancelled before the first bytes arrived: nothing read, nothing wrong with the file.
    return { file: path, format: state.format ?? 'pcap', compressed, fileSize, bytes: 0, packets: 0, stop: null, aborted, memoryLimit: null };
  }
  if (feeder === null) {
    const pending = state.pending;
    if (streamError !== null) throw new CaptureFormatError(`${basename(path)}: ${streamError}, before any capture data`);
    if (pending !== null || state.offset === 0) {
      throw new CaptureFormatError(`${basename(path)}: not a capture file (${notCaptureReason(pending ?? new Uint8Array(0))})`);
    }
    throw new CaptureFormatError(`${basename(path)}: not a capture file`);
  }
  const limited = state.memoryLimit;
  // A read stopped for memory ends between records: nothing is cut short.
  if (!aborted && limited === null) feeder.finish(state.offset, streamError ?? undefined);
  if (feeder.parser.packets === 0 && feeder.stop !== null && feeder.stop.offset === 0) {
    throw new CaptureFormatError(`${basename(path)}: ${feeder.stop.reason}`);
  }
  return {
    file: path,
    format: state.format ?? 'pcap',
    compressed,
    fileSize,
    bytes: state.offset,
    packets: feeder.parser.packets,
    stop: feeder.stop,
    aborted,
    memoryLimit:
      limited === null
        ? null
        : { packets: feeder.parser.packets, fraction: limited.fraction, detail: limited.detail, message: memoryStopMessage(feeder.parser.packets, limited.fraction) },
  };
}

/** What the two read loops share: the feeder (created from the first bytes) and the offset. */
interface ReadState {
  readonly path: string;
  readonly sink: CaptureSink;
  readonly opts: ReadOptions;
  feeder: ChunkFeeder | null;
  format: CaptureFormat | null;
  /** Bytes of the (decompressed) file fed so far. */
  offset: number;
  /** Decompressed bytes too few to know the format yet. */
  pending: Uint8Array | null;
  /** Set when the memory guard stopped the read: how far it got and why. */
  memoryLimit: { fraction: number; detail: string } | null;
}

/** After a chunk: true when the memory guard says to stop (recorded in the state). */
function outOfMemory(s: ReadState, fileBytes: number, fileSize: number): boolean {
  const guard = s.opts.memoryGuard;
  if (guard === undefined) return false;
  const detail = guard.check();
  if (detail === null) return false;
  s.memoryLimit = { fraction: fileSize > 0 ? Math.min(1, fileBytes / fileSize) : 1, detail };
  return true;
}

interface LoopEnd {
  streamError: string | null;
  aborted: boolean;
}

/**
 * Feeds one chunk; false when reading must stop (the parser stopped, or too few bytes yet to know
 * the format of a gzip member, which asks for the next chunk).
 */
function feedChunk(s: ReadState, piece: Uint8Array): boolean {
  let chunk = piece;
  let feeder = s.feeder;
  if (feeder === null) {
    // The format of a gzip member is only known from its decompressed head.
    chunk = s.pending === null ? chunk : concat(s.pending, chunk);
    if (chunk.length < 4) {
      // A copy: the piece may be a reused read buffer.
      s.pending = chunk === piece ? new Uint8Array(chunk) : chunk;
      return true;
    }
    s.pending = null;
    const inner = detectFormat(chunk);
    if (inner === null || inner === 'gzip') {
      throw new CaptureFormatError(`${basename(s.path)}: compressed, but not a capture file inside (the data inside does not start with the signature of a pcap or pcapng file)`);
    }
    s.format = inner;
    feeder = new ChunkFeeder(inner, s.sink);
    s.feeder = feeder;
  }
  s.opts.onChunk?.(chunk, s.offset);
  feeder.feed(chunk, s.offset);
  s.offset += chunk.length;
  return feeder.stop === null;
}

/** Lets the event loop run (requests to a worker, timers) between chunks. */
function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

async function readPlain(s: ReadState, chunkSize: number, fileSize: number): Promise<LoopEnd> {
  const fd = openSync(s.path, 'r');
  const size = Math.max(1, chunkSize);
  const take = s.sink.takeBuffer ?? null;
  let buf: Uint8Array = take !== null ? new Uint8Array(0) : new Uint8Array(READ_SLACK + size).subarray(READ_SLACK / 2, READ_SLACK / 2 + size);
  let streamError: string | null = null;
  let aborted = false;
  // Bytes read from the file (ahead of s.offset while the first bytes wait to name the format).
  let position = 0;
  try {
    while (true) {
      if (s.opts.signal?.aborted) {
        aborted = true;
        break;
      }
      if (take !== null) buf = await take(size);
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, position);
      } catch (err) {
        streamError = `read error: ${err instanceof Error ? err.message : String(err)}`;
        break;
      }
      if (n === 0) break;
      position += n;
      if (!feedChunk(s, n === buf.length ? buf : buf.subarray(0, n))) break;
      if (s.opts.onProgress !== undefined) await s.opts.onProgress(position, fileSize);
      // Only after whole chunks: the feeder holds the record cut by a chunk's end, never half of one.
      if (outOfMemory(s, s.feeder === null ? 0 : s.feeder.offset, fileSize)) break;
      await yieldToEventLoop();
    }
  } finally {
    closeSync(fd);
  }
  return { streamError, aborted };
}

async function readGzip(s: ReadState, chunkSize: number, fileSize: number): Promise<LoopEnd> {
  const raw = createReadStream(s.path, { highWaterMark: chunkSize });
  let fileBytes = 0;
  raw.on('data', (c) => {
    fileBytes += c.length;
  });
  // zlib rejects output chunks below Z_MIN_CHUNK (64 bytes).
  const gunzip: Gunzip = createGunzip({ chunkSize: Math.max(zlibConstants.Z_MIN_CHUNK, Math.min(chunkSize, 1024 * 1024)) });
  raw.on('error', (err) => gunzip.destroy(err));
  // A truncated member fails in the final Z_FINISH and zlib drops the output of that call, so
  // inflate everything with a sync flush first: the error then comes after all recoverable data.
  raw.pipe(gunzip, { end: false });
  raw.on('end', () => gunzip.flush(zlibConstants.Z_SYNC_FLUSH, () => gunzip.end()));
  const pieces = drainReadable(gunzip)[Symbol.asyncIterator]();
  let streamError: string | null = null;
  let aborted = false;
  try {
    while (true) {
      // Only the stream's own failures become a stop reason; errors thrown by the sink propagate.
      let step: IteratorResult<Uint8Array>;
      try {
        step = await pieces.next();
      } catch (err) {
        // A gzip stream that ends early or is corrupt: keep what was decoded, say why we stopped.
        const msg = err instanceof Error ? err.message : String(err);
        streamError = `compressed data is damaged: ${msg}`;
        break;
      }
      if (step.done === true) break;
      if (s.opts.signal?.aborted) {
        aborted = true;
        break;
      }
      let piece = step.value;
      const take = s.sink.takeBuffer ?? null;
      if (take !== null) {
        const into = await take(piece.length);
        into.set(piece);
        piece = into.subarray(0, piece.length);
      }
      if (!feedChunk(s, piece)) break;
      if (s.feeder !== null && s.opts.onProgress !== undefined) await s.opts.onProgress(fileBytes, fileSize);
      if (s.feeder !== null && outOfMemory(s, fileBytes, fileSize)) break;
    }
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
  return { streamError, aborted };
}

/** Parses a capture held in memory (tests, small embedded samples). */
export function readCaptureBytes(bytes: Uint8Array, sink: CaptureSink): Omit<ReadResult, 'file' | 'fileSize' | 'aborted' | 'compressed' | 'memoryLimit'> {
  const format = detectFormat(bytes);
  if (format === null || format === 'gzip') throw new CaptureFormatError(`not a capture file (${notCaptureReason(bytes)})`);
  const feeder = new ChunkFeeder(format, sink);
  feeder.feed(bytes, 0);
  feeder.finish(bytes.length);
  // Same rule as readCaptureFile: damage in the file header means it is not a capture at all.
  if (feeder.parser.packets === 0 && feeder.stop !== null && feeder.stop.offset === 0) {
    throw new CaptureFormatError(feeder.stop.reason);
  }
  return { format, bytes: bytes.length, packets: feeder.parser.packets, stop: feeder.stop };
}

async function readHead(path: string, n: number): Promise<Uint8Array> {
  const fh = await fsp.open(path, 'r');
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Yields a readable's chunks, then throws its error. Unlike the built-in async iterator, it still
 * hands out chunks that were buffered before the error (a truncated gzip ends in one).
 */
async function* drainReadable(stream: Readable): AsyncGenerator<Uint8Array> {
  let error: unknown = null;
  let done = false;
  let wake: (() => void) | null = null;
  const poke = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  stream.on('readable', poke);
  stream.on('error', (err) => {
    error = err;
    poke();
  });
  stream.on('end', () => {
    done = true;
    poke();
  });
  stream.on('close', () => {
    done = true;
    poke();
  });
  while (true) {
    const chunk = stream.read() as Uint8Array | null;
    if (chunk !== null) {
      yield chunk;
      continue;
    }
    if (error !== null) throw error;
    if (done) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
