// Every conversation of a capture as rows of typed-array columns (struct of arrays, grown in
// chunks, indexed by conversation number, like the packet index): who talks to whom, counters per
// direction, the TCP facts the views and the verdict read, the TCP analysis state a connection
// needs to go on after its objects were released, and the application summary. The whole-file
// pass keeps conversations here; objects exist only while a connection is open (and in replays).

/** Retransmission rows kept per conversation for the verdict. */
export const RETRANSMISSION_ROWS = 256;

/** Conversations per chunk (a power of two: id → chunk, slot by shift and mask). */
export const CONV_CHUNK_BITS = 12;
const CHUNK = 1 << CONV_CHUNK_BITS;
const MASK = CHUNK - 1;

/** How the client was chosen, as stored (RoleReason in conversation.ts). */
export const roleReasons = ['syn', 'syn-ack', 'port', 'first-packet'] as const;

/** Verdict status codes (0: none). */
export const verdictStatuses = [null, 'complete', 'failed', 'incomplete'] as const;

/** Application protocol codes. */
export const AppKind = { None: 0, Tls: 1, Http: 2, Other: 3 } as const;

/** Bits of the `flags` column. */
export const ConvFlag = {
  ClientIsA: 1,
  /** TCP facts and state were saved (the connection's objects may be gone). */
  TcpSaved: 2,
  /** The application summary is final: the parser saw both directions end. */
  AppFinal: 4,
  /** The verdict text must be worked out again (by a replay of the conversation). */
  VerdictStale: 32,
  /** Reassembly for this connection is over (both directions ended, or nothing wants the bytes). */
  StreamsDone: 8,
  /** The first RST also carried an ACK. */
  RstAck: 16,
  /**
   * The connection's objects were restored after a release (a late packet): the facts its objects
   * keep for the diagnosis (flow/tcp-facts.ts) start over there, so its verdict and latencies come
   * from a replay of the conversation.
   */
  Restored: 64,
} as const;

/** Bits of the `appFlags` column. */
export const AppFlag = {
  FatalAlert: 1,
  TlsResumed: 2,
} as const;

/**
 * Interned texts (SNI names, cipher suite names, verdict reasons…): each distinct text is held
 * once and columns hold its number; 0 is "none".
 */
export class TextTable {
  /** Texts this table made, by k (id = shard + k × shards), and those other shards reported. */
  private readonly own: string[] = [''];
  private readonly others = new Map<number, string>();
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly shard = 0,
    private readonly shards = 1,
  ) {}

  /** Texts this table made. */
  get size(): number {
    return this.own.length - 1;
  }

  /** The id of `text` (0 for null). */
  id(text: string | null): number {
    if (text === null) return 0;
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.shard + this.own.length * this.shards;
      this.own.push(text);
      this.ids.set(text, id);
    }
    return id;
  }

  /** The id of `text` if it is known, else 0 (no new entry). */
  known(text: string): number {
    return this.ids.get(text) ?? 0;
  }

  text(id: number): string | null {
    if (id === 0) return null;
    if (id % this.shards === this.shard) return this.own[Math.floor(id / this.shards)] ?? null;
    return this.others.get(id) ?? null;
  }

  /** Texts made since `made()` returned `from` (to report to the table that reads them all). */
  since(from: number): { from: number; texts: string[] } {
    return { from, texts: this.own.slice(from) };
  }

  /** Number of texts made so far (own.length: the next k). */
  made(): number {
    return this.own.length;
  }

  /** Texts another shard made, reported by `since()` there. */
  adopt(shard: number, report: { from: number; texts: readonly string[] }): void {
    for (let k = 0; k < report.texts.length; k++) this.others.set(shard + (report.from + k) * this.shards, report.texts[k]!);
  }
}

