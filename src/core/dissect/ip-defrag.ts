// IPv4 and IPv6 fragment reassembly with bounded memory, reassembling the way Wireshark's
// reassemble.c does (ip.defragment / ipv6.defragment, on by default in tshark).
//
// Fragments are kept per datagram, sorted by offset (ties in arrival order). A datagram is
// complete when its last fragment (MF = 0) has been seen and the fragments cover every byte
// before it. The bytes are then laid out by walking the sorted list: each fragment contributes
// only what lies beyond the bytes already placed, so at a given position the fragment with the
// lowest offset wins, and among equal offsets the one that arrived first. Fragments that overlap
// placed bytes are flagged (overlap, and conflict when their bytes differ), as are fragments
// reaching past the end set by the first tail (too long) and tails that disagree (multiple tails).
//
// Memory: at most `maxDatagrams` datagrams in flight (the oldest is evicted to make room), each
// holding at most `maxBytes` of fragment data and `maxFragments` fragments (a datagram that
// grows past either is dropped). Per-datagram buffers are reused, so adding a fragment allocates
// nothing once the buffers have grown; completing a datagram allocates its result.
//
// Frame numbers make a second pass over the same frames (the tree path re-dissecting a packet)
// give the first pass's answer: a fragment already reassembled is not added again, and the frame
// that completed a datagram gets the same reassembled bytes from a bounded cache.

import { bytesField, field, flag, uintDec, type FieldDef } from './fields';
import type { Packet } from './packet';
import type { TreeBuilder } from './tree';
import { hexBytes } from '../util/address';

/** What `add4`/`add6` did with a fragment. */
export const DefragStatus = {
  /** Stored; the datagram is not complete yet. */
  Held: 0,
  /** This fragment completed the datagram: read it from `result`. */
  Complete: 1,
  /** Not stored: over the limits, or a fragment of a datagram already reassembled. */
  Dropped: 2,
} as const;

/** Per-fragment flags of a reassembled datagram (Wireshark's FD_* flags). */
export const FragFlag = {
  Overlap: 1,
  OverlapConflict: 2,
  MultipleTails: 4,
  TooLong: 8,
} as const;

export interface DefragOptions {
  /** Datagrams reassembled at the same time; the oldest is evicted beyond this. */
  maxDatagrams?: number;
  /** Bytes of fragment data one datagram may hold (overlapping copies included). */
  maxBytes?: number;
  /** Fragments one datagram may hold. */
  maxFragments?: number;
  /** Completed datagrams kept for re-dissection, by total bytes. */
  cacheBytes?: number;
  /** Frame → reassembling frame entries remembered (for ip.reassembled_in). */
  maxRemembered?: number;
}

/** A completed datagram: its bytes and the fragments that made it, in offset order. */
export interface Reassembled {
  /** Frame whose fragment completed the datagram. */
  readonly frame: number;
  /** The datagram payload (what follows the IP header / the fragment header). */
  readonly data: Uint8Array;
  readonly count: number;
  readonly frames: Uint32Array;
  readonly offsets: Int32Array;
  readonly lengths: Int32Array;
  /** FragFlag bits per fragment. */
  readonly flags: Uint8Array;
}

/** One datagram in flight; reused after it completes or is dropped. */
class Datagram {
  used = false;
  /** Order of creation, for evicting the oldest. */
  seq = 0;
  version = 0;
  src4 = 0;
  dst4 = 0;
  proto = 0;
  id = 0;
  readonly addr = new Uint8Array(32);
  /** Datagram length from the first tail fragment, -1 until one is seen. */
  total = -1;
  count = 0;
  /** Fragment metadata in arrival order. */
  offsets = new Int32Array(8);
  lengths = new Int32Array(8);
  frames = new Uint32Array(8);
  positions = new Int32Array(8);
  tails = new Uint8Array(8);
  /** Fragment indices sorted by offset, ties in arrival order. */
  order = new Int32Array(8);
  /** Fragment bytes in arrival order. */
  arena = new Uint8Array(0);
  arenaUsed = 0;
}

