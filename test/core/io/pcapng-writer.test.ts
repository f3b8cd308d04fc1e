import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readCaptureBytes, readCaptureFile } from '../../../src/core/io/capture-reader';
import {
  PcapngWriter,
  rewriteCapture,
  ticksFromNanos,
  timestampWords,
  tsresolFromUnits,
  type TimestampWords,
} from '../../../src/core/io/pcapng-writer';
import { splitTimestamp } from '../../../src/core/io/timestamp';
import { SECRETS_TLS_KEY_LOG } from '../../../src/core/io/types';
import {
  collector,
  concatBytes,
  corpusFiles,
  corpusPath,
  epoch9,
  hasTshark,
  hexToBytes,
  seededRandom,
  tsharkJson,
  type Collected,
  type Rec,
} from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'wireladder-writer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let tmpCount = 0;
const tmpPath = (name: string): string => join(tmp, `${tmpCount++}-${name}`);

/** A writer whose every write call is kept, for block-level assertions. */
function memoryWriter(): { writer: PcapngWriter; writes: Uint8Array[]; bytes: () => Uint8Array } {
  const writes: Uint8Array[] = [];
  const writer = new PcapngWriter((b) => writes.push(b.slice()));
  return { writer, writes, bytes: () => concatBytes(...writes) };
}

function readBytes(bytes: Uint8Array): Collected & { stop: unknown } {
  const c = collector();
  const r = readCaptureBytes(bytes, c);
  return Object.assign(c, { stop: r.stop });
}

async function readPath(path: string): Promise<Collected> {
  const c = collector();
  const r = await readCaptureFile(path, c);
  expect(r.stop).toBeNull();
  return c;
}

/** Every packet field except its place in the file (a rewrite moves packets). */
const content = (p: Rec) => ({ ...p, dataFileOffset: 0, data: Buffer.from(p.data).toString('base64') });

const KEY_LOG = 'CLIENT_RANDOM 0a0b 0c0d\n';

/** The round-trip capture: two interfaces, packets with 0/1/2 comments and flags, a DSB, an ISB. */
function writeSample(writer: PcapngWriter): void {
  writer.writeSectionHeader({ hardware: 'x86_64', os: 'Linux 6.8', application: 'WireLadder test', comments: ['first capture', 'second line'] });
  const eth = writer.addInterface({
    linkType: 1,
    snaplen: 65535,
    name: 'eth0',
    description: 'wired',
    filter: 'tcp port 443',
    os: 'Linux',
    tsresol: 6,
  });
  const raw = writer.addInterface({ linkType: 101, snaplen: 262144 });
  writer.writePacket({ iface: eth, tsSec: 1700000000, tsNsec: 123456789, data: Uint8Array.of(1, 2, 3, 4, 5) });
  writer.writePacket({ iface: raw, tsSec: 1700000000, tsNsec: 123456789, data: Uint8Array.of(0x45), wirelen: 1500, comments: ['SYN'], flags: 0x1 });
  writer.writePacket({ iface: raw, tsSec: 4102444800, tsNsec: 999999999, data: new Uint8Array(0), comments: ['café ✓', 'tab\there, line\nbreak'], flags: 0x2 });
  writer.writePacket({ iface: eth, tsSec: 0, tsNsec: 0, data: Uint8Array.of(9, 8, 7), flags: 0 });
  writer.writeDecryptionSecrets(SECRETS_TLS_KEY_LOG, new TextEncoder().encode(KEY_LOG));
  writer.writeInterfaceStatistics({ iface: raw, tsSec: 1700000001, tsNsec: 5, received: 4, droppedByInterface: 0, droppedByOs: 2 ** 40, delivered: 3 });
}

