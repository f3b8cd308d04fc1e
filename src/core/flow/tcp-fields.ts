// The TCP fields the flow stage adds to the tcp layer on the tree path (tshark's names, labels and
// `-T fields` formatting): stream index, relative numbers, scaled window, SEQ/ACK analysis.

import { field, fieldsText, uintDec, type FieldDef } from '../dissect/fields';
import type { Packet } from '../dissect/packet';
import type { FieldNode, Layer, TreeBuilder } from '../dissect/tree';
import { Analysis } from '../io/packet-index';
import type { SegmentAnalysis } from './tcp-analysis';

/** FT_NONE fields: tshark's `-T fields` prints `1` for a zero-length item. */
const none = (name: string, title: string): FieldDef => field(name, title, 'none');

export const tcpFlowFields = {
  seq: uintDec('tcp.seq', 'Sequence Number'),
  nxtseq: uintDec('tcp.nxtseq', 'Next Sequence Number'),
  ack: uintDec('tcp.ack', 'Acknowledgment Number'),
  windowSize: uintDec('tcp.window_size', 'Calculated window size'),
  windowScale: field('tcp.window_size_scalefactor', 'Window size scaling factor', 'int'),
  analysis: none('tcp.analysis', 'SEQ/ACK analysis'),
  acksFrame: field('tcp.analysis.acks_frame', 'This is an ACK to the segment in frame', 'framenum'),
  reassembledIn: field('tcp.reassembled_in', 'Reassembled PDU in frame', 'framenum'),
  segments: field('tcp.segments', 'Reassembled TCP Segments', 'none'),
  segment: field('tcp.segment', 'TCP Segment', 'framenum'),
  segmentCount: uintDec('tcp.segment.count', 'Segment count'),
  reassembledLength: uintDec('tcp.reassembled.length', 'Reassembled TCP length'),
  ackRtt: field('tcp.analysis.ack_rtt', 'The RTT to ACK the segment was', 'reltime'),
  initialRtt: field('tcp.analysis.initial_rtt', 'iRTT', 'reltime'),
  flags: none('tcp.analysis.flags', 'TCP Analysis Flags'),
  retransmission: none('tcp.analysis.retransmission', 'This frame is a (suspected) retransmission'),
  fastRetransmission: none('tcp.analysis.fast_retransmission', 'This frame is a (suspected) fast retransmission'),
  spuriousRetransmission: none('tcp.analysis.spurious_retransmission', 'This frame is a (suspected) spurious retransmission'),
  outOfOrder: none('tcp.analysis.out_of_order', 'This frame is a (suspected) out-of-order segment'),
  reusedPorts: none('tcp.analysis.reused_ports', 'A new tcp session is started with the same ports as an earlier session in this trace'),
  lostSegment: none('tcp.analysis.lost_segment', 'Previous segment(s) not captured (common at capture start)'),
  ackLostSegment: none('tcp.analysis.ack_lost_segment', "ACKed segment that wasn't captured (common at capture start)"),
  windowUpdate: none('tcp.analysis.window_update', 'TCP window update'),
  windowFull: none('tcp.analysis.window_full', 'TCP window specified by the receiver is now completely full'),
  keepAlive: none('tcp.analysis.keep_alive', 'TCP keep-alive segment'),
  keepAliveAck: none('tcp.analysis.keep_alive_ack', 'ACK to a TCP keep-alive segment'),
  duplicateAck: none('tcp.analysis.duplicate_ack', 'Duplicate ACK'),
  duplicateAckNum: uintDec('tcp.analysis.duplicate_ack_num', 'Duplicate ACK #'),
  duplicateAckFrame: field('tcp.analysis.duplicate_ack_frame', 'Duplicate to the ACK in frame', 'framenum'),
  zeroWindowProbe: none('tcp.analysis.zero_window_probe', 'TCP Zero Window Probe'),
  zeroWindow: none('tcp.analysis.zero_window', 'TCP Zero Window segment'),
  zeroWindowProbeAck: none('tcp.analysis.zero_window_probe_ack', 'ACK to a TCP Zero Window Probe'),
};

/** `0.000073000`: FT_RELATIVE_TIME as `-T fields` prints it (seconds, 9 decimals, exact from ns). */
export function relativeTime(ns: number): string {
  const neg = ns < 0;
  const abs = Math.round(Math.abs(ns));
  const sec = Math.floor(abs / 1e9);
  const frac = abs - sec * 1e9;
  return `${neg ? '-' : ''}${sec}.${String(frac).padStart(9, '0')}`;
}

