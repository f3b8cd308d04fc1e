// The 'http' layer of the field tree for one complete message, laid out as Wireshark 4.0 shows it.

import { hexBytes } from '../util/address';
import type { TreeBuilder } from '../dissect/tree';
import { addSettingsPayload } from '../http2/frame-tree';
import { headerFields, httpFields, statusName } from './fields';
import type { HttpRequest, HttpResponse } from './model';
import { ascii, shown, shownBytes } from './text';

/**
 * Where the parts of a message are, as offsets from its first byte (the start line begins at 0).
 * The parser reuses one per direction; arrays hold flat tuples.
 */
export interface MessageLayout {
  /** Stream offset of the message's first byte. */
  streamOffset: number;
  /** Start-line tokens: [first start, first end, second start, second end, rest start, rest end]. */
  tokens: number[];
  /** End of the first line's content, and where the next line starts. */
  firstLineEnd: number;
  firstLineNext: number;
  /** Header lines: triples of [start, content end, next line]. */
  lines: number[];
  /** The blank line ending the header block. */
  blankStart: number;
  blankNext: number;
  /** Chunks: quads of [size line start, size content end, data start, size] (tree path only). */
  chunks: number[];
  /** The last chunk's line: [start, content end, next], or empty. */
  lastChunk: number[];
  /** Trailer lines: triples like `lines`. */
  trailers: number[];
  /** The blank line ending the trailer section: [start, next], or empty. */
  trailerBlank: number[];
}

/** A fresh layout for a message starting at `streamOffset`, reusing `old`'s arrays. */
export function resetLayout(old: MessageLayout | null, streamOffset: number): MessageLayout {
  if (old === null) {
    return {
      streamOffset,
      tokens: [0, 0, 0, 0, 0, 0],
      firstLineEnd: 0,
      firstLineNext: 0,
      lines: [],
      blankStart: 0,
      blankNext: 0,
      chunks: [],
      lastChunk: [],
      trailers: [],
      trailerBlank: [],
    };
  }
  old.streamOffset = streamOffset;
  old.firstLineEnd = 0;
  old.firstLineNext = 0;
  old.lines.length = 0;
  old.blankStart = 0;
  old.blankNext = 0;
  old.chunks.length = 0;
  old.lastChunk.length = 0;
  old.trailers.length = 0;
  old.trailerBlank.length = 0;
  return old;
}

/** The bytes the tree points into: message offset `o` is `src[base + o]`. */
export interface MessageView {
  src: Uint8Array;
  base: number;
  /** Message bytes available in `src` from `base` (the head at least). */
  available: number;
  /** Message length on the wire. */
  total: number;
}

/** Conversation-level facts shown after the header block (numbers, frames, times, URIs). */
export interface MessageExtras {
  fullUri: string | null;
  /** 1-based number of this request (or response) in the conversation. */
  number: number;
  /** Requests (or responses) seen so far: the "n" in "HTTP request i/n". */
  count: number;
  /** Frame numbers, 0 when unknown. */
  prevRequestFrame: number;
  prevResponseFrame: number;
  requestFrame: number;
  /** http.response_in of a request (a later packet: known from a previous pass, LaterFrames). */
  responseFrame: number;
  /** http.time text (seconds since the request), or null. */
  time: string | null;
}

/** Most body text shown in http.file_data (the body itself may be far larger). */
const MAX_FILE_DATA_TEXT = 1024 * 1024;

