// Watches the V8 heap and the process's resident size while a capture is read, so a capture too
// big for this machine stops with a clear message, everything read kept, instead of ending in
// V8's "heap out of memory" abort (DESIGN: a capture too big for memory stops with a clear message).

import { constrainedMemory, memoryUsage } from 'node:process';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/** What the guard reads at each check (injectable, so tests can run out of memory on cue). */
export interface MemorySample {
  heapUsed: number;
  heapLimit: number;
  rss: number;
}

export interface MemoryLimits {
  /** Stop when the V8 heap in use passes this share of its limit (default 0.85). */
  heapFraction?: number;
  /**
   * Stop when the resident size passes this many bytes. Default: the environment variable
   * WIRELADDER_MEMORY_LIMIT (bytes, or with a k/M/G suffix), else 80 % of the memory this
   * process may use (its cgroup limit, or the machine's memory).
   */
  rssBytes?: number;
  sample?: () => MemorySample;
}

export function sampleMemory(): MemorySample {
  const heap = getHeapStatistics();
  return { heapUsed: heap.used_heap_size, heapLimit: heap.heap_size_limit, rss: memoryUsage.rss() };
}

/** `200M` → 209,715,200; plain numbers are bytes; null when not a size. */
export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)i?[bB]?\s*$/.exec(text);
  if (m === null) return null;
  const unit = m[2]!.toLowerCase();
  const scale = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * scale);
}

function defaultRssLimit(): number {
  const fromEnv = process.env['WIRELADDER_MEMORY_LIMIT'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const bytes = parseByteSize(fromEnv);
    if (bytes !== null) return bytes;
  }
  // constrainedMemory() is 0 or a huge number when no cgroup limit applies.
  const cgroup = typeof constrainedMemory === 'function' ? constrainedMemory() : 0;
  const total = totalmem();
  const available = cgroup > 0 && cgroup < total ? cgroup : total;
  return Math.floor(available * 0.8);
}

export class MemoryGuard {
  readonly heapFraction: number;
  readonly rssBytes: number;
  private readonly sample: () => MemorySample;

  constructor(limits: MemoryLimits = {}) {
    this.heapFraction = limits.heapFraction ?? 0.85;
    this.rssBytes = limits.rssBytes ?? defaultRssLimit();
    this.sample = limits.sample ?? sampleMemory;
  }

  /** Null while there is room; otherwise which limit was reached. Cheap enough to call per chunk. */
  check(): string | null {
    const m = this.sample();
    if (m.heapUsed > m.heapLimit * this.heapFraction) return `the JavaScript heap is ${Math.round((100 * m.heapUsed) / m.heapLimit)} % full`;
    if (m.rss > this.rssBytes) return `resident memory ${mib(m.rss)} passed the limit of ${mib(this.rssBytes)}`;
    return null;
  }
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024).toLocaleString('en-US')} MiB`;
}

/**
 * The message for a read stopped by the guard (the app and the CLI show it as it is):
 * "stopped at 12,345,678 packets (71 %): memory limit reached — the packets read are all available".
 */
export function memoryStopMessage(packets: number, fraction: number): string {
  return `stopped at ${packets.toLocaleString('en-US')} packets (${Math.floor(fraction * 100)} %): memory limit reached — the packets read are all available`;
}
