// One conversation as a plain row (the conversations table of `wireladder flows` and the UI):
// endpoints by role, counters per direction, handshake status, and the app parser's summary.

import type { AppParser } from './app-parser';
import { AddressKind, type AddressTable } from '../io/address-table';
import type { Verdict } from '../ladder/model';
import { conversationDuration, type Conversation } from './conversation';
import type { HandshakeStatus } from './tcp-connection';
import { tcpStateName } from './tcp-state';

export interface ConversationSummary {
  /** tcp.stream or udp.stream. */
  stream: number;
  protocol: 'TCP' | 'UDP';
  /** `192.0.2.1:51234`, `[2001:db8::1]:443`. */
  client: string;
  server: string;
  /** How the client was chosen: by the SYN, the SYN,ACK, the ports or the first packet. */
  roleReason: Conversation['roleReason'];
  packets: { toServer: number; toClient: number };
  bytes: { toServer: number; toClient: number };
  /** Seconds from the first to the last packet. */
  duration: number;
  /** TCP handshake status (null for UDP). */
  handshake: HandshakeStatus | null;
  /** Initial RTT in seconds (SYN → the ACK completing the handshake), null when not seen. */
  initialRtt: number | null;
  /** Final TCP states of each end (null for UDP). */
  clientState: string | null;
  serverState: string | null;
  reset: boolean;
  /** From the application parser's describe(), when it has one. */
  tlsVersion: string | null;
  sni: string | null;
  cipher: string | null;
  alpn: string | null;
  httpTransactions: number | null;
  /** TLS decryption: 'decrypted', 'partial', 'failed', 'keys missing', 'unsupported'; null without keys. */
  decryption: string | null;
  /** The first HTTP request line (`GET /index.html`), also from inside decrypted TLS. */
  httpFirstRequest: string | null;
  /** HTTP/2 on the connection (h2c, after an Upgrade, or in decrypted TLS): `7 streams, 2 reset`. */
  http2: string | null;
  /** Complete, failed or incomplete, with the reason (ladder/diagnose.ts); null when not judged. */
  verdict: Verdict | null;
}

/** `addr:port`, with IPv6 addresses in brackets (RFC 3986 §3.2.2). */
export function endpointText(addresses: AddressTable, id: number, port: number): string {
  const a = addresses.text(id);
  return addresses.kind(id) === AddressKind.Ipv6 ? `[${a}]:${port}` : `${a}:${port}`;
}

export const handshakeTexts: Record<HandshakeStatus, string> = {
  complete: 'complete',
  'syn-only': 'SYN only',
  reset: 'reset',
  'mid-stream': 'no SYN seen (mid-stream)',
};

export function summarizeConversation(c: Conversation, addresses: AddressTable, verdict: Verdict | null = null): ConversationSummary {
  const a = endpointText(addresses, c.addrA, c.portA);
  const b = endpointText(addresses, c.addrB, c.portB);
  const toServer = c.dir[c.clientIsA ? 0 : 1];
  const toClient = c.dir[c.clientIsA ? 1 : 0];
  const tcp = c.tcp;
  // A parser nested in the conversation's (decrypted TLS, an HTTP Upgrade) adds its own facts.
  const inner = c.app === null ? null : ((c.app as { innerParser?: AppParser | null }).innerParser ?? null);
  const own = c.app !== null && c.app.describe !== undefined ? c.app.describe() : null;
  const d = inner !== null && inner.describe !== undefined ? { ...inner.describe(), ...(own ?? {}) } : own;
  const str = (key: string): string | null => (d !== null && d[key] !== undefined ? String(d[key]) : null);
  const tx = d !== null && d['http.transactions'] !== undefined ? Number(d['http.transactions']) : null;
  return {
    stream: c.stream,
    protocol: c.proto === 6 ? 'TCP' : 'UDP',
    client: c.clientIsA ? a : b,
    server: c.clientIsA ? b : a,
    roleReason: c.roleReason,
    packets: { toServer: toServer.packets, toClient: toClient.packets },
    bytes: { toServer: toServer.bytes, toClient: toClient.bytes },
    duration: conversationDuration(c),
    handshake: tcp !== null ? tcp.handshakeStatus() : null,
    initialRtt: tcp !== null && tcp.analysis.firstRttNs !== 0 ? tcp.analysis.firstRttNs / 1e9 : null,
    clientState: tcp !== null ? tcpStateName(tcp.clientState()) : null,
    serverState: tcp !== null ? tcpStateName(tcp.serverState()) : null,
    reset: tcp !== null && tcp.handshake.rstRow >= 0,
    tlsVersion: str('tls.version'),
    sni: str('tls.sni'),
    cipher: str('tls.cipher'),
    alpn: str('tls.alpn'),
    httpTransactions: tx !== null && Number.isFinite(tx) ? tx : null,
    decryption: str('tls.decryption'),
    httpFirstRequest: str('http.first_request'),
    http2: d !== null && d['http2.streams'] !== undefined ? http2Text(Number(d['http2.streams']), d['http2.resets']) : null,
    verdict,
  };
}

/** `7 streams, 2 reset` for the conversation lists. */
function http2Text(streams: number, resets: string | number | undefined): string {
  return `${streams} stream${streams === 1 ? '' : 's'}${resets !== undefined ? `, ${String(resets)} reset` : ''}`;
}
