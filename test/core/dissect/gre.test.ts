import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { Mark, Proto } from '../../../src/core/dissect/packet';
import { LinkType } from '../../../src/core/dissect/link-types';
import { dissectSequence, expectEveryPrefixDecodes, fieldText, readFrames } from './frames';

// GRE with checksum, key and sequence number carrying an Ethernet frame (transparent bridging).
const bridged = hexToBytes(`
  020000000002 020000000001 0800                    # Ethernet, IPv4
  4500 004e 0001 0000 402f f92c c0a80001 c0a80002   # IPv4 192.168.0.1 -> .2, GRE, 78 bytes
  b000 6558                                         # GRE: C, K, S bits, version 0; 0x6558
  9d28 0000                                         #   checksum, offset
  00000102                                          #   key
  00000003                                          #   sequence number
  0a0000000002 0a0000000001 0800                    # inner Ethernet, IPv4
  4500 001c 0002 0000 4011 66cd 0a000001 0a000002   # inner IPv4 10.0.0.1 -> 10.0.0.2, UDP
  3039 0035 0008 0000                               # UDP 12345 -> 53, length 8
`);

describe('gre dissector', () => {
  it('decodes checksum, key and sequence and hands transparent Ethernet to Ethernet', () => {
    const d = dissectFrame(bridged, LinkType.Ethernet);
    // tshark 4.0 (-o ip.check_checksum:TRUE): gre.flags_and_version 0xb000, gre.flags.checksum 1,
    // gre.flags.key 1, gre.flags.sequence_number 1, gre.proto 0x6558, gre.checksum 0x9d28,
    // gre.checksum.status 1, gre.offset 0, gre.key 0x00000102, gre.sequence_number 3,
    // eth.src 02:00:00:00:00:01,0a:00:00:00:00:01, ip.src 192.168.0.1,10.0.0.1, udp.srcport 12345.
    const expected: Record<string, string> = {
      'gre.flags_and_version': '0xb000',
      'gre.flags.checksum': '1',
      'gre.flags.key': '1',
      'gre.flags.sequence_number': '1',
      'gre.proto': '0x6558',
      'gre.checksum': '0x9d28',
      'gre.checksum.status': '1',
      'gre.offset': '0',
      'gre.key': '0x00000102',
      'gre.sequence_number': '3',
      'eth.src': '02:00:00:00:00:01,0a:00:00:00:00:01',
      'ip.src': '192.168.0.1,10.0.0.1',
      'udp.srcport': '12345',
    };
    for (const [name, value] of Object.entries(expected)) expect(fieldText(d, name), name).toBe(value);
    const gre = d.layers.find((l) => l.protocol === 'gre')!;
    expect(gre.title).toBe('Generic Routing Encapsulation (Transparent Ethernet bridging)');
    expect(gre.fields.map((f) => f.label)).toEqual([
      'Flags and Version: 0xb000',
      'Protocol Type: Transparent Ethernet bridging (0x6558)',
      'Checksum: 0x9d28 [correct]',
      '[Checksum Status: Good]',
      'Offset: 0',
      'Key: 0x00000102',
      'Sequence Number: 3',
    ]);
    expect(gre.fields[0]!.children!.map((c) => c.label)).toEqual([
      'Checksum Bit: Yes',
      'Routing Bit: No',
      'Key Bit: Yes',
      'Sequence Number Bit: Yes',
      'Strict Source Route Bit: No',
      'Recursion control: 0',
      'Flags (Reserved): 0',
      'Version: GRE (0)',
    ]);
    const p = d.packet;
    expect(p.top).toBe(Proto.Udp);
    expect(p.src4).toBe(0x0a000001);
    expect(p.srcPort).toBe(12345);
    expect(p.tunnelDepth).toBe(1);
    // The innermost link layer is the bridged frame's.
    expect(p.macSrc).toBe(14 + 20 + 16 + 6);
    expect(d.layers.map((l) => l.protocol)).toEqual(['frame', 'eth', 'ip', 'gre', 'eth', 'ip', 'udp']);
  });

  it('a wrong checksum is flagged with the value it should have', () => {
    const bad = bridged.slice();
    bad[38] = 0; // checksum 0x0028
    const d = dissectFrame(bad, LinkType.Ethernet);
    expect(fieldText(d, 'gre.checksum.status')).toBe('0');
    expect(d.node('gre.checksum')!.label).toBe('Checksum: 0x0028 incorrect, should be 0x9d28');
    expect(d.packet.marks & Mark.L4ChecksumBad).toBe(Mark.L4ChecksumBad);
    // The payload is still decoded.
    expect(d.packet.top).toBe(Proto.Udp);
  });

  it('IPv4 in GRE (corpus tunnels/gre-sample.pcap) ends with the inner conversation', () => {
    const frames = readFrames('zeek/tunnels/gre-sample.pcap');
    const results = dissectSequence(frames, { defrag: null, tree: true });
    // tshark 4.0 -e ip.src -e ip.dst -e ip.proto -e gre.flags_and_version -e gre.proto -e icmp.type
    //            -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport
    const names = ['ip.src', 'ip.dst', 'ip.proto', 'gre.flags_and_version', 'gre.proto', 'icmp.type', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport'];
    const tshark: Record<number, string> = {
      1: '172.27.1.66,66.59.111.190\t66.59.109.137,172.28.2.3\t47,1\t0x0000\t0x0800\t8\t\t\t\t',
      10: '66.59.109.137,18.26.4.105\t172.27.1.66,66.59.111.190\t47,17\t0x0000\t0x0800\t\t\t\t123\t123',
      11: '172.27.1.66,66.59.111.190\t66.59.109.137,172.28.2.3\t47,6\t0x0000\t0x0800\t\t40264\t22\t\t',
      33: '172.27.1.66,66.59.111.190\t66.59.109.137,172.28.2.3\t47,17\t0x0000\t0x0800\t\t\t\t37675\t53',
      // An ICMP error inside GRE, quoting a UDP datagram.
      34: '66.59.109.137,172.28.2.3,66.59.111.190\t172.27.1.66,66.59.111.190,172.28.2.3\t47,1,17\t0x0000\t0x0800\t3\t\t\t37675\t53',
    };
    for (const [n, line] of Object.entries(tshark)) expect(names.map((name) => fieldText(results[Number(n) - 1]!, name)).join('\t'), `frame ${n}`).toBe(line);
    expect(results[0]!.layers.find((l) => l.protocol === 'gre')!.title).toBe('Generic Routing Encapsulation (IP)');

    const fast = dissectSequence(frames, { defrag: null, tree: false });
    expect([fast[10]!.top, fast[10]!.srcPort, fast[10]!.dstPort, fast[10]!.tunnelDepth]).toEqual([Proto.Tcp, 40264, 22, 1]);
    // The ICMP error's quoted UDP ports do not become the packet's.
    expect([fast[33]!.top, fast[33]!.srcPort, fast[33]!.l4]).toEqual([Proto.Icmp, 0, 1]);
  });

  it('a cut header is malformed, and every prefix decodes without throwing', () => {
    expect(dissectFrame(bridged.subarray(0, 34 + 10), LinkType.Ethernet).packet.malformed).toMatch(/GRE header of 16 bytes/);
    expectEveryPrefixDecodes({ bytes: bridged, linkType: LinkType.Ethernet });
    const frames = readFrames('zeek/tunnels/gre-sample.pcap');
    for (const i of [0, 10, 33]) expectEveryPrefixDecodes(frames[i]!);
  });
});
