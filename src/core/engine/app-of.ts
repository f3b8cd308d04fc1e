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

export function httpOf(c: Conversation): HttpParser | null {
  if (c.app instanceof HttpParser) return c.app;
  // A side that speaks plain HTTP on a TLS port: the TLS parser handed it to an HTTP parser.
  if (c.app instanceof TlsParser && c.app.foreignParser instanceof HttpParser) return c.app.foreignParser;
  return null;
}
