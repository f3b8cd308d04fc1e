// Conversation rows for the UI, from the flow stage's conversation store: pages of the table in
// the order the view asks for.

import type { AppParserFactory } from '../flow/app-parser';
import { AppFlag, slotOf, type ConversationStore } from '../flow/conversation-store';
import { handshakeStatusOf } from '../flow/conversation-summary';
import { conversationVerdict } from '../engine/conversation-facts';
import type { ReplaySource } from '../engine/replay';
import { Analysis, type PacketIndex } from '../io/packet-index';
import type { AddressTable } from '../io/address-table';
import type { CaptureSession } from './session';
import { http2Summary } from './http2-streams';
import { conversationOrder, type DisplayedCounts } from './conversation-order';
import type { ConversationDto, ConversationListDto, ConversationSortDto, Endpoint } from './dto';

/** How many conversation rows a `conversations` answer carries unless asked for another number. */
export const DEFAULT_MAX_CONVERSATIONS = 50_000;

/** What a session's table keeps between requests: valid while `stamp` holds. */
interface Table {
  stamp: string;
  notable: Map<number, Set<string>>;
  /** The displayed rows the counts were made from (the session replaces the array on each filter). */
  displayedFrom: Int32Array | null;
  displayed: DisplayedCounts | null;
  /** The last order asked for (one permutation: 4 bytes per conversation). */
  order: { key: string; ids: Int32Array } | null;
}

const tables = new WeakMap<CaptureSession, Table>();

export interface TableRequest {
  /** Wireshark's "Limit to display filter": only conversations with displayed packets, counted over them. */
  limitToDisplay?: boolean;
  sort?: ConversationSortDto;
  offset?: number;
  count?: number;
}

/**
 * The table in one order: every conversation (or, limited, those with displayed packets) sorted
 * once per order and kept, with what its rows need; made again when the pass moved on (new
 * packets or conversations, the load ended) or the display filter changed.
 */
function table(s: CaptureSession, src: ReplaySource, appFactories: readonly AppParserFactory[], req: TableRequest): { ids: Int32Array; t: Table; t0: number } {
  const index = s.analyzer.index;
  const store = s.analyzer.flows.store;
  const t0 = index.count > 0 ? index.tsSec(0) + index.tsNsec(0) / 1e9 : 0;
  const stamp = `${index.count}:${store.count}:${s.loading}`;
  let t = tables.get(s);
  if (t === undefined || t.stamp !== stamp) {
    t = { stamp, notable: notableFlags(index), displayedFrom: null, displayed: null, order: null };
    tables.set(s, t);
  }
  const limited = req.limitToDisplay === true && s.displayed !== null;
  if (limited && (t.displayed === null || t.displayedFrom !== s.displayed)) {
    t.displayedFrom = s.displayed;
    t.displayed = displayedCounts(s);
    if (t.order?.key.startsWith('limited') === true) t.order = null;
  }
  const sort = req.sort ?? null;
  const key = `${limited ? 'limited' : 'all'}:${sort === null ? 'begun' : `${sort.key}:${sort.descending}`}`;
  if (t.order === null || t.order.key !== key) {
    const ids = conversationOrder({ store, addresses: s.analyzer.addresses, t0, displayed: limited ? t.displayed : null, src, appFactories, loading: s.loading }, sort);
    t.order = { key, ids };
  }
  return { ids: t.order.ids, t, t0 };
}

/**
 * Rows [offset, offset + count) of the conversation table in `sort`'s order (by default the order
 * they began: by id) and how many rows it has; DTOs are built for those rows only (large data
 * never crosses the RPC seam in bulk). With `limitToDisplay` (Wireshark's "Limit to display filter") only the
 * conversations with displayed packets, counted over those packets alone. While a file loads, the
 * caller brings the store up to date first (CaptureSession.analyzer.sync()).
 */
export function conversationDtos(s: CaptureSession, src: ReplaySource, appFactories: readonly AppParserFactory[], req: TableRequest = {}): ConversationListDto {
  const { ids, t, t0 } = table(s, src, appFactories, req);
  const store = s.analyzer.flows.store;
  const offset = Math.min(req.offset ?? 0, ids.length);
  const end = Math.min(ids.length, offset + (req.count ?? DEFAULT_MAX_CONVERSATIONS));
  const limited = req.limitToDisplay === true && s.displayed !== null ? t.displayed : null;
  const conversations: ConversationDto[] = [];
  for (let k = offset; k < end; k++) {
    const id = ids[k]!;
    const dto = conversationDto(store, id, s.analyzer.addresses, t0, t.notable.get(id), src, appFactories, s.loading);
    if (limited === null) conversations.push(dto);
    else {
      const first = limited.first[id]!;
      const last = limited.last[id]!;
      conversations.push({ ...dto, packets: [limited.packets2[2 * id]!, limited.packets2[2 * id + 1]!], bytes: [limited.bytes2[2 * id]!, limited.bytes2[2 * id + 1]!], start: first - t0, duration: last - first });
    }
  }
  return { total: ids.length, offset, conversations };
}

/** Position of conversation `id` in the table so sorted (and limited), or -1 when it is not listed. */
export function conversationIndexOf(s: CaptureSession, src: ReplaySource, appFactories: readonly AppParserFactory[], id: number, req: TableRequest = {}): number {
  return table(s, src, appFactories, req).ids.indexOf(id);
}

/**
 * Counts, first and last time of each conversation over the displayed packets (by conversation
 * id, the client's direction first), in columns: one pass over the displayed rows.
 */
