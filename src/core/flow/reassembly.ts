// One direction of a byte stream put back in order: in-order bytes pass straight through (no
// copy), out-of-order segments wait in a bounded buffer, retransmitted bytes are dropped (the first
// copy wins, as in tshark), and holes that will never be filled become gaps.

/** Where the reassembler sends what it produces (implemented per conversation by the flow stage). */
export interface ReassemblyTarget {
  /**
   * In-order bytes `bytes[off, off + len)` at `streamOffset`. `row`/`frameOffset` say which packet
   * carried them and where in its frame; `buffered` is true when they come from the out-of-order
   * buffer (a copy) rather than from the packet being processed.
   */
  streamData(
    dir: number,
    bytes: Uint8Array,
    off: number,
    len: number,
    streamOffset: number,
    row: number,
    frameOffset: number,
    buffered: boolean,
  ): void;
  /** `len` bytes at `streamOffset` were never seen and never will be. */
  streamGap(dir: number, len: number, streamOffset: number): void;
}

/** An out-of-order segment kept until the bytes before it arrive (a copy of its bytes). */
interface Pending {
  offset: number;
  data: Uint8Array;
  row: number;
  frameOffset: number;
}

/** The list of every reassembler with nothing buffered (never written: `buffer` makes its own). */
const NO_PENDING: Pending[] = Object.freeze([]) as unknown as Pending[];

/** Farthest ahead of the next expected byte a segment may start (the largest TCP window). */
const MAX_AHEAD = 2 ** 30;

/** At most this many out-of-order segments per direction, whatever their size. */
const MAX_PENDING_SEGMENTS = 8192;

export class StreamReassembler {
  /** Stream offset of the next byte expected in order. */
  next = 0;
  /** Bytes held in the out-of-order buffer. */
  pendingBytes = 0;
  /** Out-of-order segments, oldest first (a shared empty list until the first one arrives). */
  private pending: Pending[] = NO_PENDING;

  constructor(
    readonly dir: number,
    /** Most bytes buffered out of order before the oldest hole is given up as a gap. */
    readonly limit: number,
  ) {}

  get pendingSegments(): number {
    return this.pending.length;
  }

  /**
   * A segment covering stream offsets [offset, offset + wireLen), of which the first `len` bytes
   * were captured at `bytes[off…]` (a capture cut short by the snap length leaves the rest missing).
   */
  add(
    t: ReassemblyTarget,
    offset: number,
    bytes: Uint8Array,
    off: number,
    len: number,
    wireLen: number,
    row: number,
    frameOffset: number,
  ): void {
    if (wireLen < len) wireLen = len;
    let end = offset + wireLen;
    if (end <= this.next || wireLen === 0) return;
    if (offset < this.next) {
      // Already delivered bytes at the front: the first copy wins.
      const skip = this.next - offset;
      offset = this.next;
      if (skip >= len) {
        len = 0;
      } else {
        off += skip;
        frameOffset = frameOffset >= 0 ? frameOffset + skip : -1;
        len -= skip;
      }
    }
    if (offset > this.next) {
      // Nothing legitimate starts beyond the largest TCP window (2^30, RFC 7323 §2.3) past what
      // was delivered: such a segment belongs to something else and must not open a huge gap.
      if (len === 0 || offset - this.next > MAX_AHEAD) return;
      // Make room first: beyond the limit, the oldest hole becomes a gap.
      while (this.pendingBytes + len > this.limit || this.pending.length >= MAX_PENDING_SEGMENTS) {
        const first = this.pending.length > 0 ? Math.min(this.pending[0]!.offset, offset) : offset;
        this.skipTo(t, first);
        if (offset <= this.next) break;
      }
      if (offset > this.next) {
        this.buffer(offset, bytes, off, len, row, frameOffset);
        return;
      }
      // The segment became in order while making room.
      end = offset + wireLen;
      if (end <= this.next) return;
      const skip = this.next - offset;
      if (skip >= len) {
        len = 0;
      } else {
        off += skip;
        frameOffset = frameOffset >= 0 ? frameOffset + skip : -1;
        len -= skip;
      }
      offset = this.next;
    }
    // In order: straight through, no copy. Where buffered bytes arrived earlier for the same
    // offsets, those earlier copies win.
    while (len > 0) {
      const first = this.pending.length > 0 ? this.pending[0]! : null;
      const take = first !== null && first.offset < offset + len ? first.offset - offset : len;
      if (take > 0) {
        this.next = offset + take;
        t.streamData(this.dir, bytes, off, take, offset, row, frameOffset, false);
      }
      if (take === len) break;
      this.drain(t);
      // Skip what the buffered copies supplied.
      const skip = this.next - offset;
      if (skip >= len) break;
      off += skip;
      frameOffset = frameOffset >= 0 ? frameOffset + skip : -1;
      offset = this.next;
      len -= skip;
    }
    if (end > this.next) {
      // Bytes on the wire that the capture did not keep: a gap, unless buffered data covers it.
      this.skipTo(t, end);
    }
    this.drain(t);
  }

