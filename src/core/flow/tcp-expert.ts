// TCP's expert information as packet-tcp.c raises it: the connection events (SYN, SYN/ACK, FIN with
// who initiates the close, RST) and one item per tcp.analysis flag, in tshark's words and order.

import { Expert } from '../dissect/expert';
import type { Packet } from '../dissect/packet';
import { Analysis } from '../io/packet-index';
import type { SegmentAnalysis } from './tcp-analysis';

const FIN = 0x001;
const SYN = 0x002;
const RST = 0x004;
const ACK = 0x010;

/** Per connection: which end sent a FIN first (tshark's closing_initiator, per direction). */
export interface ClosingState {
  closingInitiator: [boolean, boolean];
}

/**
 * Adds the items of the segment in `p` (from end `s`, 0 = A) to its expert slot: flags first, then
 * the analysis as tcp_print_sequence_number_analysis prints it.
 */
export function tcpExpert(p: Packet, conn: ClosingState, s: number, ta: SegmentAnalysis): void {
  const e = p.expert;
  const flags = p.tcpFlags;
  if ((flags & ACK) === 0 && p.tcpAck !== 0) e.add(Expert['tcp.ack.nonzero']!);
  if ((flags & SYN) !== 0) {
    if ((flags & ACK) !== 0) e.add(Expert['tcp.connection.synack']!, p.srcPort);
    else e.add(Expert['tcp.connection.syn']!, p.dstPort);
  }
  if ((flags & FIN) !== 0) {
    e.add(Expert['tcp.connection.fin']!);
    // The first end to send a FIN initiates the close (each of its FINs says so); the other's undergo it.
    if (conn.closingInitiator[1 - s]) e.add(Expert['tcp.connection.fin_passive']!);
    else {
      conn.closingInitiator[s] = true;
      e.add(Expert['tcp.connection.fin_active']!);
    }
  }
  if ((flags & RST) !== 0) e.add(Expert['tcp.connection.rst']!);
  if (!ta.present) return;
  const a = ta.flags;
  if (a === 0) return;
  if ((a & Analysis.ReusedPorts) !== 0) e.add(Expert['tcp.analysis.reused_ports']!);
  if ((a & Analysis.Retransmission) !== 0) e.add(Expert['tcp.analysis.retransmission']!);
  if ((a & Analysis.FastRetransmission) !== 0) {
    e.add(Expert['tcp.analysis.fast_retransmission']!);
    e.add(Expert['tcp.analysis.retransmission']!);
  }
  if ((a & Analysis.SpuriousRetransmission) !== 0) {
    e.add(Expert['tcp.analysis.spurious_retransmission']!);
    e.add(Expert['tcp.analysis.retransmission']!);
  }
  if ((a & Analysis.OutOfOrder) !== 0) e.add(Expert['tcp.analysis.out_of_order']!);
  if ((a & Analysis.LostSegment) !== 0) e.add(Expert['tcp.analysis.lost_segment']!);
  if ((a & Analysis.AckLostSegment) !== 0) e.add(Expert['tcp.analysis.ack_lost_segment']!);
  if ((a & Analysis.WindowUpdate) !== 0) e.add(Expert['tcp.analysis.window_update']!);
  if ((a & Analysis.WindowFull) !== 0) e.add(Expert['tcp.analysis.window_full']!);
  if ((a & Analysis.KeepAlive) !== 0) e.add(Expert['tcp.analysis.keep_alive']!);
  if ((a & Analysis.KeepAliveAck) !== 0) e.add(Expert['tcp.analysis.keep_alive_ack']!);
  if (ta.dupAckNum !== 0) e.add(Expert['tcp.analysis.duplicate_ack']!, ta.dupAckNum, ta.dupAckFrame);
  if ((a & Analysis.ZeroWindowProbe) !== 0) e.add(Expert['tcp.analysis.zero_window_probe']!);
  if ((a & Analysis.ZeroWindow) !== 0) e.add(Expert['tcp.analysis.zero_window']!);
  if ((a & Analysis.ZeroWindowProbeAck) !== 0) e.add(Expert['tcp.analysis.zero_window_probe_ack']!);
}

/**
 * The analysis prefixes tshark puts before a TCP packet's Info (col_prepend_fence_fstr: each one
 * goes in front of those printed before it, so the last printed comes first).
 */
export function analysisPrefix(analysis: number, dupAckFrame: number, dupAckNum: number): string {
  if (analysis === 0) return '';
  const printed: string[] = [];
  if ((analysis & Analysis.ReusedPorts) !== 0) printed.push('[TCP Port numbers reused] ');
  if ((analysis & Analysis.Retransmission) !== 0) printed.push('[TCP Retransmission] ');
  if ((analysis & Analysis.FastRetransmission) !== 0) printed.push('[TCP Fast Retransmission] ');
  if ((analysis & Analysis.SpuriousRetransmission) !== 0) printed.push('[TCP Spurious Retransmission] ');
  if ((analysis & Analysis.OutOfOrder) !== 0) printed.push('[TCP Out-Of-Order] ');
  if ((analysis & Analysis.LostSegment) !== 0) printed.push('[TCP Previous segment not captured] ');
  if ((analysis & Analysis.AckLostSegment) !== 0) printed.push('[TCP ACKed unseen segment] ');
  if ((analysis & Analysis.WindowUpdate) !== 0) printed.push('[TCP Window Update] ');
  if ((analysis & Analysis.WindowFull) !== 0) printed.push('[TCP Window Full] ');
  if ((analysis & Analysis.KeepAlive) !== 0) printed.push('[TCP Keep-Alive] ');
  if ((analysis & Analysis.KeepAliveAck) !== 0) printed.push('[TCP Keep-Alive ACK] ');
  if ((analysis & Analysis.DuplicateAck) !== 0 && dupAckNum !== 0) printed.push(`[TCP Dup ACK ${dupAckFrame}#${dupAckNum}] `);
  if ((analysis & Analysis.ZeroWindowProbe) !== 0) printed.push('[TCP ZeroWindowProbe] ');
  if ((analysis & Analysis.ZeroWindow) !== 0) printed.push('[TCP ZeroWindow] ');
  if ((analysis & Analysis.ZeroWindowProbeAck) !== 0) printed.push('[TCP ZeroWindowProbeAck] ');
  let out = '';
  for (let i = printed.length - 1; i >= 0; i--) out += printed[i]!;
  return out;
}
