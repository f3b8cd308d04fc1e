// IEEE 802.2 Logical Link Control after an 802.3 length, with the SNAP extension (RFC 1042) that
// carries an EtherType.

import type { Dissector } from '../dissector';
import { EtherType, etherTypeNames } from '../ethertypes';
import { flag, uintDec, uintHex, valueNames } from '../fields';
import { Proto, Table, type Packet } from '../packet';
import { hex } from '../../util/address';

/** Service access point names (Wireshark's llcsaps.h). */
const sapNames = valueNames([
  [0x00, 'NULL LSAP'],
  [0x01, 'NULL LSAP'],
  [0x02, 'LLC Sub-Layer Management'],
  [0x04, 'SNA Path Control'],
  [0x06, 'TCP/IP'],
  [0x08, 'SNA'],
  [0x0c, 'SNA'],
  [0x0e, 'PROWAY (IEC955) Network Management and Initialization'],
  [0x10, 'NetWare (unofficial?)'],
  [0x14, 'ISO Network Layer (OSLAN 1)'],
  [0x18, 'Texas Instruments'],
  [0x20, 'ISO Network Layer (unofficial?)'],
  [0x34, 'ISO Network Layer (unofficial?)'],
  [0x42, 'Spanning Tree BPDU'],
  [0x4e, 'EIA RS-511 Manufacturing Message Service'],
  [0x54, 'ISO Network Layer (OSLAN 2)'],
  [0x7e, 'ISO 8208 (X.25 over 802.2)'],
  [0x7f, 'ISO 802.2'],
  [0x80, 'XNS'],
  [0x82, 'BACnet'],
  [0x86, 'Nestar'],
  [0x8e, 'PROWAY (IEC955) Active Station List Maintenance'],
  [0x98, 'ARP'],
  [0xaa, 'SNAP'],
  [0xb4, 'HP JetDirect Printer'],
  [0xba, 'Banyan Vines'],
  [0xbc, 'Banyan Vines'],
  [0xe0, 'NetWare'],
  [0xf0, 'NetBIOS'],
  [0xf4, 'IBM Net Management'],
  [0xf8, 'HP Extended LLC'],
  [0xfa, 'Ungermann-Bass'],
  [0xfc, 'Remote Program Load'],
  [0xfe, 'ISO Network Layer'],
  [0xff, 'Global LSAP'],
]);

/** The few OUIs SNAP frames commonly carry, named as in Wireshark's manuf file (we ship no OUI database). */
const ouiNames = valueNames([
  [0x000000, 'Officially Xerox, but 0:0:0:0:0:0 is more common'],
  [0x00000c, 'Cisco Systems, Inc'],
  [0x0000f8, 'Digital Equipment Corporation'],
  [0x080007, 'Apple, Inc.'],
]);

const ciscoPidNames = valueNames([
  [0x0102, 'DRIP'],
  [0x0104, 'PAgP'],
  [0x0105, 'MLS Hello'],
  [0x0108, 'RLQ BPDUs (request)'],
  [0x0109, 'RLQ BPDUs (response)'],
  [0x010b, 'PVSTP+'],
  [0x010c, 'VLAN Bridge'],
  [0x0111, 'UDLD'],
  [0x0139, 'MCP'],
  [0x2000, 'CDP'],
  [0x2001, 'CGMP'],
  [0x2003, 'VTP'],
  [0x2004, 'DTP'],
  [0x200a, 'STP Uplink Fast'],
]);

