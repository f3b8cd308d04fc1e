// Browser transport: the contract over the WebSocket `wireladder serve` offers at /rpc?token=….

import type { ArgOf, EngineEvent, EngineEvents, EngineMethod, HostInfo, ResultOf, SaveResult, SessionInfo } from '../../../shared/api';
import type { BrowserHostMethod, BrowserSaveResult, UploadResult, WsEvent, WsReply, WsRequest } from '../../../shared/bridge';
import { downloadExport, downloadUrl } from './download';
import type { AppClient } from './types';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export function websocketClient(url: string): AppClient {
  const socket = new WebSocket(url);
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const disconnectListeners = new Set<(reason: string) => void>();
  let nextId = 1;
  let lost: string | null = null;
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('cannot connect to wireladder serve (wrong or expired URL?)')), { once: true });
  });
  opened.catch(() => undefined);

  socket.addEventListener('message', (e: MessageEvent<string>) => {
    const msg = JSON.parse(e.data) as WsReply | WsEvent;
    if ('event' in msg) {
      for (const fn of listeners.get(msg.event) ?? []) fn(msg.payload);
      return;
    }
    const p = pending.get(msg.id);
    if (p === undefined) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else {
      const err = new Error(msg.error.message);
      err.name = msg.error.name;
      p.reject(err);
    }
  });
  socket.addEventListener('close', () => {
    lost = 'the connection to wireladder serve was closed (did the server stop?)';
    for (const p of pending.values()) p.reject(new Error(lost));
    pending.clear();
    for (const fn of disconnectListeners) fn(lost);
  });

  async function request(method: EngineMethod | BrowserHostMethod, arg: unknown): Promise<unknown> {
    await opened;
    if (lost !== null) throw new Error(lost);
    const id = nextId++;
    const msg: WsRequest = { id, method, arg };
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify(msg));
    });
  }

  return {
    call: <M extends EngineMethod>(method: M, arg: ArgOf<M>) => request(method, arg) as Promise<ResultOf<M>>,
    on: <E extends EngineEvent>(event: E, fn: (payload: EngineEvents[E]) => void) => {
      const set = listeners.get(event) ?? new Set();
      const wrapped = fn as (payload: unknown) => void;
      set.add(wrapped);
      listeners.set(event, set);
      return () => void set.delete(wrapped);
    },
    host: () => request('host:info', {}) as Promise<HostInfo>,
    openDialog: async () => null,
    saveExport: async (result) => downloadExport(result),
    saveCaptureDialog: async (session, packets): Promise<SaveResult | null> => {
      const r = (await request('host:save-capture', packets === undefined ? { session } : { session, packets })) as BrowserSaveResult;
      downloadUrl(r.url, r.fileName);
      return r.result;
    },
    saveCaptureWithKeysDialog: async (session): Promise<SaveResult | null> => {
      const r = (await request('host:save-capture', { session, embedKeys: true })) as BrowserSaveResult;
      downloadUrl(r.url, r.fileName);
      return r.result;
    },
    // Browser mode names no server paths: the Keys dialog uploads a file's contents instead.
    openKeyFileDialog: async () => null,
    showCapture: async () => 'here',
    reopen: (session) => request('host:reopen', { session }) as Promise<SessionInfo>,
    onCommand: () => () => undefined,
    uploadCapture: async (file, onProgress) => {
      const uploaded = await upload(file, onProgress);
      return (await request('host:open-upload', { id: uploaded.id })) as SessionInfo;
    },
    onDisconnect: (fn) => {
      disconnectListeners.add(fn);
      return () => void disconnectListeners.delete(fn);
    },
  };
}

/** POSTs a file to the server's /upload (XMLHttpRequest: fetch reports no upload progress). */
function upload(file: File, onProgress?: (fraction: number) => void): Promise<UploadResult> {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/upload?token=${encodeURIComponent(token)}&name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status === 200) resolve(JSON.parse(xhr.responseText) as UploadResult);
      else reject(new Error(xhr.responseText !== '' ? xhr.responseText : `upload failed (HTTP ${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error('the upload failed (is wireladder serve still running?)'));
    xhr.send(file);
  });
}

/** `ws://host/rpc?token=…` for the page's own URL (the token came in the URL `wireladder serve` printed). */
export function rpcUrl(location: Location): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/rpc?token=${encodeURIComponent(token)}`;
}
