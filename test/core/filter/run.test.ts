import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Layer } from '../../../src/core/dissect/tree';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import type { Analyzer } from '../../../src/core/engine/analyzer';
import { compileFilter, isFilterError, type CompiledFilter, type PacketTree } from '../../../src/core/filter/compile';
import { captureFilterSource } from '../../../src/core/filter/capture-source';
import { runFilter, runIndexPass, type FilterProgress, type FilterSource } from '../../../src/core/filter/run';
import { RecordStore } from '../../../src/core/io/record-store';

const corpus = join(__dirname, '..', '..', '..', '..', 'shared', 'corpus');

interface Opened {
  analyzer: Analyzer;
  store: RecordStore;
  source: FilterSource;
}

async function open(capture: string): Promise<Opened> {
  const path = join(corpus, capture);
  const { analyzer } = await analyzeFile(path);
  const store = RecordStore.forFile(path);
  const index = analyzer.index;
  // What the engine service passes: its CaptureSession (analyzer, bytes, comments).
  const session = {
    analyzer,
    bytes: (row: number) => store.read(index.fileOffset(row), index.caplen(row)),
    comments: (row: number) => index.comments.get(row) ?? [],
  };
  return { analyzer, store, source: captureFilterSource(session) };
}

function compile(text: string, a: Analyzer): CompiledFilter {
  const c = compileFilter(text, a.registry);
  if (isFilterError(c)) throw new Error(`${c.error} at ${c.position}`);
  return c;
}

async function frames(text: string, o: Opened): Promise<number[]> {
  return [...(await runFilter(compile(text, o.analyzer), o.source))].map((r) => r + 1);
}

let http: Opened;
let arp: Opened;
let tls: Opened;

beforeAll(async () => {
  http = await open('zeek/http/get.pcap');
  arp = await open('zeek/arp-who-has.pcap');
  tls = await open('local/tls12-rsa.pcap');
});

afterAll(() => {
  for (const o of [http, arp, tls]) o.store.close();
});

describe('Wireshark 4.0 semantics', () => {
  it('"!=" is true when every occurrence differs and the field is present', async () => {
    // get.pcap: 141.142.228.5 talks to 192.150.187.43; every packet has both as ip.addr.
    expect(await frames('ip.addr != 141.142.228.5', http)).toEqual([]);
    expect(await frames('ip.addr != 1.2.3.4', http)).toHaveLength(14);
    // No tcp.port in an ARP packet: "!=" is false, "!(==)" is true.
    expect(await frames('tcp.port != 80', arp)).toEqual([]);
    expect(await frames('!(tcp.port == 80)', arp)).toEqual([1, 2]);
  });

  it('"!==" (any_ne) and "===" (all_eq) quantify the other way', async () => {
    expect(await frames('ip.addr !== 141.142.228.5', http)).toHaveLength(14);
    expect(await frames('ip.addr === 141.142.228.5', http)).toEqual([]);
    expect(await frames('ip.addr === 127.0.0.1', tls)).toHaveLength(34);
  });

  it('"matches" ignores case unless the pattern says (?-i)', async () => {
    expect(await frames('http.request.method matches "get"', http)).toEqual([4]);
    expect(await frames('http.request.method matches "(?-i)get"', http)).toEqual([]);
  });

  it('a field alone tests presence, whatever its value', async () => {
    // tcp.flags.syn is present (false) in every TCP packet.
    expect(await frames('tcp.flags.syn', http)).toHaveLength(14);
    expect(await frames('ip.src == 141.142.228.5 && !tcp.flags.syn', http)).toEqual([]);
  });

  it('compares times exactly, to the nanosecond', async () => {
    expect(await frames('frame.time_relative == 0.069740', http)).toEqual([2]);
    expect(await frames('frame.time_relative >= 0.069740 && frame.time_relative < 0.07', http)).toEqual([2]);
  });

  it('looks inside protocols as bytes', async () => {
    expect(await frames('frame contains "GET"', http)).toEqual([4]);
    expect(await frames('tcp.payload contains 48:54:54:50', http)).toEqual([4, 6]);
  });
});

describe('running a filter', () => {
  it('answers index-only filters without asking for a single tree', async () => {
    const c = compile('tcp.port == 8441 && tcp.flags.syn == 1', tls.analyzer);
    let asked = 0;
    const rows = await runFilter(c, { ...tls.source, trees: undefined, treeOf: () => (asked++, null) });
    expect([...rows].map((r) => r + 1)).toEqual([1, 2, 18, 19]);
    expect(asked).toBe(0);
  });

  it('re-dissects only the rows the index cannot decide, and reports progress', async () => {
    const c = compile('tls.handshake.type == 1', tls.analyzer);
    const pass = runIndexPass(c.bind(tls.source), tls.source);
    // Only TLS packets that may hold a handshake message need their tree.
    expect(pass.unknown.length).toBeGreaterThan(0);
    expect(pass.unknown.length).toBeLessThan(15);
    const progress: FilterProgress[] = [];
    const rows = await runFilter(c, tls.source, { onProgress: (p) => progress.push(p) });
    expect([...rows].map((r) => r + 1)).toEqual([4, 21]);
    expect(progress[0]).toEqual({ phase: 'index', done: 34, total: 34 });
    expect(progress[progress.length - 1]).toEqual({ phase: 'tree', done: pass.unknown.length, total: pass.unknown.length });
  });

  it('takes trees one at a time from treeOf as well', async () => {
    const c = compile('http.request.method == "GET"', http.analyzer);
    const trees = new Map<number, PacketTree>();
    await http.source.trees!(Int32Array.from({ length: 14 }, (_, i) => i), (row, t) => trees.set(row, t), {});
    const rows = await runFilter(c, { ...http.source, trees: undefined, treeOf: (row) => trees.get(row)?.layers as Layer[] });
    expect([...rows].map((r) => r + 1)).toEqual([4]);
  });

  it('filters a range of rows (a live capture filters what it appended)', async () => {
    const c = compile('tcp', http.analyzer);
    expect([...(await runFilter(c, http.source, { start: 3, end: 7 }))]).toEqual([3, 4, 5, 6]);
  });

  it('stops when cancelled', async () => {
    const c = compile('tcp.len > 0', tls.analyzer);
    const abort = new AbortController();
    abort.abort();
    await expect(runFilter(c, tls.source, { signal: abort.signal })).rejects.toThrow();
    const late = new AbortController();
    const run = runFilter(c, { ...tls.source, trees: undefined, treeOf: () => (late.abort(), null) }, { signal: late.signal });
    await expect(run).rejects.toThrow();
  });

  it('says so when trees are needed and none can be had', async () => {
    const c = compile('tcp.len > 0', tls.analyzer);
    await expect(runFilter(c, { ...tls.source, trees: undefined })).rejects.toThrow(/needs packet trees for \d+ packets/);
  });
});
