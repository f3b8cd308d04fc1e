// Packet-list rows for the UI: columns from the index, Info made on demand for the rows shown,
// custom columns (any field) from the rows' replayed trees.

import { dissect } from '../dissect/dissect';
import { Expert } from '../dissect/expert';
import { Defragmenter } from '../dissect/ip-defrag';
import { Mark, Packet, Proto, protoColumnNames } from '../dissect/packet';
import { walkFields, type Layer } from '../dissect/tree';
import { timeDigits } from '../engine/columns';
import { infoText } from '../engine/summary';
import { readsLaterFrames } from '../flow/later-frames';
import { replayTrees } from '../filter/replay-trees';
import { AddressKind } from '../io/address-table';
import type { AppParserFactory } from '../flow/app-parser';
import type { CaptureSession } from './session';
import type { PacketRow, RowColour } from './dto';

const DUPLICATE_ACK = Expert['tcp.analysis.duplicate_ack']!;
const SYN = 0x002;
const FIN = 0x001;
const RST = 0x004;

/** Bits of the analysis column that Wireshark colours as "Bad TCP". */
const BAD_TCP_MASK = 0x1f | 0x40 | 0x80 | 0x100;

/** Custom columns a rows request may ask for at once. */
export const MAX_CUSTOM_COLUMNS = 16;

/**
 * Re-dissects rows one at a time on the fast path, as the whole-file pass saw them: fragments are
 * held until their datagram is complete (the packet that completed one sees the whole datagram),
 * TCP numbers are relative to what the connection learned.
 */
export class RowDecoder {
  readonly p = new Packet();
  private readonly defrag = new Defragmenter();

  constructor(private readonly session: CaptureSession) {
    this.p.registry = session.analyzer.registry;
    this.p.defrag = this.defrag;
  }

  /** Decodes `row` into `this.p` and returns its Info text. */
  decode(row: number): string {
    const s = this.session;
    const index = s.analyzer.index;
    const p = this.p;
    this.defrag.clear();
    const fragments = index.fragmentRows.get(row);
    if (fragments !== undefined) for (const f of fragments) this.dissectRow(f);
    this.dissectRow(row);
    if (p.l4 === 6) {
      relativeNumbers(s, p, row);
      // The analysis the whole-file pass made, for tshark's Info prefixes.
      p.analysis = index.analysis(row);
      const dup = index.expert.find(row, DUPLICATE_ACK);
      if (dup !== null) {
        p.tcpDupAckNum = dup.a;
        p.tcpDupAckFrame = dup.b;
      }
    }
    const app = index.infoText.get(row);
    if (app !== undefined) p.appInfo = app;
    let info = infoText(p);
    // Wireshark's second pass names the frame that completed a fragment's datagram.
    const completedIn = index.reassembledIn.get(row);
    if (completedIn !== undefined && p.l4 === 0 && (p.marks & Mark.Fragment) !== 0) info += ` [Reassembled in #${completedIn + 1}]`;
    return info;
  }

  private dissectRow(row: number): void {
    const s = this.session;
    const index = s.analyzer.index;
    const bytes = s.bytes(row);
    const p = this.p;
    p.reset(bytes, 0, bytes.length, index.wirelen(row), s.analyzer.interfaces[index.iface(row)]?.linkType ?? -1);
    p.number = row + 1;
    p.tree = null;
    dissect(p, s.analyzer.registry);
  }
}

