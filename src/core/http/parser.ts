// HTTP/1.x over one reassembled TCP (or decrypted TLS) conversation: a streaming parser per
// direction that pairs requests with responses and annotates the packet completing each message.

import type { AppParser, AppParserFactory, Direction, SegmentSpan, StreamChunk, StreamHost } from '../flow/app-parser';
import { Expert } from '../dissect/expert';
import { Mark, Proto } from '../dissect/packet';
import { timeDiffText } from '../dissect/dissect';
import { tlsFactory } from '../tls/parser';
import { http2Factory } from '../http2/parser';
import { MAX_METHOD_LENGTH, httpFields } from './fields';
import {
  RESPONSE_SHIFT,
  connectionBits,
  decideKeepAlive,
  endsWithChunked,
  fullUri,
  infoText,
  isDigits,
  leadingInt,
  looksLikeHttp,
  newRequest,
  newResponse,
  newTransaction,
  parseChunkSize,
  seconds,
  sizeText,
  tunnelPort,
  upgradeKind,
} from './message';
import { addMessageLayer, resetLayout, type MessageExtras, type MessageLayout, type MessageView } from './message-tree';
import type { BodyFraming, HttpRequest, HttpResponse, HttpSession, HttpTransaction, HttpUpgrade } from './model';
import { LineKind, ascii, classifyStartLine, couldStartLine, findLf, lineContentEnd, shown, skipSpaces, tokenEnd } from './text';

export interface HttpFactoryOptions {
  /**
   * Parsers offered (through `detect`) the first bytes of a CONNECT tunnel or an upgraded
   * connection, e.g. TLS inside `CONNECT host:443`. When none matches the bytes are only counted.
   */
  tunnelFactories?: readonly AppParserFactory[] | (() => readonly AppParserFactory[]);
  /** Scheme for http.request.full_uri: `https` when this parser runs over decrypted TLS. */
  scheme?: 'http' | 'https';
  /** Largest start line + header block (and trailer section) accepted; larger is malformed. */
  maxHeaderBytes?: number;
  /** Largest body kept for the field tree (tree path only); bodies are counted in full anyway. */
  maxTreeBodyBytes?: number;
}

export const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
export const DEFAULT_MAX_TREE_BODY_BYTES = 16 * 1024 * 1024;
/** Longest chunk-size line (size and extensions) accepted. */
const MAX_CHUNK_LINE = 4096;
/** Chunks described in the field tree (the body is counted past this). */
const MAX_TREE_CHUNKS = 4096;
/** Damage entries kept per conversation: a long run of garbage is one problem, not thousands. */
const MAX_DAMAGE = 256;

/** tshark's note on a message cut short by the capture's snap length. */
const TRUNCATED = '[Packet size limited during capture]';

// Parser states of one direction.
const S_START = 0; // between messages: skipping blank lines, waiting for a start line
const S_FIRST_LINE = 1; // inside the start line
const S_HEADERS = 2; // inside the header block
const S_BODY = 3; // Content-Length body
const S_CHUNK_SIZE = 4; // chunk-size line
const S_CHUNK_DATA = 5;
const S_CHUNK_END = 6; // the CRLF after chunk data
const S_TRAILERS = 7; // trailer section after the last chunk
const S_UNTIL_CLOSE = 8; // response body delimited by the connection's end
const S_RESYNC = 9; // lost: skipping to the next line start
const S_AWAIT_SWITCH = 10; // after CONNECT or an Upgrade request, until the answer says what follows
const S_TUNNEL = 11; // no longer HTTP: CONNECT tunnel or upgraded protocol
const S_ENDED = 12;
/** The buffer of a direction that ended. */
const ENDED_BUFFER = new Uint8Array(0);

const LF = 0x0a;
const CR = 0x0d;


/** A message being parsed (its start line is known), with what the field tree needs. */
interface Pending {
  msg: HttpRequest | HttpResponse;
  tx: HttpTransaction | null;
  /** 1-based number among the conversation's requests (or responses). */
  number: number;
  /** First line as shown (escaped, no EOL), for the Info column. */
  firstLine: string;
  /** Whether buf holds the message's bytes at their message offsets (tree path). */
  aligned: boolean;
  layout: MessageLayout;
  /** A 1xx other than 101: the final response is still to come. */
  interim: boolean;
  /** Length of the start line and header block, blank line included. */
  headLength: number;
  /** CONN_* bits of this head's Connection header, and its Upgrade header. */
  connection: number;
  upgrade: string | null;
  /** Frame number of the previous request (or response) completed in the conversation, 0 if none. */
  prevFrame: number;
}

class Side {
  state = S_START;
  /** Stream offset of the next byte. */
  pos = 0;
  /** The current message from its first byte: head and framing always, body on the tree path. */
  buf = new Uint8Array(2048);
  len = 0;
  /** Start (in buf) of the line being read. */
  lineStart = 0;
  /** The line being read passed its limit (the rest of it is consumed, not kept). */
  lineOverflow = false;
  remaining = 0;
  /** The message being read (`slot`, reused message after message), or null between messages. */
  pending: Pending | null = null;
  slot: Pending | null = null;
  /** First body bytes of the current message (content sniffing for the Info column). */
  readonly sniff = new Uint8Array(8);
  sniffLength = 0;
  /** Keep body bytes in buf for the field tree. */
  keepBody = false;
  /** A start line has been seen in this direction (later garbage is "Continuation"). */
  sawMessage = false;
  /** Resynchronising quietly (the damage is already recorded). */
  quiet = false;
  /** Transaction whose answer decides what follows (S_AWAIT_SWITCH). */
  switchTx: HttpTransaction | null = null;
  /** Where the message being read started: stream offset, row, time. */
  msgStart = 0;
  msgRow = -1;
  msgSec = 0;
  msgNsec = 0;
  /** Trailer-section bytes so far (bounded like a header block). */
  trailerBytes = 0;
  /** Row of the packet whose bytes came last (a gap reported with it means a snap-length cut). */
  lastRow = -1;

  constructor(readonly dir: Direction) {}

  append(b: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    this.reserve(this.len + n);
    const buf = this.buf;
    if (n <= 64) {
      // Header lines are short: a loop avoids creating a view per line.
      for (let i = 0, o = this.len; i < n; i++) buf[o + i] = b[from + i]!;
    } else {
      buf.set(b.subarray(from, to), this.len);
    }
    this.len += n;
  }

