// The one RPC contract between the UI and the engine: every request and event, with runtime
// argument checks that both transports (Electron IPC and the browser-mode WebSocket) apply.

import type {
  CaptureOptionsDto,
  CaptureStatsDto,
  ConversationListDto,
  ConversationSortDto,
  ConversationSortKey,
  EngineEvents,
  ExpertInfoDto,
  ExportFormat,
  ExportResult,
  FilterResult,
  Http2FollowDto,
  Http2StreamsDto,
  InterfaceCountersDto,
  InterfaceDto,
  LadderDto,
  LadderOptions,
  PacketDetail,
  RowsPage,
  SaveResult,
  SessionId,
  SessionInfo,
  StatisticsDto,
  TlsRecordsDto,
  SortDto,
  FindRequestDto,
  FindResultDto,
  PacketRangeDto,
  EndpointsDto,
  IoGraphDto,
  IoSeriesRequestDto,
  FieldCatalogueDto,
  FilterCheckDto,
  TlsKeysDto,
  FollowStreamDto,
} from '../core/service/dto';

export type * from '../core/service/dto';
export type { LadderModel, LadderStep, StepKind, Phase, TcpStateName, Verdict, RttBracket, Language } from '../core/ladder/model';

/** Requests the engine service answers. Every method takes one plain-object argument. */
export interface EngineApi {
  /** Sessions (open captures) this engine holds, newest last. */
  listSessions(arg: Record<string, never>): Promise<SessionInfo[]>;
  /** Opens a capture file the user chose; loading continues in the background (see events). */
  openFile(arg: { path: string }): Promise<SessionInfo>;
  /** Opens the bundled sample capture. */
  openSample(arg: Record<string, never>): Promise<SessionInfo>;
  /** Stops a load in progress; the rows read so far stay. */
  cancelLoad(arg: { session: SessionId }): Promise<void>;
  closeSession(arg: { session: SessionId }): Promise<void>;
  sessionInfo(arg: { session: SessionId }): Promise<SessionInfo>;
  /** Sets the display filter ('' for none) and returns how many rows pass. */
  setFilter(arg: { session: SessionId; filter: string }): Promise<FilterResult>;
  /**
   * Rows [start, start+count) of the displayed list, in its sort order; `columns` names fields
   * whose values each row carries (custom columns).
   */
  rows(arg: { session: SessionId; start: number; count: number; columns?: string[] }): Promise<RowsPage>;
  /**
   * Position of a frame number in the displayed list (as sorted), or -1; with `nearest`, a hidden
   * packet gives the closest displayed one before it (else the first displayed one).
   */
  rowIndexOf(arg: { session: SessionId; packet: number; nearest?: boolean }): Promise<number>;
  packetDetail(arg: { session: SessionId; packet: number }): Promise<PacketDetail>;
  /**
   * Rows [offset, offset + count) of the conversation table sorted by `sort` (default: the order
   * they began; offset 0, count 50,000) and how many rows it has; `limitToDisplay`: only conversations
   * with displayed packets, counted over them. The engine sorts all of them once per order.
   */
  conversations(arg: { session: SessionId; limitToDisplay?: boolean; sort?: ConversationSortDto; offset?: number; count?: number }): Promise<ConversationListDto>;
  /** Position of a conversation in the table so sorted (and limited), or -1 when it is not listed. */
  conversationIndexOf(arg: { session: SessionId; conversation: number; limitToDisplay?: boolean; sort?: ConversationSortDto }): Promise<number>;
  ladder(arg: { session: SessionId; conversation: number; options: LadderOptions }): Promise<LadderDto>;
  tlsRecords(arg: { session: SessionId; conversation: number }): Promise<TlsRecordsDto>;
  /** The HTTP/2 streams of a connection (h2c, or HTTP/2 in decrypted TLS). */
  http2Streams(arg: { session: SessionId; conversation: number }): Promise<Http2StreamsDto>;
  /** "Follow HTTP/2 stream N": one stream's request and response as text, bodies decoded. */
  followHttp2Stream(arg: { session: SessionId; conversation: number; stream: number }): Promise<Http2FollowDto>;
  statistics(arg: { session: SessionId; limitToDisplay?: boolean }): Promise<StatisticsDto>;
  /** Expert information grouped by severity and summary; `limitToFilter`: only displayed packets. */
  expertInfo(arg: { session: SessionId; limitToFilter: boolean }): Promise<ExpertInfoDto>;
  exportLadder(arg: { session: SessionId; conversation: number; format: ExportFormat; options: LadderOptions }): Promise<ExportResult>;
  /** Sets (or with null, removes) the annotation of a packet; kept as a pcapng comment. */
  annotate(arg: { session: SessionId; packet: number; comment: string | null }): Promise<SessionInfo>;
  /**
   * Writes the capture (or the packets `packets` selects: Export Specified Packets) with its
   * annotations to a new pcapng file; `embedKeys` adds a Decryption Secrets Block with the key log
   * lines its TLS sessions use ("Save with embedded keys").
   */
  saveAs(arg: { session: SessionId; path: string; embedKeys?: boolean; packets?: PacketRangeDto }): Promise<SaveResult>;
  /** Follow stream: a conversation's application bytes, TCP payload or decrypted TLS. */
  followStream(arg: { session: SessionId; conversation: number; mode: 'tcp' | 'tls' }): Promise<FollowStreamDto>;
  /** The session's TLS key sources (names and counts; never key material). */
  tlsKeys(arg: { session: SessionId }): Promise<TlsKeysDto>;
  /** Adds a key log or PEM RSA key by its contents (uploads); the capture is analysed again. */
  addTlsKeyText(arg: { session: SessionId; name: string; text: string; binding: string }): Promise<TlsKeysDto>;
  /** Adds a key file the user chose by path (Electron); `watch` follows a key log as it grows. */
  addTlsKeyFile(arg: { session: SessionId; path: string; binding: string; watch: boolean }): Promise<TlsKeysDto>;
  removeTlsKey(arg: { session: SessionId; id: number }): Promise<TlsKeysDto>;
  listInterfaces(arg: Record<string, never>): Promise<InterfaceDto[]>;
  /**
   * Cumulative packets and bytes (received + sent) per interface, for the capture dialog's traffic
   * sparklines. Linux only (/sys/class/net); an empty list elsewhere.
   */
  interfaceCounters(arg: Record<string, never>): Promise<InterfaceCountersDto[]>;
  /** Checks a BPF capture filter; null when it compiles. */
  checkCaptureFilter(arg: { filter: string; interface: string }): Promise<{ error: string | null }>;
  startCapture(arg: { options: CaptureOptionsDto }): Promise<SessionInfo>;
  stopCapture(arg: { session: SessionId }): Promise<SessionInfo>;
  /** Sorts the packet list in the engine by a column or a field (null: frame order). */
  setSort(arg: { session: SessionId; sort: SortDto | null }): Promise<SessionInfo>;
  /** Find Packet (Ctrl+F) from a position in the displayed list, forward or backward. */
  findPacket(arg: { session: SessionId; find: FindRequestDto }): Promise<FindResultDto>;
  /** Mark / Ignore Packet and Set Time Reference (value null toggles each packet). */
  setPacketFlags(arg: { session: SessionId; packets: number[]; flag: 'marked' | 'ignored' | 'timeRef'; value: boolean | null }): Promise<SessionInfo>;
  /** How many packets an export range selects. */
  rangeCount(arg: { session: SessionId; packets: PacketRangeDto }): Promise<number>;
  /** Statistics › Endpoints (IPv4, IPv6, TCP, UDP). */
  endpoints(arg: { session: SessionId; limitToDisplay: boolean }): Promise<EndpointsDto>;
  /** The I/O graph: counts per interval for each filter-defined series. */
  ioGraph(arg: { session: SessionId; intervalSeconds: number; series: IoSeriesRequestDto[] }): Promise<IoGraphDto>;
  /** Every field and protocol name a display filter may use (autocomplete). */
  fieldCatalogue(arg: Record<string, never>): Promise<FieldCatalogueDto>;
  /** Checks a display filter without applying it (validation as the user types). */
  checkFilter(arg: { filter: string }): Promise<FilterCheckDto>;
}