/** One chunk of columns. `…2` columns hold two values per conversation: [2i] A→B (end A), [2i+1] B→A (end B). */
interface Chunk {
  // identity
  proto: Uint8Array;
  role: Uint8Array;
  flags: Uint8Array;
  app: Uint8Array;
  appFlags: Uint8Array;
  stream: Int32Array;
  addrA: Uint32Array;
  addrB: Uint32Array;
  portA: Uint16Array;
  portB: Uint16Array;
  firstRow: Int32Array;
  lastRow: Int32Array;
  /** Which analysis shard holds the conversation's objects (0: the thread that reads the file). */
  shard: Uint8Array;
  /**
   * What the reading thread tracks of each TCP end as packets are routed (the connection's own
   * analysis keeps the same, where its objects are): the sequence number its relative numbers
   * count from (bit `end` of seqBaseSet when known) and its window shift (−1 unknown, −2 none).
   * Port reuse is decided from it, and the packet list's relative numbers are made from it.
   */
  seqBase2: Uint32Array;
  seqBaseSet: Uint8Array;
  winScale2: Int8Array;
  // counters per direction
  packets2: Uint32Array;
  bytes2: Float64Array;
  payload2: Float64Array;
  firstSec2: Float64Array;
  firstNsec2: Uint32Array;
  lastSec2: Float64Array;
  lastNsec2: Uint32Array;
  /** Time of the conversation's latest packet in row order (epoch seconds; NaN before the first). */
  prevTime: Float64Array;
  // evidence the verdict reads (per end: pure SYNs sent, SYN/ACKs sent)
  syns2: Uint32Array;
  synAcks2: Uint32Array;
  retransmissions: Uint32Array;
  fastRetransmissions: Uint32Array;
  /** Seconds between the first RST and the packet before it. */
  rstIdle: Float64Array;
  // TCP facts
  state2: Uint8Array;
  synRow: Int32Array;
  synFrom: Int8Array;
  synAckRow: Int32Array;
  ackRow: Int32Array;
  rstRow: Int32Array;
  rstFrom: Int8Array;
  finRow2: Int32Array;
  firstRttNs: Float64Array;
  serverPort: Uint16Array;
  /** Bytes of each end's stream (retransmissions once), −1 when not known. */
  streamBytes2: Float64Array;
  /** Bytes unacknowledged when a RST,ACK ended the conversation. */
  unackedAtEnd: Float64Array;
  // TCP analysis state (tcp-connection.ts saves and restores it): TCP_U32 and TCP_F64 words each
  tcpU32: Uint32Array;
  tcpF64: Float64Array;
  // application summary
  /** Text ids: TLS version name, SNI, cipher suite name, ALPN. */
  version: Uint32Array;
  sni: Uint32Array;
  cipher: Uint32Array;
  alpn: Uint32Array;
  httpTransactions: Int32Array;
  httpWait: Float64Array;
  clientHelloRow: Int32Array;
  clientFinishedRow: Int32Array;
  requestRow: Int32Array;
  responseRow: Int32Array;
  verdict: Uint8Array;
  verdictReason: Uint32Array;
  /** The verdict's findings, one text (joined by FINDINGS_SEPARATOR). */
  verdictFindings: Uint32Array;
  /**
   * What the application parsers describe beyond the columns (decryption, the first request,
   * HTTP/2 counts…), one JSON text: conversations that say the same share it.
   */
  extras: Uint32Array;
  /**
   * The diagnosis' three latencies (engine/diagnosis.ts) as frame numbers (0: none): TCP connect,
   * TLS handshake and time to first byte, each from → to. Their seconds come from the index.
   */
  latencyFrames: Int32Array;
}

/** Words of `latencyFrames` per conversation: from and to frame of each of the three latencies. */
export const LATENCY_FRAMES = 6;

/** Joins a verdict's findings into the one text the store interns. */
export const FINDINGS_SEPARATOR = '\n';



/** Words of TCP analysis state saved per conversation (TcpConnection.save / restore). */
export const TCP_U32 = 34;
export const TCP_F64 = 5;

type ColumnType = Uint8ArrayConstructor | Int8ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor | Float64ArrayConstructor;

