// Runs one real TLS connection (node:tls, OpenSSL) between a client and a server joined by an
// in-memory wire, and records every byte each side wrote, in order, what each write answered, and
// the key log.

import { X509Certificate } from 'node:crypto';
import { Duplex } from 'node:stream';
import { connect, createServer, type SecureVersion, type TLSSocket } from 'node:tls';
import type { SamplePki } from './certificates';

export type Side = 0 | 1;
export const CLIENT: Side = 0;
export const SERVER: Side = 1;

/** One write of one side onto the wire: TLS bytes, or the end of its stream (a TCP FIN). */
export interface WireWrite {
  side: Side;
  /** null: the side shut down its sending direction. */
  bytes: Uint8Array | null;
  /**
   * The last write of the other side this side had received when it wrote this (null: none yet).
   * The timing puts this write after that one's arrival: it is what the write may be answering.
   */
  after: WireWrite | null;
  /** Milliseconds the side spent before this write beyond its usual processing (application work). */
  thinkMs: number;
}

export interface ConversationSpec {
  minVersion: SecureVersion;
  maxVersion: SecureVersion;
  /** Server cipher list (OpenSSL names, TLS 1.2 and below); the client offers its defaults. */
  serverCiphers?: string;
  mutualAuth: boolean;
  serverName: string;
  alpn: string;
  request: string;
  /** Builds the response from what the server learnt about the connection. */
  respond: (info: ConnectionFacts) => string;
  /** Milliseconds the server "spends" producing the response (only shapes the timestamps). */
  serverThinkMs: number;
  /** Server OpenSSL options (e.g. SSL_OP_NO_ENCRYPT_THEN_MAC) and groups. */
  serverSecureOptions?: number;
  serverEcdhCurve?: string;
  /** Client groups, in order (the first gets a TLS 1.3 key share). */
  clientEcdhCurve?: string;
  /** A session of an earlier conversation to resume (TLS 1.2 session id or ticket, TLS 1.3 PSK). */
  clientSession?: Buffer;
  /** The server's ticket keys (48 bytes): the same for both conversations of a resumption sample. */
  serverTicketKeys?: Buffer;
}

export interface ConnectionFacts {
  protocol: string;
  cipher: string;
  alpn: string;
  serverName: string;
  clientSubject: string | null;
}

export interface RecordedConversation {
  writes: WireWrite[];
  /** NSS key log lines (without newlines), in the order the client logged them. */
  keyLog: string[];
  facts: ConnectionFacts;
  /** The client's session for a later resumption (the last one the server gave). */
  session: Buffer | null;
}

/**
 * The wire between the two ends, run as a discrete-event network: a write is queued, and the
 * next queued write is delivered only once both TLS engines and the application code have done
 * everything the previous delivery made them do. So every write knows exactly which delivery it
 * followed (`after`), whatever order Node's event loop happens to run callbacks in.
 */
export class Wire {
  readonly log: WireWrite[] = [];
  readonly ends: [WireEnd, WireEnd];
  /** The last write delivered to each side. */
  readonly received: [WireWrite | null, WireWrite | null] = [null, null];
  private readonly queue: WireWrite[] = [];
  /** Bumped by every write, so run() can tell when things have gone quiet. */
  activity = 0;

  constructor() {
    this.ends = [new WireEnd(this, CLIENT), new WireEnd(this, SERVER)];
  }

  send(w: WireWrite): void {
    this.log.push(w);
    this.queue.push(w);
  }

  /** Delivers queued writes one at a time, letting everything settle in between, until none are left. */
  async run(): Promise<void> {
    for (;;) {
      await this.settle();
      const w = this.queue.shift();
      if (w === undefined) return;
      const to: Side = w.side === CLIENT ? SERVER : CLIENT;
      this.received[to] = w;
      this.ends[to].push(w.bytes); // null ends the peer's readable side
    }
  }

  /**
   * Waits until several turns of the event loop pass without a write. TLS work is synchronous,
   * but Node hands results on through nextTick, microtasks and immediates (the handshake-done
   * callback among them); none of it waits for a timer.
   */
  private async settle(): Promise<void> {
    let quiet = 0;
    let seen = this.activity;
    while (quiet < 10) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.activity !== seen || this.ends.some((e) => e.batching)) {
        seen = this.activity;
        quiet = 0;
      } else quiet++;
    }
  }
}

/**
 * One end of the wire, the Duplex a TLS socket is layered on. The chunks one turn of the event
 * loop writes are one entry: TLS hands its output over in buffer-sized pieces (a flight may come
 * as several), and a TCP stack would send them together too.
 */
export class WireEnd extends Duplex {
  /** Application time the next write costs (set by the driver before an application write). */
  thinkMs = 0;
  private batch: { entry: WireWrite; parts: Uint8Array[] } | null = null;

  constructor(
    private readonly wire: Wire,
    private readonly side: Side,
  ) {
    super();
  }

  get batching(): boolean {
    return this.batch !== null;
  }

  override _read(): void {
    // The wire pushes deliveries; nothing to pull.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.wire.activity++;
    if (this.batch === null) {
      const entry = this.entry(new Uint8Array(0));
      this.batch = { entry, parts: [] };
      setImmediate(() => {
        const { parts } = this.batch!;
        this.batch = null;
        entry.bytes = Buffer.concat(parts);
        this.wire.send(entry);
      });
    }
    this.batch.parts.push(Uint8Array.from(chunk));
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.wire.activity++;
    const fin = this.entry(null);
    // After any batch still open, so the FIN follows the data written before it.
    setImmediate(() => this.wire.send(fin));
    callback();
  }

