// The HTTP/2 application parser (RFC 9113): frames each direction's bytes, decodes header blocks
// with HPACK, follows streams as request/response pairs, and annotates the packet completing each
// frame (Info, Protocol column, and on the tree path one layer per frame, as Wireshark shows it).

import type { AppParser, AppParserFactory, Direction, StreamChunk, StreamHost, UpgradeRequest } from '../flow/app-parser';
import { Mark, Proto } from '../dissect/packet';
import type { TreeBuilder } from '../dissect/tree';
import { decodeBody } from './content-coding';
import { h2FieldList } from './fields';
import { addFrameLayer, addPrefaceLayer, isTextual, reasonPhrase, type FrameExtras, type TreeHeader } from './frame-tree';
import {
  DEFAULT_MAX_FRAME_SIZE,
  FRAME_HEADER_LENGTH,
  Flag,
  FrameType,
  LARGEST_MAX_FRAME_SIZE,
  PREFACE,
  Setting,
  errorCodeName,
  frameLength,
  frameTypeName,
  looksLikeHttp2,
  plausibleFrameHeader,
  streamId,
} from './frames';
import { HpackDecoder, Repr, type HeaderSink } from './hpack';
import type { Http2FrameRecord, Http2Header, Http2Message, Http2Session, Http2Setting, Http2Stream } from './model';

/** Header fields (and their decoded bytes) kept per header block, as Wireshark's limits. */
const MAX_HEADER_LINES = 200;
const MAX_HEADER_BYTES = 256 * 1024;

/** Frames kept as records for the views (a replay of one conversation). */
const KEPT_FRAMES = 200_000;
/** Streams kept with their headers once closed (views); summary-only passes keep open ones only. */
const KEPT_STREAMS = 100_000;
/** Body bytes kept per message for display. */
export const MAX_KEPT_BODY = 16 * 1024 * 1024;
const KEPT_PROBLEMS = 64;

// Framing states of one direction.
const S_START = 0; // first byte of the direction: the client preface, or a frame header
const S_PREFACE = 1;
const S_HEADER = 2;
const S_PAYLOAD = 3;
const S_LOST = 4; // frame boundaries unknown: waiting for a chunk that starts with a frame header
const S_ENDED = 5;

/**
 * Stream objects summary-only passes reuse, shared by every connection (a whole-file pass opens
 * millions of streams but holds only the open ones).
 */
const streamPool: Http2Stream[] = [];
const STREAM_POOL = 256;

/** Frame types counted in Http2Session.framesByType; the last slot counts unknown types. */
const TYPE_SLOTS = 13;

/** Seconds since the epoch of a packet (double precision is enough for views and ordering). */
function timeOf(chunk: StreamChunk): number {
  return chunk.p.tsSec + chunk.p.tsNsec / 1e9;
}

function newMessage(): Http2Message {
  return {
    headers: [],
    trailers: [],
    method: null,
    path: null,
    authority: null,
    scheme: null,
    status: null,
    contentType: null,
    contentLength: null,
    contentEncoding: null,
    headersRow: -1,
    headersTime: Number.NaN,
    dataFrames: 0,
    bodyBytes: 0,
    firstDataRow: -1,
    lastDataRow: -1,
    endRow: -1,
    endTime: Number.NaN,
    body: null,
    bodyKept: 0,
    bodyTruncated: false,
    undecodable: null,
  };
}

function resetMessage(m: Http2Message): void {
  m.headers.length = 0;
  m.trailers.length = 0;
  m.method = null;
  m.path = null;
  m.authority = null;
  m.scheme = null;
  m.status = null;
  m.contentType = null;
  m.contentLength = null;
  m.contentEncoding = null;
  m.headersRow = -1;
  m.headersTime = Number.NaN;
  m.dataFrames = 0;
  m.bodyBytes = 0;
  m.firstDataRow = -1;
  m.lastDataRow = -1;
  m.endRow = -1;
  m.endTime = Number.NaN;
  m.body = null;
  m.bodyKept = 0;
  m.bodyTruncated = false;
  m.undecodable = null;
}

function newStream(id: number): Http2Stream {
  return { id, request: newMessage(), response: newMessage(), interim: [], promisedBy: 0, upgraded: false, reset: null, firstRow: -1, lastRow: -1, firstTime: Number.NaN };
}

/** The media type of a Content-Type value: `text/html` of `text/html; charset=utf-8`. */
function mediaType(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

class Side {
  state = S_START;
  /** Stream offset of the next byte. */
  pos = 0;
  prefaceGot = 0;
  /** The frame being read: its header, and (when buffered) header and payload. */
  readonly hdr = new Uint8Array(FRAME_HEADER_LENGTH);
  hdrGot = 0;
  buf = new Uint8Array(512);
  buffered = false;
  length = 0;
  type = 0;
  flags = 0;
  stream = 0;
  frameStart = 0;
  firstRow = -1;
  got = 0;
  /** Bytes of this frame that were not captured. */
  missing = 0;
  /** DATA read in place: the pad length (-1 until read) and the data bytes left. */
  padLength = -1;
  dataLeft = 0;
  /** Decodes the header blocks this direction sends. */
  readonly hpack = new HpackDecoder();
  /** An open header block waiting for CONTINUATION: its stream (0 none), type and promised stream. */
  blockStream = 0;
  blockType = 0;
  blockPromised = 0;
  /** Frames this direction sends may be this long (the receiver's SETTINGS_MAX_FRAME_SIZE). */
  maxFrameSize = DEFAULT_MAX_FRAME_SIZE;

  constructor(readonly dir: Direction) {}

  reserve(need: number): void {
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, FRAME_HEADER_LENGTH + this.got));
    this.buf = grown;
  }

  /** Drops a buffer grown for one large frame. */
  shrink(): void {
    if (this.buf.length > 256 * 1024) this.buf = new Uint8Array(512);
  }
}

export interface Http2ParserOptions {
  /** How HTTP/2 was chosen for this connection (the parser also sees the client preface itself). */
  start?: Http2Session['start'];
}

