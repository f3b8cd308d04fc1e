// Entry point of an analysis shard (bundled to out/engine/flow-shard.js): a worker thread that
// runs the second half of the flow stage — counters, TCP analysis, reassembly, TLS/HTTP — for the
// conversations the reading thread gives it, writing into the shared conversation store and
// sending back what each packet's row shows.

import { parentPort } from 'node:worker_threads';
import { Packet } from '../dissect/packet';
import { ConversationStore } from '../flow/conversation-store';
import { FlowStage } from '../flow/flow-stage';
import { Bit, D, RESULT_STRIDE, STRIDE, decodePacket, type FromShard, type ShardBatch, type ShardInit, type TextReport, type ToShard } from './shard-protocol';
import { defaultAppFactories } from './app-factories';
import { summarizeConversationFacts } from './conversation-facts';
import { TlsKeyStore } from '../tls/keys/key-store';

const port = parentPort;
if (port === null) throw new Error('the flow shard runs in a worker thread');

let flows: FlowStage | null = null;
let store: ConversationStore | null = null;
const p = new Packet();
/** Info texts by id (per shard; the reading thread maps them back), and how many were reported. */
const infoIds = new Map<string, number>();
const infoTexts: string[] = [''];
let infoReported = 1;
let storeReported = 1;
let results = new Int32Array(4096 * RESULT_STRIDE);

/** The keys this shard's TLS parsers decrypt with (the capture's own, when it carries some). */
const tlsKeys = new TlsKeyStore();

function init(m: ShardInit): void {
  store = new ConversationStore({ shared: true, shard: m.shard, shards: m.shards });
  flows = new FlowStage({
    appFactories: m.apps === 'default' ? defaultAppFactories({ tlsKeys }) : [],
    compact: true,
    summaryOnly: true,
    store,
    summarize: summarizeConversationFacts,
    reassemblyLimit: m.reassemblyLimit,
  });
}

function report(): TextReport {
  const s = store!.texts.since(storeReported);
  storeReported = store!.texts.made();
  const info = { from: infoReported, texts: infoTexts.slice(infoReported) };
  infoReported = infoTexts.length;
  return { store: s, info };
}

function batch(m: ShardBatch): void {
  const f = flows!;
  store!.adoptChunks(m.chunks);
  const shared = new Uint8Array(m.buffer, m.byteOffset, m.byteLength);
  const side = new Uint8Array(m.side);
  const w = new Int32Array(m.words);
  const t = new Float64Array(m.times);
  if (results.length < m.count * RESULT_STRIDE) results = new Int32Array(m.count * RESULT_STRIDE);
  let n = 0;
  for (let k = 0; k < m.count; k++) {
    const bits = w[k * STRIDE + D.bits]!;
    const top = w[k * STRIDE + D.top]!;
    const row = decodePacket(w, t, k, p, (bits & Bit.Side) !== 0 ? side : shared);
    f.analyse(p, row, (bits & Bit.FromB) !== 0 ? 1 : 0, (bits & Bit.Fresh) !== 0, w[k * STRIDE + D.reused]!);
    const info = p.appInfo;
    if (p.analysis === 0 && p.top === top && info === null) continue;
    let text = 0;
    if (info !== null) {
      text = infoIds.get(info) ?? 0;
      if (text === 0) {
        text = infoTexts.length;
        infoTexts.push(info);
        infoIds.set(info, text);
      }
    }
    const o = n * RESULT_STRIDE;
    results[o] = row;
    results[o + 1] = p.analysis;
    results[o + 2] = p.top;
    results[o + 3] = text;
    n++;
  }
  const out = results.slice(0, n * RESULT_STRIDE).buffer;
  send({ type: 'done', seq: m.seq, results: out, resultCount: n, words: m.words, times: m.times, texts: report() }, [out, m.words, m.times]);
}

function send(m: FromShard, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(m, transfer);
}

port.on('message', (m: ToShard) => {
  try {
    if (m.type === 'init') {
      init(m);
      send({ type: 'ready' });
    }
    else if (m.type === 'batch') batch(m);
    else if (m.type === 'keys') tlsKeys.addKeyLog(m.name, m.text, 'dsb');
    else {
      if (m.type === 'finish') flows!.finish();
      else flows!.sync();
      send({ type: 'synced', seq: m.seq, texts: report() });
    }
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
