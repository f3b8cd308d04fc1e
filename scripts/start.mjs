// `npm start [-- FILE]`: builds when the sources are newer than the build, then starts the desktop
// app with FILE. Without an Electron binary (e.g. installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)
// it starts browser mode instead: `wireladder serve FILE`, which prints the URL to open.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// npm runs scripts in the package folder; files on the command line are relative to where the user was.
const userCwd = process.env.INIT_CWD ?? process.cwd();
const files = process.argv.slice(2).map((a) => (a.startsWith('-') ? a : resolve(userCwd, a)));

const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/cli/wireladder.js', 'out/engine/engine-worker.js'].map((p) => join(root, p));

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function needsBuild() {
  if (!outputs.every((p) => existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  return newestSource(join(root, 'src')) > built;
}

/** The Electron binary, without requiring the `electron` package (which would try to download it). */
function electronBinary() {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

if (needsBuild()) {
  console.log('Building WireLadder…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const electron = electronBinary();
let child;
if (electron !== null) {
  child = spawn(electron, ['.', ...files], { cwd: root, stdio: 'inherit' });
} else {
  console.log(
    [
      'The Electron binary is not installed (node_modules/electron/dist is missing), so WireLadder starts in',
      'browser mode. To get the desktop app, reinstall Electron with its binary: `npm rebuild electron`',
      '(or `npx install-electron`), then run `npm start` again.',
      '',
    ].join('\n'),
  );
  child = spawn(process.execPath, [join(root, 'bin/wireladder.js'), 'serve', ...files], { cwd: root, stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal !== null ? 1 : (code ?? 0)));
