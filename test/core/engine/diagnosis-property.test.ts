// One truth per conversation: for every TCP conversation of every corpus capture and every capture
// of test/fixtures/diagnosis, (1) the ladder's replay reaches the same facts and verdict as the
// whole-file pass (what the conversations table and `wireladder flows` show), and (2) no sentence of
// the ladder and no part of the verdict contradicts those facts — acknowledged bytes, states
// reached, who closed and how, messages seen, bytes missing or malformed. Every sentence key the
// ladder uses is either checked here or listed as saying nothing the facts decide.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import { diagnose, indexTimes, type ConversationDiagnosis, type DiagnosisFacts } from '../../../src/core/engine/diagnosis';
import { buildLadder } from '../../../src/core/ladder/build';
import type { LadderModel, LadderStep } from '../../../src/core/ladder/model';
import { en } from '../../../src/core/ladder/texts/en';
import { detectFormat } from '../../../src/core/io/capture-reader';
import { RecordStore } from '../../../src/core/io/record-store';
import { verdictText } from '../../../src/core/ladder/verdict-text';
import { corpusFiles, corpusPath } from '../io/helpers';
import { readFileSync } from 'node:fs';

const diagnosisDir = join(__dirname, '..', '..', 'fixtures', 'diagnosis');
const files: string[] = [...corpusFiles().map(corpusPath), ...readdirSync(diagnosisDir).filter((n) => n.endsWith('.pcap')).map((n) => join(diagnosisDir, n))];

type Check = (v: Record<string, string | number>, step: LadderStep, f: DiagnosisFacts) => string | null;
const num = (text: string | number | undefined): number => Number(String(text ?? '').replace(/[^0-9]/g, ''));
const inStep = (step: LadderStep, frame: number): boolean => frame > 0 && (step.packets.includes(frame) || (step.foldedAcks ?? []).includes(frame));
const lastOf = (step: LadderStep): number => step.packets[step.packets.length - 1]!;

/** What each sentence claims, checked against the facts. */
const CHECKS: Partial<Record<string, Check>> = {
  'tcp.rst.refused': (_v, s, f) =>
    f.tcp.synAckFrame === 0 || f.tcp.synAckFrame > lastOf(s) || f.tcp.attempts.some((a) => a.endFrame === lastOf(s)) ? null : 'says the port was closed after a SYN/ACK came back',
  'tcp.rst.unacked': (v, s, f) => {
    const r = f.tcp.resets.find((x) => inStep(s, x.frame));
    return r !== undefined && r.unacked === num(v['bytes']) && r.unacked > 0 ? null : `says ${String(v['bytes'])} unacknowledged; the facts say ${r?.unacked ?? 'no reset here'}`;
  },
  'tcp.rst.clean': (_v, s, f) => (f.tcp.resets.find((x) => inStep(s, x.frame))?.unacked === 0 ? null : 'says everything was acknowledged'),
  'tcp.handshakeAck.established': (_v, s, f) => (f.tcp.established && s.clientState === 'ESTABLISHED' && s.serverState === 'ESTABLISHED' ? null : 'says both ends are ESTABLISHED'),
  'tcp.syn.restart': (_v, s, f) => (f.tcp.attempts.some((a) => inStep(s, a.restartFrame)) ? null : 'says a new attempt starts here'),
  'tcp.lostSegment.bytes': (v, s, f) => (f.tcp.gaps.some((g) => inStep(s, g.frame) && g.bytes === num(v['bytes'])) ? null : `says ${String(v['bytes'])} are missing here`),
  'tls.handshakeDone': (_v, s, f) => (f.tls !== null && f.tls.complete && inStep(s, f.tls.doneFrame) ? null : 'says the TLS handshake completed here'),
  'tls.alert.encryptedHandshake': (_v, s, f) => (f.tls !== null && (!f.tls.complete || s.packets[0]! <= f.tls.doneFrame) ? null : 'calls an alert after the handshake a handshake failure'),
  'tls.alert.encrypted': (_v, s, f) => (f.tls !== null && f.tls.complete && s.packets[0]! > f.tls.doneFrame ? null : 'calls an alert before the handshake completed a closing one'),
  'tls.ccsFinished': (v, s, f) => finishedHere(v, s, f),
  'tls.ccsFinished.second': (v, s, f) => finishedHere(v, s, f),
  'tls.malformed': (_v, s, f) => (f.tls?.problems.some((m) => inStep(s, m.frame)) === true ? null : 'says malformed bytes are here'),
  'tls.heartbeat.responseLarger': (_v, s, f) => (f.tls?.heartbeats.some((b) => inStep(s, b.frame) && b.anomaly === 'response-larger') === true ? null : 'says a heartbeat response leaked memory here'),
  'tls.heartbeat.payloadLength': (_v, s, f) => (f.tls?.heartbeats.some((b) => inStep(s, b.frame) && b.anomaly === 'payload-length') === true ? null : 'says a heartbeat request lies about its length here'),
  'http.plainOnTlsPort': (_v, s, f) => (f.tls?.foreign != null && inStep(s, f.tls.foreign.frame) ? null : 'says plain HTTP starts here'),
  'http.response.partial': (v, s, f) => (f.http?.incomplete.some((x) => inStep(s, x.responseFrame) && x.missingBytes === num(v['bytes'])) === true ? null : 'says this response is missing bytes'),
  'http.body.responseLast': (_v, s, f) => (f.http !== null && !f.http.incomplete.some((x) => x.responseFrame < s.packets[0]! && isLastBodyOf(x, s)) ? null : 'says an incomplete response is complete'),
};

