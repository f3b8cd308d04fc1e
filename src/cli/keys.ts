// TLS key options shared by the commands that dissect: tshark's own preferences
// (`-o tls.keylog_file:PATH`, `-o 'uat:rsa_keys:"PATH",""'`) so a tshark command line works
// unchanged, and the short forms `--keylog PATH` / `--rsa-key PATH`.

import { TlsKeyStore } from '../core/tls/keys/key-store';
import { addKeyFile } from '../core/tls/keys/key-files';
import { UsageError, type FlagSpec, type ParsedArgs } from './args';

export const KEY_FLAGS: Readonly<Record<string, FlagSpec>> = {
  '-o': { value: true },
  '--keylog': { value: true },
  '--rsa-key': { value: true },
};

export const KEY_USAGE = '[-o tls.keylog_file:PATH] [-o uat:rsa_keys:"PATH",""] [--keylog PATH] [--rsa-key PATH]';

/** Whether `-o` names a preference (`name:value`) rather than an output file. */
export function isPreference(value: string): boolean {
  return /^(tls|ssl)\.[a-z_]+:/.test(value) || value.startsWith('uat:');
}

/**
 * The keys named on the command line, or undefined when none were (DSB secrets in the capture are
 * used either way). Throws UsageError for an unknown preference or an unreadable key file.
 */
export function keysFromArgs(args: ParsedArgs, preferences: readonly string[] = args.values.get('-o') ?? []): TlsKeyStore | undefined {
  const keylogs = [...(args.values.get('--keylog') ?? [])];
  const rsaKeys: { path: string; binding?: { address: string; port: number } }[] = (args.values.get('--rsa-key') ?? []).map((path) => ({ path }));
  for (const pref of preferences) {
    const m = /^(?:tls|ssl)\.keylog_file:(.*)$/.exec(pref);
    if (m !== null) {
      if (m[1] !== '') keylogs.push(m[1]!);
      continue;
    }
    const uat = /^uat:rsa_keys:(.*)$/.exec(pref);
    if (uat !== null) {
      // tshark's RSA keys table: "key file or id","password" (a PKCS#12 password; PEM needs none).
      const fields = [...uat[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]!.replace(/\\(.)/g, '$1'));
      if (fields.length === 0 || fields[0] === '') throw new UsageError(`-o ${pref}: expected uat:rsa_keys:"PATH",""`);
      if (fields[1] !== undefined && fields[1] !== '') throw new UsageError('-o uat:rsa_keys: password-protected (PKCS#12) keys are not supported; give an unencrypted PEM key');
      rsaKeys.push({ path: fields[0]! });
      continue;
    }
    throw new UsageError(`unknown preference -o ${pref.split(':')[0]} (supported: tls.keylog_file, uat:rsa_keys)`);
  }
  if (keylogs.length === 0 && rsaKeys.length === 0) return undefined;
  const store = new TlsKeyStore();
  try {
    for (const path of keylogs) addKeyFile(store, path);
    for (const k of rsaKeys) addKeyFile(store, k.path, k.binding);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  return store;
}

/** One line per key source: what it matched, and its malformed lines (counts and paths only). */
export function keyReport(store: TlsKeyStore): string[] {
  const lines: string[] = [];
  const seen = store.sessionsSeen;
  for (const s of store.info()) {
    const what = s.kind === 'rsa' ? 'RSA key' : s.kind === 'dsb' ? 'key log' : 'key log';
    let line = `${s.name}: ${what}, ${s.matchedSessions} of ${seen} TLS session${seen === 1 ? '' : 's'} matched`;
    if (s.problemCount > 0) line += `; ${s.problemCount} malformed line${s.problemCount === 1 ? '' : 's'} (${s.problems.map((p) => `line ${p.line}: ${p.reason}`).slice(0, 3).join('; ')})`;
    lines.push(line);
  }
  return lines;
}
