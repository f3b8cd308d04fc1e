// The application protocol inside decrypted TLS: chosen by ALPN (RFC 7301) first, else by the
// factories' content detection, from the same factory list the flow stage offers TCP; it receives
// each direction's plaintext in order, as a nested parser (like HTTP's CONNECT tunnels).

import type { AppParser, AppParserFactory, Direction, SegmentSpan, StreamChunk, StreamHost } from '../flow/app-parser';

/** ALPN protocol ids and the factory protocol that reads them. */
const ALPN_PROTOCOLS: Record<string, string> = {
  'http/1.1': 'http',
  'http/1.0': 'http',
  'http/0.9': 'http',
  h2: 'http2',
};

/** Decrypted records detection examines before giving up (as the flow stage does for TCP). */
const MAX_TRIES = 8;

/** Where a run of plaintext came from: its record's stream range (segment maps for replays). */
interface PlainSpan {
  plainStart: number;
  plainEnd: number;
  recordStart: number;
  recordEnd: number;
}

export class InnerApplication {
  parser: AppParser | null = null;
  /** The factory protocol chosen ('http', 'http2'…), null until decided or when none fits. */
  protocol: string | null = null;
  private decided = false;
  /** Runs of plaintext detection has looked at without a match (it gives up after MAX_TRIES). */
  private tries = 0;
  private readonly pos: [number, number] = [0, 0];
  private readonly maps: [PlainSpan[], PlainSpan[]] = [[], []];
  private readonly chunk: StreamChunk;

  constructor(
    private readonly host: StreamHost,
    private readonly factories: () => readonly AppParserFactory[],
    private readonly serverPort: () => number,
  ) {
    this.chunk = { p: null as unknown as StreamChunk['p'], row: -1, streamOffset: 0, frameOffset: -1 };
  }

  /**
   * Decrypted application data of `dir`: `plain` from the record at stream range
   * [recordStart, recordEnd), completed in `chunk`'s packet.
   */
  data(dir: Direction, plain: Uint8Array, alpn: string | null, chunk: StreamChunk, recordStart: number, recordEnd: number): void {
    if (plain.length === 0) return;
    if (!this.decided) this.decide(plain, alpn);
    const start = this.pos[dir];
    this.pos[dir] += plain.length;
    if (this.host.keepsSpans) this.maps[dir].push({ plainStart: start, plainEnd: start + plain.length, recordStart, recordEnd });
    const parser = this.parser;
    if (parser === null) return;
    const c = this.innerChunk(chunk, start);
    parser.data(dir, plain, 0, plain.length, c);
  }

  /** The direction's application data ended (close_notify, or the end of the TCP stream). */
  end(dir: Direction, chunk: StreamChunk | null): void {
    this.parser?.end(dir, chunk === null ? null : this.innerChunk(chunk, this.pos[dir]));
  }

  private innerChunk(chunk: StreamChunk, streamOffset: number): StreamChunk {
    const c = this.chunk;
    c.p = chunk.p;
    c.row = chunk.row;
    c.streamOffset = streamOffset;
    // Decrypted bytes are not in the frame: parsers show them in a "Decrypted TLS" data source.
    c.frameOffset = -1;
    return c;
  }

  private decide(plain: Uint8Array, alpn: string | null): void {
    // Without ALPN the first bytes may be something else (a stray line): detection tries again.
    this.decided = ++this.tries >= MAX_TRIES;
    const list = this.factories();
    const wanted = alpn === null ? undefined : ALPN_PROTOCOLS[alpn];
    let factory = wanted === undefined ? undefined : list.find((f) => f.protocol === wanted);
    // No ALPN (or none of ours): the first factory that recognises the bytes (TLS inside TLS is not tried).
    factory ??= list.find((f) => f.protocol !== 'tls' && f.detect(plain, 0, plain.length, this.serverPort()));
    if (factory === undefined) return;
    this.decided = true;
    this.protocol = factory.protocol;
    this.parser = factory.create(this.innerHost());
  }

  /** The nested parser's host: plaintext offsets map back to the records (and packets) carrying them. */
  private innerHost(): StreamHost {
    const host = this.host;
    const maps = this.maps;
    return {
      keepsSpans: host.keepsSpans,
      wantsTrees: host.wantsTrees,
      summaryOnly: host.summaryOnly === true,
      overTls: true,
      // HTTP inside: http.response_in as over TCP (its PDUs are TLS's, not TCP's: no pduEnd).
      laterFrames: host.laterFrames ?? null,
      spans(dir: Direction, start: number, end: number): SegmentSpan[] {
        const out: SegmentSpan[] = [];
        for (const m of maps[dir]) {
          if (m.plainEnd <= start || m.plainStart >= end) continue;
          for (const sp of host.spans(dir, m.recordStart, m.recordEnd)) {
            const last = out[out.length - 1];
            if (last !== undefined && last.row === sp.row && last.frameOffset + last.length === sp.frameOffset) continue;
            out.push(sp);
          }
        }
        return out;
      },
    };
  }
}