const DEFAULTS = {
  maxDatagrams: 64,
  maxBytes: 128 * 1024,
  maxFragments: 1024,
  cacheBytes: 4 * 1024 * 1024,
  maxRemembered: 65536,
} as const;

export class Defragmenter {
  readonly maxDatagrams: number;
  readonly maxBytes: number;
  readonly maxFragments: number;
  private readonly cacheBytes: number;
  private readonly maxRemembered: number;
  private readonly slots: Datagram[] = [];
  private seq = 0;
  private live = 0;
  /** Completed datagrams by the frame that completed them (insertion order = age). */
  private readonly cache = new Map<number, Reassembled>();
  private cached = 0;
  /** Fragment frame → frame that completed its datagram. */
  private readonly remembered = new Map<number, number>();
  /** The datagram the last `Complete` answer was about. */
  result: Reassembled | null = null;

  constructor(opts: DefragOptions = {}) {
    this.maxDatagrams = Math.max(1, opts.maxDatagrams ?? DEFAULTS.maxDatagrams);
    this.maxBytes = Math.max(1, opts.maxBytes ?? DEFAULTS.maxBytes);
    this.maxFragments = Math.max(1, opts.maxFragments ?? DEFAULTS.maxFragments);
    this.cacheBytes = Math.max(0, opts.cacheBytes ?? DEFAULTS.cacheBytes);
    this.maxRemembered = Math.max(0, opts.maxRemembered ?? DEFAULTS.maxRemembered);
  }

  /** Datagrams currently being reassembled. */
  get inFlight(): number {
    return this.live;
  }

  /** The frame that completed the datagram `frame` belonged to, or 0 when not known. */
  reassembledIn(frame: number): number {
    return this.remembered.get(frame) ?? 0;
  }

  /** Forgets everything (a new capture). */
  clear(): void {
    for (const s of this.slots) s.used = false;
    this.live = 0;
    this.cache.clear();
    this.cached = 0;
    this.remembered.clear();
    this.result = null;
  }

