// Conversation rows for the UI, from the flow stage's conversation store.

import type { AppParserFactory } from '../flow/app-parser';
import { AppFlag, slotOf, type ConversationStore } from '../flow/conversation-store';
import { handshakeStatusOf } from '../flow/conversation-summary';
import { conversationVerdict } from '../engine/conversation-facts';
import type { ReplaySource } from '../engine/replay';
import { Analysis, type PacketIndex } from '../io/packet-index';
import type { AddressTable } from '../io/address-table';
import type { CaptureSession } from './session';
import type { ConversationDto, Endpoint } from './dto';

export function conversationDtos(s: CaptureSession, src: ReplaySource, appFactories: readonly AppParserFactory[]): ConversationDto[] {
  const index = s.analyzer.index;
  // While a file loads, the caller brings the store up to date first (CaptureSession.analyzer.sync()).
  const store = s.analyzer.flows.store;
  const t0 = index.count > 0 ? index.tsSec(0) + index.tsNsec(0) / 1e9 : 0;
  const notable = notableFlags(index);
  const out: ConversationDto[] = [];
  for (let id = 0; id < store.count; id++) out.push(conversationDto(store, id, s.analyzer.addresses, t0, notable.get(id), src, appFactories, s.loading));
  return out;
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
    verdict: verdict === null ? null : { status: verdict.status, reason: verdict.reason },
    flags: [...out],
  };
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
