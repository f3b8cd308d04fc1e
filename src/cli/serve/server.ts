// Browser mode (`wireladder serve`): the built renderer over HTTP and the RPC contract over a
// WebSocket at /rpc, both on 127.0.0.1 only and both behind the printed token.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { EngineSupervisor } from '../../core/service/engine-supervisor';
import type { SaveResult, SessionInfo } from '../../core/service/dto';
import { isEngineMethod, type HostInfo } from '../../shared/api';
import type { BrowserSaveResult, WsRequest } from '../../shared/bridge';
import { ArgumentError, validateArg } from '../../shared/validate';
import { Downloads } from './downloads';
import { Uploads } from './uploads';
import { RequestGuard } from './guard';
import { parseRequestTarget } from './request-target';
import { defaultConnectionLimits, RpcConnection, type ConnectionLimits } from './rpc-connection';
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
  /** Where unexpected errors are reported (default: stderr). */
  log?: (line: string) => void;
  /** Per-connection limits (calls in flight and queued, buffered bytes). */
  limits?: ConnectionLimits;
  /** WebSocket connections at once; more are refused with 503. */
  maxConnections?: number;
  /** Captures open at once in the engine (files and live captures). */
  maxSessions?: number;
  /** The largest capture the page may upload to open (bytes). */
  maxUploadBytes?: number;
  /** Analysis threads per capture (EngineServiceOptions.workers). */
  workers?: number;
}

/** Browser mode is one user's tabs: a handful of connections and open captures is plenty. */
const MAX_CONNECTIONS = 8;
const MAX_SESSIONS = 16;

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  /** The session the server opened (FILE or the sample), or null. */
  initialSession: SessionInfo | null;
  /** The engine worker and what it holds (tests stop its worker to see the app survive). */
  engine: EngineSupervisor;
  close(): Promise<void>;
}

