// Finds the TLS or HTTP parser behind a conversation (HTTP CONNECT tunnels carry TLS inside).

import type { Conversation } from '../flow/conversation';
import { HttpParser } from '../http/parser';
import { TlsParser } from '../tls/parser';

export function tlsOf(c: Conversation): TlsParser | null {
  const app = c.app;
  if (app instanceof TlsParser) return app;
  if (app instanceof HttpParser && app.innerParser instanceof TlsParser) return app.innerParser;
  return null;
}

/** The HTTP parser of a conversation: HTTP over TCP, or HTTP inside decrypted TLS. */
export function httpOf(c: Conversation): HttpParser | null {
  const app = c.app;
  if (app instanceof HttpParser) return app;
  if (app instanceof TlsParser && app.innerParser instanceof HttpParser) return app.innerParser;
  return null;
}
