// The seam between TCP stream reassembly and the application protocols above it (TLS, HTTP):
// parsers receive each direction's bytes in stream order and annotate the packet that carried them.

import type { Packet } from '../dissect/packet';
import type { FieldDef } from '../dissect/fields';
import type { LaterFrames } from './later-frames';

/** Direction within a conversation: 0 is client → server, 1 is server → client. */
export type Direction = 0 | 1;

/**
 * Where a run of stream bytes came from. `p` is the packet being analysed right now (its tree is
 * non-null only on the tree path); parsers set `p.appInfo`, `p.top` and `p.info` for the packet in
 * which a PDU completes, and add their layer to `p.tree` there (tshark shows TLS and HTTP fields on
 * the packet that completes a reassembled PDU). The flow stage reuses one chunk object for every
 * call, and `bytes` passed with it may be a view into the reader's buffer: copy what must outlive
 * the call.
 */
export interface StreamChunk {
  p: Packet;
  /** 0-based row of `p` in the capture. */
  row: number;
  /** Offset of the first byte in this direction's stream (0 = first payload byte after the SYN). */
  streamOffset: number;
  /** Offset of the first byte inside `p`'s frame bytes (tree path: in `p.tree.sources[0]`), or -1. */
  frameOffset: number;
}

/** A byte range of one direction's stream mapped back to the packet that carried it. */
export interface SegmentSpan {
  row: number;
  /** Offset inside that packet's frame bytes. */
  frameOffset: number;
  streamOffset: number;
  length: number;
}

/** What the flow stage offers an application parser (per conversation). */
export interface StreamHost {
  /**
   * The packets and frame offsets that carried stream bytes [start, end) of `dir`, when the flow
   * stage keeps segment maps (replay of one conversation); an empty list otherwise.
   */
  spans(dir: Direction, start: number, end: number): SegmentSpan[];
  /** Whether segment maps are being kept (so parsers can skip work when they are not). */
  readonly keepsSpans: boolean;
  /** Whether the current pass builds trees for some packets (parsers may skip copies otherwise). */
  readonly wantsTrees: boolean;
  /**
   * Only the session summary is wanted (a whole-file pass without trees or segment maps): parsers
   * keep no per-record or per-message objects and build no text only those views show. The views
   * that need them replay one conversation with segment maps (keepsSpans). Absent means false.
   */
  readonly summaryOnly?: boolean;
  /**
   * The first bytes of direction `dir` are not the asking parser's protocol (a plain HTTP server on
   * a TLS port): the other parsers are offered them, as Wireshark's heuristics are. Returns the
   * parser that recognised them (it then gets every byte of that direction from the asking parser),
   * or null. Absent where no other parser can be asked.
   */
  foreign?(dir: Direction, bytes: Uint8Array, off: number, len: number, except: string): AppParser | null;
  /**
   * The bytes are decrypted TLS application data (a parser nested in TLS): HTTP names its URIs
   * https and its data source "Decrypted TLS". Absent means false.
   */
  readonly overTls?: boolean;
  /**
   * A PDU of `dir` (a TLS record, an HTTP message) ends at stream offset `end`; `reassembled` is
   * false when Wireshark would not have put it together (bytes missing, not a PDU at all). The TCP
   * host gives the earlier segments that carried its bytes tcp.reassembled_in. `lost`: a PDU whose
   * bytes the capture partly lost (tshark waits for them for ever). Absent: not recorded.
   */
  pduEnd?(dir: Direction, end: number, reassembled: boolean, lost?: boolean): void;
  /** Frame references to later packets, recorded and read by this pass (null or absent: none). */
  readonly laterFrames?: LaterFrames | null;
}

/** The HTTP/1.1 request an `Upgrade` answered (101), handed to the protocol that follows. */
export interface UpgradeRequest {
  method: string;
  target: string;
  /** The Host header, or null. */
  host: string | null;
  /** Row and time (seconds) of the packet that completed the request. */
  row: number;
  time: number;
}

export interface AppParser {
  /** `tls` or `http` (Wireshark's protocol filter name). */
  readonly protocol: string;
  /**
   * In-order bytes of one direction: `bytes[off, off + len)`. A PDU may be split across any number
   * of calls, and one call may hold several PDUs. Never throws; damage is recorded and parsing
   * resynchronises where it can.
   */
  data(dir: Direction, bytes: Uint8Array, off: number, len: number, chunk: StreamChunk): void;
  /**
   * `len` bytes of this direction are missing (not captured); skip them and resynchronise. `len` 0
   * at stream offset 0: the capture started mid-connection, an unknown amount came before.
   */
  gap(dir: Direction, len: number, chunk: StreamChunk): void;
  /** The direction ended (FIN) or the capture ended (`chunk` null). Flush partial PDUs. */
  end(dir: Direction, chunk: StreamChunk | null): void;
  /**
   * Stream offset where the PDU being read in `dir` will end, when its length is known (a TLS
   * record past its header, an HTTP body with a Content-Length); −1 otherwise. Absent: never known.
   */
  pduUntil?(dir: Direction): number;
  /**
   * Optional one-line summary for the conversations table (`wireladder flows`, the UI). Keys in
   * use: 'tls.version', 'tls.sni', 'tls.cipher', 'tls.alpn', 'http.transactions'.
   */
  describe?(): Record<string, string | number>;
  /**
   * Optional: this parser takes over a connection after an HTTP/1.1 `Upgrade` (RFC 9110 §7.8),
   * told the request that asked for it (for `h2c` that request is HTTP/2 stream 1).
   */
  upgradedFrom?(request: UpgradeRequest): void;
}

/** Recognises a protocol from the first payload bytes of a direction and creates its parser. */
export interface AppParserFactory {
  readonly protocol: string;
  /** Fields this protocol adds to trees (declared in the registry). */
  readonly fields: readonly FieldDef[];
  /**
   * Whether the bytes starting a direction's stream look like this protocol (by content, not by
   * port alone; `port` is the server port for tie-breaking heuristics).
   */
  detect(bytes: Uint8Array, off: number, len: number, port: number): boolean;
  create(host: StreamHost): AppParser;
}
