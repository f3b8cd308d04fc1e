// Regenerates the tshark reference results for display filters under test/fixtures/filter (needs
// tshark 4.0): for every capture and filter in filters.json, the frame numbers
// `tshark -r FILE -Y FILTER -T fields -e frame.number` prints (tshark's -Y is single-pass, as our
// analysis is). Usage: node scripts/make-filter-fixtures.mjs
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'corpus');
const outDir = join(root, 'test', 'fixtures', 'filter');
const spec = JSON.parse(readFileSync(join(outDir, 'filters.json'), 'utf8'));
const version = execFileSync('tshark', ['-v'], { encoding: 'utf8' }).split('\n')[0];

/** `dir/*.ext` or a plain path, relative to the corpus. */
function expand(pattern) {
  const star = pattern.lastIndexOf('*');
  if (star < 0) return existsSync(join(corpus, pattern)) ? [pattern] : [];
  const dir = dirname(pattern);
  const suffix = pattern.slice(star + 1);
  const prefix = pattern.slice(dir.length + 1, star);
  return readdirSync(join(corpus, dir))
    .filter((n) => n.startsWith(prefix) && n.endsWith(suffix) && !(suffix === '.pcap' && n.endsWith('.pcap.gz')))
    .sort()
    .map((n) => `${dir}/${n}`);
}

function tshark(file, filter) {
  return new Promise((resolve) => {
    execFile('tshark', ['-r', join(corpus, file), '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      // tshark exits non-zero on a cut-short file but still prints every packet it read.
      const frames = stdout.split('\n').filter((l) => l !== '').map(Number);
      if (err && frames.length === 0 && /tshark: /.test(stderr) && !/appears to have been cut short/.test(stderr)) {
        resolve({ error: stderr.trim().split('\n').filter((l) => l.startsWith('tshark:'))[0] ?? stderr.trim() });
      } else {
        resolve(frames);
      }
    });
  });
}

const captures = [...new Set(spec.captures.flatMap(expand))];
const jobs = [];
for (const file of captures) for (const filter of spec.filters) jobs.push({ file, filter });
const results = new Map(captures.map((f) => [f, {}]));
let next = 0;
async function worker() {
  while (next < jobs.length) {
    const job = jobs[next++];
    results.get(job.file)[job.filter] = await tshark(job.file, job.filter);
  }
}
await Promise.all(Array.from({ length: Math.max(2, cpus().length) }, worker));

for (const file of captures) {
  const byFilter = results.get(file);
  // One line per filter, so a regenerated fixture diffs filter by filter.
  const lines = spec.filters.map((f) => `  ${JSON.stringify(f)}: ${JSON.stringify(byFilter[f])}`);
  const text = `{\n "tshark": ${JSON.stringify(version)},\n "capture": ${JSON.stringify(file)},\n "frames": {\n${lines.join(',\n')}\n }\n}\n`;
  const target = join(outDir, `${file}.json`);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}
writeFileSync(join(outDir, 'manifest.json'), JSON.stringify({ tshark: version, captures }, null, 1) + '\n');
console.log(`wrote ${captures.length} captures × ${spec.filters.length} filters with ${version}`);