export function addMessageLayer(tree: TreeBuilder, msg: HttpRequest | HttpResponse, layout: MessageLayout, view: MessageView, extras: MessageExtras): void {
  const { src, base } = view;
  const at = (rel: number): number => base + rel;
  const line = (s: number, n: number): string => shownBytes(src, base + s, base + Math.min(n, view.available));
  tree.begin('http', 'Hypertext Transfer Protocol', 7, base, Math.min(view.total, view.available));

  const fs = 0;
  const fn = layout.firstLineNext;
  const tok = layout.tokens;
  tree.openText(line(fs, fn), at(fs), fn - fs);
  if (msg.kind === 'request') {
    // Wireshark's basic_request_dissector: no method, nothing else either.
    if (tok[1]! > tok[0]!) {
      tree.add(httpFields.requestMethod, shown(msg.method), at(tok[0]!), tok[1]! - tok[0]!);
      addUri(tree, msg.uri, at(tok[2]!), tok[3]! - tok[2]!);
      tree.add(httpFields.requestVersion, shown(msg.version), at(tok[4]!), tok[5]! - tok[4]!);
    }
  } else if (tok[1]! > tok[0]!) {
    tree.add(httpFields.responseVersion, shown(msg.version), at(tok[0]!), tok[1]! - tok[0]!);
    if (tok[3]! - tok[2]! >= 3) {
      tree.add(httpFields.responseCode, msg.code, at(tok[2]!), 3);
      tree.add(httpFields.responseCodeDesc, statusName(msg.code), at(tok[2]!), 3);
      if (tok[5]! > tok[4]!) tree.add(httpFields.responsePhrase, shown(msg.reason), at(tok[4]!), tok[5]! - tok[4]!);
    }
  }
  tree.close();

  const lineField = msg.kind === 'request' ? httpFields.requestLine : httpFields.responseLine;
  const lines = layout.lines;
  for (let k = 0; k < lines.length; k += 3) {
    const s = lines[k]!;
    const e = lines[k + 1]!;
    const n = lines[k + 2]!;
    const text = line(s, n);
    let colon = s;
    while (colon < e && src[base + colon] !== 0x3a) colon++;
    const first = src[base + s];
    // Lines without a colon, and folded continuation lines, show as text (as in Wireshark).
    if (colon >= e || first === 0x20 || first === 0x09) {
      tree.text(text, at(s), n - s);
      continue;
    }
    const name = ascii(src, base + s, base + colon).toLowerCase();
    const value = shown(ascii(src, base + colon + 1, base + e).trim());
    if (name === 'content-length') {
      const node = tree.open(httpFields.contentLengthHeader, value, at(s), n - s);
      node.label = text;
      if (/^[0-9]+$/.test(value)) tree.add(httpFields.contentLength, Number(value), at(s), n - s);
      tree.close();
    } else if (name === 'http2-settings') {
      // RFC 7540 §3.2.1: the client's SETTINGS payload, base64url-encoded, shown decoded.
      tree.open(httpFields.http2Settings, value, at(s), n - s).label = text;
      const settings = Uint8Array.from(Buffer.from(value, 'base64url'));
      const saved = tree.source;
      tree.addSource('Base64-decoded HTTP2-Settings', settings);
      addSettingsPayload(tree, settings, 0, settings.length);
      tree.source = saved;
      tree.close();
    } else {
      const def = headerFields.get(name);
      if (def !== undefined) tree.addLabelled(def, value, at(s), n - s, text);
    }
    // Wireshark adds every header line as a hidden http.request.line / http.response.line: for
    // filters, never drawn a second time beside the named header.
    tree.addHidden(lineField, text, at(s), n - s, text);
  }
  const bs = layout.blankStart;
  const bn = layout.blankNext;
  if (bn > bs) tree.text(line(bs, bn), at(bs), bn - bs);

  if (msg.kind === 'request') {
    if (extras.fullUri !== null) tree.add(httpFields.fullUri, shown(extras.fullUri), at(0), 0);
    tree.add(httpFields.request, true, at(0), 0);
    tree.addLabelled(httpFields.requestNumber, extras.number, at(0), 0, `HTTP request ${extras.number}/${extras.count}`);
    if (extras.prevRequestFrame > 0) tree.add(httpFields.prevRequestIn, extras.prevRequestFrame, at(0), 0);
    if (extras.responseFrame > 0) tree.add(httpFields.responseIn, extras.responseFrame, at(0), 0);
  } else {
    tree.add(httpFields.response, true, at(0), 0);
    tree.addLabelled(httpFields.responseNumber, extras.number, at(0), 0, `HTTP response ${extras.number}/${extras.count}`);
    if (extras.time !== null) tree.add(httpFields.time, extras.time, at(0), 0, `${extras.time} seconds`);
    if (extras.prevRequestFrame > 0) tree.add(httpFields.prevRequestIn, extras.prevRequestFrame, at(0), 0);
    if (extras.prevResponseFrame > 0) tree.add(httpFields.prevResponseIn, extras.prevResponseFrame, at(0), 0);
    if (extras.requestFrame > 0) tree.add(httpFields.requestIn, extras.requestFrame, at(0), 0);
    if (extras.fullUri !== null) tree.add(httpFields.responseForUri, shown(extras.fullUri), at(0), 0);
  }

  const bodyRel = msg.bodyStart - msg.streamOffset;
  const bodyWire = msg.bodyEnd - msg.bodyStart;
  let body: string | null = null;
  if (msg.framing === 'chunked') body = addChunks(tree, msg, layout, view, bodyRel, bodyWire);
  else if (msg.bodyLength > 0 && bodyRel + msg.bodyLength <= view.available) {
    body = ascii(src, base + bodyRel, base + bodyRel + Math.min(msg.bodyLength, MAX_FILE_DATA_TEXT));
  }
  if (msg.bodyLength > 0 && body !== null) {
    tree.addLabelled(httpFields.fileData, shown(body), at(bodyRel), bodyWire, `File Data: ${msg.bodyLength} bytes`);
  }
  if (!msg.complete && bn === bs && msg.framing === 'none') tree.text('[Packet size limited during capture: HTTP truncated]', at(0), 0);
}

