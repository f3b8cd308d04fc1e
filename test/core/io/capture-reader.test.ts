import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureFormatError, ChunkFeeder, detectFormat, readCaptureBytes, readCaptureFile } from '../../../src/core/io/capture-reader';
import type { StopReason } from '../../../src/core/io/types';
import { collector, concatBytes, corpusFiles, corpusPath, hexToBytes, seededRandom, signatures } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'wireladder-io-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let tmpCount = 0;
function tmpFile(bytes: Uint8Array, name = 'capture'): string {
  const path = join(tmp, `${tmpCount++}-${name}`);
  writeFileSync(path, bytes);
  return path;
}

async function readFile(path: string, chunkSize?: number) {
  const c = collector();
  const result = await readCaptureFile(path, c, chunkSize === undefined ? {} : { chunkSize });
  return { packets: signatures(c.packets), records: c.packets, result };
}

/** Feeds `bytes` to a ChunkFeeder in pieces of `size` (or of seeded random sizes when size is 0). */
function readInChunks(bytes: Uint8Array, size: number, seed = 1): { packets: string[]; stop: StopReason | null } {
  const format = detectFormat(bytes);
  if (format === null || format === 'gzip') throw new Error('test input must be a plain capture');
  const c = collector();
  const feeder = new ChunkFeeder(format, c);
  const rnd = seededRandom(seed);
  for (let pos = 0; pos < bytes.length; ) {
    const n = size > 0 ? size : 1 + Math.floor(rnd() * 300);
    // Copy each piece: a stream hands out separate buffers, and offsets must not depend on sharing one.
    feeder.feed(new Uint8Array(bytes.subarray(pos, pos + n)), pos);
    pos += n;
  }
  feeder.finish(bytes.length);
  return { packets: signatures(c.packets), stop: feeder.stop };
}

const plainBytes = (rel: string): Uint8Array => {
  const raw = readFileSync(corpusPath(rel));
  return rel.endsWith('.gz') ? gunzipSync(raw) : raw;
};

interface Boundary {
  start: number;
  end: number;
  packet: boolean;
}

/**
 * Record (pcap) or block (pcapng) boundaries found by a walk independent of the reader; the first
 * entry is the file header (pcap) or the first section header block (pcapng).
 */
function boundaries(bytes: Uint8Array): Boundary[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Boundary[] = [];
  if (detectFormat(bytes) === 'pcap') {
    const little = view.getUint32(0, true) === 0xa1b2c3d4 || view.getUint32(0, true) === 0xa1b23c4d;
    out.push({ start: 0, end: 24, packet: false });
    for (let pos = 24; pos + 16 <= bytes.length; ) {
      const end = pos + 16 + view.getUint32(pos + 8, little);
      if (end > bytes.length) break;
      out.push({ start: pos, end, packet: true });
      pos = end;
    }
    return out;
  }
  let little = true;
  for (let pos = 0; pos + 12 <= bytes.length; ) {
    if (view.getUint32(pos, true) === 0x0a0d0d0a) little = view.getUint32(pos + 8, true) === 0x1a2b3c4d;
    const type = view.getUint32(pos, little);
    const end = pos + view.getUint32(pos + 4, little);
    if (end > bytes.length) break;
    out.push({ start: pos, end, packet: type === 2 || type === 3 || type === 6 });
    pos = end;
  }
  return out;
}