  /**
   * Nothing before `offset` will arrive any more (the receiver acknowledged it, the stream ends, or
   * the buffer is full): delivers buffered bytes before it in order, with gaps for the holes.
   */
  skipTo(t: ReassemblyTarget, offset: number): void {
    while (this.next < offset) {
      const first = this.pending.length > 0 ? this.pending[0]! : null;
      if (first !== null && first.offset <= this.next) {
        this.drain(t);
        continue;
      }
      const holeEnd = first !== null && first.offset < offset ? first.offset : offset;
      const start = this.next;
      this.next = holeEnd;
      t.streamGap(this.dir, holeEnd - start, start);
      this.drain(t);
    }
  }

  /** Delivers everything buffered, with gaps for the holes between (end of stream). */
  flush(t: ReassemblyTarget): void {
    while (this.pending.length > 0) {
      const last = this.pending[this.pending.length - 1]!;
      this.skipTo(t, last.offset + last.data.length);
    }
    // The stream is over: its (empty) list goes.
    this.pending = NO_PENDING;
  }

  /** Delivers buffered segments that are now in order. */
  private drain(t: ReassemblyTarget): void {
    const pending = this.pending;
    while (pending.length > 0) {
      const s = pending[0]!;
      if (s.offset > this.next) return;
      pending.shift();
      this.pendingBytes -= s.data.length;
      const end = s.offset + s.data.length;
      if (end <= this.next) continue;
      const skip = this.next - s.offset;
      const start = this.next;
      this.next = end;
      t.streamData(this.dir, s.data, skip, s.data.length - skip, start, s.row, s.frameOffset >= 0 ? s.frameOffset + skip : -1, true);
    }
  }

  /** Keeps the bytes of [offset, offset + len) that no buffered segment holds yet (first copy wins). */
  private buffer(offset: number, bytes: Uint8Array, off: number, len: number, row: number, frameOffset: number): void {
    if (this.pending === NO_PENDING) this.pending = [];
    const pending = this.pending;
    let pos = offset;
    const end = offset + len;
    let i = 0;
    // Skip segments entirely before this one.
    while (i < pending.length && pending[i]!.offset + pending[i]!.data.length <= pos) i++;
    while (pos < end) {
      const s = i < pending.length ? pending[i]! : null;
      if (s !== null && s.offset <= pos) {
        // Covered by an earlier copy.
        pos = s.offset + s.data.length;
        i++;
        continue;
      }
      const stop = s !== null && s.offset < end ? s.offset : end;
      const skip = pos - offset;
      const piece: Pending = {
        offset: pos,
        data: bytes.slice(off + skip, off + skip + (stop - pos)),
        row,
        frameOffset: frameOffset >= 0 ? frameOffset + skip : -1,
      };
      pending.splice(i, 0, piece);
      this.pendingBytes += stop - pos;
      i++;
      pos = stop;
    }
  }
}
