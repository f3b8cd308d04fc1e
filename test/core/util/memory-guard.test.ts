// A capture too big for memory stops with a clear message and keeps everything read: the guard
// (heap share and resident size), the reader stopping on it between chunks, the CLI's exit status
// and message, and a session's state.

import { afterEach, describe, expect, it } from 'vitest';
import { Analyzer } from '../../../src/core/engine/analyzer';
import { readCaptureFile } from '../../../src/core/io/capture-reader';
import { MemoryGuard, memoryStopMessage, parseByteSize, type MemorySample } from '../../../src/core/util/memory-guard';
import { EngineService } from '../../../src/core/service/engine-service';
import { run, type CliIo } from '../../../src/cli/main';
import { corpusPath } from '../io/helpers';

/** A guard whose memory "runs short" at the `trip`-th check (1-based). */
function trippingGuard(trip: number): { guard: MemoryGuard; checks: () => number } {
  let checks = 0;
  const sample = (): MemorySample => {
    checks++;
    return { heapUsed: checks >= trip ? 95 : 10, heapLimit: 100, rss: 0 };
  };
  return { guard: new MemoryGuard({ sample, rssBytes: 1e12 }), checks: () => checks };
}

const FILE = corpusPath('zeek/http/methods.pcap');

afterEach(() => {
  delete process.env['WIRELADDER_MEMORY_LIMIT'];
});

describe('the memory guard', () => {
  it('reports the heap share or the resident size that passed its limit, and nothing while there is room', () => {
    const at = (m: MemorySample) => new MemoryGuard({ sample: () => m, rssBytes: 1000, heapFraction: 0.85 }).check();
    expect(at({ heapUsed: 80, heapLimit: 100, rss: 999 })).toBeNull();
    expect(at({ heapUsed: 86, heapLimit: 100, rss: 0 })).toBe('the JavaScript heap is 86 % full');
    expect(at({ heapUsed: 0, heapLimit: 100, rss: 2 * 1024 * 1024 })).toMatch(/^resident memory 2 MiB passed the limit of 0 MiB$/);
  });

  it('reads sizes as bytes or with k/M/G, and takes the limit from WIRELADDER_MEMORY_LIMIT', () => {
    expect(parseByteSize('1')).toBe(1);
    expect(parseByteSize('200M')).toBe(200 * 1024 * 1024);
    expect(parseByteSize('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('lots')).toBeNull();
    process.env['WIRELADDER_MEMORY_LIMIT'] = '64M';
    expect(new MemoryGuard().rssBytes).toBe(64 * 1024 * 1024);
  });

  it('says where the read stopped, in the words the app and the CLI show', () => {
    expect(memoryStopMessage(12_345_678, 0.716)).toBe('stopped at 12,345,678 packets (71 %): memory limit reached — the packets read are all available');
  });
});

describe('a read stopped by the guard', () => {
  it('stops between chunks and keeps every packet read, analysed', async () => {
    const whole = new Analyzer();
    const all = await readCaptureFile(FILE, whole, { chunkSize: 4096 });
    whole.finish();
    const { guard, checks } = trippingGuard(3);
    const analyzer = new Analyzer();
    const r = await readCaptureFile(FILE, analyzer, { chunkSize: 4096, memoryGuard: guard });
    analyzer.finish();
    expect(checks()).toBe(3);
    expect(r.stop).toBeNull();
    expect(r.memoryLimit).not.toBeNull();
    const limit = r.memoryLimit!;
    expect(limit.packets).toBe(r.packets);
    expect(r.packets).toBe(analyzer.index.count);
    expect(r.packets).toBeGreaterThan(0);
    expect(r.packets).toBeLessThan(all.packets);
    // Three chunks of 4 KiB read, all complete records of them delivered.
    expect(limit.fraction).toBeGreaterThan(0);
    expect(limit.fraction).toBeLessThan(1);
    expect(limit.message).toBe(memoryStopMessage(r.packets, limit.fraction));
    expect(limit.detail).toBe('the JavaScript heap is 95 % full');
    // What was read is what the whole read saw for those packets.
    for (let row = 0; row < r.packets; row++) {
      expect([analyzer.index.stream(row), analyzer.index.info(row), analyzer.index.fileOffset(row)]).toEqual([whole.index.stream(row), whole.index.info(row), whole.index.fileOffset(row)]);
    }
  });

  it('with a tiny real limit (1 byte of resident memory) stops after the first chunk', async () => {
    const analyzer = new Analyzer();
    const r = await readCaptureFile(FILE, analyzer, { chunkSize: 4096, memoryGuard: new MemoryGuard({ rssBytes: 1 }) });
    expect(r.memoryLimit?.detail).toMatch(/^resident memory .* passed the limit of 0 MiB$/);
    expect(r.memoryLimit!.fraction).toBeLessThanOrEqual(4096 / 20_000);
    expect(analyzer.index.count).toBe(r.packets);
  });

  it('the CLI prints what was read, then the message, and exits 1 (WIRELADDER_MEMORY_LIMIT=1)', async () => {
    process.env['WIRELADDER_MEMORY_LIMIT'] = '1';
    let out = '';
    let err = '';
    const io: CliIo = { stdout: { write: (s: string) => ((out += s), true) }, out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
    expect(await run(['packets', FILE], io)).toBe(1);
    expect(err).toMatch(/^wireladder: methods\.pcap: stopped at \d+ packets \(100 %\): memory limit reached — the packets read are all available \(resident memory/);
    const packets = Number(/stopped at (\d+) packets/.exec(err)![1]);
    expect(out.trimEnd().split('\n')).toHaveLength(packets);
  });

  it('a session stopped by the guard keeps its rows and says why', async () => {
    process.env['WIRELADDER_MEMORY_LIMIT'] = '1';
    const service = new EngineService();
    const opened = await service.openFile({ path: FILE });
    const info = await service.whenLoaded(opened.session);
    expect(info.memoryLimit).toMatch(/^stopped at \d+ packets \(100 %\): memory limit reached — the packets read are all available$/);
    expect(info.error).toBeNull();
    expect(info.packets).toBeGreaterThan(0);
    const page = await service.rows({ session: opened.session, start: 0, count: 10 });
    expect(page.rows).toHaveLength(10);
  });
});
