// Browser mode (`wireladder serve`): the built renderer over HTTP and the RPC contract over a
// WebSocket at /rpc, both on 127.0.0.1 only and both behind the printed token.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, createReadStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WorkerClient } from '../../core/service/worker-client';
import type { SaveResult, SessionInfo } from '../../core/service/dto';
import { isEngineMethod, type HostInfo } from '../../shared/api';
import type { BrowserSaveResult, WsReply, WsRequest } from '../../shared/bridge';
import { ArgumentError, validateArg } from '../../shared/validate';
import { RequestGuard } from './guard';
import { securityHeaders, sendStatic } from './static-files';

export interface ServeOptions {
  /** Capture to open; without it the bundled sample (if `samplePath` exists). */
  file?: string;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The built engine worker (out/engine/engine-worker.js). */
  workerPath: string;
  samplePath?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  /** The session the server opened (FILE or the sample), or null. */
  initialSession: SessionInfo | null;
  close(): Promise<void>;
}

class AccessError extends Error {
  override name = 'AccessError';
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = randomBytes(24).toString('base64url');
  const rendererDir = resolve(opts.rendererDir);
  const engine = new WorkerClient(resolve(opts.workerPath), { samplePath: opts.samplePath });
  const granted = new Set<string>();
  const downloads = new Map<string, { path: string; fileName: string }>();
  const saveDir = mkdtempSync(join(tmpdir(), 'wireladder-serve-'));
  let port = 0;
  const guard = new RequestGuard(token, () => port);

  let initialSession: SessionInfo | null = null;
  try {
    if (opts.file !== undefined) {
      const path = resolve(opts.file);
      granted.add(path);
      initialSession = (await engine.call('openFile', { path })) as SessionInfo;
    } else if (opts.samplePath !== undefined) {
      initialSession = (await engine.call('openSample', {})) as SessionInfo;
    }
  } catch (err) {
    await engine.terminate();
    throw err;
  }

  const hostInfo = (): HostInfo => ({ transport: 'browser', nativeDialogs: false, initialSession: initialSession?.session ?? null, platform: process.platform });

  async function answer(req: WsRequest): Promise<unknown> {
    if (req.method === 'host:info') return hostInfo();
    if (req.method === 'host:save-capture') return saveCapture(req.arg);
    if (!isEngineMethod(req.method)) throw new ArgumentError(`unknown method ${String(req.method)}`);
    const arg = validateArg(req.method, req.arg);
    // The browser names no files: it sees the capture it was started with (and the sample).
    if (req.method === 'openFile' && !granted.has(resolve((arg as { path: string }).path))) {
      throw new AccessError('browser mode opens only the file given to `wireladder serve FILE`');
    }
    if (req.method === 'saveAs') throw new AccessError('in browser mode, save through the Save button (a download)');
    return engine.call(req.method, arg);
  }

  async function saveCapture(arg: unknown): Promise<BrowserSaveResult> {
    const session = (arg as { session?: unknown } | null)?.session;
    if (typeof session !== 'string' || session.length > 64) throw new ArgumentError('host:save-capture needs { session }');
    const info = (await engine.call('sessionInfo', { session })) as SessionInfo;
    const fileName = `${info.fileName.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '')}${info.annotations > 0 ? '-annotated' : ''}.pcapng`;
    const id = randomBytes(12).toString('base64url');
    const path = join(saveDir, `${id}.pcapng`);
    const result = (await engine.call('saveAs', { session, path })) as SaveResult;
    downloads.set(id, { path, fileName });
    return { url: `/download/${id}?token=${encodeURIComponent(token)}`, fileName, result: { ...result, path: fileName } };
  }

  const server = createServer((req, res) => void handleHttp(req, res));

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const deny = (status: number, text: string): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders(port) });
      res.end(text);
    };
    if (!guard.hostAllowed(req) || !guard.originAllowed(req, false)) return deny(403, 'forbidden');
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(405, 'method not allowed');
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!guard.tokenAllowed(req)) return deny(403, 'forbidden: open the URL `wireladder serve` printed (it carries the token)');
      if (!(await sendStatic(rendererDir, 'index.html', res, port))) deny(500, 'the renderer is not built: run `npm run build`');
      return;
    }
    if (url.pathname.startsWith('/download/')) {
      if (!guard.tokenAllowed(req)) return deny(403, 'forbidden');
      const d = downloads.get(url.pathname.slice('/download/'.length));
      if (d === undefined) return deny(404, 'not found');
      res.writeHead(200, {
        'content-type': 'application/vnd.tcpdump.pcap',
        'content-disposition': `attachment; filename="${basename(d.fileName).replace(/["\\\r\n]/g, '_')}"`,
        ...securityHeaders(port),
      });
      createReadStream(d.path).pipe(res);
      return;
    }
    // The bundle's scripts and styles hold nothing secret; the Host check above still applies.
    if (url.pathname.startsWith('/assets/') && (await sendStatic(rendererDir, url.pathname, res, port))) return;
    deny(404, 'not found');
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/rpc' || !guard.hostAllowed(req) || !guard.originAllowed(req, true) || !guard.tokenAllowed(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text frames only');
      let req: WsRequest;
      try {
        req = JSON.parse(data.toString()) as WsRequest;
        if (typeof req !== 'object' || req === null || typeof req.id !== 'number' || typeof req.method !== 'string') throw new Error('bad message');
      } catch {
        return ws.close(1007, 'malformed request');
      }
      answer(req).then(
        (value) => send(ws, { id: req.id, ok: true, value }),
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err));
          send(ws, { id: req.id, ok: false, error: { name: e.name, message: e.message } });
        },
      );
    });
  }

  const stopEvents = engine.onEvent((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    initialSession,
    async close() {
      stopEvents();
      for (const c of wss.clients) c.terminate();
      wss.close();
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await closed;
      await engine.terminate();
      rmSync(saveDir, { recursive: true, force: true });
    },
  };
}

function send(ws: WebSocket, reply: WsReply): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
}
