// TLS record framing over one direction's byte stream: a small state machine that finds record
// boundaries across any number of data() calls, copies only the bodies it is asked to keep, and
// only counts the bytes of the rest (bulk application data costs O(records), not O(bytes)).

import type { Direction, StreamChunk } from '../flow/app-parser';

/** RFC 8446 §5.2 / RFC 5246 §6.2.3: ciphertext may exceed 2^14 by 2048 bytes (TLS ≤ 1.2). */
export const MAX_RECORD_LENGTH = 16384 + 2048;

export const ContentType = {
  ChangeCipherSpec: 20,
  Alert: 21,
  Handshake: 22,
  ApplicationData: 23,
  Heartbeat: 24,
  Tls12Cid: 25,
} as const;

/** How the framer treats a header whose first byte has the high bit set. */
export const Sslv2Mode = {
  /** Session version unknown: an SSL 2.0 header is accepted when the message type fits. */
  Detect: 0,
  /** SSL 2.0 session: every record has a 2- or 3-byte header. */
  Force: 1,
  /** SSL 3.0 / TLS session: only 5-byte headers. */
  Never: 2,
} as const;

/** Wireshark's ssl_is_valid_content_type (20–25). */
export function isValidContentType(type: number): boolean {
  return type >= 20 && type <= 25;
}

/** Record-layer versions a TLS header may carry: SSL 3.0 to TLS 1.3, and TLCP (GB/T 38636). */
export function isRecordVersion(version: number): boolean {
  return (version >= 0x0300 && version <= 0x0304) || version === 0x0101;
}

/**
 * Wireshark's ssl_looks_like_sslv2: the high bit of the first byte set (2-byte header, no padding)
 * and an SSL 2.0 message type that travels in the clear (error, client hello, client master key,
 * server hello) in the third byte.
 */
export function looksLikeSslv2(b0: number, b2: number): boolean {
  return (b0 & 0x80) !== 0 && (b2 === 0 || b2 === 1 || b2 === 2 || b2 === 4);
}

/** A plausible SSL 3.0/TLS record header at `b[at]` (used to resynchronise after damage). */
export function plausibleHeader(b: Uint8Array, at: number, end: number): boolean {
  if (end - at < 5) return false;
  const type = b[at]!;
  if (type < 20 || type > 24) return false;
  const version = (b[at + 1]! << 8) | b[at + 2]!;
  if (version < 0x0300 || version > 0x0303) return false;
  const length = (b[at + 3]! << 8) | b[at + 4]!;
  return length > 0 && length <= MAX_RECORD_LENGTH;
}

/**
 * Whether `b[at, end)` may begin a direction's TLS stream: a record header (any version a header
 * may carry), or an SSL 2.0 hello. Fewer than five bytes cannot say no.
 */
export function looksLikeRecordStart(b: Uint8Array, at: number, end: number): boolean {
  if (end - at < 5) return true;
  if (end - at >= 3 && looksLikeSslv2(b[at]!, b[at + 2]!)) return true;
  return isValidContentType(b[at]!) && isRecordVersion((b[at + 1]! << 8) | b[at + 2]!);
}

/** What the framer reports to (the TLS parser). */
export interface FramerSink {
  /**
   * A record's header arrived but not all of its body: should the body be copied as it comes
   * (handshake, alert, CCS; application data only when trees need the bytes)?
   */
  keepBody(f: RecordFramer): boolean;
  /**
   * A record is complete. Header and body are `b[at, at + f.headerLength + f.length)`; `b` is
   * null when the body was counted, not kept. `frameOffset` is where `at` sits in the frame of
   * `chunk.p` when every byte came from that frame in this call, else -1.
   */
  record(f: RecordFramer, b: Uint8Array | null, at: number, frameOffset: number, chunk: StreamChunk): void;
  /**
   * Bytes that could not be framed, ending at `f.pos`: a header that is not one (`lost` false: the
   * bytes are malformed, or not TLS at all), or bytes after a hole while framing is lost (`lost`
   * true: they are not damaged, only their record boundaries were not captured).
   */
  junk(f: RecordFramer, length: number, reason: string, chunk: StreamChunk, lost: boolean): void;
}

const EMPTY = new Uint8Array(0);
/** Bytes of record buffer a direction keeps between records (larger ones are dropped). */
const RETAINED_BUFFER = 1024;

