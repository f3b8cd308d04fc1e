import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCaptureBytes, readCaptureFile } from '../../../src/core/io/capture-reader';
import { collector, corpusFiles, corpusPath, hexToBytes } from './helpers';

interface OraclePacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Buffer;
}
interface OracleResult {
  linkType: number;
  snaplen: number;
  packets: OraclePacket[];
}

// pcap-parser (test-only oracle) walks classic pcap records independently of our reader.
const pcapParser = createRequire(import.meta.url)('pcap-parser') as {
  parse(input: string | Readable): NodeJS.EventEmitter;
};

function oracle(rel: string): Promise<OracleResult> {
  const path = corpusPath(rel);
  const input = rel.endsWith('.gz') ? createReadStream(path).pipe(createGunzip()) : path;
  return new Promise((resolve, reject) => {
    const r: OracleResult = { linkType: -1, snaplen: -1, packets: [] };
    const p = pcapParser.parse(input);
    p.on('globalHeader', (h: { linkLayerType: number; snapshotLength: number }) => {
      r.linkType = h.linkLayerType;
      r.snaplen = h.snapshotLength;
    });
    p.on('packet', (pkt: OraclePacket) => r.packets.push(pkt));
    p.on('error', reject);
    p.on('end', () => resolve(r));
  });
}

// Classic pcap, little-endian, microseconds: one complete record and one cut by the snaplen.
const leMicro = hexToBytes(`
  d4c3b2a1            # magic 0xa1b2c3d4 written little-endian: microseconds
  0200 0400           # version 2.4
  00000000 00000000   # thiszone, sigfigs
  00000400            # snaplen 262144
  01000000            # link type 1 (Ethernet)
  00f15365 40e20100   # ts 1700000000 s, 123456 us
  04000000 04000000   # caplen 4, len 4
  deadbeef
  01f15365 00000000   # ts 1700000001 s, 0 us
  04000000 ea050000   # caplen 4 < len 1514: cut by the snaplen
  01020304
`);

// Big-endian, nanoseconds, raw IP.
const beNano = hexToBytes(`
  a1b23c4d            # magic 0xa1b23c4d big-endian: nanoseconds
  0002 0004           # version 2.4
  00000000 00000000
  0000ffff            # snaplen 65535
  00000065            # link type 101 (raw IP)
  6553f100 3b9ac9ff   # ts 1700000000 s, 999999999 ns
  00000002 00000002   # caplen 2, len 2
  4500
`);

