// Private temporary directories: live captures and browser-mode downloads are written under
// $TMPDIR/wireladder-<uid>, mode 0700, one directory per kind and running process, so no other
// user can read them and a later run can tell which directories belong to a run that has ended.

import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, rmdirSync, type Stats } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export type RunKind = 'capture' | 'serve';

function owner(): string {
  const uid = process.getuid?.();
  if (uid !== undefined) return String(uid);
  return userInfo().username.replace(/[^\w.-]+/g, '_') || 'user';
}

/** Ours, a real directory (not a link someone planted), and closed to group and others. */
function trustworthy(st: Stats): boolean {
  if (!st.isDirectory() || st.isSymbolicLink()) return false;
  const uid = process.getuid?.();
  return uid === undefined || st.uid === uid;
}

let rootCache: { base: string; path: string } | null = null;

/**
 * $TMPDIR/wireladder-<uid>, created 0700. When that name is taken by something that is not our
 * own directory (another user's, a symlink), a fresh unpredictable directory is used instead.
 */
export function privateTempRoot(base = tmpdir()): string {
  if (rootCache !== null && rootCache.base === base) return rootCache.path;
  const path = join(base, `wireladder-${owner()}`);
  let chosen: string;
  try {
    mkdirSync(path, { mode: 0o700 });
    chosen = path;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const st = lstatSync(path);
    if (trustworthy(st)) {
      if ((st.mode & 0o077) !== 0 && process.platform !== 'win32') chmodSync(path, 0o700);
      chosen = path;
    } else {
      chosen = mkdtempSync(join(base, `wireladder-${owner()}-`));
    }
  }
  rootCache = { base, path: chosen };
  return chosen;
}

/** <root>/<kind>-<pid>-<random>, 0700, for this process's files of one kind. */
export function runDirectory(kind: RunKind, base?: string): string {
  return mkdtempSync(join(privateTempRoot(base), `${kind}-${process.pid}-`));
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but is someone else's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the `kind` directories of runs whose process has ended (a crash or a kill left them).
 * With `keepFiles`, a directory that still holds files is kept: what a user captured is never
 * deleted without asking. Returns the directories removed. Never throws.
 */
export function removeStaleRunDirectories(kind: RunKind, opts: { base?: string; keepFiles?: boolean } = {}): string[] {
  const removed: string[] = [];
  let root: string;
  let names: string[];
  try {
    root = privateTempRoot(opts.base);
    names = readdirSync(root);
  } catch {
    return removed;
  }
  const pattern = new RegExp(`^${kind}-(\\d+)-`);
  for (const name of names) {
    const m = pattern.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || running(pid)) continue;
    const dir = join(root, name);
    try {
      if (opts.keepFiles === true) rmdirSync(dir);
      else rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Not empty (keepFiles), or gone meanwhile: leave it.
    }
  }
  return removed;
}
