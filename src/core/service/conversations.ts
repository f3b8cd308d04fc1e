// Conversation rows for the UI from the flow stage's table.

import { conversationDuration, type Conversation } from '../flow/conversation';
import type { CaptureSession } from './session';
import type { ConversationDto, Endpoint } from './dto';

export function conversationDtos(s: CaptureSession): ConversationDto[] {
  const a = s.analyzer;
  const index = a.index;
  const t0 = index.count > 0 ? index.tsSec(0) + index.tsNsec(0) / 1e9 : 0;
  return a.flows.conversations.map((c) => conversationDto(s, c, t0));
}

function conversationDto(s: CaptureSession, c: Conversation, t0: number): ConversationDto {
  const addr = s.analyzer.addresses;
  const A: Endpoint = { address: addr.text(c.addrA), port: c.portA };
  const B: Endpoint = { address: addr.text(c.addrB), port: c.portB };
  const [client, server] = c.clientIsA ? [A, B] : [B, A];
  const [cs, sc] = c.clientIsA ? [c.dir[0], c.dir[1]] : [c.dir[1], c.dir[0]];
  const first = Math.min(...[c.dir[0], c.dir[1]].filter((d) => d.packets > 0).map((d) => d.firstSec + d.firstNsec / 1e9));
  return {
    id: c.id,
    protocol: c.proto === 6 ? 'TCP' : 'UDP',
    stream: c.stream,
    client,
    server,
    roleReason: c.roleReason,
    packets: [cs.packets, sc.packets],
    bytes: [cs.bytes, sc.bytes],
    start: first - t0,
    duration: conversationDuration(c),
    handshake: c.proto === 6 ? 'unknown' : 'n/a',
    initialRtt: null,
    tls: null,
    httpTransactions: 0,
    verdict: null,
    flags: [],
  };
}