/** Unnumbered-frame modifiers (control & 0xEC), short names for the Control line (ISO 13239). */
const uCommandShort = valueNames([
  [0x00, 'UI'], [0x20, 'UP'], [0x40, 'DISC'], [0x60, 'UA'], [0x80, 'SNRM'], [0xe0, 'TEST'], [0x04, 'SIM'],
  [0x84, 'FRMR'], [0xc4, 'CFGR'], [0x0c, 'SARM'], [0x2c, 'SABM'], [0x4c, 'SARME'], [0x6c, 'SABME'],
  [0x8c, 'RESET'], [0xac, 'XID'], [0xcc, 'SNRME'], [0xec, 'BCN'],
]);
const uResponseShort = valueNames([
  [0x00, 'UI'], [0x20, 'UP'], [0x40, 'RD'], [0x60, 'UA'], [0x80, 'SNRM'], [0xe0, 'TEST'], [0x04, 'RIM'],
  [0x84, 'FRMR'], [0xc4, 'CFGR'], [0x0c, 'DM'], [0x2c, 'SABM'], [0x4c, 'SARME'], [0x6c, 'SABME'],
  [0x8c, 'RESET'], [0xac, 'XID'], [0xcc, 'SNRME'], [0xec, 'BCN'],
]);
/** The same modifiers shifted down two bits, as the llc.control.u_modifier_* fields hold them. */
const uCommandNames = valueNames([
  [0x00, 'Unnumbered Information'], [0x08, 'Unnumbered Poll'], [0x10, 'Disconnect'], [0x18, 'Unnumbered Acknowledge'],
  [0x20, 'Set Normal Response Mode'], [0x38, 'Test'], [0x01, 'Set Initialization Mode'], [0x21, 'Frame reject'],
  [0x31, 'Configure'], [0x03, 'Set Asynchronous Response Mode'], [0x0b, 'Set Asynchronous Balanced Mode'],
  [0x13, 'Set Asynchronous Response Mode Extended'], [0x1b, 'Set Asynchronous Balanced Mode Extended'],
  [0x23, 'Reset'], [0x2b, 'Exchange identification'], [0x33, 'Set Normal Response Mode Extended'], [0x3b, 'Beacon'],
]);
const uResponseNames = valueNames([
  [0x00, 'Unnumbered Information'], [0x08, 'Unnumbered Poll'], [0x10, 'Request Disconnect'], [0x18, 'Unnumbered Acknowledge'],
  [0x20, 'Set Normal Response Mode'], [0x38, 'Test'], [0x01, 'Request Initialization Mode'], [0x21, 'Frame reject'],
  [0x31, 'Configure'], [0x03, 'Disconnected mode'], [0x0b, 'Set Asynchronous Balanced Mode'],
  [0x13, 'Set Asynchronous Response Mode Extended'], [0x1b, 'Set Asynchronous Balanced Mode Extended'],
  [0x23, 'Reset'], [0x2b, 'Exchange identification'], [0x33, 'Set Normal Response Mode Extended'], [0x3b, 'Beacon'],
]);
const sFrameShort = ['RR', 'RNR', 'REJ', 'SREJ'];
const sFrameNames = ['Receiver ready', 'Receiver not ready', 'Reject', 'Selective reject'];

export const llcFields = {
  dsap: uintHex('llc.dsap', 'DSAP', 2, sapNames),
  dsapSap: uintDec('llc.dsap.sap', 'SAP'),
  dsapIg: flag('llc.dsap.ig', 'IG Bit'),
  ssap: uintHex('llc.ssap', 'SSAP', 2, sapNames),
  ssapSap: uintDec('llc.ssap.sap', 'SAP'),
  ssapCr: flag('llc.ssap.cr', 'CR Bit'),
  control: uintHex('llc.control', 'Control field', 4),
  nR: uintDec('llc.control.n_r', 'N(R)'),
  nS: uintDec('llc.control.n_s', 'N(S)'),
  poll: flag('llc.control.p', 'Poll'),
  final: flag('llc.control.f', 'Final'),
  sFtype: uintHex('llc.control.s_ftype', 'Supervisory frame type', 4),
  uCommand: uintHex('llc.control.u_modifier_cmd', 'Command', 2),
  uResponse: uintHex('llc.control.u_modifier_resp', 'Response', 2),
  // Wireshark registers llc.control.ftype twice: 16 bits wide for I/S frames, 8 for U frames.
  ftype: uintHex('llc.control.ftype', 'Frame type', 4),
  ftypeU: uintHex('llc.control.ftype', 'Frame type', 2),
  oui: uintDec('llc.oui', 'Organization Code'),
  type: uintHex('llc.type', 'Type', 4, etherTypeNames),
  pid: uintHex('llc.pid', 'Protocol ID', 4),
  ciscoPid: uintHex('llc.cisco_pid', 'PID', 4, ciscoPidNames),
  appleAtalkPid: uintHex('llc.apple_atalk_pid', 'PID', 4, valueNames([[0x809b, 'AppleTalk']])),
};

