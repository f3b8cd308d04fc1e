// What the HTTP/2 parser learns about one connection: its frames, streams (request/response
// pairs), settings, control frames and outcomes, for the views and the conversation summary.

import type { Direction } from '../flow/app-parser';

export interface Http2Header {
  /** null: a dynamic-table entry the capture missed (see Http2Message.undecodable). */
  name: string | null;
  value: string | null;
  /** hpack.ts Repr. */
  repr: number;
  /** Table index used (0 for a new name). */
  index: number;
  /** RFC 7541 §6.2.3: a never-indexed literal (a credential, typically). */
  neverIndexed: boolean;
  /** Huffman-coded value on the wire (RFC 7541 §5.2). */
  huffman: boolean;
}

/** One direction of a stream: a request (client → server) or a response. */
export interface Http2Message {
  /** Header fields of the first header block (empty when summary only). */
  headers: Http2Header[];
  /** Trailers: a second header block ending the stream (empty when none). */
  trailers: Http2Header[];
  method: string | null;
  path: string | null;
  authority: string | null;
  scheme: string | null;
  /** :status of the final response (interim 1xx ones are in Http2Stream.interim). */
  status: number | null;
  contentType: string | null;
  contentLength: number | null;
  contentEncoding: string | null;
  /** Row (0-based) and time of the packet completing the first header block, -1 / NaN if none. */
  headersRow: number;
  headersTime: number;
  /** DATA frames and their payload bytes (padding excluded). */
  dataFrames: number;
  bodyBytes: number;
  firstDataRow: number;
  lastDataRow: number;
  /** END_STREAM seen: the row and time of the frame carrying it, -1 / NaN otherwise. */
  endRow: number;
  endTime: number;
  /** Body bytes kept for display (not in summary-only passes), up to the parser's limit. */
  body: Uint8Array | null;
  bodyKept: number;
  /** Some body bytes were not kept (limit reached, or lost in a gap). */
  bodyTruncated: boolean;
  /** Why a header block of this message could not be fully decoded, or null. */
  undecodable: string | null;
}

export type StreamOutcome = 'open' | 'complete' | 'reset' | 'refused-by-goaway' | 'unfinished';

export interface Http2Reset {
  by: Direction;
  code: number;
  name: string;
  row: number;
  time: number;
}

export interface Http2Stream {
  id: number;
  request: Http2Message;
  response: Http2Message;
  /** :status values of interim (1xx) responses. */
  interim: number[];
  /** Server push (RFC 9113 §8.4): the stream whose PUSH_PROMISE announced this one, else 0. */
  promisedBy: number;
  /** Stream 1 after `Upgrade: h2c`: its request was the HTTP/1.1 request (RFC 7540 §3.2). */
  upgraded: boolean;
  reset: Http2Reset | null;
  firstRow: number;
  lastRow: number;
  firstTime: number;
}

export interface Http2Setting {
  id: number;
  value: number;
}

/** A frame as the ladder and frame lists need it (not kept in summary-only passes). */
export interface Http2FrameRecord {
  dir: Direction;
  type: number;
  flags: number;
  stream: number;
  length: number;
  /** Stream offset of the frame header in its direction, and the rows of its first and last byte. */
  streamOffset: number;
  firstRow: number;
  row: number;
  time: number;
  /** SETTINGS values, RST_STREAM/GOAWAY codes, WINDOW_UPDATE increment, PING data as hex… */
  settings: Http2Setting[] | null;
  errorCode: number;
  lastStreamId: number;
  increment: number;
  /** Info text of the frame (`HEADERS[1]: GET /`). */
  info: string;
}

export interface Http2Goaway {
  by: Direction;
  lastStreamId: number;
  code: number;
  name: string;
  debug: string;
  row: number;
  time: number;
}

export interface Http2Problem {
  dir: Direction;
  row: number;
  reason: string;
}

export interface Http2Session {
  /** How HTTP/2 was chosen: the client preface (prior knowledge or TLS), Upgrade: h2c, or frames alone. */
  start: 'preface' | 'upgrade' | 'frames';
  /** Row of the client preface, -1 when not seen. */
  prefaceRow: number;
  /** Frames per direction, and per type (index = type; 12 counts every unknown type). */
  frames: [number, number];
  framesByType: number[];
  /** Streams seen, requests and responses (final :status) seen, resets. */
  streamCount: number;
  requests: number;
  responses: number;
  resets: number;
  /** Responses per :status. */
  statusCounts: Map<number, number>;
  /** Header blocks that could not be fully decoded. */
  undecodableBlocks: number;
  goaways: Http2Goaway[];
  /** Latest settings each side announced (id → value). */
  settings: [Map<number, number>, Map<number, number>];
  /** Streams by id, in the order they opened (not kept when summary only, beyond the open ones). */
  streams: Map<number, Http2Stream>;
  /** Frames in order (views only: empty when summary only). */
  frameRecords: Http2FrameRecord[];
  problems: Http2Problem[];
  /** The first request, `GET /` (for conversation lists). */
  firstRequest: string | null;
  /** Seconds from the first request's header block to its response's, or null. */
  timeToFirstByte: number | null;
  /** Rows of those two header blocks (the time to first byte's endpoints), or null. */
  firstByteRows: [number, number] | null;
}
