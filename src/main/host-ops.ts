// Host operations of the Electron transport (native dialogs, dropped files), registered through
// the same validated handler as the engine methods.

import { writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { dialog, type BrowserWindow } from 'electron';
import type { HostInfo } from '../shared/api';
import { channels } from '../shared/bridge';
import type { ExportResult, PacketRangeDto, SaveResult, SessionInfo, TlsKeysDto } from '../core/service/dto';
import { ArgumentError, validateArg } from '../shared/validate';
import { AccessError, handleValidated, type EngineLike, type IpcMainLike } from './ipc-adapter';
import type { AppWindow, WindowRegistry } from './windows';

export const captureFilters = [
  { name: 'Captures (pcap, pcapng, gzip)', extensions: ['pcap', 'pcapng', 'cap', 'gz'] },
  { name: 'All files', extensions: ['*'] },
];

export interface HostContext {
  ipc: IpcMainLike;
  /** The engine worker; reopen() brings a session's capture back after the engine stopped. */
  engine: EngineLike & { reopen(session: string): Promise<SessionInfo> };
  windows: WindowRegistry;
  /** Opens files the user granted, in this window when it is replaceable, else in new windows. */
  openPaths(paths: string[], from: AppWindow | null): Promise<SessionInfo | null>;
  /** Opens a new window showing a session the engine already has (a capture started elsewhere). */
  openSessionWindow(session: string): Promise<void>;
}

const noArg = (v: unknown): null => {
  if (v !== null && v !== undefined && !(typeof v === 'object' && Object.keys(v as object).length === 0)) throw new ArgumentError('no argument expected');
  return null;
};

function exportResult(v: unknown): ExportResult {
  const r = v as Partial<ExportResult> | null;
  if (typeof r !== 'object' || r === null) throw new ArgumentError('export must be an object');
  if (typeof r.fileName !== 'string' || r.fileName.length === 0 || r.fileName.length > 255) throw new ArgumentError('export.fileName must be a short string');
  if (typeof r.mime !== 'string' || r.mime.length > 100) throw new ArgumentError('export.mime must be a string');
  if (r.encoding !== 'utf8' && r.encoding !== 'base64') throw new ArgumentError('export.encoding must be utf8 or base64');
  if (typeof r.data !== 'string' || r.data.length > 256 * 1024 * 1024) throw new ArgumentError('export.data must be a string under 256 MiB');
  return { fileName: r.fileName, mime: r.mime, encoding: r.encoding, data: r.data };
}

function keyDialogArg(v: unknown): { session: string; watch: boolean } {
  const o = v as { session?: unknown; watch?: unknown } | null;
  if (typeof o !== 'object' || o === null || Object.keys(o).some((k) => k !== 'session' && k !== 'watch')) throw new ArgumentError('expected { session, watch }');
  if (typeof o.watch !== 'boolean') throw new ArgumentError('watch must be true or false');
  return { session: sessionId(o.session), watch: o.watch };
}

function sessionId(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) throw new ArgumentError('session must be a session id');
  return v;
}

/** A session id (Save As…), or { session, packets } (Export Specified Packets…). */
function saveRequest(v: unknown): { session: string; packets?: PacketRangeDto } {
  if (typeof v === 'string') return { session: sessionId(v) };
  const arg = validateArg('rangeCount', v);
  return { session: arg.session, packets: arg.packets };
}

function pathList(v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > 64) throw new ArgumentError('paths must be a list of 1–64 paths');
  return v.map((p) => {
    if (typeof p !== 'string' || p.length === 0 || p.length > 4096) throw new ArgumentError('each path must be a non-empty string');
    return p;
  });
}

