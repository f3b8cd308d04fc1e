// Streams a capture file (pcap, pcapng, either gzip-compressed) in large chunks into a sink.

import { createReadStream, promises as fsp } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { basename } from 'node:path';
import { PcapParser, isPcapMagic } from './pcap-reader';
import { BLOCK_SHB, PcapngParser } from './pcapng-reader';
import { MAX_BLOCK_SIZE, bytesText, type RecordParser } from './record-parser';
import type { CaptureFormat, CaptureSink, StopReason } from './types';

/** Chunks of at least 1 MiB keep the per-chunk overhead negligible (DESIGN: data path 1). */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

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

export function describeMagic(head: Uint8Array): string {
  if (head.length === 0) return 'the file is empty';
  const shown = Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const printable = Array.from(head.subarray(0, 16), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return `it starts with ${shown} ("${printable}")`;
}

/**
 * Drives a record parser over chunks of any size. Records that straddle two chunks are the only
 * ones copied (into a buffer of exactly their size); everything else is parsed in place.
 */
export class ChunkFeeder {
  readonly parser: RecordParser;
  /** Bytes of the (decompressed) file consumed by complete records so far. */
  offset = 0;
  private carry: Uint8Array | null = null;
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
    while (this.carry !== null) {
      const carry: Uint8Array = this.carry;
      const need = parser.need;
      if (need > MAX_BLOCK_SIZE + 64) {
        parser.stop = { offset: this.carryOffset, reason: `damaged record: claims ${bytesText(need)}` };
        return;
      }
      const take = Math.min(need - carry.length, chunk.length - cpos);
      const joined = new Uint8Array(carry.length + take);
      joined.set(carry, 0);
      joined.set(chunk.subarray(cpos, cpos + take), carry.length);
      cpos += take;
      if (joined.length < need) {
        this.carry = joined;
        return;
      }
      const used = parser.parse(joined, 0, joined.length, this.carryOffset);
      if (parser.stop !== null) return;
      if (used === 0 && parser.need <= joined.length) {
        parser.stop = { offset: this.carryOffset, reason: 'reader made no progress on a complete record' };
        return;
      }
      this.carryOffset += used;
      this.carry = used === joined.length ? null : joined.subarray(used);
    }
    const used = parser.parse(chunk, cpos, chunk.length, chunkOffset);
    if (parser.stop !== null) return;
    this.offset = chunkOffset + used;
    if (used < chunk.length) {
      this.carry = chunk.slice(used);
      this.carryOffset = chunkOffset + used;
    } else {
      this.carryOffset = chunkOffset + used;
    }
  }

  /** Call once after the last chunk: an incomplete record at the end becomes the stop reason. */
  finish(totalBytes: number): void {
    const parser = this.parser;
    if (parser.stop !== null) return;
    if (this.carry !== null && this.carry.length > 0) {
      parser.stop = {
        offset: this.carryOffset,
        reason:
          `truncated record at byte ${this.carryOffset.toLocaleString('en-US')}: it needs ` +
          `${bytesText(parser.need)} but the file ends after ${bytesText(totalBytes - this.carryOffset)}`,
      };
    }
  }
}

export interface ReadOptions {
  chunkSize?: number;
  signal?: AbortSignal;
  /** Called after each chunk with the bytes of the compressed/plain file read so far. */
  onProgress?: (fileBytesRead: number, fileSize: number) => void | Promise<void>;
  /** Sees every decompressed chunk (e.g. to spool a gzip capture for random access). */
  onChunk?: (chunk: Uint8Array, offset: number) => void;
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
}

/**
 * Reads a whole capture file into `sink`. Throws CaptureFormatError only when the file is not a
 * capture at all; damage later in the file ends the read with `stop` set and everything before it kept.
 */
export async function readCaptureFile(path: string, sink: CaptureSink, opts: ReadOptions = {}): Promise<ReadResult> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const fileSize = (await fsp.stat(path)).size;
  const head = await readHead(path, 8);
  const outer = detectFormat(head);
  if (outer === null) throw new CaptureFormatError(`${basename(path)}: not a capture file (${describeMagic(head)})`);
  const compressed = outer === 'gzip';
  let format: CaptureFormat | null = compressed ? null : outer;

  const raw = createReadStream(path, { highWaterMark: chunkSize });
  let fileBytes = 0;
  raw.on('data', (c) => {
    fileBytes += c.length;
  });
  const stream = compressed ? raw.pipe(createGunzip({ chunkSize: Math.min(chunkSize, 1024 * 1024) })) : raw;
  let feeder: ChunkFeeder | null = null;
  let offset = 0;
  let stop: StopReason | null = null;
  let aborted = false;
  let pending: Uint8Array | null = null;
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) {
        aborted = true;
        break;
      }
      let chunk: Uint8Array = piece;
      if (feeder === null) {
        // The format of a gzip member is only known from its decompressed head.
        chunk = pending === null ? chunk : concat(pending, chunk);
        if (chunk.length < 4) {
          pending = chunk;
          continue;
        }
        pending = null;
        const inner = detectFormat(chunk);
        if (inner === null || inner === 'gzip') {
          throw new CaptureFormatError(`${basename(path)}: compressed, but not a capture file inside (${describeMagic(chunk)})`);
        }
        format = inner;
        feeder = new ChunkFeeder(inner, sink);
      }
      opts.onChunk?.(chunk, offset);
      feeder.feed(chunk, offset);
      offset += chunk.length;
      if (feeder.stop !== null) break;
      if (opts.onProgress !== undefined) await opts.onProgress(compressed ? fileBytes : offset, fileSize);
    }
  } catch (err) {
    if (err instanceof CaptureFormatError) throw err;
    // A gzip stream that ends early or is corrupt: keep what was decoded, say why we stopped.
    const msg = err instanceof Error ? err.message : String(err);
    stop = { offset, reason: `${compressed ? 'compressed data is damaged' : 'read error'}: ${msg}` };
  } finally {
    raw.destroy();
  }
  if (feeder === null) {
    if (pending !== null || offset === 0) {
      throw new CaptureFormatError(`${basename(path)}: not a capture file (${describeMagic(pending ?? new Uint8Array(0))})`);
    }
    throw new CaptureFormatError(`${basename(path)}: not a capture file`);
  }
  if (!aborted && stop === null) feeder.finish(offset);
  if (feeder.parser.packets === 0 && feeder.stop !== null && feeder.stop.offset === 0) {
    throw new CaptureFormatError(`${basename(path)}: ${feeder.stop.reason}`);
  }
  return {
    file: path,
    format: format ?? 'pcap',
    compressed,
    fileSize,
    bytes: offset,
    packets: feeder.parser.packets,
    stop: feeder.stop ?? stop,
    aborted,
  };
}

/** Parses a capture held in memory (tests, small embedded samples). */
export function readCaptureBytes(bytes: Uint8Array, sink: CaptureSink): Omit<ReadResult, 'file' | 'fileSize' | 'aborted' | 'compressed'> {
  const format = detectFormat(bytes);
  if (format === null || format === 'gzip') throw new CaptureFormatError(`not a capture file (${describeMagic(bytes)})`);
  const feeder = new ChunkFeeder(format, sink);
  feeder.feed(bytes, 0);
  feeder.finish(bytes.length);
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

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
