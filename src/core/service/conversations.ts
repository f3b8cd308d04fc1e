// Conversation rows for the UI from the flow stage's table.

import { conversationDuration, type Conversation } from '../flow/conversation';
import { summarizeConversation } from '../flow/conversation-summary';
import { Analysis } from '../io/packet-index';
import { tlsOf } from '../engine/app-of';
import { diagnoseConversation, evidenceFromIndex, type ConversationEvidence } from '../ladder/diagnose';
import type { CaptureSession } from './session';
import { http2Summary } from './http2-streams';
import type { ConversationDto, Endpoint } from './dto';

/**
 * The conversation table; with `limitToDisplay` (Wireshark's "Limit to display filter") only the
 * conversations with displayed packets, counted over those packets alone.
 */
export function conversationDtos(s: CaptureSession, limitToDisplay = false): ConversationDto[] {
  const index = s.analyzer.index;
  const t0 = index.count > 0 ? index.tsSec(0) + index.tsNsec(0) / 1e9 : 0;
  const notable = notableFlags(s);
  const conversations = s.analyzer.flows.conversations;
  const evidence = evidenceFromIndex(index, conversations);
  const all = conversations.map((c) => conversationDto(s, c, t0, notable.get(c.id), evidence.get(c.id)));
  if (!limitToDisplay || s.displayed === null) return all;
  return displayedOnly(s, all, t0);
}

/** Counts, start and duration of each conversation over the displayed packets; the others dropped. */
function displayedOnly(s: CaptureSession, all: ConversationDto[], t0: number): ConversationDto[] {
  const index = s.analyzer.index;
  const conversations = s.analyzer.flows.conversations;
  const seen = new Map<number, { packets: [number, number]; bytes: [number, number]; first: number; last: number }>();
  for (const row of s.displayed ?? []) {
    const id = index.stream(row);
    const c = conversations[id];
    if (c === undefined) continue;
    let e = seen.get(id);
    if (e === undefined) {
      e = { packets: [0, 0], bytes: [0, 0], first: Infinity, last: -Infinity };
      seen.set(id, e);
    }
    // Direction: from the client's address and port to the server, or back.
    const clientAddr = c.clientIsA ? c.addrA : c.addrB;
    const clientPort = c.clientIsA ? c.portA : c.portB;
    const dir = index.src(row) === clientAddr && index.srcPort(row) === clientPort ? 0 : 1;
    e.packets[dir]++;
    e.bytes[dir] += index.wirelen(row);
    const t = index.tsSec(row) + index.tsNsec(row) / 1e9;
    e.first = Math.min(e.first, t);
    e.last = Math.max(e.last, t);
  }
  return all.flatMap((dto) => {
    const e = seen.get(dto.id);
    if (e === undefined) return [];
    return [{ ...dto, packets: e.packets, bytes: e.bytes, start: e.first - t0, duration: e.last - e.first }];
  });
}

/** The client (`client` true) or server end of a conversation. */
export function endpointOf(s: CaptureSession, c: Conversation, client: boolean): Endpoint {
  const addresses = s.analyzer.addresses;
  const a = client === c.clientIsA;
  const id = a ? c.addrA : c.addrB;
  return { address: addresses.text(id), port: a ? c.portA : c.portB };
}

function conversationDto(s: CaptureSession, c: Conversation, t0: number, flags: Set<string> | undefined, evidence: ConversationEvidence | undefined): ConversationDto {
  const sum = summarizeConversation(c, s.analyzer.addresses);
  const first = Math.min(...c.dir.filter((d) => d.packets > 0).map((d) => d.firstSec + d.firstNsec / 1e9));
  const tls = tlsOf(c);
  const out = new Set(flags ?? []);
  if (sum.reset) out.add('reset');
  if (tls !== null && tls.session.alerts.some((a) => a.level === 2)) out.add('fatal alert');
  return {
    id: c.id,
    protocol: sum.protocol,
    stream: c.stream,
    client: endpointOf(s, c, true),
    server: endpointOf(s, c, false),
    roleReason: c.roleReason,
    packets: [sum.packets.toServer, sum.packets.toClient],
    bytes: [sum.bytes.toServer, sum.bytes.toClient],
    start: Number.isFinite(first) ? first - t0 : 0,
    duration: conversationDuration(c),
    handshake: sum.handshake ?? 'n/a',
    initialRtt: sum.initialRtt,
    tls:
      tls !== null && tls.session.versionName !== null
        ? {
            version: tls.session.versionName,
            sni: tls.session.sni ?? '',
            cipher: tls.session.cipherSuiteName ?? '',
            alpn: tls.session.alpn ?? '',
            resumed: tls.session.resumed !== null,
          }
        : null,
    httpTransactions: sum.httpTransactions ?? 0,
    decryption: sum.decryption,
    httpFirstRequest: sum.httpFirstRequest,
    http2: http2Summary(c),
    verdict: c.proto === 6 ? verdictOf(c, evidence) : null,
    flags: [...out],
  };
}

/** Per conversation: which analysis flags appeared on any of its packets (one pass over the index). */
function notableFlags(s: CaptureSession): Map<number, Set<string>> {
  const index = s.analyzer.index;
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

function verdictOf(c: Conversation, evidence: ConversationEvidence | undefined): ConversationDto['verdict'] {
  const v = diagnoseConversation(c, evidence === undefined ? {} : { evidence });
  return { status: v.status, reason: v.reason };
}
