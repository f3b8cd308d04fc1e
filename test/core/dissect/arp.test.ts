import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { corpusFrame, expectEveryPrefixHandled } from '../../helpers/corpus-frames';
import { Mark, Proto } from '../../../src/core/dissect/packet';

// Expected field values below are what tshark 4.0.17 prints (`tshark -T fields -E occurrence=a`)
// for the same bytes: the corpus captures as they are, the hand-built frames written to a pcap.

const eth = 'ffffffffffff 000a0b0c0d0e 0806'; // Ethernet: broadcast, src, ARP

describe('arp dissector', () => {
  it('decodes a real request and makes ARP the network layer (zeek/arp-who-has.pcap frame 1)', () => {
    const f = corpusFrame('zeek/arp-who-has.pcap', 1);
    const d = dissectFrame(f.bytes, f.linkType);
    expect(d.values('arp.hw.type')).toEqual(['1']);
    expect(d.values('arp.proto.type')).toEqual(['0x0800']);
    expect(d.values('arp.hw.size')).toEqual(['6']);
    expect(d.values('arp.proto.size')).toEqual(['4']);
    expect(d.values('arp.opcode')).toEqual(['1']);
    expect(d.values('arp.src.hw_mac')).toEqual(['78:31:c1:c6:3f:c2']);
    expect(d.values('arp.src.proto_ipv4')).toEqual(['10.0.0.2']);
    expect(d.values('arp.dst.hw_mac')).toEqual(['00:00:00:00:00:00']);
    expect(d.values('arp.dst.proto_ipv4')).toEqual(['10.0.0.1']);
    expect(d.values('arp.isgratuitous')).toEqual([]);
    const layer = d.layers.find((l) => l.protocol === 'arp')!;
    expect(layer.title).toBe('Address Resolution Protocol (request)');
    expect(layer.osi).toBe(3);
    expect(layer.fields.map((n) => n.label)).toEqual([
      'Hardware type: Ethernet (1)',
      'Protocol type: IPv4 (0x0800)',
      'Hardware size: 6',
      'Protocol size: 4',
      'Opcode: request (1)',
      'Sender MAC address: 78:31:c1:c6:3f:c2',
      'Sender IP address: 10.0.0.2',
      'Target MAC address: 00:00:00:00:00:00',
      'Target IP address: 10.0.0.1',
    ]);

    const fast = dissectFrame(f.bytes, f.linkType, true).packet;
    expect(fast.net).toBe(Proto.Arp);
    expect(fast.top).toBe(Proto.Arp);
    expect(fast.netOffset).toBe(14);
  });

  it('decodes a reply followed by an Ethernet trailer (zeek/arp-who-has.pcap frame 2)', () => {
    const f = corpusFrame('zeek/arp-who-has.pcap', 2);
    const d = dissectFrame(f.bytes, f.linkType);
    expect(d.values('arp.opcode')).toEqual(['2']);
    expect(d.values('arp.src.hw_mac')).toEqual(['f8:ed:a5:c0:a4:f1']);
    expect(d.values('arp.src.proto_ipv4')).toEqual(['10.0.0.1']);
    expect(d.values('arp.dst.hw_mac')).toEqual(['78:31:c1:c6:3f:c2']);
    expect(d.values('arp.dst.proto_ipv4')).toEqual(['10.0.0.2']);
    const layer = d.layers.find((l) => l.protocol === 'arp')!;
    expect(layer.title).toBe('Address Resolution Protocol (reply)');
    expect(layer.length).toBe(28);
    expect(d.packet.marks & Mark.Malformed).toBe(0);
  });

  it('recognises an announcement (zeek/linuxsll-arp.pcap frame 5) and a reverse request (zeek/linux_dlt_sll2.pcap frame 6)', () => {
    const a = corpusFrame('zeek/linuxsll-arp.pcap', 5);
    const d = dissectFrame(a.bytes, a.linkType);
    expect(d.values('arp.isgratuitous')).toEqual(['1']);
    expect(d.values('arp.isannouncement')).toEqual(['1']);
    expect(d.values('arp.src.proto_ipv4')).toEqual(['192.168.22.81']);
    expect(d.values('arp.dst.proto_ipv4')).toEqual(['192.168.22.81']);
    expect(d.layers.find((l) => l.protocol === 'arp')?.title).toBe('Address Resolution Protocol (ARP Announcement)');

    const r = corpusFrame('zeek/linux_dlt_sll2.pcap', 6);
    const dr = dissectFrame(r.bytes, r.linkType);
    expect(dr.values('arp.opcode')).toEqual(['3']);
    expect(dr.node('arp.opcode')?.label).toBe('Opcode: reverse request (3)');
    expect(dr.layers.find((l) => l.protocol === 'arp')?.title).toBe('Address Resolution Protocol (reverse request)');
  });

  it('recognises a probe and a gratuitous reply (RFC 5227)', () => {
    const probe = dissectFrame(
      hexToBytes(`${eth}  0001 0800 06 04 0001  010203040506 00000000  000000000000 c0a80001`), // from 0.0.0.0
      1,
    );
    expect(probe.values('arp.isprobe')).toEqual(['1']);
    expect(probe.values('arp.src.proto_ipv4')).toEqual(['0.0.0.0']);
    expect(probe.layers.find((l) => l.protocol === 'arp')?.title).toBe('Address Resolution Protocol (ARP Probe)');

    const gratuitous = dissectFrame(
      hexToBytes(`${eth}  0001 0800 06 04 0002  010203040506 0a000001  ffffffffffff 0a000001`), // same sender and target IP
      1,
    );
    expect(gratuitous.values('arp.isgratuitous')).toEqual(['1']);
    expect(gratuitous.values('arp.isannouncement')).toEqual([]);
    expect(gratuitous.layers.find((l) => l.protocol === 'arp')?.title).toBe('Address Resolution Protocol (reply/gratuitous ARP)');
  });

  it('shows addresses it cannot type as bytes, and opcodes it does not know by number', () => {
    const d = dissectFrame(
      hexToBytes(`${eth}  0001 86dd 06 02 0001  010203040506 fe80  111111111111 fe81`), // 2-byte protocol addresses
      1,
    );
    expect(d.values('arp.src.hw_mac')).toEqual(['01:02:03:04:05:06']);
    expect(d.values('arp.src.proto')).toEqual(['fe80']);
    expect(d.values('arp.dst.proto')).toEqual(['fe81']);

    const hw = dissectFrame(hexToBytes(`${eth}  0002 0800 06 04 0001  010203040506 0a000001  000000000000 0a000002`), 1);
    expect(hw.values('arp.src.hw')).toEqual(['010203040506']); // Experimental Ethernet is not a MAC to Wireshark
    expect(hw.values('arp.src.hw_mac')).toEqual([]);

    const unknown = dissectFrame(hexToBytes(`${eth}  0001 0800 06 04 002a  010203040506 0a000001  000000000000 0a000002`), 1);
    expect(unknown.values('arp.opcode')).toEqual(['42']);
    expect(unknown.node('arp.opcode')?.label).toBe('Opcode: Unknown (42)');
    expect(unknown.layers.find((l) => l.protocol === 'arp')?.title).toBe('Address Resolution Protocol (opcode 0x002a)');

    const drarp = dissectFrame(hexToBytes(`${eth}  0001 0800 06 04 0007  010203040506 c0a80001  000000000000 ff000000`), 1);
    expect(drarp.values('arp.dst.drarp_error_status')).toEqual(['255']);
    expect(drarp.values('arp.dst.proto_ipv4')).toEqual([]);
  });

  it('keeps the fixed fields of a packet cut short and marks it', () => {
    const d = dissectFrame(hexToBytes(`${eth}  0001 0800 06 04 0001  010203040506 0a000001`), 1);
    expect(d.values('arp.opcode')).toEqual(['1']);
    expect(d.values('arp.src.hw_mac')).toEqual([]);
    expect(d.layers.find((l) => l.protocol === 'arp')?.title).toBe('Address Resolution Protocol');
    expect(d.packet.malformed).toBe('ARP packet with 6-byte hardware and 4-byte protocol addresses needs 28 bytes, only 18 captured');
  });

  it('every prefix of a real frame decodes without throwing and marks the cut', () => {
    const f = corpusFrame('zeek/arp-who-has.pcap', 2);
    // Ethernet 14 and ARP 28; the 18 bytes after them are the trailer.
    expectEveryPrefixHandled(f.bytes, f.linkType, 42, 42);
  });
});
