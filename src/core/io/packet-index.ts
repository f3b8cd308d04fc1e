// The packet index: one row per packet in typed-array columns that grow in fixed chunks, so a
// million packets cost tens of megabytes, never a million objects.

import { ExpertLog } from './expert-log';

/** Rows per chunk; a power of two so row → (chunk, slot) is a shift and a mask. */
export const CHUNK_BITS = 16;
export const CHUNK_ROWS = 1 << CHUNK_BITS;
const MASK = CHUNK_ROWS - 1;

/** Bits of the `analysis` column: TCP analysis flags with tshark's meaning. */
export const Analysis = {
  Retransmission: 1 << 0,
  FastRetransmission: 1 << 1,
  SpuriousRetransmission: 1 << 2,
  OutOfOrder: 1 << 3,
  LostSegment: 1 << 4,
  AckLostSegment: 1 << 5,
  DuplicateAck: 1 << 6,
  ZeroWindow: 1 << 7,
  ZeroWindowProbe: 1 << 8,
  ZeroWindowProbeAck: 1 << 9,
  WindowFull: 1 << 10,
  WindowUpdate: 1 << 11,
  KeepAlive: 1 << 12,
  KeepAliveAck: 1 << 13,
  ReusedPorts: 1 << 14,
  /**
   * Not a tcp.analysis flag: packet-tcp.c's "[TCP segment of a reassembled PDU]" — the segment's
   * bytes all belong to a PDU it does not complete. Kept in this column so it travels with the
   * analysis (from the flow shards too) to every Info column.
   */
  SegmentOfPdu: 1 << 15,
} as const;

/** The bits that are tshark's tcp.analysis flags (all but SegmentOfPdu). */
export const TCP_ANALYSIS_FLAGS = Analysis.SegmentOfPdu - 1;

/** The analysis bits of a retransmission of any kind. */
export const RETRANSMISSION = Analysis.Retransmission | Analysis.FastRetransmission | Analysis.SpuriousRetransmission;

interface Chunk {
  fileOffset: Float64Array;
  tsSec: Float64Array;
  caplen: Uint32Array;
  wirelen: Uint32Array;
  tsNsec: Uint32Array;
  src: Uint32Array;
  dst: Uint32Array;
  stream: Int32Array;
  analysis: Uint32Array;
  srcPort: Uint16Array;
  dstPort: Uint16Array;
  tcpFlags: Uint16Array;
  iface: Uint16Array;
  /** Upper-layer summary code (e.g. TLS handshake message, HTTP request) for the Info column. */
  info: Uint16Array;
  proto: Uint8Array;
  marks: Uint8Array;
}

function newChunk(rows: number): Chunk {
  return {
    fileOffset: new Float64Array(rows),
    tsSec: new Float64Array(rows),
    caplen: new Uint32Array(rows),
    wirelen: new Uint32Array(rows),
    tsNsec: new Uint32Array(rows),
    src: new Uint32Array(rows),
    dst: new Uint32Array(rows),
    stream: new Int32Array(rows).fill(-1),
    analysis: new Uint32Array(rows),
    srcPort: new Uint16Array(rows),
    dstPort: new Uint16Array(rows),
    tcpFlags: new Uint16Array(rows),
    iface: new Uint16Array(rows),
    info: new Uint16Array(rows),
    proto: new Uint8Array(rows),
    marks: new Uint8Array(rows),
  };
}

/** A chunk of `rows` rows holding `old`'s rows first. */
function grownChunk(old: Chunk, rows: number): Chunk {
  const c = newChunk(rows);
  for (const key of Object.keys(c) as (keyof Chunk)[]) (c[key] as { set(a: ArrayLike<number>): void }).set(old[key] as ArrayLike<number>);
  return c;
}

/**
 * Rows of the first chunk to begin with: it doubles up to CHUNK_ROWS as rows come, so a replay of
 * a few packets (the detail pane, a ladder) does not allocate a whole chunk.
 */
const FIRST_ROWS = 64;

/** Bytes one row occupies across all columns. */
export const BYTES_PER_ROW = 8 + 8 + 4 * 7 + 2 * 5 + 1 * 2;

/** Code for "the text is in the overflow map" (more distinct texts than a 16-bit code can name). */
const OVERFLOW = 0xffff;

/**
 * Upper-layer Info text by row (TLS messages, HTTP request lines): most packets of a TLS capture
 * carry one, from a small set ("Application Data", "Client Hello"…), so the texts are interned
 * and each row holds a 16-bit code in chunked columns (allocated on first use), 0 meaning none.
 * Past 65,534 distinct texts, rows keep theirs in a map. Reads like a sparse Map<row, text>.
 */
