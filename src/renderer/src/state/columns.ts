// The packet list's columns (Wireshark's column preferences): the built-in ones and custom columns
// of any field, their order, widths and visibility, kept across sessions.

import type { PacketRow } from '../../../shared/api';
import type { CellColumn } from '../../../shared/filter-text';
import { timeText, type TimeFormat, type TimePrecision } from './time-format';

export type BuiltinKind = 'number' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'info';

export interface ColumnSpec {
  /** Stable id: the built-in kind, or `field:<name>` for a custom column. */
  id: string;
  kind: BuiltinKind | 'field';
  title: string;
  /** The field a custom column shows. */
  field?: string;
  width: number;
  hidden?: boolean;
}

export const defaultColumns: ColumnSpec[] = [
  { id: 'number', kind: 'number', title: 'No.', width: 64 },
  { id: 'time', kind: 'time', title: 'Time', width: 110 },
  { id: 'source', kind: 'source', title: 'Source', width: 150 },
  { id: 'destination', kind: 'destination', title: 'Destination', width: 150 },
  { id: 'protocol', kind: 'protocol', title: 'Protocol', width: 78 },
  { id: 'length', kind: 'length', title: 'Length', width: 80 },
  { id: 'info', kind: 'info', title: 'Info', width: 640 },
];

export const MIN_WIDTH = 36;
/** The engine serves at most this many custom columns per request. */
export const MAX_CUSTOM = 16;

const kinds = new Set(['number', 'time', 'source', 'destination', 'protocol', 'length', 'info', 'field']);

export function isColumnList(v: unknown): v is ColumnSpec[] {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every(
      (c: Partial<ColumnSpec>) =>
        typeof c === 'object' && c !== null && typeof c.id === 'string' && kinds.has(String(c.kind)) && typeof c.title === 'string' && typeof c.width === 'number' && (c.kind !== 'field' || typeof c.field === 'string'),
    )
  );
}

/** A custom column showing a field (Apply as Column): its title is the field's name in the tree. */
export function fieldColumn(field: string, title: string): ColumnSpec {
  return { id: `field:${field}`, kind: 'field', title, field, width: 120 };
}

/** The fields the visible custom columns show, in order (what rows() is asked for). */
export function customFields(columns: readonly ColumnSpec[]): string[] {
  return columns.filter((c) => c.kind === 'field' && c.hidden !== true).map((c) => c.field!);
}

/** The engine's sort key of a column. */
export function sortKey(column: ColumnSpec, timeFormat: TimeFormat): { column: string; field: boolean } {
  if (column.kind === 'field') return { column: column.field!, field: true };
  if (column.kind === 'time') return { column: timeFormat === 'delta' ? 'delta' : timeFormat === 'delta-displayed' ? 'deltaDisplayed' : 'time', field: false };
  return { column: column.kind, field: false };
}

/** What a cell shows. */
export function cellText(column: ColumnSpec, row: PacketRow, fields: readonly string[], time: { format: TimeFormat; precision: TimePrecision }): string {
  switch (column.kind) {
    case 'number':
      return String(row.number);
    case 'time':
      return timeText(row, time.format, time.precision);
    case 'source':
      return row.source;
    case 'destination':
      return row.destination;
    case 'protocol':
      return row.protocol;
    case 'length':
      return String(row.length);
    case 'info':
      return row.info;
    case 'field':
      return row.custom?.[fields.indexOf(column.field!)] ?? '';
  }
}

/** A column as the shared filter builder needs it. */
export function cellColumn(column: ColumnSpec, timeFormat: TimeFormat, fieldType: (name: string) => string | undefined): CellColumn {
  if (column.kind !== 'field') return { kind: column.kind, timeFormat };
  const type = fieldType(column.field!);
  return { kind: 'field', field: column.field!, isString: type === 'string', isProtocol: type === 'protocol' };
}

/**
 * Numeric columns are right-aligned, as Wireshark aligns them; a custom column too when its field
 * is a number (packet_list_model.cpp right_justify_column), given as `numericFields`.
 */
export function isNumericColumn(column: ColumnSpec, numericFields?: ReadonlySet<string>): boolean {
  if (column.kind === 'field') return numericFields?.has(column.field!) === true;
  return column.kind === 'number' || column.kind === 'length' || column.kind === 'time';
}

/** The catalogue's field types Wireshark right-aligns in a custom column. */
export const numericFieldTypes: ReadonlySet<string> = new Set(['uint', 'int', 'float', 'bool', 'framenum', 'reltime']);
