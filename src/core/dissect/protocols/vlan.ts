// IEEE 802.1Q VLAN tags and QinQ service tags (802.1ad 0x88a8, the older 0x9100): one tag per call,
// stacked tags come back through the EtherType table.

import type { Dissector } from '../dissector';
import { EtherType, etherTypeNames } from '../ethertypes';
import { bytesField, flag, uintDec, uintHex, valueNames } from '../fields';
import { Proto, Table, type Packet } from '../packet';
import { hex, hexBytes } from '../../util/address';

/** IEEE 802.1Q-2014 Table I-2 traffic types, the names Wireshark 4.0 shows for the PCP. */
const priorityNames = valueNames([
  [0, 'Best Effort (default)'],
  [1, 'Background'],
  [2, 'Excellent Effort'],
  [3, 'Critical Applications'],
  [4, 'Video, < 100ms latency and jitter'],
  [5, 'Voice, < 10ms latency and jitter'],
  [6, 'Internetwork Control'],
  [7, 'Network Control'],
]);

export const vlanFields = {
  priority: uintDec('vlan.priority', 'Priority', priorityNames),
  dei: flag('vlan.dei', 'DEI'),
  id: uintDec('vlan.id', 'ID'),
  etype: uintHex('vlan.etype', 'Type', 4, etherTypeNames),
  len: uintDec('vlan.len', 'Length'),
  trailer: bytesField('vlan.trailer', 'Trailer'),
  // Wireshark 4.0 decodes 0x88a8 tags with its ieee8021ad protocol: plain numbers, no names.
  adPriority: uintDec('ieee8021ad.priority', 'Priority'),
  adDei: uintDec('ieee8021ad.dei', 'DEI'),
  adId: uintDec('ieee8021ad.id', 'ID'),
  adEtype: uintHex('ieee8021ah.etype', 'Type', 4, etherTypeNames),
};

export const vlan: Dissector = {
  name: 'vlan',
  title: '802.1Q Virtual LAN',
  proto: Proto.Vlan,
  osi: 2,
  fields: Object.values(vlanFields),
  handoffs: [
    { table: Table.EtherType, key: EtherType.Vlan },
    { table: Table.EtherType, key: EtherType.QinQ },
    { table: Table.EtherType, key: EtherType.QinQOld },
  ],
  decode(p: Packet, off: number, end: number): number {
    const t = p.tree;
    const b = p.buf;
    const avail = end - off;
    // The key that selected this dissector is still in the slot (dissect() clears only the table):
    // 0x88a8 is an 802.1ad service tag, which Wireshark shows as its own protocol.
    const serviceTag = p.nextKey === EtherType.QinQ;
    if (avail < 4) {
      if (t !== null) {
        // Wireshark shows the TCI of a cut 802.1Q tag, but only the title of a cut 802.1ad one.
        if (avail >= 2 && !serviceTag) tagLayer(p, off, avail, false);
        else t.begin(serviceTag ? 'ieee8021ad' : 'vlan', serviceTag ? 'IEEE 802.1ad' : '802.1Q Virtual LAN', 2, off, avail);
      }
      p.fail(`${serviceTag ? '802.1ad' : '802.1Q'} tag needs 4 bytes, only ${avail} captured`);
      return end;
    }
    const type = (b[off + 2]! << 8) | b[off + 3]!;
    const payload = off + 4;
    if (t !== null) tagLayer(p, off, 4, serviceTag);
    // Values up to 1500 are an 802.3 length and LLC follows (IEEE 802.3 §3.2.6); 802.1ad tags
    // always carry a type in Wireshark, so a small value there is just an unknown EtherType.
    if (type > 1500 || serviceTag) {
      if (t !== null) {
        t.add(serviceTag ? vlanFields.adEtype : vlanFields.etype, type, off + 2, 2, etherTypeText(type));
      }
      p.next(Table.EtherType, type, end);
      return payload;
    }
    const lengthEnd = payload + type;
    if (t !== null) {
      t.add(vlanFields.len, type, off + 2, 2);
      if (lengthEnd < end) t.add(vlanFields.trailer, hexBytes(b, lengthEnd, end - lengthEnd), lengthEnd, end - lengthEnd);
    }
    // 0xffff right after the length is raw IPX (no 802.2 header), which we do not decode.
    if (end - payload >= 2 && b[payload] === 0xff && b[payload + 1] === 0xff) return payload;
    if (lengthEnd > reportedEnd(p, end)) {
      // Wireshark flags the length as malformed but still decodes LLC over what is there.
      p.fail('Length field value goes past the end of the payload');
      p.next(Table.Ieee8023, 0, end);
      return payload;
    }
    p.next(Table.Ieee8023, 0, Math.min(end, lengthEnd));
    return payload;
  },
};

/** Opens the tag's layer with its title and TCI fields (tree path only). */
function tagLayer(p: Packet, off: number, length: number, serviceTag: boolean): void {
  const t = p.tree!;
  const b = p.buf;
  const tci = (b[off]! << 8) | b[off + 1]!;
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const id = tci & 0x0fff;
  if (serviceTag) {
    t.begin('ieee8021ad', `IEEE 802.1ad, ID: ${id}`, 2, off, length);
    t.add(vlanFields.adPriority, pri, off, 1);
    t.add(vlanFields.adDei, dei, off, 1);
    t.add(vlanFields.adId, id, off, 2);
    return;
  }
  t.begin('vlan', `802.1Q Virtual LAN, PRI: ${pri}, DEI: ${dei}, ID: ${id}`, 2, off, length);
  t.add(vlanFields.priority, pri, off, 2);
  t.add(vlanFields.dei, dei === 1, off, 2, dei === 1 ? 'Eligible' : 'Ineligible');
  t.add(vlanFields.id, id, off, 2);
}

/** `IPv4 (0x0800)`, or `Unknown (0x88b5)` as Wireshark labels an EtherType it has no name for. */
function etherTypeText(type: number): string {
  return `${etherTypeNames.get(type) ?? 'Unknown'} (${hex(type, 4)})`;
}

/** Where the payload ends on the wire: bytes a snaplen cut off still count (Wireshark's reported length). */
function reportedEnd(p: Packet, end: number): number {
  const cut = p.wirelen - (p.end - p.start);
  return end === p.end && cut > 0 ? end + cut : end;
}
