// Regenerates test/fixtures/columns (needs tshark 4.0): for every corpus capture, the packet list's
// columns as `tshark -T fields -e _ws.col.No. … -e _ws.col.Info` prints them.
// Usage: node scripts/make-column-fixtures.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'corpus');
const outDir = join(root, 'test', 'fixtures', 'columns');
const columns = ['_ws.col.No.', '_ws.col.Time', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Length', '_ws.col.Info'];

const walk = (dir) =>
  readdirSync(join(corpus, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : /\.pcap(ng)?(\.gz)?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
const captures = walk('').sort();
const version = execFileSync('tshark', ['-v'], { encoding: 'utf8' }).split('\n')[0];
for (const c of captures) {
  let text;
  try {
    text = execFileSync('tshark', ['-r', join(corpus, c), '-T', 'fields', ...columns.flatMap((f) => ['-e', f])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 });
  } catch (err) {
    // A cut-short file: tshark exits non-zero after printing every packet it read.
    text = err.stdout ?? '';
  }
  const target = join(outDir, `${c}.tsv`);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}
writeFileSync(join(outDir, 'manifest.json'), JSON.stringify({ tshark: version, columns, captures }, null, 1) + '\n');
console.log(`wrote ${captures.length} captures with ${version}`);