function displayedCounts(s: CaptureSession): DisplayedCounts {
  const index = s.analyzer.index;
  const store = s.analyzer.flows.store;
  const n = store.count;
  const packets2 = new Uint32Array(2 * n);
  const bytes2 = new Float64Array(2 * n);
  const first = new Float64Array(n).fill(Infinity);
  const last = new Float64Array(n).fill(-Infinity);
  let listed = 0;
  for (const row of s.displayed ?? []) {
    const id = index.stream(row);
    if (id < 0 || id >= n) continue;
    // Direction: from the client's address and port to the server, or back.
    const clientIsA = store.clientIsA(id);
    const clientAddr = clientIsA ? store.addrA(id) : store.addrB(id);
    const clientPort = clientIsA ? store.portA(id) : store.portB(id);
    const dir = index.src(row) === clientAddr && index.srcPort(row) === clientPort ? 0 : 1;
    if (packets2[2 * id] === 0 && packets2[2 * id + 1] === 0) listed++;
    packets2[2 * id + dir]!++;
    bytes2[2 * id + dir]! += index.wirelen(row);
    const t = index.tsSec(row) + index.tsNsec(row) / 1e9;
    if (t < first[id]!) first[id] = t;
    if (t > last[id]!) last[id] = t;
  }
  const ids = new Int32Array(listed);
  for (let id = 0, k = 0; id < n; id++) if (packets2[2 * id]! + packets2[2 * id + 1]! > 0) ids[k++] = id;
  return { ids, packets2, bytes2, first, last };
}

/** The client (`client` true) or server end of a conversation. */
export function endpointOf(store: ConversationStore, id: number, addresses: AddressTable, client: boolean): Endpoint {
  const a = client === store.clientIsA(id);
  return { address: addresses.text(a ? store.addrA(id) : store.addrB(id)), port: a ? store.portA(id) : store.portB(id) };
}

function conversationDto(
  store: ConversationStore,
  id: number,
  addresses: AddressTable,
  t0: number,
  flags: Set<string> | undefined,
  src: ReplaySource,
  appFactories: readonly AppParserFactory[],
  loading: boolean,
): ConversationDto {
  const c = store.chunkOf(id);
  const i = slotOf(id);
  const ci = store.clientIsA(id) ? 0 : 1;
  const tcp = c.proto[i] === 6;
  const out = new Set(flags ?? []);
  if (tcp && c.rstRow[i]! >= 0) out.add('reset');
  if ((c.appFlags[i]! & AppFlag.FatalAlert) !== 0) out.add('fatal alert');
  const version = store.texts.text(c.version[i]!);
  const first = store.startTime(id);
  const verdict = tcp ? conversationVerdict(src, store, id, appFactories, loading) : null;
  const tx = c.httpTransactions[i]!;
  return {
    id,
    protocol: tcp ? 'TCP' : 'UDP',
    stream: c.stream[i]!,
    client: endpointOf(store, id, addresses, true),
    server: endpointOf(store, id, addresses, false),
    roleReason: store.roleReason(id),
    packets: [store.packets(id, ci), store.packets(id, 1 - ci)],
    bytes: [store.bytes(id, ci), store.bytes(id, 1 - ci)],
    start: Number.isFinite(first) ? first - t0 : 0,
    duration: store.duration(id),
    handshake: tcp ? handshakeStatusOf(store, id) : 'n/a',
    initialRtt: tcp && c.firstRttNs[i] !== 0 ? c.firstRttNs[i]! / 1e9 : null,
    tls:
      version !== null
        ? {
            version,
            sni: store.texts.text(c.sni[i]!) ?? '',
            cipher: store.texts.text(c.cipher[i]!) ?? '',
            alpn: store.texts.text(c.alpn[i]!) ?? '',
            resumed: (c.appFlags[i]! & AppFlag.TlsResumed) !== 0,
          }
        : null,
    httpTransactions: tx >= 0 ? tx : 0,
    decryption: extraText(store, id, 'tls.decryption'),
    httpFirstRequest: extraText(store, id, 'http.first_request'),
    http2: http2Summary(store, id),
    verdict: verdict === null ? null : { status: verdict.status, reason: verdict.reason, findings: verdict.findings },
    flags: [...out],
  };
}

/** A describe() key the store keeps in a conversation's extras (as text), or null. */
function extraText(store: ConversationStore, id: number, key: string): string | null {
  const v = store.extrasOf(id)?.[key];
  return v === undefined || v === null ? null : String(v);
}

/** Per conversation: which analysis flags appeared on any of its packets (one pass over the index). */
function notableFlags(index: PacketIndex): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  const names: [number, string][] = [
    [Analysis.Retransmission | Analysis.FastRetransmission | Analysis.SpuriousRetransmission, 'retransmissions'],
    [Analysis.OutOfOrder, 'out-of-order'],
    [Analysis.LostSegment | Analysis.AckLostSegment, 'lost segments'],
    [Analysis.DuplicateAck, 'duplicate ACKs'],
    [Analysis.ZeroWindow, 'zero window'],
  ];
  for (let ci = 0; ci < index.chunkCount; ci++) {
    const chunk = index.chunk(ci)!;
    const n = Math.min(chunk.stream.length, index.count - ci * chunk.stream.length);
    for (let i = 0; i < n; i++) {
      const a = chunk.analysis[i]!;
      if (a === 0) continue;
      const conv = chunk.stream[i]!;
      let set = out.get(conv);
      for (const [mask, name] of names) {
        if ((a & mask) === 0) continue;
        if (set === undefined) {
          set = new Set();
          out.set(conv, set);
        }
        set.add(name);
      }
    }
  }
  return out;
}
