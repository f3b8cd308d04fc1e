// One fuzz target in a worker thread, so that the harness can stop a target that hangs: before each
// input runs, its bytes go into shared memory, where the main thread finds them if no case completes.

import { parentPort, workerData } from 'node:worker_threads';
import { fuzzTarget, type FuzzStats } from './engine';
import { allTargets } from './targets';

export interface WorkerJob {
  target: string;
  cases: number;
  seconds?: number;
  seed: number;
  corpusDir: string;
  filters: string[];
  /** [cases done (Int32), input length (Int32), input bytes…] */
  shared: SharedArrayBuffer;
}

export type WorkerReport = { type: 'progress'; cases: number } | { type: 'done'; stats: FuzzStats };

const job = workerData as WorkerJob;
const header = new Int32Array(job.shared, 0, 2);
const body = new Uint8Array(job.shared, 8);
const target = allTargets(job.corpusDir, job.filters).find((t) => t.name === job.target);
if (target === undefined) throw new Error(`no fuzz target ${job.target}`);
await target.prepare?.();
const stats = fuzzTarget(target, {
  cases: job.cases,
  seconds: job.seconds,
  seed: job.seed,
  onCase: (input) => {
    const n = Math.min(input.length, body.length);
    body.set(n === input.length ? input : input.subarray(0, n));
    header[1] = n;
    Atomics.add(header, 0, 1);
  },
  onProgress: (cases) => parentPort!.postMessage({ type: 'progress', cases } satisfies WorkerReport),
});
parentPort!.postMessage({ type: 'done', stats } satisfies WorkerReport);