export class Http2Parser implements AppParser, HeaderSink {
  readonly protocol = 'http2';
  readonly session: Http2Session;
  private readonly sides: [Side, Side] = [new Side(0), new Side(1)];
  private readonly summaryOnly: boolean;
  private readonly wantsTrees: boolean;
  private readonly keepBodies: boolean;
  /** Streams that are open, and (views) all of them: summary-only passes drop closed ones. */
  private readonly streams: Map<number, Http2Stream>;

  // The header block being decoded: which message it fills, and what the tree wants of it.
  private sinkStream: Http2Stream | null = null;
  private sinkMsg: Http2Message | null = null;
  private sinkTrailers = false;
  private sinkKeep = false;
  /** Fields and decoded bytes of the block so far: past the caps they are decoded but not kept. */
  private blockLines = 0;
  private blockBytes = 0;
  private blockCapped = false;
  private treeHeaders: TreeHeader[] | null = null;
  private treeExtras: FrameExtras | null = null;
  private frameMethod: string | null = null;
  private framePath: string | null = null;
  private frameStatus: string | null = null;

  // The packet being analysed: its Info column and where this call's bytes sit in it.
  private infoRow = -1;
  private info = '';
  private callChunk: StreamChunk | null = null;
  private callOff = 0;
  private callLen = 0;

  constructor(
    readonly host: StreamHost,
    opts: Http2ParserOptions = {},
  ) {
    this.summaryOnly = host.summaryOnly === true;
    this.wantsTrees = host.wantsTrees;
    this.keepBodies = !this.summaryOnly;
    this.session = {
      start: opts.start ?? 'frames',
      prefaceRow: -1,
      frames: [0, 0],
      framesByType: new Array<number>(TYPE_SLOTS).fill(0),
      streamCount: 0,
      requests: 0,
      responses: 0,
      resets: 0,
      statusCounts: new Map(),
      undecodableBlocks: 0,
      goaways: [],
      settings: [new Map(), new Map()],
      streams: new Map(),
      frameRecords: [],
      problems: [],
      firstRequest: null,
      timeToFirstByte: null,
      firstByteRows: null,
    };
    this.streams = this.session.streams;
  }

  /** Stream `id` (views: any stream seen; summary-only passes: open streams only). */
  stream(id: number): Http2Stream | undefined {
    return this.streams.get(id);
  }

  pduUntil(dir: Direction): number {
    const side = this.sides[dir];
    return side.state === S_PAYLOAD ? side.frameStart + FRAME_HEADER_LENGTH + side.length : -1;
  }

  describe(): Record<string, string | number> {
    const s = this.session;
    const out: Record<string, string | number> = { 'http2.streams': s.streamCount, 'http2.requests': s.requests };
    if (s.firstRequest !== null) out['http2.first_request'] = s.firstRequest;
    if (s.resets > 0) out['http2.resets'] = s.resets;
    const g = s.goaways[0];
    if (g !== undefined) out['http2.goaway'] = `${g.name} (last stream ${g.lastStreamId})`;
    if (s.undecodableBlocks > 0) out['http2.undecodable_blocks'] = s.undecodableBlocks;
    if (s.statusCounts.size > 0) out['http2.status'] = [...s.statusCounts].sort((a, b) => a[0] - b[0]).map(([c, n]) => `${c}×${n}`).join(' ');
    return out;
  }

  /** RFC 7540 §3.2: after `Upgrade: h2c` the HTTP/1.1 request is stream 1, half-closed by the client. */
  upgradedFrom(request: UpgradeRequest): void {
    this.session.start = 'upgrade';
    const s = this.openStream(1, request.row, request.time);
    s.upgraded = true;
    const m = s.request;
    m.method = request.method;
    m.path = request.target;
    m.authority = request.host;
    m.headersRow = request.row;
    m.headersTime = request.time;
    m.endRow = request.row;
    m.endTime = request.time;
    this.session.requests++;
    this.session.firstRequest ??= `${request.method} ${request.target}`;
  }

  // -------------------------------------------------------------------------------------------
  // AppParser
  // -------------------------------------------------------------------------------------------

  data(dir: Direction, bytes: Uint8Array, off: number, len: number, chunk: StreamChunk): void {
    const side = this.sides[dir];
    if (side.state === S_ENDED || len <= 0) return;
    this.enterCall(chunk, off, len);
    const end = Math.min(off + len, bytes.length);
    let i = off;
    // Every step consumes bytes or changes state; the bound guards against a bug looping forever.
    for (let steps = 0; i < end && steps < 4 * (end - off) + 16; steps++) {
      switch (side.state) {
        case S_START:
          side.state = bytes[i] === PREFACE[0] ? S_PREFACE : S_HEADER;
          break;
        case S_PREFACE:
          i = this.inPreface(side, bytes, i, end, chunk);
          break;
        case S_HEADER:
          i = this.inHeader(side, bytes, i, end, chunk);
          break;
        case S_PAYLOAD:
          i = this.inPayload(side, bytes, i, end, chunk);
          break;
        case S_LOST:
          i = this.resync(side, bytes, i, end);
          break;
        default:
          i = end;
      }
    }
    this.callChunk = null;
  }

  gap(dir: Direction, len: number, chunk: StreamChunk): void {
    const side = this.sides[dir];
    if (side.state === S_ENDED) return;
    if (len <= 0) {
      // The capture began inside the connection: the first bytes may be inside a frame, and the
      // header blocks before them filled a dynamic table this capture never saw.
      if (side.pos === 0) {
        side.state = S_LOST;
        side.hpack.startedMidConnection();
      }
      return;
    }
    this.enterCall(chunk, -1, 0);
    const at = side.pos;
    side.pos += len;
    switch (side.state) {
      case S_PAYLOAD: {
        const left = side.length - side.got;
        const take = Math.min(len, left);
        this.problem(side.dir, chunk.row, `${take} bytes of a ${frameTypeName(side.type)} frame (stream ${side.stream}) were not captured`);
        side.missing += take;
        if (side.type === FrameType.Data) this.missingData(side, take, chunk);
        if (side.buffered) {
          side.reserve(FRAME_HEADER_LENGTH + side.got + take);
          side.buf.fill(0, FRAME_HEADER_LENGTH + side.got, FRAME_HEADER_LENGTH + side.got + take);
        }
        side.got += take;
        if (side.got === side.length) this.completeFrame(side, chunk);
        if (take < len) this.lose(side, chunk, `${len - take} bytes missing after a frame: frame boundaries lost`);
        break;
      }
      case S_LOST:
        break;
      default:
        this.lose(side, chunk, `${len} bytes missing at stream offset ${at}: frame boundaries lost`);
    }
    this.callChunk = null;
  }