export type EngineMethod = keyof EngineApi;
export type ArgOf<M extends EngineMethod> = Parameters<EngineApi[M]>[0];
export type ResultOf<M extends EngineMethod> = Awaited<ReturnType<EngineApi[M]>>;

export type { EngineEvents, CaptureStatsDto };
export type EngineEvent = keyof EngineEvents;

/** What the host (Electron main or the browser-mode server) adds around the engine. */
export interface HostInfo {
  transport: 'electron' | 'browser';
  /** Native open/save dialogs exist (Electron). Browser mode uploads and downloads instead. */
  nativeDialogs: boolean;
  /** Session the host opened for this window (command-line file, bundled sample), if any. */
  initialSession: SessionId | null;
  platform: string;
}

/** The renderer's view of the contract: engine requests, host requests, and events. */
export interface WireLadderClient {
  call<M extends EngineMethod>(method: M, arg: ArgOf<M>): Promise<ResultOf<M>>;
  on<E extends EngineEvent>(event: E, fn: (payload: EngineEvents[E]) => void): () => void;
  host(): Promise<HostInfo>;
  /** Electron: shows the native open dialog and opens the choice. Browser: not available (null). */
  openDialog(): Promise<SessionInfo | null>;
  /** Electron: native save dialog, then writes. Browser: triggers a download. Returns where it went. */
  saveExport(result: ExportResult): Promise<string | null>;
  /** Electron: native save dialog for "Save As… pcapng". */
  /** With `packets`: Export Specified Packets (only the packets the range selects). */
  saveCaptureDialog(session: SessionId, packets?: PacketRangeDto): Promise<SaveResult | null>;
  /** "Save with embedded keys": as saveCaptureDialog, with a DSB of the key log lines the capture uses. */
  saveCaptureWithKeysDialog(session: SessionId): Promise<SaveResult | null>;
  /**
   * Electron: the native picker for a key file (key log or PEM RSA key), added by path (`watch`
   * follows a key log as it grows). Browser: null (the Keys dialog uploads the file's contents).
   */
  openKeyFileDialog(session: SessionId, watch: boolean): Promise<TlsKeysDto | null>;
  /**
   * Where a capture this window just started is shown. Electron follows its rule for opened files:
   * 'here' when the window shows nothing or only the bundled sample, else 'new-window' (main opened
   * one for it). Browser mode has one view per tab: always 'here'.
   */
  showCapture(session: SessionId): Promise<CapturePlacement>;
  /**
   * After 'engine-stopped': starts a fresh engine if needed and opens the capture `session` showed
   * again; resolves with the new session (the old one is gone).
   */
  reopen(session: SessionId): Promise<SessionInfo>;
}

