import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { corpusFrame, decodeOne, expectEveryPrefixHandled } from '../../helpers/corpus-frames';
import { Mark, Proto, Table } from '../../../src/core/dissect/packet';
import { LinkType } from '../../../src/core/dissect/link-types';
import { rawIp } from '../../../src/core/dissect/protocols/raw-ip';

// The corpus has no raw-IP capture, so these frames are real IP packets taken out of corpus
// captures (zeek/udp-packet.pcap frame 1 without its Ethernet header, the IPv6 SYN of
// zeek/http/connect-with-header.pcap frame 1 without its loopback header). Expected values are
// what tshark 4.0.17 prints for them written to pcaps with link types 12, 14 and 101.

const udpPacket = (): Uint8Array => corpusFrame('zeek/udp-packet.pcap', 1).bytes.slice(14);
const ipv6Syn = (): Uint8Array => corpusFrame('zeek/http/connect-with-header.pcap', 1).bytes.slice(4);

describe('raw IP dissector', () => {
  it('decodes an IPv4 packet under every raw link type, behind a fieldless "Raw packet data" layer', () => {
    for (const linkType of [LinkType.RawBsd12, LinkType.RawBsd14, LinkType.Raw]) {
      const d = dissectFrame(udpPacket(), linkType);
      expect(d.values('ip.src')).toEqual(['127.0.0.1']);
      expect(d.values('ip.dst')).toEqual(['127.0.0.1']);
      expect(d.values('ip.len')).toEqual(['34']);
      expect(d.values('ip.ttl')).toEqual(['255']);
      expect(d.values('ip.proto')).toEqual(['17']);
      const raw = d.layers.find((l) => l.protocol === 'raw')!;
      expect(raw.title).toBe('Raw packet data');
      expect(raw.osi).toBe(2);
      expect(raw.start).toBe(0);
      expect(raw.length).toBe(34);
      expect(raw.fields).toEqual([]);
      expect(d.packet.marks & Mark.Malformed).toBe(0);
    }
  });

  it('hands a version-6 packet to IPv6 by EtherType', () => {
    const { packet, payload } = decodeOne(rawIp, ipv6Syn(), LinkType.Raw);
    expect(payload).toBe(0);
    expect(packet.nextTable).toBe(Table.EtherType);
    expect(packet.nextKey).toBe(0x86dd);
    expect(decodeOne(rawIp, udpPacket(), LinkType.Raw).packet.nextKey).toBe(0x0800);
  });

  it('skips the ten zero bytes Linux ISDN devices put in front of IP', () => {
    const bytes = new Uint8Array(10 + 34);
    bytes.set(udpPacket(), 10);
    const d = dissectFrame(bytes, LinkType.Raw);
    expect(d.values('ip.src')).toEqual(['127.0.0.1']);
    expect(d.layers.find((l) => l.protocol === 'ip')?.start).toBe(10);
  });

  it('leaves a packet of another IP version undecoded, not malformed', () => {
    const d = dissectFrame(hexToBytes('50 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00'), LinkType.Raw);
    expect(d.packet.top).toBe(Proto.Raw);
    expect(d.packet.marks & Mark.Malformed).toBe(0);
  });

  it('marks a packet too short to tell, as Wireshark does below 8 bytes', () => {
    const d = dissectFrame(hexToBytes('6000'), LinkType.Raw);
    expect(d.packet.marks & Mark.Malformed).toBe(Mark.Malformed);
    expect(d.layers.find((l) => l.protocol === 'raw')?.malformed).toBe('Raw IP packet of 2 bytes is too short for an IP header');
  });

  it('every prefix of a real packet decodes without throwing and marks the cut', () => {
    // A cut inside the 20-byte IPv4 header is malformed; after it, the IPv4 and UDP dissectors decide.
    expectEveryPrefixHandled(udpPacket(), LinkType.Raw, 20);
  });
});