  /**
   * Adds an IPv4 fragment: `len` bytes at `data[at]` belong at byte `offset` of the datagram
   * (src, dst, id, proto); `more` is the MF flag. `frame` is the 1-based frame number (0: unknown).
   */
  add4(src: number, dst: number, id: number, proto: number, frame: number, offset: number, more: boolean, data: Uint8Array, at: number, len: number): number {
    const known = this.revisit(frame);
    if (known !== DefragStatus.Held) return known;
    let d: Datagram | null = null;
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      if (s.used && s.version === 4 && s.id === id && s.src4 === src && s.dst4 === dst && s.proto === proto) {
        d = s;
        break;
      }
    }
    if (d === null) {
      d = this.take();
      d.version = 4;
      d.src4 = src;
      d.dst4 = dst;
      d.id = id;
      d.proto = proto;
    }
    return this.store(d, frame, offset, more, data, at, len);
  }

  /** Adds an IPv6 fragment; the addresses are the 16 bytes at `addr[srcAt]` and `addr[dstAt]`. */
  add6(addr: Uint8Array, srcAt: number, dstAt: number, id: number, frame: number, offset: number, more: boolean, data: Uint8Array, at: number, len: number): number {
    const known = this.revisit(frame);
    if (known !== DefragStatus.Held) return known;
    let d: Datagram | null = null;
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      if (s.used && s.version === 6 && s.id === id && sameAddresses(s.addr, addr, srcAt, dstAt)) {
        d = s;
        break;
      }
    }
    if (d === null) {
      d = this.take();
      d.version = 6;
      d.id = id;
      d.proto = 0;
      const a = d.addr;
      for (let i = 0; i < 16; i++) {
        a[i] = addr[srcAt + i]!;
        a[16 + i] = addr[dstAt + i]!;
      }
    }
    return this.store(d, frame, offset, more, data, at, len);
  }

  /** A frame seen before: its cached result, Dropped for a fragment already used, else Held. */
  private revisit(frame: number): number {
    if (frame <= 0) return DefragStatus.Held;
    const cached = this.cache.get(frame);
    if (cached !== undefined) {
      this.result = cached;
      return DefragStatus.Complete;
    }
    return this.remembered.has(frame) ? DefragStatus.Dropped : DefragStatus.Held;
  }

  /** A free datagram slot, evicting the oldest one when all are in use. */
  private take(): Datagram {
    const slots = this.slots;
    let d: Datagram | null = null;
    for (let i = 0; i < slots.length; i++) {
      if (!slots[i]!.used) {
        d = slots[i]!;
        break;
      }
    }
    if (d === null && slots.length < this.maxDatagrams) {
      d = new Datagram();
      slots.push(d);
    }
    if (d === null) {
      d = slots[0]!;
      for (let i = 1; i < slots.length; i++) if (slots[i]!.seq < d.seq) d = slots[i]!;
      this.live--;
    }
    d.used = true;
    d.seq = ++this.seq;
    d.total = -1;
    d.count = 0;
    d.arenaUsed = 0;
    this.live++;
    return d;
  }

  private release(d: Datagram): void {
    d.used = false;
    this.live--;
  }

  private store(d: Datagram, frame: number, offset: number, more: boolean, data: Uint8Array, at: number, len: number): number {
    if (len < 0 || offset < 0) return DefragStatus.Dropped;
    const n = d.count;
    // The same frame added twice (a re-dissection before the datagram completed) changes nothing.
    if (frame > 0) {
      for (let i = 0; i < n; i++) {
        if (d.frames[i] === frame && d.offsets[i] === offset && d.lengths[i] === len) return DefragStatus.Held;
      }
    }
    if (n >= this.maxFragments || d.arenaUsed + len > this.maxBytes) {
      this.release(d);
      return DefragStatus.Dropped;
    }
    if (n === d.offsets.length) grow(d);
    if (d.arenaUsed + len > d.arena.length) {
      const bigger = new Uint8Array(Math.min(this.maxBytes, Math.max(d.arenaUsed + len, d.arena.length * 2, 2048)));
      bigger.set(d.arena.subarray(0, d.arenaUsed));
      d.arena = bigger;
    }
    // A plain loop: subarray() would allocate a view per fragment.
    const arena = d.arena;
    const base = d.arenaUsed;
    for (let i = 0; i < len; i++) arena[base + i] = data[at + i]!;
    d.offsets[n] = offset;
    d.lengths[n] = len;
    d.frames[n] = frame;
    d.positions[n] = d.arenaUsed;
    d.tails[n] = more ? 0 : 1;
    d.arenaUsed += len;
    // Insert into the sorted order after every fragment with an offset <= this one (reassemble.c LINK_FRAG).
    const order = d.order;
    let k = n;
    while (k > 0 && d.offsets[order[k - 1]!]! > offset) {
      order[k] = order[k - 1]!;
      k--;
    }
    order[k] = n;
    d.count = n + 1;
    // The first tail fixes the datagram length; later tails that disagree are flagged when shown.
    if (!more && d.total < 0) d.total = offset + len;
    if (d.total < 0) return DefragStatus.Held;
    // Complete when the fragments, in offset order, cover [0, total) without a gap.
    let max = 0;
    for (let i = 0; i <= n; i++) {
      const j = order[i]!;
      const o = d.offsets[j]!;
      const e = o + d.lengths[j]!;
      if (o <= max && e > max) max = e;
    }
    if (max < d.total) return DefragStatus.Held;
    this.result = this.complete(d, frame);
    this.release(d);
    return DefragStatus.Complete;
  }

  /** Lays the datagram out (reassemble.c fragment_defragment_and_free) and remembers it. */
  private complete(d: Datagram, frame: number): Reassembled {
    const total = d.total;
    const count = d.count;
    const data = new Uint8Array(total);
    const frames = new Uint32Array(count);
    const offsets = new Int32Array(count);
    const lengths = new Int32Array(count);
    const flags = new Uint8Array(count);
    const arena = d.arena;
    let pos = 0;
    for (let i = 0; i < count; i++) {
      const j = d.order[i]!;
      const o = d.offsets[j]!;
      const len = d.lengths[j]!;
      const src = d.positions[j]!;
      frames[i] = d.frames[j]!;
      offsets[i] = o;
      lengths[i] = len;
      let f = 0;
      if (d.tails[j] === 1 && o + len !== total) f |= FragFlag.MultipleTails;
      if (len > 0) {
        if (o < pos) {
          f |= FragFlag.Overlap;
          const cmp = Math.min(len, pos - o);
          for (let x = 0; x < cmp; x++) {
            if (data[o + x] !== arena[src + x]) {
              f |= FragFlag.OverlapConflict;
              break;
            }
          }
        }
        if (o >= total) f |= FragFlag.TooLong;
        else if (o + len > pos) {
          let end = o + len;
          if (end > total) {
            f |= FragFlag.TooLong;
            end = total;
          }
          data.set(arena.subarray(src + (pos - o), src + (end - o)), pos);
          pos = end;
        }
      }
      flags[i] = f;
    }
    const r: Reassembled = { frame, data, count, frames, offsets, lengths, flags };
    if (frame > 0) this.remember(r);
    return r;
  }

  private remember(r: Reassembled): void {
    const remembered = this.remembered;
    for (let i = 0; i < r.count; i++) {
      const f = r.frames[i]!;
      if (f > 0 && f !== r.frame) {
        remembered.delete(f);
        remembered.set(f, r.frame);
      }
    }
    while (remembered.size > this.maxRemembered) remembered.delete(remembered.keys().next().value!);
    if (r.data.length > this.cacheBytes) return;
    this.cache.set(r.frame, r);
    this.cached += r.data.length;
    while (this.cached > this.cacheBytes) {
      const oldest = this.cache.keys().next().value!;
      this.cached -= this.cache.get(oldest)!.data.length;
      this.cache.delete(oldest);
    }
  }
}

