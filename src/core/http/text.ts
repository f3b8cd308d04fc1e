// Byte-level helpers for HTTP/1.x text: line search, ASCII decoding, start-line recognition.

import { MAX_METHOD_LENGTH, httpMethods } from './fields';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;

/** Index of the first LF in `b[from, end)`, or -1. */
export function findLf(b: Uint8Array, from: number, end: number): number {
  // Header lines are short: a plain loop beats creating a bounded view for the native search.
  const near = Math.min(end, from + 128);
  for (let i = from; i < near; i++) if (b[i] === LF) return i;
  if (near === end) return -1;
  return end === b.length ? b.indexOf(LF, near) : b.subarray(0, end).indexOf(LF, near);
}

/** End of a line's content, given where the next line starts: without its LF or CRLF. */
export function lineContentEnd(b: Uint8Array, start: number, next: number): number {
  let end = next;
  if (end > start && b[end - 1] === LF) end--;
  if (end > start && b[end - 1] === CR) end--;
  return end;
}

const latin1 = new TextDecoder('latin1');

/**
 * Bytes as a string the way Wireshark reads ENC_ASCII: 7-bit characters as they are, anything
 * else as U+FFFD.
 */
export function ascii(b: Uint8Array, start: number, end: number): string {
  let i = start;
  while (i < end && b[i]! < 0x80) i++;
  if (i === end) {
    // All 7-bit (the usual case): short strings four characters per call, long ones natively
    // (windows-1252 and ASCII agree below 0x80).
    if (end - start > 24) return latin1.decode(b.subarray(start, end));
    let s = '';
    let k = start;
    for (; k + 4 <= end; k += 4) s += String.fromCharCode(b[k]!, b[k + 1]!, b[k + 2]!, b[k + 3]!);
    for (; k < end; k++) s += String.fromCharCode(b[k]!);
    return s;
  }
  let s = '';
  for (let k = start; k < end; k++) {
    const c = b[k]!;
    s += c < 0x80 ? String.fromCharCode(c) : '\ufffd';
  }
  return s;
}

const namedEscapes: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/** Text as Wireshark shows it in labels and `-T fields` (format_text): control bytes escaped. */
export function shown(text: string): string {
  let out: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f) {
      if (out !== null) out += text[i];
      continue;
    }
    if (out === null) out = text.slice(0, i);
    out += namedEscapes[c] ?? `\\${c.toString(8).padStart(3, '0')}`;
  }
  return out ?? text;
}

/** `shown()` of raw bytes. */
export function shownBytes(b: Uint8Array, start: number, end: number): string {
  return shown(ascii(b, start, end));
}

/** What the first line of a message is. */
export const LineKind = { None: 0, Request: 1, Response: 2 } as const;

/**
 * Classifies a complete first line (no EOL) as Wireshark's is_http_request_or_reply does: a status
 * line starts with `HTTP/`; a request line starts with a known method followed by a space or the
 * end of the line.
 */
export function classifyStartLine(b: Uint8Array, start: number, end: number): number {
  if (startsWithHttpSlash(b, start, end)) return LineKind.Response;
  let s = start;
  if (end - s >= 2 && b[s] === 0x4d && b[s + 1] === 0x2d) s += 2; // `M-` (RFC 2774)
  let j = s;
  while (j < end && b[j] !== SP) {
    if (j - s >= MAX_METHOD_LENGTH) return LineKind.None;
    j++;
  }
  return j > s && httpMethods.has(ascii(b, s, j)) ? LineKind.Request : LineKind.None;
}

/**
 * Whether the first bytes of a line (its end not seen yet) can still become a start line, so
 * binary data is rejected before a whole header block's worth of it is buffered.
 */
export function couldStartLine(b: Uint8Array, start: number, end: number): boolean {
  const n = Math.min(end - start, 5);
  let httpPrefix = true;
  for (let i = 0; i < n; i++) {
    if (b[start + i] !== HTTP_SLASH[i]) {
      httpPrefix = false;
      break;
    }
  }
  if (httpPrefix) return true;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c === SP || c === CR || c === LF) return classifyStartLine(b, start, i) === LineKind.Request;
    if (i - start >= MAX_METHOD_LENGTH) return false;
    const tokenChar = (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x2d;
    if (!tokenChar) return false;
  }
  return true;
}

const HTTP_SLASH = [0x48, 0x54, 0x54, 0x50, 0x2f];

function startsWithHttpSlash(b: Uint8Array, start: number, end: number): boolean {
  if (end - start < 5) return false;
  for (let i = 0; i < 5; i++) if (b[start + i] !== HTTP_SLASH[i]) return false;
  return true;
}

/**
 * A token of a start line as Wireshark's get_token_len splits it: up to the next space (or the
 * line end); `next` skips the spaces after it.
 */
export function tokenEnd(b: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && b[i] !== SP) i++;
  return i;
}

export function skipSpaces(b: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && b[i] === SP) i++;
  return i;
}
