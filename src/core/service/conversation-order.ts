// The conversation table's orders: every conversation of a session sorted by one column of the
// Conversations view, kept as a permutation (Int32Array of ids) so each page of the table is a slice.

import { ConvFlag, slotOf, verdictStatuses, type ConversationStore } from '../flow/conversation-store';
import { conversationVerdict } from '../engine/conversation-facts';
import type { AppParserFactory } from '../flow/app-parser';
import type { ReplaySource } from '../engine/replay';
import type { AddressTable } from '../io/address-table';
import type { ConversationSortDto, ConversationSortKey } from './dto';

/** The view's text order (String.localeCompare(…, 'en', { numeric: true }), as it sorted in the renderer). */
const collator = new Intl.Collator('en', { numeric: true });

/**
 * What a sort reads of the displayed packets under "Limit to display filter": counts per
 * direction (client → server first), first and last epoch time, by conversation id.
 */
export interface DisplayedCounts {
  /** Conversations with displayed packets, ascending. */
  ids: Int32Array;
  packets2: Uint32Array;
  bytes2: Float64Array;
  first: Float64Array;
  last: Float64Array;
}

/** The sources of the sort keys. */
export interface OrderInput {
  store: ConversationStore;
  addresses: AddressTable;
  /** Epoch seconds of the first packet (the Start column counts from it). */
  t0: number;
  /** Under "Limit to display filter": the counts over the displayed packets. */
  displayed: DisplayedCounts | null;
  src: ReplaySource;
  appFactories: readonly AppParserFactory[];
  loading: boolean;
}

/**
 * The ids of the table's rows (all conversations, or those with displayed packets) in `sort`'s
 * order, or without one in the order they began (ids ascending).
 */
export function conversationOrder(input: OrderInput, sort: ConversationSortDto | null): Int32Array {
  const { store, displayed } = input;
  let ids: Int32Array;
  if (displayed !== null) ids = displayed.ids.slice();
  else {
    ids = new Int32Array(store.count);
    for (let id = 0; id < ids.length; id++) ids[id] = id;
  }
  if (sort === null) return ids;
  const key = sortKey(input, sort.key);
  const stream = new Int32Array(store.count);
  for (let id = 0; id < store.count; id++) stream[id] = store.stream(id);
  // As the view compared: (a − b) × dir, ∞ − ∞ (two missing RTTs) a tie; ties by stream, then by
  // id (the order the rows came in, which the renderer's stable sort kept). A comparison sort of a
  // million ids took seconds; stable radix passes over the ids (in id order) take tens of ms:
  // first by stream, then by the key.
  let from: Int32Array = ids;
  let to: Int32Array = new Int32Array(ids.length);
  const passes: [Uint32Array, number, number, number][] = [];
  const streamWords = new Uint32Array(stream.buffer);
  passes.push([streamWords, 1, 0, 0], [streamWords, 1, 0, 16]);
  const keyWords = sortableWords(key, sort.descending);
  for (const at of [LO, HI]) passes.push([keyWords, 2, at, 0], [keyWords, 2, at, 16]);
  for (const [words, stride, at, shift] of passes) {
    if (radixPass(from, to, words, stride, at, shift)) [from, to] = [to, from];
  }
  return from;
}

/** Words of a float64 in memory: the low and high 32 bits. */
const LO = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/**
 * The keys (negated when descending) as 64-bit words that order as unsigned integers the way the
 * numbers order (IEEE 754: flip every bit of a negative number, the sign bit of a positive one);
 * −0 counts as 0, and equal numbers have equal words.
 */
function sortableWords(key: Float64Array, descending: boolean): Uint32Array {
  const f = new Float64Array(key.length);
  for (let id = 0; id < key.length; id++) f[id] = (descending ? -key[id]! : key[id]!) + 0;
  const w = new Uint32Array(f.buffer);
  for (let id = 0; id < key.length; id++) {
    const hi = w[2 * id + HI]!;
    if ((hi & 0x8000_0000) !== 0) {
      w[2 * id + HI] = ~hi;
      w[2 * id + LO] = ~w[2 * id + LO]!;
    } else w[2 * id + HI] = hi | 0x8000_0000;
  }
  return w;
}

/**
 * One stable counting-sort pass of `from` into `to` by a 16-bit digit of each id's word
 * (`words[id × stride + at] >>> shift`); false, with `to` untouched, when every id has the same digit.
 */
function radixPass(from: Int32Array, to: Int32Array, words: Uint32Array, stride: number, at: number, shift: number): boolean {
  const n = from.length;
  if (n === 0) return false;
  const counts = new Uint32Array(0x1_0001);
  for (let k = 0; k < n; k++) counts[((words[from[k]! * stride + at]! >>> shift) & 0xffff) + 1]!++;
  if (counts[((words[from[0]! * stride + at]! >>> shift) & 0xffff) + 1] === n) return false;
  for (let d = 1; d <= 0x1_0000; d++) counts[d]! += counts[d - 1]!;
  for (let k = 0; k < n; k++) {
    const id = from[k]!;
    to[counts[(words[id * stride + at]! >>> shift) & 0xffff]!++] = id;
  }
  return true;
}

