// HPACK (RFC 7541) header block decoding for one direction of an HTTP/2 connection: integers,
// string literals (Huffman or not), the static table and the dynamic table with its size updates.
// A capture that starts mid-connection misses dynamic-table entries: the decoder knows only the
// newest entries it saw added, reports references to older ones, and heals as new entries arrive.

import { ascii } from '../http/text';
import { huffmanDecode, huffmanOutput } from './huffman';
import { STATIC_TABLE, STATIC_TABLE_LENGTH } from './static-table';

/** Field representations, numbered as Wireshark's http2_header_repr_type. */
export const Repr = {
  Indexed: 1,
  IncrementalIndexedName: 2,
  IncrementalNewName: 3,
  WithoutIndexingIndexedName: 4,
  WithoutIndexingNewName: 5,
  NeverIndexedIndexedName: 6,
  NeverIndexedNewName: 7,
  SizeUpdate: 8,
} as const;

/** Wireshark's names for the representations (http2.header.repr). */
export const REPR_NAMES: readonly string[] = [
  '',
  'Indexed Header Field',
  'Literal Header Field with Incremental Indexing - Indexed Name',
  'Literal Header Field with Incremental Indexing - New Name',
  'Literal Header Field without Indexing - Indexed Name',
  'Literal Header Field without Indexing - New Name',
  'Literal Header Field never Indexed - Indexed Name',
  'Literal Header Field never Indexed - New Name',
  'Maximum Header Table Size Change',
];

/** RFC 7541 §4.1: an entry's size is its name and value lengths plus 32. */
export const ENTRY_OVERHEAD = 32;
/** SETTINGS_HEADER_TABLE_SIZE's initial value (RFC 9113 §6.5.2). */
export const DEFAULT_TABLE_SIZE = 4096;
/** A header block larger than this is not decoded (as Wireshark's MAX_HTTP2_HEADER_SIZE). */
export const MAX_BLOCK_BYTES = 256 * 1024;

/** Receives what a header block holds, in order. Offsets are from the block's first byte. */
export interface HeaderSink {
  /**
   * One field. `name` is null when it refers to a dynamic-table entry this decoder does not know
   * (and `value` too for an indexed field): the capture missed the block that added it.
   */
  field(name: string | null, value: string | null, repr: number, index: number, start: number, end: number, huffman: boolean): void;
  sizeUpdate(size: number, start: number, end: number): void;
}

/** Why decoding stopped or a field is unknown; null when everything decoded. */
export interface BlockOutcome {
  /** First problem in the block, with the block offset it starts at. */
  error: string | null;
  errorAt: number;
  /** Decoding stopped at the error (the rest of the block is not shown). */
  stopped: boolean;
}

const NEED_MORE = -2;

export class HpackDecoder {
  /** Maximum table size set by the last size update (RFC 7541 §4.2). */
  maxSize = DEFAULT_TABLE_SIZE;
  /** Largest size the peer's SETTINGS_HEADER_TABLE_SIZE allowed (size updates above it are errors). */
  limit = DEFAULT_TABLE_SIZE;
  /**
   * There may be entries older than the ones known: the capture started mid-connection, or a
   * block could not be decoded to its end. They are evicted first, so known entries stay exact.
   */
  unknownOlder = false;
  /** Known entries, newest first: a ring of names, values and sizes. */
  // Capacity grows by doubling (a power of two: indexes wrap with a mask); 16 entries fit most tables.
  private names: string[] = new Array<string>(16);
  private values: string[] = new Array<string>(16);
  private sizes = new Int32Array(16);
  private head = 0;
  private count = 0;
  /** Sum of the known entries' sizes. */
  size = 0;

  // The block being decoded (header block fragments of HEADERS/PUSH_PROMISE + CONTINUATION).
  private block = new Uint8Array(256);
  private blockLength = 0;
  private decodedTo = 0;
  private sawField = false;
  private stopped = false;
  readonly outcome: BlockOutcome = { error: null, errorAt: 0, stopped: false };

  /** Number of dynamic entries known. */
  get entries(): number {
    return this.count;
  }

  /** Dynamic entry `i` (0 = newest) as [name, value], for views and tests. */
  entry(i: number): readonly [string, string] | null {
    if (i < 0 || i >= this.count) return null;
    const k = (this.head + i) & (this.names.length - 1);
    return [this.names[k]!, this.values[k]!];
  }