  end(dir: Direction, chunk: StreamChunk | null): void {
    const side = this.sides[dir];
    if (side.state === S_ENDED) return;
    if (side.state === S_PAYLOAD) {
      this.problem(dir, chunk?.row ?? side.firstRow, `the stream ended inside a ${frameTypeName(side.type)} frame (${side.got} of ${side.length} payload bytes)`);
    } else if (side.state === S_HEADER && side.hdrGot > 0) {
      this.problem(dir, chunk?.row ?? side.firstRow, `the stream ended inside a frame header (${side.hdrGot} of ${FRAME_HEADER_LENGTH} bytes)`);
    }
    side.state = S_ENDED;
    side.buf = new Uint8Array(0);
    side.hpack.release();
    // Both directions over: a summary-only pass keeps no stream (the session's counts stay).
    if (this.summaryOnly && this.sides[dir === 0 ? 1 : 0].state === S_ENDED) {
      for (const st of this.streams.values()) if (streamPool.length < STREAM_POOL) streamPool.push(st);
      this.streams.clear();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Framing
  // -------------------------------------------------------------------------------------------

  private inPreface(side: Side, b: Uint8Array, i: number, end: number, chunk: StreamChunk): number {
    while (i < end && side.prefaceGot < PREFACE.length) {
      if (b[i] !== PREFACE[side.prefaceGot]) {
        // Not the preface after all: what came so far cannot be framed.
        this.lose(side, chunk, 'bytes that start like the client preface but are not');
        return i;
      }
      i++;
      side.prefaceGot++;
      side.pos++;
    }
    if (side.prefaceGot === PREFACE.length) {
      side.state = S_HEADER;
      // The preface and each frame are TCP's PDUs (packet-http2.c reads them with tcp_dissect_pdus).
      this.host.pduEnd?.(side.dir, side.pos, true);
      if (this.session.prefaceRow < 0) this.session.prefaceRow = chunk.row;
      if (this.session.start === 'frames') this.session.start = 'preface';
      this.appendInfo(chunk, 'Magic');
      const t = chunk.p.tree;
      if (t !== null) {
        const start = side.pos - PREFACE.length;
        if (this.inCall(chunk, start, PREFACE.length)) {
          t.source = 0;
          addPrefaceLayer(t, chunk.frameOffset + (start - chunk.streamOffset));
        } else {
          t.addSource(this.sourceName(PREFACE.length), PREFACE.slice());
          addPrefaceLayer(t, 0);
          t.source = 0;
        }
      }
      chunk.p.top = Proto.Http2;
    }
    return i;
  }

  private inHeader(side: Side, b: Uint8Array, i: number, end: number, chunk: StreamChunk): number {
    if (side.hdrGot === 0) {
      side.frameStart = side.pos;
      side.firstRow = chunk.row;
    }
    const take = Math.min(end - i, FRAME_HEADER_LENGTH - side.hdrGot);
    for (let k = 0; k < take; k++) side.hdr[side.hdrGot + k] = b[i + k]!;
    side.hdrGot += take;
    side.pos += take;
    i += take;
    if (side.hdrGot < FRAME_HEADER_LENGTH) return i;
    side.hdrGot = 0;
    const h = side.hdr;
    const length = frameLength(h, 0);
    if (length > side.maxFrameSize && length > DEFAULT_MAX_FRAME_SIZE) {
      // RFC 9113 §4.2: FRAME_SIZE_ERROR. A length this far off usually means we are not at a frame.
      this.lose(side, chunk, `frame length ${length} exceeds SETTINGS_MAX_FRAME_SIZE ${side.maxFrameSize} (RFC 9113 §4.2): frame boundaries lost`);
      return i;
    }
    side.length = length;
    side.type = h[3]!;
    side.flags = h[4]!;
    side.stream = streamId(h, 0);
    side.got = 0;
    side.missing = 0;
    side.padLength = -1;
    side.dataLeft = 0;
    // DATA is read in place on the fast path; other payloads (and every frame a tree may show) are copied.
    side.buffered = side.type !== FrameType.Data || this.wantsTrees;
    if (side.buffered) {
      side.reserve(FRAME_HEADER_LENGTH + length);
      side.buf.set(h, 0);
    }
    if (side.type === FrameType.Data) this.beginData(side, chunk);
    side.state = S_PAYLOAD;
    if (length === 0) this.completeFrame(side, chunk);
    return i;
  }

  private inPayload(side: Side, b: Uint8Array, i: number, end: number, chunk: StreamChunk): number {
    const take = Math.min(end - i, side.length - side.got);
    if (side.type === FrameType.Data) this.dataBytes(side, b, i, take, chunk);
    if (side.buffered) {
      if (take <= 32) for (let k = 0; k < take; k++) side.buf[FRAME_HEADER_LENGTH + side.got + k] = b[i + k]!;
      else side.buf.set(b.subarray(i, i + take), FRAME_HEADER_LENGTH + side.got);
    }
    side.got += take;
    side.pos += take;
    i += take;
    if (side.got === side.length) this.completeFrame(side, chunk);
    return i;
  }

  /** Lost: a call's first bytes are tried as a frame header; the rest of a call is skipped. */
  private resync(side: Side, b: Uint8Array, i: number, end: number): number {
    if (i === this.callOff && looksLikeResync(b, i, end, side.maxFrameSize)) {
      side.state = S_HEADER;
      side.hdrGot = 0;
      return i;
    }
    side.pos += end - i;
    return end;
  }

  private lose(side: Side, chunk: StreamChunk, reason: string): void {
    this.problem(side.dir, chunk.row, reason);
    this.host.pduEnd?.(side.dir, side.pos, false);
    side.state = S_LOST;
    side.hdrGot = 0;
    // Header blocks may have been lost with the bytes: the dynamic table cannot be trusted.
    side.hpack.lostBlock('bytes of this direction were lost: header blocks may be missing');
    side.blockStream = 0;
    side.shrink();
  }

  // -------------------------------------------------------------------------------------------
  // Frames
  // -------------------------------------------------------------------------------------------

  private completeFrame(side: Side, chunk: StreamChunk): void {
    const s = this.session;
    const type = side.type;
    const dir = side.dir;
    this.host.pduEnd?.(dir, side.frameStart + FRAME_HEADER_LENGTH + side.length, side.missing === 0, side.missing > 0);
    s.frames[dir]++;
    s.framesByType[type < TYPE_SLOTS - 1 ? type : TYPE_SLOTS - 1]!++;
    const tree = chunk.p.tree;
    const extras: FrameExtras | null = tree !== null ? { blockOffset: 0, headers: [], hpackError: null, hpackErrorAt: 0, capped: null, fullUri: null, body: null, malformed: null } : null;
    this.treeHeaders = extras !== null ? (extras.headers as TreeHeader[]) : null;
    this.treeExtras = extras;
    this.frameMethod = null;
    this.framePath = null;
    this.frameStatus = null;
    let info = frameInfo(type, side.stream);
    let record: Http2FrameRecord | null = null;
    if (!this.summaryOnly && s.frameRecords.length < KEPT_FRAMES) {
      record = {
        dir,
        type,
        flags: side.flags,
        stream: side.stream,
        length: side.length,
        streamOffset: side.frameStart,
        firstRow: side.firstRow,
        row: chunk.row,
        time: timeOf(chunk),
        settings: null,
        errorCode: -1,
        lastStreamId: -1,
        increment: -1,
        info: '',
      };
    }
    const damaged = side.missing > 0;
    const p = side.buf;
    const P = FRAME_HEADER_LENGTH;
    const len = side.length;
    if (damaged && type !== FrameType.Data) {
      if (type === FrameType.Headers || type === FrameType.PushPromise || type === FrameType.Continuation) side.hpack.lostBlock(`${side.missing} bytes of the header block were not captured`);
      if (extras !== null) extras.malformed = `${side.missing} bytes not captured`;
    } else {
      switch (type) {
        case FrameType.Data:
          info += this.endData(side, chunk, extras);
          break;
        case FrameType.Headers:
        case FrameType.PushPromise:
          info += this.headerBlockFrame(side, chunk, p, P, P + len, extras);
          break;
        case FrameType.Continuation:
          info += this.continuationFrame(side, chunk, p, P, P + len, extras);
          break;
        case FrameType.RstStream:
          if (len !== 4) this.frameError(side, chunk, extras, `RST_STREAM length ${len}, not 4 (RFC 9113 §6.4)`);
          else this.rstStream(side, chunk, readU32(p, P), record);
          break;
        case FrameType.Settings:
          this.settings(side, chunk, p, P, len, record, extras);
          break;
        case FrameType.Ping:
          if (len !== 8) this.frameError(side, chunk, extras, `PING length ${len}, not 8 (RFC 9113 §6.7)`);
          break;
        case FrameType.Goaway:
          if (len < 8) this.frameError(side, chunk, extras, `GOAWAY length ${len}, less than 8 (RFC 9113 §6.8)`);
          else this.goaway(side, chunk, p, P, len, record);
          break;
        case FrameType.WindowUpdate:
          if (len !== 4) this.frameError(side, chunk, extras, `WINDOW_UPDATE length ${len}, not 4 (RFC 9113 §6.9)`);
          else {
            const inc = readU32(p, P) % 0x80000000;
            if (record !== null) record.increment = inc;
            if (inc === 0) this.problem(dir, chunk.row, `WINDOW_UPDATE with a zero increment on stream ${side.stream} (RFC 9113 §6.9: PROTOCOL_ERROR)`);
          }
          break;
        case FrameType.Priority:
          if (len !== 5) this.frameError(side, chunk, extras, `PRIORITY length ${len}, not 5 (RFC 9113 §6.3)`);
          break;
        default:
          break;
      }
      // RFC 9113 §6.10: only CONTINUATION may follow a header block without END_HEADERS.
      if (side.blockStream !== 0 && type !== FrameType.Continuation && type !== FrameType.Headers && type !== FrameType.PushPromise) {
        this.problem(dir, chunk.row, `${frameTypeName(type)} frame inside a header block of stream ${side.blockStream}: CONTINUATION expected (RFC 9113 §6.10)`);
        side.hpack.lostBlock('the header block was interrupted before END_HEADERS');
        side.blockStream = 0;
      }
    }
    if (type !== FrameType.Headers && type !== FrameType.PushPromise && type !== FrameType.Continuation && type !== FrameType.Data && side.stream !== 0) {
      const st = this.streams.get(side.stream);
      if (st !== undefined) st.lastRow = chunk.row;
    }
    this.appendInfo(chunk, info);
    if (record !== null) {
      record.info = info;
      s.frameRecords.push(record);
    }
    if (tree !== null && extras !== null) this.addTree(side, chunk, tree, extras);
    chunk.p.top = Proto.Http2;
    this.treeHeaders = null;
    this.treeExtras = null;
    side.state = S_HEADER;
    side.shrink();
  }

  private frameError(side: Side, chunk: StreamChunk, extras: FrameExtras | null, reason: string): void {
    this.problem(side.dir, chunk.row, reason);
    if (extras !== null) extras.malformed = reason;
    const p = chunk.p;
    p.marks |= Mark.Malformed;
    if (p.malformed === null) p.malformed = reason;
  }

  private addTree(side: Side, chunk: StreamChunk, tree: TreeBuilder, extras: FrameExtras): void {
    const total = FRAME_HEADER_LENGTH + side.length;
    const saved = tree.source;
    if (this.inCall(chunk, side.frameStart, total) && side.missing === 0) {
      tree.source = 0;
      addFrameLayer(tree, tree.sources[0]!.bytes, chunk.frameOffset + (side.frameStart - chunk.streamOffset), extras);
    } else {
      tree.addSource(this.sourceName(total), side.buf.slice(0, total));
      addFrameLayer(tree, side.buf.subarray(0, total), 0, extras);
    }
    tree.source = saved;
  }

  /** Whether stream bytes [start, start + n) all lie in this call's bytes in the frame. */
  private inCall(chunk: StreamChunk, start: number, n: number): boolean {
    return this.callChunk === chunk && this.callOff >= 0 && chunk.frameOffset >= 0 && start >= chunk.streamOffset && start + n <= chunk.streamOffset + this.callLen;
  }

  private sourceName(n: number): string {
    return `${this.host.overTls === true ? 'Decrypted TLS' : 'Reassembled TCP'} (${n} bytes)`;
  }

  // ---- DATA ---------------------------------------------------------------------------------

  private beginData(side: Side, chunk: StreamChunk): void {
    side.dataLeft = (side.flags & Flag.Padded) !== 0 ? -1 : side.length;
    const st = this.streams.get(side.stream);
    if (st === undefined) return;
    const msg = this.messageOf(st, side.dir);
    if (msg.firstDataRow < 0) msg.firstDataRow = chunk.row;
  }

  /** DATA payload bytes as they arrive: the pad length, then data (counted, kept), then padding. */
  private dataBytes(side: Side, b: Uint8Array, i: number, n: number, chunk: StreamChunk): void {
    if (n <= 0) return;
    if (side.dataLeft < 0) {
      // RFC 9113 §6.1: Pad Length, then Data, then that many bytes of padding.
      side.padLength = b[i]!;
      side.dataLeft = Math.max(side.length - 1 - side.padLength, 0);
      i++;
      n--;
    }
    const take = Math.min(n, side.dataLeft);
    if (take <= 0) return;
    side.dataLeft -= take;
    const st = this.streams.get(side.stream);
    if (st === undefined) return;
    const msg = this.messageOf(st, side.dir);
    msg.bodyBytes += take;
    msg.lastDataRow = chunk.row;
    if (this.keepBodies) this.keepBody(msg, b, i, take);
  }

  private missingData(side: Side, n: number, chunk: StreamChunk): void {
    const st = this.streams.get(side.stream);
    if (side.dataLeft < 0) {
      side.dataLeft = Math.max(side.length - 1, 0);
      n--;
    }
    const take = Math.min(n, side.dataLeft);
    side.dataLeft -= Math.max(take, 0);
    if (st === undefined || take <= 0) return;
    const msg = this.messageOf(st, side.dir);
    msg.bodyBytes += take;
    msg.bodyTruncated = true;
    msg.lastDataRow = chunk.row;
  }

  private keepBody(msg: Http2Message, b: Uint8Array, i: number, n: number): void {
    if (msg.bodyKept + n > MAX_KEPT_BODY) {
      msg.bodyTruncated = true;
      return;
    }
    let body = msg.body;
    if (body === null || body.length < msg.bodyKept + n) {
      let size = Math.max(1024, body === null ? 0 : body.length * 2);
      while (size < msg.bodyKept + n) size *= 2;
      const grown = new Uint8Array(Math.min(size, MAX_KEPT_BODY));
      if (body !== null) grown.set(body.subarray(0, msg.bodyKept));
      body = grown;
      msg.body = body;
    }
    body.set(b.subarray(i, i + n), msg.bodyKept);
    msg.bodyKept += n;
  }

  /** The end of a DATA frame: frame counts, END_STREAM, and the Info suffix. */
  private endData(side: Side, chunk: StreamChunk, extras: FrameExtras | null): string {
    const pad = side.padLength;
    if ((side.flags & Flag.Padded) !== 0 && (side.length === 0 || pad > side.length - 1)) {
      this.frameError(side, chunk, extras, `padding length ${pad < 0 ? 'missing' : pad} exceeds the DATA payload of ${side.length} bytes (RFC 9113 §6.1)`);
    }
    if (side.stream === 0) this.problem(side.dir, chunk.row, 'DATA frame on stream 0 (RFC 9113 §6.1: PROTOCOL_ERROR)');
    const st = this.streams.get(side.stream);
    if (st === undefined) return '';
    st.lastRow = chunk.row;
    const msg = this.messageOf(st, side.dir);
    msg.dataFrames++;
    if ((side.flags & Flag.EndStream) === 0) return '';
    this.endMessage(msg, chunk);
    const suffix = msg.contentType !== null ? dataInfoSuffix(mediaType(msg.contentType)) : '';
    if (extras !== null && msg.headersRow >= 0 && msg.body !== null && !msg.bodyTruncated) {
      const coded = msg.body.subarray(0, msg.bodyKept);
      const frames = this.dataFrameRows(st.id, side.dir);
      extras.body = { coded, decoded: decodeBody(coded, msg.contentEncoding), contentType: msg.contentType === null ? null : mediaType(msg.contentType), frames };
    }
    this.closeIfDone(st);
    return suffix;
  }

  /** Frame numbers of the DATA frames of a stream's direction so far (views keep frame records). */
  private dataFrameRows(stream: number, dir: Direction): number[] {
    const out: number[] = [];
    for (const r of this.session.frameRecords) if (r.type === FrameType.Data && r.stream === stream && r.dir === dir) out.push(r.row + 1);
    const last = this.callChunk?.row;
    if (last !== undefined) out.push(last + 1);
    return out;
  }

  // ---- header blocks ------------------------------------------------------------------------

  private headerBlockFrame(side: Side, chunk: StreamChunk, b: Uint8Array, p: number, end: number, extras: FrameExtras | null): string {
    const type = side.type;
    const flags = side.flags;
    let at = p;
    let pad = 0;
    if ((flags & Flag.Padded) !== 0) {
      if (at >= end) {
        this.frameError(side, chunk, extras, `PADDED ${frameTypeName(type)} frame without a Pad Length (RFC 9113 §6.2)`);
        side.hpack.lostBlock('the header block could not be read');
        return '';
      }
      pad = b[at++]!;
    }
    if (type === FrameType.Headers && (flags & Flag.Priority) !== 0) at += 5;
    let promised = 0;
    if (type === FrameType.PushPromise) {
      if (at + 4 <= end) promised = readU32(b, at) % 0x80000000;
      at += 4;
    }
    if (at + pad > end) {
      this.frameError(side, chunk, extras, `padding (${pad}) and fixed fields exceed the ${frameTypeName(type)} payload of ${side.length} bytes (RFC 9113 §6.2)`);
      side.hpack.lostBlock('the header block could not be read');
      return '';
    }
    if (side.stream === 0) this.problem(side.dir, chunk.row, `${frameTypeName(type)} frame on stream 0 (RFC 9113 §6.2: PROTOCOL_ERROR)`);
    if (side.blockStream !== 0) {
      this.problem(side.dir, chunk.row, `a new header block began before END_HEADERS of stream ${side.blockStream} (RFC 9113 §6.10)`);
    }
    // Which message the block fills: a request (client HEADERS, or a PUSH_PROMISE's promised
    // request), a response, or trailers after a message's first block.
    let st: Http2Stream;
    let msg: Http2Message;
    let trailers = false;
    if (type === FrameType.PushPromise) {
      const parent = this.streams.get(side.stream);
      st = this.openStream(promised, chunk.row, timeOf(chunk));
      st.promisedBy = side.stream;
      if (parent !== undefined) parent.lastRow = chunk.row;
      msg = st.request;
    } else {
      const existing = this.streams.get(side.stream);
      st = existing ?? this.openStream(side.stream, chunk.row, timeOf(chunk));
      msg = this.messageOf(st, side.dir);
      trailers = msg.headersRow >= 0 && !(side.dir === 1 && msg.status !== null && msg.status < 200);
    }
    st.lastRow = chunk.row;
    side.blockStream = side.stream;
    side.blockType = type;
    side.blockPromised = promised;
    side.hpack.beginBlock();
    this.beginSink(st, msg, trailers, side, chunk);
    if (extras !== null) extras.blockOffset = 0;
    return this.fragment(side, chunk, b, at, end - pad, (flags & Flag.EndHeaders) !== 0, extras);
  }

  private continuationFrame(side: Side, chunk: StreamChunk, b: Uint8Array, p: number, end: number, extras: FrameExtras | null): string {
    if (side.blockStream === 0 || side.blockStream !== side.stream) {
      this.problem(side.dir, chunk.row, side.blockStream === 0 ? `CONTINUATION on stream ${side.stream} without a header block to continue (RFC 9113 §6.10)` : `CONTINUATION on stream ${side.stream} inside the header block of stream ${side.blockStream} (RFC 9113 §6.10)`);
      side.hpack.lostBlock('a CONTINUATION frame did not belong to the open header block');
      side.blockStream = 0;
      return '';
    }
    const st = this.streams.get(side.blockType === FrameType.PushPromise ? side.blockPromised : side.stream);
    if (st === undefined) return '';
    st.lastRow = chunk.row;
    if (extras !== null) extras.blockOffset = side.hpack.blockOffset;
    return this.fragment(side, chunk, b, p, end, (side.flags & Flag.EndHeaders) !== 0, extras);
  }

  /** Decodes one fragment; at END_HEADERS the message takes what the block said. */
  private fragment(side: Side, chunk: StreamChunk, b: Uint8Array, at: number, end: number, final: boolean, extras: FrameExtras | null): string {
    const hpack = side.hpack;
    const hadError = hpack.outcome.error !== null;
    hpack.fragment(b, at, end - at, final, this);
    const o = hpack.outcome;
    if (o.error !== null && !hadError) {
      if (extras !== null) {
        extras.hpackError = o.error;
        extras.hpackErrorAt = o.errorAt;
      }
      const msg = this.sinkMsg;
      if (msg !== null) msg.undecodable ??= o.error;
      this.session.undecodableBlocks++;
      this.problem(side.dir, chunk.row, `header block of stream ${side.stream} undecodable: ${o.error}`);
    }
    let suffix = '';
    if (this.frameMethod !== null && this.framePath !== null) suffix = `: ${this.frameMethod} ${this.framePath}`;
    else if (this.frameStatus !== null) suffix = `: ${this.frameStatus} ${reasonPhrase(this.frameStatus)}`;
    if (final) {
      side.blockStream = 0;
      this.endBlock(side, chunk, extras);
    }
    return suffix;
  }

  private beginSink(st: Http2Stream, msg: Http2Message, trailers: boolean, side: Side, chunk: StreamChunk): void {
    this.sinkStream = st;
    this.sinkMsg = msg;
    this.sinkTrailers = trailers;
    this.sinkKeep = !this.summaryOnly;
    this.blockLines = 0;
    this.blockBytes = 0;
    this.blockCapped = false;
    if (!trailers) {
      if (side.dir === 1 && msg.status !== null && msg.status < 200) {
        // A final response after interim ones: its own header list.
        msg.headers.length = 0;
        msg.status = null;
      }
      if (msg.headersRow < 0) {
        msg.headersRow = chunk.row;
        msg.headersTime = timeOf(chunk);
      }
    }
  }

  /** HeaderSink: one decoded field of the block being read. */
  field(name: string | null, value: string | null, repr: number, index: number, start: number, end: number, huffman: boolean): void {
    // A decompression bomb (a small block naming a large table entry many times) is decoded, so the
    // table stays in step, but what it expands to is not kept (Wireshark's MAX_HTTP2_HEADER_LINES/SIZE).
    this.blockLines++;
    this.blockBytes += 8 + (name?.length ?? 0) + (value?.length ?? 0);
    if (this.blockLines > MAX_HEADER_LINES || this.blockBytes > MAX_HEADER_BYTES) {
      if (!this.blockCapped) {
        this.blockCapped = true;
        if (this.treeExtras !== null) this.treeExtras.capped = `Header list cut after ${this.blockLines - 1} fields (at most ${MAX_HEADER_LINES} fields or ${MAX_HEADER_BYTES / 1024} KiB are kept): the rest is decoded to keep HPACK in step, not shown`;
      }
      return;
    }
    const tree = this.treeHeaders;
    if (tree !== null) tree.push({ sizeUpdate: -1, name, value, repr, index, start, end, huffman });
    const msg = this.sinkMsg;
    if (msg === null) return;
    if (this.sinkKeep) {
      const h: Http2Header = { name, value, repr, index, neverIndexed: repr === Repr.NeverIndexedIndexedName || repr === Repr.NeverIndexedNewName, huffman };
      (this.sinkTrailers ? msg.trailers : msg.headers).push(h);
    }
    if (name === null || value === null || this.sinkTrailers) return;
    if (name.charCodeAt(0) === 0x3a) {
      switch (name) {
        case ':method':
          msg.method = value;
          this.frameMethod = value;
          break;
        case ':path':
          msg.path = value;
          this.framePath = value;
          break;
        case ':authority':
          msg.authority = value;
          break;
        case ':scheme':
          msg.scheme = value;
          break;
        case ':status': {
          const code = /^[0-9]{3}$/.test(value) ? Number(value) : 0;
          msg.status = code;
          this.frameStatus = value;
          break;
        }
        default:
          break;
      }
      return;
    }
    switch (name) {
      case 'content-type':
        msg.contentType ??= value;
        break;
      case 'content-length':
        if (/^[0-9]+$/.test(value)) msg.contentLength = Number(value);
        break;
      case 'content-encoding':
        msg.contentEncoding ??= value;
        break;
      case 'host':
        msg.authority ??= value;
        break;
      default:
        break;
    }
  }

  /** HeaderSink: a dynamic table size update. */
  sizeUpdate(size: number, start: number, end: number): void {
    const tree = this.treeHeaders;
    if (tree !== null) tree.push({ sizeUpdate: size, name: null, value: null, repr: Repr.SizeUpdate, index: 0, start, end, huffman: false });
  }

  /** END_HEADERS: the block is complete; requests and responses are counted. */
  private endBlock(side: Side, chunk: StreamChunk, extras: FrameExtras | null): void {
    const st = this.sinkStream;
    const msg = this.sinkMsg;
    this.sinkStream = null;
    this.sinkMsg = null;
    if (st === null || msg === null) return;
    const s = this.session;
    if (this.sinkTrailers) {
      if ((side.flags & Flag.EndStream) !== 0 && side.type === FrameType.Headers) this.endMessage(msg, chunk);
      this.closeIfDone(st);
      return;
    }
    const isRequest = msg === st.request;
    if (isRequest) {
      if (msg.method !== null) {
        s.requests++;
        s.firstRequest ??= `${msg.method} ${msg.path ?? ''}`;
        if (extras !== null && side.blockType === FrameType.Headers) extras.fullUri = fullUri(msg);
      }
    } else if (msg.status !== null) {
      if (msg.status >= 100 && msg.status < 200 && msg.status !== 101) {
        st.interim.push(msg.status);
      } else {
        s.responses++;
        s.statusCounts.set(msg.status, (s.statusCounts.get(msg.status) ?? 0) + 1);
        // The first answer to a request seen whole: the connection's time to first byte.
        if (s.timeToFirstByte === null && st.request.headersRow >= 0) {
          s.timeToFirstByte = Math.max(msg.headersTime - st.request.headersTime, 0);
          s.firstByteRows = [st.request.headersRow, msg.headersRow];
        }
      }
    }
    if (side.blockType === FrameType.Headers && (side.flags & Flag.EndStream) !== 0) this.endMessage(msg, chunk);
    // A HEADERS frame's END_STREAM flag is on the HEADERS frame even when CONTINUATION follows.
    this.closeIfDone(st);
  }

  // ---- streams ------------------------------------------------------------------------------

  private openStream(id: number, row: number, time: number): Http2Stream {
    const existing = this.streams.get(id);
    if (existing !== undefined) return existing;
    let st: Http2Stream;
    const pooled = this.summaryOnly ? streamPool.pop() : undefined;
    if (pooled !== undefined) {
      st = pooled;
      st.id = id;
      resetMessage(st.request);
      resetMessage(st.response);
      st.interim.length = 0;
      st.promisedBy = 0;
      st.upgraded = false;
      st.reset = null;
    } else {
      st = newStream(id);
    }
    st.firstRow = row;
    st.lastRow = row;
    st.firstTime = time;
    this.session.streamCount++;
    if (this.summaryOnly || this.streams.size < KEPT_STREAMS) this.streams.set(id, st);
    return st;
  }

  /** The message a direction sends on a stream (the server's on a pushed stream is its response). */
  private messageOf(st: Http2Stream, dir: Direction): Http2Message {
    return dir === 0 ? st.request : st.response;
  }

  private endMessage(msg: Http2Message, chunk: StreamChunk): void {
    if (msg.endRow >= 0) return;
    msg.endRow = chunk.row;
    msg.endTime = timeOf(chunk);
  }

  /** Summary-only passes forget a stream once both sides ended it (or it was reset). */
  private closeIfDone(st: Http2Stream): void {
    if (!this.summaryOnly) return;
    const done = st.reset !== null || (st.request.endRow >= 0 && st.response.endRow >= 0);
    if (!done || this.streams.get(st.id) !== st) return;
    this.streams.delete(st.id);
    if (streamPool.length < STREAM_POOL) streamPool.push(st);
  }

  private rstStream(side: Side, chunk: StreamChunk, code: number, record: Http2FrameRecord | null): void {
    if (record !== null) record.errorCode = code;
    if (side.stream === 0) this.problem(side.dir, chunk.row, 'RST_STREAM on stream 0 (RFC 9113 §6.4: PROTOCOL_ERROR)');
    this.session.resets++;
    const st = this.streams.get(side.stream);
    if (st === undefined) return;
    if (st.reset === null) st.reset = { by: side.dir, code, name: errorCodeName(code), row: chunk.row, time: timeOf(chunk) };
    st.lastRow = chunk.row;
    this.closeIfDone(st);
  }

  private settings(side: Side, chunk: StreamChunk, b: Uint8Array, p: number, len: number, record: Http2FrameRecord | null, extras: FrameExtras | null): void {
    if (side.stream !== 0) this.problem(side.dir, chunk.row, `SETTINGS on stream ${side.stream} (RFC 9113 §6.5: PROTOCOL_ERROR)`);
    if ((side.flags & Flag.Ack) !== 0) {
      if (len !== 0) this.frameError(side, chunk, extras, `SETTINGS ACK with a ${len}-byte payload (RFC 9113 §6.5: FRAME_SIZE_ERROR)`);
      return;
    }
    if (len % 6 !== 0) {
      this.frameError(side, chunk, extras, `SETTINGS length ${len}, not a multiple of 6 (RFC 9113 §6.5)`);
      return;
    }
    const values: Http2Setting[] | null = record !== null ? [] : null;
    const mine = this.session.settings[side.dir];
    const peer = this.sides[side.dir === 0 ? 1 : 0];
    for (let at = p; at + 6 <= p + len; at += 6) {
      const id = (b[at]! << 8) | b[at + 1]!;
      const value = readU32(b, at + 2);
      values?.push({ id, value });
      mine.set(id, value);
      // Settings describe what the sender accepts: they bound what the peer sends it.
      if (id === Setting.HeaderTableSize) peer.hpack.allowTableSize(value);
      else if (id === Setting.MaxFrameSize && value >= DEFAULT_MAX_FRAME_SIZE && value <= LARGEST_MAX_FRAME_SIZE) peer.maxFrameSize = value;
    }
    if (record !== null) record.settings = values;
  }

  private goaway(side: Side, chunk: StreamChunk, b: Uint8Array, p: number, len: number, record: Http2FrameRecord | null): void {
    const last = readU32(b, p) % 0x80000000;
    const code = readU32(b, p + 4);
    if (record !== null) {
      record.lastStreamId = last;
      record.errorCode = code;
    }
    let debug = '';
    for (let i = p + 8; i < p + len && debug.length < 256; i++) {
      const c = b[i]!;
      debug += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
    }
    this.session.goaways.push({ by: side.dir, lastStreamId: last, code, name: errorCodeName(code), debug, row: chunk.row, time: timeOf(chunk) });
  }

  // ---- the packet ---------------------------------------------------------------------------

  private enterCall(chunk: StreamChunk, off: number, len: number): void {
    this.callChunk = chunk;
    this.callOff = off;
    this.callLen = len;
    if (chunk.row !== this.infoRow) {
      this.infoRow = chunk.row;
      this.info = '';
    }
  }

  /** Frames completed in one packet are listed in its Info column, comma separated (as tshark). */
  private appendInfo(chunk: StreamChunk, text: string): void {
    if (chunk.row !== this.infoRow) {
      this.infoRow = chunk.row;
      this.info = '';
    }
    this.info = this.info === '' ? text : `${this.info}, ${text}`;
    chunk.p.appInfo = this.info;
  }

  private problem(dir: Direction, row: number, reason: string): void {
    const list = this.session.problems;
    if (list.length < KEPT_PROBLEMS) list.push({ dir, row, reason });
  }
}

function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** `DATA[7]`, one string per frame type and stream seen recently (no new string per frame). */
const frameInfos: Array<Map<number, string>> = Array.from({ length: TYPE_SLOTS }, () => new Map());

function frameInfo(type: number, stream: number): string {
  const byStream = frameInfos[type < TYPE_SLOTS ? type : TYPE_SLOTS - 1]!;
  let text = type < TYPE_SLOTS - 1 ? byStream.get(stream) : undefined;
  if (text === undefined) {
    text = `${frameTypeName(type)}[${stream}]`;
    if (type < TYPE_SLOTS - 1) {
      if (byStream.size >= 4096) byStream.clear();
      byStream.set(stream, text);
    }
  }
  return text;
}

/** What tshark's media dissectors add to a DATA frame that ends a body of this type. */
function dataInfoSuffix(media: string): string {
  if (media === 'application/json' || media.endsWith('+json')) return `, JavaScript Object Notation (${media})`;
  return isTextual(media) ? ` (${media})` : '';
}

/** http2.request.full_uri: scheme, authority and path of a request. */
function fullUri(msg: Http2Message): string | null {
  if (msg.authority === null || msg.path === null) return null;
  return `${msg.scheme ?? 'https'}://${msg.authority}${msg.path}`;
}

/**
 * A lost direction resumes at a chunk that starts with a frame header a peer would send, whose
 * frame ends in the chunk (then another header must follow) or is a DATA or HEADERS frame that
 * runs on (a large body or block split over segments).
 */
function looksLikeResync(b: Uint8Array, at: number, end: number, maxFrameSize: number): boolean {
  if (end - at < FRAME_HEADER_LENGTH || !plausibleFrameHeader(b, at, maxFrameSize)) return false;
  const next = at + FRAME_HEADER_LENGTH + frameLength(b, at);
  if (next === end) return true;
  if (next < end) return end - next >= FRAME_HEADER_LENGTH ? plausibleFrameHeader(b, next, maxFrameSize) : true;
  const type = b[at + 3];
  return type === FrameType.Data || type === FrameType.Headers;
}

/** An AppParserFactory whose parsers expose the HTTP/2 session. */
export interface Http2ParserFactory extends AppParserFactory {
  create(host: StreamHost): Http2Parser;
}

/** HTTP/2 recognised by its client preface, or by frames (a capture that begins mid-connection). */
export const http2Factory: Http2ParserFactory = {
  protocol: 'http2',
  fields: h2FieldList,
  detect: (bytes, off, len) => looksLikeHttp2(bytes, off, len),
  create: (host) => new Http2Parser(host),
};
