// The HTTP/2 streams of one connection, listed under its row in the Conversations tab, and
// "Follow HTTP/2 stream N": the stream's request and response as text, bodies decoded.

import { useEffect, useState } from 'react';
import type { Http2FollowDto, Http2StreamDto, Http2StreamsDto } from '../../../shared/api';
import { useClient } from '../state/client-context';
import { bytes, duration, errorText } from '../state/format';

interface Props {
  session: string;
  conversation: number;
  onGoToPacket(packet: number): void;
}

const outcomeText: Record<Http2StreamDto['outcome'], string> = {
  complete: 'complete',
  reset: 'reset',
  'refused-by-goaway': 'not processed (GOAWAY)',
  unfinished: 'unfinished',
};

export function Http2StreamsPanel({ session, conversation, onGoToPacket }: Props) {
  const client = useClient();
  const [dto, setDto] = useState<Http2StreamsDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [follow, setFollow] = useState<number | null>(null);

  useEffect(() => {
    let alive = true;
    client.call('http2Streams', { session, conversation }).then(
      (d) => alive && setDto(d),
      (err: unknown) => alive && setError(errorText(err)),
    );
    return () => {
      alive = false;
    };
  }, [client, session, conversation]);

  if (error !== null) return <div className="h2-panel error">HTTP/2 streams could not be read: {error}</div>;
  if (dto === null) return <div className="h2-panel loading">Reading the HTTP/2 streams…</div>;
  return (
    <div className="h2-panel" data-testid="http2-streams">
      <div className="h2-panel-head">
        <strong>HTTP/2</strong> {startText(dto.start)} · {dto.streams.length} streams
        {dto.goaways.map((g) => (
          <span key={g.packet} className="chip" title={g.debug !== '' ? `debug data: ${g.debug}` : undefined}>
            GOAWAY from the {g.by}: {g.error}, last stream {g.lastStreamId}
          </span>
        ))}
      </div>
      <table className="data-table h2-streams" aria-label={`HTTP/2 streams of conversation ${conversation}`}>
        <thead>
          <tr>
            <th className="num">Stream</th>
            <th>Request</th>
            <th>Status</th>
            <th>Content type</th>
            <th className="num">Bytes →/←</th>
            <th className="num" title="Request header block to response header block">Wait</th>
            <th className="num" title="Request header block to the end of the response">Duration</th>
            <th>Outcome</th>
            <th className="num">Packets</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {dto.streams.map((s) => (
            <tr key={s.id} data-testid="http2-stream-row" data-stream={s.id} className={s.outcome === 'complete' ? '' : 'h2-trouble'}>
              <td className="num">{s.id}</td>
              <td className="mono ellipsis" title={s.authority ?? undefined}>
                {s.method ?? '?'} {s.path ?? ''}
                {s.upgraded && <span className="chip">upgraded from HTTP/1.1</span>}
                {s.pushedBy !== null && <span className="chip">pushed on stream {s.pushedBy}</span>}
                {s.undecodable !== null && (
                  <span className="chip flag-undecodable" title={s.undecodable}>
                    headers not fully decoded
                  </span>
                )}
              </td>
              <td className="num">{s.status ?? ''}</td>
              <td className="ellipsis">{s.contentType ?? ''}</td>
              <td className="num">
                {bytes(s.requestBytes)} / {bytes(s.responseBytes)}
              </td>
              <td className="num">{duration(s.wait)}</td>
              <td className="num">{duration(s.duration)}</td>
              <td>
                {outcomeText[s.outcome]}
                {s.reset !== null && (
                  <span className="chip flag-reset">
                    RST_STREAM {s.reset.error} by the {s.reset.by}
                  </span>
                )}
              </td>
              <td className="num">
                <button className="link-button" onClick={() => onGoToPacket(s.firstPacket)} title="Go to the stream's first packet">
                  {s.firstPacket}
                </button>
                –
                <button className="link-button" onClick={() => onGoToPacket(s.lastPacket)} title="Go to the stream's last packet">
                  {s.lastPacket}
                </button>
              </td>
              <td className="actions">
                <button className="link-button" onClick={() => setFollow(s.id)} data-testid="follow-http2-stream">
                  Follow HTTP/2 stream {s.id}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dto.problems.length > 0 && (
        <details className="h2-problems">
          <summary>{dto.problems.length} problems</summary>
          <ul>
            {dto.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </details>
      )}
      {follow !== null && <FollowHttp2Dialog session={session} conversation={conversation} stream={follow} onClose={() => setFollow(null)} />}
    </div>
  );
}

function startText(start: string): string {
  if (start === 'preface') return 'opened with the client connection preface';
  if (start === 'upgrade') return 'after HTTP/1.1 Upgrade: h2c';
  if (start === 'frames') return 'seen from the middle of the connection';
  return '';
}

/** One HTTP/2 stream's exchange: the request (client colour) and the response (server colour). */
export function FollowHttp2Content({ session, conversation, stream }: { session: string; conversation: number; stream: number }) {
  const client = useClient();
  const [dto, setDto] = useState<Http2FollowDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    setDto(null);
    setError(null);
    client.call('followHttp2Stream', { session, conversation, stream }).then(
      (d) => alive && setDto(d),
      (err: unknown) => alive && setError(errorText(err)),
    );
    return () => {
      alive = false;
    };
  }, [client, session, conversation, stream]);
  return (
    <>
      {error !== null && <p className="error">{error}</p>}
      {dto === null && error === null && <p>Reading the stream…</p>}
      {dto !== null && (
        <div className="follow-text" data-testid="follow-http2-text">
          <FollowPart title="Request" part={dto.request} side="client" />
          <FollowPart title="Response" part={dto.response} side="server" />
        </div>
      )}
    </>
  );
}

/** "Follow HTTP/2 stream N" opened from the streams under a connection. */
export function FollowHttp2Dialog({ session, conversation, stream, onClose }: { session: string; conversation: number; stream: number; onClose(): void }) {
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal follow-dialog" role="dialog" aria-modal="true" aria-label={`Follow HTTP/2 stream ${stream}`} data-testid="follow-dialog">
        <h2>Follow HTTP/2 stream {stream}</h2>
        <FollowHttp2Content session={session} conversation={conversation} stream={stream} />
        <div className="row-buttons end">
          <button type="button" className="button" onClick={onClose} data-testid="follow-close">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

function FollowPart({ title, part, side }: { title: string; part: Http2FollowDto['request']; side: 'client' | 'server' }) {
  return (
    <section className={`follow-part follow-${side}`} aria-label={title}>
      <pre>
        {part.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}
        {part.body !== '' && `\n\n${part.body}`}
        {part.trailers.length > 0 && `\n\n${part.trailers.map(([n, v]) => `${n}: ${v}`).join('\n')}`}
      </pre>
      <div className="follow-meta">
        {title}: {bytes(part.bodyBytes)} of body{part.coding !== null ? `, ${part.coding}-coded (${bytes(part.decodedBytes)} decoded)` : ''}
        {part.notes.map((n) => (
          <span key={n} className="chip">
            {n}
          </span>
        ))}
      </div>
    </section>
  );
}
