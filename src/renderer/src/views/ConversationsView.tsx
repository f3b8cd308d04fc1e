// Conversations (TCP/UDP 5-tuples) with handshake verdicts; sortable; Enter or double-click opens the
// ladder; an HTTP/2 connection unfolds into its streams.

import { Fragment, useMemo, useState, type KeyboardEvent } from 'react';
import type { ConversationDto } from '../../../shared/api';
import { Banner, EmptyState } from '../components/Notice';
import { bytes, count, duration, endpoint } from '../state/format';
import { LimitToggle } from './EndpointsView';
import { Http2StreamsPanel } from './Http2StreamsPanel';

interface Props {
  /** The session, for the HTTP/2 streams of a connection (read when unfolded). */
  session?: string;
  conversations: ConversationDto[] | null;
  /**
   * How many conversations there are in all (the engine sends at most the first 50,000 rows; while
   * a file loads, the count so far and no rows).
   */
  total?: number;
  error: string | null;
  loading: boolean;
  selected: number | null;
  onSelect(id: number): void;
  onOpenLadder(id: number): void;
  onOpenTls(id: number): void;
  /** Wireshark's "Limit to display filter": only conversations with displayed packets, counted over them. */
  limit?: { value: boolean; filter: string; onChange(v: boolean): void };
  onGoToPacket?(packet: number): void;
  /** Follow stream of a conversation (TCP raw or decrypted TLS). */
  onFollow?(id: number): void;
}

type SortKey = 'stream' | 'protocol' | 'client' | 'server' | 'packets' | 'bytes' | 'start' | 'duration' | 'rtt' | 'tls' | 'sni' | 'decryption' | 'http' | 'verdict';

interface Column {
  key: SortKey;
  label: string;
  title?: string;
  value(c: ConversationDto): string | number;
  className?: string;
}

const verdictRank = (c: ConversationDto): number => (c.verdict === null ? 3 : c.verdict.status === 'failed' ? 0 : c.verdict.status === 'incomplete' ? 1 : 2);

const columns: Column[] = [
  { key: 'stream', label: 'Stream', value: (c) => c.stream, className: 'num' },
  { key: 'protocol', label: 'Proto', value: (c) => c.protocol },
  { key: 'client', label: 'Client', value: (c) => endpoint(c.client) },
  { key: 'server', label: 'Server', value: (c) => endpoint(c.server) },
  { key: 'packets', label: 'Packets →/←', value: (c) => c.packets[0] + c.packets[1], className: 'num' },
  { key: 'bytes', label: 'Bytes →/←', value: (c) => c.bytes[0] + c.bytes[1], className: 'num' },
  { key: 'start', label: 'Start', value: (c) => c.start, className: 'num' },
  { key: 'duration', label: 'Duration', value: (c) => c.duration, className: 'num' },
  { key: 'rtt', label: 'RTT', title: 'Initial round-trip time (SYN → SYN/ACK)', value: (c) => c.initialRtt ?? Infinity, className: 'num' },
  { key: 'tls', label: 'TLS', value: (c) => c.tls?.version ?? '' },
  { key: 'sni', label: 'SNI / cipher', value: (c) => c.tls?.sni ?? '' },
  { key: 'decryption', label: 'Decryption', title: 'TLS decryption with the loaded keys (Keys…)', value: (c) => c.decryption ?? '' },
  { key: 'http', label: 'HTTP', title: 'HTTP transactions, also inside decrypted TLS', value: (c) => c.httpTransactions },
  { key: 'verdict', label: 'Verdict', value: verdictRank },
];

