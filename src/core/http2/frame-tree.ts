// The field tree of one HTTP/2 frame, laid out as Wireshark 4.0 shows it: one "HyperText
// Transfer Protocol 2" layer per frame, the frame header, then the type's payload with any
// header block decoded (fields of a "Decompressed Header" data source).

import type { TreeBuilder } from '../dissect/tree';
import { hexBytes } from '../util/address';
import { ascii, shown } from '../http/text';
import { bytesLabel } from '../tls/cursor';
import { statusName } from '../http/fields';
import type { DecodedBody } from './content-coding';
import { bitsLabel, h2Fields as F, namedHeaderFields } from './fields';
import {
  FRAME_HEADER_LENGTH,
  Flag,
  FrameType,
  PREFACE_TEXT,
  errorCodeName,
  flagsText,
  frameLength,
  frameTypeName,
  settingNames,
  streamId,
} from './frames';
import { REPR_NAMES, Repr } from './hpack';

/** How Wireshark names a field whose dynamic-table entry is unknown. */
const UNKNOWN_NAME = '<unknown>';

/** One thing a header block fragment held, with block offsets. */
export interface TreeHeader {
  /** -1 for a field, else a dynamic table size update to this size. */
  sizeUpdate: number;
  name: string | null;
  value: string | null;
  repr: number;
  index: number;
  start: number;
  end: number;
  /** The value was Huffman-coded (RFC 7541 §5.2). */
  huffman: boolean;
}

/** What the parser knows about the frame beyond its bytes. */
export interface FrameExtras {
  /** Block offset where this frame's fragment starts. */
  blockOffset: number;
  /** Fields completed by this frame's fragment. */
  headers: readonly TreeHeader[];
  /** The block's first decoding problem (block offset), when it lies in this frame or before it. */
  hpackError: string | null;
  hpackErrorAt: number;
  /** The header list passed the kept limits in this frame (why the rest is not shown), or null. */
  capped: string | null;
  /** http2.request.full_uri, shown after a request's header block. */
  fullUri: string | null;
  /** The whole body, on the DATA frame that ends a stream whose headers were seen. */
  body: { decoded: DecodedBody; coded: Uint8Array; contentType: string | null; frames: number[] } | null;
  /** Why the frame cannot be read (bad padding…), shown as the layer's malformed mark. */
  malformed: string | null;
}

/** Wireshark's "Stream" label for a frame. */
function streamLabel(type: number, stream: number, length: number): string {
  return `${frameTypeName(type)}, Stream ID: ${stream}, Length ${length}`;
}

export function addPrefaceLayer(tree: TreeBuilder, base: number): void {
  tree.begin('http2', 'HyperText Transfer Protocol 2 · Magic (connection preface)', 7, base, 24);
  tree.openText('Stream: Magic', base, 24);
  tree.addLabelled(F.magic, PREFACE_TEXT, base, 24, `Magic: ${PREFACE_TEXT}`);
  tree.close();
}

