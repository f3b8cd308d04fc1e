// `wireladder info FILE`: what is in a capture file, like capinfos: one walk over the records,
// nothing dissected.

import { basename } from 'node:path';
import { walkRecords } from '../../core/io/record-walk';
import { linkTypeName } from '../../core/dissect/link-types';
import { SECRETS_TLS_KEY_LOG } from '../../core/io/types';
import { parseArgs } from '../args';
import { readEnd } from '../read-end';
import type { CliIo } from '../main';
import { tlsOf } from '../../core/engine/app-of';
import { analyzeFile } from '../../core/engine/analyze-file';
import type { TlsKeyStore } from '../../core/tls/keys/key-store';
import { KEY_FLAGS, KEY_USAGE, keysFromArgs, keyReport } from '../keys';

export interface CaptureInfo {
  file: string;
  format: string;
  compressed: boolean;
  fileSize: number;
  linkTypes: { linkType: number; name: string }[];
  interfaces: { id: number; name: string | null; linkType: number; snaplen: number; filter: string | null }[];
  packets: number;
  bytes: number;
  capturedBytes: number;
  firstTime: string | null;
  lastTime: string | null;
  durationSeconds: number;
  comments: { packet: number; text: string }[];
  sectionComments: string[];
  decryptionSecrets: { type: string; bytes: number }[];
  /** TLS sessions and what the keys (given and embedded) did for each. */
  tlsSessions: { stream: number; version: string | null; sni: string | null; decryption: string; keySource: string | null; finished: string | null }[];
  /** Per key source: matched sessions and malformed lines (never key material). */
  keys: string[];
  stop: { offset: number; reason: string } | null;
}

export async function infoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { '--json': {}, ...KEY_FLAGS });
  const file = args.positional[0];
  if (file === undefined) {
    io.err(`usage: wireladder info FILE [--json] ${KEY_USAGE}`);
    return 1;
  }
  const info = await captureInfo(file, keysFromArgs(args));
  if (args.flags.has('--json')) io.out(JSON.stringify(info, null, 2));
  else io.out(formatInfo(info));
  return readEnd(io, file, { stop: info.stop, packets: info.packets, memoryLimit: null });
}

export async function captureInfo(file: string, tlsKeys?: TlsKeyStore): Promise<CaptureInfo> {
  const walk = await walkRecords(file);
  // TLS sessions need the analysis pass: only when there are keys to report on (given, or a DSB).
  const hasSecrets = walk.secrets.some((s) => s.secretsType === SECRETS_TLS_KEY_LOG);
  const tls = tlsKeys !== undefined || hasSecrets ? await tlsSessionsOf(file, tlsKeys) : { tlsSessions: [], keys: [] };
  const { result, packets: n } = walk;
  const linkTypes = [...new Set(walk.interfaces.map((i) => i.linkType))].map((lt) => ({ linkType: lt, name: linkTypeName(lt) }));
  return {
    file: basename(file),
    format: result.format,
    compressed: result.compressed,
    fileSize: result.fileSize,
    linkTypes,
    interfaces: walk.interfaces.map((i) => ({ id: i.id, name: i.name, linkType: i.linkType, snaplen: i.snaplen, filter: i.filter })),
    packets: n,
    bytes: walk.bytes,
    capturedBytes: walk.capturedBytes,
    firstTime: n > 0 ? isoTime(walk.firstSec, walk.firstNsec) : null,
    lastTime: n > 0 ? isoTime(walk.lastSec, walk.lastNsec) : null,
    durationSeconds: n > 0 ? walk.lastSec - walk.firstSec + (walk.lastNsec - walk.firstNsec) / 1e9 : 0,
    comments: walk.comments,
    sectionComments: walk.sections.flatMap((s) => s.comments),
    decryptionSecrets: walk.secrets.map((s) => ({ type: s.secretsType === SECRETS_TLS_KEY_LOG ? 'TLS key log' : `0x${s.secretsType.toString(16)}`, bytes: s.data.length })),
    tlsSessions: tls.tlsSessions,
    keys: tls.keys,
    stop: result.stop,
  };
}

