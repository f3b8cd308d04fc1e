// Splits a pcapng 64-bit timestamp (two 32-bit halves, units of 1/U s) into seconds and nanoseconds
// without BigInt on the hot path: nanoseconds since the epoch (~1.7e18) exceed 2^53.

export interface TimestampOut {
  sec: number;
  nsec: number;
}

const TWO32 = 4294967296;
const TWO37 = 137438953472;

/** Decodes if_tsresol (pcapng §4.2): top bit clear means 10^-v seconds, set means 2^-v. */
export function unitsPerSecondFromTsresol(tsresol: number): number {
  const v = tsresol & 0x7f;
  return (tsresol & 0x80) !== 0 ? 2 ** v : 10 ** v;
}

/** Writes floor(ts / units) and the remainder as nanoseconds into `out`. */
export function splitTimestamp(hi: number, lo: number, units: number, out: TimestampOut): void {
  let sec: number;
  let rem: number;
  if (hi < 0x200000) {
    // ts < 2^53: plain double arithmetic is exact; fix the quotient if division rounded up.
    const ts = hi * TWO32 + lo;
    sec = Math.floor(ts / units);
    rem = ts - sec * units;
    if (rem < 0) {
      sec -= 1;
      rem += units;
    }
  } else if (units < TWO37) {
    // Long division by 16-bit limbs: remainder * 65536 + limb stays below 2^53.
    const limbs0 = hi >>> 16;
    const limbs1 = hi & 0xffff;
    const limbs2 = lo >>> 16;
    const limbs3 = lo & 0xffff;
    let r = limbs0;
    let q = Math.floor(r / units);
    r -= q * units;
    let acc = q;
    r = r * 65536 + limbs1;
    q = Math.floor(r / units);
    r -= q * units;
    acc = acc * 65536 + q;
    r = r * 65536 + limbs2;
    q = Math.floor(r / units);
    r -= q * units;
    acc = acc * 65536 + q;
    r = r * 65536 + limbs3;
    q = Math.floor(r / units);
    r -= q * units;
    acc = acc * 65536 + q;
    sec = acc;
    rem = r;
  } else {
    // Resolutions finer than ~7 ps are exotic; exactness matters more than speed here.
    const ts = (BigInt(hi) << 32n) | BigInt(lo);
    const u = BigInt(units);
    sec = Number(ts / u);
    rem = Number(ts % u);
  }
  out.sec = sec;
  out.nsec = remainderToNanos(rem, units);
}

function remainderToNanos(rem: number, units: number): number {
  if (units === 1e9) return rem;
  if (units === 1e6) return rem * 1000;
  if (units < 1e9 && 1e9 % units === 0) return rem * (1e9 / units);
  // Finer than 1 ns (10^-10 ...): an exact division, where rem / units * 1e9 would round.
  if (units > 1e9 && units % 1e9 === 0) return Math.floor(rem / (units / 1e9));
  // Binary resolutions (2^-v): floor(rem * 1e9 / units), exact while the product fits 2^53.
  const p = rem * 1e9;
  if (p <= Number.MAX_SAFE_INTEGER) {
    let q = Math.floor(p / units);
    if (q * units > p) q -= 1;
    else if ((q + 1) * units <= p) q += 1;
    return q;
  }
  return Number((BigInt(rem) * 1_000_000_000n) / BigInt(units));
}
