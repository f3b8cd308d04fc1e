// The Expert Info view's data: every expert item of the capture grouped as Wireshark's dialog
// groups them — by severity (errors first), then by summary — with counts and the first packets of
// each, read from the index's expert columns in one pass (no per-item objects kept).

import { EXPERT, expertSummary, groupNames, severityNames } from '../dissect/expert';
import type { CaptureSession } from './session';
import type { ExpertInfoDto, ExpertSeverityName } from './dto';

/** Packets listed per summary (the count says how many there are in all). */
export const PACKETS_PER_ENTRY = 1000;

const ORDER: ExpertSeverityName[] = ['Error', 'Warning', 'Note', 'Chat', 'Comment'];

/** `limitToFilter`: only packets the display filter shows (Wireshark's "Limit to Display Filter"). */
export function expertInfo(s: CaptureSession, limitToFilter: boolean): ExpertInfoDto {
  const log = s.analyzer.index.expert;
  const displayed = limitToFilter ? displayedRows(s) : null;
  type Entry = { summary: string; group: string; protocol: string; count: number; packets: number[] };
  const bySeverity = new Map<string, Map<string, Entry>>();
  let total = 0;
  for (let i = 0; i < log.count; i++) {
    const row = log.rowAt(i);
    if (displayed !== null && displayed[row] !== 1) continue;
    const item = log.item(i);
    const d = EXPERT[item.code];
    if (d === undefined || d.name === '') continue;
    const severity = severityNames.get(d.severity) ?? 'Note';
    const summary = expertSummary(item.code, item.a, item.b, item.text);
    let entries = bySeverity.get(severity);
    if (entries === undefined) {
      entries = new Map();
      bySeverity.set(severity, entries);
    }
    const key = `${d.protocol}\u0000${summary}`;
    let e = entries.get(key);
    if (e === undefined) {
      e = { summary, group: groupNames.get(d.group) ?? '', protocol: d.protocol, count: 0, packets: [] };
      entries.set(key, e);
    }
    e.count++;
    if (e.packets.length < PACKETS_PER_ENTRY && e.packets[e.packets.length - 1] !== row + 1) e.packets.push(row + 1);
    total++;
  }
  return {
    total,
    severities: ORDER.filter((sev) => bySeverity.has(sev)).map((severity) => {
      const entries = [...bySeverity.get(severity)!.values()].sort((a, b) => b.count - a.count || a.summary.localeCompare(b.summary));
      return { severity, count: entries.reduce((n, e) => n + e.count, 0), entries };
    }),
  };
}

/** One byte per packet: 1 where the display filter shows it (null when no filter is set). */
function displayedRows(s: CaptureSession): Uint8Array | null {
  const list = s.displayed;
  if (list === null) return null;
  const shown = new Uint8Array(s.analyzer.index.count);
  for (let i = 0; i < list.length; i++) shown[list[i]!] = 1;
  return shown;
}