/** The columns: name, element type, values per conversation, and the value a new slot holds. */
const COLUMNS: readonly (readonly [keyof Chunk, ColumnType, number, number?])[] = [
  ['proto', Uint8Array, 1],
  ['role', Uint8Array, 1],
  ['flags', Uint8Array, 1],
  ['app', Uint8Array, 1],
  ['appFlags', Uint8Array, 1],
  ['stream', Int32Array, 1],
  ['addrA', Uint32Array, 1],
  ['addrB', Uint32Array, 1],
  ['portA', Uint16Array, 1],
  ['portB', Uint16Array, 1],
  ['firstRow', Int32Array, 1],
  ['lastRow', Int32Array, 1],
  ['shard', Uint8Array, 1],
  ['seqBase2', Uint32Array, 2],
  ['seqBaseSet', Uint8Array, 1],
  ['winScale2', Int8Array, 2, -1],
  ['packets2', Uint32Array, 2],
  ['bytes2', Float64Array, 2],
  ['payload2', Float64Array, 2],
  ['firstSec2', Float64Array, 2],
  ['firstNsec2', Uint32Array, 2],
  ['lastSec2', Float64Array, 2],
  ['lastNsec2', Uint32Array, 2],
  ['prevTime', Float64Array, 1, Number.NaN],
  ['syns2', Uint32Array, 2],
  ['synAcks2', Uint32Array, 2],
  ['retransmissions', Uint32Array, 1],
  ['fastRetransmissions', Uint32Array, 1],
  ['rstIdle', Float64Array, 1],
  ['state2', Uint8Array, 2],
  ['synRow', Int32Array, 1, -1],
  ['synFrom', Int8Array, 1, -1],
  ['synAckRow', Int32Array, 1, -1],
  ['ackRow', Int32Array, 1, -1],
  ['rstRow', Int32Array, 1, -1],
  ['rstFrom', Int8Array, 1, -1],
  ['finRow2', Int32Array, 2, -1],
  ['firstRttNs', Float64Array, 1],
  ['serverPort', Uint16Array, 1],
  ['streamBytes2', Float64Array, 2, -1],
  ['unackedAtEnd', Float64Array, 1],
  ['tcpU32', Uint32Array, TCP_U32],
  ['tcpF64', Float64Array, TCP_F64],
  ['version', Uint32Array, 1],
  ['sni', Uint32Array, 1],
  ['cipher', Uint32Array, 1],
  ['alpn', Uint32Array, 1],
  ['httpTransactions', Int32Array, 1, -1],
  ['httpWait', Float64Array, 1, Number.NaN],
  ['clientHelloRow', Int32Array, 1, -1],
  ['clientFinishedRow', Int32Array, 1, -1],
  ['requestRow', Int32Array, 1, -1],
  ['responseRow', Int32Array, 1, -1],
  ['verdict', Uint8Array, 1],
  ['verdictReason', Uint32Array, 1],
  ['verdictFindings', Uint32Array, 1],
  ['extras', Uint32Array, 1],
  ['latencyFrames', Int32Array, LATENCY_FRAMES],
];

/** Column layout inside one buffer per chunk: widest elements first, so every column is aligned. */
const LAYOUT = [...COLUMNS].sort((x, y) => y[1].BYTES_PER_ELEMENT - x[1].BYTES_PER_ELEMENT);

function chunkBytes(n: number): number {
  let bytes = 0;
  for (const [, type, per] of LAYOUT) bytes += type.BYTES_PER_ELEMENT * per * n;
  return bytes;
}

/**
 * A chunk of `n` slots: its columns are views into one buffer (`shared`: a SharedArrayBuffer the
 * analysis shards write into too). Given `buffer`, the columns of a chunk made elsewhere.
 */
function newChunk(n: number, shared = false, buffer?: ArrayBufferLike): Chunk {
  const init = buffer === undefined;
  const buf = buffer ?? (shared ? new SharedArrayBuffer(chunkBytes(n)) : new ArrayBuffer(chunkBytes(n)));
  const c = {} as Record<keyof Chunk, ArrayBufferView>;
  let at = 0;
  for (const [key, type, per, fill] of LAYOUT) {
    // (SharedArrayBuffer-backed views have the same shape: the constructors accept either.)
    const col = new type(buf as ArrayBuffer, at, per * n);
    if (init && fill !== undefined) col.fill(fill);
    c[key] = col;
    at += type.BYTES_PER_ELEMENT * per * n;
  }
  return c as unknown as Chunk;
}

/** A chunk of `n` slots holding the first `used` slots of `old` (the rest as new). */
function grownChunk(old: Chunk, n: number): Chunk {
  const c = newChunk(n);
  for (const key of Object.keys(c) as (keyof Chunk)[]) (c[key] as { set(a: ArrayLike<number>): void }).set(old[key] as ArrayLike<number>);
  return c;
}

/** Slots of the first chunk to begin with: a replay of one conversation stays small. */
const FIRST_CAPACITY = 16;

export interface StoreOptions {
  /** Columns in SharedArrayBuffers (one per chunk), for analysis shards in worker threads. */
  shared?: boolean;
  /** Texts this store makes get ids `shard + k × shards` (k ≥ 1), so shards never collide. */
  shard?: number;
  shards?: number;
}

export class ConversationStore {
  private readonly chunks: Chunk[] = [];
  private readonly shared: boolean;
  /** Conversations stored (ids 0 … count − 1). */
  count = 0;
  /** TCP and UDP conversations so far. */
  tcpCount = 0;
  udpCount = 0;
  readonly texts: TextTable;