function sameAddresses(a: Uint8Array, b: Uint8Array, srcAt: number, dstAt: number): boolean {
  for (let i = 0; i < 16; i++) if (a[i] !== b[srcAt + i] || a[16 + i] !== b[dstAt + i]) return false;
  return true;
}

function grow(d: Datagram): void {
  const n = d.offsets.length * 2;
  d.offsets = larger(d.offsets, n);
  d.lengths = larger(d.lengths, n);
  d.frames = larger(d.frames, n);
  d.positions = larger(d.positions, n);
  d.tails = larger(d.tails, n);
  d.order = larger(d.order, n);
}

/** A copy of `a` with room for `n` elements, of the same typed-array kind. */
function larger<T extends Int32Array | Uint32Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (length: number) => T)(n);
  b.set(a);
  return b;
}

// --- Showing a reassembly in the packet slot and the field tree -----------------------------

/** The fields Wireshark's reassembly code adds under `ip.` and `ipv6.` (fragment_items). */
export interface FragmentFields {
  readonly fragments: FieldDef;
  readonly fragment: FieldDef;
  readonly overlap: FieldDef;
  readonly conflict: FieldDef;
  readonly multipleTails: FieldDef;
  readonly tooLong: FieldDef;
  readonly error: FieldDef;
  readonly count: FieldDef;
  readonly reassembledIn: FieldDef;
  readonly length: FieldDef;
  readonly data: FieldDef;
}

/** The fragment fields of `ip` (IPv4) or `ipv6`, with Wireshark's names and titles. */
export function fragmentFields(version: 4 | 6): FragmentFields {
  const p = version === 4 ? 'ip' : 'ipv6';
  const v = version === 4 ? 'IPv4' : 'IPv6';
  return {
    // ip.fragments is FT_BYTES (prints the reassembled bytes), ipv6.fragments FT_NONE (prints 1).
    fragments: field(`${p}.fragments`, `${v} Fragments`, version === 4 ? 'bytes' : 'none'),
    fragment: field(`${p}.fragment`, `${v} Fragment`, 'framenum'),
    overlap: flag(`${p}.fragment.overlap`, 'Fragment overlap'),
    conflict: flag(`${p}.fragment.overlap.conflict`, 'Conflicting data in fragment overlap'),
    multipleTails: flag(`${p}.fragment.multipletails`, 'Multiple tail fragments found'),
    tooLong: flag(`${p}.fragment.toolongfragment`, 'Fragment too long'),
    error: field(`${p}.fragment.error`, 'Defragmentation error', 'framenum'),
    count: uintDec(`${p}.fragment.count`, 'Fragment count'),
    reassembledIn: field(version === 4 ? 'ip.reassembled_in' : 'ipv6.reassembled.in', `Reassembled ${v} in frame`, 'framenum'),
    length: uintDec(`${p}.reassembled.length`, `Reassembled ${v} length`),
    data: bytesField(`${p}.reassembled.data`, `Reassembled ${v} data`),
  };
}

