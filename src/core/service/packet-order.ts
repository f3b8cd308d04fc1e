// Sorting the packet list in the engine (it holds millions of rows; the UI only ever sees a page):
// a key per displayed row — numbers where the column is numeric, ranks of texts otherwise — then
// one sort of positions, ties broken by frame number and the whole order reversed for descending
// (Wireshark's PacketListModel::recordLessThan: equal cells compare by number, descending negates).

import { protoColumnNames } from '../dissect/packet';
import type { FieldType } from '../dissect/fields';
import { AddressKind } from '../io/address-table';
import { CHUNK_BITS, CHUNK_ROWS } from '../io/packet-index';
import type { AppParserFactory } from '../flow/app-parser';
import { Bound, indexValue } from '../filter/index-terms';
import { readsLaterFrames } from '../flow/later-frames';
import { replayTrees } from '../filter/replay-trees';
import { resolveField } from '../filter/catalogue';
import type { CaptureSession } from './session';
import type { SortDto } from './dto';
import { fieldValues, RowDecoder } from './rows';

/** The built-in columns a list can be sorted by. */
export const SORT_COLUMNS = ['number', 'time', 'delta', 'deltaDisplayed', 'source', 'destination', 'protocol', 'length', 'info'] as const;

export interface SortProgress {
  signal: AbortSignal;
  onProgress(done: number, total: number): void;
  appFactories: readonly AppParserFactory[];
}

/** The displayed rows of `s` in the order `sort` asks for. */
export async function sortedRows(s: CaptureSession, sort: SortDto, ctx: SortProgress): Promise<Int32Array> {
  const rows = displayedInFrameOrder(s);
  const keys = sort.field ? await fieldKeys(s, rows, sort.column, ctx) : await columnKeys(s, rows, sort.column, ctx);
  return orderBy(rows, keys, sort.descending);
}

function displayedInFrameOrder(s: CaptureSession): Int32Array {
  if (s.displayed !== null) return s.displayed.slice();
  const n = s.rowCount;
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/**
 * Positions sorted by key then frame number, ascending, or that order reversed for descending (as
 * Wireshark's list: equal cells come in falling frame numbers then), and the rows in that order.
 * `rows` are in frame order, so a position tie-break is a frame tie-break.
 */
export function orderBy(rows: Int32Array, keys: Float64Array, descending: boolean): Int32Array {
  const n = rows.length;
  const positions = new Int32Array(n);
  for (let i = 0; i < n; i++) positions[i] = i;
  const sign = descending ? -1 : 1;
  positions.sort((x, y) => {
    // Compared, not subtracted: two empty cells (−∞) are equal, not NaN.
    const kx = keys[x]!;
    const ky = keys[y]!;
    return sign * (kx < ky ? -1 : kx > ky ? 1 : x - y);
  });
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = rows[positions[i]!]!;
  return out;
}

/** Keys of a built-in column: numbers as they are, addresses and texts as ranks. */
async function columnKeys(s: CaptureSession, rows: Int32Array, column: string, ctx: SortProgress): Promise<Float64Array> {
  const index = s.analyzer.index;
  const n = rows.length;
  const keys = new Float64Array(n);
  const t = (row: number): number => index.tsSec(row) - index.tsSec(0) + (index.tsNsec(row) - index.tsNsec(0)) / 1e9;
  switch (column) {
    case 'number':
      for (let i = 0; i < n; i++) keys[i] = rows[i]!;
      return keys;
    case 'time':
      // Every time format orders packets by their timestamps (relative, absolute or epoch alike).
      for (let i = 0; i < n; i++) keys[i] = t(rows[i]!);
      return keys;
    case 'delta':
      for (let i = 0; i < n; i++) keys[i] = rows[i]! > 0 ? t(rows[i]!) - t(rows[i]! - 1) : 0;
      return keys;
    case 'deltaDisplayed':
      for (let i = 0; i < n; i++) keys[i] = i > 0 ? t(rows[i]!) - t(rows[i - 1]!) : 0;
      return keys;
    case 'length':
      for (let i = 0; i < n; i++) keys[i] = index.wirelen(rows[i]!);
      return keys;
    case 'source':
    case 'destination': {
      const rank = addressRanks(s);
      const src = column === 'source';
      for (let i = 0; i < n; i++) keys[i] = rank[src ? index.src(rows[i]!) : index.dst(rows[i]!)] ?? 0;
      return keys;
    }
    case 'protocol': {
      const names = protoColumnNames.map((name, code) => ({ name, code })).sort((a, b) => compareText(a.name, b.name));
      const rank = new Float64Array(256);
      names.forEach((e, i) => (rank[e.code] = i));
      for (let i = 0; i < n; i++) keys[i] = rank[index.proto(rows[i]!)]!;
      return keys;
    }
    case 'info': {
      // Info is made per packet (as the list shows it): one re-dissection of each displayed row.
      const decoder = new RowDecoder(s);
      const texts: string[] = new Array<string>(n);
      for (let i = 0; i < n; i++) {
        const row = rows[i]!;
        texts[i] = s.ignored.has(row) ? '<Ignored>' : decoder.decode(row);
        if ((i & 4095) === 4095) await breathe(ctx, i, n);
      }
      return textRanks(texts);
    }
    default:
      throw new Error(`cannot sort by ${column}`);
  }
}

/** Ranks of every interned address: IPv4 before IPv6 before MAC, each in numeric order. */
function addressRanks(s: CaptureSession): Float64Array {
  const table = s.analyzer.addresses;
  const ids: number[] = [];
  for (let id = 1; id <= table.size; id++) ids.push(id);
  const kindOrder = (k: number): number => (k === AddressKind.Ipv4 ? 0 : k === AddressKind.Ipv6 ? 1 : k === AddressKind.Mac ? 2 : 3);
  const sortable = ids.map((id) => ({ id, kind: kindOrder(table.kind(id)), key: addressKey(table.text(id), table.kind(id)) }));
  sortable.sort((a, b) => a.kind - b.kind || compareText(a.key, b.key));
  const rank = new Float64Array(table.size + 1);
  sortable.forEach((e, i) => (rank[e.id] = i + 1));
  return rank;
}

/** A text that sorts like the address's bytes (fixed-width hex). */
function addressKey(text: string, kind: number): string {
  if (kind === AddressKind.Ipv4) return text.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('');
  if (kind === AddressKind.Ipv6) return expandIpv6(text);
  return text.toLowerCase();
}

function expandIpv6(text: string): string {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const a = head === '' ? [] : head!.split(':');
  const b = tail === null || tail === '' ? [] : tail.split(':');
  const groups = [...a, ...Array<string>(Math.max(0, 8 - a.length - b.length)).fill('0'), ...b];
  return groups.map((g) => (g.includes('.') ? g : g.padStart(4, '0'))).join('');
}

/** Keys of a custom column: the field's first value, numeric for numeric fields, else ranked text. */
async function fieldKeys(s: CaptureSession, rows: Int32Array, field: string, ctx: SortProgress): Promise<Float64Array> {
  const info = resolveField(field, s.analyzer.registry);
  if (info === null) throw new Error(`"${field}" is neither a field nor a protocol name.`);
  const numeric = isNumeric(info.type);
  const n = rows.length;
  const a = s.analyzer;
  // The index answers the common numeric fields (ports, lengths, streams) for most packets: only
  // the rest are re-dissected, so a million-row sort by Source Port takes a moment, not minutes.
  const fast = numeric ? indexKeys(s, rows, field) : null;
  const values = new Map<number, string>();
  const src = s.replaySource();
  const replay = fast === null ? rows.slice().sort() : fast.unknown;
  if (replay.length > 0) {
    await replayTrees(src, a.flows.store, { appFactories: ctx.appFactories })(replay, (row, tree) => values.set(row, fieldValues(tree.layers, [field])[0]!), {
      signal: ctx.signal,
      onProgress: (done, total) => ctx.onProgress(done, total),
      laterFrames: readsLaterFrames([field]),
    });
  }
  if (numeric) {
    const keys = fast?.keys ?? new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (fast !== null && !Number.isNaN(keys[i]!)) continue;
      const v = values.get(rows[i]!) ?? '';
      // Packets without the field sort before every value (as an empty cell does).
      keys[i] = v === '' ? -Infinity : numberOf(v.split(',')[0]!);
    }
    return keys;
  }
  const texts = new Array<string>(n);
  for (let i = 0; i < n; i++) texts[i] = values.get(rows[i]!) ?? '';
  return textRanks(texts);
}

