// Serves the built renderer (out/renderer) with a strict Content-Security-Policy.

import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.otf': 'font/otf',
  '.json': 'application/json',
  '.map': 'application/json',
};

export function csp(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function securityHeaders(port: number): Record<string, string> {
  return {
    'content-security-policy': csp(port),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

/**
 * Writes `root/path` to `res`; false when there is no such file inside root. `path` is already
 * decoded and normalised (request-target.ts): decoding it again would turn `%252e` into '.'.
 */
export async function sendStatic(root: string, path: string, res: ServerResponse, port: number): Promise<boolean> {
  const file = normalize(join(root, path));
  const base = root.endsWith(sep) ? root : root + sep;
  if (!file.startsWith(base)) return false;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return false;
  }
  res.writeHead(200, { 'content-type': mimeTypes[extname(file)] ?? 'application/octet-stream', ...securityHeaders(port) });
  res.end(body);
  return true;
}
