// The fuzz loop for one target: start from the seeds, mutate a corpus entry, run it, keep inputs
// that showed a behaviour not seen before (output-guided: a cheap stand-in for coverage), and
// record every distinct throw with the smallest input that caused it.

import { createHash } from 'node:crypto';
import { mutateBytes, mutateText, Rng } from './mutate';
import type { FuzzTarget } from './targets';

export interface Finding {
  target: string;
  /** What identifies it: the error's shape and the first engine frame of its stack. */
  key: string;
  message: string;
  stack: string;
  input: Uint8Array;
}

export interface FuzzStats {
  target: string;
  cases: number;
  seconds: number;
  execsPerSecond: number;
  corpus: number;
  features: number;
  findings: Finding[];
}

export interface FuzzOptions {
  /** Stop after this many executions (seeds included). */
  cases: number;
  /** Or after this many seconds, whichever comes first. */
  seconds?: number;
  seed: number;
  /** Called with each input just before it runs (the hang watchdog keeps a copy). */
  onCase?: (input: Uint8Array) => void;
  /** Called every 1,000 cases. */
  onProgress?: (cases: number) => void;
  maxCorpus?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The first stack frame inside the engine (src/), which names where the throw came from. */
function where(stack: string): string {
  const line = stack.split('\n').find((l) => /src[/\\]core|src[/\\]shared/.test(l));
  return (line ?? stack.split('\n')[1] ?? '').trim().replace(/^at\s+/, '').replace(/:\d+\)?$/, '').replace(/\(.*[/\\]src[/\\]/, '(src/');
}

export function findingKey(err: unknown): { key: string; message: string; stack: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  const stack = e.stack ?? e.message;
  const message = `${e.name}: ${e.message}`;
  const shape = message.replace(/\d+/g, '#').slice(0, 120);
  return { key: createHash('sha1').update(`${shape}|${where(stack)}`).digest('hex').slice(0, 12), message, stack };
}

export function fuzzTarget(target: FuzzTarget, opts: FuzzOptions): FuzzStats {
  const rng = new Rng(opts.seed);
  const maxCorpus = opts.maxCorpus ?? 4000;
  const corpus: Uint8Array[] = [];
  const seedCount: number[] = [];
  const features = new Set<string>();
  const findings = new Map<string, Finding>();
  const deadline = opts.seconds === undefined ? Number.POSITIVE_INFINITY : Date.now() + opts.seconds * 1000;
  const started = process.hrtime.bigint();
  let cases = 0;

  const execute = (input: Uint8Array): boolean => {
    opts.onCase?.(input);
    cases++;
    if (cases % 1000 === 0) opts.onProgress?.(cases);
    let fresh = false;
    try {
      for (const f of target.run(input)) {
        if (!features.has(f)) {
          features.add(f);
          fresh = true;
        }
      }
    } catch (err) {
      const { key, message, stack } = findingKey(err);
      const known = findings.get(key);
      if (known === undefined || input.length < known.input.length) findings.set(key, { target: target.name, key, message, stack, input: input.slice() });
      return false;
    }
    return fresh;
  };

  for (const s of target.seeds()) {
    if (cases >= opts.cases) break;
    execute(s);
    corpus.push(s);
  }
  seedCount.push(corpus.length);
  if (corpus.length === 0) corpus.push(new Uint8Array(0));
  // Seeds stay; room for as many finds again, or maxCorpus, whichever is larger.
  const room = Math.max(maxCorpus, 2 * corpus.length);

  while (cases < opts.cases) {
    if ((cases & 255) === 0 && Date.now() >= deadline) break;
    // Half the time one of the newest entries: what just found something new is worth pursuing.
    const recent = Math.max(1, Math.floor(corpus.length / 10));
    const parent = rng.chance(0.5) ? corpus[corpus.length - 1 - rng.below(recent)]! : rng.pick(corpus);
    const other = rng.pick(corpus);
    let input: Uint8Array;
    if (target.kind === 'text') {
      input = encoder.encode(mutateText(decoder.decode(parent), rng, decoder.decode(other), target.dictionary ?? [], target.maxLen));
    } else {
      input = mutateBytes(parent, rng, other, target.maxLen);
    }
    if (execute(input)) {
      if (corpus.length < room) corpus.push(input);
      else corpus[seedCount[0]! + rng.below(room - seedCount[0]!)] = input;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    target: target.name,
    cases,
    seconds,
    execsPerSecond: Math.round(cases / Math.max(seconds, 1e-9)),
    corpus: corpus.length,
    features: features.size,
    findings: [...findings.values()],
  };
}
