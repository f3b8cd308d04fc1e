// Find Packet (Wireshark's Ctrl+F): the next displayed packet, after the selected one in list
// order (or before it, backward), that matches a display filter, holds some bytes, or shows a
// string or regular expression in its list columns, its details or its bytes. The search wraps
// around the ends, as Wireshark's does by default.

import { compileFilter, isFilterError } from '../filter/compile';
import { captureFilterSource } from '../filter/capture-source';
import { runFilter } from '../filter/run';
import { replayTrees } from '../filter/replay-trees';
import { protoColumnNames } from '../dissect/packet';
import { walkFields, type Layer } from '../dissect/tree';
import type { AppParserFactory } from '../flow/app-parser';
import type { CaptureSession } from './session';
import type { FindRequestDto, FindResultDto } from './dto';
import { RowDecoder } from './rows';

export interface FindContext {
  signal: AbortSignal;
  onProgress(done: number, total: number): void;
  appFactories: readonly AppParserFactory[];
}

/** Rows looked at between yields (and tree replays batched together). */
const BATCH = 2048;

const notFound = (message: string): FindResultDto => ({ index: -1, packet: 0, wrapped: false, bytes: null, label: null, message });

/** Wireshark's words when nothing matched (ui/qt/search_frame.cpp). */
const NOT_FOUND: Record<string, string> = {
  filter: 'No packet matched display filter.',
  hex: 'No packet contained those bytes.',
  list: 'No packet contained that string in its Info column.',
  details: 'No packet contained that string in its dissected display.',
  bytes: 'No packet contained that string in its converted data.',
};

export async function findPacket(s: CaptureSession, req: FindRequestDto, ctx: FindContext): Promise<FindResultDto> {
  const total = s.displayedCount;
  if (total === 0) return notFound('No packets are displayed.');
  const test = await matcher(s, req, ctx);
  if (typeof test === 'string') return notFound(test);
  // Positions after `from` in the search direction, wrapping once around the ends.
  const step = req.backward ? -1 : 1;
  const first = req.from < 0 || req.from >= total ? (req.backward ? total - 1 : 0) : req.from + step;
  const order: number[] = [];
  for (let k = 0; k < total; k++) order.push((((first + step * k) % total) + total) % total);
  for (let at = 0; at < order.length; at += BATCH) {
    const positions = order.slice(at, at + BATCH);
    const hit = await test(positions.map((i) => s.displayedRow(i)));
    if (hit !== null) {
      const index = positions[hit.at]!;
      // Found at or beyond the start point after going round an end.
      const wrapped = req.from >= 0 && (req.backward ? index >= req.from : index <= req.from);
      return { index, packet: s.displayedRow(index) + 1, wrapped, bytes: hit.bytes, label: hit.label, message: null };
    }
    ctx.onProgress(Math.min(order.length, at + BATCH), total);
    await new Promise<void>((resolve) => setImmediate(resolve));
    ctx.signal.throwIfAborted();
  }
  return notFound(NOT_FOUND[req.by === 'filter' ? 'filter' : req.by === 'hex' ? 'hex' : req.in]!);
}

interface Hit {
  /** Position in the batch. */
  at: number;
  bytes: FindResultDto['bytes'];
  label: string | null;
}

/** A batch test: the first row of `rows` (in search order) that matches, or an error message. */
type BatchTest = (rows: number[]) => Promise<Hit | null>;

async function matcher(s: CaptureSession, req: FindRequestDto, ctx: FindContext): Promise<BatchTest | string> {
  if (req.text === '') return 'Nothing to find: type a display filter, hex bytes or a string.';
  if (req.by === 'filter') return filterTest(s, req.text, ctx);
  if (req.by === 'hex') {
    const needle = parseHex(req.text);
    if (needle === null) return `"${req.text}" is not a valid hex value (pairs of hex digits, optionally separated by spaces or colons).`;
    return bytesTest(s, (bytes) => indexOfBytes(bytes, needle, true), needle.length);
  }
  let match: (text: string) => number;
  if (req.by === 'regex') {
    let re: RegExp;
    try {
      re = new RegExp(req.text, req.caseSensitive ? 'u' : 'iu');
    } catch (err) {
      return `Invalid regular expression: ${err instanceof Error ? err.message : String(err)}`;
    }
    match = (text) => text.search(re);
  } else {
    const needle = req.caseSensitive ? req.text : req.text.toLowerCase();
    match = (text) => (req.caseSensitive ? text : text.toLowerCase()).indexOf(needle);
  }
  if (req.in === 'bytes') {
    // The bytes as text: Wireshark's "converted data" search looks at the bytes as ASCII.
    if (req.by === 'string') {
      const needle = new TextEncoder().encode(req.text);
      return bytesTest(s, (bytes) => indexOfBytes(bytes, needle, req.caseSensitive), needle.length);
    }
    return bytesTest(s, (bytes) => match(latin1(bytes)), 1);
  }
  if (req.in === 'list') return listTest(s, match);
  return detailsTest(s, match, ctx);
}

