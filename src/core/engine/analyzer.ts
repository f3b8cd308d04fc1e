// The single analysis pass: every packet from the reader goes through dissection, the index and
// the flow stage. The same object runs the fast path (index only) and the tree path (field trees).

import { defaultRegistry } from '../dissect/all';
import { dissect } from '../dissect/dissect';
import { Defragmenter } from '../dissect/ip-defrag';
import { defaultAppFactories } from './app-factories';
import { Mark, Packet } from '../dissect/packet';
import type { Registry } from '../dissect/registry';
import { TreeBuilder } from '../dissect/tree';
import { AddressTable } from '../io/address-table';
import { PacketIndex } from '../io/packet-index';
import type {
  CaptureSink,
  DecryptionSecrets,
  InterfaceInfo,
  InterfaceStatistics,
  NameResolutionEntry,
  PacketRecord,
  SectionInfo,
} from '../io/types';
import type { AppParserFactory } from '../flow/app-parser';
import type { LaterFrames } from '../flow/later-frames';
import { DEFAULT_REASSEMBLY_LIMIT, FlowStage, flowFields, type FlowStageOptions } from '../flow/flow-stage';
import { Expert } from '../dissect/expert';
import { addExpertTree, expertFields } from './expert-tree';
import { SECRETS_TLS_KEY_LOG } from '../io/types';
import { TlsKeyStore } from '../tls/keys/key-store';
import { summarizeConversationFacts } from './conversation-facts';
import { ConversationStore, slotOf } from '../flow/conversation-store';
import { ShardPool } from './shard-pool';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FRAME_COMMENT = Expert['frame.comment']!;
const MALFORMED = Expert['_ws.malformed']!;

export interface AnalyzerOptions {
  registry?: Registry;
  /**
   * Build the field tree for a packet (by 0-based row)? Omitted or false: fast path for all. The
   * tree path is for the CLI's `fields` and for one packet's detail.
   */
  tree?: boolean | ((row: number) => boolean);
  /** Run the flow stage (conversations, TCP analysis, reassembly, TLS/HTTP). Default true; the
   * benchmark turns it off to measure the index + link-to-transport pass alone. */
  flows?: boolean;
  /** Called after each packet is fully analysed (tree present when it was built). */
  onPacket?: (p: Packet, row: number) => void;
  /**
   * Replays of a subset of a capture: maps this pass's n-th packet to its row in the capture, so
   * frame numbers, tree decisions and callbacks speak of capture rows.
   */
  rowOf?: (local: number) => number;
  /** Replays: the capture's first packet time and the previous packet's, for frame.time_*. */
  frameTimes?: (row: number) => { firstSec: number; firstNsec: number; prevSec: number; prevNsec: number };
  /** Application parsers (TLS, HTTP…) tried on each TCP conversation's first payload, in order. */
  appFactories?: readonly AppParserFactory[];
  /**
   * TLS keys (key logs, RSA keys) for the default application parsers; pcapng Decryption Secrets
   * Blocks read in this pass are added to it. Absent: a store of this pass's DSBs alone.
   */
  tlsKeys?: TlsKeyStore;
  /**
   * Keep a map from every reassembled byte back to its packet (StreamHost.spans). For replays of
   * one conversation (ladder, TLS record flows); too much memory for a whole-file pass.
   */
  keepSpans?: boolean;
  /**
   * Application parsers keep only their session summary, no per-record or per-message objects
   * (StreamHost.summaryOnly). Default: true when neither trees nor segment maps are wanted (a
   * whole-file pass); replays that read TLS records or messages keep spans, or pass false.
   */
  summaryOnly?: boolean;
  /**
   * Keep conversations in the flow stage's store only, releasing each connection's objects once
   * nothing in them is needed (FlowStageOptions.compact): what a whole-file pass over a capture of
   * any size does (the session, `wireladder flows`). Off by default: the objects stay (replays, tests).
   * Needs summary-only parsers (no trees, no segment maps).
   */
  compact?: boolean;
  /**
   * Threads that analyse conversations in a compacting pass, the reading thread included (default
   * 1: all in the reading thread). More start analysis shards in worker threads (shardWorkerPath);
   * results are the same for every number. Only with the default application parsers or none.
   */
  workers?: number;
  /** The built shard worker (out/engine/flow-shard.js); default: beside the running bundle. */
  shardWorkerPath?: string;
  /** How new conversations are spread over the shards (ShardPoolOptions.spread). */
  shardSpread?: 'balanced' | 'in-turn';
  /** When a compacting pass releases idle connections (FlowStageOptions.compaction). */
  compaction?: FlowStageOptions['compaction'];
  /** Out-of-order bytes buffered per TCP direction before a hole is given up (default 4 MiB). */
  reassemblyLimit?: number;
  /**
   * Replays: the tcp.stream / udp.stream number of the conversation that starts at capture row
   * `row` in the full pass, so replayed trees show the same stream numbers.
   */
  streamOf?: (row: number) => number | undefined;
  /**
   * Frame references to later packets (FlowStageOptions.laterFrames): give the same object to a
   * replay without trees, then to the replay that builds the trees (as tshark -2 does).
   */
  laterFrames?: LaterFrames;
}