/** One number per conversation id that orders the table as the view's column did. */
function sortKey(input: OrderInput, column: ConversationSortKey): Float64Array {
  const { store, displayed, t0 } = input;
  const n = store.count;
  const key = new Float64Array(n);
  const each = (value: (id: number) => number): Float64Array => {
    for (let id = 0; id < n; id++) key[id] = value(id);
    return key;
  };
  switch (column) {
    case 'stream':
      return each((id) => store.stream(id));
    case 'protocol':
      // 'TCP' < 'UDP'
      return each((id) => (store.proto(id) === 6 ? 0 : 1));
    case 'client':
    case 'server':
      return endpointKeys(input, column === 'client', key);
    case 'packets':
      if (displayed !== null) return each((id) => displayed.packets2[2 * id]! + displayed.packets2[2 * id + 1]!);
      return each((id) => store.packets(id, 0) + store.packets(id, 1));
    case 'bytes':
      if (displayed !== null) return each((id) => displayed.bytes2[2 * id]! + displayed.bytes2[2 * id + 1]!);
      return each((id) => store.bytes(id, 0) + store.bytes(id, 1));
    case 'start':
      if (displayed !== null) return each((id) => displayed.first[id]! - t0);
      return each((id) => {
        const first = store.startTime(id);
        return Number.isFinite(first) ? first - t0 : 0;
      });
    case 'duration':
      if (displayed !== null) return each((id) => displayed.last[id]! - displayed.first[id]!);
      return each((id) => store.duration(id));
    case 'rtt':
      return each((id) => {
        const c = store.chunkOf(id);
        const i = slotOf(id);
        return c.proto[i] === 6 && c.firstRttNs[i] !== 0 ? c.firstRttNs[i]! / 1e9 : Infinity;
      });
    case 'tls':
      return textKeys(store, key, (id) => store.texts.text(store.chunkOf(id).version[slotOf(id)]!) ?? '');
    case 'sni':
      return textKeys(store, key, (id) => (store.chunkOf(id).version[slotOf(id)] === 0 ? '' : (store.texts.text(store.chunkOf(id).sni[slotOf(id)]!) ?? '')));
    case 'decryption':
      return textKeys(store, key, (id) => {
        const v = store.extrasOf(id)?.['tls.decryption'];
        return v === undefined || v === null ? '' : String(v);
      });
    case 'http':
      return each((id) => Math.max(0, store.chunkOf(id).httpTransactions[slotOf(id)]!));
    case 'verdict':
      return each((id) => verdictRank(input, id));
  }
}

/** failed < incomplete < complete < none, as the view ranked the badges. */
function verdictRank(input: OrderInput, id: number): number {
  const { store } = input;
  const c = store.chunkOf(id);
  const i = slotOf(id);
  if (c.proto[i] !== 6) return 3;
  // A stale verdict is worked out again, as the row shows it (conversationDto does the same).
  const status = (c.flags[i]! & ConvFlag.VerdictStale) !== 0 ? (conversationVerdict(input.src, store, id, input.appFactories, input.loading)?.status ?? null) : verdictStatuses[c.verdict[i]!];
  return status === 'failed' ? 0 : status === 'incomplete' ? 1 : status === 'complete' ? 2 : 3;
}

/**
 * Ranks of texts (few distinct ones: TLS versions, server names, decryption states): the distinct
 * texts are sorted with the view's collator once, equal ones sharing a rank, and each id gets its
 * text's rank.
 */
function textKeys(store: ConversationStore, key: Float64Array, textOf: (id: number) => string): Float64Array {
  const texts: string[] = new Array<string>(store.count);
  const distinct = new Set<string>();
  for (let id = 0; id < store.count; id++) distinct.add((texts[id] = textOf(id)));
  const rank = ranks([...distinct]);
  for (let id = 0; id < store.count; id++) key[id] = rank.get(texts[id]!)!;
  return key;
}

/** Rank of each text in the collator's order (texts the collator holds equal share one). */
function ranks(texts: string[]): Map<string, number> {
  texts.sort(collator.compare);
  const rank = new Map<string, number>();
  let r = 0;
  for (let k = 0; k < texts.length; k++) {
    if (k > 0 && collator.compare(texts[k - 1]!, texts[k]!) !== 0) r++;
    rank.set(texts[k]!, r);
  }
  return rank;
}

/**
 * The client or server column as the view compared `address:port` (`[v6]:port`) texts: the
 * address part up to the port's colon, then the port as a number (a numeric collation compares
 * the port's digits as one number after an equal address part). IPv4 addresses (most of them, and
 * one per conversation in a large capture) are not collated one by one: the collation compares a
 * dotted quad's four digit runs as numbers, which is the order of its 32-bit value, and puts every
 * `[` (IPv6) before any digit; the few other addresses are ranked with the collator first.
 */
function endpointKeys(input: OrderInput, client: boolean, key: Float64Array): Float64Array {
  const { store, addresses } = input;
  const addrOf = (id: number): number => (client === store.clientIsA(id) ? store.addrA(id) : store.addrB(id));
  const portOf = (id: number): number => (client === store.clientIsA(id) ? store.portA(id) : store.portB(id));
  const others = new Map<number, string>();
  for (let id = 0; id < store.count; id++) {
    const a = addrOf(id);
    if (addresses.ipv4Value(a) >= 0 || others.has(a)) continue;
    const text = addresses.text(a);
    others.set(a, text.includes(':') ? `[${text}]:` : `${text}:`);
  }
  const rank = ranks([...new Set(others.values())]);
  const firstIpv4 = rank.size;
  for (let id = 0; id < store.count; id++) {
    const a = addrOf(id);
    const v4 = addresses.ipv4Value(a);
    key[id] = (v4 >= 0 ? firstIpv4 + v4 : rank.get(others.get(a)!)!) * 65_536 + portOf(id);
  }
  return key;
}
