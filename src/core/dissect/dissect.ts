// Runs one packet through the dissector chain, from its link type up to the transport layer.

import type { Dissector } from './dissector';
import { field, flag, str, uintDec, type FieldDef } from './fields';
import { Mark, Proto, Table, type Packet } from './packet';
import { ethernet } from './protocols/ethernet';
import { EtherType } from './ethertypes';
import { IpProto } from './ip-protocols';
import { encapsulationOf, LinkType } from './link-types';
import { absTimeText } from '../util/time-text';
import { ipv4, ipv4Slot } from './protocols/ipv4';
import { parseOptions, tcp, tcpSlot } from './protocols/tcp';
import { udp } from './protocols/udp';
import type { Registry } from './registry';

export const frameFields = {
  number: field('frame.number', 'Frame Number', 'uint', { base: 'dec' }),
  len: uintDec('frame.len', 'Frame Length'),
  capLen: uintDec('frame.cap_len', 'Capture Length'),
  timeEpoch: field('frame.time_epoch', 'Epoch Time', 'abstime'),
  timeRelative: field('frame.time_relative', 'Time since reference or first frame', 'reltime'),
  timeDelta: field('frame.time_delta', 'Time delta from previous captured frame', 'reltime'),
  interfaceId: uintDec('frame.interface_id', 'Interface id'),
  comment: str('frame.comment', 'Comment'),
  linkType: uintDec('frame.encap_type', 'Encapsulation type'),
  time: field('frame.time', 'Arrival Time', 'abstime'),
  malformed: flag('_ws.malformed', 'Malformed Packet'),
} satisfies Record<string, FieldDef>;

/** Longest chain of hand-offs before we call it a loop (deep tunnels stay well below). */
const MAX_DEPTH = 24;

/**
 * Dissects `p` (already reset with its bytes): frame layer on the tree path, then link → network
 * → transport. The TCP/UDP payload is left for the flow stage (reassembly, TLS, HTTP).
 */
export function dissect(p: Packet, registry: Registry): void {
  if (p.tree === null && p.linkType === LinkType.Ethernet && takesStraightPath(registry) && ethernetIpv4Tcp(p)) {
    p.registry = registry;
    return;
  }
  dissectChain(p, registry);
}

/**
 * The general loop: each dissector names the table and key of the next one. `dissect` is this
 * for every packet the straight path does not take; tests call it to compare the two.
 */
export function dissectChain(p: Packet, registry: Registry): void {
  // Dissectors that pick their hand-off by looking (UDP's lower-port-first rule) need the tables.
  p.registry = registry;
  const tree = p.tree;
  if (tree !== null) frameLayer(p);
  let d = registry.lookup(Table.LinkType, p.linkType);
  if (d === null) {
    p.top = Proto.Data;
    return;
  }
  let offset = p.start;
  let end = p.end;
  let network = false;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    p.nextTable = Table.None;
    p.nextEnd = end;
    p.top = d.proto;
    const proto = d.proto;
    if (proto === Proto.Ipv4 || proto === Proto.Ipv6 || proto === Proto.Arp || d.osi <= 2) {
      if (network) p.marks |= Mark.Tunnel;
      if (proto === Proto.Ipv4 || proto === Proto.Ipv6) network = true;
    }
    const payload = decode(d, p, offset, end);
    if (p.nextTable === Table.None) return;
    const next = registry.lookup(p.nextTable, p.nextKey);
    if (next === null) return;
    offset = payload;
    end = p.nextEnd;
    d = next;
  }
  p.fail('too many nested protocol layers');
}

/**
 * `d.decode(p, offset, end)`, with the decoders of the chain nearly every packet takes (Ethernet II,
 * IPv4, TCP, UDP) called by name: each gets a call site of its own, which the compiler sees with
 * one target and can inline, where a single `d.decode` site sees them all (megamorphic). Any
 * other dissector, or a registry that maps these keys elsewhere, takes the shared site.
 */
function decode(d: Dissector, p: Packet, offset: number, end: number): number {
  if (d === tcp) return tcp.decode(p, offset, end);
  if (d === ipv4) return ipv4.decode(p, offset, end);
  if (d === ethernet) return ethernet.decode(p, offset, end);
  if (d === udp) return udp.decode(p, offset, end);
  return d.decode(p, offset, end);
}

/** The registry last asked about, and whether it maps the straight path's keys to its dissectors. */
let checkedRegistry: Registry | null = null;
let straightPathOk = false;

/** True when `registry` hands Ethernet, EtherType 0x0800 and IP protocol 6 to our Ethernet, IPv4 and TCP. */
function takesStraightPath(registry: Registry): boolean {
  if (registry !== checkedRegistry) {
    checkedRegistry = registry;
    straightPathOk =
      registry.lookup(Table.LinkType, LinkType.Ethernet) === ethernet &&
      registry.lookup(Table.EtherType, EtherType.Ipv4) === ipv4 &&
      registry.lookup(Table.IpProto, IpProto.Tcp) === tcp;
  }
  return straightPathOk;
}