function finishedHere(v: Record<string, string | number>, s: LadderStep, f: DiagnosisFacts): string | null {
  if (f.tls === null) return 'speaks of Finished without TLS';
  const frame = s.from === 'client' ? f.tls.finishedFrame.client : f.tls.finishedFrame.server;
  return inStep(s, frame) ? null : `says the ${String(v['side'])}'s Finished is here (facts: frame ${frame})`;
}

function isLastBodyOf(_x: { responseFrame: number }, _s: LadderStep): boolean {
  // A response with missing bytes never "completes": the builder does not use this sentence for it.
  return false;
}

/** Sentences that state nothing the diagnosis decides (descriptions of the packet itself). */
const DESCRIPTIVE = new Set(
  Object.keys(en).filter(
    (k) =>
      (k.startsWith('tcp.') || k.startsWith('tls') || k.startsWith('http.') || k.startsWith('fold.') || k.startsWith('opt.')) && CHECKS[k] === undefined,
  ),
);

/** The verdict's parts and what they claim. */
function verdictProblems(d: ConversationDiagnosis): string[] {
  const f = d.facts;
  const out: string[] = [];
  const last = f.tcp.resets[f.tcp.resets.length - 1];
  for (const p of d.reason) {
    const v = p.values;
    switch (p.key) {
      case 'verdict.part.rst':
        if (f.tcp.closedBy?.how !== 'rst' || f.tcp.closedBy.side !== v['side'] || last?.unacked !== 0) out.push(`"closed by a RST from the ${String(v['side'])} after all data was acknowledged" against ${JSON.stringify(f.tcp.closedBy)} / ${last?.unacked}`);
        break;
      case 'verdict.part.closed':
        if (f.tcp.closedBy?.how !== 'fin') out.push('"closed cleanly" without both FINs');
        break;
      case 'verdict.part.open':
        if (f.tcp.closedBy !== null) out.push('"still open" after it was closed');
        break;
      case 'verdict.part.tls':
      case 'verdict.part.tlsMutual':
      case 'verdict.part.tlsResumed':
        if (f.tls === null || !f.tls.complete || f.tls.malformed !== null && f.tls.malformed.frame <= f.tls.doneFrame) out.push('"handshake completed" without both Finished in order and intact');
        break;
      case 'verdict.resetMidTransfer':
        if (last === undefined || (last.unacked === 0 && (v['detail'] as { key: string }).key === 'detail.unacked')) out.push('"reset mid-transfer" without unacknowledged bytes');
        break;
      case 'verdict.refused':
        if (f.tcp.synAckFrame !== 0) out.push('"refused" after a SYN/ACK');
        break;
      case 'verdict.part.http':
        if (f.http === null || num(((v['requests'] as { values: Record<string, number> }).values['n']) ?? 1) !== f.http.answered && f.http.answered !== 1) out.push('answered count differs from the facts');
        break;
      default:
        break;
    }
  }
  if (d.status === 'complete' && f.tls !== null && !f.tls.complete) out.push('complete verdict on an incomplete TLS handshake');
  if (d.status === 'complete' && f.tls?.malformed != null) out.push('complete verdict with malformed TLS bytes');
  if (d.status === 'complete' && f.http !== null && f.http.incomplete.length > 0) out.push('complete verdict with a response missing bytes');
  return out;
}

