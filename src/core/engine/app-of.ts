// Finds the TLS, HTTP or HTTP/2 parser behind a conversation (HTTP CONNECT tunnels carry TLS
// inside, an HTTP/1.1 Upgrade may switch to HTTP/2, decrypted TLS may carry HTTP/2).

import type { AppParser } from '../flow/app-parser';
import type { Conversation } from '../flow/conversation';
import { HttpParser } from '../http/parser';
import { Http2Parser } from '../http2/parser';
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
  // A side that speaks plain HTTP on a TLS port: the TLS parser handed it to an HTTP parser.
  if (app instanceof TlsParser && app.foreignParser instanceof HttpParser) return app.foreignParser;
  return null;
}

/** The parser a TLS parser hands decrypted data to, when it has one. */
function innerOf(app: AppParser | null): AppParser | null {
  if (app === null) return null;
  const inner = (app as { innerParser?: AppParser | null }).innerParser;
  return inner ?? null;
}

export function http2Of(c: Conversation): Http2Parser | null {
  const app = c.app;
  if (app instanceof Http2Parser) return app;
  // h2c after an HTTP/1.1 Upgrade; HTTP/2 inside decrypted TLS (ALPN h2), also inside a CONNECT tunnel.
  let inner = innerOf(app);
  for (let depth = 0; inner !== null && depth < 3; depth++) {
    if (inner instanceof Http2Parser) return inner;
    inner = innerOf(inner);
  }
  return null;
}
