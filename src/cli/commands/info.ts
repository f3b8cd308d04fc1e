// `wireladder info FILE`: what is in a capture file, like capinfos: one walk over the records,
// nothing dissected.

import { basename } from 'node:path';
import { walkRecords } from '../../core/io/record-walk';
import { linkTypeName } from '../../core/dissect/link-types';
import { SECRETS_TLS_KEY_LOG } from '../../core/io/types';
import { parseArgs } from '../args';
import { readEnd } from '../read-end';
import type { CliIo } from '../main';

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
  stop: { offset: number; reason: string } | null;
}

export async function infoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { '--json': {} });
  const file = args.positional[0];
  if (file === undefined) {
    io.err('usage: wireladder info FILE [--json]');
    return 1;
  }
  const info = await captureInfo(file);
  if (args.flags.has('--json')) io.out(JSON.stringify(info, null, 2));
  else io.out(formatInfo(info));
  return readEnd(io, file, { stop: info.stop, packets: info.packets, memoryLimit: null });
}

export async function captureInfo(file: string): Promise<CaptureInfo> {
  const walk = await walkRecords(file);
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
    stop: result.stop,
  };
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
  if (i.stop !== null) lines.push(['Stopped early', `at byte ${i.stop.offset.toLocaleString('en-US')}: ${i.stop.reason}`]);
  return lines.map(([k, v]) => `${(k + ':').padEnd(17)} ${v}`).join('\n');
}