/**
 * Ethernet II → IPv4 without options, not a fragment → TCP, whole and well formed: the chain nearly
 * every packet of an Ethernet capture takes, decoded in one straight line on the fast path (no
 * table lookups, no hand-off loop). It fills the slot exactly as the chain of dissectors would
 * (the same ipv4Slot / tcpSlot / parseOptions; test/core/dissect/straight-path.test.ts compares
 * the two on every corpus frame). Anything else (a VLAN tag, IP options, a fragment, a length that
 * does not add up, a header cut short) returns false having written nothing, for the general loop.
 */
export function ethernetIpv4Tcp(p: Packet): boolean {
  const b = p.buf;
  const eth = p.start;
  const end = p.end;
  const ip = eth + 14;
  // 0x0800 and version 4 with a 20-byte header (0x45), protocol TCP; 14 + 20 + 20 bytes at least.
  if (end - eth < 54 || b[eth + 12] !== 0x08 || b[eth + 13] !== 0x00 || b[ip] !== 0x45 || b[ip + 9] !== IpProto.Tcp) return false;
  const totalLen = (b[ip + 2]! << 8) | b[ip + 3]!;
  // Not a fragment (MF clear, offset 0), and the datagram lies within both the captured bytes and
  // the wire length, so the general path's length rules all reduce to totalLen.
  if ((b[ip + 6]! & 0x3f) !== 0 || b[ip + 7] !== 0 || totalLen < 40 || totalLen > end - ip || totalLen > p.wirelen - 14) return false;
  const th = ip + 20;
  const hlen = (b[th + 12]! >> 4) * 4;
  if (hlen < 20 || hlen > totalLen - 20) return false;
  p.macDst = eth;
  p.macSrc = eth + 6;
  ipv4Slot(p, ip, 20, end - ip);
  tcpSlot(p, th);
  if (hlen > 20) parseOptions(p, th + 20, th + hlen);
  p.payloadOffset = th + hlen;
  p.payloadLength = totalLen - 20 - hlen;
  p.payloadWireLength = p.payloadLength;
  p.top = Proto.Tcp;
  return true;
}

function frameLayer(p: Packet): void {
  const t = p.tree!;
  const caplen = p.end - p.start;
  t.begin(
    'frame',
    `Frame ${p.number}: ${p.wirelen} bytes on wire (${p.wirelen * 8} bits), ${caplen} bytes captured (${caplen * 8} bits)`,
    1,
    0,
    caplen,
  );
  if (p.comments !== null) {
    for (const c of p.comments) t.add(frameFields.comment, c, 0, 0);
  }
  t.add(frameFields.interfaceId, p.iface, 0, 0);
  // tshark -V: "Encapsulation type: Ethernet (1)", then the arrival time in local time with its zone.
  const encap = encapsulationOf(p.linkType);
  t.add(frameFields.linkType, encap.value, 0, 0, `${encap.name} (${encap.value})`);
  t.add(frameFields.time, absTimeText(p.tsSec, p.tsNsec, 'local', true), 0, 0);
  t.add(frameFields.timeEpoch, epochText(p.tsSec, p.tsNsec), 0, 0, `${epochText(p.tsSec, p.tsNsec)} seconds`);
  const delta = timeDiffText(p.tsSec, p.tsNsec, p.prevSec, p.prevNsec);
  t.add(frameFields.timeDelta, delta, 0, 0, `${delta} seconds`);
  const rel = timeDiffText(p.tsSec, p.tsNsec, p.firstSec, p.firstNsec);
  t.add(frameFields.timeRelative, rel, 0, 0, `${rel} seconds`);
  t.add(frameFields.number, p.number, 0, 0);
  t.add(frameFields.len, p.wirelen, 0, 0, `${p.wirelen} bytes (${p.wirelen * 8} bits)`);
  t.add(frameFields.capLen, caplen, 0, 0, `${caplen} bytes (${caplen * 8} bits)`);
  if (caplen < p.wirelen) p.marks |= Mark.Truncated;
}

/** `1795391127.338403000`: seconds and nine digits of nanoseconds, as tshark prints abstime. */
export function epochText(sec: number, nsec: number): string {
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}

/** `a - b` as seconds with nine decimals, sign included. */
export function timeDiffText(aSec: number, aNsec: number, bSec: number, bNsec: number): string {
  let s = aSec - bSec;
  let n = aNsec - bNsec;
  if (n < 0) {
    s -= 1;
    n += 1e9;
  }
  if (s < 0) {
    // Negative differences: print -(b - a) so the fraction reads naturally.
    let ns = bSec - aSec;
    let nn = bNsec - aNsec;
    if (nn < 0) {
      ns -= 1;
      nn += 1e9;
    }
    return `-${ns}.${String(nn).padStart(9, '0')}`;
  }
  return `${s}.${String(n).padStart(9, '0')}`;
}
