// One TCP connection: both ends' RFC 9293 states, tshark-compatible sequence analysis per
// direction, the handshake record, and stream reassembly feeding the conversation's app parser.

import type { Packet } from '../dissect/packet';
import { Analysis, RETRANSMISSION } from '../io/packet-index';
import type { AppParser, AppParserFactory, Direction, SegmentSpan, StreamChunk, StreamHost } from './app-parser';
import type { Conversation } from './conversation';
import { ConvFlag, TCP_F64, TCP_U32, slotOf, type ConversationStore } from './conversation-store';
import { StreamReassembler, type ReassemblyTarget } from './reassembly';
import { analyzeSegment, nsBetween, SEG_FIELDS, TcpAnalysisState, TcpFlow, type SegmentAnalysis } from './tcp-analysis';
import { TcpFacts } from './tcp-facts';
import type { LaterFrames } from './later-frames';
import { addReassembledSegments, type TcpTreeInfo } from './tcp-fields';
import { TcpEndpoint, TcpState } from './tcp-state';

const FIN = 0x001;
const SYN = 0x002;
const RST = 0x004;
const ACK = 0x010;

/** What a connection needs from the flow stage that owns it. */
export interface FlowContext {
  readonly factories: readonly AppParserFactory[];
  readonly keepSpans: boolean;
  readonly wantsTrees: boolean;
  /** App parsers keep only their session summary (StreamHost.summaryOnly). */
  readonly summaryOnly: boolean;
  /** Out-of-order bytes buffered per direction at most. */
  readonly reassemblyLimit: number;
  /** The one chunk object handed to parsers (reused: parsers must not keep it). */
  readonly chunk: StreamChunk;
  /** The packet being analysed and its row. */
  readonly current: Packet;
  readonly currentRow: number;
  /** Frame references to later packets being recorded (tcp.reassembled_in), or null. */
  readonly laterFrames: LaterFrames | null;
}

/** Handshake and teardown as seen (rows are 0-based, −1 when not seen). */
export class TcpHandshake {
  /** First pure SYN, and which end (0 = A, 1 = B) sent it. */
  synRow = -1;
  synFrom = -1;
  /** The latest pure SYN, and the one the SYN,ACK answered (the last before it). */
  lastSynRow = -1;
  answeredSynRow = -1;
  /** First SYN,ACK. */
  synAckRow = -1;
  /** The ACK completing the three-way handshake. */
  ackRow = -1;
  /** First RST, and its sender. */
  rstRow = -1;
  rstFrom = -1;
  /** First FIN of end A and of end B. */
  finRowA = -1;
  finRowB = -1;
}

/** Reassembly state of one sender's bytes (allocated when someone first wants them). */
class StreamSide {
  started = false;
  /** Raw sequence number of stream offset 0. */
  base = 0;
  /** The start is known (SYN seen, or the peer's SYN,ACK): no mid-stream gap to report. */
  knownStart = false;
  ended = false;
  /** Stream offset of the FIN, −1 until seen. */
  finOffset = -1;
  /** Stream offset up to which the app parser has been told (data or gap). */
  appOffset = 0;
  /**
   * In-order runs of this sender's bytes that detection has looked at. Detection keeps trying for
   * a few runs, so protocols that switch to TLS mid-stream (SMTP/IMAP/POP3 STARTTLS) are found.
   */
  appTries = 0;
  readonly bytes: StreamReassembler;
  /** Segment map: flat [streamOffset, row, frameOffset, length]… (keepSpans only). */
  readonly spans: number[] | null;
  /** Stream offset where the parser's last PDU ended (StreamHost.pduEnd). */
  pduEnd = 0;
  /** Where the last PDU ended that tshark dissects (all its bytes captured, or not a PDU at all). */
  doneEnd = 0;
  /** Where the last PDU ended whose bytes the capture partly lost (never reassembled by tshark). */
  lostEnd = 0;
  /** Wanted rows (LaterFrames) that carried bytes of the PDU still open. */
  pduRows: number[] | null = null;
  /** Trees: [row, bytes]… of the segments that carried the open PDU so far (tcp.segments). */
  pduSegments: number[] | null = null;

  constructor(dir: number, limit: number, keepSpans: boolean) {
    this.bytes = new StreamReassembler(dir, limit);
    this.spans = keepSpans ? [] : null;
  }
}

export type HandshakeStatus = 'complete' | 'syn-only' | 'reset' | 'mid-stream';