  appendZeros(n: number): void {
    if (n <= 0) return;
    this.reserve(this.len + n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
  }

  /** Drops the current message's bytes. */
  reset(): void {
    this.pending = null;
    this.len = 0;
    this.lineStart = 0;
    this.lineOverflow = false;
    this.remaining = 0;
    // A buffer grown for one large message is not kept for the rest of the conversation.
    if (this.buf.length > 256 * 1024) this.buf = new Uint8Array(2048);
  }

  private reserve(need: number): void {
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }
}

/** Reused result of takeLine (no object per line): index after the consumed bytes, end of line in buf or -1. */
const LINE = { index: 0, lineEnd: -1 };

export class HttpParser implements AppParser {
  readonly protocol = 'http';
  readonly session: HttpSession = {
    transactions: [],
    requests: 0,
    responses: 0,
    interimResponses: 0,
    tunnel: null,
    damage: [],
    bodyBytes: [0, 0],
    maxPipelineDepth: 0,
  };
  private readonly sides: [Side, Side] = [new Side(0), new Side(1)];
  private readonly maxHead: number;
  private readonly maxTreeBody: number;
  private readonly scheme: string;
  private readonly tunnelFactories: HttpFactoryOptions['tunnelFactories'];
  /** CONN_* bits per transaction index (request bits, response bits shifted by RESPONSE_SHIFT). */
  private readonly connection: number[] = [];
  /** Index of the oldest transaction still waiting for its final response. */
  private nextAnswer = 0;
  private lastRequestFrame = 0;
  private lastResponseFrame = 0;
  private inner: AppParser | null = null;
  private innerDecided = false;

  // The packet being analysed: its Info column pieces and where this call's bytes sit in it.
  private infoRow = -1;
  private infoDone = '';
  private infoContinuation = false;
  /** What the nested parser wrote in this packet's Info and Protocol columns (row -1: nothing). */
  private innerInfoRow = -1;
  private innerInfo = '';
  private innerTop = 0;
  private callChunk: StreamChunk | null = null;
  private callOff = 0;

  constructor(
    private readonly host: StreamHost,
    opts: HttpFactoryOptions = {},
  ) {
    this.maxHead = opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    this.maxTreeBody = opts.maxTreeBodyBytes ?? DEFAULT_MAX_TREE_BODY_BYTES;
    this.scheme = opts.scheme ?? (host.overTls === true ? 'https' : 'http');
    this.tunnelFactories = opts.tunnelFactories;
  }

  /** Where this parser's bytes come from (the TCP connection, or decrypted TLS records). */
  get streamHost(): StreamHost {
    return this.host;
  }

  /** The parser nested in a CONNECT tunnel or upgraded connection, when one recognised its bytes. */
  get innerParser(): AppParser | null {
    return this.inner;
  }

  /**
   * Whether a message is under way in this direction (its first byte seen, its last not yet):
   * the flow stage can mark such segments as tshark's "[TCP segment of a reassembled PDU]".
   */
  inMessage(dir: Direction): boolean {
    const state = this.sides[dir].state;
    return state !== S_START && state !== S_RESYNC && state !== S_AWAIT_SWITCH && state !== S_TUNNEL && state !== S_ENDED;
  }

  pduUntil(dir: Direction): number {
    const side = this.sides[dir];
    return side.state === S_BODY ? side.pos + side.remaining : -1;
  }

  describe(): Record<string, string | number> {
    const s = this.session;
    const out: Record<string, string | number> = { 'http.transactions': s.transactions.length };
    const first = s.transactions.find((t) => t.request !== null)?.request;
    if (first != null) out['http.first_request'] = `${first.method} ${first.uri}`;
    if (s.tunnel !== null) {
      out['http.tunnel'] = s.tunnel.kind === 'connect-tunnel' ? `CONNECT ${s.tunnel.target}` : s.tunnel.target;
      if (s.tunnel.innerProtocol !== null) out['http.tunnel.protocol'] = s.tunnel.innerProtocol;
    }
    if (s.maxPipelineDepth > 1) out['http.pipeline_depth'] = s.maxPipelineDepth;
    if (s.damage.length > 0) out['http.damage'] = s.damage.length;
    return out;
  }

  data(dir: Direction, bytes: Uint8Array, off: number, len: number, chunk: StreamChunk): void {
    const side = this.sides[dir];
    if (side.state === S_ENDED || len <= 0) return;
    this.enterCall(chunk, off);
    side.lastRow = chunk.row;
    // tshark's TCP hands a segment straight to a PDU whose length it already knows; only the
    // others reach HTTP, which then names the message in the Info column.
    const lengthKnown = side.state === S_BODY || side.state === S_UNTIL_CLOSE || side.state === S_TUNNEL;
    const end = Math.min(off + len, bytes.length);
    let i = off;
    // Each step consumes a byte or moves to a state that will; the bound only guards against a
    // bug turning hostile input into an endless loop.
    const maxSteps = 3 * (end - off) + 8;
    for (let steps = 0; i < end && steps < maxSteps; steps++) {
      switch (side.state) {
        case S_START:
          i = this.atStart(side, bytes, i, end, chunk);
          break;
        case S_FIRST_LINE:
          i = this.inFirstLine(side, bytes, i, end, chunk);
          break;
        case S_HEADERS:
          i = this.inHeaders(side, bytes, i, end, chunk);
          break;
        case S_BODY:
          i = this.inBody(side, bytes, i, end, chunk);
          break;
        case S_CHUNK_SIZE:
          i = this.inChunkSize(side, bytes, i, end, chunk);
          break;
        case S_CHUNK_DATA:
          i = this.inChunkData(side, bytes, i, end);
          break;
        case S_CHUNK_END:
          i = this.inChunkEnd(side, bytes, i, end, chunk);
          break;
        case S_TRAILERS:
          i = this.inTrailers(side, bytes, i, end, chunk);
          break;
        case S_UNTIL_CLOSE:
          i = this.inUntilClose(side, bytes, i, end);
          break;
        case S_RESYNC:
          i = this.inResync(side, bytes, i, end);
          break;
        case S_AWAIT_SWITCH:
          this.decideSwitch(side, bytes, i, end);
          break;
        case S_TUNNEL:
          i = this.inTunnel(side, bytes, i, end, chunk);
          break;
        default:
          i = end;
      }
    }
    this.leaveCall(side, chunk, lengthKnown);
  }

