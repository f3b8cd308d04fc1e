// The engine service: the one object both transports (Electron IPC, browser-mode WebSocket) serve.
// It holds the open sessions and answers the requests of the contract in src/shared/api.ts.

import { existsSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { replay, type ReplaySource } from '../engine/replay';
import type { Packet } from '../dissect/packet';
import type { Layer, FieldNode } from '../dissect/tree';
import { CaptureSession } from './session';
import { buildRows } from './rows';
import type {
  ConversationDto,
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
  FieldNodeDto,
  FilterResult,
  LayerDto,
  PacketDetail,
  RowsPage,
  SessionInfo,
} from './dto';
import { conversationDtos } from './conversations';
import { statistics } from './statistics';
import { tlsRecords } from './tls-records';
import { rewriteCapture } from '../io/pcapng-writer';
import * as capture from './capture-service';
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
import { defaultAppFactories } from '../engine/app-factories';
import { analysisThreads } from '../engine/shard-pool';

export interface EngineServiceOptions {
  /** Path of the bundled sample capture (openSample). */
  samplePath?: string;
  /** Analysis threads per capture file (default: the cores this process may use; 1 for small files). */
  workers?: number;
  /** Captures open at once (files and live captures); opening more fails until one is closed. */
  maxSessions?: number;
}

/** Each open capture holds its packet index in memory: a bound keeps one client from exhausting it. */
export const DEFAULT_MAX_SESSIONS = 64;

type Listener = (event: string, payload: unknown) => void;

export class EngineService {
  private readonly sessions = new Map<string, CaptureSession>();
  private readonly listeners = new Set<Listener>();
  private readonly appFactories: AppParserFactory[];
  private readonly filterRuns = new Map<string, AbortController>();

  constructor(private readonly options: EngineServiceOptions = {}, appFactories: AppParserFactory[] = defaultAppFactories()) {
    this.appFactories = appFactories;
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
    const workers = analysisThreads(statSync(arg.path).size, this.options.workers);
    const session = new CaptureSession(id, arg.path, { appFactories: this.appFactories, workers }, (s) => this.sessionChanged(s));
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
    s.close();
    this.sessions.delete(arg.session);
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
      return await runFilter(compiled, captureFilterSource(s, { appFactories: this.appFactories }), {
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
      this.emit('session-updated', s.info());
      // Rows that arrived while this ran are picked up by the next change, or now if it is over.
      if (!s.loading && s.rowCount > s.filteredUpTo) this.sessionChanged(s);
    });
  }

  async rows(arg: { session: string; start: number; count: number }): Promise<RowsPage> {
    const s = this.session(arg.session);
    return { start: arg.start, rows: buildRows(s, arg.start, arg.count), total: s.displayedCount };
  }

  async rowIndexOf(arg: { session: string; packet: number }): Promise<number> {
    const s = this.session(arg.session);
    const row = arg.packet - 1;
    if (row < 0 || row >= s.rowCount) return -1;
    if (s.displayed === null) return row;
    // Displayed rows are ascending: binary search.
    let lo = 0;
    let hi = s.displayed.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = s.displayed[mid]!;
      if (v === row) return mid;
      if (v < row) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

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
    replay(this.replaySource(s), {
      rows,
      treeRow: row,
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
    return {
      number: arg.packet,
      layers: layers.map(layerDto),
      sources: sources.map((src) => ({ name: src.name, base64: Buffer.from(src.bytes).toString('base64') })),
      comments: s.comments(row),
      conversation: conv,
    };
  }

  async conversations(arg: { session: string }): Promise<ConversationDto[]> {
    const s = this.session(arg.session);
    if (s.loading) await s.analyzer.sync();
    return conversationDtos(s, this.replaySource(s), this.appFactories);
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
    return buildLadder(this.replaySource(s), conversation, options, { capture: s.fileName, stream: store.stream(conversation), appFactories: this.appFactories });
  }

  async tlsRecords(arg: { session: string; conversation: number }): Promise<TlsRecordsDto> {
    const s = this.session(arg.session);
    return tlsRecords(s, this.replaySource(s), arg.conversation);
  }

  async statistics(arg: { session: string }): Promise<StatisticsDto> {
    const s = this.session(arg.session);
    if (s.loading) await s.analyzer.sync();
    return statistics(s);
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

  async saveAs(arg: { session: string; path: string }): Promise<SaveResult> {
    const s = this.session(arg.session);
    if (s.loading) throw new Error('wait until the capture has finished loading before saving it');
    const comments = new Map<number, string[]>();
    for (const [row, list] of s.edits) comments.set(row + 1, list);
    // rewriteCapture refuses to write over the file being read and over any existing file.
    const result = await rewriteCapture(s.path, arg.path, { commentsByPacket: comments });
    s.dirty = false;
    s.unsavedCapture = false;
    this.emit('session-updated', s.info());
    return { path: arg.path, packets: result.packets, annotations: s.annotationCount() };
  }

  /** What the live-capture requests need from the service (capture-service.ts). */
  private captureContext(): capture.CaptureContext {
    return {
      sessions: this.sessions,
      analyzerOptions: { appFactories: this.appFactories },
      notify: (s) => this.sessionChanged(s),
      emitStats: (payload) => this.emit('capture-stats', payload),
    };
  }

  async listInterfaces(_arg: Record<string, never>): Promise<InterfaceDto[]> {
    return capture.listInterfaces();
  }

  async interfaceCounters(_arg: Record<string, never>): Promise<InterfaceCountersDto[]> {
    return capture.interfaceCounters();
  }

  async checkCaptureFilter(arg: { filter: string; interface: string }): Promise<{ error: string | null }> {
    return capture.checkCaptureFilter(arg);
  }

  async startCapture(arg: { options: CaptureOptionsDto }): Promise<SessionInfo> {
    this.roomForSession();
    return capture.startCapture(arg, this.captureContext());
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

function layerDto(l: Layer): LayerDto {
  return { protocol: l.protocol, title: l.title, osi: l.osi, start: l.start, length: l.length, source: l.source, fields: l.fields.map(fieldDto), malformed: l.malformed };
}

function fieldDto(n: FieldNode): FieldNodeDto {
  const dto: FieldNodeDto = { name: n.name, label: n.label, start: n.start, length: n.length, source: n.source };
  if (n.warning !== undefined) dto.warning = n.warning;
  if (n.children !== null && n.children.length > 0) dto.children = n.children.map(fieldDto);
  return dto;
}

const serviceMethods = new Set([
  'listSessions', 'openFile', 'openSample', 'cancelLoad', 'closeSession', 'sessionInfo', 'setFilter', 'rows', 'rowIndexOf',
  'packetDetail', 'conversations', 'ladder', 'tlsRecords', 'statistics', 'exportLadder', 'annotate', 'saveAs',
  'listInterfaces', 'interfaceCounters', 'checkCaptureFilter', 'startCapture', 'stopCapture',
]);

function isServiceMethod(name: string): boolean {
  return serviceMethods.has(name);
}
