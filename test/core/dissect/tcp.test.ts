import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { Mark, Proto } from '../../../src/core/dissect/packet';

// A loopback SYN shaped like those in corpus/local (Linux client): MSS, SACK_PERM, timestamps, WS.
const syn = hexToBytes(`
  000000000000 000000000000 0800            # Ethernet: dst, src, IPv4
  4500 003c 009a 4000 4006 3c20 7f000001 7f000001   # IPv4, 60 bytes, DF, TTL 64, TCP
  b8b6 115c 0d5a1c5b 00000000 a002 ffd7 fe30 0000   # TCP 47286 -> 4444 SYN, hdr 40
  0204ffd7 0402 080a 6b028ff4 00000000 0103 0307    # MSS 65495, SACK_PERM, TS, NOP, WS 7
`);

describe('tcp dissector', () => {
  it('decodes ports, flags and the options the flow stage needs on the fast path', () => {
    const { packet } = dissectFrame(syn, 1, true);
    expect(packet.top).toBe(Proto.Tcp);
    expect(packet.srcPort).toBe(47286);
    expect(packet.dstPort).toBe(4444);
    expect(packet.tcpFlags).toBe(0x002);
    expect(packet.tcpMss).toBe(65495);
    expect(packet.tcpWindowScale).toBe(7);
    expect(packet.tcpSackPermitted).toBe(true);
    expect(packet.tcpTsVal).toBe(0x6b028ff4);
    expect(packet.payloadLength).toBe(0);
    expect(packet.marks & Mark.Malformed).toBe(0);
  });

  it('prints fields the way tshark -T fields does', () => {
    const d = dissectFrame(syn, 1);
    expect(d.values('eth.type')).toEqual(['0x0800']);
    expect(d.values('ip.id')).toEqual(['0x009a']);
    expect(d.values('ip.src')).toEqual(['127.0.0.1']);
    expect(d.values('tcp.flags')).toEqual(['0x0002']);
    expect(d.values('tcp.flags.syn')).toEqual(['1']);
    expect(d.values('tcp.hdr_len')).toEqual(['40']);
    expect(d.values('tcp.options.mss_val')).toEqual(['65495']);
    expect(d.values('tcp.len')).toEqual(['0']);
    expect(d.node('ip.checksum.status')?.value).toBe(1);
  });

  it('every prefix of the frame decodes without throwing and marks the cut', () => {
    for (let n = 0; n < syn.length; n++) {
      const d = dissectFrame(syn.subarray(0, n), 1);
      expect(d.packet.marks & Mark.Malformed).toBe(Mark.Malformed);
    }
  });
});
