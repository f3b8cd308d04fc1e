// Random access to packet bytes by file offset (the index keeps offsets, never packet copies).
// Compressed captures are spooled, decompressed, to a temporary file while they load.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class RecordStore {
  private fd: number;
  private readonly spoolDir: string | null;
  private spoolFd: number | null = null;
  private closed = false;

  private constructor(fd: number, spoolDir: string | null) {
    this.fd = fd;
    this.spoolDir = spoolDir;
  }

  /** Reads the capture file in place (uncompressed captures). */
  static forFile(path: string): RecordStore {
    return new RecordStore(openSync(path, 'r'), null);
  }

  /**
   * The store for a capture file: the file itself, or a spool when it is gzip-compressed. Give
   * `append` as the read's onChunk either way (it does nothing for a plain file).
   */
  static forCapture(path: string): RecordStore {
    const fd = openSync(path, 'r');
    try {
      const head = new Uint8Array(2);
      const n = readSync(fd, head, 0, 2, 0);
      if (n === 2 && head[0] === 0x1f && head[1] === 0x8b) return RecordStore.spooled();
    } finally {
      closeSync(fd);
    }
    return RecordStore.forFile(path);
  }

  /** Whether this store is a spool of a decompressed stream (filled through `append`). */
  get isSpool(): boolean {
    return this.spoolDir !== null;
  }

  /** A store that receives the decompressed stream chunk by chunk (see `append`). */
  static spooled(): RecordStore {
    const dir = mkdtempSync(join(tmpdir(), 'wireladder-'));
    const path = join(dir, 'decompressed.cap');
    const store = new RecordStore(openSync(path, 'w+'), dir);
    store.spoolFd = store.fd;
    return store;
  }

  /** Appends decompressed bytes (spooled stores only); offsets are those of the stream. */
  append(chunk: Uint8Array, offset: number): void {
    if (this.spoolFd === null) return;
    let done = 0;
    while (done < chunk.length) done += writeSync(this.spoolFd, chunk, done, chunk.length - done, offset + done);
  }

  /** Copies `length` bytes at `offset` (a packet's bytes, by its index entry). */
  read(offset: number, length: number): Uint8Array {
    if (this.closed) throw new Error('record store is closed');
    const buf = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return done === length ? buf : buf.subarray(0, done);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    if (this.spoolDir !== null) rmSync(this.spoolDir, { recursive: true, force: true });
  }
}
