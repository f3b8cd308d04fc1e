import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamReassembler, type ReassemblyTarget } from '../../../src/core/flow/reassembly';
import { ACK, CLIENT, FIN, PSH, RecordingFactory, Run, SERVER, SYN, tcpFrame } from './helpers';

/** Records what the reassembler produces, byte by byte. */
class Collector implements ReassemblyTarget {
  readonly bytes: number[] = [];
  /** Per output byte: true when it came as data, false when reported missing. */
  readonly isData: boolean[] = [];
  readonly gaps: { offset: number; len: number }[] = [];
  /** Each data run's origin, to check the (row, frameOffset) map. */
  readonly runs: { streamOffset: number; row: number; frameOffset: number; len: number; buffered: boolean }[] = [];
  contiguous = true;

  streamData(_dir: number, bytes: Uint8Array, off: number, len: number, streamOffset: number, row: number, frameOffset: number, buffered: boolean): void {
    if (streamOffset !== this.bytes.length) this.contiguous = false;
    for (let i = 0; i < len; i++) {
      this.bytes.push(bytes[off + i]!);
      this.isData.push(true);
    }
    this.runs.push({ streamOffset, row, frameOffset, len, buffered });
  }

  streamGap(_dir: number, len: number, streamOffset: number): void {
    if (streamOffset !== this.bytes.length) this.contiguous = false;
    this.gaps.push({ offset: streamOffset, len });
    for (let i = 0; i < len; i++) {
      this.bytes.push(-1);
      this.isData.push(false);
    }
  }
}

/** A copy of stream bytes [offset, offset + len), possibly with different content (a "bad" retransmission). */
interface Copy {
  offset: number;
  data: Uint8Array;
}

/**
 * A stream, cut into segments (every byte covered at least once unless `holes`), plus extra
 * duplicated or overlapping copies, in a random arrival order.
 */
const scenario = (opts: { holes: boolean; differentContent: boolean }) =>
  fc
    .record({
      stream: fc.uint8Array({ minLength: 1, maxLength: 600 }),
      cuts: fc.array(fc.nat(), { maxLength: 40 }),
      extras: fc.array(fc.record({ a: fc.nat(), b: fc.nat(), salt: fc.integer({ min: 1, max: 255 }), different: fc.boolean() }), { maxLength: 12 }),
      drop: fc.array(fc.nat(), { maxLength: opts.holes ? 6 : 0 }),
      order: fc.array(fc.nat(), { maxLength: 60 }),
    })
    .map(({ stream, cuts, extras, drop, order }) => {
      const n = stream.length;
      const points = [...new Set([0, n, ...cuts.map((c) => c % (n + 1))])].sort((x, y) => x - y);
      let copies: Copy[] = [];
      for (let i = 0; i + 1 < points.length; i++) copies.push({ offset: points[i]!, data: stream.slice(points[i], points[i + 1]) });
      // Holes: drop some of the original segments, but never the last one (it fixes the length).
      if (opts.holes) {
        const last = copies[copies.length - 1]!;
        const dropped = new Set(drop.map((d) => d % copies.length));
        copies = copies.filter((c, i) => c === last || !dropped.has(i));
      }
      for (const e of extras) {
        const a = e.a % n;
        const b = a + 1 + (e.b % (n - a));
        const data = stream.slice(a, b);
        if (opts.differentContent && e.different) for (let i = 0; i < data.length; i++) data[i] = (data[i]! + e.salt) & 0xff;
        copies.push({ offset: a, data });
      }
      // A random permutation of the arrival order.
      for (let i = copies.length - 1; i > 0; i--) {
        const j = (order[i % Math.max(1, order.length)] ?? 0) % (i + 1);
        [copies[i], copies[j]] = [copies[j]!, copies[i]!];
      }
      return { stream, copies };
    });

/** What "first copy wins" means: each byte comes from the earliest copy (in arrival order) holding it. */
function firstCopyWins(length: number, copies: readonly Copy[]): number[] {
  const out = new Array<number>(length).fill(-1);
  for (const c of copies) for (let i = 0; i < c.data.length; i++) if (out[c.offset + i] === -1) out[c.offset + i] = c.data[i]!;
  return out;
}

