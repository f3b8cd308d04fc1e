// The Electron IPC adapter, driven through a fake ipcMain: every engine method is served, arguments
// are validated, only our own windows may call, and files must have been granted by the user.

import { describe, expect, it } from 'vitest';
import { engineMethods } from '../../src/shared/api';
import { channels, type IpcReply } from '../../src/shared/bridge';
import { registerEngineIpc, type AccessControl, type Caller, type EngineLike, type InvokeEventLike, type IpcMainLike } from '../../src/main/ipc-adapter';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(event: InvokeEventLike, channel: string, ...args: unknown[]): Promise<IpcReply<unknown>> {
    const h = this.handlers.get(channel);
    if (h === undefined) throw new Error(`no handler for ${channel}`);
    return (await h(event, ...args)) as IpcReply<unknown>;
  }
}

class FakeEngine implements EngineLike {
  readonly calls: { method: string; arg: unknown }[] = [];
  private listener: ((event: string, payload: unknown) => void) | null = null;
  async call(method: string, arg: unknown): Promise<unknown> {
    this.calls.push({ method, arg });
    if (method === 'openFile' || method === 'openSample' || method === 'startCapture') return { session: `s-${this.calls.length}` };
    return { ok: true };
  }
  onEvent(fn: (event: string, payload: unknown) => void): () => void {
    this.listener = fn;
    return () => (this.listener = null);
  }
  emit(event: string, payload: unknown): void {
    this.listener?.(event, payload);
  }
}