export class InfoTexts {
  private readonly chunks: (Uint16Array | undefined)[] = [];
  private readonly texts: string[] = [''];
  private readonly codes = new Map<string, number>();
  private readonly overflow = new Map<number, string>();
  private lastText = '';
  private lastCode = 0;
  /** Rows with a text. */
  size = 0;

  set(row: number, text: string): void {
    let code: number;
    if (text === this.lastText && this.lastCode !== 0) code = this.lastCode;
    else {
      code = this.codes.get(text) ?? 0;
      if (code === 0 && this.texts.length < OVERFLOW) {
        code = this.texts.length;
        this.texts.push(text);
        this.codes.set(text, code);
      }
      if (code !== 0) {
        this.lastText = text;
        this.lastCode = code;
      }
    }
    const ci = row >>> CHUNK_BITS;
    let col = this.chunks[ci];
    if (col === undefined) {
      col = new Uint16Array(CHUNK_ROWS);
      while (this.chunks.length < ci) this.chunks.push(undefined);
      this.chunks[ci] = col;
    }
    const slot = row & MASK;
    if (col[slot] === 0) this.size++;
    if (code === 0) {
      col[slot] = OVERFLOW;
      this.overflow.set(row, text);
    } else {
      if (col[slot] === OVERFLOW) this.overflow.delete(row);
      col[slot] = code;
    }
  }

  get(row: number): string | undefined {
    const col = this.chunks[row >>> CHUNK_BITS];
    if (col === undefined) return undefined;
    const code = col[row & MASK]!;
    if (code === 0) return undefined;
    return code === OVERFLOW ? this.overflow.get(row) : this.texts[code];
  }

  has(row: number): boolean {
    return this.get(row) !== undefined;
  }

  /** Texts in row order. */
  *values(): IterableIterator<string> {
    for (let ci = 0; ci < this.chunks.length; ci++) {
      const col = this.chunks[ci];
      if (col === undefined) continue;
      for (let i = 0; i < CHUNK_ROWS; i++) {
        const code = col[i]!;
        if (code !== 0) yield code === OVERFLOW ? this.overflow.get(ci * CHUNK_ROWS + i)! : this.texts[code]!;
      }
    }
  }

  /** Bytes of the code columns. */
  get byteSize(): number {
    let n = 0;
    for (const col of this.chunks) if (col !== undefined) n += col.byteLength;
    return n;
  }
}

export class PacketIndex {
  private readonly chunks: Chunk[] = [];
  private tail: Chunk | null = null;
  /** Rows the tail chunk has room for. */
  private tailRows = 0;
  /** Number of rows. */
  count = 0;
  /** pcapng comments by row (sparse). */
  readonly comments = new Map<number, string[]>();
  /** Upper-layer Info text by row (only packets that complete a TLS or HTTP message). */
  readonly infoText = new InfoTexts();
  /** Expert information by row (dissect/expert.ts codes), as compact columns. */
  readonly expert = new ExpertLog();
  /**
   * IP datagrams reassembled from fragments (sparse: fragments are rare): the row whose fragment
   * completed a datagram → the rows of its other fragments, in datagram order. A replay of that
   * row needs them first, or it sees a lone fragment instead of the datagram.
   */
  readonly fragmentRows = new Map<number, readonly number[]>();
  /** A fragment's row → the row that completed its datagram (ip.reassembled_in). */
  readonly reassembledIn = new Map<number, number>();

  /** Row `row` completed an IP datagram made of the fragments in frames `frames` (1-based, its own included). */
  addReassembly(row: number, frames: ArrayLike<number>): void {
    const rows: number[] = [];
    for (let i = 0; i < frames.length; i++) {
      const r = frames[i]! - 1;
      if (r < 0 || r === row || rows.includes(r)) continue;
      rows.push(r);
      this.reassembledIn.set(r, row);
    }
    if (rows.length > 0) this.fragmentRows.set(row, rows);
  }

