// Runs one real HTTP/2 connection (node:http2, nghttp2) between a client and a server joined by the
// in-memory wire, over cleartext TCP (h2c, prior knowledge) or over node:tls with ALPN h2, and
// records every byte each side wrote, in order, plus the TLS key log.

import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import http2, { type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { SamplePki } from './certificates';
import { Wire, type WireWrite } from './tls-conversation';

export interface H2ConversationSpec {
  /** null: h2c with prior knowledge (RFC 9113 §3.3); else TLS with ALPN h2 and this PKI. */
  tls: { pki: SamplePki; serverName: string } | null;
  authority: string;
  /** The Date header the server sends (fixed, so regenerating keeps the bytes). */
  date: string;
}

export interface H2Exchange {
  stream: number;
  method: string;
  path: string;
  status: number | null;
  /** How the exchange ended: 'complete', or the RST_STREAM error code name. */
  outcome: string;
}

export interface RecordedH2Conversation {
  writes: WireWrite[];
  keyLog: string[];
  exchanges: H2Exchange[];
}

/** Deterministic page text: enough words that the gzip-coded HTML is a few kilobytes. */
function htmlPage(): string {
  const words = ['multiplexed', 'streams', 'share', 'one', 'connection', 'and', 'HPACK', 'compresses', 'every', 'header', 'block', 'while', 'flow', 'control', 'paces', 'DATA', 'frames'];
  const paragraphs: string[] = [];
  let seed = 7;
  for (let p = 0; p < 60; p++) {
    const line: string[] = [];
    for (let w = 0; w < 24; w++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      line.push(words[seed % words.length]!);
    }
    paragraphs.push(`<p id="p${p}">${line.join(' ')}.</p>`);
  }
  return ['<!doctype html>', '<html lang="en">', '<head><meta charset="utf-8"><title>HTTP/2 sample</title><link rel="stylesheet" href="/style.css"></head>', '<body>', '<h1>Hello over HTTP/2</h1>', ...paragraphs, '</body>', '</html>', ''].join('\n');
}

function styleSheet(): string {
  const rules: string[] = [];
  for (let i = 0; i < 40; i++) rules.push(`#p${i} { margin: ${i % 7}px 0; color: #${((i * 2654435761) >>> 8).toString(16).slice(0, 6).padStart(6, '0')}; }`);
  return `body { font-family: sans-serif; }\n${rules.join('\n')}\n`;
}

/** A body larger than the initial flow-control window (65,535): DATA frames wait for WINDOW_UPDATE. */
function largeBody(): Uint8Array {
  const out = new Uint8Array(100_000);
  let x = 0x9e3779b9;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function readBody(stream: ClientHttp2Stream | ServerHttp2Stream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (c: Buffer) => parts.push(c));
    stream.once('end', () => resolve(Buffer.concat(parts)));
    stream.once('error', reject);
  });
}

