// TCP sequence analysis with tshark 4.0's meaning (its tcp_analyze_sequence_number): relative
// sequence numbers, window scaling, RTTs and the tcp.analysis.* flags, per direction of a
// connection, in preallocated objects.

import { Analysis } from '../io/packet-index';

const FIN = 0x001;
const SYN = 0x002;
const RST = 0x004;
const ACK = 0x010;

/** tshark stops remembering unacknowledged segments beyond this many (TCP_MAX_UNACKED_SEGMENTS). */
export const MAX_UNACKED_SEGMENTS = 10000;

/** Out-of-order threshold before the initial RTT is known (tshark: 3 ms). */
const OOO_DEFAULT_NS = 3_000_000;
/** A fast retransmission follows the last duplicate ACK within 20 ms (tshark). */
const FAST_RETRANSMISSION_NS = 20_000_000;

/** tshark's "−1" in its unsigned duplicate-ACK counter. */
const STALLED = 0xffffffff;

/** Sequence-space comparisons modulo 2^32 (RFC 9293 §3.4). */
const gtSeq = (a: number, b: number): boolean => ((a - b) | 0) > 0;
const ltSeq = (a: number, b: number): boolean => ((a - b) | 0) < 0;
const leSeq = (a: number, b: number): boolean => ((a - b) | 0) <= 0;

/** Nanoseconds from (bSec, bNsec) to (aSec, aNsec); exact below 2^53 ns (104 days). */
export function nsBetween(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return (aSec - bSec) * 1e9 + (aNsec - bNsec);
}

/** What tshark keeps about one sender (its tcp_flow_t with tcp_analyze_seq_info). */
export class TcpFlow {
  /** Relative numbers count from here: the SYN's sequence number, else first seq − 1 or ack − 1. */
  baseSeq = 0;
  baseSeqSet = false;
  /** Window shift: −1 unknown (no SYN seen), −2 no scaling, else the shift this sender's windows use. */
  winScale = -1;
  /** Last raw window advertised by this sender. */
  window = 0xffffffff;
  /** Set by a SYN, cleared by the first pure ACK: windows before it are not scaled for "window full". */
  isFirstAck = false;
  /** Highest next sequence number sent (raw; 0 means none yet, as in tshark). */
  nextSeq = 0;
  nextSeqFrame = 0;
  nextSeqSec = 0;
  nextSeqNsec = 0;
  /** Highest contiguous sequence number the receiver should acknowledge (0: none). */
  maxSeqToBeAcked = 0;
  /** Last acknowledgment number this sender sent, and when. */
  lastAck = 0;
  lastAckSec = 0;
  lastAckNsec = 0;
  /**
   * Duplicate ACKs in a row. After an "ACKed unseen segment" with stalled ACKs tshark stores −1 in
   * this unsigned counter, i.e. 2^32 − 1, which then also counts as "≥ 2 duplicate ACKs" for the
   * fast-retransmission test; we keep that meaning.
   */
  dupAckNum = 0;
  lastNonDupAck = 0;
  /** Analysis flags of this sender's last segment. */
  lastSegmentFlags = 0;
  /** Bytes in flight can be computed (tshark's valid_bif). */
  validBif = true;
  /** Segments sent and not yet acknowledged, oldest first. */
  segCount = 0;
  /**
   * Their frame, seq, nextseq, seconds and nanoseconds, SEG_FIELDS numbers per segment, in a plain
   * array of doubles that only grows (cheaper to create than a typed array for the many short
   * connections that need a few slots).
   */
  readonly seg: number[] = [];

  /** Drops the segment list's storage when nothing is unacknowledged (the connection closed). */
  compact(): void {
    if (this.segCount === 0 && this.seg.length > 0) this.seg.length = 0;
  }

