// The preload exposes only the typed bridge; the window registry trusts only our origin and grants.

import { describe, expect, it, vi } from 'vitest';
import { channels } from '../../src/shared/bridge';
import { WindowRegistry } from '../../src/main/windows';
import type { BrowserWindow } from 'electron';

const exposed: Record<string, unknown> = {};
const invoked: { channel: string; arg: unknown }[] = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => (exposed[name] = api) },
  ipcRenderer: {
    invoke: async (channel: string, arg: unknown) => {
      invoked.push({ channel, arg });
      return channel === channels.method('listSessions') ? { ok: true, value: [] } : { ok: false, error: { name: 'AccessError', message: 'refused' } };
    },
    on: () => undefined,
    removeListener: () => undefined,
  },
  webUtils: { getPathForFile: () => '' },
}));

describe('preload', () => {
  it('exposes one object, window.wireladder, with exactly the bridge operations', async () => {
    (globalThis as unknown as { addEventListener: () => void }).addEventListener = () => undefined;
    await import('../../src/preload/index');
    expect(Object.keys(exposed)).toEqual(['wireladder']);
    const bridge = exposed['wireladder'] as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual(['host', 'invoke', 'on', 'onCommand', 'openDialog', 'openKeyFileDialog', 'reopen', 'saveCaptureDialog', 'saveCaptureWithKeysDialog', 'saveExport', 'showCapture']);
    for (const v of Object.values(bridge)) expect(typeof v).toBe('function');
  });

  it('invokes wireladder:engine:<method> and turns error replies back into errors', async () => {
    invoked.length = 0;
    const bridge = exposed['wireladder'] as { invoke(m: string, a: unknown): Promise<unknown> };
    await expect(bridge.invoke('listSessions', {})).resolves.toEqual([]);
    await expect(bridge.invoke('openFile', { path: '/x' })).rejects.toThrow('refused');
    expect(invoked.map((i) => i.channel)).toEqual(['wireladder:engine:listSessions', 'wireladder:engine:openFile']);
  });

  it('invoke forwards engine methods only: a host operation or any other name never reaches IPC', async () => {
    invoked.length = 0;
    const bridge = exposed['wireladder'] as { invoke(m: unknown, a: unknown): Promise<unknown> };
    // The attack: grant itself read access to a file through the drop handler, then open it.
    await expect(bridge.invoke('host:drop-files', ['/etc/shadow'])).rejects.toThrow(/host:drop-files is not an engine method/);
    for (const name of ['host:info', 'host:open-dialog', 'host:save-export', 'host:save-capture-dialog', 'host:show-capture', 'event', 'command', '../host:drop-files', 'constructor', '__proto__', 'toString', '', 42, null]) {
      await expect(bridge.invoke(name, {})).rejects.toThrow(/is not an engine method/);
    }
    expect(invoked).toEqual([]);
  });
});

describe('window registry', () => {
  const fakeWindow = (id: number) => ({ webContents: { id, send: vi.fn() }, on: vi.fn(), isDestroyed: () => false }) as unknown as BrowserWindow;

  it('accepts calls only from our windows, served from our origin', () => {
    const reg = new WindowRegistry('app://wireladder');
    const w = reg.add(fakeWindow(7));
    expect(reg.callerOf({ sender: { id: 7 }, senderFrame: { url: 'app://wireladder/index.html' } })).toBe(w);
    expect(reg.callerOf({ sender: { id: 7 }, senderFrame: { url: 'app://evil/index.html' } })).toBeNull();
    expect(reg.callerOf({ sender: { id: 7 }, senderFrame: { url: 'file:///tmp/x.html' } })).toBeNull();
    expect(reg.callerOf({ sender: { id: 8 }, senderFrame: { url: 'app://wireladder/index.html' } })).toBeNull();
  });

  it('grants read and write access per resolved path', () => {
    const reg = new WindowRegistry('app://wireladder');
    reg.grantRead('/captures/a/../b.pcap');
    expect(reg.isReadGranted('/captures/b.pcap')).toBe(true);
    expect(reg.isReadGranted('/captures/c.pcap')).toBe(false);
    expect(reg.isWriteGranted('/captures/b.pcap')).toBe(false);
  });

  it('replaces the bundled sample it shows, but not a capture the user opened', () => {
    const reg = new WindowRegistry('app://wireladder');
    const w = reg.add(fakeWindow(1));
    expect(w.replaceable).toBe(true);
    w.setInitial('sample');
    w.sample = 'sample';
    expect(w.replaceable).toBe(true);
    w.adopt('user-file');
    expect(w.replaceable).toBe(false);
  });

  it('shows a capture where the window showed nothing or the sample, else in a new window', () => {
    const reg = new WindowRegistry('app://wireladder');
    const empty = reg.add(fakeWindow(1));
    empty.setInitial(null);
    empty.adopt('capture-1');
    expect(empty.capturePlacement('capture-1')).toBe('here');

    const sample = reg.add(fakeWindow(2));
    sample.setInitial('sample');
    sample.sample = 'sample';
    sample.adopt('capture-2');
    expect(sample.capturePlacement('capture-2')).toBe('here');

    const file = reg.add(fakeWindow(3));
    file.setInitial('user-file');
    file.adopt('capture-3');
    expect(file.capturePlacement('capture-3')).toBe('new-window');
    // Handed to the new window: this one shows its file again and no longer owns the capture.
    file.release('capture-3');
    expect(file.current).toBe('user-file');
    expect(file.owns('capture-3')).toBe(false);
    expect(reg.ownersOf('capture-3')).toEqual([]);
  });
});