function feed(r: StreamReassembler, t: Collector, copies: readonly Copy[], check?: () => void): void {
  copies.forEach((c, row) => {
    r.add(t, c.offset, c.data, 0, c.data.length, c.data.length, row, 100);
    check?.();
  });
  r.flush(t);
}

describe('stream reassembly', () => {
  it('any segmentation, reordering and duplication reassembles to exactly the stream', () => {
    fc.assert(
      fc.property(scenario({ holes: false, differentContent: false }), ({ stream, copies }) => {
        const r = new StreamReassembler(0, 1 << 20);
        const t = new Collector();
        feed(r, t, copies);
        expect(t.contiguous).toBe(true);
        expect(t.gaps).toEqual([]);
        expect(Uint8Array.from(t.bytes)).toEqual(stream);
      }),
      { numRuns: 400 },
    );
  });

  it('overlapping retransmissions with different content: the first copy of each byte wins', () => {
    fc.assert(
      fc.property(scenario({ holes: false, differentContent: true }), ({ stream, copies }) => {
        const r = new StreamReassembler(0, 1 << 20);
        const t = new Collector();
        feed(r, t, copies);
        expect(t.bytes).toEqual(firstCopyWins(stream.length, copies));
      }),
      { numRuns: 400 },
    );
  });

  it('segments never seen become gaps of exactly their length, and nothing else does', () => {
    fc.assert(
      fc.property(scenario({ holes: true, differentContent: false }), ({ stream, copies }) => {
        const r = new StreamReassembler(0, 1 << 20);
        const t = new Collector();
        feed(r, t, copies);
        const expected = firstCopyWins(stream.length, copies);
        expect(t.contiguous).toBe(true);
        expect(t.bytes).toEqual(expected);
        // Each gap is one maximal run of missing bytes.
        const holes: { offset: number; len: number }[] = [];
        for (let i = 0; i < expected.length; i++) {
          if (expected[i] !== -1) continue;
          const last = holes[holes.length - 1];
          if (last !== undefined && last.offset + last.len === i) last.len++;
          else holes.push({ offset: i, len: 1 });
        }
        expect(t.gaps).toEqual(holes);
      }),
      { numRuns: 400 },
    );
  });

  it('a small buffer limit is never exceeded: the oldest hole is given up and the stream moves on', () => {
    fc.assert(
      fc.property(scenario({ holes: true, differentContent: false }), fc.integer({ min: 1, max: 64 }), ({ stream, copies }, limit) => {
        const r = new StreamReassembler(0, limit);
        const t = new Collector();
        feed(r, t, copies, () => expect(r.pendingBytes).toBeLessThanOrEqual(limit));
        expect(t.contiguous).toBe(true);
        // Whatever came as data is the stream's own content; only missing or skipped bytes are gaps.
        t.bytes.forEach((b, i) => {
          if (t.isData[i]) expect(b).toBe(stream[i]);
        });
        expect(t.bytes.length).toBe(stream.length);
      }),
      { numRuns: 300 },
    );
  });

  it('every reassembled byte maps back to the packet and frame offset that carried it', () => {
    fc.assert(
      fc.property(scenario({ holes: false, differentContent: false }), ({ stream, copies }) => {
        const r = new StreamReassembler(0, 1 << 20);
        const t = new Collector();
        feed(r, t, copies);
        for (const run of t.runs) {
          for (let i = 0; i < run.len; i++) {
            const c = copies[run.row]!;
            // feed() puts each copy at frame offset 100 of its own "packet" (row = arrival index).
            const within = run.frameOffset - 100 + i;
            expect(c.offset + within).toBe(run.streamOffset + i);
            expect(c.data[within]).toBe(stream[run.streamOffset + i]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('in-order segments pass straight through without buffering', () => {
    const r = new StreamReassembler(0, 1024);
    const t = new Collector();
    const data = new TextEncoder().encode('abcdefgh');
    r.add(t, 0, data, 0, 4, 4, 0, 54);
    r.add(t, 4, data, 4, 4, 4, 1, 54);
    expect(r.pendingSegments).toBe(0);
    expect(t.runs.map((x) => x.buffered)).toEqual([false, false]);
    expect(String.fromCharCode(...t.bytes)).toBe('abcdefgh');
  });

  it('bytes on the wire that the capture cut off are a gap right away', () => {
    const r = new StreamReassembler(0, 1024);
    const t = new Collector();
    r.add(t, 0, new Uint8Array([1, 2, 3]), 0, 3, 10, 0, 54);
    expect(t.gaps).toEqual([{ offset: 3, len: 7 }]);
    expect(r.next).toBe(10);
  });
});

describe('reassembly through the analysis pass', () => {
  const tcpScenario = fc
    .record({
      stream: fc.uint8Array({ minLength: 1, maxLength: 3000 }),
      cuts: fc.array(fc.nat(), { maxLength: 20 }),
      dups: fc.array(fc.record({ a: fc.nat(), b: fc.nat() }), { maxLength: 6 }),
      keys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 }),
      isn: fc.integer({ min: 0, max: 0xffffffff }),
    })
    .map(({ stream, cuts, dups, keys, isn }) => {
      const n = stream.length;
      const points = [...new Set([0, n, ...cuts.map((c) => c % (n + 1))])].sort((x, y) => x - y);
      const segs: { offset: number; len: number }[] = [];
      for (let i = 0; i + 1 < points.length; i++) segs.push({ offset: points[i]!, len: points[i + 1]! - points[i]! });
      for (const d of dups) {
        const a = d.a % n;
        segs.push({ offset: a, len: 1 + (d.b % (n - a)) });
      }
      const order = segs.map((s, i) => ({ s, k: keys[i % keys.length]! + i * 1e-9 })).sort((x, y) => x.k - y.k).map((x) => x.s);
      return { stream, order, isn };
    });

  it('the app parser receives exactly the stream, and spans map every byte to its packet (ISN anywhere, wrap included)', () => {
    fc.assert(
      fc.property(tcpScenario, ({ stream, order, isn }) => {
        const factory = new RecordingFactory();
        const run = new Run({ appFactories: [factory], keepSpans: true });
        // The frames sent, by row, to check the spans against.
        const frames: Uint8Array[] = [];
        const send = (flags: number, seq: number, payload?: Uint8Array) => {
          const frame = tcpFrame({ from: CLIENT, to: SERVER, flags, seq: seq >>> 0, payload });
          frames.push(frame);
          run.frame(frame);
        };
        send(SYN, isn);
        for (const s of order) send(ACK | PSH, isn + 1 + s.offset, stream.slice(s.offset, s.offset + s.len));
        run.finish();
        const parser = factory.parsers[0]!;
        expect(parser).toBeDefined();
        expect(parser.stream(0)).toEqual(stream);
        expect(parser.events.filter((e) => e.kind === 'gap')).toEqual([]);
        const spans = parser.spans(0, 0, stream.length);
        let at = 0;
        for (const sp of spans) {
          expect(sp.streamOffset).toBe(at);
          const frame = frames[sp.row]!;
          for (let i = 0; i < sp.length; i++) expect(frame[sp.frameOffset + i]).toBe(stream[sp.streamOffset + i]);
          at += sp.length;
        }
        expect(at).toBe(stream.length);
        // A sub-range maps to the same bytes.
        const mid = Math.floor(stream.length / 3);
        const part = parser.spans(0, mid, mid + 5);
        expect(part.reduce((sum, sp) => sum + sp.length, 0)).toBe(Math.min(5, stream.length - mid));
        if (part.length > 0) expect(part[0]!.streamOffset).toBe(mid);
      }),
      { numRuns: 150 },
    );
  });

  it('a lost segment the receiver acknowledged becomes a gap at once, and the stream goes on', () => {
    const factory = new RecordingFactory();
    const run = new Run({ appFactories: [factory] });
    const enc = (s: string) => new TextEncoder().encode(s);
    run.segment({ from: CLIENT, to: SERVER, flags: SYN, seq: 100 });
    run.segment({ from: SERVER, to: CLIENT, flags: SYN | ACK, seq: 900, ack: 101 });
    run.segment({ from: CLIENT, to: SERVER, flags: ACK | PSH, seq: 101, ack: 901, payload: enc('hello ') });
    // "brave " (6 bytes at 107) is never captured; the server acknowledges it anyway.
    run.segment({ from: CLIENT, to: SERVER, flags: ACK | PSH, seq: 113, ack: 901, payload: enc('world') });
    run.segment({ from: SERVER, to: CLIENT, flags: ACK, seq: 901, ack: 118 });
    const p = factory.parsers[0]!;
    expect(p.events.map((e) => (e.kind === 'data' ? new TextDecoder().decode(e.bytes) : e.kind === 'gap' ? `<gap ${e.len}>` : 'end'))).toEqual([
      'hello ',
      '<gap 6>',
      'world',
    ]);
    // The gap is reported on the packet whose ACK revealed it.
    expect(p.events[1]).toMatchObject({ kind: 'gap', streamOffset: 6 });
  });

  it('FIN ends a direction with end(dir, chunk); the end of the capture ends the rest with end(dir, null)', () => {
    const factory = new RecordingFactory();
    const run = new Run({ appFactories: [factory] });
    const enc = (s: string) => new TextEncoder().encode(s);
    run.segment({ from: CLIENT, to: SERVER, flags: SYN, seq: 1 });
    run.segment({ from: SERVER, to: CLIENT, flags: SYN | ACK, seq: 50, ack: 2 });
    run.segment({ from: CLIENT, to: SERVER, flags: ACK | PSH, seq: 2, ack: 51, payload: enc('GET /') });
    run.segment({ from: SERVER, to: CLIENT, flags: ACK | PSH, seq: 51, ack: 7, payload: enc('200') });
    run.segment({ from: CLIENT, to: SERVER, flags: FIN | ACK, seq: 7, ack: 54 });
    const p = factory.parsers[0]!;
    expect(p.events.filter((e) => e.kind === 'end')).toEqual([{ kind: 'end', dir: 0, withChunk: true }]);
    run.finish();
    expect(p.events.filter((e) => e.kind === 'end')).toEqual([
      { kind: 'end', dir: 0, withChunk: true },
      { kind: 'end', dir: 1, withChunk: false },
    ]);
  });

  it('a capture starting mid-connection tells the parser with a zero-length gap first', () => {
    const factory = new RecordingFactory();
    const run = new Run({ appFactories: [factory] });
    run.segment({ from: SERVER, to: CLIENT, flags: ACK | PSH, seq: 7000, ack: 3000, payload: new Uint8Array([1, 2, 3]) });
    const p = factory.parsers[0]!;
    expect(p.events[0]).toEqual({ kind: 'gap', dir: 1, len: 0, streamOffset: 0 });
    expect(p.events[1]).toMatchObject({ kind: 'data', dir: 1, streamOffset: 0 });
  });

  it('the first factory that recognises the first payload gets the conversation, with the server port', () => {
    const ports: number[] = [];
    const no = new RecordingFactory((_, port) => (ports.push(port), false));
    const yes = new RecordingFactory((bytes) => bytes[0] === 0x16);
    const run = new Run({ appFactories: [no, yes] });
    run.segment({ from: CLIENT, to: SERVER, flags: SYN, seq: 1 });
    run.segment({ from: SERVER, to: CLIENT, flags: SYN | ACK, seq: 50, ack: 2 });
    run.segment({ from: CLIENT, to: SERVER, flags: ACK | PSH, seq: 2, ack: 51, payload: new Uint8Array([0x16, 3, 1]) });
    expect(ports).toEqual([80]);
    expect(no.parsers).toHaveLength(0);
    expect(yes.parsers).toHaveLength(1);
    expect(run.conversations[0]!.app).toBe(yes.parsers[0]);
  });
});