describe('pcapng timestamps without BigInt', () => {
  it('timestampWords splits sec * units + ticks exactly, for every supported resolution', () => {
    const rnd = seededRandom(7);
    const out: TimestampWords = { hi: 0, lo: 0 };
    for (const units of [1, 1e3, 1e6, 1e9, 1e10, 2 ** 20, 2 ** 30, 2 ** 36]) {
      const maxSec = Math.min(2 ** 53, Math.floor(2 ** 64 / units) - 1);
      const cases: Array<[number, number]> = [
        [0, 0],
        [0, units - 1],
        [Math.min(maxSec, 1700000000), 0],
        [Math.min(maxSec, 2 ** 32 - 1), units - 1],
        [Math.min(maxSec, 2 ** 34), units - 1],
        [maxSec, units - 1], // the largest instant the 64 bits hold
      ];
      for (let i = 0; i < 200; i++) cases.push([Math.floor(rnd() * Math.min(maxSec, 2 ** 35)), Math.floor(rnd() * units)]);
      for (const [sec, ticks] of cases) {
        timestampWords(sec, ticks, units, out);
        const want = BigInt(sec) * BigInt(units) + BigInt(ticks);
        expect((BigInt(out.hi) << 32n) | BigInt(out.lo), `${sec} ${ticks} @${units}`).toBe(want);
      }
    }
  });

  it('a nanosecond timestamp goes through the writer words and the reader split unchanged', () => {
    const rnd = seededRandom(11);
    const words: TimestampWords = { hi: 0, lo: 0 };
    const back = { sec: 0, nsec: 0 };
    for (let i = 0; i < 1000; i++) {
      const sec = Math.floor(rnd() * 2 ** 34); // up to the year 2514
      const nsec = Math.floor(rnd() * 1e9);
      timestampWords(sec, nsec, 1e9, words);
      splitTimestamp(words.hi, words.lo, 1e9, back);
      expect(back).toEqual({ sec, nsec });
    }
  });

  it('ticksFromNanos inverts the reader for binary resolutions, where a tick is not whole nanoseconds', () => {
    const back = { sec: 0, nsec: 0 };
    const words: TimestampWords = { hi: 0, lo: 0 };
    for (const units of [2 ** 10, 2 ** 20, 2 ** 29]) {
      const rnd = seededRandom(units);
      for (let i = 0; i < 500; i++) {
        const tick = Math.floor(rnd() * units);
        timestampWords(1700000000, tick, units, words);
        splitTimestamp(words.hi, words.lo, units, back);
        expect(ticksFromNanos(back.nsec, units), `tick ${tick} of 1/${units}`).toBe(tick);
      }
    }
    expect(ticksFromNanos(123456789, 1e6)).toBe(123456); // decimal resolutions truncate
    expect(ticksFromNanos(5, 1e10)).toBe(50);
  });

  it('maps units per second back to if_tsresol', () => {
    expect([1e6, 1e9, 1, 2 ** 20, 3].map(tsresolFromUnits)).toEqual([6, 9, 0, 0x94, null]);
  });
});

