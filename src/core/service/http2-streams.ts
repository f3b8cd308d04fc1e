// HTTP/2 for the views: a connection's streams in a line (whole-file pass), its streams one by one
// (a replay of the conversation), "Follow HTTP/2 stream N", and the statistics over all connections.

import { http2Of } from '../engine/app-of';
import { replay, type ReplaySource } from '../engine/replay';
import type { ConversationStore } from '../flow/conversation-store';
import { followPart, followText } from '../http2/follow';
import { settingNames, settingRfcNames } from '../http2/frames';
import type { Http2Parser } from '../http2/parser';
import type { Http2Session, Http2Stream } from '../http2/model';
import { endpointOf } from './conversations';
import type { CaptureSession } from './session';
import type { CountDto, Http2FollowDto, Http2StreamDto, Http2StreamsDto, Http2SummaryDto, StatisticsDto } from './dto';

/** What the whole-file pass kept of a connection's HTTP/2 (conversation-facts.ts, the `http2` extra). */
interface Http2Extra extends Http2SummaryDto {
  statusCounts: [number, number][];
}

function http2Extra(store: ConversationStore, id: number): Http2Extra | null {
  const extra = store.extrasOf(id);
  return extra === null || extra['http2'] === undefined ? null : (extra['http2'] as Http2Extra);
}

export function http2Summary(store: ConversationStore, id: number): Http2SummaryDto | null {
  const h = http2Extra(store, id);
  if (h === null) return null;
  return { streams: h.streams, requests: h.requests, responses: h.responses, resets: h.resets, goaway: h.goaway, undecodable: h.undecodable };
}

/** The HTTP/2 parser of one conversation replayed with everything kept. */
function replayed(s: CaptureSession, src: ReplaySource, conversation: number): { firstRow: number; h2: Http2Parser | null } {
  const store = s.analyzer.flows.store;
  if (!Number.isInteger(conversation) || conversation < 0 || conversation >= store.count) throw new Error(`no conversation ${conversation}`);
  const rows = s.analyzer.index.rowsOfStream(conversation);
  const stream = store.stream(conversation);
  const a = replay(src, { rows, keepSpans: true, streamOf: () => stream });
  const rc = a.flows.conversations[0];
  return { firstRow: store.firstRow(conversation), h2: rc === undefined ? null : http2Of(rc) };
}

/** Streams a GOAWAY said were not processed: initiated by its receiver, above its last stream id. */
function refusedByGoaway(session: Http2Session, st: Http2Stream): boolean {
  const initiator = st.id % 2 === 1 ? 0 : 1;
  return session.goaways.some((g) => g.by !== initiator && st.id > g.lastStreamId);
}

export function outcomeOf(session: Http2Session, st: Http2Stream): Http2StreamDto['outcome'] {
  if (st.reset !== null) return 'reset';
  if (st.request.endRow >= 0 && st.response.endRow >= 0) return 'complete';
  return refusedByGoaway(session, st) ? 'refused-by-goaway' : 'unfinished';
}

export function http2Streams(s: CaptureSession, src: ReplaySource, conversation: number): Http2StreamsDto {
  const { firstRow, h2 } = replayed(s, src, conversation);
  const store = s.analyzer.flows.store;
  const client = endpointOf(store, conversation, s.analyzer.addresses, true);
  const server = endpointOf(store, conversation, s.analyzer.addresses, false);
  const empty: Http2StreamsDto = { conversation, client, server, start: 'none', settings: { client: [], server: [] }, goaways: [], streams: [], problems: [] };
  if (h2 === null) return empty;
  const session = h2.session;
  const index = s.analyzer.index;
  const t0 = index.tsSec(firstRow) + index.tsNsec(firstRow) / 1e9;
  const settings = (dir: 0 | 1): { name: string; value: number }[] =>
    [...session.settings[dir]].map(([id, value]) => ({ name: settingRfcNames.get(id) ?? settingNames.get(id) ?? `0x${id.toString(16)}`, value }));
  const streams: Http2StreamDto[] = [...session.streams.values()].map((st) => {
    const req = st.request;
    const res = st.response;
    const opened = req.headersRow >= 0 ? req.headersTime : st.firstTime;
    return {
      id: st.id,
      method: req.method,
      path: req.path,
      authority: req.authority,
      status: res.status,
      contentType: res.contentType,
      requestBytes: req.bodyBytes,
      responseBytes: res.bodyBytes,
      start: Math.max(opened - t0, 0),
      wait: req.headersRow >= 0 && res.headersRow >= 0 ? Math.max(res.headersTime - req.headersTime, 0) : null,
      duration: req.headersRow >= 0 && res.endRow >= 0 ? Math.max(res.endTime - req.headersTime, 0) : null,
      outcome: outcomeOf(session, st),
      reset: st.reset === null ? null : { by: st.reset.by === 0 ? 'client' : 'server', error: st.reset.name },
      upgraded: st.upgraded,
      pushedBy: st.promisedBy > 0 ? st.promisedBy : null,
      firstPacket: st.firstRow + 1,
      lastPacket: st.lastRow + 1,
      undecodable: req.undecodable ?? res.undecodable,
    };
  });
  return {
    conversation,
    client,
    server,
    start: session.start,
    settings: { client: settings(0), server: settings(1) },
    goaways: session.goaways.map((g) => ({ by: g.by === 0 ? 'client' : 'server', lastStreamId: g.lastStreamId, error: g.name, debug: g.debug, packet: g.row + 1 })),
    streams,
    problems: session.problems.map((p) => `frame ${p.row + 1} (${p.dir === 0 ? 'client' : 'server'}): ${p.reason}`),
  };
}

export function followHttp2Stream(s: CaptureSession, src: ReplaySource, conversation: number, stream: number): Http2FollowDto {
  const { h2 } = replayed(s, src, conversation);
  if (h2 === null) throw new Error(`conversation ${conversation} carries no HTTP/2`);
  const st = h2.session.streams.get(stream);
  if (st === undefined) throw new Error(`conversation ${conversation} has no HTTP/2 stream ${stream}`);
  return { conversation, stream, request: followPart(st.request), response: followPart(st.response), text: followText(st) };
}

/** HTTP/2 over the whole capture, from the whole-file pass's per-connection summaries. */
export function http2Statistics(s: CaptureSession): StatisticsDto['http2'] {
  const codes = new Map<number, number>();
  const perConnection: NonNullable<StatisticsDto['http2']>['perConnection'] = [];
  let requests = 0;
  let resets = 0;
  const ep = s.analyzer.addresses;
  const store = s.analyzer.flows.store;
  for (let id = 0; id < store.count; id++) {
    const h = http2Extra(store, id);
    if (h === null) continue;
    requests += h.requests;
    resets += h.resets;
    for (const [code, n] of h.statusCounts) codes.set(code, (codes.get(code) ?? 0) + n);
    const clientIsA = store.clientIsA(id);
    const label = `${store.stream(id)}: ${ep.text(clientIsA ? store.addrA(id) : store.addrB(id))} → ${ep.text(clientIsA ? store.addrB(id) : store.addrA(id))}:${clientIsA ? store.portB(id) : store.portA(id)}`;
    perConnection.push({ conversation: id, label, streams: h.streams, requests: h.requests, resets: h.resets });
  }
  if (perConnection.length === 0) return null;
  const statusCodes: CountDto[] = [...codes].sort((a, b) => a[0] - b[0]).map(([code, count]) => ({ name: String(code), count }));
  return { connections: perConnection.length, requests, resets, statusCodes, perConnection };
}
