// The preload: exposes the typed WireLadder bridge through contextBridge, and nothing else (never
// ipcRenderer itself). It also turns files dropped on the window into granted paths for main.

import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { isEngineMethod, type EngineEvents } from '../shared/api';
import { channels, type HostCommand, type IpcReply, type WireLadderBridge } from '../shared/bridge';

async function request<T>(channel: string, arg: unknown): Promise<T> {
  const reply = (await ipcRenderer.invoke(channel, arg)) as IpcReply<T>;
  if (reply.ok) return reply.value;
  const err = new Error(reply.error.message);
  err.name = reply.error.name;
  throw err;
}

type EventMessage = { event: keyof EngineEvents; payload: unknown };

const bridge: WireLadderBridge = {
  // Engine methods only: host operations (dialogs, dropped files) have their own narrow functions,
  // so page script cannot call them with arguments of its choosing.
  invoke: (method, arg) => {
    if (!isEngineMethod(method)) return Promise.reject(new Error(`${String(method)} is not an engine method`));
    return request(channels.method(method), arg);
  },
  on: (event, fn) => {
    const listener = (_e: unknown, m: EventMessage): void => {
      if (m.event === event) fn(m.payload as EngineEvents[typeof event]);
    };
    ipcRenderer.on(channels.event, listener);
    return () => void ipcRenderer.removeListener(channels.event, listener);
  },
  onCommand: (fn) => {
    const listener = (_e: unknown, c: HostCommand): void => fn(c);
    ipcRenderer.on(channels.command, listener);
    return () => void ipcRenderer.removeListener(channels.command, listener);
  },
  host: () => request(channels.hostInfo, {}),
  openDialog: () => request(channels.openDialog, {}),
  saveExport: (result) => request(channels.saveExport, result),
  saveCaptureDialog: (session, packets) => request(channels.saveCaptureDialog, packets === undefined ? session : { session, packets }),
  saveCaptureWithKeysDialog: (session) => request(channels.saveCaptureWithKeysDialog, session),
  openKeyFileDialog: (arg) => request(channels.openKeyFileDialog, arg),
  showCapture: (session) => request(channels.showCapture, session),
  reopen: (session) => request(channels.reopen, session),
};

contextBridge.exposeInMainWorld('wireladder', bridge);

// Drag-and-drop: only real files the user dropped have a path (webUtils returns '' for files a page
// script constructs), so the page cannot use this to reach arbitrary paths.
// (The preload is type-checked without the DOM library: these are the few DOM shapes it touches.)
interface DropEventLike {
  preventDefault(): void;
  dataTransfer: { types: readonly string[]; files: ArrayLike<unknown> } | null;
}
const page = globalThis as unknown as { addEventListener(type: 'dragover' | 'drop', fn: (e: DropEventLike) => void): void };
page.addEventListener('dragover', (e) => {
  if (e.dataTransfer?.types.includes('Files') === true) e.preventDefault();
});
page.addEventListener('drop', (e) => {
  e.preventDefault();
  const files = Array.from(e.dataTransfer?.files ?? []);
  const paths = files.map((f) => webUtils.getPathForFile(f as Parameters<typeof webUtils.getPathForFile>[0])).filter((p) => p !== '');
  if (paths.length > 0) void request(channels.dropFiles, paths).catch(() => undefined);
});
