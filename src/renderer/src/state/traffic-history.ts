// Packets per second per interface from polled cumulative counters: what the capture dialog's
// sparklines draw (the last ~30 s at two samples a second).

import type { InterfaceCountersDto } from '../../../shared/api';

/** Rates kept per interface: 30 s at the dialog's two polls a second. */
export const HISTORY_LENGTH = 60;

interface Sample {
  /** Milliseconds (the poll's clock). */
  t: number;
  packets: number;
}

export class TrafficHistory {
  private readonly last = new Map<string, Sample>();
  private readonly rates = new Map<string, number[]>();

  constructor(private readonly length = HISTORY_LENGTH) {}

  /** Adds one poll's counters taken at `t` ms; returns a new history (React state stays immutable). */
  add(counters: readonly InterfaceCountersDto[], t: number): TrafficHistory {
    const next = new TrafficHistory(this.length);
    for (const c of counters) {
      const prev = this.last.get(c.name);
      const rates = [...(this.rates.get(c.name) ?? [])];
      if (prev !== undefined && t > prev.t) {
        // A counter that went backwards was reset (the interface was re-created): no rate for that step.
        const delta = c.packets >= prev.packets ? c.packets - prev.packets : 0;
        rates.push((delta * 1000) / (t - prev.t));
        if (rates.length > this.length) rates.splice(0, rates.length - this.length);
      }
      next.last.set(c.name, { t, packets: c.packets });
      next.rates.set(c.name, rates);
    }
    return next;
  }

  /** Whether the engine reported counters for this interface (Linux kernel interfaces). */
  has(name: string): boolean {
    return this.last.has(name);
  }

  /** Packets per second between consecutive polls, oldest first. */
  ratesOf(name: string): readonly number[] {
    return this.rates.get(name) ?? [];
  }

  /** The latest rate, or null before the second poll. */
  current(name: string): number | null {
    const r = this.rates.get(name);
    return r === undefined || r.length === 0 ? null : r[r.length - 1]!;
  }
}

/** "0 pkt/s", "37 pkt/s", "12.4k pkt/s". */
export function rateText(perSecond: number): string {
  if (perSecond < 1000) return `${Math.round(perSecond)} pkt/s`;
  if (perSecond < 1_000_000) return `${(perSecond / 1000).toFixed(perSecond < 10_000 ? 1 : 0)}k pkt/s`;
  return `${(perSecond / 1_000_000).toFixed(1)}M pkt/s`;
}
