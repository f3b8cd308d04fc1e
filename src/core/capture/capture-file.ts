// The pcapng file a capture writes, seen from outside the capture process: where its whole blocks
// end (for following it while it grows) and how to close it properly after the process died.

import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { BLOCK_EPB } from '../io/pcapng-reader';
import { MAX_BLOCK_SIZE } from '../io/record-parser';
import { PcapngWriter } from '../io/pcapng-writer';
import { CAPTURE_TSRESOL } from './protocol';

export interface BlockWalk {
  /** Bytes from the start made of whole blocks. */
  length: number;
  /** Enhanced packet blocks among them. */
  packets: number;
  /** A block header that cannot be right (the file is not one of ours, or damaged) stopped the walk. */
  damaged: boolean;
}

/**
 * Walks the pcapng blocks in `bytes[0, end)` (little-endian, as the capture process writes them)
 * and says how many bytes are whole blocks. The rest is a block still being written.
 */
export function wholeBlocks(bytes: Uint8Array, end: number): BlockWalk {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let packets = 0;
  while (pos + 12 <= end) {
    const type = view.getUint32(pos, true);
    const len = view.getUint32(pos + 4, true);
    if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK_SIZE) return { length: pos, packets, damaged: true };
    if (pos + len > end) break;
    if (type === BLOCK_EPB) packets++;
    pos += len;
  }
  return { length: pos, packets, damaged: false };
}

/** Bytes of an Interface Statistics Block for interface 0 of a file we wrote (if_tsresol CAPTURE_TSRESOL). */
export function statisticsBlock(s: {
  received: number | null;
  droppedByInterface: number | null;
  droppedByOs: number | null;
  acceptedByFilter: number | null;
  delivered: number | null;
}): Uint8Array {
  let out: Uint8Array | null = null;
  const w = new PcapngWriter((b) => {
    out = b.slice();
  });
  w.writeSectionHeader();
  w.addInterface({ linkType: 1, snaplen: 0, tsresol: CAPTURE_TSRESOL });
  const now = Date.now();
  const sec = Math.floor(now / 1000);
  w.writeInterfaceStatistics({ iface: 0, tsSec: sec, tsNsec: (now - sec * 1000) * 1e6, ...s });
  return out!;
}

export interface RepairResult {
  /** Packets found after `from`. */
  packets: number;
  /** Bytes of an unfinished block that were cut off. */
  cut: number;
  /** Size of the file afterwards. */
  size: number;
  /** Whether a statistics block was appended. */
  statistics: boolean;
}

/**
 * Closes a capture file whose capture process died (killed, crashed, or gone with its interface):
 * cuts off a block left half-written and appends the statistics block the process could not write.
 * `from` must be a block boundary (the last size the process reported, or 0).
 */
export function repairCaptureFile(
  path: string,
  from: number,
  stats: (packetsAfterFrom: number) => Parameters<typeof statisticsBlock>[0] | null,
): RepairResult {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    let pos = Math.min(from, size);
    let packets = 0;
    let chunk = new Uint8Array(4 * 1024 * 1024);
    while (pos < size) {
      const want = Math.min(chunk.length, size - pos);
      const n = readSync(fd, chunk, 0, want, pos);
      if (n <= 0) break;
      const walk = wholeBlocks(chunk, n);
      packets += walk.packets;
      pos += walk.length;
      if (walk.damaged) break;
      if (walk.length === 0) {
        // One block larger than the chunk: read it whole, or stop if the file ends inside it.
        const len = new DataView(chunk.buffer).getUint32(4, true);
        if (n < 12 || pos + len > size) break;
        chunk = new Uint8Array(len);
      }
    }
    const cut = size - pos;
    if (cut > 0) ftruncateSync(fd, pos);
    let end = pos;
    const s = pos >= 28 ? stats(packets) : null; // a file without its section header gets nothing
    if (s !== null) {
      const block = statisticsBlock(s);
      let done = 0;
      try {
        while (done < block.length) done += writeSync(fd, block, done, block.length - done, pos + done);
        end += block.length;
      } catch {
        if (done > 0) ftruncateSync(fd, pos);
      }
    }
    fsyncSync(fd);
    return { packets, cut, size: end, statistics: end > pos };
  } finally {
    closeSync(fd);
  }
}
