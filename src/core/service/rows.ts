// Packet-list rows for the UI: columns from the index, Info made on demand for the rows shown.

import { dissect } from '../dissect/dissect';
import { Defragmenter } from '../dissect/ip-defrag';
import { Mark, Packet, Proto, protoColumnNames } from '../dissect/packet';
import { infoText } from '../engine/summary';
import type { CaptureSession } from './session';
import type { PacketRow, RowColour } from './dto';

const SYN = 0x002;
const FIN = 0x001;
const RST = 0x004;

/** Bits of the analysis column that Wireshark colours as "Bad TCP". */
const BAD_TCP_MASK = 0x1f | 0x40 | 0x80 | 0x100;

export function buildRows(session: CaptureSession, start: number, count: number): PacketRow[] {
  const index = session.analyzer.index;
  const total = session.displayedCount;
  const end = Math.min(total, start + count);
  const rows: PacketRow[] = [];
  const p = new Packet();
  p.registry = session.analyzer.registry;
  // Fragments are decoded as in the full pass: held until their datagram is complete, and the
  // packet that completed one sees the whole datagram (its fragments are fed first).
  const defrag = new Defragmenter();
  p.defrag = defrag;
  for (let i = start; i < end; i++) {
    const row = session.displayedRow(i);
    defrag.clear();
    const fragments = index.fragmentRows.get(row);
    if (fragments !== undefined) for (const f of fragments) decode(session, p, f);
    decode(session, p, row);
    if (p.l4 === 6) relativeNumbers(session, p, row);
    const app = index.infoText.get(row);
    if (app !== undefined) p.appInfo = app;
    let info = infoText(p);
    // Wireshark's second pass names the frame that completed a fragment's datagram.
    const completedIn = index.reassembledIn.get(row);
    if (completedIn !== undefined && p.l4 === 0 && (p.marks & Mark.Fragment) !== 0) info += ` [Reassembled in #${completedIn + 1}]`;
    const proto = index.proto(row);
    rows.push({
      number: row + 1,
      time: index.relativeTime(row),
      source: session.analyzer.addresses.text(index.src(row)),
      destination: session.analyzer.addresses.text(index.dst(row)),
      protocol: protoColumnNames[proto] ?? '',
      length: index.wirelen(row),
      info,
      colour: colourOf(proto, index.marks(row), index.tcpFlags(row), index.analysis(row), app),
      conversation: index.stream(row),
      comment: session.comments(row).length > 0,
    });
  }
  return rows;
}

/** Re-dissects one row (fast path) into `p`. */
function decode(session: CaptureSession, p: Packet, row: number): void {
  const index = session.analyzer.index;
  const bytes = session.bytes(row);
  p.reset(bytes, 0, bytes.length, index.wirelen(row), session.analyzer.interfaces[index.iface(row)]?.linkType ?? -1);
  p.number = row + 1;
  p.tree = null;
  dissect(p, session.analyzer.registry);
}

/**
 * Relative sequence/acknowledgment numbers and the scaled window for a TCP packet shown alone,
 * from what its connection learned in the full pass (the same bases tshark's Info uses).
 */
function relativeNumbers(session: CaptureSession, p: Packet, row: number): void {
  const index = session.analyzer.index;
  const flows = session.analyzer.flows;
  const id = index.stream(row);
  if (id < 0 || id >= flows.store.count) return;
  const s = index.src(row) === flows.store.addrA(id) && p.srcPort === flows.store.portA(id) ? 0 : 1;
  const fwd = flows.tcpBase(id, s);
  const rev = flows.tcpBase(id, 1 - s);
  if (fwd === null || rev === null) return;
  if (fwd.baseSeq !== null) p.tcpRelSeq = (p.tcpSeq - fwd.baseSeq) >>> 0;
  if (rev.baseSeq !== null && (p.tcpFlags & 0x010) !== 0) p.tcpRelAck = (p.tcpAck - rev.baseSeq) >>> 0;
  p.tcpWindowScaled = (p.tcpFlags & SYN) === 0 && fwd.winScale >= 0 ? (p.tcpWindow << fwd.winScale) >>> 0 : p.tcpWindow;
}

export function colourOf(proto: number, marks: number, tcpFlags: number, analysis: number, appInfo: string | undefined): RowColour {
  if ((marks & Mark.Malformed) !== 0) return 'malformed';
  if (proto === Proto.Tcp || proto >= Proto.Tls10 || proto === Proto.Tls || proto === Proto.Http) {
    if ((tcpFlags & RST) !== 0) return 'rst';
    if ((analysis & BAD_TCP_MASK) !== 0) return 'tcp-bad';
    if ((tcpFlags & SYN) !== 0) return 'syn';
    if ((tcpFlags & FIN) !== 0) return 'fin';
  }
  if (proto === Proto.Http) return 'http';
  if (proto === Proto.Tls || (proto >= Proto.Tls10 && proto <= Proto.Ssl2)) {
    if (appInfo !== undefined && appInfo.includes('Alert')) return 'tls-alert';
    if (appInfo !== undefined && /Hello|Certificate|Key Exchange|Finished|Change Cipher Spec/.test(appInfo)) return 'tls-handshake';
    return 'tls';
  }
  if (proto === Proto.Udp || proto === Proto.Vxlan) return 'udp';
  if (proto === Proto.Icmp || proto === Proto.Icmpv6) return 'icmp';
  if (proto === Proto.Arp) return 'arp';
  return 'default';
}