/** The frame header at `src[base]` and its payload (which must be all there). */
export function addFrameLayer(tree: TreeBuilder, src: Uint8Array, base: number, extras: FrameExtras): void {
  const length = frameLength(src, base);
  const type = src[base + 3]!;
  const flags = src[base + 4]!;
  const stream = streamId(src, base);
  const total = FRAME_HEADER_LENGTH + length;
  const frameSource = tree.source;
  const layer = tree.begin('http2', 'HyperText Transfer Protocol 2', 7, base, total);
  const node = tree.open(F.stream, null, base, total, streamLabel(type, stream, length));
  tree.add(F.length, length, base, 3);
  tree.add(F.type, type, base + 3, 1, `${frameTypeName(type)} (${type})`);
  addFlags(tree, type, flags, base + 4);
  const r = src[base + 5]! & 0x80 ? 0x80000000 : 0;
  tree.addLabelled(F.r, r, base + 5, 4, bitsLabel(r, 0x80000000, 32, `Reserved: 0x${r === 0 ? '0' : '1'}`));
  tree.addLabelled(F.streamId, stream, base + 5, 4, bitsLabel(stream, 0x7fffffff, 32, `Stream Identifier: ${stream}`));
  const p = base + FRAME_HEADER_LENGTH;
  const end = p + length;
  let suffix = '';
  switch (type) {
    case FrameType.Data:
      suffix = addData(tree, src, p, end, flags, extras);
      break;
    case FrameType.Headers:
    case FrameType.PushPromise:
    case FrameType.Continuation:
      suffix = addHeaderBlockFrame(tree, src, p, end, type, flags, extras, frameSource);
      break;
    case FrameType.Priority:
      if (length >= 5) addPriority(tree, src, p);
      break;
    case FrameType.RstStream:
      if (length >= 4) {
        const code = readU32(src, p);
        tree.add(F.rstStreamError, code, p, 4, `${errorCodeName(code)} (${code})`);
      }
      break;
    case FrameType.Settings:
      for (let at = p; at + 6 <= end; at += 6) addSetting(tree, src, at);
      break;
    case FrameType.Ping:
      if (length >= 8) tree.add((flags & Flag.Ack) !== 0 ? F.pong : F.ping, hexBytes(src, p, 8), p, 8);
      break;
    case FrameType.Goaway:
      if (length >= 8) addGoaway(tree, src, p, end);
      break;
    case FrameType.WindowUpdate:
      if (length >= 4) {
        const v = readU32(src, p);
        const rr = v >= 0x80000000 ? 0x80000000 : 0;
        const inc = v % 0x80000000;
        tree.addLabelled(F.windowUpdateR, rr, p, 4, bitsLabel(rr, 0x80000000, 32, `Reserved: 0x${rr === 0 ? '0' : '1'}`));
        tree.addLabelled(F.windowSizeIncrement, inc, p, 4, bitsLabel(inc, 0x7fffffff, 32, `Window Size Increment: ${inc}`));
      }
      break;
    case FrameType.Altsvc:
      addAltsvc(tree, src, p, end);
      break;
    case FrameType.Blocked:
      break;
    default:
      if (length > 0) tree.add(F.unknown, hexBytes(src, p, length), p, length, bytesLabel(src, p, length));
      break;
  }
  tree.close();
  if (suffix !== '') node.label += suffix;
  // The layer names its frame, so a packet's frames can be told apart without opening them.
  layer.title = `HyperText Transfer Protocol 2 · ${node.label.replace(/^Stream: /, '')}`;
  if (extras.malformed !== null) tree.malformed(extras.malformed);
  tree.source = frameSource;
}

function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function addFlags(tree: TreeBuilder, type: number, flags: number, at: number): void {
  tree.open(F.flags, flags, at, 1, flagsText(type, flags));
  const bit = (def: typeof F.flagsEndStream, mask: number): void => {
    const set = (flags & mask) !== 0;
    tree.addLabelled(def, set, at, 1, bitsLabel(flags, mask, 8, `${def.title}: ${set ? 'True' : 'False'}`));
  };
  const unused = (def: typeof F.flagsUnused, mask: number): void => {
    const v = flags & mask;
    tree.addLabelled(def, v, at, 1, bitsLabel(flags, mask, 8, `Unused: 0x${v.toString(16).padStart(2, '0')}`));
  };
  // Wireshark 4.0 lists the unused bits first, then the flags from the highest bit down.
  switch (type) {
    case FrameType.Data:
      unused(F.flagsUnusedData, ~(Flag.EndStream | Flag.Padded) & 0xff);
      bit(F.flagsPadded, Flag.Padded);
      bit(F.flagsEndStream, Flag.EndStream);
      break;
    case FrameType.Headers:
      unused(F.flagsUnusedHeaders, ~(Flag.EndStream | Flag.EndHeaders | Flag.Padded | Flag.Priority) & 0xff);
      bit(F.flagsPriority, Flag.Priority);
      bit(F.flagsPadded, Flag.Padded);
      bit(F.flagsEndHeaders, Flag.EndHeaders);
      bit(F.flagsEndStream, Flag.EndStream);
      break;
    case FrameType.Settings:
      unused(F.flagsUnusedSettings, ~Flag.Ack & 0xff);
      bit(F.flagsSettingsAck, Flag.Ack);
      break;
    case FrameType.Ping:
      unused(F.flagsUnusedPing, ~Flag.Ack & 0xff);
      bit(F.flagsPingAck, Flag.Ack);
      break;
    case FrameType.PushPromise:
      unused(F.flagsUnusedPushPromise, ~(Flag.EndHeaders | Flag.Padded) & 0xff);
      bit(F.flagsPadded, Flag.Padded);
      bit(F.flagsEndHeaders, Flag.EndHeaders);
      break;
    case FrameType.Continuation:
      unused(F.flagsUnusedContinuation, ~Flag.EndHeaders & 0xff);
      bit(F.flagsEndHeaders, Flag.EndHeaders);
      break;
    default:
      unused(F.flagsUnused, 0xff);
      break;
  }
  tree.close();
}

