// The TCP connection state of one end (RFC 9293 §3.3.2), driven by the segments the capture sees
// that end send and receive.

/** RFC 9293 §3.3.2 connection states, as small ints (kept per packet for the ladder). */
export const TcpState = {
  Closed: 0,
  Listen: 1,
  SynSent: 2,
  SynReceived: 3,
  Established: 4,
  FinWait1: 5,
  FinWait2: 6,
  Closing: 7,
  TimeWait: 8,
  CloseWait: 9,
  LastAck: 10,
} as const;
export type TcpState = (typeof TcpState)[keyof typeof TcpState];

/** The names RFC 9293 uses (`SYN-SENT` is written `SYN_SENT`, as netstat and the ladder show it). */
export const tcpStateNames: readonly string[] = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSING',
  'TIME_WAIT',
  'CLOSE_WAIT',
  'LAST_ACK',
];

export function tcpStateName(state: number): string {
  return tcpStateNames[state] ?? 'UNKNOWN';
}

const FIN = 0x001;
const SYN = 0x002;
const RST = 0x004;
const ACK = 0x010;

/**
 * One end of a connection as an observer on the path sees it. The capture point is treated as
 * being at both ends at once: a segment changes its sender's state and its receiver's state in the
 * same step (the ladder draws it that way).
 */
export class TcpEndpoint {
  state: number = TcpState.Closed;
  /** This end entered SYN_RECEIVED from LISTEN (a passive open): an RST returns it to LISTEN. */
  passiveOpen = false;
  /** Initial sequence number (raw), valid when `synSent`. */
  iss = 0;
  synSent = false;
  /** Sequence number the FIN occupies (raw), valid when `finSent`. */
  finSeq = 0;
  finSent = false;

  reset(state: number): void {
    this.state = state;
    this.passiveOpen = state === TcpState.Listen;
    this.iss = 0;
    this.synSent = false;
    this.finSeq = 0;
    this.finSent = false;
    this.peerFinSeq = 0;
    this.peerFinReceived = false;
  }

  /** The peer's FIN arrived; its sequence number (raw). */
  peerFinSeq = 0;
  peerFinReceived = false;

  /**
   * This end sends a segment. `seq`/`ack` are raw; `len` counts payload bytes (the FIN's sequence
   * number follows them).
   */
  send(flags: number, seq: number, len: number, ack: number): void {
    if ((flags & RST) !== 0) {
      // RFC 9293 §3.10.7: whoever sends a reset has aborted the connection.
      this.state = TcpState.Closed;
      return;
    }
    const s = this.state;
    if ((flags & SYN) !== 0) {
      if (!this.synSent) {
        this.synSent = true;
        this.iss = seq;
      }
      if ((flags & ACK) === 0) {
        // Active OPEN (§3.10.1); a retransmitted SYN leaves SYN_SENT as it is.
        if (s === TcpState.Closed || s === TcpState.Listen) this.state = TcpState.SynSent;
        // A SYN of our own after taking the peer's: both opened at once (§3.5 simultaneous
        // open), so this end was never listening.
        else if (s === TcpState.SynReceived) this.passiveOpen = false;
      } else if (s === TcpState.Listen || s === TcpState.Closed) {
        // SYN,ACK whose SYN the capture missed: this end had received it in LISTEN (§3.10.7.2).
        this.state = TcpState.SynReceived;
        this.passiveOpen = s === TcpState.Listen;
      }
    }
    if ((flags & FIN) !== 0) {
      if (!this.finSent) {
        this.finSent = true;
        this.finSeq = (seq + len + ((flags & SYN) !== 0 ? 1 : 0)) >>> 0;
      }
      // CLOSE (§3.10.4): ESTABLISHED and SYN_RECEIVED go to FIN_WAIT_1, CLOSE_WAIT to LAST_ACK.
      if (this.state === TcpState.Established || this.state === TcpState.SynReceived) this.state = TcpState.FinWait1;
      else if (this.state === TcpState.CloseWait) {
        // A FIN that does not acknowledge the peer's FIN was sent before that FIN arrived: a
        // simultaneous close (§3.6), so this end went FIN_WAIT_1 → CLOSING.
        const acksPeerFin = (flags & ACK) !== 0 && ((ack - this.peerFinSeq) | 0) > 0;
        this.state = acksPeerFin ? TcpState.LastAck : TcpState.Closing;
      }
    }
  }

