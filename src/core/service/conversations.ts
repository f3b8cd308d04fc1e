// Conversation rows for the UI, from the flow stage's conversation store.

import type { AppParserFactory } from '../flow/app-parser';
import { AppFlag, slotOf, type ConversationStore } from '../flow/conversation-store';
import { handshakeStatusOf } from '../flow/conversation-summary';
import { conversationVerdict } from '../engine/conversation-facts';
import type { ReplaySource } from '../engine/replay';
import { Analysis, type PacketIndex } from '../io/packet-index';
import type { AddressTable } from '../io/address-table';
import type { CaptureSession } from './session';
import { http2Summary } from './http2-streams';
import type { ConversationDto, ConversationListDto, Endpoint } from './dto';

/** How many conversation rows a `conversations` answer carries unless asked for another number. */
export const DEFAULT_MAX_CONVERSATIONS = 50_000;

/**
 * The conversation table: the first `max` conversations in the order they began (stream order) and
 * how many there are in all; DTOs are built for those rows only (large data never crosses the RPC
 * seam in bulk). With `limitToDisplay` (Wireshark's "Limit to display filter") only the
 * conversations with displayed packets, counted over those packets alone. While a file loads, the
 * caller brings the store up to date first (CaptureSession.analyzer.sync()).
 */
export function conversationDtos(
  s: CaptureSession,
  src: ReplaySource,
  appFactories: readonly AppParserFactory[],
  limitToDisplay = false,
  max = DEFAULT_MAX_CONVERSATIONS,
): ConversationListDto {
  const index = s.analyzer.index;
  const store = s.analyzer.flows.store;
  const t0 = index.count > 0 ? index.tsSec(0) + index.tsNsec(0) / 1e9 : 0;
  const notable = notableFlags(index);
  const dto = (id: number): ConversationDto => conversationDto(store, id, s.analyzer.addresses, t0, notable.get(id), src, appFactories, s.loading);
  if (!limitToDisplay || s.displayed === null) {
    const shown = Math.min(max, store.count);
    const conversations: ConversationDto[] = [];
    for (let id = 0; id < shown; id++) conversations.push(dto(id));
    return { total: store.count, conversations };
  }
  const seen = displayedCounts(s);
  // Ids are given in the order conversations begin: the smallest ids are the first streams.
  const ids = [...seen.keys()].sort((a, b) => a - b).slice(0, max);
  const conversations = ids.map((id) => {
    const e = seen.get(id)!;
    return { ...dto(id), packets: e.packets, bytes: e.bytes, start: e.first - t0, duration: e.last - e.first };
  });
  return { total: seen.size, conversations };
}

interface DisplayedCounts {
  packets: [number, number];
  bytes: [number, number];
  first: number;
  last: number;
}

/** Counts, first and last time of each conversation over the displayed packets (by conversation id). */
function displayedCounts(s: CaptureSession): Map<number, DisplayedCounts> {
  const index = s.analyzer.index;
  const store = s.analyzer.flows.store;
  const seen = new Map<number, DisplayedCounts>();
  for (const row of s.displayed ?? []) {
    const id = index.stream(row);
    if (id < 0 || id >= store.count) continue;
    let e = seen.get(id);
    if (e === undefined) {
      e = { packets: [0, 0], bytes: [0, 0], first: Infinity, last: -Infinity };
      seen.set(id, e);
    }
    // Direction: from the client's address and port to the server, or back.
    const clientIsA = store.clientIsA(id);
    const clientAddr = clientIsA ? store.addrA(id) : store.addrB(id);
    const clientPort = clientIsA ? store.portA(id) : store.portB(id);
    const dir = index.src(row) === clientAddr && index.srcPort(row) === clientPort ? 0 : 1;
    e.packets[dir]++;
    e.bytes[dir] += index.wirelen(row);
    const t = index.tsSec(row) + index.tsNsec(row) / 1e9;
    e.first = Math.min(e.first, t);
    e.last = Math.max(e.last, t);
  }
  return seen;
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
