// pcapng writer (each block in one write, so a live capture on disk survives a crash) and rewriteCapture, which saves annotations.

import { closeSync, existsSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { readCaptureFile, type ReadResult } from './capture-reader';
import {
  BLOCK_DSB,
  BLOCK_EPB,
  BLOCK_IDB,
  BLOCK_ISB,
  BLOCK_SHB,
  BYTE_ORDER_MAGIC,
  OPT_COMMENT,
  OPT_EPB_FLAGS,
  OPT_IF_DESCRIPTION,
  OPT_IF_FILTER,
  OPT_IF_NAME,
  OPT_IF_OS,
  OPT_IF_TSOFFSET,
  OPT_IF_TSRESOL,
  OPT_ISB_FILTERACCEPT,
  OPT_ISB_IFDROP,
  OPT_ISB_IFRECV,
  OPT_ISB_OSDROP,
  OPT_ISB_USRDELIV,
  OPT_SHB_HARDWARE,
  OPT_SHB_OS,
  OPT_SHB_USERAPPL,
} from './pcapng-reader';
import { unitsPerSecondFromTsresol } from './timestamp';
import { SECRETS_TLS_KEY_LOG, type CaptureSink, type DecryptionSecrets, type InterfaceInfo, type InterfaceStatistics, type PacketRecord, type SectionInfo } from './types';

/** Receives each block; the bytes are only valid during the call (the writer reuses its buffer). */
export type BlockSink = (bytes: Uint8Array) => void;

export interface SectionHeaderOptions {
  hardware?: string | null;
  os?: string | null;
  application?: string | null;
  comments?: readonly string[] | null;
}

export interface InterfaceOptions {
  linkType: number;
  snaplen: number;
  name?: string | null;
  description?: string | null;
  /** A libpcap filter expression (if_filter, encoded with the "libpcap string" byte 0). */
  filter?: string | null;
  os?: string | null;
  /** if_tsresol byte: 10^-v seconds, or 2^-(v & 0x7f) when the top bit is set. Default 9 (ns). */
  tsresol?: number;
  /** if_tsoffset: whole seconds added to every timestamp of the interface. */
  tsoffset?: number;
}

export interface PacketOptions {
  /** Interface id returned by addInterface in the current section. */
  iface: number;
  tsSec: number;
  /** 0..999,999,999; stored in the interface's resolution (see `ticksFromNanos`). */
  tsNsec: number;
  data: Uint8Array;
  /** Length on the wire; defaults to data.length. */
  wirelen?: number;
  comments?: readonly string[] | null;
  /** epb_flags; the option is written when a number is given. */
  flags?: number | null;
}

export interface StatisticsOptions {
  iface: number;
  tsSec: number;
  tsNsec: number;
  received?: number | null;
  droppedByInterface?: number | null;
  droppedByOs?: number | null;
  acceptedByFilter?: number | null;
  delivered?: number | null;
}

interface WriterIface {
  units: number;
  /** Nanoseconds per tick when the resolution divides 1e9 (10^-v, v <= 9; 2^-v, v <= 9), else 0. */
  nsPerTick: number;
  /** Ticks per nanosecond when the resolution is a multiple of 1e9 (10^-v, v > 9), else 0. */
  ticksPerNs: number;
  offset: number;
}

const TWO32 = 4294967296;
/** Above this, sec * units splits into 16-bit limbs that no longer stay below 2^53. */
const MAX_UNITS = 2 ** 36;
const MAX_OPTION_LENGTH = 0xffff;
const utf8 = new TextEncoder();

export interface TimestampWords {
  hi: number;
  lo: number;
}

/**
 * Ticks of 1/units s for `nsec` nanoseconds. Decimal resolutions truncate (as Wireshark does);
 * resolutions that do not divide a nanosecond evenly round up, which is the exact inverse of the
 * reader's rounding down, so a timestamp read from a 2^-20 interface is written back to its tick.
 */
export function ticksFromNanos(nsec: number, units: number): number {
  if (units <= 1e9 && 1e9 % units === 0) return Math.floor(nsec / (1e9 / units));
  if (units % 1e9 === 0) return nsec * (units / 1e9);
  const p = nsec * units;
  if (p <= Number.MAX_SAFE_INTEGER) {
    let q = Math.floor(p / 1e9);
    if (q * 1e9 > p) q -= 1;
    else if ((q + 1) * 1e9 <= p) q += 1;
    return q * 1e9 === p ? q : q + 1;
  }
  const big = BigInt(nsec) * BigInt(units);
  return Number((big + 999_999_999n) / 1_000_000_000n);
}

/**
 * Splits sec * units + ticks into the two 32-bit words of a pcapng timestamp with exact integer
 * arithmetic (no BigInt: the product exceeds 2^53 for nanoseconds since 1970). Needs units <= 2^36.
 */
export function timestampWords(sec: number, ticks: number, units: number, out: TimestampWords): void {
  const secHi = Math.floor(sec / 65536);
  const secLo = sec - secHi * 65536;
  const low = secLo * units + ticks; // < 2^16 * 2^36 + 2^36: exact
  const high = secHi * units; // contributes high * 2^16
  const highHi = Math.floor(high / 65536);
  const sum = (high - highHi * 65536) * 65536 + low; // < 2^32 + 2^53: exact
  const carry = Math.floor(sum / TWO32);
  out.lo = sum - carry * TWO32;
  out.hi = highHi + carry;
  if (out.hi >= TWO32) throw new RangeError(`timestamp ${sec}.${ticks} does not fit in 64 bits at ${units} units per second`);
}

/** The if_tsresol byte for a resolution the reader reports as units per second, or null. */
export function tsresolFromUnits(units: number): number | null {
  for (let v = 0; v <= 15; v++) if (10 ** v === units) return v;
  for (let v = 1; v <= 63; v++) if (2 ** v === units) return 0x80 | v;
  return null;
}

/** A pcapng writer: little-endian, one section at a time, every block written whole. */
export class PcapngWriter {
  private readonly fd: number;
  private readonly sink: BlockSink | null;
  private readonly closeFd: boolean;
  private buf = new Uint8Array(65536);
  private view = new DataView(this.buf.buffer);
  private ifaces: WriterIface[] = [];
  private sectionOpen = false;
  private closed = false;
  private readonly words: TimestampWords = { hi: 0, lo: 0 };

  /**
   * Writes to a file descriptor with synchronous writes, or to `sink`. close() closes the
   * descriptor only when `closeFd` is set (PcapngWriter.create sets it).
   */
  constructor(target: number | BlockSink, opts: { closeFd?: boolean } = {}) {
    if (typeof target === 'number') {
      this.fd = target;
      this.sink = null;
    } else {
      this.fd = -1;
      this.sink = target;
    }
    this.closeFd = opts.closeFd === true && this.fd >= 0;
  }

  /** Creates `path` for writing; refuses an existing file unless `overwrite` is set. */
  static create(path: string, opts: { overwrite?: boolean } = {}): PcapngWriter {
    const fd = openSync(path, opts.overwrite === true ? 'w' : 'wx', 0o644);
    return new PcapngWriter(fd, { closeFd: true });
  }

  /** Starts a section; interfaces of an earlier section are forgotten (ids restart at 0). */
  writeSectionHeader(opts: SectionHeaderOptions = {}): void {
    this.checkOpen();
    const options: Array<[number, Uint8Array]> = [];
    for (const c of opts.comments ?? []) options.push([OPT_COMMENT, utf8.encode(c)]);
    if (opts.hardware != null) options.push([OPT_SHB_HARDWARE, utf8.encode(opts.hardware)]);
    if (opts.os != null) options.push([OPT_SHB_OS, utf8.encode(opts.os)]);
    if (opts.application != null) options.push([OPT_SHB_USERAPPL, utf8.encode(opts.application)]);
    const len = 24 + optionsLength(options) + 4;
    const v = this.scratch(len);
    v.setUint32(0, BLOCK_SHB, true);
    v.setUint32(4, len, true);
    v.setUint32(8, BYTE_ORDER_MAGIC, true);
    v.setUint16(12, 1, true); // version 1.0
    v.setUint16(14, 0, true);
    v.setInt32(16, -1, true); // section length: not specified (§4.1)
    v.setInt32(20, -1, true);
    this.putOptions(24, options);
    v.setUint32(len - 4, len, true);
    this.emit(len);
    this.ifaces = [];
    this.sectionOpen = true;
  }

  /** Describes an interface of the current section and returns its id. */
  addInterface(opts: InterfaceOptions): number {
    this.checkSection();
    const tsresol = opts.tsresol ?? 9;
    const units = unitsPerSecondFromTsresol(tsresol);
    if (!Number.isInteger(tsresol) || tsresol < 0 || tsresol > 0xff || units > MAX_UNITS) {
      throw new RangeError(`unsupported if_tsresol ${tsresol}: the writer handles up to 2^36 ticks per second`);
    }
    const tsoffset = opts.tsoffset ?? 0;
    if (!Number.isSafeInteger(tsoffset)) throw new RangeError(`if_tsoffset must be a whole number of seconds, got ${tsoffset}`);
    const options: Array<[number, Uint8Array]> = [];
    if (opts.name != null) options.push([OPT_IF_NAME, utf8.encode(opts.name)]);
    if (opts.description != null) options.push([OPT_IF_DESCRIPTION, utf8.encode(opts.description)]);
    if (tsresol !== 6) options.push([OPT_IF_TSRESOL, Uint8Array.of(tsresol)]); // 6 is the default (§4.2)
    if (opts.filter != null) {
      const f = utf8.encode(opts.filter);
      const value = new Uint8Array(f.length + 1); // first byte 0: a libpcap filter string
      value.set(f, 1);
      options.push([OPT_IF_FILTER, value]);
    }
    if (opts.os != null) options.push([OPT_IF_OS, utf8.encode(opts.os)]);
    if (tsoffset !== 0) {
      const value = new Uint8Array(8);
      const dv = new DataView(value.buffer);
      const hi = Math.floor(tsoffset / TWO32);
      dv.setInt32(4, hi, true);
      dv.setUint32(0, tsoffset - hi * TWO32, true);
      options.push([OPT_IF_TSOFFSET, value]);
    }
    const len = 16 + optionsLength(options) + 4;
    const v = this.scratch(len);
    v.setUint32(0, BLOCK_IDB, true);
    v.setUint32(4, len, true);
    v.setUint16(8, opts.linkType, true);
    v.setUint16(10, 0, true);
    v.setUint32(12, opts.snaplen, true);
    this.putOptions(16, options);
    v.setUint32(len - 4, len, true);
    this.emit(len);
    const nsPerTick = units <= 1e9 && 1e9 % units === 0 ? 1e9 / units : 0;
    const ticksPerNs = units > 1e9 && units % 1e9 === 0 ? units / 1e9 : 0;
    this.ifaces.push({ units, nsPerTick, ticksPerNs, offset: tsoffset });
    return this.ifaces.length - 1;
  }

  /** Writes one Enhanced Packet Block. The hot path: no allocation unless there are comments. */
  writePacket(p: PacketOptions): void {
    this.checkSection();
    const iface = this.ifaces[p.iface];
    if (iface === undefined) throw new RangeError(`packet refers to interface ${p.iface}, which this section does not describe`);
    const data = p.data;
    const caplen = data.length;
    const padded = (caplen + 3) & ~3;
    const comments = p.comments;
    let encoded: Uint8Array[] | null = null;
    let optLen = 0;
    if (comments != null && comments.length > 0) {
      encoded = [];
      for (const c of comments) {
        const e = utf8.encode(c);
        checkOptionLength(e.length);
        encoded.push(e);
        optLen += 4 + ((e.length + 3) & ~3);
      }
    }
    const flags = p.flags;
    if (flags != null) optLen += 8;
    if (optLen > 0) optLen += 4; // opt_endofopt
    const len = 28 + padded + optLen + 4;
    const v = this.scratch(len);
    const b = this.buf;
    const w = this.words;
    this.timestamp(iface, p.tsSec, p.tsNsec, w);
    v.setUint32(0, BLOCK_EPB, true);
    v.setUint32(4, len, true);
    v.setUint32(8, p.iface, true);
    v.setUint32(12, w.hi, true);
    v.setUint32(16, w.lo, true);
    v.setUint32(20, caplen, true);
    v.setUint32(24, p.wirelen ?? caplen, true);
    b.set(data, 28);
    b.fill(0, 28 + caplen, 28 + padded);
    let pos = 28 + padded;
    if (optLen > 0) {
      if (encoded !== null) for (const e of encoded) pos = this.putOption(pos, OPT_COMMENT, e);
      if (flags != null) {
        v.setUint16(pos, OPT_EPB_FLAGS, true);
        v.setUint16(pos + 2, 4, true);
        v.setUint32(pos + 4, flags >>> 0, true);
        pos += 8;
      }
      v.setUint32(pos, 0, true);
    }
    v.setUint32(len - 4, len, true);
    this.emit(len);
  }

  /** Writes a Decryption Secrets Block (for TLS: type SECRETS_TLS_KEY_LOG, the key log text). */
  writeDecryptionSecrets(secretsType: number, data: Uint8Array): void {
    this.checkSection();
    const padded = (data.length + 3) & ~3;
    const len = 16 + padded + 4;
    const v = this.scratch(len);
    v.setUint32(0, BLOCK_DSB, true);
    v.setUint32(4, len, true);
    v.setUint32(8, secretsType >>> 0, true);
    v.setUint32(12, data.length, true);
    this.buf.set(data, 16);
    this.buf.fill(0, 16 + data.length, 16 + padded);
    v.setUint32(len - 4, len, true);
    this.emit(len);
  }

  /** Writes an Interface Statistics Block; counters left out (or null) are not written. */
  writeInterfaceStatistics(s: StatisticsOptions): void {
    this.checkSection();
    const iface = this.ifaces[s.iface];
    if (iface === undefined) throw new RangeError(`statistics refer to interface ${s.iface}, which this section does not describe`);
    const counters: Array<[number, number]> = [];
    if (s.received != null) counters.push([OPT_ISB_IFRECV, s.received]);
    if (s.droppedByInterface != null) counters.push([OPT_ISB_IFDROP, s.droppedByInterface]);
    if (s.acceptedByFilter != null) counters.push([OPT_ISB_FILTERACCEPT, s.acceptedByFilter]);
    if (s.droppedByOs != null) counters.push([OPT_ISB_OSDROP, s.droppedByOs]);
    if (s.delivered != null) counters.push([OPT_ISB_USRDELIV, s.delivered]);
    const optLen = counters.length === 0 ? 0 : counters.length * 12 + 4;
    const len = 20 + optLen + 4;
    const v = this.scratch(len);
    const w = this.words;
    this.timestamp(iface, s.tsSec, s.tsNsec, w);
    v.setUint32(0, BLOCK_ISB, true);
    v.setUint32(4, len, true);
    v.setUint32(8, s.iface, true);
    v.setUint32(12, w.hi, true);
    v.setUint32(16, w.lo, true);
    let pos = 20;
    for (const [code, value] of counters) {
      if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`statistics counter ${code} must be a whole number, got ${value}`);
      const hi = Math.floor(value / TWO32);
      v.setUint16(pos, code, true);
      v.setUint16(pos + 2, 8, true);
      v.setUint32(pos + 4, value - hi * TWO32, true);
      v.setUint32(pos + 8, hi, true);
      pos += 12;
    }
    if (optLen > 0) v.setUint32(pos, 0, true);
    v.setUint32(len - 4, len, true);
    this.emit(len);
  }

  /** Ends the writer: syncs the file to disk and closes it when the writer owns the descriptor. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.closeFd) {
      try {
        fsyncSync(this.fd);
      } finally {
        closeSync(this.fd);
      }
    }
  }

  private timestamp(iface: WriterIface, tsSec: number, tsNsec: number, out: TimestampWords): void {
    const sec = tsSec - iface.offset;
    if (!(sec >= 0) || !Number.isInteger(sec) || !(tsNsec >= 0 && tsNsec < 1e9) || !Number.isInteger(tsNsec)) {
      throw new RangeError(`bad timestamp ${tsSec}.${tsNsec} (seconds after if_tsoffset must be a whole number >= 0, nanoseconds 0..999999999)`);
    }
    let ticks: number;
    if (iface.nsPerTick === 1) ticks = tsNsec;
    else if (iface.nsPerTick > 0) ticks = Math.floor(tsNsec / iface.nsPerTick);
    else if (iface.ticksPerNs > 0) ticks = tsNsec * iface.ticksPerNs;
    else ticks = ticksFromNanos(tsNsec, iface.units);
    timestampWords(sec, ticks, iface.units, out);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the pcapng writer is closed');
  }

  private checkSection(): void {
    this.checkOpen();
    if (!this.sectionOpen) throw new Error('writeSectionHeader must come before any other block');
  }

  /** The scratch buffer, grown to at least `len` bytes, as a DataView. */
  private scratch(len: number): DataView {
    if (this.buf.length < len) {
      this.buf = new Uint8Array(Math.max(len, this.buf.length * 2));
      this.view = new DataView(this.buf.buffer);
    }
    return this.view;
  }

  private putOptions(pos: number, options: Array<[number, Uint8Array]>): void {
    if (options.length === 0) return;
    for (const [code, value] of options) pos = this.putOption(pos, code, value);
    this.view.setUint32(pos, 0, true); // opt_endofopt
  }

  private putOption(pos: number, code: number, value: Uint8Array): number {
    checkOptionLength(value.length);
    const v = this.view;
    const padded = (value.length + 3) & ~3;
    v.setUint16(pos, code, true);
    v.setUint16(pos + 2, value.length, true);
    this.buf.set(value, pos + 4);
    this.buf.fill(0, pos + 4 + value.length, pos + 4 + padded);
    return pos + 4 + padded;
  }

  /** One write per block: a crash leaves at most the last block incomplete. */
  private emit(len: number): void {
    const bytes = this.buf.subarray(0, len);
    if (this.sink !== null) {
      this.sink(bytes);
      return;
    }
    let done = 0;
    // writeSync writes a regular file whole; the loop only matters for pipes and full disks.
    while (done < len) done += writeSync(this.fd, bytes, done, len - done);
  }
}

