// The application-layer parsers the flow stage tries on each new TCP conversation, in order.

import type { AppParserFactory } from '../flow/app-parser';
import { httpFactory } from '../http/parser';
import { http2Factory } from '../http2/parser';
import { tlsFactory } from '../tls/parser';

/**
 * TLS first (its detection is the stricter), then HTTP/2 (its client preface, or frames), then
 * HTTP/1.x. A TLS parser hands decrypted data to the factory its ALPN names (`h2` → 'http2').
 */
export function defaultAppFactories(): AppParserFactory[] {
  return [tlsFactory, http2Factory, httpFactory];
}