describe('pcap reader', () => {
  it('reads little-endian microsecond files and keeps snaplen-cut lengths', () => {
    const c = collector();
    const r = readCaptureBytes(leMicro, c);
    expect(r).toMatchObject({ format: 'pcap', packets: 2, stop: null });
    expect(c.interfaces).toEqual([
      expect.objectContaining({ id: 0, linkType: 1, snaplen: 262144, tsUnitsPerSecond: 1e6, tsOffsetSeconds: 0 }),
    ]);
    expect(c.sections[0]).toMatchObject({ littleEndian: true, versionMajor: 2, versionMinor: 4 });
    expect(c.packets[0]).toMatchObject({ tsSec: 1700000000, tsNsec: 123456000, caplen: 4, wirelen: 4, dataFileOffset: 40 });
    expect([...c.packets[0]!.data]).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(c.packets[1]).toMatchObject({ tsSec: 1700000001, tsNsec: 0, caplen: 4, wirelen: 1514, comments: null, flags: 0 });
  });

  it('reads big-endian nanosecond files and keeps the link type', () => {
    const c = collector();
    expect(readCaptureBytes(beNano, c)).toMatchObject({ packets: 1, stop: null });
    expect(c.sections[0]!.littleEndian).toBe(false);
    expect(c.interfaces[0]).toMatchObject({ linkType: 101, snaplen: 65535, tsUnitsPerSecond: 1e9 });
    expect(c.packets[0]).toMatchObject({ tsSec: 1700000000, tsNsec: 999999999, caplen: 2, wirelen: 2 });
  });

  it('carries a fraction of one second or more into the seconds, as Wireshark does', () => {
    const micro = hexToBytes(`
      d4c3b2a1 02000400 00000000 00000000 ffff0000 01000000   # LE, microseconds
      00f15365 60e31600 00000000 00000000                     # 1700000000 s + 1,500,000 us, empty packet
    `);
    const nano = hexToBytes(`
      a1b23c4d 00020004 00000000 00000000 0000ffff 00000001   # BE, nanoseconds
      6553f100 77359401 00000000 00000000                     # 1700000000 s + 2,000,000,001 ns
    `);
    const a = collector();
    readCaptureBytes(micro, a);
    expect(a.packets[0]).toMatchObject({ tsSec: 1700000001, tsNsec: 500000000 });
    const b = collector();
    readCaptureBytes(nano, b);
    expect(b.packets[0]).toMatchObject({ tsSec: 1700000002, tsNsec: 1 });
  });

  it('takes only the low 16 bits of the link-type field (the top bits hold the FCS length)', () => {
    const withFcs = hexToBytes(`
      d4c3b2a1 02000400 00000000 00000000 ffff0000
      01000014            # 0x14000001: FCS-length-present bit, FCS length 1 (16-bit units), Ethernet
    `);
    const c = collector();
    expect(readCaptureBytes(withFcs, c)).toMatchObject({ packets: 0, stop: null });
    expect(c.interfaces[0]!.linkType).toBe(1);
  });

  it("reads Kuznetzov's modified pcap with 24-byte record headers", () => {
    const kuz = hexToBytes(`
      34cdb2a1 02000400 00000000 00000000 ffff0000 01000000   # magic 0xa1b2cd34, LE
      00f15365 01000000 02000000 02000000                     # ts, caplen 2, len 2
      02000000 0008 00 00                                     # ifindex 2, protocol, pkt_type, pad
      abcd
    `);
    const c = collector();
    expect(readCaptureBytes(kuz, c)).toMatchObject({ packets: 1, stop: null });
    expect(c.packets[0]).toMatchObject({ tsSec: 1700000000, tsNsec: 1000, caplen: 2, dataFileOffset: 48 });
    expect([...c.packets[0]!.data]).toEqual([0xab, 0xcd]);
  });

  it('reads a header-only capture as zero packets without an error', async () => {
    const c = collector();
    const r = await readCaptureFile(corpusPath('zeek/empty.pcap'), c);
    expect(r).toMatchObject({ format: 'pcap', packets: 0, stop: null, bytes: 24 });
    expect(c.interfaces).toHaveLength(1);
  });

  const classic = corpusFiles().filter((f) => /\.pcap(\.gz)?$/.test(f));

  it('finds the classic pcap files of the corpus', () => {
    expect(classic.length).toBeGreaterThan(60);
  });

  it.each(classic)('%s: same records as pcap-parser (boundaries, lengths, timestamps, link type)', async (rel) => {
    const expected = await oracle(rel);
    const c = collector();
    const r = await readCaptureFile(corpusPath(rel), c);
    expect(r.stop).toBeNull();
    expect(r.packets).toBe(expected.packets.length);
    expect(c.interfaces[0]!.linkType).toBe(expected.linkType);
    expect(c.interfaces[0]!.snaplen).toBe(expected.snaplen);
    const got = c.packets.map((p) => [p.tsSec, p.tsNsec / 1000, p.caplen, p.wirelen]);
    const want = expected.packets.map((p) => [
      p.header.timestampSeconds,
      p.header.timestampMicroseconds,
      p.header.capturedLength,
      p.header.originalLength,
    ]);
    expect(got).toEqual(want);
    // The bytes, and the offset that re-reads them from the (decompressed) file later.
    const file = rel.endsWith('.gz') ? gunzipSync(readFileSync(corpusPath(rel))) : readFileSync(corpusPath(rel));
    c.packets.forEach((p, i) => {
      expect(Buffer.from(p.data).equals(expected.packets[i]!.data)).toBe(true);
      expect(file.subarray(p.dataFileOffset, p.dataFileOffset + p.caplen).equals(expected.packets[i]!.data)).toBe(true);
    });
  });
});
