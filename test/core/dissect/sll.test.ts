import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { corpusFrame, decodeOne, expectEveryPrefixHandled } from '../../helpers/corpus-frames';
import { Mark, Table } from '../../../src/core/dissect/packet';
import { LinkType } from '../../../src/core/dissect/link-types';
import { sll } from '../../../src/core/dissect/protocols/sll';

// Expected field values below are what tshark 4.0.17 prints (`tshark -T fields -E occurrence=a`)
// for the same bytes: the corpus capture as it is, the hand-built frames written to a pcap.

const ip = '4500 0014 0001 0000 ff3b 0000 01020304 05060708'; // IPv4 1.2.3.4 -> 5.6.7.8

describe('sll (Linux cooked capture v1) dissector', () => {
  it('decodes a real header with an Ethernet source address (zeek/linuxsll-arp.pcap frame 1)', () => {
    const f = corpusFrame('zeek/linuxsll-arp.pcap', 1);
    expect(f.linkType).toBe(LinkType.LinuxSll);
    const d = dissectFrame(f.bytes, f.linkType);
    expect(d.values('sll.pkttype')).toEqual(['1']);
    expect(d.values('sll.hatype')).toEqual(['1']);
    expect(d.values('sll.halen')).toEqual(['6']);
    expect(d.values('sll.src.eth')).toEqual(['cc:2d:e0:26:19:99']);
    expect(d.values('sll.unused')).toEqual(['0000']);
    expect(d.values('sll.etype')).toEqual(['0x0806']);
    expect(d.values('arp.opcode')).toEqual(['1']);
    expect(d.values('arp.dst.proto_ipv4')).toEqual(['192.168.22.160']);
    expect(d.packet.macSrc).toBe(6);
    expect(d.packet.macDst).toBe(-1);
    const layer = d.layers.find((l) => l.protocol === 'sll')!;
    expect(layer.title).toBe('Linux cooked capture v1');
    expect(layer.fields.map((n) => n.label)).toEqual([
      'Packet type: Broadcast (1)',
      'Link-layer address type: Ethernet (1)',
      'Link-layer address length: 6',
      'Source: cc:2d:e0:26:19:99',
      'Unused: 0000',
      'Protocol: ARP (0x0806)',
    ]);
  });

  it('shows a 4-byte address as IPv4 and the rest of the address field as unused', () => {
    const d = dissectFrame(
      hexToBytes(`
        0000 0001 0004         # unicast to us, Ethernet, address length 4
        0a0b0c0d 00000000      # address 10.11.12.13, 4 unused bytes
        0800                   # IPv4
        ${ip}
      `),
      LinkType.LinuxSll,
    );
    expect(d.values('sll.src.ipv4')).toEqual(['10.11.12.13']);
    expect(d.values('sll.unused')).toEqual(['00000000']);
    expect(d.values('sll.etype')).toEqual(['0x0800']);
    expect(d.values('ip.src')).toEqual(['1.2.3.4']);
    expect(d.packet.macSrc).toBe(-1);
  });

  it('shows other address lengths as bytes, at most the 8 the field holds', () => {
    const d = dissectFrame(hexToBytes('0000 0001 000a aabbccddeeff0011 000c'), LinkType.LinuxSll); // length 10, CAN
    expect(d.values('sll.src.other')).toEqual(['aabbccddeeff0011']);
    expect(d.values('sll.unused')).toEqual([]);
    expect(d.values('sll.ltype')).toEqual(['0x000c']);
    expect(d.node('sll.ltype')?.label).toBe('Protocol: CAN (0x000c)');
  });

  it('hands an EtherType on, even with no address at all', () => {
    const { packet, payload } = decodeOne(sll, hexToBytes(`0004 0001 0000 0000000000000000 86dd ${'00'.repeat(40)}`), LinkType.LinuxSll);
    expect(payload).toBe(16);
    expect(packet.nextTable).toBe(Table.EtherType);
    expect(packet.nextKey).toBe(0x86dd);
    const d = dissectFrame(hexToBytes('0004 0001 0000 0000000000000000 86dd'), LinkType.LinuxSll);
    expect(d.values('sll.pkttype')).toEqual(['4']);
    expect(d.values('sll.unused')).toEqual(['0000000000000000']);
  });

  it('reads protocol values up to 1536 as Linux protocol numbers: 802.2 LLC and Ethernet', () => {
    const llc = dissectFrame(hexToBytes(`0000 0001 0006 aabbccddeeff 0000 0004  aaaa03 000000 0800  ${ip}`), LinkType.LinuxSll);
    expect(llc.values('sll.ltype')).toEqual(['0x0004']);
    expect(llc.values('sll.etype')).toEqual([]);
    expect(llc.values('llc.type')).toEqual(['0x0800']);
    expect(llc.values('ip.src')).toEqual(['1.2.3.4']);

    const eth = dissectFrame(
      hexToBytes(`0000 0001 0006 aabbccddeeff 0000 0003  010203040506 000102030405 0800  ${ip}`),
      LinkType.LinuxSll,
    );
    expect(eth.values('sll.ltype')).toEqual(['0x0003']);
    expect(eth.values('eth.src')).toEqual(['00:01:02:03:04:05']);
    expect(eth.values('ip.dst')).toEqual(['5.6.7.8']);
  });

  it('names the protocol as a GRE type on a GRE device', () => {
    const d = dissectFrame(hexToBytes(`0000 030a 0006 aabbccddeeff 0000 0800 ${ip}`), LinkType.LinuxSll); // ARPHRD_IPGRE
    expect(d.values('sll.hatype')).toEqual(['778']);
    expect(d.values('sll.gretype')).toEqual(['0x0800']);
    expect(d.values('sll.etype')).toEqual([]);
    expect(d.node('sll.gretype')?.label).toBe('Protocol: IP (0x0800)');
    expect(d.node('sll.hatype')?.label).toBe('Link-layer address type: GRE over IP (778)');
    expect(d.values('ip.src')).toEqual(['1.2.3.4']);
  });

  it('keeps the fields of a header cut before its protocol field', () => {
    const d = dissectFrame(hexToBytes('0000 0001 0006 010203040506 0000'), LinkType.LinuxSll);
    expect(d.values('sll.src.eth')).toEqual(['01:02:03:04:05:06']);
    expect(d.values('sll.unused')).toEqual(['0000']);
    expect(d.values('sll.etype')).toEqual([]);
    expect(d.packet.marks & Mark.Malformed).toBe(Mark.Malformed);
    expect(d.packet.malformed).toBe('Linux cooked capture header needs 16 bytes, only 14 captured');
  });

  it('every prefix of a real frame decodes without throwing and marks the cut', () => {
    const f = corpusFrame('zeek/linuxsll-arp.pcap', 1);
    // 16 bytes of header and 28 of ARP; the 18 after them are padding and trailer.
    expectEveryPrefixHandled(f.bytes, f.linkType, 44, 44);
  });
});
