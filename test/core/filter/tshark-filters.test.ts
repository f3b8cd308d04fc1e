// Display filters against tshark 4.0: for every capture and filter in test/fixtures/filter, the
// frames we display equal those `tshark -Y` displayed (scripts/make-filter-fixtures.mjs), except
// the differences exceptions.json explains. Also: the fast path (index, then replayed trees for
// what it cannot decide) agrees with evaluating every packet on its field tree alone.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import { Analyzer } from '../../../src/core/engine/analyzer';
import { compileFilter, isFilterError, type PacketTree } from '../../../src/core/filter/compile';
import { replayTrees } from '../../../src/core/filter/replay-trees';
import { runFilter } from '../../../src/core/filter/run';
import { readCaptureFile } from '../../../src/core/io/capture-reader';
import { RecordStore } from '../../../src/core/io/record-store';

const root = join(__dirname, '..', '..', '..');
const corpus = join(root, '..', 'shared', 'corpus');
const fixtures = join(root, 'test', 'fixtures', 'filter');

interface Spec {
  captures: string[];
  filters: string[];
}
interface Fixture {
  tshark: string;
  capture: string;
  frames: Record<string, number[] | { error: string }>;
}
interface Exception {
  capture: string;
  filter: string;
  /** Frames tshark shows that we do not, and frames we show that tshark does not. */
  missing?: number[];
  extra?: number[];
  reason: string;
}

const spec = JSON.parse(readFileSync(join(fixtures, 'filters.json'), 'utf8')) as Spec;
const exceptions = JSON.parse(readFileSync(join(fixtures, 'exceptions.json'), 'utf8')) as Exception[];

function fixtureFiles(): string[] {
  const manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8')) as { captures: string[] };
  return manifest.captures.filter((c) => existsSync(join(fixtures, `${c}.json`)) && existsSync(join(corpus, c)));
}

async function analyse(capture: string) {
  const path = join(corpus, capture);
  const gz = capture.endsWith('.gz');
  const store = gz ? RecordStore.spooled() : RecordStore.forFile(path);
  const { analyzer } = await analyzeFile(path, gz ? { onChunk: (chunk, offset) => store.append(chunk, offset) } : {});
  const index = analyzer.index;
  const source = {
    index,
    interfaces: analyzer.interfaces,
    bytes: (row: number) => store.read(index.fileOffset(row), index.caplen(row)),
    comments: (row: number) => index.comments.get(row) ?? [],
    tlsKeys: analyzer.tlsKeys,
  };
  return { analyzer, store, source };
}

/** Every packet's tree from one whole pass (the reference the fast path must agree with). */
async function allTrees(capture: string): Promise<PacketTree[]> {
  const trees: PacketTree[] = [];
  const analyzer = new Analyzer({ tree: true, onPacket: (p, row) => (trees[row] = p.tree!) });
  await readCaptureFile(join(corpus, capture), analyzer);
  analyzer.finish();
  return trees;
}

const diff = (a: number[], b: number[]) => a.filter((x) => !b.includes(x));

describe('display filters agree with tshark 4.0', () => {
  for (const capture of fixtureFiles()) {
    it(capture, async () => {
      const fixture = JSON.parse(readFileSync(join(fixtures, `${capture}.json`), 'utf8')) as Fixture;
      const { analyzer, store, source } = await analyse(capture);
      const reference = await allTrees(capture);
      const problems: string[] = [];
      try {
        for (const filter of spec.filters) {
          const expected = fixture.frames[filter];
          const compiled = compileFilter(filter, analyzer.registry);
          if (isFilterError(compiled)) throw new Error(`${filter}: ${compiled.error}`);
          if (expected === undefined || !Array.isArray(expected)) continue;
          const ctx = { index: analyzer.index, addresses: analyzer.addresses, conversations: analyzer.flows.store };
          const rows = await runFilter(compiled, { ...ctx, trees: replayTrees(source, analyzer.flows.store) });
          const ours = [...rows].map((r) => r + 1);

          // Both paths of our own engine must agree before tshark is asked.
          const bound = compiled.bind(ctx, { treeOnly: true });
          const treeOnly = reference.flatMap((t, row) => (bound.matchTree(t, row) ? [row + 1] : []));
          if (treeOnly.join() !== ours.join()) {
            problems.push(`${filter}: fast path ${ours.join(' ')} but tree path ${treeOnly.join(' ')}`);
          }

          const missing = diff(expected, ours);
          const extra = diff(ours, expected);
          const known = exceptions.find((e) => e.capture === capture && e.filter === filter);
          if (known !== undefined) {
            if ((known.missing ?? []).join() !== missing.join() || (known.extra ?? []).join() !== extra.join()) {
              problems.push(`${filter}: exception out of date (missing ${missing.join(' ')}, extra ${extra.join(' ')}; recorded missing ${(known.missing ?? []).join(' ')}, extra ${(known.extra ?? []).join(' ')})`);
            }
          } else if (missing.length > 0 || extra.length > 0) {
            problems.push(`${filter}: tshark shows ${missing.join(' ') || '-'} that we do not, we show ${extra.join(' ') || '-'} that tshark does not`);
          }
        }
      } finally {
        store.close();
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
});
