// The context menus of the packet list rows, the detail tree and the column headers, laid out as
// Wireshark 4.0 lays them out (ui/qt/packet_list.cpp, proto_tree.cpp), over callbacks the view gives.

import type { PacketRow } from '../../../shared/api';
import { conversationFilter, filterActions, type ConversationKind, type FilterAction } from '../../../shared/filter-text';
import { separator, type MenuItem } from '../components/ContextMenu';
import type { ColumnSpec } from './columns';
import { timeFormats, timePrecisions, type TimeFormat, type TimePrecision } from './time-format';

/** What the menus do; the view supplies it. */
export interface MenuActions {
  /** Apply as Filter: set the filter and apply it; Prepare as Filter: set it in the box only. */
  filterBy(selected: string, action: FilterAction, apply: boolean): void;
  copy(text: string | (() => Promise<string>)): void;
  /** Follow › TCP/UDP/TLS Stream of a conversation (null: nothing to follow). */
  follow(conversation: number, protocol: 'TCP' | 'UDP' | 'TLS'): void;
  openLadder(conversation: number): void;
  setFlag(packet: number, flag: 'marked' | 'ignored' | 'timeRef'): void;
  exportPackets(): void;
}

/** Apply as Filter › … and Prepare as Filter › … for one filter text (disabled without one). */
export function filterMenus(selected: string | null, actions: MenuActions, where: string): MenuItem[] {
  const sub = (apply: boolean): MenuItem[] =>
    filterActions.map(({ action, label }) => ({
      kind: 'action',
      label,
      disabled: selected === null,
      testId: `${where}-${apply ? 'apply' : 'prepare'}-${action}`,
      run: () => actions.filterBy(selected!, action, apply),
    }));
  return [
    { kind: 'submenu', label: 'Apply as Filter', items: sub(true), disabled: selected === null, testId: `${where}-apply` },
    { kind: 'submenu', label: 'Prepare as Filter', items: sub(false), disabled: selected === null, testId: `${where}-prepare` },
  ];
}

/** Conversation Filter › IPv4 / IPv6 / TCP / UDP for a packet. */
export function conversationMenu(row: PacketRow, actions: MenuActions, where: string): MenuItem {
  const kinds: [ConversationKind, string][] = [
    ['ipv4', 'IPv4'],
    ['ipv6', 'IPv6'],
    ['tcp', 'TCP'],
    ['udp', 'UDP'],
  ];
  const items: MenuItem[] = kinds.map(([kind, label]) => {
    const filter = conversationFilter(kind, row);
    return { kind: 'action', label, disabled: filter === null, testId: `${where}-conversation-${kind}`, run: () => actions.filterBy(filter!, 'selected', true) };
  });
  return { kind: 'submenu', label: 'Conversation Filter', items, disabled: items.every((i) => i.kind === 'action' && i.disabled === true), testId: `${where}-conversation` };
}

/** Follow › TCP Stream / UDP Stream / TLS Stream. */
export function followMenu(row: PacketRow, conversation: { protocol: 'TCP' | 'UDP'; tls: boolean } | null, actions: MenuActions, where: string): MenuItem {
  const id = row.conversation;
  const items: MenuItem[] = [
    { kind: 'action', label: 'TCP Stream', disabled: conversation?.protocol !== 'TCP', testId: `${where}-follow-tcp`, run: () => actions.follow(id, 'TCP') },
    { kind: 'action', label: 'UDP Stream', disabled: conversation?.protocol !== 'UDP', testId: `${where}-follow-udp`, run: () => actions.follow(id, 'UDP') },
    { kind: 'action', label: 'TLS Stream', disabled: conversation === null || !conversation.tls, testId: `${where}-follow-tls`, run: () => actions.follow(id, 'TLS') },
  ];
  return { kind: 'submenu', label: 'Follow', items, disabled: conversation === null, testId: `${where}-follow` };
}

export interface RowMenuInput {
  row: PacketRow;
  /** The filter of the cell right-clicked (null: the column has none, as Protocol and Info). */
  cellFilter: string | null;
  /** Its text, the row's summary (visible columns) as text and as CSV. */
  summary: { text: string; csv: string };
  conversation: { protocol: 'TCP' | 'UDP'; tls: boolean } | null;
  /** In a browser tab: Ctrl+T is the browser's (new tab), so the menu names Ctrl+Alt+T. */
  browser?: boolean;
  /** The packet's bytes, fetched when a Copy › Bytes item runs. */
  bytes(): Promise<Uint8Array>;
  format: { hexStream(b: Uint8Array): string; escaped(b: Uint8Array): string; printable(b: Uint8Array): string; dump(b: Uint8Array): string };
}