class AccessError extends Error {
  override name = 'AccessError';
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = randomBytes(24).toString('base64url');
  const rendererDir = resolve(opts.rendererDir);
  const log = opts.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const engine = new EngineSupervisor(resolve(opts.workerPath), { samplePath: opts.samplePath, maxSessions: opts.maxSessions ?? MAX_SESSIONS, workers: opts.workers });
  const granted = new Set<string>();
  const downloads = new Downloads();
  const uploads = new Uploads(opts.maxUploadBytes);
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
    downloads.close();
    uploads.close();
    throw err;
  }

  const hostInfo = (): HostInfo => ({ transport: 'browser', nativeDialogs: false, initialSession: initialSession?.session ?? null, platform: process.platform });

  async function answer(req: WsRequest): Promise<unknown> {
    if (req.method === 'host:info') return hostInfo();
    if (req.method === 'host:save-capture') return saveCapture(req.arg);
    if (req.method === 'host:reopen') return reopen(req.arg);
    if (req.method === 'host:open-upload') return openUpload(req.arg);
    if (!isEngineMethod(req.method)) throw new ArgumentError(`unknown method ${String(req.method)}`);
    const arg = validateArg(req.method, req.arg);
    // The browser names no files: it sees the capture it was started with (and the sample).
    if (req.method === 'openFile' && !granted.has(resolve((arg as { path: string }).path))) {
      throw new AccessError('browser mode opens only the file given to `wireladder serve FILE`');
    }
    if (req.method === 'saveAs') throw new AccessError('in browser mode, save through the Save button (a download)');
    // Key files come as uploads of their contents (addTlsKeyText): the page names no paths.
    if (req.method === 'addTlsKeyFile') throw new AccessError('in browser mode, load key files through the Keys dialog (an upload)');
    const value = await engine.call(req.method, arg);
    // An uploaded capture's private copy goes with its session.
    if (req.method === 'closeSession') uploads.closed((arg as { session: string }).session);
    return value;
  }

  /** Opens a capture the page uploaded (uploads.ts), by the id the upload answered. */
  async function openUpload(arg: unknown): Promise<SessionInfo> {
    const id = (arg as { id?: unknown } | null)?.id;
    const path = uploads.take(id);
    if (path === null) throw new ArgumentError('host:open-upload needs the id of an upload not opened yet');
    granted.add(path);
    const info = (await engine.call('openFile', { path })) as SessionInfo;
    uploads.opened(id as string, info.session);
    return info;
  }

  /** After the engine stopped: the session's capture again, in a fresh worker; it becomes the tab's. */
  async function reopen(arg: unknown): Promise<SessionInfo> {
    const session = (arg as { session?: unknown } | null)?.session;
    if (typeof session !== 'string' || session.length > 64) throw new ArgumentError('host:reopen needs { session }');
    if (!engine.canReopen(session)) throw new AccessError('this capture cannot be opened again here');
    const info = await engine.reopen(session);
    if (initialSession?.session === session) initialSession = info;
    return info;
  }

  async function saveCapture(arg: unknown): Promise<BrowserSaveResult> {
    const session = (arg as { session?: unknown } | null)?.session;
    if (typeof session !== 'string' || session.length > 64) throw new ArgumentError('host:save-capture needs { session }');
    const embed = (arg as { embedKeys?: unknown }).embedKeys;
    if (embed !== undefined && typeof embed !== 'boolean') throw new ArgumentError('host:save-capture: embedKeys must be true or false');
    const embedKeys = embed === true;
    // Export Specified Packets: { session, packets } with a checked packet range.
    const packets = (arg as { packets?: unknown }).packets === undefined ? undefined : validateArg('rangeCount', { session, packets: (arg as { packets: unknown }).packets }).packets;
    const info = (await engine.call('sessionInfo', { session })) as SessionInfo;
    const stem = info.fileName.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '');
    const fileName = packets !== undefined ? `${stem}-export.pcapng` : `${stem}${embedKeys ? '-keys' : info.annotations > 0 ? '-annotated' : ''}.pcapng`;
    const { id, path } = downloads.reserve();
    const result = (await engine.call('saveAs', { session, path, ...(embedKeys ? { embedKeys } : {}), ...(packets !== undefined ? { packets } : {}) })) as SaveResult;
    downloads.add(id, path, fileName);
    return { url: `/download/${id}?token=${encodeURIComponent(token)}`, fileName, result: { ...result, path: fileName } };
  }

  // A handler that throws must still answer (500) and never end the process.
  const server = createServer((req, res) => {
    handleHttp(req, res).catch((err: unknown) => {
      log(`wireladder serve: error answering ${String(req.method)} request: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) deny(res, 500, 'internal error');
      else res.destroy();
    });
  });

  function deny(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders(port) });
    res.end(text);
  }

  /** POST /upload?token=…&name=FILE: a capture from the page (file picker, drop) to open. */
  function receiveUpload(req: IncomingMessage, res: ServerResponse): void {
    const target = parseRequestTarget(req.url);
    // Only the page itself uploads: its Origin (which a form on another site cannot fake) and the token.
    if (target === null || target.path !== '/upload') return void (req.resume(), deny(res, 405, 'method not allowed'));
    if (!guard.originAllowed(req, true) || !guard.tokenAllowed(target.query)) return void (req.resume(), deny(res, 403, 'forbidden'));
    uploads.receive(req, res, target.query.get('name'), securityHeaders(port));
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!guard.hostAllowed(req) || !guard.originAllowed(req, false)) return deny(res, 403, 'forbidden');
    if (req.method === 'POST') return receiveUpload(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'method not allowed');
    // Decoded and normalised once, before routing: '/assets/..%2findex.html' is '/index.html'.
    const target = parseRequestTarget(req.url);
    if (target === null) return deny(res, 400, 'bad request');
    const { path, query } = target;
    if (path === '/' || path === '/index.html') {
      if (!guard.tokenAllowed(query)) return deny(res, 403, 'forbidden: open the URL `wireladder serve` printed (it carries the token)');
      if (!(await sendStatic(rendererDir, 'index.html', res, port))) deny(res, 500, 'the renderer is not built: run `npm run build`');
      return;
    }
    if (path.startsWith('/download/')) {
      if (!guard.tokenAllowed(query)) return deny(res, 403, 'forbidden');
      if (!downloads.send(path.slice('/download/'.length), res, securityHeaders(port))) deny(res, 404, 'not found');
      return;
    }
    // The bundle's scripts and styles hold nothing secret; the Host check above still applies.
    if (path.startsWith('/assets/') && (await sendStatic(rendererDir, path, res, port))) return;
    deny(res, 404, 'not found');
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const connections = new Map<WebSocket, RpcConnection>();
  const maxConnections = opts.maxConnections ?? MAX_CONNECTIONS;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the raw socket over without its error listener: a reset would otherwise throw.
    socket.on('error', () => socket.destroy());
    const refuse = (status: string): void => void socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    try {
      // Who is asking first, then what they ask for: nothing is parsed for a foreign Host or Origin.
      if (!guard.hostAllowed(req) || !guard.originAllowed(req, true)) return refuse('403 Forbidden');
      const target = parseRequestTarget(req.url);
      if (target === null) return refuse('400 Bad Request');
      if (target.path !== '/rpc' || !guard.tokenAllowed(target.query)) return refuse('403 Forbidden');
      if (connections.size >= maxConnections) return refuse('503 Service Unavailable');
      wss.handleUpgrade(req, socket, head, (ws) => {
        connections.set(ws, new RpcConnection(ws, answer, opts.limits ?? defaultConnectionLimits));
        ws.on('close', () => connections.delete(ws));
      });
    } catch (err) {
      log(`wireladder serve: error answering an upgrade request: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      socket.destroy();
    }
  });

  const stopEvents = engine.onEvent((event, payload) => {
    for (const c of connections.values()) c.event(event, payload);
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
    engine,
    async close() {
      // Sessions first: a live capture's temporary file is deleted when its session closes.
      const open = (await engine.call('listSessions', {}).catch(() => [])) as SessionInfo[];
      for (const s of open) {
        if (s.unsavedCapture) log(`wireladder serve: discarding the unsaved live capture ${s.fileName}`);
        await engine.call('closeSession', { session: s.session }).catch(() => undefined);
      }
      stopEvents();
      for (const c of wss.clients) c.terminate();
      wss.close();
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await closed;
      await engine.terminate();
      downloads.close();
      uploads.close();
    },
  };
}
