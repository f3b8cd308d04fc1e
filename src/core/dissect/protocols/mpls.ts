// MPLS label stack (RFC 3032), one layer per label, and the guess Wireshark makes for the payload
// after the bottom of the stack (first nibble, RFC 4928): IPv4, IPv6 or an Ethernet pseudowire.

import type { Dissector } from '../dissector';
import { EtherType } from '../ethertypes';
import { field, uintDec, valueNames } from '../fields';
import { Proto, Table, type Packet } from '../packet';

/** Reserved labels 0-15 (RFC 3032 §2.1, RFC 5586, RFC 6790), with Wireshark's names. */
const specialLabels = valueNames([
  [0, 'IPv4 Explicit-Null'],
  [1, 'Router Alert'],
  [2, 'IPv6 Explicit-Null'],
  [3, 'Implicit-Null'],
  [7, 'Entropy Label Indicator (ELI)'],
  [13, 'Generic Associated Channel Label (GAL)'],
  [14, 'OAM Alert'],
]);

/** Highest reserved label value (RFC 3032 §2.1). */
const MAX_RESERVED_LABEL = 15;

export const mplsFields = {
  label: field('mpls.label', 'MPLS Label', 'uint', { base: 'dec_hex', digits: 5 }),
  exp: uintDec('mpls.exp', 'MPLS Experimental Bits'),
  bottom: uintDec('mpls.bottom', 'MPLS Bottom Of Label Stack'),
  ttl: uintDec('mpls.ttl', 'MPLS TTL'),
  /** The Ethernet pseudowire control word (RFC 4448 §3): 4 bits zero, flags, sequence number. */
  cwSequence: uintDec('pweth.cw.sequence_number', 'Sequence Number'),
};

export const mpls: Dissector = {
  name: 'mpls',
  title: 'MultiProtocol Label Switching Header',
  proto: Proto.Mpls,
  osi: 2,
  fields: Object.values(mplsFields),
  handoffs: [
    { table: Table.EtherType, key: EtherType.MplsUnicast },
    { table: Table.EtherType, key: EtherType.MplsMulticast },
  ],
  decode(p: Packet, off: number, end: number): number {
    const t = p.tree;
    const b = p.buf;
    let o = off;
    let label: number;
    for (;;) {
      if (end - o < 4) {
        if (t !== null && o === off) t.begin('mpls', 'MultiProtocol Label Switching Header', 2, o, end - o);
        p.fail(`MPLS label stack entry needs 4 bytes, only ${end - o} captured`);
        return end;
      }
      const b2 = b[o + 2]!;
      label = (b[o]! << 12) | (b[o + 1]! << 4) | (b2 >> 4);
      const bottom = b2 & 1;
      if (t !== null) labelLayer(p, o, label, (b2 >> 1) & 7, bottom, b[o + 3]!);
      o += 4;
      if (bottom === 1) break;
    }
    if (o >= end) {
      // Wireshark reads the first payload byte to guess the payload, and fails when there is none.
      p.fail('MPLS payload missing after the bottom of the label stack');
      return end;
    }
    // The GAL announces a Generic Associated Channel (RFC 5586), which we do not decode.
    if (label === 13) return o;
    const nibble = b[o]! >> 4;
    if (nibble === 4) p.next(Table.EtherType, EtherType.Ipv4, end);
    else if (nibble === 6) p.next(Table.EtherType, EtherType.Ipv6, end);
    else if (nibble === 0) return pseudowire(p, o, end);
    // 1 is a PW Associated Channel Header (RFC 4385), anything else Wireshark shows as data.
    return o;
  },
};

/**
 * Ethernet pseudowire after the bottom label, with or without the 4-byte control word. Wireshark
 * decides by looking the two MAC addresses up in its OUI database; we have none, so we look for a
 * plausible EtherType where a frame would carry it, and otherwise assume a control word as it does.
 */
function pseudowire(p: Packet, off: number, end: number): number {
  const b = p.buf;
  const avail = end - off;
  let cw: boolean;
  if (avail >= 18 && plausibleEtherType((b[off + 16]! << 8) | b[off + 17]!)) cw = true;
  else if (avail >= 14 && plausibleEtherType((b[off + 12]! << 8) | b[off + 13]!)) cw = false;
  else if (avail >= 4) cw = true;
  else return off; // too short even for a control word: Wireshark shows it as data
  if (!cw) {
    p.next(Table.EtherType, EtherType.TransparentEthernet, end);
    return off;
  }
  const t = p.tree;
  if (t !== null) {
    t.begin('pwethcw', 'PW Ethernet Control Word', 2, off, 4);
    t.add(mplsFields.cwSequence, (b[off + 2]! << 8) | b[off + 3]!, off + 2, 2);
  }
  p.next(Table.EtherType, EtherType.TransparentEthernet, end);
  return off + 4;
}

/** EtherTypes that make 12 bytes before them look like an Ethernet header. */
function plausibleEtherType(type: number): boolean {
  switch (type) {
    case EtherType.Ipv4:
    case EtherType.Ipv6:
    case EtherType.Arp:
    case 0x8035: // RARP
    case EtherType.Vlan:
    case EtherType.QinQ:
    case EtherType.QinQOld:
    case EtherType.MplsUnicast:
    case EtherType.MplsMulticast:
      return true;
    default:
      return false;
  }
}

/** One `MultiProtocol Label Switching Header, Label: …` layer per stack entry (tree path only). */
function labelLayer(p: Packet, off: number, label: number, exp: number, bottom: number, ttl: number): void {
  const t = p.tree!;
  const special = label <= MAX_RESERVED_LABEL;
  const name = special ? (specialLabels.get(label) ?? null) : null;
  const titleLabel = special ? `${label} (${name ?? 'Reserved - Unknown'})` : `${label}`;
  t.begin('mpls', `MultiProtocol Label Switching Header, Label: ${titleLabel}, Exp: ${exp}, S: ${bottom}, TTL: ${ttl}`, 2, off, 4);
  // Reserved labels show their name instead of the hex form (Wireshark's hf_mpls_label_special).
  t.add(mplsFields.label, label, off, 3, special ? `${name ?? 'Unknown'} (${label})` : undefined);
  t.add(mplsFields.exp, exp, off + 2, 1);
  t.add(mplsFields.bottom, bottom, off + 2, 1);
  t.add(mplsFields.ttl, ttl, off + 3, 1);
}