  constructor(opts: StoreOptions = {}) {
    this.shared = opts.shared ?? false;
    this.texts = new TextTable(opts.shard ?? 0, opts.shards ?? 1);
  }

  /** The buffers of the chunks from `from` on (shared stores), to hand to the shards. */
  chunkBuffers(from = 0): ArrayBufferLike[] {
    return this.chunks.slice(from).map((c) => c.proto.buffer);
  }

  get chunkCount(): number {
    return this.chunks.length;
  }

  /** Chunks made by the store that owns them (a shard's view of the shared columns), in order. */
  adoptChunks(buffers: readonly ArrayBufferLike[]): void {
    for (const buf of buffers) this.chunks.push(newChunk(CHUNK, true, buf));
  }

  /** A new conversation, first seen at `row`, A being the sender of that packet; returns its id. */
  add(proto: number, stream: number, addrA: number, portA: number, addrB: number, portB: number, row: number): number {
    const id = this.count;
    const ci = id >>> CONV_CHUNK_BITS;
    const i = id & MASK;
    // Shared chunks are made whole (shards hold views of them: they cannot be replaced).
    if (i === 0) this.chunks.push(newChunk(ci === 0 && !this.shared ? FIRST_CAPACITY : CHUNK, this.shared));
    else if (i >= this.chunks[ci]!.proto.length) this.chunks[ci] = grownChunk(this.chunks[ci]!, Math.min(CHUNK, 2 * this.chunks[ci]!.proto.length));
    const c = this.chunks[ci]!;
    c.proto[i] = proto;
    c.stream[i] = stream;
    c.addrA[i] = addrA;
    c.portA[i] = portA;
    c.addrB[i] = addrB;
    c.portB[i] = portB;
    c.firstRow[i] = row;
    c.lastRow[i] = row;
    this.count = id + 1;
    if (proto === 6) this.tcpCount++;
    else this.udpCount++;
    return id;
  }

  /** The columns of conversation `id`'s chunk, and its slot there (for loops over many fields). */
  chunkOf(id: number): Chunk {
    return this.chunks[id >>> CONV_CHUNK_BITS]!;
  }

  /**
   * A packet of conversation `id` sent by end `d` (0: A, 1: B): counts, first and last times.
   * Returns the seconds since the conversation's previous packet (−1 for its first).
   */
  count1(id: number, d: number, row: number, wirelen: number, payload: number, sec: number, nsec: number): number {
    const c = this.chunks[id >>> CONV_CHUNK_BITS]!;
    const i = id & MASK;
    const j = 2 * i + d;
    // As the evidence scan of the index measured it: epoch seconds as doubles, in row order.
    const time = sec + nsec / 1e9;
    const prev = c.prevTime[i]!;
    const since = Number.isNaN(prev) ? -1 : time - prev;
    c.prevTime[i] = time;
    if (c.packets2[j] === 0) {
      c.firstSec2[j] = sec;
      c.firstNsec2[j] = nsec;
    }
    c.packets2[j]!++;
    c.bytes2[j]! += wirelen;
    c.payload2[j]! += payload;
    c.lastSec2[j] = sec;
    c.lastNsec2[j] = nsec;
    c.lastRow[i] = row;
    return since;
  }

  proto(id: number): number {
    return this.chunkOf(id).proto[id & MASK]!;
  }
  stream(id: number): number {
    return this.chunkOf(id).stream[id & MASK]!;
  }
  addrA(id: number): number {
    return this.chunkOf(id).addrA[id & MASK]!;
  }
  addrB(id: number): number {
    return this.chunkOf(id).addrB[id & MASK]!;
  }
  portA(id: number): number {
    return this.chunkOf(id).portA[id & MASK]!;
  }
  portB(id: number): number {
    return this.chunkOf(id).portB[id & MASK]!;
  }
  firstRow(id: number): number {
    return this.chunkOf(id).firstRow[id & MASK]!;
  }
  lastRow(id: number): number {
    return this.chunkOf(id).lastRow[id & MASK]!;
  }
  flags(id: number): number {
    return this.chunkOf(id).flags[id & MASK]!;
  }
  setFlag(id: number, flag: number, on: boolean): void {
    const c = this.chunkOf(id);
    const i = id & MASK;
    c.flags[i] = on ? c.flags[i]! | flag : c.flags[i]! & ~flag;
  }
  clientIsA(id: number): boolean {
    return (this.flags(id) & ConvFlag.ClientIsA) !== 0;
  }
  roleReason(id: number): (typeof roleReasons)[number] {
    return roleReasons[this.chunkOf(id).role[id & MASK]!]!;
  }
  setRole(id: number, clientIsA: boolean, reason: (typeof roleReasons)[number]): void {
    this.chunkOf(id).role[id & MASK] = roleReasons.indexOf(reason);
    this.setFlag(id, ConvFlag.ClientIsA, clientIsA);
  }
  /** Packets, bytes and payload bytes sent by end `d`, and its first and last packet times. */
  packets(id: number, d: number): number {
    return this.chunkOf(id).packets2[2 * (id & MASK) + d]!;
  }
  bytes(id: number, d: number): number {
    return this.chunkOf(id).bytes2[2 * (id & MASK) + d]!;
  }
  payloadBytes(id: number, d: number): number {
    return this.chunkOf(id).payload2[2 * (id & MASK) + d]!;
  }
  firstTime(id: number, d: number): { sec: number; nsec: number } {
    const c = this.chunkOf(id);
    const j = 2 * (id & MASK) + d;
    return { sec: c.firstSec2[j]!, nsec: c.firstNsec2[j]! };
  }
  lastTime(id: number, d: number): { sec: number; nsec: number } {
    const c = this.chunkOf(id);
    const j = 2 * (id & MASK) + d;
    return { sec: c.lastSec2[j]!, nsec: c.lastNsec2[j]! };
  }

