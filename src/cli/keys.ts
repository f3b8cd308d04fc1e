// TLS key options shared by the commands that dissect: tshark's own preferences
// (`-o tls.keylog_file:PATH`, `-o 'uat:rsa_keys:"PATH",""'`, and for an RSA key bound to a server
// the RSA keys list `-o 'uat:ssl_keys:"IP","PORT","PROTOCOL","PATH",""'` or its older one-line form
// `-o tls.keys_list:IP,PORT,PROTOCOL,PATH`) so a tshark command line works unchanged, and the
// short forms `--keylog PATH` / `--rsa-key PATH` / `--rsa-key IP,PORT,PROTOCOL,PATH`.

import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { TlsKeyStore } from '../core/tls/keys/key-store';
import { addKeyFile } from '../core/tls/keys/key-files';
import { UsageError, type FlagSpec, type ParsedArgs } from './args';

export const KEY_FLAGS: Readonly<Record<string, FlagSpec>> = {
  '-o': { value: true },
  '--keylog': { value: true },
  '--rsa-key': { value: true },
};

export const KEY_USAGE = '[-o tls.keylog_file:PATH] [-o uat:rsa_keys:"PATH",""] [-o tls.keys_list:IP,PORT,PROTOCOL,PATH] [--keylog PATH] [--rsa-key [IP,PORT,PROTOCOL,]PATH]';

interface RsaKeyArg {
  path: string;
  binding?: { address: string; port: number };
}

/**
 * One entry of tshark's RSA keys list, `IP,PORT,PROTOCOL,PATH[,PASSWORD]` (the fields of its
 * `ssl_keys` table; packet-tls.c ssl_parse_old_keys), as a key file and its server binding.
 */
function keysListEntry(fields: readonly string[], option: string): RsaKeyArg {
  const [ip = '', port = '', , path = '', password = ''] = fields.map((f) => f.trim());
  if (fields.length < 4 || path === '') throw new UsageError(`${option}: expected IP,PORT,PROTOCOL,PATH (e.g. 192.0.2.1,443,http,server.pem)`);
  if (password !== '') throw new UsageError(`${option}: password-protected (PKCS#12) keys are not supported; give an unencrypted PEM key`);
  const anyAddress = ip === '' || ip === 'any' || ip === '0.0.0.0' || ip === '::';
  if (!anyAddress && isIP(ip) === 0) throw new UsageError(`${option}: ${ip} is not an IP address (or 'any')`);
  const anyPort = port === '' || port === 'any' || port === '0';
  const portNumber = anyPort ? 0 : /^\d+$/.test(port) ? Number(port) : NaN;
  if (!(portNumber >= 0 && portNumber <= 65535)) throw new UsageError(`${option}: ${port} is not a port (1–65535, or 'any')`);
  if (anyAddress && portNumber === 0) return { path };
  return { path, binding: { address: anyAddress ? '' : ip.toLowerCase(), port: portNumber } };
}

/** The quoted fields of a UAT entry, `"a","b",…`, with tshark's backslash escapes undone. */
function uatFields(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]!.replace(/\\(.)/g, '$1'));
}

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
  // A value naming a file is a path; otherwise, with its commas, a keys list entry.
  const rsaKeys: RsaKeyArg[] = (args.values.get('--rsa-key') ?? []).map((v) =>
    !existsSync(v) && v.split(',').length >= 4 ? keysListEntry(v.split(','), `--rsa-key ${v}`) : { path: v },
  );
  for (const pref of preferences) {
    const m = /^(?:tls|ssl)\.keylog_file:(.*)$/.exec(pref);
    if (m !== null) {
      if (m[1] !== '') keylogs.push(m[1]!);
      continue;
    }
    const uat = /^uat:rsa_keys:(.*)$/.exec(pref);
    if (uat !== null) {
      // tshark's RSA keys table: "key file or id","password" (a PKCS#12 password; PEM needs none).
      const fields = uatFields(uat[1]!);
      if (fields.length === 0 || fields[0] === '') throw new UsageError(`-o ${pref}: expected uat:rsa_keys:"PATH",""`);
      if (fields[1] !== undefined && fields[1] !== '') throw new UsageError('-o uat:rsa_keys: password-protected (PKCS#12) keys are not supported; give an unencrypted PEM key');
      rsaKeys.push({ path: fields[0]! });
      continue;
    }
    // The TLS protocol's RSA keys list: "IP","PORT","PROTOCOL","PATH","PASSWORD".
    const sslKeys = /^uat:ssl_keys:(.*)$/.exec(pref);
    if (sslKeys !== null) {
      rsaKeys.push(keysListEntry(uatFields(sslKeys[1]!), `-o ${pref}`));
      continue;
    }
    // Its one-line form before Wireshark 1.6, still read by tshark 4.0: entries joined by ';'.
    const list = /^(?:tls|ssl)\.keys_list:(.*)$/.exec(pref);
    if (list !== null) {
      for (const entry of list[1]!.split(';')) if (entry.trim() !== '') rsaKeys.push(keysListEntry(entry.split(','), `-o tls.keys_list:${entry}`));
      continue;
    }
    throw new UsageError(`unknown preference -o ${pref.split(':')[0]} (supported: tls.keylog_file, tls.keys_list, uat:rsa_keys, uat:ssl_keys)`);
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
