// Regenerates resources/samples/sample.pcapng, the capture the app opens when started without a file,
// or with `http2` the HTTP/2 test captures in test/fixtures/http2.
// Usage: npm run samples [-- http2]   (needs Node 20+ and the `openssl` command; no network, no root, no corpus)
// The generator is TypeScript (scripts/make-samples/, using the engine's pcapng writer); esbuild
// bundles it into a temporary module, which this script imports and runs.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'wireladder-samples-'));
const http2 = process.argv.includes('http2');
try {
  const outfile = join(work, 'make-samples.mjs');
  await build({
    entryPoints: [join(root, 'scripts', 'make-samples', http2 ? 'h2-main.ts' : 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
  });
  if (http2) {
    const { makeH2Samples } = await import(pathToFileURL(outfile).href);
    const h = await makeH2Samples({ outDir: join(root, 'test', 'fixtures', 'http2'), workDir: work });
    for (const f of h.files) {
      console.log(`wrote ${relative(root, f.path)}: ${f.packets} packets`);
      for (const e of f.exchanges) console.log(`  stream ${e.stream}: ${e.method} ${e.path} -> ${e.status ?? '-'} (${e.outcome})`);
    }
  } else {
    const { makeSamples } = await import(pathToFileURL(outfile).href);
    const s = await makeSamples({ outDir: join(root, 'resources', 'samples'), workDir: work });
    console.log(`wrote ${relative(root, s.path)}: ${s.packets} packets, ${s.comments} comments, ${s.keyLogLines} key log lines`);
    for (const c of s.conversations) console.log(`  ${c.protocol} ${c.cipher} SNI ${c.serverName} ALPN ${c.alpn}${c.clientSubject !== null ? ` client certificate ${c.clientSubject}` : ''}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
