// Conversations (TCP/UDP 5-tuples) with handshake verdicts: every one of them, sorted by the engine
// and fetched page by page into a virtualised table; Enter or double-click opens the ladder; an
// HTTP/2 connection unfolds into its streams.

import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ConversationDto, ConversationListDto, ConversationSortDto, ConversationSortKey } from '../../../shared/api';
import { EmptyState } from '../components/Notice';
import { useClient } from '../state/client-context';
import { RowCache } from '../state/row-cache';
import { bytes, count, duration, endpoint } from '../state/format';
import { LimitToggle } from './EndpointsView';
import { Http2StreamsPanel } from './Http2StreamsPanel';

/** Height of a row (an unfolded HTTP/2 connection is measured taller). */
export const ROW_HEIGHT = 27;
/** The last column's buttons: Ladder, TLS, Follow and an HTTP/2 connection's ▸ Streams. */
const ACTIONS_WIDTH = 200;

interface Props {
  /** The session, whose conversation table the view pages through. */
  session: string;
  /**
   * The table as the app last fetched it (null while a file loads): its total is the table's
   * length, and a new answer (the load ended, a live capture grew, the filter changed under the
   * limit) makes the view fetch its rows again.
   */
  list: ConversationListDto | null;
  /** While a file loads: the count of conversations so far. */
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

interface Column {
  key: ConversationSortKey;
  label: string;
  title?: string;
  className?: string;
  /** Pixels (the table's layout is fixed: widths do not jump as other rows scroll in); none: the rest. */
  width?: number;
}

// The engine sorts by these (conversation-order.ts): numbers as numbers, texts as the 'en' numeric collation.
const columns: Column[] = [
  { key: 'stream', label: 'Stream', className: 'num', width: 60 },
  { key: 'protocol', label: 'Proto', width: 48 },
  { key: 'client', label: 'Client', width: 160 },
  { key: 'server', label: 'Server', width: 160 },
  { key: 'packets', label: 'Packets →/←', className: 'num', width: 92 },
  { key: 'bytes', label: 'Bytes →/←', className: 'num', width: 132 },
  { key: 'start', label: 'Start', className: 'num', width: 88 },
  { key: 'duration', label: 'Duration', className: 'num', width: 80 },
  { key: 'rtt', label: 'RTT', title: 'Initial round-trip time (SYN → SYN/ACK)', className: 'num', width: 76 },
  { key: 'tls', label: 'TLS', width: 60 },
  { key: 'sni', label: 'SNI / cipher' },
  { key: 'decryption', label: 'Decryption', title: 'TLS decryption with the loaded keys (Keys…)', width: 88 },
  { key: 'http', label: 'HTTP', title: 'HTTP transactions, also inside decrypted TLS', width: 60 },
  { key: 'verdict', label: 'Verdict', width: 116 },
];

export function ConversationsView(props: Props) {
  const { list, total, error, loading, limit } = props;
  if (error !== null) return <EmptyState title="Conversations are not available" tone="error">{error}</EmptyState>;
  if (list === null) {
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
  if (list.total === 0) {
    return (
      <>
        {head}
        <EmptyState title="No TCP or UDP conversations">
          {loading ? 'The capture is still loading.' : limit?.value === true && limit.filter !== '' ? 'None has a packet the display filter shows.' : 'This capture has no TCP or UDP traffic.'}
        </EmptyState>
      </>
    );
  }
  return (
    <div className="conversations-view">
      {head}
      <ConversationTable {...props} list={list} />
    </div>
  );
}

/**
 * The table itself, virtualised: the engine sorts all conversations (a click on a header asks it)
 * and the rows on screen are fetched page by page as the user scrolls.
 */
function ConversationTable({ session, list, selected, onSelect, onOpenLadder, onOpenTls, onGoToPacket, onFollow, limit }: Props & { list: ConversationListDto }) {
  const client = useClient();
  const [sort, setSort] = useState<ConversationSortDto>({ key: 'stream', descending: false });
  const limited = limit?.value === true;
  const total = list.total;
  const cache = useMemo(
    () =>
      new RowCache<ConversationDto>(
        (offset, n) => client.call('conversations', { session, sort, offset, count: n, ...(limited ? { limitToDisplay: true } : {}) }).then((page) => ({ rows: page.conversations, total: page.total })),
        total,
      ),
    // A new cache per order and per answer of the app (the table changed); `total` comes with the answer.
    [client, session, sort, limited, list],
  );
  useEffect(() => () => cache.dispose(), [cache]);
  useSyncExternalStore(
    (fn) => cache.subscribe(fn),
    () => cache.version,
  );

  const [unfolded, setUnfolded] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number): void =>
    setUnfolded((u) => {
      const next = new Set(u);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const scrollRef = useRef<HTMLDivElement>(null);
  // The rows start below the header, which scrolls with them (sticky): its height is the list's margin.
  const headRef = useRef<HTMLTableSectionElement>(null);
  const [headHeight, setHeadHeight] = useState(0);
  useEffect(() => setHeadHeight(headRef.current?.offsetHeight ?? 0), []);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: headHeight,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.length > 0 ? items[items.length - 1]!.index + 1 : 0;
  useEffect(() => cache.request(first, last), [cache, first, last]);

  // The selected conversation's row in this order (the cursor of ↑/↓): found by the engine when
  // the selection comes from elsewhere (the packet list, the ladder) or the order changed, then
  // kept in view; the table's own clicks and keys know their row.
  const [cursor, setCursor] = useState(-1);
  const placed = useRef<{ cache: RowCache<ConversationDto>; id: number | null } | null>(null);
  /** The row a key moved to before it was fetched (−1: none). */
  const pending = useRef(-1);
  /** Counts the placements: an engine answer that a newer one (or a click, a key) overtook is dropped. */
  const placing = useRef(0);
  const choose = (i: number, id: number): void => {
    placed.current = { cache, id };
    placing.current++;
    setCursor(i);
    onSelect(id);
  };
  useEffect(() => {
    if (placed.current?.cache === cache && placed.current.id === selected) return;
    placed.current = { cache, id: selected };
    pending.current = -1;
    const ticket = ++placing.current;
    if (selected === null) return setCursor(-1);
    client.call('conversationIndexOf', { session, conversation: selected, sort, ...(limited ? { limitToDisplay: true } : {}) }).then(
      (i) => {
        if (ticket !== placing.current) return;
        setCursor(i);
        if (i >= 0) virtualizer.scrollToIndex(i, { align: 'auto' });
      },
      () => undefined,
    );
  }, [client, session, sort, limited, cache, selected, virtualizer]);
  // A key that moved to a row not fetched yet selects it once it arrives.
  const arrived = pending.current >= 0 ? cache.get(pending.current) : undefined;
  useEffect(() => {
    if (arrived === undefined || pending.current < 0) return;
    const i = pending.current;
    pending.current = -1;
    choose(i, arrived.id);
  });

  const move = (i: number): void => {
    const next = Math.max(0, Math.min(total - 1, i));
    virtualizer.scrollToIndex(next, { align: 'auto' });
    const row = cache.get(next);
    if (row !== undefined) return choose(next, row.id);
    pending.current = next;
    setCursor(next);
    cache.request(next, next + 1);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 20) / ROW_HEIGHT) - 1);
    const target: Record<string, number> = { ArrowDown: cursor + 1, ArrowUp: cursor < 0 ? 0 : cursor - 1, PageDown: cursor + page, PageUp: cursor - page, Home: 0, End: total - 1 };
    if (e.key === 'Enter' && selected !== null) {
      e.preventDefault();
      onOpenLadder(selected);
      return;
    }
    const next = target[e.key];
    if (next === undefined) return;
    e.preventDefault();
    move(next);
  };

