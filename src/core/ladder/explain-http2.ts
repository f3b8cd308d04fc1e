// Explanations of HTTP/2 ladder steps that are true for this connection: the preface and how
// HTTP/2 was chosen, SETTINGS and their ACKs, requests and responses per stream (multiplexing,
// HPACK), DATA and flow control, RST_STREAM and GOAWAY and what they mean here.

import { decodeBody } from '../http2/content-coding';
import { FrameType, Flag, Setting, errorCodeName, settingRfcNames } from '../http2/frames';
import { ENTRY_OVERHEAD } from '../http2/hpack';
import type { Http2FrameRecord, Http2Session } from '../http2/model';
import type { Http2Parser } from '../http2/parser';
import { reasonPhrase } from '../http2/frame-tree';
import { duration } from './labels';
import { h2Text, sizeText, type H2Item } from './http2-steps';
import type { Language, Side } from './model';
import type { Http2TextKey } from './texts/http2-en';

export interface Http2ExplainContext {
  language: Language;
  h2: Http2Parser;
  /** ALPN chose h2 in a TLS handshake on this connection. */
  overTls: boolean;
}

const sideWord = (L: Language, side: Side): string => (L === 'zh-CN' ? (side === 'client' ? '客户端' : '服务器') : side);

function sideOf(rec: Http2FrameRecord): Side {
  return rec.dir === 0 ? 'client' : 'server';
}

function other(side: Side): Side {
  return side === 'client' ? 'server' : 'client';
}