export class TcpConnection implements StreamHost, ReassemblyTarget {
  /** What each end sends, analysed as tshark does (index 0 = A, 1 = B). */
  readonly flow: [TcpFlow, TcpFlow] = [new TcpFlow(), new TcpFlow()];
  /** RFC 9293 state of each end. */
  readonly end: [TcpEndpoint, TcpEndpoint] = [new TcpEndpoint(), new TcpEndpoint()];
  readonly analysis = new TcpAnalysisState();
  readonly handshake = new TcpHandshake();
  /** What the connection did, for its verdict and every view (flow/tcp-facts.ts). */
  readonly facts = new TcpFacts();
  /** Which end sent a FIN first (tshark's closing_initiator): its FINs initiate the close. */
  readonly closingInitiator: [boolean, boolean] = [false, false];
  /** Server port from the SYN or SYN,ACK (0 until one is seen). */
  serverPort = 0;
  private statesStarted = false;
  /**
   * Reassembly is over for good (set when a connection is restored from the store after both
   * directions ended, or after detection gave up): later segments go to no parser.
   */
  private streamsOver = false;
  /** Segment length of the packet `segment()` analysed last. */
  private lastSeglen = 0;
  /** Each sender's stream (index 0 = A), null until reassembly is wanted. */
  private side: [StreamSide, StreamSide] | null = null;

  constructor(
    private readonly ctx: FlowContext,
    readonly conv: Conversation,
  ) {}

  get keepsSpans(): boolean {
    return this.ctx.keepSpans;
  }

  get wantsTrees(): boolean {
    return this.ctx.wantsTrees;
  }

  get summaryOnly(): boolean {
    return this.ctx.summaryOnly;
  }

  /** State of the client and server ends. */
  clientState(): number {
    return this.end[this.conv.clientIsA ? 0 : 1].state;
  }
  serverState(): number {
    return this.end[this.conv.clientIsA ? 1 : 0].state;
  }

  handshakeStatus(): HandshakeStatus {
    const h = this.handshake;
    if (h.synRow < 0) return 'mid-stream';
    if (h.synAckRow >= 0 && h.ackRow >= 0) return 'complete';
    if (h.rstRow >= 0) return 'reset';
    return 'syn-only';
  }

  /**
   * The segment in `p` from end `s` (0 = A). Fills the packet's relative numbers, scaled window,
   * analysis bits and both ends' states before and after; `ta` receives tshark's per-packet
   * analysis and `info` what the tree needs besides.
   */
  segment(p: Packet, row: number, s: number, ta: SegmentAnalysis, info: TcpTreeInfo): void {
    const r = 1 - s;
    const fwd = this.flow[s]!;
    const rev = this.flow[r]!;
    const flags = p.tcpFlags;
    const seq = p.tcpSeq >>> 0;
    const ack = p.tcpAck >>> 0;
    const hlen = p.tcpHeaderLength;
    // A SYN,ACK with a new sequence number: tshark moves the base and reports reused ports.
    if ((flags & (SYN | ACK)) === (SYN | ACK) && fwd.baseSeqSet && seq !== fwd.baseSeq) {
      fwd.baseSeq = seq;
      ta.flag(Analysis.ReusedPorts);
    }
    // A SYN again with the same ISN (a retransmission, or a SYN captured late): tshark 4.0 rewinds
    // nextseq to what was acknowledgeable (an RST may have carried a later sequence number) and
    // creates the analysis for the packet (the SEQ/ACK subtree shows, possibly empty).
    if ((flags & (SYN | ACK)) === SYN && fwd.baseSeqSet && seq === fwd.baseSeq) {
      fwd.nextSeq = fwd.maxSeqToBeAcked;
      ta.present = true;
    }
    const known = tcpSegmentLength(p);
    const haveSeglen = known >= 0;
    const seglen = haveSeglen ? known : 0;
    // The sender's next sequence number before this segment, relative (a hole starts there).
    const prevNext = fwd.nextSeq !== 0 && fwd.baseSeqSet ? (fwd.nextSeq - fwd.baseSeq) >>> 0 : 0;
    if (haveSeglen) {
      analyzeSegment(this.analysis, fwd, rev, ta, p.number, p.tsSec, p.tsNsec, seq, ack, seglen, flags, p.tcpWindow);
      p.tcpRelSeq = (seq - fwd.baseSeq) >>> 0;
      p.tcpRelAck = (flags & ACK) !== 0 ? (ack - rev.baseSeq) >>> 0 : ack;
      p.tcpNextSeq = (p.tcpRelSeq + seglen + ((flags & (SYN | FIN)) !== 0 ? 1 : 0)) >>> 0;
      // SYNs are never scaled; an unknown (−1) or absent (−2) scale leaves the raw window.
      p.tcpWindowScaled = (flags & SYN) === 0 && fwd.winScale >= 0 ? (p.tcpWindow << fwd.winScale) >>> 0 : p.tcpWindow;
    } else {
      p.tcpRelSeq = seq;
      p.tcpRelAck = ack;
      p.tcpNextSeq = 0;
      p.tcpWindowScaled = p.tcpWindow;
    }
    info.haveSeglen = haveSeglen;
    info.headerOk = hlen >= 20;
    info.winScale = fwd.winScale;
    info.sackBase = rev.baseSeq;
    if (hlen >= 20) {
      const a = this.analysis;
      if ((flags & SYN) !== 0) {
        this.serverPort = (flags & ACK) !== 0 ? p.srcPort : p.dstPort;
        if ((flags & ACK) === 0) {
          a.mruSynSec = p.tsSec;
          a.mruSynNsec = p.tsNsec;
        }
        fwd.isFirstAck = true;
      }
      if ((flags & (SYN | ACK)) === ACK) {
        // The first pure ACK after a SYN completes the handshake: the initial RTT.
        if ((a.mruSynSec !== 0 || a.mruSynNsec !== 0) && a.firstRttNs === 0) {
          a.firstRttNs = nsBetween(p.tsSec, p.tsNsec, a.mruSynSec, a.mruSynNsec);
        }
        fwd.isFirstAck = false;
      }
      // RFC 7323 §2.3: a shift above 14 is used as 14.
      if (p.tcpWindowScale >= 0) fwd.winScale = p.tcpWindowScale > 14 ? 14 : p.tcpWindowScale;
      if ((flags & SYN) !== 0) verifyWindowScaling((flags & ACK) !== 0, fwd, rev);
    }
    info.initialRttNs = this.analysis.firstRttNs;
    p.analysis = ta.present ? ta.flags : 0;
    p.tcpAckedFrame = ta.ackedFrame;
    p.tcpAckRttNs = ta.ackRttNs;
    p.tcpDupAckNum = ta.dupAckNum;
    p.tcpDupAckFrame = ta.dupAckFrame;
    this.states(p, row, s, seq, ack, seglen, flags);
    if (haveSeglen) {
      this.facts.add(row, p.tsSec + p.tsNsec / 1e9, s, flags, p.tcpRelSeq, p.tcpRelAck, seglen, p.analysis, prevNext, this.end[s]!.state, this.end[r]!.state);
    }
    this.lastSeglen = seglen;
    // Both ends closed: what the analysis kept per unacknowledged segment is not needed any more
    // (a connection's state stays small once it ends; a late segment simply starts a new list).
    if (isClosed(this.end[0]!.state) && isClosed(this.end[1]!.state)) {
      fwd.compact();
      rev.compact();
    }
  }