  /** Seconds from the conversation's first packet to its last. */
  duration(id: number): number {
    const c = this.chunkOf(id);
    const j = 2 * (id & MASK);
    const a = c.packets2[j]! > 0;
    const b = c.packets2[j + 1]! > 0;
    let firstSec = c.firstSec2[j]!;
    let firstNsec = c.firstNsec2[j]!;
    const bFirstSec = c.firstSec2[j + 1]!;
    const bFirstNsec = c.firstNsec2[j + 1]!;
    if (b && (!a || bFirstSec < firstSec || (bFirstSec === firstSec && bFirstNsec < firstNsec))) {
      firstSec = bFirstSec;
      firstNsec = bFirstNsec;
    }
    let lastSec = c.lastSec2[j]!;
    let lastNsec = c.lastNsec2[j]!;
    const bLastSec = c.lastSec2[j + 1]!;
    const bLastNsec = c.lastNsec2[j + 1]!;
    if (b && (bLastSec > lastSec || (bLastSec === lastSec && bLastNsec > lastNsec))) {
      lastSec = bLastSec;
      lastNsec = bLastNsec;
    }
    return lastSec - firstSec + (lastNsec - firstNsec) / 1e9;
  }

  /** Epoch seconds of the conversation's first packet. */
  startTime(id: number): number {
    const c = this.chunkOf(id);
    const j = 2 * (id & MASK);
    const a = c.packets2[j]! > 0 ? c.firstSec2[j]! + c.firstNsec2[j]! / 1e9 : Infinity;
    const b = c.packets2[j + 1]! > 0 ? c.firstSec2[j + 1]! + c.firstNsec2[j + 1]! / 1e9 : Infinity;
    return Math.min(a, b);
  }

  /**
   * Unacknowledged segments of connections whose objects were released with some still listed
   * (a RST mid-transfer): by conversation, per end. Rare, so a map.
   */
  readonly segments = new Map<number, [number[], number[]]>();

  /**
   * Rows of the first retransmissions (at most RETRANSMISSION_ROWS) of conversations that still
   * have objects: the verdict places them before or after the handshake when it is worked out.
   */
  readonly retransmissionRows = new Map<number, number[]>();

  private readonly parsedExtras = new Map<number, Readonly<Record<string, unknown>>>();

  /** The `extras` record of conversation `id` (parsed once per distinct text), or null. */
  extrasOf(id: number): Readonly<Record<string, unknown>> | null {
    const t = this.chunkOf(id).extras[id & MASK]!;
    if (t === 0) return null;
    let record = this.parsedExtras.get(t);
    if (record === undefined) {
      record = JSON.parse(this.texts.text(t) ?? 'null') as Record<string, unknown>;
      if (this.parsedExtras.size >= 4096) this.parsedExtras.clear();
      this.parsedExtras.set(t, record);
    }
    return record;
  }

  /** Bytes held by the columns (allocated chunks). */
  get byteSize(): number {
    let n = 0;
    for (const c of this.chunks) for (const col of Object.values(c) as ArrayBufferView[]) n += col.byteLength;
    return n;
  }
}

/** Slot of conversation `id` in its chunk. */
export function slotOf(id: number): number {
  return id & MASK;
}