describe('PcapngWriter', () => {
  it('writes SHB, IDBs, EPBs, DSB and ISB that our reader gives back field by field', () => {
    const { writer, bytes } = memoryWriter();
    writeSample(writer);
    writer.close();
    const r = readBytes(bytes());
    expect(r.stop).toBeNull();
    expect(r.sections).toEqual([
      {
        index: 0,
        littleEndian: true,
        versionMajor: 1,
        versionMinor: 0,
        hardware: 'x86_64',
        os: 'Linux 6.8',
        application: 'WireLadder test',
        comments: ['first capture', 'second line'],
      },
    ]);
    expect(r.interfaces).toEqual([
      { id: 0, section: 0, linkType: 1, snaplen: 65535, tsUnitsPerSecond: 1e6, tsOffsetSeconds: 0, name: 'eth0', description: 'wired', filter: 'tcp port 443', os: 'Linux' },
      { id: 1, section: 0, linkType: 101, snaplen: 262144, tsUnitsPerSecond: 1e9, tsOffsetSeconds: 0, name: null, description: null, filter: null, os: null },
    ]);
    expect(r.packets.map((p) => ({ ...p, data: [...p.data], dataFileOffset: undefined }))).toEqual([
      // Interface 0 counts microseconds: the nanoseconds are truncated.
      { iface: 0, tsSec: 1700000000, tsNsec: 123456000, caplen: 5, wirelen: 5, comments: null, flags: 0, data: [1, 2, 3, 4, 5], dataFileOffset: undefined },
      { iface: 1, tsSec: 1700000000, tsNsec: 123456789, caplen: 1, wirelen: 1500, comments: ['SYN'], flags: 1, data: [0x45], dataFileOffset: undefined },
      { iface: 1, tsSec: 4102444800, tsNsec: 999999999, caplen: 0, wirelen: 0, comments: ['café ✓', 'tab\there, line\nbreak'], flags: 2, data: [], dataFileOffset: undefined },
      { iface: 0, tsSec: 0, tsNsec: 0, caplen: 3, wirelen: 3, comments: null, flags: 0, data: [9, 8, 7], dataFileOffset: undefined },
    ]);
    expect(r.secrets.map((s) => [s.secretsType, Buffer.from(s.data).toString()])).toEqual([[SECRETS_TLS_KEY_LOG, KEY_LOG]]);
    expect(r.stats).toEqual([
      { iface: 1, tsSec: 1700000001, tsNsec: 5, received: 4, droppedByInterface: 0, droppedByOs: 2 ** 40, acceptedByFilter: null, delivered: 3 },
    ]);
  });

  it('lays out an EPB as the spec says (commented bytes)', () => {
    const { writer, writes } = memoryWriter();
    writer.writeSectionHeader();
    writer.addInterface({ linkType: 1, snaplen: 0 });
    writer.writePacket({ iface: 0, tsSec: 1700000000, tsNsec: 123456789, data: Uint8Array.of(0xaa, 0xbb, 0xcc), comments: ['hi'], flags: 1 });
    expect(Buffer.from(writes[0]!).toString('hex')).toBe('0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000');
    expect(writes[1]).toEqual(
      hexToBytes(`
        01000000 20000000   # IDB, 32 bytes
        0100 0000 00000000  # Ethernet, snaplen 0
        0900 0100 09000000  # if_tsresol 9
        00000000 20000000   # opt_endofopt, length
      `),
    );
    expect(writes[2]).toEqual(
      hexToBytes(`
        06000000 38000000   # EPB, 56 bytes
        00000000            # interface 0
        fe9c9717 15cd853d   # 1700000000123456789 ns: high word, low word
        03000000 03000000   # caplen 3, len 3
        aabbcc00            # data, padded
        0100 0200 68690000  # opt_comment "hi"
        0200 0400 01000000  # epb_flags: inbound
        00000000            # opt_endofopt
        38000000
      `),
    );
  });

  it('writes each block whole in one call, so every prefix of the writes is a readable capture', () => {
    const { writer, writes } = memoryWriter();
    writeSample(writer);
    let packets = 0;
    for (let n = 1; n <= writes.length; n++) {
      const block = writes[n - 1]!;
      const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
      expect(view.getUint32(4, true)).toBe(block.length);
      expect(view.getUint32(block.length - 4, true)).toBe(block.length);
      if (view.getUint32(0, true) === 6) packets++;
      const r = readBytes(concatBytes(...writes.slice(0, n)));
      expect(r.stop).toBeNull();
      expect(r.packets).toHaveLength(packets);
    }
    expect(packets).toBe(4);
  });

  it('a capture file written through a descriptor is complete on disk before close (a crash loses nothing)', async () => {
    const path = tmpPath('live.pcapng');
    const writer = PcapngWriter.create(path);
    writer.writeSectionHeader({ application: 'live' });
    writer.addInterface({ linkType: 1, snaplen: 65535 });
    for (let i = 0; i < 100; i++) writer.writePacket({ iface: 0, tsSec: 1700000000 + i, tsNsec: i, data: new Uint8Array(60 + i).fill(i) });
    const before = await readPath(path); // not closed yet
    expect(before.packets).toHaveLength(100);
    expect(before.packets[99]).toMatchObject({ tsSec: 1700000099, tsNsec: 99, caplen: 159 });
    writer.close();
    expect(() => PcapngWriter.create(path)).toThrow(/EEXIST/);
    expect(() => writer.writePacket({ iface: 0, tsSec: 0, tsNsec: 0, data: new Uint8Array(1) })).toThrow(/closed/);
  });

  it('rejects misuse instead of writing a broken file', () => {
    const { writer, writes } = memoryWriter();
    expect(() => writer.addInterface({ linkType: 1, snaplen: 0 })).toThrow(/writeSectionHeader must come/);
    writer.writeSectionHeader();
    expect(() => writer.writePacket({ iface: 0, tsSec: 1, tsNsec: 0, data: new Uint8Array(1) })).toThrow(/interface 0/);
    writer.addInterface({ linkType: 1, snaplen: 0 });
    expect(() => writer.writePacket({ iface: 0, tsSec: 1, tsNsec: 1e9, data: new Uint8Array(1) })).toThrow(RangeError);
    expect(() => writer.writePacket({ iface: 0, tsSec: -1, tsNsec: 0, data: new Uint8Array(1) })).toThrow(RangeError);
    expect(() => writer.writePacket({ iface: 0, tsSec: 1, tsNsec: 0, data: new Uint8Array(1), comments: ['x'.repeat(70000)] })).toThrow(/65,535/);
    expect(() => writer.addInterface({ linkType: 1, snaplen: 0, tsresol: 12 })).toThrow(/if_tsresol/);
    writer.writeSectionHeader(); // a new section forgets the interfaces of the last one
    expect(() => writer.writePacket({ iface: 0, tsSec: 1, tsNsec: 0, data: new Uint8Array(1) })).toThrow(/interface 0/);
    expect(readBytes(concatBytes(...writes))).toMatchObject({ stop: null, packets: [] });
  });

  it('writes if_tsoffset and binary resolutions that read back to the same instant', () => {
    const { writer, bytes } = memoryWriter();
    writer.writeSectionHeader();
    writer.addInterface({ linkType: 1, snaplen: 0, tsresol: 0x94, tsoffset: 1_000_000_000 });
    writer.writePacket({ iface: 0, tsSec: 1700000000, tsNsec: 500000000, data: new Uint8Array(1) });
    writer.writePacket({ iface: 0, tsSec: 1700000000, tsNsec: 953, data: new Uint8Array(1) });
    const r = readBytes(bytes());
    expect(r.interfaces[0]).toMatchObject({ tsUnitsPerSecond: 2 ** 20, tsOffsetSeconds: 1e9 });
    expect(r.packets.map((p) => [p.tsSec, p.tsNsec])).toEqual([
      [1700000000, 500000000],
      [1700000000, 953],
    ]);
  });

  it.skipIf(!hasTshark)('tshark reads the written file: packets, timestamps, comments and flags', () => {
    const path = tmpPath('sample.pcapng');
    const writer = PcapngWriter.create(path);
    writeSample(writer);
    writer.close();
    const rows = tsharkJson(path, ['frame.time_epoch', 'frame.interface_id', 'frame.cap_len', 'frame.len', 'frame.comment', 'frame.packet_flags']);
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => [r['frame.time_epoch']![0], r['frame.interface_id']![0], r['frame.cap_len']![0], r['frame.len']![0]])).toEqual([
      ['1700000000.123456000', '0', '5', '5'],
      ['1700000000.123456789', '1', '1', '1500'],
      ['4102444800.999999999', '1', '0', '0'],
      ['0.000000000', '0', '3', '3'],
    ]);
    expect(rows.map((r) => r['frame.comment'] ?? [])).toEqual([[], ['SYN'], ['café ✓', 'tab\there, line\nbreak'], []]);
    expect(rows.map((r) => Number(r['frame.packet_flags']?.[0] ?? 0))).toEqual([0, 1, 2, 0]);
  });
});