function optionsLength(options: Array<[number, Uint8Array]>): number {
  if (options.length === 0) return 0;
  let n = 4; // opt_endofopt
  for (const [, value] of options) {
    checkOptionLength(value.length);
    n += 4 + ((value.length + 3) & ~3);
  }
  return n;
}

function checkOptionLength(n: number): void {
  if (n > MAX_OPTION_LENGTH) throw new RangeError(`a pcapng option holds at most 65,535 bytes, got ${n}`);
}

export interface RewriteOptions {
  /** Comments by packet number (1-based, as Wireshark numbers frames); they replace existing ones. */
  commentsByPacket: ReadonlyMap<number, readonly string[]>;
  /** Allows replacing an existing file, the input included (written to a temp file, then renamed). */
  overwrite?: boolean;
  /**
   * Export Specified Packets: only packets this accepts (by 1-based number) are written. Interface
   * statistics blocks are then left out, as they count the whole capture.
   */
  keep?: (packet: number) => boolean;
  /**
   * A TLS key log to embed as a Decryption Secrets Block after the section header (what `editcap
   * --inject-secrets` does); the input's own TLS key log blocks are then left out (their lines
   * are expected in this one).
   */
  tlsKeyLog?: string;
}

export interface RewriteResult {
  /** Packets written. */
  packets: number;
  /** The read result of the input (its stop reason, if the input was damaged). */
  read: ReadResult;
}

