// The root project's postinstall: applies patches/ to node_modules (patch-package), then rebuilds
// `cap`, whose own install script compiled it before the patch was there. Safe to run again: an
// applied patch is left as it is, and an addon built from the current source is not rebuilt.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const capDir = join(root, 'node_modules', 'cap');
const capSource = join(capDir, 'src', 'binding.cc');
// Which source the addon in build/ was compiled from (written after a successful rebuild).
const stampFile = join(capDir, 'build', 'wireladder-source.sha256');
const requireHere = createRequire(join(root, 'package.json'));

function fail(message) {
  process.stderr.write(`\npostinstall: ${message}\n\n`);
  process.exit(1);
}

function run(args, cwd, what) {
  const r = spawnSync(process.execPath, args, { cwd, stdio: 'inherit', env: process.env });
  if (r.error) fail(`${what} could not run: ${r.error.message}`);
  if (r.status !== 0) fail(`${what} failed (${r.signal ?? `exit code ${r.status}`})`);
}

/** A script of a package installed here, or null. */
function resolveHere(spec) {
  try {
    return requireHere.resolve(spec);
  } catch {
    return null;
  }
}

/** npm gives its own node-gyp to install scripts; outside npm, the one electron-builder brings. */
function nodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm !== undefined && fromNpm !== '' && existsSync(fromNpm)) return fromNpm;
  const local = resolveHere('node-gyp/bin/node-gyp.js');
  if (local !== null) return local;
  if (process.env.npm_execpath) {
    const bundled = join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(bundled)) return bundled;
  }
  return fail('node-gyp was not found: run `npm ci` (npm brings its own node-gyp to install scripts)');
}

/** Whether the addon in build/ loads in this Node.js and has the patch's stats() and tsPrecision(). */
function addonPatched() {
  const probe = `const { Cap } = require(${JSON.stringify(capDir)}); process.exit(typeof Cap.prototype.stats === 'function' && typeof Cap.prototype.tsPrecision === 'function' ? 0 : 3);`;
  return spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore' }).status === 0;
}

if (!existsSync(capDir)) fail('node_modules/cap is missing: run `npm ci`');

const patchPackage = resolveHere('patch-package/index.js');
if (patchPackage === null) {
  fail('patch-package is not installed, so `cap` cannot be patched (live capture needs the patch): install the dev dependencies too (`npm ci` without --omit=dev)');
}
run([patchPackage, '--error-on-fail'], root, 'patch-package');

const sourceHash = createHash('sha256').update(readFileSync(capSource)).digest('hex');
const stamp = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (stamp === sourceHash && addonPatched()) {
  console.log('postinstall: cap is already built from the patched source');
} else {
  console.log('postinstall: rebuilding cap with the patch (node-gyp rebuild)');
  // Through npm (`npm ci`, `npm run postinstall`) node-gyp also gets npm's settings (nodedir, proxies).
  run([nodeGyp(), 'rebuild'], capDir, 'rebuilding cap (node-gyp rebuild in node_modules/cap; it needs a C++ toolchain, the libpcap headers and Node.js headers)');
  if (!addonPatched()) fail('cap was rebuilt but its addon does not load or lacks stats() or tsPrecision(): the patch did not take effect');
  writeFileSync(stampFile, `${sourceHash}\n`);
}
