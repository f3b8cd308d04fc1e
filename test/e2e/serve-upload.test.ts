// Browser mode's upload to open another capture (src/cli/serve/uploads.ts): only the page itself
// (token and Origin) may POST, a body over the limit is refused and leaves nothing behind, the name
// the page sends cannot leave the private directory, the answer names no server path, and the
// private copy goes away when its capture closes or the server stops.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cli/serve/server';
import { privateTempRoot } from '../../src/core/io/private-temp';
import type { SessionInfo } from '../../src/shared/api';
import { corpus, rpc, serve } from './helpers';

const LIMIT = 64 * 1024;
let server: RunningServer;
beforeAll(async () => {
  server = await serve(undefined, { maxUploadBytes: LIMIT });
});
afterAll(async () => server?.close());

interface Reply {
  status: number;
  body: string;
}

/** POSTs `body` (in one piece with Content-Length, or chunked without it) to `path`. */
function post(path: string, body: Buffer, opts: { origin?: string | null; chunked?: boolean; type?: string } = {}): Promise<Reply> {
  return new Promise((ok, fail) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${server.port}`, 'content-type': opts.type ?? 'application/octet-stream' };
    const origin = opts.origin === undefined ? `http://127.0.0.1:${server.port}` : opts.origin;
    if (origin !== null) headers['origin'] = origin;
    if (opts.chunked !== true) headers['content-length'] = String(body.length);
    const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }));
    });
    // The server may answer 413 and close before the whole body is sent.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : fail(err)));
    if (opts.chunked === true) {
      for (let i = 0; i < body.length; i += 8192) req.write(body.subarray(i, i + 8192));
      req.end();
    } else req.end(body);
  });
}

const uploadPath = (name: string, token = server.token): string => `/upload?token=${encodeURIComponent(token)}&name=${encodeURIComponent(name)}`;

/** Every file under this process's `serve-*` run directories (uploads live there). */
function uploadedFiles(): string[] {
  const root = privateTempRoot();
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  for (const d of readdirSync(root)) if (d.startsWith(`serve-${process.pid}-`)) walk(join(root, d));
  return out;
}

const capture = readFileSync(corpus('local/tls12-rsa.pcap'));

describe('POST /upload', () => {
  it('refuses a request without the token, from another origin or with no Origin', async () => {
    expect((await post(uploadPath('a.pcap', 'wrong'), capture)).status).toBe(403);
    expect((await post(uploadPath('a.pcap'), capture, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(uploadPath('a.pcap'), capture, { origin: null })).status).toBe(403);
    expect((await post(`/elsewhere?token=${server.token}`, capture)).status).toBe(405);
    expect((await post(uploadPath('a.pcap'), capture, { type: 'text/html' })).status).toBe(415);
    expect(uploadedFiles()).toEqual([]);
  });

  it('refuses a body over the limit, declared or streamed, and keeps nothing of it', async () => {
    const big = Buffer.alloc(LIMIT + 1, 0x41);
    const declared = await post(uploadPath('big.pcap'), big);
    expect(declared.status).toBe(413);
    expect(declared.body).toContain('larger than browser mode accepts (64 KiB)');
    const streamed = await post(uploadPath('big.pcap'), Buffer.alloc(LIMIT * 3, 0x41), { chunked: true });
    expect(streamed.status).toBe(413);
    expect((await post(uploadPath('empty.pcap'), Buffer.alloc(0))).status).toBe(400);
    expect(uploadedFiles()).toEqual([]);
  });

  it('keeps a private copy under the last part of the name, answers no path, opens it once by id, deletes it on close', async () => {
    const r = await post(uploadPath('../../etc/tls12-rsa.pcap'), capture);
    expect(r.status).toBe(200);
    const answer = JSON.parse(r.body) as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual(['bytes', 'fileName', 'id']);
    expect(answer).toMatchObject({ fileName: 'tls12-rsa.pcap', bytes: capture.length });
    expect(r.body).not.toContain(privateTempRoot());
    const files = uploadedFiles();
    expect(files).toHaveLength(1);
    expect(files[0]!.endsWith('/tls12-rsa.pcap')).toBe(true);
    expect(statSync(files[0]!).mode & 0o777).toBe(0o600);
    expect(readFileSync(files[0]!).equals(capture)).toBe(true);

    const open = (id: unknown) => rpc(server, 'host:open-upload' as never, { id } as never) as Promise<SessionInfo>;
    const info = await open(answer['id']);
    expect(info.fileName).toBe('tls12-rsa.pcap');
    await expect(open(answer['id'])).rejects.toThrow('an upload not opened yet');
    await expect(open('../../etc/passwd')).rejects.toThrow('an upload not opened yet');
    for (let i = 0; i < 100; i++) {
      if (!(await rpc(server, 'sessionInfo', { session: info.session })).loading) break;
      await new Promise((ok) => setTimeout(ok, 50));
    }
    expect((await rpc(server, 'sessionInfo', { session: info.session })).packets).toBe(34);
    await rpc(server, 'closeSession', { session: info.session });
    expect(existsSync(files[0]!)).toBe(false);
  });

  it('deletes uploads not yet opened when the server stops', async () => {
    const other = await serve(undefined, { maxUploadBytes: LIMIT });
    const r = await new Promise<number>((ok, fail) => {
      const req = request(
        { host: '127.0.0.1', port: other.port, method: 'POST', path: `/upload?token=${other.token}&name=x.pcap`, headers: { host: `127.0.0.1:${other.port}`, origin: `http://127.0.0.1:${other.port}`, 'content-type': 'application/octet-stream' } },
        (res) => (res.resume(), ok(res.statusCode ?? 0)),
      );
      req.on('error', fail);
      req.end(capture);
    });
    expect(r).toBe(200);
    const kept = uploadedFiles().filter((f) => f.endsWith('/x.pcap'));
    expect(kept).toHaveLength(1);
    await other.close();
    expect(existsSync(kept[0]!)).toBe(false);
  });
});
