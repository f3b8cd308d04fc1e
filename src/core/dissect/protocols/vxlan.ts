// Virtual eXtensible Local Area Network (RFC 7348, Group Policy extension from
// draft-smith-vxlan-group-policy) on UDP port 4789: an 8-byte header, then an Ethernet frame.

import type { Dissector } from '../dissector';
import { EtherType } from '../ethertypes';
import { flag, uintDec, uintHex } from '../fields';
import { Proto, Table, type Packet } from '../packet';

/** IANA-assigned VXLAN port (RFC 7348 §5). */
export const VXLAN_PORT = 4789;

const Flag = {
  Gbp: 0x8000,
  Vni: 0x0800,
  DontLearn: 0x0040,
  PolicyApplied: 0x0008,
  Reserved: 0x77b7,
} as const;

export const vxlanFields = {
  flags: uintHex('vxlan.flags', 'Flags', 4),
  flagG: flag('vxlan.flag_g', 'GBP Extension'),
  flagI: flag('vxlan.flag_i', 'VXLAN Network ID (VNI)'),
  flagD: flag('vxlan.flag_d', "Don't Learn"),
  flagA: flag('vxlan.flag_a', 'Policy Applied'),
  flagsReserved: uintHex('vxlan.flags_reserved', 'Reserved(R)', 4),
  gbp: uintDec('vxlan.gbp', 'Group Policy ID'),
  vni: uintDec('vxlan.vni', 'VXLAN Network Identifier (VNI)'),
  reserved8: uintDec('vxlan.reserved8', 'Reserved'),
};

export const vxlan: Dissector = {
  name: 'vxlan',
  title: 'Virtual eXtensible Local Area Network',
  proto: Proto.Vxlan,
  osi: 2,
  fields: Object.values(vxlanFields),
  handoffs: [{ table: Table.UdpPort, key: VXLAN_PORT }],
  decode(p: Packet, off: number, end: number): number {
    const t = p.tree;
    const avail = end - off;
    if (avail < 8) {
      t?.begin('vxlan', 'Virtual eXtensible Local Area Network', 2, off, avail);
      p.fail(`VXLAN header needs 8 bytes, only ${avail} captured`);
      return end;
    }
    if (t !== null) header(p, off);
    // The payload is an Ethernet frame without FCS, the same hand-off as GRE's 0x6558.
    p.next(Table.EtherType, EtherType.TransparentEthernet, end);
    return off + 8;
  },
};

function header(p: Packet, off: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = vxlanFields;
  const flags = (b[off]! << 8) | b[off + 1]!;
  let summary = `0x${flags.toString(16).padStart(4, '0')}`;
  if (flags & Flag.Gbp) summary += ', GBP Extension';
  if (flags & Flag.Vni) summary += ', VXLAN Network ID (VNI)';
  if (flags & Flag.DontLearn) summary += ", Don't Learn";
  if (flags & Flag.PolicyApplied) summary += ', Policy Applied';
  t.begin('vxlan', 'Virtual eXtensible Local Area Network', 2, off, 8);
  t.open(F.flags, flags, off, 2, summary);
  t.add(F.flagG, (flags & Flag.Gbp) !== 0, off, 2, (flags & Flag.Gbp) !== 0 ? 'Defined' : 'Not defined');
  t.add(F.flagI, (flags & Flag.Vni) !== 0, off, 2, (flags & Flag.Vni) !== 0 ? 'True' : 'False');
  t.add(F.flagD, (flags & Flag.DontLearn) !== 0, off, 2, (flags & Flag.DontLearn) !== 0 ? 'True' : 'False');
  t.add(F.flagA, (flags & Flag.PolicyApplied) !== 0, off, 2, (flags & Flag.PolicyApplied) !== 0 ? 'True' : 'False');
  t.add(F.flagsReserved, flags & Flag.Reserved, off, 2);
  t.close();
  t.add(F.gbp, (b[off + 2]! << 8) | b[off + 3]!, off + 2, 2);
  t.add(F.vni, (b[off + 4]! << 16) | (b[off + 5]! << 8) | b[off + 6]!, off + 4, 3);
  t.add(F.reserved8, b[off + 7]!, off + 7, 1);
}
