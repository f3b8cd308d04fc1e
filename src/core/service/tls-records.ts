// The TLS records view: every record of one conversation per direction, with the TCP segments
// that carried its bytes (a replay with segment maps), and the bytes that broke the framing (a
// header that is not one) where they were.

import { replay } from '../engine/replay';
import { contentTypeTitle, handshakeMessageName, tlsVersionName, alertDescriptionName, alertLevelName } from '../tls/tables';
import type { TlsRecord } from '../tls/model';
import { endpointOf } from './conversations';
import { tlsOf } from '../engine/app-of';
import type { CaptureSession } from './session';
import type { TlsRecordDto, TlsRecordsDto } from './dto';
import type { ReplaySource } from '../engine/replay';

export function tlsRecords(s: CaptureSession, src: ReplaySource, conversation: number): TlsRecordsDto {
  const store = s.analyzer.flows.store;
  if (!Number.isInteger(conversation) || conversation < 0 || conversation >= store.count) throw new Error(`no conversation ${conversation}`);
  const index = s.analyzer.index;
  const rows = index.rowsOfStream(conversation);
  const stream = store.stream(conversation);
  const replayed = replay(src, { rows, keepSpans: true, streamOf: () => stream });
  const rc = replayed.flows.conversations[0];
  const client = endpointOf(store, conversation, s.analyzer.addresses, true);
  const server = endpointOf(store, conversation, s.analyzer.addresses, false);
  if (rc === undefined) return { conversation, client, server, records: [], decryption: null };
  const tls = tlsOf(rc);
  if (tls === null) return { conversation, client, server, records: [], decryption: null };
  const d = tls.session.decryption;
  const keysLoaded = d !== null;
  const firstRow = store.firstRow(conversation);
  const t0 = index.tsSec(firstRow) + index.tsNsec(firstRow) / 1e9;
  const counters = [0, 0];
  const records: TlsRecordDto[] = tls.records.map((r) => {
    const spans = tls.host.spans(r.dir, r.streamOffset, r.streamOffset + r.headerLength + r.length);
    counters[r.dir]!++;
    return {
      dir: r.dir === 0 ? 'client' : 'server',
      index: counters[r.dir]!,
      contentType: contentTypeTitle(r.contentType),
      version: tlsVersionName(r.version),
      length: r.length,
      messages: recordContents(r),
      encrypted: r.encrypted,
      decryption: r.decryption ?? (keysLoaded && r.encrypted ? 'no-key' : null),
      decryptError: r.decryptError,
      innerType: r.innerType === null ? null : contentTypeTitle(r.innerType),
      plaintextPreview: r.plaintext === null ? null : preview(r.plaintext),
      time: index.tsSec(r.completedRow) + index.tsNsec(r.completedRow) / 1e9 - t0,
      segments: spans.map((sp) => ({ packet: sp.row + 1, offset: sp.frameOffset, length: sp.length })),
      malformed: r.malformed !== null && r.missing === 0 ? r.malformed : null,
    };
  });
  // Malformed bytes that are no record at all (a damaged header): shown where they sat in the stream.
  const starts = new Set(tls.records.map((r) => `${r.dir}:${r.streamOffset}`));
  for (const p of tls.session.problems) {
    if (p.kind !== 'malformed' || p.length <= 0 || starts.has(`${p.dir}:${p.streamOffset}`)) continue;
    if (tls.records.some((r) => r.dir === p.dir && p.streamOffset > r.streamOffset && p.streamOffset < r.streamOffset + r.headerLength + r.length)) continue;
    const spans = tls.host.spans(p.dir, p.streamOffset, p.streamOffset + p.length);
    records.push({
      dir: p.dir === 0 ? 'client' : 'server',
      index: 0,
      contentType: 'Not a TLS record',
      version: '',
      length: p.length,
      messages: [],
      encrypted: false,
      decryption: null,
      decryptError: null,
      innerType: null,
      plaintextPreview: null,
      time: index.tsSec(p.row) + index.tsNsec(p.row) / 1e9 - t0,
      segments: spans.map((sp) => ({ packet: sp.row + 1, offset: sp.frameOffset, length: sp.length })),
      malformed: p.reason,
    });
  }
  const clientDir = tls.session.clientDir;
  const decryption =
    d === null
      ? null
      : { status: d.status, reason: d.reason, keySource: d.keySource, finished: [d.finished[clientDir], d.finished[clientDir === 0 ? 1 : 0]] as [string | null, string | null] };
  return { conversation, client, server, records, decryption };
}

/** The first bytes of a plaintext as text: printable ASCII kept, the rest shown as '.'. */
function preview(b: Uint8Array): string {
  let s = '';
  const n = Math.min(b.length, 96);
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    s += c === 0x0d ? '' : c === 0x0a ? '⏎' : c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return s;
}

/** What a record carries, in words ('ClientHello', 'Alert: fatal handshake_failure', …). */
export function recordContents(r: TlsRecord): string[] {
  // A decrypted record says what it really holds (its inner content type).
  if (r.decryption === 'decrypted' && r.innerType === 23) return ['Application data'];
  if (r.decryption === 'decrypted' && r.innerType === 22 && r.messages.length === 0) return ['Handshake fragment'];
  const alert = r.alert;
  if (alert !== null) {
    if (alert.level === null || alert.description === null) return ['Encrypted alert'];
    return [`Alert: ${alertLevelName(alert.level)} ${alertDescriptionName(alert.description)}`];
  }
  if (r.contentType === 20) return ['ChangeCipherSpec'];
  if (r.contentType === 22 && r.encrypted) return ['Encrypted handshake message'];
  if (r.contentType === 21 && r.encrypted) return ['Encrypted alert'];
  if (r.contentType === 23 && r.decryption !== 'decrypted') return [r.encrypted ? 'Encrypted application data' : 'Application data'];
  if (r.messages.length > 0) {
    return r.messages.map((m) => (m.kind === 'server_hello' && m.isHelloRetryRequest ? 'HelloRetryRequest' : handshakeMessageName(m.type)));
  }
  if (r.continues) return ['Handshake fragment'];
  return [contentTypeTitle(r.contentType)];
}
