// Ethernet II, and IEEE 802.3 frames (length instead of type) handed to LLC.

import type { Dissector } from '../dissector';
import { EtherType, etherTypeNames } from '../ethertypes';
import { field, uintDec, uintHex } from '../fields';
import { LinkType } from '../link-types';
import { Proto, Table, type Packet } from '../packet';
import { macText } from '../../util/address';

const fields = {
  dst: field('eth.dst', 'Destination', 'ether'),
  src: field('eth.src', 'Source', 'ether'),
  type: uintHex('eth.type', 'Type', 4, etherTypeNames),
  len: uintDec('eth.len', 'Length'),
  padding: field('eth.padding', 'Padding', 'bytes'),
};

export const ethernet: Dissector = {
  name: 'eth',
  title: 'Ethernet II',
  proto: Proto.Eth,
  osi: 2,
  fields: Object.values(fields),
  handoffs: [{ table: Table.LinkType, key: LinkType.Ethernet }, { table: Table.EtherType, key: EtherType.TransparentEthernet }],
  decode(p: Packet, off: number, end: number): number {
    const t = p.tree;
    if (end - off < 14) {
      if (t !== null) t.begin('eth', 'Ethernet II', 2, off, end - off);
      p.fail(`Ethernet header needs 14 bytes, only ${end - off} captured`);
      return end;
    }
    const b = p.buf;
    const type = (b[off + 12]! << 8) | b[off + 13]!;
    p.macDst = off;
    p.macSrc = off + 6;
    if (t !== null) {
      const dst = macText(b, off);
      const src = macText(b, off + 6);
      // Values up to 1500 are an 802.3 length; 1536 and above an EtherType (IEEE 802.3 §3.2.6).
      t.begin('eth', type <= 1500 ? `IEEE 802.3 Ethernet, Src: ${src}, Dst: ${dst}` : `Ethernet II, Src: ${src}, Dst: ${dst}`, 2, off, 14);
      t.add(fields.dst, dst, off, 6);
      t.add(fields.src, src, off + 6, 6);
      if (type <= 1500) t.add(fields.len, type, off + 12, 2);
      else t.add(fields.type, type, off + 12, 2);
    }
    if (type <= 1500) {
      const payloadEnd = Math.min(end, off + 14 + type);
      p.next(Table.Ieee8023, 0, payloadEnd);
      return off + 14;
    }
    p.next(Table.EtherType, type, end);
    return off + 14;
  },
};