export class RecordFramer {
  readonly dir: Direction;
  /** Stream offset of the next byte (data and gaps both count). */
  pos = 0;
  sslv2Mode: number = Sslv2Mode.Detect;

  // The record being assembled (valid while `inRecord`, and during sink.record()).
  inRecord = false;
  type = 0;
  version = 0;
  length = 0;
  headerLength = 5;
  sslv2 = false;
  /** SSL 2.0 3-byte header: is-escape bit (1/0) and padding length; -1 otherwise. */
  v2Escape = -1;
  v2Padding = -1;
  /** Stream offset of the header's first byte. */
  start = 0;
  firstRow = 0;
  /** Body bytes seen (received or lost to gaps). */
  have = 0;
  /** Body bytes lost to gaps. */
  missing = 0;
  /** Whether the body is being copied into `buf` (header first). */
  keep = false;
  buf: Uint8Array = EMPTY;
  /** Framing is lost until a data() call starts with a plausible header. */
  lost = false;

  /** A header split across calls is collected here (allocated the first time one is). */
  private hdr: Uint8Array = EMPTY;
  private hdrHave = 0;

  constructor(dir: Direction) {
    this.dir = dir;
  }

  /** Bytes of a record header or body held while waiting for more (for end-of-stream reports). */
  pending(): number {
    return this.inRecord ? this.headerLength + this.have : this.hdrHave;
  }

  /** Feeds in-order stream bytes `b[off, off + len)`. */
  feed(b: Uint8Array, off: number, len: number, chunk: StreamChunk, sink: FramerSink): void {
    let p = off;
    const end = off + len;
    if (this.lost) {
      if (!plausibleHeader(b, p, end)) {
        this.pos += len;
        sink.junk(this, len, 'not a TLS record (framing lost after bytes that were not captured)', chunk, true);
        return;
      }
      this.lost = false;
    }
    while (p < end) {
      if (this.inRecord) {
        const take = Math.min(this.length - this.have, end - p);
        if (this.keep) this.buf.set(b.subarray(p, p + take), this.headerLength + this.have);
        this.have += take;
        p += take;
        this.pos += take;
        if (this.have === this.length) this.complete(chunk, sink);
        continue;
      }
      // A header starts here (or continues from the previous call).
      let hb: Uint8Array;
      let ho: number;
      if (this.hdrHave === 0 && end - p >= 5) {
        hb = b;
        ho = p;
        this.start = this.pos;
        this.firstRow = chunk.row;
      } else {
        if (this.hdrHave === 0) {
          this.start = this.pos;
          this.firstRow = chunk.row;
        }
        if (this.hdr.length === 0) this.hdr = new Uint8Array(5);
        while (this.hdrHave < 5 && p < end) {
          this.hdr[this.hdrHave++] = b[p++]!;
          this.pos++;
        }
        if (this.hdrHave < 5) return;
        hb = this.hdr;
        ho = 0;
      }
      const reason = this.decodeHeader(hb, ho);
      if (reason !== null) {
        // Wireshark shows the rest as "Continuation Data"; we resynchronise at a later call.
        const rest = end - p;
        this.pos += rest;
        this.hdrHave = 0;
        this.lost = true;
        sink.junk(this, rest + (hb === this.hdr ? 5 : 0), reason, chunk, false);
        return;
      }
      const total = this.headerLength + this.length;
      if (hb === b) {
        if (end - p >= total) {
          // The whole record is in this call: hand it over in place, no copy.
          this.inRecord = true;
          this.have = this.length;
          this.missing = 0;
          this.keep = false;
          this.pos += total;
          sink.record(this, b, p, chunk.frameOffset >= 0 ? chunk.frameOffset + (p - off) : -1, chunk);
          this.inRecord = false;
          p += total;
          continue;
        }
        this.begin(sink);
        if (this.keep) for (let i = 0; i < this.headerLength; i++) this.buf[i] = b[p + i]!;
        p += this.headerLength;
        this.pos += this.headerLength;
      } else {
        // Five header bytes were collected; an SSL 2.0 header is shorter, the rest is body.
        this.begin(sink);
        const extra = 5 - this.headerLength;
        if (this.keep) this.buf.set(this.hdr.subarray(0, Math.min(5, total)), 0);
        this.have = Math.min(extra, this.length);
        if (this.have === this.length) {
          // A tiny SSL 2.0 record inside the collected bytes: what follows it starts the next header.
          const over = extra - this.length;
          this.complete(chunk, sink);
          this.hdr.copyWithin(0, 5 - over, 5);
          this.hdrHave = over;
          this.start = this.pos - over;
          this.firstRow = chunk.row;
          continue;
        }
      }
      this.hdrHave = 0;
    }
  }

