// Address Resolution Protocol (RFC 826) and Reverse ARP (RFC 903): which hardware address goes with
// which protocol address. OSI layer 3 here: it carries network addresses, although Wireshark and
// textbooks often put it between layers 2 and 3.

import type { Dissector } from '../dissector';
import { EtherType, etherTypeNames } from '../ethertypes';
import { bytesField, field, flag, uintDec, uintHex, valueNames } from '../fields';
import { Proto, Table, type Packet } from '../packet';
import { hex, hexBytes, ipv4Text, macText } from '../../util/address';

/** ARPHRD_* hardware types (IANA "Hardware Types", Linux if_arp.h), as Wireshark names them. */
export const arpHardwareTypes = valueNames([
  [0, 'NET/ROM pseudo'],
  [1, 'Ethernet'],
  [2, 'Experimental Ethernet'],
  [3, 'AX.25'],
  [4, 'ProNET'],
  [5, 'Chaos'],
  [6, 'IEEE 802'],
  [7, 'ARCNET'],
  [8, 'Hyperchannel'],
  [9, 'Lanstar'],
  [10, 'Autonet Short Address'],
  [11, 'Localtalk'],
  [12, 'LocalNet'],
  [13, 'Ultra link'],
  [14, 'SMDS'],
  [15, 'Frame Relay DLCI'],
  [16, 'ATM'],
  [17, 'HDLC'],
  [18, 'Fibre Channel'],
  [19, 'ATM (RFC 2225)'],
  [20, 'Serial Line'],
  [21, 'ATM'],
  [22, 'MIL-STD-188-220'],
  [23, 'Metricom STRIP'],
  [24, 'IEEE 1394.1995'],
  [25, 'MAPOS'],
  [26, 'Twinaxial'],
  [27, 'EUI-64'],
  [28, 'HIPARP'],
  [29, 'IP and ARP over ISO 7816-3'],
  [30, 'ARPSec'],
  [31, 'IPsec tunnel'],
  [32, 'InfiniBand'],
  [33, 'TIA-102 Project 25 CAI'],
  [34, 'Wiegand Interface'],
  [35, 'Pure IP'],
  [36, 'Experimental 1'],
  [37, 'HFI'],
  [256, 'Experimental 2'],
  [257, 'AEthernet'],
  [260, 'Notional KISS type'],
  [264, 'ADAPT'],
  [270, 'ROSE'],
  [271, 'CCITT X.25'],
  [272, 'Boards with X.25 in firmware'],
  [280, 'Controller Area Network'],
  [512, 'PPP'],
  [513, 'Cisco HDLC'],
  [516, 'LAPB'],
  [517, 'Digital\'s DDCMP protocol'],
  [518, 'Raw HDLC'],
  [519, 'Raw IP'],
  [768, 'IPIP tunnel'],
  [769, 'IP6IP6 tunnel'],
  [770, 'Frame Relay Access Device'],
  [771, 'SKIP vif'],
  [772, 'Loopback'],
  [774, 'Fiber Distributed Data Interface'],
  [775, 'AP1000 BIF'],
  [776, 'sit0 device - IPv6-in-IPv4'],
  [777, 'IP over DDP tunneller'],
  [778, 'GRE over IP'],
  [779, 'PIMSM register interface'],
  [780, 'High Performance Parallel Interface'],
  [781, 'Nexus 64Mbps Ash'],
  [782, 'Acorn Econet'],
  [783, 'Linux-IrDA'],
  [784, 'Point to point fibrechannel'],
  [785, 'Fibrechannel arbitrated loop'],
  [786, 'Fibrechannel public loop'],
  [787, 'Fibrechannel fabric'],
  [800, 'Magic type ident for TR'],
  [801, 'IEEE 802.11'],
  [802, 'IEEE 802.11 + Prism2 header'],
  [803, 'IEEE 802.11 + radiotap header'],
  [804, 'IEEE 802.15.4'],
  [805, 'IEEE 802.15.4 network monitor'],
  [820, 'PhoNet media type'],
  [821, 'PhoNet pipe header'],
  [822, 'CAIF media type'],
  [823, 'GRE over IPv6'],
  [824, 'Netlink'],
  [825, 'IPv6 over LoWPAN'],
  [826, 'Vsock monitor header'],
  [65535, 'Void type, nothing is known'],
  [65534, 'zero header length'],
]);