  /** The connection's start was not seen: what came before is unknown. */
  startedMidConnection(): void {
    this.unknownOlder = true;
  }

  /** The decoder's side announced SETTINGS_HEADER_TABLE_SIZE = `value`. */
  allowTableSize(value: number): void {
    if (value > this.limit) this.limit = value;
  }

  /** The direction ended: no block will come, the table and buffers go (a closed connection stays small). */
  release(): void {
    this.clearTable();
    this.names = new Array<string>(1);
    this.values = new Array<string>(1);
    this.sizes = new Int32Array(1);
    this.block = new Uint8Array(0);
    this.blockLength = 0;
    this.decodedTo = 0;
    this.stopped = true;
  }

  /** Bytes of the current block so far (the tree shows fields from them). */
  blockBytes(): Uint8Array {
    return this.block;
  }

  /**
   * A header block (or part of one) was lost or could not be read: the entries it added are
   * unknown, so nothing known so far can be trusted at its index any more.
   */
  lostBlock(reason: string): void {
    this.fail(reason, this.blockLength);
  }

  /** Starts a header block (a HEADERS or PUSH_PROMISE frame). */
  beginBlock(): void {
    this.blockLength = 0;
    this.decodedTo = 0;
    this.sawField = false;
    this.stopped = false;
    const o = this.outcome;
    o.error = null;
    o.errorAt = 0;
    o.stopped = false;
  }

  /** Offset in the block where the next fragment's bytes start. */
  get blockOffset(): number {
    return this.blockLength;
  }

  /**
   * Adds a fragment and decodes every representation it completes; `final` (END_HEADERS) ends
   * the block. Never throws: problems land in `outcome`.
   */
  fragment(src: Uint8Array, off: number, len: number, final: boolean, sink: HeaderSink): void {
    if (this.stopped) return;
    if (this.blockLength + len > MAX_BLOCK_BYTES) {
      this.fail(`header block larger than ${MAX_BLOCK_BYTES / 1024} KiB: not decoded`, this.blockLength);
      return;
    }
    this.append(src, off, len);
    let pos = this.decodedTo;
    const end = this.blockLength;
    while (pos < end) {
      const next = this.decodeOne(pos, end, sink);
      if (next === NEED_MORE) break;
      if (next < 0 || this.stopped) return;
      pos = next;
    }
    this.decodedTo = pos;
    if (final && pos < end) this.fail('the header block ends inside a field representation', pos);
  }