  const padTop = items.length > 0 ? items[0]!.start - headHeight : 0;
  const padBottom = items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]!.end - headHeight) : 0;
  const span = columns.length + 1;
  return (
    <div className="table-wrap" ref={scrollRef} tabIndex={0} onKeyDown={onKeyDown} data-testid="conversations-table" data-cursor={cursor} aria-rowcount={total}>
      <table className="data-table conversations" aria-label="Conversations">
        <colgroup>
          {columns.map((col) => (
            <col key={col.key} style={col.width === undefined ? undefined : { width: col.width }} />
          ))}
          <col style={{ width: ACTIONS_WIDTH }} />
        </colgroup>
        <thead ref={headRef}>
          <tr>
            {columns.map((col) => (
              <th
                key={col.key}
                className={col.className}
                title={col.title}
                aria-sort={sort.key === col.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                data-testid={`sort-${col.key}`}
                onClick={() => setSort((s) => ({ key: col.key, descending: s.key === col.key ? !s.descending : false }))}
              >
                {col.label}
                <span className="sort-mark">{sort.key === col.key ? (sort.descending ? '▼' : '▲') : ''}</span>
              </th>
            ))}
            <th aria-label="Actions" />
          </tr>
        </thead>
        {padTop > 0 && <Spacer height={padTop} span={span} />}
        {items.map((item) => {
          const c = cache.get(item.index);
          // One tbody per conversation: measured as one item, with its unfolded HTTP/2 streams.
          return (
            <tbody key={item.key} data-index={item.index} ref={virtualizer.measureElement}>
              {c === undefined ? (
                // Every row is ROW_HEIGHT tall, fetched or not, badges or not: the table does not
                // change height when rows arrive (a jump to the end stays at the end).
                <tr className="pending" aria-busy="true" style={{ height: ROW_HEIGHT }}>
                  <td colSpan={span}>&nbsp;</td>
                </tr>
              ) : (
                <>
                  <ConversationRow c={c} selected={c.id === selected} onSelect={(id) => choose(item.index, id)} onOpenLadder={onOpenLadder} onOpenTls={onOpenTls} onFollow={onFollow} unfolded={unfolded.has(c.id)} onToggle={toggle} />
                  {c.http2 !== null && unfolded.has(c.id) && (
                    <tr className="h2-streams-row">
                      <td colSpan={span}>
                        <Http2StreamsPanel session={session} conversation={c.id} onGoToPacket={(p) => onGoToPacket?.(p)} />
                      </td>
                    </tr>
                  )}
                </>
              )}
            </tbody>
          );
        })}
        {padBottom > 0 && <Spacer height={padBottom} span={span} />}
      </table>
      {cache.error !== null && <div className="table-error">{cache.error}</div>}
    </div>
  );
}

