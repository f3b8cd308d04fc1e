// What the UI talks to: the contract's WireLadderClient plus the host's commands (menus, drops).

import type { SessionInfo, WireLadderClient } from '../../../shared/api';
import type { HostCommand } from '../../../shared/bridge';

export interface AppClient extends WireLadderClient {
  /** Menu items and files dropped on the window (Electron); browser mode has none. */
  onCommand(fn: (command: HostCommand) => void): () => void;
  /** Called once if the connection to the engine is lost (browser mode: the server stopped). */
  onDisconnect(fn: (reason: string) => void): () => void;
  /**
   * Browser mode: sends a capture the user picked or dropped to the server (a private copy there)
   * and opens it. Electron has none: it opens files by path (the native dialog, dropped files).
   */
  uploadCapture?(file: File, onProgress?: (fraction: number) => void): Promise<SessionInfo>;
}
