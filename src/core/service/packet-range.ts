// Which packets an export writes (Wireshark's packet range: ui/packet_range.c): all, the selected
// one, the marked ones, first to last marked, or a typed range ("1-10,15,20-"), each among the
// captured or only the displayed packets, optionally leaving the ignored ones out.

import type { CaptureSession } from './session';
import type { PacketRangeDto } from './dto';

export class PacketRangeError extends Error {
  override name = 'PacketRangeError';
}

/** `"1-10,15,20-"` → inclusive [from, to] pairs of frame numbers (an open end runs to `last`). */
export function parseRange(text: string, last: number): [number, number][] {
  const out: [number, number][] = [];
  for (const part of text.split(',')) {
    const p = part.trim();
    if (p === '') continue;
    const m = /^(\d*)\s*-\s*(\d*)$/.exec(p) ?? /^(\d+)$/.exec(p);
    if (m === null) throw new PacketRangeError(`"${p}" is not a packet number or range (such as 1-10, 15 or 20-)`);
    if (m.length === 2) {
      const n = Number(m[1]);
      out.push([n, n]);
      continue;
    }
    const from = m[1] === '' ? 1 : Number(m[1]);
    const to = m[2] === '' ? last : Number(m[2]);
    if (m[1] === '' && m[2] === '') throw new PacketRangeError('"-" names no packets');
    out.push(from <= to ? [from, to] : [to, from]);
  }
  if (out.length === 0) throw new PacketRangeError('the range names no packets');
  return out;
}

/** A per-row mask of the packets a range selects (1 = write it). */
export function rangeMask(s: CaptureSession, range: PacketRangeDto): Uint8Array {
  const n = s.rowCount;
  const mask = new Uint8Array(n);
  switch (range.scope) {
    case 'all':
      mask.fill(1);
      break;
    case 'selected': {
      const row = (range.selected ?? 0) - 1;
      if (row < 0 || row >= n) throw new PacketRangeError('no packet is selected');
      mask[row] = 1;
      break;
    }
    case 'marked':
      for (const row of s.marked) if (row < n) mask[row] = 1;
      break;
    case 'first-last-marked': {
      if (s.marked.size === 0) break;
      const rows = [...s.marked];
      mask.fill(1, Math.min(...rows), Math.max(...rows) + 1);
      break;
    }
    case 'range':
      for (const [from, to] of parseRange(range.range ?? '', n)) {
        const a = Math.max(1, from);
        const b = Math.min(n, to);
        if (a <= b) mask.fill(1, a - 1, b);
      }
      break;
  }
  if (range.displayed && s.displayed !== null) {
    const shown = new Uint8Array(n);
    for (const row of s.displayed) shown[row] = 1;
    for (let r = 0; r < n; r++) mask[r] = mask[r]! & shown[r]!;
  }
  if (range.removeIgnored) for (const row of s.ignored) if (row < n) mask[row] = 0;
  return mask;
}

/** How many packets a range selects (the export dialog's counts). */
export function rangeCount(s: CaptureSession, range: PacketRangeDto): number {
  let count = 0;
  for (const v of rangeMask(s, range)) count += v;
  return count;
}
