// The owner's side of the engine worker: a generic `call(method, arg)` over postMessage, plus the
// worker's events. It knows no method names; the transports validate before calling. When the
// worker dies (an error it did not catch, running out of memory, an exit nobody asked for), every
// pending call is rejected and listeners hear 'engine-stopped' with the reason, once; restart()
// starts a fresh worker. A watchdog pings the worker while calls are waiting: a worker that stops
// answering (a runaway computation blocks its thread for every client) is replaced at once.

import { Worker } from 'node:worker_threads';
import type { CallMessage, FromWorker, PingMessage } from './worker-protocol';

export class EngineError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The event listeners hear when the worker died, was replaced by the watchdog or by restart(). */
export const ENGINE_STOPPED = 'engine-stopped';

export interface WorkerClientOptions {
  /** How long the worker may leave a ping unanswered while calls wait before it is restarted. */
  unresponsiveMs?: number;
}

/** Long enough for the slowest legitimate synchronous work (a PNG of a very long ladder). */
export const DEFAULT_UNRESPONSIVE_MS = 20_000;

/** Why the watchdog replaced the engine, for the owner to tell its windows. */
export interface RestartNotice {
  reason: 'unresponsive';
  /** Sessions do not survive a restart: every open capture has to be opened again. */
  message: string;
}

type Pending = { method: string; resolve: (v: unknown) => void; reject: (e: Error) => void };

export class WorkerClient {
  private worker!: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();
  private readonly restartListeners = new Set<(notice: RestartNotice) => void>();
  /** Why the current worker is gone (null while it runs). */
  private dead: Error | null = null;
  /** terminate() was asked for: its exit is no death. */
  private stopping = false;
  private readonly unresponsiveMs: number;
  private readonly watchdog: NodeJS.Timeout;
  /** The ping the worker has not answered yet: its id and when it was sent. */
  private ping: { id: number; at: number } | null = null;

  /** Starts the worker script (the built engine-worker bundle). */
  constructor(
    private readonly workerPath: string,
    private readonly workerData: unknown = null,
    options: WorkerClientOptions = {},
  ) {
    this.unresponsiveMs = options.unresponsiveMs ?? DEFAULT_UNRESPONSIVE_MS;
    this.start();
    // A quarter of the limit between looks: a hang is noticed within 1.25× the limit.
    this.watchdog = setInterval(() => this.watch(), Math.max(10, Math.floor(this.unresponsiveMs / 4)));
    this.watchdog.unref();
  }

  /** The worker thread itself (tests stop it from outside to see its owners survive its death). */
  get thread(): Worker {
    return this.worker;
  }

  /** The worker runs (it has not died and was not terminated). */
  get alive(): boolean {
    return this.dead === null;
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

  /** Called after the watchdog replaced the worker (its sessions are gone). */
  onRestart(fn: (notice: RestartNotice) => void): () => void {
    this.restartListeners.add(fn);
    return () => this.restartListeners.delete(fn);
  }

  /**
   * A fresh worker. If the current one still runs it is stopped first, and `reason` is what its
   * callers and listeners hear (e.g. a display filter that ran too long); sessions it held are gone.
   */
  async restart(reason = 'the engine was restarted'): Promise<void> {
    if (this.dead === null) {
      const old = this.worker;
      this.fail(new Error(reason));
      await old.terminate();
    }
    this.start();
  }

  async terminate(): Promise<void> {
    this.stopping = true;
    clearInterval(this.watchdog);
    this.dead ??= new Error('the engine was shut down');
    await this.worker.terminate();
  }

  private start(): void {
    const worker = new Worker(this.workerPath, { workerData: this.workerData });
    this.worker = worker;
    this.dead = null;
    this.stopping = false;
    this.ping = null;
    // Events of a worker that was replaced are not this client's any more.
    worker.on('message', (m: FromWorker) => {
      if (this.worker === worker) this.receive(m);
    });
    worker.on('error', (err) => {
      if (this.worker === worker) this.fail(err);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker && !this.stopping) this.fail(new Error(`its worker thread exited unexpectedly with code ${code}`));
    });
  }

  /** Pings while calls wait; replaces a worker that left a ping unanswered for too long. */
  private watch(): void {
    if (this.dead !== null || this.stopping) return;
    const now = Date.now();
    if (this.ping !== null) {
      if (now - this.ping.at >= this.unresponsiveMs) this.replaceUnresponsive();
      return;
    }
    if (this.pending.size === 0) return;
    this.ping = { id: this.nextId++, at: now };
    this.worker.postMessage({ type: 'ping', id: this.ping.id } satisfies PingMessage);
  }

  /**
   * The worker stopped answering: waiting calls fail (a display filter in the words its user
   * expects), listeners hear 'engine-stopped' and a fresh worker serves the next call at once.
   */
  private replaceUnresponsive(): void {
    const seconds = (this.unresponsiveMs / 1000).toLocaleString('en', { maximumFractionDigits: 1 });
    const message = `the engine stopped answering for ${seconds} s and was restarted; open captures have to be opened again`;
    const old = this.worker;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) {
      if (p.method === 'setFilter') p.reject(new EngineError('FilterTimeout', `filter took too long (${message})`));
      else p.reject(new EngineError('EngineRestarted', message));
    }
    this.fail(new Error(message));
    this.start();
    void old.terminate();
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

  /** The worker is gone: pending calls fail, listeners hear why (once per worker). */
  private fail(err: Error): void {
    if (this.dead !== null) return;
    const reason = err.message !== '' ? err.message : String(err);
    const e = new EngineError('EngineStopped', reason);
    this.dead = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    for (const fn of this.listeners) fn(ENGINE_STOPPED, { reason });
  }
}
