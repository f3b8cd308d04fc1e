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
  /** Packets the user marked (Wireshark's Mark Packet) and ignored. */
  marked: number;
  ignored: number;
  /** The packet list's sort (null: frame order). */
  sort: SortDto | null;
  /** Conversations found so far (the Conversations tab's count, without fetching the list). */
  conversations: number;
}

/** A packet list sort: a built-in column or a field (custom column); ties keep frame order. */
export interface SortDto {
  /** 'number' | 'time' | 'delta' | 'deltaDisplayed' | 'source' | 'destination' | 'protocol' | 'length' | 'info', or a field name. */
  column: string;
  /** The column is a field (a custom column), sorted by its values. */
  field: boolean;
  descending: boolean;
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
  /** Timestamp since the epoch (absolute time formats), seconds and nanoseconds. */
  epochSec: number;
  epochNsec: number;
  /** Decimal places the packet's timestamps carry (its interface's resolution: 6 for µs, 9 for ns). */
  precision: number;
  /** Seconds since the previous captured packet, and since the previous displayed one. */
  delta: number;
  deltaDisplayed: number;
  /** A time reference (Wireshark's *REF*): `time` of it and later packets counts from it. */
  timeRef: boolean;
  marked: boolean;
  ignored: boolean;
  /** The protocol of the Source and Destination columns' addresses, for their filters. */
  addressField: 'ip' | 'ipv6' | 'eth' | '';
  /** Transport protocol and ports (0 when none), for conversation filters. */
  transport: 'tcp' | 'udp' | '';
  srcPort: number;
  dstPort: number;
  /** Values of the custom columns the request named, as tshark -T fields prints them ('' when absent). */
  custom?: string[];
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
  /** The filter "Apply as Filter › Selected" makes of this item (absent when none can be made). */
  filter?: string;
  /** The value "Copy › Value" copies: what tshark -T fields prints (absent when the item has none). */
  value?: string;
  /** The packet this item refers to (a frame-number field, e.g. "Request in frame: 4"). */
  frame?: number;
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
  /** The protocol's filter (its name). */
  filter: string;
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
  /** The packet's expert items, as the Expert Info view lists them. */
  expert: ExpertItemDto[];
  /** Byte ranges marked malformed in the tree (`[Malformed: …]`), for the hex view. */
  malformed: { source: number; start: number; length: number; reason: string }[];
}

export type ExpertSeverityName = 'Error' | 'Warning' | 'Note' | 'Chat' | 'Comment';

export interface ExpertItemDto {
  severity: ExpertSeverityName;
  group: string;
  protocol: string;
  summary: string;
}

/** Wireshark's Expert Info dialog: items by severity, then by summary, with counts and packets. */
export interface ExpertInfoDto {
  /** Items in all. */
  total: number;
  severities: {
    severity: ExpertSeverityName;
    count: number;
    entries: { summary: string; group: string; protocol: string; count: number; packets: number[] }[];
  }[];
}

export interface Endpoint {
  address: string;
  port: number;
}

/** The Conversations view's columns the engine sorts by (ties by stream number, then by id). */
export type ConversationSortKey = 'stream' | 'protocol' | 'client' | 'server' | 'packets' | 'bytes' | 'start' | 'duration' | 'rtt' | 'tls' | 'sni' | 'decryption' | 'http' | 'verdict';

/** An order of the conversation table: a column, ascending or descending. */
export interface ConversationSortDto {
  key: ConversationSortKey;
  descending: boolean;
}

/** A window of the conversation table in one order, and how many rows the table has in all. */
export interface ConversationListDto {
  /** Every conversation (with "Limit to display filter": every one with a displayed packet). */
  total: number;
  /** Position of the first row sent in the whole sorted table. */
  offset: number;
  /** Rows [offset, offset + count) of the sorted table. */
  conversations: ConversationDto[];
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
  /** HTTP/2 on this connection (h2c, or decrypted TLS with ALPN h2): its streams in a line. */
  http2: Http2SummaryDto | null;
  /** The diagnosis in words (engine/diagnosis.ts): the same verdict the ladder shows. */
  verdict: { status: 'complete' | 'failed' | 'incomplete'; reason: string; findings: string[] } | null;
  /** Notable events: 'retransmissions', 'reset', 'zero-window', 'alert'… */
  flags: string[];
}