export class Analyzer implements CaptureSink {
  readonly index = new PacketIndex();
  readonly addresses = new AddressTable();
  readonly flows: FlowStage;
  readonly interfaces: InterfaceInfo[] = [];
  readonly sections: SectionInfo[] = [];
  readonly secrets: DecryptionSecrets[] = [];
  readonly statistics: InterfaceStatistics[] = [];
  readonly names: NameResolutionEntry[] = [];
  readonly registry: Registry;
  /** The keys TLS parsers decrypt with (the caller's, plus this file's DSBs). */
  readonly tlsKeys: TlsKeyStore;
  private readonly p = new Packet();
  private readonly defrag = new Defragmenter();
  private readonly treeFor: ((row: number) => boolean) | null;
  private readonly after: ((p: Packet, row: number) => void) | null;
  private linkTypes: number[] = [];
  private readonly runFlows: boolean;
  /** Analysis shards in worker threads (a parallel compacting pass), or null. */
  private readonly shards: ShardPool | null = null;
  readonly takeBuffer: ((size: number) => Promise<Uint8Array>) | null = null;
  private readonly rowOf: ((local: number) => number) | null;
  private readonly frameTimes: NonNullable<AnalyzerOptions['frameTimes']> | null;
  /** Rows are mapped, frame times given or trees wanted: onPacket takes its slow branch. */
  private readonly replaying: boolean;

  constructor(opts: AnalyzerOptions = {}) {
    this.registry = opts.registry ?? defaultRegistry();
    // Stages above the per-packet dissectors own fields too; the registry knows them all.
    this.registry.declare(Object.values(flowFields));
    this.registry.declare(Object.values(expertFields));
    // TLS and HTTP unless the caller chooses (an empty list turns application parsing off).
    this.tlsKeys = opts.tlsKeys ?? new TlsKeyStore();
    const appFactories = opts.appFactories ?? defaultAppFactories({ tlsKeys: this.tlsKeys });
    for (const f of appFactories) this.registry.declare(f.fields);
    this.p.registry = this.registry;
    // IP fragments are reassembled (as tshark's ip.defragment): TCP and UDP see whole datagrams.
    this.p.defrag = this.defrag;
    const tree = opts.tree ?? false;
    this.treeFor = typeof tree === 'function' ? tree : tree ? () => true : null;
    this.after = opts.onPacket ?? null;
    this.rowOf = opts.rowOf ?? null;
    this.runFlows = opts.flows ?? true;
    this.frameTimes = opts.frameTimes ?? null;
    this.replaying = this.rowOf !== null || this.frameTimes !== null || this.treeFor !== null;
    const workers = Math.max(1, Math.floor(opts.workers ?? 1)) - 1;
    const compact = (opts.compact ?? false) && !this.replaying && opts.keepSpans !== true && opts.summaryOnly !== false;
    // Shards rebuild the parsers: the defaults (TLS with this pass's keys, HTTP/2, HTTP), or none.
    const apps = appFactories.length === 0 ? 'none' : opts.appFactories === undefined ? 'default' : null;
    const parallel = workers > 0 && compact && this.runFlows && apps !== null && this.after === null;
    const store = new ConversationStore({ shared: parallel, shards: parallel ? workers + 1 : 1 });
    if (parallel) {
      const pool = new ShardPool({
        workers,
        workerPath: opts.shardWorkerPath ?? defaultShardWorkerPath(),
        apps,
        reassemblyLimit: opts.reassemblyLimit ?? DEFAULT_REASSEMBLY_LIMIT,
        store,
        index: this.index,
        ...(opts.shardSpread !== undefined ? { spread: opts.shardSpread } : {}),
      });
      this.shards = pool;
      this.takeBuffer = (size) => pool.take(size);
    }
    this.flows = new FlowStage({
      store,
      appFactories,
      compact,
      ...(opts.compaction !== undefined ? { compaction: opts.compaction } : {}),
      // Replays are read through their objects: no verdicts worked out for the store.
      ...(this.replaying ? {} : { summarize: summarizeConversationFacts }),
      keepSpans: opts.keepSpans ?? false,
      wantsTrees: this.treeFor !== null,
      ...(opts.summaryOnly !== undefined ? { summaryOnly: opts.summaryOnly } : {}),
      reassemblyLimit: opts.reassemblyLimit ?? DEFAULT_REASSEMBLY_LIMIT,
      ...(opts.streamOf !== undefined ? { streamOf: opts.streamOf } : {}),
      ...(opts.laterFrames !== undefined ? { laterFrames: opts.laterFrames } : {}),
    });
    const pool = this.shards;
    if (pool !== null) this.flows.chooseShard = () => pool.choose();
  }