export type CapturePlacement = 'here' | 'new-window';

/**
 * The longest annotation (characters). A pcapng option's length is 16 bits (pcapng §3.5: at most
 * 65,535 bytes) and UTF-8 takes at most 3 bytes per UTF-16 unit, so a note this long always fits
 * one opt_comment, and a request carrying it stays far below the WebSocket's 1 MiB.
 */
export const MAX_NOTE_LENGTH = 10_000;

/** Every engine method, for generic adapters (a missing one fails to compile below). */
export const engineMethods = [
  'listSessions',
  'openFile',
  'openSample',
  'cancelLoad',
  'closeSession',
  'sessionInfo',
  'setFilter',
  'rows',
  'rowIndexOf',
  'packetDetail',
  'conversations',
  'conversationIndexOf',
  'ladder',
  'tlsRecords',
  'http2Streams',
  'followHttp2Stream',
  'statistics',
  'expertInfo',
  'exportLadder',
  'annotate',
  'saveAs',
  'followStream',
  'tlsKeys',
  'addTlsKeyText',
  'addTlsKeyFile',
  'removeTlsKey',
  'listInterfaces',
  'interfaceCounters',
  'checkCaptureFilter',
  'startCapture',
  'stopCapture',
  'setSort',
  'findPacket',
  'setPacketFlags',
  'rangeCount',
  'endpoints',
  'ioGraph',
  'fieldCatalogue',
  'checkFilter',
] as const satisfies readonly EngineMethod[];

type Missing = Exclude<EngineMethod, (typeof engineMethods)[number]>;
const _allListed: Missing extends never ? true : Missing = true;
void _allListed;

/** Every column the engine sorts the conversation table by (a missing one fails to compile below). */
export const CONVERSATION_SORT_KEYS = ['stream', 'protocol', 'client', 'server', 'packets', 'bytes', 'start', 'duration', 'rtt', 'tls', 'sni', 'decryption', 'http', 'verdict'] as const satisfies readonly ConversationSortKey[];
const _allSortKeys: Exclude<ConversationSortKey, (typeof CONVERSATION_SORT_KEYS)[number]> extends never ? true : false = true;
void _allSortKeys;

export function isEngineMethod(name: unknown): name is EngineMethod {
  return typeof name === 'string' && (engineMethods as readonly string[]).includes(name);
}