/** Pad Length (RFC 9113 §6.1): the field when PADDED is set, and Wireshark's generated length. */
function addPadding(tree: TreeBuilder, src: Uint8Array, p: number, flags: number): number {
  if ((flags & Flag.Padded) !== 0) {
    const pad = src[p]!;
    tree.add(F.padding, pad, p, 1);
    tree.add(F.padLength, pad, p, 1);
    return pad;
  }
  tree.add(F.padLength, 0, p, 0);
  return 0;
}

function addPriority(tree: TreeBuilder, src: Uint8Array, at: number): void {
  const v = readU32(src, at);
  const exclusive = v >= 0x80000000;
  const dep = v % 0x80000000;
  tree.addLabelled(F.exclusive, exclusive, at, 4, bitsLabel(exclusive ? 0x80000000 : 0, 0x80000000, 32, `Exclusive: ${exclusive ? 'True' : 'False'}`));
  tree.addLabelled(F.streamDependency, dep, at, 4, bitsLabel(dep, 0x7fffffff, 32, `Stream Dependency: ${dep}`));
  const w = src[at + 4]!;
  tree.add(F.weight, w, at + 4, 1);
  tree.add(F.weightReal, w + 1, at + 4, 1);
}

/**
 * SETTINGS parameters in `src[start, end)`: a SETTINGS payload, or the base64url-decoded
 * `HTTP2-Settings` header of an `Upgrade: h2c` request (RFC 7540 §3.2.1), which HTTP shows.
 */
export function addSettingsPayload(tree: TreeBuilder, src: Uint8Array, start: number, end: number): void {
  for (let at = start; at + 6 <= end; at += 6) addSetting(tree, src, at);
}

function addSetting(tree: TreeBuilder, src: Uint8Array, at: number): void {
  const id = (src[at]! << 8) | src[at + 1]!;
  const value = readU32(src, at + 2);
  const name = settingNames.get(id);
  tree.open(F.settings, null, at, 6).label = `Settings - ${name ?? `Unknown (${id})`} : ${value}`;
  tree.add(F.settingsId, id, at, 2, `${name ?? 'Unknown'} (${id})`);
  const def =
    id === 1 ? F.settingsHeaderTableSize
    : id === 2 ? F.settingsEnablePush
    : id === 3 ? F.settingsMaxConcurrentStreams
    : id === 4 ? F.settingsInitialWindowSize
    : id === 5 ? F.settingsMaxFrameSize
    : id === 6 ? F.settingsMaxHeaderListSize
    : F.settingsUnknown;
  tree.add(def, value, at + 2, 4);
  tree.close();
}

function addGoaway(tree: TreeBuilder, src: Uint8Array, p: number, end: number): void {
  const v = readU32(src, p);
  const r = v >= 0x80000000 ? 0x80000000 : 0;
  const last = v % 0x80000000;
  tree.addLabelled(F.goawayR, r, p, 4, bitsLabel(r, 0x80000000, 32, `Reserved: 0x${r === 0 ? '0' : '1'}`));
  tree.addLabelled(F.goawayLastStreamId, last, p, 4, bitsLabel(last, 0x7fffffff, 32, `Last-Stream-ID: ${last}`));
  const code = readU32(src, p + 4);
  tree.add(F.goawayError, code, p + 4, 4, `${errorCodeName(code)} (${code})`);
  if (end > p + 8) {
    tree.open(F.goawayAddata, hexBytes(src, p + 8, end - p - 8), p + 8, end - p - 8, bytesLabel(src, p + 8, end - p - 8));
    // RFC 9113 §6.8: debug data is opaque, usually text; show it as text too.
    tree.text(`[As text: ${shown(ascii(src, p + 8, end))}]`, p + 8, end - p - 8);
    tree.close();
  }
}