  /** `len` stream bytes were not captured. */
  gap(len: number, chunk: StreamChunk, sink: FramerSink): void {
    this.pos += len;
    if (this.lost) return;
    if (this.inRecord && this.length - this.have > len) {
      // The gap falls inside this record: its end is still known, so framing survives.
      this.have += len;
      this.missing += len;
      return;
    }
    if (this.inRecord) {
      const rest = this.length - this.have;
      this.missing += rest;
      this.have = this.length;
      this.complete(chunk, sink);
      if (len === rest) return;
    }
    this.hdrHave = 0;
    this.lost = true;
  }

  /** End of stream: what is left is a truncated record (reported to the caller, then dropped). */
  reset(): void {
    this.inRecord = false;
    this.hdrHave = 0;
    this.have = 0;
    this.keep = false;
  }

  private begin(sink: FramerSink): void {
    this.inRecord = true;
    this.have = 0;
    this.missing = 0;
    this.keep = sink.keepBody(this);
    if (this.keep) {
      const total = this.headerLength + this.length;
      if (this.buf.length < total) this.buf = new Uint8Array(Math.max(total, Math.min(this.buf.length * 2, MAX_RECORD_LENGTH + 5)));
    }
  }

  private complete(chunk: StreamChunk, sink: FramerSink): void {
    sink.record(this, this.keep && this.missing === 0 ? this.buf : null, 0, -1, chunk);
    this.inRecord = false;
    this.keep = false;
    // Records kept across packets are the handshake's: once it is over, a large buffer would only
    // sit in every open connection.
    if (this.buf.length > RETAINED_BUFFER) this.buf = EMPTY;
  }

  /** Drops the record buffer (the direction ended). */
  release(): void {
    this.buf = EMPTY;
  }

  /** Reads a header at hb[ho] (five bytes present); returns why it is not one, or null. */
  private decodeHeader(hb: Uint8Array, ho: number): string | null {
    const b0 = hb[ho]!;
    const mode = this.sslv2Mode;
    if (mode === Sslv2Mode.Force || (mode === Sslv2Mode.Detect && looksLikeSslv2(b0, hb[ho + 2]!))) {
      // SSL 2.0 record header: 2 bytes (high bit set) or 3 bytes with escape bit and padding.
      this.sslv2 = true;
      this.type = 0;
      this.version = 0x0002;
      if ((b0 & 0x80) !== 0) {
        this.headerLength = 2;
        this.length = ((b0 & 0x7f) << 8) | hb[ho + 1]!;
        this.v2Escape = -1;
        this.v2Padding = -1;
      } else {
        this.headerLength = 3;
        this.length = ((b0 & 0x3f) << 8) | hb[ho + 1]!;
        this.v2Escape = (b0 & 0x40) !== 0 ? 1 : 0;
        this.v2Padding = hb[ho + 2]!;
      }
      return this.length === 0 ? 'SSL 2.0 record of length 0' : null;
    }
    this.sslv2 = false;
    this.headerLength = 5;
    this.type = b0;
    this.version = (hb[ho + 1]! << 8) | hb[ho + 2]!;
    this.length = (hb[ho + 3]! << 8) | hb[ho + 4]!;
    if (!isValidContentType(b0)) return headerProblem(hb, ho, `unknown content type ${b0}`);
    if (!isRecordVersion(this.version)) {
      const version = `no TLS version (0x${this.version.toString(16).padStart(4, '0')})`;
      return headerProblem(hb, ho, this.length > MAX_RECORD_LENGTH ? `${version}, a length of ${this.length.toLocaleString('en-US')} beyond the ${MAX_RECORD_LENGTH.toLocaleString('en-US')} bytes a record may hold` : version);
    }
    return null;
  }
}

/** Why five bytes are not a record header, with the bytes (`record header 14 ff ff ff 01: …`). */
function headerProblem(hb: Uint8Array, ho: number, why: string): string {
  let hex = '';
  for (let i = 0; i < 5; i++) hex += (i > 0 ? ' ' : '') + hb[ho + i]!.toString(16).padStart(2, '0');
  return `record header ${hex}: ${why}`;
}