export interface Http2SummaryDto {
  streams: number;
  requests: number;
  responses: number;
  resets: number;
  /** `NO_ERROR (last stream 13)` from the first GOAWAY, or null. */
  goaway: string | null;
  /** Header blocks that could not be fully decoded (a capture that began mid-connection). */
  undecodable: number;
}

/** One HTTP/2 stream of a connection (the Conversations tab lists them under it). */
export interface Http2StreamDto {
  id: number;
  method: string | null;
  path: string | null;
  authority: string | null;
  status: number | null;
  contentType: string | null;
  /** DATA payload bytes each way. */
  requestBytes: number;
  responseBytes: number;
  /** Seconds since the connection's first packet when the stream opened. */
  start: number;
  /** Request header block to response header block, and to the response's end, in seconds. */
  wait: number | null;
  duration: number | null;
  outcome: 'complete' | 'reset' | 'refused-by-goaway' | 'unfinished';
  /** RST_STREAM: who sent it and its error code name. */
  reset: { by: 'client' | 'server'; error: string } | null;
  /** The request came as HTTP/1.1 and was upgraded (h2c stream 1), or was promised by a server push. */
  upgraded: boolean;
  pushedBy: number | null;
  /** Frame numbers of the stream's first and last packets. */
  firstPacket: number;
  lastPacket: number;
  /** Why a header block of the stream could not be fully decoded, or null. */
  undecodable: string | null;
}

export interface Http2StreamsDto {
  conversation: number;
  client: Endpoint;
  server: Endpoint;
  /** How HTTP/2 started: 'preface' (prior knowledge or ALPN), 'upgrade' (h2c), 'frames' (mid-connection). */
  start: string;
  settings: { client: { name: string; value: number }[]; server: { name: string; value: number }[] };
  goaways: { by: 'client' | 'server'; lastStreamId: number; error: string; debug: string; packet: number }[];
  streams: Http2StreamDto[];
  problems: string[];
}

/** "Follow HTTP/2 stream N": the exchange as text, with its content coding undone. */
export interface Http2FollowPartDto {
  headers: [string, string][];
  trailers: [string, string][];
  body: string;
  bodyBytes: number;
  decodedBytes: number;
  coding: string | null;
  binary: boolean;
  notes: string[];
}

