// Bundles the CLI, the engine worker, the benchmark and the fuzz harness with esbuild (Node target, ESM).
import { build } from 'esbuild';

const external = ['cap', '@resvg/resvg-js', 'pdfkit', 'svg-to-pdfkit', 'ws', 'fontkit'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __wlCreateRequire } from 'node:module'; const require = __wlCreateRequire(import.meta.url);" },
};

const entries = [
  ['src/cli/index.ts', 'out/cli/wireladder.js'],
  // The engine runs in a worker thread, for `wireladder serve` and for the Electron main process.
  ['src/core/service/engine-worker.ts', 'out/engine/engine-worker.js'],
  // The analysis shards a whole-file pass starts in worker threads (`--workers`).
  ['src/core/engine/flow-shard-worker.ts', 'out/engine/flow-shard.js'],
  // Live capture: the only program that opens a capture device (libpcap through `cap`).
  ['src/core/capture/capture-process.ts', 'out/engine/capture-process.js'],
  // `npm run bench`: the orchestrator and the per-pass measurement process.
  ['bench/run.ts', 'out/bench/run.js'],
  ['bench/generate.ts', 'out/bench/generate.js'],
  ['bench/measure.ts', 'out/bench/measure.js'],
  ['bench/capture.ts', 'out/bench/capture.js'],
  // `npm run fuzz`: the harness and the worker thread each target runs in.
  ['fuzz/run.ts', 'out/fuzz/run.js'],
  ['fuzz/worker.ts', 'out/fuzz/worker.js'],
];
await Promise.all(entries.map(([entry, outfile]) => build({ ...common, entryPoints: [entry], outfile })));
