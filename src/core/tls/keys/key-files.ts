// Key files on disk: a key log or a PEM RSA key added to a key store by path, and a key log
// followed as it grows (a browser writing SSLKEYLOGFILE during a live capture).

import { closeSync, fstatSync, openSync, readFileSync, readSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import type { KeySourceInfo, TlsKeyStore } from './key-store';

/** Whether text is a PEM private key (else it is taken as a key log). */
export function isPemKey(text: string): boolean {
  return /-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/.test(text);
}

/**
 * Adds the file at `path` (key log or PEM RSA key, told apart by content) to `store`. Throws an
 * Error naming the path when it cannot be read or is an unusable key; the message never holds
 * key material.
 */
export function addKeyFile(store: TlsKeyStore, path: string, binding?: { address: string; port: number }): KeySourceInfo {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read'}`, { cause: err });
  }
  return addKeyText(store, path, text, binding);
}

/** Same as addKeyFile for contents given directly (browser mode uploads). */
export function addKeyText(store: TlsKeyStore, name: string, text: string, binding?: { address: string; port: number }): KeySourceInfo {
  if (isPemKey(text)) {
    try {
      return store.addRsaKey(name, text, binding);
    } catch (err) {
      throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  if (text.includes('\u0000')) throw new Error(`${name}: neither a key log nor a PEM private key (binary content)`);
  return store.addKeyLog(name, text);
}

/**
 * Adds a key log and follows it: bytes appended later are parsed as they arrive, so sessions whose
 * keys arrive after the capture started decrypt. Returns the source and a function that stops it.
 */
export function watchKeyLog(store: TlsKeyStore, path: string, intervalMs = 500): { source: KeySourceInfo; stop: () => void; poll: () => void } {
  const first = readFileSync(path, 'utf8');
  const source = store.addKeyLog(path, first);
  store.setWatched(source.id, true);
  let offset = Buffer.byteLength(first);
  const poll = (): void => {
    let fd = -1;
    try {
      fd = openSync(path, 'r');
      const size = fstatSync(fd).size;
      if (size <= offset) return;
      const buf = Buffer.alloc(size - offset);
      const n = readSync(fd, buf, 0, buf.length, offset);
      offset += n;
      store.appendKeyLog(source.id, buf.subarray(0, n).toString('utf8'));
    } catch {
      // The file went away or is being replaced: try again on the next change.
    } finally {
      if (fd >= 0) closeSync(fd);
    }
  };
  const listener = (cur: Stats): void => {
    if (cur.size > offset) poll();
  };
  watchFile(path, { interval: intervalMs, persistent: false }, listener);
  return {
    source,
    /** Reads what was appended now (the watcher also does, on its next look at the file). */
    poll,
    stop: () => {
      unwatchFile(path, listener);
      store.setWatched(source.id, false);
    },
  };
}
