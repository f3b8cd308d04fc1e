// Number, size and time formatting for the UI (one place, so every view says it the same way).

const int = new Intl.NumberFormat('en-US');

export function count(n: number): string {
  return int.format(n);
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : many}`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${count(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** Relative time column: seconds with microseconds, like Wireshark. */
export function seconds(s: number): string {
  return s.toFixed(6);
}

/** A duration for people: 0.42 ms, 12.3 ms, 1.204 s. */
export function duration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '—';
  if (s < 0.001) return `${(s * 1000).toFixed(3)} ms`;
  if (s < 1) return `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms`;
  if (s < 120) return `${s.toFixed(3)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/**
 * Tick labels for a time axis spanning `span` seconds: milliseconds below a second, seconds below
 * two minutes, else a clock; as many decimals as ticks about a fifth of the span apart need to
 * read differently (a 4 ms capture gets 0.5, 1.0, 1.5 ms, not 0.001, 0.001, 0.002 s).
 */
export function axisTime(span: number): (t: number) => string {
  if (span >= 120) return (t) => clock(t);
  const scale = span < 1 ? 1000 : 1;
  const unit = span < 1 ? 'ms' : 's';
  const step = (span * scale) / 5;
  const decimals = step > 0 ? Math.min(6, Math.max(0, Math.ceil(-Math.log10(step)))) : 0;
  return (t) => `${(t * scale).toFixed(decimals)} ${unit}`;
}

/** Elapsed time as a clock: 0:07, 12:03, 1:02:03. */
export function clock(s: number): string {
  const total = Math.max(0, Math.floor(s));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function endpoint(e: { address: string; port: number }): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

export function percent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const p = (part / whole) * 100;
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
