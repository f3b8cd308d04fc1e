// The packet list: virtualised rows (only those on screen are fetched), Wireshark-like colouring,
// keyboard navigation, and following new rows during a live capture.

import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { PacketRow } from '../../../shared/api';
import { useClient } from '../state/client-context';
import { seconds } from '../state/format';
import { RowCache } from '../state/row-cache';

export const ROW_HEIGHT = 20;

export interface ListSelection {
  /** Position in the displayed (filtered) list. */
  index: number;
  /** Frame number, once the row is known. */
  packet: number | null;
}

interface Props {
  session: string;
  /** Displayed rows (after the display filter). */
  total: number;
  /** Changes whenever the displayed list is replaced (a new filter). */
  generation: number;
  selection: ListSelection | null;
  onSelect(sel: ListSelection): void;
  /** Keep the newest row in view (live capture) while the user is at the bottom. */
  follow: boolean;
  /** Frames to mark (the packets of a hovered ladder step). */
  marked?: ReadonlySet<number>;
}

const columns = ['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info'] as const;

export function PacketList({ session, total, generation, selection, onSelect, follow, marked }: Props) {
  const client = useClient();
  const cache = useMemo(
    () => new RowCache((start, count) => client.call('rows', { session, start, count }), total),
    // A new cache per session and per filter (generation); growth alone only updates the total.
    [client, session, generation],
  );
  useEffect(() => () => cache.dispose(), [cache]);
  useEffect(() => cache.setTotal(total), [cache, total]);
  const version = useSyncExternalStore(
    (fn) => cache.subscribe(fn),
    () => cache.version,
  );

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.length > 0 ? items[items.length - 1]!.index + 1 : 0;
  useEffect(() => cache.request(first, last), [cache, first, last, total]);

  // Once the selected row arrives, tell the owner its frame number (keyboard moves past loaded rows).
  useEffect(() => {
    if (selection === null || selection.packet !== null) return;
    const row = cache.get(selection.index);
    if (row !== undefined) onSelect({ index: selection.index, packet: row.number });
  }, [cache, selection, onSelect, version]);

  // Keep the selected row in view when the selection comes from elsewhere (a ladder step, a TLS record).
  const selectedIndex = selection?.index ?? -1;
  useEffect(() => {
    if (selectedIndex >= 0 && selectedIndex < total) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]); // not on `total`: growth alone must not jump back to the selection

  // Follow the tail while capturing, unless the user scrolled up.
  const atBottom = useRef(true);
  useEffect(() => {
    if (follow && atBottom.current && total > 0) virtualizer.scrollToIndex(total - 1, { align: 'end' });
  }, [follow, total, virtualizer]);

  const [focused, setFocused] = useState(false);

  const move = (index: number): void => {
    if (total === 0) return;
    const i = Math.max(0, Math.min(total - 1, index));
    onSelect({ index: i, packet: cache.get(i)?.number ?? null });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const cur = selection?.index ?? -1;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 20) / ROW_HEIGHT) - 1);
    const target: Record<string, number> = {
      ArrowDown: cur + 1,
      ArrowUp: cur < 0 ? 0 : cur - 1,
      PageDown: cur + page,
      PageUp: cur - page,
      Home: 0,
      End: total - 1,
    };
    const next = target[e.key];
    if (next === undefined) return;
    e.preventDefault();
    move(next);
  };

  return (
    <div className="packet-list" role="grid" aria-rowcount={total} aria-label="Packets">
      <div className="pl-row pl-head" role="row">
        {columns.map((c) => (
          <div key={c} role="columnheader" className={`pl-cell pl-${c === 'No.' ? 'no' : c.toLowerCase()}`}>
            {c}
          </div>
        ))}
      </div>
      <div
        ref={scrollRef}
        className={`pl-body${focused ? ' focused' : ''}`}
        tabIndex={0}
        data-testid="packet-list"
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT * 2;
        }}
      >
        <div className="pl-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((vi) => {
            const row = cache.get(vi.index);
            const selected = selection?.index === vi.index;
            return row === undefined ? (
              <div key={vi.key} className="pl-row pl-pending" style={{ transform: `translateY(${vi.start}px)` }} aria-busy="true">
                <div className="pl-cell pl-no">{vi.index + 1}</div>
              </div>
            ) : (
              <Row
                key={vi.key}
                row={row}
                top={vi.start}
                index={vi.index}
                selected={selected}
                marked={marked?.has(row.number) ?? false}
                onClick={() => onSelect({ index: vi.index, packet: row.number })}
              />
            );
          })}
        </div>
        {cache.error !== null && <div className="pl-error">Rows could not be read: {cache.error}</div>}
      </div>
    </div>
  );
}

function Row({ row, top, index, selected, marked, onClick }: { row: PacketRow; top: number; index: number; selected: boolean; marked: boolean; onClick(): void }) {
  return (
    <div
      className={`pl-row c-${row.colour}${selected ? ' selected' : ''}${marked ? ' marked' : ''}`}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      data-testid="packet-row"
      data-packet={row.number}
      data-colour={row.colour}
      style={{ transform: `translateY(${top}px)` }}
      onMouseDown={onClick}
    >
      <div className="pl-cell pl-no">
        {row.number}
        {row.comment && <span className="pl-comment" title="Has a comment" aria-label="has a comment" />}
      </div>
      <div className="pl-cell pl-time">{seconds(row.time)}</div>
      <div className="pl-cell pl-source" title={row.source}>
        {row.source}
      </div>
      <div className="pl-cell pl-destination" title={row.destination}>
        {row.destination}
      </div>
      <div className="pl-cell pl-protocol">{row.protocol}</div>
      <div className="pl-cell pl-length">{row.length}</div>
      <div className="pl-cell pl-info" title={row.info}>
        {row.info}
      </div>
    </div>
  );
}