const SAP_SNAP = 0xaa;
const SAP_IP = 0x06;
const OUI_ENCAP_ETHER = 0x000000;
const OUI_CISCO = 0x00000c;
const OUI_CISCO_90 = 0x0000f8;
const OUI_APPLE_ATALK = 0x080007;

export const llc: Dissector = {
  name: 'llc',
  title: 'Logical-Link Control',
  proto: Proto.Llc,
  osi: 2,
  fields: Object.values(llcFields),
  handoffs: [{ table: Table.Ieee8023, key: 0 }],
  decode(p: Packet, off: number, end: number): number {
    const t = p.tree;
    const b = p.buf;
    const avail = end - off;
    if (avail < 3) {
      if (t !== null) {
        t.begin('llc', 'Logical-Link Control', 2, off, avail);
        if (avail === 2) sapFields(p, off, b[off]!, b[off + 1]!);
      }
      p.fail(`LLC header needs at least 3 bytes, only ${avail} captured`);
      return end;
    }
    const dsap = b[off]!;
    const ssap = b[off + 1]!;
    // U frames have a one-byte control field; I and S frames the two-byte extended form, sent
    // least significant byte first (ISO/IEC 8802-2 §5.2).
    const unnumbered = (b[off + 2]! & 3) === 3;
    const header = unnumbered ? 3 : 4;
    if (avail < header) {
      t?.begin('llc', 'Logical-Link Control', 2, off, avail);
      p.fail(`LLC header with a 2-byte control field needs 4 bytes, only ${avail} captured`);
      return end;
    }
    const control = unnumbered ? b[off + 2]! : b[off + 2]! | (b[off + 3]! << 8);
    // Only I frames and plain UI frames carry data for the layer above (Wireshark's XDLC_IS_INFORMATION).
    const information = (control & 1) === 0 || control === 0x03;
    const snap = dsap === SAP_SNAP && ssap === SAP_SNAP;
    if (t !== null) {
      t.begin('llc', 'Logical-Link Control', 2, off, snap ? Math.min(header + 5, avail) : header);
      sapFields(p, off, dsap, ssap);
      controlField(p, off + 2, control, unnumbered, (ssap & 1) === 1);
    }
    if (!snap) {
      if (information && dsap === SAP_IP) p.next(Table.EtherType, EtherType.Ipv4, end);
      return off + header;
    }
    const s = off + header;
    if (end - s < 5) {
      p.fail(`SNAP header needs 5 bytes, only ${end - s} captured`);
      return end;
    }
    const oui = (b[s]! << 16) | (b[s + 1]! << 8) | b[s + 2]!;
    const pid = (b[s + 3]! << 8) | b[s + 4]!;
    const ethernetOui = oui === OUI_ENCAP_ETHER || oui === OUI_CISCO_90;
    if (t !== null) snapFields(p, s, oui, pid, ethernetOui, information);
    // RFC 1042: OUI 0 (and Cisco's 00:00:f8) means the PID is an EtherType.
    if (ethernetOui && information) p.next(Table.EtherType, pid, end);
    return s + 5;
  },
};

/** DSAP and SSAP with their SAP and IG/CR bits (tree path only). */
function sapFields(p: Packet, off: number, dsap: number, ssap: number): void {
  const t = p.tree!;
  const F = llcFields;
  t.open(F.dsap, dsap, off, 1, namedHex(sapNames, dsap, 2));
  t.add(F.dsapSap, dsap >> 1, off, 1, sapNames.get(dsap & 0xfe) ?? 'Unknown');
  t.add(F.dsapIg, (dsap & 1) === 1, off, 1, (dsap & 1) === 1 ? 'Group' : 'Individual');
  t.close();
  t.open(F.ssap, ssap, off + 1, 1, namedHex(sapNames, ssap, 2));
  t.add(F.ssapSap, ssap >> 1, off + 1, 1, sapNames.get(ssap & 0xfe) ?? 'Unknown');
  t.add(F.ssapCr, (ssap & 1) === 1, off + 1, 1, (ssap & 1) === 1 ? 'Response' : 'Command');
  t.close();
}

