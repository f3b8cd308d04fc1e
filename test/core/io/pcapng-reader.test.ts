import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureFormatError, readCaptureBytes, readCaptureFile } from '../../../src/core/io/capture-reader';
import { PcapngWriter } from '../../../src/core/io/pcapng-writer';
import { SECRETS_TLS_KEY_LOG } from '../../../src/core/io/types';
import { FIXTURES, collector, concatBytes, corpusPath, epoch9, hexToBytes } from './helpers';

// Little-endian section header: no options.
const SHB_LE = `
  0a0d0d0a 1c000000   # SHB, 28 bytes
  4d3c2b1a 0100 0000  # byte-order magic, version 1.0
  ffffffff ffffffff   # section length: unknown
  1c000000
`;
// Ethernet interface with nanosecond timestamps.
const IDB_NS = `
  01000000 20000000   # IDB, 32 bytes
  0100 0000 ffff0000  # link type 1, reserved, snaplen 65535
  0900 0100 09000000  # if_tsresol = 9 (10^-9 s)
  00000000            # opt_endofopt
  20000000
`;

function read(hex: string) {
  const c = collector();
  const r = readCaptureBytes(hexToBytes(hex), c);
  return { ...c, result: r };
}

interface FixtureRow {
  frame: number;
  epoch: string;
  caplen: number;
  len: number;
  iface: number;
  flags: number;
  comments: string[];
}

function fixtureRows(name: string): FixtureRow[] {
  const lines = readFileSync(join(FIXTURES, name), 'utf8').split('\n');
  return lines
    .filter((l) => l.length > 0 && !l.startsWith('#') && !l.startsWith('frame\t'))
    .map((l) => {
      const [frame, epoch, caplen, len, iface, flags, comments] = l.split('\t');
      return {
        frame: Number(frame),
        epoch: epoch!,
        caplen: Number(caplen),
        len: Number(len),
        iface: Number(iface),
        flags: flags === '' ? 0 : Number(flags),
        comments: JSON.parse(comments!) as string[],
      };
    });
}

describe('pcapng reader against tshark (test/fixtures/io, made by scripts/make-io-fixtures.mjs)', () => {
  const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.pcapng.tsv'));

  it('has a fixture for every pcapng of the corpus', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
  });

  it.each(fixtures)('%s: packets, timestamps, lengths, interfaces and comments match tshark', async (name) => {
    const rel = name.replace(/\.tsv$/, '').split('__').join('/');
    const want = fixtureRows(name);
    const c = collector();
    const r = await readCaptureFile(corpusPath(rel), c);
    expect(r.stop).toBeNull();
    expect(r.format).toBe('pcapng');
    expect(r.packets).toBe(want.length);
    const got = c.packets.map((p, i) => ({
      frame: i + 1,
      epoch: epoch9(p.tsSec, p.tsNsec),
      caplen: p.caplen,
      len: p.wirelen,
      iface: p.iface,
      flags: p.flags,
      comments: p.comments ?? [],
    }));
    expect(got).toEqual(want);
  });

  it('reads the interfaces of a multi-interface file with their own resolutions and names', async () => {
    const c = collector();
    await readCaptureFile(corpusPath('zeek/pcapng-multi-interface.pcapng'), c);
    expect(c.interfaces.map((i) => [i.id, i.linkType, i.tsUnitsPerSecond, i.name])).toEqual([
      [0, 1, 1e9, 'eth0'],
      [1, 1, 1e6, '\\Device\\NPF_{5AE6EDB4-EFF9-46B3-A3C2-EE50C688A9E6}'],
    ]);
  });

  it('hands out the decryption secrets of tls13-dsb.pcapng: the NSS key log of the connection', async () => {
    const c = collector();
    await readCaptureFile(corpusPath('local/tls13-dsb.pcapng'), c);
    expect(c.secrets).toHaveLength(1);
    expect(c.secrets[0]!.secretsType).toBe(SECRETS_TLS_KEY_LOG);
    expect(Buffer.from(c.secrets[0]!.data).toString('utf8')).toBe(readFileSync(corpusPath('local/tls13.keys'), 'utf8'));
  });
});

