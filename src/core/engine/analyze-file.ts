// One call to read and analyse a capture file (CLI, tests, benchmark).

import { readCaptureFile, type ReadOptions, type ReadResult } from '../io/capture-reader';
import { Analyzer, type AnalyzerOptions } from './analyzer';
import { MemoryGuard } from '../util/memory-guard';

export interface AnalyzedFile {
  analyzer: Analyzer;
  result: ReadResult;
}

/**
 * Reads and analyses `path`. Unlike a bare Analyzer (the engine's whole-file pass, which keeps
 * only session summaries), callers here get the full application model (TLS records and
 * messages) unless they pass `summaryOnly: true`.
 */
export async function analyzeFile(path: string, opts: AnalyzerOptions & ReadOptions = {}): Promise<AnalyzedFile> {
  const analyzer = new Analyzer({ summaryOnly: false, ...opts });
  // Memory is watched unless the caller brings its own guard: a capture too big stops with a reason.
  let result: ReadResult;
  try {
    result = await readCaptureFile(path, analyzer, { memoryGuard: new MemoryGuard(), ...opts });
  } catch (err) {
    await analyzer.stop();
    throw err;
  }
  await analyzer.complete();
  return { analyzer, result };
}