  /**
   * Hands the segment's payload (the packet `segment()` just analysed) to reassembly and the app
   * parser. In-order bytes go straight from the packet's buffer to the parser.
   */
  payload(p: Packet, s: number): void {
    if (this.consumes()) this.reassemble(p, s, p.tcpSeq >>> 0, p.tcpAck >>> 0, this.lastSeglen, p.tcpFlags);
  }

  /** Both ends' states before and after this segment (RFC 9293 §3.3.2). */
  private states(p: Packet, row: number, s: number, seq: number, ack: number, seglen: number, flags: number): void {
    const sender = this.end[s]!;
    const receiver = this.end[1 - s]!;
    const h = this.handshake;
    if (!this.statesStarted) {
      this.statesStarted = true;
      if ((flags & (SYN | ACK)) === SYN) {
        sender.reset(TcpState.Closed);
        receiver.reset(TcpState.Listen);
      } else if ((flags & (SYN | ACK)) === (SYN | ACK)) {
        // The SYN was missed: the client had sent it, the server had taken it in LISTEN.
        sender.reset(TcpState.SynReceived);
        sender.passiveOpen = true;
        receiver.reset(TcpState.SynSent);
      } else {
        // The capture starts mid-connection.
        sender.reset(TcpState.Established);
        receiver.reset(TcpState.Established);
      }
    }
    // A SYN after the connection was reset or closed starts it over on the same ports (a client
    // retrying with the same ISN; a new ISN is a new conversation, as in tshark): what came before
    // is an earlier attempt.
    if ((flags & (SYN | ACK)) === SYN && h.synRow >= 0 && isClosed(sender.state) && (h.rstRow >= 0 || (h.finRowA >= 0 && h.finRowB >= 0))) {
      const byRst = h.rstRow >= 0;
      const lastFin = Math.max(h.finRowA, h.finRowB);
      this.facts.restart({
        synRow: h.synRow,
        synAckRow: h.synAckRow,
        endRow: byRst ? (this.facts.closingReset?.row ?? h.rstRow) : lastFin,
        endedBy: byRst ? 'rst' : 'fin',
        endedFrom: byRst ? (this.facts.closingReset?.end ?? h.rstFrom) : h.finRowA >= 0 && (h.finRowB < 0 || h.finRowA < h.finRowB) ? 0 : 1,
        restartRow: row,
      });
      h.synRow = h.synFrom = h.lastSynRow = h.answeredSynRow = h.synAckRow = h.ackRow = h.rstRow = h.rstFrom = h.finRowA = h.finRowB = -1;
    }
    const clientIsA = this.conv.clientIsA;
    const clientBefore = this.end[clientIsA ? 0 : 1]!.state;
    const serverBefore = this.end[clientIsA ? 1 : 0]!.state;
    sender.send(flags, seq, seglen, ack);
    receiver.receive(flags, seq, seglen, ack);
    p.flowDir = (s === 0) === clientIsA ? 0 : 1;
    p.tcpClientStateBefore = clientBefore;
    p.tcpServerStateBefore = serverBefore;
    p.tcpClientStateAfter = this.end[clientIsA ? 0 : 1]!.state;
    p.tcpServerStateAfter = this.end[clientIsA ? 1 : 0]!.state;
    // Handshake record.
    if ((flags & RST) !== 0) {
      if (h.rstRow < 0) {
        h.rstRow = row;
        h.rstFrom = s;
      }
    } else if ((flags & (SYN | ACK)) === SYN) {
      if (h.synRow < 0) {
        h.synRow = row;
        h.synFrom = s;
      }
      h.lastSynRow = row;
    } else if ((flags & (SYN | ACK)) === (SYN | ACK)) {
      if (h.synAckRow < 0) {
        h.synAckRow = row;
        h.answeredSynRow = h.lastSynRow;
      }
    } else if ((flags & ACK) !== 0 && h.ackRow < 0 && h.synAckRow >= 0 && (h.synFrom < 0 || h.synFrom === s)) {
      h.ackRow = row;
    }
    if ((flags & FIN) !== 0) {
      if (s === 0 && h.finRowA < 0) h.finRowA = row;
      else if (s === 1 && h.finRowB < 0) h.finRowB = row;
    }
  }

