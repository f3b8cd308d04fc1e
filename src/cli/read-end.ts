// How a command that read a capture ends: 0, or 1 with the reason on stderr when the read stopped
// early (a damaged file, or memory running short), after everything read was printed.

import { basename } from 'node:path';
import type { ReadResult } from '../core/io/capture-reader';
import type { CliIo } from './main';

export function readEnd(io: CliIo, file: string, result: Pick<ReadResult, 'stop' | 'packets' | 'memoryLimit'>): number {
  if (result.stop !== null) {
    io.err(`wireladder: ${basename(file)}: stopped at byte ${result.stop.offset}: ${result.stop.reason}; ${result.packets} packets kept`);
    return 1;
  }
  if (result.memoryLimit !== null) {
    io.err(`wireladder: ${basename(file)}: ${result.memoryLimit.message} (${result.memoryLimit.detail})`);
    return 1;
  }
  return 0;
}
