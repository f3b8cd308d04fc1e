// A conversation: one TCP connection or one UDP 5-tuple, while its packets are analysed.

import type { AppParser } from './app-parser';
import type { TcpConnection } from './tcp-connection';

/** Why one end was called the client (recorded so the UI can say so). */
export type RoleReason = 'syn' | 'syn-ack' | 'port' | 'first-packet';

/**
 * The working state of one conversation while packets still come: its TCP connection and
 * application parser. What it counts and what it ends up knowing is kept in the flow stage's
 * ConversationStore (by `id`), which is all that remains of it once its objects are released.
 */
export interface Conversation {
  /** Position in the conversation list (both protocols): the store's row. */
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
  firstRow: number;
  /** TCP states, handshake, analysis and reassembly (null for UDP). */
  tcp: TcpConnection | null;
  /** The application parser detected on the first payload (TLS, HTTP…), or null. */
  app: AppParser | null;
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