  /** Someone wants the bytes: an app parser, one still to be detected, or segment maps. */
  private consumes(): boolean {
    if (this.streamsOver) return false;
    if (this.conv.app !== null || this.ctx.keepSpans) return true;
    if (this.ctx.factories.length === 0) return false;
    const side = this.side;
    return side === null || side[0].appTries < MAX_DETECT_TRIES || side[1].appTries < MAX_DETECT_TRIES;
  }

  private sides(): [StreamSide, StreamSide] {
    let side = this.side;
    if (side === null) {
      const { reassemblyLimit, keepSpans } = this.ctx;
      side = [new StreamSide(0, reassemblyLimit, keepSpans), new StreamSide(1, reassemblyLimit, keepSpans)];
      this.side = side;
    }
    return side;
  }

  private reassemble(p: Packet, s: number, seq: number, ack: number, seglen: number, flags: number): void {
    const side = this.sides();
    const me = side[s]!;
    const peer = side[1 - s]!;
    // A SYN,ACK tells where the other end's stream starts: right after its ISN.
    if ((flags & (SYN | ACK)) === (SYN | ACK) && !peer.started) start(peer, ack, true);
    const syn = (flags & SYN) !== 0 ? 1 : 0;
    if (!me.started) start(me, (seq + syn) >>> 0, syn === 1);
    const first = (seq + syn) >>> 0;
    if (!me.ended) {
      if (seglen > 0 && p.payloadOffset !== 0 && (flags & RST) === 0) {
        // Bytes of a reassembled IP datagram sit before the frame copy: they have no frame offset.
        const frameOffset = p.payloadOffset >= p.start ? p.payloadOffset - p.start : -1;
        const at = offsetOf(me, first);
        me.bytes.add(this, at, p.buf, p.payloadOffset, p.payloadLength, seglen, this.ctx.currentRow, frameOffset);
        if (at > me.bytes.next) this.heldInPdu(me, at);
      }
      if ((flags & FIN) !== 0 && me.finOffset < 0) me.finOffset = offsetOf(me, (first + seglen) >>> 0);
      this.checkEnd(me);
    }
    // What the other end acknowledges was received: holes below it will never be filled here.
    if ((flags & ACK) !== 0 && peer.started && !peer.ended) {
      let upTo = offsetOf(peer, ack);
      if (peer.finOffset >= 0 && upTo > peer.finOffset) upTo = peer.finOffset;
      if (upTo > peer.bytes.next) {
        peer.bytes.skipTo(this, upTo);
        this.checkEnd(peer);
      }
    }
    if ((flags & RST) !== 0) {
      // A reset ends both directions.
      this.close(me, true);
      this.close(peer, true);
    }
  }

  private checkEnd(side: StreamSide): void {
    if (side.finOffset >= 0 && !side.ended && side.bytes.next >= side.finOffset) this.close(side, true);
  }

  /** Ends a direction: buffered bytes go out (holes as gaps), then the parser's end(). */
  private close(side: StreamSide, withChunk: boolean): void {
    if (side.ended) return;
    if (side.started) {
      side.bytes.flush(this);
      if (side.finOffset > side.bytes.next) side.bytes.skipTo(this, side.finOffset);
    }
    side.ended = true;
    const app = this.conv.app;
    if (app !== null) app.end(this.appDir(side.bytes.dir), withChunk ? this.chunkAt(side.appOffset, -1) : null);
  }

  /** Capture over (or the 5-tuple reused): flush and end what is still open. */
  finish(): void {
    const side = this.side;
    if (side === null) return;
    this.finishing = true;
    this.close(side[0], false);
    this.close(side[1], false);
  }

  /** finish() is flushing what the capture left open. */
  private finishing = false;

  /** Both ends are CLOSED or in TIME_WAIT. */
  get closed(): boolean {
    return isClosed(this.end[0]!.state) && isClosed(this.end[1]!.state);
  }

