// Reading and judging HTTP/1.x message heads: model constructors, framing and connection rules,
// and the Info column text; pure functions the streaming parser calls once per message.

import { ascii } from './text';
import { MAX_METHOD_LENGTH, httpMethods } from './fields';
import type { HttpMessage, HttpRequest, HttpResponse, HttpTransaction, Instant } from './model';

// Connection-header facts of a message head, as bits (request in the low pair, response above).
export const CONN_CLOSE = 1;
export const CONN_KEEP_ALIVE = 2;
export const RESPONSE_SHIFT = 2;

const CR = 0x0d;
const LF = 0x0a;

export function newTransaction(index: number, request: HttpRequest | null): HttpTransaction {
  return {
    index,
    request,
    interim: [],
    response: null,
    waitSeconds: null,
    responseSeconds: null,
    keepAlive: true,
    keepAliveReason: '',
    upgraded: null,
    upgradeProtocol: null,
  };
}

export function isHttp11OrLater(version: string): boolean {
  if (version === 'HTTP/1.1') return true;
  if (version === 'HTTP/1.0') return false;
  const m = /^HTTP\/(\d+)\.(\d+)$/.exec(version);
  if (m === null) return false;
  const major = Number(m[1]);
  return major > 1 || (major === 1 && Number(m[2]) >= 1);
}

export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** CONN_* bits of a Connection header value (a comma-separated token list, RFC 9110 §7.6.1). */
export function connectionBits(value: string): number {
  let bits = 0;
  for (const token of value.split(',')) {
    const t = token.trim().toLowerCase();
    if (t === 'close') bits |= CONN_CLOSE;
    else if (t === 'keep-alive') bits |= CONN_KEEP_ALIVE;
  }
  return bits;
}

/** Transfer-Encoding whose final coding is chunked (RFC 9112 §6.1). */
export function endsWithChunked(te: string): boolean {
  const comma = te.lastIndexOf(',');
  return te.slice(comma + 1).trim().toLowerCase() === 'chunked';
}

/**
 * What a request and a response start with alike: no headers or body yet, every offset at `at`
 * (where the start line begins in the stream), first seen at `row` and (sec, nsec).
 */
function newMessageState(at: number, row: number, sec: number, nsec: number): Omit<HttpMessage, 'version'> {
  return {
    headers: [],
    contentLength: null,
    chunked: false,
    framing: 'none',
    bodyLength: 0,
    bodyWireLength: 0,
    trailers: [],
    streamOffset: at,
    headerStart: at,
    headerEnd: at,
    bodyStart: at,
    bodyEnd: at,
    startRow: row,
    completedRow: -1,
    firstTime: { sec, nsec },
    time: null,
    complete: false,
    missingBytes: 0,
    malformed: null,
    mediaType: null,
  };
}

export function newRequest(method: string, uri: string, version: string, at: number, row: number, sec: number, nsec: number): HttpRequest {
  return {
    kind: 'request',
    method,
    uri,
    host: null,
    version,
    ...newMessageState(at, row, sec, nsec),
  };
}

export function newResponse(version: string, code: number, reason: string, at: number, row: number, sec: number, nsec: number): HttpResponse {
  return {
    kind: 'response',
    code,
    reason,
    version,
    ...newMessageState(at, row, sec, nsec),
  };
}

export function upgradeKind(protocol: string | null): 'websocket' | 'upgrade' {
  return protocol !== null && /(^|,)\s*websocket\s*(\/|,|$)/i.test(protocol) ? 'websocket' : 'upgrade';
}

export function tunnelPort(target: string): number {
  const colon = target.lastIndexOf(':');
  if (colon < 0) return 0;
  const n = Number(target.slice(colon + 1));
  return Number.isInteger(n) && n >= 0 && n < 65536 ? n : 0;
}

/** Hex chunk size before any `;extension` (RFC 9112 §7.1), or -1 when unreadable or absurd. */
export function parseChunkSize(b: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && (b[i] === 0x20 || b[i] === 0x09)) i++;
  let n = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = b[i]!;
    let v: number;
    if (c >= 0x30 && c <= 0x39) v = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) v = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) v = c - 0x37;
    else break;
    n = n * 16 + v;
    digits++;
    if (n > 2 ** 40) return -1;
  }
  if (digits === 0) return -1;
  while (i < end && (b[i] === 0x20 || b[i] === 0x09)) i++;
  return i < end && b[i] !== 0x3b ? -1 : n;
}

/** strtoul on the status code's three characters: the leading digits (Wireshark's reading). */
export function leadingInt(b: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
  }
  return n;
}

export function seconds(a: Instant, b: Instant): number {
  return a.sec - b.sec + (a.nsec - b.nsec) / 1e9;
}

