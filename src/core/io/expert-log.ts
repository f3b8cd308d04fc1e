// The expert items of a whole capture as columns: row, code, two numbers and an interned text id
// per item, in typed arrays grown by doubling (16 bytes an item, no object per item). Items come
// in row order from the analysis pass; the few that arrive for an earlier row (a stream flushed at
// its end) are sorted in before the first lookup.

export interface ExpertItemView {
  row: number;
  code: number;
  a: number;
  b: number;
  text: string | null;
}

export class ExpertLog {
  private rows = new Uint32Array(256);
  private codes = new Uint16Array(256);
  private as = new Float64Array(256);
  private bs = new Float64Array(256);
  private textIds = new Uint32Array(256);
  private readonly texts: string[] = [''];
  private readonly textIndex = new Map<string, number>();
  private sorted = true;
  /** Items held. */
  count = 0;

  add(row: number, code: number, a: number, b: number, text: string | null): void {
    const n = this.count;
    if (n === this.rows.length) this.grow();
    if (n > 0 && row < this.rows[n - 1]!) this.sorted = false;
    this.rows[n] = row;
    this.codes[n] = code;
    this.as[n] = a;
    this.bs[n] = b;
    this.textIds[n] = text === null ? 0 : this.intern(text);
    this.count = n + 1;
  }

  /** Index of the first item of `row` (or of the first item after it). */
  private lowerBound(row: number): number {
    this.sort();
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rows[mid]! < row) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The items of one row, in the order they were raised. */
  itemsOf(row: number): ExpertItemView[] {
    const out: ExpertItemView[] = [];
    for (let i = this.lowerBound(row); i < this.count && this.rows[i] === row; i++) out.push(this.item(i));
    return out;
  }

  /** Whether `row` has an item, and of which codes (a bit set over `mask`'s codes). */
  hasRow(row: number): boolean {
    const i = this.lowerBound(row);
    return i < this.count && this.rows[i] === row;
  }

  /** The first item of `row` with `code`, or null. */
  find(row: number, code: number): ExpertItemView | null {
    for (let i = this.lowerBound(row); i < this.count && this.rows[i] === row; i++) if (this.codes[i] === code) return this.item(i);
    return null;
  }

  /** Item `i` (0 ≤ i < count) in row order. */
  item(i: number): ExpertItemView {
    this.sort();
    const t = this.textIds[i]!;
    return { row: this.rows[i]!, code: this.codes[i]!, a: this.as[i]!, b: this.bs[i]!, text: t === 0 ? null : this.texts[t]! };
  }

  /** Row and code of item `i` without building an object (for counting passes). */
  rowAt(i: number): number {
    this.sort();
    return this.rows[i]!;
  }

  codeAt(i: number): number {
    this.sort();
    return this.codes[i]!;
  }

  /** Bytes held by the columns. */
  get byteSize(): number {
    return this.rows.byteLength + this.codes.byteLength + this.as.byteLength + this.bs.byteLength + this.textIds.byteLength;
  }

  private intern(text: string): number {
    let id = this.textIndex.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.textIndex.set(text, id);
    }
    return id;
  }

  private grow(): void {
    const size = this.rows.length * 2;
    const rows = new Uint32Array(size);
    rows.set(this.rows);
    this.rows = rows;
    const codes = new Uint16Array(size);
    codes.set(this.codes);
    this.codes = codes;
    const as = new Float64Array(size);
    as.set(this.as);
    this.as = as;
    const bs = new Float64Array(size);
    bs.set(this.bs);
    this.bs = bs;
    const ids = new Uint32Array(size);
    ids.set(this.textIds);
    this.textIds = ids;
  }

  /** Stable sort by row (rare: only when an item arrived for an earlier row). */
  private sort(): void {
    if (this.sorted) return;
    const n = this.count;
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => this.rows[x]! - this.rows[y]! || x - y);
    const take = <T extends Uint32Array | Uint16Array | Float64Array>(src: T, make: (n: number) => T): T => {
      const dst = make(src.length);
      for (let i = 0; i < n; i++) dst[i] = src[order[i]!]!;
      return dst;
    };
    this.rows = take(this.rows, (k) => new Uint32Array(k));
    this.codes = take(this.codes, (k) => new Uint16Array(k));
    this.as = take(this.as, (k) => new Float64Array(k));
    this.bs = take(this.bs, (k) => new Float64Array(k));
    this.textIds = take(this.textIds, (k) => new Uint32Array(k));
    this.sorted = true;
  }
}