export function ConversationsView({ session, conversations, total, error, loading, selected, onSelect, onOpenLadder, onOpenTls, onGoToPacket, onFollow, limit }: Props) {
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'stream', dir: 1 });
  const [unfolded, setUnfolded] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number): void =>
    setUnfolded((u) => {
      const next = new Set(u);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const sorted = useMemo(() => {
    if (conversations === null) return [];
    const col = columns.find((c) => c.key === sort.key)!;
    return [...conversations].sort((a, b) => {
      const va = col.value(a);
      const vb = col.value(b);
      const cmp = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), 'en', { numeric: true });
      return cmp * sort.dir || a.stream - b.stream;
    });
  }, [conversations, sort]);

  if (error !== null) return <EmptyState title="Conversations are not available" tone="error">{error}</EmptyState>;
  if (conversations === null) {
    return (
      <EmptyState title="Finding conversations…" tone="loading" testId="conversations-loading">
        {loading && total !== undefined ? `${count(total)} so far; the table appears when the file has loaded.` : undefined}
      </EmptyState>
    );
  }
  const head = limit !== undefined && (
    <div className="view-head compact">
      <LimitToggle value={limit.value} onChange={limit.onChange} filter={limit.filter} />
    </div>
  );
  if (conversations.length === 0) {
    return (
      <>
        {head}
        <EmptyState title="No TCP or UDP conversations">
          {loading ? 'The capture is still loading.' : limit?.value === true && limit.filter !== '' ? 'None has a packet the display filter shows.' : 'This capture has no TCP or UDP traffic.'}
        </EmptyState>
      </>
    );
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>): void => {
    const i = sorted.findIndex((c) => c.id === selected);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = sorted[Math.max(0, Math.min(sorted.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (next !== undefined) onSelect(next.id);
    } else if (e.key === 'Enter' && selected !== null) {
      e.preventDefault();
      onOpenLadder(selected);
    }
  };

  return (
    <div className="table-wrap">
      {head}
      {total !== undefined && total > conversations.length && <TruncationNotice shown={conversations.length} total={total} limited={limit?.value === true} />}
      <table className="data-table conversations" aria-label="Conversations">
        <thead>
          <tr>
            {columns.map((col) => (
              <th
                key={col.key}
                className={col.className}
                title={col.title}
                aria-sort={sort.key === col.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
                data-testid={`sort-${col.key}`}
                onClick={() => setSort((s) => ({ key: col.key, dir: s.key === col.key ? ((-s.dir) as 1 | -1) : 1 }))}
              >
                {col.label}
                <span className="sort-mark">{sort.key === col.key ? (sort.dir === 1 ? '▲' : '▼') : ''}</span>
              </th>
            ))}
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody tabIndex={0} onKeyDown={onKeyDown}>
          {sorted.map((c) => (
            <Fragment key={c.id}>
            <tr
              className={c.id === selected ? 'selected' : ''}
              aria-selected={c.id === selected}
              data-testid="conversation-row"
              data-conversation={c.id}
              onClick={() => onSelect(c.id)}
              onDoubleClick={() => onOpenLadder(c.id)}
            >
              <td className="num">{c.stream}</td>
              <td>{c.protocol}</td>
              <td className="mono">{endpoint(c.client)}</td>
              <td className="mono">{endpoint(c.server)}</td>
              <td className="num">
                {count(c.packets[0])} / {count(c.packets[1])}
              </td>
              <td className="num">
                {bytes(c.bytes[0])} / {bytes(c.bytes[1])}
              </td>
              <td className="num">{c.start.toFixed(6)}</td>
              <td className="num">{duration(c.duration)}</td>
              <td className="num">{duration(c.initialRtt)}</td>
              <td>{c.tls?.version ?? ''}</td>
              <td className="ellipsis" title={c.tls === null ? undefined : [c.tls.sni, c.tls.cipher, c.tls.alpn].filter(Boolean).join(' · ')}>
                {c.tls === null ? '' : (
                  <>
                    {c.tls.sni !== '' && <span className="mono">{c.tls.sni}</span>}
                    {c.tls.resumed && <span className="chip">resumed</span>}
                    {c.tls.cipher !== '' && <span className="sub">{c.tls.cipher}</span>}
                  </>
                )}
                {c.http2 !== null && (
                  <span className="chip h2-chip" title={`${c.http2.requests} requests, ${c.http2.responses} responses${c.http2.goaway !== null ? `, GOAWAY ${c.http2.goaway}` : ''}`}>
                    HTTP/2 · {c.http2.streams} streams{c.http2.resets > 0 ? ` · ${c.http2.resets} reset` : ''}
                  </span>
                )}
              </td>
              <td data-testid="conversation-decryption">{c.decryption !== null && <span className={`chip decryption-${c.decryption.replace(' ', '-')}`}>{c.decryption}</span>}</td>
              <td className="ellipsis" title={c.httpFirstRequest ?? undefined}>
                {c.httpTransactions > 0 && (
                  <>
                    {count(c.httpTransactions)}
                    {c.httpFirstRequest !== null && <span className="sub mono"> {c.httpFirstRequest}</span>}
                  </>
                )}
              </td>
              <td>
                <VerdictBadge c={c} />
                {c.flags.map((f) => (
                  <span key={f} className={`chip flag-${f}`}>
                    {f}
                  </span>
                ))}
              </td>
              <td className="actions">
                <button className="link-button" onClick={(e) => (e.stopPropagation(), onOpenLadder(c.id))} data-testid="open-ladder">
                  Ladder
                </button>
                {c.tls !== null && (
                  <button className="link-button" title="TLS records of this conversation" onClick={(e) => (e.stopPropagation(), onOpenTls(c.id))} data-testid="open-tls">
                    TLS
                  </button>
                )}
                {c.protocol === 'TCP' && onFollow !== undefined && (
                  <button className="link-button" title="Follow this conversation's stream" onClick={(e) => (e.stopPropagation(), onFollow(c.id))} data-testid="open-follow">
                    Follow
                  </button>
                )}
                {c.http2 !== null && session !== undefined && (
                  <button
                    className="link-button"
                    aria-expanded={unfolded.has(c.id)}
                    title="HTTP/2 streams of this connection"
                    onClick={(e) => (e.stopPropagation(), toggle(c.id))}
                    data-testid="toggle-http2-streams"
                  >
                    {unfolded.has(c.id) ? '▾' : '▸'} Streams
                  </button>
                )}
              </td>
            </tr>
            {c.http2 !== null && session !== undefined && unfolded.has(c.id) && (
              <tr className="h2-streams-row">
                <td colSpan={columns.length + 1}>
                  <Http2StreamsPanel session={session} conversation={c.id} onGoToPacket={(p) => onGoToPacket?.(p)} />
                </td>
              </tr>
            )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function VerdictBadge({ c }: { c: ConversationDto }) {
  if (c.verdict === null) {
    return c.handshake === 'unknown' || c.handshake === 'n/a' ? null : <span className="badge neutral">{c.handshake}</span>;
  }
  return (
    <span className={`badge ${c.verdict.status}`} title={[c.verdict.reason, ...c.verdict.findings.map((f) => `• ${f}`)].join('\n')} data-testid="verdict-badge">
      {c.verdict.status}
    </span>
  );
}

/** The engine sent the first `shown` of `total` conversations: say so, and how to reach the others. */
export function TruncationNotice({ shown, total, limited }: { shown: number; total: number; limited: boolean }) {
  return (
    <Banner tone="info">
      <span data-testid="conversations-truncated">
        Showing the first {count(shown)} of {count(total)} conversations (sorting applies to these).{' '}
        {limited ? 'Narrow the display filter to see others.' : 'Apply a display filter and tick “Limit to display filter” to see others.'}
      </span>
    </Banner>
  );
}
