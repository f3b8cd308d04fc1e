// The keys a session decrypts with: key log files, pcapng Decryption Secrets Blocks and RSA private
// keys, indexed by client random, with per-source counts of the TLS sessions each one matched.

import { keyLogLine, parseKeyLog, type KeyLogEntry, type KeyLogProblem } from './key-log';
import { loadRsaKey, type RsaServerKey } from './rsa-key';

export type KeySourceKind = 'keylog' | 'dsb' | 'rsa';

/** What a view may know of a key source: never key material (DESIGN: paths and counts only). */
export interface KeySourceInfo {
  id: number;
  kind: KeySourceKind;
  /** The file's path (or name), or `Decryption Secrets Block 1` for a pcapng DSB. */
  name: string;
  /** Secrets (key log lines) or 1 for an RSA key. */
  entries: number;
  /** Malformed lines (first 20), never fatal. */
  problems: KeyLogProblem[];
  problemCount: number;
  /** TLS sessions of this capture the source holds keys for. */
  matchedSessions: number;
  /** The key log is being followed as it grows. */
  watched: boolean;
  /** An RSA key's server binding (`address:port`, '' for any). */
  binding: string;
}

/** A secret and where it came from (source id and 1-based line; 0 for an RSA key file). */
export interface SecretRef {
  secret: Uint8Array;
  source: number;
  line: number;
}

/** Everything the sources hold for one client random. */
export interface SessionSecrets {
  master: SecretRef | null;
  clientEarly: SecretRef | null;
  clientHandshake: SecretRef | null;
  serverHandshake: SecretRef | null;
  /** Application traffic secrets by generation (index N = `_TRAFFIC_SECRET_N`). */
  client: (SecretRef | undefined)[];
  server: (SecretRef | undefined)[];
  /** OpenSSL's `_TRAFFIC_SECRET_N` lines (secrets after a KeyUpdate, generation not named), in order. */
  clientUpdated: SecretRef[];
  serverUpdated: SecretRef[];
  exporter: SecretRef | null;
  earlyExporter: SecretRef | null;
}

interface Source {
  id: number;
  kind: KeySourceKind;
  name: string;
  entries: KeyLogEntry[];
  problems: KeyLogProblem[];
  /** Text of an unfinished last line while a watched file grows. */
  partial: string;
  lines: number;
  rsa: RsaServerKey | null;
  matched: Set<string>;
  watched: boolean;
}

const MAX_PROBLEMS_SHOWN = 20;

export class TlsKeyStore {
  private readonly sources: Source[] = [];
  private byRandom = new Map<string, SessionSecrets>();
  private byRsaPrefix = new Map<string, SecretRef>();
  private nextId = 1;
  /** Master secrets learned from decrypted sessions, by session id or ticket (resumption). */
  private readonly resumption = new Map<string, SecretRef>();
  /** Client randoms of the TLS sessions seen (whole-file pass and replays). */
  private readonly sessions = new Set<string>();
  /** `RSA` lines whose encrypted pre-master secret was seen (for usedKeyLog). */
  private readonly rsaPrefixUsed = new Set<string>();
  /** Bumped on every change, so caches (replays, views) know to refresh. */
  version = 0;
  /** Called after a change (a watched file grew, a source was added or removed). */
  onChange: (() => void) | null = null;

  /** Whether any source could decrypt anything (parsers skip all key work otherwise). */
  get empty(): boolean {
    return this.sources.length === 0 && this.resumption.size === 0;
  }

  /** Adds a key log (a file's text or a DSB's). Malformed lines are counted, never fatal. */
  addKeyLog(name: string, text: string, kind: 'keylog' | 'dsb' = 'keylog'): KeySourceInfo {
    // A capture analysed again reports its DSBs again: one source each.
    const known = kind === 'dsb' ? this.sources.find((s) => s.kind === 'dsb' && s.name === name) : undefined;
    if (known !== undefined) return this.describe(known);
    const parsed = parseKeyLog(text);
    const src = this.newSource(kind, name);
    src.entries = parsed.entries;
    src.problems = parsed.problems;
    src.lines = parsed.lines;
    if (kind === 'keylog' && !text.endsWith('\n') && parsed.lines > 0) {
      // A file being written: its last line may be unfinished; appendKeyLog completes it.
      const last = text.slice(text.lastIndexOf('\n') + 1);
      src.partial = last;
      src.lines--;
      const keep = src.entries.filter((e) => e.line <= src.lines);
      src.problems = src.problems.filter((p) => p.line <= src.lines);
      src.entries = keep;
    }
    for (const e of src.entries) this.index(e, src.id);
    this.changed();
    return this.describe(src);
  }

