// Bundles the CLI, the engine worker and the benchmark with esbuild (Node target, ESM).
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
];
if (process.argv.includes('--bench') || true) {
  // The benchmark lives beside the CLI so `npm run bench` measures the same bundle.
}
await Promise.all(entries.map(([entry, outfile]) => build({ ...common, entryPoints: [entry], outfile })));