  gap(dir: Direction, len: number, chunk: StreamChunk): void {
    const side = this.sides[dir];
    if (side.state === S_ENDED) return;
    if (len <= 0) {
      // The capture began inside the conversation: what comes first may be the middle of a
      // message, so garbage before the first start line is expected, not damage.
      if (side.state === S_START && side.pos === 0) side.quiet = true;
      return;
    }
    this.enterCall(chunk, -1);
    const p = side.pending;
    switch (side.state) {
      case S_BODY:
      case S_CHUNK_DATA: {
        const msg = p!.msg;
        const take = Math.min(len, side.remaining);
        msg.missingBytes += take;
        msg.bodyLength += take;
        msg.bodyWireLength += take;
        this.session.bodyBytes[side.dir] += take;
        this.keepBodyBytes(side, null, 0, take);
        side.pos += take;
        side.remaining -= take;
        if (take < len) {
          // The gap swallowed the end of this message and the start of whatever followed it.
          const at = side.pos;
          side.pos += len - take;
          if (side.state === S_BODY) {
            this.complete(side, chunk, at);
            this.damage(side, chunk, `${len - take} bytes missing after a ${msg.kind}`);
          } else {
            this.abandon(side, chunk, `${len} bytes missing inside a chunked ${msg.kind}`, false);
          }
          this.lose(side, false);
        } else if (side.remaining === 0) {
          if (side.state === S_BODY) this.complete(side, chunk, side.pos);
          else this.beginLine(side, S_CHUNK_END);
        }
        break;
      }
      case S_UNTIL_CLOSE: {
        const msg = p!.msg;
        msg.missingBytes += len;
        msg.bodyLength += len;
        msg.bodyWireLength += len;
        this.session.bodyBytes[side.dir] += len;
        this.keepBodyBytes(side, null, 0, len);
        side.pos += len;
        break;
      }
      case S_TUNNEL: {
        this.countTunnel(side, len);
        const at = this.innerChunk(side, chunk, -1);
        side.pos += len;
        this.inner?.gap(dir, len, at);
        break;
      }
      case S_START:
      case S_RESYNC:
        side.pos += len;
        this.lose(side, false);
        side.quiet = true;
        break;
      default:
        // Inside a start line, header block or chunk framing: this message cannot be read on.
        // A head cut short by the snap length (the gap comes with the packet that lost the bytes)
        // is shown as far as it goes, as tshark does; a lost segment leaves nothing to show.
        if (chunk.row !== side.lastRow || !this.truncatedHead(side, chunk, len)) {
          if (p !== null) this.abandon(side, chunk, `${len} bytes missing inside a ${p.msg.kind}`, false);
          else this.damage(side, chunk, `${len} bytes missing`);
        }
        side.pos += len;
        this.lose(side, false);
    }
    this.leaveCall(side, chunk, true);
  }

  end(dir: Direction, chunk: StreamChunk | null): void {
    const side = this.sides[dir];
    if (side.state === S_ENDED) return;
    if (chunk !== null) this.enterCall(chunk, -1);
    const p = side.pending;
    if (side.state === S_UNTIL_CLOSE && p !== null) {
      // RFC 9112 §6.3 item 8: the close ends the body; tshark shows it on the FIN. When the
      // capture just stops, the body is only known to be cut short.
      if (chunk !== null) this.complete(side, chunk, side.pos);
      else this.truncate(side);
    } else if (side.state === S_TUNNEL) {
      this.inner?.end(dir, chunk === null ? null : this.innerChunk(side, chunk, -1));
    } else if (p !== null) {
      if (chunk !== null) this.damage(side, chunk, `the connection closed inside a ${p.msg.kind}`);
      this.truncate(side);
    }
    side.state = S_ENDED;
    if (chunk !== null) this.leaveCall(side, chunk, true);
    // Nothing more is read in this direction: its buffer goes (a whole-file pass keeps every
    // connection's parser).
    side.buf = ENDED_BUFFER;
  }

  // ---- states -------------------------------------------------------------------------------

  private atStart(side: Side, b: Uint8Array, i: number, end: number, chunk: StreamChunk): number {
    // RFC 9112 §2.2: empty lines before a start line are ignored.
    const from = i;
    while (i < end && (b[i] === CR || b[i] === LF)) i++;
    side.pos += i - from;
    if (i === end) return i;
    side.reset();
    side.msgStart = side.pos;
    side.msgRow = chunk.row;
    side.msgSec = chunk.p.tsSec;
    side.msgNsec = chunk.p.tsNsec;
    side.keepBody = this.host.wantsTrees;
    this.beginLine(side, S_FIRST_LINE);
    return i;
  }

  private inFirstLine(side: Side, b: Uint8Array, i: number, end: number, chunk: StreamChunk): number {
    const next = this.takeLine(side, b, i, end, this.maxHead);
    const lineEnd = next.lineEnd;
    const index = next.index;
    if (lineEnd < 0) {
      if (side.lineOverflow && couldStartLine(side.buf, 0, side.len)) {
        this.abandon(side, chunk, `start line longer than ${sizeText(this.maxHead)}`, true);
        this.lose(side, false);
      } else if (side.lineOverflow || !couldStartLine(side.buf, 0, side.len)) {
        // Binary or foreign data: give up before buffering a header block's worth of it.
        this.notAStartLine(side, chunk);
        this.lose(side, false);
      }
      return index;
    }
    const content = lineContentEnd(side.buf, 0, lineEnd);
    const kind = classifyStartLine(side.buf, 0, content);
    if (kind === LineKind.None) {
      this.notAStartLine(side, chunk);
      this.lose(side, true);
      return index;
    }
    this.readStartLine(side, kind, content, lineEnd);
    side.sawMessage = true;
    side.quiet = false;
    this.beginLine(side, S_HEADERS);
    return index;
  }

  private inHeaders(side: Side, b: Uint8Array, i: number, end: number, chunk: StreamChunk): number {
    const p = side.pending!;
    const next = this.takeLine(side, b, i, end, this.maxHead - side.lineStart);
    const index = next.index;
    const lineEnd = next.lineEnd;
    if (side.lineOverflow) {
      this.abandon(side, chunk, `header block larger than ${sizeText(this.maxHead)}`, true);
      this.lose(side, lineEnd >= 0 || b[index - 1] === LF);
      return index;
    }
    if (lineEnd < 0) return index;
    const start = side.lineStart;
    const content = lineContentEnd(side.buf, start, lineEnd);
    if (content === start) {
      p.layout.blankStart = start;
      p.layout.blankNext = lineEnd;
      p.headLength = lineEnd;
      this.finishHead(side, chunk);
    } else {
      p.layout.lines.push(start, content, lineEnd);
      this.beginLine(side, S_HEADERS);
    }
    return index;
  }

  private inBody(side: Side, b: Uint8Array, i: number, end: number, chunk: StreamChunk): number {
    const take = Math.min(side.remaining, end - i);
    this.countBody(side, b, i, take);
    side.remaining -= take;
    if (side.remaining === 0) this.complete(side, chunk, side.pos);
    return i + take;
  }

  private inChunkSize(side: Side, b: Uint8Array, i: number, end: number, chunk: StreamChunk): number {
    const p = side.pending!;
    const next = this.takeLine(side, b, i, end, MAX_CHUNK_LINE);
    const index = next.index;
    const lineEnd = next.lineEnd;
    if (side.lineOverflow) {
      this.abandon(side, chunk, 'chunk-size line too long', true);
      this.lose(side, b[index - 1] === LF);
      return index;
    }
    if (lineEnd < 0) return index;
    const start = side.lineStart;
    const content = lineContentEnd(side.buf, start, lineEnd);
    const size = parseChunkSize(side.buf, start, content);
    p.msg.bodyWireLength += lineEnd - start;
    if (size < 0) {
      this.abandon(side, chunk, `bad chunk size "${shown(ascii(side.buf, start, Math.min(content, start + 32)))}"`, true);
      this.lose(side, true);
      return index;
    }
    const rel = this.relOffset(side, start);
    if (size === 0) {
      if (rel >= 0) p.layout.lastChunk.push(rel, rel + (content - start), rel + (lineEnd - start));
      this.releaseFraming(side, start);
      side.trailerBytes = 0;
      this.beginLine(side, S_TRAILERS);
    } else {
      if (rel >= 0 && p.layout.chunks.length < MAX_TREE_CHUNKS * 4) p.layout.chunks.push(rel, rel + (content - start), rel + (lineEnd - start), size);
      this.releaseFraming(side, start);
      side.remaining = size;
      side.state = S_CHUNK_DATA;
    }
    return index;
  }