/** What the tree needs beyond the packet slot. */
export interface TcpTreeInfo {
  /** tshark knew the segment length (the IP length covered the TCP header). */
  haveSeglen: boolean;
  /** Header length ≥ 20: tshark adds nxtseq, ack, window and the analysis. */
  headerOk: boolean;
  /** Window shift of the sender: −1 unknown, −2 none, else the shift. */
  winScale: number;
  /** Initial RTT of the connection in ns (0: not known yet). */
  initialRttNs: number;
  /** Receiver's base sequence number, for relative SACK edges. */
  sackBase: number;
}

/** Adds tcp.seq … SEQ/ACK analysis to the packet's tcp layer (tree path only). */
export function addTcpFlowTree(t: TreeBuilder, layer: Layer, p: Packet, ta: SegmentAnalysis, info: TcpTreeInfo): void {
  const F = tcpFlowFields;
  const off = p.l4Offset;
  t.resume(layer);
  const seqNode = t.add(F.seq, p.tcpRelSeq, off + 4, 4, `${p.tcpRelSeq}    (relative sequence number)`);
  moveAfter(layer, seqNode, 'tcp.len');
  if (!info.headerOk) return;
  let last: FieldNode = seqNode;
  if (info.haveSeglen) {
    last = t.add(F.nxtseq, p.tcpNextSeq, off, 0, `${p.tcpNextSeq}    (relative sequence number)`);
    moveAfter(layer, last, 'tcp.seq_raw');
  }
  const ackText = (p.tcpFlags & 0x010) !== 0 ? `${p.tcpRelAck}    (relative ack number)` : String(p.tcpRelAck);
  const ackNode = t.add(F.ack, p.tcpRelAck, off + 8, 4, ackText);
  moveAfter(layer, ackNode, last.name);
  const win = t.add(F.windowSize, p.tcpWindowScaled, off + 14, 2);
  moveAfter(layer, win, 'tcp.window_size_value');
  if ((p.tcpFlags & 0x002) === 0) {
    const s = info.winScale;
    const shown = s === -1 ? '-1 (unknown)' : s === -2 ? '-2 (no window scaling used)' : String(1 << s);
    const scale = t.add(F.windowScale, s >= 0 ? 1 << s : s, off + 14, 2, shown);
    moveAfter(layer, scale, 'tcp.window_size');
  }
  if (p.tcpSackCount > 0) relativeSack(layer.fields, info.sackBase);
  if (ta.present) analysisTree(t, ta, info.initialRttNs);
}

/**
 * "[Reassembled PDU in frame: N]" after the TCP payload of a segment whose PDU a later packet
 * completed (packet-tcp.c's hf_tcp_reassembled_in, known from a first pass: LaterFrames).
 */
export function addReassembledIn(t: TreeBuilder, layer: Layer, frame: number): void {
  t.resume(layer);
  const node = t.addLabelled(tcpFlowFields.reassembledIn, frame, layer.start, 0, `[Reassembled PDU in frame: ${frame}]`);
  moveAfter(layer, node, 'tcp.payload');
}

/**
 * "[3 Reassembled TCP Segments (4030 bytes): #6(1351), #7(1440), #9(1239)]" on the packet that
 * completes a PDU carried by several segments (`segments`: row, bytes… in stream order), with a
 * link to each (packet-tcp.c's tcp_segments tree).
 */
export function addReassembledSegments(layer: Layer, segments: readonly number[]): void {
  const F = tcpFlowFields;
  const count = segments.length / 2;
  let total = 0;
  const list: string[] = [];
  for (let i = 0; i < segments.length; i += 2) {
    total += segments[i + 1]!;
    list.push(`#${segments[i]! + 1}(${segments[i + 1]!})`);
  }
  // Built beside the tree builder, which a parser may be using on its own layer meanwhile.
  const node = (def: FieldDef, value: number, label: string, children: FieldNode[] | null = null): FieldNode => ({
    name: def.name,
    label,
    value,
    text: fieldsText(def, value),
    start: layer.start,
    length: 0,
    source: layer.source,
    children,
  });
  const children: FieldNode[] = [];
  let at = 0;
  for (let i = 0; i < segments.length; i += 2) {
    const n = segments[i + 1]!;
    const frame = segments[i]! + 1;
    children.push(node(F.segment, frame, n === 0 ? `[Frame: ${frame} (no data)]` : `[Frame: ${frame}, payload: ${at}-${at + n - 1} (${n} bytes)]`));
    at += n;
  }
  children.push(node(F.segmentCount, count, `[Segment count: ${count}]`), node(F.reassembledLength, total, `[Reassembled TCP length: ${total}]`));
  layer.fields.push(node(F.segments, 1, `[${count} Reassembled TCP Segments (${total} bytes): ${list.join(', ')}]`, children));
}

