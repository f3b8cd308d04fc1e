// An open-addressing hash table from a canonical 5-tuple (protocol, two address ids, two ports)
// to a conversation number, in one typed array: no key strings, no objects per lookup, and one
// cache line per probe (the slot's key and value sit together).

const EMPTY = -1;
/** Int32 words per slot: address A, address B, ports, protocol, value. */
const STRIDE = 5;

export class FlowKeyTable {
  private capacity: number;
  private slots: Int32Array;
  private used = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap <<= 1;
    this.capacity = cap;
    this.slots = emptySlots(cap);
  }

  get size(): number {
    return this.used;
  }

  /** Value for the key, or -1. The key must already be canonical (the lower endpoint first). */
  get(proto: number, a: number, b: number, ports: number): number {
    const mask = this.capacity - 1;
    const s = this.slots;
    const p = ports | 0;
    let i = hash(proto, a, b, ports) & mask;
    while (true) {
      const at = i * STRIDE;
      const v = s[at + 4]!;
      if (v === EMPTY) return EMPTY;
      if (s[at] === (a | 0) && s[at + 1] === (b | 0) && s[at + 2] === p && s[at + 3] === proto) return v;
      i = (i + 1) & mask;
    }
  }

  /** Sets (inserts or replaces) the value for the key. */
  set(proto: number, a: number, b: number, ports: number, value: number): void {
    if ((this.used + 1) * 2 > this.capacity) this.grow();
    const mask = this.capacity - 1;
    const s = this.slots;
    const p = ports | 0;
    let i = hash(proto, a, b, ports) & mask;
    while (true) {
      const at = i * STRIDE;
      if (s[at + 4] === EMPTY) {
        s[at] = a;
        s[at + 1] = b;
        s[at + 2] = p;
        s[at + 3] = proto;
        s[at + 4] = value;
        this.used++;
        return;
      }
      if (s[at] === (a | 0) && s[at + 1] === (b | 0) && s[at + 2] === p && s[at + 3] === proto) {
        s[at + 4] = value;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.capacity <<= 1;
    this.slots = emptySlots(this.capacity);
    this.used = 0;
    for (let at = 0; at < old.length; at += STRIDE) {
      if (old[at + 4] !== EMPTY) this.set(old[at + 3]!, old[at]!, old[at + 1]!, old[at + 2]! >>> 0, old[at + 4]!);
    }
  }
}

function emptySlots(capacity: number): Int32Array {
  const s = new Int32Array(capacity * STRIDE);
  for (let at = 4; at < s.length; at += STRIDE) s[at] = EMPTY;
  return s;
}

function hash(proto: number, a: number, b: number, ports: number): number {
  // Multiplicative mixing (Knuth / Murmur finaliser constants); fine for sequential ids and ports.
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h ^= Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= Math.imul(ports ^ (proto << 24), 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return h >>> 0;
}
