import { describe, expect, it } from 'vitest';
import { Defragmenter, DefragStatus, FragFlag } from '../../../src/core/dissect/ip-defrag';
import { Mark, Proto } from '../../../src/core/dissect/packet';
import { ipv6Text, macText } from '../../../src/core/util/address';
import { dissectSequence, fieldText, readFrames, type Result } from './frames';

const SRC = 0x0a000001;
const DST = 0x0a000002;

/** `n` bytes all equal to `v`. */
function fill(n: number, v: number): Uint8Array {
  return new Uint8Array(n).fill(v);
}

/** Adds an IPv4 fragment of datagram (SRC, DST, id 7, UDP) holding `bytes` at `offset`. */
function add(d: Defragmenter, frame: number, offset: number, more: boolean, bytes: Uint8Array, id = 7, proto = 17): number {
  return d.add4(SRC, DST, id, proto, frame, offset, more, bytes, 0, bytes.length);
}

/** tshark -T fields output for `names`, one tab-separated line per result. */
function lines(results: readonly Result[], names: readonly string[]): string[] {
  return results.map((r) => names.map((n) => fieldText(r, n)).join('\t'));
}

describe('Defragmenter', () => {
  it('completes a datagram whatever order the fragments come in', () => {
    const d = new Defragmenter();
    expect(add(d, 1, 16, false, fill(4, 3))).toBe(DefragStatus.Held);
    expect(add(d, 2, 0, true, fill(8, 1))).toBe(DefragStatus.Held);
    expect(d.inFlight).toBe(1);
    expect(add(d, 3, 8, true, fill(8, 2))).toBe(DefragStatus.Complete);
    const r = d.result!;
    expect(Array.from(r.data)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3]);
    expect(r.frame).toBe(3);
    // Listed in offset order, as Wireshark's "[3 IPv4 Fragments …: #2(8), #3(8), #1(4)]".
    expect(Array.from(r.frames)).toEqual([2, 3, 1]);
    expect(Array.from(r.flags)).toEqual([0, 0, 0]);
    expect(d.inFlight).toBe(0);
  });

  it('completes a datagram of 20 fragments arriving last to first (more than the first slots hold)', () => {
    const d = new Defragmenter();
    for (let i = 19; i > 0; i--) expect(add(d, 21 - i, i * 8, i < 19, fill(8, i))).toBe(DefragStatus.Held);
    expect(add(d, 21, 0, true, fill(8, 0))).toBe(DefragStatus.Complete);
    const r = d.result!;
    expect(Array.from(r.data)).toEqual(Array.from({ length: 160 }, (_, k) => Math.floor(k / 8)));
    expect(Array.from(r.frames)).toEqual([21, ...Array.from({ length: 19 }, (_, k) => 20 - k)]);
    expect(Array.from(r.flags)).toEqual(new Array(20).fill(0));
  });

  it('lays overlapping data out as tshark does: lowest offset first, then first arrival', () => {
    // The shape of corpus ipv4/fragmented-4.pcap: 0-23, then 48-71 (frame 3), 72-88 (tail),
    // then 24-71 (frame 5) which overlaps frame 3 with other bytes and completes the datagram.
    const d = new Defragmenter();
    add(d, 2, 0, true, fill(24, 0xa));
    add(d, 3, 48, true, fill(24, 0xb));
    add(d, 4, 72, false, fill(17, 0xc));
    expect(add(d, 5, 24, true, fill(48, 0xd))).toBe(DefragStatus.Complete);
    const r = d.result!;
    // Bytes 48-71 come from frame 5 (offset 24 sorts before 48), not from frame 3 that came first.
    expect(r.data[47]).toBe(0xd);
    expect(r.data[48]).toBe(0xd);
    expect(r.data[71]).toBe(0xd);
    expect(r.data[72]).toBe(0xc);
    expect(Array.from(r.frames)).toEqual([2, 5, 3, 4]);
    expect(Array.from(r.flags)).toEqual([0, 0, FragFlag.Overlap | FragFlag.OverlapConflict, 0]);

    // Equal offsets: the earlier fragment wins (corpus ipv4/fragmented-1.pcap, frames 1 and 3).
    const e = new Defragmenter();
    add(e, 1, 0, true, fill(18, 1));
    add(e, 2, 48, false, fill(116, 2));
    expect(add(e, 3, 0, true, fill(304, 3))).toBe(DefragStatus.Complete);
    const s = e.result!;
    expect(s.data.length).toBe(164);
    expect([s.data[17], s.data[18], s.data[48], s.data[163]]).toEqual([1, 3, 3, 3]);
    expect(Array.from(s.frames)).toEqual([1, 3, 2]);
    expect(Array.from(s.flags)).toEqual([0, FragFlag.Overlap | FragFlag.OverlapConflict | FragFlag.TooLong, FragFlag.Overlap | FragFlag.OverlapConflict]);
  });

  it('an identical retransmitted fragment overlaps without conflict; a second tail that disagrees is flagged', () => {
    const d = new Defragmenter();
    add(d, 1, 0, true, fill(8, 1));
    add(d, 2, 0, true, fill(8, 1));
    add(d, 3, 8, false, fill(8, 2));
    const r = d.result!;
    expect(Array.from(r.flags)).toEqual([0, FragFlag.Overlap, 0]);

    const e = new Defragmenter();
    add(e, 1, 8, false, fill(8, 2));
    add(e, 2, 8, false, fill(4, 2));
    expect(add(e, 3, 0, true, fill(8, 1))).toBe(DefragStatus.Complete);
    // The first tail fixed the length at 16; the second (ending at 12) overlaps and disagrees.
    expect(e.result!.data.length).toBe(16);
    expect(Array.from(e.result!.frames)).toEqual([3, 1, 2]);
    expect(Array.from(e.result!.flags)).toEqual([0, 0, FragFlag.Overlap | FragFlag.MultipleTails]);
  });

  it('keys IPv4 datagrams by source, destination, id and protocol, IPv6 ones by addresses and id', () => {
    const d = new Defragmenter();
    add(d, 1, 0, true, fill(8, 1), 7, 17);
    // Same addresses and id, other protocol: another datagram, so this tail completes nothing.
    expect(add(d, 2, 8, false, fill(8, 2), 7, 6)).toBe(DefragStatus.Held);
    expect(add(d, 3, 8, false, fill(8, 2), 8, 17)).toBe(DefragStatus.Held);
    expect(d.inFlight).toBe(3);
    expect(add(d, 4, 8, false, fill(8, 2), 7, 17)).toBe(DefragStatus.Complete);

    const addr = new Uint8Array(32);
    addr[15] = 1;
    addr[31] = 2;
    const v6 = new Defragmenter();
    expect(v6.add6(addr, 0, 16, 99, 1, 0, true, fill(8, 1), 0, 8)).toBe(DefragStatus.Held);
    const other = addr.slice();
    other[31] = 3;
    expect(v6.add6(other, 0, 16, 99, 2, 8, false, fill(8, 2), 0, 8)).toBe(DefragStatus.Held);
    expect(v6.add6(addr, 0, 16, 99, 3, 8, false, fill(8, 2), 0, 8)).toBe(DefragStatus.Complete);
  });

  it('holds at most maxDatagrams, evicting the oldest, and drops a datagram past maxBytes', () => {
    const d = new Defragmenter({ maxDatagrams: 2, maxBytes: 32 });
    add(d, 1, 0, true, fill(8, 1), 1);
    add(d, 2, 0, true, fill(8, 1), 2);
    add(d, 3, 0, true, fill(8, 1), 3);
    expect(d.inFlight).toBe(2);
    // Datagram 1 was evicted: its tail alone cannot complete it.
    expect(add(d, 4, 8, false, fill(8, 2), 1)).toBe(DefragStatus.Held);
    // Datagram 3 is still there.
    expect(add(d, 5, 8, false, fill(8, 2), 3)).toBe(DefragStatus.Complete);

    const e = new Defragmenter({ maxBytes: 32 });
    add(e, 1, 0, true, fill(24, 1));
    expect(add(e, 2, 24, true, fill(16, 1))).toBe(DefragStatus.Dropped);
    expect(e.inFlight).toBe(0);
  });

  it('a second pass over the same frames gives the first pass answer', () => {
    const d = new Defragmenter();
    add(d, 1, 0, true, fill(8, 1));
    expect(add(d, 2, 8, false, fill(8, 2))).toBe(DefragStatus.Complete);
    const first = d.result!;
    // Re-dissecting frame 1 adds nothing and knows where it was reassembled.
    expect(add(d, 1, 0, true, fill(8, 1))).toBe(DefragStatus.Dropped);
    expect(d.reassembledIn(1)).toBe(2);
    expect(d.inFlight).toBe(0);
    // Re-dissecting frame 2 gets the same datagram without frame 1.
    expect(add(d, 2, 8, false, fill(8, 2))).toBe(DefragStatus.Complete);
    expect(d.result).toBe(first);
    // Adding the same frame twice before completion changes nothing.
    add(d, 10, 0, true, fill(8, 1), 9);
    expect(add(d, 10, 0, true, fill(8, 1), 9)).toBe(DefragStatus.Held);
    d.clear();
    expect(d.reassembledIn(1)).toBe(0);
  });
});

