import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { Mark, Proto } from '../../../src/core/dissect/packet';
import { LinkType } from '../../../src/core/dissect/link-types';
import { dissectSequence, expectEveryPrefixDecodes, fieldText, readFrames } from './frames';

// An ICMP Time-to-live exceeded quoting the IPv4 header and first 8 bytes of a TCP segment.
const timeExceeded = hexToBytes(`
  020000000002 020000000001 0800                    # Ethernet, IPv4
  4500 0038 0001 0000 4001 f970 c0a80001 c0a80002   # IPv4 192.168.0.1 -> .2, ICMP, 56 bytes
  0b 00 daac 00000000                               # ICMP type 11 code 0, checksum, unused
  4500 0028 1234 4000 0106 96e2 c0a80002 08080808   # quoted IPv4 192.168.0.2 -> 8.8.8.8, TTL 1, TCP
  d431 01bb 11223344                                # quoted TCP: 54321 -> 443, seq 0x11223344
`);

describe('icmp dissector', () => {
  it('decodes echo request and reply (corpus icmp/5-pings.pcap) like tshark', () => {
    const frames = readFrames('zeek/icmp/5-pings.pcap');
    const results = dissectSequence(frames, { defrag: null, tree: true });
    // tshark 4.0 -e icmp.type -e icmp.code -e icmp.checksum -e icmp.checksum.status -e icmp.ident
    //            -e icmp.ident_le -e icmp.seq -e icmp.seq_le
    const tshark = [
      '8 0 0xef24 1 1226 51716 1 256',
      '0 0 0xf724 1 1226 51716 1 256',
      '8 0 0x7720 1 1226 51716 2 512',
      '0 0 0x7f20 1 1226 51716 2 512',
      '8 0 0xb21c 1 1226 51716 3 768',
      '0 0 0xba1c 1 1226 51716 3 768',
      '8 0 0x3419 1 1226 51716 4 1024',
      '0 0 0x3c19 1 1226 51716 4 1024',
      '8 0 0x7c14 1 1226 51716 5 1280',
      '0 0 0x8414 1 1226 51716 5 1280',
    ];
    const names = ['icmp.type', 'icmp.code', 'icmp.checksum', 'icmp.checksum.status', 'icmp.ident', 'icmp.ident_le', 'icmp.seq', 'icmp.seq_le'];
    expect(results.map((r) => names.map((n) => fieldText(r, n)).join(' '))).toEqual(tshark);
    const first = results[0]!;
    expect(first.node('icmp.type')!.label).toBe('Type: 8 (Echo (ping) request)');
    expect(first.node('icmp.ident')!.label).toBe('Identifier (BE): 1226 (0x04ca)');
    expect(first.node('icmp.seq_le')!.label).toBe('Sequence Number (LE): 256 (0x0100)');
    expect(first.node('icmp.checksum')!.label).toBe('Checksum: 0xef24 [correct]');
    // Fast path: the slot says ICMP, with type and code.
    const fast = dissectSequence(frames.slice(0, 2), { defrag: null, tree: false });
    expect(fast.map((r) => [r.top, r.l4, r.srcPort, r.dstPort])).toEqual([
      [Proto.Icmp, 1, 0, 0],
      [Proto.Icmp, 1, 0, 0],
    ]);
  });

  it('shows the quoted datagram nested in the ICMP layer without touching the conversation', () => {
    const d = dissectFrame(timeExceeded, LinkType.Ethernet);
    const p = d.packet;
    // The packet's own addresses stay in the slot; the quoted ones are only in the tree.
    expect(p.top).toBe(Proto.Icmp);
    expect(p.net).toBe(4);
    expect(p.src4).toBe(0xc0a80001);
    expect(p.dst4).toBe(0xc0a80002);
    expect(p.ipProto).toBe(1);
    expect(p.l4).toBe(1);
    expect(p.srcPort).toBe(0);
    expect(p.icmpType).toBe(11);
    expect(p.icmpCode).toBe(0);
    expect(p.tunnelDepth).toBe(0);
    expect(p.marks & Mark.Malformed).toBe(0);
    // tshark 4.0 (-o ip.check_checksum:TRUE): ip.checksum.status 1,1  ip.src 192.168.0.1,192.168.0.2
    // ip.dst 192.168.0.2,8.8.8.8  ip.proto 1,6  icmp.type 11  icmp.code 0  icmp.checksum 0xdaac
    // icmp.checksum.status 1  icmp.unused 00000000  tcp.srcport 54321  tcp.dstport 443  tcp.seq 287454020
    expect(fieldText(d, 'ip.src')).toBe('192.168.0.1,192.168.0.2');
    expect(fieldText(d, 'ip.dst')).toBe('192.168.0.2,8.8.8.8');
    expect(fieldText(d, 'ip.proto')).toBe('1,6');
    expect(fieldText(d, 'icmp.type')).toBe('11');
    expect(fieldText(d, 'icmp.checksum')).toBe('0xdaac');
    expect(fieldText(d, 'icmp.checksum.status')).toBe('1');
    expect(fieldText(d, 'icmp.unused')).toBe('00000000');
    expect(fieldText(d, 'tcp.srcport')).toBe('54321');
    expect(fieldText(d, 'tcp.dstport')).toBe('443');
    // We have no tcp.seq (relative numbers are the flow stage's); the raw value is the same number.
    expect(fieldText(d, 'tcp.seq_raw')).toBe('287454020');
    expect(d.layers.map((l) => l.protocol)).toEqual(['frame', 'eth', 'ip', 'icmp']);
    const icmp = d.layers[3]!;
    expect(icmp.fields.map((f) => f.label)).toEqual([
      'Type: 11 (Time-to-live exceeded)',
      'Code: 0 (Time to live exceeded in transit)',
      'Checksum: 0xdaac [correct]',
      '[Checksum Status: Good]',
      'Unused: 00000000',
      'Internet Protocol Version 4, Src: 192.168.0.2, Dst: 8.8.8.8',
      'Transmission Control Protocol, Src Port: 54321, Dst Port: 443',
    ]);
    expect(icmp.malformed).toBeNull();
  });

  it('destination unreachable quoting UDP (corpus icmp/icmp-destunreach-udp.pcap) matches tshark', () => {
    const [d] = dissectSequence(readFrames('zeek/icmp/icmp-destunreach-udp.pcap'), { defrag: null, tree: true });
    // tshark 4.0: ip.src 192.168.1.102,192.168.1.1  ip.dst 192.168.1.1,192.168.1.102  ip.proto 1,17
    // icmp.type 3  icmp.code 3  icmp.checksum 0x03bb  icmp.unused 00000000  udp.srcport 53
    // udp.dstport 59207  udp.length 143  udp.checksum.status 2
    const expected: Record<string, string> = {
      'ip.src': '192.168.1.102,192.168.1.1',
      'ip.dst': '192.168.1.1,192.168.1.102',
      'ip.proto': '1,17',
      'icmp.type': '3',
      'icmp.code': '3',
      'icmp.checksum': '0x03bb',
      'icmp.unused': '00000000',
      'udp.srcport': '53',
      'udp.dstport': '59207',
      'udp.length': '143',
      'udp.checksum.status': '2',
    };
    for (const [name, value] of Object.entries(expected)) expect(fieldText(d!, name), name).toBe(value);
    expect(d!.node('icmp.code')!.label).toBe('Code: 3 (Port unreachable)');
    // The quoted UDP length (143) exceeds what is quoted, by design: not malformed.
    expect(d!.malformed).toBeNull();
    expect(d!.top).toBe(Proto.Icmp);
    expect(d!.srcPort).toBe(0);
  });

  it('checks the checksum (corpus chksums/ip4-icmp-good-chksum.pcap and ip-bogus-header-len.pcap)', () => {
    const [good] = dissectSequence(readFrames('zeek/chksums/ip4-icmp-good-chksum.pcap'), { defrag: null, tree: true });
    // tshark 4.0: icmp.type 8, icmp.code 0, icmp.checksum 0xf7ff, status 1, ident 0, seq 0.
    expect(['icmp.type', 'icmp.code', 'icmp.checksum', 'icmp.checksum.status', 'icmp.ident', 'icmp.seq'].map((n) => fieldText(good!, n))).toEqual(['8', '0', '0xf7ff', '1', '0', '0']);

    // A header length of 0 in IPv4 and garbage after it: tshark shows "Unknown ICMP" type 97,
    // code 116, "Checksum: 0x65ff incorrect, should be 0x9d8c" (status 0) — and no exception.
    const frames = readFrames('zeek/ip-bogus-header-len.pcap');
    const [bogus] = dissectSequence(frames, { defrag: null, tree: true });
    // tshark 4.0: "[Total Length: 46 bytes (reported as 0, presumed to be because of "TCP
    // segmentation offload" (TSO))]", ip.len 46.
    expect(fieldText(bogus!, 'ip.len')).toBe('46');
    expect(fieldText(bogus!, 'icmp.type')).toBe('97');
    expect(fieldText(bogus!, 'icmp.code')).toBe('116');
    expect(fieldText(bogus!, 'icmp.checksum')).toBe('0x65ff');
    expect(fieldText(bogus!, 'icmp.checksum.status')).toBe('0');
    expect(bogus!.node('icmp.type')!.label).toBe('Type: 97 (Unknown ICMP (obsolete or malformed?))');
    expect(bogus!.node('icmp.checksum')!.label).toBe('Checksum: 0x65ff incorrect, should be 0x9d8c');
    expect(bogus!.marks & Mark.L4ChecksumBad).toBe(Mark.L4ChecksumBad);
    for (const f of frames) expectEveryPrefixDecodes(f);
  });

  it('does not verify the checksum of a lone first fragment', () => {
    const firstFragment = hexToBytes(`
      020000000002 020000000001 0800                    # Ethernet, IPv4
      4500 0024 0001 2000 4001 0000 c0a80001 c0a80002   # IPv4, MF set, offset 0, ICMP
      0800 1234 0001 0002 6162636465666768              # echo request, 8 of its data bytes
    `);
    const d = dissectFrame(firstFragment, LinkType.Ethernet);
    // tshark 4.0 -o ip.defragment:FALSE: "Checksum: 0x1234 [unverified] [fragmented datagram]", status 2.
    expect(fieldText(d, 'icmp.checksum.status')).toBe('2');
    expect(d.node('icmp.checksum')!.label).toBe('Checksum: 0x1234 [unverified] [fragmented datagram]');
    expect(d.packet.marks & Mark.L4ChecksumBad).toBe(0);
  });

  it('a cut message is malformed, and every prefix decodes without throwing', () => {
    // 4 bytes of an error type: type, code and checksum shown, then the cut.
    const d = dissectFrame(timeExceeded.subarray(0, 38), LinkType.Ethernet);
    expect(d.packet.malformed).toMatch(/needs 8 bytes/);
    expect(fieldText(d, 'icmp.type')).toBe('11');
    expectEveryPrefixDecodes({ bytes: timeExceeded, linkType: LinkType.Ethernet });
    for (const f of readFrames('zeek/icmp/5-pings.pcap').slice(0, 2)) expectEveryPrefixDecodes(f);
    for (const f of readFrames('zeek/icmp/icmp-destunreach-udp.pcap')) expectEveryPrefixDecodes(f);
  });
});
