// Bounds-checked reading of TLS structures (no exceptions: a short read records why and returns 0),
// and the tree emitter that maps buffer positions to data-source offsets.

import type { FieldDef, FieldValue } from '../dissect/fields';
import type { FieldNode, TreeBuilder } from '../dissect/tree';
import { hexBytes } from '../util/address';

/** Longest text built flat in one call (longer ones are rare: certificates on the tree path). */
const FLAT_LIMIT = 256;
const scratchCodes = new Uint16Array(FLAT_LIMIT * 2);
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/**
 * Lowercase hex of `n` ≤ 256 bytes as one flat string (a string built by `+=` is a tree of
 * concatenations, which costs memory for as long as it is kept, e.g. a session id).
 */
function flatHex(b: Uint8Array, at: number, n: number): string {
  const codes = scratchCodes;
  for (let i = 0; i < n; i++) {
    const v = b[at + i]!;
    codes[i * 2] = HEX_CODES[v >> 4]!;
    codes[i * 2 + 1] = HEX_CODES[v & 15]!;
  }
  return String.fromCharCode.apply(null, codes.subarray(0, n * 2) as unknown as number[]);
}

export class Cursor {
  b: Uint8Array;
  pos: number;
  end: number;
  /** First reason a read failed; reads after a failure return 0 and do not move. */
  error: string | null = null;

  constructor(b: Uint8Array, pos: number, end: number) {
    this.b = b;
    this.pos = pos;
    this.end = end;
  }

  left(): number {
    return this.end - this.pos;
  }

  /** Whether `n` more bytes exist; records `what` as the failure otherwise. */
  need(n: number, what: string): boolean {
    if (this.error !== null) return false;
    if (n < 0 || this.pos + n > this.end) {
      this.error = `${what}: needs ${n} bytes, ${this.end - this.pos} left`;
      this.pos = this.end;
      return false;
    }
    return true;
  }

  u8(what: string): number {
    if (!this.need(1, what)) return 0;
    return this.b[this.pos++]!;
  }

  u16(what: string): number {
    if (!this.need(2, what)) return 0;
    const b = this.b;
    const v = (b[this.pos]! << 8) | b[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u24(what: string): number {
    if (!this.need(3, what)) return 0;
    const b = this.b;
    const v = (b[this.pos]! << 16) | (b[this.pos + 1]! << 8) | b[this.pos + 2]!;
    this.pos += 3;
    return v;
  }

  u32(what: string): number {
    if (!this.need(4, what)) return 0;
    const b = this.b;
    const v = ((b[this.pos]! << 24) | (b[this.pos + 1]! << 16) | (b[this.pos + 2]! << 8) | b[this.pos + 3]!) >>> 0;
    this.pos += 4;
    return v;
  }

  /** Skips `n` bytes and returns where they started (the end on failure). */
  skip(n: number, what: string): number {
    const at = this.pos;
    if (!this.need(n, what)) return this.end;
    this.pos += n;
    return at;
  }

  hex(at: number, n: number): string {
    return n <= FLAT_LIMIT ? flatHex(this.b, at, n) : hexBytes(this.b, at, n);
  }

  /** Bytes as Latin-1 text, one flat string (SNI and ALPN names outlive the parse). */
  ascii(at: number, n: number): string {
    if (n === 0) return '';
    // V8 copies concatenations shorter than 13 characters into flat strings anyway.
    if (n >= 13 && n <= FLAT_LIMIT) return String.fromCharCode.apply(null, this.b.subarray(at, at + n) as unknown as number[]);
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.b[at + i]!);
    return s;
  }

  fail(reason: string): void {
    if (this.error === null) this.error = reason;
    this.pos = this.end;
  }
}

/** Adds fields at buffer positions shifted by `delta` into the current data source. */
export class Emit {
  readonly t: TreeBuilder;
  delta: number;

  constructor(t: TreeBuilder, delta: number) {
    this.t = t;
    this.delta = delta;
  }

  add(def: FieldDef, value: FieldValue, pos: number, len: number, display?: string): FieldNode {
    return this.t.add(def, value, pos + this.delta, len, display);
  }

  open(def: FieldDef, value: FieldValue, pos: number, len: number, display?: string): FieldNode {
    return this.t.open(def, value, pos + this.delta, len, display);
  }

  /** A subtree head whose label is written in full (FT_NONE items such as `Handshake Protocol: …`). */
  openLabel(def: FieldDef, label: string, pos: number, len: number): FieldNode {
    const node = this.t.open(def, null, pos + this.delta, len);
    node.label = label;
    return node;
  }

  /** A field with its label written in full. */
  addLabel(def: FieldDef, value: FieldValue, pos: number, len: number, label: string): FieldNode {
    return this.t.addLabelled(def, value, pos + this.delta, len, label);
  }

  text(label: string, pos: number, len: number): FieldNode {
    return this.t.text(label, pos + this.delta, len);
  }

  openText(label: string, pos: number, len: number): FieldNode {
    return this.t.openText(label, pos + this.delta, len);
  }

  close(): void {
    this.t.close();
  }

  /** Marks bytes [pos, pos + len) malformed: a `[Malformed: reason]` line over them. */
  malformed(reason: string, pos: number, len: number): void {
    this.t.malformed(reason, pos + this.delta, len, this.t.source);
  }
}

/** `name (0x1302)`: Wireshark's label for a named BASE_HEX value. */
export function namedHex(name: string, value: number, digits: number): string {
  return `${name} (0x${value.toString(16).padStart(digits, '0')})`;
}

/** `name (22)`: Wireshark's label for a named BASE_DEC value. */
export function namedDec(name: string, value: number): string {
  return `${name} (${value})`;
}

/** Tree label for bytes: hex cut like Wireshark's (36 bytes, then an ellipsis). */
export function bytesLabel(b: Uint8Array, at: number, n: number): string {
  return n > 36 ? `${hexBytes(b, at, 36)}…` : hexBytes(b, at, n);
}
