// Whole pcapng blocks collected into large writes. The file only ever grows by whole blocks: a
// failed write (full disk) is cut back to the last whole block, so the file stays valid up to the
// last packet written, and a crash loses at most the batch not yet flushed.

import { ftruncateSync, writeSync } from 'node:fs';

/** The two file operations used (replaceable in tests to simulate a full disk). */
export interface FileOps {
  write(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number;
  truncate(fd: number, length: number): void;
}

const nodeOps: FileOps = {
  write: (fd, buf, offset, length, position) => writeSync(fd, buf, offset, length, position),
  truncate: (fd, length) => ftruncateSync(fd, length),
};

export interface BatchFileOptions {
  /** Write out once this many bytes are waiting (default 64 KiB). */
  flushBytes?: number;
  /** Initial buffer size (default 1 MiB; grows for a block larger than that). */
  capacity?: number;
  ops?: FileOps;
}

export class BatchFile {
  /** Bytes in the file: whole blocks only. */
  committed = 0;
  /** Blocks in the file. */
  committedBlocks = 0;
  /** The write error that stopped the file, if any (no more blocks are taken after it). */
  error: NodeJS.ErrnoException | null = null;
  private buf: Uint8Array;
  private used = 0;
  private usedBlocks = 0;
  private readonly flushBytes: number;
  private readonly ops: FileOps;

  constructor(
    readonly fd: number,
    opts: BatchFileOptions = {},
  ) {
    this.flushBytes = opts.flushBytes ?? 64 * 1024;
    this.buf = new Uint8Array(Math.max(opts.capacity ?? 1024 * 1024, this.flushBytes * 2));
    this.ops = opts.ops ?? nodeOps;
  }

  /** File size once everything appended is written. */
  get size(): number {
    return this.committed + this.used;
  }

  get pending(): number {
    return this.used;
  }

  /**
   * Takes one whole block (copied: the writer reuses its buffer). Never throws: after a failed
   * write `error` is set and further blocks are dropped, so the caller checks `error` and stops.
   */
  readonly append = (block: Uint8Array): void => {
    if (this.error !== null) return;
    const n = block.length;
    if (this.used + n > this.buf.length) {
      if (!this.flush()) return;
      if (n > this.buf.length) this.buf = new Uint8Array(n * 2);
    }
    this.buf.set(block, this.used);
    this.used += n;
    this.usedBlocks++;
    if (this.used >= this.flushBytes) this.flush();
  };

  /** Writes what is waiting; false (and `error` set) when the write failed. */
  flush(): boolean {
    if (this.error !== null) return false;
    if (this.used === 0) return true;
    const ok = this.writeAt(this.buf, this.used, this.usedBlocks);
    this.used = 0;
    this.usedBlocks = 0;
    return ok;
  }

  /**
   * After a failed write: tries once more to append one block (the statistics block that closes a
   * capture) directly, keeping the file whole if that fails too. Returns whether it was written.
   */
  appendAfterError(block: Uint8Array): boolean {
    this.used = 0;
    this.usedBlocks = 0;
    const saved = this.error;
    this.error = null;
    const ok = this.writeAt(block, block.length, 1);
    // The file stays stopped: the first error is the one to report.
    this.error = saved ?? this.error;
    return ok;
  }

  private writeAt(bytes: Uint8Array, length: number, blocks: number): boolean {
    let done = 0;
    try {
      while (done < length) done += this.ops.write(this.fd, bytes, done, length - done, this.committed + done);
      this.committed += length;
      this.committedBlocks += blocks;
      return true;
    } catch (err) {
      this.error = err as NodeJS.ErrnoException;
      // A partial write ends in the middle of a block: cut it off (shrinking needs no space).
      if (done > 0) {
        try {
          this.ops.truncate(this.fd, this.committed);
        } catch {
          // The reader still stops cleanly at a truncated last block.
        }
      }
      return false;
    }
  }
}
