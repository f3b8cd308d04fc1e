// The packet list's Time column in Wireshark's time display formats (View › Time Display Format)
// and precisions; digits are cut, not rounded, as Wireshark's column code does.

import type { PacketRow } from '../../../shared/api';

export type TimeFormat = 'date-time' | 'time-of-day' | 'utc-date-time' | 'utc-time-of-day' | 'epoch' | 'relative' | 'delta' | 'delta-displayed';
/** 'auto' follows each packet's own resolution (6 digits for µs captures, 9 for ns). */
export type TimePrecision = 'auto' | 0 | 1 | 2 | 3 | 6 | 9;

export const timeFormats: { format: TimeFormat; label: string; example: string }[] = [
  { format: 'date-time', label: 'Date and Time of Day', example: '1970-01-01 01:02:03.123456' },
  { format: 'time-of-day', label: 'Time of Day', example: '01:02:03.123456' },
  { format: 'epoch', label: 'Seconds Since 1970-01-01', example: '1234567890.123456' },
  { format: 'relative', label: 'Seconds Since Beginning of Capture', example: '123.123456' },
  { format: 'delta', label: 'Seconds Since Previous Captured Packet', example: '1.123456' },
  { format: 'delta-displayed', label: 'Seconds Since Previous Displayed Packet', example: '1.123456' },
  { format: 'utc-date-time', label: 'UTC Date and Time of Day', example: '1970-01-01 01:02:03.123456' },
  { format: 'utc-time-of-day', label: 'UTC Time of Day', example: '01:02:03.123456' },
];

export const timePrecisions: { precision: TimePrecision; label: string }[] = [
  { precision: 'auto', label: 'Automatic (from capture file)' },
  { precision: 0, label: 'Seconds' },
  { precision: 1, label: 'Tenths of a second' },
  { precision: 2, label: 'Hundredths of a second' },
  { precision: 3, label: 'Milliseconds' },
  { precision: 6, label: 'Microseconds' },
  { precision: 9, label: 'Nanoseconds' },
];

export const isTimeFormat = (v: unknown): v is TimeFormat => timeFormats.some((f) => f.format === v);
export const isTimePrecision = (v: unknown): v is TimePrecision => timePrecisions.some((p) => p.precision === v);

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Seconds as text with `digits` decimals, cut: from whole nanoseconds, so no float noise shows. */
export function secondsText(seconds: number, digits: number): string {
  const negative = seconds < 0;
  const ns = Math.round(Math.abs(seconds) * 1e9);
  const whole = Math.floor(ns / 1e9);
  const frac = String(ns % 1e9).padStart(9, '0').slice(0, digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${frac}` : ''}`;
}

/** The Time column's text for a row ("*REF*" on a time reference, as Wireshark shows it). */
export function timeText(row: PacketRow, format: TimeFormat, precision: TimePrecision): string {
  if (row.timeRef) return '*REF*';
  const digits = precision === 'auto' ? row.precision : precision;
  switch (format) {
    case 'relative':
      return secondsText(row.time, digits);
    case 'delta':
      return secondsText(row.delta, digits);
    case 'delta-displayed':
      return secondsText(row.deltaDisplayed, digits);
    case 'epoch':
      return `${row.epochSec}${digits > 0 ? `.${String(row.epochNsec).padStart(9, '0').slice(0, digits)}` : ''}`;
    default: {
      const utc = format === 'utc-date-time' || format === 'utc-time-of-day';
      const d = new Date(row.epochSec * 1000);
      const date = utc ? `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
      const time = utc ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
      const frac = digits > 0 ? `.${String(row.epochNsec).padStart(9, '0').slice(0, digits)}` : '';
      return format === 'date-time' || format === 'utc-date-time' ? `${date} ${time}${frac}` : `${time}${frac}`;
    }
  }
}
