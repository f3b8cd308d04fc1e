// NSS key log files (SSLKEYLOGFILE: browsers, curl, OpenSSL, node:tls) parsed into entries keyed by
// client random; comments and blank lines are skipped, a malformed line is counted with its number.

/**
 * One secret from a key log line. `id` is the client random (64 hex digits), or for the `RSA`
 * form the first 8 bytes of the encrypted pre-master secret (16 hex digits), lowercase.
 */
export interface KeyLogEntry {
  label: KeyLogLabel;
  id: string;
  secret: Uint8Array;
  /** 1-based line number in its source. */
  line: number;
  /**
   * `CLIENT_TRAFFIC_SECRET_n` / `SERVER_TRAFFIC_SECRET_n`: n; 0 for other labels. -1 for the
   * literal `_N` that OpenSSL writes after each KeyUpdate (the generation is not named).
   */
  generation: number;
}

export type KeyLogLabel =
  | 'CLIENT_RANDOM'
  | 'RSA'
  | 'CLIENT_EARLY_TRAFFIC_SECRET'
  | 'CLIENT_HANDSHAKE_TRAFFIC_SECRET'
  | 'SERVER_HANDSHAKE_TRAFFIC_SECRET'
  | 'CLIENT_TRAFFIC_SECRET'
  | 'SERVER_TRAFFIC_SECRET'
  | 'EXPORTER_SECRET'
  | 'EARLY_EXPORTER_SECRET';

export interface KeyLogProblem {
  line: number;
  reason: string;
}

export interface ParsedKeyLog {
  entries: KeyLogEntry[];
  problems: KeyLogProblem[];
  /** Lines read (including comments and blank ones). */
  lines: number;
}

const FIXED_LABELS: ReadonlySet<string> = new Set([
  'CLIENT_RANDOM',
  'RSA',
  'CLIENT_EARLY_TRAFFIC_SECRET',
  'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
  'SERVER_HANDSHAKE_TRAFFIC_SECRET',
  'EXPORTER_SECRET',
  'EARLY_EXPORTER_SECRET',
]);

const HEX = /^[0-9a-fA-F]*$/;

/**
 * Parses key log text. The secrets after a KeyUpdate — `CLIENT_TRAFFIC_SECRET_1`…, and the literal
 * `CLIENT_TRAFFIC_SECRET_N` / `SERVER_TRAFFIC_SECRET_N` lines OpenSSL 3 writes after each update —
 * are accepted, where tshark 4.0 ignores them and derives every generation from _0: both agree,
 * since generation n+1 is HKDF-Expand-Label(n, "traffic upd") (RFC 8446 §7.2); such a line is
 * named as a key source when it equals the generation derived.
 */
export function parseKeyLog(text: string): ParsedKeyLog {
  const entries: KeyLogEntry[] = [];
  const problems: KeyLogProblem[] = [];
  const lines = text.split(/\r?\n/);
  // A trailing newline ends the last line; it does not start another.
  const count = lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  for (let i = 0; i < count; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const entry = parseLine(raw, i + 1);
    if (typeof entry === 'string') problems.push({ line: i + 1, reason: entry });
    else entries.push(entry);
  }
  return { entries, problems, lines: count };
}

function parseLine(line: string, number: number): KeyLogEntry | string {
  const parts = line.split(/\s+/);
  if (parts.length !== 3) return `expected LABEL <id> <secret>, found ${parts.length} fields`;
  const [word, idHex, secretHex] = parts as [string, string, string];
  let label: KeyLogLabel;
  let generation = 0;
  const traffic = /^(CLIENT|SERVER)_TRAFFIC_SECRET_(\d+|N)$/.exec(word);
  if (traffic !== null) {
    label = traffic[1] === 'CLIENT' ? 'CLIENT_TRAFFIC_SECRET' : 'SERVER_TRAFFIC_SECRET';
    generation = traffic[2] === 'N' ? -1 : Number(traffic[2]);
    if (!Number.isSafeInteger(generation)) return `generation ${traffic[2]} is too large`;
  } else if (FIXED_LABELS.has(word)) {
    label = word as KeyLogLabel;
  } else {
    return `unknown label ${word.length > 40 ? `${word.slice(0, 40)}…` : word}`;
  }
  const idLength = label === 'RSA' ? 16 : 64;
  if (idHex.length !== idLength || !HEX.test(idHex)) {
    return label === 'RSA' ? 'RSA: the first field must be 8 bytes of encrypted pre-master secret in hex' : `${word}: the client random must be 32 bytes in hex`;
  }
  if (secretHex.length % 2 !== 0 || !HEX.test(secretHex)) return `${word}: the secret is not hex`;
  const bytes = secretHex.length / 2;
  if (label === 'CLIENT_RANDOM' || label === 'RSA') {
    if (bytes !== 48) return `${word}: the ${label === 'RSA' ? 'pre-master' : 'master'} secret must be 48 bytes, found ${bytes}`;
  } else if (bytes !== 32 && bytes !== 48 && bytes !== 64) {
    return `${word}: a TLS 1.3 secret is 32 or 48 bytes, found ${bytes}`;
  }
  return { label, id: idHex.toLowerCase(), secret: Uint8Array.from(Buffer.from(secretHex, 'hex')), line: number, generation };
}

/** The key log line an entry came from, as text (for `inject-secrets` and DSBs). */
export function keyLogLine(e: KeyLogEntry): string {
  const label = e.label === 'CLIENT_TRAFFIC_SECRET' || e.label === 'SERVER_TRAFFIC_SECRET' ? `${e.label}_${e.generation < 0 ? 'N' : e.generation}` : e.label;
  return `${label} ${e.id} ${Buffer.from(e.secret).toString('hex')}`;
}
