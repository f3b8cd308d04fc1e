// `npm run bench`: generates (once) captures of real TLS conversations and measures, in one run,
// our passes against a bare record walk, pcap-parser and tshark, then the scale table (1M, 4M and
// 17M packets by default), `info` against capinfos, live capture, the conversation table's sorts and
// display filters.
//
//   npm run bench -- [--packets N] [--runs R] [--scale 1M,4M,17M | none] [--data DIR] [--keep]
//                    [--regen] [--no-capture] [--no-http2]
//
// Captures live in --data (default: the system's temporary directory, never the repository); the
// scale files other than the --packets one are deleted after measuring unless --keep is given.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { benchFilters } from './filter';
import type { Measure } from './measure';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const corpus = join(root, '..', 'shared', 'corpus', 'local');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

/** One measurement in its own process; `workers`: analysis threads (default: the machine's cores). */
function measure(mode: string, file: string, workers?: number): Measure {
  const args = [join(here, 'measure.js'), mode, file, ...(workers !== undefined ? [String(workers)] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Measure;
}

/** Best of `runs` (least disturbed by the machine's other work). */
function best(mode: string, file: string, runs: number, workers?: number): Measure {
  let out: Measure | null = null;
  for (let i = 0; i < runs; i++) {
    const m = measure(mode, file, workers);
    if (out === null || m.seconds < out.seconds) out = m;
  }
  return out!;
}

/** `1M` → 1,000,000; `500k` → 500,000; plain numbers as they are. */
function parseCount(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (m === null) throw new Error(`not a packet count: ${text}`);
  const scale = m[2] === '' ? 1 : m[2]!.toLowerCase() === 'k' ? 1e3 : 1e6;
  return Math.round(Number(m[1]) * scale);
}

function countLabel(n: number): string {
  return n % 1e6 === 0 ? `${n / 1e6}M` : n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
}

/**
 * The capture of `packets` packets in `dataDir` (`kind`-N.pcap), generated (in its own process)
 * when missing, from the corpus's TLS conversations or from `templates`.
 */
function captureFile(dataDir: string, packets: number, regen: boolean, kind = 'tls', templates: readonly string[] = []): string {
  const file = join(dataDir, `${kind}-${countLabel(packets)}.pcap`);
  if (!existsSync(file) || regen) {
    const extra = templates.flatMap((t) => ['--template', t]);
    const r = spawnSync(process.execPath, [join(here, 'generate.js'), '--packets', String(packets), '--out', file, '--corpus', corpus, ...extra], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`generating ${file} failed: ${r.stderr}`);
    console.log(`generated ${r.stdout.trim()}`);
  }
  return file;
}

/** Whole-process wall seconds of a command, best of `runs`; null when it cannot run. */
function wallSeconds(cmd: string, args: string[], runs: number): number | null {
  let bestSeconds = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { stdio: 'ignore' });
    if (r.error !== undefined || r.status !== 0) return null;
    bestSeconds = Math.min(bestSeconds, (performance.now() - t0) / 1000);
  }
  return bestSeconds;
}

