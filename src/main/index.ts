// Electron main process: one window per open capture, the application menu, drag-and-drop and
// command-line files, the engine worker, and the security settings every window runs with.

import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session as electronSession } from 'electron';
import { HELPER_DIR, HELPER_NAME } from '../core/capture/helper-location';
import { EngineSupervisor } from '../core/service/engine-supervisor';
import type { SessionInfo } from '../core/service/dto';
import { channels } from '../shared/bridge';
import { registerEngineIpc } from './ipc-adapter';
import { captureFilters, openInto, registerHostOps, saveCaptureAs, type HostContext } from './host-ops';
import { filesFromArgv } from './command-line';
import { buildMenu } from './menu';
import { RecentFiles } from './recent';
import { appOrigin, appScheme, serveRendererFile } from './renderer-protocol';
import { originOf, WindowRegistry, type AppWindow } from './windows';

const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const rendererUrl = devUrl ?? `${appOrigin}/index.html`;
const here = import.meta.dirname;
const rendererDir = resolve(here, '../renderer');
// Worker threads read app.asar since Electron 18 (electron/electron#33216); native modules are unpacked.
const workerPath = join(here, '../engine/engine-worker.js');
const samplePath = app.isPackaged ? join(process.resourcesPath, 'samples', 'sample.pcapng') : join(app.getAppPath(), 'resources', 'samples', 'sample.pcapng');
// The dedicated capture helper (electron-builder.yml extraResources); from a checkout, out/capture-helper.
const captureHelper = app.isPackaged ? join(process.resourcesPath, HELPER_DIR, HELPER_NAME) : undefined;

protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

const pendingFiles: string[] = [];
let ready = false;
let ctx: HostContext | null = null;
let recent: RecentFiles | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  pendingFiles.push(...filesFromArgv(process.argv.slice(app.isPackaged ? 1 : 2), process.cwd()));
  app.on('second-instance', (_e, argv, cwd) => {
    const files = filesFromArgv(argv.slice(1), cwd);
    if (files.length > 0) void openFiles(files, null);
    else BrowserWindow.getAllWindows()[0]?.focus();
  });
  // macOS: files opened from Finder or dropped on the Dock icon (file associations).
  app.on('open-file', (e, path) => {
    e.preventDefault();
    if (ready) void openFiles([path], null);
    else pendingFiles.push(path);
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (ready && BrowserWindow.getAllWindows().length === 0) void createWindow({ kind: 'sample' });
  });
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  protocol.handle(appScheme, (req) => serveRendererFile(rendererDir, req.url));
  electronSession.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  electronSession.defaultSession.setPermissionCheckHandler(() => false);

  const windows = new WindowRegistry(originOf(rendererUrl));
  const engine = new EngineSupervisor(workerPath, { samplePath, captureHelper });
  recent = new RecentFiles(join(app.getPath('userData'), 'recent.json'));
  ctx = { ipc: ipcMain, engine, windows, openPaths: openFiles, openSessionWindow: (session) => createWindow({ kind: 'session', session }) };
  registerEngineIpc(ipcMain, engine, windows);
  registerHostOps(ctx);
  refreshMenu();
  ready = true;

  const files = pendingFiles.splice(0);
  if (files.length > 0) await openFiles(files, null);
  else await createWindow({ kind: 'sample' });
}

function refreshMenu(): void {
  const focused = (): AppWindow | null => ctx?.windows.of(BrowserWindow.getFocusedWindow()) ?? null;
  Menu.setApplicationMenu(
    buildMenu({
      open: () => void showOpenDialog(),
      openRecent: (p) => void openFiles([p], focused()),
      clearRecent: () => {
        recent?.clear();
        app.clearRecentDocuments();
        refreshMenu();
      },
      recent: () => recent?.entries() ?? [],
      saveAs: () => {
        const w = focused();
        if (ctx !== null && w !== null && w.current !== null) void saveCaptureAs(ctx, w, w.current).catch(showError);
      },
      close: () => BrowserWindow.getFocusedWindow()?.close(),
      command: (c) => focused()?.send(channels.command, c),
      devTools: !app.isPackaged,
    }),
  );
}

async function showOpenDialog(): Promise<void> {
  const parent = BrowserWindow.getFocusedWindow();
  const opts = { title: 'Open capture', properties: ['openFile', 'multiSelections'] as Array<'openFile' | 'multiSelections'>, filters: captureFilters };
  const r = parent !== null ? await dialog.showOpenDialog(parent, opts) : await dialog.showOpenDialog(opts);
  if (!r.canceled) await openFiles(r.filePaths, ctx?.windows.of(parent) ?? null);
}

