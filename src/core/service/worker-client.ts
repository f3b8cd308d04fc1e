// The owner's side of the engine worker: a generic `call(method, arg)` over postMessage, plus the
// worker's events. It knows no method names; the transports validate before calling. A watchdog
// pings the worker while calls are waiting: a worker that stops answering (a runaway computation
// blocks its thread for every client) is terminated and replaced by a fresh one.

import { Worker } from 'node:worker_threads';
import type { CallMessage, FromWorker, PingMessage } from './worker-protocol';

export class EngineError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export interface WorkerClientOptions {
  /** How long the worker may leave a ping unanswered while calls wait before it is restarted. */
  unresponsiveMs?: number;
}

/** Long enough for the slowest legitimate synchronous work (a PNG of a very long ladder). */
export const DEFAULT_UNRESPONSIVE_MS = 20_000;

/** Why the engine was restarted, for the owner to tell its windows. */
export interface RestartNotice {
  reason: 'unresponsive';
  /** Sessions do not survive a restart: every open capture has to be opened again. */
  message: string;
}

type Pending = { method: string; resolve: (v: unknown) => void; reject: (e: Error) => void };

export class WorkerClient {
  private worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();
  private readonly restartListeners = new Set<(notice: RestartNotice) => void>();
  private dead: Error | null = null;
  private readonly unresponsiveMs: number;
  private readonly watchdog: NodeJS.Timeout;
  /** The ping the worker has not answered yet: its id and when it was sent. */
  private ping: { id: number; at: number } | null = null;
  private terminating = false;

  /** Starts the worker script (the built engine-worker bundle). */
  constructor(
    private readonly workerPath: string,
    private readonly workerData: unknown = null,
    options: WorkerClientOptions = {},
  ) {
    this.unresponsiveMs = options.unresponsiveMs ?? DEFAULT_UNRESPONSIVE_MS;
    this.worker = this.start();
    // A quarter of the limit between looks: a hang is noticed within 1.25× the limit.
    this.watchdog = setInterval(() => this.watch(), Math.max(10, Math.floor(this.unresponsiveMs / 4)));
    this.watchdog.unref();
  }

  call(method: string, arg: unknown): Promise<unknown> {
    if (this.dead !== null) return Promise.reject(this.dead);
    const id = this.nextId++;
    const msg: CallMessage = { type: 'call', id, method, arg };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.worker.postMessage(msg);
    });
  }

  onEvent(fn: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Called after the worker was replaced (its sessions are gone). */
  onRestart(fn: (notice: RestartNotice) => void): () => void {
    this.restartListeners.add(fn);
    return () => this.restartListeners.delete(fn);
  }

  async terminate(): Promise<void> {
    this.terminating = true;
    clearInterval(this.watchdog);
    await this.worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(this.workerPath, { workerData: this.workerData });
    // Messages and deaths of a worker already replaced are of no interest.
    worker.on('message', (m: FromWorker) => {
      if (this.worker === worker) this.receive(m);
    });
    worker.on('error', (err) => {
      if (this.worker === worker) this.fail(err);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker && code !== 0 && !this.terminating) this.fail(new Error(`engine worker exited with code ${code}`));
    });
    return worker;
  }

  /** Pings while calls wait; restarts a worker that left a ping unanswered for too long. */
  private watch(): void {
    if (this.dead !== null || this.terminating) return;
    const now = Date.now();
    if (this.ping !== null) {
      if (now - this.ping.at >= this.unresponsiveMs) this.restart();
      return;
    }
    if (this.pending.size === 0) return;
    this.ping = { id: this.nextId++, at: now };
    this.worker.postMessage({ type: 'ping', id: this.ping.id } satisfies PingMessage);
  }

  private restart(): void {
    const seconds = (this.unresponsiveMs / 1000).toLocaleString('en', { maximumFractionDigits: 1 });
    const old = this.worker;
    this.ping = null;
    this.worker = this.start();
    void old.terminate();
    const waiting = [...this.pending.values()];
    this.pending.clear();
    const message = `the engine stopped answering for ${seconds} s and was restarted; open captures have to be opened again`;
    for (const p of waiting) {
      // The display filter is the one computation a user types: say so in its words.
      if (p.method === 'setFilter') p.reject(new EngineError('FilterTimeout', `filter took too long (${message})`));
      else p.reject(new EngineError('EngineRestarted', message));
    }
    for (const fn of this.restartListeners) fn({ reason: 'unresponsive', message });
  }

  private receive(m: FromWorker): void {
    if (m.type === 'event') {
      for (const fn of this.listeners) fn(m.event, m.payload);
      return;
    }
    if (m.type === 'pong') {
      if (this.ping?.id === m.id) this.ping = null;
      return;
    }
    const p = this.pending.get(m.id);
    if (p === undefined) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new EngineError(m.error?.name ?? 'Error', m.error?.message ?? 'engine error'));
  }

  private fail(err: Error): void {
    this.dead = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
