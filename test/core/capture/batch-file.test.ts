// BatchFile: whole blocks gathered into large writes, and a full disk that leaves the file whole.

import { describe, expect, it } from 'vitest';
import { BatchFile, type FileOps } from '../../../src/core/capture/batch-file';

/** An in-memory file on a disk that holds `capacity` bytes; writes past it fail with ENOSPC after a partial write. */
function disk(capacity: number): FileOps & { bytes: number[]; writes: number } {
  const d = {
    bytes: [] as number[],
    writes: 0,
    write(_fd: number, buf: Uint8Array, offset: number, length: number, position: number): number {
      d.writes++;
      const room = capacity - position;
      if (room <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = Math.min(room, length);
      for (let i = 0; i < n; i++) d.bytes[position + i] = buf[offset + i]!;
      return n;
    },
    truncate(_fd: number, length: number): void {
      d.bytes.length = length;
    },
  };
  return d;
}

const block = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe('BatchFile', () => {
  it('collects blocks and writes them once 64 KiB are waiting', () => {
    const d = disk(1 << 30);
    const f = new BatchFile(3, { ops: d });
    for (let i = 0; i < 100; i++) f.append(block(1000, i));
    expect(d.writes).toBe(1); // the 66th block reached 65,536 bytes
    expect(f.committed).toBe(66_000);
    expect(f.committedBlocks).toBe(66);
    expect(f.size).toBe(100_000);
    expect(f.flush()).toBe(true);
    expect(f.committed).toBe(100_000);
    expect(d.bytes.length).toBe(100_000);
    expect(d.bytes[99_999]).toBe(99);
  });

  it('cuts a half-written batch off when the disk fills, keeping every whole block before it', () => {
    const d = disk(5_500);
    const f = new BatchFile(3, { ops: d, flushBytes: 2_000 });
    for (let i = 0; i < 10 && f.error === null; i++) f.append(block(1000, i + 1));
    expect(f.error?.code).toBe('ENOSPC');
    // Two batches of two blocks fitted; the third was cut back to the last whole block.
    expect(f.committed).toBe(4_000);
    expect(f.committedBlocks).toBe(4);
    expect(d.bytes.length).toBe(4_000);
    // Later blocks are dropped, nothing throws.
    f.append(block(1000, 0xee));
    expect(f.flush()).toBe(false);
    // The closing statistics block still fits in what is left.
    expect(f.appendAfterError(block(100, 0xaa))).toBe(true);
    expect(d.bytes.length).toBe(4_100);
    expect(f.error?.code).toBe('ENOSPC');
    // A second one does not, and leaves the file as it was.
    expect(f.appendAfterError(block(2000, 0xbb))).toBe(false);
    expect(d.bytes.length).toBe(4_100);
  });

  it('writes a block larger than its buffer', () => {
    const d = disk(1 << 30);
    const f = new BatchFile(3, { ops: d, capacity: 4096, flushBytes: 1024 });
    f.append(block(100, 1));
    f.append(block(70_000, 2));
    f.flush();
    expect(d.bytes.length).toBe(70_100);
    expect(f.committedBlocks).toBe(2);
  });
});
