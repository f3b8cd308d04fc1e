// Regenerates the tshark 4.0 reference outputs for the HTTP/2 captures in test/fixtures/http2
// (made by `npm run samples -- http2`) into test/fixtures/tshark/http2, with the field set 'http2'.
// Usage: node scripts/make-http2-fixtures.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const captures = join(root, 'test', 'fixtures', 'http2');
const outDir = join(root, 'test', 'fixtures', 'tshark', 'http2');
const fields = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'tshark', 'field-sets.json'), 'utf8')).http2;
const version = execFileSync('tshark', ['-v'], { encoding: 'utf8' }).split('\n')[0];

/** What tshark needs to see HTTP/2 in each capture (its heuristic wants the client preface). */
const options = {
  'h2c-prior-knowledge.pcapng': [],
  'h2c-upgrade.pcapng': [],
  // Cut after the preface: tshark is told the port.
  'h2c-midstream.pcapng': ['-d', 'tcp.port==8080,http2'],
  // The key log is in the file's Decryption Secrets Block; the .keys file is the same log.
  'h2-tls13.pcapng': ['-o', `tls.keylog_file:${join(captures, 'h2-tls13.keys')}`],
};

mkdirSync(outDir, { recursive: true });
const manifest = { tshark: version, files: {} };
for (const [name, extra] of Object.entries(options)) {
  const args = ['-r', join(captures, name), ...extra, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  writeFileSync(join(outDir, `${name}.tsv`), out);
  manifest.files[name] = { http2: 'ok', options: extra.map((a) => a.replace(captures, 'test/fixtures/http2')) };
}
writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`wrote ${Object.keys(options).length} HTTP/2 fixtures with ${version}`);