  private inChunkData(side: Side, b: Uint8Array, i: number, end: number): number {
    const take = Math.min(side.remaining, end - i);
    this.countBody(side, b, i, take);
    side.remaining -= take;
    if (side.remaining === 0) this.beginLine(side, S_CHUNK_END);
    return i + take;
  }

  private inChunkEnd(side: Side, b: Uint8Array, i: number, end: number, chunk: StreamChunk): number {
    const next = this.takeLine(side, b, i, end, MAX_CHUNK_LINE);
    const index = next.index;
    const lineEnd = next.lineEnd;
    if (lineEnd < 0 && !side.lineOverflow) return index;
    const start = side.lineStart;
    if (side.lineOverflow || lineContentEnd(side.buf, start, lineEnd) !== start) {
      // RFC 9112 §7.1: chunk data is followed by CRLF; anything else means the sizes lied.
      this.abandon(side, chunk, 'chunk data not followed by CRLF', true);
      this.lose(side, lineEnd >= 0 || b[index - 1] === LF);
      return index;
    }
    side.pending!.msg.bodyWireLength += lineEnd - start;
    this.releaseFraming(side, start);
    this.beginLine(side, S_CHUNK_SIZE);
    return index;
  }

  private inTrailers(side: Side, b: Uint8Array, i: number, end: number, chunk: StreamChunk): number {
    const p = side.pending!;
    const next = this.takeLine(side, b, i, end, this.maxHead - side.trailerBytes);
    const index = next.index;
    const lineEnd = next.lineEnd;
    if (side.lineOverflow) {
      this.abandon(side, chunk, `trailer section larger than ${sizeText(this.maxHead)}`, true);
      this.lose(side, b[index - 1] === LF);
      return index;
    }
    if (lineEnd < 0) return index;
    const start = side.lineStart;
    const content = lineContentEnd(side.buf, start, lineEnd);
    const msg = p.msg;
    msg.bodyWireLength += lineEnd - start;
    side.trailerBytes += lineEnd - start;
    const rel = this.relOffset(side, start);
    if (content === start) {
      if (rel >= 0) p.layout.trailerBlank.push(rel, rel + (lineEnd - start));
      this.complete(side, chunk, side.pos);
      return index;
    }
    let colon = start;
    while (colon < content && side.buf[colon] !== 0x3a) colon++;
    if (colon < content) msg.trailers.push([ascii(side.buf, start, colon), ascii(side.buf, colon + 1, content).trim()]);
    if (rel >= 0) p.layout.trailers.push(rel, rel + (content - start), rel + (lineEnd - start));
    this.releaseFraming(side, start);
    this.beginLine(side, S_TRAILERS);
    return index;
  }

  private inUntilClose(side: Side, b: Uint8Array, i: number, end: number): number {
    this.countBody(side, b, i, end - i);
    return end;
  }

  private inResync(side: Side, b: Uint8Array, i: number, end: number): number {
    if (side.sawMessage) this.infoContinuation = true;
    const lf = findLf(b, i, end);
    const stop = lf < 0 ? end : lf + 1;
    side.pos += stop - i;
    if (lf >= 0) side.state = S_START;
    return stop;
  }

  /** After CONNECT or an Upgrade request: is what the client sends next HTTP or the new protocol? */
  private decideSwitch(side: Side, b: Uint8Array, i: number, end: number): void {
    const tx = side.switchTx;
    side.switchTx = null;
    if (tx === null || tx.request === null) {
      side.state = S_START;
    } else if (tx.upgraded !== null) {
      side.state = S_TUNNEL;
    } else if (tx.response !== null || couldStartLine(b, i, Math.min(end, i + MAX_METHOD_LENGTH + 1))) {
      side.state = S_START;
    } else {
      // The answer is not here (yet, or not captured) and the bytes cannot start a request: they
      // are the new protocol's (a client may send its ClientHello right after CONNECT).
      this.openTunnel(tx, tx.request.method === 'CONNECT' ? 'connect-tunnel' : upgradeKind(tx.upgradeProtocol));
      side.state = S_TUNNEL;
    }
  }

  private inTunnel(side: Side, b: Uint8Array, i: number, end: number, chunk: StreamChunk): number {
    const n = end - i;
    this.countTunnel(side, n);
    if (!this.innerDecided) {
      this.innerDecided = true;
      const t = this.session.tunnel;
      const port = t === null ? 0 : tunnelPort(t.target);
      const list = this.tunnelFactories;
      for (const f of typeof list === 'function' ? list() : (list ?? [])) {
        if (!f.detect(b, i, n, port)) continue;
        this.inner = f.create(this.innerHost());
        if (t !== null) t.innerProtocol = f.protocol;
        const req = t === null || t.kind === 'connect-tunnel' ? null : (this.session.transactions[t.transaction]?.request ?? null);
        if (req != null && req.time !== null && this.inner.upgradedFrom !== undefined) {
          this.inner.upgradedFrom({ method: req.method, target: req.uri, host: req.host, row: req.completedRow, time: req.time.sec + req.time.nsec / 1e9 });
        }
        break;
      }
    }
    const inner = this.inner;
    if (inner !== null) {
      const pk = chunk.p;
      const before = pk.appInfo;
      inner.data(side.dir, b, i, n, this.innerChunk(side, chunk, i));
      if (pk.appInfo !== null && pk.appInfo !== before) {
        this.innerInfoRow = chunk.row;
        this.innerInfo = pk.appInfo;
        this.innerTop = pk.top;
      }
    }
    side.pos += n;
    // Bytes of a protocol nobody here reads are no PDU of ours (no "TCP segment of a reassembled PDU").
    if (inner === null) this.host.pduEnd?.(side.dir, side.pos, false);
    return end;
  }

  // ---- messages -----------------------------------------------------------------------------

