// The conversation store (typed-array columns per conversation) and the compacting whole-file
// pass built on it: releasing a connection's objects and restoring them for a late packet must
// change nothing anyone sees — every packet's analysis, every conversation's summary and verdict —
// on every corpus capture, even when connections are released after every packet.

import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Analyzer, type AnalyzerOptions } from '../../../src/core/engine/analyzer';
import { conversationLatency, conversationVerdict } from '../../../src/core/engine/conversation-facts';
import type { ReplaySource } from '../../../src/core/engine/replay';
import { CONV_CHUNK_BITS, ConvFlag, ConversationStore, TextTable } from '../../../src/core/flow/conversation-store';
import { summarizeConversation } from '../../../src/core/flow/conversation-summary';
import { readCaptureFile } from '../../../src/core/io/capture-reader';
import { RecordStore } from '../../../src/core/io/record-store';
import { corpusFiles, corpusPath } from '../io/helpers';
import { diagnosisCaptures, expertOf } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'wireladder-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the conversation store', () => {
  it('keeps identity and counters per conversation across chunks, growing the first one from a few slots', () => {
    const store = new ConversationStore();
    const n = (1 << CONV_CHUNK_BITS) * 2 + 5;
    for (let id = 0; id < n; id++) {
      expect(store.add(id % 3 === 0 ? 17 : 6, id, id + 1, 1000 + (id % 60000), 7, 443, id * 2)).toBe(id);
      store.count1(id, 0, id * 2, 100, 40, 1_700_000_000, id);
      store.count1(id, 1, id * 2 + 1, 60, 0, 1_700_000_001, 5);
      store.setRole(id, id % 2 === 0, 'port');
    }
    expect(store.count).toBe(n);
    expect(store.udpCount + store.tcpCount).toBe(n);
    for (const id of [0, 15, 16, 17, 4095, 4096, n - 1]) {
      expect([store.proto(id), store.stream(id), store.addrA(id), store.portA(id), store.addrB(id), store.portB(id)]).toEqual([id % 3 === 0 ? 17 : 6, id, id + 1, 1000 + (id % 60000), 7, 443]);
      expect([store.firstRow(id), store.lastRow(id)]).toEqual([id * 2, id * 2 + 1]);
      expect([store.packets(id, 0), store.bytes(id, 0), store.payloadBytes(id, 0), store.packets(id, 1), store.bytes(id, 1)]).toEqual([1, 100, 40, 1, 60]);
      expect(store.duration(id)).toBeCloseTo(1 + (5 - id) / 1e9, 9);
      expect(store.clientIsA(id)).toBe(id % 2 === 0);
      expect(store.roleReason(id)).toBe('port');
      // Columns that start as "not seen" still say so after the chunk grew.
      expect([store.chunkOf(id).synRow[id & 4095], store.chunkOf(id).httpTransactions[id & 4095]]).toEqual([-1, -1]);
    }
  });

  it('returns the time since the conversation’s previous packet, in row order', () => {
    const store = new ConversationStore();
    const id = store.add(6, 0, 1, 1, 2, 2, 0);
    expect(store.count1(id, 0, 0, 60, 0, 100, 0)).toBe(-1);
    expect(store.count1(id, 1, 1, 60, 0, 100, 500_000_000)).toBeCloseTo(0.5, 9);
    expect(store.count1(id, 0, 2, 60, 0, 102, 500_000_000)).toBeCloseTo(2, 9);
  });

  it('interns texts once, 0 meaning none', () => {
    const t = new TextTable();
    expect(t.id(null)).toBe(0);
    const a = t.id('example.com');
    expect(t.id('example.com')).toBe(a);
    expect(t.text(a)).toBe('example.com');
    expect(t.known('other')).toBe(0);
    expect(t.size).toBe(1);
  });
});

/** Everything a view could see of a pass: each row's index columns and each conversation's summary. */
async function seenBy(path: string, opts: AnalyzerOptions): Promise<{ rows: unknown[]; convs: unknown[]; analyzer: Analyzer; src: ReplaySource; close(): void }> {
  const records = RecordStore.forCapture(path);
  const analyzer = new Analyzer(opts);
  await readCaptureFile(path, analyzer, { onChunk: records.isSpool ? (c, o) => records.append(c, o) : undefined });
  analyzer.finish();
  const index = analyzer.index;
  const rows: unknown[] = [];
  for (let r = 0; r < index.count; r++) rows.push([index.stream(r), index.analysis(r), index.proto(r), index.marks(r), index.info(r), index.infoText.get(r), expertOf(index, r)]);
  const src: ReplaySource = { index, interfaces: analyzer.interfaces, bytes: (row) => records.read(index.fileOffset(row), index.caplen(row)), comments: () => [] };
  const store = analyzer.flows.store;
  const convs: unknown[] = [];
  for (let id = 0; id < store.count; id++) {
    const verdict = conversationVerdict(src, store, id, []);
    convs.push([summarizeConversation(store, id, analyzer.addresses, verdict), conversationLatency(src, store, id, [])]);
  }
  return { rows, convs, analyzer, src, close: () => records.close() };
}