/** The TLS sessions of a capture and what the keys (given and embedded) did for each. */
async function tlsSessionsOf(file: string, tlsKeys: TlsKeyStore | undefined): Promise<Pick<CaptureInfo, 'tlsSessions' | 'keys'>> {
  const { analyzer } = await analyzeFile(file, tlsKeys !== undefined ? { tlsKeys, summaryOnly: true } : { summaryOnly: true });
  const tlsSessions: CaptureInfo['tlsSessions'] = [];
  for (const c of analyzer.flows.conversations) {
    const t = tlsOf(c);
    if (t === null || t.session.clientHelloRow < 0) continue;
    const d = t.session.decryption;
    const fin = d === null ? null : d.finished.filter((f) => f !== null);
    tlsSessions.push({
      stream: c.stream,
      version: t.session.versionName,
      sni: t.session.sni,
      decryption: d === null ? 'no keys loaded' : d.status === 'no-key' ? 'keys missing' : d.reason !== null ? `${d.status}: ${d.reason}` : d.status,
      keySource: d?.keySource ?? null,
      finished: fin === null || fin.length === 0 ? null : fin.every((f) => f === 'verified') ? 'verified' : 'mismatch',
    });
  }
  return { tlsSessions, keys: keyReport(analyzer.tlsKeys) };
}

/** `2026-11-23 10:18:00.123456789 UTC` */
export function isoTime(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  const iso = d.toISOString(); // 2026-11-23T10:18:00.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(nsec).padStart(9, '0')} UTC`;
}

function formatInfo(i: CaptureInfo): string {
  const lines: [string, string][] = [
    ['File', i.file],
    ['Format', `${i.format}${i.compressed ? ' (gzip-compressed)' : ''}`],
    ['File size', `${i.fileSize.toLocaleString('en-US')} bytes`],
    ['Link types', i.linkTypes.map((l) => `${l.name} (${l.linkType})`).join(', ') || '(none)'],
    ['Interfaces', i.interfaces.map((f) => `${f.id}: ${f.name ?? 'unnamed'}${f.filter ? ` [filter: ${f.filter}]` : ''}`).join(', ') || '(none)'],
    ['Packets', i.packets.toLocaleString('en-US')],
    ['Bytes on wire', i.bytes.toLocaleString('en-US')],
    ['Bytes captured', i.capturedBytes.toLocaleString('en-US')],
    ['First packet', i.firstTime ?? '-'],
    ['Last packet', i.lastTime ?? '-'],
    ['Duration', `${i.durationSeconds.toFixed(6)} s`],
    ['Comments', i.comments.length === 0 ? 'none' : i.comments.map((c) => `#${c.packet}: ${c.text}`).join('\n' + ' '.repeat(18))],
  ];
  if (i.sectionComments.length > 0) lines.push(['File comments', i.sectionComments.join('; ')]);
  if (i.decryptionSecrets.length > 0) lines.push(['Secrets', i.decryptionSecrets.map((s) => `${s.type} (${s.bytes} bytes)`).join(', ')]);
  if (i.tlsSessions.length > 0) {
    const matched = i.tlsSessions.filter((s) => s.keySource !== null).length;
    const pad = ' '.repeat(18);
    const rows = i.tlsSessions.map(
      (s) => `tcp.stream ${s.stream}: ${s.version ?? '?'}${s.sni !== null ? ` ${s.sni}` : ''}: ${s.decryption}${s.keySource !== null ? ` (${s.keySource})` : ''}${s.finished !== null ? `, Finished ${s.finished}` : ''}`,
    );
    lines.push(['TLS sessions', [`${i.tlsSessions.length} (${matched} of ${i.tlsSessions.length} matched by keys)`, ...rows].join('\n' + pad)]);
  }
  if (i.keys.length > 0) lines.push(['Keys', i.keys.join('\n' + ' '.repeat(18))]);
  if (i.stop !== null) lines.push(['Stopped early', `at byte ${i.stop.offset.toLocaleString('en-US')}: ${i.stop.reason}`]);
  return lines.map(([k, v]) => `${(k + ':').padEnd(17)} ${v}`).join('\n');
}
