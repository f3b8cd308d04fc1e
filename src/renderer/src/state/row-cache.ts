// Rows of a virtualised list on demand (packet list, conversation table): pages of 200 rows,
// fetched only for what is on screen (+ overscan), coalesced per frame, at most a few requests in
// flight, least-recently-used pages dropped.

import type { PacketRow } from '../../../shared/api';

export const PAGE_SIZE = 200;
const MAX_PAGES = 48;
const MAX_IN_FLIGHT = 3;

/** A page of rows from `start`, and how many rows the list has in all. */
export type FetchRows<Row> = (start: number, count: number) => Promise<{ rows: Row[]; total: number }>;

export class RowCache<Row = PacketRow> {
  private readonly pages = new Map<number, Row[]>();
  private readonly inFlight = new Set<number>();
  private readonly listeners = new Set<() => void>();
  private wanted: [number, number] = [0, 0];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  total: number;
  /** Changes whenever rows arrive (the snapshot for useSyncExternalStore). */
  version = 0;
  /** The last fetch error (shown by the list), cleared by a good page. */
  error: string | null = null;

  constructor(
    private readonly fetchRows: FetchRows<Row>,
    total: number,
  ) {
    this.total = total;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  get(i: number): Row | undefined {
    const page = this.pages.get(Math.floor(i / PAGE_SIZE));
    return page?.[i % PAGE_SIZE];
  }

  /** The displayed list grew (loading, live capture) or shrank. */
  setTotal(total: number): void {
    if (total === this.total) return;
    if (total < this.total) for (const p of [...this.pages.keys()]) if (p * PAGE_SIZE >= total) this.pages.delete(p);
    this.total = total;
    this.schedule();
  }

  /** Rows [start, end) are on screen; fetch what is missing soon. */
  request(start: number, end: number): void {
    this.wanted = [Math.max(0, start), Math.min(this.total, end)];
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.timer !== null || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, 16);
  }

  private needs(p: number): boolean {
    if (this.inFlight.has(p)) return false;
    const page = this.pages.get(p);
    if (page === undefined) return true;
    // A short page that the list has since grown past is fetched again.
    return page.length < PAGE_SIZE && p * PAGE_SIZE + page.length < this.total;
  }

  private pump(): void {
    const [start, end] = this.wanted;
    if (end <= start) return;
    const first = Math.floor(start / PAGE_SIZE);
    const last = Math.floor((end - 1) / PAGE_SIZE);
    for (let p = first; p <= last && this.inFlight.size < MAX_IN_FLIGHT; p++) {
      if (this.needs(p)) void this.load(p);
    }
  }

  private async load(p: number): Promise<void> {
    this.inFlight.add(p);
    try {
      const page = await this.fetchRows(p * PAGE_SIZE, PAGE_SIZE);
      if (this.disposed) return;
      this.pages.delete(p);
      this.pages.set(p, page.rows);
      this.error = null;
      if (page.total !== this.total) this.total = Math.max(this.total, page.total);
      this.evict(p);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.inFlight.delete(p);
    }
    if (this.disposed) return;
    this.version++;
    for (const fn of this.listeners) fn();
    if (this.error === null) this.schedule();
  }

  private evict(keep: number): void {
    const [start, end] = this.wanted;
    for (const p of this.pages.keys()) {
      if (this.pages.size <= MAX_PAGES) break;
      if (p === keep || (p * PAGE_SIZE < end && (p + 1) * PAGE_SIZE > start)) continue;
      this.pages.delete(p);
    }
  }
}