  private entry(bytes: Uint8Array | null): WireWrite {
    const thinkMs = this.thinkMs;
    this.thinkMs = 0;
    return { side: this.side, bytes, after: this.wire.received[this.side], thinkMs };
  }
}

function once<T>(emitter: NodeJS.EventEmitter, event: string, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(new Error(`${what}: ${err.message}`, { cause: err }));
    emitter.once('error', onError);
    emitter.once(event, (value: T) => {
      emitter.off('error', onError);
      resolve(value);
    });
  });
}

/** Reads from a TLS socket until `complete` says the bytes so far form a whole message. */
function readMessage(socket: TLSSocket, complete: (text: string) => boolean, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onError = (err: Error): void => reject(new Error(`${what}: ${err.message}`, { cause: err }));
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      if (complete(text)) {
        socket.off('data', onData);
        socket.off('error', onError);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.once('error', onError);
  });
}

/** An HTTP/1.1 message is complete after its header and Content-Length bytes of body. */
function httpComplete(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const m = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end));
  return text.length >= end + 4 + (m === null ? 0 : Number(m[1]));
}

export async function recordConversation(pki: SamplePki, spec: ConversationSpec): Promise<RecordedConversation> {
  const wire = new Wire();
  const [clientEnd, serverEnd] = wire.ends;

  const server = createServer({
    key: pki.server.key,
    cert: pki.server.cert,
    ca: pki.ca.cert,
    minVersion: spec.minVersion,
    maxVersion: spec.maxVersion,
    ...(spec.serverCiphers !== undefined ? { ciphers: spec.serverCiphers } : {}),
    ...(spec.serverSecureOptions !== undefined ? { secureOptions: spec.serverSecureOptions } : {}),
    ...(spec.serverEcdhCurve !== undefined ? { ecdhCurve: spec.serverEcdhCurve } : {}),
    ...(spec.serverTicketKeys !== undefined ? { ticketKeys: spec.serverTicketKeys } : {}),
    requestCert: spec.mutualAuth,
    rejectUnauthorized: spec.mutualAuth,
    ALPNProtocols: [spec.alpn],
  });
  // The server answers one request, then closes when the client does. (A TLS socket inherits
  // allowHalfOpen from the stream it wraps, true for a Duplex, so its end is explicit.)
  let facts: ConnectionFacts | null = null;
  const served = new Promise<void>((resolve, reject) => {
    server.once('secureConnection', (socket: TLSSocket) => {
      if (spec.mutualAuth && !socket.authorized) {
        reject(new Error(`server did not accept the client certificate: ${String(socket.authorizationError)}`));
        return;
      }
      const peer = spec.mutualAuth ? socket.getPeerX509Certificate() : undefined;
      const f: ConnectionFacts = {
        protocol: socket.getProtocol() ?? '',
        cipher: socket.getCipher().standardName,
        alpn: socket.alpnProtocol === false ? '' : (socket.alpnProtocol ?? ''),
        serverName: (socket as TLSSocket & { servername?: string | false }).servername || '',
        clientSubject: peer instanceof X509Certificate ? peer.subject.split('\n').join(', ') : null,
      };
      facts = f;
      socket.once('end', () => socket.end());
      socket.once('close', () => resolve());
      readMessage(socket, httpComplete, 'server reading the request').then(() => {
        serverEnd.thinkMs = spec.serverThinkMs;
        socket.write(spec.respond(f));
      }, reject);
    });
    server.once('tlsClientError', (err: Error) => reject(new Error(`server handshake: ${err.message}`, { cause: err })));
  });
  served.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
  // net.Server documents injecting any Duplex through 'connection'; tls.Server wraps it in TLS.
  server.emit('connection', serverEnd);

  const keyLog: string[] = [];
  const client = connect({
    socket: clientEnd,
    servername: spec.serverName,
    ALPNProtocols: [spec.alpn],
    ca: pki.ca.cert,
    minVersion: spec.minVersion,
    maxVersion: spec.maxVersion,
    ...(spec.mutualAuth ? { key: pki.client.key, cert: pki.client.cert } : {}),
    ...(spec.clientEcdhCurve !== undefined ? { ecdhCurve: spec.clientEcdhCurve } : {}),
    ...(spec.clientSession !== undefined ? { session: spec.clientSession } : {}),
  });
  client.on('keylog', (line: Buffer) => keyLog.push(line.toString('latin1').trimEnd()));
  let session: Buffer | null = null;
  client.on('session', (s: Buffer) => (session = s));
  const conversation = (async () => {
    await once<void>(client, 'secureConnect', 'client handshake');
    if (!client.authorized) throw new Error(`client did not accept the server certificate: ${String(client.authorizationError)}`);
    // The request goes out as soon as the client's handshake is done (in TLS 1.3, right after its Finished).
    const response = readMessage(client, httpComplete, 'client reading the response');
    client.write(spec.request);
    await response;
    // The client closes first: close_notify, then its FIN; the server answers in kind.
    const closed = once<void>(client, 'close', 'client close');
    client.end();
    await Promise.all([closed, served]);
  })();
  const state: { outcome: 'running' | 'done' | Error } = { outcome: 'running' };
  conversation.then(
    () => (state.outcome = 'done'),
    (err: unknown) => (state.outcome = err instanceof Error ? err : new Error(String(err))),
  );
  await wire.run();
  await new Promise((resolve) => setImmediate(resolve)); // let the outcome land
  if (state.outcome instanceof Error) throw state.outcome;
  if (state.outcome !== 'done') throw new Error(`the ${spec.maxVersion} conversation stalled with nothing left to deliver`);
  if (facts === null) throw new Error('the server never completed its handshake');
  return { writes: wire.log, keyLog, facts, session: session ?? client.getSession() ?? null };
}
