// Regenerates resources/samples/sample.pcapng, the capture the app opens when started without a file.
// Usage: npm run samples   (needs Node 20+ and the `openssl` command; no network, no root, no corpus)
//        npm run samples -- --keyed [DIR]   keyed captures for the decryption tests (default
//        test/fixtures/keyed): one per record-protection family, each with its key log.
//        npm run samples -- http2   the HTTP/2 captures in test/fixtures/http2 (node:http2: h2c,
//        h2 over TLS 1.3 with its key log, a mid-connection cut, an Upgrade: h2c exchange).
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
  const { makeSamples, makeKeyedSamples } = await import(pathToFileURL(outfile).href);
  const keyed = process.argv.indexOf('--keyed');
  if (keyed >= 0) {
    const outDir = process.argv[keyed + 1] ?? join(root, 'test', 'fixtures', 'keyed');
    for (const k of await makeKeyedSamples({ outDir, workDir: work })) console.log(`wrote ${join(relative(root, outDir), k.name)}.pcapng: ${k.what} (${k.protocol} ${k.cipher}, ${k.conversations} connection${k.conversations === 1 ? '' : 's'})`);
  } else {
    const s = await makeSamples({ outDir: join(root, 'resources', 'samples'), workDir: work });
    console.log(`wrote ${relative(root, s.path)}: ${s.packets} packets, ${s.comments} comments, ${s.keyLogLines} key log lines`);
    for (const c of s.conversations) console.log(`  ${c.protocol} ${c.cipher} SNI ${c.serverName} ALPN ${c.alpn}${c.clientSubject !== null ? ` client certificate ${c.clientSubject}` : ''}`);
  }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
