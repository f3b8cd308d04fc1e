// A replay of one conversation's rows (what the ladder, the TLS records view and the detail pane
// run) must see that conversation as the whole-file pass saw it. IP fragments are the hard case:
// the fragments of a datagram belong to no conversation, yet the packet that completes it does.

import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import { laterFramesOf } from '../../../src/core/engine/field-values';
import { replay, withFragments, type ReplaySource } from '../../../src/core/engine/replay';
import type { Analyzer } from '../../../src/core/engine/analyzer';
import type { Conversation } from '../../../src/core/flow/conversation';
import type { ConversationStore } from '../../../src/core/flow/conversation-store';
import { detectFormat } from '../../../src/core/io/capture-reader';
import { RecordStore } from '../../../src/core/io/record-store';
import { EngineService } from '../../../src/core/service/engine-service';
import { tlsOf } from '../../../src/core/engine/app-of';
import { corpusFiles, corpusPath } from '../io/helpers';
import { readFileSync, statSync } from 'node:fs';
import type { FieldNode } from '../../../src/core/dissect/tree';
import type { FieldNodeDto } from '../../../src/core/service/dto';

async function open(rel: string): Promise<{ analyzer: Analyzer; src: ReplaySource; close: () => void }> {
  const path = corpusPath(rel);
  const gz = detectFormat(readFileSync(path).subarray(0, 16)) === 'gzip';
  const store = gz ? RecordStore.spooled() : RecordStore.forFile(path);
  const { analyzer } = await analyzeFile(path, gz ? { onChunk: (chunk: Uint8Array, offset: number) => store.append(chunk, offset) } : {});
  const index = analyzer.index;
  const src: ReplaySource = {
    index,
    interfaces: analyzer.interfaces,
    bytes: (row) => store.read(index.fileOffset(row), index.caplen(row)),
    comments: () => [],
    tlsKeys: analyzer.tlsKeys,
  };
  return { analyzer, src, close: () => store.close() };
}

/** What a conversation is, as both passes must agree on it. */
function facts(c: Conversation, store: ConversationStore): unknown {
  const tls = tlsOf(c);
  return {
    proto: c.proto,
    stream: c.stream,
    firstRow: c.firstRow,
    lastRow: store.lastRow(c.id),
    packets: [store.packets(c.id, 0), store.packets(c.id, 1)],
    bytes: [store.bytes(c.id, 0), store.bytes(c.id, 1)],
    handshake: c.tcp?.handshakeStatus() ?? null,
    states: c.tcp !== null ? [c.tcp.clientState(), c.tcp.serverState()] : null,
    tls: tls === null ? null : { version: tls.session.version, cipher: tls.session.cipherSuite, sni: tls.session.sni, resumed: tls.session.resumed, alerts: tls.session.alerts.length },
  };
}

describe('replaying one conversation', () => {
  it('every conversation of every corpus capture replays as the whole-file pass saw it', async () => {
    let conversations = 0;
    let withFragmentRows = 0;
    for (const rel of corpusFiles()) {
      const { analyzer, src, close } = await open(rel);
      try {
        for (const c of analyzer.flows.conversations) {
          const rows = analyzer.index.rowsOfStream(c.id);
          if (withFragments(analyzer.index, rows) !== rows) withFragmentRows++;
          const again = replay(src, { rows, streamOf: (row) => (row === rows[0] ? c.stream : undefined) });
          const rc = again.flows.conversations.find((x) => x.firstRow === c.firstRow);
          expect(rc && facts(rc, again.flows.store), `${rel} conversation ${c.id}`).toEqual(facts(c, analyzer.flows.store));
          conversations++;
        }
      } finally {
        close();
      }
    }
    // The check is not vacuous: the corpus has conversations carried in reassembled IP datagrams.
    expect(conversations).toBeGreaterThan(100);
    expect(withFragmentRows).toBeGreaterThan(0);
  });

  it('fragments are replayed before the packet that completed their datagram, each once', async () => {
    const { analyzer, close } = await open('zeek/ipv4/fragmented-4.pcap');
    close();
    const index = analyzer.index;
    // Frames 2, 3, 4 are fragments reassembled in frame 5 (rows are frame numbers − 1).
    expect([...index.fragmentRows]).toEqual([[4, [1, 2, 3]]]);
    expect([...index.reassembledIn]).toEqual([[1, 4], [2, 4], [3, 4]]);
    expect(withFragments(index, [4, 5])).toEqual([1, 2, 3, 4, 5]);
    expect(withFragments(index, [0, 5])).toEqual([0, 5]);
    // A fragment asked for again after its datagram (the detail pane's revisit).
    expect(withFragments(index, [4, 1])).toEqual([1, 2, 3, 4, 1]);
  });
});