  /** A watched key log grew by `text`: new lines become usable at once. */
  appendKeyLog(id: number, text: string): void {
    const src = this.sources.find((s) => s.id === id);
    if (src === undefined || text === '') return;
    const all = src.partial + text;
    const cut = all.lastIndexOf('\n');
    if (cut < 0) {
      src.partial = all;
      return;
    }
    src.partial = all.slice(cut + 1);
    const parsed = parseKeyLog(all.slice(0, cut + 1));
    for (const e of parsed.entries) {
      e.line += src.lines;
      src.entries.push(e);
      this.index(e, src.id);
    }
    for (const p of parsed.problems) src.problems.push({ line: p.line + src.lines, reason: p.reason });
    src.lines += parsed.lines;
    this.changed();
  }

  /** Adds an RSA private key (PEM); throws with the reason when it is not a usable RSA key. */
  addRsaKey(name: string, pem: string, binding: { address?: string; port?: number } = {}): KeySourceInfo {
    const key = loadRsaKey(pem, binding);
    const src = this.newSource('rsa', name);
    src.rsa = key;
    this.changed();
    return this.describe(src);
  }

  setWatched(id: number, watched: boolean): void {
    const src = this.sources.find((s) => s.id === id);
    if (src !== undefined) src.watched = watched;
  }

  remove(id: number): boolean {
    const at = this.sources.findIndex((s) => s.id === id);
    if (at < 0) return false;
    this.sources.splice(at, 1);
    this.byRandom = new Map();
    this.byRsaPrefix = new Map();
    for (const s of this.sources) for (const e of s.entries) this.index(e, s.id);
    for (const [k, ref] of this.resumption) if (ref.source === id) this.resumption.delete(k);
    this.changed();
    return true;
  }

  secrets(clientRandom: string): SessionSecrets | undefined {
    return this.byRandom.get(clientRandom);
  }

  /** The `RSA` key log form: the pre-master secret for an encrypted one starting with `prefix`. */
  preMasterFor(prefix: string): SecretRef | undefined {
    return this.byRsaPrefix.get(prefix);
  }

  /** RSA keys that may belong to a server at `address`:`port`, bound ones first. */
  rsaKeysFor(address: string, port: number): { key: RsaServerKey; source: number }[] {
    const out: { key: RsaServerKey; source: number }[] = [];
    for (const s of this.sources) {
      const k = s.rsa;
      if (k === null) continue;
      if ((k.address !== '' && k.address !== address) || (k.port !== 0 && k.port !== port)) continue;
      if (k.address !== '' || k.port !== 0) out.unshift({ key: k, source: s.id });
      else out.push({ key: k, source: s.id });
    }
    return out;
  }

  /** RFC 5246 §7.4.1.2 / RFC 5077: a later session resumes by session id or ticket. */
  rememberSession(keys: readonly string[], master: SecretRef): void {
    for (const k of keys) if (k !== '' && !this.resumption.has(k)) this.resumption.set(k, master);
  }

  resumed(key: string): SecretRef | undefined {
    return key === '' ? undefined : this.resumption.get(key);
  }

  /** A TLS session (by client random) was seen in the capture. */
  noteSession(clientRandom: string): void {
    this.sessions.add(clientRandom);
  }

  /** A source's keys decrypted (or were found for) the session with this client random. */
  noteMatch(source: number, clientRandom: string): void {
    const src = this.sources.find((s) => s.id === source);
    if (src !== undefined) src.matched.add(clientRandom);
  }

  get sessionsSeen(): number {
    return this.sessions.size;
  }

  /** Sessions any source matched. */
  get sessionsMatched(): number {
    const all = new Set<string>();
    for (const s of this.sources) for (const r of s.matched) all.add(r);
    return all.size;
  }

