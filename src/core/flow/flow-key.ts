// An open-addressing hash table from a canonical 5-tuple (protocol, two address ids, two ports)
// to a conversation number, in typed arrays: no key strings, no objects per lookup.

const EMPTY = -1;

export class FlowKeyTable {
  private capacity: number;
  private keysA: Uint32Array;
  private keysB: Uint32Array;
  private keysPorts: Uint32Array;
  private keysProto: Uint8Array;
  private values: Int32Array;
  private used = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap <<= 1;
    this.capacity = cap;
    this.keysA = new Uint32Array(cap);
    this.keysB = new Uint32Array(cap);
    this.keysPorts = new Uint32Array(cap);
    this.keysProto = new Uint8Array(cap);
    this.values = new Int32Array(cap).fill(EMPTY);
  }

  get size(): number {
    return this.used;
  }

  /** Value for the key, or -1. The key must already be canonical (see `canonical`). */
  get(proto: number, a: number, b: number, ports: number): number {
    const mask = this.capacity - 1;
    let i = hash(proto, a, b, ports) & mask;
    const values = this.values;
    while (true) {
      const v = values[i]!;
      if (v === EMPTY) return EMPTY;
      if (this.keysA[i] === a && this.keysB[i] === b && this.keysPorts[i] === ports && this.keysProto[i] === proto) return v;
      i = (i + 1) & mask;
    }
  }

  /** Sets (inserts or replaces) the value for the key. */
  set(proto: number, a: number, b: number, ports: number, value: number): void {
    if ((this.used + 1) * 2 > this.capacity) this.grow();
    const mask = this.capacity - 1;
    let i = hash(proto, a, b, ports) & mask;
    while (true) {
      const v = this.values[i]!;
      if (v === EMPTY) {
        this.keysA[i] = a;
        this.keysB[i] = b;
        this.keysPorts[i] = ports;
        this.keysProto[i] = proto;
        this.values[i] = value;
        this.used++;
        return;
      }
      if (this.keysA[i] === a && this.keysB[i] === b && this.keysPorts[i] === ports && this.keysProto[i] === proto) {
        this.values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const oldA = this.keysA;
    const oldB = this.keysB;
    const oldPorts = this.keysPorts;
    const oldProto = this.keysProto;
    const oldValues = this.values;
    this.capacity <<= 1;
    this.keysA = new Uint32Array(this.capacity);
    this.keysB = new Uint32Array(this.capacity);
    this.keysPorts = new Uint32Array(this.capacity);
    this.keysProto = new Uint8Array(this.capacity);
    this.values = new Int32Array(this.capacity).fill(EMPTY);
    this.used = 0;
    for (let i = 0; i < oldValues.length; i++) {
      if (oldValues[i] !== EMPTY) this.set(oldProto[i]!, oldA[i]!, oldB[i]!, oldPorts[i]!, oldValues[i]!);
    }
  }
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