function listText(L: Language, items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  if (L === 'zh-CN') return items.join('、');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Sentences for one step's items (at most `max`, the most telling first). */
export function explainHttp2(items: readonly H2Item[], hidden: number, ctx: Http2ExplainContext, max = 5): string {
  const L = ctx.language;
  const s = ctx.h2.session;
  const out: Array<{ text: string; prio: number }> = [];
  const say = (key: Http2TextKey, values: Record<string, string | number> = {}, prio = 3): void => {
    out.push({ text: h2Text(L, key, values), prio });
  };
  const parts = items.filter((x) => x.t === 'part');
  const frames = items.flatMap((x) => (x.t === 'frame' ? [x.rec] : []));
  for (const x of items) {
    if (x.t !== 'preface') continue;
    say('preface.preface', {}, 1);
    say(s.start === 'upgrade' ? 'preface.how.upgrade' : ctx.overTls ? 'preface.how.tls' : 'preface.how.prior', {}, 1);
  }
  // Sentences said once per step however many frames call for them.
  const once = new Set<string>();
  for (const rec of frames) {
    const side = sideOf(rec);
    const values = { side: sideWord(L, side), peer: sideWord(L, other(side)) };
    switch (rec.type) {
      case FrameType.Settings: {
        if ((rec.flags & Flag.Ack) !== 0) {
          say('settings.ack', values, 1);
          break;
        }
        const list = (rec.settings ?? []).map((v) => `${settingRfcNames.get(v.id) ?? `0x${v.id.toString(16)}`} = ${v.value}`);
        if (list.length === 0) say('settings.empty', values, 2);
        else say('settings.sent', { ...values, list: listText(L, list) }, 2);
        const table = rec.settings?.find((v) => v.id === Setting.HeaderTableSize);
        if (table !== undefined) say('settings.tableSize', { ...values, n: table.value }, 2);
        break;
      }
      case FrameType.Headers:
      case FrameType.Continuation:
        headersSentences(rec, s, ctx, say, once);
        break;
      case FrameType.PushPromise: {
        const promised = [...s.streams.values()].find((p) => p.promisedBy === rec.stream && p.request.headersRow === rec.row);
        if (promised !== undefined) say('push', { promised: promised.id, method: promised.request.method ?? '?', path: promised.request.path ?? '?' }, 1);
        break;
      }
      case FrameType.Data:
        dataSentences(rec, s, L, say);
        break;
      case FrameType.RstStream: {
        const name = errorCodeName(rec.errorCode);
        const meaningKey = (`meaning.${name}` in meaningKeys ? `meaning.${name}` : 'meaning.unknown') as Http2TextKey;
        say('rst.sent', { ...values, id: rec.stream, error: name, meaning: h2Text(L, meaningKey) }, 1);
        break;
      }
      case FrameType.Goaway: {
        const g = s.goaways.find((x) => x.row === rec.row && x.lastStreamId === rec.lastStreamId);
        // A client's Last-Stream-ID speaks of streams the server would start (pushes): usually none.
        if (rec.dir === 0 && rec.lastStreamId === 0) say('goaway.client', { error: errorCodeName(rec.errorCode) }, 1);
        else say('goaway.sent', { ...values, error: errorCodeName(rec.errorCode), last: rec.lastStreamId }, 1);
        if (rec.errorCode === 0) say('goaway.graceful', {}, 2);
        else {
          const name = errorCodeName(rec.errorCode);
          say(`meaning.${name}` in meaningKeys ? (`meaning.${name}` as Http2TextKey) : 'meaning.unknown', {}, 2);
        }
        if (g !== undefined && g.debug !== '') say('goaway.debug', { debug: g.debug }, 3);
        break;
      }
      case FrameType.WindowUpdate:
        say('windowUpdate', { ...values, bytes: sizeText(Math.max(rec.increment, 0)), scope: rec.stream === 0 ? h2Text(L, 'windowUpdate.connection') : h2Text(L, 'windowUpdate.stream', { id: rec.stream }) }, 2);
        break;
      case FrameType.Ping: {
        if ((rec.flags & Flag.Ack) === 0) say('ping', values, 2);
        else {
          const sent = s.frameRecords.filter((r) => r.type === FrameType.Ping && (r.flags & Flag.Ack) === 0 && r.dir !== rec.dir && r.row <= rec.row).pop();
          say('ping.ack', { ...values, rtt: sent === undefined ? '?' : duration(rec.time - sent.time) }, 2);
        }
        break;
      }
      default:
        break;
    }
  }
  if (frames.length === 0 && parts.length > 0) {
    const first = parts[0]!;
    if (first.t === 'part') {
      const total = parts.reduce((n, x) => n + (x.t === 'part' ? x.bytes : 0), 0);
      say('part', { bytes: sizeText(total), type: first.rec.type === FrameType.Data ? 'DATA' : 'HEADERS', id: first.rec.stream }, 2);
    }
  }
  if (hidden > 0) say('hidden', { n: hidden }, 4);
  const kept = out.length <= max ? out : out.map((o, k) => ({ o, k })).sort((a, b) => a.o.prio - b.o.prio || a.k - b.k).slice(0, max).sort((a, b) => a.k - b.k).map((x) => x.o);
  return kept.map((o) => o.text).join(L === 'zh-CN' ? '' : ' ');
}

/** Explanation of a run of DATA parts folded into one step. */
export function explainHttp2Parts(stream: number, packets: number, bytes: number, L: Language): string {
  return `${h2Text(L, 'parts', { n: packets, bytes: sizeText(bytes), id: stream })}${L === 'zh-CN' ? '' : ' '}${h2Text(L, 'data.flow')}`;
}

const meaningKeys: Record<string, true> = Object.fromEntries(
  ['NO_ERROR', 'PROTOCOL_ERROR', 'INTERNAL_ERROR', 'FLOW_CONTROL_ERROR', 'SETTINGS_TIMEOUT', 'STREAM_CLOSED', 'FRAME_SIZE_ERROR', 'REFUSED_STREAM', 'CANCEL', 'COMPRESSION_ERROR', 'CONNECT_ERROR', 'ENHANCE_YOUR_CALM', 'INADEQUATE_SECURITY', 'HTTP_1_1_REQUIRED'].map((n) => [`meaning.${n}`, true]),
);

/** Client streams open when `rec` (a request's header block) completed. */
function concurrent(s: Http2Session, rec: Http2FrameRecord): number[] {
  const ids: number[] = [];
  for (const st of s.streams.values()) {
    const opened = st.request.headersRow;
    if (opened < 0 || opened > rec.row) continue;
    const ended = st.reset?.row ?? st.response.endRow;
    if (ended < 0 || ended >= rec.row) ids.push(st.id);
  }
  return ids;
}

function headersSentences(
  rec: Http2FrameRecord,
  s: Http2Session,
  ctx: Http2ExplainContext,
  say: (key: Http2TextKey, values?: Record<string, string | number>, prio?: number) => void,
  once: Set<string>,
): void {
  const L = ctx.language;
  const st = s.streams.get(rec.stream);
  if (st === undefined) return;
  if (rec.type === FrameType.Continuation) say('continuation', {}, 3);
  if (rec.dir === 0) {
    const m = st.request;
    if (rec.row !== m.headersRow && rec.type === FrameType.Headers) return; // trailers
    // HPACK's gain: header fields as decoded (name + value + 32, RFC 7541 §4.1) against the block on the wire.
    const plain = m.headers.reduce((n, h) => n + (h.name?.length ?? 0) + (h.value?.length ?? 0) + ENTRY_OVERHEAD, 0);
    say('request.headers', { id: st.id, method: m.method ?? '?', path: m.path ?? '?', authority: m.authority !== null ? (L === 'zh-CN' ? `（${m.authority}）` : ` on ${m.authority}`) : '' }, 1);
    const open = concurrent(s, rec);
    if (open.length > 1 && !once.has('multiplex')) {
      once.add('multiplex');
      say('multiplex', { ids: listText(L, open.map(String)) }, 1);
    }
    if (!once.has('hpack')) {
      once.add('hpack');
      say('request.hpack', { wire: sizeText(rec.length), plain: sizeText(plain) }, 2);
    }
    say((rec.flags & Flag.EndStream) !== 0 ? 'request.noBody' : 'request.body', {}, 4);
    if (m.undecodable !== null) say('undecodable', { reason: m.undecodable }, 1);
    return;
  }
  const m = st.response;
  const status = m.status ?? st.interim[st.interim.length - 1] ?? null;
  if (status !== null && status >= 100 && status < 200 && m.status === null) say('response.interim', { status }, 1);
  else if (status !== null) {
    const media = m.contentType === null ? '' : `${L === 'zh-CN' ? '，' : ', '}${m.contentType.split(';')[0]!.trim()}`;
    say('response.headers', { id: st.id, status, reason: reasonPhrase(String(status)), type: media }, 1);
    if (st.request.headersRow >= 0) say('response.wait', { wait: duration(Math.max(m.headersTime - st.request.headersTime, 0)) }, 3);
  }
  if (m.undecodable !== null) say('undecodable', { reason: m.undecodable }, 1);
}

function dataSentences(rec: Http2FrameRecord, s: Http2Session, L: Language, say: (key: Http2TextKey, values?: Record<string, string | number>, prio?: number) => void): void {
  const st = s.streams.get(rec.stream);
  if (st === undefined) return;
  const m = rec.dir === 0 ? st.request : st.response;
  const message = L === 'zh-CN' ? (rec.dir === 0 ? '请求' : '响应') : rec.dir === 0 ? 'request' : 'response';
  if ((rec.flags & Flag.EndStream) !== 0) {
    say(m.dataFrames === 1 ? 'data.end.one' : 'data.end', { message, id: st.id, total: sizeText(m.bodyBytes), frames: m.dataFrames }, 1);
    if (m.contentEncoding !== null) say('data.body', { bytes: sizeText(m.bodyBytes), message, id: st.id, coding: h2Text(L, 'data.coding', { coding: m.contentEncoding, decoded: decodedSize(m) }) }, 2);
  } else {
    say('data.body', { bytes: sizeText(rec.length), message, id: st.id, coding: '' }, 1);
    say('data.flow', {}, 3);
  }
}

/** The decoded size of a kept body, or `?` when it was not kept whole. */
function decodedSize(m: { body: Uint8Array | null; bodyKept: number; bodyTruncated: boolean; contentEncoding: string | null }): string {
  if (m.body === null || m.bodyTruncated) return '?';
  return sizeText(decodedLength(m.body.subarray(0, m.bodyKept), m.contentEncoding));
}

function decodedLength(body: Uint8Array, coding: string | null): number {
  return decodeBody(body, coding).bytes.length;
}