/** The control field with Wireshark's xdlc summary, e.g. `U, func=UI (0x03)` (tree path only). */
function controlField(p: Packet, off: number, c: number, unnumbered: boolean, response: boolean): void {
  const t = p.tree!;
  const F = llcFields;
  if (unnumbered) {
    const modifier = c & 0xec;
    const pf = (c & 0x10) !== 0;
    const short = (response ? uResponseShort : uCommandShort).get(modifier) ?? 'Unknown';
    const flagText = pf ? (response ? ' F' : ' P') : '';
    t.open(F.control, c, off, 1, `U${flagText}, func=${short} (0x${hexUpper(c, 2)})`);
    if (pf) t.add(response ? F.final : F.poll, true, off, 1, 'Set');
    const m = modifier >> 2;
    const names = response ? uResponseNames : uCommandNames;
    t.add(response ? F.uResponse : F.uCommand, m, off, 1, `${names.get(m) ?? 'Unknown'} (${hex(m, 2)})`);
    t.add(F.ftypeU, 3, off, 1, 'Unnumbered frame (0x3)');
    t.close();
    return;
  }
  const nr = c >> 9;
  const pf = (c & 0x100) !== 0;
  if ((c & 1) === 0) {
    // Wireshark always calls the bit of an I frame Poll.
    const ns = (c >> 1) & 0x7f;
    t.open(F.control, c, off, 2, `I${pf ? ' P' : ''}, N(R)=${nr}, N(S)=${ns} (0x${hexUpper(c, 4)})`);
    t.add(F.nR, nr, off, 2);
    t.add(F.nS, ns, off, 2);
    if (pf) t.add(F.poll, true, off, 2, 'Set');
    t.add(F.ftype, 0, off, 2, 'Information frame (0x0)');
    t.close();
    return;
  }
  const kind = (c >> 2) & 3;
  t.open(F.control, c, off, 2, `S${pf ? (response ? ' F' : ' P') : ''}, func=${sFrameShort[kind]}, N(R)=${nr} (0x${hexUpper(c, 4)})`);
  t.add(F.nR, nr, off, 2);
  if (pf) t.add(response ? F.final : F.poll, true, off, 2, 'Set');
  t.add(F.sFtype, kind, off, 2, `${sFrameNames[kind]} (0x${kind})`);
  t.add(F.ftype, 1, off, 2, 'Supervisory frame (0x1)');
  t.close();
}

/** Organization code and protocol ID of a SNAP header (tree path only). */
function snapFields(p: Packet, s: number, oui: number, pid: number, ethernetOui: boolean, information: boolean): void {
  const t = p.tree!;
  const F = llcFields;
  const ouiName = ouiNames.get(oui);
  const ouiText = `${hex2(oui >> 16)}:${hex2((oui >> 8) & 0xff)}:${hex2(oui & 0xff)}`;
  t.add(F.oui, oui, s, 3, ouiName === undefined ? ouiText : `${ouiText} (${ouiName})`);
  if (ethernetOui) {
    // Wireshark shows the EtherType only when the frame carries data for it.
    if (information) t.add(F.type, pid, s + 3, 2, namedHex(etherTypeNames, pid, 4));
  } else if (oui === OUI_CISCO) {
    t.add(F.ciscoPid, pid, s + 3, 2, namedHex(ciscoPidNames, pid, 4));
  } else if (oui === OUI_APPLE_ATALK) {
    t.add(F.appleAtalkPid, pid, s + 3, 2, pid === 0x809b ? 'AppleTalk (0x809b)' : `Unknown (${hex(pid, 4)})`);
  } else {
    t.add(F.pid, pid, s + 3, 2);
  }
}

/** `SNAP (0xaa)`, or `Unknown (0x45)` for a value without a name, as Wireshark's value_string. */
function namedHex(names: ReadonlyMap<number, string>, v: number, digits: number): string {
  return `${names.get(v) ?? 'Unknown'} (${hex(v, digits)})`;
}

function hexUpper(v: number, digits: number): string {
  return v.toString(16).toUpperCase().padStart(digits, '0');
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0');
}
