// The packet list's columns as tshark writes them (`-e _ws.col.Time`, `_ws.col.Info`…): one place
// for the CLI's one-line output, its `-e _ws.col.*` fields and the app's rows.

import { protoColumnNames, type Packet } from '../dissect/packet';
import { timeDiffText } from '../dissect/dissect';
import { infoText } from './summary';
import type { Analyzer } from './analyzer';

/** The column fields tshark names `_ws.col.<title>` (the default column titles). */
export const COLUMN_FIELDS = ['_ws.col.No.', '_ws.col.Time', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Length', '_ws.col.Info'] as const;
export type ColumnField = (typeof COLUMN_FIELDS)[number];

export function isColumnField(name: string): name is ColumnField {
  return (COLUMN_FIELDS as readonly string[]).includes(name);
}

/**
 * Decimal places of a time column for a packet of an interface with this timestamp resolution:
 * Wireshark's automatic precision (microseconds for pcap, nanoseconds for most pcapng files).
 */
export function timeDigits(unitsPerSecond: number): number {
  if (!(unitsPerSecond > 1)) return 0;
  return Math.min(9, Math.max(0, Math.ceil(Math.log10(unitsPerSecond) - 1e-9)));
}

/** Seconds text cut (not rounded, as Wireshark's column code does) to `digits` decimals. */
export function truncateSeconds(nineDecimals: string, digits: number): string {
  const dot = nineDecimals.indexOf('.');
  if (dot < 0) return nineDecimals;
  return digits === 0 ? nineDecimals.slice(0, dot) : nineDecimals.slice(0, dot + 1 + digits);
}

/** Reads a column of the packet the analyzer just passed to onPacket (the whole-file pass). */
export class ColumnReader {
  constructor(private readonly analyzer: Analyzer) {}

  text(field: ColumnField, p: Packet, row: number): string {
    const a = this.analyzer;
    switch (field) {
      case '_ws.col.No.':
        return String(p.number);
      case '_ws.col.Time':
        return this.time(p, row);
      case '_ws.col.Source':
        return a.addresses.text(a.index.src(row));
      case '_ws.col.Destination':
        return a.addresses.text(a.index.dst(row));
      case '_ws.col.Protocol':
        return protoColumnNames[a.index.proto(row)] ?? '';
      case '_ws.col.Length':
        return String(p.wirelen);
      case '_ws.col.Info':
        return infoText(p);
    }
  }

  /** Seconds since the first packet, in the packet's interface precision. */
  time(p: Packet, _row: number): string {
    const index = this.analyzer.index;
    const units = this.analyzer.interfaces[p.iface]?.tsUnitsPerSecond ?? 1e6;
    return truncateSeconds(timeDiffText(p.tsSec, p.tsNsec, index.tsSec(0), index.tsNsec(0)), timeDigits(units));
  }
}
