// Fuzz targets: each takes one input (bytes; filter text as UTF-8), runs a part of the engine on it
// and returns the behaviours it showed (features: layers, stop reasons, record kinds, error shapes)
// so the harness can keep inputs that reach something new. A throw is a finding: the engine's
// contract is that bad input never throws out of a reader, a dissector or a parser (DESIGN.md),
// and some targets add an oracle (two ways to compute the same thing must agree).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { defaultRegistry } from '../src/core/dissect/all';
import { dissect, dissectChain } from '../src/core/dissect/dissect';
import { ExpertSlot } from '../src/core/dissect/expert';
import { Defragmenter } from '../src/core/dissect/ip-defrag';
import { Packet } from '../src/core/dissect/packet';
import type { Registry } from '../src/core/dissect/registry';
import { TreeBuilder, walkFields, type Layer } from '../src/core/dissect/tree';
import { Analyzer } from '../src/core/engine/analyzer';
import { defaultAppFactories } from '../src/core/engine/app-factories';
import { compileFilter, isFilterError, type PacketTree } from '../src/core/filter/compile';
import { captureFilterSource } from '../src/core/filter/capture-source';
import { runIndexPass, type FilterSource } from '../src/core/filter/run';
import type { AppParser, AppParserFactory, Direction, SegmentSpan, StreamChunk, StreamHost } from '../src/core/flow/app-parser';
import { createHttpFactory } from '../src/core/http/parser';
import { ChunkFeeder, CaptureFormatError, detectFormat, readCaptureBytes } from '../src/core/io/capture-reader';
import type { CaptureSink, PacketRecord } from '../src/core/io/types';
import { addKeyText } from '../src/core/tls/keys/key-files';
import { parseBinding } from '../src/core/tls/keys/rsa-key';
import { TlsKeyStore } from '../src/core/tls/keys/key-store';
import { TlsParser, tlsFactory } from '../src/core/tls/parser';

export interface FuzzTarget {
  readonly name: string;
  /** 'text' inputs are mutated as strings (UTF-8 on disk). */
  readonly kind: 'bytes' | 'text';
  /** Largest input the mutator makes. */
  readonly maxLen: number;
  /** Words the text mutator inserts (field names, operators, literals). */
  readonly dictionary?: readonly string[];
  /** Inputs to start from, made from the shared corpus. */
  seeds(): Uint8Array[];
  /** Work done once before the first input (building the trees a filter runs over). */
  prepare?(): Promise<void>;
  /** Runs one input; returns the behaviours it showed. Throws on a finding. */
  run(input: Uint8Array): string[];
}

/**
 * A message without what varies from input to input: cut at the first quote (what follows quotes
 * the input), numbers as '#'. "claims 1234 bytes" and "claims 99 bytes" are one behaviour.
 */
