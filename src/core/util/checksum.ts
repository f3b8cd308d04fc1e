// The Internet checksum (RFC 1071) over byte ranges, for IPv4, TCP, UDP, ICMP and ICMPv6.

/** One's-complement sum of 16-bit big-endian words of b[off, off+len), not yet folded. */
export function sum16(b: Uint8Array, off: number, len: number, acc: number): number {
  const end = off + len - 1;
  let i = off;
  for (; i < end; i += 2) acc += (b[i]! << 8) | b[i + 1]!;
  if (i === end) acc += b[i]! << 8;
  return acc;
}

/** Folds a sum into 16 bits and complements it; 0 means "the checksum in the data is right". */
export function finish16(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + Math.floor(acc / 65536);
  return ~acc & 0xffff;
}
