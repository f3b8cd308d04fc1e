// HTTP/2 on the ladder: which frames complete in each packet (and which packets carry parts of
// frames completing later), the step's label ("HEADERS stream 1: GET /", "HEADERS+DATA stream 1:
// 200 text/html 4 KB") and kind, and the control frames hidden unless asked for.

import { FrameType, Flag, errorCodeName, frameTypeName } from '../http2/frames';
import type { Http2FrameRecord, Http2Message, Http2Stream } from '../http2/model';
import type { Http2Parser } from '../http2/parser';
import type { Language, StepKind } from './model';
import { http2En, type Http2TextKey } from './texts/http2-en';
import { http2ZhCN } from './texts/http2-zh-CN';

/** What an HTTP/2 step carries: the preface, a frame completed in the packet, or part of a frame. */
export type H2Item =
  | { t: 'preface'; row: number }
  | { t: 'frame'; rec: Http2FrameRecord }
  | { t: 'part'; rec: Http2FrameRecord; bytes: number };

export function h2Text(language: Language, key: Http2TextKey, values: Readonly<Record<string, string | number>> = {}): string {
  const template: string = language === 'zh-CN' ? http2ZhCN[key] : http2En[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name];
    return v === undefined ? whole : String(v);
  });
}

/** Sizes as the ladder writes them: `512 B`, `4 KB`, `1.5 MB`. */
export function sizeText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) {
    const k = n / 1024;
    return `${k < 10 ? (Math.round(k * 10) / 10).toString() : Math.round(k).toString()} KB`;
  }
  const m = n / (1024 * 1024);
  return `${m < 10 ? (Math.round(m * 10) / 10).toString() : Math.round(m).toString()} MB`;
}

/** Control frames drawn only with "Show control frames": flow control, liveness, priorities. */
export function isHiddenControl(rec: Http2FrameRecord): boolean {
  return rec.type === FrameType.WindowUpdate || rec.type === FrameType.Ping || rec.type === FrameType.Priority;
}

/** HTTP/2 items by the row (0-based) of the packet they belong to. */
export function classifyHttp2(h2: Http2Parser): Map<number, H2Item[]> {
  const map = new Map<number, H2Item[]>();
  const push = (row: number, item: H2Item): void => {
    const list = map.get(row);
    if (list === undefined) map.set(row, [item]);
    else list.push(item);
  };
  const s = h2.session;
  if (s.prefaceRow >= 0) push(s.prefaceRow, { t: 'preface', row: s.prefaceRow });
  const host = h2.host;
  for (const rec of s.frameRecords) {
    push(rec.row, { t: 'frame', rec });
    if (!host.keepsSpans || rec.firstRow === rec.row) continue;
    for (const sp of host.spans(rec.dir, rec.streamOffset, rec.streamOffset + 9 + rec.length)) {
      if (sp.row === rec.row) continue;
      const list = map.get(sp.row);
      const known = list?.find((x) => x.t === 'part' && x.rec === rec);
      if (known !== undefined && known.t === 'part') known.bytes += sp.length;
      else push(sp.row, { t: 'part', rec, bytes: sp.length });
    }
  }
  // Items in stream order within a packet (a frame that began earlier ends before new ones).
  for (const list of map.values()) list.sort((a, b) => offsetOf(a) - offsetOf(b));
  return map;
}

function offsetOf(x: H2Item): number {
  return x.t === 'preface' ? -1 : x.rec.streamOffset;
}

/** The items a step shows: hidden control frames left out unless `showControl`. */
export function visibleItems(items: readonly H2Item[], showControl: boolean): H2Item[] {
  return showControl ? [...items] : items.filter((x) => x.t !== 'frame' || !isHiddenControl(x.rec));
}

function messageOf(st: Http2Stream, rec: Http2FrameRecord): Http2Message {
  return rec.dir === 0 ? st.request : st.response;
}

