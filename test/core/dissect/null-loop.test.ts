import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { corpusFrame, decodeOne, expectEveryPrefixHandled } from '../../helpers/corpus-frames';
import { Mark, Proto, Table } from '../../../src/core/dissect/packet';
import { LinkType } from '../../../src/core/dissect/link-types';
import { nullLoop } from '../../../src/core/dissect/protocols/null-loop';

// Expected field values below are what tshark 4.0.17 prints (`tshark -T fields -E occurrence=a`)
// for the same bytes: the corpus capture as it is, the hand-built frames written to a pcap with
// link type 0 (DLT_NULL) or 108 (DLT_LOOP).

const ip = '4500 0014 0001 0000 ff3b 0000 01020304 05060708'; // IPv4 1.2.3.4 -> 5.6.7.8
const ip6 = '6000 0000 0000 3bff' + ' 00000000000000000000000000000001'.repeat(2); // IPv6 ::1 -> ::1

/** The IPv6 hand-off key a header names (IPv6 is decoded by the network layer, not here). */
function handoffKey(hex: string, linkType: number): number {
  const { packet } = decodeOne(nullLoop, hexToBytes(hex), linkType);
  return packet.nextTable === Table.EtherType ? packet.nextKey : -1;
}

describe('null/loop dissector', () => {
  it('decodes a real macOS loopback frame, family 30 (zeek/http/connect-with-header.pcap frame 1)', () => {
    const f = corpusFrame('zeek/http/connect-with-header.pcap', 1);
    expect(f.linkType).toBe(LinkType.Null);
    const d = dissectFrame(f.bytes, f.linkType);
    expect(d.values('null.family')).toEqual(['30']);
    const layer = d.layers.find((l) => l.protocol === 'null')!;
    expect(layer.title).toBe('Null/Loopback');
    expect(layer.fields.map((n) => n.label)).toEqual(['Family: IPv6 (30)']);
    const { packet, payload } = decodeOne(nullLoop, f.bytes, f.linkType);
    expect(payload).toBe(4);
    expect(packet.nextKey).toBe(0x86dd);
    expect(packet.macSrc).toBe(-1);
  });

  it('reads DLT_NULL in either byte order, as the capturing host wrote it', () => {
    const little = dissectFrame(hexToBytes(`02000000 ${ip}`), LinkType.Null); // AF_INET from a little-endian host
    expect(little.values('null.family')).toEqual(['2']);
    expect(little.node('null.family')?.label).toBe('Family: IP (2)');
    expect(little.values('ip.src')).toEqual(['1.2.3.4']);
    const big = dissectFrame(hexToBytes(`00000002 ${ip}`), LinkType.Null); // from a big-endian host
    expect(big.values('null.family')).toEqual(['2']);
    expect(big.values('ip.src')).toEqual(['1.2.3.4']);
  });

  it('knows every BSD AF_INET6 value', () => {
    expect(dissectFrame(hexToBytes(`18000000 ${ip6}`), LinkType.Null).values('null.family')).toEqual(['24']);
    expect(handoffKey(`18000000 ${ip6}`, LinkType.Null)).toBe(0x86dd); // NetBSD, OpenBSD
    expect(handoffKey(`1c000000 ${ip6}`, LinkType.Null)).toBe(0x86dd); // FreeBSD
    expect(handoffKey(`1e000000 ${ip6}`, LinkType.Null)).toBe(0x86dd); // Darwin
  });

  it('reads the IRIX snoop form and the old Linux EtherType form', () => {
    const irix = dissectFrame(hexToBytes(`00020000 ${ip}`), LinkType.Null); // 16-bit AF_INET, 2 zero bytes
    expect(irix.values('null.family')).toEqual(['2']);
    expect(irix.values('ip.src')).toEqual(['1.2.3.4']);
    const linux = dissectFrame(hexToBytes(`00000800 ${ip}`), LinkType.Null); // 2 zero bytes, EtherType IPv4
    expect(linux.values('null.family')).toEqual([]);
    expect(linux.values('null.type')).toEqual(['0x0800']);
    expect(linux.node('null.type')?.label).toBe('Type: IPv4 (0x0800)');
    expect(linux.values('ip.src')).toEqual(['1.2.3.4']);
  });

  it('stops at families it does not decode, without calling the frame malformed', () => {
    const d = dissectFrame(hexToBytes('07000000 aa'), LinkType.Null); // AF_ISO
    expect(d.values('null.family')).toEqual(['7']);
    expect(d.node('null.family')?.label).toBe('Family: OSI (7)');
    expect(d.packet.top).toBe(Proto.Null);
    expect(d.packet.marks & Mark.Malformed).toBe(0);
  });

  it('takes Linux AF_INET6 (10) before an IPv6 header, where tshark 4.0 shows data', () => {
    const d = dissectFrame(hexToBytes(`0a000000 ${ip6}`), LinkType.Null);
    expect(d.values('null.family')).toEqual(['10']);
    expect(d.node('null.family')?.label).toBe('Family: Unknown (10)');
    expect(handoffKey(`0a000000 ${ip6}`, LinkType.Null)).toBe(0x86dd);
    expect(handoffKey(`0a000000 ${ip}`, LinkType.Null)).toBe(-1);
  });

  it('reads DLT_LOOP in network byte order only', () => {
    const d = dissectFrame(hexToBytes(`00000002 ${ip}`), LinkType.Loop);
    expect(d.values('null.family')).toEqual(['2']);
    expect(d.values('ip.src')).toEqual(['1.2.3.4']);
    expect(handoffKey(`0000001e ${ip6}`, LinkType.Loop)).toBe(0x86dd);
    const swapped = dissectFrame(hexToBytes(`02000000 ${ip}`), LinkType.Loop);
    expect(swapped.values('null.family')).toEqual(['33554432']);
    expect(swapped.values('ip.src')).toEqual([]);
    // No EtherType form either: 0x0800 is just an unknown family.
    expect(dissectFrame(hexToBytes(`00000800 ${ip}`), LinkType.Loop).values('null.family')).toEqual(['2048']);
  });

  it('marks a header cut short', () => {
    const d = dissectFrame(hexToBytes('0200'), LinkType.Null);
    expect(d.packet.marks & Mark.Malformed).toBe(Mark.Malformed);
    expect(d.packet.malformed).toBe('Loopback header needs 4 bytes, only 2 captured');
  });

  it('every prefix of a real frame decodes without throwing and marks the cut', () => {
    const f = corpusFrame('zeek/http/connect-with-header.pcap', 1);
    // Only the 4-byte header is ours; what a cut does to the IPv6 packet is the IPv6 dissector's business.
    expectEveryPrefixHandled(f.bytes, f.linkType, 4);
    // The IPv4 packet of zeek/udp-packet.pcap frame 1 behind a little-endian AF_INET header.
    const udp = corpusFrame('zeek/udp-packet.pcap', 1).bytes.subarray(14);
    const frame = new Uint8Array(4 + udp.length);
    frame.set([2, 0, 0, 0], 0);
    frame.set(udp, 4);
    expect(dissectFrame(frame, LinkType.Null).values('ip.src')).toEqual(['127.0.0.1']);
    expectEveryPrefixHandled(frame, LinkType.Null, 24);
  });
});
