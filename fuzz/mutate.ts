// Mutators of the fuzz harness: a seeded PRNG, AFL-style "havoc" for binary inputs (bit flips,
// interesting values, arithmetic on lengths, block deletes, copies, inserts, splices with another
// corpus entry) and token-aware edits for display filter text.

/** xorshift128+ reduced to 32 bits: fast, seedable, good enough to pick mutations. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads the seed over the state.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next() | 1;
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /** A uint32. */
  next(): number {
    const t = this.a ^ (this.a << 11);
    this.a = this.b;
    this.b = this.c;
    this.c = this.d;
    this.d = (this.d ^ (this.d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return this.d;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 1 ? 0 : this.next() % n;
  }

  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)]!;
  }
}

const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xff, 0x10, 0x20, 0x40, 0x64, 0xfe];
const INTERESTING_16 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x4000, 0x7fff, 0x8000, 0xffff, 0xfffe];
const INTERESTING_32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x10000, 0x1000000, 0x0a0d0d0a, 0x1a2b3c4d, 0x4d3c2b1a];

/** Bytes of one binary mutation step applied to `b` (a fresh array is returned when the size changes). */
function havocStep(b: Uint8Array, rng: Rng, other: Uint8Array | null, maxLen: number): Uint8Array {
  const n = b.length;
  const at = (): number => rng.below(Math.max(1, n));
  switch (rng.below(n === 0 ? 2 : 14)) {
    case 0: {
      // insert random bytes
      const len = 1 + rng.below(16);
      const pos = rng.below(n + 1);
      const out = new Uint8Array(Math.min(maxLen, n + len));
      out.set(b.subarray(0, pos));
      for (let i = 0; i < len && pos + i < out.length; i++) out[pos + i] = rng.below(256);
      if (pos + len < out.length) out.set(b.subarray(pos, out.length - len), pos + len);
      return out;
    }
    case 1: {
      // splice: our head, the other's tail
      if (other === null || other.length === 0) return b;
      const cut = rng.below(n + 1);
      const from = rng.below(other.length);
      const out = new Uint8Array(Math.min(maxLen, cut + other.length - from));
      out.set(b.subarray(0, Math.min(cut, out.length)));
      if (out.length > cut) out.set(other.subarray(from, from + out.length - cut), cut);
      return out;
    }
    case 2:
      b[at()]! ^= 1 << rng.below(8);
      return b;
    case 3:
      b[at()] = rng.below(256);
      return b;
    case 4:
      b[at()] = rng.pick(INTERESTING_8);
      return b;
    case 5: {
      if (n < 2) return b;
      const p = rng.below(n - 1);
      const v = rng.pick(INTERESTING_16);
      const le = rng.chance(0.5);
      b[p] = le ? v & 0xff : v >>> 8;
      b[p + 1] = le ? v >>> 8 : v & 0xff;
      return b;
    }
    case 6: {
      if (n < 4) return b;
      const p = rng.below(n - 3);
      const v = rng.pick(INTERESTING_32);
      new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(p, v >>> 0, rng.chance(0.5));
      return b;
    }
    case 7: {
      // arithmetic on a 16-bit field (lengths are the usual suspects)
      if (n < 2) return b;
      const p = rng.below(n - 1);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const le = rng.chance(0.5);
      const delta = (rng.below(35) + 1) * (rng.chance(0.5) ? 1 : -1);
      dv.setUint16(p, (dv.getUint16(p, le) + delta) & 0xffff, le);
      return b;
    }
    case 8: {
      if (n < 4) return b;
      const p = rng.below(n - 3);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const le = rng.chance(0.5);
      const delta = (rng.below(35) + 1) * (rng.chance(0.5) ? 1 : -1);
      dv.setUint32(p, (dv.getUint32(p, le) + delta) >>> 0, le);
      return b;
    }
    case 9: {
      // delete a block
      const len = 1 + rng.below(Math.min(n, 64));
      const pos = rng.below(n - len + 1);
      const out = new Uint8Array(n - len);
      out.set(b.subarray(0, pos));
      out.set(b.subarray(pos + len), pos);
      return out;
    }
    case 10: {
      // copy a block over another place
      const len = 1 + rng.below(Math.min(n, 64));
      const from = rng.below(n - len + 1);
      const to = rng.below(n - len + 1);
      b.copyWithin(to, from, from + len);
      return b;
    }
    case 11: {
      // duplicate a block in place: head up to the block's end, then the block and the tail again
      const len = 1 + rng.below(Math.min(n, 64));
      const pos = rng.below(n - len + 1);
      const out = new Uint8Array(Math.min(maxLen, n + len));
      const head = b.subarray(0, Math.min(pos + len, out.length));
      out.set(head);
      if (head.length < out.length) out.set(b.subarray(pos, pos + out.length - head.length), head.length);
      return out;
    }
    case 12:
      // truncate
      return b.slice(0, rng.below(n + 1));
    default: {
      // fill a run with one value
      const len = 1 + rng.below(Math.min(n, 32));
      const pos = rng.below(n - len + 1);
      b.fill(rng.chance(0.5) ? 0 : rng.pick(INTERESTING_8), pos, pos + len);
      return b;
    }
  }
}

/** 1 to 16 stacked havoc steps on a copy of `input`. */
export function mutateBytes(input: Uint8Array, rng: Rng, other: Uint8Array | null, maxLen: number): Uint8Array {
  let b: Uint8Array = input.slice(0, maxLen);
  const steps = 1 << rng.below(5);
  for (let i = 0; i < steps; i++) b = havocStep(b, rng, other, maxLen);
  return b;
}

/** Token-aware edits of filter text: dictionary words, operators, literals, brackets, splices. */
export function mutateText(input: string, rng: Rng, other: string | null, dictionary: readonly string[], maxLen: number): string {
  let s = input;
  const steps = 1 + rng.below(4);
  for (let i = 0; i < steps; i++) {
    const pos = rng.below(s.length + 1);
    switch (rng.below(9)) {
      case 0:
        s = s.slice(0, pos) + rng.pick(dictionary) + s.slice(pos);
        break;
      case 1: {
        // replace a word with a dictionary word
        const words = [...s.matchAll(/[\w.]+/g)];
        if (words.length === 0) break;
        const w = rng.pick(words);
        s = s.slice(0, w.index) + rng.pick(dictionary) + s.slice(w.index + w[0].length);
        break;
      }
      case 2:
        s = s.slice(0, pos) + s.slice(pos + 1 + rng.below(4));
        break;
      case 3:
        s = s.slice(0, pos) + String.fromCharCode(rng.chance(0.8) ? 32 + rng.below(95) : rng.below(0x3000)) + s.slice(pos);
        break;
      case 4:
        if (other !== null) s = `${s} ${rng.pick(['and', 'or', 'xor', '&&', '||', '^^'])} ${other}`;
        break;
      case 5:
        s = rng.chance(0.5) ? `!(${s})` : `(${s}`;
        break;
      case 6: {
        // duplicate a slice
        const len = rng.below(12);
        s = s.slice(0, pos) + s.slice(pos, pos + len) + s.slice(pos);
        break;
      }
      case 7:
        s = s.slice(0, pos) + rng.pick(['"', '\\', '[', ']', '{', '}', ':', '..', ',', '-', '/', '0x', '"\\x', '$', '@', '#', 'r"', '~', '&']) + s.slice(pos);
        break;
      default:
        if (other !== null) s = other.slice(0, rng.below(other.length + 1)) + s.slice(pos);
    }
    if (s.length > maxLen) s = s.slice(0, maxLen);
  }
  return s;
}