  /** Reads the request or status line (buf[0, content)) into the pending message. */
  private readStartLine(side: Side, kind: number, content: number, next: number): void {
    const buf = side.buf;
    const base = side.msgStart;
    // Tokens split as Wireshark's basic_request_dissector / basic_response_dissector do.
    const t1 = tokenEnd(buf, 0, content);
    let s2 = skipSpaces(buf, t1, content);
    if (kind === LineKind.Request && s2 > 2 && buf[s2 - 1] === 0x20 && buf[s2 - 2] === 0x20) s2--; // two spaces: empty URI
    const t2 = tokenEnd(buf, s2, content);
    const s3 = skipSpaces(buf, t2, content);
    const msg: HttpRequest | HttpResponse =
      kind === LineKind.Request
        ? newRequest(ascii(buf, 0, t1), ascii(buf, s2, t2), ascii(buf, s3, content), base, side.msgRow, side.msgSec, side.msgNsec)
        : newResponse(ascii(buf, 0, t1), t2 - s2 >= 3 ? leadingInt(buf, s2, s2 + 3) : 0, ascii(buf, s3, content), base, side.msgRow, side.msgSec, side.msgNsec);
    let p = side.slot;
    const layout = resetLayout(p === null ? null : p.layout, base);
    const tok = layout.tokens;
    tok[0] = 0;
    tok[1] = t1;
    tok[2] = s2;
    tok[3] = t2;
    tok[4] = s3;
    tok[5] = content;
    layout.firstLineEnd = content;
    layout.firstLineNext = next;
    layout.blankStart = next;
    layout.blankNext = next;
    const firstLine = shown(ascii(buf, 0, content));
    if (p === null) {
      p = { msg, tx: null, number: 0, firstLine, aligned: true, layout, interim: false, headLength: 0, connection: 0, upgrade: null, prevFrame: 0 };
      side.slot = p;
    } else {
      p.msg = msg;
      p.tx = null;
      p.number = 0;
      p.firstLine = firstLine;
      p.aligned = true;
      p.interim = false;
      p.headLength = 0;
      p.connection = 0;
      p.upgrade = null;
      p.prevFrame = 0;
    }
    side.sniffLength = 0;
    side.pending = p;
  }

  /** The header block is complete: read it, then read the body as its framing says. */
  private finishHead(side: Side, chunk: StreamChunk): void {
    const msg = side.pending!.msg;
    const framing = this.readHead(side, chunk);
    side.lineStart = side.len;
    if (framing === 'none' || (framing === 'content-length' && msg.contentLength === 0)) {
      this.complete(side, chunk, side.pos);
    } else if (framing === 'content-length') {
      side.remaining = msg.contentLength!;
      side.state = S_BODY;
    } else if (framing === 'chunked') {
      this.beginLine(side, S_CHUNK_SIZE);
    } else {
      side.state = S_UNTIL_CLOSE;
    }
  }

  /**
   * `missing` bytes after this point were not captured while a start line or header block was
   * being read: when what arrived starts a message, record and show it as far as it goes.
   */
  private truncatedHead(side: Side, chunk: StreamChunk, missing: number): boolean {
    const state = side.state;
    if (state === S_FIRST_LINE) {
      const content = lineContentEnd(side.buf, 0, side.len);
      const kind = classifyStartLine(side.buf, 0, content);
      if (kind === LineKind.None) return false;
      this.readStartLine(side, kind, content, side.len);
    } else if (state !== S_HEADERS) {
      return false;
    }
    const p = side.pending!;
    const msg = p.msg;
    // The header lines read so far, the partial last one included (tshark shows it too).
    if (state === S_HEADERS && side.len > side.lineStart && !side.lineOverflow) {
      p.layout.lines.push(side.lineStart, lineContentEnd(side.buf, side.lineStart, side.len), side.len);
    }
    p.headLength = side.len;
    p.layout.blankStart = side.len;
    p.layout.blankNext = side.len;
    this.readHead(side, chunk);
    msg.malformed ??= `truncated: ${missing} bytes of the ${msg.kind} head not captured`;
    this.damage(side, chunk, msg.malformed);
    msg.framing = 'none';
    msg.bodyEnd = side.pos;
    msg.completedRow = chunk.row;
    msg.time = { sec: chunk.p.tsSec, nsec: chunk.p.tsNsec };
    msg.complete = false;
    if (p.tx !== null) this.timeTransaction(p.tx);
    this.notePrevFrame(p, chunk);
    this.host.pduEnd?.(side.dir, side.pos, false);
    this.noteLaterFrames(p, chunk);
    // tshark names the message in the Info column only once its first line is complete.
    if (state === S_HEADERS) {
      this.infoDone += `${p.firstLine} ${TRUNCATED}`;
      chunk.p.top = Proto.Http;
    }
    this.expert(p, chunk, state === S_HEADERS);
    if (chunk.p.tree !== null) this.addTree(side, p, chunk);
    side.reset();
    return true;
  }

  /** Reads the header fields, pairs the message and returns how its body ends. */
  private readHead(side: Side, chunk: StreamChunk): BodyFraming {
    const p = side.pending!;
    const msg = p.msg;
    const buf = side.buf;
    const lines = p.layout.lines;
    for (let k = 0; k < lines.length; k += 3) {
      const s = lines[k]!;
      const e = lines[k + 1]!;
      const c0 = buf[s];
      if ((c0 === 0x20 || c0 === 0x09) && msg.headers.length > 0) {
        // Obsolete line folding (RFC 9112 §5.2): the line continues the previous field value.
        const last = msg.headers.length - 1;
        const prev = msg.headers[last]!;
        msg.headers[last] = [prev[0], `${prev[1]} ${ascii(buf, s, e).trim()}`];
        continue;
      }
      let colon = s;
      while (colon < e && buf[colon] !== 0x3a) colon++;
      if (colon >= e) {
        this.damage(side, chunk, `header line without a colon: "${shown(ascii(buf, s, Math.min(e, s + 40)))}"`);
        continue;
      }
      msg.headers.push([ascii(buf, s, colon), ascii(buf, colon + 1, e).trim()]);
    }
    let connection = 0;
    let upgrade: string | null = null;
    let contentLength: number | null = null;
    let badLength = false;
    let transferEncoding: string | null = null;
    const headers = msg.headers;
    for (let k = 0; k < headers.length; k++) {
      const name = headers[k]![0];
      // Only a few names matter for framing; their lengths rule out most others without lowercasing.
      const n = name.length;
      if (n !== 4 && n !== 7 && n !== 10 && n !== 12 && n !== 14 && n !== 17) continue;
      const value = headers[k]![1];
      switch (name.toLowerCase()) {
        case 'content-length': {
          // RFC 9110 §8.6: digits only; several fields must agree.
          const v = isDigits(value) ? Number(value) : NaN;
          if (!Number.isSafeInteger(v) || (contentLength !== null && contentLength !== v)) badLength = true;
          else contentLength = v;
          break;
        }
        case 'transfer-encoding':
          transferEncoding = transferEncoding === null ? value : `${transferEncoding}, ${value}`;
          break;
        case 'connection':
          connection |= connectionBits(value);
          break;
        case 'upgrade':
          upgrade = value;
          break;
        case 'content-type': {
          const semi = value.indexOf(';');
          msg.mediaType = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase() || null;
          break;
        }
        case 'host':
          if (msg.kind === 'request' && msg.host === null) msg.host = value;
          break;
      }
    }
    if (badLength) {
      this.damage(side, chunk, 'invalid or conflicting Content-Length');
      msg.malformed ??= 'invalid Content-Length';
      contentLength = null;
    }
    msg.contentLength = contentLength;
    // RFC 9112 §6.1: only chunked as the final transfer coding delimits the body.
    msg.chunked = transferEncoding !== null && endsWithChunked(transferEncoding);
    msg.headerEnd = msg.streamOffset + p.headLength;
    msg.bodyStart = msg.headerEnd;
    msg.bodyEnd = msg.headerEnd;
    p.connection = connection;
    p.upgrade = upgrade;
    const framing = msg.kind === 'request' ? this.requestHead(p, msg) : this.responseHead(p, msg, transferEncoding !== null);
    msg.framing = framing;
    if (msg.kind === 'response' && p.tx !== null && !p.interim) this.decideKeepAlive(p.tx);
    return framing;
  }