const opcodes = valueNames([
  [0, 'reserved'],
  [1, 'request'],
  [2, 'reply'],
  [3, 'reverse request'],
  [4, 'reverse reply'],
  [5, 'drarp request'],
  [6, 'drarp reply'],
  [7, 'drarp error'],
  [8, 'inverse request'],
  [9, 'inverse reply'],
  [10, 'arp nak'],
  [11, 'mars request'],
  [12, 'mars multi'],
  [13, 'mars mserv'],
  [14, 'mars join'],
  [15, 'mars leave'],
  [16, 'mars nak'],
  [17, 'mars unserv'],
  [18, 'mars sjoin'],
  [19, 'mars sleave'],
  [20, 'mars grouplist request'],
  [21, 'mars grouplist reply'],
  [22, 'mars redirect map'],
  [23, 'mapos unarp'],
  [24, 'experimental 1'],
  [25, 'experimental 2'],
  [65535, 'reserved'],
]);

const drarpStatus = valueNames([
  [1, 'restricted'],
  [2, 'no address'],
  [3, 'serverdown'],
  [4, 'moved'],
  [5, 'failure'],
]);

export const arpFields = {
  hwType: uintDec('arp.hw.type', 'Hardware type', arpHardwareTypes),
  protoType: uintHex('arp.proto.type', 'Protocol type', 4, etherTypeNames),
  hwSize: uintDec('arp.hw.size', 'Hardware size'),
  protoSize: uintDec('arp.proto.size', 'Protocol size'),
  opcode: uintDec('arp.opcode', 'Opcode', opcodes),
  isGratuitous: flag('arp.isgratuitous', 'Is gratuitous'),
  isProbe: flag('arp.isprobe', 'Is probe'),
  isAnnouncement: flag('arp.isannouncement', 'Is announcement'),
  srcHwMac: field('arp.src.hw_mac', 'Sender MAC address', 'ether'),
  srcHw: bytesField('arp.src.hw', 'Sender hardware address'),
  srcProtoIpv4: field('arp.src.proto_ipv4', 'Sender IP address', 'ipv4'),
  srcProto: bytesField('arp.src.proto', 'Sender protocol address'),
  dstHwMac: field('arp.dst.hw_mac', 'Target MAC address', 'ether'),
  dstHw: bytesField('arp.dst.hw', 'Target hardware address'),
  dstProtoIpv4: field('arp.dst.proto_ipv4', 'Target IP address', 'ipv4'),
  dstProto: bytesField('arp.dst.proto', 'Target protocol address'),
  drarpErrorStatus: uintDec('arp.dst.drarp_error_status', 'DRARP error status', drarpStatus),
};

/** Reverse ARP's EtherType (RFC 903). */
const ETHERTYPE_RARP = 0x8035;
const ARPHRD_ETHER = 1;
const ARPHRD_IEEE802 = 6;
/** AX.25 Layer 3 protocol id for IP, which Wireshark also reads as an IPv4 address. */
const AX25_P_IP = 0xcc;
const OP_REQUEST = 1;
const OP_REPLY = 2;
const OP_DRARP_ERROR = 7;
/** Fixed part: hardware type, protocol type, both sizes, opcode. */
const FIXED_SIZE = 8;

export const arp: Dissector = {
  name: 'arp',
  title: 'Address Resolution Protocol',
  proto: Proto.Arp,
  osi: 3,
  fields: Object.values(arpFields),
  handoffs: [
    { table: Table.EtherType, key: EtherType.Arp },
    { table: Table.EtherType, key: ETHERTYPE_RARP },
  ],
  decode(p: Packet, off: number, end: number): number {
    const t = p.tree;
    const b = p.buf;
    const avail = end - off;
    p.net = Proto.Arp;
    p.netOffset = off;
    p.top = Proto.Arp;
    if (avail < FIXED_SIZE) {
      t?.begin('arp', 'Address Resolution Protocol', 3, off, avail);
      p.fail(`ARP header needs ${FIXED_SIZE} bytes, only ${avail} captured`);
      return end;
    }
    const hln = b[off + 4]!;
    const pln = b[off + 5]!;
    const total = FIXED_SIZE + 2 * hln + 2 * pln;
    if (avail < total) {
      if (t !== null) {
        // As Wireshark: the fixed fields under a bare title, then the malformed mark.
        t.begin('arp', 'Address Resolution Protocol', 3, off, avail);
        fixedFields(p, off);
      }
      p.fail(`ARP packet with ${hln}-byte hardware and ${pln}-byte protocol addresses needs ${total} bytes, only ${avail} captured`);
      return end;
    }
    if (t !== null) arpTree(p, off, total);
    return off + total;
  },
};

