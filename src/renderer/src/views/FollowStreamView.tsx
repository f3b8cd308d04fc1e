// Follow stream: one conversation's application bytes in both directions, coloured by side, as
// text, hex or raw (hex digits) — the TCP payload, or the TLS plaintext decrypted with the keys.

import { useEffect, useMemo, useState } from 'react';
import type { ConversationDto, FollowStreamDto } from '../../../shared/api';
import { EmptyState } from '../components/Notice';
import { useClient } from '../state/client-context';
import { bytes as bytesText, endpoint, errorText } from '../state/format';
import { useAsync } from '../state/use-async';
import { FollowHttp2Content } from './Http2StreamsPanel';

type Format = 'text' | 'hex' | 'raw';

interface Props {
  session: string;
  conversations: ConversationDto[] | null;
  conversation: number | null;
  mode: 'tcp' | 'tls';
  onConversation(id: number): void;
  onMode(mode: 'tcp' | 'tls'): void;
  onNotify(tone: 'info' | 'error', text: string): void;
}

function decode(base64: string): Uint8Array {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Printable ASCII and line breaks as they are; other bytes as '.' (Wireshark's ASCII view). */
function asText(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += c === 0x0a || c === 0x09 ? String.fromCharCode(c) : c === 0x0d ? '' : c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  return s;
}

/** Offset, 16 hex bytes, their ASCII: one line each (Wireshark's hex dump). */
function asHex(b: Uint8Array, base: number): string {
  const lines: string[] = [];
  for (let i = 0; i < b.length; i += 16) {
    const row = b.subarray(i, i + 16);
    const hex = Array.from(row, (v) => v.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (v) => (v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.')).join('');
    lines.push(`${(base + i).toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}

function asRaw(b: Uint8Array): string {
  return Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');
}

export function FollowStreamView({ session, conversations, conversation, mode, onConversation, onMode, onNotify }: Props) {
  const client = useClient();
  const [format, setFormat] = useState<Format>('text');
  const tcp = (conversations ?? []).filter((c) => c.protocol === 'TCP');
  const current = conversation ?? tcp.find((c) => c.tls !== null)?.id ?? tcp[0]?.id ?? null;
  const { value, error, loading } = useAsync<FollowStreamDto>(
    current === null ? null : () => client.call('followStream', { session, conversation: current, mode }),
    [client, session, current, mode],
  );
  // An HTTP/2 connection also offers each of its streams ("HTTP/2 stream N"), decoded.
  const h2 = tcp.find((c) => c.id === current)?.http2 ?? null;
  const [h2Stream, setH2Stream] = useState<number | null>(null);
  const streams = useAsync(h2 === null || current === null ? null : () => client.call('http2Streams', { session, conversation: current }), [client, session, current, h2 === null]);
  useEffect(() => setH2Stream(null), [current]);
  const chunks = useMemo(() => {
    if (value === null) return [];
    const offsets = { client: 0, server: 0 };
    return value.chunks.map((c) => {
      const b = decode(c.base64);
      const base = offsets[c.from];
      offsets[c.from] += b.length;
      return { ...c, bytes: b, base };
    });
  }, [value]);

  const save = async (): Promise<void> => {
    if (value === null) return;
    // Save as: the bytes of both directions in order (raw), or the text as shown.
    const total = chunks.reduce((n, c) => n + c.bytes.length, 0);
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      all.set(c.bytes, at);
      at += c.bytes.length;
    }
    const text = format === 'raw' ? asRaw(all) : format === 'hex' ? chunks.map((c) => asHex(c.bytes, c.base)).join('\n') : null;
    let binary = '';
    for (const v of all) binary += String.fromCharCode(v);
    const stem = `stream${tcp.find((c) => c.id === current)?.stream ?? current}-${mode}`;
    try {
      const where = await client.saveExport(
        text === null
          ? { fileName: `${stem}.bin`, mime: 'application/octet-stream', encoding: 'base64', data: btoa(binary) }
          : { fileName: `${stem}-${format}.txt`, mime: 'text/plain', encoding: 'utf8', data: text },
      );
      if (where !== null) onNotify('info', `Saved the stream to ${where}.`);
    } catch (err) {
      onNotify('error', `Save failed: ${errorText(err)}`);
    }
  };

  let body;
  if (current !== null && h2Stream !== null) body = <div className="h2-follow-inline"><FollowHttp2Content session={session} conversation={current} stream={h2Stream} /></div>;
  else if (current === null) body = <EmptyState title="No TCP conversations">Follow stream shows a TCP conversation's bytes.</EmptyState>;
  else if (error !== null) body = <EmptyState title="The stream is not available" tone="error">{error}</EmptyState>;
  else if (value === null || (loading && value.conversation !== current)) body = <EmptyState title="Reading the stream…" tone="loading" />;
  else if (chunks.length === 0) body = <EmptyState title="Nothing to show">{value.note ?? 'This conversation carried no payload.'}</EmptyState>;
  else
    body = (
      <pre className={`follow-body follow-${format}`} data-testid="follow-body">
        {chunks.map((c, i) => (
          <span key={i} className={`follow-${c.from}`} title={`${c.from === 'client' ? 'Client → server' : 'Server → client'}, frame ${c.packet}`}>
            {format === 'text' ? asText(c.bytes) : format === 'hex' ? `${asHex(c.bytes, c.base)}\n` : asRaw(c.bytes)}
          </span>
        ))}
      </pre>
    );

  return (
    <div className="follow-view">
      <div className="view-head">
        <h2>Follow stream</h2>
        <label className="check">
          Conversation
          <select value={current ?? ''} onChange={(e) => onConversation(Number(e.target.value))} data-testid="follow-conversation">
            {tcp.map((c) => (
              <option key={c.id} value={c.id}>
                {c.stream}: {endpoint(c.client)} → {endpoint(c.server)}
                {c.tls !== null ? ` (${c.tls.version})` : ''}
              </option>
            ))}
          </select>
        </label>
        <div className="segmented" role="group" aria-label="Stream">
          <button className={mode === 'tcp' ? 'on' : ''} onClick={() => onMode('tcp')} data-testid="follow-tcp">
            TCP
          </button>
          <button className={mode === 'tls' ? 'on' : ''} onClick={() => onMode('tls')} data-testid="follow-tls">
            TLS (decrypted)
          </button>
        </div>
        {h2 !== null && (
          <label className="check">
            HTTP/2 stream
            <select value={h2Stream ?? ''} onChange={(e) => setH2Stream(e.target.value === '' ? null : Number(e.target.value))} data-testid="follow-http2-stream-select">
              <option value="">— the whole connection —</option>
              {(streams.value?.streams ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  HTTP/2 stream {s.id}: {s.method ?? '?'} {s.path ?? ''}
                  {s.status !== null ? ` → ${s.status}` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="segmented" role="group" aria-label="Show as">
          {(['text', 'hex', 'raw'] as const).map((f) => (
            <button key={f} className={format === f ? 'on' : ''} onClick={() => setFormat(f)} data-testid={`follow-format-${f}`}>
              {f === 'text' ? 'Text' : f === 'hex' ? 'Hex' : 'Raw'}
            </button>
          ))}
        </div>
        <button className="button" onClick={() => void save()} disabled={chunks.length === 0} data-testid="follow-save">
          Save as…
        </button>
      </div>
      {value !== null && h2Stream === null && (
        <div className="follow-legend sub">
          <span className="follow-client">client → server {bytesText(value.bytes[0])}</span> <span className="follow-server">server → client {bytesText(value.bytes[1])}</span>
          {value.truncated && ' · only the first 4 MiB are shown'}
          {value.note !== null && chunks.length > 0 && ` · ${value.note}`}
        </div>
      )}
      {body}
    </div>
  );
}