export interface Http2FollowDto {
  conversation: number;
  stream: number;
  request: Http2FollowPartDto;
  response: Http2FollowPartDto;
  /** Both parts as one text, as a Follow Stream window shows them. */
  text: string;
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
  /** Why the record (or, with index 0, bytes that are no record) is malformed; null when it is not. */
  malformed: string | null;
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

/** A latency between two frames (1-based), in seconds. */
export interface LatencySpan {
  fromFrame: number;
  toFrame: number;
  seconds: number;
}

export interface StatisticsDto {
  protocolHierarchy: ProtocolNodeDto[];
  timeline: { bucketSeconds: number; points: { t: number; packets: number; bytes: number }[] };
  /**
   * Per TCP conversation, in seconds: TCP connect (SYN → SYN/ACK), TLS handshake (ClientHello → the
   * Finished completing it), time to first byte (the first request → the first packet of its
   * answer); `spans` names the frames each one runs between (engine/diagnosis.ts defines them).
   */
  handshakeLatencies: {
    conversation: number;
    label: string;
    tcpConnect: number | null;
    tlsHandshake: number | null;
    timeToFirstByte: number | null;
    spans: { tcpConnect: LatencySpan | null; tlsHandshake: LatencySpan | null; timeToFirstByte: LatencySpan | null };
  }[];
  tlsVersions: CountDto[];
  cipherSuites: CountDto[];
  topTalkers: { address: string; packets: number; bytes: number }[];
  /** HTTP/2 connections: requests per connection (one per stream) and response status codes; null without HTTP/2. */
  http2: {
    connections: number;
    requests: number;
    resets: number;
    statusCodes: CountDto[];
    perConnection: { conversation: number; label: string; streams: number; requests: number; resets: number }[];
  } | null;
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

/**
 * Which packets an export writes (Wireshark's Export Specified Packets): all, the selected one,
 * the marked ones, first to last marked, or a range such as "1-10,15,20-"; each among the captured
 * packets or only the displayed ones, optionally without the ignored ones.
 */
export interface PacketRangeDto {
  scope: 'all' | 'selected' | 'marked' | 'first-last-marked' | 'range';
  /** Only packets the display filter shows. */
  displayed: boolean;
  /** The selected packet (scope 'selected'). */
  selected?: number;
  /** Frame numbers and ranges (scope 'range'): "1-10,15,20-". */
  range?: string;
  removeIgnored: boolean;
}

/** Find Packet (Ctrl+F): by display filter, hex bytes, string or regular expression. */
export interface FindRequestDto {
  by: 'filter' | 'hex' | 'string' | 'regex';
  text: string;
  /** Where a string or regex is looked for: the packet list's columns, the packet details, the bytes. */
  in: 'list' | 'details' | 'bytes';
  caseSensitive: boolean;
  backward: boolean;
  /** Position in the displayed list to search after (before, backward); -1 to start at an end. */
  from: number;
}

export interface FindResultDto {
  /** Position of the packet found in the displayed list, and its number; -1 and 0 when none. */
  index: number;
  packet: number;
  /** The search went past the end (start, backward) and continued from the other end. */
  wrapped: boolean;
  /** What to select in the packet: the matching bytes, or the first tree line containing the text. */
  bytes: { source: number; start: number; length: number } | null;
  label: string | null;
  /** Wireshark's words when nothing was found ("No packet contained those bytes."), or a filter error. */
  message: string | null;
}

/** One endpoint (Statistics › Endpoints): an address, or an address and port for TCP and UDP. */
export interface EndpointRowDto {
  address: string;
  port: number | null;
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
}

export interface EndpointsDto {
  ipv4: EndpointRowDto[];
  ipv6: EndpointRowDto[];
  tcp: EndpointRowDto[];
  udp: EndpointRowDto[];
}

/** One I/O graph line: a display filter and what is counted per interval. */
export interface IoSeriesRequestDto {
  filter: string;
  unit: 'packets' | 'bytes' | 'bits';
}

export interface IoGraphDto {
  intervalSeconds: number;
  /** Per series, the count of each interval from the first packet (or why it has none). */
  series: { filter: string; unit: IoSeriesRequestDto['unit']; values: number[]; error: string | null }[];
}

/** Field and protocol names for the display filter's autocomplete. */
export interface FieldCatalogueDto {
  fields: { name: string; title: string; type: string }[];
  protocols: string[];
}

export interface FilterCheckDto {
  ok: boolean;
  error: string | null;
  /** Where the error is in the text, when known. */
  position: number | null;
  warnings: string[];
}

export type { LadderModel, LadderOptions };

/** Events the engine pushes to the UI. */
export interface EngineEvents {
  'session-updated': SessionInfo;
  /** A display filter re-dissecting packets (the slow path) reports how far it got. */
  'filter-progress': { session: SessionId; phase: 'index' | 'tree'; done: number; total: number };
  'capture-stats': { session: SessionId; stats: CaptureStatsDto; running: boolean; error: string | null };
  /** Long work on a session (sorting, Find Packet, the I/O graph) reports how far it got. */
  'task-progress': { session: SessionId; task: 'sort' | 'find' | 'io-graph'; done: number; total: number };
  /**
   * The engine stopped (its worker died, or was restarted because it stopped answering): the
   * sessions it held are gone; a window showing one of them can reopen it (WireLadderClient.reopen).
   */
  'engine-stopped': { reason: string; sessions: SessionId[] };
}
