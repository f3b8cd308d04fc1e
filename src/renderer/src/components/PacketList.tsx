// The packet list: virtualised rows (only those on screen are fetched), Wireshark-like colouring,
// keyboard navigation, and following new rows during a live capture. Columns are configurable:
// click a header to sort (in the engine), drag its edge to resize, drag it to reorder.

import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { PacketRow, SortDto } from '../../../shared/api';
import { useClient } from '../state/client-context';
import { cellText, customFields, defaultColumns, isNumericColumn, MIN_WIDTH, sortKey, type ColumnSpec } from '../state/columns';
import { RowCache } from '../state/row-cache';
import { lastFirstRow, MAX_CANVAS_PX, needsScaling, rowAtTop, scaledGeometry, topOfRow } from '../state/scaled-list';
import type { TimeFormat, TimePrecision } from '../state/time-format';

export const ROW_HEIGHT = 20;
/** The No. column's cell padding and the width of a digit in the list's font. */
const NUMBER_PADDING = 20;
const DIGIT_WIDTH = 7.6;

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
  /** The capture's packets: the No. column is at least wide enough for the largest frame number. */
  packets?: number;
  /** Changes whenever the displayed list is replaced (a new filter, a new sort, new marks). */
  generation: number;
  selection: ListSelection | null;
  onSelect(sel: ListSelection): void;
  /** Keep the newest row in view (live capture) while the user is at the bottom. */
  follow: boolean;
  /** Frames to highlight (the packets of a hovered ladder step). */
  marked?: ReadonlySet<number>;
  /** The columns in their order (hidden ones included); default: Wireshark's seven. */
  columns?: readonly ColumnSpec[];
  timeFormat?: TimeFormat;
  timePrecision?: TimePrecision;
  /** The engine's sort of the list (null: frame order). */
  sort?: SortDto | null;
  onSort?(sort: SortDto | null): void;
  onColumns?(columns: ColumnSpec[]): void;
  /** Right-click on a row (after it is selected) or on a header. */
  onRowMenu?(row: PacketRow, column: ColumnSpec, at: { x: number; y: number }): void;
  onHeaderMenu?(column: ColumnSpec, at: { x: number; y: number }): void;
  /** Fields whose custom columns are right-aligned (numbers). */
  numericFields?: ReadonlySet<string>;
}

