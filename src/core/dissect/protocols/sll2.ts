// Linux "cooked" capture header v2 (LINKTYPE_LINUX_SLL2, 276): v1 reordered, with the interface
// index added and one-byte packet type and address length.

import type { Dissector } from '../dissector';
import { LinkType } from '../link-types';
import { Proto, Table, type Packet } from '../packet';
import { arpHardwareTypes } from './arp';
import { namedDec, packetTypes, sllAddressFields, sllFields, sllHandoff, sllProtocolField } from './sll';

/** Header size (protocol 2, reserved 2, ifindex 4, hatype 2, pkttype 1, halen 1, address 8). */
const HEADER_SIZE = 20;

export const sll2: Dissector = {
  name: 'sll',
  title: 'Linux cooked capture v2',
  proto: Proto.Sll2,
  osi: 2,
  // Wireshark names both versions' fields sll.*, so v2 shares v1's definitions.
  fields: Object.values(sllFields),
  handoffs: [{ table: Table.LinkType, key: LinkType.LinuxSll2 }],
  decode(p: Packet, off: number, end: number): number {
    const t = p.tree;
    const b = p.buf;
    const avail = end - off;
    if (avail < HEADER_SIZE) {
      if (t !== null) {
        t.begin('sll', 'Linux cooked capture v2', 2, off, avail);
        // The fields before the address, when all of them are there (the protocol's name needs hatype).
        if (avail >= 12) fixedFields(p, off);
      }
      p.fail(`Linux cooked capture v2 header needs ${HEADER_SIZE} bytes, only ${avail} captured`);
      return end;
    }
    const protocol = (b[off]! << 8) | b[off + 1]!;
    const hatype = (b[off + 8]! << 8) | b[off + 9]!;
    const halen = b[off + 11]!;
    if (halen === 6) p.macSrc = off + 12;
    if (t !== null) {
      t.begin('sll', 'Linux cooked capture v2', 2, off, HEADER_SIZE);
      fixedFields(p, off);
      sllAddressFields(p, off + 12, halen);
    }
    sllHandoff(p, hatype, protocol, end);
    return off + HEADER_SIZE;
  },
};

/** Protocol, interface index, address type, packet type and address length (tree path only). */
function fixedFields(p: Packet, off: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = sllFields;
  const hatype = (b[off + 8]! << 8) | b[off + 9]!;
  sllProtocolField(p, off, hatype, (b[off]! << 8) | b[off + 1]!);
  // Bytes 2-3 are reserved (must be zero); Wireshark 4.0 shows no field for them.
  const ifindex = ((b[off + 4]! << 24) | (b[off + 5]! << 16) | (b[off + 6]! << 8) | b[off + 7]!) >>> 0;
  t.add(F.ifindex, ifindex, off + 4, 4);
  t.add(F.hatype, hatype, off + 8, 2, namedDec(arpHardwareTypes, hatype));
  t.add(F.pkttype, b[off + 10]!, off + 10, 1, namedDec(packetTypes, b[off + 10]!));
  t.add(F.halen, b[off + 11]!, off + 11, 1);
}