/**
 * Copies a pcap or pcapng capture (optionally gzip-compressed) to a new pcapng file, keeping every
 * packet, interface, timestamp (to the nanosecond), comment, epb_flags value, decryption secrets
 * block, statistics block and the section info, with the comments of `commentsByPacket` in place.
 * Name resolution blocks are not copied. Refuses an existing output unless `overwrite`; a damaged
 * input is never written over (the copy would lose what follows the damage).
 */
export async function rewriteCapture(inputPath: string, outputPath: string, opts: RewriteOptions): Promise<RewriteResult> {
  const overwrite = opts.overwrite === true;
  const sameFile = isSameFile(inputPath, outputPath);
  if (!overwrite && sameFile) {
    throw new Error(`${basename(outputPath)}: refusing to overwrite the capture being rewritten (pass overwrite: true to replace it)`);
  }
  // With overwrite, write next to the target and rename: the old file stays whole until the new one is.
  // Through a symlink, replace the file it points to, not the link.
  const finalPath = overwrite && existsSync(outputPath) ? realpathSync(outputPath) : outputPath;
  const target = overwrite ? join(dirname(resolve(finalPath)), `.${basename(finalPath)}.${process.pid}.${Date.now()}.tmp`) : outputPath;
  let fd: number;
  try {
    fd = openSync(target, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new Error(`${basename(outputPath)}: the file already exists (pass overwrite: true to replace it)`, { cause: err });
    }
    throw err;
  }
  let ok = false;
  try {
    const out = new BufferedFile(fd);
    const writer = new PcapngWriter((bytes) => out.write(bytes));
    const sink = new RewriteSink(writer, opts.commentsByPacket, opts.keep ?? null, opts.tlsKeyLog ?? null);
    const read = await readCaptureFile(inputPath, sink);
    if (read.stop !== null && sameFile) {
      throw new Error(`${basename(inputPath)}: not rewritten in place, the input is damaged (${read.stop.reason}) and the copy would lose what follows`);
    }
    writer.close();
    out.flush();
    fsyncSync(fd);
    closeSync(fd);
    ok = true;
    if (overwrite) renameSync(target, finalPath);
    return { packets: sink.packets, read };
  } finally {
    if (!ok) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      unlinkSync(target);
    }
  }
}

