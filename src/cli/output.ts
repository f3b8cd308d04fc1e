// Streamed output for the CLI: buffered lines that survive a closed pipe (`wireladder … | head`)
// and wait for a slow reader, and JSON written one element at a time (an array as it goes, or one
// object per line), so no output that grows with the capture is ever built as one string.

export interface Writable {
  write(chunk: string): boolean;
  once?(event: 'drain', fn: () => void): unknown;
}

export class LineWriter {
  private buf: string[] = [];
  private size = 0;
  /** The stream's write() said its buffer is full: wait for 'drain' before writing much more. */
  private full = false;
  closed = false;

  constructor(private readonly out: Writable, private readonly limit = 64 * 1024) {}

  line(text: string): void {
    if (this.closed) return;
    this.buf.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0 || this.closed) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    try {
      if (!this.out.write(chunk)) this.full = true;
    } catch {
      this.closed = true;
    }
  }

  /**
   * Resolves when the stream can take more (at once unless a write found its buffer full). Loops
   * that print much call it now and then, so a slow reader slows them instead of filling memory.
   */
  drained(): Promise<void> {
    if (!this.full || this.closed || this.out.once === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.out.once!('drain', () => {
        this.full = false;
        resolve();
      });
    });
  }
}

/** How JSON output is laid out: one indented array (`--json`) or one compact object per line (`--jsonl`). */
export type JsonMode = 'array' | 'lines';

/**
 * Writes a JSON array element by element. As an array it reads exactly as
 * `JSON.stringify(all, null, 2)` would print it; as lines, each element is one line (JSON Lines).
 */
export class JsonWriter {
  private count = 0;
  /** The last element, written once the next one (or the end) says how its line ends. */
  private pending = '';

  constructor(private readonly w: LineWriter, private readonly mode: JsonMode) {}

  item(value: unknown): void {
    if (this.mode === 'lines') {
      this.w.line(JSON.stringify(value));
      return;
    }
    const text = JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
    // Each element ends its line with the comma that separates it from the next one.
    if (this.count === 0) this.pending = `[\n  ${text}`;
    else {
      this.w.line(`${this.pending},`);
      this.pending = `  ${text}`;
    }
    this.count++;
  }

  /** Closes the array (an empty one prints `[]`). */
  end(): void {
    if (this.mode === 'lines') return;
    if (this.count === 0) this.w.line('[]');
    else this.w.line(`${this.pending}\n]`);
  }
}

/** The JSON mode asked for by `--json` / `--jsonl`, or null for the text output. */
export function jsonMode(flags: ReadonlySet<string>): JsonMode | null {
  if (flags.has('--jsonl')) return 'lines';
  return flags.has('--json') ? 'array' : null;
}
