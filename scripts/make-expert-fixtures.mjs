// Regenerates test/fixtures/expert (needs tshark 4.0): for every corpus capture and every capture
// of test/fixtures/diagnosis, each packet's expert items as `tshark -T fields -e _ws.expert.severity
// -e _ws.expert.group -e _ws.expert.message` prints them (several per packet joined by U+001F).
// Usage: node scripts/make-expert-fixtures.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = { corpus: join(root, '..', 'shared', 'corpus'), diagnosis: join(root, 'test', 'fixtures', 'diagnosis') };
const outDir = join(root, 'test', 'fixtures', 'expert');
const fields = ['frame.number', '_ws.expert.severity', '_ws.expert.group', '_ws.expert.message'];

const walk = (base, dir) =>
  readdirSync(join(base, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(base, join(dir, e.name)) : /\.pcap(ng)?(\.gz)?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
const version = execFileSync('tshark', ['-v'], { encoding: 'utf8' }).split('\n')[0];
const captures = [];
for (const [name, base] of Object.entries(sources)) {
  for (const c of walk(base, '').sort()) {
    let text;
    const args = ['-r', join(base, c), '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=\u001f', ...fields.flatMap((f) => ['-e', f])];
    try {
      text = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 });
    } catch (err) {
      // A cut-short file: tshark exits non-zero after printing every packet it read.
      text = err.stdout ?? '';
    }
    const target = join(outDir, name, `${c}.tsv`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    captures.push(`${name}/${c}`);
  }
}
writeFileSync(join(outDir, 'manifest.json'), JSON.stringify({ tshark: version, fields, captures }, null, 1) + '\n');
console.log(`wrote ${captures.length} captures with ${version}`);