  /**
   * Ends the pass: flushes what the flow stage still holds (open streams, pending PDUs). A pass
   * with analysis shards ends with complete() instead.
   */
  finish(): void {
    if (this.shards !== null) throw new Error('a pass with analysis shards ends with complete()');
    this.flows.finish();
  }

  /** Ends the pass, with or without analysis shards: every shard finishes its conversations. */
  async complete(): Promise<void> {
    if (this.shards !== null) await this.shards.complete();
    this.flows.finish();
  }

  /** Stops the analysis shards of a pass that will not be completed (an error, a closed session). */
  async stop(): Promise<void> {
    await this.shards?.close();
  }

  /** Brings the conversation store up to date for the views while the pass runs. */
  async sync(): Promise<void> {
    if (this.shards !== null) await this.shards.sync();
    this.flows.sync();
  }

  /** Rows every part of the analysis has seen (the views show these): all of them without shards. */
  get publishedRows(): number {
    return this.shards !== null ? this.shards.publishedRows : this.index.count;
  }

  onInterface(iface: InterfaceInfo): void {
    this.interfaces.push(iface);
    this.linkTypes[iface.id] = iface.linkType;
  }

  onSection(section: SectionInfo): void {
    this.sections.push(section);
  }

  onSecrets(secrets: DecryptionSecrets): void {
    this.secrets.push(secrets);
    // tshark uses a capture's own key log at once; so do we (a DSB precedes the packets it keys).
    if (secrets.secretsType === SECRETS_TLS_KEY_LOG) {
      const name = `Decryption Secrets Block ${this.secrets.length}`;
      const text = Buffer.from(secrets.data).toString('utf8');
      this.tlsKeys.addKeyLog(name, text, 'dsb');
      // Shards decrypt what they hold with the same keys; new conversations stay in this thread,
      // where sessions resumed from one another share their secrets (TlsKeyStore.rememberSession).
      this.shards?.addKeyLog(name, text);
    }
  }

  onStatistics(stats: InterfaceStatistics): void {
    this.statistics.push(stats);
  }

  onNameResolution(entries: NameResolutionEntry[]): void {
    for (const e of entries) this.names.push(e);
  }

