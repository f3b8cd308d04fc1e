// CLI output is streamed: JSON arrays written element by element read exactly as one
// JSON.stringify would print them, --jsonl is one object per line, tables stream past their first
// block of rows, and a slow reader makes the writer wait instead of piling text up in memory.

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run, type CliIo } from '../../src/cli/main';
import { FlowTable, formatFlows } from '../../src/cli/commands/flows';
import { JsonWriter, LineWriter } from '../../src/cli/output';
import type { ConversationSummary } from '../../src/core/flow/conversation-summary';
import { corpusPath } from '../core/io/helpers';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIo = { stdout: { write: (s: string) => ((out += s), true) }, out: (t) => (out += `${t}\n`), err: () => {} };
  const code = await run(args, io);
  return { code, out };
}

function collect(): { w: LineWriter; text: () => string } {
  let out = '';
  const w = new LineWriter({ write: (s: string) => ((out += s), true) }, 16);
  return { w, text: () => (w.flush(), out) };
}

describe('streamed JSON', () => {
  it('an array written element by element is what JSON.stringify(all, null, 2) prints', () => {
    const cases: unknown[][] = [[], [1], [{ a: 1, b: [1, 2, { c: 'x\ny' }] }, null, 'two'], [{ nested: { deeper: [[]] } }, {}]];
    for (const values of cases) {
      const { w, text } = collect();
      const json = new JsonWriter(w, 'array');
      for (const v of values) json.item(v);
      json.end();
      expect(text()).toBe(`${JSON.stringify(values, null, 2)}\n`);
    }
  });

  it('JSON Lines: one compact object per line', () => {
    const { w, text } = collect();
    const json = new JsonWriter(w, 'lines');
    json.item({ a: 1 });
    json.item({ b: 'two' });
    json.end();
    expect(text()).toBe('{"a":1}\n{"b":"two"}\n');
  });

  it('flows --jsonl has one line per conversation, the same objects as --json', async () => {
    const file = corpusPath('zeek/http/methods.pcap');
    const array = JSON.parse((await cli(['flows', file, '--json'])).out) as unknown[];
    const lines = (await cli(['flows', file, '--jsonl'])).out.trimEnd().split('\n');
    expect(array.length).toBeGreaterThan(1);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(array);
  });

  it('packets --json and --jsonl: one object per packet with the columns of the text output', async () => {
    const file = corpusPath('local/tls12-rsa.pcap');
    const text = (await cli(['packets', file])).out.trimEnd().split('\n');
    const array = JSON.parse((await cli(['packets', file, '--json'])).out) as { number: number; protocol: string; info: string }[];
    const lines = (await cli(['packets', file, '--jsonl'])).out.trimEnd().split('\n');
    expect(array).toHaveLength(text.length);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(array);
    array.forEach((p, i) => {
      expect(p.number).toBe(i + 1);
      expect(text[i]).toContain(` ${p.protocol} `);
      expect(text[i]!.endsWith(p.info)).toBe(true);
    });
  });
});

describe('streamed tables', () => {
  const row = (i: number, sni: string | null): ConversationSummary => ({
    stream: i,
    protocol: 'TCP',
    client: `10.0.${i >> 8}.${i & 255}:${1024 + i}`,
    server: '192.0.2.1:443',
    roleReason: 'syn',
    packets: { toServer: 5, toClient: 4 },
    bytes: { toServer: 500, toClient: 4000 },
    duration: 0.25,
    handshake: 'complete',
    initialRtt: 0.01,
    clientState: 'CLOSED',
    serverState: 'CLOSED',
    reset: false,
    tlsVersion: null,
    sni,
    cipher: null,
    alpn: null,
    decryption: null,
    httpTransactions: null,
    httpFirstRequest: null,
    http2: null,
    verdict: null,
  });

  it('few rows: laid out together, empty optional columns left out', () => {
    const lines = formatFlows([row(0, null), row(1, 'example.com')]);
    expect(lines[0]).toContain('SNI');
    expect(lines[0]).not.toContain('cipher');
    expect(formatFlows([row(0, null)])[0]).not.toContain('SNI');
  });

  it('many rows: written as they come after the first block, and a column filled late is not lost', () => {
    const lines: string[] = [];
    const table = new FlowTable({ line: (t) => lines.push(t) });
    const n = 10_000;
    for (let i = 0; i < n; i++) table.row(row(i, i === n - 1 ? 'late.example' : null));
    // The first block went out before the end: the table streams.
    expect(lines.length).toBeGreaterThan(4000);
    table.end();
    expect(lines).toHaveLength(n + 1);
    expect(lines[0]).toContain('SNI');
    expect(lines[n]).toContain('late.example');
  });
});

describe('a slow reader', () => {
  it('drained() waits for the stream to drain once a write found its buffer full', async () => {
    const stream = new PassThrough({ highWaterMark: 1024 });
    const w = new LineWriter(stream, 256);
    for (let i = 0; i < 100; i++) w.line('x'.repeat(100));
    w.flush();
    let drained = false;
    const wait = w.drained().then(() => (drained = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    stream.resume();
    await wait;
    expect(drained).toBe(true);
    // Nothing full: no waiting.
    await new LineWriter({ write: () => true }).drained();
  });
});
