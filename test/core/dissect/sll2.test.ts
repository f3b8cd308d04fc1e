import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { corpusFrame, decodeOne, expectEveryPrefixHandled } from '../../helpers/corpus-frames';
import { Mark, Proto, Table } from '../../../src/core/dissect/packet';
import { LinkType } from '../../../src/core/dissect/link-types';
import { sll2 } from '../../../src/core/dissect/protocols/sll2';

// Expected field values below are what tshark 4.0.17 prints (`tshark -T fields -E occurrence=a`)
// for the same bytes: the corpus capture as it is, the hand-built frames written to a pcap.

const ip = '4500 0014 0001 0000 ff3b 0000 01020304 05060708'; // IPv4 1.2.3.4 -> 5.6.7.8
const capture = 'zeek/linux_dlt_sll2.pcap';

describe('sll2 (Linux cooked capture v2) dissector', () => {
  it('decodes a real loopback header (zeek/linux_dlt_sll2.pcap frame 1)', () => {
    const f = corpusFrame(capture, 1);
    expect(f.linkType).toBe(LinkType.LinuxSll2);
    const d = dissectFrame(f.bytes, f.linkType);
    expect(d.values('sll.etype')).toEqual(['0x0800']);
    expect(d.values('sll.ifindex')).toEqual(['1']);
    expect(d.values('sll.hatype')).toEqual(['772']);
    expect(d.values('sll.pkttype')).toEqual(['0']);
    expect(d.values('sll.halen')).toEqual(['6']);
    expect(d.values('sll.src.eth')).toEqual(['00:00:00:00:00:00']);
    expect(d.values('sll.unused')).toEqual(['0000']);
    expect(d.values('ip.src')).toEqual(['192.0.2.1']);
    expect(d.packet.macSrc).toBe(12);
    const layer = d.layers.find((l) => l.protocol === 'sll')!;
    expect(layer.title).toBe('Linux cooked capture v2');
    expect(layer.length).toBe(20);
    expect(layer.fields.map((n) => n.label)).toEqual([
      'Protocol: IPv4 (0x0800)',
      'Interface index: 1',
      'Link-layer address type: Loopback (772)',
      'Packet type: Unicast to us (0)',
      'Link-layer address length: 6',
      'Source: 00:00:00:00:00:00',
      'Unused: 0000',
    ]);
  });

  it('hands IPv6 on by EtherType (zeek/linux_dlt_sll2.pcap frame 3)', () => {
    const f = corpusFrame(capture, 3);
    expect(dissectFrame(f.bytes, f.linkType).values('sll.etype')).toEqual(['0x86dd']);
    const { packet, payload } = decodeOne(sll2, f.bytes, f.linkType);
    expect(payload).toBe(20);
    expect(packet.nextTable).toBe(Table.EtherType);
    expect(packet.nextKey).toBe(0x86dd);
  });

  it('carries ARP and RARP sent by us (zeek/linux_dlt_sll2.pcap frames 5 and 6)', () => {
    const arp = corpusFrame(capture, 5);
    const d5 = dissectFrame(arp.bytes, arp.linkType);
    expect(d5.values('sll.etype')).toEqual(['0x0806']);
    expect(d5.values('sll.ifindex')).toEqual(['26']);
    expect(d5.values('sll.hatype')).toEqual(['1']);
    expect(d5.values('sll.pkttype')).toEqual(['4']);
    expect(d5.values('sll.src.eth')).toEqual(['8e:36:06:44:ac:af']);
    expect(d5.values('arp.opcode')).toEqual(['1']);
    expect(d5.node('sll.pkttype')?.label).toBe('Packet type: Sent by us (4)');
    expect(d5.packet.top).toBe(Proto.Arp);

    const rarp = corpusFrame(capture, 6);
    const d6 = dissectFrame(rarp.bytes, rarp.linkType);
    expect(d6.values('sll.etype')).toEqual(['0x8035']);
    expect(d6.values('arp.opcode')).toEqual(['3']);
  });

  it('reads a Linux protocol number and a missing address', () => {
    const d = dissectFrame(
      hexToBytes(`
        0004 0000 00000005      # 802.2 LLC, reserved, interface 5
        0001 00 00              # Ethernet, unicast to us, no address
        0000000000000000        # address field, all unused
        aaaa03 000000 0800      # LLC SNAP, IPv4
        ${ip}
      `),
      LinkType.LinuxSll2,
    );
    expect(d.values('sll.ltype')).toEqual(['0x0004']);
    expect(d.values('sll.ifindex')).toEqual(['5']);
    expect(d.values('sll.halen')).toEqual(['0']);
    expect(d.values('sll.unused')).toEqual(['0000000000000000']);
    expect(d.values('llc.type')).toEqual(['0x0800']);
    expect(d.values('ip.src')).toEqual(['1.2.3.4']);
  });

  it('names the protocol as a GRE type on a GRE device and shows odd-sized addresses as bytes', () => {
    const d = dissectFrame(hexToBytes(`0800 0000 00000005  030a 00 01  04 00000000000000  ${ip}`), LinkType.LinuxSll2);
    expect(d.values('sll.gretype')).toEqual(['0x0800']);
    expect(d.values('sll.hatype')).toEqual(['778']);
    expect(d.values('sll.src.other')).toEqual(['04']);
    expect(d.values('sll.unused')).toEqual(['00000000000000']);
    expect(d.values('ip.src')).toEqual(['1.2.3.4']);
    expect(d.packet.macSrc).toBe(-1);
  });

  it('keeps the fields before the address of a header cut short', () => {
    const d = dissectFrame(hexToBytes('0806 0000 0000001a 0001 04 06'), LinkType.LinuxSll2);
    expect(d.values('sll.etype')).toEqual(['0x0806']);
    expect(d.values('sll.ifindex')).toEqual(['26']);
    expect(d.values('sll.halen')).toEqual(['6']);
    expect(d.values('sll.src.eth')).toEqual([]);
    expect(d.packet.marks & Mark.Malformed).toBe(Mark.Malformed);
    expect(d.packet.malformed).toBe('Linux cooked capture v2 header needs 20 bytes, only 12 captured');
  });

  it('every prefix of a real frame decodes without throwing and marks the cut', () => {
    const f = corpusFrame(capture, 5);
    expectEveryPrefixHandled(f.bytes, f.linkType); // 20 bytes of header, 28 of ARP, nothing after
  });
});
