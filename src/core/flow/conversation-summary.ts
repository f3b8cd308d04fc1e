// One conversation as a plain row (the conversations table of `wireladder flows` and the UI):
// endpoints by role, counters per direction, handshake status, and the app parser's summary.

import { AddressKind, type AddressTable } from '../io/address-table';
import type { RoleReason } from './conversation';
import { ConvFlag, FINDINGS_SEPARATOR, slotOf, verdictStatuses, type ConversationStore } from './conversation-store';
import type { HandshakeStatus } from './tcp-connection';
import { tcpStateName } from './tcp-state';
import type { Verdict } from './verdict';

export interface ConversationSummary {
  /** tcp.stream or udp.stream. */
  stream: number;
  protocol: 'TCP' | 'UDP';
  /** `192.0.2.1:51234`, `[2001:db8::1]:443`. */
  client: string;
  server: string;
  /** How the client was chosen: by the SYN, the SYN,ACK, the ports or the first packet. */
  roleReason: RoleReason;
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
  /** Complete, failed or incomplete, with the reason (engine/diagnosis.ts); null when not judged. */
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

/** The TCP handshake as it went (the store's rows of SYN, SYN/ACK, the completing ACK and the first RST). */
export function handshakeStatusOf(store: ConversationStore, id: number): HandshakeStatus {
  const c = store.chunkOf(id);
  const i = slotOf(id);
  if (c.synRow[i]! < 0) return 'mid-stream';
  if (c.synAckRow[i]! >= 0 && c.ackRow[i]! >= 0) return 'complete';
  if (c.rstRow[i]! >= 0) return 'reset';
  return 'syn-only';
}

/**
 * The verdict the pass stored for a TCP conversation: null for UDP, 'stale' when it must be worked
 * out again from a replay of the conversation (its parser was gone when a late packet came).
 */
export function storedVerdict(store: ConversationStore, id: number, evenIfStale = false): Verdict | null | 'stale' {
  const c = store.chunkOf(id);
  const i = slotOf(id);
  if (c.proto[i] !== 6) return null;
  if (!evenIfStale && (c.flags[i]! & ConvFlag.VerdictStale) !== 0) return 'stale';
  const status = verdictStatuses[c.verdict[i]!];
  if (status === null || status === undefined) return null;
  const findings = store.texts.text(c.verdictFindings[i]!);
  return { status, reason: store.texts.text(c.verdictReason[i]!) ?? '', findings: findings === null ? [] : findings.split(FINDINGS_SEPARATOR) };
}

/** One conversation of the store as a row; `verdict` as worked out by the caller (storedVerdict or a replay). */
export function summarizeConversation(store: ConversationStore, id: number, addresses: AddressTable, verdict: Verdict | null = null): ConversationSummary {
  const c = store.chunkOf(id);
  const i = slotOf(id);
  const clientIsA = store.clientIsA(id);
  const ci = clientIsA ? 0 : 1;
  const si = 1 - ci;
  const a = endpointText(addresses, c.addrA[i]!, c.portA[i]!);
  const b = endpointText(addresses, c.addrB[i]!, c.portB[i]!);
  const tcp = c.proto[i] === 6;
  const text = (col: Uint32Array): string | null => store.texts.text(col[i]!);
  const tx = c.httpTransactions[i]!;
  // What the parsers describe beyond the columns (decryption, the first request, HTTP/2).
  const extra = store.extrasOf(id);
  const str = (key: string): string | null => (extra !== null && extra[key] !== undefined && extra[key] !== null ? String(extra[key]) : null);
  return {
    stream: c.stream[i]!,
    protocol: tcp ? 'TCP' : 'UDP',
    client: clientIsA ? a : b,
    server: clientIsA ? b : a,
    roleReason: store.roleReason(id),
    packets: { toServer: store.packets(id, ci), toClient: store.packets(id, si) },
    bytes: { toServer: store.bytes(id, ci), toClient: store.bytes(id, si) },
    duration: store.duration(id),
    handshake: tcp ? handshakeStatusOf(store, id) : null,
    initialRtt: tcp && c.firstRttNs[i] !== 0 ? c.firstRttNs[i]! / 1e9 : null,
    clientState: tcp ? tcpStateName(c.state2[2 * i + ci]!) : null,
    serverState: tcp ? tcpStateName(c.state2[2 * i + si]!) : null,
    reset: tcp && c.rstRow[i]! >= 0,
    tlsVersion: text(c.version),
    sni: text(c.sni),
    cipher: text(c.cipher),
    alpn: text(c.alpn),
    httpTransactions: tx >= 0 ? tx : null,
    decryption: str('tls.decryption'),
    httpFirstRequest: str('http.first_request'),
    http2: extra !== null && extra['http2.streams'] !== undefined ? http2Text(Number(extra['http2.streams']), extra['http2.resets'] as string | number | undefined) : null,
    verdict,
  };
}

/** `7 streams, 2 reset` for the conversation lists. */
function http2Text(streams: number, resets: string | number | undefined): string {
  return `${streams} stream${streams === 1 ? '' : 's'}${resets !== undefined ? `, ${String(resets)} reset` : ''}`;
}
