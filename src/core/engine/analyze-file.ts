// One call to read and analyse a capture file (CLI, tests, benchmark).

import { readCaptureFile, type ReadOptions, type ReadResult } from '../io/capture-reader';
import { Analyzer, type AnalyzerOptions } from './analyzer';

export interface AnalyzedFile {
  analyzer: Analyzer;
  result: ReadResult;
}

export async function analyzeFile(path: string, opts: AnalyzerOptions & ReadOptions = {}): Promise<AnalyzedFile> {
  const analyzer = new Analyzer(opts);
  const result = await readCaptureFile(path, analyzer, opts);
  analyzer.finish();
  return { analyzer, result };
}
