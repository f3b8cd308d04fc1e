// The request-target of a browser-mode request, decoded and normalised once, before any routing:
// a path the router sees is the path a file lookup would see (RFC 9112 §3.2, RFC 3986 §5.2.4).

import { posix } from 'node:path';

export interface RequestTarget {
  /** Percent-decoded, dot-segments removed, repeated slashes folded; always starts with '/'. */
  path: string;
  query: URLSearchParams;
}

/**
 * Parses an origin-form request-target (`/path?query`). Null when it is not one, or its path is
 * not valid percent-encoded UTF-8, or decodes to a NUL, a backslash or a control character: the
 * caller answers 400. Never throws.
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget | null {
  if (raw === undefined || !raw.startsWith('/')) return null;
  const q = raw.indexOf('?');
  const rawPath = q < 0 ? raw : raw.slice(0, q);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  // Control characters and backslashes name no file we serve; on Windows '\' would be a separator.
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x5c) return null;
  }
  // posix.normalize folds '//' and resolves '.' and '..'; an absolute path cannot climb above '/'.
  const path = posix.normalize(decoded);
  if (!path.startsWith('/')) return null;
  return { path, query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}
