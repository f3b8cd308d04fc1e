// What one TCP connection did, as facts every view reads (engine/diagnosis.ts): states each end
// reached, bytes sent and acknowledged, resets and FINs with what was unacknowledged at each,
// retransmissions, bytes the capture missed, and earlier attempts on the same ports. Kept by the
// connection as its packets pass, in the whole-file pass and in replays alike, so a conversation's
// verdict and its ladder come from the same numbers. A few numbers per connection; the lists are
// capped (a million-packet connection keeps the first of each kind).

import { Analysis, RETRANSMISSION } from '../io/packet-index';
import { TcpState } from './tcp-state';

const FIN = 0x001;
const SYN = 0x002;
const RST = 0x004;
const ACK = 0x010;


/** Rows kept per list (retransmissions, resets, gaps): enough to place them, bounded. */
export const KEPT_FACTS = 64;

/** A reset: who sent it, when, and what was still unacknowledged at that moment. */
export interface TcpReset {
  row: number;
  /** End index (0 = A, 1 = B). */
  end: number;
  /** Payload bytes either end had sent that the other had not acknowledged (RFC 9293 §3.4). */
  unacked: number;
  /** Seconds since the packet before it. */
  idle: number;
}

/** Bytes of one end's stream the capture never saw. */
export interface TcpGap {
  /** The packet after the hole ('lost'), or the ACK acknowledging bytes never seen ('acked-unseen'). */
  row: number;
  /** The end whose bytes are missing. */
  end: number;
  kind: 'lost' | 'acked-unseen';
  /** Relative sequence number of the first missing byte, and how many are missing. */
  seq: number;
  bytes: number;
}

/** An earlier connection on the same 5-tuple, ended by a RST or FINs before a SYN started again. */
export interface TcpAttempt {
  synRow: number;
  synAckRow: number;
  /** The packet that ended it. */
  endRow: number;
  endedBy: 'rst' | 'fin';
  /** End index that sent the RST (or the first FIN). */
  endedFrom: number;
  /** The SYN that started the connection over. */
  restartRow: number;
}

export class TcpFacts {
  /** Pure SYNs and SYN/ACKs sent by each end (retransmissions included), this attempt. */
  readonly syns: [number, number] = [0, 0];
  readonly synAcks: [number, number] = [0, 0];
  /** Bit (1 << TcpState) for every state each end was in after some packet, this attempt. */
  readonly reached: [number, number] = [0, 0];
  /** Per end: relative sequence number just past its last data byte (1: no data yet). */
  readonly dataEnd: [number, number] = [1, 1];
  /** Per end: the highest relative acknowledgment the other end sent for it. */
  readonly ackedEnd: [number, number] = [0, 0];
  readonly retransmissions: number[] = [];
  retransmissionCount = 0;
  fastRetransmissionCount = 0;
  /** Resets in capture order (at most KEPT_FACTS), every attempt's. */
  readonly resets: TcpReset[] = [];
  /** Index in `resets` of this attempt's first. */
  private attemptResets = 0;
  /** First FIN of each end, this attempt (−1 when none). */
  readonly finRow: [number, number] = [-1, -1];
  /** Holes in each end's stream (at most KEPT_FACTS) and their bytes in all. */
  readonly gaps: TcpGap[] = [];
  readonly gapBytes: [number, number] = [0, 0];
  /** Earlier attempts (a SYN after the connection had been reset or closed). */
  readonly attempts: TcpAttempt[] = [];
  /** Row of the first packet of this attempt. */
  firstRow = -1;
  lastRow = -1;
  private lastTime = NaN;

