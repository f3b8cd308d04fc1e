// "Follow HTTP/2 stream N": one stream's request and response as text — header fields as
// `name: value` lines, then the body with its content coding undone (as Wireshark's Follow HTTP/2
// Stream shows the decoded exchange).

import { decodeBody } from './content-coding';
import { isTextual } from './frame-tree';
import type { Http2Header, Http2Message, Http2Stream } from './model';

/** Body bytes shown as text at most (the rest is counted). */
export const MAX_FOLLOW_TEXT = 1024 * 1024;

export interface FollowPart {
  headers: Array<[string, string]>;
  trailers: Array<[string, string]>;
  /** The body as text (decoded when it was gzip/br/deflate), or a note for a binary body. */
  body: string;
  /** Body bytes on the wire (DATA payloads), and after decoding. */
  bodyBytes: number;
  decodedBytes: number;
  coding: string | null;
  /** The body is not text (shown as a hex excerpt). */
  binary: boolean;
  /** Why the body is not all there: not captured, over the keep limit, cut for display, could not be decoded. */
  notes: string[];
}

function pairs(list: readonly Http2Header[]): Array<[string, string]> {
  return list.map((h) => [h.name ?? '<unknown>', h.value ?? '']);
}

function mediaOf(msg: Http2Message): string | null {
  if (msg.contentType === null) return null;
  return msg.contentType.split(';')[0]!.trim().toLowerCase();
}

/** Whether bytes read as text: no NUL and few control characters. */
function looksTextual(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0) return false;
    if (c < 0x09 || (c > 0x0d && c < 0x20)) odd++;
  }
  return odd * 20 < n;
}

export function followPart(msg: Http2Message): FollowPart {
  const notes: string[] = [];
  if (msg.undecodable !== null) notes.push(`header block not fully decoded: ${msg.undecodable}`);
  if (msg.bodyTruncated) notes.push(msg.bodyKept < msg.bodyBytes ? `${msg.bodyBytes - msg.bodyKept} body bytes not captured or not kept` : 'some body bytes were not captured');
  const coded = msg.body === null ? new Uint8Array(0) : msg.body.subarray(0, msg.bodyKept);
  // A cut body cannot be decoded reliably; it is shown as sent.
  const decoded = msg.bodyTruncated ? { coding: null, bytes: coded, error: null } : decodeBody(coded, msg.contentEncoding);
  if (decoded.error !== null) notes.push(decoded.error);
  const bytes = decoded.bytes;
  const media = mediaOf(msg);
  const binary = bytes.length > 0 && !(media !== null && isTextual(media)) && !looksTextual(bytes);
  let body: string;
  if (binary) {
    const shown = Math.min(bytes.length, 256);
    let hex = '';
    for (let i = 0; i < shown; i++) hex += (i % 16 === 0 ? (i > 0 ? '\n' : '') : ' ') + bytes[i]!.toString(16).padStart(2, '0');
    body = `[${bytes.length} bytes of ${media ?? 'binary data'}${shown < bytes.length ? `; the first ${shown} in hex` : ''}]\n${hex}`;
  } else {
    body = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, MAX_FOLLOW_TEXT));
    if (bytes.length > MAX_FOLLOW_TEXT) notes.push(`text cut at ${MAX_FOLLOW_TEXT} bytes of ${bytes.length}`);
  }
  return { headers: pairs(msg.headers), trailers: pairs(msg.trailers), body, bodyBytes: msg.bodyBytes, decodedBytes: bytes.length, coding: decoded.coding, binary, notes };
}

/** The exchange as one text: request header fields, request body, a blank line, response. */
export function followText(st: Http2Stream): string {
  const out: string[] = [];
  const part = (title: string, msg: Http2Message): void => {
    const p = followPart(msg);
    out.push(`${title}`);
    for (const [n, v] of p.headers) out.push(`${n}: ${v}`);
    if (p.body !== '') out.push('', p.body);
    for (const [n, v] of p.trailers) out.push(`${n}: ${v}`);
    for (const note of p.notes) out.push(`[${note}]`);
    out.push('');
  };
  part(st.upgraded ? `[stream ${st.id}: request sent as HTTP/1.1, then upgraded to h2c]` : `[stream ${st.id}: request]`, st.request);
  part(`[stream ${st.id}: response${st.interim.length > 0 ? ` after ${st.interim.join(', ')}` : ''}]`, st.response);
  if (st.reset !== null) out.push(`[RST_STREAM from the ${st.reset.by === 0 ? 'client' : 'server'}: ${st.reset.name}]`);
  return out.join('\n');
}