  private requestHead(p: Pending, req: HttpRequest): BodyFraming {
    const s = this.session;
    s.requests++;
    p.number = s.requests;
    const tx = newTransaction(s.transactions.length, req);
    tx.upgradeProtocol = p.upgrade;
    s.transactions.push(tx);
    p.tx = tx;
    this.connection[tx.index] = p.connection;
    this.decideKeepAlive(tx);
    const waiting = s.transactions.length - this.nextAnswer;
    if (waiting > s.maxPipelineDepth) s.maxPipelineDepth = waiting;
    // RFC 9112 §6.3 items 4-6: a request without Transfer-Encoding or Content-Length has no body.
    if (req.chunked) return 'chunked';
    return req.contentLength !== null ? 'content-length' : 'none';
  }

  private responseHead(p: Pending, res: HttpResponse, hasTransferEncoding: boolean): BodyFraming {
    const s = this.session;
    s.responses++;
    p.number = s.responses;
    const code = res.code;
    let tx = s.transactions[this.nextAnswer] ?? null;
    if (tx === null) {
      // A response without a request: the capture started after the request was sent.
      tx = newTransaction(s.transactions.length, null);
      s.transactions.push(tx);
      this.connection[tx.index] = 0;
    }
    p.tx = tx;
    const req = tx.request;
    if (code >= 100 && code < 200 && code !== 101) {
      // RFC 9110 §15.2: interim responses (100 Continue, 103 Early Hints) precede the final one.
      p.interim = true;
      s.interimResponses++;
      tx.interim.push(res);
      return 'none';
    }
    tx.response = res;
    this.nextAnswer = tx.index + 1;
    this.connection[tx.index] = (this.connection[tx.index]! & 3) | (p.connection << RESPONSE_SHIFT);
    if (code === 101 && p.upgrade !== null) tx.upgradeProtocol = p.upgrade;
    const connect = req !== null && req.method === 'CONNECT';
    // RFC 9110 §9.3.6 and §15.2.2: after these the connection carries another protocol.
    if (connect && code >= 200 && code < 300) tx.upgraded = 'connect-tunnel';
    else if (code === 101) tx.upgraded = upgradeKind(tx.upgradeProtocol);
    this.decideKeepAlive(tx);
    // RFC 9112 §6.3 items 1-2: no body after HEAD, 1xx, 204 or 304, nor in a 2xx to CONNECT.
    if (tx.upgraded !== null) return 'none';
    if ((req !== null && req.method === 'HEAD') || code === 204 || code === 304 || (code >= 100 && code < 200)) return 'none';
    if (res.chunked) return 'chunked';
    // Item 3-4: another final transfer coding, or no length at all: the body runs until close.
    if (hasTransferEncoding || res.contentLength === null) return 'close';
    return 'content-length';
  }

  /** The current message ends at stream offset `at`: record it and annotate the packet. */
  private complete(side: Side, chunk: StreamChunk, at: number): void {
    const p = side.pending!;
    const msg = p.msg;
    msg.bodyEnd = at;
    msg.completedRow = chunk.row;
    msg.time = { sec: chunk.p.tsSec, nsec: chunk.p.tsNsec };
    msg.complete = msg.missingBytes === 0;
    const tx = p.tx;
    if (tx !== null) this.timeTransaction(tx);
    this.notePrevFrame(p, chunk);
    this.host.pduEnd?.(side.dir, at, msg.complete, msg.missingBytes > 0);
    if (msg.complete) this.noteLaterFrames(p, chunk);
    // A message with bytes the capture lost is never reassembled by tshark: its last packet stays
    // a TCP segment (the message is known, as incomplete, to the diagnosis and the ladder).
    if (msg.missingBytes === 0) {
      this.infoDone += infoText(p.msg, p.firstLine, side.sniff, side.sniffLength);
      chunk.p.top = Proto.Http;
      this.expert(p, chunk);
      if (chunk.p.tree !== null) this.addTree(side, p, chunk);
    }
    side.reset();
    this.afterMessage(side, p);
  }

  /**
   * packet-http.c's chat item with the start line as sent (`GET / HTTP/1.1\r\n`), and ours for an
   * error status (4xx the client's, 5xx the server's).
   */
  private expert(p: Pending, chunk: StreamChunk, lineComplete = true): void {
    // A start line the capture cut short is raised as far as it goes, without its end of line.
    const eol = !lineComplete ? '' : p.layout.firstLineNext - p.layout.firstLineEnd === 2 ? '\\r\\n' : '\\n';
    const e = chunk.p.expert;
    e.add(Expert['http.chat']!, 0, 0, `${p.firstLine}${eol}`);
    const msg = p.msg;
    if (msg.kind === 'response' && msg.code >= 400 && msg.code < 600) {
      e.add(Expert[msg.code >= 500 ? 'http.response.server_error' : 'http.response.client_error']!, msg.code, 0, msg.reason);
    }
  }

  private notePrevFrame(p: Pending, chunk: StreamChunk): void {
    if (p.msg.kind === 'request') {
      p.prevFrame = this.lastRequestFrame;
      this.lastRequestFrame = chunk.p.number;
    } else {
      p.prevFrame = this.lastResponseFrame;
      this.lastResponseFrame = chunk.p.number;
    }
  }

  /**
   * http.response_in for a later pass (LaterFrames): a request waits for its answer; a final
   * response names the frame it completed in to the request tshark paired it with (extras()).
   */
  private noteLaterFrames(p: Pending, chunk: StreamChunk): void {
    const later = this.host.laterFrames;
    if (later == null) return;
    const msg = p.msg;
    if (msg.kind === 'request') later.requestDone(chunk.row);
    else if (!p.interim && p.tx !== null) {
      const req = p.tx.request;
      if (req !== null && req.time !== null && req.completedRow >= 0) later.answered(req.completedRow, chunk.row);
    }
  }

