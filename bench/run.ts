// `npm run bench`: generates (once) a capture of ≥ 1M packets of real TLS conversations and
// measures, in one run, our passes against a bare record walk, pcap-parser and tshark.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { benchFilters } from './filter';
import { generate, loadTemplate } from './generate';
import type { Measure } from './measure';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const corpus = join(root, '..', 'shared', 'corpus', 'local');
const dataDir = join(root, 'bench-data');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function measure(mode: string, file: string): Measure {
  const r = spawnSync(process.execPath, [join(here, 'measure.js'), mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Measure;
}

/** Best of `runs` (least disturbed by the machine's other work). */
function best(mode: string, file: string, runs: number): Measure {
  let out: Measure | null = null;
  for (let i = 0; i < runs; i++) {
    const m = measure(mode, file);
    if (out === null || m.seconds < out.seconds) out = m;
  }
  return out!;
}

async function tshark(file: string, fields: string[]): Promise<Measure | null> {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const args = ['-r', file, '-T', 'fields'];
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
  return { mode: `tshark -T fields -e ${fields.join(' -e ')}`, packets: lines, seconds: (performance.now() - t0) / 1000, maxRssMB: 0 };
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main(): Promise<void> {
  const packets = Number(arg('--packets', '1000000'));
  const runs = Number(arg('--runs', '3'));
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `tls-${packets}.pcap`);
  if (!existsSync(file) || process.argv.includes('--regen')) {
    const t0 = performance.now();
    const g = generate({
      packets,
      templates: [loadTemplate(join(corpus, 'tls12-ecdhe.pcap')), loadTemplate(join(corpus, 'tls13.pcap')), loadTemplate(join(corpus, 'mtls12.pcap'))],
      out: file,
    });
    console.log(`generated ${file}: ${fmt(g.packets)} packets, ${fmt(g.conversations)} conversations, ${fmt(g.bytes / 1e6, 1)} MB in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  }
  const size = statSync(file).size;
  console.log(`capture: ${file} (${fmt(size / 1e6, 1)} MB), best of ${runs} runs per pass, node ${process.version}\n`);

  const bare = best('bare', file, runs);
  const cols = best('columns', file, runs);
  const index = best('index', file, runs);
  const flows = best('flows', file, runs);
  const full = best('full', file, runs);
  const pp = best('pcap-parser', file, 1);
  const tsLink = await tshark(file, ['frame.number', 'tcp.srcport']);
  const tsFull = await tshark(file, ['frame.number', 'tcp.stream', 'tls.handshake.type']);

  const rows: Measure[] = [bare, cols, index, flows, full, pp, ...(tsLink ? [tsLink] : []), ...(tsFull ? [tsFull] : [])];
  const pps = (m: Measure) => m.packets / m.seconds;
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
  const ms = (m: Measure) => (1e6 * m.seconds) / m.packets;
  console.log(
    `full pass by stage (µs/packet, from the best runs): index ${fmt(ms(index), 2)}, conversations + TCP analysis ${fmt(ms(flows) - ms(index), 2)}, ` +
      `reassembly + TLS/HTTP ${fmt(ms(full) - ms(flows), 2)}`,
  );
  console.log(`index memory: ${fmt(index.indexBytesPerPacket ?? 0, 1)} bytes/packet (columns as allocated); full pass peak RSS ${fmt(full.maxRssMB, 0)} MB for ${fmt(full.packets)} packets, ${fmt(full.conversations ?? 0)} conversations`);
  if (packets !== bare.packets && bare.packets < packets) console.log(`note: the file holds ${bare.packets} packets`);

  console.log('\n--- live capture on lo ---');
  if (process.argv.includes('--no-capture')) {
    console.log('skipped (--no-capture)');
  } else {
    // Its own process: the capture helper and the traffic generator must not share this one's CPU time.
    const r = spawnSync(process.execPath, [join(here, 'capture.js')], { stdio: 'inherit' });
    if (r.status !== 0) console.log('the live capture benchmark did not run (capturing on lo needs the capture permissions: see `wireladder capture -i lo`)');
  }

  console.log('\n--- display filters ---');
  for (const t of await benchFilters(file, runs)) {
    const note = t.unknown > 0 ? `, ${fmt(t.unknown)} packets left for the tree path` : '';
    console.log(`display filter over ${fmt(t.packets)} packets: ${fmt(t.ms, 1)} ms  ${t.filter}  (${fmt(t.matches)} match${note})`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
