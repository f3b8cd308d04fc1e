// `wireladder serve` lets in only the token holder, on a loopback Host, from its own origin.

import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningServer } from '../../src/cli/serve/server';
import { corpus, root, rpc, serve } from './helpers';

let server: RunningServer;
beforeAll(async () => {
  server = await serve(corpus('local/tls12-rsa.pcap'));
});
afterAll(async () => server?.close());

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

function upgrade(query: string, headers: Record<string, string>): Promise<'open' | number> {
  return new Promise((ok) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc${query}`, { headers });
    ws.on('open', () => {
      ws.close();
      ok('open');
    });
    ws.on('unexpected-response', (_req, res) => ok(res.statusCode ?? 0));
    ws.on('error', () => ok(0));
  });
}

const origin = (): string => `http://127.0.0.1:${server.port}`;

describe('wireladder serve', () => {
  it('listens on 127.0.0.1 only and prints a URL with a random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('serves the page with the token, and a strict CSP', async () => {
    const r = await get(`/?token=${server.token}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<div id="root">');
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('refuses the page without the token or with a wrong one', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=wrong')).status).toBe(403);
    expect((await get(`/?token=${server.token.slice(0, -1)}`)).status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin', async () => {
    expect((await get(`/?token=${server.token}`, { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get(`/?token=${server.token}`, { host: `127.0.0.1:1` })).status).toBe(403);
    expect((await get(`/?token=${server.token}`, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('accepts the WebSocket only with the token, a loopback Host and its own Origin', async () => {
    expect(await upgrade(`?token=${server.token}`, { origin: origin() })).toBe('open');
    expect(await upgrade('?token=wrong', { origin: origin() })).toBe(403);
    expect(await upgrade('', { origin: origin() })).toBe(403);
    expect(await upgrade(`?token=${server.token}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade(`?token=${server.token}`, {})).toBe(403);
    expect(await upgrade(`?token=${server.token}`, { origin: origin(), host: `evil.example:${server.port}` })).toBe(403);
  });

  it('does not serve files outside the renderer', async () => {
    expect((await get('/assets/../../package.json')).status).toBe(404);
    expect((await get('/assets/%2e%2e/%2e%2e/package.json')).status).toBe(404);
    expect((await get(`/download/nothing?token=${server.token}`)).status).toBe(404);
  });

  it('validates RPC arguments and opens no file but the one it was started with', async () => {
    await expect(rpc(server, 'rows', { session: server.initialSession!.session, start: -5, count: 1 })).rejects.toThrow(/start must be an integer/);
    await expect(rpc(server, 'openFile', { path: '/etc/passwd' })).rejects.toThrow(/browser mode opens only the file/);
    const again = await rpc(server, 'openFile', { path: corpus('local/tls12-rsa.pcap') });
    expect(again.fileName).toBe('tls12-rsa.pcap');
  });

  it('runs from the built CLI: `wireladder serve FILE --port 0` prints the URL', async () => {
    const child = spawn(process.execPath, ['bin/wireladder.js', 'serve', corpus('local/tls12-rsa.pcap'), '--port', '0'], { cwd: root });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += String(d);
          const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out);
          if (m !== null) ok(m[0]);
        });
        child.on('exit', (code) => fail(new Error(`serve exited with ${code}`)));
      });
      const res = await fetch(url);
      expect(res.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