function analysisTree(t: TreeBuilder, ta: SegmentAnalysis, initialRttNs: number): void {
  const F = tcpFlowFields;
  t.open(F.analysis, 1, 0, 0, '');
  if (ta.ackedFrame !== 0) {
    t.add(F.acksFrame, ta.ackedFrame, 0, 0);
    if (ta.ackRttNs !== 0) t.add(F.ackRtt, relativeTime(ta.ackRttNs), 0, 0, `${relativeTime(ta.ackRttNs)} seconds`);
  }
  if (initialRttNs !== 0) t.add(F.initialRtt, relativeTime(initialRttNs), 0, 0, `${relativeTime(initialRttNs)} seconds`);
  const f = ta.flags;
  if (f !== 0) {
    t.open(F.flags, 1, 0, 0, '');
    if (f & Analysis.ReusedPorts) expert(t, F.reusedPorts, 'Note');
    if (f & Analysis.Retransmission) expert(t, F.retransmission, 'Note');
    if (f & Analysis.FastRetransmission) {
      expert(t, F.fastRetransmission, 'Note');
      expert(t, F.retransmission, 'Note');
    }
    if (f & Analysis.SpuriousRetransmission) {
      expert(t, F.spuriousRetransmission, 'Note');
      expert(t, F.retransmission, 'Note');
    }
    if (f & Analysis.OutOfOrder) expert(t, F.outOfOrder, 'Warning');
    if (f & Analysis.LostSegment) expert(t, F.lostSegment, 'Warning');
    if (f & Analysis.AckLostSegment) expert(t, F.ackLostSegment, 'Warning');
    if (f & Analysis.WindowUpdate) expert(t, F.windowUpdate, 'Chat');
    if (f & Analysis.WindowFull) expert(t, F.windowFull, 'Warning');
    if (f & Analysis.KeepAlive) expert(t, F.keepAlive, 'Note');
    if (f & Analysis.KeepAliveAck) expert(t, F.keepAliveAck, 'Note');
    if (ta.dupAckNum !== 0 && (f & Analysis.DuplicateAck) !== 0) {
      t.add(F.duplicateAck, 1, 0, 0, '').label = 'This is a TCP duplicate ack';
    }
    if (f & Analysis.ZeroWindowProbe) expert(t, F.zeroWindowProbe, 'Note');
    if (f & Analysis.ZeroWindow) expert(t, F.zeroWindow, 'Warning');
    if (f & Analysis.ZeroWindowProbeAck) expert(t, F.zeroWindowProbeAck, 'Note');
    t.close();
    if (ta.dupAckNum !== 0) {
      // tshark puts the number and frame beside the flags, and the expert item on the frame.
      t.add(F.duplicateAckNum, ta.dupAckNum, 0, 0);
      t.open(F.duplicateAckFrame, ta.dupAckFrame, 0, 0);
      t.add(F.duplicateAck, 1, 0, 0, '').label = `Expert Info (Note/Sequence): Duplicate ACK (#${ta.dupAckNum})`;
      t.close();
    }
  }
  t.close();
}

function expert(t: TreeBuilder, def: FieldDef, severity: string): void {
  t.add(def, 1, 0, 0, '').label = `Expert Info (${severity}/Sequence): ${def.title}`;
}

/** tshark shows SACK edges relative to the receiver's base sequence number. */
function relativeSack(nodes: FieldNode[], base: number): void {
  for (const n of nodes) {
    if ((n.name === 'tcp.options.sack_le' || n.name === 'tcp.options.sack_re') && typeof n.value === 'number') {
      const rel = (n.value - base) >>> 0;
      n.value = rel;
      n.text = String(rel);
      n.label = `${n.name === 'tcp.options.sack_le' ? 'left edge' : 'right edge'} = ${rel} (relative)`;
    }
    if (n.children !== null) relativeSack(n.children, base);
  }
}

/** Moves `node` (just appended at the layer's top level) to sit after the node named `after`. */
function moveAfter(layer: Layer, node: FieldNode, after: string): void {
  const list = layer.fields;
  if (list[list.length - 1] !== node) return;
  const at = list.findIndex((n) => n.name === after);
  if (at < 0 || at === list.length - 2) return;
  list.pop();
  list.splice(at + 1, 0, node);
}
