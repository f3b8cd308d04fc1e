// Filter and clipboard texts the way Wireshark writes them: Apply/Prepare as Filter combinations
// (ui/qt/main_window_slots.cpp), conversation filters (each dissector's *_build_filter), a packet
// list cell's filter (PacketList::getFilterFromRowAndColumn with column-utils.c's col_expr), and
// the Copy › … formats (Summary as Text/CSV, Bytes as a Hex Stream or an Escaped String…).

import type { PacketRow } from '../core/service/dto';

/** Apply as Filter / Prepare as Filter: Selected, Not Selected, …and, …or, …and not, …or not Selected. */
export type FilterAction = 'selected' | 'not-selected' | 'and-selected' | 'or-selected' | 'and-not-selected' | 'or-not-selected';

export const filterActions: { action: FilterAction; label: string }[] = [
  { action: 'selected', label: 'Selected' },
  { action: 'not-selected', label: 'Not Selected' },
  { action: 'and-selected', label: '…and Selected' },
  { action: 'or-selected', label: '…or Selected' },
  { action: 'and-not-selected', label: '…and not Selected' },
  { action: 'or-not-selected', label: '…or not Selected' },
];

/** The new display filter text an action makes of the current one and the selected item's filter. */
export function combineFilter(current: string, selected: string, action: FilterAction): string {
  const cur = current.trim();
  switch (action) {
    case 'selected':
      return selected;
    case 'not-selected':
      return `!(${selected})`;
    case 'and-selected':
      return cur === '' ? selected : `(${cur}) && (${selected})`;
    case 'or-selected':
      return cur === '' ? selected : `(${cur}) || (${selected})`;
    case 'and-not-selected':
      return cur === '' ? `!(${selected})` : `(${cur}) && !(${selected})`;
    case 'or-not-selected':
      return cur === '' ? `!(${selected})` : `(${cur}) || !(${selected})`;
  }
}

export type ConversationKind = 'ipv4' | 'ipv6' | 'tcp' | 'udp';

/** Conversation Filter › IPv4 / IPv6 / TCP / UDP for a packet, or null when it has no such conversation. */
export function conversationFilter(kind: ConversationKind, row: Pick<PacketRow, 'addressField' | 'source' | 'destination' | 'transport' | 'srcPort' | 'dstPort'>): string | null {
  const ip = row.addressField === 'ip' ? 'ip' : row.addressField === 'ipv6' ? 'ipv6' : null;
  if (ip === null) return null;
  const hosts = `${ip}.addr eq ${row.source} and ${ip}.addr eq ${row.destination}`;
  if (kind === 'ipv4' || kind === 'ipv6') return (kind === 'ipv4') === (ip === 'ip') ? hosts : null;
  if (row.transport !== kind) return null;
  return `(${hosts}) and (${kind}.port eq ${row.srcPort} and ${kind}.port eq ${row.dstPort})`;
}

/** Follow › TCP/UDP/TLS Stream applies `tcp.stream eq N` (udp.stream for UDP). */
export function followFilter(protocol: 'TCP' | 'UDP', stream: number): string {
  return `${protocol === 'TCP' ? 'tcp' : 'udp'}.stream eq ${stream}`;
}

/**
 * The filter of one packet list cell: `col_expr == col_expr_val` for the columns that have one
 * (number, time, addresses, length, custom fields); Protocol and Info have none (null).
 * `shown` is the cell's text as displayed (the time columns filter on what they show).
 */
export function cellFilter(column: CellColumn, row: PacketRow, shown: string): string | null {
  switch (column.kind) {
    case 'number':
      return `frame.number == ${row.number}`;
    case 'time':
      if (row.timeRef) return null;
      return timeFilter(column.timeFormat, shown);
    case 'source':
    case 'destination': {
      if (row.addressField === '') return null;
      return `${row.addressField}.${column.kind === 'source' ? 'src' : 'dst'} == ${column.kind === 'source' ? row.source : row.destination}`;
    }
    case 'length':
      return `frame.len == ${row.length}`;
    case 'field': {
      const value = shown.split(',')[0] ?? '';
      if (value === '') return null;
      // A protocol column filters on the protocol's presence; a string is quoted.
      if (column.isProtocol === true) return column.field ?? null;
      return column.isString ? `${column.field} == "${value.replace(/["\\]/g, '\\$&')}"` : `${column.field} == ${value}`;
    }
    default:
      return null;
  }
}

export interface CellColumn {
  kind: 'number' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'info' | 'field';
  timeFormat?: string;
  field?: string;
  isString?: boolean;
  isProtocol?: boolean;
}

/** The time column's field for each time format (column-utils.c), and its value as shown. */
function timeFilter(format: string | undefined, shown: string): string {
  switch (format) {
    case 'delta':
      return `frame.time_delta == ${shown}`;
    case 'delta-displayed':
      return `frame.time_delta_displayed == ${shown}`;
    case 'epoch':
      return `frame.time_epoch == ${shown}`;
    case 'date-time':
    case 'time-of-day':
    case 'utc-date-time':
    case 'utc-time-of-day':
      return `frame.time == "${shown}"`;
    default:
      return `frame.time_relative == ${shown}`;
  }
}

/** Copy › Summary as Text (tab-separated), …as CSV (quoted, comma-separated). */
export function summaryText(cells: readonly string[], format: 'text' | 'csv' = 'text'): string {
  if (format === 'csv') return `"${cells.map((c) => c.replace(/"/g, '""')).join('","')}"`;
  return cells.join('\t');
}

/** Copy › …as a Hex Stream: lowercase hex, no separators. */
export function hexStream(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Copy › …as Escaped String: "\x16\x03…" in lines of 16 bytes joined by `" \` + newline. */
export function escapedString(bytes: Uint8Array): string {
  let s = '"';
  for (let i = 0; i < bytes.length; i++) {
    if (i % 16 === 0 && i !== 0 && i !== bytes.length - 1) s += '" \\\n"';
    s += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
  }
  return `${s}"\n`;
}

/** Copy › …as Printable Text: the bytes that are printable ASCII or whitespace (\\t \\n \\v \\f \\r). */
export function printableText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) if ((b >= 0x20 && b < 0x7f) || (b >= 0x09 && b <= 0x0d)) s += String.fromCharCode(b);
  return s;
}

/** Copy › Bytes as Hex + ASCII Dump: "0000  16 03 01 …   ..." lines of 16 bytes. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const chunk = bytes.subarray(off, off + 16);
    const hex = [...chunk].map((b) => ` ${b.toString(16).padStart(2, '0')}`).join('');
    const ascii = [...chunk].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(4, '0')}  ${hex}${' '.repeat((16 - chunk.length) * 3)}   ${ascii}`);
  }
  return `${lines.join('\n')}\n`;
}
