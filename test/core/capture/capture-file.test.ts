// The capture file seen from outside the helper: where whole blocks end, and closing a file whose
// helper died mid-write.

import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repairCaptureFile, wholeBlocks } from '../../../src/core/capture/capture-file';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import { PcapngWriter } from '../../../src/core/io/pcapng-writer';

const dir = mkdtempSync(join(tmpdir(), 'wireladder-capture-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(path: string, packets: number): void {
  const w = PcapngWriter.create(path);
  w.writeSectionHeader();
  w.addInterface({ linkType: 1, snaplen: 65535, name: 'lo', tsresol: 6 });
  for (let i = 0; i < packets; i++) w.writePacket({ iface: 0, tsSec: 1_700_000_000 + i, tsNsec: 0, data: new Uint8Array(60).fill(i) });
  w.close();
}

describe('wholeBlocks', () => {
  it('stops before a block that is still being written', () => {
    const path = join(dir, 'walk.pcapng');
    capture(path, 3);
    const bytes = new Uint8Array(readFileSync(path));
    expect(wholeBlocks(bytes, bytes.length)).toEqual({ length: bytes.length, packets: 3, damaged: false });
    // SHB 28 + IDB (name, tsresol) + EPBs of 92 bytes: cut the last one in half.
    expect(wholeBlocks(bytes, bytes.length - 40)).toEqual({ length: bytes.length - 92, packets: 2, damaged: false });
    const bad = bytes.slice();
    new DataView(bad.buffer).setUint32(bytes.length - 92 + 4, 7, true);
    expect(wholeBlocks(bad, bad.length)).toEqual({ length: bytes.length - 92, packets: 2, damaged: true });
  });
});

describe('repairCaptureFile', () => {
  it('cuts a half-written block and appends the statistics block', async () => {
    const path = join(dir, 'died.pcapng');
    capture(path, 5);
    const whole = statSync(path).size;
    appendFileSync(path, Buffer.from([6, 0, 0, 0, 92, 0, 0, 0, 1, 2, 3])); // an EPB cut short
    const r = repairCaptureFile(path, 0, (packets) => ({ received: null, droppedByInterface: 0, droppedByOs: null, acceptedByFilter: null, delivered: packets }));
    expect(r).toMatchObject({ packets: 5, cut: 11, statistics: true });
    expect(statSync(path).size).toBe(r.size);
    expect(r.size).toBeGreaterThan(whole);
    const { analyzer, result } = await analyzeFile(path);
    expect(result.stop).toBeNull();
    expect(analyzer.index.count).toBe(5);
    expect(analyzer.statistics[0]).toMatchObject({ delivered: 5, droppedByInterface: 0, received: null });
  });
});
