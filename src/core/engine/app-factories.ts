// The application-layer parsers the flow stage tries on each new TCP conversation, in order.

import type { AppParserFactory } from '../flow/app-parser';
import { httpFactory } from '../http/parser';
import { tlsFactory } from '../tls/parser';

/** TLS first (its detection is the stricter), then HTTP/1.x. */
export function defaultAppFactories(): AppParserFactory[] {
  return [tlsFactory, httpFactory];
}