describe('the detail pane and the ladder on a reassembled IP datagram', () => {
  it('the completing packet shows TCP on the reassembled datagram; its fragments name it', async () => {
    const e = new EngineService();
    const { session } = await e.openFile({ path: corpusPath('zeek/ipv4/fragmented-4.pcap') });
    await e.whenLoaded(session);
    const five = await e.packetDetail({ session, packet: 5 });
    expect(five.layers.map((l) => l.protocol)).toEqual(['frame', 'eth', 'ip', 'tcp']);
    expect(five.layers[3]!.title).toBe('Transmission Control Protocol, Src Port: 7790, Dst Port: 80, Len: 69');
    const labels = (d: typeof five) => JSON.stringify(d.layers[2]!.fields);
    // As tshark -V shows it.
    expect(labels(five)).toContain('[4 IPv4 Fragments (89 bytes): #2(24), #5(48), #3(24), #4(17)]');
    expect(five.sources.map((s) => s.name)).toContain('Reassembled IPv4');
    for (const n of [2, 3, 4]) {
      const d = await e.packetDetail({ session, packet: n });
      expect(d.layers.map((l) => l.protocol)).toEqual(['frame', 'eth', 'ip']);
      // As Wireshark's second pass (tshark -2 -V) shows it.
      expect(labels(d)).toContain('[Reassembled IPv4 in frame: 5]');
    }
    // The ladder of tcp.stream 1 has both of its packets: the reassembled data, then the FIN.
    const ladder = await e.ladder({ session, conversation: 1, options: { layout: 'time', theme: 'light' } as never });
    expect(ladder.model.steps.map((s) => s.label)).toEqual(['<none> seq=1 len=69', 'FIN seq=70']);
    expect(ladder.model.stream).toBe(1);
    await e.closeSession({ session });
  });
});

/**
 * A tree as labels only (what the detail pane shows), without the lines a second pass adds and
 * without hidden fields (they exist for filters and `-T fields`; the pane does not draw them).
 */
interface Shown {
  label: string;
  children?: Shown[];
}
const REASSEMBLED_IN = /^\[Reassembled IPv[46] in frame: \d+\]$/;
function shown(nodes: readonly (FieldNode | FieldNodeDto)[], secondPass: string[]): Shown[] {
  const out: Shown[] = [];
  for (const n of nodes) {
    if ('hidden' in n && n.hidden === true) continue;
    if (REASSEMBLED_IN.test(n.label)) {
      secondPass.push(n.label);
      continue;
    }
    const kids = n.children ?? null;
    out.push(kids !== null && kids.length > 0 ? { label: n.label, children: shown(kids, secondPass) } : { label: n.label });
  }
  return out;
}

describe('the detail pane against the whole-file tree pass', () => {
  it('every packet of every corpus capture (up to 2 MB) shows the tree the whole-file pass builds', async () => {
    const e = new EngineService();
    let packets = 0;
    const added: string[] = [];
    for (const rel of corpusFiles()) {
      const path = corpusPath(rel);
      if (statSync(path).size > 2_000_000) continue;
      // The pass `wireladder fields` runs, which agrees with tshark on the corpus, after a first pass
      // over the whole file for the references to later packets (tshark -2), which the detail pane
      // finds by replaying the packet's conversation only as far as it must.
      const whole: string[] = [];
      const laterFrames = await laterFramesOf(path);
      await analyzeFile(path, {
        tree: true,
        laterFrames,
        onPacket: (p, row) => {
          whole[row] = JSON.stringify(p.tree!.layers.map((l) => ({ title: l.title, fields: shown(l.fields, []) })));
        },
      });
      const { session } = await e.openFile({ path });
      const info = await e.whenLoaded(session);
      for (let n = 1; n <= info.packets; n++) {
        const d = await e.packetDetail({ session, packet: n });
        const mine = JSON.stringify(d.layers.map((l) => ({ title: l.title, fields: shown(l.fields, added) })));
        expect(mine, `${rel} packet ${n}`).toBe(whole[n - 1]);
        packets++;
      }
      await e.closeSession({ session });
    }
    expect(packets).toBeGreaterThan(3000);
    // Only the fragments of reassembled datagrams gain a line: the frame that completed them, as
    // Wireshark's second pass shows it (tshark's single pass cannot know it yet).
    expect(added).toEqual([
      '[Reassembled IPv4 in frame: 3]',
      '[Reassembled IPv4 in frame: 3]',
      '[Reassembled IPv4 in frame: 5]',
      '[Reassembled IPv4 in frame: 5]',
      '[Reassembled IPv4 in frame: 5]',
      '[Reassembled IPv6 in frame: 8]',
      '[Reassembled IPv6 in frame: 8]',
    ]);
  });
});
