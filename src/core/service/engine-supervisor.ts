// The engine worker as the hosts run it (Electron main, `wireladder serve`): calls and events pass
// through, and the supervisor remembers which file each session reads, so that when the worker
// dies (or is restarted because it stopped answering) the windows hear 'engine-stopped' with the
// reason and the sessions it took along, and reopen() brings a session's capture back in a fresh
// worker.

import type { EngineEvents, SessionId, SessionInfo } from './dto';
import { ENGINE_STOPPED, WorkerClient } from './worker-client';

/** The file each session was opened from, by how it was opened. */
type Source = { method: 'openFile'; path: string } | { method: 'openSample' };

export class EngineSupervisor {
  readonly client: WorkerClient;
  private readonly sources = new Map<SessionId, Source>();
  /** Sessions the engine holds (files, samples, live captures). */
  private readonly open = new Set<SessionId>();
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();
  /** reopen() calls share one restart. */
  private restarting: Promise<void> | null = null;

  constructor(workerPath: string, workerData: unknown = null) {
    this.client = new WorkerClient(workerPath, workerData);
    this.client.onEvent((event, payload) => {
      if (event === ENGINE_STOPPED) {
        const stopped: EngineEvents['engine-stopped'] = { reason: (payload as { reason: string }).reason, sessions: [...this.open] };
        this.open.clear();
        this.emit(event, stopped);
      } else this.emit(event, payload);
    });
  }

  get alive(): boolean {
    return this.client.alive;
  }

  async call(method: string, arg: unknown): Promise<unknown> {
    const result = await this.client.call(method, arg);
    if (method === 'openFile' || method === 'openSample' || method === 'startCapture') {
      const session = (result as SessionInfo).session;
      this.open.add(session);
      if (method === 'openFile') this.sources.set(session, { method, path: (arg as { path: string }).path });
      else if (method === 'openSample') this.sources.set(session, { method });
    } else if (method === 'closeSession') {
      const session = (arg as { session: SessionId }).session;
      this.open.delete(session);
      this.sources.delete(session);
    }
    return result;
  }

  onEvent(fn: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Whether reopen() can bring this session back (it was read from a file, not captured live). */
  canReopen(session: SessionId): boolean {
    return this.sources.has(session);
  }

  /**
   * Opens the capture `session` showed again, in a fresh worker if the engine stopped (or, with
   * `restart`, after stopping one that still runs). Returns the new session.
   */
  async reopen(session: SessionId, restart: { reason: string } | null = null): Promise<SessionInfo> {
    const source = this.sources.get(session);
    if (source === undefined) throw new Error('this capture cannot be opened again: it was not read from a file');
    if (restart !== null && this.client.alive) await this.restart(restart.reason);
    else if (!this.client.alive) await this.restart();
    this.sources.delete(session);
    return (await this.call(source.method, source.method === 'openFile' ? { path: source.path } : {})) as SessionInfo;
  }

  /** Stops the worker if it runs (listeners hear `reason`) and starts a fresh one. */
  restart(reason?: string): Promise<void> {
    this.restarting ??= this.client.restart(reason).finally(() => (this.restarting = null));
    return this.restarting;
  }

  terminate(): Promise<void> {
    return this.client.terminate();
  }

  private emit(event: string, payload: unknown): void {
    for (const fn of this.listeners) fn(event, payload);
  }
}
