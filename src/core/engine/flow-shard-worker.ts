// Entry point of an analysis shard (bundled to out/engine/flow-shard.js): a worker thread that
// runs the second half of the flow stage — counters, TCP analysis, reassembly, TLS/HTTP — for the
// conversations the reading thread gives it, writing into the shared conversation store and
// sending back what each packet's row shows.

import { parentPort } from 'node:worker_threads';
import { Packet } from '../dissect/packet';
import { ConversationStore } from '../flow/conversation-store';
import { FlowStage } from '../flow/flow-stage';
import { Bit, D, EXPERT_STRIDE, RESULT_STRIDE, STRIDE, decodePacket, type FromShard, type ShardBatch, type ShardInit, type TextReport, type ToShard } from './shard-protocol';
import { defaultAppFactories } from './app-factories';
import { summarizeConversationFacts } from './conversation-facts';
import { TlsKeyStore } from '../tls/keys/key-store';
import { Expert } from '../dissect/expert';

const MALFORMED = Expert['_ws.malformed']!;
/** What a packet the dissectors found malformed carries here: the reading thread raised its item. */
const DISSECTED_MALFORMED = '';

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
let expert = new Float64Array(256 * EXPERT_STRIDE);

/** The id of an Info or expert text in this shard's table (the reading thread maps them back). */
function textId(s: string): number {
  let id = infoIds.get(s) ?? 0;
  if (id === 0) {
    id = infoTexts.length;
    infoTexts.push(s);
    infoIds.set(s, id);
  }
  return id;
}

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
  let items = 0;
  for (let k = 0; k < m.count; k++) {
    const bits = w[k * STRIDE + D.bits]!;
    const top = w[k * STRIDE + D.top]!;
    const row = decodePacket(w, t, k, p, (bits & Bit.Side) !== 0 ? side : shared);
    const dissectedMalformed = (bits & Bit.Malformed) !== 0;
    p.malformed = dissectedMalformed ? DISSECTED_MALFORMED : null;
    p.expert.count = 0;
    f.analyse(p, row, (bits & Bit.FromB) !== 0 ? 1 : 0, (bits & Bit.Fresh) !== 0, w[k * STRIDE + D.reused]!);
    // What the flow stage raised, and a parser's malformed (as the reading thread adds it after flows).
    const e = p.expert;
    if (!dissectedMalformed && p.malformed !== null) e.add(MALFORMED, 0, 0, p.malformed);
    if (e.count > 0) {
      if (expert.length < (items + e.count) * EXPERT_STRIDE) {
        const grown = new Float64Array(2 * (items + e.count) * EXPERT_STRIDE);
        grown.set(expert);
        expert = grown;
      }
      for (let x = 0; x < e.count; x++) {
        const at = items++ * EXPERT_STRIDE;
        const s = e.texts[x]!;
        expert[at] = row;
        expert[at + 1] = e.codes[x]!;
        expert[at + 2] = e.a[x]!;
        expert[at + 3] = e.b[x]!;
        expert[at + 4] = s === null ? 0 : textId(s);
      }
    }
    const info = p.appInfo;
    if (p.analysis === 0 && p.top === top && info === null) continue;
    const text = info !== null ? textId(info) : 0;
    const o = n * RESULT_STRIDE;
    results[o] = row;
    results[o + 1] = p.analysis;
    results[o + 2] = p.top;
    results[o + 3] = text;
    n++;
  }
  const out = results.slice(0, n * RESULT_STRIDE).buffer;
  const raised = expert.slice(0, items * EXPERT_STRIDE).buffer;
  send({ type: 'done', seq: m.seq, results: out, resultCount: n, expert: raised, expertCount: items, words: m.words, times: m.times, texts: report() }, [out, raised, m.words, m.times]);
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