async function filterTest(s: CaptureSession, text: string, ctx: FindContext): Promise<BatchTest | string> {
  const compiled = compileFilter(text, s.analyzer.registry);
  if (isFilterError(compiled)) return compiled.error;
  // One run over the capture (fast path, trees only where needed), then a lookup per row.
  const matches = await runFilter(compiled, captureFilterSource(s, { appFactories: ctx.appFactories }), {
    signal: ctx.signal,
    onProgress: (p) => ctx.onProgress(p.done, p.total),
  });
  const hit = new Uint8Array(s.analyzer.index.count);
  for (const r of matches) hit[r] = 1;
  return async (rows) => {
    const at = rows.findIndex((r) => hit[r] === 1);
    return at < 0 ? null : { at, bytes: null, label: null };
  };
}

function bytesTest(s: CaptureSession, find: (bytes: Uint8Array) => number, length: number): BatchTest {
  return async (rows) => {
    for (let at = 0; at < rows.length; at++) {
      const offset = find(s.bytes(rows[at]!));
      if (offset >= 0) return { at, bytes: { source: 0, start: offset, length }, label: null };
    }
    return null;
  };
}

/** The packet list's columns as text: source, destination, protocol and Info (what the row shows). */
function listTest(s: CaptureSession, match: (text: string) => number): BatchTest {
  const decoder = new RowDecoder(s);
  const a = s.analyzer;
  return async (rows) => {
    for (let at = 0; at < rows.length; at++) {
      const row = rows[at]!;
      if (s.ignored.has(row)) {
        if (match('<Ignored>') >= 0) return { at, bytes: null, label: null };
        continue;
      }
      const columns = [a.addresses.text(a.index.src(row)), a.addresses.text(a.index.dst(row)), protoColumnNames[a.index.proto(row)] ?? '', decoder.decode(row)];
      if (columns.some((c) => match(c) >= 0)) return { at, bytes: null, label: null };
    }
    return null;
  };
}

function detailsTest(s: CaptureSession, match: (text: string) => number, ctx: FindContext): BatchTest {
  const a = s.analyzer;
  const src = s.replaySource();
  return async (rows) => {
    const labels = new Map<number, string>();
    const ascending = Int32Array.from(rows).sort();
    await replayTrees(src, a.flows.store, { appFactories: ctx.appFactories })(
      ascending,
      (row, tree) => {
        const label = firstLabel(tree.layers, match);
        if (label !== null) labels.set(row, label);
      },
      // The details as the detail pane shows them: with references to later packets ("[Reassembled
      // PDU in frame: 9]", "Response in frame: 9"), which need tshark -2's first pass.
      { signal: ctx.signal, laterFrames: true },
    );
    const at = rows.findIndex((r) => labels.has(r));
    return at < 0 ? null : { at, bytes: null, label: labels.get(rows[at]!)! };
  };
}

/** The first line of the tree (a layer title or a field label) the search finds, in tree order. */
function firstLabel(layers: readonly Layer[], match: (text: string) => number): string | null {
  for (const layer of layers) {
    if (match(layer.title) >= 0) return layer.title;
    for (const node of walkFields([layer])) if (match(node.label) >= 0) return node.label;
  }
  return null;
}

/** "16 03 01", "16:03:01" or "160301" → bytes; null when not whole hex pairs. */
export function parseHex(text: string): Uint8Array | null {
  const clean = text.replace(/[\s:.-]/g, '').replace(/^0x/i, '');
  if (clean === '' || clean.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(clean)) return null;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, caseSensitive: boolean): number {
  const n = needle.length;
  const lower = (b: number): number => (!caseSensitive && b >= 0x41 && b <= 0x5a ? b + 32 : b);
  outer: for (let i = 0; i + n <= hay.length; i++) {
    for (let j = 0; j < n; j++) if (lower(hay[i + j]!) !== lower(needle[j]!)) continue outer;
    return i;
  }
  return -1;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