function addAltsvc(tree: TreeBuilder, src: Uint8Array, p: number, end: number): void {
  if (end - p < 2) return;
  const originLength = (src[p]! << 8) | src[p + 1]!;
  tree.add(F.altsvcOriginLen, originLength, p, 2);
  const o = Math.min(p + 2 + originLength, end);
  tree.add(F.altsvcOrigin, shown(ascii(src, p + 2, o)), p + 2, o - p - 2);
  if (o < end) tree.add(F.altsvcFieldValue, shown(ascii(src, o, end)), o, end - o);
}

function addData(tree: TreeBuilder, src: Uint8Array, p: number, end: number, flags: number, extras: FrameExtras): string {
  const pad = addPadding(tree, src, p, flags);
  const start = (flags & Flag.Padded) !== 0 ? p + 1 : p;
  const dataEnd = end - pad;
  if (extras.malformed !== null || dataEnd < start) return '';
  const body = extras.body;
  if (body === null) {
    if (dataEnd > start) tree.add(F.dataData, hexBytes(src, start, dataEnd - start), start, dataEnd - start, bytesLabel(src, start, dataEnd - start));
  } else {
    addBody(tree, body, start, dataEnd - start);
  }
  if (pad > 0) tree.add(F.dataPadding, hexBytes(src, dataEnd, pad), dataEnd, pad, bytesLabel(src, dataEnd, pad));
  return (flags & Flag.EndStream) === 0 ? ' (partial entity body)' : '';
}

/** Most lines of a textual body listed under it. */
const MAX_BODY_LINES = 200;

function addBody(tree: TreeBuilder, body: NonNullable<FrameExtras['body']>, start: number, length: number): void {
  const frameSource = tree.source;
  if (body.frames.length > 1) {
    tree.openText(`[${body.frames.length} DATA frames (${body.coded.length} bytes): ${body.frames.map((f) => `#${f}`).join(', ')}]`, start, length);
    tree.close();
  }
  const decoded = body.decoded;
  let bytes = body.coded;
  if (decoded.coding !== null) {
    tree.addSource('Reassembled body', body.coded);
    tree.openText(`Content-encoded entity body (${decoded.coding}): ${body.coded.length} bytes -> ${decoded.bytes.length} bytes`, 0, body.coded.length);
    tree.addSource('Uncompressed entity body', decoded.bytes);
    bytes = decoded.bytes;
  } else if (body.frames.length > 1) {
    tree.addSource('Reassembled body', body.coded);
  } else {
    tree.source = frameSource;
  }
  const at = tree.source === frameSource ? start : 0;
  tree.add(F.dataData, hexBytes(bytes, 0, bytes.length), at, bytes.length, bytesLabel(bytes, 0, bytes.length));
  if (decoded.error !== null) tree.warn(tree.text(`[${decoded.error}]`, at, bytes.length), decoded.error);
  if (decoded.coding !== null) tree.close();
  addTextLines(tree, bytes, at, body.contentType);
  tree.source = frameSource;
}

/** A textual body as Wireshark's "Line-based text data". */
function addTextLines(tree: TreeBuilder, bytes: Uint8Array, at: number, contentType: string | null): void {
  if (contentType === null || !isTextual(contentType) || bytes.length === 0) return;
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) lines++;
  if (bytes[bytes.length - 1] !== 0x0a) lines++;
  tree.openText(`Line-based text data: ${contentType} (${lines} lines)`, at, bytes.length);
  let s = 0;
  let shownLines = 0;
  for (let i = 0; i <= bytes.length && shownLines < MAX_BODY_LINES; i++) {
    if (i === bytes.length ? i > s : bytes[i] === 0x0a) {
      const e = i < bytes.length ? i + 1 : i;
      tree.text(shown(ascii(bytes, s, e)), at + s, e - s);
      shownLines++;
      s = e;
    }
  }
  if (lines > shownLines) tree.text(`[${lines - shownLines} more lines]`, at + s, bytes.length - s);
  tree.close();
}

/** Media types whose bodies are text. */
export function isTextual(contentType: string): boolean {
  const t = contentType.toLowerCase();
  return t.startsWith('text/') || t.endsWith('+json') || t.endsWith('+xml') || t === 'application/json' || t === 'application/javascript' || t === 'application/xml' || t === 'application/x-www-form-urlencoded';
}

