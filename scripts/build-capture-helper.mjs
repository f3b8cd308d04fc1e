// Builds the dedicated capture helper, out/capture-helper/wireladder-capture: a Node.js
// single-executable application (node:sea) that runs src/core/capture/capture-helper.ts and
// nothing else, with `cap`'s addon (built for this Node.js by postinstall) beside it. It is the only
// file that ever gets capture privileges; the app, the engine and `node` itself never do.
// Skipped when nothing it is made from changed. See https://nodejs.org/api/single-executable-applications.html
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import postject from 'postject';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'out', 'capture-helper');
const name = process.platform === 'win32' ? 'wireladder-capture.exe' : 'wireladder-capture';
const target = join(outDir, name);
const addon = join(root, 'node_modules', 'cap', 'build', 'Release', 'cap.node');
const work = join(root, 'out', 'capture-helper-build');
const stampFile = join(outDir, 'build.sha256');

function fail(message) {
  process.stderr.write(`build-capture-helper: ${message}\n`);
  process.exit(1);
}

if (!existsSync(addon)) fail(`${addon} is missing: run \`npm ci\` (postinstall builds cap)`);
mkdirSync(work, { recursive: true });
const bundle = join(work, 'capture-helper.cjs');
await build({
  entryPoints: [join(root, 'src/core/capture/capture-helper.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Node 20 runs a single executable's main script as CommonJS.
  format: 'cjs',
  // Before anything else runs: SIGUSR1 would open the inspector (capture-helper.ts says why).
  banner: { js: 'process.on("SIGUSR1", () => {});' },
  logLevel: 'warning',
});

const hash = createHash('sha256');
for (const part of [readFileSync(bundle), readFileSync(addon), process.version, process.execPath, process.platform, process.arch]) hash.update(part);
const stamp = hash.digest('hex');
if (existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) {
  rmSync(work, { recursive: true, force: true });
  console.log(`build-capture-helper: ${target} is up to date`);
  process.exit(0);
}

// A helper that was granted capture rights is made root's (the README says so): leave it alone.
if (existsSync(outDir)) {
  try {
    accessSync(outDir, constants.W_OK);
  } catch {
    rmSync(work, { recursive: true, force: true });
    console.warn(`build-capture-helper: ${outDir} is not writable (capture rights were granted to the helper in it?): kept as it is; remove it with sudo to rebuild`);
    process.exit(0);
  }
}

const blob = join(work, 'sea-prep.blob');
writeFileSync(join(work, 'sea-config.json'), JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false }));
const prep = spawnSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], { encoding: 'utf8' });
if (prep.status !== 0) fail(`node --experimental-sea-config failed: ${prep.stderr}`);

// A copy of this Node.js with the program injected; written beside the target, then renamed over it
// (a new file: capture rights granted to an older helper do not carry over to a changed one).
mkdirSync(outDir, { recursive: true });
const next = join(outDir, `.${name}.new`);
copyFileSync(process.execPath, next);
chmodSync(next, 0o755);
if (process.platform === 'darwin') spawnSync('codesign', ['--remove-signature', next], { stdio: 'inherit' });
// postject prints warnings about ELF note sections it does not need; only failures matter.
const warn = console.warn;
console.warn = () => undefined;
try {
  await postject.inject(next, 'NODE_SEA_BLOB', readFileSync(blob), {
    sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
  });
} finally {
  console.warn = warn;
}
if (process.platform === 'darwin') spawnSync('codesign', ['--sign', '-', next], { stdio: 'inherit' });
copyFileSync(addon, join(outDir, 'cap.node'));
renameSync(next, target);
writeFileSync(stampFile, `${stamp}\n`);
rmSync(work, { recursive: true, force: true });
console.log(`build-capture-helper: built ${target}`);
