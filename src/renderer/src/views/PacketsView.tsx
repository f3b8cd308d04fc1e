// The packets tab: list on top; below, the selected packet's layer stack and its bytes. Wireshark's
// habits live here: Go to packet (Ctrl+G), Find Packet (Ctrl+F), Mark / Ignore / Time Reference
// (Ctrl+M, Ctrl+D, Ctrl+T), Back / Forward (Alt+←/→), context menus on rows, tree items and column
// headers, sortable / resizable / reorderable columns with custom ones, and time display formats.

import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ConversationDto, FieldNodeDto, PacketDetail, PacketRow, SessionInfo, SortDto } from '../../../shared/api';
import { cellFilter, combineFilter, escapedString, hexDump, hexStream, printableText, summaryText, type FilterAction } from '../../../shared/filter-text';
import { ColumnEditor } from '../components/ColumnEditor';
import { ContextMenu, type MenuAt } from '../components/ContextMenu';
import { FindBar, type FindQuery } from '../components/FindBar';
import { GoToBar } from '../components/GoToBar';
import { HexView } from '../components/HexView';
import { LayerStack } from '../components/LayerStack';
import { EmptyState } from '../components/Notice';
import { PacketList, type ListSelection } from '../components/PacketList';
import { SplitPane } from '../components/SplitPane';
import { useClient } from '../state/client-context';
import { copyText } from '../state/clipboard';
import { cellColumn, cellText, customFields, defaultColumns, fieldColumn, isColumnList, MAX_CUSTOM, numericFieldTypes, type ColumnSpec } from '../state/columns';
import { ancestorKeys, fieldAt, layerKey, selectionOf, type FieldSelection, type LayerModel } from '../state/detail-model';
import { errorText } from '../state/format';
import { headerMenu, rowMenu, treeMenu, type MenuActions } from '../state/menus';
import { useStored } from '../state/stored';
import { isTimeFormat, isTimePrecision, type TimeFormat, type TimePrecision } from '../state/time-format';
import { base64ToBytes } from '../transport/download';
import type { SelectionHistory } from '../state/use-selection-history';

export interface PacketHabits {
  /** The Packets tab is shown (its keyboard shortcuts are live). */
  active: boolean;
  conversations: ConversationDto[] | null;
  /** Apply (or only prepare, in the filter box) a display filter. */
  onFilter(text: string, apply: boolean): void;
  /** Selects a packet by number; false when the display filter hides it. */
  goToPacket(packet: number): Promise<boolean>;
  onOpenLadder(conversation: number): void;
  onFollow(conversation: number, protocol: 'TCP' | 'UDP' | 'TLS'): void;
  onExportPackets(): void;
  notify(tone: 'info' | 'warning' | 'error', text: string): void;
  /** The rows changed in the engine (marks, sort): fetch them again. */
  onInvalidate(info: SessionInfo): void;
  history: SelectionHistory;
  /** Browser mode (some shortcuts are the browser's own). */
  browser: boolean;
}

interface Props {
  info: SessionInfo;
  generation: number;
  selection: ListSelection | null;
  onSelect(sel: ListSelection): void;
  layerModel: LayerModel;
  onLayerModel(m: LayerModel): void;
  marked: ReadonlySet<number>;
  habits?: PacketHabits;
}

/** Layers open by default; toggling a layer remembers it by protocol for the next packets. */
const defaultOpen = ['tcp', 'udp', 'tls', 'http', 'icmp', 'icmpv6', 'arp'];
const emptyFind: FindQuery = { by: 'filter', text: '', in: 'list', caseSensitive: false };
const isShare = (v: unknown): v is number => typeof v === 'number' && v > 0.05 && v < 0.95;

