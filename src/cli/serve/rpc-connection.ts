// One browser-mode WebSocket: its requests are parsed, limited and answered here. A client gets a
// bounded number of calls in flight and queued, and a slow reader stops being fed (replies wait,
// events coalesce to the latest per session) until its socket drains, so no one client can make the
// server hold unbounded memory.

import type { WebSocket } from 'ws';
import type { WsReply, WsRequest } from '../../shared/bridge';

export interface ConnectionLimits {
  /** Calls of this connection the engine works on at once. */
  maxInFlight: number;
  /** Calls waiting behind those; more are refused with a BusyError. */
  maxQueued: number;
  /** Bytes buffered for the socket above which nothing more is started or sent. */
  highWaterBytes: number;
}

export const defaultConnectionLimits: ConnectionLimits = { maxInFlight: 8, maxQueued: 64, highWaterBytes: 16 << 20 };

export class BusyError extends Error {
  override name = 'BusyError';
}

type Answer = (req: WsRequest) => Promise<unknown>;

export class RpcConnection {
  private inFlight = 0;
  private readonly queue: WsRequest[] = [];
  /** Events held back while the socket is full: the latest per event and session. */
  private readonly heldEvents = new Map<string, string>();

  constructor(
    private readonly ws: WebSocket,
    private readonly answer: Answer,
    private readonly limits: ConnectionLimits = defaultConnectionLimits,
  ) {
    // Protocol errors (oversized or unmasked frames, bad UTF-8, reserved opcodes or bits, bad close
    // codes): ws has already sent the close frame with the right code (RFC 6455 §7.4.1). Without a
    // listener the 'error' event would throw and end the process.
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
  }

  /** An engine event for this client. */
  event(name: string, payload: unknown): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const text = JSON.stringify({ event: name, payload });
    if (this.full()) {
      this.heldEvents.set(`${name}\0${sessionOf(payload)}`, text);
      return;
    }
    this.ws.send(text, () => this.pump());
  }

  private full(): boolean {
    return this.ws.bufferedAmount >= this.limits.highWaterBytes;
  }

  private receive(data: unknown, isBinary: boolean): void {
    if (isBinary) return this.ws.close(1003, 'text frames only');
    let req: WsRequest;
    try {
      req = JSON.parse(String(data)) as WsRequest;
      if (typeof req !== 'object' || req === null || !Number.isSafeInteger(req.id) || typeof req.method !== 'string') throw new Error('bad message');
    } catch {
      return this.ws.close(1007, 'malformed request');
    }
    if (this.inFlight + this.queue.length >= this.limits.maxInFlight + this.limits.maxQueued) {
      const err = new BusyError(`too many requests at once on this connection (${this.limits.maxInFlight + this.limits.maxQueued}); wait for answers first`);
      this.reply({ id: req.id, ok: false, error: { name: err.name, message: err.message } });
      return;
    }
    this.queue.push(req);
    this.pump();
  }

  /** Starts queued calls while there is room, and sends held events once the socket drained. */
  private pump(): void {
    if (this.full()) return;
    for (const [key, text] of this.heldEvents) {
      this.heldEvents.delete(key);
      this.ws.send(text, () => this.pump());
      if (this.full()) return;
    }
    while (this.inFlight < this.limits.maxInFlight && this.queue.length > 0 && !this.full()) this.start(this.queue.shift()!);
  }

  private start(req: WsRequest): void {
    this.inFlight++;
    let answer: Promise<unknown>;
    try {
      answer = this.answer(req);
    } catch (err) {
      answer = Promise.reject(err);
    }
    answer
      .then(
        (value) => this.reply({ id: req.id, ok: true, value }),
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err));
          this.reply({ id: req.id, ok: false, error: { name: e.name, message: e.message } });
        },
      )
      .finally(() => {
        this.inFlight--;
        this.pump();
      });
  }

  private reply(reply: WsReply): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(reply);
    } catch (err) {
      text = JSON.stringify({ id: reply.id, ok: false, error: { name: 'Error', message: `the answer could not be sent: ${err instanceof Error ? err.message : String(err)}` } });
    }
    this.ws.send(text, () => this.pump());
  }
}

function sessionOf(payload: unknown): string {
  const s = typeof payload === 'object' && payload !== null ? (payload as { session?: unknown }).session : undefined;
  return typeof s === 'string' ? s : '';
}
