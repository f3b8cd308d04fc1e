import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { corpusFrame, decodeOne, expectEveryPrefixHandled } from '../../helpers/corpus-frames';
import { Mark, Proto, Table } from '../../../src/core/dissect/packet';
import { mpls } from '../../../src/core/dissect/protocols/mpls';

// Expected field values below are what tshark 4.0.17 prints (`tshark -T fields -E occurrence=a`)
// for the same bytes: the corpus captures as they are, the hand-built frames written to a pcap.

const eth = '000102030405 000a0b0c0d0e 8847'; // Ethernet: dst, src, MPLS unicast
const ip = '4500 0014 0001 0000 ff3b 0000 01020304 05060708'; // IPv4 1.2.3.4 -> 5.6.7.8
const label1000 = '003e81 3f'; // label 1000, EXP 0, S 1, TTL 63
/** A VMware-to-VMware Ethernet frame carrying `ip`, as a pseudowire payload. */
const innerFrame = `0050568b3f0d 0050568bcffa 0800 ${ip}`;

describe('mpls dissector', () => {
  it('decodes a one-label stack and guesses IPv4 from the first nibble (zeek/mpls-in-vlan.pcap frame 2)', () => {
    const f = corpusFrame('zeek/mpls-in-vlan.pcap', 2);
    const d = dissectFrame(f.bytes, f.linkType);
    expect(d.values('vlan.etype')).toEqual(['0x8847']);
    expect(d.values('mpls.label')).toEqual(['16106']);
    expect(d.values('mpls.exp')).toEqual(['0']);
    expect(d.values('mpls.bottom')).toEqual(['1']);
    expect(d.values('mpls.ttl')).toEqual(['44']);
    expect(d.values('ip.src')).toEqual(['65.65.65.65']);
    expect(d.values('tcp.srcport')).toEqual(['80']);
    expect(d.values('tcp.dstport')).toEqual(['32828']);
    const layer = d.layers.find((l) => l.protocol === 'mpls')!;
    expect(layer.title).toBe('MultiProtocol Label Switching Header, Label: 16106, Exp: 0, S: 1, TTL: 44');
    expect(layer.fields[0]!.label).toBe('MPLS Label: 16106 (0x03eea)');
  });

  it('shows one layer per label of a two-label stack (zeek/mpls-in-vlan.pcap frame 3)', () => {
    const f = corpusFrame('zeek/mpls-in-vlan.pcap', 3);
    const d = dissectFrame(f.bytes, f.linkType);
    expect(d.values('vlan.id')).toEqual(['3399']);
    expect(d.values('mpls.label')).toEqual(['254', '99']);
    expect(d.values('mpls.exp')).toEqual(['0', '0']);
    expect(d.values('mpls.bottom')).toEqual(['0', '1']);
    expect(d.values('mpls.ttl')).toEqual(['60', '60']);
    expect(d.values('tcp.srcport')).toEqual(['61193']);
    expect(d.layers.filter((l) => l.protocol === 'mpls').map((l) => l.title)).toEqual([
      'MultiProtocol Label Switching Header, Label: 254, Exp: 0, S: 0, TTL: 60',
      'MultiProtocol Label Switching Header, Label: 99, Exp: 0, S: 1, TTL: 60',
    ]);
  });

  it('names reserved labels', () => {
    const d = dissectFrame(hexToBytes(`${eth}  000011 3f  ${ip}`), 1); // label 1 (Router Alert), S 1, TTL 63
    expect(d.values('mpls.label')).toEqual(['1']);
    expect(d.values('mpls.ttl')).toEqual(['63']);
    expect(d.values('ip.src')).toEqual(['1.2.3.4']);
    const layer = d.layers.find((l) => l.protocol === 'mpls')!;
    expect(layer.title).toBe('MultiProtocol Label Switching Header, Label: 1 (Router Alert), Exp: 0, S: 1, TTL: 63');
    expect(layer.fields[0]!.label).toBe('MPLS Label: Router Alert (1)');
  });

  it('hands a payload starting with 6 to IPv6 and one starting with 4 to IPv4', () => {
    const v6 = decodeOne(mpls, hexToBytes(`${label1000} 6000000000003bff`));
    expect(v6.packet.nextTable).toBe(Table.EtherType);
    expect(v6.packet.nextKey).toBe(0x86dd);
    expect(v6.payload).toBe(4);
    const v4 = decodeOne(mpls, hexToBytes(`${label1000} ${ip}`));
    expect(v4.packet.nextKey).toBe(0x0800);
  });

  it('takes a payload starting with a zero nibble as an Ethernet pseudowire, with or without control word', () => {
    const withCw = dissectFrame(hexToBytes(`${eth} ${label1000}  0000 0001  ${innerFrame}`), 1); // CW, sequence 1
    expect(withCw.values('pweth.cw.sequence_number')).toEqual(['1']);
    expect(withCw.values('eth.src')).toEqual(['00:0a:0b:0c:0d:0e', '00:50:56:8b:cf:fa']);
    expect(withCw.values('eth.type')).toEqual(['0x8847', '0x0800']);
    expect(withCw.values('ip.src')).toEqual(['1.2.3.4']);
    expect(withCw.layers.map((l) => l.protocol)).toEqual(['frame', 'eth', 'mpls', 'pwethcw', 'eth', 'ip']);

    const noCw = dissectFrame(hexToBytes(`${eth} ${label1000}  ${innerFrame}`), 1);
    expect(noCw.values('pweth.cw.sequence_number')).toEqual([]);
    expect(noCw.values('eth.dst')).toEqual(['00:01:02:03:04:05', '00:50:56:8b:3f:0d']);
    expect(noCw.values('ip.src')).toEqual(['1.2.3.4']);
  });

  it('leaves other payloads (PW associated channel, unknown nibbles) undecoded, not malformed', () => {
    for (const payload of ['1000000000000000', '9000000000000000']) {
      const d = dissectFrame(hexToBytes(`${eth} ${label1000} ${payload}`), 1);
      expect(d.packet.top).toBe(Proto.Mpls);
      expect(d.packet.marks & Mark.Malformed).toBe(0);
    }
  });

  it('marks a stack that ends before its bottom label as malformed', () => {
    const d = dissectFrame(hexToBytes(`${eth} 003e80 3f`), 1); // label 1000, S 0, then nothing
    expect(d.values('mpls.bottom')).toEqual(['0']);
    expect(d.packet.malformed).toBe('MPLS label stack entry needs 4 bytes, only 0 captured');
    expect(d.layers.find((l) => l.protocol === 'mpls')?.malformed).not.toBeNull();
  });

  it('every prefix of a real two-label frame decodes without throwing and marks the cut', () => {
    const f = corpusFrame('zeek/mpls-in-vlan.pcap', 3);
    // Ethernet 14, 802.1Q 4, two labels 8, IPv4 20: every cut before the IPv4 header is whole is
    // malformed; cuts further in are the IPv4 and TCP dissectors' business.
    expectEveryPrefixHandled(f.bytes, f.linkType, 46);
  });
});
