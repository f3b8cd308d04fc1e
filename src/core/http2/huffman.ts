// HPACK's Huffman code (RFC 7541 Appendix B) and a decoder that reads four bits per table step.

/**
 * Code length in bits of each symbol 0–255 and EOS (256), RFC 7541 Appendix B. The code is
 * canonical (codes of one length are consecutive, in symbol order, and shorter codes sort first),
 * so the lengths alone define it.
 */
const CODE_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];

export const EOS = 256;

/** The code of each symbol (MSB-aligned value in its low `CODE_LENGTHS[s]` bits). */
export function huffmanCodes(): { codes: Uint32Array; lengths: Uint8Array } {
  const lengths = Uint8Array.from(CODE_LENGTHS);
  const order = Array.from(lengths, (l, s) => [l, s] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const codes = new Uint32Array(257);
  let code = 0;
  let prev = order[0]![0];
  for (const [l, s] of order) {
    code = code * 2 ** (l - prev);
    prev = l;
    codes[s] = code;
    code++;
  }
  return { codes, lengths };
}

// The decoder walks the code tree four bits at a time. Internal nodes are states 0–255 (0 is the
// root). Entry (state << 4 | nibble) packs the next state (bits 0–7), an emitted symbol (bits
// 8–15) and flags.
const EMIT = 1 << 16;
const FAIL = 1 << 17;

interface Tables {
  steps: Uint32Array;
  /** A string may end in this state: it is on the all-ones path with at most 7 bits (§5.2). */
  accepting: Uint8Array;
}

let tables: Tables | null = null;

function build(): Tables {
  const { codes, lengths } = huffmanCodes();
  // children[node*2 + bit]: >= 0 internal node, < 0 leaf (-1 - symbol).
  const children = new Int32Array(256 * 2).fill(0x7fffffff);
  let nodes = 1;
  for (let s = 0; s < 257; s++) {
    const len = lengths[s]!;
    let node = 0;
    for (let i = len - 1; i >= 0; i--) {
      const bit = Math.floor(codes[s]! / 2 ** i) & 1;
      const slot = node * 2 + bit;
      if (i === 0) {
        children[slot] = -1 - s;
      } else {
        if (children[slot] === 0x7fffffff) children[slot] = nodes++;
        node = children[slot]!;
      }
    }
  }
  const accepting = new Uint8Array(256);
  let onesNode = 0;
  for (let depth = 0; depth <= 7; depth++) {
    accepting[onesNode] = 1;
    const next = children[onesNode * 2 + 1]!;
    if (next < 0) break;
    onesNode = next;
  }
  const steps = new Uint32Array(256 * 16);
  for (let state = 0; state < nodes; state++) {
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let entry = 0;
      for (let b = 3; b >= 0; b--) {
        const child = children[node * 2 + ((nibble >> b) & 1)]!;
        if (child >= 0) {
          node = child;
          continue;
        }
        const sym = -1 - child;
        // EOS inside a string is a decoding error (RFC 7541 §5.2).
        if (sym === EOS) {
          entry |= FAIL;
          break;
        }
        entry |= EMIT | (sym << 8);
        node = 0;
      }
      steps[state * 16 + nibble] = entry | node;
    }
  }
  return { steps, accepting };
}

/** Grown output buffer shared by every decode (strings are copied out before the next one). */
let out = new Uint8Array(256);

/**
 * Decodes `src[start, end)`. Returns the decoded length in `huffmanOutput()` or -1 when the bytes
 * are not a valid Huffman string: EOS inside it, or padding longer than 7 bits or not made of the
 * most significant bits of EOS (RFC 7541 §5.2).
 */
export function huffmanDecode(src: Uint8Array, start: number, end: number): number {
  const t = (tables ??= build());
  const steps = t.steps;
  // Every symbol is at least 5 bits long: the output is at most 8/5 of the input.
  const need = Math.ceil(((end - start) * 8) / 5);
  if (out.length < need) out = new Uint8Array(Math.max(need, out.length * 2));
  const o = out;
  let n = 0;
  let state = 0;
  for (let i = start; i < end; i++) {
    const b = src[i]!;
    let e = steps[(state << 4) | (b >> 4)]!;
    if ((e & FAIL) !== 0) return -1;
    if ((e & EMIT) !== 0) o[n++] = (e >> 8) & 0xff;
    state = e & 0xff;
    e = steps[(state << 4) | (b & 0x0f)]!;
    if ((e & FAIL) !== 0) return -1;
    if ((e & EMIT) !== 0) o[n++] = (e >> 8) & 0xff;
    state = e & 0xff;
  }
  return t.accepting[state] === 1 ? n : -1;
}

/** The buffer holding the last decode's output (valid until the next call). */
export function huffmanOutput(): Uint8Array {
  return out;
}