  /** What follows a complete message: another message, a tunnel, or waiting for the answer. */
  private afterMessage(side: Side, p: Pending): void {
    side.state = S_START;
    const tx = p.tx;
    if (tx === null) return;
    const msg = p.msg;
    if (msg.kind === 'response') {
      if (p.interim || tx.upgraded === null) return;
      this.openTunnel(tx, tx.upgraded);
      side.state = S_TUNNEL;
      const other = this.sides[side.dir === 0 ? 1 : 0];
      if (other.state === S_AWAIT_SWITCH) {
        other.state = S_TUNNEL;
        other.switchTx = null;
      }
      return;
    }
    if (msg.method !== 'CONNECT' && tx.upgradeProtocol === null) return;
    if (tx.upgraded !== null) {
      side.state = S_TUNNEL; // the answer was parsed first
    } else if (tx.response === null) {
      side.state = S_AWAIT_SWITCH;
      side.switchTx = tx;
    }
  }

  private openTunnel(tx: HttpTransaction, kind: Exclude<HttpUpgrade, null>): void {
    const s = this.session;
    if (tx.upgraded === null) tx.upgraded = kind;
    if (s.tunnel !== null) return;
    const target = kind === 'connect-tunnel' ? (tx.request?.uri ?? '') : (tx.upgradeProtocol ?? kind);
    s.tunnel = { kind, transaction: tx.index, target, innerProtocol: null, bytes: [0, 0], streamOffset: [-1, -1] };
  }

  private countTunnel(side: Side, n: number): void {
    const t = this.session.tunnel;
    if (t === null) return;
    if (t.streamOffset[side.dir] < 0) t.streamOffset[side.dir] = side.pos;
    t.bytes[side.dir] += n;
  }

  private timeTransaction(tx: HttpTransaction): void {
    const req = tx.request;
    const res = tx.response;
    if (req === null || req.time === null || res === null) return;
    const wait = seconds(res.firstTime, req.time);
    tx.waitSeconds = wait >= 0 ? wait : null;
    if (res.time !== null) tx.responseSeconds = seconds(res.time, req.time);
  }

  private decideKeepAlive(tx: HttpTransaction): void {
    decideKeepAlive(tx, this.connection[tx.index] ?? 0);
  }

  /** A message that cannot be read on: record why, and mark the packet when it is damage. */
  private abandon(side: Side, chunk: StreamChunk, reason: string, markPacket: boolean): void {
    this.damage(side, chunk, reason);
    if (markPacket) {
      const pk = chunk.p;
      pk.marks |= Mark.Malformed;
      if (pk.malformed === null) pk.malformed = reason;
    }
    const p = side.pending;
    if (p !== null) {
      p.msg.malformed ??= reason;
      p.msg.bodyEnd = side.pos;
      if (p.msg.kind === 'response' && p.tx !== null) this.decideKeepAlive(p.tx);
    }
    side.reset();
  }

  /** The stream ended (or the capture stopped) inside the current message. */
  private truncate(side: Side): void {
    const p = side.pending;
    if (p !== null) {
      p.msg.bodyEnd = side.pos;
      p.msg.complete = false;
    }
    side.reset();
  }

  /** Lost track of message boundaries: continue at the next line that can start a message. */
  private lose(side: Side, atLineStart: boolean): void {
    side.reset();
    side.state = atLineStart ? S_START : S_RESYNC;
    side.quiet = true;
  }

  private notAStartLine(side: Side, chunk: StreamChunk): void {
    if (!side.quiet) this.damage(side, chunk, `not an HTTP request or status line: "${shown(ascii(side.buf, 0, Math.min(side.len, 40)))}"`);
    if (side.sawMessage) this.infoContinuation = true;
  }

  private damage(side: Side, chunk: StreamChunk, reason: string): void {
    const list = this.session.damage;
    if (list.length < MAX_DAMAGE) list.push({ dir: side.dir, streamOffset: side.pos, row: chunk.row, reason });
  }

  // ---- byte plumbing ------------------------------------------------------------------------

  /**
   * Appends the bytes up to and including the next LF to buf, keeping at most `limit` bytes of
   * the line (the rest of an over-long line is consumed, not kept, and lineOverflow is set).
   */
  private takeLine(side: Side, b: Uint8Array, i: number, end: number, limit: number): typeof LINE {
    const lf = findLf(b, i, end);
    const stop = lf < 0 ? end : lf + 1;
    const room = Math.max(limit - (side.len - side.lineStart), 0);
    const keep = Math.min(stop - i, room);
    if (keep < stop - i) side.lineOverflow = true;
    side.append(b, i, i + keep);
    side.pos += stop - i;
    LINE.index = stop;
    LINE.lineEnd = lf >= 0 && !side.lineOverflow ? side.len : -1;
    return LINE;
  }

  private beginLine(side: Side, state: number): void {
    side.state = state;
    side.lineStart = side.len;
    side.lineOverflow = false;
  }

  /** Framing lines stay in buf only while it mirrors the message for the tree. */
  private releaseFraming(side: Side, lineStart: number): void {
    const p = side.pending!;
    if (!side.keepBody || !p.aligned) side.len = lineStart;
    side.lineStart = side.len;
  }

  /** Message offset of buf index `i` when buf mirrors the message, else -1. */
  private relOffset(side: Side, i: number): number {
    return side.keepBody && side.pending!.aligned ? i : -1;
  }

  private countBody(side: Side, b: Uint8Array, i: number, n: number): void {
    if (n <= 0) return;
    const p = side.pending!;
    const msg = p.msg;
    for (let k = side.sniffLength; k < 8 && k - side.sniffLength < n; k++) side.sniff[k] = b[i + k - side.sniffLength]!;
    if (side.sniffLength < 8) side.sniffLength = Math.min(8, side.sniffLength + n);
    msg.bodyLength += n;
    msg.bodyWireLength += n;
    this.session.bodyBytes[side.dir] += n;
    side.pos += n;
    this.keepBodyBytes(side, b, i, n);
  }

  private keepBodyBytes(side: Side, b: Uint8Array | null, i: number, n: number): void {
    const p = side.pending;
    if (!side.keepBody || p === null || !p.aligned) return;
    if (side.len + n > p.headLength + this.maxTreeBody) {
      p.aligned = false; // too big to keep for the tree: the rest is only counted
      return;
    }
    if (b === null) side.appendZeros(n);
    else side.append(b, i, i + n);
    side.lineStart = side.len;
  }

  // ---- the packet: Info column and field tree -----------------------------------------------

  private enterCall(chunk: StreamChunk, off: number): void {
    this.callChunk = chunk;
    this.callOff = off;
    if (chunk.row !== this.infoRow) {
      this.infoRow = chunk.row;
      this.infoDone = '';
      this.infoContinuation = false;
    }
  }