export function sizeText(n: number): string {
  return n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}

/** Info column text of a complete message, as tshark's HTTP and media dissectors write it. */
export function infoText(msg: HttpMessage, firstLine: string, s: Uint8Array, n: number): string {
  const text = `${firstLine} `;
  const mt = msg.mediaType;
  if (mt === null || msg.bodyLength === 0 || mt.startsWith('multipart/')) return text;
  if (mt === 'application/json' || mt.endsWith('+json')) return `${text}, JavaScript Object Notation (${mt})`;
  if (mt.startsWith('image/')) {
    // Image dissectors name what the bytes are, whatever the header claims.
    if (n >= 6 && s[0] === 0x47 && s[1] === 0x49 && s[2] === 0x46 && s[3] === 0x38) return `${text} (${ascii(s, 0, 6)})`;
    if (n >= 4 && s[0] === 0x89 && s[1] === 0x50 && s[2] === 0x4e && s[3] === 0x47) return `${text} (PNG)`;
    if (n >= 2 && s[0] === 0xff && s[1] === 0xd8) return `${text} (JPEG JFIF image)`;
  }
  return `${text} (${mt})`;
}

/** http.request.full_uri: absolute-form and authority-form targets as written, else scheme://host + target. */
export function fullUri(scheme: string, req: HttpRequest): string | null {
  if (req.method === 'CONNECT' || req.uri.includes('://')) return req.uri;
  if (req.host === null) return null;
  return `${scheme}://${req.host}${req.uri}`;
}

/**
 * Content-based detection: a known method followed by a space (or the end of the line), or a
 * status line starting `HTTP/1.` (a capture that began in the middle of a conversation).
 */
export function looksLikeHttp(bytes: Uint8Array, off: number, len: number): boolean {
  const end = Math.min(off + len, bytes.length);
  const status = 'HTTP/1.';
  if (end - off >= status.length) {
    let i = 0;
    while (i < status.length && bytes[off + i] === status.charCodeAt(i)) i++;
    if (i === status.length) return true;
  }
  let s = off;
  if (end - s >= 2 && bytes[s] === 0x4d && bytes[s + 1] === 0x2d) s += 2; // `M-` (RFC 2774)
  for (let i = s; i < end && i - s <= MAX_METHOD_LENGTH; i++) {
    const c = bytes[i]!;
    if (c === 0x20 || c === CR || c === LF) return i > s && httpMethods.has(ascii(bytes, s, i));
    if (!((c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x2d)) return false;
  }
  return false;
}

/**
 * RFC 9112 §9.3: HTTP/1.1 connections persist unless either side sends `Connection: close`;
 * HTTP/1.0 ones close unless `Connection: keep-alive`; a body delimited by close ends it too.
 */
export function decideKeepAlive(tx: HttpTransaction, bits: number): void {
  const req = tx.request;
  const res = tx.response;
  let keep = true;
  let why: string;
  if (tx.upgraded === 'connect-tunnel') {
    keep = false;
    why = 'CONNECT succeeded: the connection is now a tunnel';
  } else if (tx.upgraded !== null) {
    keep = false;
    why = `101 Switching Protocols: the connection now speaks ${tx.upgradeProtocol ?? 'another protocol'}`;
  } else if ((bits & CONN_CLOSE) !== 0) {
    keep = false;
    why = 'the request says Connection: close';
  } else if (((bits >> RESPONSE_SHIFT) & CONN_CLOSE) !== 0) {
    keep = false;
    why = 'the response says Connection: close';
  } else if (req !== null && !isHttp11OrLater(req.version) && (bits & CONN_KEEP_ALIVE) === 0) {
    keep = false;
    why = `${req.version || 'an HTTP/1.0'} request without Connection: keep-alive (HTTP/1.0 closes by default)`;
  } else if (res !== null && res.framing === 'close') {
    keep = false;
    why = 'the response body runs until the connection closes';
  } else if (res !== null && !isHttp11OrLater(res.version)) {
    keep = ((bits >> RESPONSE_SHIFT) & CONN_KEEP_ALIVE) !== 0;
    why = keep ? `${res.version} with Connection: keep-alive` : `${res.version || 'an HTTP/1.0'} response without Connection: keep-alive (HTTP/1.0 closes by default)`;
  } else if (res !== null) {
    why = `${res.version} default: the connection persists`;
  } else if (req !== null && !isHttp11OrLater(req.version)) {
    why = `${req.version} with Connection: keep-alive`;
  } else {
    why = `${req?.version ?? 'HTTP/1.1'} default: the connection persists`;
  }
  tx.keepAlive = keep;
  tx.keepAliveReason = why;
}