export function PacketList(props: Props) {
  const { session, total, generation, selection, onSelect, follow, marked } = props;
  const client = useClient();
  const allColumns = props.columns ?? defaultColumns;
  const columns = useMemo(() => allColumns.filter((c) => c.hidden !== true), [allColumns]);
  const fields = useMemo(() => customFields(allColumns), [allColumns]);
  const fieldsKey = fields.join('\n');
  const time = { format: props.timeFormat ?? 'relative', precision: props.timePrecision ?? 'auto' } as const;
  const cache = useMemo(
    () => new RowCache((start, count) => client.call('rows', fields.length > 0 ? { session, start, count, columns: fields } : { session, start, count }), total),
    // A new cache per session, per displayed list (generation) and per set of custom columns;
    // growth alone only updates the total.
    [client, session, generation, fieldsKey],
  );
  useEffect(() => () => cache.dispose(), [cache]);
  useEffect(() => cache.setTotal(total), [cache, total]);
  const version = useSyncExternalStore(
    (fn) => cache.subscribe(fn),
    () => cache.version,
  );

  const scrollRef = useRef<HTMLDivElement>(null);
  // Past Chromium's layout limit (1.68M rows) the list scrolls a scaled canvas (state/scaled-list)
  // instead of the virtualiser, which needs a canvas as tall as all its rows.
  const scaled = needsScaling(total, ROW_HEIGHT);
  const virtualizer = useVirtualizer({
    count: scaled ? 0 : total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const [viewport, setViewport] = useState(ROW_HEIGHT * 20);
  useEffect(() => {
    const el = scrollRef.current;
    if (el === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight || ROW_HEIGHT * 20));
    observer.observe(el);
    setViewport(el.clientHeight || ROW_HEIGHT * 20);
    return () => observer.disconnect();
  }, []);
  const geometry = scaledGeometry(total, ROW_HEIGHT, viewport);
  /** The scaled list's first row and the canvas position it is drawn from. */
  const [view, setView] = useState({ first: 0, top: 0 });
  /** A scroll position this list set itself: its scroll event keeps the row it was set for. */
  const ownTop = useRef<number | null>(null);
  const scaledFirst = Math.min(view.first, lastFirstRow(geometry));
  const showScaledRow = (first: number): void => {
    const el = scrollRef.current;
    const f = Math.min(lastFirstRow(geometry), Math.max(0, first));
    const top = topOfRow(geometry, f);
    setView({ first: f, top });
    if (el !== null) {
      el.scrollTop = top;
      ownTop.current = el.scrollTop;
    }
  };
  const items = scaled
    ? Array.from({ length: Math.max(0, Math.min(geometry.visible + 1, total - scaledFirst)) }, (_, k) => ({
        index: scaledFirst + k,
        key: scaledFirst + k,
        start: view.top + k * ROW_HEIGHT,
      }))
    : virtualizer.getVirtualItems();
  const first = scaled ? Math.max(0, scaledFirst - 20) : (items[0]?.index ?? 0);
  const last = scaled ? Math.min(total, scaledFirst + geometry.visible + 21) : items.length > 0 ? items[items.length - 1]!.index + 1 : 0;
  useEffect(() => cache.request(first, last), [cache, first, last, total]);

  // The wheel moves a scaled list by rows (natively it would move by canvas pixels, many rows each).
  const wheelRows = useRef(0);
  const scaledRef = useRef({ scaled, first: scaledFirst, show: showScaledRow });
  scaledRef.current = { scaled, first: scaledFirst, show: showScaledRow };
  useEffect(() => {
    const el = scrollRef.current;
    if (el === null) return;
    const onWheel = (e: WheelEvent): void => {
      const cur = scaledRef.current;
      if (!cur.scaled || e.deltaY === 0) return;
      e.preventDefault();
      wheelRows.current += e.deltaMode === 1 ? e.deltaY : e.deltaMode === 2 ? e.deltaY * geometry.visible : e.deltaY / ROW_HEIGHT;
      const step = Math.trunc(wheelRows.current);
      if (step === 0) return;
      wheelRows.current -= step;
      cur.show(cur.first + step);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [geometry.visible]);

  // Once the selected row arrives, tell the owner its frame number (keyboard moves past loaded rows).
  useEffect(() => {
    if (selection === null || selection.packet !== null) return;
    const row = cache.get(selection.index);
    if (row !== undefined) onSelect({ index: selection.index, packet: row.number });
  }, [cache, selection, onSelect, version]);

  // Keep the selected row in view when the selection comes from elsewhere (a ladder step, Go to packet).
  const selectedIndex = selection?.index ?? -1;
  useEffect(() => {
    if (selectedIndex < 0 || selectedIndex >= total) return;
    if (!scaledRef.current.scaled) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
    else if (selectedIndex < scaledRef.current.first) scaledRef.current.show(selectedIndex);
    else if (selectedIndex >= scaledRef.current.first + geometry.visible) scaledRef.current.show(selectedIndex - geometry.visible + 1);
  }, [selectedIndex, virtualizer, cache, scaled]); // not on `total`: growth alone must not jump back to the selection

  // Follow the tail while capturing, unless the user scrolled up. The list's own position is read
  // too: a scroll up whose scroll event has not been dispatched yet when rows arrive must not be
  // undone by jumping back to the tail.
  const atBottom = useRef(true);
  const lastTop = useRef(0);
  useEffect(() => {
    const el = scrollRef.current;
    if (el !== null && el.scrollTop < lastTop.current - ROW_HEIGHT) atBottom.current = false;
    if (follow && atBottom.current && total > 0) {
      if (scaled) showScaledRow(lastFirstRow(geometry));
      else virtualizer.scrollToIndex(total - 1, { align: 'end' });
    }
  }, [follow, total, virtualizer]);

  const [focused, setFocused] = useState(false);

  const move = (index: number): void => {
    if (total === 0) return;
    const i = Math.max(0, Math.min(total - 1, index));
    onSelect({ index: i, packet: cache.get(i)?.number ?? null });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.altKey || e.metaKey) return;
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

  // Column widths as a grid: every column its width, the last visible one takes the rest.
  // (No. widens for seven-digit and longer frame numbers, as Wireshark sizes it to its contents.)
  const numberWidth = NUMBER_PADDING + String(Math.max(total, props.packets ?? 0)).length * DIGIT_WIDTH;
  const width = (c: ColumnSpec): number => (c.kind === 'number' ? Math.max(c.width, numberWidth) : c.width);
  const template = columns.map((c, i) => (i === columns.length - 1 ? `minmax(${width(c)}px, 1fr)` : `${width(c)}px`)).join(' ');
  const minWidth = columns.reduce((w, c) => w + width(c), 0);

  const setColumns = (next: ColumnSpec[]): void => props.onColumns?.(next);
  const resize = (id: string, width: number): void => setColumns(allColumns.map((c) => (c.id === id ? { ...c, width: Math.max(MIN_WIDTH, Math.round(width)) } : c)));
  const reorder = (from: string, to: string): void => {
    if (from === to) return;
    const list = [...allColumns];
    const moved = list.splice(list.findIndex((c) => c.id === from), 1)[0]!;
    list.splice(list.findIndex((c) => c.id === to), 0, moved);
    setColumns(list);
  };
  // The sort last asked for, until the engine's answer arrives: a quick second click goes on
  // from it (ascending → descending) rather than from the sort still shown.
  const requested = useRef<SortDto | null | undefined>(undefined);
  useEffect(() => {
    requested.current = undefined;
  }, [props.sort]);
  const onHeaderClick = (c: ColumnSpec): void => {
    const key = sortKey(c, time.format);
    const cur = requested.current !== undefined ? requested.current : (props.sort ?? null);
    const same = cur !== null && cur.column === key.column && cur.field === key.field;
    // Ascending, then descending, then frame order again.
    const next = !same ? { ...key, descending: false } : !cur.descending ? { ...key, descending: true } : null;
    requested.current = next;
    props.onSort?.(next);
  };

  return (
    <div className="packet-list" role="grid" aria-rowcount={total} aria-label="Packets">
      <div className="pl-scroll-x">
        <div className="pl-row pl-head" role="row" style={{ gridTemplateColumns: template, minWidth }} data-testid="packet-list-head">
          {columns.map((c) => (
            <HeaderCell
              key={c.id}
              column={c}
              numeric={isNumericColumn(c, props.numericFields)}
              sorted={sortState(c, props.sort ?? null, time.format)}
              onClick={() => onHeaderClick(c)}
              onMenu={(e) => {
                e.preventDefault();
                props.onHeaderMenu?.(c, { x: e.clientX, y: e.clientY });
              }}
              onResize={(w) => resize(c.id, w)}
              onDropColumn={(from) => reorder(from, c.id)}
            />
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
            lastTop.current = el.scrollTop;
            if (!scaled) return;
            // The scrollbar (or a key the browser scrolls by) moved the canvas: the first row follows it.
            if (ownTop.current !== null && Math.abs(el.scrollTop - ownTop.current) < 1) return;
            ownTop.current = null;
            setView({ first: rowAtTop(geometry, el.scrollTop), top: el.scrollTop });
          }}
        >
          <div className="pl-canvas" style={{ height: scaled ? Math.min(MAX_CANVAS_PX, total * ROW_HEIGHT) : virtualizer.getTotalSize(), minWidth }}>
            {items.map((vi) => {
              const row = cache.get(vi.index);
              const selected = selection?.index === vi.index;
              return row === undefined ? (
                <div key={vi.key} className="pl-row pl-pending" style={{ transform: `translateY(${vi.start}px)`, gridTemplateColumns: template, minWidth }} aria-busy="true">
                  <div className="pl-cell pl-number">{vi.index + 1}</div>
                </div>
              ) : (
                <Row
                  key={vi.key}
                  row={row}
                  top={vi.start}
                  index={vi.index}
                  columns={columns}
                  fields={fields}
                  numericFields={props.numericFields}
                  time={time}
                  template={template}
                  minWidth={minWidth}
                  selected={selected}
                  highlighted={marked?.has(row.number) ?? false}
                  onClick={() => onSelect({ index: vi.index, packet: row.number })}
                  onMenu={(column, at) => {
                    onSelect({ index: vi.index, packet: row.number });
                    props.onRowMenu?.(row, column, at);
                  }}
                />
              );
            })}
          </div>
          {cache.error !== null && <div className="pl-error">Rows could not be read: {cache.error}</div>}
        </div>
      </div>
    </div>
  );
}

function sortState(c: ColumnSpec, sort: SortDto | null, timeFormat: TimeFormat): 'ascending' | 'descending' | 'none' {
  if (sort === null) return 'none';
  const key = sortKey(c, timeFormat);
  if (key.column !== sort.column || key.field !== sort.field) return 'none';
  return sort.descending ? 'descending' : 'ascending';
}

function HeaderCell({
  column,
  numeric,
  sorted,
  onClick,
  onMenu,
  onResize,
  onDropColumn,
}: {
  column: ColumnSpec;
  numeric: boolean;
  sorted: 'ascending' | 'descending' | 'none';
  onClick(): void;
  onMenu(e: ReactMouseEvent): void;
  onResize(width: number): void;
  onDropColumn(from: string): void;
}) {
  const cell = useRef<HTMLDivElement>(null);
  const [dropTarget, setDropTarget] = useState(false);
  const startResize = (e: React.PointerEvent<HTMLDivElement>): void => {
    e.preventDefault();
    e.stopPropagation();
    // Grow by how far the pointer moved, wherever on the handle it was pressed.
    const width = cell.current?.getBoundingClientRect().width ?? 0;
    const move = (ev: PointerEvent): void => onResize(width + ev.clientX - e.clientX);
    const up = (): void => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  return (
    <div
      ref={cell}
      role="columnheader"
      aria-sort={sorted}
      className={`pl-cell pl-${column.kind}${numeric ? ' num' : ''}${dropTarget ? ' drop-target' : ''}`}
      title={column.kind === 'field' ? `${column.title} (${column.field})` : column.title}
      data-testid="column-header"
      data-column={column.id}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData('application/x-wireladder-column', column.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('application/x-wireladder-column')) {
          e.preventDefault();
          setDropTarget(true);
        }
      }}
      onDragLeave={() => setDropTarget(false)}
      onDrop={(e) => {
        setDropTarget(false);
        const from = e.dataTransfer.getData('application/x-wireladder-column');
        if (from !== '') onDropColumn(from);
      }}
      onClick={onClick}
      onContextMenu={onMenu}
    >
      <span className="pl-title">{column.title}</span>
      {sorted !== 'none' && <span className="sort-mark">{sorted === 'ascending' ? '▲' : '▼'}</span>}
      <div className="pl-resize" role="separator" aria-orientation="vertical" aria-label={`Resize ${column.title}`} onPointerDown={startResize} onClick={(e) => e.stopPropagation()} data-testid="column-resize" />
    </div>
  );
}

function Row({
  row,
  top,
  index,
  columns,
  fields,
  numericFields,
  time,
  template,
  minWidth,
  selected,
  highlighted,
  onClick,
  onMenu,
}: {
  row: PacketRow;
  top: number;
  index: number;
  columns: readonly ColumnSpec[];
  fields: readonly string[];
  numericFields: ReadonlySet<string> | undefined;
  time: { format: TimeFormat; precision: TimePrecision };
  template: string;
  minWidth: number;
  selected: boolean;
  highlighted: boolean;
  onClick(): void;
  onMenu(column: ColumnSpec, at: { x: number; y: number }): void;
}) {
  const flags = `${selected ? ' selected' : ''}${highlighted ? ' marked' : ''}${row.marked ? ' ws-marked' : ''}${row.ignored ? ' ws-ignored' : ''}${row.timeRef ? ' ws-ref' : ''}`;
  return (
    <div
      className={`pl-row c-${row.colour}${flags}`}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      data-testid="packet-row"
      data-packet={row.number}
      data-colour={row.colour}
      data-marked={row.marked ? 'true' : undefined}
      data-ignored={row.ignored ? 'true' : undefined}
      style={{ transform: `translateY(${top}px)`, gridTemplateColumns: template, minWidth }}
      onMouseDown={(e) => {
        if (e.button === 0) onClick();
      }}
      onContextMenu={(e) => {
        e.preventDefault();
        const id = (e.target as HTMLElement).closest<HTMLElement>('[data-column]')?.dataset['column'];
        onMenu(columns.find((c) => c.id === id) ?? columns[0]!, { x: e.clientX, y: e.clientY });
      }}
    >
      {columns.map((c) => {
        const text = cellText(c, row, fields, time);
        return (
          <div key={c.id} className={`pl-cell pl-${c.kind}${isNumericColumn(c, numericFields) ? ' num' : ''}`} data-column={c.id} title={c.kind === 'info' || c.kind === 'field' || c.kind === 'source' || c.kind === 'destination' ? text : undefined}>
            {text}
            {c.kind === 'number' && row.comment && <span className="pl-comment" title="Has a comment" aria-label="has a comment" />}
          </div>
        );
      })}
    </div>
  );
}