  private append(src: Uint8Array, off: number, len: number): void {
    const need = this.blockLength + len;
    if (need > this.block.length) {
      let size = this.block.length * 2;
      while (size < need) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.block.subarray(0, this.blockLength));
      this.block = grown;
    }
    if (len <= 32) for (let i = 0; i < len; i++) this.block[this.blockLength + i] = src[off + i]!;
    else this.block.set(src.subarray(off, off + len), this.blockLength);
    this.blockLength = need;
  }

  /** Decoding cannot go on: what the rest of the block adds to the table is lost. */
  private fail(reason: string, at: number): void {
    const o = this.outcome;
    if (o.error === null) {
      o.error = reason;
      o.errorAt = at;
    }
    o.stopped = true;
    this.stopped = true;
    this.clearTable();
    this.unknownOlder = true;
  }

  /** A field that cannot be known, while the table stays in step (nothing is inserted). */
  private unknown(reason: string, at: number): void {
    const o = this.outcome;
    if (o.error === null) {
      o.error = reason;
      o.errorAt = at;
    }
  }

  // Integer decoding result (no object per call).
  private intValue = 0;

  /** RFC 7541 §5.1: an integer with an N-bit prefix at `pos`; returns the next offset. */
  private readInt(pos: number, end: number, prefixBits: number): number {
    const b = this.block;
    const max = (1 << prefixBits) - 1;
    let v = b[pos]! & max;
    pos++;
    if (v < max) {
      this.intValue = v;
      return pos;
    }
    let shift = 0;
    for (;;) {
      if (pos >= end) return NEED_MORE;
      const c = b[pos++]!;
      v += (c & 0x7f) * 2 ** shift;
      shift += 7;
      if ((c & 0x80) === 0) break;
      // nghttp2 and Wireshark stop at 32-bit values; so do we (a longer one is an attack or junk).
      if (shift > 28) return -1;
    }
    if (v > 0x7fffffff) return -1;
    this.intValue = v;
    return pos;
  }

  // String decoding result, and whether it was Huffman-coded.
  private strValue = '';
  private strHuffman = false;

  /** RFC 7541 §5.2: a string literal at `pos`. */
  private readString(pos: number, end: number): number {
    if (pos >= end) return NEED_MORE;
    const huffman = (this.block[pos]! & 0x80) !== 0;
    this.strHuffman = huffman;
    const at = this.readInt(pos, end, 7);
    if (at < 0) return at;
    const len = this.intValue;
    if (at + len > end) return NEED_MORE;
    if (huffman) {
      const n = huffmanDecode(this.block, at, at + len);
      if (n < 0) return -3;
      this.strValue = ascii(huffmanOutput(), 0, n);
    } else {
      this.strValue = ascii(this.block, at, at + len);
    }
    return at + len;
  }

  /** Decodes one representation at `pos`; returns the next offset, NEED_MORE, or -1 after fail(). */
  private decodeOne(pos: number, end: number, sink: HeaderSink): number {
    const b = this.block[pos]!;
    if ((b & 0x80) !== 0) {
      // §6.1 Indexed Header Field.
      const next = this.readInt(pos, end, 7);
      if (next === NEED_MORE) return NEED_MORE;
      if (next < 0) return this.badInteger(pos);
      const index = this.intValue;
      if (index === 0) {
        this.fail('indexed header field with index 0 (RFC 7541 §6.1)', pos);
        return -1;
      }
      this.sawField = true;
      if (!this.lookup(index)) {
        const why = this.missing(index, pos);
        if (why === null) return -1;
        this.unknown(why, pos);
        sink.field(null, null, Repr.Indexed, index, pos, next, false);
        return next;
      }
      sink.field(this.foundName, this.foundValue, Repr.Indexed, index, pos, next, false);
      return next;
    }
    if ((b & 0xe0) === 0x20) {
      // §6.3 Dynamic Table Size Update.
      const next = this.readInt(pos, end, 5);
      if (next === NEED_MORE) return NEED_MORE;
      if (next < 0) return this.badInteger(pos);
      const size = this.intValue;
      if (this.sawField) {
        this.fail('dynamic table size update after a header field (RFC 7541 §4.2)', pos);
        return -1;
      }
      if (size > this.limit) {
        this.fail(`dynamic table size update to ${size} exceeds SETTINGS_HEADER_TABLE_SIZE ${this.limit} (RFC 7541 §6.3)`, pos);
        return -1;
      }
      this.setMaxSize(size);
      sink.sizeUpdate(size, pos, next);
      return next;
    }
    // §6.2 Literal Header Field: with incremental indexing (01), never indexed (0001), without (0000).
    let repr: number;
    let prefix: number;
    if ((b & 0xc0) === 0x40) {
      repr = Repr.IncrementalIndexedName;
      prefix = 6;
    } else if ((b & 0xf0) === 0x10) {
      repr = Repr.NeverIndexedIndexedName;
      prefix = 4;
    } else {
      repr = Repr.WithoutIndexingIndexedName;
      prefix = 4;
    }
    let at = this.readInt(pos, end, prefix);
    if (at === NEED_MORE) return NEED_MORE;
    if (at < 0) return this.badInteger(pos);
    const index = this.intValue;
    let name: string | null;
    if (index === 0) {
      repr += 1; // the New Name variant
      at = this.readString(at, end);
      if (at === NEED_MORE) return NEED_MORE;
      if (at < 0) return this.badString(at, pos);
      name = this.strValue;
    } else if (this.lookup(index)) {
      name = this.foundName;
    } else {
      const why = this.missing(index, pos);
      if (why === null) return -1;
      name = null;
      if (repr === Repr.IncrementalIndexedName) {
        // The new entry's name (and so its size) is unknown: the table cannot be followed further.
        this.fail(why, pos);
        return -1;
      }
      this.unknown(why, pos);
    }
    const next = this.readString(at, end);
    if (next === NEED_MORE) return NEED_MORE;
    if (next < 0) return this.badString(next, pos);
    const value = this.strValue;
    this.sawField = true;
    if (repr === Repr.IncrementalIndexedName || repr === Repr.IncrementalNewName) this.insert(name!, value);
    sink.field(name, value, repr, index, pos, next, this.strHuffman);
    return next;
  }

  private badInteger(pos: number): number {
    this.fail('integer larger than 2^31 - 1 (RFC 7541 §5.1)', pos);
    return -1;
  }

  private badString(code: number, pos: number): number {
    if (code === -3) this.fail('invalid Huffman-coded string: EOS, or padding that is not 1 to 7 one-bits (RFC 7541 §5.2)', pos);
    else this.fail('string length larger than 2^31 - 1 (RFC 7541 §5.1)', pos);
    return -1;
  }

  // Table lookup result.
  private foundName = '';
  private foundValue = '';

  /** Finds index `i` in the static or known dynamic table (RFC 7541 §2.3.3). */
  private lookup(i: number): boolean {
    if (i <= STATIC_TABLE_LENGTH) {
      const e = STATIC_TABLE[i]!;
      this.foundName = e[0];
      this.foundValue = e[1];
      return true;
    }
    const d = i - STATIC_TABLE_LENGTH - 1;
    if (d >= this.count) return false;
    const k = (this.head + d) & (this.names.length - 1);
    this.foundName = this.names[k]!;
    this.foundValue = this.values[k]!;
    return true;
  }

  /**
   * Why index `i` is not known: an entry added before what the capture shows (decoding may go
   * on), or an index past the table (a decoding error: fail() is called and null returned).
   */
  private missing(i: number, pos: number): string | null {
    const d = i - STATIC_TABLE_LENGTH;
    if (this.unknownOlder) {
      return `index ${i} is dynamic table entry ${d}, added before the capture began or in a block that could not be decoded`;
    }
    this.fail(`index ${i} is past the end of the dynamic table (${this.count} entries) (RFC 7541 §2.3.3)`, pos);
    return null;
  }

  /** RFC 7541 §4.4: adding an entry evicts the oldest ones until it fits. */
  private insert(name: string, value: string): void {
    const size = name.length + value.length + ENTRY_OVERHEAD;
    if (size > this.maxSize) {
      // §4.4: an entry larger than the table empties it and is not added.
      this.clearTable();
      this.unknownOlder = false;
      return;
    }
    this.evictTo(this.maxSize - size);
    if (this.count === this.names.length) this.grow();
    const mask = this.names.length - 1;
    this.head = (this.head - 1) & mask;
    this.names[this.head] = name;
    this.values[this.head] = value;
    this.sizes[this.head] = size;
    this.count++;
    this.size += size;
    this.settleUnknown();
  }

  private setMaxSize(size: number): void {
    this.maxSize = size;
    this.evictTo(size);
    this.settleUnknown();
  }

  /** Evicts known entries (oldest first) until they fit in `room`; unknown older ones go first. */
  private evictTo(room: number): void {
    if (this.size <= room) return;
    // The known entries alone overflow: every unknown older entry is gone too.
    this.unknownOlder = false;
    const mask = this.names.length - 1;
    while (this.count > 0 && this.size > room) {
      const k = (this.head + this.count - 1) & mask;
      this.size -= this.sizes[k]!;
      this.names[k] = '';
      this.values[k] = '';
      this.count--;
    }
  }

  /** No unknown entry can still fit beside the known ones: the table is fully known again. */
  private settleUnknown(): void {
    if (this.unknownOlder && this.maxSize - this.size < ENTRY_OVERHEAD) this.unknownOlder = false;
  }

  private clearTable(): void {
    this.names.fill('');
    this.values.fill('');
    this.count = 0;
    this.size = 0;
    this.head = 0;
  }

  private grow(): void {
    const n = this.names.length;
    const names = new Array<string>(n * 2);
    const values = new Array<string>(n * 2);
    const sizes = new Int32Array(n * 2);
    for (let i = 0; i < this.count; i++) {
      const k = (this.head + i) & (n - 1);
      names[i] = this.names[k]!;
      values[i] = this.values[k]!;
      sizes[i] = this.sizes[k]!;
    }
    this.names = names;
    this.values = values;
    this.sizes = sizes;
    this.head = 0;
  }
}
