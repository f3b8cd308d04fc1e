// A conversation: one TCP connection or one UDP 5-tuple, with per-direction counters.

import type { AppParser } from './app-parser';
import type { TcpConnection } from './tcp-connection';

/** Why one end was called the client (recorded so the UI can say so). */
export type RoleReason = 'syn' | 'syn-ack' | 'port' | 'first-packet';

export interface DirectionStats {
  packets: number;
  bytes: number;
  /** Payload bytes (TCP segment data / UDP payload). */
  payloadBytes: number;
  firstSec: number;
  firstNsec: number;
  lastSec: number;
  lastNsec: number;
}

export interface Conversation {
  /** Position in the conversation list (both protocols). */
  id: number;
  /** 6 (TCP) or 17 (UDP). */
  proto: number;
  /** tcp.stream or udp.stream: numbered per protocol in order of first appearance. */
  stream: number;
  /** Endpoint A is the source of the conversation's first packet. */
  addrA: number;
  portA: number;
  addrB: number;
  portB: number;
  /** True when A is the client (A sent the SYN, or heuristics say so). */
  clientIsA: boolean;
  /** How the client was chosen (a SYN decides; otherwise ports, otherwise the first packet). */
  roleReason: RoleReason;
  /** Counters per direction: index 0 is A → B, 1 is B → A. */
  dir: [DirectionStats, DirectionStats];
  firstRow: number;
  lastRow: number;
  /** TCP states, handshake, analysis and reassembly (null for UDP). */
  tcp: TcpConnection | null;
  /** The application parser detected on the first payload (TLS, HTTP…), or null. */
  app: AppParser | null;
}

export function newDirection(): DirectionStats {
  return { packets: 0, bytes: 0, payloadBytes: 0, firstSec: 0, firstNsec: 0, lastSec: 0, lastNsec: 0 };
}

/** Duration in seconds between the first and last packet. */
export function conversationDuration(c: Conversation): number {
  const a = c.dir[0];
  const b = c.dir[1];
  let firstSec = a.firstSec;
  let firstNsec = a.firstNsec;
  if (b.packets > 0 && (a.packets === 0 || b.firstSec < firstSec || (b.firstSec === firstSec && b.firstNsec < firstNsec))) {
    firstSec = b.firstSec;
    firstNsec = b.firstNsec;
  }
  let lastSec = a.lastSec;
  let lastNsec = a.lastNsec;
  if (b.packets > 0 && (b.lastSec > lastSec || (b.lastSec === lastSec && b.lastNsec > lastNsec))) {
    lastSec = b.lastSec;
    lastNsec = b.lastNsec;
  }
  return lastSec - firstSec + (lastNsec - firstNsec) / 1e9;
}

/**
 * Port heuristic when no SYN decides: the end using a well-known or registered service port (the
 * lower one, if both) is the server, as most analyzers guess.
 */
export function clientIsFirstByPorts(srcPort: number, dstPort: number): boolean | null {
  const srcService = srcPort < 1024;
  const dstService = dstPort < 1024;
  if (srcService !== dstService) return dstService;
  if (srcPort === dstPort) return null;
  // Ephemeral ranges start at 32768 (Linux) or 49152 (IANA); the lower port is the service.
  return dstPort < srcPort;
}
