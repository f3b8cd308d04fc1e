// The owner's side of the engine worker: a generic `call(method, arg)` over postMessage, plus the
// worker's events. It knows no method names; the transports validate before calling. When the
// worker dies (an error it did not catch, running out of memory, an exit nobody asked for), every
// pending call is rejected and listeners hear 'engine-stopped' with the reason, once; restart()
// starts a fresh worker (after a death, or to stop one that no longer answers).

import { Worker } from 'node:worker_threads';
import type { CallMessage, FromWorker } from './worker-protocol';

export class EngineError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The event listeners hear when the worker died or was stopped by restart(). */
export const ENGINE_STOPPED = 'engine-stopped';

export class WorkerClient {
  private worker!: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();
  /** Why the current worker is gone (null while it runs). */
  private dead: Error | null = null;
  /** terminate() was asked for: its exit is no death. */
  private stopping = false;

  /** Starts the worker script (the built engine-worker bundle). */
  constructor(
    private readonly workerPath: string,
    private readonly workerData: unknown = null,
  ) {
    this.start();
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
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(msg);
    });
  }

  onEvent(fn: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
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
    this.dead ??= new Error('the engine was shut down');
    await this.worker.terminate();
  }

  private start(): void {
    const worker = new Worker(this.workerPath, { workerData: this.workerData });
    this.worker = worker;
    this.dead = null;
    this.stopping = false;
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

  private receive(m: FromWorker): void {
    if (m.type === 'event') {
      for (const fn of this.listeners) fn(m.event, m.payload);
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