export function buildRows(session: CaptureSession, start: number, count: number): PacketRow[] {
  const a = session.analyzer;
  const index = a.index;
  const total = session.displayedCount;
  const end = Math.min(total, start + count);
  const rows: PacketRow[] = [];
  const decoder = new RowDecoder(session);
  const p = decoder.p;
  for (let i = start; i < end; i++) {
    const row = session.displayedRow(i);
    const ignored = session.ignored.has(row);
    // An ignored packet is not dissected (packet-frame.c): its list row says so and nothing more.
    const info = ignored ? '<Ignored>' : decoder.decode(row);
    const proto = index.proto(row);
    const app = index.infoText.get(row);
    const src = index.src(row);
    const ref = session.timeReferenceOf(row);
    const prevDisplayed = session.previousDisplayed(row);
    const kind = a.addresses.kind(src);
    rows.push({
      number: row + 1,
      time: seconds(session, row, ref),
      source: ignored ? '' : a.addresses.text(src),
      destination: ignored ? '' : a.addresses.text(index.dst(row)),
      protocol: ignored ? '' : (protoColumnNames[proto] ?? ''),
      length: index.wirelen(row),
      info,
      colour: colourOf(proto, index.marks(row), index.tcpFlags(row), index.analysis(row), app),
      conversation: index.stream(row),
      comment: session.comments(row).length > 0,
      epochSec: index.tsSec(row),
      epochNsec: index.tsNsec(row),
      precision: timeDigits(a.interfaces[index.iface(row)]?.tsUnitsPerSecond ?? 1e6),
      delta: row > 0 ? seconds(session, row, row - 1) : 0,
      deltaDisplayed: prevDisplayed >= 0 ? seconds(session, row, prevDisplayed) : 0,
      timeRef: session.timeRefs.includes(row),
      marked: session.marked.has(row),
      ignored,
      addressField: ignored ? '' : kind === AddressKind.Ipv4 ? 'ip' : kind === AddressKind.Ipv6 ? 'ipv6' : kind === AddressKind.Mac ? 'eth' : '',
      transport: ignored ? '' : p.l4 === 6 ? 'tcp' : p.l4 === 17 ? 'udp' : '',
      srcPort: !ignored && (p.l4 === 6 || p.l4 === 17) ? p.srcPort : 0,
      dstPort: !ignored && (p.l4 === 6 || p.l4 === 17) ? p.dstPort : 0,
    });
  }
  return rows;
}

/** Seconds from row `from` to row `row` (negative when `from` is later). */
function seconds(session: CaptureSession, row: number, from: number): number {
  const index = session.analyzer.index;
  return index.tsSec(row) - index.tsSec(from) + (index.tsNsec(row) - index.tsNsec(from)) / 1e9;
}

/**
 * Custom column values for rows: each field's occurrences as tshark -T fields prints them (joined
 * by ','), '' where the packet has none. Trees come from replaying each row's conversation up to it.
 */
export async function customColumns(
  session: CaptureSession,
  rows: readonly number[],
  fields: readonly string[],
  appFactories: readonly AppParserFactory[],
): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (rows.length === 0 || fields.length === 0) return out;
  const wanted = Int32Array.from(new Set(rows)).sort();
  const a = session.analyzer;
  const src = session.replaySource();
  const provider = replayTrees(src, a.flows.store, { appFactories });
  await provider(wanted, (row, tree) => out.set(row, fieldValues(tree.layers, fields)), { laterFrames: readsLaterFrames(fields) });
  return out;
}

/** Occurrences of each field in a tree, as -T fields with the ',' aggregator prints them. */
export function fieldValues(layers: readonly Layer[], fields: readonly string[]): string[] {
  const values: string[][] = fields.map(() => []);
  const at = new Map<string, number[]>();
  fields.forEach((f, i) => at.set(f, [...(at.get(f) ?? []), i]));
  for (const layer of layers) {
    // A protocol as a column shows its name where present (Wireshark's protocol custom column).
    for (const i of at.get(layer.protocol) ?? []) if (values[i]!.length === 0) values[i]!.push(layer.protocol);
  }
  for (const node of walkFields(layers)) {
    const list = at.get(node.name);
    if (list !== undefined) for (const i of list) values[i]!.push(node.text);
  }
  return values.map((v) => v.join(','));
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
  if (proto === Proto.Http || proto === Proto.Http2) return 'http';
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