describe('gzip-compressed captures', () => {
  it('tls12-ecdhe.pcap.gz gives exactly the packets of tls12-ecdhe.pcap', async () => {
    const gz = await readFile(corpusPath('local/tls12-ecdhe.pcap.gz'));
    const plain = await readFile(corpusPath('local/tls12-ecdhe.pcap'));
    expect(gz.result).toMatchObject({ format: 'pcap', compressed: true, stop: null, bytes: plain.result.bytes });
    expect(gz.result.packets).toBeGreaterThan(10);
    expect(gz.packets).toEqual(plain.packets);
  });

  it('reads a gzipped pcapng, comments included', async () => {
    const bytes = readFileSync(corpusPath('local/mtls12-annotated.pcapng'));
    const gz = await readFile(tmpFile(gzipSync(bytes), 'annotated.pcapng.gz'));
    const plain = await readFile(corpusPath('local/mtls12-annotated.pcapng'));
    expect(gz.result).toMatchObject({ format: 'pcapng', compressed: true, stop: null });
    expect(gz.packets).toEqual(plain.packets);
    expect(gz.records[5]!.comments).toEqual(['Server asks the client for a certificate (CertificateRequest)']);
  });

  it('keeps every packet before the cut of a truncated .gz and says why it stopped', async () => {
    const gz = readFileSync(corpusPath('local/tls12-ecdhe.pcap.gz'));
    const full = plainBytes('local/tls12-ecdhe.pcap');
    const all = (await readFile(corpusPath('local/tls12-ecdhe.pcap'))).packets;
    const bounds = boundaries(full);
    for (const cut of [1500, 4000, 7000]) {
      // What zlib can inflate from the cut file is the oracle for what must survive.
      const recoverable = gunzipSync(gz.subarray(0, cut), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).length;
      const complete = bounds.filter((b) => b.end <= recoverable);
      const expected = complete.filter((b) => b.packet).length;
      const path = tmpFile(gz.subarray(0, cut), 'cut.pcap.gz');
      for (const chunkSize of [64, 1024, undefined]) {
        const r = await readFile(path, chunkSize);
        expect(r.result.packets, `cut ${cut}, chunk ${chunkSize}`).toBe(expected);
        expect(r.packets).toEqual(all.slice(0, expected));
        expect(r.result.stop?.offset).toBe(complete[complete.length - 1]!.end);
        expect(r.result.stop?.reason).toMatch(/compressed data is damaged: unexpected end of file/);
      }
    }
  });

  it('refuses a gzip file with no capture inside, and one cut inside its gzip header', async () => {
    await expect(readCaptureFile(tmpFile(gzipSync(Buffer.from('just some text, not packets'))), collector())).rejects.toThrow(
      /compressed, but not a capture file inside \(the data inside does not start with the signature of a pcap or pcapng file\)$/,
    );
    const gz = readFileSync(corpusPath('local/tls12-ecdhe.pcap.gz'));
    await expect(readCaptureFile(tmpFile(gz.subarray(0, 6), 'head.gz'), collector())).rejects.toThrow(CaptureFormatError);
  });
});

describe('chunking', () => {
  const files = ['local/mtls12-annotated.pcapng', 'local/tls12-ecdhe.pcap.gz', 'zeek/pcapng-multi-interface.pcapng'];

  it.each(files)('%s: chunk sizes 1, 7, 64, 4096 and the default give identical records', async (rel) => {
    const reference = await readFile(corpusPath(rel));
    expect(reference.result.stop).toBeNull();
    for (const chunkSize of [1, 7, 64, 4096]) {
      const r = await readFile(corpusPath(rel), chunkSize);
      expect(r.result.stop).toBeNull();
      expect(r.packets).toEqual(reference.packets);
    }
  });

  it('a ChunkFeeder gives the same records for every chunk size from 1 to 100 and for random sizes', () => {
    for (const rel of ['local/mtls12-annotated.pcapng', 'local/mtls12.pcap']) {
      const bytes = plainBytes(rel);
      const reference = readInChunks(bytes, bytes.length);
      expect(reference.stop).toBeNull();
      for (let size = 1; size <= 100; size += size < 10 ? 1 : 9) {
        expect(readInChunks(bytes, size)).toEqual(reference);
      }
      for (let seed = 1; seed <= 5; seed++) expect(readInChunks(bytes, 0, seed)).toEqual(reference);
    }
  });
});