/** The rows above or below those on screen, as one tall empty row (the scrollbar's length). */
function Spacer({ height, span }: { height: number; span: number }) {
  return (
    <tbody aria-hidden="true">
      <tr className="spacer" style={{ height }}>
        <td colSpan={span} />
      </tr>
    </tbody>
  );
}

interface RowProps {
  c: ConversationDto;
  selected: boolean;
  onSelect(id: number): void;
  onOpenLadder(id: number): void;
  onOpenTls(id: number): void;
  onFollow?(id: number): void;
  unfolded: boolean;
  onToggle(id: number): void;
}

function ConversationRow({ c, selected, onSelect, onOpenLadder, onOpenTls, onFollow, unfolded, onToggle }: RowProps) {
  return (
    <tr
      className={selected ? 'selected' : ''}
      style={{ height: ROW_HEIGHT }}
      aria-selected={selected}
      data-testid="conversation-row"
      data-conversation={c.id}
      onClick={() => onSelect(c.id)}
      onDoubleClick={() => onOpenLadder(c.id)}
    >
      <td className="num">{c.stream}</td>
      <td>{c.protocol}</td>
      <td className="mono" title={endpoint(c.client)}>{endpoint(c.client)}</td>
      <td className="mono" title={endpoint(c.server)}>{endpoint(c.server)}</td>
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
          <span
            className="chip h2-chip"
            title={`HTTP/2: ${c.http2.streams} streams, ${c.http2.requests} requests, ${c.http2.responses} responses${c.http2.resets > 0 ? `, ${c.http2.resets} reset` : ''}${c.http2.goaway !== null ? `, GOAWAY ${c.http2.goaway}` : ''}`}
          >
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
        {c.http2 !== null && (
          <button className="link-button" aria-expanded={unfolded} title="HTTP/2 streams of this connection" onClick={(e) => (e.stopPropagation(), onToggle(c.id))} data-testid="toggle-http2-streams">
            {unfolded ? '▾' : '▸'} Streams
          </button>
        )}
      </td>
    </tr>
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