function shape(text: string | null | undefined): string {
  if (text === null || text === undefined) return '-';
  return text.split(/["'`]/)[0]!.replace(/0x[0-9a-f]+|\d[\d,]*/gi, '#').slice(0, 60);
}

/** Every capture file under `dir`, relative to it. */
export function corpusFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(pcap|pcapng|cap)(\.gz)?$/.test(name)) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function plainBytes(path: string): Uint8Array {
  const raw = readFileSync(path);
  return new Uint8Array(path.endsWith('.gz') ? gunzipSync(raw) : raw);
}

/** The corpus as the harness sees it: whole small captures, and the frames and streams inside. */
export class Corpus {
  private capturesCache: Uint8Array[] | null = null;
  private framesCache: { linkType: number; bytes: Uint8Array }[] | null = null;
  private streamsCache: { first: [Uint8Array, Uint8Array]; port: number }[] | null = null;

  constructor(readonly dir: string) {}

  /** Captures up to 64 KiB, and the first 16 KiB of larger ones (cut mid-record: a seed too). */
  captures(): Uint8Array[] {
    if (this.capturesCache !== null) return this.capturesCache;
    this.capturesCache = corpusFiles(this.dir).map((f) => {
      const b = plainBytes(join(this.dir, f));
      return b.length <= 65_536 ? b : b.slice(0, 16_384);
    });
    return this.capturesCache;
  }

  /** Every frame of the small captures, with its link type (deduplicated, at most 4,000). */
  frames(): { linkType: number; bytes: Uint8Array }[] {
    if (this.framesCache !== null) return this.framesCache;
    const seen = new Set<string>();
    const frames: { linkType: number; bytes: Uint8Array }[] = [];
    for (const f of corpusFiles(this.dir)) {
      const linkTypes: number[] = [];
      try {
        readCaptureBytes(plainBytes(join(this.dir, f)), {
          onInterface: (i) => void (linkTypes[i.id] = i.linkType),
          onPacket: (rec: PacketRecord) => {
            const bytes = rec.data.slice(rec.dataOffset, rec.dataOffset + rec.caplen);
            const key = `${linkTypes[rec.iface] ?? 1}:${Buffer.from(bytes.subarray(0, 96)).toString('base64')}`;
            if (frames.length < 4000 && !seen.has(key)) {
              seen.add(key);
              frames.push({ linkType: linkTypes[rec.iface] ?? 1, bytes });
            }
          },
        });
      } catch {
        // A corpus file that is not a capture on purpose.
      }
    }
    this.framesCache = frames;
    return frames;
  }

  /** The reassembled TCP streams (both directions, first 32 KiB each) of every conversation. */
  streams(): { first: [Uint8Array, Uint8Array]; port: number }[] {
    if (this.streamsCache !== null) return this.streamsCache;
    const streams: { first: [Uint8Array, Uint8Array]; port: number }[] = [];
    const recorder: AppParserFactory = {
      protocol: 'recorder',
      fields: [],
      detect: () => true,
      create: (): AppParser => {
        const parts: [number[], number[]] = [[], []];
        const entry = { first: [new Uint8Array(0), new Uint8Array(0)] as [Uint8Array, Uint8Array], port: 0 };
        streams.push(entry);
        return {
          protocol: 'recorder',
          data(dir: Direction, bytes: Uint8Array, off: number, len: number) {
            const room = 32_768 - parts[dir].length;
            for (let i = 0; i < Math.min(len, room); i++) parts[dir].push(bytes[off + i]!);
            entry.first[dir] = Uint8Array.from(parts[dir]);
          },
          gap() {},
          end() {},
        };
      },
    };
    for (const f of corpusFiles(this.dir)) {
      try {
        const a = new Analyzer({ appFactories: [recorder] });
        readCaptureBytes(plainBytes(join(this.dir, f)), a);
        a.finish();
      } catch {
        // not a capture
      }
    }
    this.streamsCache = streams.filter((s) => s.first[0].length + s.first[1].length > 0);
    return this.streamsCache;
  }
}

// ---------- capture readers ----------

/** Link types the corpus holds, and a few more the dissectors know. */
const LINK_TYPES = [1, 0, 101, 113, 276, 12, 14, 228, 229, 105, 127, 147];

class CountingSink implements CaptureSink {
  packets = 0;
  interfaces: number[] = [];
  bytes = 0;
  onPacket(rec: PacketRecord): void {
    this.packets++;
    // Touch what a consumer reads: the record's bytes must lie inside its buffer.
    if (rec.caplen > 0) this.bytes += rec.data[rec.dataOffset + rec.caplen - 1]! + rec.data[rec.dataOffset]!;
  }
  onInterface(iface: { linkType: number }): void {
    this.interfaces.push(iface.linkType);
  }
}

/** pcap and pcapng readers, fed whole and in chunks: never a throw, and chunking changes nothing. */
export function readersTarget(corpus: Corpus): FuzzTarget {
  return {
    name: 'readers',
    kind: 'bytes',
    maxLen: 65_536,
    seeds: () => corpus.captures(),
    run(input) {
      const format = detectFormat(input);
      if (format === null || format === 'gzip') {
        try {
          readCaptureBytes(input, new CountingSink());
        } catch (err) {
          if (!(err instanceof CaptureFormatError)) throw err;
        }
        return [`not-capture:${format ?? 'none'}`];
      }
      const whole = new CountingSink();
      const one = new ChunkFeeder(format, whole);
      one.feed(input, 0);
      one.finish(input.length);
      // The same bytes in chunks of a size the input picks: the records must not change.
      const size = [1, 3, 7, 64, 333, 4096][input.length % 6]!;
      const chunked = new CountingSink();
      const many = new ChunkFeeder(format, chunked);
      for (let at = 0; at < input.length && many.stop === null; at += size) many.feed(input.slice(at, at + size), at);
      many.finish(input.length);
      if (whole.packets !== chunked.packets || whole.bytes !== chunked.bytes || (one.stop?.offset ?? -1) !== (many.stop?.offset ?? -1)) {
        throw new Error(`chunks of ${size} bytes read ${chunked.packets} packets (stop ${many.stop?.offset}: ${many.stop?.reason}), the whole file ${whole.packets} (stop ${one.stop?.offset}: ${one.stop?.reason})`);
      }
      return [`${format}:${shape(one.stop?.reason)}`, `${format}:packets:${Math.min(whole.packets, 8)}`, ...whole.interfaces.map((l) => `${format}:link:${LINK_TYPES.includes(l) ? l : 'other'}`)];
    },
  };
}

// ---------- dissectors ----------

/** Features of a dissected packet: its layers and what was malformed. */
function layerFeatures(layers: readonly Layer[]): string[] {
  const out: string[] = [];
  let path = '';
  let previous = '';
  for (const l of layers.slice(0, 10)) {
    // A tag stacked on a tag (vlan/vlan/vlan…) is one behaviour, not one per depth.
    if (l.protocol !== previous) path += `/${l.protocol}`;
    previous = l.protocol;
    out.push(path);
    if (l.malformed !== null) out.push(`${l.protocol}!${shape(l.malformed)}`);
  }
  for (const n of walkFields(layers as Layer[])) if (n.warning !== undefined) out.push(`${n.name}?${shape(n.warning)}`);
  return out;
}

/** The slot's own fields, except references (buffer, view, tree, tables) and the chain's bookkeeping. */
const skipped = new Set(['buf', 'view', 'tree', 'registry', 'defrag', 'nextTable', 'nextKey', 'nextEnd']);
let slotKeys: string[] | null = null;

/** Where two slots differ (a field name), or null when they hold the same. */
function slotDifference(a: Packet, b: Packet): string | null {
  slotKeys ??= Object.keys(a).filter((k) => !skipped.has(k));
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  for (const k of slotKeys) {
    const u = x[k];
    const v = y[k];
    if (u instanceof Uint32Array && v instanceof Uint32Array) {
      if (u.length !== v.length || u.some((e, i) => e !== v[i])) return k;
    } else if (u instanceof ExpertSlot && v instanceof ExpertSlot) {
      // Each slot has its own preallocated item arrays: the items raised are what must agree.
      if (!sameItems(u, v)) return k;
    } else if (u !== v && !(Number.isNaN(u) && Number.isNaN(v))) {
      return k;
    }
  }
  return null;
}

/** The expert items two slots hold (each slot keeps its own arrays). */
function sameItems(a: ExpertSlot, b: ExpertSlot): boolean {
  if (a.count !== b.count) return false;
  for (let i = 0; i < a.count; i++) {
    if (a.codes[i] !== b.codes[i] || a.texts[i] !== b.texts[i]) return false;
    if (a.a[i] !== b.a[i] && !(Number.isNaN(a.a[i]) && Number.isNaN(b.a[i]))) return false;
    if (a.b[i] !== b.b[i] && !(Number.isNaN(a.b[i]) && Number.isNaN(b.b[i]))) return false;
  }
  return true;
}

/**
 * One frame through the tree path and the fast path (the straight Ethernet/IPv4/TCP line and the
 * general chain, which must leave the same slot). Input: [link type selector, frame bytes…].
 */
export function dissectTarget(corpus: Corpus): FuzzTarget {
  const registry: Registry = defaultRegistry();
  const tree = new Packet();
  const fast = new Packet();
  const chain = new Packet();
  for (const p of [tree, fast, chain]) p.defrag = new Defragmenter();
  return {
    name: 'dissect',
    kind: 'bytes',
    maxLen: 9_000,
    seeds: () => corpus.frames().map((f) => Uint8Array.of(Math.max(0, LINK_TYPES.indexOf(f.linkType)), ...f.bytes)),
    run(input) {
      if (input.length === 0) return [];
      const linkType = LINK_TYPES[input[0]! % LINK_TYPES.length]!;
      const bytes = input.subarray(1);
      tree.reset(bytes, 0, bytes.length, bytes.length + (input[0]! >> 4), linkType);
      tree.number = 1;
      tree.tree = new TreeBuilder(bytes);
      dissect(tree, registry);
      fast.reset(bytes, 0, bytes.length, bytes.length + (input[0]! >> 4), linkType);
      fast.tree = null;
      dissect(fast, registry);
      chain.reset(bytes, 0, bytes.length, bytes.length + (input[0]! >> 4), linkType);
      chain.tree = null;
      dissectChain(chain, registry);
      const differs = slotDifference(fast, chain);
      if (differs !== null) throw new Error(`the fast path and the chain of dissectors disagree on ${differs}`);
      return layerFeatures(tree.tree.layers);
    },
  };
}

// ---------- TLS and HTTP over a stream ----------

class FuzzHost implements StreamHost {
  constructor(
    readonly wantsTrees: boolean,
    readonly keepsSpans: boolean,
  ) {}
  spans(): SegmentSpan[] {
    return [];
  }
}

/** One packet slot per feed, reset for each piece (a slot is large: making one per piece dominated). */
class Chunks {
  private readonly p = new Packet();
  next(row: number, streamOffset: number, frame: Uint8Array | null): StreamChunk {
    const bytes = frame ?? new Uint8Array(0);
    this.p.reset(bytes, 0, bytes.length, bytes.length, 1);
    this.p.number = row + 1;
    this.p.tree = frame === null ? null : new TreeBuilder(frame);
    return { p: this.p, row, streamOffset, frameOffset: frame === null ? -1 : 0 };
  }
}

/**
 * Input: [flags, dir-0 length (2 bytes LE), dir-0 stream…, dir-1 stream…]. The two directions are
 * fed interleaved in pieces whose sizes the flags pick, sometimes with a gap, with or without trees.
 */
function feedStreams(parser: AppParser, input: Uint8Array, tree: boolean): void {
  if (input.length < 3) return;
  const flags = input[0]!;
  const len0 = Math.min(input[1]! | (input[2]! << 8), input.length - 3);
  const streams = [input.subarray(3, 3 + len0), input.subarray(3 + len0)];
  const at = [0, 0];
  const piece = [1, 5, 17, 100, 536, 1460, 4000, 65_536][flags & 7]!;
  const chunks = new Chunks();
  let row = 0;
  let dir: Direction = 0;
  while (at[0]! < streams[0]!.length || at[1]! < streams[1]!.length) {
    if (at[dir]! >= streams[dir]!.length) dir = dir === 0 ? 1 : 0;
    const s = streams[dir]!;
    // Tiny pieces for the first kilobyte (where records and headers start), then segment-sized ones.
    const size = at[dir]! < 1024 ? piece : Math.max(piece, 1460);
    const n = Math.min(size + ((row * 7 + flags) % 13), s.length - at[dir]!);
    if ((flags & 0x40) !== 0 && row === 3) {
      parser.gap(dir, n, chunks.next(row, at[dir]!, null));
    } else {
      const frame = s.slice(at[dir]!, at[dir]! + n);
      parser.data(dir, tree ? frame : s, tree ? 0 : at[dir]!, n, chunks.next(row, at[dir]!, tree ? frame : null));
    }
    at[dir]! += n;
    row++;
    if ((flags & 0x20) !== 0 || row % 2 === 0) dir = dir === 0 ? 1 : 0;
  }
  parser.end(0, (flags & 0x80) !== 0 ? chunks.next(row, at[0]!, null) : null);
  parser.end(1, null);
  parser.describe?.();
}

function streamSeeds(corpus: Corpus, keep: (s: { first: [Uint8Array, Uint8Array]; port: number }) => boolean): Uint8Array[] {
  return corpus
    .streams()
    .filter(keep)
    .flatMap((s, i) => {
      const [a, b] = s.first;
      const head = Uint8Array.of(i & 0xff, a.length & 0xff, a.length >> 8);
      const both = new Uint8Array(3 + a.length + b.length);
      both.set(head);
      both.set(a, 3);
      both.set(b, 3 + a.length);
      return [both];
    });
}

export function tlsTarget(corpus: Corpus): FuzzTarget {
  return {
    name: 'tls',
    kind: 'bytes',
    maxLen: 70_000,
    seeds: () => streamSeeds(corpus, (s) => tlsFactory.detect(s.first[0], 0, s.first[0].length, 443) || tlsFactory.detect(s.first[1], 0, s.first[1].length, 443)),
    run(input) {
      const tree = input.length > 0 && (input[0]! & 0x08) !== 0;
      const parser = new TlsParser(new FuzzHost(tree, ((input[0] ?? 0) & 0x10) !== 0));
      feedStreams(parser, input, tree);
      return [...parser.records.map((r) => `rec:${r.contentType}:${shape(r.malformed)}`), ...parser.messages.map((m) => `msg:${shape(m.title)}:${shape(m.malformed)}`)];
    },
  };
}

export function httpTarget(corpus: Corpus): FuzzTarget {
  const factory = createHttpFactory({ tunnelFactories: () => [tlsFactory] });
  return {
    name: 'http',
    kind: 'bytes',
    maxLen: 70_000,
    seeds: () => streamSeeds(corpus, (s) => factory.detect(s.first[0], 0, s.first[0].length, 80) || factory.detect(s.first[1], 0, s.first[1].length, 80)),
    run(input) {
      const tree = input.length > 0 && (input[0]! & 0x08) !== 0;
      const parser = factory.create(new FuzzHost(tree, false)) as AppParser & { session: { transactions: { request: unknown; response: unknown }[]; damage: { reason?: string }[] } };
      feedStreams(parser, input, tree);
      const s = parser.session;
      return [`tx:${Math.min(s.transactions.length, 4)}`, ...s.damage.map((d) => `damage:${shape(d.reason ?? JSON.stringify(d))}`), ...Object.keys(parser.describe?.() ?? {})];
    },
  };
}

// ---------- the whole-file pass ----------

/** The whole-file pass over a capture in memory (summary-only for half the inputs); null for a non-capture. */
function analyzePass(input: Uint8Array, factories: readonly AppParserFactory[]): Analyzer | null {
  const format = detectFormat(input);
  if (format === null || format === 'gzip') return null;
  const a = new Analyzer({ appFactories: factories, summaryOnly: (input.length & 1) === 0 });
  const feeder = new ChunkFeeder(format, a);
  feeder.feed(input, 0);
  feeder.finish(input.length);
  a.finish();
  return a;
}

/** A whole capture through the analysis pass (readers, fast path, flows, reassembly, TLS, HTTP). */
export function analyzeTarget(corpus: Corpus): FuzzTarget {
  const factories = defaultAppFactories();
  return {
    name: 'analyze',
    kind: 'bytes',
    maxLen: 65_536,
    seeds: () => corpus.captures(),
    run(input) {
      const a = analyzePass(input, factories);
      return (a?.flows.conversations ?? []).map((c) => `conv:${c.proto}:${c.tcp?.handshakeStatus() ?? '-'}:${c.app?.protocol ?? '-'}:${Object.keys(c.app?.describe?.() ?? {}).join(',')}`);
    },
  };
}

// ---------- display filters ----------

/**
 * Filter text: compiled against the registry, then run on a small capture (the index's fast pass,
 * and the tree path on the rows it cannot decide). A FilterError is an answer, not a finding.
 */
export function filterTarget(corpus: Corpus, filters: readonly string[]): FuzzTarget {
  const bytes = plainBytes(join(corpus.dir, 'local/tls12-rsa.pcap'));
  const analyzer = new Analyzer({ appFactories: defaultAppFactories() });
  readCaptureBytes(bytes, analyzer);
  analyzer.finish();
  const index = analyzer.index;
  const capture = {
    analyzer,
    bytes: (row: number) => bytes.subarray(index.fileOffset(row), index.fileOffset(row) + index.caplen(row)),
    comments: () => [] as string[],
  };
  const source: FilterSource = captureFilterSource(capture);
  const trees = new Map<number, PacketTree>();
  const all = Int32Array.from({ length: index.count }, (_, i) => i);
  const dictionary = [
    ...new Set([
      ...filters.flatMap((f) => f.match(/[\w.]+/g) ?? []),
      '==', '!=', '<', '>', '<=', '>=', 'eq', 'ne', 'contains', 'matches', '~', 'in', 'and', 'or', 'not', 'xor', '!', '&&', '||', 'any', 'all', '[0:2]', '[-1]', '[1-3,5]',
      '"a"', '"\\x00"', 'r"\\d+"', '0x1f', '1.2.3.4/24', '::1', 'aa:bb:cc', '1e400', '-1', '4294967296', '{1 2 3}', '{1..5}', '& 0x02', 'frame', 'tcp.flags.syn', 'tls.handshake.type', 'http.host', 'ip.addr', 'eth.addr',
    ]),
  ];
  return {
    name: 'filter',
    kind: 'text',
    maxLen: 300,
    dictionary,
    seeds: () => filters.map((f) => new TextEncoder().encode(f)),
    // The trees once: they are the same for every filter.
    prepare: () => source.trees!(all, (row, tree) => void trees.set(row, tree), {}),
    run(input) {
      const text = new TextDecoder().decode(input);
      const compiled = compileFilter(text, analyzer.registry);
      if (isFilterError(compiled)) {
        if (typeof compiled.error !== 'string' || compiled.error === '') throw new Error('a filter error without a message');
        return [`error:${shape(compiled.error)}`];
      }
      const bound = compiled.bind(source);
      const fast = runIndexPass(bound, source);
      let hits = fast.matches.length;
      for (const row of fast.unknown) {
        const tree = trees.get(row);
        if (tree !== undefined && bound.matchTree(tree, row)) hits++;
      }
      return [`ok:${compiled.needsTree}:${Math.min(hits, 3)}`, ...compiled.warnings.map((w) => `warn:${shape(w)}`)];
    },
  };
}

// ---------- TLS keys and decryption ----------

/** The corpus's key logs (NSS SSLKEYLOGFILE format), the seeds of the key targets. */
function keyLogs(dir: string): string[] {
  return readdirSync(join(dir, 'local'))
    .filter((f) => f.endsWith('.keys'))
    .sort()
    .map((f) => readFileSync(join(dir, 'local', f), 'utf8'));
}

/**
 * Key file text as the Keys dialog and `--keylog` take it: a key log (entries, problems per line)
 * or a PEM private key. Refusing a file with a reason (not a key, binary) is an answer.
 */
export function keyLogTarget(corpus: Corpus): FuzzTarget {
  const logs = keyLogs(corpus.dir);
  return {
    name: 'keylog',
    kind: 'text',
    maxLen: 4096,
    dictionary: ['CLIENT_RANDOM', 'RSA', 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_1', 'EXPORTER_SECRET', 'CLIENT_EARLY_TRAFFIC_SECRET', '#', '\n', '\r\n', ' ', '\t', '0'.repeat(64), 'f'.repeat(96), '-----BEGIN PRIVATE KEY-----', '-----END PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----', 'MII', '192.0.2.1:443', '[::1]:443'],
    seeds: () => logs.map((t) => new TextEncoder().encode(t.slice(0, 4096))),
    run(input) {
      const text = new TextDecoder().decode(input);
      const store = new TlsKeyStore();
      let source: ReturnType<typeof addKeyText>;
      try {
        source = addKeyText(store, 'fuzz', text, parseBinding(text.split('\n')[0] ?? '') ?? undefined);
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('fuzz: ')) return [`refused:${shape(err.message)}`];
        throw err;
      }
      return [`source:${source.kind}`, `entries:${Math.min(source.entries, 4)}`, ...source.problems.map((p) => `problem:${shape(p.reason)}`)];
    },
  };
}

/** A whole capture through the analysis pass with the corpus's key logs: decryption of damaged records. */
export function decryptTarget(corpus: Corpus): FuzzTarget {
  const store = new TlsKeyStore();
  keyLogs(corpus.dir).forEach((t, i) => addKeyText(store, `corpus-${i}.keys`, t));
  const factories = defaultAppFactories({ tlsKeys: store });
  return {
    name: 'decrypt',
    kind: 'bytes',
    maxLen: 65_536,
    seeds: () => corpusFiles(corpus.dir).filter((f) => f.startsWith('local/') && !f.endsWith('.gz')).map((f) => plainBytes(join(corpus.dir, f))).filter((b) => b.length <= 65_536),
    run(input) {
      const a = analyzePass(input, factories);
      return (a?.flows.conversations ?? []).map((c) => `conv:${c.app?.protocol ?? '-'}:${Object.entries(c.app?.describe?.() ?? {}).filter(([k]) => /decrypt|alpn|version/.test(k)).map(([k, v]) => `${k}=${shape(String(v))}`).join(',')}`);
    },
  };
}

export function allTargets(corpusDir: string, filters: readonly string[]): FuzzTarget[] {
  const corpus = new Corpus(corpusDir);
  return [readersTarget(corpus), dissectTarget(corpus), tlsTarget(corpus), httpTarget(corpus), analyzeTarget(corpus), filterTarget(corpus, filters), keyLogTarget(corpus), decryptTarget(corpus)];
}
