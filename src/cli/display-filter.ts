// `-Y FILTER` for the CLI: a display filter applied in the single analysis pass, as tshark's -Y
// (each packet is judged when it is read, with what the pass knows up to it).

import type { Analyzer } from '../core/engine/analyzer';
import type { Packet } from '../core/dissect/packet';
import { compileFilter, isFilterError, type BoundFilter, type CompiledFilter } from '../core/filter/compile';
import { UsageError } from './args';

export interface PassFilter {
  /** Packets need their field tree (the index alone cannot decide every packet). */
  readonly needsTree: boolean;
  /** Does the packet the analyzer just passed to onPacket match? */
  matches(p: Packet, row: number, analyzer: Analyzer): boolean;
}

/** Compiles `-Y` against the fields an analysis pass declares; a bad filter is a usage error. */
export function passFilter(text: string | undefined, probe: Analyzer): PassFilter | null {
  if (text === undefined) return null;
  const compiled = compileFilter(text, probe.registry);
  if (isFilterError(compiled)) throw new UsageError(`-Y: ${compiled.error}`);
  return new SinglePass(compiled);
}

class SinglePass implements PassFilter {
  private bound: BoundFilter | null = null;

  constructor(private readonly compiled: CompiledFilter) {}

  get needsTree(): boolean {
    return this.compiled.needsTree;
  }

  matches(p: Packet, row: number, analyzer: Analyzer): boolean {
    // Bound at the first packet: the filter's relative times count from it.
    this.bound ??= this.compiled.bind({ index: analyzer.index, addresses: analyzer.addresses, conversations: analyzer.flows.store });
    const fast = this.bound.test(row);
    if (fast !== null) return fast;
    return p.tree !== null && this.bound.matchTree(p.tree, row);
  }
}
