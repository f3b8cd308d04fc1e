// Browser-mode downloads: captures the server wrote for "Save", each served once and then deleted,
// from a private directory (0700) of this run; the ones nobody fetched expire.

import { randomBytes } from 'node:crypto';
import { createReadStream, rmSync, unlink } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { removeStaleRunDirectories, runDirectory } from '../../core/io/private-temp';

/** A download not fetched within this time is deleted. */
const EXPIRE_MS = 10 * 60_000;
/** At most this many waiting downloads (each a whole capture on disk); the oldest goes first. */
const MAX_WAITING = 8;

interface Download {
  path: string;
  fileName: string;
  timer: NodeJS.Timeout;
}

/**
 * RFC 6266 §4.3 with RFC 8187: a quoted ASCII fallback (for old clients) plus filename* in UTF-8.
 * Header values must be Latin-1 (Node refuses anything else), so the real name travels encoded.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  // RFC 8187 attr-char excludes ' ( ) * that encodeURIComponent leaves alone.
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export class Downloads {
  readonly directory: string;
  private readonly waiting = new Map<string, Download>();

  constructor() {
    // Directories of earlier runs that ended without cleaning up (crashed, killed) go first.
    removeStaleRunDirectories('serve');
    this.directory = runDirectory('serve');
  }

  /** A fresh path in the private directory, and the id to register it under once it is written. */
  reserve(): { id: string; path: string } {
    const id = randomBytes(12).toString('base64url');
    return { id, path: join(this.directory, `${id}.pcapng`) };
  }

  add(id: string, path: string, fileName: string): void {
    if (this.waiting.size >= MAX_WAITING) this.drop(this.waiting.keys().next().value!);
    const timer = setTimeout(() => this.drop(id), EXPIRE_MS);
    timer.unref();
    this.waiting.set(id, { path, fileName, timer });
  }

  /** Streams download `id` to `res` (false when there is none); it is deleted once sent. */
  send(id: string, res: ServerResponse, headers: Record<string, string>): boolean {
    const d = this.waiting.get(id);
    if (d === undefined) return false;
    this.waiting.delete(id);
    clearTimeout(d.timer);
    res.writeHead(200, { 'content-type': 'application/vnd.tcpdump.pcap', 'content-disposition': contentDisposition(d.fileName), ...headers });
    pipeline(createReadStream(d.path), res, () => unlink(d.path, () => undefined));
    return true;
  }

  close(): void {
    for (const d of this.waiting.values()) clearTimeout(d.timer);
    this.waiting.clear();
    rmSync(this.directory, { recursive: true, force: true });
  }

  private drop(id: string): void {
    const d = this.waiting.get(id);
    if (d === undefined) return;
    this.waiting.delete(id);
    clearTimeout(d.timer);
    unlink(d.path, () => undefined);
  }
}