/** The server's side of each path. */
function serve(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, date: string, wireEndThink: (ms: number) => void): void {
  const path = headers[':path'];
  const base: OutgoingHttpHeaders = { date, server: 'wireladder-sample' };
  wireEndThink(1.2);
  switch (path) {
    case '/':
      stream.respond({ ':status': 200, ...base, 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip', 'cache-control': 'no-cache' });
      stream.end(gzipSync(htmlPage(), { level: 9 }));
      return;
    case '/style.css':
      stream.respond({ ':status': 200, ...base, 'content-type': 'text/css', 'content-encoding': 'br' });
      stream.end(brotliCompressSync(styleSheet()));
      return;
    case '/api/login':
      void readBody(stream).then((body) => {
        const answer = JSON.stringify({ ok: true, received: body.length, user: 'sample' });
        stream.respond({ ':status': 200, ...base, 'content-type': 'application/json', 'content-encoding': 'deflate', 'set-cookie': 'session=3f2a9c; Path=/; HttpOnly' });
        stream.end(deflateSync(answer));
      });
      return;
    case '/large': {
      const body = largeBody();
      stream.respond({ ':status': 200, ...base, 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
      stream.end(body);
      return;
    }
    case '/events':
      // Never ends: the client resets the stream (RST_STREAM CANCEL).
      stream.respond({ ':status': 200, ...base, 'content-type': 'text/event-stream' });
      stream.write('data: first event\n\n');
      return;
    case '/refused':
      // RFC 9113 §8.7: REFUSED_STREAM says the request was not processed and may be retried.
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    case '/after-settings':
      stream.respond({ ':status': 200, ...base, 'content-type': 'text/plain; charset=utf-8' });
      stream.end('The header table is 256 bytes now: this header block began with a size update.\n');
      return;
    default:
      stream.respond({ ':status': 404, ...base, 'content-type': 'text/plain' });
      stream.end('not found\n');
  }
}

/** Records one connection: the client session runs on the raw wire end (h2c) or on TLS over it. */
export async function recordH2Conversation(spec: H2ConversationSpec): Promise<RecordedH2Conversation> {
  const wire = new Wire();
  const [clientEnd, serverEnd] = wire.ends;
  const keyLog: string[] = [];
  const exchanges: H2Exchange[] = [];

  const onStream = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void => {
    stream.on('error', () => undefined); // resets are part of the script
    serve(stream, headers, spec.date, (ms) => (serverEnd.thinkMs = ms));
  };
  const server = spec.tls === null
    ? http2.createServer({ settings: { maxConcurrentStreams: 100 } })
    : http2.createSecureServer({ key: spec.tls.pki.server.key, cert: spec.tls.pki.server.cert, ALPNProtocols: ['h2'], minVersion: 'TLSv1.3', settings: { maxConcurrentStreams: 100 } });
  server.on('stream', onStream);
  let serverSession: http2.ServerHttp2Session | null = null;
  server.on('session', (s: http2.ServerHttp2Session) => {
    serverSession = s;
  });
  server.emit('connection', serverEnd);

  let socket: Duplex = clientEnd;
  if (spec.tls !== null) {
    const t = tlsConnect({ socket: clientEnd, servername: spec.tls.serverName, ALPNProtocols: ['h2'], ca: spec.tls.pki.ca.cert, minVersion: 'TLSv1.3' });
    t.on('keylog', (line: Buffer) => keyLog.push(line.toString('latin1').trimEnd()));
    socket = t;
  }
  const scheme = spec.tls === null ? 'http' : 'https';
  const session: ClientHttp2Session = http2.connect(`${scheme}://${spec.authority}`, {
    createConnection: () => socket,
    settings: { enablePush: false, initialWindowSize: 65535 },
  });
  session.on('error', () => undefined);

  const request = (headers: OutgoingHttpHeaders, body: string | null, cancelAfterHeaders = false): Promise<void> =>
    new Promise((resolve) => {
      const req = session.request({ ':method': body === null ? 'GET' : 'POST', ':authority': spec.authority, ...headers }, { endStream: body === null });
      const ex: H2Exchange = { stream: -1, method: body === null ? 'GET' : 'POST', path: String(headers[':path']), status: null, outcome: 'complete' };
      exchanges.push(ex);
      req.on('response', (h: IncomingHttpHeaders) => {
        ex.status = Number(h[':status']);
        if (cancelAfterHeaders) {
          clientEnd.thinkMs = 2;
          req.close(http2.constants.NGHTTP2_CANCEL);
        }
      });
      req.on('data', () => undefined);
      req.once('close', () => {
        ex.stream = req.id ?? -1;
        if (req.rstCode !== undefined && req.rstCode !== 0) ex.outcome = req.rstCode === http2.constants.NGHTTP2_CANCEL ? 'CANCEL' : req.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM ? 'REFUSED_STREAM' : String(req.rstCode);
        resolve();
      });
      req.on('error', () => undefined);
      if (body !== null) req.end(body);
    });

  const conversation = (async () => {
    // Streams 1 and 3 in flight together: one connection, two multiplexed exchanges.
    await Promise.all([
      request({ ':path': '/', accept: 'text/html', 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'wireladder-sample/1.0' }, null),
      request({ ':path': '/style.css', accept: 'text/css', 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'wireladder-sample/1.0' }, null),
    ]);
    // A credential sent as a never-indexed literal (RFC 7541 §6.2.3): intermediaries must not index it.
    await request(
      { ':path': '/api/login', 'content-type': 'application/json', authorization: 'Bearer c2FtcGxlLXRva2Vu', 'accept-encoding': 'deflate', [http2.sensitiveHeaders]: ['authorization'] },
      JSON.stringify({ user: 'sample', remember: true }),
    );
    await request({ ':path': '/large', accept: '*/*' }, null);
    await request({ ':path': '/events', accept: 'text/event-stream' }, null, true);
    await request({ ':path': '/refused' }, null);
    await new Promise<void>((resolve) => session.ping(Buffer.from('wladder!'), () => resolve()));
    // SETTINGS_HEADER_TABLE_SIZE lowered: the server's next header block opens with a dynamic
    // table size update (RFC 7541 §4.2, §6.3).
    await new Promise<void>((resolve) => session.settings({ headerTableSize: 256 }, () => resolve()));
    await request({ ':path': '/after-settings', accept: 'text/plain' }, null);
    // The server says goodbye: GOAWAY naming the last stream it processed, then both close.
    const gone = new Promise<void>((resolve) => session.once('goaway', () => resolve()));
    serverEnd.thinkMs = 3;
    serverSession!.goaway(http2.constants.NGHTTP2_NO_ERROR, 0, Buffer.from('sample finished'));
    await gone;
    session.close();
    serverSession!.close();
  })();
  const state: { outcome: 'running' | 'done' | Error } = { outcome: 'running' };
  conversation.then(
    () => (state.outcome = 'done'),
    (err: unknown) => (state.outcome = err instanceof Error ? err : new Error(String(err))),
  );
  await wire.run();
  await new Promise((resolve) => setImmediate(resolve));
  server.close();
  if (state.outcome instanceof Error) throw state.outcome;
  if (state.outcome !== 'done') throw new Error(`the ${spec.tls === null ? 'h2c' : 'h2'} conversation stalled with nothing left to deliver`);
  return { writes: wire.log, keyLog, exchanges };
}
