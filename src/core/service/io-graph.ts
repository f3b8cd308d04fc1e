// The I/O graph: per interval from the first packet, how many packets (bytes, bits) matched each
// series' display filter (empty: every packet), as Wireshark's Statistics › I/O Graphs counts them.

import { compileFilter, isFilterError } from '../filter/compile';
import { captureFilterSource } from '../filter/capture-source';
import { runFilter } from '../filter/run';
import type { AppParserFactory } from '../flow/app-parser';
import type { CaptureSession } from './session';
import type { IoGraphDto, IoSeriesRequestDto } from './dto';

/** More intervals than this is a mistake (a 1 ms interval over a day); ask for a larger one. */
export const MAX_INTERVALS = 100_000;

export interface IoGraphContext {
  signal: AbortSignal;
  onProgress(done: number, total: number): void;
  appFactories: readonly AppParserFactory[];
}

export async function ioGraph(s: CaptureSession, intervalSeconds: number, series: readonly IoSeriesRequestDto[], ctx: IoGraphContext): Promise<IoGraphDto> {
  const index = s.analyzer.index;
  const n = s.rowCount;
  const duration = n > 0 ? index.relativeTime(n - 1) : 0;
  const buckets = Math.floor(duration / intervalSeconds) + 1;
  if (buckets > MAX_INTERVALS) {
    throw new Error(`an interval of ${intervalSeconds} s cuts this capture (${duration.toFixed(3)} s) into ${buckets.toLocaleString('en-US')} intervals; choose a longer one`);
  }
  const out: IoGraphDto['series'] = [];
  for (let k = 0; k < series.length; k++) {
    const { filter, unit } = series[k]!;
    const values = new Array<number>(buckets).fill(0);
    let rows: Int32Array | null = null;
    if (filter.trim() !== '') {
      const compiled = compileFilter(filter.trim(), s.analyzer.registry);
      if (isFilterError(compiled)) {
        out.push({ filter, unit, values: [], error: compiled.error });
        continue;
      }
      rows = await runFilter(compiled, captureFilterSource(s, { appFactories: ctx.appFactories }), { signal: ctx.signal });
    }
    const count = rows === null ? n : rows.length;
    for (let i = 0; i < count; i++) {
      const row = rows === null ? i : rows[i]!;
      const b = Math.min(buckets - 1, Math.floor(index.relativeTime(row) / intervalSeconds));
      const len = index.wirelen(row);
      values[b]! += unit === 'packets' ? 1 : unit === 'bytes' ? len : len * 8;
    }
    out.push({ filter, unit, values, error: null });
    ctx.onProgress(k + 1, series.length);
  }
  return { intervalSeconds, series: out };
}
