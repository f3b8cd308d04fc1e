// Text forms of link and network addresses, as Wireshark prints them.

const HEX = '0123456789abcdef';

/** Dotted quad from four bytes at `off`. */
export function ipv4Text(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** Dotted quad from a 32-bit unsigned integer (network order already folded in). */
export function ipv4FromUint32(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}

/** IPv6 text per RFC 5952: lowercase, leading zeros dropped, the longest zero run (≥ 2) as "::". */
export function ipv6Text(b: Uint8Array, off = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[off + i]! << 8) | b[off + i + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  // IPv4-mapped (::ffff:a.b.c.d) is printed with a dotted tail, as inet_ntop does.
  if (bestStart === 0 && bestLen === 5 && groups[5] === 0xffff) return `::ffff:${ipv4Text(b, off + 12)}`;
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** MAC address as six colon-separated lowercase hex bytes. */
export function macText(b: Uint8Array, off: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    const v = b[off + i]!;
    if (i > 0) s += ':';
    s += HEX[v >> 4]! + HEX[v & 15]!;
  }
  return s;
}

/** Lowercase hex of a byte range without separators. */
export function hexBytes(b: Uint8Array, off: number, len: number, sep = ''): string {
  let s = '';
  for (let i = 0; i < len; i++) {
    const v = b[off + i]!;
    if (i > 0 && sep) s += sep;
    s += HEX[v >> 4]! + HEX[v & 15]!;
  }
  return s;
}

/** `0x` and zero-padded lowercase hex, as tshark prints BASE_HEX fields. */
export function hex(v: number, digits: number): string {
  return `0x${(v >>> 0).toString(16).padStart(digits, '0')}`;
}