/** Keys the index can give (NaN where it cannot), and the rows (ascending) left to re-dissect. */
function indexKeys(s: CaptureSession, rows: Int32Array, field: string): { keys: Float64Array; unknown: Int32Array } | null {
  const read = indexValue(field);
  if (read === null) return null;
  const a = s.analyzer;
  const bound = new Bound({ index: a.index, addresses: a.addresses, conversations: a.flows.store });
  const keys = new Float64Array(rows.length);
  const unknown: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const v = read(a.index.chunk(row >>> CHUNK_BITS)!, row & (CHUNK_ROWS - 1), row, bound);
    keys[i] = v === undefined ? NaN : v === null ? -Infinity : v;
    if (v === undefined) unknown.push(row);
  }
  return { keys, unknown: Int32Array.from(unknown).sort() };
}

function isNumeric(type: FieldType): boolean {
  return type === 'uint' || type === 'int' || type === 'float' || type === 'reltime' || type === 'framenum' || type === 'bool';
}

function numberOf(text: string): number {
  const v = text.startsWith('0x') ? parseInt(text, 16) : Number(text);
  return Number.isFinite(v) ? v : -Infinity;
}

/** Each text's rank among the distinct texts (code-unit order, numbers inside compared as numbers). */
function textRanks(texts: readonly string[]): Float64Array {
  const distinct = [...new Set(texts)].sort(compareText);
  const rank = new Map<string, number>();
  distinct.forEach((t, i) => rank.set(t, i));
  const keys = new Float64Array(texts.length);
  for (let i = 0; i < texts.length; i++) keys[i] = rank.get(texts[i]!)!;
  return keys;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

function compareText(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

async function breathe(ctx: SortProgress, done: number, total: number): Promise<void> {
  ctx.onProgress(done, total);
  // Let other requests (rows, cancel) in between chunks.
  await new Promise<void>((resolve) => setImmediate(resolve));
  ctx.signal.throwIfAborted();
}