  onPacket(rec: PacketRecord): void {
    const index = this.index;
    // Workers start with the first packet, unless there are keys by then: decryption shares state
    // between conversations (resumed sessions), so with keys the pass stays in this thread.
    if (index.count === 0 && this.shards !== null && this.tlsKeys.empty) this.shards.start();
    const local = index.append(rec.dataFileOffset, rec.caplen, rec.wirelen, rec.tsSec, rec.tsNsec, rec.iface);
    const p = this.p;
    const linkType = this.linkTypes[rec.iface] ?? -1;
    let row = local;
    if (this.replaying) {
      // Replays (and the CLI's tree path): capture rows, frame times, trees on a copy of the frame.
      row = this.startReplayed(rec, local, linkType);
    } else {
      if (local === 0) {
        p.firstSec = rec.tsSec;
        p.firstNsec = rec.tsNsec;
        p.prevSec = rec.tsSec;
        p.prevNsec = rec.tsNsec;
      }
      p.reset(rec.data, rec.dataOffset, rec.caplen, rec.wirelen, linkType);
      p.tree = null;
    }
    p.number = row + 1;
    p.tsSec = rec.tsSec;
    p.tsNsec = rec.tsNsec;
    p.iface = rec.iface;
    const comments = rec.comments;
    p.comments = comments;
    if (comments !== null) {
      index.comments.set(local, comments.slice());
      p.marks |= Mark.Comment;
      // tshark raises each packet comment as a Comment item (frame.comment.expert).
      for (const c of comments) p.expert.add(FRAME_COMMENT, 0, 0, c);
    }
    dissect(p, this.registry);
    // This packet completed an IP datagram: the index remembers which rows held its fragments (in
    // passes whose rows are the index's own; a replay's rows are the capture's).
    const datagram = this.defrag.result;
    if (datagram !== null && datagram.frame === p.number && this.rowOf === null) index.addReassembly(local, datagram.frames);
    let src = 0;
    let dst = 0;
    const net = p.net;
    if (net === 4) {
      const addresses = this.addresses;
      src = addresses.ipv4(p.src4);
      dst = addresses.ipv4(p.dst4);
    } else if (net === 6) {
      const addresses = this.addresses;
      src = addresses.ipv6(p.buf, p.src6);
      dst = addresses.ipv6(p.buf, p.dst6);
    } else if (p.macSrc >= 0) {
      const addresses = this.addresses;
      src = addresses.macAt(p.buf, p.macSrc);
      // Linux cooked captures carry only the sender's address: no destination (as tshark shows).
      dst = p.macDst >= 0 ? addresses.macAt(p.buf, p.macDst) : 0;
    }
    if (this.runFlows) {
      const flows = this.flows;
      const id = flows.route(p, row, src, dst);
      if (id >= 0) {
        const shard = this.shards === null ? 0 : flows.store.chunkOf(id).shard[slotOf(id)]!;
        if (shard === 0) flows.analyse(p, row, flows.routedDir, flows.routedNew, flows.routedReused);
        // The shard raises the flow's expert items (and a parser's malformed) and sends them back.
        else this.shards!.enqueue(shard, p, row, flows.routedDir, flows.routedNew, flows.routedReused);
      }
    }
    const expert = p.expert;
    if (p.malformed !== null) expert.add(MALFORMED, 0, 0, p.malformed);
    if (expert.count > 0) this.keepExpert(local, p);
    index.setLast(local, p.top, p.marks, src, dst, p.srcPort, p.dstPort, p.tcpFlags, p.conversation, p.analysis, p.info);
    if (p.appInfo !== null) index.infoText.set(local, p.appInfo);
    if (this.after !== null) this.after(p, row);
    p.prevSec = rec.tsSec;
    p.prevNsec = rec.tsNsec;
  }

  /** Moves the packet's expert items into the index (and, on the tree path, into its tree). */
  private keepExpert(local: number, p: Packet): void {
    const e = p.expert;
    const log = this.index.expert;
    for (let i = 0; i < e.count; i++) log.add(local, e.codes[i]!, e.a[i]!, e.b[i]!, e.texts[i]!);
    if (p.tree !== null) addExpertTree(p.tree, e);
  }

  /** The slow part of onPacket for replays: row mapping, frame times, the tree decision. */
  private startReplayed(rec: PacketRecord, local: number, linkType: number): number {
    const p = this.p;
    const row = this.rowOf === null ? local : this.rowOf(local);
    if (this.frameTimes !== null) {
      const t = this.frameTimes(row);
      p.firstSec = t.firstSec;
      p.firstNsec = t.firstNsec;
      p.prevSec = t.prevSec;
      p.prevNsec = t.prevNsec;
    } else if (local === 0) {
      p.firstSec = rec.tsSec;
      p.firstNsec = rec.tsNsec;
      p.prevSec = rec.tsSec;
      p.prevNsec = rec.tsNsec;
    }
    // The tree path works on a copy of the frame, so field byte ranges are frame offsets.
    if (this.treeFor !== null && this.treeFor(row)) {
      const frame = rec.data.slice(rec.dataOffset, rec.dataOffset + rec.caplen);
      p.reset(frame, 0, rec.caplen, rec.wirelen, linkType);
      p.tree = new TreeBuilder(frame);
    } else {
      p.reset(rec.data, rec.dataOffset, rec.caplen, rec.wirelen, linkType);
      p.tree = null;
    }
    return row;
  }
}

/** out/engine/flow-shard.js, from any bundle in out/ (the CLI, the engine worker, the benchmark). */
function defaultShardWorkerPath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'engine', 'flow-shard.js');
}