/** `seenBy` needs the app parsers of the pass to replay a stale verdict: the default ones. */
async function seenWithApps(path: string, opts: AnalyzerOptions): ReturnType<typeof seenBy> {
  const out = await seenBy(path, opts);
  const store = out.analyzer.flows.store;
  const { defaultAppFactories } = await import('../../../src/core/engine/app-factories');
  out.convs = [];
  // With the keys the pass had (a capture's own key log): a replay decrypts as the pass did.
  const apps = defaultAppFactories({ tlsKeys: out.analyzer.tlsKeys });
  for (let id = 0; id < store.count; id++) {
    out.convs.push([summarizeConversation(store, id, out.analyzer.addresses, conversationVerdict(out.src, store, id, apps)), conversationLatency(out.src, store, id, apps)]);
  }
  return out;
}

describe('the compacting pass', () => {
  const churn = { compact: true, compaction: { idleSeconds: 0, sweepPackets: 1 } };

  it('sees every corpus capture exactly as the pass that keeps every object, also when connections are released after every packet', async () => {
    let released = 0;
    let conversations = 0;
    for (const [rel, path] of [...corpusFiles().map((f) => [f, corpusPath(f)] as const), ...diagnosisCaptures()]) {
      const kept = await seenWithApps(path, {});
      const compact = await seenWithApps(path, { compact: true });
      const churned = await seenWithApps(path, churn);
      try {
        expect(compact.rows, rel).toEqual(kept.rows);
        expect(compact.convs, rel).toEqual(kept.convs);
        expect(churned.rows, rel).toEqual(kept.rows);
        expect(churned.convs, rel).toEqual(kept.convs);
        // The objects are gone once the pass is over; only the store remains.
        const flows = compact.analyzer.flows;
        for (let id = 0; id < flows.store.count; id++) expect(flows.objectOf(id)).toBeUndefined();
        expect(flows.conversations).toHaveLength(0);
        conversations += flows.store.count;
        released += churned.analyzer.flows.store.count;
      } finally {
        kept.close();
        compact.close();
        churned.close();
      }
    }
    expect(conversations).toBeGreaterThan(100);
    expect(released).toBe(conversations);
  });

  it('what the reading thread tracks of each TCP end (base of relative numbers, window shift) is what the connection’s analysis ends with', async () => {
    let ends = 0;
    for (const rel of corpusFiles()) {
      const analyzer = new Analyzer();
      await readCaptureFile(corpusPath(rel), analyzer);
      analyzer.finish();
      for (const c of analyzer.flows.conversations) {
        if (c.tcp === null) continue;
        for (const end of [0, 1]) {
          const f = c.tcp.flow[end]!;
          expect(analyzer.flows.tcpBase(c.id, end), `${rel} stream ${c.stream} end ${end}`).toEqual({ baseSeq: f.baseSeqSet ? f.baseSeq : null, winScale: f.winScale });
          ends++;
        }
      }
    }
    expect(ends).toBeGreaterThan(200);
  });

  it('a packet after a TLS connection closed restores its TCP state exactly, and its verdict is worked out again from a replay', async () => {
    // tls12-rsa.pcap with its last FIN sent again a second later (a retransmission after the close).
    const path = join(dir, 'late-fin.pcap');
    const bytes = readFileSync(corpusPath('local/tls12-rsa.pcap'));
    const records: { at: number; len: number }[] = [];
    for (let at = 24; at < bytes.length; at += 16 + bytes.readUInt32LE(at + 8)) records.push({ at, len: 16 + bytes.readUInt32LE(at + 8) });
    const fin = [...records].reverse().find((r) => (bytes[r.at + 16 + 14 + 20 + 13]! & 0x01) !== 0)!;
    const late = Buffer.from(bytes.subarray(fin.at, fin.at + fin.len));
    late.writeUInt32LE(bytes.readUInt32LE(records.at(-1)!.at) + 1, 0);
    const fd = openSync(path, 'w');
    writeSync(fd, bytes);
    writeSync(fd, late);
    closeSync(fd);

    const kept = await seenWithApps(path, {});
    // Closed connections are released at the next sweep: here after every packet.
    const compact = await seenWithApps(path, { compact: true, compaction: { idleSeconds: 1000, sweepPackets: 1 } });
    try {
      expect(compact.rows).toEqual(kept.rows);
      expect(compact.convs).toEqual(kept.convs);
      const store = compact.analyzer.flows.store;
      // Its stream was released at its close and restored for the late FIN: its parser was gone,
      // so the stored verdict went stale and the one shown came from a replay.
      const [id, analysis] = kept.rows.at(-1) as number[];
      expect(store.flags(id!) & ConvFlag.VerdictStale).toBe(ConvFlag.VerdictStale);
      // The late FIN is a retransmission to tshark's analysis, after the restore as before.
      expect(analysis).not.toBe(0);
    } finally {
      kept.close();
      compact.close();
    }
  });
});