  /**
   * One segment from end `s` after the analysis and the state machines ran: `relSeq`/`relAck` are
   * relative, `prevNextSeq` is the sender's relative next sequence number before it (for holes).
   */
  add(row: number, time: number, s: number, flags: number, relSeq: number, relAck: number, seglen: number, analysis: number, prevNextSeq: number, senderState: number, receiverState: number): void {
    const r = 1 - s;
    if (this.firstRow < 0) this.firstRow = row;
    this.lastRow = row;
    if ((flags & (SYN | ACK)) === SYN) this.syns[s]!++;
    else if ((flags & (SYN | ACK)) === (SYN | ACK)) this.synAcks[s]!++;
    this.reached[s]! |= 1 << senderState;
    this.reached[r]! |= 1 << receiverState;
    // A SYN starting the connection over is a new attempt, not a retransmission (tshark flags it
    // as one: same sequence number).
    const restartSyn = (flags & (SYN | ACK)) === SYN && this.firstRow === row && this.attempts.length > 0 && this.attempts[this.attempts.length - 1]!.restartRow === row;
    if ((analysis & RETRANSMISSION) !== 0 && !restartSyn) {
      this.retransmissionCount++;
      if ((analysis & Analysis.FastRetransmission) !== 0) this.fastRetransmissionCount++;
      if (this.retransmissions.length < KEPT_FACTS) this.retransmissions.push(row);
    }
    if ((analysis & Analysis.LostSegment) !== 0 && prevNextSeq > 0) {
      const bytes = (relSeq - prevNextSeq) | 0;
      if (bytes > 0) this.gap({ row, end: s, kind: 'lost', seq: prevNextSeq, bytes });
    }
    if ((analysis & Analysis.AckLostSegment) !== 0 && (flags & ACK) !== 0) {
      const bytes = (relAck - this.dataEnd[r]!) | 0;
      if (bytes > 0) this.gap({ row, end: r, kind: 'acked-unseen', seq: this.dataEnd[r]!, bytes });
    }
    if (seglen > 0 && (flags & RST) === 0) {
      const end = relSeq + seglen;
      if (end > this.dataEnd[s]!) this.dataEnd[s] = end;
    }
    // A RST answering a SYN that this end never acknowledged with a SYN/ACK: the port was closed,
    // this end never listened (the state machine had assumed LISTEN on seeing the SYN).
    if ((flags & RST) !== 0 && this.synAcks[s] === 0 && this.syns[r]! > 0 && this.syns[s] === 0) this.reached[s] = 1 << TcpState.Closed;
    if ((flags & RST) !== 0 && this.resets.length < KEPT_FACTS) {
      this.resets.push({ row, end: s, unacked: this.unacked(), idle: Number.isNaN(this.lastTime) ? 0 : time - this.lastTime });
    }
    if ((flags & ACK) !== 0 && (flags & RST) === 0 && relAck > this.ackedEnd[r]! && relAck < 2 ** 31) this.ackedEnd[r] = relAck;
    if ((flags & FIN) !== 0 && this.finRow[s]! < 0) this.finRow[s] = row;
    this.lastTime = time;
  }

  /** Payload bytes sent (either way) that the other end has not acknowledged. */
  unacked(): number {
    let n = 0;
    for (const e of [0, 1]) {
      const sent = this.dataEnd[e]!;
      const acked = Math.max(this.ackedEnd[e]!, 1);
      if (sent > acked) n += sent - acked;
    }
    return n;
  }

  /** Payload bytes end `e` sent in this attempt (retransmitted bytes once; holes count as sent). */
  bytesSent(e: number): number {
    return this.dataEnd[e]! - 1;
  }

  /** End `e` was ever in `state` during this attempt. */
  wasIn(e: number, state: number): boolean {
    return (this.reached[e]! & (1 << state)) !== 0;
  }

  /** Both ends reached ESTABLISHED. */
  get established(): boolean {
    return this.wasIn(0, TcpState.Established) && this.wasIn(1, TcpState.Established);
  }

  /** The RST that ended this attempt (its last one), or null. */
  get closingReset(): TcpReset | null {
    return this.resets.length > this.attemptResets ? this.resets[this.resets.length - 1]! : null;
  }

  /** This attempt's resets. */
  get attemptResetList(): readonly TcpReset[] {
    return this.resets.slice(this.attemptResets);
  }

  /**
   * A SYN started the connection over after a reset or FINs: what came before becomes an earlier
   * attempt and this one starts empty.
   */
  restart(attempt: TcpAttempt): void {
    if (this.attempts.length < KEPT_FACTS) this.attempts.push(attempt);
    this.syns[0] = this.syns[1] = 0;
    this.synAcks[0] = this.synAcks[1] = 0;
    this.reached[0] = this.reached[1] = 0;
    this.dataEnd[0] = this.dataEnd[1] = 1;
    this.ackedEnd[0] = this.ackedEnd[1] = 0;
    this.attemptResets = this.resets.length;
    this.finRow[0] = this.finRow[1] = -1;
    this.firstRow = -1;
  }

  private gap(g: TcpGap): void {
    this.gapBytes[g.end]! += g.bytes;
    if (this.gaps.length < KEPT_FACTS) this.gaps.push(g);
  }
}