  /**
   * Whether the connection's objects may go (save() keeps what restore() brings back): nothing
   * holds bytes or parser state — no payload seen yet and no parser, both directions ended, or no
   * one wants the bytes any more.
   */
  get releasable(): boolean {
    if (this.ctx.keepSpans) return false;
    const side = this.side;
    if (side === null) return this.conv.app === null;
    if (side[0].ended && side[1].ended) return true;
    return this.conv.app === null && !this.consumes();
  }

  /** Both directions of the stream ended (the parser saw its last bytes). */
  get streamsEnded(): boolean {
    return this.streamsOver || (this.side !== null && this.side[0].ended && this.side[1].ended);
  }

  /**
   * Writes the connection into conversation `id`'s columns: the facts the views and the verdict
   * read (states, handshake rows, initial RTT, bytes of each stream) and the analysis state
   * restore() needs to go on as if the objects had stayed.
   */
  save(store: ConversationStore, id: number): void {
    const c = store.chunkOf(id);
    const i = slotOf(id);
    const h = this.handshake;
    c.state2[2 * i] = this.end[0].state;
    c.state2[2 * i + 1] = this.end[1].state;
    c.synRow[i] = h.synRow;
    c.synFrom[i] = h.synFrom;
    c.synAckRow[i] = h.synAckRow;
    c.ackRow[i] = h.ackRow;
    c.rstRow[i] = h.rstRow;
    c.rstFrom[i] = h.rstFrom;
    c.finRow2[2 * i] = h.finRowA;
    c.finRow2[2 * i + 1] = h.finRowB;
    c.firstRttNs[i] = this.analysis.firstRttNs;
    c.serverPort[i] = this.serverPort;
    for (let e = 0; e < 2; e++) c.streamBytes2[2 * i + e] = this.streamBytes(e);
    c.unackedAtEnd[i] = this.unackedAtEnd();
    const u = c.tcpU32;
    const f64 = c.tcpF64;
    const ub = i * TCP_U32;
    const fb = i * TCP_F64;
    let bits = 0;
    for (let k = 0; k < 2; k++) {
      const f = this.flow[k]!;
      const o = ub + k * 12;
      u[o] = f.baseSeq;
      u[o + 1] = f.winScale + 2;
      u[o + 2] = f.window;
      u[o + 3] = f.nextSeq;
      u[o + 4] = f.nextSeqFrame;
      u[o + 5] = f.nextSeqNsec;
      u[o + 6] = f.maxSeqToBeAcked;
      u[o + 7] = f.lastAck;
      u[o + 8] = f.lastAckNsec;
      u[o + 9] = f.dupAckNum;
      u[o + 10] = f.lastNonDupAck;
      u[o + 11] = f.lastSegmentFlags;
      f64[fb + 2 * k] = f.nextSeqSec;
      f64[fb + 2 * k + 1] = f.lastAckSec;
      if (f.baseSeqSet) bits |= 1 << (k * 3);
      if (f.isFirstAck) bits |= 1 << (k * 3 + 1);
      if (f.validBif) bits |= 1 << (k * 3 + 2);
      const e = this.end[k]!;
      const eo = ub + 24 + k * 4;
      u[eo] = e.state;
      u[eo + 1] = e.iss;
      u[eo + 2] = e.finSeq;
      u[eo + 3] = e.peerFinSeq;
      if (e.passiveOpen) bits |= 1 << (6 + k * 4);
      if (e.synSent) bits |= 1 << (7 + k * 4);
      if (e.finSent) bits |= 1 << (8 + k * 4);
      if (e.peerFinReceived) bits |= 1 << (9 + k * 4);
    }
    u[ub + 32] = this.analysis.mruSynNsec;
    f64[fb + 4] = this.analysis.mruSynSec;
    if (this.statesStarted) bits |= 1 << 14;
    if (this.streamsEnded || (this.conv.app === null && !this.consumes() && this.side !== null)) bits |= 1 << 15;
    // Which end initiated the close (its expert items say so for the FINs still to come).
    if (this.closingInitiator[0]) bits |= 1 << 16;
    if (this.closingInitiator[1]) bits |= 1 << 17;
    u[ub + 33] = bits;
    const segs = this.flow[0].segCount > 0 || this.flow[1].segCount > 0;
    if (segs) store.segments.set(id, [this.flow[0].seg.slice(0, this.flow[0].segCount * SEG_FIELDS), this.flow[1].seg.slice(0, this.flow[1].segCount * SEG_FIELDS)]);
    else store.segments.delete(id);
    c.flags[i] = c.flags[i]! | ConvFlag.TcpSaved | (this.streamsEnded ? ConvFlag.StreamsDone : 0);
  }