  /** Sets the packet's Info column (tshark's wording) once this call's bytes are consumed. */
  private leaveCall(side: Side, chunk: StreamChunk, lengthKnown: boolean): void {
    const pk = chunk.p;
    const open = side.pending;
    if (this.infoDone !== '') {
      // A message begun in this packet but not finished still shows its first line.
      const startedHere = open !== null && open.msg.streamOffset >= chunk.streamOffset && this.callOff >= 0;
      pk.appInfo = startedHere ? `${this.infoDone}${open.firstLine} ` : this.infoDone;
      pk.top = Proto.Http;
      // The protocol an Upgrade switched to may begin in the same packet (a server's SETTINGS
      // right after its 101): tshark lists both, and names the packet by the newer protocol.
      if (this.innerInfoRow === chunk.row) {
        pk.appInfo = `${pk.appInfo}, ${this.innerInfo}`;
        pk.top = this.innerTop;
      }
    } else if (open !== null && !lengthKnown) {
      // packet-http.c names the message ("%s "); TCP then appends its note (engine/summary.ts).
      if (pk.appInfo === null) pk.appInfo = `${open.firstLine} `;
    } else if (this.infoContinuation && pk.appInfo === null) {
      pk.appInfo = 'Continuation';
      pk.top = Proto.Http;
    }
    this.callChunk = null;
  }

  private addTree(side: Side, p: Pending, chunk: StreamChunk): void {
    const tree = chunk.p.tree!;
    const msg = p.msg;
    const total = msg.bodyEnd - msg.streamOffset;
    const saved = tree.source;
    const kept = side.keepBody && p.aligned ? side.len : p.headLength;
    let view: MessageView;
    // All of the message in this packet's own bytes: fields point into the frame. Otherwise into
    // a copy of the reassembled message, Wireshark's "Reassembled TCP" data source.
    if (this.callChunk === chunk && this.callOff >= 0 && chunk.frameOffset >= 0 && msg.streamOffset >= chunk.streamOffset) {
      const frame = tree.sources[0]!.bytes;
      const base = chunk.frameOffset + (msg.streamOffset - chunk.streamOffset);
      tree.source = 0;
      view = { src: frame, base, available: Math.max(Math.min(total, frame.length - base), 0), total };
    } else {
      const copy = side.buf.slice(0, Math.min(kept, total));
      tree.addSource(this.scheme === 'https' ? 'Decrypted TLS' : 'Reassembled TCP', copy);
      view = { src: copy, base: 0, available: copy.length, total };
    }
    addMessageLayer(tree, msg, p.layout, view, this.extras(p));
    tree.source = saved;
  }

  /** Conversation-level facts for the tree: numbering, frames of related messages, http.time. */
  private extras(p: Pending): MessageExtras {
    const s = this.session;
    const msg = p.msg;
    const tx = p.tx;
    const req = tx?.request ?? null;
    const out: MessageExtras = {
      // tshark names the request only once it has dissected it (not for an early 100 Continue);
      // a response names it by its target when there was no Host to make a full URI.
      fullUri: req === null || (msg.kind === 'response' && req.time === null) ? null : (fullUri(this.scheme, req) ?? (msg.kind === 'response' ? req.uri : null)),
      number: p.number,
      count: msg.kind === 'request' ? s.requests : s.responses,
      prevRequestFrame: 0,
      prevResponseFrame: 0,
      requestFrame: 0,
      responseFrame: 0,
      time: null,
    };
    if (msg.kind === 'request') {
      out.prevRequestFrame = p.prevFrame;
      out.responseFrame = this.host.laterFrames?.responseIn(msg.completedRow) ?? 0;
      return out;
    }
    out.prevResponseFrame = p.prevFrame;
    if (tx === null) return out;
    for (let k = tx.index - 1; k >= 0; k--) {
      const r = s.transactions[k]!.request;
      if (r !== null && r.completedRow >= 0) {
        out.prevRequestFrame = r.completedRow + 1;
        break;
      }
    }
    // tshark pairs a response with a request it has seen completed; an early answer has none.
    if (req !== null && req.time !== null && msg.time !== null) {
      out.requestFrame = req.completedRow + 1;
      out.time = timeDiffText(msg.time.sec, msg.time.nsec, req.time.sec, req.time.nsec);
    }
    return out;
  }

  // ---- the nested parser --------------------------------------------------------------------

  private innerChunk(side: Side, chunk: StreamChunk, i: number): StreamChunk {
    const t = this.session.tunnel;
    const start = t === null || t.streamOffset[side.dir] < 0 ? side.pos : t.streamOffset[side.dir];
    return {
      p: chunk.p,
      row: chunk.row,
      streamOffset: side.pos - start,
      frameOffset: i >= 0 && this.callOff >= 0 && chunk.frameOffset >= 0 ? chunk.frameOffset + (i - this.callOff) : -1,
    };
  }

  /** The host seen by the nested parser: stream offsets count from the tunnel's first byte. */
  private innerHost(): StreamHost {
    const host = this.host;
    const session = this.session;
    const shift = (dir: Direction): number => Math.max(session.tunnel?.streamOffset[dir] ?? 0, 0);
    return {
      get keepsSpans() {
        return host.keepsSpans;
      },
      get wantsTrees() {
        return host.wantsTrees;
      },
      get summaryOnly() {
        return host.summaryOnly === true;
      },
      spans(dir: Direction, start: number, end: number): SegmentSpan[] {
        const d = shift(dir);
        return host.spans(dir, start + d, end + d).map((sp) => ({ ...sp, streamOffset: sp.streamOffset - d }));
      },
      // The tunnel's PDUs (TLS records after CONNECT) are the TCP segments' PDUs.
      pduEnd(dir: Direction, end: number, reassembled: boolean, lost?: boolean): void {
        host.pduEnd?.(dir, end + shift(dir), reassembled, lost);
      },
      laterFrames: host.laterFrames ?? null,
    };
  }
}

export { fullUri, looksLikeHttp };

/** An AppParserFactory whose parsers expose the HTTP session. */
export interface HttpParserFactory extends AppParserFactory {
  create(host: StreamHost): HttpParser;
}

/** Builds an HTTP factory; `tunnelFactories` are offered the bytes of CONNECT tunnels and upgrades. */
export function createHttpFactory(opts: HttpFactoryOptions = {}): HttpParserFactory {
  return {
    protocol: 'http',
    fields: Object.values(httpFields),
    detect: (bytes, off, len) => looksLikeHttp(bytes, off, len),
    create: (host) => new HttpParser(host, opts),
  };
}

/**
 * The default factory: TLS inside CONNECT tunnels and HTTP/2 after `Upgrade: h2c` are dissected.
 * The list is read when a tunnel opens, so the TLS module may import this one (HTTP over decrypted
 * TLS) without an import cycle biting at load time.
 */
export const httpFactory: HttpParserFactory = createHttpFactory({ tunnelFactories: () => [tlsFactory, http2Factory] });