export function rowMenu(input: RowMenuInput, actions: MenuActions): MenuItem[] {
  const { row } = input;
  const w = 'row';
  const bytes = (f: (b: Uint8Array) => string) => () => actions.copy(async () => f(await input.bytes()));
  return [
    { kind: 'action', label: row.marked ? 'Unmark Packet' : 'Mark Packet', shortcut: 'Ctrl+M', testId: `${w}-mark`, run: () => actions.setFlag(row.number, 'marked') },
    { kind: 'action', label: row.ignored ? 'Unignore Packet' : 'Ignore Packet', shortcut: 'Ctrl+D', testId: `${w}-ignore`, run: () => actions.setFlag(row.number, 'ignored') },
    { kind: 'action', label: row.timeRef ? 'Unset Time Reference' : 'Set Time Reference', shortcut: input.browser === true ? 'Ctrl+Alt+T' : 'Ctrl+T', testId: `${w}-time-ref`, run: () => actions.setFlag(row.number, 'timeRef') },
    separator,
    ...filterMenus(input.cellFilter, actions, w),
    conversationMenu(row, actions, w),
    followMenu(row, input.conversation, actions, w),
    separator,
    {
      kind: 'submenu',
      label: 'Copy',
      testId: `${w}-copy`,
      items: [
        { kind: 'action', label: 'Summary as Text', testId: `${w}-copy-summary`, run: () => actions.copy(input.summary.text) },
        { kind: 'action', label: '…as CSV', testId: `${w}-copy-csv`, run: () => actions.copy(input.summary.csv) },
        separator,
        { kind: 'action', label: 'As Filter', disabled: input.cellFilter === null, testId: `${w}-copy-filter`, run: () => actions.copy(input.cellFilter!) },
        separator,
        { kind: 'action', label: 'Bytes as Hex + ASCII Dump', testId: `${w}-copy-dump`, run: bytes(input.format.dump) },
        { kind: 'action', label: '…as Printable Text', testId: `${w}-copy-printable`, run: bytes(input.format.printable) },
        { kind: 'action', label: '…as a Hex Stream', testId: `${w}-copy-hex`, run: bytes(input.format.hexStream) },
        { kind: 'action', label: '…as Escaped String', testId: `${w}-copy-escaped`, run: bytes(input.format.escaped) },
      ],
    },
    separator,
    { kind: 'action', label: 'Open Ladder of This Conversation', disabled: row.conversation < 0, testId: `${w}-ladder`, run: () => actions.openLadder(row.conversation) },
    { kind: 'action', label: 'Export Specified Packets…', testId: `${w}-export`, run: () => actions.exportPackets() },
  ];
}

export interface TreeMenuInput {
  row: PacketRow | null;
  name: string;
  label: string;
  filter: string | null;
  value: string | null;
  frame: number | null;
  /** The field's bytes (its data source's slice). */
  bytes: Uint8Array;
  conversation: { protocol: 'TCP' | 'UDP'; tls: boolean } | null;
  format: RowMenuInput['format'];
  /** All visible lines of the tree, as Wireshark's "All Visible Items" copies them. */
  visibleText(): string;
}

export interface TreeActions extends MenuActions {
  expand(scope: 'subtrees' | 'all', open: boolean): void;
  addColumn(field: string, title: string): void;
  goToPacket(frame: number): void;
}

