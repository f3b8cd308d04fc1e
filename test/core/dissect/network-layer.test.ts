import { describe, expect, it } from 'vitest';
import { networkDissectors } from '../../../src/core/dissect/network-layer';
import { defaultRegistry } from '../../../src/core/dissect/all';
import { Defragmenter } from '../../../src/core/dissect/ip-defrag';
import { dissectSequence, expectEveryPrefixDecodes, readFrames, type Frame } from './frames';

const captures = [
  'zeek/tunnels/6in4.pcap',
  'zeek/tunnels/gre-sample.pcap',
  'zeek/tunnels/vxlan-encapsulated-http.pcap',
  'zeek/icmp/5-pings.pcap',
  'zeek/icmp/icmp-destunreach-udp.pcap',
  'zeek/icmp/icmp6-ping.pcap',
  'zeek/communityid/icmp6.pcap',
  'zeek/communityid/ipv6.pcap',
  'zeek/communityid/tcp.pcap',
  'zeek/communityid/udp.pcap',
  'zeek/chksums/ip4-icmp-good-chksum.pcap',
  'zeek/chksums/ip4-tcp-bad-chksum.pcap',
  'zeek/chksums/ip4-tcp-good-chksum.pcap',
  'zeek/chksums/ip6-tcp-good-chksum.pcap',
  'zeek/chksums/ip6-udp-bad-chksum.pcap',
  'zeek/ip-bogus-header-len.pcap',
  'zeek/ipv4/fragmented-1.pcap',
  'zeek/ipv4/fragmented-2.pcap',
  'zeek/ipv4/fragmented-3.pcap',
  'zeek/ipv4/fragmented-4.pcap',
  'zeek/ipv6-fragmented-dns.pcap',
  'zeek/udp-packet.pcap',
];

describe('network layer', () => {
  it('registers each dissector once, with Wireshark field names unique across them', () => {
    const registry = defaultRegistry();
    for (const d of networkDissectors) for (const h of d.handoffs) expect(registry.lookup(h.table, h.key)).toBe(d);
    const names = networkDissectors.flatMap((d) => d.fields.map((f) => f.name));
    expect(new Set(names).size).toBe(names.length);
  });

  for (const file of captures) {
    it(`every prefix of every frame of ${file} decodes without throwing`, () => {
      for (const frame of readFrames(file)) expectEveryPrefixDecodes(frame);
    });
  }

  it('every prefix also goes through a shared Defragmenter without throwing', () => {
    for (const file of ['zeek/ipv4/fragmented-1.pcap', 'zeek/ipv4/fragmented-4.pcap', 'zeek/ipv6-fragmented-dns.pcap']) {
      const frames = readFrames(file);
      const defrag = new Defragmenter();
      for (const f of frames) {
        const prefixes: Frame[] = [];
        for (let n = 0; n <= f.bytes.length; n += 7) prefixes.push({ bytes: f.bytes.subarray(0, n), linkType: f.linkType });
        expect(() => dissectSequence(prefixes, { defrag, tree: true })).not.toThrow();
      }
      expect(() => dissectSequence(frames, { defrag, tree: false })).not.toThrow();
    }
  });
});
