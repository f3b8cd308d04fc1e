// The owner's side of the engine worker: a generic `call(method, arg)` over postMessage, plus the
// worker's events. It knows no method names; the transports validate before calling.

import { Worker } from 'node:worker_threads';
import type { CallMessage, FromWorker } from './worker-protocol';

export class EngineError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export class WorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();
  private dead: Error | null = null;

  /** Starts the worker script (the built engine-worker bundle). */
  constructor(workerPath: string, workerData: unknown = null) {
    this.worker = new Worker(workerPath, { workerData });
    this.worker.on('message', (m: FromWorker) => this.receive(m));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`engine worker exited with code ${code}`));
    });
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

  async terminate(): Promise<void> {
    await this.worker.terminate();
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

  private fail(err: Error): void {
    this.dead = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