  /** Appends an unacknowledged segment. */
  pushSegment(frame: number, seq: number, next: number, sec: number, nsec: number): void {
    const seg = this.seg;
    const at = this.segCount * SEG_FIELDS;
    if (at === seg.length) {
      seg.push(frame, seq, next, sec, nsec);
    } else {
      seg[at] = frame;
      seg[at + 1] = seq;
      seg[at + 2] = next;
      seg[at + 3] = sec;
      seg[at + 4] = nsec;
    }
    this.segCount++;
  }
}

/** Numbers kept per unacknowledged segment: frame, seq, nextseq, seconds, nanoseconds. */
export const SEG_FIELDS = 5;

/** tshark's per-packet "tcp_acked": what the SEQ/ACK analysis subtree shows. */
export class SegmentAnalysis {
  /** tshark creates the analysis for this packet (and so prints the tcp.analysis subtree). */
  present = false;
  /** Analysis bits (io/packet-index Analysis). */
  flags = 0;
  /** Frame this packet acknowledges exactly (tcp.analysis.acks_frame), 0 when none. */
  ackedFrame = 0;
  /** Time since that frame (tcp.analysis.ack_rtt), in ns. */
  ackRttNs = 0;
  dupAckNum = 0;
  dupAckFrame = 0;

  clear(): void {
    this.present = false;
    this.flags = 0;
    this.ackedFrame = 0;
    this.ackRttNs = 0;
    this.dupAckNum = 0;
    this.dupAckFrame = 0;
  }

  flag(bit: number): void {
    this.present = true;
    this.flags |= bit;
  }
}

/** Connection-wide analysis state (tshark's tcp_analysis, less the two flows). */
export class TcpAnalysisState {
  /** Time of the most recent pure SYN (both 0: none, as tshark's nstime_is_zero). */
  mruSynSec = 0;
  mruSynNsec = 0;
  /** Initial RTT, SYN → the ACK completing the handshake, in ns (0: not known yet). */
  firstRttNs = 0;
}

/**
 * Analyses one segment from `fwd` (sender) to `rev` (receiver), updating both. Checks run in
 * tshark's order: zero-window probe, zero window, lost segment, keep-alive, window update, window
 * full, keep-alive ACK, zero-window-probe ACK, duplicate ACK; then ACKed unseen segment; then
 * spurious / fast / out-of-order / plain retransmission; then bookkeeping and exact-ACK RTT.
 */