function addHeaderBlockFrame(tree: TreeBuilder, src: Uint8Array, p: number, end: number, type: number, flags: number, extras: FrameExtras, frameSource: number): string {
  let at = p;
  let pad = 0;
  if (type !== FrameType.Continuation) {
    pad = addPadding(tree, src, p, flags);
    if ((flags & Flag.Padded) !== 0) at++;
  }
  if (type === FrameType.Headers && (flags & Flag.Priority) !== 0 && at + 5 <= end) {
    addPriority(tree, src, at);
    at += 5;
  }
  if (type === FrameType.PushPromise && at + 4 <= end) {
    const v = readU32(src, at);
    const r = v >= 0x80000000 ? 0x80000000 : 0;
    const promised = v % 0x80000000;
    tree.addLabelled(F.pushPromiseR, r, at, 4, bitsLabel(r, 0x80000000, 32, `Reserved: 0x${r === 0 ? '0' : '1'}`));
    tree.addLabelled(F.promisedStreamId, promised, at, 4, bitsLabel(promised, 0x7fffffff, 32, `Promised-Stream-ID: ${promised}`));
    at += 4;
  }
  const fragEnd = end - pad;
  if (extras.malformed !== null || fragEnd < at) return '';
  const fragLength = fragEnd - at;
  if (type === FrameType.Continuation) tree.add(F.continuationHeader, shown(ascii(src, at, fragEnd)), at, fragLength);
  else tree.add(type === FrameType.Headers ? F.headers : F.pushPromiseHeader, hexBytes(src, at, fragLength), at, fragLength, bytesLabel(src, at, fragLength));
  const suffix = addHeaders(tree, extras, at, frameSource);
  if (type === FrameType.Headers && extras.fullUri !== null) tree.add(F.fullUri, shown(extras.fullUri), p - FRAME_HEADER_LENGTH, 0);
  if (pad > 0) {
    const padDef = type === FrameType.Headers ? F.headersPadding : type === FrameType.PushPromise ? F.pushPromisePadding : F.continuationPadding;
    tree.add(padDef, hexBytes(src, fragEnd, pad), fragEnd, pad, bytesLabel(src, fragEnd, pad));
  }
  return suffix;
}

/**
 * The decoded fields of this frame's fragment, as nghttp2 hands them to Wireshark: generated
 * length and count, then each field with its name and value in a "Decompressed Header" source
 * and its representation and index in the frame. Returns what the Stream line appends.
 */
