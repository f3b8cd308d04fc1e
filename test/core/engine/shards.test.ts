// A whole-file pass split across analysis shards (worker threads) gives exactly what one thread
// gives: every row's analysis, Protocol, Info and expert items, every conversation's summary and
// diagnosis (verdict, findings, latencies), on every corpus and diagnosis capture, with
// conversations spread over the shards in turn and small read buffers (records cut by a buffer's
// end travel with their batch).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer, type AnalyzerOptions } from '../../../src/core/engine/analyzer';
import { defaultAppFactories } from '../../../src/core/engine/app-factories';
import { conversationLatency, conversationVerdict } from '../../../src/core/engine/conversation-facts';
import type { ReplaySource } from '../../../src/core/engine/replay';
import { summarizeConversation } from '../../../src/core/flow/conversation-summary';
import { readCaptureFile } from '../../../src/core/io/capture-reader';
import { RecordStore } from '../../../src/core/io/record-store';
import { corpusFiles, corpusPath } from '../io/helpers';
import { diagnosisCaptures, expertOf } from '../flow/helpers';

const shardWorkerPath = join(import.meta.dirname, '../../../out/engine/flow-shard.js');

async function pass(path: string, opts: AnalyzerOptions, chunkSize: number): Promise<{ rows: unknown[]; convs: unknown[]; shards: Set<number> }> {
  const records = RecordStore.forCapture(path);
  try {
    // The default parsers, built by the pass (so the shards can build the same).
    const analyzer = new Analyzer({ compact: true, shardWorkerPath, ...opts });
    await readCaptureFile(path, analyzer, { chunkSize, onChunk: records.isSpool ? (c, o) => records.append(c, o) : undefined });
    await analyzer.complete();
    const index = analyzer.index;
    expect(analyzer.publishedRows).toBe(index.count);
    const rows: unknown[] = [];
    // With each row's expert items: the flow stage raises most of them in the shard holding the conversation.
    for (let r = 0; r < index.count; r++) rows.push([index.stream(r), index.analysis(r), index.proto(r), index.marks(r), index.infoText.get(r), expertOf(index, r)]);
    const src: ReplaySource = { index, interfaces: analyzer.interfaces, bytes: (row) => records.read(index.fileOffset(row), index.caplen(row)), comments: () => [] };
    const store = analyzer.flows.store;
    const convs: unknown[] = [];
    const shards = new Set<number>();
    const apps = defaultAppFactories({ tlsKeys: analyzer.tlsKeys });
    for (let id = 0; id < store.count; id++) {
      // The diagnosis as the views read it: the verdict with its findings, and its latencies with their frames.
      convs.push([summarizeConversation(store, id, analyzer.addresses, conversationVerdict(src, store, id, apps)), conversationLatency(src, store, id, apps)]);
      shards.add(store.chunkOf(id).shard[id & 4095]!);
    }
    return { rows, convs, shards };
  } finally {
    records.close();
  }
}

describe('analysis shards', () => {
  it.skipIf(!existsSync(shardWorkerPath))('give every corpus capture exactly what one thread gives, for 2 and 3 threads', async () => {
    const used = new Set<number>();
    for (const [rel, path] of [...corpusFiles().map((f) => [f, corpusPath(f)] as const), ...diagnosisCaptures()]) {
      const one = await pass(path, { workers: 1 }, 1 << 20);
      for (const workers of [2, 3]) {
        const many = await pass(path, { workers, shardSpread: 'in-turn' }, 4096);
        expect(many.rows, `${rel}, ${workers} threads`).toEqual(one.rows);
        expect(many.convs, `${rel}, ${workers} threads`).toEqual(one.convs);
        for (const s of many.shards) used.add(s);
      }
    }
    // The reading thread's shard and both workers' analysed conversations.
    expect([...used].sort()).toEqual([0, 1, 2]);
  });
});