  /** The connection of conversation `id` as save() left it (its stream parser is gone). */
  static restore(ctx: FlowContext, conv: Conversation, store: ConversationStore, id: number): TcpConnection {
    const t = new TcpConnection(ctx, conv);
    const c = store.chunkOf(id);
    const i = slotOf(id);
    const h = t.handshake;
    h.synRow = c.synRow[i]!;
    h.synFrom = c.synFrom[i]!;
    h.synAckRow = c.synAckRow[i]!;
    h.ackRow = c.ackRow[i]!;
    h.rstRow = c.rstRow[i]!;
    h.rstFrom = c.rstFrom[i]!;
    h.finRowA = c.finRow2[2 * i]!;
    h.finRowB = c.finRow2[2 * i + 1]!;
    t.analysis.firstRttNs = c.firstRttNs[i]!;
    t.serverPort = c.serverPort[i]!;
    const u = c.tcpU32;
    const f64 = c.tcpF64;
    const ub = i * TCP_U32;
    const fb = i * TCP_F64;
    const bits = u[ub + 33]!;
    const segs = store.segments.get(id);
    for (let k = 0; k < 2; k++) {
      const f = t.flow[k]!;
      const o = ub + k * 12;
      f.baseSeq = u[o]!;
      f.winScale = u[o + 1]! - 2;
      f.window = u[o + 2]!;
      f.nextSeq = u[o + 3]!;
      f.nextSeqFrame = u[o + 4]!;
      f.nextSeqNsec = u[o + 5]!;
      f.maxSeqToBeAcked = u[o + 6]!;
      f.lastAck = u[o + 7]!;
      f.lastAckNsec = u[o + 8]!;
      f.dupAckNum = u[o + 9]!;
      f.lastNonDupAck = u[o + 10]!;
      f.lastSegmentFlags = u[o + 11]!;
      f.nextSeqSec = f64[fb + 2 * k]!;
      f.lastAckSec = f64[fb + 2 * k + 1]!;
      f.baseSeqSet = (bits & (1 << (k * 3))) !== 0;
      f.isFirstAck = (bits & (1 << (k * 3 + 1))) !== 0;
      f.validBif = (bits & (1 << (k * 3 + 2))) !== 0;
      if (segs !== undefined) {
        for (const v of segs[k]!) f.seg.push(v);
        f.segCount = segs[k]!.length / SEG_FIELDS;
      }
      const e = t.end[k]!;
      const eo = ub + 24 + k * 4;
      e.state = u[eo]!;
      e.iss = u[eo + 1]!;
      e.finSeq = u[eo + 2]!;
      e.peerFinSeq = u[eo + 3]!;
      e.passiveOpen = (bits & (1 << (6 + k * 4))) !== 0;
      e.synSent = (bits & (1 << (7 + k * 4))) !== 0;
      e.finSent = (bits & (1 << (8 + k * 4))) !== 0;
      e.peerFinReceived = (bits & (1 << (9 + k * 4))) !== 0;
    }
    store.segments.delete(id);
    t.analysis.mruSynNsec = u[ub + 32]!;
    t.analysis.mruSynSec = f64[fb + 4]!;
    t.statesStarted = (bits & (1 << 14)) !== 0;
    t.streamsOver = (bits & (1 << 15)) !== 0;
    t.closingInitiator[0] = (bits & (1 << 16)) !== 0;
    t.closingInitiator[1] = (bits & (1 << 17)) !== 0;
    return t;
  }

  /**
   * Bytes of one end's stream (retransmitted bytes once): its highest sequence number relative to
   * the number before its first byte, less the FIN; −1 when not known.
   */
  private streamBytes(end: number): number {
    const f = this.flow[end]!;
    if (!f.baseSeqSet || f.nextSeq === 0) return -1;
    const rel = (f.nextSeq - f.baseSeq) >>> 0;
    const n = rel - 1 - (this.end[end]!.finSent ? 1 : 0);
    return n >= 0 && n < 2 ** 31 ? n : -1;
  }

  /** Payload bytes each end had sent beyond the other end's last acknowledgment (RFC 9293 §3.4). */
  private unackedAtEnd(): number {
    let n = 0;
    for (let a = 0; a < 2; a++) {
      const sent = this.flow[a]!.nextSeq;
      const acked = this.flow[1 - a]!.lastAck;
      if (sent === 0 || acked === 0) continue;
      const d = (sent - acked) | 0;
      if (d > 0 && d < 1 << 30) n += d;
    }
    return n;
  }

  // ReassemblyTarget