describe('bad input', () => {
  it('names the file and says it is not a capture, without quoting any of its bytes', async () => {
    const path = tmpFile(new TextEncoder().encode('<html>not a capture</html>'), 'page.html');
    await expect(readCaptureFile(path, collector())).rejects.toThrow(CaptureFormatError);
    await expect(readCaptureFile(path, collector())).rejects.toThrow(
      /^\d+-page\.html: not a capture file \(it does not start with the signature of a pcap, pcapng or gzip file\)$/,
    );
    expect(() => readCaptureBytes(new TextEncoder().encode('<html>'), collector())).toThrow(CaptureFormatError);
  });

  it('the error for a secret that is not a capture (a password file, a gzip of one) holds none of its contents', async () => {
    const secret = 'root:$6$Zq9vX2$kT8qWmN4:19000:0:99999:7:::\n';
    const bytes = new TextEncoder().encode(secret);
    for (const [data, name] of [[bytes, 'shadow'], [gzipSync(Buffer.from(secret)), 'shadow.gz']] as const) {
      const message = await readCaptureFile(tmpFile(data, name), collector()).then(
        () => '',
        (e: unknown) => (e as Error).message,
      );
      expect(message).toContain('not a capture file');
      const rest = message.replace(/^\d+-/, '').replace(name, '');
      // No run of 3 characters of the file, in text or in hex.
      for (let i = 0; i + 3 <= secret.length; i++) expect(rest).not.toContain(secret.slice(i, i + 3));
      const hex = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0'));
      for (let i = 0; i + 2 <= hex.length; i++) expect(rest).not.toContain(`${hex[i]} ${hex[i + 1]}`);
    }
  });

  it('refuses an empty file', async () => {
    await expect(readCaptureFile(tmpFile(new Uint8Array(0), 'empty.pcap'), collector())).rejects.toThrow(/empty\.pcap: not a capture file \(the file is empty\)/);
  });

  it('stops on a record claiming 4 GiB without allocating it', async () => {
    const pcap = hexToBytes(`
      d4c3b2a1 02000400 00000000 00000000 ffff0000 01000000   # LE pcap header
      00f15365 00000000 ffffffff ffffffff                     # caplen 4 GiB - 1
      00000000
    `);
    const before = process.memoryUsage().arrayBuffers;
    const r = await readFile(tmpFile(pcap));
    expect(r.result.packets).toBe(0);
    expect(r.result.stop).toEqual({
      offset: 24,
      reason: 'damaged record header: captured length 4,294,967,295 bytes is larger than the maximum of 262,144 bytes',
    });
    const ng = hexToBytes(`
      0a0d0d0a 1c000000 4d3c2b1a 01000000 ffffffff ffffffff 1c000000   # SHB
      06000000 f0ffffff 00000000                                      # EPB claiming 4 GiB - 16
    `);
    const r2 = await readFile(tmpFile(ng));
    expect(r2.result.stop).toEqual({ offset: 28, reason: 'damaged block: type 0x00000006 has an impossible length of 4,294,967,280 bytes' });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('a block claiming 16 MiB in a short file costs only the bytes present, whatever the chunk size', () => {
    const ng = hexToBytes(`
      0a0d0d0a 1c000000 4d3c2b1a 01000000 ffffffff ffffffff 1c000000   # SHB
      01000000 00000001                                               # unknown block of 16 MiB
    `);
    const bytes = concatBytes(ng, new Uint8Array(5000));
    for (const size of [1, 7, 4096]) {
      expect(readInChunks(bytes, size).stop).toEqual({
        offset: 28,
        reason: 'truncated record at byte 28: it needs 16,777,216 bytes but the file ends after 5,008 bytes',
      });
    }
  });

  it('never throws on random bytes after a valid header', () => {
    const pcapHeader = hexToBytes('d4c3b2a1 02000400 00000000 00000000 ffff0000 01000000');
    const pcapngHeader = hexToBytes(`
      0a0d0d0a 1c000000 4d3c2b1a 01000000 ffffffff ffffffff 1c000000
      01000000 14000000 0100 0000 00000000 14000000
    `);
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 64 }), (ng, tail, chunk) => {
        const bytes = concatBytes(ng ? pcapngHeader : pcapHeader, tail);
        const whole = readCaptureBytes(bytes, collector());
        // Every packet lies inside the input, and the reader either consumed everything or said why not.
        const c = collector();
        readCaptureBytes(bytes, c);
        for (const p of c.packets) expect(p.dataFileOffset + p.caplen).toBeLessThanOrEqual(bytes.length);
        if (whole.stop === null) expect(c.packets.length).toBe(whole.packets);
        else expect(whole.stop.offset).toBeGreaterThanOrEqual(ng ? 28 : 24);
        expect(readInChunks(bytes, chunk)).toEqual({ packets: signatures(c.packets), stop: whole.stop });
      }),
      { seed: 20260101, numRuns: 400 },
    );
  });

  it('never throws on corrupted copies of real captures, except CaptureFormatError for a broken header', () => {
    const sources = ['local/mtls12-annotated.pcapng', 'zeek/pcapng-multi-interface.pcapng', 'local/http10.pcap'].map(plainBytes);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sources.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (which, edits) => {
          const bytes = sources[which]!.slice();
          for (const [pos, value] of edits) bytes[pos % bytes.length] = value;
          try {
            const c = collector();
            readCaptureBytes(bytes, c);
            for (const p of c.packets) expect(p.dataFileOffset + p.caplen).toBeLessThanOrEqual(bytes.length);
          } catch (err) {
            expect(err).toBeInstanceOf(CaptureFormatError);
          }
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('every corpus capture cut at 30 random points', () => {
  const files = corpusFiles();
  const rnd = seededRandom(0x5eed);
  const cutsOf = (length: number): number[] => Array.from({ length: 30 }, () => Math.floor(rnd() * length));

  it.each(files.filter((f) => !f.endsWith('.gz')))(
    '%s: keeps exactly the complete records and reports where it stopped',
    async (rel) => {
      const bytes = plainBytes(rel);
      const full = readInChunks(bytes, bytes.length);
      expect(full.stop).toBeNull();
      const bounds = boundaries(bytes);
      const header = bounds[0]!;
      const cuts = cutsOf(bytes.length);
      for (const [i, cut] of cuts.entries()) {
        const piece = bytes.subarray(0, cut);
        if (cut < header.end) {
          expect(() => readCaptureBytes(piece, collector()), `cut ${cut}`).toThrow(CaptureFormatError);
          continue;
        }
        const complete = bounds.filter((b) => b.end <= cut);
        const expected = complete.filter((b) => b.packet).length;
        const lastEnd = complete[complete.length - 1]!.end;
        const c = collector();
        const r = readCaptureBytes(piece, c);
        expect(r.packets, `cut ${cut}`).toBe(expected);
        const kept = signatures(c.packets);
        expect(kept).toEqual(full.packets.slice(0, expected));
        if (lastEnd === cut) expect(r.stop).toBeNull();
        else expect(r.stop).toEqual({ offset: lastEnd, reason: expect.stringMatching(/^truncated record at byte/) });
        // The chunked path and the file path agree (tiny chunks and the file path for a few cuts per file).
        expect(readInChunks(piece, i < 5 ? 7 : 1021)).toEqual({ packets: kept, stop: r.stop });
        if (i < 3) {
          const fromFile = await readFile(tmpFile(piece), 64);
          expect(fromFile.result.stop).toEqual(r.stop);
          expect(fromFile.packets).toEqual(kept);
        }
      }
    },
  );

  it.each(files.filter((f) => f.endsWith('.gz')))('%s: a cut compressed file keeps what can be inflated', async (rel) => {
    const gz = readFileSync(corpusPath(rel));
    const plain = gunzipSync(gz);
    const all = readInChunks(plain, plain.length).packets;
    const bounds = boundaries(plain);
    for (const cut of cutsOf(gz.length)) {
      const piece = gz.subarray(0, cut);
      const recoverable = cut < 2 ? 0 : gunzipSync(piece, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).length;
      if (recoverable < bounds[0]!.end) {
        await expect(readCaptureFile(tmpFile(piece), collector())).rejects.toThrow(CaptureFormatError);
        continue;
      }
      const complete = bounds.filter((b) => b.end <= recoverable);
      const expected = complete.filter((b) => b.packet).length;
      const r = await readFile(tmpFile(piece));
      expect(r.result.packets, `cut ${cut}`).toBe(expected);
      expect(r.packets).toEqual(all.slice(0, expected));
      expect(r.result.stop?.offset).toBe(complete[complete.length - 1]!.end);
    }
  });
});
