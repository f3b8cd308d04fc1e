import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { corpusFrame, expectEveryPrefixHandled } from '../../helpers/corpus-frames';
import { Mark, Proto } from '../../../src/core/dissect/packet';

// Expected field values below are what tshark 4.0.17 prints (`tshark -T fields -E occurrence=a`)
// for the same bytes: the corpus captures as they are, the hand-built frames written to a pcap.

const ip = '4500 0014 0001 0000 ff3b 0000 01020304 05060708'; // IPv4 1.2.3.4 -> 5.6.7.8, no next header

const tagged = hexToBytes(`
  000102030405 000a0b0c0d0e 8100   # Ethernet: dst, src, 802.1Q
  7064 0800                        # TCI 0x7064: PRI 3, DEI 1, ID 100; IPv4
  ${ip}
`);

describe('vlan dissector', () => {
  it('decodes an 802.1Q tag and hands its EtherType on', () => {
    const d = dissectFrame(tagged, 1);
    expect(d.values('vlan.priority')).toEqual(['3']);
    expect(d.values('vlan.dei')).toEqual(['1']);
    expect(d.values('vlan.id')).toEqual(['100']);
    expect(d.values('vlan.etype')).toEqual(['0x0800']);
    expect(d.values('ip.src')).toEqual(['1.2.3.4']);
    const layer = d.layers.find((l) => l.protocol === 'vlan')!;
    expect(layer.title).toBe('802.1Q Virtual LAN, PRI: 3, DEI: 1, ID: 100');
    expect(layer.osi).toBe(2);
    expect(layer.fields.map((f) => f.label)).toEqual([
      'Priority: Critical Applications (3)',
      'DEI: Eligible',
      'ID: 100',
      'Type: IPv4 (0x0800)',
    ]);
  });

  it('takes the old QinQ EtherType 0x9100 as an 802.1Q tag', () => {
    const d = dissectFrame(hexToBytes(`000102030405 000a0b0c0d0e 9100  e064 0800  ${ip}`), 1); // PRI 7, ID 100
    expect(d.values('vlan.priority')).toEqual(['7']);
    expect(d.values('vlan.dei')).toEqual(['0']);
    expect(d.values('vlan.id')).toEqual(['100']);
    expect(d.layers.find((l) => l.protocol === 'vlan')?.title).toBe('802.1Q Virtual LAN, PRI: 7, DEI: 0, ID: 100');
  });

  it('shows an 802.1ad service tag the way Wireshark does, as IEEE 802.1ad', () => {
    const d = dissectFrame(
      hexToBytes(`
        000102030405 000a0b0c0d0e 88a8   # Ethernet, 802.1ad
        b064 8100                        # S-tag: PRI 5, DEI 1, ID 100; 802.1Q follows
        200a 0800                        # C-tag: PRI 1, DEI 0, ID 10; IPv4
        ${ip}
      `),
      1,
    );
    expect(d.values('ieee8021ad.priority')).toEqual(['5']);
    expect(d.values('ieee8021ad.dei')).toEqual(['1']);
    expect(d.values('ieee8021ad.id')).toEqual(['100']);
    expect(d.values('ieee8021ah.etype')).toEqual(['0x8100']);
    expect(d.values('vlan.priority')).toEqual(['1']);
    expect(d.values('vlan.id')).toEqual(['10']);
    expect(d.values('vlan.etype')).toEqual(['0x0800']);
    expect(d.values('ip.src')).toEqual(['1.2.3.4']);
    expect(d.layers.map((l) => l.title).slice(2, 4)).toEqual(['IEEE 802.1ad, ID: 100', '802.1Q Virtual LAN, PRI: 1, DEI: 0, ID: 10']);
  });

  it('hands an 802.3 length to LLC and shows the bytes past it as the VLAN trailer', () => {
    const d = dissectFrame(
      hexToBytes(`
        000102030405 000a0b0c0d0e 8100   # Ethernet, 802.1Q
        0064 0008                        # ID 100; length 8
        00 01 03 0204050607              # LLC: DSAP 0x00, SSAP 0x01, UI; 5 bytes of data
        aabb                             # trailer
      `),
      1,
    );
    expect(d.values('vlan.len')).toEqual(['8']);
    expect(d.values('vlan.trailer')).toEqual(['aabb']);
    expect(d.values('vlan.etype')).toEqual([]);
    expect(d.values('llc.dsap')).toEqual(['0x00']);
    expect(d.values('llc.ssap')).toEqual(['0x01']);
    expect(d.values('llc.control')).toEqual(['0x0003']);
    expect(d.packet.marks & Mark.Malformed).toBe(0);
  });

  it('marks a length past the end of the frame malformed and still decodes the LLC header', () => {
    const d = dissectFrame(
      hexToBytes(`
        000102030405 000a0b0c0d0e 8100   # Ethernet, 802.1Q
        0064 002e                        # ID 100; length 46, but only 10 bytes follow
        aaaa03 000000 0800 4500          # LLC SNAP, IPv4, 2 bytes of it
      `),
      1,
    );
    expect(d.values('vlan.len')).toEqual(['46']);
    expect(d.values('llc.dsap')).toEqual(['0xaa']);
    expect(d.values('llc.type')).toEqual(['0x0800']);
    expect(d.packet.marks & Mark.Malformed).toBe(Mark.Malformed);
    expect(d.packet.malformed).toBe('Length field value goes past the end of the payload');
    expect(d.layers.find((l) => l.protocol === 'vlan')?.malformed).toBe('Length field value goes past the end of the payload');
  });

  it('decodes a real 802.1Q frame (zeek/http-vlan-0.pcap frame 1)', () => {
    const f = corpusFrame('zeek/http-vlan-0.pcap', 1);
    const d = dissectFrame(f.bytes, f.linkType);
    expect(d.values('vlan.priority')).toEqual(['5']);
    expect(d.values('vlan.dei')).toEqual(['1']);
    expect(d.values('vlan.id')).toEqual(['0']);
    expect(d.values('vlan.etype')).toEqual(['0x0800']);
    expect(d.values('ip.src')).toEqual(['141.142.228.5']);
    expect(d.values('tcp.srcport')).toEqual(['59856']);
    expect(d.packet.top).toBe(Proto.Tcp);
  });

  it('decodes stacked tags through the EtherType table (QinQ and QinQinQ)', () => {
    const qinq = corpusFrame('zeek/http-qinq-0.pcap', 1);
    const d2 = dissectFrame(qinq.bytes, qinq.linkType);
    expect(d2.values('vlan.priority')).toEqual(['5', '5']);
    expect(d2.values('vlan.dei')).toEqual(['1', '1']);
    expect(d2.values('vlan.id')).toEqual(['0', '0']);
    expect(d2.values('vlan.etype')).toEqual(['0x8100', '0x0800']);
    expect(d2.values('tcp.dstport')).toEqual(['80']);

    const qinqinq = corpusFrame('zeek/vlan-qinqinq.pcap', 1);
    const d3 = dissectFrame(qinqinq.bytes, qinqinq.linkType);
    expect(d3.values('vlan.priority')).toEqual(['0', '0', '0']);
    expect(d3.values('vlan.dei')).toEqual(['0', '0', '0']);
    expect(d3.values('vlan.id')).toEqual(['30', '20', '10']);
    expect(d3.values('vlan.etype')).toEqual(['0x8100', '0x8100', '0x0800']);
    expect(d3.values('ip.dst')).toEqual(['192.150.187.43']);
    expect(d3.layers.filter((l) => l.protocol === 'vlan').map((l) => l.title)).toEqual([
      '802.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 30',
      '802.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 20',
      '802.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 10',
    ]);
  });

  it('reads priority and drop eligibility of each tag (zeek/vlan-pcp-dei.pcapng frames 1-3)', () => {
    const one = corpusFrame('zeek/vlan-pcp-dei.pcapng', 1);
    const d1 = dissectFrame(one.bytes, one.linkType);
    expect(d1.values('vlan.priority')).toEqual(['7', '5']);
    expect(d1.values('vlan.dei')).toEqual(['0', '1']);
    expect(d1.values('vlan.id')).toEqual(['10', '20']);
    expect(d1.values('vlan.etype')).toEqual(['0x8100', '0x0800']);
    expect(d1.node('vlan.priority')?.label).toBe('Priority: Network Control (7)');

    const two = corpusFrame('zeek/vlan-pcp-dei.pcapng', 2);
    const d2 = dissectFrame(two.bytes, two.linkType);
    expect(d2.values('vlan.priority')).toEqual(['5']);
    expect(d2.values('vlan.dei')).toEqual(['1']);
    expect(d2.values('vlan.id')).toEqual(['20']);
    expect(d2.node('vlan.dei')?.label).toBe('DEI: Eligible');

    const three = corpusFrame('zeek/vlan-pcp-dei.pcapng', 3);
    expect(dissectFrame(three.bytes, three.linkType).values('vlan.id')).toEqual([]);
  });

  it('marks a tag cut short, keeping the TCI when it is there', () => {
    const d = dissectFrame(hexToBytes('000102030405 000a0b0c0d0e 8100 7064'), 1);
    expect(d.values('vlan.id')).toEqual(['100']);
    expect(d.values('vlan.etype')).toEqual([]);
    expect(d.packet.malformed).toBe('802.1Q tag needs 4 bytes, only 2 captured');
  });

  it('every prefix of a real QinQinQ frame decodes without throwing and marks the cut', () => {
    const f = corpusFrame('zeek/vlan-qinqinq.pcap', 1);
    // Ethernet 14, three tags 12, IPv4 20: cuts further in are the IPv4 and TCP dissectors' business.
    expectEveryPrefixHandled(f.bytes, f.linkType, 46);
  });
});
