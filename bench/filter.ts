// The display-filter benchmark (DESIGN: a display filter over 1M packets in < 300 ms): analyses
// the capture once, then times compile + run of filters the index answers on its own.

import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { analyzeFile } from '../src/core/engine/analyze-file';
import { compileFilter, isFilterError } from '../src/core/filter/compile';
import { runFilter, runIndexPass } from '../src/core/filter/run';

export const BENCH_FILTERS = [
  'tcp.port == 443 && tcp.flags.syn == 1',
  'ip.addr == 198.51.100.0/28 && !tcp.analysis.flags',
  'tls && frame.len > 1000 && tcp.stream in {100..20000}',
];

export interface FilterTiming {
  filter: string;
  packets: number;
  matches: number;
  /** Rows the index could not decide (they would be re-dissected). */
  unknown: number;
  ms: number;
}

/** Best of `runs` timings of each filter over `file` (the analysis pass is not counted). */
export async function benchFilters(file: string, runs: number, filters = BENCH_FILTERS): Promise<FilterTiming[]> {
  // As the app holds a capture: conversations in the store, analysed on every core.
  const { analyzer } = await analyzeFile(file, { compact: true, summaryOnly: true, workers: availableParallelism() });
  const source = { index: analyzer.index, addresses: analyzer.addresses, conversations: analyzer.flows.store };
  const out: FilterTiming[] = [];
  for (const text of filters) {
    let best = Infinity;
    let matches = 0;
    let unknown = 0;
    for (let r = 0; r < Math.max(1, runs); r++) {
      const t0 = performance.now();
      const compiled = compileFilter(text, analyzer.registry);
      if (isFilterError(compiled)) throw new Error(`${text}: ${compiled.error}`);
      const pass = runIndexPass(compiled.bind(source), source);
      unknown = pass.unknown.length;
      // With no unknown rows this is the whole of runFilter; otherwise runFilter would replay them.
      const rows = unknown === 0 ? await runFilter(compiled, source) : pass.matches;
      best = Math.min(best, performance.now() - t0);
      matches = rows.length;
    }
    out.push({ filter: text, packets: analyzer.index.count, matches, unknown, ms: best });
  }
  return out;
}