export function PacketsView({ info, generation, selection, onSelect, layerModel, onLayerModel, marked, habits }: Props) {
  const client = useClient();
  const packet = selection?.packet ?? null;
  const [detail, setDetail] = useState<PacketDetail | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [field, setField] = useState<FieldSelection | null>(null);
  const [openProtocols, setOpenProtocols] = useState<ReadonlySet<string>>(() => new Set(defaultOpen));
  const [openFields, setOpenFields] = useState<ReadonlySet<string>>(() => new Set());
  const [activeSource, setActiveSource] = useState(0);
  const [columns, setColumns] = useStored<ColumnSpec[]>('columns', defaultColumns, isColumnList);
  const [timeFormat, setTimeFormat] = useStored<TimeFormat>('time-format', 'relative', isTimeFormat);
  const [timePrecision, setTimePrecision] = useStored<TimePrecision>('time-precision', 'auto', isTimePrecision);
  const [listShare, setListShare] = useStored<number>('split.packets', 0.52, isShare);
  const [detailShare, setDetailShare] = useStored<number>('split.detail', 0.56, isShare);
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const [editing, setEditing] = useState<ColumnSpec | null>(null);
  const [bar, setBar] = useState<'find' | 'goto' | null>(null);
  const [barFocus, setBarFocus] = useState(0);
  const [find, setFind] = useState<FindQuery>(emptyFind);
  const [findBusy, setFindBusy] = useState(false);
  const [findMessage, setFindMessage] = useState<string | null>(null);
  /** After Find Packet: what to select in the packet once its detail arrives. */
  const [pendingFocus, setPendingFocus] = useState<{ packet: number; bytes: FieldSelection | null; label: string | null } | null>(null);
  const [fieldTypes, setFieldTypes] = useState<ReadonlyMap<string, string>>(() => new Map());
  const numericFields = useMemo(() => new Set([...fieldTypes].filter(([, t]) => numericFieldTypes.has(t)).map(([n]) => n)), [fieldTypes]);

  useEffect(() => {
    let alive = true;
    client.call('fieldCatalogue', {}).then(
      (c) => alive && setFieldTypes(new Map(c.fields.map((f) => [f.name, f.type] as const))),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [client]);

  // Fetch the detail of the selected packet, debounced so holding an arrow key stays smooth.
  useEffect(() => {
    if (packet === null) {
      setDetail(null);
      return;
    }
    let alive = true;
    const t = setTimeout(() => {
      client.call('packetDetail', { session: info.session, packet }).then(
        (d) => {
          if (!alive) return;
          setDetail(d);
          setDetailError(null);
          setField(null);
          setOpenFields(new Set());
          setActiveSource(0);
        },
        (err: unknown) => alive && setDetailError(errorText(err)),
      );
    }, 40);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [client, info.session, packet, generation]);

  const expanded = useMemo(() => {
    const keys = new Set(openFields);
    detail?.layers.forEach((l, i) => {
      if (openProtocols.has(l.protocol)) keys.add(layerKey(i));
    });
    return keys;
  }, [detail, openFields, openProtocols]);

  const toggle = useCallback(
    (key: string) => {
      if (!key.includes('.')) {
        const proto = detail?.layers[Number(key)]?.protocol;
        if (proto === undefined) return;
        setOpenProtocols((s) => {
          const n = new Set(s);
          if (n.has(proto)) n.delete(proto);
          else n.add(proto);
          return n;
        });
        return;
      }
      setOpenFields((s) => {
        const n = new Set(s);
        if (n.has(key)) n.delete(key);
        else n.add(key);
        return n;
      });
    },
    [detail],
  );

  const selectField = useCallback((sel: FieldSelection) => {
    setField(sel);
    if (sel.length > 0) setActiveSource(sel.source);
  }, []);

  /** Selects a field and opens its layer and ancestors, so it shows (and scrolls into view). */
  const reveal = useCallback(
    (sel: FieldSelection) => {
      if (detail === null) return;
      setField(sel);
      if (sel.length > 0) setActiveSource(sel.source);
      const proto = detail.layers[Number(sel.key.split('.')[0])]?.protocol;
      if (proto !== undefined && sel.key.includes('.')) setOpenProtocols((s) => (s.has(proto) ? s : new Set([...s, proto])));
      setOpenFields((s) => new Set([...s, ...ancestorKeys(sel.key).filter((k) => k.includes('.'))]));
    },
    [detail],
  );

  const onByteClick = useCallback(
    (source: number, offset: number) => {
      if (detail === null) return;
      const sel = fieldAt(detail, source, offset);
      if (sel !== null) reveal(sel);
    },
    [detail, reveal],
  );

  // After Find Packet: select the bytes found, or the first tree line holding the text.
  useEffect(() => {
    if (pendingFocus === null || detail === null || detail.number !== pendingFocus.packet) return;
    setPendingFocus(null);
    if (pendingFocus.bytes !== null) {
      const sel = fieldAt(detail, pendingFocus.bytes.source, pendingFocus.bytes.start);
      if (sel !== null) reveal(sel);
      setField({ ...pendingFocus.bytes, key: sel?.key ?? '' });
      setActiveSource(pendingFocus.bytes.source);
    } else if (pendingFocus.label !== null) {
      const key = keyOfLabel(detail, pendingFocus.label);
      const sel = key === null ? null : selectionOf(detail, key);
      if (sel !== null) reveal(sel);
    }
  }, [pendingFocus, detail, reveal]);

  const rowOfSelection = useCallback(async (): Promise<PacketRow | null> => {
    if (selection === null) return null;
    const page = await client.call('rows', { session: info.session, start: selection.index, count: 1 });
    return page.rows[0] ?? null;
  }, [client, info.session, selection]);

  // ---- actions shared by the menus and the shortcuts ----
  const setFlag = useCallback(
    async (packets: number[], flag: 'marked' | 'ignored' | 'timeRef') => {
      if (packets.length === 0) return;
      try {
        const next = await client.call('setPacketFlags', { session: info.session, packets, flag, value: null });
        habits?.onInvalidate(next);
      } catch (err) {
        habits?.notify('error', errorText(err));
      }
    },
    [client, info.session, habits],
  );

  const applySort = useCallback(
    async (sort: SortDto | null) => {
      try {
        const next = await client.call('setSort', { session: info.session, sort });
        habits?.onInvalidate(next);
      } catch (err) {
        habits?.notify('error', `Cannot sort: ${errorText(err)}`);
      }
    },
    [client, info.session, habits],
  );

  const runFind = useCallback(
    async (backward: boolean, query: FindQuery = find) => {
      if (query.text === '') return;
      setFindBusy(true);
      try {
        const r = await client.call('findPacket', { session: info.session, find: { ...query, backward, from: selection?.index ?? -1 } });
        if (r.index < 0) {
          setFindMessage(r.message);
          return;
        }
        setFindMessage(r.wrapped ? `Search reached the ${backward ? 'beginning' : 'end'} of the capture and continued from the other end.` : null);
        setPendingFocus({ packet: r.packet, bytes: r.bytes === null ? null : { key: '', ...r.bytes }, label: r.label });
        onSelect({ index: r.index, packet: r.packet });
      } catch (err) {
        setFindMessage(errorText(err));
      } finally {
        setFindBusy(false);
      }
    },
    [client, info.session, find, selection, onSelect],
  );

  const goBack = useCallback(
    (forward: boolean) => {
      const target = forward ? habits?.history.forward() : habits?.history.back();
      if (target !== null && target !== undefined) void habits?.goToPacket(target);
    },
    [habits],
  );

  // Keyboard shortcuts of the Packets tab (as Wireshark's; Ctrl+Alt+T beside Ctrl+T, which
  // browsers keep for a new tab; F3 / Shift+F3 beside Ctrl+N / Ctrl+B).
  useEffect(() => {
    if (habits === undefined || !habits.active) return;
    const onKey = (e: KeyboardEvent): void => {
      const typing = e.target instanceof HTMLElement && (e.target.tagName === 'INPUT' || e.target.tagName === 'TEXTAREA' || e.target.tagName === 'SELECT');
      const ctrl = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (ctrl && !e.altKey && key === 'f') {
        e.preventDefault();
        setBar('find');
        setBarFocus((n) => n + 1);
      } else if (ctrl && !e.altKey && key === 'g') {
        e.preventDefault();
        setBar('goto');
        setBarFocus((n) => n + 1);
      } else if ((ctrl && !e.altKey && (key === 'n' || key === 'b')) || e.key === 'F3') {
        if (find.text === '') return;
        e.preventDefault();
        void runFind(key === 'b' || (e.key === 'F3' && e.shiftKey));
      } else if (e.altKey && !ctrl && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
        if (typing) return;
        e.preventDefault();
        goBack(e.key === 'ArrowRight');
      } else if (ctrl && !typing && (key === 'm' || key === 'd' || key === 't')) {
        if (packet === null || (key !== 't' && e.altKey)) return;
        e.preventDefault();
        void setFlag([packet], key === 'm' ? 'marked' : key === 'd' ? 'ignored' : 'timeRef');
      } else if (e.key === 'Escape' && bar !== null && !typing) {
        setBar(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [habits, find.text, runFind, goBack, packet, setFlag, bar]);

  const conversationOf = useCallback(
    (id: number): { protocol: 'TCP' | 'UDP'; tls: boolean } | null => {
      const c = habits?.conversations?.find((x) => x.id === id);
      return c === undefined ? null : { protocol: c.protocol, tls: c.tls !== null };
    },
    [habits],
  );

  const actions: MenuActions = useMemo(
    () => ({
      filterBy: (selected: string, action: FilterAction, apply: boolean) => habits?.onFilter(combineFilter(info.filter, selected, action), apply),
      copy: (text) => {
        void (async () => {
          try {
            await copyText(typeof text === 'string' ? text : await text());
          } catch (err) {
            habits?.notify('error', `Copy failed: ${errorText(err)}`);
          }
        })();
      },
      follow: (conversation, protocol) => habits?.onFollow(conversation, protocol),
      openLadder: (conversation) => habits?.onOpenLadder(conversation),
      setFlag: (p, flag) => void setFlag([p], flag),
      exportPackets: () => habits?.onExportPackets(),
    }),
    [habits, info.filter, setFlag],
  );
  const bytesFormat = { hexStream, escaped: escapedString, printable: printableText, dump: hexDump };
  const time = { format: timeFormat, precision: timePrecision };
  const fields = customFields(columns);

  const openRowMenu = (row: PacketRow, column: ColumnSpec, at: { x: number; y: number }): void => {
    const visible = columns.filter((c) => c.hidden !== true);
    const cells = visible.map((c) => cellText(c, row, fields, time));
    const shown = cellText(column, row, fields, time);
    const filter = cellFilter(cellColumn(column, timeFormat, (n) => fieldTypes.get(n)), row, shown);
    const items = rowMenu(
      {
        row,
        cellFilter: filter,
        summary: { text: summaryText(cells), csv: summaryText(cells, 'csv') },
        conversation: row.conversation >= 0 ? conversationOf(row.conversation) : null,
        bytes: async () => base64ToBytes((await client.call('packetDetail', { session: info.session, packet: row.number })).sources[0]?.base64 ?? ''),
        format: bytesFormat,
        browser: habits?.browser === true,
      },
      actions,
    );
    setMenu({ ...at, items });
  };

  const addColumn = useCallback(
    (name: string, title: string) => {
      setColumns((cols) => {
        if (cols.some((c) => c.kind === 'field' && c.field === name)) return cols.map((c) => (c.kind === 'field' && c.field === name ? { ...c, hidden: false } : c));
        if (customFields(cols).length >= MAX_CUSTOM) {
          habits?.notify('warning', `At most ${MAX_CUSTOM} custom columns: remove one first.`);
          return cols;
        }
        // Wireshark puts a new column before Info.
        const info = cols.findIndex((c) => c.kind === 'info');
        const next = [...cols];
        next.splice(info < 0 ? next.length : info, 0, fieldColumn(name, title));
        return next;
      });
    },
    [setColumns, habits],
  );

  const openTreeMenu = (key: string, at: { x: number; y: number }): void => {
    if (detail === null) return;
    const node = nodeOf(detail, key);
    const sel = selectionOf(detail, key);
    const src = sel === null ? null : detail.sources[sel.source];
    const bytes = src === undefined || src === null || sel === null ? new Uint8Array(0) : base64ToBytes(src.base64).subarray(sel.start, sel.start + sel.length);
    void rowOfSelection().then((row) => {
      const items = treeMenu(
        {
          row,
          name: node?.name ?? '',
          label: node?.label ?? '',
          filter: node?.filter ?? null,
          value: node?.value ?? null,
          frame: node?.frame ?? null,
          bytes,
          conversation: row !== null && row.conversation >= 0 ? conversationOf(row.conversation) : null,
          format: bytesFormat,
          visibleText: () => visibleTree(detail, expanded),
        },
        {
          ...actions,
          expand: (scope, open) => expandTree(scope, open, key),
          addColumn,
          goToPacket: (frame) => void habits?.goToPacket(frame),
        },
      );
      setMenu({ ...at, items });
    });
  };

  const expandTree = (scope: 'subtrees' | 'all', open: boolean, key: string): void => {
    if (detail === null) return;
    const keys = scope === 'all' ? allKeys(detail) : subtreeKeys(detail, key);
    const protocols = scope === 'all' ? detail.layers.map((l) => l.protocol) : key.includes('.') ? [] : [detail.layers[Number(key)]!.protocol];
    setOpenFields((s) => {
      const n = new Set(s);
      for (const k of keys) if (open) n.add(k);
      else n.delete(k);
      return n;
    });
    setOpenProtocols((s) => {
      const n = new Set(s);
      for (const p of protocols) if (open) n.add(p);
      else n.delete(p);
      return n;
    });
  };

  const openHeaderMenu = (column: ColumnSpec, at: { x: number; y: number }): void => {
    const items = headerMenu(column, columns, time, {
      sort: (c, descending) => {
        if (descending === null) return void applySort(null);
        const key = c.kind === 'field' ? { column: c.field!, field: true } : { column: c.kind === 'time' ? (timeFormat === 'delta' ? 'delta' : timeFormat === 'delta-displayed' ? 'deltaDisplayed' : 'time') : c.kind, field: false };
        void applySort({ ...key, descending });
      },
      setTimeFormat,
      setTimePrecision,
      editColumn: (c) => setEditing(c),
      removeColumn: (c) => setColumns((cols) => (c.kind === 'field' ? cols.filter((x) => x.id !== c.id) : cols.map((x) => (x.id === c.id ? { ...x, hidden: true } : x)))),
      toggleColumn: (c) => setColumns((cols) => cols.map((x) => (x.id === c.id ? { ...x, hidden: x.hidden !== true } : x))),
      resetColumns: () => setColumns(defaultColumns),
    });
    setMenu({ ...at, items });
  };

  const list = (
    <div className="packets-top">
      {bar === 'find' && (
        <FindBar
          query={find}
          onQuery={(q) => {
            setFind(q);
            setFindMessage(null);
          }}
          onFind={(backward, q) => void runFind(backward, q)}
          onClose={() => setBar(null)}
          busy={findBusy}
          message={findMessage}
          focusSignal={barFocus}
        />
      )}
      {bar === 'goto' && (
        <GoToBar
          total={info.packets}
          focusSignal={barFocus}
          onClose={() => setBar(null)}
          onGo={(n) => {
            void habits?.goToPacket(n).then((ok) => ok && setBar(null));
          }}
        />
      )}
      <PacketList
        session={info.session}
        total={info.displayed}
        packets={info.packets}
        generation={generation}
        selection={selection}
        onSelect={onSelect}
        follow={info.live}
        marked={marked}
        columns={columns}
        timeFormat={timeFormat}
        timePrecision={timePrecision}
        sort={info.sort}
        onSort={(s) => void applySort(s)}
        onColumns={setColumns}
        onRowMenu={openRowMenu}
        onHeaderMenu={openHeaderMenu}
        numericFields={numericFields}
      />
    </div>
  );

  const detailPane =
    packet === null ? (
      <EmptyState title="No packet selected">Select a packet in the list (or use the arrow keys) to see its layers and bytes.</EmptyState>
    ) : detailError !== null ? (
      <EmptyState title={`Packet ${packet} could not be decoded`} tone="error">
        {detailError}
      </EmptyState>
    ) : detail === null ? (
      <EmptyState title="Decoding…" tone="loading" />
    ) : (
      <SplitPane direction="row" initial={detailShare} onShare={setDetailShare} label="Resize layers and bytes">
        <div className="pane">
          <div className="pane-head">
            <span className="pane-title">Packet {detail.number}</span>
            <div className="segmented" role="radiogroup" aria-label="Layer model">
              <button role="radio" aria-checked={layerModel === 'osi'} className={layerModel === 'osi' ? 'on' : ''} onClick={() => onLayerModel('osi')} data-testid="model-osi">
                OSI
              </button>
              <button role="radio" aria-checked={layerModel === 'tcpip'} className={layerModel === 'tcpip' ? 'on' : ''} onClick={() => onLayerModel('tcpip')} data-testid="model-tcpip">
                TCP/IP
              </button>
            </div>
          </div>
          <div className="pane-body">
            <LayerStack
              detail={detail}
              model={layerModel}
              selected={field?.key ?? null}
              expanded={expanded}
              onSelect={selectField}
              onToggle={toggle}
              onLink={(frame) => void habits?.goToPacket(frame)}
              onMenu={habits === undefined ? undefined : openTreeMenu}
            />
          </div>
        </div>
        <div className="pane">
          <div className="pane-head">
            <span className="pane-title">Bytes</span>
            {field !== null && field.length > 0 && (
              <span className="pane-note">
                {field.length} byte{field.length === 1 ? '' : 's'} at offset {field.start}
              </span>
            )}
          </div>
          <div className="pane-body flush">
            <HexView sources={detail.sources} active={activeSource} onActive={setActiveSource} highlight={field} onByteClick={onByteClick} malformed={detail.malformed} />
          </div>
        </div>
      </SplitPane>
    );

  return (
    <>
      <SplitPane direction="column" initial={listShare} onShare={setListShare} label="Resize packet list and details">
        {list}
        {detailPane}
      </SplitPane>
      {menu !== null && <ContextMenu at={menu} onClose={() => setMenu(null)} />}
      {editing !== null && (
        <ColumnEditor
          column={editing}
          onClose={() => setEditing(null)}
          onSave={(c) => {
            setColumns((cols) => cols.map((x) => (x.id === editing.id ? c : x)));
            setEditing(null);
          }}
        />
      )}
    </>
  );
}

/** The node (or null for a layer) a key names. */
function nodeOf(detail: PacketDetail, key: string): FieldNodeDto | null {
  const parts = key.split('.').map(Number);
  const layer = detail.layers[parts[0] ?? -1];
  if (layer === undefined) return null;
  if (parts.length === 1) return { name: layer.protocol, label: layer.title, start: layer.start, length: layer.length, source: layer.source, filter: layer.filter };
  let list: FieldNodeDto[] | undefined = layer.fields;
  let node: FieldNodeDto | undefined;
  for (const i of parts.slice(1)) {
    node = list?.[i];
    list = node?.children;
  }
  return node ?? null;
}

function walk(nodes: FieldNodeDto[] | undefined, parent: string, visit: (n: FieldNodeDto, key: string, depth: number) => boolean, depth = 1): void {
  nodes?.forEach((n, i) => {
    const key = `${parent}.${i}`;
    if (visit(n, key, depth)) walk(n.children, key, visit, depth + 1);
  });
}

function allKeys(detail: PacketDetail): string[] {
  const out: string[] = [];
  detail.layers.forEach((l, li) => walk(l.fields, layerKey(li), (n, key) => (n.children !== undefined && out.push(key), true)));
  return out;
}

function subtreeKeys(detail: PacketDetail, key: string): string[] {
  const out = key.includes('.') ? [key] : [];
  const parts = key.split('.').map(Number);
  const node = nodeOf(detail, key);
  const children = parts.length === 1 ? detail.layers[parts[0]!]?.fields : node?.children;
  walk(children, key, (n, k) => (n.children !== undefined && out.push(k), true));
  return out;
}

/** The first line whose label is `label` (Find Packet in the details). */
function keyOfLabel(detail: PacketDetail, label: string): string | null {
  for (let li = 0; li < detail.layers.length; li++) {
    if (detail.layers[li]!.title === label) return layerKey(li);
    let found: string | null = null;
    walk(detail.layers[li]!.fields, layerKey(li), (n, key) => {
      if (found === null && n.label === label) found = key;
      return found === null;
    });
    if (found !== null) return found;
  }
  return null;
}

/** Copy › All Visible Items: each shown line, indented by depth (as Wireshark copies them). */
function visibleTree(detail: PacketDetail, expanded: ReadonlySet<string>): string {
  const lines: string[] = [];
  detail.layers.forEach((l, li) => {
    lines.push(l.title);
    if (!expanded.has(layerKey(li))) return;
    walk(l.fields, layerKey(li), (n, key, depth) => {
      lines.push(`${'    '.repeat(depth)}${n.label}`);
      return expanded.has(key);
    });
  });
  return `${lines.join('\n')}\n`;
}
