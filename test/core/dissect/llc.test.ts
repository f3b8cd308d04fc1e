import { describe, expect, it } from 'vitest';
import { dissectFrame, hexToBytes } from '../../helpers/dissect';
import { corpusFrame, expectEveryPrefixHandled } from '../../helpers/corpus-frames';
import { Mark, Proto } from '../../../src/core/dissect/packet';

// Expected field values below are what tshark 4.0.17 prints (`tshark -T fields -E occurrence=a`)
// for the same bytes written to a pcap. The corpus has no 802.3/LLC traffic, so the SNAP frame
// wraps the ARP request of zeek/arp-who-has.pcap frame 1 in an 802.3 + LLC/SNAP header.

const e8023 = '010203040506 000a0b0c0d0e'; // 802.3 dst, src (the length follows in each frame)

function snapArp(): Uint8Array {
  const arp = corpusFrame('zeek/arp-who-has.pcap', 1).bytes.subarray(14, 42);
  const head = hexToBytes(`
    ffffffffffff 7831c1c63fc2 0024   # 802.3: broadcast, from the ARP sender, length 36
    aa aa 03                         # LLC: DSAP SNAP, SSAP SNAP, UI
    000000 0806                      # SNAP: OUI 0 (EtherType follows), ARP
  `);
  const frame = new Uint8Array(head.length + arp.length);
  frame.set(head, 0);
  frame.set(arp, head.length);
  return frame;
}

describe('llc dissector', () => {
  it('hands a SNAP frame with OUI 0 to the EtherType table (RFC 1042)', () => {
    const d = dissectFrame(snapArp(), 1);
    expect(d.values('eth.len')).toEqual(['36']);
    expect(d.values('llc.dsap')).toEqual(['0xaa']);
    expect(d.values('llc.ssap')).toEqual(['0xaa']);
    expect(d.values('llc.control')).toEqual(['0x0003']);
    expect(d.values('llc.oui')).toEqual(['0']);
    expect(d.values('llc.type')).toEqual(['0x0806']);
    expect(d.values('arp.opcode')).toEqual(['1']);
    expect(d.values('arp.src.hw_mac')).toEqual(['78:31:c1:c6:3f:c2']);
    expect(d.values('arp.src.proto_ipv4')).toEqual(['10.0.0.2']);
    expect(d.values('arp.dst.proto_ipv4')).toEqual(['10.0.0.1']);
    expect(d.packet.top).toBe(Proto.Arp);
    const layer = d.layers.find((l) => l.protocol === 'llc')!;
    expect(layer.title).toBe('Logical-Link Control');
    expect(layer.length).toBe(8);
    expect(layer.fields.map((f) => f.label)).toEqual([
      'DSAP: SNAP (0xaa)',
      'SSAP: SNAP (0xaa)',
      'Control field: U, func=UI (0x03)',
      'Organization Code: 00:00:00 (Officially Xerox, but 0:0:0:0:0:0 is more common)',
      'Type: ARP (0x0806)',
    ]);
    expect(layer.fields[0]!.children!.map((f) => f.label)).toEqual(['SAP: SNAP', 'IG Bit: Individual']);
  });

  it('shows a vendor protocol ID without decoding further', () => {
    const d = dissectFrame(hexToBytes(`${e8023} 001e  aaaa03 00000c 2000  ${'00'.repeat(23)}`), 1); // Cisco, CDP
    expect(d.values('llc.oui')).toEqual(['12']);
    expect(d.values('llc.cisco_pid')).toEqual(['0x2000']);
    expect(d.values('llc.type')).toEqual([]);
    expect(d.node('llc.oui')?.label).toBe('Organization Code: 00:00:0c (Cisco Systems, Inc)');
    expect(d.node('llc.cisco_pid')?.label).toBe('PID: CDP (0x2000)');
    expect(d.packet.top).toBe(Proto.Llc);
  });

  it('gives a SNAP frame that is not an information frame no EtherType', () => {
    const d = dissectFrame(hexToBytes(`${e8023} 0019  aaaa13 000000 0800  4500001400010000ff3b00000102030405060708`), 1); // UI with P
    expect(d.values('llc.oui')).toEqual(['0']);
    expect(d.values('llc.type')).toEqual([]);
    expect(d.values('ip.src')).toEqual([]);
  });

  it('decodes an I frame (two-byte control, least significant byte first)', () => {
    const d = dissectFrame(hexToBytes(`${e8023} 0008  00 01 0203  0405060708`), 1); // N(R) 1, N(S) 1, P
    expect(d.values('llc.ssap.cr')).toEqual(['1']);
    expect(d.values('llc.control')).toEqual(['0x0302']);
    expect(d.values('llc.control.n_r')).toEqual(['1']);
    expect(d.values('llc.control.n_s')).toEqual(['1']);
    expect(d.values('llc.control.p')).toEqual(['1']);
    expect(d.values('llc.control.ftype')).toEqual(['0x0000']);
    expect(d.node('llc.control')?.label).toBe('Control field: I P, N(R)=1, N(S)=1 (0x0302)');
  });

  it('decodes S and U frames with their poll/final bit', () => {
    const s = dissectFrame(hexToBytes(`${e8023} 0020  f0 f0 0105  ${'00'.repeat(28)}`), 1); // RR, N(R) 2, P
    expect(s.values('llc.control')).toEqual(['0x0501']);
    expect(s.values('llc.control.n_r')).toEqual(['2']);
    expect(s.values('llc.control.p')).toEqual(['1']);
    expect(s.values('llc.control.s_ftype')).toEqual(['0x0000']);
    expect(s.values('llc.control.ftype')).toEqual(['0x0001']);
    expect(s.node('llc.control')?.label).toBe('Control field: S P, func=RR, N(R)=2 (0x0501)');

    const u = dissectFrame(hexToBytes(`${e8023} 0020  f0 f1 73  ${'00'.repeat(29)}`), 1); // response UA, F
    expect(u.values('llc.ssap.cr')).toEqual(['1']);
    expect(u.values('llc.control')).toEqual(['0x0073']);
    expect(u.values('llc.control.f')).toEqual(['1']);
    expect(u.values('llc.control.u_modifier_resp')).toEqual(['0x18']);
    expect(u.values('llc.control.ftype')).toEqual(['0x03']);
    expect(u.node('llc.control')?.label).toBe('Control field: U F, func=UA (0x73)');
  });

  it('hands the IP SAP (0x06) to IPv4', () => {
    const d = dissectFrame(hexToBytes(`${e8023} 0017  06 06 03  4500001400010000ff3b00000102030405060708`), 1);
    expect(d.values('llc.dsap')).toEqual(['0x06']);
    expect(d.node('llc.dsap')?.label).toBe('DSAP: TCP/IP (0x06)');
    expect(d.values('ip.src')).toEqual(['1.2.3.4']);
  });

  it('marks a header cut short', () => {
    const d = dissectFrame(hexToBytes(`${e8023} 0008  aaaa03 0000`), 1);
    expect(d.values('llc.dsap')).toEqual(['0xaa']);
    expect(d.values('llc.oui')).toEqual([]);
    expect(d.packet.marks & Mark.Malformed).toBe(Mark.Malformed);
    expect(d.packet.malformed).toBe('SNAP header needs 5 bytes, only 2 captured');
  });

  it('every prefix of the SNAP/ARP frame decodes without throwing and marks the cut', () => {
    expectEveryPrefixHandled(snapArp(), 1);
  });
});