describe('rewriteCapture', () => {
  const notes = new Map([
    [6, ['Server asks for a client certificate']],
    [8, ['Client proves it holds the key', 'second note']],
  ]);

  it('copies mtls12.pcap to pcapng with comments on packets 6 and 8, timestamps exact to the nanosecond', async () => {
    const out = tmpPath('mtls12.pcapng');
    const result = await rewriteCapture(corpusPath('local/mtls12.pcap'), out, { commentsByPacket: notes });
    const source = await readPath(corpusPath('local/mtls12.pcap'));
    const copy = await readPath(out);
    expect(result.packets).toBe(source.packets.length);
    expect(copy.packets.map((p, i) => [i + 1, p.comments])).toEqual(
      source.packets.map((_, i) => [i + 1, i + 1 === 6 ? notes.get(6)! : i + 1 === 8 ? notes.get(8)! : null]),
    );
    expect(copy.packets.map((p) => ({ ...content(p), comments: null }))).toEqual(source.packets.map(content));
    expect(copy.interfaces.map((i) => [i.linkType, i.snaplen, i.tsUnitsPerSecond])).toEqual(
      source.interfaces.map((i) => [i.linkType, i.snaplen, i.tsUnitsPerSecond]),
    );
    expect(readFileSync(out).subarray(0, 4)).toEqual(Buffer.from([0x0a, 0x0d, 0x0d, 0x0a]));
  });

  it.skipIf(!hasTshark)('tshark shows the rewritten comments as frame.comment, and the source timestamps', async () => {
    const out = tmpPath('mtls12-tshark.pcapng');
    await rewriteCapture(corpusPath('local/mtls12.pcap'), out, { commentsByPacket: notes });
    const source = await readPath(corpusPath('local/mtls12.pcap'));
    const rows = tsharkJson(out, ['frame.number', 'frame.time_epoch', 'frame.comment']);
    expect(rows[5]!['frame.comment']).toEqual(notes.get(6));
    expect(rows[7]!['frame.comment']).toEqual(notes.get(8));
    expect(rows.filter((r) => r['frame.comment'] !== undefined)).toHaveLength(2);
    expect(rows.map((r) => r['frame.time_epoch']![0])).toEqual(source.packets.map((p) => epoch9(p.tsSec, p.tsNsec)));
  });

  it.each(corpusFiles())('%s: a rewrite keeps every packet, interface, comment, secret and section field', async (rel) => {
    const out = tmpPath('copy.pcapng');
    await rewriteCapture(corpusPath(rel), out, { commentsByPacket: new Map() });
    const source = await readPath(corpusPath(rel));
    const copy = await readPath(out);
    expect(copy.packets.map(content)).toEqual(source.packets.map(content));
    const iface = (i: Collected['interfaces'][number]) => ({ ...i, section: 0 });
    expect(copy.interfaces.map(iface)).toEqual(source.interfaces.map(iface));
    expect(copy.secrets).toEqual(source.secrets);
    expect(copy.sections.map((s) => ({ ...s, littleEndian: true, versionMajor: 1, versionMinor: 0 }))).toEqual(
      source.sections.map((s) => ({ ...s, littleEndian: true, versionMajor: 1, versionMinor: 0 })),
    );
  });

  it('replaces existing comments only on the packets in the map (an empty list removes them)', async () => {
    const out = tmpPath('annotated.pcapng');
    await rewriteCapture(corpusPath('local/mtls12-annotated.pcapng'), out, { commentsByPacket: new Map([[6, []], [1, ['start']]]) });
    const copy = await readPath(out);
    expect(copy.packets[0]!.comments).toEqual(['start']);
    expect(copy.packets[5]!.comments).toBeNull();
    expect(copy.packets[7]!.comments).toEqual(['Client proves it holds the private key (CertificateVerify)']);
  });

  it('keeps epb_flags, statistics, secrets, if_tsoffset and 2^-20 timestamps, from gzip input too', async () => {
    const { writer, bytes } = memoryWriter();
    writeSample(writer);
    writer.writeSectionHeader({ comments: ['section two'] });
    writer.addInterface({ linkType: 113, snaplen: 1000, tsresol: 0x94, tsoffset: -5 });
    writer.writePacket({ iface: 0, tsSec: 1700000000, tsNsec: 953, data: Uint8Array.of(1), flags: 0x3 });
    const input = tmpPath('sample.pcapng.gz');
    writeFileSync(input, gzipSync(bytes()));
    const out = tmpPath('sample-copy.pcapng');
    await rewriteCapture(input, out, { commentsByPacket: new Map([[5, ['new']]]) });
    const source = readBytes(bytes());
    const copy = await readPath(out);
    expect(copy.packets.map((p) => ({ ...content(p), comments: null }))).toEqual(source.packets.map((p) => ({ ...content(p), comments: null })));
    expect(copy.packets.map((p) => p.comments)).toEqual([null, ['SYN'], ['café ✓', 'tab\there, line\nbreak'], null, ['new']]);
    expect(copy.packets.map((p) => p.flags)).toEqual([0, 1, 2, 0, 3]);
    expect(copy.interfaces).toEqual(source.interfaces);
    expect(copy.stats).toEqual(source.stats);
    expect(copy.secrets).toEqual(source.secrets);
    expect(copy.sections).toEqual(source.sections);
  });

  it('refuses to overwrite the input, however its path is spelled', async () => {
    const dir = tmpPath('dir');
    mkdirSync(dir);
    const input = join(dir, 'capture.pcap');
    copyFileSync(corpusPath('local/mtls12.pcap'), input);
    symlinkSync(input, join(dir, 'link.pcap'));
    const original = readFileSync(input);
    for (const out of [input, join(dir, '..', basename(dir), '.', 'capture.pcap'), join(dir, 'link.pcap')]) {
      await expect(rewriteCapture(input, out, { commentsByPacket: notes })).rejects.toThrow(/refusing to overwrite the capture being rewritten/);
    }
    expect(readFileSync(input).equals(original)).toBe(true);
    // Nor any other existing file, unless asked to.
    const other = join(dir, 'other.pcapng');
    writeFileSync(other, 'keep me');
    await expect(rewriteCapture(input, other, { commentsByPacket: notes })).rejects.toThrow(/already exists/);
    expect(readFileSync(other, 'utf8')).toBe('keep me');
    expect(readdirSync(dir).sort()).toEqual(['capture.pcap', 'link.pcap', 'other.pcapng']);
  });

  it('with overwrite: true replaces the input through a temp file and a rename', async () => {
    const dir = tmpPath('inplace');
    mkdirSync(dir);
    const input = join(dir, 'capture.pcapng');
    copyFileSync(corpusPath('local/mtls12-annotated.pcapng'), input);
    const before = await readPath(input);
    const result = await rewriteCapture(input, input, { commentsByPacket: new Map([[6, ['edited']]]), overwrite: true });
    expect(result.packets).toBe(before.packets.length);
    const after = await readPath(input);
    expect(after.packets[5]!.comments).toEqual(['edited']);
    expect(after.packets[7]!.comments).toEqual(before.packets[7]!.comments);
    expect(after.packets.map((p) => ({ ...content(p), comments: null }))).toEqual(before.packets.map((p) => ({ ...content(p), comments: null })));
    expect(readdirSync(dir)).toEqual(['capture.pcapng']);
    // Through a symlink, the file it points to is replaced and the link stays a link.
    symlinkSync(input, join(dir, 'link.pcapng'));
    await rewriteCapture(join(dir, 'link.pcapng'), join(dir, 'link.pcapng'), { commentsByPacket: new Map([[6, ['again']]]), overwrite: true });
    expect(lstatSync(join(dir, 'link.pcapng')).isSymbolicLink()).toBe(true);
    expect((await readPath(input)).packets[5]!.comments).toEqual(['again']);
    expect(readdirSync(dir).sort()).toEqual(['capture.pcapng', 'link.pcapng']);
  });

  it('never replaces a damaged input with a shorter copy; a copy elsewhere reports the damage', async () => {
    const dir = tmpPath('damaged');
    mkdirSync(dir);
    const input = join(dir, 'cut.pcap');
    const whole = readFileSync(corpusPath('local/mtls12.pcap'));
    writeFileSync(input, whole.subarray(0, 5000));
    await expect(rewriteCapture(input, input, { commentsByPacket: notes, overwrite: true })).rejects.toThrow(/input is damaged/);
    expect(readFileSync(input).equals(whole.subarray(0, 5000))).toBe(true);
    expect(readdirSync(dir)).toEqual(['cut.pcap']);
    const out = join(dir, 'copy.pcapng');
    const result = await rewriteCapture(input, out, { commentsByPacket: notes });
    expect(result.read.stop?.reason).toMatch(/truncated record/);
    const copy = await readPath(out);
    expect(copy.packets).toHaveLength(result.packets);
    expect(result.packets).toBeGreaterThan(0);
  });
});
