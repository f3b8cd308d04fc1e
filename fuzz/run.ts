// `npm run fuzz`: the in-process fuzz harness. Each target runs in a worker thread for a number of
// cases (default 1,000,000, a nightly-length run) or seconds; a target whose case does not finish
// within --hang seconds is stopped and its input kept. Findings (throws, disagreements, hangs) are
// written to fuzz-findings/; figures (cases, execs/s, corpus, behaviours) are printed.
//
//   npm run fuzz -- [--targets readers,dissect,…] [--cases N] [--seconds S] [--seed N] [--hang S]
//                   [--ws N] [--json] [--out DIR]

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Finding, FuzzStats } from './engine';
import type { WorkerJob, WorkerReport } from './worker';
import { fuzzWebSocket, type WsFuzzStats } from './ws';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const TARGETS = ['readers', 'dissect', 'tls', 'http', 'analyze', 'filter', 'keylog', 'decrypt'];
const SHARED_INPUT = 1 << 17;

interface Args {
  targets: string[];
  cases: number;
  seconds?: number;
  seed: number;
  hang: number;
  ws: number;
  json: boolean;
  out: string;
}

function parse(argv: string[]): Args {
  const a: Args = { targets: TARGETS, cases: 1_000_000, seed: 1, hang: 10, ws: 0, json: false, out: join(root, 'fuzz-findings') };
  for (let i = 0; i < argv.length; i++) {
    const v = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return next;
    };
    switch (argv[i]) {
      case '--targets':
        a.targets = v().split(',').filter((t) => t !== '');
        break;
      case '--cases':
        a.cases = Number(v());
        break;
      case '--seconds':
        a.seconds = Number(v());
        break;
      case '--seed':
        a.seed = Number(v());
        break;
      case '--hang':
        a.hang = Number(v());
        break;
      case '--ws':
        a.ws = Number(v());
        break;
      case '--json':
        a.json = true;
        break;
      case '--out':
        a.out = resolve(v());
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  for (const t of a.targets) if (!TARGETS.includes(t)) throw new Error(`no fuzz target ${t} (there are ${TARGETS.join(', ')})`);
  return a;
}

/** The display filters of the tshark comparison, the filter target's seeds. */
function filterSeeds(): string[] {
  const path = join(root, 'test', 'fixtures', 'filter', 'filters.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(json);
  return [...new Set(out)].filter((f) => f.length < 300);
}

function runTarget(target: string, args: Args, corpusDir: string, filters: string[]): Promise<FuzzStats> {
  const shared = new SharedArrayBuffer(8 + SHARED_INPUT);
  const header = new Int32Array(shared, 0, 2);
  const job: WorkerJob = { target, cases: args.cases, seconds: args.seconds, seed: args.seed, corpusDir, filters, shared };
  const worker = new Worker(join(here, 'worker.js'), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
  const started = Date.now();
  return new Promise((done) => {
    let last = -1;
    let lastChange = Date.now();
    let finished = false;
    const lastInput = (): Uint8Array => new Uint8Array(shared, 8, header[1]!).slice();
    const finish = (stats: FuzzStats): void => {
      if (finished) return;
      finished = true;
      clearInterval(watch);
      done(stats);
    };
    const died = (message: string): FuzzStats => {
      const cases = Atomics.load(header, 0);
      const seconds = (Date.now() - started) / 1000;
      const finding: Finding = { target, key: createHash('sha1').update(message.replace(/\d+/g, '#')).digest('hex').slice(0, 12), message, stack: '', input: lastInput() };
      return { target, cases, seconds, execsPerSecond: Math.round(cases / seconds), corpus: 0, features: 0, findings: [finding] };
    };
    const watch = setInterval(() => {
      const now = Atomics.load(header, 0);
      if (now !== last) {
        last = now;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > args.hang * 1000) {
        const stats = died(`hang: one case ran for more than ${args.hang} s`);
        void worker.terminate();
        finish(stats);
      }
    }, 250);
    worker.on('message', (m: WorkerReport) => {
      if (m.type === 'done') finish(m.stats);
      // A long run says how far it got now and then.
      else if (!args.json && m.cases % 100_000 === 0) process.stdout.write(`  ${target}: ${m.cases.toLocaleString('en')} cases, ${Math.round(m.cases / ((Date.now() - started) / 1000)).toLocaleString('en')} execs/s\n`);
    });
    worker.on('error', (err) => finish(died(`the worker died: ${err.message}`)));
    worker.on('exit', (code) => {
      if (!finished) finish(died(`the worker exited with code ${code}`));
    });
  });
}

function save(f: Finding, out: string): string {
  mkdirSync(out, { recursive: true });
  const base = join(out, `${f.target}-${f.key}`);
  writeFileSync(`${base}.bin`, f.input);
  writeFileSync(`${base}.txt`, `${f.message}\n\n${f.stack}\n`);
  return `${base}.bin`;
}

const args = parse(process.argv.slice(2));
const corpusDir = resolve(root, '..', 'shared', 'corpus');
if (!existsSync(corpusDir)) throw new Error(`the corpus is missing: ${corpusDir}`);
const filters = filterSeeds();
const results: FuzzStats[] = [];
for (const t of args.targets) {
  const stats = await runTarget(t, args, corpusDir, filters);
  results.push(stats);
  if (!args.json) {
    process.stdout.write(`${t.padEnd(8)} ${stats.cases.toLocaleString('en').padStart(11)} cases  ${stats.seconds.toFixed(1).padStart(7)} s  ${stats.execsPerSecond.toLocaleString('en').padStart(8)} execs/s  corpus ${String(stats.corpus).padStart(5)}  behaviours ${String(stats.features).padStart(5)}  findings ${stats.findings.length}\n`);
    for (const f of stats.findings) process.stdout.write(`  ${f.message.split('\n')[0]}\n    input: ${save(f, args.out)}\n`);
  } else {
    for (const f of stats.findings) save(f, args.out);
  }
}
let ws: WsFuzzStats | null = null;
if (args.ws > 0) {
  ws = await fuzzWebSocket({ root, corpusDir, messages: args.ws, seed: args.seed });
  if (!args.json) {
    process.stdout.write(`ws-rpc   ${ws.messages.toLocaleString('en').padStart(11)} messages ${ws.seconds.toFixed(1).padStart(6)} s  ${ws.perSecond.toLocaleString('en').padStart(8)} msgs/s  replies ${ws.replies} (errors ${ws.errorReplies})  closes ${JSON.stringify(ws.closes)}  findings ${ws.findings.length}\n`);
    for (const f of ws.findings) process.stdout.write(`  ${f}\n`);
  }
}
if (args.json) {
  process.stdout.write(
    `${JSON.stringify({
      targets: results.map((r) => ({ ...r, findings: r.findings.map((f) => ({ key: f.key, message: f.message, stack: f.stack })) })),
      ws,
    })}\n`,
  );
}
const total = results.reduce((n, r) => n + r.findings.length, 0) + (ws?.findings.length ?? 0);
process.exitCode = total > 0 ? 1 : 0;
