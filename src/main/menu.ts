// The application menu: platform roles plus File, Capture and View. Items that act on what a window
// shows are sent to it as HostCommands; the rest run here.

import { Menu, nativeTheme, type MenuItemConstructorOptions } from 'electron';
import type { HostCommand } from '../shared/bridge';

export interface MenuActions {
  open(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  recent(): string[];
  saveAs(): void;
  close(): void;
  /** Sends a command to the focused window. */
  command(c: HostCommand): void;
  devTools: boolean;
}

export function buildMenu(a: MenuActions): Menu {
  const mac = process.platform === 'darwin';
  const recent = a.recent();
  const theme = (source: 'system' | 'light' | 'dark', label: string): MenuItemConstructorOptions => ({
    label,
    type: 'radio',
    checked: nativeTheme.themeSource === source,
    // The renderer follows prefers-color-scheme, which this switches.
    click: () => (nativeTheme.themeSource = source),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => a.open() },
        {
          label: 'Open Recent',
          submenu: [
            ...(recent.length === 0
              ? [{ label: 'No recent captures', enabled: false } as MenuItemConstructorOptions]
              : recent.map((p) => ({ label: p, click: () => a.openRecent(p) }))),
            { type: 'separator' },
            { label: 'Clear Recent', enabled: recent.length > 0, click: () => a.clearRecent() },
          ],
        },
        { type: 'separator' },
        { label: 'Save As… (pcapng)', accelerator: 'CmdOrCtrl+Shift+S', click: () => a.saveAs() },
        { label: 'Export Diagram…', accelerator: 'CmdOrCtrl+Shift+E', click: () => a.command({ type: 'export-diagram' }) },
        { type: 'separator' },
        { label: 'Close', accelerator: 'CmdOrCtrl+W', click: () => a.close() },
        ...(mac ? [] : [{ type: 'separator' } as MenuItemConstructorOptions, { role: 'quit' } as MenuItemConstructorOptions]),
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Capture',
      submenu: [
        { label: 'Start…', accelerator: 'CmdOrCtrl+K', click: () => a.command({ type: 'start-capture' }) },
        { label: 'Stop', accelerator: 'CmdOrCtrl+Shift+K', click: () => a.command({ type: 'stop-capture' }) },
      ],
    },
    {
      label: '&TLS',
      submenu: [
        { label: 'Keys… (key logs, RSA keys)', accelerator: 'CmdOrCtrl+Shift+Y', click: () => a.command({ type: 'tls-keys' }) },
        { label: 'Follow Stream', accelerator: 'CmdOrCtrl+Alt+Shift+T', click: () => a.command({ type: 'follow-stream' }) },
      ],
    },
    {
      label: '&View',
      submenu: [
        { label: 'Theme', submenu: [theme('system', 'Follow System'), theme('light', 'Light'), theme('dark', 'Dark')] },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        {
          label: 'Layer Model',
          submenu: [
            { label: 'OSI (7 layers)', type: 'radio', checked: true, click: () => a.command({ type: 'layer-model', model: 'osi' }) },
            { label: 'TCP/IP (4 layers)', type: 'radio', click: () => a.command({ type: 'layer-model', model: 'tcpip' }) },
          ],
        },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(a.devTools ? [{ role: 'toggleDevTools' } as MenuItemConstructorOptions] : []),
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
