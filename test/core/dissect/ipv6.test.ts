import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { Mark, Proto } from '../../../src/core/dissect/packet';
import { LinkType } from '../../../src/core/dissect/link-types';
import { ipv6Text } from '../../../src/core/util/address';
import { dissectSequence, expectEveryPrefixDecodes, fieldText, readFrames } from './frames';

// Raw IPv6 (link type 229) with every extension header the dissector walks, then UDP.
const extensions = hexToBytes(`
  6000 0000 004c 00 40                          # IPv6, payload 76, next: hop-by-hop, hop limit 64
  20010db8000000000000000000000001              # src 2001:db8::1
  20010db8000000000000000000000002              # dst 2001:db8::2
  3c 00 05 02 0000 01 00                        # hop-by-hop: next 60, Router Alert (MLD), PadN(0)
  2b 00 01 04 00000000                          # destination options: next 43, PadN(4)
  33 02 00 01 00000000                          # routing: next 51 (AH), 24 bytes, type 0, 1 left
  20010db8000000000000000000000003              #   Address[1] 2001:db8::3
  11 04 0000 00001234 00000001                  # AH: next UDP, 24 bytes, SPI 0x1234, seq 1
  aabbccddeeff00112233aabb                      #   ICV
  7530 32c8 000c 0000 58585858                  # UDP 30000 -> 13000, len 12, checksum 0, "XXXX"
`);

// 4in6: IPv6 carrying IPv4 (next header 4) carrying a TCP SYN.
const fourInSix = hexToBytes(`
  020000000002 020000000001 86dd                # Ethernet, IPv6
  6000 0000 0028 04 40                          # IPv6, payload 40, next: IPIP (4)
  20010db8000000000000000000000001 20010db8000000000000000000000002
  4500 0028 0001 0000 4006 0000 0a000001 0a000002   # IPv4 10.0.0.1 -> 10.0.0.2, TCP
  0050 1f90 00000001 00000000 5002 2000 0000 0000   # TCP 80 -> 8080 SYN
`);

// 6in6: IPv6 carrying IPv6 (next header 41) carrying a TCP SYN.
const sixInSix = hexToBytes(`
  020000000002 020000000001 86dd                # Ethernet, IPv6
  6000 0000 003c 29 40                          # IPv6, payload 60, next: IPv6 (41)
  20010db8000000000000000000000001 20010db8000000000000000000000002
  6b81 2345 0014 06 40                          # inner IPv6: tclass 0xb8, flow 0x12345, TCP
  fd000000000000000000000000000001 fd000000000000000000000000000002
  0050 1f90 00000001 00000000 5002 2000 0000 0000   # TCP 80 -> 8080 SYN
`);

