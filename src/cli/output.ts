// Buffered line output for the CLI that survives a closed pipe (`wireladder … | head`).

export interface Writable {
  write(chunk: string): boolean;
  once?(event: 'drain', fn: () => void): unknown;
}

export class LineWriter {
  private buf: string[] = [];
  private size = 0;
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
      this.out.write(chunk);
    } catch {
      this.closed = true;
    }
  }
}
