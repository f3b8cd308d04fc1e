import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { Mark, Proto } from '../../../src/core/dissect/packet';
import { LinkType } from '../../../src/core/dissect/link-types';
import { ipv6Text } from '../../../src/core/util/address';
import { dissectSequence, expectEveryPrefixDecodes, fieldText, readFrames } from './frames';

// An ICMPv6 echo request between two link-local addresses.
const echo = hexToBytes(`
  020000000002 020000000001 86dd                # Ethernet, IPv6
  6000 0000 000c 3a 40                          # IPv6, payload 12, next: ICMPv6, hop limit 64
  fe800000000000000000000000000001              # src fe80::1
  fe800000000000000000000000000002              # dst fe80::2
  80 00 abb2 1234 0007                          # echo request, checksum, id 0x1234, seq 7
  61626364                                      # "abcd"
`);

describe('icmpv6 dissector', () => {
  it('decodes an echo request with its pseudo-header checksum', () => {
    const d = dissectFrame(echo, LinkType.Ethernet);
    expect(d.packet.top).toBe(Proto.Icmpv6);
    expect(d.packet.l4).toBe(58);
    expect(d.packet.icmpType).toBe(128);
    expect(d.packet.icmpCode).toBe(0);
    expect(d.packet.payloadLength).toBe(4);
    // tshark 4.0: icmpv6.type 128, icmpv6.checksum 0xabb2, status 1, identifier 0x1234, sequence 7.
    expect(['icmpv6.type', 'icmpv6.checksum', 'icmpv6.checksum.status', 'icmpv6.echo.identifier', 'icmpv6.echo.sequence_number'].map((n) => fieldText(d, n))).toEqual([
      '128',
      '0xabb2',
      '1',
      '0x1234',
      '7',
    ]);
    expect(d.node('icmpv6.type')!.label).toBe('Type: Echo (ping) request (128)');
    expect(d.layers[d.layers.length - 1]!.title).toBe('Internet Control Message Protocol v6');
  });

  it('flags a bad checksum on the tree path', () => {
    const bad = echo.slice();
    bad[57] = 0x00; // checksum 0xab00
    const d = dissectFrame(bad, LinkType.Ethernet);
    expect(fieldText(d, 'icmpv6.checksum.status')).toBe('0');
    expect(d.node('icmpv6.checksum')!.label).toBe('Checksum: 0xab00 incorrect, should be 0xabb2');
    expect(d.packet.marks & Mark.L4ChecksumBad).toBe(Mark.L4ChecksumBad);
  });

  it('echo (corpus icmp/icmp6-ping.pcap) matches tshark', () => {
    const results = dissectSequence(readFrames('zeek/icmp/icmp6-ping.pcap').slice(0, 3), { defrag: null, tree: true });
    // tshark 4.0 -e icmpv6.type -e icmpv6.code -e icmpv6.checksum -e icmpv6.checksum.status
    //            -e icmpv6.echo.identifier -e icmpv6.echo.sequence_number -e ipv6.hlim
    const names = ['icmpv6.type', 'icmpv6.code', 'icmpv6.checksum', 'icmpv6.checksum.status', 'icmpv6.echo.identifier', 'icmpv6.echo.sequence_number', 'ipv6.hlim'];
    expect(results.map((r) => names.map((n) => fieldText(r, n)).join(' '))).toEqual([
      '128 0 0x2910 1 0x0001 3 128',
      '129 0 0x2810 1 0x0001 3 47',
      '128 0 0x290f 1 0x0001 4 128',
    ]);
  });

  it('Neighbor Discovery and errors (corpus communityid/icmp6.pcap) match tshark', () => {
    const frames = readFrames('zeek/communityid/icmp6.pcap');
    const results = dissectSequence(frames, { defrag: null, tree: true });
    const names = [
      'icmpv6.type', 'icmpv6.code', 'icmpv6.checksum.status', 'icmpv6.nd.ns.target_address', 'icmpv6.nd.na.flag',
      'icmpv6.nd.na.target_address', 'icmpv6.opt.type', 'icmpv6.opt.linkaddr', 'icmpv6.nd.ra.cur_hop_limit',
      'icmpv6.nd.ra.router_lifetime', 'icmpv6.opt.mtu', 'icmpv6.opt.prefix', 'icmpv6.opt.prefix.length',
      'icmpv6.echo.identifier', 'icmpv6.echo.sequence_number', 'ipv6.src', 'udp.srcport',
    ];
    // tshark 4.0 -T fields -e <names above>, frames 1, 2, 11, 20, 23, 31, 32, 37.
    const tshark: Record<number, string> = {
      1: '135\t0\t1\tfe80::260:97ff:fe07:69ea\t\t\t1\t00:00:86:05:80:da\t\t\t\t\t\t\t\tfe80::200:86ff:fe05:80da\t',
      2: '136\t0\t1\t\t0xc0000000\tfe80::260:97ff:fe07:69ea\t\t\t\t\t\t\t\t\t\tfe80::260:97ff:fe07:69ea\t',
      11: '3\t0\t1\t\t\t\t\t\t\t\t\t\t\t\t\t3ffe:507:0:1:260:97ff:fe07:69ea,3ffe:507:0:1:200:86ff:fe05:80da\t41077',
      20: '1\t4\t1\t\t\t\t\t\t\t\t\t\t\t\t\t3ffe:501:410:0:2c0:dfff:fe47:33e,3ffe:507:0:1:200:86ff:fe05:80da\t41077',
      23: '128\t0\t1\t\t\t\t\t\t\t\t\t\t\t0x7620\t0\t3ffe:507:0:1:200:86ff:fe05:80da\t',
      31: '133\t0\t1\t\t\t\t\t\t\t\t\t\t\t\t\tfe80::200:86ff:fe05:80da\t',
      32: '134\t0\t1\t\t\t\t1,5,3\t00:60:97:07:69:ea\t64\t1800\t1500\t3ffe:507:0:1::\t64\t\t\tfe80::260:97ff:fe07:69ea\t',
      37: '136\t0\t1\t\t0xe0000000\t3ffe:507:0:1:260:97ff:fe07:69ea\t2\t00:60:97:07:69:ea\t\t\t\t\t\t\t\t3ffe:507:0:1:260:97ff:fe07:69ea\t',
    };
    for (const [n, line] of Object.entries(tshark)) {
      expect(names.map((name) => fieldText(results[Number(n) - 1]!, name)).join('\t'), `frame ${n}`).toBe(line);
    }
    // Every message's checksum verifies, as in tshark (status 1 on all 49 frames).
    for (const r of results) expect(fieldText(r, 'icmpv6.checksum.status')).toBe('1');
    // Labels as in Wireshark's detail pane.
    expect(results[0]!.node('icmpv6.type')!.label).toBe('Type: Neighbor Solicitation (135)');
    expect(results[1]!.node('icmpv6.nd.na.flag')!.label).toBe('Flags: 0xc0000000, Router, Solicited');
    expect(results[19]!.node('icmpv6.code')!.label).toBe('Code: 4 (Port unreachable)');
    expect(results[31]!.node('icmpv6.nd.ra.flag')!.label).toBe('Flags: 0x00, Prf (Default Router Preference): Medium');
    const options = results[31]!.layers[results[31]!.layers.length - 1]!.fields.filter((f) => f.label.startsWith('ICMPv6 Option'));
    expect(options.map((o) => o.label)).toEqual([
      'ICMPv6 Option (Source link-layer address : 00:60:97:07:69:ea)',
      'ICMPv6 Option (MTU : 1500)',
      'ICMPv6 Option (Prefix information : 3ffe:507:0:1::/64)',
    ]);
    // An error keeps the packet's own addresses; the quoted IPv6 header is only in the tree.
    const err = dissectSequence([frames[19]!], { defrag: null, tree: false })[0]!;
    expect(err.top).toBe(Proto.Icmpv6);
    expect(err.srcPort).toBe(0);
    const p = dissectFrame(frames[19]!.bytes, 1).packet;
    expect(ipv6Text(p.buf, p.src6)).toBe('3ffe:501:410:0:2c0:dfff:fe47:33e');
    expect(p.tunnelDepth).toBe(0);
  });

  it('every prefix decodes without throwing', () => {
    expectEveryPrefixDecodes({ bytes: echo, linkType: LinkType.Ethernet });
    const frames = readFrames('zeek/communityid/icmp6.pcap');
    for (const i of [0, 1, 10, 19, 30, 31, 36]) expectEveryPrefixDecodes(frames[i]!);
  });
});
