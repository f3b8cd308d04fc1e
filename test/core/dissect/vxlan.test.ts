import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { Proto } from '../../../src/core/dissect/packet';
import { LinkType } from '../../../src/core/dissect/link-types';
import { dissectSequence, expectEveryPrefixDecodes, fieldText, readFrames } from './frames';

// VXLAN on UDP 4789 with the G and I flags, group policy 0x1234, VNI 0x123456, inner Ethernet
// frame with an IPv4 header that carries nothing (protocol 255).
const vxlanFrame = hexToBytes(`
  020000000002 020000000001 0800                    # outer Ethernet, IPv4
  4500 0046 0001 0000 4011 0000 c0a80001 c0a80002   # outer IPv4, UDP, 70 bytes
  c350 12b5 0032 0000                               # UDP 50000 -> 4789, length 50, no checksum
  8800 1234 123456 00                               # VXLAN: flags G+I, GBP 0x1234, VNI, reserved
  0a0000000002 0a0000000001 0800                    # inner Ethernet, IPv4
  4500 0014 0002 0000 40ff 0000 0a000001 0a000002   # inner IPv4 10.0.0.1 -> 10.0.0.2, proto 255
`);

describe('vxlan dissector', () => {
  it('decodes the header and hands the payload to Ethernet', () => {
    const d = dissectFrame(vxlanFrame, LinkType.Ethernet);
    expect(d.layers.map((l) => l.protocol)).toEqual(['frame', 'eth', 'ip', 'udp', 'vxlan', 'eth', 'ip']);
    expect(fieldText(d, 'vxlan.flags')).toBe('0x8800');
    expect(fieldText(d, 'vxlan.flag_g')).toBe('1');
    expect(fieldText(d, 'vxlan.flag_i')).toBe('1');
    expect(fieldText(d, 'vxlan.flags_reserved')).toBe('0x0000');
    expect(fieldText(d, 'vxlan.gbp')).toBe('4660');
    expect(fieldText(d, 'vxlan.vni')).toBe('1193046');
    const vxlan = d.layers[4]!;
    expect(vxlan.title).toBe('Virtual eXtensible Local Area Network');
    expect(vxlan.fields[0]!.label).toBe('Flags: 0x8800, GBP Extension, VXLAN Network ID (VNI)');
    expect(vxlan.fields[0]!.children!.map((c) => c.label)).toEqual([
      'GBP Extension: Defined',
      'VXLAN Network ID (VNI): True',
      "Don't Learn: False",
      'Policy Applied: False',
      'Reserved(R): 0x0000',
    ]);
    expect(d.packet.top).toBe(Proto.Ipv4);
    expect(d.packet.src4).toBe(0x0a000001);
    expect(d.packet.tunnelDepth).toBe(1);
  });

  it('HTTP over VXLAN (corpus tunnels/vxlan-encapsulated-http.pcap) ends with the inner TCP conversation', () => {
    const frames = readFrames('zeek/tunnels/vxlan-encapsulated-http.pcap');
    const results = dissectSequence(frames, { defrag: null, tree: true });
    // tshark 4.0 -e ip.src -e ip.dst -e udp.srcport -e udp.dstport -e vxlan.flags -e vxlan.vni
    //            -e eth.src -e tcp.srcport -e tcp.dstport -e tcp.len (frames 1, 2, 4, 8)
    const names = ['ip.src', 'ip.dst', 'udp.srcport', 'udp.dstport', 'vxlan.flags', 'vxlan.vni', 'eth.src', 'tcp.srcport', 'tcp.dstport', 'tcp.len'];
    const tshark: Record<number, string> = {
      1: '10.1.200.131,172.16.11.201\t10.1.1.172,54.86.237.188\t50000\t4789\t0x0800\t1\t12:42:cd:c5:e8:22,48:f1:7f:a3:b6:ff\t40354\t80\t0',
      2: '10.1.200.131,54.86.237.188\t10.1.1.172,172.16.11.201\t50000\t4789\t0x0800\t1\t12:42:cd:c5:e8:22,74:ac:b9:3f:d2:7d\t80\t40354\t0',
      4: '10.1.200.131,172.16.11.201\t10.1.1.172,54.86.237.188\t50000\t4789\t0x0800\t1\t12:42:cd:c5:e8:22,48:f1:7f:a3:b6:ff\t40354\t80\t87',
      8: '10.1.200.131,54.86.237.188\t10.1.1.172,172.16.11.201\t50000\t4789\t0x0800\t1\t12:42:cd:c5:e8:22,74:ac:b9:3f:d2:7d\t80\t40354\t8984',
    };
    for (const [n, line] of Object.entries(tshark)) expect(names.map((name) => fieldText(results[Number(n) - 1]!, name)).join('\t'), `frame ${n}`).toBe(line);
    const fast = dissectSequence(frames, { defrag: null, tree: false });
    for (const r of fast) {
      expect(r.top).toBe(Proto.Tcp);
      expect(r.tunnelDepth).toBe(1);
      expect([r.srcPort, r.dstPort].sort((a, b) => a - b)).toEqual([80, 40354]);
    }
    expect(fast[3]!.payloadWireLength).toBe(87);
  });

  it('a cut header is malformed, and every prefix decodes without throwing', () => {
    // The frame ends early on the wire, so UDP's length is bogus first; the VXLAN layer is cut.
    const cut = dissectFrame(vxlanFrame.subarray(0, 42 + 5), LinkType.Ethernet);
    expect(cut.packet.malformed).toMatch(/Bogus UDP length \(50, more than the IP payload length 13\)/);
    expect(cut.layers.find((l) => l.protocol === 'vxlan')!.malformed).toMatch(/VXLAN header needs 8 bytes/);
    expectEveryPrefixDecodes({ bytes: vxlanFrame, linkType: LinkType.Ethernet });
    for (const f of readFrames('zeek/tunnels/vxlan-encapsulated-http.pcap').slice(0, 4)) expectEveryPrefixDecodes(f);
  });
});