describe('ipv6 dissector', () => {
  it('walks hop-by-hop, destination options, routing and AH to the transport', () => {
    const d = dissectFrame(extensions, LinkType.Ipv6);
    const p = d.packet;
    expect(p.top).toBe(Proto.Udp);
    expect(p.net).toBe(6);
    expect(ipv6Text(p.buf, p.src6)).toBe('2001:db8::1');
    expect(ipv6Text(p.buf, p.dst6)).toBe('2001:db8::2');
    expect(p.ipProto).toBe(17);
    expect(p.srcPort).toBe(30000);
    // Payload length minus 64 bytes of extension headers and the 8-byte UDP header.
    expect(p.payloadWireLength).toBe(4);
    // Expected values from tshark 4.0: tshark -r ext.pcap -T fields -e … (this frame as a pcap).
    expect(fieldText(d, 'ipv6.plen')).toBe('76');
    expect(fieldText(d, 'ipv6.nxt')).toBe('0');
    expect(fieldText(d, 'ipv6.hopopts.nxt')).toBe('60');
    expect(fieldText(d, 'ipv6.hopopts.len_oct')).toBe('8');
    expect(fieldText(d, 'ipv6.opt.type')).toBe('0x05,0x01,0x01');
    expect(fieldText(d, 'ipv6.opt.length')).toBe('2,0,4');
    expect(fieldText(d, 'ipv6.opt.router_alert')).toBe('0');
    expect(fieldText(d, 'ipv6.opt.padn')).toBe('<none>,00000000');
    expect(fieldText(d, 'ipv6.dstopts.nxt')).toBe('43');
    expect(fieldText(d, 'ipv6.routing.nxt')).toBe('51');
    expect(fieldText(d, 'ipv6.routing.type')).toBe('0');
    expect(fieldText(d, 'ipv6.routing.segleft')).toBe('1');
    expect(fieldText(d, 'ipv6.routing.src.addr')).toBe('2001:db8::3');
    expect(fieldText(d, 'ah.next_header')).toBe('17');
    expect(fieldText(d, 'ah.spi')).toBe('0x00001234');
    expect(fieldText(d, 'ah.sequence')).toBe('1');
    expect(fieldText(d, 'ah.icv')).toBe('aabbccddeeff00112233aabb');
    expect(fieldText(d, 'udp.length')).toBe('12');
    // A zero UDP checksum is illegal over IPv6 (RFC 8200 §8.1): tshark's status 4, "Illegal".
    expect(fieldText(d, 'udp.checksum.status')).toBe('4');
  });

  it('labels extension headers the way Wireshark does', () => {
    const d = dissectFrame(extensions, LinkType.Ipv6);
    const ipv6 = d.layers.find((l) => l.protocol === 'ipv6')!;
    expect(ipv6.title).toBe('Internet Protocol Version 6, Src: 2001:db8::1, Dst: 2001:db8::2');
    const labels = ipv6.fields.map((f) => f.label);
    expect(labels).toContain('Next Header: IPv6 Hop-by-Hop Option (0)');
    expect(labels).toContain('IPv6 Hop-by-Hop Option');
    expect(labels).toContain('Routing Header for IPv6 (Source Route)');
    expect(labels).toContain('Authentication Header');
    const ah = ipv6.fields.find((f) => f.label === 'Authentication Header')!;
    expect(ah.children!.map((c) => c.label)).toEqual([
      'Next header: UDP (17)',
      'Length: 4 (24 bytes)',
      'Reserved: 0000',
      'AH SPI: 0x00001234',
      'AH Sequence: 1',
      'AH ICV: aabbccddeeff00112233aabb',
    ]);
  });

  it('prints traffic class and flow label as tshark does', () => {
    const d = dissectFrame(sixInSix, LinkType.Ethernet);
    // tshark 4.0 on the inner header: ipv6.tclass 0x000000b8, ipv6.tclass.dscp 46, ipv6.flow 0x012345.
    expect(d.values('ipv6.tclass')).toEqual(['0x00000000', '0x000000b8']);
    expect(d.values('ipv6.tclass.dscp')).toEqual(['0', '46']);
    expect(d.values('ipv6.flow')).toEqual(['0x000000', '0x012345']);
    const tclass = d.layers[d.layers.length - 2]!.fields.find((f) => f.name === 'ipv6.tclass')!;
    expect(tclass.label).toBe('Traffic Class: 0xb8 (DSCP: EF PHB, ECN: Not-ECT)');
    expect(tclass.children![0]!.label).toBe('Differentiated Services Codepoint: Expedited Forwarding (46)');
  });

  it('6in6 and 4in6 end with the innermost addresses and ports, every level in the tree', () => {
    const six = dissectFrame(sixInSix, LinkType.Ethernet);
    expect(six.packet.top).toBe(Proto.Tcp);
    expect(six.packet.tunnelDepth).toBe(1);
    expect(ipv6Text(six.packet.buf, six.packet.src6)).toBe('fd00::1');
    expect(six.packet.dstPort).toBe(8080);
    expect(six.layers.map((l) => l.protocol)).toEqual(['frame', 'eth', 'ipv6', 'ipv6', 'tcp']);

    const four = dissectFrame(fourInSix, LinkType.Ethernet);
    expect(four.packet.top).toBe(Proto.Tcp);
    expect(four.packet.net).toBe(4);
    expect(four.packet.tunnelDepth).toBe(1);
    expect(four.packet.src4).toBe(0x0a000001);
    expect(four.packet.srcPort).toBe(80);
    expect(four.layers.map((l) => l.protocol)).toEqual(['frame', 'eth', 'ipv6', 'ip', 'tcp']);
  });

  it('6in4 (corpus tunnels/6in4.pcap) decodes to the inner UDP', () => {
    const [frame] = readFrames('zeek/tunnels/6in4.pcap');
    const [fast] = dissectSequence([frame!], { defrag: null, tree: false });
    expect(fast!.top).toBe(Proto.Udp);
    expect(fast!.net).toBe(6);
    expect(fast!.tunnelDepth).toBe(1);
    expect(fast!.srcPort).toBe(30000);
    expect(fast!.dstPort).toBe(13000);
    const [d] = dissectSequence([frame!], { defrag: null, tree: true });
    // tshark 4.0: ip.src 1.2.3.4, ip.proto 41, ipv6.version 6, ipv6.tclass 0x00000000, ipv6.flow
    // 0x000000, ipv6.plen 12, ipv6.nxt 17, ipv6.hlim 64, ipv6.src dead::beef, ipv6.dst cafe::babe,
    // udp.srcport 30000, udp.dstport 13000, udp.length 12, udp.checksum 0x83d2, udp.payload 58585858.
    const expected: Record<string, string> = {
      'ip.src': '1.2.3.4',
      'ip.proto': '41',
      'ipv6.version': '6',
      'ipv6.tclass': '0x00000000',
      'ipv6.flow': '0x000000',
      'ipv6.plen': '12',
      'ipv6.nxt': '17',
      'ipv6.hlim': '64',
      'ipv6.src': 'dead::beef',
      'ipv6.dst': 'cafe::babe',
      'udp.srcport': '30000',
      'udp.dstport': '13000',
      'udp.length': '12',
      'udp.checksum': '0x83d2',
      'udp.payload': '58585858',
    };
    for (const [name, value] of Object.entries(expected)) expect(fieldText(d!, name), name).toBe(value);
    expect(d!.layers.map((l) => l.protocol)).toEqual(['frame', 'eth', 'ip', 'ipv6', 'udp']);
  });

  it('TCP over IPv6 (corpus communityid/ipv6.pcap) matches tshark', () => {
    const results = dissectSequence(readFrames('zeek/communityid/ipv6.pcap').slice(0, 4), { defrag: null, tree: true });
    // tshark 4.0 -e ipv6.src -e ipv6.dst -e ipv6.plen -e ipv6.hlim -e tcp.srcport -e tcp.dstport -e tcp.len
    const tshark = [
      '2001:470:e5bf:dead:4957:2174:e82c:4887\t2607:f8b0:400c:c03::1a\t32\t64\t63943\t25\t0',
      '2607:f8b0:400c:c03::1a\t2001:470:e5bf:dead:4957:2174:e82c:4887\t32\t56\t25\t63943\t0',
      '2001:470:e5bf:dead:4957:2174:e82c:4887\t2607:f8b0:400c:c03::1a\t20\t64\t63943\t25\t0',
      '2607:f8b0:400c:c03::1a\t2001:470:e5bf:dead:4957:2174:e82c:4887\t71\t56\t25\t63943\t51',
    ];
    const names = ['ipv6.src', 'ipv6.dst', 'ipv6.plen', 'ipv6.hlim', 'tcp.srcport', 'tcp.dstport', 'tcp.len'];
    results.forEach((r, i) => expect(names.map((n) => fieldText(r, n)).join('\t')).toBe(tshark[i]));
    expect(results[3]!.payloadWireLength).toBe(51);
  });

  it('verifies TCP checksums over IPv6 on the tree path (corpus chksums/ip6-tcp-good-chksum.pcap)', () => {
    const [d] = dissectSequence(readFrames('zeek/chksums/ip6-tcp-good-chksum.pcap'), { defrag: null, tree: true });
    // tshark 4.0 with -o tcp.check_checksum:TRUE: tcp.checksum 0x2f8a, tcp.checksum.status 1.
    expect(fieldText(d!, 'tcp.checksum')).toBe('0x2f8a');
    expect(fieldText(d!, 'tcp.checksum.status')).toBe('1');
  });

  it('a header shorter than 40 bytes or a cut extension header is malformed, never a throw', () => {
    for (let n = 0; n < 40; n++) {
      const d = dissectFrame(extensions.subarray(0, n), LinkType.Ipv6);
      expect(d.packet.marks & Mark.Malformed).toBe(Mark.Malformed);
    }
    // Cut inside the routing header: the layers before it stay decoded.
    const d = dissectFrame(extensions.subarray(0, 40 + 16 + 10), LinkType.Ipv6);
    expect(d.packet.malformed).toMatch(/extension header/);
    expect(d.values('ipv6.hopopts.nxt')).toEqual(['60']);
  });

  it('every prefix of each test frame decodes without throwing', () => {
    expectEveryPrefixDecodes({ bytes: extensions, linkType: LinkType.Ipv6 });
    expectEveryPrefixDecodes({ bytes: fourInSix, linkType: LinkType.Ethernet });
    expectEveryPrefixDecodes({ bytes: sixInSix, linkType: LinkType.Ethernet });
    for (const f of readFrames('zeek/tunnels/6in4.pcap')) expectEveryPrefixDecodes(f);
    for (const f of readFrames('zeek/communityid/ipv6.pcap').slice(0, 4)) expectEveryPrefixDecodes(f);
  });
});