  /** Appends a row and returns its number (0-based). Columns other than these start zeroed. */
  append(fileOffset: number, caplen: number, wirelen: number, tsSec: number, tsNsec: number, iface: number): number {
    const row = this.count;
    const slot = row & MASK;
    if (slot === 0) {
      this.tailRows = row === 0 ? FIRST_ROWS : CHUNK_ROWS;
      this.tail = newChunk(this.tailRows);
      this.chunks.push(this.tail);
    } else if (slot >= this.tailRows) {
      this.tailRows = Math.min(CHUNK_ROWS, this.tailRows * 2);
      this.tail = grownChunk(this.tail!, this.tailRows);
      this.chunks[this.chunks.length - 1] = this.tail;
    }
    const c = this.tail!;
    c.fileOffset[slot] = fileOffset;
    c.caplen[slot] = caplen;
    c.wirelen[slot] = wirelen;
    c.tsSec[slot] = tsSec;
    c.tsNsec[slot] = tsNsec;
    c.iface[slot] = iface;
    this.count = row + 1;
    return row;
  }

  /**
   * Fills every per-packet column of the row `append` just returned (the analysis pass's one write
   * per packet, straight into the tail chunk).
   */
  setLast(
    row: number,
    proto: number,
    marks: number,
    src: number,
    dst: number,
    srcPort: number,
    dstPort: number,
    tcpFlags: number,
    stream: number,
    analysis: number,
    info: number,
  ): void {
    const c = this.tail!;
    const slot = row & MASK;
    c.proto[slot] = proto;
    c.marks[slot] = marks;
    c.src[slot] = src;
    c.dst[slot] = dst;
    c.srcPort[slot] = srcPort;
    c.dstPort[slot] = dstPort;
    c.tcpFlags[slot] = tcpFlags;
    c.stream[slot] = stream;
    c.analysis[slot] = analysis;
    c.info[slot] = info;
  }

  setFlow(row: number, stream: number, analysis: number): void {
    const c = this.chunks[row >>> CHUNK_BITS]!;
    c.stream[row & MASK] = stream;
    c.analysis[row & MASK] = analysis;
  }

  setAnalysis(row: number, analysis: number): void {
    this.chunks[row >>> CHUNK_BITS]!.analysis[row & MASK] = analysis;
  }

  setInfo(row: number, info: number): void {
    this.chunks[row >>> CHUNK_BITS]!.info[row & MASK] = info;
  }

  orMarks(row: number, marks: number): void {
    this.chunks[row >>> CHUNK_BITS]!.marks[row & MASK] |= marks;
  }

  setProto(row: number, proto: number): void {
    this.chunks[row >>> CHUNK_BITS]!.proto[row & MASK] = proto;
  }

  fileOffset(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.fileOffset[row & MASK]!;
  }
  caplen(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.caplen[row & MASK]!;
  }
  wirelen(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.wirelen[row & MASK]!;
  }
  tsSec(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.tsSec[row & MASK]!;
  }
  tsNsec(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.tsNsec[row & MASK]!;
  }
  iface(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.iface[row & MASK]!;
  }
  proto(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.proto[row & MASK]!;
  }
  marks(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.marks[row & MASK]!;
  }
  src(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.src[row & MASK]!;
  }
  dst(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.dst[row & MASK]!;
  }
  srcPort(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.srcPort[row & MASK]!;
  }
  dstPort(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.dstPort[row & MASK]!;
  }
  tcpFlags(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.tcpFlags[row & MASK]!;
  }
  stream(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.stream[row & MASK]!;
  }
  analysis(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.analysis[row & MASK]!;
  }
  info(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]!.info[row & MASK]!;
  }

  /** Seconds since the first packet, as a double (for charts and the Time column). */
  relativeTime(row: number): number {
    if (this.count === 0) return 0;
    return this.tsSec(row) - this.tsSec(0) + (this.tsNsec(row) - this.tsNsec(0)) / 1e9;
  }

  /** Calls fn(row) for every row whose stream column equals `stream` (a linear scan of one column). */
  rowsOfStream(stream: number): number[] {
    const rows: number[] = [];
    for (let ci = 0; ci < this.chunks.length; ci++) {
      const col = this.chunks[ci]!.stream;
      const n = Math.min(CHUNK_ROWS, this.count - ci * CHUNK_ROWS);
      for (let i = 0; i < n; i++) if (col[i] === stream) rows.push(ci * CHUNK_ROWS + i);
    }
    return rows;
  }

  /** Column arrays of one chunk, for tight loops (filters, statistics). */
  chunk(ci: number): Readonly<Chunk> | undefined {
    return this.chunks[ci];
  }

  get chunkCount(): number {
    return this.chunks.length;
  }

  /** Bytes held by the columns (allocated chunks, including unused tail rows). */
  get byteSize(): number {
    let rows = 0;
    for (const c of this.chunks) rows += c.proto.length;
    return rows * BYTES_PER_ROW + this.infoText.byteSize + this.expert.byteSize;
  }
}
