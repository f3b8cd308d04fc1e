// Plain data the engine service hands across the RPC seam (JSON-safe: no class instances, no
// typed arrays; bytes travel base64-encoded). src/shared re-exports these as the contract's types.

import type { LadderModel, LadderOptions } from '../ladder/model';

export type SessionId = string;

export interface StopInfo {
  /** Byte offset of the damaged or truncated record. */
  offset: number;
  reason: string;
}

export interface SessionInfo {
  session: SessionId;
  fileName: string;
  /** 'pcap' | 'pcapng', or 'live' while capturing. */
  format: string;
  compressed: boolean;
  fileSize: number;
  /** Packets indexed so far. */
  packets: number;
  /** Rows passing the display filter. */
  displayed: number;
  filter: string;
  loading: boolean;
  /** 0..1 while loading. */
  progress: number;
  live: boolean;
  /** Where and why the reader stopped early (damaged or truncated file). */
  stop: StopInfo | null;
  /** The load was cancelled: the rows read until then are kept; `progress` is how far it got. */
  cancelled: boolean;
  /**
   * Reading stopped because memory ran short: "stopped at N packets (P %): memory limit reached —
   * the packets read are all available" (null otherwise).
   */
  memoryLimit: string | null;
  error: string | null;
  /** Epoch seconds of the first packet. */
  firstTime: number | null;
  durationSeconds: number;
  linkTypes: string[];
  annotations: number;
  /** True when annotations were changed since the file was opened or saved. */
  dirty: boolean;
  /** A live capture's temporary file that has not been saved anywhere yet (Save As clears it). */
  unsavedCapture: boolean;
}

/** Row colouring rules, in Wireshark's spirit. */
export type RowColour =
  | 'syn'
  | 'fin'
  | 'rst'
  | 'tcp-bad'
  | 'tls-handshake'
  | 'tls-alert'
  | 'tls'
  | 'http'
  | 'udp'
  | 'icmp'
  | 'arp'
  | 'malformed'
  | 'default';

export interface PacketRow {
  /** 1-based frame number. */
  number: number;
  /** Seconds since the first packet. */
  time: number;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
  colour: RowColour;
  /** Conversation id, -1 when none. */
  conversation: number;
  comment: boolean;
}

export interface RowsPage {
  /** Index of the first row in the displayed (filtered) list. */
  start: number;
  rows: PacketRow[];
  /** Displayed rows in total. */
  total: number;
}

export interface FieldNodeDto {
  name: string;
  label: string;
  start: number;
  length: number;
  source: number;
  warning?: string;
  children?: FieldNodeDto[];
}

export type OsiLayerNumber = 1 | 2 | 3 | 4 | 5 | 7;

export interface LayerDto {
  protocol: string;
  title: string;
  /** OSI layer: 1 frame, 2 data link, 3 network, 4 transport, 5 session/presentation (TLS), 7 application. */
  osi: OsiLayerNumber;
  start: number;
  length: number;
  source: number;
  fields: FieldNodeDto[];
  malformed: string | null;
}

export interface ByteSourceDto {
  /** 'Frame', 'Reassembled TCP (1,234 bytes)', 'Reassembled IPv4'… */
  name: string;
  /** Base64 of the bytes. */
  base64: string;
}

export interface PacketDetail {
  number: number;
  layers: LayerDto[];
  sources: ByteSourceDto[];
  comments: string[];
  conversation: number;
}

export interface Endpoint {
  address: string;
  port: number;
}

export interface ConversationDto {
  id: number;
  protocol: 'TCP' | 'UDP';
  /** tcp.stream / udp.stream */
  stream: number;
  client: Endpoint;
  server: Endpoint;
  /** How the client was chosen: 'syn', 'syn-ack', 'port', 'first-packet'. */
  roleReason: string;
  packets: [number, number];
  bytes: [number, number];
  /** Seconds since the capture's first packet. */
  start: number;
  duration: number;
  /** 'complete' | 'syn-only' | 'reset' | 'mid-stream' | 'n/a' … */
  handshake: string;
  initialRtt: number | null;
  tls: { version: string; sni: string; cipher: string; alpn: string; resumed: boolean } | null;
  httpTransactions: number;
  /** TLS decryption: 'decrypted', 'partial', 'failed', 'keys missing', 'unsupported'; null without keys. */
  decryption: string | null;
  /** The first HTTP request (`GET /index.html`), also from inside decrypted TLS. */
  httpFirstRequest: string | null;
  verdict: { status: 'complete' | 'failed' | 'incomplete'; reason: string } | null;
  /** Notable events: 'retransmissions', 'reset', 'zero-window', 'alert'… */
  flags: string[];
}

export interface LadderDto {
  model: LadderModel;
  /** The same diagram the SVG export writes (theme and layout as requested). */
  svg: string;
}

