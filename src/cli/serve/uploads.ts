// Browser mode's "open another capture": the page POSTs a file it read from the user's disk (the
// file picker, or a drop) to /upload; the server keeps a private copy (0600 in this run's 0700
// directory), size-limited, and only then lets the engine open it by an id it handed out. The page
// never names a path on the server; the copy is deleted when its capture is closed or the server stops.

import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { runDirectory } from '../../core/io/private-temp';

/** The largest capture a page may upload (bytes); `wireladder serve FILE` opens larger ones. */
export const DEFAULT_MAX_UPLOAD = 2 * 1024 ** 3;
/** Uploads waiting to be opened at once (each a capture on disk); the oldest goes first. */
const MAX_KEPT = 8;

export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Upload {
  path: string;
  dir: string;
  /** The session it was opened as (null until opened). */
  session: string | null;
}

/** A file name safe to show and to keep: its last component, no separators or control characters. */
export function safeFileName(raw: string | null): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  let clean = '';
  for (const ch of base) if (ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f) clean += ch;
  clean = clean.replace(/^\.+/, '').trim().slice(0, 200);
  return clean === '' ? 'upload.pcapng' : clean;
}

export class Uploads {
  readonly directory: string;
  private readonly kept = new Map<string, Upload>();

  constructor(private readonly maxBytes = DEFAULT_MAX_UPLOAD) {
    this.directory = runDirectory('serve');
  }

  /**
   * Receives one POST body into a private copy and answers { id, fileName, bytes } (JSON). The
   * caller has checked Host, Origin and the token. Refuses (413) a body over the limit — at once
   * when Content-Length says so, else as soon as it grows past it — and leaves nothing behind.
   */
  receive(req: IncomingMessage, res: ServerResponse, name: string | null, headers: Record<string, string>): void {
    const declared = Number(req.headers['content-length']);
    const fail = (err: UploadError): void => {
      if (!res.headersSent) {
        res.writeHead(err.status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close', ...headers });
        res.end(err.message);
      }
      req.resume();
    };
    if (Number.isFinite(declared) && declared > this.maxBytes) return fail(new UploadError(413, `the capture is larger than browser mode accepts (${limitText(this.maxBytes)}); open it with wireladder serve FILE`));
    if (req.headers['content-type'] !== undefined && !/^application\/(octet-stream|vnd\.tcpdump\.pcap|x-pcapng|gzip)\b/.test(req.headers['content-type'])) {
      return fail(new UploadError(415, 'upload the capture file itself (application/octet-stream)'));
    }
    // Uploads not opened yet make room for this one, oldest first; opened ones stay with their captures.
    for (const [old, u] of this.kept) {
      if ([...this.kept.values()].filter((x) => x.session === null).length < MAX_KEPT) break;
      if (u.session === null) this.drop(old);
    }
    const id = randomBytes(12).toString('base64url');
    // Each upload in a directory of its own, under the name the user's file had (the capture's title).
    const dir = join(this.directory, id);
    mkdirSync(dir, { mode: 0o700 });
    const fileName = safeFileName(name);
    const path = join(dir, fileName);
    const out: WriteStream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    let bytes = 0;
    let failed = false;
    const abort = (err: UploadError): void => {
      if (failed) return;
      failed = true;
      out.destroy();
      rmSync(dir, { recursive: true, force: true });
      fail(err);
    };
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > this.maxBytes) {
        abort(new UploadError(413, `the capture is larger than browser mode accepts (${limitText(this.maxBytes)}); open it with wireladder serve FILE`));
        return;
      }
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
    });
    req.on('aborted', () => abort(new UploadError(400, 'the upload was interrupted')));
    req.on('error', () => abort(new UploadError(400, 'the upload was interrupted')));
    out.on('error', (err) => abort(new UploadError(500, `the upload could not be stored: ${err.message}`)));
    req.on('end', () => {
      if (failed) return;
      if (bytes === 0) return abort(new UploadError(400, 'the file is empty'));
      out.end(() => {
        if (failed) return;
        this.kept.set(id, { path, dir, session: null });
        res.writeHead(200, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify({ id, fileName, bytes }));
      });
    });
  }

  /** The copy an id names, to open once (null: no such upload, or already opened). */
  take(id: unknown): string | null {
    if (typeof id !== 'string') return null;
    const u = this.kept.get(id);
    if (u === undefined || u.session !== null) return null;
    return u.path;
  }

  /** The upload `id` is now the engine's session `session` (deleted when that session closes). */
  opened(id: string, session: string): void {
    const u = this.kept.get(id);
    if (u !== undefined) u.session = session;
  }

  /** A session closed: delete the upload it came from, if any. */
  closed(session: string): void {
    for (const [id, u] of this.kept) if (u.session === session) this.drop(id);
  }

  close(): void {
    this.kept.clear();
    rmSync(this.directory, { recursive: true, force: true });
  }

  private drop(id: string): void {
    const u = this.kept.get(id);
    if (u === undefined) return;
    this.kept.delete(id);
    rmSync(u.dir, { recursive: true, force: true });
  }
}

function limitText(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(bytes % 1024 ** 3 === 0 ? 0 : 1)} GiB`;
  return bytes >= 1024 ** 2 ? `${Math.round(bytes / 1024 ** 2)} MiB` : `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}
