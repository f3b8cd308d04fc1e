import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { Mark, Packet, Proto, Table, type ProtoId } from '../../../src/core/dissect/packet';
import { dissect } from '../../../src/core/dissect/dissect';
import { defaultRegistry } from '../../../src/core/dissect/all';
import { LinkType } from '../../../src/core/dissect/link-types';
import { Registry } from '../../../src/core/dissect/registry';
import { linkDissectors } from '../../../src/core/dissect/link-layer';
import { networkDissectors } from '../../../src/core/dissect/network-layer';
import type { Dissector } from '../../../src/core/dissect/dissector';
import { dissectSequence, expectEveryPrefixDecodes, fieldText, readFrames } from './frames';

/** A UDP datagram from 54321 to `dport` with the given UDP length field and 8 payload bytes. */
function datagram(ulen: string, dport = '0035', checksum = '0000'): Uint8Array {
  return hexToBytes(`
    020000000002 020000000001 0800                   # Ethernet, IPv4
    4500 0024 0001 0000 4011 0000 c0a80001 c0a80002  # IPv4, total 36, UDP, 192.168.0.1 -> .2
    d431 ${dport} ${ulen} ${checksum}                 # UDP 54321 -> dport, length, checksum
    0102030405060708                                 # 8 payload bytes
  `);
}

/** A stand-in application dissector on UDP ports; its `proto` shows which one UDP picked. */
function app(name: string, proto: ProtoId, ports: number[]): Dissector {
  return {
    name,
    title: name,
    proto,
    osi: 7,
    fields: [],
    handoffs: ports.map((key) => ({ table: Table.UdpPort, key })),
    decode(_p: Packet, off: number): number {
      return off;
    },
  };
}