function addHeaders(tree: TreeBuilder, extras: FrameExtras, fragStart: number, frameSource: number): string {
  const list = extras.headers;
  // The decompressed source: for each field, name length (4), name, value length (4), value.
  // Wireshark counts size updates among the headers, but not in the decompressed length.
  let size = 0;
  const count = list.length;
  for (const h of list) if (h.sizeUpdate < 0) size += 8 + (h.name ?? UNKNOWN_NAME).length + (h.value ?? '').length;
  const at = (blockOffset: number): number => fragStart + Math.max(blockOffset - extras.blockOffset, 0);
  let suffix = '';
  if (list.length > 0) {
    const decompressed = new Uint8Array(size);
    let o = 0;
    const put = (s: string): void => {
      decompressed[o] = (s.length >>> 24) & 0xff;
      decompressed[o + 1] = (s.length >>> 16) & 0xff;
      decompressed[o + 2] = (s.length >>> 8) & 0xff;
      decompressed[o + 3] = s.length & 0xff;
      for (let i = 0; i < s.length; i++) decompressed[o + 4 + i] = s.charCodeAt(i) & 0xff;
      o += 4 + s.length;
    };
    for (const h of list) {
      if (h.sizeUpdate >= 0) continue;
      put(h.name ?? UNKNOWN_NAME);
      put(h.value ?? '');
    }
    const dsrc = tree.addSource('Decompressed Header', decompressed);
    tree.source = dsrc;
    tree.add(F.headerLength, size, 0, 1);
    tree.add(F.headerCount, count, 0, 1);
    let d = 0;
    let method: string | null = null;
    let path: string | null = null;
    for (const h of list) {
      const start = at(h.start);
      const length = Math.max(at(h.end) - start, 0);
      if (h.sizeUpdate >= 0) {
        tree.source = frameSource;
        tree.open(F.tableSizeUpdate, null, start, length);
        tree.add(F.tableSize, h.sizeUpdate, start, length);
        tree.close();
        continue;
      }
      // A field naming an entry the capture missed reads as Wireshark shows it: `<unknown>: `.
      const name = h.name ?? UNKNOWN_NAME;
      const value = h.value ?? '';
      tree.source = frameSource;
      let label = `Header: ${shown(name)}: ${shown(value)}`;
      if (name === ':status' && h.value !== null) label += ` ${reasonPhrase(value)}`;
      const node = tree.open(F.header, null, start, length);
      node.label = label;
      tree.source = dsrc;
      tree.add(F.headerNameLength, name.length, d, 4);
      tree.add(F.headerName, shown(name), d + 4, name.length);
      tree.add(F.headerValueLength, value.length, d + 4 + name.length, 4);
      const vAt = d + 8 + name.length;
      tree.add(F.headerValue, shown(value), vAt, value.length);
      const named = h.name === null ? undefined : namedHeaderFields.get(name);
      if (named !== undefined && h.value !== null) {
        if (named.type === 'uint') {
          if (/^[0-9]+$/.test(value) && value.length <= 15) tree.add(named, Number(value), vAt, value.length);
        } else {
          tree.add(named, shown(value), vAt, value.length);
        }
      }
      const unescaped = h.value === null ? null : percentDecoded(value);
      if (unescaped !== null) tree.add(F.headerUnescaped, shown(unescaped), vAt, value.length);
      tree.source = frameSource;
      tree.add(F.headerRepr, REPR_NAMES[h.repr] ?? '', start, 1);
      if (h.repr === Repr.Indexed || h.repr === Repr.IncrementalIndexedName || h.repr === Repr.WithoutIndexingIndexedName || h.repr === Repr.NeverIndexedIndexedName) {
        tree.add(F.headerIndex, h.index, start, h.repr === Repr.Indexed ? length : 1);
      }
      if (h.name === null) {
        tree.warn(tree.text(`[Dynamic table entry ${h.index - 61} is unknown: it was added before the capture began or in a block that could not be decoded]`, start, length), 'unknown HPACK dynamic table entry');
      }
      if (h.huffman) tree.text('[Value Huffman-coded (RFC 7541 §5.2)]', start, length);
      if (h.repr === Repr.NeverIndexedIndexedName || h.repr === Repr.NeverIndexedNewName) {
        tree.text('[Never indexed (RFC 7541 §6.2.3): a sensitive value intermediaries must not add to their tables]', start, 1);
      }
      tree.close();
      d += 8 + name.length + value.length;
      if (h.value !== null && name === ':method') method = value;
      else if (h.value !== null && name === ':path') path = value;
      else if (h.value !== null && name === ':status') suffix = `, ${value} ${reasonPhrase(value)}`;
    }
    if (method !== null && path !== null) suffix = `, ${method} ${path}${suffix}`;
  }
  tree.source = frameSource;
  if (extras.capped !== null) tree.warn(tree.text(`[${extras.capped}]`, fragStart, 0), 'header list cut');
  if (extras.hpackError !== null) {
    const where = at(extras.hpackErrorAt);
    const note = tree.text(`[Header block undecodable from byte ${extras.hpackErrorAt} of the block: ${extras.hpackError}]`, where, 0);
    tree.warn(note, extras.hpackError);
  }
  return suffix;
}

/** The reason phrase Wireshark puts after a status (`OK`), `Unknown` for an unknown code. */
export function reasonPhrase(status: string): string {
  const n = Number(status);
  if (!/^[0-9]{3}$/.test(status)) return 'Unknown';
  const name = statusName(n);
  return name.startsWith('Unknown') ? 'Unknown' : name;
}

/** %XX sequences decoded (GLib's g_uri_unescape_string); null when one is invalid or %00. */
export function percentDecoded(value: string): string | null {
  if (!value.includes('%')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const h = value.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(h)) return null;
    const v = parseInt(h, 16);
    if (v === 0) return null;
    out += String.fromCharCode(v < 0x80 ? v : 0xfffd);
    i += 2;
  }
  return out;
}