  /** `tls13.keys line 4`, `server.pem`: what decrypted a session, for explanations. */
  sourceText(ref: { source: number; line: number }): string {
    const src = this.sources.find((s) => s.id === ref.source);
    if (src === undefined) return 'a removed key source';
    const name = src.kind === 'dsb' ? src.name : baseName(src.name);
    return ref.line > 0 ? `${name} line ${ref.line}` : name;
  }

  sourceKind(source: number): KeySourceKind | null {
    return this.sources.find((s) => s.id === source)?.kind ?? null;
  }

  info(): KeySourceInfo[] {
    return this.sources.map((s) => this.describe(s));
  }

  /**
   * The key log lines of the sessions seen in this capture, in the NSS format (what `editcap
   * --inject-secrets` embeds in a pcapng DSB, minus the lines for other captures).
   */
  usedKeyLog(): string {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const s of this.sources) {
      for (const e of s.entries) {
        const used = e.label === 'RSA' ? this.rsaPrefixUsed.has(e.id) : this.sessions.has(e.id);
        if (!used) continue;
        const line = keyLogLine(e);
        if (seen.has(line)) continue;
        seen.add(line);
        out.push(line);
      }
    }
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }

  noteRsaPrefix(prefix: string): void {
    this.rsaPrefixUsed.add(prefix);
  }

  private newSource(kind: KeySourceKind, name: string): Source {
    const src: Source = { id: this.nextId++, kind, name, entries: [], problems: [], partial: '', lines: 0, rsa: null, matched: new Set(), watched: false };
    this.sources.push(src);
    return src;
  }

  private changed(): void {
    this.version++;
    this.onChange?.();
  }

  private describe(s: Source): KeySourceInfo {
    const k = s.rsa;
    return {
      id: s.id,
      kind: s.kind,
      name: s.name,
      entries: s.kind === 'rsa' ? 1 : s.entries.length,
      problems: s.problems.slice(0, MAX_PROBLEMS_SHOWN),
      problemCount: s.problems.length,
      matchedSessions: s.matched.size,
      watched: s.watched,
      binding: k === null || (k.address === '' && k.port === 0) ? '' : `${k.address}:${k.port === 0 ? 'any' : k.port}`,
    };
  }

  private index(e: KeyLogEntry, source: number): void {
    const ref: SecretRef = { secret: e.secret, source, line: e.line };
    if (e.label === 'RSA') {
      if (!this.byRsaPrefix.has(e.id)) this.byRsaPrefix.set(e.id, ref);
      return;
    }
    let s = this.byRandom.get(e.id);
    if (s === undefined) {
      s = { master: null, clientEarly: null, clientHandshake: null, serverHandshake: null, client: [], server: [], clientUpdated: [], serverUpdated: [], exporter: null, earlyExporter: null };
      this.byRandom.set(e.id, s);
    }
    // The first source to name a secret keeps it (a later duplicate changes nothing).
    switch (e.label) {
      case 'CLIENT_RANDOM':
        s.master ??= ref;
        break;
      case 'CLIENT_EARLY_TRAFFIC_SECRET':
        s.clientEarly ??= ref;
        break;
      case 'CLIENT_HANDSHAKE_TRAFFIC_SECRET':
        s.clientHandshake ??= ref;
        break;
      case 'SERVER_HANDSHAKE_TRAFFIC_SECRET':
        s.serverHandshake ??= ref;
        break;
      case 'CLIENT_TRAFFIC_SECRET':
        if (e.generation < 0) s.clientUpdated.push(ref);
        else if (e.generation < 1024) s.client[e.generation] ??= ref;
        break;
      case 'SERVER_TRAFFIC_SECRET':
        if (e.generation < 0) s.serverUpdated.push(ref);
        else if (e.generation < 1024) s.server[e.generation] ??= ref;
        break;
      case 'EXPORTER_SECRET':
        s.exporter ??= ref;
        break;
      case 'EARLY_EXPORTER_SECRET':
        s.earlyExporter ??= ref;
        break;
    }
  }
}

/** The file name of a path (either separator): key sources are named by it in views. */
export function baseName(path: string): string {
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return at >= 0 ? path.slice(at + 1) : path;
}