/** Request URI with its path and query parts (Wireshark splits them when there is a query). */
function addUri(tree: TreeBuilder, uri: string, start: number, length: number): void {
  const q = uri.indexOf('?');
  if (q < 0) {
    tree.add(httpFields.requestUri, shown(uri), start, length);
    return;
  }
  tree.open(httpFields.requestUri, shown(uri), start, length);
  tree.add(httpFields.requestUriPath, shown(uri.slice(0, q)), start, q);
  const query = uri.slice(q + 1);
  tree.open(httpFields.requestUriQuery, shown(query), start + q + 1, query.length);
  let from = 0;
  for (const param of query.split('&')) {
    tree.add(httpFields.requestUriQueryParameter, shown(param), start + q + 1 + from, param.length);
    from += param.length + 1;
  }
  tree.close();
  tree.close();
}

/** The chunk structure of a chunked body; returns the de-chunked body text (or null if not kept). */
function addChunks(tree: TreeBuilder, msg: HttpRequest | HttpResponse, layout: MessageLayout, view: MessageView, bodyRel: number, bodyWire: number): string | null {
  const { src, base } = view;
  const at = (rel: number): number => base + rel;
  const kept = (end: number): boolean => end <= view.available;
  tree.openText(`HTTP chunked ${msg.kind}`, at(bodyRel), bodyWire);
  const chunks = layout.chunks;
  let body: string | null = chunks.length > 0 || layout.lastChunk.length > 0 ? '' : null;
  for (let k = 0; k < chunks.length; k += 4) {
    const s = chunks[k]!;
    const dataStart = chunks[k + 2]!;
    const size = chunks[k + 3]!;
    if (!kept(dataStart + size)) {
      body = null;
      break;
    }
    tree.openText(`Data chunk (${size} octets)`, at(s), dataStart + size + 2 - s);
    tree.addLabelled(httpFields.chunkSize, size, at(s), dataStart - s, `Chunk size: ${size} ${size === 1 ? 'octet' : 'octets'}`);
    const hex = hexBytes(src, base + dataStart, size);
    tree.add(httpFields.chunkData, hex, at(dataStart), size);
    if (kept(dataStart + size + 2)) tree.add(httpFields.chunkBoundary, hexBytes(src, base + dataStart + size, 2), at(dataStart + size), 2);
    tree.close();
    if (body !== null && body.length < MAX_FILE_DATA_TEXT) body += ascii(src, base + dataStart, base + dataStart + size);
  }
  const last = layout.lastChunk;
  if (last.length === 3 && kept(last[2]!)) {
    const ls = last[0]!;
    const ln = last[2]!;
    tree.openText('End of chunked encoding', at(ls), ln - ls);
    tree.addLabelled(httpFields.chunkSize, 0, at(ls), ln - ls, 'Chunk size: 0 octets');
    tree.close();
    const t = layout.trailers;
    for (let k = 0; k < t.length; k += 3) {
      if (!kept(t[k + 2]!)) break;
      const text = shownBytes(src, base + t[k]!, base + t[k + 2]!);
      tree.addLabelled(httpFields.chunkedTrailerPart, text, at(t[k]!), t[k + 2]! - t[k]!, `trailer-part: ${text}`);
    }
    const tb = layout.trailerBlank;
    if (tb.length === 2 && kept(tb[1]!)) tree.text(shownBytes(src, base + tb[0]!, base + tb[1]!), at(tb[0]!), tb[1]! - tb[0]!);
  }
  tree.close();
  return body;
}