/**
 * Opens files the user chose: the first one replaces the sample `from` shows (if it shows nothing
 * else), the others get a window each. Returns the session shown in `from`, if any.
 */
async function openFiles(paths: string[], from: AppWindow | null): Promise<SessionInfo | null> {
  if (ctx === null) return null;
  let shownInFrom: SessionInfo | null = null;
  for (const p of paths) {
    const path = ctx.windows.grantRead(p);
    recent?.add(path);
    app.addRecentDocument(path);
    try {
      if (from !== null && shownInFrom === null && from.replaceable) {
        shownInFrom = await openInto(ctx, from, path);
        from.send(channels.command, { type: 'show-session', session: shownInFrom.session });
      } else {
        await createWindow({ kind: 'file', path });
      }
    } catch (err) {
      showError(err);
    }
  }
  refreshMenu();
  return shownInFrom;
}

type WindowContent = { kind: 'file'; path: string } | { kind: 'sample' } | { kind: 'session'; session: string };

async function createWindow(content: WindowContent): Promise<void> {
  if (ctx === null) return;
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 760,
    minHeight: 480,
    show: false,
    title: 'WireLadder',
    autoHideMenuBar: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const w = ctx.windows.add(win);
  win.once('ready-to-show', () => win.show());
  win.on('close', (e) => {
    if (!w.closeConfirmed) {
      e.preventDefault();
      void confirmClose(w);
    }
  });
  win.on('closed', () => {
    for (const s of w.sessions) if (ctx?.windows.ownersOf(s).length === 0) void ctx.engine.call('closeSession', { session: s }).catch(() => undefined);
  });
  void win.loadURL(rendererUrl);

  try {
    const info = (await (content.kind === 'file'
      ? ctx.engine.call('openFile', { path: content.path })
      : content.kind === 'session'
        ? ctx.engine.call('sessionInfo', { session: content.session })
        : ctx.engine.call('openSample', {}))) as SessionInfo;
    if (content.kind === 'sample') w.sample = info.session;
    win.setTitle(`${info.fileName} — WireLadder`);
    w.setInitial(info.session);
  } catch (err) {
    // The sample may be missing (development tree without resources/samples): start empty.
    w.setInitial(null);
    if (content.kind !== 'sample') showError(err);
  }
}

/**
 * Asks before a window closes that holds something only it can save: a live capture (running, or
 * finished but still in its temporary file) or annotations not yet written to a file.
 */
async function confirmClose(w: AppWindow): Promise<void> {
  if (ctx === null) return;
  const unsaved: SessionInfo[] = [];
  for (const s of w.sessions) {
    const info = (await ctx.engine.call('sessionInfo', { session: s }).catch(() => null)) as SessionInfo | null;
    if (info !== null && (info.dirty || info.unsavedCapture)) unsaved.push(info);
  }
  if (unsaved.length > 0) {
    const captures = unsaved.filter((i) => i.unsavedCapture);
    const running = captures.some((i) => i.live);
    const r = await dialog.showMessageBox(w.win, {
      type: 'question',
      buttons: ['Save…', 'Discard', 'Cancel'],
      defaultId: 0,
      cancelId: 2,
      message: captures.length > 0 ? (running ? 'Stop and save the capture before closing?' : 'Save the capture before closing?') : 'Save your annotations before closing?',
      detail:
        captures.length > 0
          ? `A live capture is kept in a private temporary file (${captures.map((i) => i.fileName).join(', ')}) only while its window is open: Discard deletes it.`
          : 'Annotations are kept as pcapng packet comments; they are lost unless you save the capture.',
    });
    if (r.response === 2) return;
    if (r.response === 0) {
      for (const info of unsaved) {
        // A running capture is stopped first: the file is saved whole.
        if (info.live) await ctx.engine.call('stopCapture', { session: info.session }).catch(() => undefined);
        const saved = await saveCaptureAs(ctx, w, info.session).catch((err: unknown) => (showError(err), null));
        if (saved === null) return;
      }
    }
  }
  w.closeConfirmed = true;
  w.win.close();
}

function showError(err: unknown): void {
  dialog.showErrorBox('WireLadder', err instanceof Error ? err.message : String(err));
}