describe('IP reassembly through the packet slot (ip.defragment / ipv6.defragment on)', () => {
  it('ipv4/fragmented-1: the datagram completes on frame 3, which alone shows UDP', () => {
    const frames = readFrames('zeek/ipv4/fragmented-1.pcap');
    const results = dissectSequence(frames, { defrag: new Defragmenter(), tree: true });
    // tshark 4.0 -T fields -e frame.number -e ip.flags.mf -e ip.frag_offset -e udp.srcport -e udp.length
    expect(lines(results, ['frame.number', 'ip.flags.mf', 'ip.frag_offset', 'udp.srcport', 'udp.length'])).toEqual([
      '1\t1\t0\t\t',
      '2\t0\t6\t\t',
      '3\t1\t0\t123\t18',
    ]);
    // tshark 4.0: ip.fragment 1, ip.fragment.error 3,2, ip.fragment.overlap 1,1,
    // ip.fragment.overlap.conflict 1,1, ip.fragment.toolongfragment 1, ip.fragment.count 3,
    // ip.reassembled.length 164.
    const r = results[2]!;
    expect(fieldText(r, 'ip.fragment')).toBe('1');
    expect(fieldText(r, 'ip.fragment.error')).toBe('3,2');
    expect(fieldText(r, 'ip.fragment.overlap')).toBe('1,1');
    expect(fieldText(r, 'ip.fragment.overlap.conflict')).toBe('1,1');
    expect(fieldText(r, 'ip.fragment.toolongfragment')).toBe('1');
    expect(fieldText(r, 'ip.fragment.count')).toBe('3');
    expect(fieldText(r, 'ip.reassembled.length')).toBe('164');
    expect(r.node('ip.fragments')!.label).toBe('[3 IPv4 Fragments (164 bytes): #1(18), #3(304), #2(116)]');
    expect(r.node('ip.fragment.error')!.label).toBe('[Frame: 3, payload: 0-303 (304 bytes)]');
    expect(r.node('ip.reassembled.data')!.label).toBe('[Reassembled IPv4 data: 007b00890012bfe200000000000000000000585858585858585858585858585858585858…]');
    // The transport layer reads the reassembled bytes (data source 1), as Wireshark does.
    const udp = r.layers.find((l) => l.protocol === 'udp')!;
    expect(udp.source).toBe(1);
    expect(udp.start).toBe(0);
    expect(results.map((x) => x.top)).toEqual([Proto.Ipv4, Proto.Ipv4, Proto.Udp]);
    expect(results.every((x) => (x.marks & Mark.Fragment) !== 0)).toBe(true);
  });

  it('ipv4/fragmented-2 and -3 never complete: every frame stays "Fragmented IP protocol"', () => {
    for (const file of ['zeek/ipv4/fragmented-2.pcap', 'zeek/ipv4/fragmented-3.pcap']) {
      const results = dissectSequence(readFrames(file), { defrag: new Defragmenter(), tree: true });
      for (const r of results) {
        expect(r.top).toBe(Proto.Ipv4);
        expect(r.l4).toBe(0);
        expect(fieldText(r, 'udp.srcport') + fieldText(r, 'tcp.srcport')).toBe('');
      }
    }
    // tshark 4.0 on fragmented-3: mf 1 on all five, offsets 0, 185, 370, 555, 740 (8-byte units).
    const results = dissectSequence(readFrames('zeek/ipv4/fragmented-3.pcap'), { defrag: new Defragmenter(), tree: true });
    expect(lines(results, ['ip.flags.mf', 'ip.frag_offset'])).toEqual(['1\t0', '1\t185', '1\t370', '1\t555', '1\t740']);
  });

  it('ipv4/fragmented-4: TCP appears on the completing frame with all 69 bytes', () => {
    const frames = readFrames('zeek/ipv4/fragmented-4.pcap');
    const results = dissectSequence(frames, { defrag: new Defragmenter(), tree: true });
    // tshark 4.0 -e frame.number -e ip.flags.mf -e ip.frag_offset -e tcp.srcport -e tcp.len
    expect(lines(results, ['frame.number', 'ip.flags.mf', 'ip.frag_offset', 'tcp.srcport', 'tcp.len'])).toEqual([
      '1\t0\t0\t80\t0',
      '2\t1\t0\t\t',
      '3\t1\t6\t\t',
      '4\t0\t9\t\t',
      '5\t1\t3\t7790\t69',
      '6\t0\t0\t7790\t0',
    ]);
    const r = results[4]!;
    // tshark 4.0: ip.fragment 2,5,4  ip.fragment.error 3  ip.fragment.count 4  ip.reassembled.length 89
    expect(fieldText(r, 'ip.fragment')).toBe('2,5,4');
    expect(fieldText(r, 'ip.fragment.error')).toBe('3');
    expect(fieldText(r, 'ip.fragment.count')).toBe('4');
    expect(fieldText(r, 'ip.reassembled.length')).toBe('89');
    // tshark 4.0 -e ip.reassembled.data (and ip.fragments, FT_BYTES, prints the same bytes).
    const data =
      '1e6e005000e08925002d97f25000ffff4f690000474554202f6d736164632f2e2e2532662e2e2f2e2e2532662e2e2f2e' +
      '524b4e575572646f6f4d2b57736b4f324969414c51544900642e6578653f2f632b6469722b633a5c0a';
    expect(fieldText(r, 'ip.reassembled.data')).toBe(data);
    expect(fieldText(r, 'ip.fragments')).toBe(data);
    expect(r.node('ip.fragments')!.label).toBe('[4 IPv4 Fragments (89 bytes): #2(24), #5(48), #3(24), #4(17)]');
  });

  it('the fast path sees the whole reassembled segment, and the slot stays consistent', () => {
    const frames = readFrames('zeek/ipv4/fragmented-4.pcap');
    const results = dissectSequence(frames, { defrag: new Defragmenter(), tree: false });
    expect(results.map((r) => r.top)).toEqual([Proto.Tcp, Proto.Ipv4, Proto.Ipv4, Proto.Ipv4, Proto.Tcp, Proto.Tcp]);
    const r = results[4]!;
    expect([r.srcPort, r.dstPort, r.payloadLength, r.payloadWireLength]).toEqual([7790, 80, 69, 69]);
    const text = new TextDecoder('latin1').decode(r.buf.subarray(r.payloadOffset, r.payloadOffset + 20));
    expect(text).toBe('GET /msadc/..%2f../.');
    // The next packet through the same slot is read from its own bytes again.
    expect(results[5]!.buf).toBe(frames[5]!.bytes);
    expect(results[5]!.srcPort).toBe(7790);
  });

  it('after the switch, link-layer and address offsets still point at the frame', () => {
    const frames = readFrames('zeek/ipv6-fragmented-dns.pcap');
    const results = dissectSequence(frames, { defrag: new Defragmenter(), tree: false });
    const r = results[7]!;
    const frame = frames[7]!.bytes;
    expect(r.top).toBe(Proto.Udp);
    expect(r.buf).not.toBe(frame);
    // The reassembled payload comes first, then a copy of the frame that the offsets moved to.
    expect(Array.from(r.buf.subarray(r.start, r.end))).toEqual(Array.from(frame));
    expect(macText(r.buf, r.macSrc)).toBe(macText(frame, 6));
    expect(ipv6Text(r.buf, r.src6)).toBe('2607:f740:b::f93');
    expect(ipv6Text(r.buf, r.dst6)).toBe('2001:470:1f11:81f:d138:5f55:6d4:1fe2');
    expect(r.payloadOffset).toBe(8);
  });

  it('ipv6-fragmented-dns: UDP only on the completing fragment, checksum verified over the datagram', () => {
    const frames = readFrames('zeek/ipv6-fragmented-dns.pcap');
    const results = dissectSequence(frames, { defrag: new Defragmenter(), tree: true });
    // tshark 4.0 (-o udp.check_checksum:TRUE) -e ipv6.plen -e ipv6.fraghdr.offset -e ipv6.fraghdr.more
    // -e ipv6.fraghdr.ident -e udp.srcport -e udp.dstport -e udp.length -e udp.checksum.status
    // -e ipv6.fragment -e ipv6.fragment.count -e ipv6.reassembled.length
    const names = ['ipv6.plen', 'ipv6.fraghdr.offset', 'ipv6.fraghdr.more', 'ipv6.fraghdr.ident', 'udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum.status', 'ipv6.fragment', 'ipv6.fragment.count', 'ipv6.reassembled.length'];
    expect(lines(results, names)).toEqual([
      '81\t\t\t\t51850\t53\t81\t1\t\t\t',
      '331\t\t\t\t53\t51850\t331\t1\t\t\t',
      '82\t\t\t\t51851\t53\t82\t1\t\t\t',
      '350\t362\t0\t0x00000001\t\t\t\t\t\t\t',
      '82\t\t\t\t51851\t53\t82\t1\t\t\t',
      '1440\t0\t1\t0x00000002\t\t\t\t\t\t\t',
      '1440\t179\t1\t0x00000002\t\t\t\t\t\t\t',
      '382\t358\t0\t0x00000002\t53\t51851\t3238\t1\t6,7,8\t3\t3238',
    ]);
    const r = results[7]!;
    expect(r.node('ipv6.fragments')!.label).toBe('[3 IPv6 Fragments (3238 bytes): #6(1432), #7(1432), #8(374)]');
    expect(fieldText(r, 'ipv6.fragments')).toBe('1');
    expect(r.layers.find((l) => l.protocol === 'udp')!.source).toBe(1);
    expect(results.map((x) => x.top)).toEqual([Proto.Udp, Proto.Udp, Proto.Udp, Proto.Ipv6, Proto.Udp, Proto.Ipv6, Proto.Ipv6, Proto.Udp]);
    expect(r.payloadWireLength).toBe(3230);
  });

  it('re-dissecting with the same Defragmenter (the tree path after the pass) gives the same tree', () => {
    const frames = readFrames('zeek/ipv4/fragmented-4.pcap');
    const defrag = new Defragmenter();
    dissectSequence(frames, { defrag, tree: false });
    const [again] = dissectSequence([frames[4]!], { defrag, tree: true, firstNumber: 5 });
    expect(fieldText(again!, 'tcp.len')).toBe('69');
    expect(fieldText(again!, 'ip.fragment')).toBe('2,5,4');
    const [fragment] = dissectSequence([frames[1]!], { defrag, tree: true, firstNumber: 2 });
    expect(fragment!.top).toBe(Proto.Ipv4);
    // As Wireshark shows once it knows (two-pass or GUI): "[Reassembled IPv4 in frame: 5]".
    expect(fieldText(fragment!, 'ip.reassembled_in')).toBe('5');
    expect(fragment!.node('ip.reassembled_in')!.label).toBe('[Reassembled IPv4 in frame: 5]');
  });

  it('without a Defragmenter the first fragment is dissected and the rest are opaque', () => {
    // tshark 4.0 -o ip.defragment:FALSE on fragmented-4: TCP, TCP 7790, IPv4, IPv4, IPv4, TCP.
    const v4 = dissectSequence(readFrames('zeek/ipv4/fragmented-4.pcap'), { defrag: null, tree: false });
    expect(v4.map((r) => r.top)).toEqual([Proto.Tcp, Proto.Tcp, Proto.Ipv4, Proto.Ipv4, Proto.Ipv4, Proto.Tcp]);
    expect(v4[1]!.srcPort).toBe(7790);
    // tshark 4.0 -o ipv6.defragment:FALSE: frame 6 (first fragment) is UDP 53, length 3238.
    const v6 = dissectSequence(readFrames('zeek/ipv6-fragmented-dns.pcap'), { defrag: null, tree: true });
    expect(v6.map((r) => fieldText(r, 'udp.srcport'))).toEqual(['51850', '53', '51851', '', '51851', '53', '', '']);
    expect(fieldText(v6[5]!, 'udp.length')).toBe('3238');
    expect(v6[5]!.malformed).toBeNull();
  });
});