describe('udp dissector', () => {
  it('fills ports, payload and lengths on the fast path', () => {
    const { packet } = dissectFrame(datagram('0010'), LinkType.Ethernet, true);
    expect(packet.top).toBe(Proto.Udp);
    expect(packet.l4).toBe(17);
    expect(packet.srcPort).toBe(54321);
    expect(packet.dstPort).toBe(53);
    expect(packet.l4Offset).toBe(34);
    expect(packet.payloadOffset).toBe(42);
    expect(packet.payloadLength).toBe(8);
    expect(packet.payloadWireLength).toBe(8);
    expect(packet.marks).toBe(Mark.IpChecksumBad);
  });

  it('shows a zero checksum over IPv4 as not present, as tshark does', () => {
    const d = dissectFrame(datagram('0010'), LinkType.Ethernet);
    // tshark 4.0: "Checksum: 0x0000 [zero-value ignored]", udp.checksum.status 3 (Not present).
    expect(d.node('udp.checksum')!.label).toBe('Checksum: 0x0000 [zero-value ignored]');
    expect(fieldText(d, 'udp.checksum.status')).toBe('3');
    expect(d.layers.find((l) => l.protocol === 'udp')!.title).toBe('User Datagram Protocol, Src Port: 54321, Dst Port: 53');
    expect(d.node('udp.payload')!.label).toBe('UDP payload (8 bytes)');
  });

  it('a length past the IP payload is bogus but the payload is still taken from IP', () => {
    const d = dissectFrame(datagram('0020'), LinkType.Ethernet);
    // tshark 4.0: "Length: 32 (bogus, payload length 16)", an expert error in the Malformed group.
    expect(d.node('udp.length')!.label).toBe('Length: 32 (bogus, payload length 16)');
    expect(d.packet.marks & Mark.Malformed).toBe(Mark.Malformed);
    expect(d.packet.payloadLength).toBe(8);
  });

  it('a frame cut by the snapshot length is not a bogus length; one cut on the wire is', () => {
    const whole = datagram('0010');
    const cut = whole.subarray(0, 46);
    const p = new Packet();
    // Captured 46 of 50 bytes on the wire: IP's total length stands, UDP is merely truncated.
    p.reset(cut, 0, cut.length, whole.length, LinkType.Ethernet);
    dissect(p, defaultRegistry());
    expect(p.malformed).toBeNull();
    expect([p.payloadLength, p.payloadWireLength]).toEqual([4, 8]);
    // The same 46 bytes as the whole frame: the wire held less than IP and UDP claim.
    p.reset(cut, 0, cut.length, cut.length, LinkType.Ethernet);
    dissect(p, defaultRegistry());
    expect(p.malformed).toMatch(/Bogus UDP length \(16, more than the IP payload length 12\)/);
    expect(p.payloadWireLength).toBe(4);
  });

  it('a length under 8 is bogus and ends the packet', () => {
    const d = dissectFrame(datagram('0004'), LinkType.Ethernet);
    expect(d.node('udp.length')!.label).toBe('Length: 4 (bogus, must be >= 8)');
    expect(d.packet.malformed).toMatch(/Bogus UDP length \(4/);
    expect(d.packet.nextTable).toBe(Table.None);
  });

  it('a length shorter than the IP payload bounds the UDP payload', () => {
    const d = dissectFrame(datagram('000c'), LinkType.Ethernet);
    expect(d.packet.payloadLength).toBe(4);
    expect(d.packet.payloadWireLength).toBe(4);
    // tshark 4.0 labels this "UDP payload (4 bytes)" but prints all 8 remaining bytes for
    // udp.payload (its item covers the captured remainder); we print the 4 the label names.
    expect(fieldText(d, 'udp.payload')).toBe('01020304');
  });

  it('hands off by the lower port first, then the higher one (decode_udp_ports)', () => {
    const run = (registry: Registry, dport: string) =>
      dissectSequence([{ bytes: datagram('0010', dport), linkType: LinkType.Ethernet }], { defrag: null, tree: false, registry })[0]!;
    const lowAndHigh = new Registry([...linkDissectors, ...networkDissectors, app('low', Proto.Data, [53]), app('high', Proto.Raw, [54321])]);
    // 54321 -> 53: both ports have a dissector; the lower one (53) wins.
    expect(run(lowAndHigh, '0035').top).toBe(Proto.Data);
    // 54321 -> 5000: nothing on 5000, so the higher port (54321) is tried next.
    expect(run(lowAndHigh, '1388').top).toBe(Proto.Raw);
    // Nothing on either port: UDP is the top protocol and the payload is left for the flow stage.
    const lowOnly = new Registry([...linkDissectors, ...networkDissectors, app('low', Proto.Data, [53])]);
    expect(run(lowOnly, '1388').top).toBe(Proto.Udp);
    expect(dissectFrame(datagram('0010'), LinkType.Ethernet, true).packet.top).toBe(Proto.Udp);
  });

  it('verifies checksums on the tree path (corpus udp-packet.pcap, chksums/ip6-udp-bad-chksum.pcap)', () => {
    // tshark 4.0 with -o udp.check_checksum:TRUE on udp-packet.pcap:
    // frame  srcport dstport length checksum status calculated payload
    const tshark = [
      '12345\t31337\t14\t0xfe21\t0\t0xbdbc\t31323334350a',
      '31337\t12345\t14\t0xfe21\t0\t0x8d9c\t41424344450a',
      '12345\t31337\t14\t0xfe21\t0\t0xb8b2\t36373839300a',
      '31337\t12345\t14\t0xfe21\t0\t0x7e92\t464748494a0a',
    ];
    const names = ['udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum', 'udp.checksum.status', 'udp.checksum_calculated', 'udp.payload'];
    const results = dissectSequence(readFrames('zeek/udp-packet.pcap'), { defrag: null, tree: true });
    results.forEach((r, i) => {
      expect(names.map((n) => fieldText(r, n)).join('\t')).toBe(tshark[i]);
      expect(r.marks & Mark.L4ChecksumBad).toBe(Mark.L4ChecksumBad);
    });
    // The fast path does not verify.
    for (const r of dissectSequence(readFrames('zeek/udp-packet.pcap'), { defrag: null, tree: false })) expect(r.marks & Mark.L4ChecksumBad).toBe(0);

    const [bad] = dissectSequence(readFrames('zeek/chksums/ip6-udp-bad-chksum.pcap'), { defrag: null, tree: true });
    // tshark 4.0 (-o udp.check_checksum:TRUE): udp.checksum 0x0001, status 0, calculated 0xbc54.
    expect(fieldText(bad!, 'udp.checksum')).toBe('0x0001');
    expect(fieldText(bad!, 'udp.checksum.status')).toBe('0');
    expect(fieldText(bad!, 'udp.checksum_calculated')).toBe('0xbc54');
    expect(bad!.node('udp.checksum')!.label).toBe('Checksum: 0x0001 incorrect, should be 0xbc54 (maybe caused by "UDP checksum offload"?)');
    expect(bad!.node('udp.checksum')!.warning).toBe('Bad checksum [should be 0xbc54]');
  });

  it('good checksums over IPv4 (corpus communityid/udp.pcap)', () => {
    const results = dissectSequence(readFrames('zeek/communityid/udp.pcap'), { defrag: null, tree: true });
    // tshark 4.0 (-o udp.check_checksum:TRUE): 54585->53 len 36 0x448f Good; 53->54585 len 212 0x28a2 Good.
    expect(results.map((r) => ['udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum', 'udp.checksum.status'].map((n) => fieldText(r, n)).join(' '))).toEqual([
      '54585 53 36 0x448f 1',
      '53 54585 212 0x28a2 1',
    ]);
    expect(results[1]!.payloadLength).toBe(204);
  });

  it('every prefix decodes without throwing, and a cut header is malformed', () => {
    const f = datagram('0010');
    for (let n = 34; n < 42; n++) expect(dissectFrame(f.subarray(0, n), LinkType.Ethernet).packet.malformed).toMatch(/UDP header needs 8 bytes/);
    expectEveryPrefixDecodes({ bytes: f, linkType: LinkType.Ethernet });
    for (const fr of readFrames('zeek/udp-packet.pcap')) expectEveryPrefixDecodes(fr);
    for (const fr of readFrames('zeek/communityid/udp.pcap')) expectEveryPrefixDecodes(fr);
  });
});