async function conversationsOf(path: string): Promise<{ path: string; model: LadderModel; whole: ConversationDiagnosis }[]> {
  const head = readFileSync(path).subarray(0, 8);
  const gz = detectFormat(head) === 'gzip';
  const store = gz ? RecordStore.spooled() : RecordStore.forFile(path);
  try {
    const { analyzer } = await analyzeFile(path, gz ? { onChunk: (chunk: Uint8Array, offset: number) => store.append(chunk, offset) } : {});
    const index = analyzer.index;
    const src = { index, interfaces: analyzer.interfaces, bytes: (row: number) => store.read(index.fileOffset(row), index.caplen(row)), comments: (row: number) => index.comments.get(row) ?? [], tlsKeys: analyzer.tlsKeys };
    const out: { path: string; model: LadderModel; whole: ConversationDiagnosis }[] = [];
    for (const c of analyzer.flows.conversations) {
      if (c.proto !== 6 || c.tcp === null) continue;
      // No diagnosis handed over: the ladder judges its own replay.
      const model = buildLadder(src, c.id, {}, { stream: c.stream });
      out.push({ path, model, whole: diagnose(c, indexTimes(index)) });
    }
    return out;
  } finally {
    store.close();
  }
}

describe('one truth per conversation', () => {
  it('every sentence key the ladder uses is checked or listed as descriptive', () => {
    for (const k of Object.keys(CHECKS)) expect(en[k as keyof typeof en], k).toBeDefined();
    expect(DESCRIPTIVE.has('tcp.rst.unacked')).toBe(false);
  });

  for (const path of files) {
    const name = path.includes('/corpus/') ? path.split('/corpus/')[1]! : `diagnosis/${path.split('/').pop()!}`;
    it(name, async () => {
      const problems: string[] = [];
      for (const { model, whole } of await conversationsOf(path)) {
        const where = `stream ${model.stream}`;
        // (1) The replay and the whole-file pass reach the same facts and verdict.
        expect(model.diagnosis, `${where}: facts`).toEqual(whole.facts);
        expect(model.verdict, `${where}: verdict`).toEqual(verdictText(whole, 'en'));
        // (2) No sentence contradicts them.
        for (const step of model.steps) {
          for (const said of step.says ?? []) {
            const check = CHECKS[said.key];
            if (check === undefined) {
              if (!DESCRIPTIVE.has(said.key)) problems.push(`${where} step ${step.index}: unclassified sentence ${said.key}`);
              continue;
            }
            const wrong = check(said.values, step, whole.facts);
            if (wrong !== null) problems.push(`${where} step ${step.index} (${said.key}): ${wrong}`);
          }
        }
        for (const p of verdictProblems(whole)) problems.push(`${where} verdict: ${p}`);
      }
      expect(problems).toEqual([]);
    });
  }
});
