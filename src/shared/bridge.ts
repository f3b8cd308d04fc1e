// The Electron side of the contract: IPC channel names, the typed bridge the preload exposes as
// `window.wireladder`, and the commands the host (menus, drag-and-drop) sends to a window.

import type { ArgOf, CapturePlacement, EngineEvent, EngineMethod, HostInfo, ResultOf } from './api';
import type { EngineEvents, ExportResult, PacketRangeDto, SaveResult, SessionId, SessionInfo, TlsKeysDto } from '../core/service/dto';

/** Every IPC channel starts with this; main refuses anything else. */
export const channelPrefix = 'wireladder:';

export const channels = {
  /**
   * `wireladder:engine:<method>` for engine methods: a namespace of their own, so that no method
   * name a page passes can ever spell a host channel (`host:drop-files` grants file access).
   */
  method: (m: EngineMethod) => `${channelPrefix}engine:${m}`,
  hostInfo: `${channelPrefix}host:info`,
  openDialog: `${channelPrefix}host:open-dialog`,
  saveExport: `${channelPrefix}host:save-export`,
  saveCaptureDialog: `${channelPrefix}host:save-capture-dialog`,
  /** "Save with embedded keys": the save dialog, then a pcapng with a DSB of the keys used. */
  saveCaptureWithKeysDialog: `${channelPrefix}host:save-capture-keys-dialog`,
  /** The Keys dialog's native file picker: a key log (optionally followed) or a PEM RSA key. */
  openKeyFileDialog: `${channelPrefix}host:open-key-file-dialog`,
  /** A capture the window started: show it there or in a new window (WireLadderClient.showCapture). */
  showCapture: `${channelPrefix}host:show-capture`,
  /** Opens a session's capture again after the engine stopped (WireLadderClient.reopen). */
  reopen: `${channelPrefix}host:reopen`,
  /** Paths of files dropped on a window (read by the preload with webUtils.getPathForFile). */
  dropFiles: `${channelPrefix}host:drop-files`,
  /** main → window: engine events for the window's sessions. */
  event: `${channelPrefix}event`,
  /** main → window: menu and drag-and-drop commands. */
  command: `${channelPrefix}command`,
} as const;

/** What an IPC handler answers: errors travel as data so their messages arrive intact. */
export type IpcReply<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string } };

/** Commands the host sends a window (application menu, files dropped on another window). */
export type HostCommand =
  | { type: 'show-session'; session: SessionId }
  | { type: 'export-diagram' }
  | { type: 'start-capture' }
  | { type: 'stop-capture' }
  | { type: 'layer-model'; model: 'osi' | 'tcpip' }
  /** View › TLS Keys…: the Keys dialog. */
  | { type: 'tls-keys' }
  /** View › Follow Stream: the Follow stream tab. */
  | { type: 'follow-stream' };

/** Exactly what the preload exposes through contextBridge as `window.wireladder`. */
export interface WireLadderBridge {
  invoke<M extends EngineMethod>(method: M, arg: ArgOf<M>): Promise<ResultOf<M>>;
  on<E extends EngineEvent>(event: E, fn: (payload: EngineEvents[E]) => void): () => void;
  onCommand(fn: (command: HostCommand) => void): () => void;
  host(): Promise<HostInfo>;
  openDialog(): Promise<SessionInfo | null>;
  saveExport(result: ExportResult): Promise<string | null>;
  /** With `packets`: Export Specified Packets (only the packets the range selects). */
  saveCaptureDialog(session: SessionId, packets?: PacketRangeDto): Promise<SaveResult | null>;
  saveCaptureWithKeysDialog(session: SessionId): Promise<SaveResult | null>;
  openKeyFileDialog(arg: { session: SessionId; watch: boolean }): Promise<TlsKeysDto | null>;
  showCapture(session: SessionId): Promise<CapturePlacement>;
  reopen(session: SessionId): Promise<SessionInfo>;
}

// ---- Browser transport: JSON messages over the WebSocket at /rpc?token=… ----

/** Host requests of the browser transport (besides the engine methods). */
export const browserHostMethods = ['host:info', 'host:save-capture', 'host:reopen', 'host:open-upload'] as const;
export type BrowserHostMethod = (typeof browserHostMethods)[number];

export interface WsRequest {
  id: number;
  method: EngineMethod | BrowserHostMethod;
  arg: unknown;
}

export type WsReply = { id: number } & IpcReply<unknown>;

export interface WsEvent {
  event: EngineEvent;
  payload: unknown;
}

/** Answer to POST /upload: the private copy's id (for 'host:open-upload') and what was kept. */
export interface UploadResult {
  id: string;
  fileName: string;
  bytes: number;
}

/** Answer to 'host:save-capture': the capture was written on the server; download it from `url`. */
export interface BrowserSaveResult {
  url: string;
  fileName: string;
  result: SaveResult;
}