describe('pcapng reader on hand-built blocks', () => {
  it('reads a big-endian section', () => {
    const r = read(`
      0a0d0d0a 0000001c   # SHB (the type reads the same either way), 28 bytes
      1a2b3c4d 0001 0000  # byte-order magic big-endian, version 1.0
      ffffffff ffffffff
      0000001c
      00000001 00000014   # IDB, 20 bytes
      0065 0000 00040000  # link type 101 (raw IP), snaplen 262144; no options: microseconds
      00000014
      00000006 00000030   # EPB, 48 bytes
      00000000            # interface 0
      00060a24 18283bf1   # ts 1700000000654321 us
      00000004 0000003c   # caplen 4, len 60
      45000014            # packet bytes
      0001 0003 62696700  # opt_comment "big"
      00000000            # opt_endofopt
      00000030
    `);
    expect(r.result).toMatchObject({ format: 'pcapng', packets: 1, stop: null });
    expect(r.sections[0]).toMatchObject({ index: 0, littleEndian: false, versionMajor: 1, versionMinor: 0 });
    expect(r.interfaces[0]).toMatchObject({ id: 0, linkType: 101, snaplen: 262144, tsUnitsPerSecond: 1e6 });
    expect(r.packets[0]).toMatchObject({ tsSec: 1700000000, tsNsec: 654321000, caplen: 4, wirelen: 60, comments: ['big'] });
    expect([...r.packets[0]!.data]).toEqual([0x45, 0x00, 0x00, 0x14]);
  });

  it('reads several opt_comment values and epb_flags on one packet', () => {
    const r = read(`${SHB_LE}${IDB_NS}
      06000000 4c000000   # EPB, 76 bytes
      00000000            # interface 0
      fe9c9717 15cd853d   # ts 1700000000123456789 ns (high word, low word)
      05000000 05000000   # caplen 5, len 5
      01020304 05000000   # packet bytes, padded to 4
      0100 0500 66697273 74000000   # opt_comment "first"
      0100 0600 7365636f 6e640000   # opt_comment "second"
      0200 0400 01000000            # epb_flags: inbound
      00000000                      # opt_endofopt
      4c000000
    `);
    expect(r.result.stop).toBeNull();
    expect(r.packets[0]).toMatchObject({
      tsSec: 1700000000,
      tsNsec: 123456789,
      caplen: 5,
      comments: ['first', 'second'],
      flags: 1,
      dataFileOffset: 28 + 32 + 28,
    });
  });

  it('applies if_tsresol 2^-20 and if_tsoffset', () => {
    const r = read(`${SHB_LE}
      01000000 20000000   # IDB, 32 bytes
      0100 0000 00000000  # Ethernet, snaplen 0 (no limit)
      0900 0100 94000000  # if_tsresol = 0x94: 2^-20 s
      00000000
      20000000
      06000000 20000000   # EPB, 32 bytes, empty packet
      00000000
      3f550600 01000010   # ts 1700000000 * 2^20 + 1 ticks
      00000000 00000000
      20000000
      06000000 20000000   # EPB
      00000000
      3f550600 00000810   # ts 1700000000 * 2^20 + 2^19 ticks
      00000000 00000000
      20000000
      01000000 24000000   # IDB, 36 bytes, microseconds (default)
      0100 0000 00000000
      0e00 0800 00ca9a3b 00000000   # if_tsoffset = 1,000,000,000 s
      00000000
      24000000
      06000000 20000000   # EPB on interface 1
      01000000
      a57c0200 90905b73   # ts 700000000250000 us
      00000000 00000000
      20000000
    `);
    expect(r.result.stop).toBeNull();
    expect(r.interfaces.map((i) => [i.tsUnitsPerSecond, i.tsOffsetSeconds])).toEqual([
      [2 ** 20, 0],
      [1e6, 1e9],
    ]);
    expect(r.packets.map((p) => [p.iface, p.tsSec, p.tsNsec])).toEqual([
      [0, 1700000000, 953], // floor(1e9 / 2^20): one tick is 953.67 ns
      [0, 1700000000, 500000000],
      [1, 1700000000, 250000000],
    ]);
  });

  it('reads a simple packet block: captured length is the least of block, original length and snaplen', () => {
    const r = read(`${SHB_LE}
      01000000 14000000   # IDB, 20 bytes, no options
      0100 0000 03000000  # Ethernet, snaplen 3
      14000000
      03000000 18000000   # SPB, 24 bytes
      0a000000            # original length 10
      aabbccdd eeff0000   # 8 bytes of data area; the snaplen keeps 3
      18000000
    `);
    expect(r.result).toMatchObject({ packets: 1, stop: null });
    expect(r.packets[0]).toMatchObject({ caplen: 3, wirelen: 10, tsSec: 0, tsNsec: 0, iface: 0 });
    expect([...r.packets[0]!.data]).toEqual([0xaa, 0xbb, 0xcc]);
  });

  it('reads the obsolete packet block with its comment and pack_flags', () => {
    const r = read(`${SHB_LE}${IDB_NS}
      02000000 38000000   # PB, 56 bytes
      0000 0700           # interface 0, drops count 7
      fe9c9717 15cd853d   # ts 1700000000123456789 ns
      02000000 40000000   # caplen 2, len 64
      abcd0000
      0100 0200 6f6b0000  # opt_comment "ok"
      0200 0400 02000000  # pack_flags: outbound
      00000000
      38000000
    `);
    expect(r.result.stop).toBeNull();
    expect(r.packets[0]).toMatchObject({ tsSec: 1700000000, tsNsec: 123456789, caplen: 2, wirelen: 64, comments: ['ok'], flags: 2 });
  });

  it('reads name resolution, interface statistics and decryption secrets blocks', () => {
    const r = read(`${SHB_LE}${IDB_NS}
      04000000 38000000   # NRB, 56 bytes
      0100 0b00 c0a80001 726f7574 657200 00   # nrb_record_ipv4: 192.168.0.1 "router\0", padded
      0200 1400 20010db8 00000000 00000000 00000001 6e733100   # nrb_record_ipv6: 2001:db8::1 "ns1\0"
      0000 0000           # nrb_record_end
      38000000
      05000000 4c000000   # ISB, 76 bytes
      00000000            # interface 0
      fe9c9717 00cac471   # ts 1700000001000000000 ns
      0400 0800 e8030000 00000000   # isb_ifrecv 1000
      0500 0800 02000000 00000000   # isb_ifdrop 2
      0700 0800 00000000 01000000   # isb_osdrop 2^32
      0800 0800 e6030000 00000000   # isb_usrdeliv 998
      00000000
      4c000000
      0a000000 20000000   # DSB, 32 bytes
      4b534c54            # secrets type 'TLSK'
      0a000000            # 10 bytes of secrets
      434c4945 4e545f52 414e0000    # "CLIENT_RAN", padded
      20000000
    `);
    expect(r.result.stop).toBeNull();
    expect(r.names).toEqual([
      [
        { address: '192.168.0.1', names: ['router'] },
        { address: '2001:db8::1', names: ['ns1'] },
      ],
    ]);
    expect(r.stats).toEqual([
      {
        iface: 0,
        tsSec: 1700000001,
        tsNsec: 0,
        received: 1000,
        droppedByInterface: 2,
        droppedByOs: 4294967296,
        acceptedByFilter: null,
        delivered: 998,
      },
    ]);
    expect(r.secrets[0]!.secretsType).toBe(SECRETS_TLS_KEY_LOG);
    expect(Buffer.from(r.secrets[0]!.data).toString()).toBe('CLIENT_RAN');
  });

  it('skips unknown, custom and reserved blocks and keeps the packets around them', () => {
    const epb = `
      06000000 20000000 00000000 00000000 00000000 00000000 00000000 20000000   # empty EPB, ts 0
    `;
    const r = read(`${SHB_LE}${IDB_NS}${epb}
      bd0b0000 14000000   # custom block 0x00000BAD, 20 bytes
      0000 7e1a           # private enterprise number
      0000 0000
      14000000
      bd0b0040 10000000   # custom block 0x40000BAD (do not copy), 16 bytes
      01020304
      10000000
      78563412 0c000000   # unknown type 0x12345678, 12 bytes
      0c000000
      ${epb}
    `);
    expect(r.result).toMatchObject({ packets: 2, stop: null });
  });

  it('reads several sections, numbering interfaces across them, in either byte order', () => {
    const be = hexToBytes(`
      0a0d0d0a 0000001c 1a2b3c4d 00010000 ffffffff ffffffff 0000001c   # SHB, big-endian
      00000001 00000014 0071 0000 0000ffff 00000014                   # IDB: Linux SLL, microseconds
      00000006 00000020 00000000 00060a24 18283bf1 00000000 00000000 00000020   # EPB, ts 1700000000.654321
    `);
    const chunks: Uint8Array[] = [];
    const w = new PcapngWriter((b) => chunks.push(b.slice()));
    w.writeSectionHeader({ application: 'second section' });
    w.addInterface({ linkType: 1, snaplen: 1000 });
    w.addInterface({ linkType: 101, snaplen: 2000 });
    w.writePacket({ iface: 1, tsSec: 5, tsNsec: 6, data: Uint8Array.of(1) });
    w.writePacket({ iface: 0, tsSec: 7, tsNsec: 8, data: Uint8Array.of(2) });
    w.close();
    const written = concatBytes(...chunks);
    const c = collector();
    const r = readCaptureBytes(concatBytes(be, written, be), c);
    expect(r).toMatchObject({ packets: 4, stop: null });
    expect(c.sections.map((s) => [s.index, s.littleEndian, s.application])).toEqual([
      [0, false, null],
      [1, true, 'second section'],
      [2, false, null],
    ]);
    expect(c.interfaces.map((i) => [i.id, i.section, i.linkType])).toEqual([
      [0, 0, 113],
      [1, 1, 1],
      [2, 1, 101],
      [3, 2, 113],
    ]);
    expect(c.packets.map((p) => [p.iface, p.tsSec, p.tsNsec])).toEqual([
      [0, 1700000000, 654321000],
      [2, 5, 6],
      [1, 7, 8],
      [3, 1700000000, 654321000],
    ]);
  });

  it('stops at a block whose trailing length does not match, keeping the packets before it', () => {
    const r = read(`${SHB_LE}${IDB_NS}
      06000000 20000000 00000000 00000000 00000000 00000000 00000000 20000000   # good EPB
      06000000 20000000 00000000 00000000 00000000 00000000 00000000 24000000   # ends with 36, not 32
      06000000 20000000 00000000 00000000 00000000 00000000 00000000 20000000
    `);
    expect(r.result.packets).toBe(1);
    expect(r.result.stop).toEqual({
      offset: 28 + 32 + 32,
      reason: 'damaged block: type 0x00000006 of 32 bytes does not end with its length',
    });
  });

  it('stops with a reason, never a throw, on blocks too short for their fixed fields', () => {
    // Each of these used to read past the end of the block (and past the buffer for the last block).
    for (const [type, len] of [
      ['06000000', '0c000000'], // EPB of 12 bytes
      ['02000000', '0c000000'], // PB of 12 bytes
      ['03000000', '0c000000'], // SPB of 12 bytes: its captured length came out negative
      ['0a000000', '0c000000'], // DSB of 12 bytes
    ] as const) {
      const r = read(`${SHB_LE}${IDB_NS} ${type} ${len} ${len}`);
      expect(r.packets).toHaveLength(0);
      expect(r.result.stop?.offset).toBe(60);
      expect(r.result.stop?.reason).toMatch(/damaged .*block/);
    }
  });

  it('refuses a first block that is not a section header', () => {
    expect(() => read(`${IDB_NS}`)).toThrow(CaptureFormatError);
  });
});