  streamData(dir: number, bytes: Uint8Array, off: number, len: number, streamOffset: number, row: number, frameOffset: number, buffered: boolean): void {
    const side = this.side![dir]!;
    if (side.spans !== null) side.spans.push(streamOffset, row, frameOffset, len);
    let app = this.conv.app;
    if (app === null) {
      if (side.appTries >= MAX_DETECT_TRIES) return;
      side.appTries++;
      app = this.detect(bytes, off, len);
      if (app === null) return;
    }
    const adir = this.appDir(dir);
    const told = side.appOffset;
    if (streamOffset > told) {
      app.gap(adir, streamOffset - told, this.chunkAt(told, -1));
    } else if (told === 0 && !side.knownStart) {
      // Mid-connection start: an unknown amount came before the first byte seen.
      side.knownStart = true;
      app.gap(adir, 0, this.chunkAt(0, -1));
    }
    side.appOffset = streamOffset + len;
    this.deliveryRow = row;
    this.deliveryOffset = streamOffset;
    app.data(adir, bytes, off, len, this.chunkAt(streamOffset, buffered ? -1 : frameOffset));
    this.deliveryRow = -1;
    const end = streamOffset + len;
    // Marked when no PDU tshark dissects ends in the segment and one is open past it or lost bytes.
    if (row === this.ctx.currentRow && side.doneEnd <= streamOffset && (side.pduEnd < end || side.lostEnd > streamOffset)) this.segmentOfPdu();
    if (side.pduEnd >= end) return;
    // Bytes past the last PDU's end: this segment carries part of one completed later.
    const later = this.ctx.laterFrames;
    if (later !== null && later.wanted(row)) {
      const rows = (side.pduRows ??= []);
      if (rows[rows.length - 1] !== row) {
        rows.push(row);
        later.segmentOpen(row);
      }
    }
    if (this.ctx.wantsTrees) {
      const segments = (side.pduSegments ??= []);
      const n = end - Math.max(streamOffset, side.pduEnd);
      if (segments[segments.length - 2] === row) segments[segments.length - 1]! += n;
      else segments.push(row, n);
    }
  }

  /**
   * packet-tcp.c: a segment whose bytes all belong to a PDU it does not complete (the subdissector
   * asked for more, or was not called: the middle of a PDU) gets "[TCP segment of a reassembled
   * PDU]" after its Info. One that completes a PDU is dissected as that PDU and is not marked, nor
   * is a retransmission (tshark does not hand its bytes to the subdissector).
   */
  private segmentOfPdu(): void {
    const p = this.ctx.current;
    // A segment cut short by the snap length is never reassembled (packet-tcp.c).
    if ((p.analysis & RETRANSMISSION) !== 0 || p.payloadLength < p.payloadWireLength) return;
    p.analysis |= Analysis.SegmentOfPdu;
    // packet-tls.c clears the column as it begins a record: the note stands alone.
    if (p.infoCleared && p.appInfo === null) p.appInfo = '';
  }

  /**
   * A segment held beyond a hole (read when a retransmission fills it): tshark, which does not
   * reassemble out of order by default, adds it at once to the open PDU (when its end is known,
   * one that ends past the segment's first byte) and marks it so. Not a FIN: the stream ends there
   * (tshark leaves it unmarked, zeek/tcp/reassembly.pcap frame 110).
   */
  private heldInPdu(side: StreamSide, at: number): void {
    const app = this.conv.app;
    if (app === null || side.pduEnd >= side.appOffset || (this.ctx.current.tcpFlags & FIN) !== 0) return;
    const until = app.pduUntil?.(this.appDir(side.bytes.dir)) ?? -1;
    if (until < 0 || at < until) this.segmentOfPdu();
  }

  /** The row whose bytes the parser is reading (streamData), and their first stream offset. */
  private deliveryRow = -1;
  private deliveryOffset = 0;

  streamGap(dir: number, len: number, streamOffset: number): void {
    const app = this.conv.app;
    if (app === null) return;
    const side = this.side![dir]!;
    const end = streamOffset + len;
    if (end <= side.appOffset) return;
    const told = side.appOffset;
    side.appOffset = end;
    app.gap(this.appDir(dir), end - told, this.chunkAt(told, -1));
  }

  // StreamHost

  get laterFrames(): LaterFrames | null {
    return this.ctx.laterFrames;
  }

  /** packet-tcp.c: the segments of a PDU completed in this packet get "[Reassembled PDU in frame: N]". */
  pduEnd(dir: Direction, end: number, reassembled: boolean, lost = false): void {
    if (this.side === null) return;
    const side = this.side[this.senderOf(dir)]!;
    const start = side.pduEnd;
    if (end > side.pduEnd) side.pduEnd = end;
    if (lost) side.lostEnd = Math.max(side.lostEnd, end);
    else side.doneEnd = Math.max(side.doneEnd, end);
    const segments = side.pduSegments;
    if (segments !== null && segments.length > 0) {
      // packet-tcp.c: the packet that completes a PDU over several segments lists them.
      const tree = this.ctx.current.tree;
      // A FIN that ends a message read until close adds no bytes (tshark: "#6(0)").
      const row = this.deliveryRow >= 0 ? this.deliveryRow : this.ctx.currentRow;
      if (reassembled && !this.finishing && tree !== null && row === this.ctx.currentRow) {
        segments.push(row, this.deliveryRow >= 0 ? end - Math.max(this.deliveryOffset, start) : 0);
        const layer = tree.find('tcp');
        if (layer !== null) addReassembledSegments(layer, segments);
      }
      segments.length = 0;
    }
    const later = this.ctx.laterFrames;
    if (later === null) return;
    const rows = side.pduRows;
    if (rows === null || rows.length === 0) return;
    // The end of the capture completes nothing (tshark never finished those PDUs either).
    const inRow = reassembled && !this.finishing ? this.ctx.currentRow : -1;
    for (const r of rows) later.segmentDone(r, inRow);
    rows.length = 0;
  }

