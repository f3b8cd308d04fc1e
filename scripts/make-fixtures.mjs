// Regenerates the tshark reference outputs under test/fixtures/tshark (needs tshark 4.0).
// Usage: node scripts/make-fixtures.mjs [set …]   (sets: link, flow, app, keys, later; default all)
// The 'keys' set is made only for captures with a key log beside them (NAME.keys, given to tshark
// as -o tls.keylog_file:) or with keys embedded in a Decryption Secrets Block. The 'later' set
// (references to later packets) is tshark's two-pass view (-2), with the key log where there is one,
// for the corpus and the HTTP/2 captures under test/fixtures/http2.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'corpus');
const outDir = join(root, 'test', 'fixtures', 'tshark');
const sets = JSON.parse(readFileSync(join(outDir, 'field-sets.json'), 'utf8'));
// The http2 set describes the captures under test/fixtures/http2 (scripts/make-http2-fixtures.mjs).
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(sets).filter((set) => set !== 'http2');
const version = execFileSync('tshark', ['-v'], { encoding: 'utf8' }).split('\n')[0];

function* captures(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* captures(path);
    else if (/\.(pcap|pcapng|cap)(\.gz)?$/.test(name)) yield path;
  }
}

/** NAME.keys beside NAME.pcap (or NAME.pcap.gz), or null. */
function keyLogBeside(file) {
  const keys = file.replace(/\.(pcap|pcapng|cap)(\.gz)?$/, '.keys');
  return keys !== file && existsSync(keys) ? keys : null;
}

// Sets not regenerated keep their entries.
const manifestPath = join(outDir, 'manifest.json');
const previous = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')).files : {};
const manifest = { tshark: version, files: previous };
for (const file of captures(corpus)) {
  const rel = relative(corpus, file);
  for (const set of wanted) {
    const args = ['-r', file, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
    if (set === 'keys') {
      const keys = keyLogBeside(file);
      if (keys !== null) args.push('-o', `tls.keylog_file:${keys}`);
      else if (!/dsb/.test(rel)) continue;
    }
    if (set === 'later') {
      const keys = keyLogBeside(file);
      args.push('-2');
      if (keys !== null) args.push('-o', `tls.keylog_file:${keys}`);
    }
    for (const f of sets[set]) args.push('-e', f);
    let out;
    let ok = true;
    try {
      out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
    } catch (err) {
      // tshark exits non-zero on a cut-short file but still prints every packet it read.
      out = err.stdout ?? '';
      ok = false;
    }
    const target = join(outDir, set, `${rel}.tsv`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out);
    manifest.files[rel] = { ...(manifest.files[rel] ?? {}), [set]: ok ? 'ok' : 'tshark exited non-zero' };
  }
}
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');

// The keyed samples (npm run samples -- --keyed): tshark's view with their keys, beside them.
// RSA key transport samples are read with the server's key alone (-o uat:rsa_keys), the others
// with their key log.
if (wanted.includes('keys')) {
  const keyedDir = join(root, 'test', 'fixtures', 'keyed');
  for (const name of existsSync(keyedDir) ? readdirSync(keyedDir).filter((n) => n.endsWith('.pcapng')).sort() : []) {
    const file = join(keyedDir, name);
    const pem = file.replace(/\.pcapng$/, '.pem');
    const keyArgs = existsSync(pem) ? ['-o', `uat:rsa_keys:"${pem}",""`] : ['-o', `tls.keylog_file:${file.replace(/\.pcapng$/, '.keys')}`];
    const args = ['-r', file, ...keyArgs, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
    for (const f of sets.keys) args.push('-e', f);
    writeFileSync(file.replace(/\.pcapng$/, '.tsv'), execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  }
}
// The HTTP/2 captures' two-pass view, read as scripts/make-http2-fixtures.mjs reads them.
if (wanted.includes('later')) {
  const http2Dir = join(root, 'test', 'fixtures', 'http2');
  const options = { 'h2c-midstream.pcapng': ['-d', 'tcp.port==8080,http2'], 'h2-tls13.pcapng': ['-o', `tls.keylog_file:${join(http2Dir, 'h2-tls13.keys')}`] };
  for (const name of readdirSync(http2Dir).filter((n) => n.endsWith('.pcapng')).sort()) {
    const args = ['-2', '-r', join(http2Dir, name), ...(options[name] ?? []), '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
    for (const f of sets.later) args.push('-e', f);
    mkdirSync(join(outDir, 'later', 'http2'), { recursive: true });
    writeFileSync(join(outDir, 'later', 'http2', `${name}.tsv`), execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  }
}
console.log(`wrote fixtures for ${Object.keys(manifest.files).length} captures (${wanted.join(', ')}) with ${version}`);