export function analyzeSegment(
  conn: TcpAnalysisState,
  fwd: TcpFlow,
  rev: TcpFlow,
  ta: SegmentAnalysis,
  frame: number,
  sec: number,
  nsec: number,
  seq: number,
  ack: number,
  seglen: number,
  flags: number,
  window: number,
): void {
  // Base sequence numbers: the SYN's, else one before the first byte seen (so it counts from 1).
  if (!fwd.baseSeqSet) {
    fwd.baseSeq = (flags & SYN) !== 0 ? seq : (seq - 1) >>> 0;
    fwd.baseSeqSet = true;
  }
  // The receiver's base comes from the first ACK (its ISN is ack − 1 as good as any guess).
  if (!rev.baseSeqSet && (flags & ACK) !== 0) {
    rev.baseSeq = (ack - 1) >>> 0;
    rev.baseSeqSet = true;
  }
  if ((flags & ACK) !== 0) rev.validBif = true;
  const noSfr = (flags & (SYN | FIN | RST)) === 0;

  detect: {
    // Zero-window probe: one byte at the next expected sequence while the peer's window is 0.
    if (seglen === 1 && seq === fwd.nextSeq && rev.window === 0) {
      ta.flag(Analysis.ZeroWindowProbe);
      break detect;
    }
    if (window === 0 && noSfr) ta.flag(Analysis.ZeroWindow);
    // Lost segment: this one starts beyond everything seen so far.
    if (fwd.nextSeq !== 0 && gtSeq(seq, fwd.nextSeq) && (flags & RST) === 0) {
      ta.flag(Analysis.LostSegment);
      fwd.validBif = false;
    }
    // Keep-alive: zero or one byte starting one before the next expected sequence number.
    if ((seglen === 0 || seglen === 1) && seq === ((fwd.nextSeq - 1) >>> 0) && noSfr) ta.flag(Analysis.KeepAlive);
    if (seglen === 0 && window !== 0 && window !== fwd.window && seq === fwd.nextSeq && ack === fwd.lastAck && noSfr) {
      ta.flag(Analysis.WindowUpdate);
    }
    if (seglen > 0 && rev.winScale !== -1 && noSfr) {
      const shift = rev.isFirstAck || rev.winScale === -2 ? 0 : rev.winScale;
      if (((seq + seglen) >>> 0) === ((rev.lastAck + ((rev.window << shift) >>> 0)) >>> 0)) ta.flag(Analysis.WindowFull);
    }
    const sameAck = seglen === 0 && window === fwd.window && seq === fwd.nextSeq && ack === fwd.lastAck && noSfr;
    if (sameAck && window !== 0 && (rev.lastSegmentFlags & Analysis.KeepAlive) !== 0) {
      ta.flag(Analysis.KeepAliveAck);
      break detect;
    }
    if (sameAck && window === 0 && (rev.lastSegmentFlags & Analysis.ZeroWindowProbe) !== 0) {
      ta.flag(Analysis.ZeroWindowProbeAck);
      break detect;
    }
    if (sameAck && window !== 0) {
      fwd.dupAckNum = fwd.dupAckNum === STALLED ? 1 : fwd.dupAckNum + 1;
      ta.flag(Analysis.DuplicateAck);
      ta.dupAckNum = fwd.dupAckNum;
      ta.dupAckFrame = fwd.lastNonDupAck;
    }
  }
  // A new acknowledgment number resets the duplicate-ACK count.
  if (ack !== fwd.lastAck) {
    fwd.lastNonDupAck = frame;
    fwd.dupAckNum = 0;
  }

  // ACKed unseen segment: this acknowledges beyond the highest contiguous sequence number the
  // other direction was seen to send. tshark 4.0 (as its output shows) reports it only while that
  // direction has unacknowledged segments, moves the bound to the highest sequence number seen,
  // and leaves the other direction's duplicate-ACK counter at "−1".
  if (rev.maxSeqToBeAcked !== 0 && gtSeq(ack, rev.maxSeqToBeAcked) && (flags & ACK) !== 0) {
    ta.present = true;
    if (rev.segCount > 0) ta.flags |= Analysis.AckLostSegment;
    rev.maxSeqToBeAcked = rev.nextSeq;
    rev.dupAckNum = STALLED;
  }

  if (seglen > 0 || (flags & (SYN | FIN)) !== 0) retransmission(conn, fwd, rev, ta, sec, nsec, seq, seglen, flags);

  let nextSeq = (seq + seglen) >>> 0;
  if ((seglen > 0 || (flags & (SYN | FIN)) !== 0) && fwd.segCount < MAX_UNACKED_SEGMENTS) {
    // SYN and FIN each occupy one sequence number.
    if ((flags & (SYN | FIN)) !== 0) nextSeq = (nextSeq + 1) >>> 0;
    fwd.pushSegment(frame, seq, nextSeq, sec, nsec);
  }
  const probe = ta.present && (ta.flags & Analysis.ZeroWindowProbe) !== 0;
  // Highest sequence seen, so a later segment beyond it shows a hole. Probes do not advance it.
  if ((gtSeq(nextSeq, fwd.nextSeq) || fwd.nextSeq === 0) && !probe) {
    fwd.nextSeq = nextSeq;
    fwd.nextSeqFrame = frame;
    fwd.nextSeqSec = sec;
    fwd.nextSeqNsec = nsec;
  }
  if ((seq === fwd.maxSeqToBeAcked || fwd.maxSeqToBeAcked === 0) && !probe) fwd.maxSeqToBeAcked = fwd.nextSeq;
  fwd.window = window;
  fwd.lastAck = ack;
  fwd.lastAckSec = sec;
  fwd.lastAckNsec = nsec;
  fwd.lastSegmentFlags = ta.present ? ta.flags : 0;

  // Drop what this acknowledges from the other direction; an exact match gives the ACK RTT.
  // tshark walks newest first and keeps the last exact match, i.e. the oldest one.
  const seg = rev.seg;
  if (rev.segCount > 0) {
    let w = 0;
    let matched = false;
    const end = rev.segCount * SEG_FIELDS;
    for (let i = 0; i < end; i += SEG_FIELDS) {
      const next = seg[i + 2]!;
      if (ack === next) {
        if (!matched) {
          matched = true;
          ta.present = true;
          ta.ackedFrame = seg[i]!;
          ta.ackRttNs = nsBetween(sec, nsec, seg[i + 3]!, seg[i + 4]!);
        }
        continue;
      }
      if (gtSeq(ack, seg[i + 1]!) && leSeq(ack, next)) seg[i + 1] = ack;
      else if (!gtSeq(next, ack)) continue;
      if (w !== i) {
        seg[w] = seg[i]!;
        seg[w + 1] = seg[i + 1]!;
        seg[w + 2] = next;
        seg[w + 3] = seg[i + 3]!;
        seg[w + 4] = seg[i + 4]!;
      }
      w += SEG_FIELDS;
    }
    rev.segCount = w / SEG_FIELDS;
  }

  // Bytes in flight are computed (and so the analysis exists) for every data segment while valid.
  if (seglen !== 0 && fwd.segCount > 0 && fwd.validBif) ta.present = true;
}

