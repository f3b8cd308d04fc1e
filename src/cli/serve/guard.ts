// Who may talk to `wireladder serve`: the token it printed, a loopback Host (no DNS rebinding) and,
// for WebSocket upgrades, an Origin equal to the page's own.

import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export class RequestGuard {
  constructor(
    private readonly token: string,
    private readonly port: () => number,
  ) {}

  /** Host must name this server on loopback: 127.0.0.1:PORT or localhost:PORT. */
  hostAllowed(req: IncomingMessage): boolean {
    const host = req.headers.host;
    const p = this.port();
    return host === `127.0.0.1:${p}` || host === `localhost:${p}`;
  }

  /** Origin, when present (required for WebSockets), must be this server's own origin. */
  originAllowed(req: IncomingMessage, required: boolean): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return !required;
    return origin === `http://${req.headers.host ?? ''}`;
  }

  /** `query` is the request's parsed query (request-target.ts). */
  tokenAllowed(query: URLSearchParams): boolean {
    const given = query.get('token');
    return given !== null && sameSecret(given, this.token);
  }
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