class FakeWindow implements Caller {
  readonly sessions = new Set<string>();
  readonly sent: { channel: string; payload: unknown }[] = [];
  constructor(readonly id: number) {}
  owns(s: string): boolean {
    return this.sessions.has(s);
  }
  adopt(s: string): void {
    this.sessions.add(s);
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
}

const appUrl = 'app://wireladder/index.html';

function setup() {
  const ipc = new FakeIpcMain();
  const engine = new FakeEngine();
  const win = new FakeWindow(1);
  const other = new FakeWindow(2);
  const granted = new Set(['/captures/granted.pcapng']);
  const access: AccessControl = {
    callerOf: (e) => {
      const w = [win, other].find((x) => x.id === e.sender.id);
      return w !== undefined && e.senderFrame?.url.startsWith('app://wireladder/') === true ? w : null;
    },
    ownersOf: (s) => [win, other].filter((w) => w.owns(s)),
    isReadGranted: (p) => granted.has(p),
    isWriteGranted: (p) => p === '/captures/saved.pcapng',
  };
  const stop = registerEngineIpc(ipc, engine, access);
  const from = (id: number, url = appUrl): InvokeEventLike => ({ sender: { id }, senderFrame: { url } });
  return { ipc, engine, win, other, stop, from };
}

describe('Electron IPC adapter', () => {
  it('registers exactly one wireladder:-prefixed handler per engine method', () => {
    const { ipc, stop } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(engineMethods.map((m) => `wireladder:engine:${m}`).sort());
    stop();
    expect(ipc.handlers.size).toBe(0);
  });

  it('forwards a valid call to the engine and answers with its value', async () => {
    const { ipc, engine, win, from } = setup();
    win.adopt('s1');
    const reply = await ipc.invoke(from(1), channels.method('rows'), { session: 's1', start: 0, count: 200 });
    expect(reply).toEqual({ ok: true, value: { ok: true } });
    expect(engine.calls).toEqual([{ method: 'rows', arg: { session: 's1', start: 0, count: 200 } }]);
  });

  it('rejects arguments that fail validation, without calling the engine', async () => {
    const { ipc, engine, win, from } = setup();
    win.adopt('s1');
    const bad = [
      [channels.method('rows'), { session: 's1', start: -1, count: 10 }],
      [channels.method('rows'), { session: 's1', start: 0, count: 10, extra: true }],
      [channels.method('packetDetail'), { session: 's1', packet: 1.5 }],
      [channels.method('setFilter'), { session: 's1', filter: 42 }],
      [channels.method('openFile'), { path: ['/etc/passwd'] }],
      [channels.method('listSessions'), 'nope'],
    ] as const;
    for (const [channel, arg] of bad) {
      const r = await ipc.invoke(from(1), channel, arg);
      expect(r.ok, `${channel} ${JSON.stringify(arg)}`).toBe(false);
      if (!r.ok) expect(r.error.name).toBe('ArgumentError');
    }
    const twoArgs = await ipc.invoke(from(1), channels.method('listSessions'), {}, {});
    expect(twoArgs.ok).toBe(false);
    expect(engine.calls).toEqual([]);
  });

  it('refuses callers that are not our windows or frames', async () => {
    const { ipc, engine, from } = setup();
    for (const event of [from(99), from(1, 'https://evil.example/'), { sender: { id: 1 }, senderFrame: null }]) {
      const r = await ipc.invoke(event, channels.method('listSessions'), {});
      expect(r).toEqual({ ok: false, error: { name: 'AccessError', message: 'call from a window or frame that is not WireLadder' } });
    }
    expect(engine.calls).toEqual([]);
  });

  it('opens only files the user granted, and gives the new session to the calling window', async () => {
    const { ipc, engine, win, other, from } = setup();
    const refused = await ipc.invoke(from(1), channels.method('openFile'), { path: '/etc/shadow' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/not opened by the user/);
    expect(engine.calls).toEqual([]);
    const opened = await ipc.invoke(from(1), channels.method('openFile'), { path: '/captures/granted.pcapng' });
    expect(opened.ok).toBe(true);
    const session = (opened as { value: { session: string } }).value.session;
    expect(win.owns(session)).toBe(true);
    expect(other.owns(session)).toBe(false);
  });

  it('keeps each window to its own sessions', async () => {
    const { ipc, engine, win, from } = setup();
    win.adopt('mine');
    const r = await ipc.invoke(from(2), channels.method('packetDetail'), { session: 'mine', packet: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.name).toBe('AccessError');
    expect(engine.calls).toEqual([]);
  });

  it('saves only to paths chosen in a save dialog', async () => {
    const { ipc, win, from } = setup();
    win.adopt('s1');
    expect((await ipc.invoke(from(1), channels.method('saveAs'), { session: 's1', path: '/home/user/.bashrc' })).ok).toBe(false);
    expect((await ipc.invoke(from(1), channels.method('saveAs'), { session: 's1', path: '/captures/saved.pcapng' })).ok).toBe(true);
  });

  it('sends engine events only to the windows that hold the session', () => {
    const { engine, win, other } = setup();
    win.adopt('s1');
    other.adopt('s2');
    engine.emit('session-updated', { session: 's1', packets: 10 });
    engine.emit('capture-stats', { session: 's2', running: true });
    engine.emit('session-updated', { session: 'nobody' });
    expect(win.sent).toEqual([{ channel: channels.event, payload: { event: 'session-updated', payload: { session: 's1', packets: 10 } } }]);
    expect(other.sent).toEqual([{ channel: channels.event, payload: { event: 'capture-stats', payload: { session: 's2', running: true } } }]);
  });

  it('tells every window that held one of its sessions that the engine stopped, once each', () => {
    const { engine, win, other } = setup();
    win.adopt('s1');
    win.adopt('s3');
    other.adopt('s2');
    const stopped = { reason: 'its worker thread exited unexpectedly with code 1', sessions: ['s1', 's3'] };
    engine.emit('engine-stopped', stopped);
    expect(win.sent).toEqual([{ channel: channels.event, payload: { event: 'engine-stopped', payload: stopped } }]);
    expect(other.sent).toEqual([]);
  });

  it('passes engine errors through with their name and message', async () => {
    const { ipc, engine, win, from } = setup();
    win.adopt('s1');
    engine.call = async () => {
      throw Object.assign(new Error('no packet 99'), { name: 'EngineError' });
    };
    expect(await ipc.invoke(from(1), channels.method('packetDetail'), { session: 's1', packet: 99 })).toEqual({ ok: false, error: { name: 'EngineError', message: 'no packet 99' } });
  });
});
