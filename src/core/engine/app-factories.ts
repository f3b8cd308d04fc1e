// The application-layer parsers the flow stage tries on each new TCP conversation, in order.

import type { AppParserFactory } from '../flow/app-parser';
import { httpFactory } from '../http/parser';
import { http2Factory } from '../http2/parser';
import type { TlsKeyStore } from '../tls/keys/key-store';
import { createTlsFactory, tlsFactory } from '../tls/parser';

export interface AppFactoryOptions {
  /** Keys for TLS decryption; decrypted application data goes to this same list (ALPN first). */
  tlsKeys?: TlsKeyStore | null;
}

/**
 * TLS first (its detection is the stricter), then HTTP/2 (its client preface, or frames), then
 * HTTP/1.x. Decrypted TLS application data goes to the factory its ALPN names (`h2` → 'http2').
 */
export function defaultAppFactories(opts: AppFactoryOptions = {}): AppParserFactory[] {
  const list: AppParserFactory[] = [];
  const tls = opts.tlsKeys == null ? tlsFactory : createTlsFactory({ keys: opts.tlsKeys, innerFactories: () => list });
  list.push(tls, http2Factory, httpFactory);
  return list;
}