export interface TlsRecordDto {
  dir: 'client' | 'server';
  /** 1-based position among this direction's records. */
  index: number;
  contentType: string;
  version: string;
  length: number;
  /** Handshake messages inside, or what the record carries ('Application Data', 'Alert …'). */
  messages: string[];
  encrypted: boolean;
  /** Keys applied: 'decrypted', 'failed' (see decryptError), 'no-key' (encrypted, keys loaded but none for it), or null (no keys loaded). */
  decryption: 'decrypted' | 'failed' | 'no-key' | null;
  decryptError: string | null;
  /** The real content type of a decrypted record ('Handshake', 'Application Data'…). */
  innerType: string | null;
  /** The start of the decrypted content as text (printable ASCII, others as '.'), at most 96 characters. */
  plaintextPreview: string | null;
  /** Seconds since the conversation's first packet, when the record completed. */
  time: number;
  /** TCP segments that carried the record's bytes. */
  segments: { packet: number; offset: number; length: number }[];
}

export interface TlsRecordsDto {
  conversation: number;
  client: Endpoint;
  server: Endpoint;
  records: TlsRecordDto[];
  /** What the keys did for this conversation (status, reason, which key source), null without keys. */
  decryption: { status: string; reason: string | null; keySource: string | null; finished: [string | null, string | null] } | null;
}

/** One key source of a session: never key material, only names and counts. */
export interface TlsKeySourceDto {
  id: number;
  kind: 'keylog' | 'dsb' | 'rsa';
  /** File name (or `Decryption Secrets Block 1`). */
  name: string;
  entries: number;
  matchedSessions: number;
  problems: { line: number; reason: string }[];
  problemCount: number;
  watched: boolean;
  binding: string;
}

export interface TlsKeysDto {
  sources: TlsKeySourceDto[];
  /** TLS sessions seen in the capture, and how many of them some source holds keys for. */
  sessionsSeen: number;
  sessionsMatched: number;
}

/** Follow stream: both directions' application bytes in the order they were sent. */
export interface FollowStreamDto {
  conversation: number;
  mode: 'tcp' | 'tls';
  client: Endpoint;
  server: Endpoint;
  /** Runs of bytes from one side, with the frame that carried (or completed) them. */
  chunks: { from: 'client' | 'server'; packet: number; base64: string }[];
  /** Bytes per direction [client → server, server → client] (all of them, also past the cut). */
  bytes: [number, number];
  /** More bytes than one answer carries (FOLLOW_LIMIT): the rest is left out. */
  truncated: boolean;
  /** Why nothing (or not everything) could be shown: no TLS, not decrypted… */
  note: string | null;
}

export interface CountDto {
  name: string;
  count: number;
}

export interface ProtocolNodeDto {
  name: string;
  packets: number;
  bytes: number;
  children: ProtocolNodeDto[];
}

export interface StatisticsDto {
  protocolHierarchy: ProtocolNodeDto[];
  timeline: { bucketSeconds: number; points: { t: number; packets: number; bytes: number }[] };
  handshakeLatencies: { conversation: number; label: string; tcpConnect: number | null; tlsHandshake: number | null; timeToFirstByte: number | null }[];
  tlsVersions: CountDto[];
  cipherSuites: CountDto[];
  topTalkers: { address: string; packets: number; bytes: number }[];
}

export type ExportFormat = 'svg' | 'png' | 'pdf' | 'mermaid' | 'json';

export interface ExportResult {
  fileName: string;
  mime: string;
  encoding: 'utf8' | 'base64';
  data: string;
}

export interface FilterResult {
  ok: boolean;
  displayed: number;
  error: string | null;
}

export interface InterfaceDto {
  name: string;
  description: string;
  addresses: string[];
  loopback: boolean;
  up: boolean;
}

/** An interface's cumulative counters (received + sent) since it came up, as the OS keeps them. */
export interface InterfaceCountersDto {
  name: string;
  packets: number;
  bytes: number;
}

export interface CaptureOptionsDto {
  interface: string;
  filter: string;
  snaplen: number;
  promiscuous: boolean;
  stopAfterPackets: number | null;
  stopAfterSeconds: number | null;
  stopAfterBytes: number | null;
}

export interface CaptureStatsDto {
  received: number;
  /** Dropped by the kernel's capture buffer (pcap_stats ps_drop); null before the first reading. */
  droppedByKernel: number | null;
  /** Dropped by the interface (pcap_stats ps_ifdrop, Linux only); null where unknown. */
  droppedByInterface: number | null;
  written: number;
  bytesWritten: number;
  seconds: number;
}

export interface SaveResult {
  path: string;
  packets: number;
  annotations: number;
}

export type { LadderModel, LadderOptions };

/** Events the engine pushes to the UI. */
export interface EngineEvents {
  'session-updated': SessionInfo;
  /** A display filter re-dissecting packets (the slow path) reports how far it got. */
  'filter-progress': { session: SessionId; phase: 'index' | 'tree'; done: number; total: number };
  'capture-stats': { session: SessionId; stats: CaptureStatsDto; running: boolean; error: string | null };
  /**
   * The engine stopped (its worker died, or was restarted because it stopped answering): the
   * sessions it held are gone; a window showing one of them can reopen it (WireLadderClient.reopen).
   */
  'engine-stopped': { reason: string; sessions: SessionId[] };
}