/** Hardware type, protocol type, sizes and opcode (tree path only). */
function fixedFields(p: Packet, off: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = arpFields;
  const hrd = (b[off]! << 8) | b[off + 1]!;
  const pro = (b[off + 2]! << 8) | b[off + 3]!;
  const op = (b[off + 6]! << 8) | b[off + 7]!;
  t.add(F.hwType, hrd, off, 2, `${arpHardwareTypes.get(hrd) ?? 'Unknown'} (${hrd})`);
  t.add(F.protoType, pro, off + 2, 2, `${etherTypeNames.get(pro) ?? 'Unknown'} (${hex(pro, 4)})`);
  t.add(F.hwSize, b[off + 4]!, off + 4, 1);
  t.add(F.protoSize, b[off + 5]!, off + 5, 1);
  t.add(F.opcode, op, off + 6, 2, `${opcodes.get(op) ?? 'Unknown'} (${op})`);
}

/** The whole packet, titled the way Wireshark's detail pane does (tree path only). */
function arpTree(p: Packet, off: number, total: number): void {
  const t = p.tree!;
  const b = p.buf;
  const F = arpFields;
  const hrd = (b[off]! << 8) | b[off + 1]!;
  const pro = (b[off + 2]! << 8) | b[off + 3]!;
  const hln = b[off + 4]!;
  const pln = b[off + 5]!;
  const op = (b[off + 6]! << 8) | b[off + 7]!;
  const sha = off + FIXED_SIZE;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  const end = off + total;

  // Same sender and target protocol address: a gratuitous ARP; as a request with an all-zero
  // target MAC it is an announcement (RFC 5227 §2.3); a request from 0.0.0.0 is a probe (§2.1.1).
  const requestOrReply = op === OP_REQUEST || op === OP_REPLY;
  const gratuitous = requestOrReply && sameBytes(b, spa, tpa, pln);
  const zeroTargetMac = tha + 6 <= end && isZero(b, tha, 6);
  const announcement = gratuitous && op === OP_REQUEST && zeroTargetMac;
  const probe = !gratuitous && op === OP_REQUEST && zeroTargetMac && spa + 4 <= end && isZero(b, spa, 4);

  let opText = opcodes.get(op);
  if (opText !== undefined) {
    if (gratuitous) opText = op === OP_REQUEST ? 'request/gratuitous ARP' : 'reply/gratuitous ARP';
    if (probe) opText = 'ARP Probe';
    if (announcement) opText = 'ARP Announcement';
  }
  t.begin('arp', `Address Resolution Protocol (${opText ?? `opcode ${hex(op, 4)}`})`, 3, off, total);
  fixedFields(p, off);
  if (gratuitous) t.add(F.isGratuitous, true, off, 0, 'True');
  if (probe) t.add(F.isProbe, true, off, 0, 'True');
  if (announcement) t.add(F.isAnnouncement, true, off, 0, 'True');

  const ether = (hrd === ARPHRD_ETHER || hrd === ARPHRD_IEEE802) && hln === 6;
  const ipv4 = (pro === EtherType.Ipv4 || pro === AX25_P_IP) && pln === 4;
  if (hln !== 0) {
    if (ether) t.add(F.srcHwMac, macText(b, sha), sha, 6);
    else t.add(F.srcHw, hexBytes(b, sha, hln), sha, hln);
  }
  if (pln !== 0) {
    if (ipv4) t.add(F.srcProtoIpv4, ipv4Text(b, spa), spa, 4);
    else t.add(F.srcProto, hexBytes(b, spa, pln), spa, pln);
  }
  if (hln !== 0) {
    if (ether) t.add(F.dstHwMac, macText(b, tha), tha, 6);
    else t.add(F.dstHw, hexBytes(b, tha, hln), tha, hln);
  }
  if (pln !== 0) {
    if (op === OP_DRARP_ERROR) {
      // A DRARP error puts a status code where the target protocol address would be.
      const status = b[tpa]!;
      t.add(F.drarpErrorStatus, status, tpa, 1, `${drarpStatus.get(status) ?? 'Unknown'} (${status})`);
    } else if (ipv4) t.add(F.dstProtoIpv4, ipv4Text(b, tpa), tpa, 4);
    else t.add(F.dstProto, hexBytes(b, tpa, pln), tpa, pln);
  }
}

function sameBytes(b: Uint8Array, x: number, y: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[x + i] !== b[y + i]) return false;
  return true;
}

function isZero(b: Uint8Array, off: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[off + i] !== 0) return false;
  return true;
}