function media(contentType: string | null): string | null {
  if (contentType === null) return null;
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** The step's label, from the items it shows. */
export function http2Label(items: readonly H2Item[], h2: Http2Parser, language: Language): string {
  const parts: string[] = [];
  // Frames of one stream in a packet are named together: `HEADERS+DATA stream 1: 200 text/html 4 KB`.
  const groups = new Map<number, Http2FrameRecord[]>();
  const order: Array<{ stream: number } | { text: string; part?: number; bytes?: number }> = [];
  for (const x of items) {
    if (x.t === 'preface') {
      order.push({ text: h2Text(language, 'label.preface') });
      continue;
    }
    const rec = x.rec;
    if (x.t === 'part') {
      // Parts of several frames of one stream in a packet read as one: `DATA stream 7 (part, 1.4 KB)`.
      const prev = order[order.length - 1];
      if (prev !== undefined && 'part' in prev && prev.part === rec.stream) {
        prev.bytes = (prev.bytes ?? 0) + x.bytes;
        prev.text = h2Text(language, 'label.part', { id: rec.stream, bytes: sizeText(prev.bytes) });
      } else {
        order.push({ text: h2Text(language, 'label.part', { id: rec.stream, bytes: sizeText(x.bytes) }), part: rec.stream, bytes: x.bytes });
      }
      continue;
    }
    const control = controlLabel(rec, language);
    if (control !== null) {
      order.push({ text: control });
      continue;
    }
    let g = groups.get(rec.stream);
    if (g === undefined) {
      g = [];
      groups.set(rec.stream, g);
      order.push({ stream: rec.stream });
    }
    g.push(rec);
  }
  for (const o of order) {
    if ('text' in o) parts.push(o.text);
    else parts.push(streamLabel(o.stream, groups.get(o.stream)!, h2, language));
  }
  return parts.join(', ');
}

function controlLabel(rec: Http2FrameRecord, language: Language): string | null {
  const ack = (rec.flags & Flag.Ack) !== 0;
  switch (rec.type) {
    case FrameType.Settings:
      return h2Text(language, ack ? 'label.settingsAck' : 'label.settings');
    case FrameType.Ping:
      return h2Text(language, ack ? 'label.pingAck' : 'label.ping');
    case FrameType.WindowUpdate:
      return rec.stream === 0
        ? h2Text(language, 'label.windowUpdate', { bytes: sizeText(Math.max(rec.increment, 0)) })
        : h2Text(language, 'label.windowUpdateStream', { id: rec.stream, bytes: sizeText(Math.max(rec.increment, 0)) });
    case FrameType.Goaway:
      return h2Text(language, 'label.goaway', { error: errorCodeName(rec.errorCode), last: rec.lastStreamId });
    case FrameType.RstStream:
      return h2Text(language, 'label.rst', { id: rec.stream, error: errorCodeName(rec.errorCode) });
    case FrameType.Priority:
      return `PRIORITY stream ${rec.stream}`;
    default:
      if (rec.type > FrameType.Continuation) return h2Text(language, 'label.unknown', { type: `${frameTypeName(rec.type)} (0x${rec.type.toString(16)})` });
      return null;
  }
}

function streamLabel(stream: number, recs: Http2FrameRecord[], h2: Http2Parser, language: Language): string {
  const types: string[] = [];
  for (const r of recs) {
    const name = r.type === FrameType.Continuation ? 'HEADERS' : frameTypeName(r.type);
    if (!types.includes(name)) types.push(name);
  }
  const st = h2.session.streams.get(stream);
  const typesText = types.join('+');
  if (st === undefined) return h2Text(language, 'label.streamBare', { types: typesText, id: stream });
  const push = recs.find((r) => r.type === FrameType.PushPromise);
  if (push !== undefined) {
    const promised = [...h2.session.streams.values()].find((p) => p.promisedBy === stream && p.request.headersRow === push.row);
    if (promised !== undefined) return h2Text(language, 'label.push', { id: stream, promised: promised.id, method: promised.request.method ?? '?', path: promised.request.path ?? '?' });
  }
  const dir = recs[0]!.dir;
  const msg = messageOf(st, recs[0]!);
  const details: string[] = [];
  const hasHeaders = recs.some((r) => r.type === FrameType.Headers || r.type === FrameType.Continuation);
  const data = recs.filter((r) => r.type === FrameType.Data);
  const ended = recs.some((r) => (r.flags & Flag.EndStream) !== 0 && (r.type === FrameType.Data || r.type === FrameType.Headers));
  if (hasHeaders) {
    if (dir === 0) details.push(`${msg.method ?? '?'} ${msg.path ?? ''}`.trim());
    else if (msg.status !== null) details.push(String(msg.status));
    else if (st.interim.length > 0) details.push(String(st.interim[st.interim.length - 1]));
  }
  if (data.length > 0) {
    const m = media(msg.contentType);
    if (m !== null && dir === 1) details.push(m);
    const bytes = ended ? msg.bodyBytes : data.reduce((n, r) => n + r.length, 0);
    details.push(sizeText(bytes));
    if (ended && !hasHeaders) details.push(`(${h2Text(language, 'label.end')})`);
  } else if (hasHeaders && dir === 1 && !ended) {
    const m = media(msg.contentType);
    if (m !== null) details.push(m);
  }
  const detail = details.join(' ');
  return detail === '' ? h2Text(language, 'label.streamBare', { types: typesText, id: stream }) : h2Text(language, 'label.stream', { types: typesText, id: stream, detail });
}

/** The kind of a step carrying these items (null: nothing HTTP/2 to say). */
export function http2Kind(items: readonly H2Item[], transportData: StepKind): StepKind | null {
  if (items.length === 0) return null;
  let request = false;
  let response = false;
  let reset = false;
  let control = false;
  let data = false;
  for (const x of items) {
    if (x.t === 'preface') {
      control = true;
      continue;
    }
    if (x.t === 'part') {
      data = true;
      continue;
    }
    const r = x.rec;
    switch (r.type) {
      case FrameType.RstStream:
        reset = true;
        break;
      case FrameType.Goaway:
        if (r.errorCode !== 0) reset = true;
        else control = true;
        break;
      case FrameType.Headers:
      case FrameType.Continuation:
      case FrameType.PushPromise:
        if (r.dir === 0) request = true;
        else response = true;
        break;
      case FrameType.Data:
        if ((r.flags & Flag.EndStream) !== 0) {
          if (r.dir === 0) request = true;
          else response = true;
        } else data = true;
        break;
      default:
        control = true;
    }
  }
  if (reset) return 'http2-reset';
  if (request) return 'http-request';
  if (response) return 'http-response';
  if (data) return transportData;
  return control ? 'http2-control' : null;
}

/** The stream of the DATA parts a step holds, when it holds nothing else (for folded runs). */
export function partsStream(items: readonly H2Item[]): number | null {
  let stream: number | null = null;
  for (const x of items) {
    if (x.t === 'preface') return null;
    const r = x.rec;
    if (r.type !== FrameType.Data || (x.t === 'frame' && (r.flags & Flag.EndStream) !== 0)) return null;
    if (stream !== null && stream !== r.stream) return null;
    stream = r.stream;
  }
  return stream;
}