/**
 * Whether two paths name the same file (symlinks and hard links included); false when either does
 * not exist (and the paths do not resolve to one another).
 */
export function isSameFile(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    try {
      return realpathSync(a) === resolve(b);
    } catch {
      return false;
    }
  }
}

/** Collects blocks into 1 MiB writes (a rewrite goes to a file nobody reads until it is complete). */
class BufferedFile {
  private readonly buf = new Uint8Array(1024 * 1024);
  private used = 0;

  constructor(private readonly fd: number) {}

  write(bytes: Uint8Array): void {
    if (this.used + bytes.length > this.buf.length) this.flush();
    if (bytes.length > this.buf.length) {
      writeAll(this.fd, bytes);
      return;
    }
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }

  flush(): void {
    writeAll(this.fd, this.buf.subarray(0, this.used));
    this.used = 0;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** Replays what the reader reports into a writer, in file order. */
class RewriteSink implements CaptureSink {
  /** Packets written. */
  packets = 0;
  /** Packets read. */
  private read = 0;
  /** Reader interface id (unique across sections) → writer id (per section). */
  private readonly ifaceMap: number[] = [];

  private keyLogWritten = false;

  constructor(
    private readonly writer: PcapngWriter,
    private readonly commentsByPacket: ReadonlyMap<number, readonly string[]>,
    private readonly keep: ((packet: number) => boolean) | null,
    private readonly tlsKeyLog: string | null,
  ) {}

  onSection(s: SectionInfo): void {
    this.writer.writeSectionHeader({ hardware: s.hardware, os: s.os, application: s.application, comments: s.comments });
    // pcapng §4.7: secrets come before the packets that need them.
    if (this.tlsKeyLog !== null && !this.keyLogWritten) {
      this.keyLogWritten = true;
      this.writer.writeDecryptionSecrets(SECRETS_TLS_KEY_LOG, Buffer.from(this.tlsKeyLog, 'utf8'));
    }
  }

  onInterface(i: InterfaceInfo): void {
    const tsresol = tsresolFromUnits(i.tsUnitsPerSecond);
    if (tsresol === null) throw new RangeError(`interface ${i.id}: cannot express ${i.tsUnitsPerSecond} ticks per second as if_tsresol`);
    this.ifaceMap[i.id] = this.writer.addInterface({
      linkType: i.linkType,
      snaplen: i.snaplen,
      name: i.name,
      description: i.description,
      filter: i.filter,
      os: i.os,
      tsresol,
      tsoffset: i.tsOffsetSeconds,
    });
  }

  onPacket(rec: PacketRecord): void {
    const n = ++this.read;
    if (this.keep !== null && !this.keep(n)) return;
    this.packets++;
    const replaced = this.commentsByPacket.get(n);
    this.writer.writePacket({
      iface: this.ifaceMap[rec.iface]!,
      tsSec: rec.tsSec,
      tsNsec: rec.tsNsec,
      data: rec.data.subarray(rec.dataOffset, rec.dataOffset + rec.caplen),
      wirelen: rec.wirelen,
      comments: replaced ?? rec.comments,
      flags: rec.flags !== 0 ? rec.flags : null,
    });
  }

  onSecrets(s: DecryptionSecrets): void {
    if (this.tlsKeyLog !== null && s.secretsType === SECRETS_TLS_KEY_LOG) return;
    this.writer.writeDecryptionSecrets(s.secretsType, s.data);
  }

  onStatistics(s: InterfaceStatistics): void {
    if (this.keep !== null) return;
    this.writer.writeInterfaceStatistics({ ...s, iface: this.ifaceMap[s.iface]! });
  }
}