export function registerHostOps(ctx: HostContext): void {
  const { ipc, windows } = ctx;
  const win = (caller: { id: number }): AppWindow => {
    const w = windows.all().find((x) => x.id === caller.id);
    if (w === undefined) throw new AccessError('window is gone');
    return w;
  };

  handleValidated(ipc, windows, channels.hostInfo, noArg, async (_arg, caller): Promise<HostInfo> => ({
    transport: 'electron',
    nativeDialogs: true,
    initialSession: await win(caller).initial,
    platform: process.platform,
  }));

  handleValidated(ipc, windows, channels.openDialog, noArg, async (_arg, caller) => {
    const w = win(caller);
    const r = await dialog.showOpenDialog(w.win, { title: 'Open capture', properties: ['openFile'], filters: captureFilters });
    if (r.canceled || r.filePaths.length === 0) return null;
    return openInto(ctx, w, r.filePaths[0]!);
  });

  handleValidated(ipc, windows, channels.saveExport, exportResult, async (result, caller) => {
    const ext = extname(result.fileName).slice(1) || 'txt';
    const r = await dialog.showSaveDialog(win(caller).win, {
      title: 'Export diagram',
      defaultPath: basename(result.fileName),
      filters: [{ name: ext.toUpperCase(), extensions: [ext] }],
    });
    if (r.canceled || r.filePath === undefined) return null;
    await writeFile(r.filePath, Buffer.from(result.data, result.encoding));
    return r.filePath;
  });

  handleValidated(ipc, windows, channels.saveCaptureDialog, saveRequest, async (req, caller) => saveCaptureAs(ctx, win(caller), req.session, false, req.packets));
  handleValidated(ipc, windows, channels.saveCaptureWithKeysDialog, sessionId, async (session, caller) => saveCaptureAs(ctx, win(caller), session, true));

  handleValidated(ipc, windows, channels.openKeyFileDialog, keyDialogArg, async (arg, caller) => {
    const w = win(caller);
    if (!w.owns(arg.session)) throw new AccessError(`session ${arg.session} does not belong to this window`);
    const r = await dialog.showOpenDialog(w.win, {
      title: arg.watch ? 'Follow a TLS key log' : 'Load TLS keys (key log or RSA private key)',
      properties: ['openFile'],
      filters: [
        { name: 'Key logs and PEM keys', extensions: ['keys', 'log', 'txt', 'pem', 'key'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    if (r.canceled || r.filePaths.length === 0) return null;
    const path = ctx.windows.grantRead(r.filePaths[0]!);
    return (await ctx.engine.call('addTlsKeyFile', { session: arg.session, path, binding: '', watch: arg.watch })) as TlsKeysDto;
  });

  handleValidated(ipc, windows, channels.showCapture, sessionId, async (session, caller) => {
    const w = win(caller);
    if (!w.owns(session)) throw new AccessError(`session ${session} does not belong to this window`);
    const where = w.capturePlacement(session);
    if (where === 'new-window') {
      w.release(session);
      await ctx.openSessionWindow(session);
    }
    return where;
  });

  handleValidated(ipc, windows, channels.reopen, sessionId, async (session, caller) => {
    const w = win(caller);
    if (!w.owns(session)) throw new AccessError(`session ${session} does not belong to this window`);
    const info = await ctx.engine.reopen(session);
    // The window shows the new session where it showed the old one.
    w.sessions.delete(session);
    if (w.sample === session) w.sample = info.session;
    w.adopt(info.session);
    return info;
  });

  // Only the preload calls this, from a real drop event: page scripts cannot reach ipcRenderer, and
  // files a script makes up have no path.
  handleValidated(ipc, windows, channels.dropFiles, pathList, async (paths, caller) => {
    for (const p of paths) windows.grantRead(p);
    return ctx.openPaths(paths, win(caller));
  });
}

/** Opens a granted file in `w`, replacing the sample it shows (the caller switches to the result). */
export async function openInto(ctx: HostContext, w: AppWindow, path: string): Promise<SessionInfo> {
  const granted = ctx.windows.grantRead(path);
  const info = (await ctx.engine.call('openFile', { path: granted })) as SessionInfo;
  const previousSample = w.sample;
  w.adopt(info.session);
  if (previousSample !== null) {
    w.sample = null;
    w.sessions.delete(previousSample);
    await ctx.engine.call('closeSession', { session: previousSample }).catch(() => undefined);
  }
  return info;
}

export async function saveCaptureAs(ctx: HostContext, w: AppWindow, session: string, embedKeys = false, packets?: PacketRangeDto): Promise<SaveResult | null> {
  if (!w.owns(session)) throw new AccessError(`session ${session} does not belong to this window`);
  const info = (await ctx.engine.call('sessionInfo', { session })) as SessionInfo;
  const stem = info.fileName.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '');
  const r = await dialog.showSaveDialog(w.win as BrowserWindow, {
    title: packets === undefined ? 'Save capture as pcapng' : 'Export Specified Packets',
    defaultPath: packets !== undefined ? `${stem}-export.pcapng` : `${stem}${embedKeys ? '-keys' : info.annotations > 0 ? '-annotated' : ''}.pcapng`,
    filters: [{ name: 'pcapng', extensions: ['pcapng'] }],
  });
  if (r.canceled || r.filePath === undefined) return null;
  const path = ctx.windows.grantWrite(r.filePath);
  return (await ctx.engine.call('saveAs', { session, path, ...(embedKeys ? { embedKeys } : {}), ...(packets !== undefined ? { packets } : {}) })) as SaveResult;
}
