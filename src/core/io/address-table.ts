// Interns network and link addresses to 32-bit ids for the index's Source/Destination columns and
// the conversation keys; text is made only when a row is shown.

import { ipv4FromUint32, ipv6Text, macText } from '../util/address';

export const AddressKind = { None: 0, Ipv4: 1, Ipv6: 2, Mac: 3 } as const;

/**
 * Int32 keys to positive ids by open addressing (linear probing) in one typed array of
 * (key, id) pairs, so a probe is one cache line: the per-packet address lookup costs a multiply
 * and a probe or two, with no Map entry objects and no heap numbers. 0 means absent.
 */
export class Int32IdMap {
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap <<= 1;
    this.slots = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }

  get(key: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let i = slotOf(key) & mask;
    while (true) {
      const id = slots[i * 2 + 1]!;
      if (id === 0 || slots[i * 2] === key) return id;
      i = (i + 1) & mask;
    }
  }

  /** Adds a key that is not present yet (`id` > 0). */
  add(key: number, id: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const slots = this.slots;
    const mask = this.mask;
    let i = slotOf(key) & mask;
    while (slots[i * 2 + 1] !== 0) i = (i + 1) & mask;
    slots[i * 2] = key;
    slots[i * 2 + 1] = id;
    this.size++;
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.slots = new Int32Array(cap * 2);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.add(old[i]!, old[i + 1]!);
  }
}

function slotOf(key: number): number {
  // Fibonacci hashing, then the high bits folded down (addresses often differ only in low bits).
  const h = Math.imul(key, 0x9e3779b1);
  return (h ^ (h >>> 16)) >>> 0;
}

export class AddressTable {
  private readonly v4 = new Int32IdMap(4096);
  private readonly v6 = new Map<string, number>();
  private readonly mac = new Map<number, number>();
  private readonly kinds: number[] = [AddressKind.None];
  /** Numeric value (IPv4, MAC) or key string (IPv6) per id. */
  private readonly values: (number | string)[] = [0];
  private readonly texts: (string | undefined)[] = [''];
  private lastV4 = 0;
  private lastV4Id = -1;
  private prevV4 = 0;
  private prevV4Id = -1;

  get size(): number {
    return this.kinds.length - 1;
  }

  /** Id of an IPv4 address given as an unsigned 32-bit integer. */
  ipv4(addr: number): number {
    // As a signed 32-bit key the address stays a small integer: no heap number per lookup.
    const key = addr | 0;
    if (key === this.lastV4 && this.lastV4Id > 0) return this.lastV4Id;
    if (key === this.prevV4 && this.prevV4Id > 0) return this.prevV4Id;
    let id = this.v4.get(key);
    if (id === 0) {
      id = this.kinds.length;
      this.kinds.push(AddressKind.Ipv4);
      this.values.push(addr);
      this.texts.push(undefined);
      this.v4.add(key, id);
    }
    // Two-entry cache: a packet's source and destination alternate within a conversation.
    this.prevV4 = this.lastV4;
    this.prevV4Id = this.lastV4Id;
    this.lastV4 = key;
    this.lastV4Id = id;
    return id;
  }

  /** Id of the IPv6 address at `off` in `b`. */
  ipv6(b: Uint8Array, off: number): number {
    const text = ipv6Text(b, off);
    let id = this.v6.get(text);
    if (id === undefined) {
      id = this.kinds.length;
      this.kinds.push(AddressKind.Ipv6);
      this.values.push(text);
      this.texts.push(text);
      this.v6.set(text, id);
    }
    return id;
  }

  /** Id of the MAC address at `off` in `b`. */
  macAt(b: Uint8Array, off: number): number {
    const v = b[off]! * 0x10000000000 + b[off + 1]! * 0x100000000 + ((b[off + 2]! << 24) >>> 0) + ((b[off + 3]! << 16) | (b[off + 4]! << 8) | b[off + 5]!);
    let id = this.mac.get(v);
    if (id === undefined) {
      id = this.kinds.length;
      this.kinds.push(AddressKind.Mac);
      this.values.push(v);
      this.texts.push(macText(b, off));
      this.mac.set(v, id);
    }
    return id;
  }

  kind(id: number): number {
    return this.kinds[id] ?? AddressKind.None;
  }

  /** An IPv4 address as its 32-bit number (first octet highest), or −1 for other kinds. */
  ipv4Value(id: number): number {
    const v = this.values[id];
    return this.kinds[id] === AddressKind.Ipv4 && typeof v === 'number' ? v >>> 0 : -1;
  }

  /** The address as Wireshark prints it (dotted quad, RFC 5952, colon MAC); '' for id 0. */
  text(id: number): string {
    let t = this.texts[id];
    if (t === undefined) {
      const v = this.values[id];
      t = typeof v === 'number' ? ipv4FromUint32(v) : (v ?? '');
      this.texts[id] = t;
    }
    return t;
  }

  /** Ids whose text equals `text` (for display filters such as ip.addr == 10.0.0.1). */
  lookup(text: string): number {
    for (let id = 1; id < this.kinds.length; id++) if (this.text(id) === text) return id;
    return 0;
  }
}
