// The engine service: the one object both transports (Electron IPC, browser-mode WebSocket) serve.
// It holds the open sessions and answers the requests of the contract in src/shared/api.ts.

import { existsSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { replay, type ReplaySource } from '../engine/replay';
import type { AnalyzerOptions } from '../engine/analyzer';
import type { Packet } from '../dissect/packet';
import type { Layer, FieldNode } from '../dissect/tree';
import { CaptureSession } from './session';
import { LiveSession } from './live-session';
import { buildRows, customColumns } from './rows';
import { sortedRows } from './packet-order';
import { findPacket } from './find-packet';
import { rangeCount, rangeMask } from './packet-range';
import { endpoints } from './endpoints';
import { ioGraph } from './io-graph';
import { layerFilter, nodeFilter } from '../filter/match-selected';
import { catalogueOf } from '../filter/catalogue';
import type { FieldDef } from '../dissect/fields';
import type { DataSource } from '../dissect/tree';
import type {
  ConversationListDto,
  ConversationSortDto,
  EngineEvents,
  CaptureOptionsDto,
  InterfaceDto,
  InterfaceCountersDto,
  SaveResult,
  StatisticsDto,
  ExportFormat,
  ExportResult,
  LadderDto,
  TlsRecordsDto,
  ExpertInfoDto,
  ExpertSeverityName,
  Http2FollowDto,
  Http2StreamsDto,
  TlsKeysDto,
  FollowStreamDto,
  FieldNodeDto,
  FilterResult,
  LayerDto,
  PacketDetail,
  RowsPage,
  SessionInfo,
  SortDto,
  FindRequestDto,
  FindResultDto,
  PacketRangeDto,
  EndpointsDto,
  IoGraphDto,
  IoSeriesRequestDto,
  FieldCatalogueDto,
  FilterCheckDto,
} from './dto';
import { conversationDtos, conversationIndexOf } from './conversations';
import { statistics } from './statistics';
import { expertInfo } from './expert-info';
import { EXPERT, expertSummary, groupNames, severityNames } from '../dissect/expert';
import { tlsRecords } from './tls-records';
import { followHttp2Stream, http2Streams } from './http2-streams';
import { tlsKeysDto } from './tls-keys';
import { followStream } from './follow-stream';
import { TlsKeyStore } from '../tls/keys/key-store';
import { addKeyFile, addKeyText, watchKeyLog } from '../tls/keys/key-files';
import { parseBinding } from '../tls/keys/rsa-key';
import { rewriteCapture } from '../io/pcapng-writer';
import * as capture from './capture-service';
import { captureProgram } from '../capture/capture-client';
import { compileFilter, isFilterError, type CompiledFilter } from '../filter/compile';
import { captureFilterSource } from '../filter/capture-source';
import { runFilter } from '../filter/run';
import { buildLadder } from '../ladder/build';
import { renderSvg } from '../ladder/render-svg';
import { renderMermaid } from '../ladder/render-mermaid';
import { renderJson } from '../ladder/render-json';
import { renderPdf, renderPng } from '../ladder/export';
import type { LadderModel, LadderOptions } from '../ladder/model';
import type { AppParserFactory } from '../flow/app-parser';
import { LaterFrames } from '../flow/later-frames';
import { IpProto } from '../dissect/ip-protocols';
import { defaultAppFactories } from '../engine/app-factories';
import { analysisThreads } from '../engine/shard-pool';
import { Analyzer } from '../engine/analyzer';
import type { Registry } from '../dissect/registry';

export interface EngineServiceOptions {
  /** Path of the bundled sample capture (openSample). */
  samplePath?: string;
  /** Analysis threads per capture file (default: the cores this process may use; 1 for small files). */
  workers?: number;
  /** Captures open at once (files and live captures); opening more fails until one is closed. */
  maxSessions?: number;
  /** The dedicated capture helper executable (the packaged app's, in its resources). */
  captureHelper?: string;
}

/** Each open capture holds its packet index in memory: a bound keeps one client from exhausting it. */
export const DEFAULT_MAX_SESSIONS = 64;

type Listener = (event: string, payload: unknown) => void;

export class EngineService {
  private readonly sessions = new Map<string, CaptureSession>();
  private readonly listeners = new Set<Listener>();
  /** Application parsers given by the caller (tests); by default each session's decrypt with its keys. */
  private readonly customFactories: AppParserFactory[] | null;
  private readonly filterRuns = new Map<string, AbortController>();
  /** Sorting, Find Packet and the I/O graph of a session: a new request cancels the previous one. */
  private readonly tasks = new Map<string, AbortController>();
  /** Key logs followed as they grow, per session (stopped when the session closes). */
  private readonly keyWatchers = new Map<string, (() => void)[]>();

  constructor(
    private readonly options: EngineServiceOptions = {},
    appFactories?: AppParserFactory[],
  ) {
    this.customFactories = appFactories ?? null;
  }

  /** The parsers a session's replays use: TLS decrypts with the session's keys (its own store). */
  private factoriesOf(s: CaptureSession): readonly AppParserFactory[] {
    return this.customFactories ?? defaultAppFactories({ tlsKeys: s.analyzer.tlsKeys });
  }

  /** How a session's pass runs; a capture file (`path`) is analysed on as many threads as suit its size. */
  private analyzerOptions(keys: TlsKeyStore, path?: string): AnalyzerOptions {
    const workers = path !== undefined ? analysisThreads(statSync(path).size, this.options.workers) : 1;
    return this.customFactories !== null ? { tlsKeys: keys, appFactories: this.customFactories, workers } : { tlsKeys: keys, workers };
  }

  onEvent(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Calls a method by name (the transports validated the argument already). */
  async dispatch(method: string, arg: unknown): Promise<unknown> {
    const fn = (this as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function' || !isServiceMethod(method)) throw new Error(`unknown method ${method}`);
    return (fn as (a: unknown) => Promise<unknown>).call(this, arg);
  }

  private emit<E extends keyof EngineEvents>(event: E, payload: EngineEvents[E]): void {
    for (const fn of this.listeners) fn(event, payload);
  }

  /** Throws when another capture would exceed maxSessions. */
  private roomForSession(): void {
    const max = this.options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (this.sessions.size >= max) throw new Error(`${this.sessions.size} captures are open, the most this engine keeps at once: close one first`);
  }

  private session(id: string): CaptureSession {
    const s = this.sessions.get(id);
    if (s === undefined) throw new Error(`no open capture with id ${id}`);
    return s;
  }

  async listSessions(_arg: Record<string, never>): Promise<SessionInfo[]> {
    return [...this.sessions.values()].map((s) => s.info());
  }

  async openFile(arg: { path: string }): Promise<SessionInfo> {
    if (!existsSync(arg.path)) throw new Error(`${arg.path}: no such file`);
    if (!statSync(arg.path).isFile()) throw new Error(`${arg.path}: not a file`);
    this.roomForSession();
    const id = randomUUID();
    const session = new CaptureSession(id, arg.path, this.analyzerOptions(new TlsKeyStore(), arg.path), (s) => this.sessionChanged(s));
    this.sessions.set(id, session);
    return session.info();
  }

  async openSample(_arg: Record<string, never>): Promise<SessionInfo> {
    const path = this.options.samplePath;
    if (path === undefined || !existsSync(path)) throw new Error('the bundled sample capture is missing');
    return this.openFile({ path });
  }

  async cancelLoad(arg: { session: string }): Promise<void> {
    this.session(arg.session).cancel();
  }

  async closeSession(arg: { session: string }): Promise<void> {
    const s = this.sessions.get(arg.session);
    if (s === undefined) return;
    for (const stop of this.keyWatchers.get(arg.session) ?? []) stop();
    this.keyWatchers.delete(arg.session);
    s.close();
    this.sessions.delete(arg.session);
    // A live capture's temporary file is gone when this answers.
    if (s instanceof LiveSession) await s.released;
  }

  async sessionInfo(arg: { session: string }): Promise<SessionInfo> {
    return this.session(arg.session).info();
  }

  /** Waits until a session's background load ends (tests, CLI). */
  async whenLoaded(id: string): Promise<SessionInfo> {
    const s = this.session(id);
    await s.done;
    return s.info();
  }

  async setFilter(arg: { session: string; filter: string }): Promise<FilterResult> {
    const s = this.session(arg.session);
    const text = arg.filter.trim();
    // A new filter cancels the one still running on this session.
    this.filterRuns.get(arg.session)?.abort();
    if (text === '') {
      s.filter = '';
      s.compiledFilter = null;
      s.displayed = null;
      s.filteredUpTo = 0;
      await this.resort(s);
      this.emit('session-updated', s.info());
      return { ok: true, displayed: s.displayedCount, error: null };
    }
    const compiled = compileFilter(text, s.analyzer.registry);
    if (isFilterError(compiled)) return { ok: false, displayed: s.displayedCount, error: compiled.error };
    const end = s.rowCount;
    const rows = await this.runFilterRows(s, compiled, 0, end);
    if (rows === null) return { ok: false, displayed: s.displayedCount, error: 'filter cancelled' };
    s.filter = text;
    s.compiledFilter = compiled;
    s.displayed = rows;
    s.filteredUpTo = end;
    // A sorted list stays sorted by the same column over the new set of rows.
    await this.resort(s);
    this.emit('session-updated', s.info());
    return { ok: true, displayed: rows.length, error: null };
  }

  /** Matching rows in [start, end), or null when a newer filter cancelled this one. */
  private async runFilterRows(s: CaptureSession, compiled: CompiledFilter, start: number, end: number): Promise<Int32Array | null> {
    const abort = new AbortController();
    this.filterRuns.get(s.id)?.abort();
    this.filterRuns.set(s.id, abort);
    let lastNotify = 0;
    try {
      return await runFilter(compiled, captureFilterSource(s, { appFactories: this.factoriesOf(s) }), {
        signal: abort.signal,
        start,
        end,
        onProgress: (p) => {
          // The tree path can take seconds: tell the UI now and then.
          const now = Date.now();
          if (p.phase === 'tree' && now - lastNotify > 250) {
            lastNotify = now;
            this.emit('filter-progress', { session: s.id, phase: p.phase, done: p.done, total: p.total });
          }
        },
      });
    } catch (err) {
      if (abort.signal.aborted) return null;
      throw err;
    } finally {
      if (this.filterRuns.get(s.id) === abort) this.filterRuns.delete(s.id);
    }
  }

  /**
   * A session grew (a file still loading, a live capture): filter the new rows so the displayed
   * list keeps up, then tell the UI.
   */
  private sessionChanged(s: CaptureSession): void {
    const compiled = s.compiledFilter;
    const end = s.rowCount;
    if (compiled === null || end <= s.filteredUpTo || this.filterRuns.has(s.id)) {
      this.followSort(s);
      this.emit('session-updated', s.info());
      return;
    }
    const start = s.filteredUpTo;
    void this.runFilterRows(s, compiled, start, end).then((rows) => {
      if (rows !== null && s.compiledFilter === compiled) {
        const before = s.displayed ?? new Int32Array(0);
        const merged = new Int32Array(before.length + rows.length);
        merged.set(before, 0);
        merged.set(rows, before.length);
        s.displayed = merged;
        s.filteredUpTo = end;
      }
      this.followSort(s);
      this.emit('session-updated', s.info());
      // Rows that arrived while this ran are picked up by the next change, or now if it is over.
      if (!s.loading && s.rowCount > s.filteredUpTo) this.sessionChanged(s);
    });
  }

  async rows(arg: { session: string; start: number; count: number; columns?: string[] }): Promise<RowsPage> {
    const s = this.session(arg.session);
    const rows = buildRows(s, arg.start, arg.count);
    const fields = arg.columns ?? [];
    if (fields.length > 0) {
      // Custom columns: each row's values of the fields, from its replayed tree.
      const values = await customColumns(s, rows.filter((r) => !r.ignored).map((r) => r.number - 1), fields, this.factoriesOf(s));
      for (const r of rows) r.custom = values.get(r.number - 1) ?? fields.map(() => '');
    }
    return { start: arg.start, rows, total: s.displayedCount };
  }

  async rowIndexOf(arg: { session: string; packet: number; nearest?: boolean }): Promise<number> {
    const s = this.session(arg.session);
    const row = Math.min(arg.packet - 1, s.rowCount - 1);
    const at = s.positionOf(row);
    if (at >= 0 || arg.nearest !== true) return at;
    // Hidden: the closest displayed packet before it, else the first after it (as Wireshark
    // selects when a new filter hides the selected packet).
    const before = s.previousDisplayed(row);
    if (before >= 0) return s.positionOf(before);
    return s.displayedCount > 0 ? s.positionOf(s.displayed === null ? 0 : s.displayed[0]!) : -1;
  }

  /** Sorts the packet list by a column (null: frame order); ties keep frame order. */
  async setSort(arg: { session: string; sort: SortDto | null }): Promise<SessionInfo> {
    const s = this.session(arg.session);
    s.sort = arg.sort;
    await this.resort(s);
    const info = s.info();
    this.emit('session-updated', info);
    return info;
  }

  /** Recomputes the sorted order of the displayed rows (or drops it without a sort). */
  private async resort(s: CaptureSession): Promise<void> {
    const sort = s.sort;
    if (sort === null) {
      s.setOrder(null);
      return;
    }
    const order = await this.task(s, 'sort', (ctx) => sortedRows(s, sort, { ...ctx, appFactories: this.factoriesOf(s) }));
    if (order !== null && s.sort === sort) s.setOrder(order);
  }

  /**
   * Rows that arrived while a sort is in force go to the end of the list (a growing capture keeps
   * its place); when the load ends the whole list is sorted again.
   */
  private followSort(s: CaptureSession): void {
    if (s.sort === null) return;
    if (!s.loading) {
      // Done loading (or analysed again with new keys): sort the whole list once more.
      if ((s.order === null || s.order.length !== s.displayedCount) && !this.tasks.has(`${s.id}:sort`)) void this.resort(s).then(() => this.emit('session-updated', s.info()));
      return;
    }
    if (s.order === null) return;
    if (s.order.length >= s.displayedCount) return;
    const grown = new Int32Array(s.displayedCount);
    grown.set(s.order);
    const start = s.order.length;
    // Displayed rows are in frame order: the new ones are the last ones.
    for (let i = start; i < grown.length; i++) grown[i] = s.displayed === null ? i : s.displayed[i]!;
    s.setOrder(grown);
  }

  /**
   * Runs long work on a session with an abort signal and throttled progress events; a newer task
   * of the same kind cancels it (null is returned then).
   */
  private async task<T>(
    s: CaptureSession,
    kind: 'sort' | 'find' | 'io-graph',
    work: (ctx: { signal: AbortSignal; onProgress(done: number, total: number): void }) => Promise<T>,
  ): Promise<T | null> {
    const key = `${s.id}:${kind}`;
    this.tasks.get(key)?.abort();
    const abort = new AbortController();
    this.tasks.set(key, abort);
    let last = 0;
    try {
      return await work({
        signal: abort.signal,
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - last > 250) {
            last = now;
            this.emit('task-progress', { session: s.id, task: kind, done, total });
          }
        },
      });
    } catch (err) {
      if (abort.signal.aborted) return null;
      throw err;
    } finally {
      if (this.tasks.get(key) === abort) this.tasks.delete(key);
    }
  }

  /** Find Packet: the next displayed packet (in list order) that matches; wraps around the ends. */
  async findPacket(arg: { session: string; find: FindRequestDto }): Promise<FindResultDto> {
    const s = this.session(arg.session);
    const result = await this.task(s, 'find', (ctx) => findPacket(s, arg.find, { ...ctx, appFactories: this.factoriesOf(s) }));
    return result ?? { index: -1, packet: 0, wrapped: false, bytes: null, label: null, message: 'The search was cancelled.' };
  }

  /** Marks, ignores or makes time references of packets (value null toggles each). */
  async setPacketFlags(arg: { session: string; packets: number[]; flag: 'marked' | 'ignored' | 'timeRef'; value: boolean | null }): Promise<SessionInfo> {
    const s = this.session(arg.session);
    const n = s.rowCount;
    const refs = new Set(s.timeRefs);
    const set = arg.flag === 'marked' ? s.marked : arg.flag === 'ignored' ? s.ignored : refs;
    for (const packet of arg.packets) {
      const row = packet - 1;
      if (row < 0 || row >= n) throw new Error(`no packet ${packet}`);
      const on = arg.value ?? !set.has(row);
      if (on) set.add(row);
      else set.delete(row);
    }
    if (arg.flag === 'timeRef') s.timeRefs = [...refs].sort((x, y) => x - y);
    const info = s.info();
    this.emit('session-updated', info);
    return info;
  }

  /** How many packets an export range selects (the export dialog shows it). */
  async rangeCount(arg: { session: string; packets: PacketRangeDto }): Promise<number> {
    return rangeCount(this.session(arg.session), arg.packets);
  }

  /** Statistics › Endpoints over all packets or the displayed ones. */
  async endpoints(arg: { session: string; limitToDisplay: boolean }): Promise<EndpointsDto> {
    return endpoints(this.session(arg.session), arg.limitToDisplay);
  }

  /** The I/O graph: per interval, what each series' filter matched. */
  async ioGraph(arg: { session: string; intervalSeconds: number; series: IoSeriesRequestDto[] }): Promise<IoGraphDto> {
    const s = this.session(arg.session);
    const result = await this.task(s, 'io-graph', (ctx) => ioGraph(s, arg.intervalSeconds, arg.series, { ...ctx, appFactories: this.factoriesOf(s) }));
    if (result === null) throw new Error('the I/O graph was cancelled by a newer request');
    return result;
  }

  /** Field and protocol names for the display filter's autocomplete. */
  async fieldCatalogue(_arg: Record<string, never>): Promise<FieldCatalogueDto> {
    if (this.catalogue === null) this.catalogue = catalogueOf(new Analyzer({ appFactories: this.customFactories ?? defaultAppFactories() }).registry);
    return this.catalogue;
  }
  private catalogue: FieldCatalogueDto | null = null;

  /** Checks a display filter as it is typed (green, red, or yellow with warnings). */
  async checkFilter(arg: { filter: string }): Promise<FilterCheckDto> {
    const text = arg.filter.trim();
    if (text === '') return { ok: true, error: null, position: null, warnings: [] };
    this.filterRegistry ??= new Analyzer({ appFactories: this.customFactories ?? defaultAppFactories() }).registry;
    const compiled = compileFilter(text, this.filterRegistry);
    if (isFilterError(compiled)) return { ok: false, error: compiled.error, position: compiled.position ?? null, warnings: [] };
    return { ok: true, error: null, position: null, warnings: [...compiled.warnings] };
  }
  private filterRegistry: Registry | null = null;

  async packetDetail(arg: { session: string; packet: number }): Promise<PacketDetail> {
    const s = this.session(arg.session);
    const index = s.analyzer.index;
    const row = arg.packet - 1;
    if (row < 0 || row >= s.rowCount) throw new Error(`no packet ${arg.packet}`);
    const conv = index.stream(row);
    // The packet's conversation up to it gives the flow context (relative numbers, reassembly).
    // A fragment of a datagram reassembled later is shown after its datagram is complete, with
    // the frame that completed it (as Wireshark's second pass does); replay adds the fragments.
    const completedIn = index.reassembledIn.get(row);
    const rows = conv >= 0 ? index.rowsOfStream(conv).filter((r) => r <= row) : completedIn !== undefined ? [completedIn, row] : [row];
    let seen: Packet | null = null;
    let layers: Layer[] = [];
    let sources: { name: string; bytes: Uint8Array }[] = [];
    const store = s.analyzer.flows.store;
    const stream = conv >= 0 && conv < store.count ? store.stream(conv) : undefined;
    // Only TCP carries PDUs over several packets and HTTP requests.
    const laterFrames = stream !== undefined && store.proto(conv) === IpProto.Tcp ? this.laterFramesOf(s, conv, row) : undefined;
    replay(this.replaySource(s), {
      rows,
      treeRow: row,
      ...(laterFrames !== undefined ? { laterFrames } : {}),
      ...(stream !== undefined ? { streamOf: () => stream } : {}),
      onPacket: (p, r) => {
        if (r === row && p.tree !== null) {
          seen = p;
          layers = p.tree.layers;
          sources = p.tree.sources;
        }
      },
    });
    if (seen === null) throw new Error(`packet ${arg.packet} could not be decoded`);
    const registry = s.analyzer.registry;
    const lookup = (name: string): FieldDef | undefined => registry.field(name);
    const shown = layers.map((l) => layerDto(l, sources, lookup));
    return {
      number: arg.packet,
      layers: shown,
      sources: sources.map((src) => ({ name: src.name, base64: Buffer.from(src.bytes).toString('base64') })),
      comments: s.comments(row),
      conversation: conv,
      // What the whole-file pass raised for this packet (the list's prefixes and the Expert Info view say the same).
      expert: index.expert.itemsOf(row).flatMap((x) => {
        const d = EXPERT[x.code];
        if (d === undefined || d.name === '') return [];
        return [{ severity: (severityNames.get(d.severity) ?? 'Note') as ExpertSeverityName, group: groupNames.get(d.group) ?? '', protocol: d.protocol, summary: expertSummary(x.code, x.a, x.b, x.text) }];
      }),
      malformed: malformedRanges(shown),
    };
  }

  /**
   * Where the PDU packet `row` carried part of was completed, and where its HTTP request was
   * answered (the Wireshark GUI's "[Reassembled PDU in frame: N]", "Response in frame: N"): a replay
   * of its conversation without trees, which stops once nothing about `row` is left open.
   */
  private laterFramesOf(s: CaptureSession, conv: number, row: number): LaterFrames {
    const laterFrames = new LaterFrames((r) => r === row);
    replay(this.replaySource(s), {
      rows: s.analyzer.index.rowsOfStream(conv),
      laterFrames,
      stopAfter: (r) => r >= row && laterFrames.settled,
    });
    return laterFrames;
  }

  async conversations(arg: { session: string; limitToDisplay?: boolean; sort?: ConversationSortDto; offset?: number; count?: number }): Promise<ConversationListDto> {
    const s = this.session(arg.session);
    if (s.loading) await s.analyzer.sync();
    return conversationDtos(s, this.replaySource(s), this.factoriesOf(s), arg);
  }

  async conversationIndexOf(arg: { session: string; conversation: number; limitToDisplay?: boolean; sort?: ConversationSortDto }): Promise<number> {
    const s = this.session(arg.session);
    if (s.loading) await s.analyzer.sync();
    return conversationIndexOf(s, this.replaySource(s), this.factoriesOf(s), arg.conversation, arg);
  }

  async ladder(arg: { session: string; conversation: number; options: LadderOptions }): Promise<LadderDto> {
    const model = this.ladderModel(arg.session, arg.conversation, arg.options);
    return { model, svg: renderSvg(model, { layout: arg.options.layout, theme: arg.options.theme }) };
  }

  async exportLadder(arg: { session: string; conversation: number; format: ExportFormat; options: LadderOptions }): Promise<ExportResult> {
    const model = this.ladderModel(arg.session, arg.conversation, arg.options);
    const base = `${model.capture.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '')}-stream${model.stream}`;
    const svg = () => renderSvg(model, { layout: arg.options.layout, theme: arg.options.theme });
    switch (arg.format) {
      case 'svg':
        return { fileName: `${base}.svg`, mime: 'image/svg+xml', encoding: 'utf8', data: svg() };
      case 'mermaid':
        return { fileName: `${base}.mmd`, mime: 'text/vnd.mermaid', encoding: 'utf8', data: renderMermaid(model) };
      case 'json':
        return { fileName: `${base}.json`, mime: 'application/json', encoding: 'utf8', data: renderJson(model) };
      case 'png':
        return { fileName: `${base}.png`, mime: 'image/png', encoding: 'base64', data: Buffer.from(renderPng(svg(), { scale: 2 })).toString('base64') };
      case 'pdf': {
        const pdf = await renderPdf(svg(), { title: model.title });
        return { fileName: `${base}.pdf`, mime: 'application/pdf', encoding: 'base64', data: Buffer.from(pdf).toString('base64') };
      }
    }
  }

  private ladderModel(sessionId: string, conversation: number, options: LadderOptions): LadderModel {
    const s = this.session(sessionId);
    const store = s.analyzer.flows.store;
    if (!Number.isInteger(conversation) || conversation < 0 || conversation >= store.count) throw new Error(`no conversation ${conversation}`);
    return buildLadder(this.replaySource(s), conversation, options, { capture: s.fileName, stream: store.stream(conversation), appFactories: this.factoriesOf(s) });
  }

  async tlsRecords(arg: { session: string; conversation: number }): Promise<TlsRecordsDto> {
    const s = this.session(arg.session);
    return tlsRecords(s, this.replaySource(s), arg.conversation);
  }

  async http2Streams(arg: { session: string; conversation: number }): Promise<Http2StreamsDto> {
    const s = this.session(arg.session);
    return http2Streams(s, this.replaySource(s), arg.conversation);
  }

  async followHttp2Stream(arg: { session: string; conversation: number; stream: number }): Promise<Http2FollowDto> {
    const s = this.session(arg.session);
    return followHttp2Stream(s, this.replaySource(s), arg.conversation, arg.stream);
  }

  async followStream(arg: { session: string; conversation: number; mode: 'tcp' | 'tls' }): Promise<FollowStreamDto> {
    const s = this.session(arg.session);
    return followStream(s, this.replaySource(s), arg.conversation, arg.mode);
  }

  // ---- TLS keys --------------------------------------------------------------------------------

  async tlsKeys(arg: { session: string }): Promise<TlsKeysDto> {
    return tlsKeysDto(this.session(arg.session).analyzer.tlsKeys);
  }

  /**
   * Adds a key log or PEM RSA key given by its contents (browser uploads, the Keys dialog) and
   * analyses the capture again so every view decrypts. Key material stays in the engine.
   */
  async addTlsKeyText(arg: { session: string; name: string; text: string; binding: string }): Promise<TlsKeysDto> {
    const s = this.session(arg.session);
    const binding = this.binding(arg.binding);
    addKeyText(s.analyzer.tlsKeys, arg.name, arg.text, binding);
    return this.rekeyed(s);
  }

  /** Adds a key file by path (Electron: a path the user chose); `watch` follows a key log as it grows. */
  async addTlsKeyFile(arg: { session: string; path: string; binding: string; watch: boolean }): Promise<TlsKeysDto> {
    const s = this.session(arg.session);
    const store = s.analyzer.tlsKeys;
    if (arg.watch) {
      const w = watchKeyLog(store, arg.path);
      const list = this.keyWatchers.get(s.id) ?? [];
      list.push(w.stop);
      this.keyWatchers.set(s.id, list);
    } else {
      addKeyFile(store, arg.path, this.binding(arg.binding));
    }
    return this.rekeyed(s);
  }

  async removeTlsKey(arg: { session: string; id: number }): Promise<TlsKeysDto> {
    const s = this.session(arg.session);
    if (!s.analyzer.tlsKeys.remove(arg.id)) throw new Error(`no key source ${arg.id}`);
    return this.rekeyed(s);
  }

  private binding(text: string): { address: string; port: number } | undefined {
    if (text.trim() === '') return undefined;
    const b = parseBinding(text);
    if (b === null) throw new Error(`${text}: not an address:port binding (e.g. 192.0.2.1:443)`);
    return b;
  }

  /**
   * Keys changed: a file is analysed again with the same store (Wireshark re-dissects too), so the
   * packet list, conversations and filters see the decrypted protocols; a live capture keeps going
   * and decrypts the sessions that start from now on.
   */
  private rekeyed(s: CaptureSession): TlsKeysDto {
    if (!s.live) {
      const next = new CaptureSession(s.id, s.path, this.analyzerOptions(s.analyzer.tlsKeys, s.path), (x) => this.sessionChanged(x));
      for (const [row, list] of s.edits) next.edits.set(row, list);
      next.dirty = s.dirty;
      // Marks, ignored packets, time references and the sort belong to the packets, not to a pass.
      for (const row of s.marked) next.marked.add(row);
      for (const row of s.ignored) next.ignored.add(row);
      next.timeRefs = s.timeRefs;
      next.sort = s.sort;
      s.close();
      this.sessions.set(s.id, next);
      this.emit('session-updated', next.info());
    }
    return tlsKeysDto(s.analyzer.tlsKeys);
  }

  async statistics(arg: { session: string; limitToDisplay?: boolean }): Promise<StatisticsDto> {
    const s = this.session(arg.session);
    if (s.loading) await s.analyzer.sync();
    return statistics(s, this.replaySource(s), this.factoriesOf(s), arg.limitToDisplay === true);
  }

  async expertInfo(arg: { session: string; limitToFilter: boolean }): Promise<ExpertInfoDto> {
    return expertInfo(this.session(arg.session), arg.limitToFilter);
  }

  async annotate(arg: { session: string; packet: number; comment: string | null }): Promise<SessionInfo> {
    const s = this.session(arg.session);
    const row = arg.packet - 1;
    if (row < 0 || row >= s.rowCount) throw new Error(`no packet ${arg.packet}`);
    const text = arg.comment === null ? '' : arg.comment.trim();
    // One annotation per packet: it replaces the packet's comments (pcapng opt_comment) on save.
    s.edits.set(row, text === '' ? [] : [text]);
    s.dirty = true;
    const info = s.info();
    this.emit('session-updated', info);
    return info;
  }

  /**
   * Writes the capture, or the packets a range selects (Export Specified Packets), with its
   * annotations to a new pcapng file; `embedKeys` adds the key log lines its TLS sessions use.
   * Only a whole capture counts as saved.
   */
  async saveAs(arg: { session: string; path: string; embedKeys?: boolean; packets?: PacketRangeDto }): Promise<SaveResult> {
    const s = this.session(arg.session);
    if (s.loading) throw new Error('wait until the capture has finished loading before saving it');
    const comments = new Map<number, string[]>();
    for (const [row, list] of s.edits) comments.set(row + 1, list);
    // "Save with embedded keys": a DSB with just the key log lines this capture's sessions use.
    const keyLog = arg.embedKeys === true ? s.analyzer.tlsKeys.usedKeyLog() : '';
    if (arg.embedKeys === true && keyLog === '') throw new Error('no loaded key matches a TLS session of this capture: nothing to embed');
    const whole = arg.packets === undefined || (arg.packets.scope === 'all' && !arg.packets.displayed && !(arg.packets.removeIgnored && s.ignored.size > 0));
    const mask = whole ? null : rangeMask(s, arg.packets!);
    if (mask !== null && !mask.includes(1)) throw new Error('the range selects no packets: nothing to export');
    // rewriteCapture refuses to write over the file being read and over any existing file.
    const result = await rewriteCapture(s.path, arg.path, {
      commentsByPacket: comments,
      ...(keyLog !== '' ? { tlsKeyLog: keyLog } : {}),
      ...(mask !== null ? { keep: (n: number) => mask[n - 1] === 1 } : {}),
    });
    let annotations = 0;
    for (const row of new Set([...s.analyzer.index.comments.keys(), ...s.edits.keys()])) if ((mask === null || mask[row] === 1) && s.comments(row).length > 0) annotations++;
    if (whole) {
      s.dirty = false;
      s.unsavedCapture = false;
    }
    this.emit('session-updated', s.info());
    return { path: arg.path, packets: result.packets, annotations };
  }

  /** What the live-capture requests need from the service (capture-service.ts). */
  private captureContext(): capture.CaptureContext {
    return {
      sessions: this.sessions,
      analyzerOptions: this.analyzerOptions(new TlsKeyStore()),
      notify: (s) => this.sessionChanged(s),
      emitStats: (payload) => this.emit('capture-stats', payload),
    };
  }

  async listInterfaces(_arg: Record<string, never>): Promise<InterfaceDto[]> {
    return capture.listInterfaces(captureProgram(this.options.captureHelper));
  }

  async interfaceCounters(_arg: Record<string, never>): Promise<InterfaceCountersDto[]> {
    return capture.interfaceCounters();
  }

  async checkCaptureFilter(arg: { filter: string; interface: string }): Promise<{ error: string | null }> {
    return capture.checkCaptureFilter(arg, captureProgram(this.options.captureHelper));
  }

  async startCapture(arg: { options: CaptureOptionsDto }): Promise<SessionInfo> {
    this.roomForSession();
    return capture.startCapture(arg, { ...this.captureContext(), capture: { program: captureProgram(this.options.captureHelper) } });
  }

  async stopCapture(arg: { session: string }): Promise<SessionInfo> {
    const info = await capture.stopCapture(arg, this.captureContext());
    this.emit('session-updated', info);
    return info;
  }

  replaySource(s: CaptureSession): ReplaySource {
    return s.replaySource();
  }
}

/** Every `[Malformed: …]` line of a tree, for the hex view to mark. */
function malformedRanges(layers: readonly LayerDto[]): PacketDetail['malformed'] {
  const out: PacketDetail['malformed'] = [];
  const walk = (nodes: readonly FieldNodeDto[]): void => {
    for (const n of nodes) {
      if (n.name === '_ws.malformed' && n.length > 0) out.push({ source: n.source, start: n.start, length: n.length, reason: n.warning ?? n.label });
      if (n.children !== undefined) walk(n.children);
    }
  };
  for (const l of layers) walk(l.fields);
  return out;
}

type FieldLookup = (name: string) => FieldDef | undefined;

function layerDto(l: Layer, sources: readonly DataSource[], field: FieldLookup): LayerDto {
  return {
    protocol: l.protocol,
    title: l.title,
    osi: l.osi,
    start: l.start,
    length: l.length,
    source: l.source,
    fields: shownFields(l.fields, sources, field),
    malformed: l.malformed,
    filter: layerFilter(l),
  };
}

/** The fields the detail pane draws (hidden ones exist for filters and `-T fields` only). */
function shownFields(nodes: readonly FieldNode[], sources: readonly DataSource[], field: FieldLookup): FieldNodeDto[] {
  const out: FieldNodeDto[] = [];
  for (const n of nodes) if (n.hidden !== true) out.push(fieldDto(n, sources, field));
  return out;
}

function fieldDto(n: FieldNode, sources: readonly DataSource[], field: FieldLookup): FieldNodeDto {
  const dto: FieldNodeDto = { name: n.name, label: n.label, start: n.start, length: n.length, source: n.source };
  if (n.warning !== undefined) dto.warning = n.warning;
  if (n.children !== null && n.children.length > 0) {
    const children = shownFields(n.children, sources, field);
    if (children.length > 0) dto.children = children;
  }
  const filter = nodeFilter(n, sources, field);
  if (filter !== null) dto.filter = filter;
  if (n.name !== '' && n.text !== '') dto.value = n.text;
  // Frame references are links (Wireshark draws FT_FRAMENUM items underlined).
  if (field(n.name)?.type === 'framenum' && typeof n.value === 'number' && n.value > 0) dto.frame = n.value;
  return dto;
}

const serviceMethods = new Set([
  'listSessions', 'openFile', 'openSample', 'cancelLoad', 'closeSession', 'sessionInfo', 'setFilter', 'rows', 'rowIndexOf',
  'packetDetail', 'conversations', 'conversationIndexOf', 'ladder', 'tlsRecords', 'http2Streams', 'followHttp2Stream', 'statistics', 'expertInfo', 'exportLadder', 'annotate', 'saveAs',
  'followStream', 'tlsKeys', 'addTlsKeyText', 'addTlsKeyFile', 'removeTlsKey',
  'listInterfaces', 'interfaceCounters', 'checkCaptureFilter', 'startCapture', 'stopCapture',
  'setSort', 'findPacket', 'setPacketFlags', 'rangeCount', 'endpoints', 'ioGraph', 'fieldCatalogue', 'checkFilter',
]);

function isServiceMethod(name: string): boolean {
  return serviceMethods.has(name);
}