/**
 * Points the slot at a completed datagram: `p.buf` becomes the reassembled payload at [0, n)
 * followed by a copy of the frame (so every offset the slot already holds stays valid), and on the
 * tree path the payload becomes the current data source ("Reassembled IPv4"), as in Wireshark.
 */
export function moveToReassembled(p: Packet, r: Reassembled, version: 4 | 6): void {
  const n = r.data.length;
  const frame = p.buf.subarray(p.start, p.end);
  const buf = new Uint8Array(n + frame.length);
  buf.set(r.data, 0);
  buf.set(frame, n);
  p.moveTo(buf, n - p.start);
  if (p.tree !== null) p.tree.addSource(version === 4 ? 'Reassembled IPv4' : 'Reassembled IPv6', buf.subarray(0, n));
}

/** Wireshark's "[3 IPv4 Fragments (164 bytes): #1(18), #3(304), #2(116)]" subtree. */
export function showReassembly(t: TreeBuilder, F: FragmentFields, r: Reassembled, version: 4 | 6): void {
  const n = r.data.length;
  const v = version === 4 ? 'IPv4' : 'IPv6';
  let list = '';
  for (let i = 0; i < r.count; i++) list += `${i === 0 ? '' : ', '}#${r.frames[i]}(${r.lengths[i]})`;
  // Generated items are bracketed, as in Wireshark's detail pane.
  t.open(F.fragments, version === 4 ? hexBytes(r.data, 0, n) : 1, 0, n).label = `[${r.count} ${v} Fragments (${n} bytes): ${list}]`;
  for (let i = 0; i < r.count; i++) {
    const o = r.offsets[i]!;
    const len = r.lengths[i]!;
    const f = r.flags[i]!;
    const at = Math.min(o, n);
    const label = `[Frame: ${r.frames[i]}, payload: ${o}-${o + len - 1} (${len} bytes)]`;
    // A fragment with a problem is listed under the error field, its flags below it.
    if (f === 0) {
      t.add(F.fragment, r.frames[i]!, at, Math.min(len, n - at)).label = label;
      continue;
    }
    t.open(F.error, r.frames[i]!, at, Math.min(len, n - at)).label = label;
    if (f & FragFlag.Overlap) t.add(F.overlap, true, at, 0).label = '[Fragment overlap: True]';
    if (f & FragFlag.OverlapConflict) t.add(F.conflict, true, at, 0).label = '[Conflicting data in fragment overlap: True]';
    if (f & FragFlag.MultipleTails) t.add(F.multipleTails, true, at, 0).label = '[Multiple tail fragments found: True]';
    if (f & FragFlag.TooLong) t.add(F.tooLong, true, at, 0).label = '[Fragment too long: True]';
    t.close();
  }
  t.add(F.count, r.count, 0, 0).label = `[Fragment count: ${r.count}]`;
  t.add(F.length, n, 0, 0).label = `[Reassembled ${v} length: ${n}]`;
  // Wireshark shows the first 36 bytes of a long byte field and an ellipsis.
  const shown = n > 36 ? `${hexBytes(r.data, 0, 36)}\u2026` : hexBytes(r.data, 0, n);
  t.add(F.data, hexBytes(r.data, 0, n), 0, n).label = `[Reassembled ${v} data: ${shown}]`;
  t.close();
}

/** On the tree path, a fragment already reassembled says where: "[Reassembled IPv4 in frame: 5]". */
export function showReassembledIn(t: TreeBuilder, F: FragmentFields, frame: number, at: number, version: 4 | 6): void {
  t.add(F.reassembledIn, frame, at, 0).label = `[Reassembled ${version === 4 ? 'IPv4' : 'IPv6'} in frame: ${frame}]`;
}
