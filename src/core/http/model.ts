// What the HTTP/1.x parser learns about one conversation: messages, transactions and the session.

/** A capture time: seconds since the epoch and nanoseconds (exact, no float rounding). */
export interface Instant {
  sec: number;
  nsec: number;
}

/** One header field as sent: the name keeps its case, the value is trimmed (RFC 9112 §5). */
export type HttpHeader = readonly [name: string, value: string];

/** How a message's end was found (RFC 9112 §6.3). */
export type BodyFraming =
  /** No body: a request without length, HEAD, 1xx, 204, 304, 2xx to CONNECT. */
  | 'none'
  | 'content-length'
  | 'chunked'
  /** A response without length: the body runs until the server closes the connection. */
  | 'close';

/** What the two HTTP message kinds share. */
export interface HttpMessage {
  /** `HTTP/1.1` as written (may be malformed, e.g. `HTTP/1.`, or empty). */
  version: string;
  headers: HttpHeader[];
  /** Declared Content-Length, or null when absent or unparseable. */
  contentLength: number | null;
  /** Transfer-Encoding ends in `chunked`. */
  chunked: boolean;
  framing: BodyFraming;
  /** Body bytes after de-chunking, counted (not copied) on the fast path. */
  bodyLength: number;
  /** Body bytes on the wire (chunk framing and trailers included). */
  bodyWireLength: number;
  /** Trailer fields of a chunked body. */
  trailers: HttpHeader[];
  /** Stream offset (in the sender's direction) of the message's first byte. */
  streamOffset: number;
  /** Stream offsets [start, end) of the start line and header block, blank line included. */
  headerStart: number;
  headerEnd: number;
  /** Stream offsets [start, end) of the body on the wire (end grows while the body arrives). */
  bodyStart: number;
  bodyEnd: number;
  /** Row (0-based) of the packet carrying the first byte, and of the one completing the message (-1 if never). */
  startRow: number;
  completedRow: number;
  /** Time of the first byte and of completion (null until complete). */
  firstTime: Instant;
  time: Instant | null;
  /** The message ended properly (false when the capture or connection cut it short). */
  complete: boolean;
  /** Bytes of the body that were never captured (gaps in the stream). */
  missingBytes: number;
  /** Why the message is damaged, or null. */
  malformed: string | null;
  /** Media type from Content-Type, lower case, without parameters (`text/html`), or null. */
  mediaType: string | null;
}

export interface HttpRequest extends HttpMessage {
  kind: 'request';
  method: string;
  /** Request target as written: origin-form `/a?b`, absolute-form `http://h/`, authority-form `h:443`, or `*`. */
  uri: string;
  /** Host header value, or null. */
  host: string | null;
}

export interface HttpResponse extends HttpMessage {
  kind: 'response';
  /** Status code (NaN-free: 0 when the status line had no readable code). */
  code: number;
  reason: string;
}

export type HttpUpgrade = 'websocket' | 'connect-tunnel' | 'upgrade' | null;

export interface HttpTransaction {
  /** 0-based position in the conversation. */
  index: number;
  /** Null when the capture started after the request was sent (a response without request). */
  request: HttpRequest | null;
  /** Interim 1xx responses (100 Continue, 103 Early Hints) before the final one. */
  interim: HttpResponse[];
  /** The final response, or null when none was seen. */
  response: HttpResponse | null;
  /**
   * Seconds from the request's completion to the first byte of the final response (server think
   * time plus one-way delay), or null when either is unknown or the server answered early.
   */
  waitSeconds: number | null;
  /** Seconds from the request's completion to the response's completion (tshark's http.time). */
  responseSeconds: number | null;
  /** Whether the connection stays open after this exchange, and the rule that decided it. */
  keepAlive: boolean;
  keepAliveReason: string;
  /** The connection stopped speaking HTTP after this exchange. */
  upgraded: HttpUpgrade;
  /** Upgrade protocol named by the exchange (`websocket`, `h2c`), or null. */
  upgradeProtocol: string | null;
}

/** Damage found in one direction, with where it was. */
export interface HttpDamage {
  dir: 0 | 1;
  streamOffset: number;
  row: number;
  reason: string;
}

/** The bytes after CONNECT's 2xx or a 101 Switching Protocols. */
export interface HttpTunnel {
  kind: 'connect-tunnel' | 'websocket' | 'upgrade';
  /** Transaction that opened it. */
  transaction: number;
  /** CONNECT target `host:port`, or the upgrade protocol. */
  target: string;
  /** Protocol of the nested parser (`tls`), or null when the bytes are only counted. */
  innerProtocol: string | null;
  /** Bytes per direction (0 = client → server). */
  bytes: [number, number];
  /** Stream offsets where the tunnel starts in each direction (-1 until its first byte). */
  streamOffset: [number, number];
}

/** Summary of HTTP on one conversation. */
export interface HttpSession {
  transactions: HttpTransaction[];
  requests: number;
  responses: number;
  /** Interim (1xx other than 101) responses. */
  interimResponses: number;
  tunnel: HttpTunnel | null;
  damage: HttpDamage[];
  /** Body bytes (de-chunked) per direction. */
  bodyBytes: [number, number];
  /** Largest number of requests sent before the first of them was answered (2+ means pipelining). */
  maxPipelineDepth: number;
}