  /** This end receives a segment (raw numbers; `ack` is meaningful when the ACK flag is set). */
  receive(flags: number, seq: number, len: number, ack: number): void {
    const s = this.state;
    if ((flags & RST) !== 0) {
      // §3.10.7.4: a reset in LISTEN is ignored; SYN_RECEIVED from a passive open returns to
      // LISTEN; every other state is aborted.
      if (s === TcpState.Listen) return;
      this.state = s === TcpState.SynReceived && this.passiveOpen ? TcpState.Listen : TcpState.Closed;
      return;
    }
    if ((flags & SYN) !== 0) {
      if ((flags & ACK) === 0) {
        // §3.10.7.2 LISTEN: a SYN moves to SYN_RECEIVED; §3.10.7.3 SYN_SENT: simultaneous open.
        if (s === TcpState.Listen || s === TcpState.Closed) {
          this.state = TcpState.SynReceived;
          this.passiveOpen = true;
        } else if (s === TcpState.SynSent) {
          this.state = TcpState.SynReceived;
          this.passiveOpen = false;
        }
        return;
      }
      // §3.10.7.3: SYN,ACK in SYN_SENT that acknowledges our SYN → ESTABLISHED. In a simultaneous
      // open the peer's SYN,ACK completes SYN_RECEIVED the same way.
      if ((s === TcpState.SynSent || s === TcpState.SynReceived) && this.acksSyn(ack)) this.state = TcpState.Established;
      return;
    }
    // §3.10.7.4 fifth check (and §3.10.7.3): a segment without ACK is dropped.
    if ((flags & ACK) === 0) return;
    this.receiveAck(ack);
    if ((flags & FIN) !== 0) {
      if (!this.peerFinReceived) {
        this.peerFinReceived = true;
        this.peerFinSeq = (seq + len) >>> 0;
      }
      this.receiveFin();
    }
  }

  private receiveAck(ack: number): void {
    switch (this.state) {
      case TcpState.SynReceived:
        // §3.10.7.4 fifth check: an acceptable ACK completes the handshake.
        if (this.acksSyn(ack)) this.state = TcpState.Established;
        break;
      case TcpState.FinWait1:
        if (this.acksFin(ack)) this.state = TcpState.FinWait2;
        break;
      case TcpState.Closing:
        if (this.acksFin(ack)) this.state = TcpState.TimeWait;
        break;
      case TcpState.LastAck:
        if (this.acksFin(ack)) this.state = TcpState.Closed;
        break;
      default:
        break;
    }
  }

  private receiveFin(): void {
    // §3.10.7.4 eighth check, after the ACK was processed.
    switch (this.state) {
      case TcpState.SynReceived:
      case TcpState.Established:
        this.state = TcpState.CloseWait;
        break;
      case TcpState.FinWait1:
        // Our FIN not yet acknowledged: simultaneous close.
        this.state = TcpState.Closing;
        break;
      case TcpState.FinWait2:
        this.state = TcpState.TimeWait;
        break;
      default:
        // CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT: a retransmitted FIN changes nothing.
        break;
    }
  }

  /** ACK covers our SYN (or we never saw our SYN, so we cannot tell and assume it does). */
  private acksSyn(ack: number): boolean {
    return !this.synSent || ((ack - this.iss) | 0) > 0;
  }

  /** ACK covers our FIN. */
  private acksFin(ack: number): boolean {
    return this.finSent && ((ack - this.finSeq) | 0) > 0;
  }
}