function retransmission(
  conn: TcpAnalysisState,
  fwd: TcpFlow,
  rev: TcpFlow,
  ta: SegmentAnalysis,
  sec: number,
  nsec: number,
  seq: number,
  seglen: number,
  flags: number,
): void {
  let notAdvanced = fwd.nextSeq !== 0 && ltSeq(seq, fwd.nextSeq);
  // A keep-alive is not a retransmission.
  if (ta.present && (ta.flags & Analysis.KeepAlive) !== 0) return;
  // More than one byte starting one before nextseq (after a zero-window probe) is new data.
  if (seglen > 1 && ((fwd.nextSeq - 1) >>> 0) === seq) notAdvanced = false;
  // Spurious: everything in it was already acknowledged.
  if (seglen > 0 && rev.lastAck !== 0 && leSeq((seq + seglen) >>> 0, rev.lastAck)) {
    ta.flag(Analysis.SpuriousRetransmission);
    return;
  }
  if (!notAdvanced) return;
  // Fast retransmission (takes precedence over out-of-order): ≥ 2 duplicate ACKs asked for this
  // sequence number within the last 20 ms.
  const sinceAck = nsBetween(sec, nsec, rev.lastAckSec, rev.lastAckNsec);
  if (rev.dupAckNum >= 2 && rev.lastAck === seq && sinceAck >= 0 && sinceAck < FAST_RETRANSMISSION_NS) {
    ta.flag(Analysis.FastRetransmission);
    return;
  }
  // Out-of-order: close (within the initial RTT, or 3 ms) to the highest segment, and not simply
  // ending where that one ended.
  const sinceNext = nsBetween(sec, nsec, fwd.nextSeqSec, fwd.nextSeqNsec);
  const threshold = conn.firstRttNs !== 0 ? conn.firstRttNs : OOO_DEFAULT_NS;
  const end = (seq + seglen + ((flags & (SYN | FIN)) !== 0 ? 1 : 0)) >>> 0;
  if (sinceNext >= 0 && sinceNext < threshold && fwd.nextSeq !== end) {
    ta.flag(Analysis.OutOfOrder);
    return;
  }
  ta.flag(Analysis.Retransmission);
}