  spans(dir: Direction, start: number, end: number): SegmentSpan[] {
    const out: SegmentSpan[] = [];
    const list = this.side === null ? null : this.side[this.senderOf(dir)]!.spans;
    if (list === null || end <= start) return out;
    // Binary search for the first span ending after `start` (spans are in stream order).
    let lo = 0;
    let hi = list.length / 4;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid * 4]! + list[mid * 4 + 3]! <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo * 4; i < list.length; i += 4) {
      const so = list[i]!;
      if (so >= end) break;
      const len = list[i + 3]!;
      const a = so > start ? so : start;
      const b = so + len < end ? so + len : end;
      const fo = list[i + 2]!;
      out.push({ row: list[i + 1]!, frameOffset: fo >= 0 ? fo + (a - so) : -1, streamOffset: a, length: b - a });
    }
    return out;
  }

  /** App direction (0 client → server) of a sender index. */
  private appDir(sender: number): Direction {
    return (sender === 0) === this.conv.clientIsA ? 0 : 1;
  }

  private senderOf(dir: Direction): number {
    return (dir === 0) === this.conv.clientIsA ? 0 : 1;
  }

  private chunkAt(streamOffset: number, frameOffset: number): StreamChunk {
    const c = this.ctx.chunk;
    c.p = this.ctx.current;
    c.row = this.ctx.currentRow;
    c.streamOffset = streamOffset;
    c.frameOffset = frameOffset;
    return c;
  }

  foreign(_dir: Direction, bytes: Uint8Array, off: number, len: number, except: string): AppParser | null {
    const factories = this.ctx.factories;
    const port = this.serverPort !== 0 ? this.serverPort : this.guessServerPort();
    for (let i = 0; i < factories.length; i++) {
      const f = factories[i]!;
      if (f.protocol !== except && f.detect(bytes, off, len, port)) return f.create(this);
    }
    return null;
  }

  /** The first factory that recognises these bytes creates the conversation's parser. */
  private detect(bytes: Uint8Array, off: number, len: number): AppParser | null {
    const factories = this.ctx.factories;
    for (let i = 0; i < factories.length; i++) {
      const f = factories[i]!;
      if (f.detect(bytes, off, len, this.serverPort !== 0 ? this.serverPort : this.guessServerPort())) {
        const app = f.create(this);
        this.conv.app = app;
        return app;
      }
    }
    return null;
  }

  private guessServerPort(): number {
    return this.conv.clientIsA ? this.conv.portB : this.conv.portA;
  }
}

/**
 * The segment length tshark's analysis uses for a TCP packet, or −1 when the IP length does not
 * cover the TCP header (no sequence analysis for it).
 */
export function tcpSegmentLength(p: Packet): number {
  const hlen = p.tcpHeaderLength;
  // The tcp dissector leaves payloadWireLength at the IP payload length when the header itself
  // was cut short.
  const headerCaptured = p.payloadOffset !== 0;
  let claimed = headerCaptured ? p.payloadWireLength + hlen : p.payloadWireLength;
  // When the IP length claims more than the frame holds on the wire, tshark's TCP sees only what
  // the frame has (not so for a reassembled datagram, whose bytes sit before the frame copy).
  if (p.l4Offset >= p.start) {
    const inFrame = p.wirelen - (p.l4Offset - p.start);
    if (claimed > inFrame) claimed = inFrame;
  }
  return claimed >= hlen ? claimed - hlen : -1;
}

function isClosed(state: number): boolean {
  return state === TcpState.Closed || state === TcpState.TimeWait;
}

/** Runs of in-order bytes per direction that detection examines before giving up. */
const MAX_DETECT_TRIES = 8;

function start(side: StreamSide, firstSeq: number, known: boolean): void {
  side.started = true;
  side.base = firstSeq;
  side.knownStart = known;
}

/** Stream offset of raw sequence number `seq` (the one nearest to what is expected next). */
function offsetOf(side: StreamSide, seq: number): number {
  const next = side.bytes.next;
  // ToUint32 is the remainder modulo 2^32 for these integers (below 2^53), without a division.
  const seqAtNext = (side.base + next) >>> 0;
  return next + ((seq - seqAtNext) | 0);
}

/**
 * tshark's verify_tcp_window_scaling: a SYN without the option means neither side scales; a
 * SYN,ACK without it after a SYN with it turns scaling off for both.
 */
function verifyWindowScaling(synAck: boolean, fwd: TcpFlow, rev: TcpFlow): void {
  if (fwd.winScale === -1) {
    fwd.winScale = -2;
    rev.winScale = -2;
  } else if (synAck && rev.winScale === -2) {
    fwd.winScale = -2;
  }
}
