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
  const dir = sort.descending ? -1 : 1;
  // As the view compared: (a − b) × dir, NaN (∞ − ∞: two missing RTTs) a tie; ties by stream, then
  // by id (the order the rows came in, which the renderer's stable sort kept).
  return ids.sort((a, b) => (key[a]! - key[b]!) * dir || stream[a]! - stream[b]! || a - b);
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
 * address part up to the port's colon ranked with the collator, then the port as a number (a
 * numeric collation compares the port's digits as one number after the equal address part).
 */
function endpointKeys(input: OrderInput, client: boolean, key: Float64Array): Float64Array {
  const { store, addresses } = input;
  const addrOf = (id: number): number => (client === store.clientIsA(id) ? store.addrA(id) : store.addrB(id));
  const portOf = (id: number): number => (client === store.clientIsA(id) ? store.portA(id) : store.portB(id));
  const prefixes = new Map<number, string>();
  for (let id = 0; id < store.count; id++) {
    const a = addrOf(id);
    if (prefixes.has(a)) continue;
    const text = addresses.text(a);
    prefixes.set(a, text.includes(':') ? `[${text}]:` : `${text}:`);
  }
  const rank = ranks([...new Set(prefixes.values())]);
  for (let id = 0; id < store.count; id++) key[id] = rank.get(prefixes.get(addrOf(id))!)! * 65_536 + portOf(id);
  return key;
}