async function tshark(file: string, fields: string[], prefs: string[] = []): Promise<Measure | null> {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const args = ['-r', file, ...prefs, '-T', 'fields'];
  for (const f of fields) args.push('-e', f);
  const t0 = performance.now();
  let lines = 0;
  await new Promise<void>((resolve, reject) => {
    const child = spawn('tshark', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (d: Buffer) => {
      for (let i = 0; i < d.length; i++) if (d[i] === 10) lines++;
    });
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  return { mode: `tshark ${prefs.length > 0 ? '-o tls.keylog_file: ' : ''}-T fields -e ${fields.join(' -e ')}`, packets: lines, seconds: (performance.now() - t0) / 1000, maxRssMB: 0 };
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main(): Promise<void> {
  const packets = parseCount(arg('--packets', '1M'));
  const runs = Number(arg('--runs', '3'));
  const dataDir = arg('--data', join(tmpdir(), 'wireladder-bench'));
  const regen = process.argv.includes('--regen');
  mkdirSync(dataDir, { recursive: true });
  const file = captureFile(dataDir, packets, regen);
  const size = statSync(file).size;
  console.log(`capture: ${file} (${fmt(size / 1e6, 1)} MB), best of ${runs} runs per pass, node ${process.version}\n`);

  const bare = best('bare', file, runs);
  const cols = best('columns', file, runs);
  const index = best('index', file, runs);
  const flows = best('flows', file, runs);
  const full = best('full', file, runs);
  // The same pass on one thread and on two, run in turn (the machine's speed drifts).
  const oneTwo: Measure[][] = [[], []];
  for (let i = 0; i < runs; i++) for (const w of [1, 2]) oneTwo[w - 1]!.push(measure('full', file, w));
  const fastest = (ms: Measure[]): Measure => ms.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const [one, two] = [fastest(oneTwo[0]!), fastest(oneTwo[1]!)];
  const keys = existsSync(`${file}.keys`) ? best('full-keys', file, runs) : null;
  const pp = best('pcap-parser', file, 1);
  const tsLink = await tshark(file, ['frame.number', 'tcp.srcport']);
  const tsFull = await tshark(file, ['frame.number', 'tcp.stream', 'tls.handshake.type']);
  const tsKeys = keys !== null ? await tshark(file, ['frame.number', 'tcp.stream', 'tls.handshake.type'], ['-o', `tls.keylog_file:${file}.keys`]) : null;

  const rows: Measure[] = [bare, cols, index, flows, full, ...(keys ? [keys] : []), pp, ...(tsLink ? [tsLink] : []), ...(tsFull ? [tsFull] : []), ...(tsKeys ? [tsKeys] : [])];
  const pps = (m: Measure) => m.packets / m.seconds;
  console.log(`passes 'flows' and 'full' run as the app runs them: compacting, on ${availableParallelism()} threads`);
  console.log('pass'.padEnd(62) + 'packets/s'.padStart(14) + 'MB/s'.padStart(10) + 'seconds'.padStart(10) + 'CPU s'.padStart(8) + 'peak RSS MB'.padStart(13));
  for (const m of rows) {
    console.log(
      m.mode.padEnd(62) + fmt(pps(m)).padStart(14) + fmt(size / 1e6 / m.seconds, 0).padStart(10) + fmt(m.seconds, 2).padStart(10) + (m.cpuSeconds !== undefined ? fmt(m.cpuSeconds, 2) : '-').padStart(8) + (m.maxRssMB ? fmt(m.maxRssMB, 0) : '-').padStart(13),
    );
  }
  console.log('');
  console.log(`index columns, no decoding: ${fmt(pps(cols) / 1e6, 2)} M packets/s = ${fmt((100 * pps(cols)) / pps(bare), 0)}% of the bare loop (reader + appending each record's offset, lengths, time and interface)`);
  console.log(`index + link-to-transport: ${fmt(pps(index) / 1e6, 2)} M packets/s = ${fmt((100 * pps(index)) / pps(bare), 0)}% of the bare loop` + (tsLink ? `, ${fmt(pps(index) / pps(tsLink), 0)}× tshark (${tsLink.mode})` : ''));
  console.log(`full analysis pass:        ${fmt(pps(full) / 1e6, 2)} M packets/s = ${fmt((100 * pps(full)) / pps(bare), 0)}% of the bare loop` + (tsFull ? `, ${fmt(pps(full) / pps(tsFull), 0)}× tshark (${tsFull.mode})` : ''));
  if (keys !== null) {
    console.log(
      `full pass with TLS keys:   ${fmt(pps(keys) / 1e6, 2)} M packets/s = ${fmt((100 * pps(keys)) / pps(full), 0)}% of the pass without keys` +
        (tsKeys ? `, ${fmt(pps(keys) / pps(tsKeys), 0)}× tshark (${tsKeys.mode})` : '') +
        `; ${fmt(keys.decryptedConversations ?? 0)} of ${fmt(keys.conversations ?? 0)} conversations decrypted`,
    );
  }
  const ms = (m: Measure) => (1e6 * m.seconds) / m.packets;
  console.log(
    `full pass by stage (µs/packet, from the best runs): index ${fmt(ms(index), 2)}, conversations + TCP analysis ${fmt(ms(flows) - ms(index), 2)}, ` +
      `reassembly + TLS/HTTP ${fmt(ms(full) - ms(flows), 2)}`,
  );
  console.log(
    `full pass on 1 thread: ${fmt(one.seconds, 2)} s (${fmt(one.cpuSeconds ?? 0, 2)} CPU s, ${fmt(one.maxRssMB, 0)} MB); on 2 threads: ${fmt(two.seconds, 2)} s ` +
      `(${fmt(two.cpuSeconds ?? 0, 2)} CPU s, ${fmt(two.maxRssMB, 0)} MB): speed-up ${fmt(one.seconds / two.seconds, 2)}× (best of ${runs} each, run in turn; ${availableParallelism()} cores here)`,
  );
  console.log(`index memory: ${fmt(index.indexBytesPerPacket ?? 0, 1)} bytes/packet (columns as allocated); full pass peak RSS ${fmt(full.maxRssMB, 0)} MB for ${fmt(full.packets)} packets, ${fmt(full.conversations ?? 0)} conversations`);
  if (packets !== bare.packets && bare.packets < packets) console.log(`note: the file holds ${bare.packets} packets`);

  if (!process.argv.includes('--no-http2')) {
    console.log('\n--- HTTP/2 against HTTP/1.1: the full pass over the same number of packets ---');
    http2Table(dataDir, packets, runs, regen, keys, file);
  }

  const scale = arg('--scale', '1M,4M,17M');
  if (scale !== 'none') {
    console.log('\n--- scale: the full pass as the app and the CLI run it, default Node flags ---');
    scaleTable(dataDir, scale.split(',').map(parseCount), packets, runs, regen, process.argv.includes('--keep'));
  }

  console.log('\n--- wireladder info vs capinfos (whole process, best of runs) ---');
  const cli = join(root, 'out', 'cli', 'wireladder.js');
  const ours = wallSeconds(process.execPath, [cli, 'info', file], runs);
  const theirs = wallSeconds('capinfos', [file], runs);
  if (ours === null) console.log('wireladder info failed');
  else console.log(`wireladder info: ${fmt(ours, 2)} s` + (theirs !== null ? `, capinfos: ${fmt(theirs, 2)} s, ratio ${fmt(ours / theirs, 2)}× (target ≤ 3×)` : ', capinfos not installed'));

  console.log('\n--- live capture on lo ---');
  if (process.argv.includes('--no-capture')) {
    console.log('skipped (--no-capture)');
  } else {
    // Its own process: the capture helper and the traffic generator must not share this one's CPU time.
    const r = spawnSync(process.execPath, [join(here, 'capture.js')], { stdio: 'inherit' });
    if (r.status !== 0) console.log('the live capture benchmark did not run (capturing on lo needs the capture permissions: see `wireladder capture -i lo`)');
  }

  console.log('\n--- the conversation table (sorted by the engine, first page of 200 rows) ---');
  const table = measure('conversation-table', file);
  const orders = Object.entries(table.tableMs ?? {});
  const slowest = orders.reduce((a, b) => (b[1] > a[1] ? b : a), ['', 0]);
  console.log(
    `${fmt(table.conversations ?? 0)} conversations: sort + first page ${fmt(Math.min(...orders.map(([, ms]) => ms)), 0)}–${fmt(slowest[1], 0)} ms ` +
      `(slowest: ${slowest[0]}); a page of a sorted order ${fmt(table.pageMs ?? 0, 1)} ms`,
  );

  console.log('\n--- display filters ---');
  for (const t of await benchFilters(file, runs)) {
    const note = t.unknown > 0 ? `, ${fmt(t.unknown)} packets left for the tree path` : '';
    console.log(`display filter over ${fmt(t.packets)} packets: ${fmt(t.ms, 1)} ms  ${t.filter}  (${fmt(t.matches)} match${note})`);
  }
}

/**
 * HTTP/2 against HTTP/1.1, each replayed to `packets` packets, full pass: over TLS with keys (the
 * node:http2 conversation of test/fixtures/http2 over TLS 1.3, ALPN h2: 7 streams, HPACK, a 100 KB
 * body, resets, GOAWAY; against the main capture's HTTP/1.1-in-TLS conversations, `tls11Keys`), and
 * in cleartext (the same conversation as h2c; against the corpus's pipelined HTTP/1.1).
 */
function http2Table(dataDir: string, packets: number, runs: number, regen: boolean, tls11Keys: Measure | null, tls11File: string): void {
  const fixtures = join(root, 'test', 'fixtures', 'http2');
  const h2tls = captureFile(dataDir, packets, regen, 'h2tls', [join(fixtures, 'h2-tls13.pcapng')]);
  const h2c = captureFile(dataDir, packets, regen, 'h2c', [join(fixtures, 'h2c-prior-knowledge.pcapng')]);
  const h1 = captureFile(dataDir, packets, regen, 'http11', [join(root, '..', 'shared', 'corpus', 'zeek', 'http', 'pipelined-requests.pcap')]);
  const mTls = best('full-keys', h2tls, runs);
  const m2 = best('full', h2c, runs);
  const m1 = best('full', h1, runs);
  const pps = (m: Measure): number => m.packets / m.seconds;
  const cps = (m: Measure): number => m.packets / (m.cpuSeconds ?? m.seconds);
  const row = (label: string, m: Measure, file: string): string =>
    label.padEnd(46) + fmt(m.packets).padStart(12) + fmt(m.conversations ?? 0).padStart(9) + fmt(statSync(file).size / 1e6, 0).padStart(9) + fmt(m.seconds, 2).padStart(9) +
    fmt(pps(m)).padStart(12) + fmt(m.cpuSeconds ?? 0, 2).padStart(8) + fmt(cps(m)).padStart(14) + fmt(m.maxRssMB, 0).padStart(13);
  console.log('capture'.padEnd(46) + 'packets'.padStart(12) + 'convs'.padStart(9) + 'file MB'.padStart(9) + 'seconds'.padStart(9) + 'packets/s'.padStart(12) + 'CPU s'.padStart(8) + 'packets/CPU s'.padStart(14) + 'peak RSS MB'.padStart(13));
  console.log(row('HTTP/2 in TLS 1.3 with keys (ALPN h2)', mTls, h2tls));
  if (tls11Keys !== null) console.log(row('HTTP/1.1 in TLS with keys (the main capture)', tls11Keys, tls11File));
  console.log(row('HTTP/2 cleartext (h2c, prior knowledge)', m2, h2c));
  console.log(row('HTTP/1.1 cleartext (keep-alive, pipelined)', m1, h1));
  const ratio = (a: Measure, b: Measure): string => `${fmt((pps(a) / pps(b)) * 100, 0)}% (CPU: ${fmt((cps(a) / cps(b)) * 100, 0)}%)`;
  if (tls11Keys !== null) console.log(`HTTP/2 in TLS with keys: ${fmt(pps(mTls) / 1e6, 2)} M packets/s = ${ratio(mTls, tls11Keys)} of the HTTP/1.1-in-TLS pass with keys`);
  console.log(`HTTP/2 cleartext: ${fmt(pps(m2) / 1e6, 2)} M packets/s = ${ratio(m2, m1)} of the HTTP/1.1 cleartext pass`);
}

/**
 * Seconds, packets/s, CPU, peak RSS (per packet) and the heap kept at the end, per capture size;
 * then how time grows with size (target: 17× the packets in ≤ 20× the time).
 */
function scaleTable(dataDir: string, sizes: number[], basePackets: number, runs: number, regen: boolean, keep: boolean): void {
  console.log(
    'packets'.padStart(12) + 'convs'.padStart(10) + 'file MB'.padStart(9) + 'seconds'.padStart(9) + 'packets/s'.padStart(12) + 'CPU s'.padStart(8) +
      'peak RSS MB'.padStart(13) + 'B/packet'.padStart(10) + 'heap MB'.padStart(9) + 'heap B/conv'.padStart(13),
  );
  const seen: { label: string; packets: number; seconds: number }[] = [];
  for (const n of sizes) {
    const file = captureFile(dataDir, n, regen);
    const size = statSync(file).size;
    // The larger files take minutes: one run each beyond the base size.
    const m = best('full', file, n <= basePackets ? runs : 1);
    seen.push({ label: countLabel(n), packets: m.packets, seconds: m.seconds });
    const heap = m.heapUsedMB ?? 0;
    console.log(
      fmt(m.packets).padStart(12) + fmt(m.conversations ?? 0).padStart(10) + fmt(size / 1e6, 0).padStart(9) + fmt(m.seconds, 2).padStart(9) +
        fmt(m.packets / m.seconds).padStart(12) + fmt(m.cpuSeconds ?? 0, 2).padStart(8) + fmt(m.maxRssMB, 0).padStart(13) +
        fmt((m.maxRssMB * 1024 * 1024) / m.packets, 0).padStart(10) + fmt(heap, 0).padStart(9) +
        fmt((heap * 1024 * 1024) / Math.max(1, m.conversations ?? 0), 0).padStart(13),
    );
    if (!keep && n !== basePackets) rmSync(file, { force: true });
  }
  if (seen.length >= 2) {
    const first = seen[0]!;
    const last = seen[seen.length - 1]!;
    console.log(
      `growth: ${fmt(last.packets / first.packets, 1)}× the packets in ${fmt(last.seconds / first.seconds, 1)}× the time ` +
        `(seconds(${last.label}) / seconds(${first.label}); target ≤ 20 for 17M / 1M)`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