export function treeMenu(input: TreeMenuInput, actions: TreeActions): MenuItem[] {
  const w = 'tree';
  const hasField = input.name !== '';
  const title = input.label.replace(/^\[|\]$/g, '').split(':')[0]!.trim();
  const b = input.bytes;
  const items: MenuItem[] = [
    { kind: 'action', label: 'Expand Subtrees', testId: `${w}-expand-subtrees`, run: () => actions.expand('subtrees', true) },
    { kind: 'action', label: 'Collapse Subtrees', testId: `${w}-collapse-subtrees`, run: () => actions.expand('subtrees', false) },
    { kind: 'action', label: 'Expand All', testId: `${w}-expand-all`, run: () => actions.expand('all', true) },
    { kind: 'action', label: 'Collapse All', testId: `${w}-collapse-all`, run: () => actions.expand('all', false) },
    separator,
    { kind: 'action', label: 'Apply as Column', disabled: !hasField, testId: `${w}-apply-column`, run: () => actions.addColumn(input.name, title) },
    separator,
    ...filterMenus(input.filter, actions, w),
  ];
  if (input.row !== null) items.push(conversationMenu(input.row, actions, w), followMenu(input.row, input.conversation, actions, w));
  items.push(separator, {
    kind: 'submenu',
    label: 'Copy',
    testId: `${w}-copy`,
    items: [
      { kind: 'action', label: 'All Visible Items', testId: `${w}-copy-all`, run: () => actions.copy(input.visibleText()) },
      { kind: 'action', label: 'Description', testId: `${w}-copy-description`, run: () => actions.copy(input.label) },
      { kind: 'action', label: 'Field Name', disabled: !hasField, testId: `${w}-copy-name`, run: () => actions.copy(input.name) },
      { kind: 'action', label: 'Value', disabled: input.value === null, testId: `${w}-copy-value`, run: () => actions.copy(input.value!) },
      separator,
      { kind: 'action', label: 'As Filter', disabled: input.filter === null, testId: `${w}-copy-filter`, run: () => actions.copy(input.filter!) },
      separator,
      { kind: 'action', label: 'Bytes as Hex + ASCII Dump', disabled: b.length === 0, testId: `${w}-copy-dump`, run: () => actions.copy(input.format.dump(b)) },
      { kind: 'action', label: '…as Printable Text', disabled: b.length === 0, testId: `${w}-copy-printable`, run: () => actions.copy(input.format.printable(b)) },
      { kind: 'action', label: '…as a Hex Stream', disabled: b.length === 0, testId: `${w}-copy-hex`, run: () => actions.copy(input.format.hexStream(b)) },
      { kind: 'action', label: '…as Escaped String', disabled: b.length === 0, testId: `${w}-copy-escaped`, run: () => actions.copy(input.format.escaped(b)) },
    ],
  });
  items.push(separator, { kind: 'action', label: 'Go to Linked Packet', disabled: input.frame === null, testId: `${w}-go-linked`, run: () => actions.goToPacket(input.frame!) });
  if (input.row !== null) {
    const conv = input.row.conversation;
    items.push({ kind: 'action', label: 'Open Ladder of This Conversation', disabled: conv < 0, testId: `${w}-ladder`, run: () => actions.openLadder(conv) });
  }
  return items;
}

export interface HeaderActions {
  sort(column: ColumnSpec, descending: boolean | null): void;
  setTimeFormat(f: TimeFormat): void;
  setTimePrecision(p: TimePrecision): void;
  editColumn(column: ColumnSpec): void;
  removeColumn(column: ColumnSpec): void;
  toggleColumn(column: ColumnSpec): void;
  resetColumns(): void;
}

export function headerMenu(column: ColumnSpec, all: readonly ColumnSpec[], time: { format: TimeFormat; precision: TimePrecision }, actions: HeaderActions): MenuItem[] {
  const w = 'header';
  const items: MenuItem[] = [
    { kind: 'action', label: 'Sort Ascending', testId: `${w}-sort-asc`, run: () => actions.sort(column, false) },
    { kind: 'action', label: 'Sort Descending', testId: `${w}-sort-desc`, run: () => actions.sort(column, true) },
    { kind: 'action', label: 'Remove Sorting', testId: `${w}-sort-none`, run: () => actions.sort(column, null) },
    separator,
  ];
  if (column.kind === 'time') {
    items.push({
      kind: 'submenu',
      label: 'Time Display Format',
      testId: `${w}-time-format`,
      items: [
        ...timeFormats.map((f): MenuItem => ({ kind: 'action', label: `${f.label} (${f.example})`, checked: time.format === f.format, testId: `${w}-time-${f.format}`, run: () => actions.setTimeFormat(f.format) })),
        separator,
        ...timePrecisions.map((p): MenuItem => ({ kind: 'action', label: p.label, checked: time.precision === p.precision, testId: `${w}-precision-${p.precision}`, run: () => actions.setTimePrecision(p.precision) })),
      ],
    });
    items.push(separator);
  }
  items.push(
    { kind: 'action', label: 'Edit Column…', testId: `${w}-edit`, run: () => actions.editColumn(column) },
    { kind: 'action', label: 'Remove This Column', disabled: all.filter((c) => c.hidden !== true).length <= 1, testId: `${w}-remove`, run: () => actions.removeColumn(column) },
    separator,
    ...all.map((c): MenuItem => ({ kind: 'action', label: c.title, checked: c.hidden !== true, testId: `${w}-show-${c.id}`, run: () => actions.toggleColumn(c) })),
    separator,
    { kind: 'action', label: 'Reset Columns', testId: `${w}-reset`, run: () => actions.resetColumns() },
  );
  return items;
}
