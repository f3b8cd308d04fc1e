// Serves the built renderer from app://wireladder/ with a strict Content-Security-Policy, instead
// of file:// (which would give the page access to every local file URL).

import { extname, join, normalize, sep } from 'node:path';
import { readFile } from 'node:fs/promises';

export const appScheme = 'app';
export const appOrigin = `${appScheme}://wireladder`;

/** No remote content at all: scripts, styles and images come from the app itself. */
export const rendererCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.otf': 'font/otf',
  '.json': 'application/json',
};

/** Answers one app:// request from `root` (the out/renderer folder). */
export async function serveRendererFile(root: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl);
  if (url.host !== 'wireladder') return new Response('not found', { status: 404 });
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    // Not valid percent-encoded UTF-8 (`%`, a cut sequence): a bad request, never a throw.
    return new Response('bad request', { status: 400 });
  }
  // NUL ends a path in the OS, and a backslash is a separator on Windows: neither names a file here.
  if (rel.includes('\0') || rel.includes('\\')) return new Response('bad request', { status: 400 });
  const file = normalize(join(root, rel));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return new Response('forbidden', { status: 403 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': mimeTypes[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': rendererCsp,
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}
