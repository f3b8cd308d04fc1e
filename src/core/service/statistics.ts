// Capture statistics for the charts: protocol hierarchy, traffic over time, handshake latencies,
// TLS versions and cipher suites, top talkers — computed from the index and the conversation store.

import { Proto, protoColumnNames } from '../dissect/packet';
import { linkTypeName } from '../dissect/link-types';
import { AddressKind } from '../io/address-table';
import { slotOf, type ConversationStore } from '../flow/conversation-store';
import type { AppParserFactory } from '../flow/app-parser';
import { conversationLatency } from '../engine/conversation-facts';
import type { ReplaySource } from '../engine/replay';
import type { CaptureSession } from './session';
import { http2Statistics } from './http2-streams';
import type { CountDto, ProtocolNodeDto, StatisticsDto } from './dto';

const TCP_FAMILY = new Set<number>([Proto.Tcp, Proto.Tls, Proto.Http, Proto.Http2, Proto.Tls10, Proto.Tls11, Proto.Tls12, Proto.Tls13, Proto.Ssl3, Proto.Ssl2]);
const TLS_FAMILY = new Set<number>([Proto.Tls, Proto.Tls10, Proto.Tls11, Proto.Tls12, Proto.Tls13, Proto.Ssl3, Proto.Ssl2]);

/** Timeline resolution: about this many buckets over the capture's duration. */
const TIMELINE_BUCKETS = 120;

/**
 * The charts' figures, over every packet or (`limitToDisplay`, Wireshark's "Limit to display
 * filter") over the displayed packets only; conversation figures then cover the conversations
 * that have a displayed packet. While a file loads, the caller brings the store up to date first
 * (CaptureSession.analyzer.sync()).
 */
export function statistics(s: CaptureSession, src: ReplaySource, appFactories: readonly AppParserFactory[], limitToDisplay = false): StatisticsDto {
  const a = s.analyzer;
  const index = a.index;
  const rows = limitToDisplay ? s.displayed : null;
  const n = rows === null ? s.rowCount : rows.length;
  const shownConversations = rows === null ? null : new Set<number>();
  const root: ProtocolNodeDto = { name: 'Frame', packets: 0, bytes: 0, children: [] };
  const total = s.rowCount;
  const duration = total > 0 ? index.relativeTime(total - 1) : 0;
  const bucket = niceBucket(duration / TIMELINE_BUCKETS);
  const buckets = new Map<number, { packets: number; bytes: number }>();
  const talkers = new Map<number, { packets: number; bytes: number }>();
  const linkNames = a.interfaces.map((i) => linkTypeName(i.linkType));
  for (let k = 0; k < n; k++) {
    const row = rows === null ? k : rows[k]!;
    shownConversations?.add(index.stream(row));
    const len = index.wirelen(row);
    const proto = index.proto(row);
    const path = [linkNames[index.iface(row)] ?? 'Link'];
    const src = index.src(row);
    const kind = a.addresses.kind(src);
    if (kind === AddressKind.Ipv4 || kind === AddressKind.Ipv6) {
      path.push(kind === AddressKind.Ipv4 ? 'IPv4' : 'IPv6');
      if (TCP_FAMILY.has(proto)) {
        path.push('TCP');
        if (TLS_FAMILY.has(proto)) path.push('TLS');
        else if (proto === Proto.Http) path.push('HTTP');
        else if (proto === Proto.Http2) path.push('HTTP2');
      } else if (proto === Proto.Udp || proto === Proto.Vxlan) path.push('UDP');
      else if (proto !== Proto.Ipv4 && proto !== Proto.Ipv6) path.push(protoColumnNames[proto] ?? 'Other');
    } else if (proto === Proto.Arp) path.push('ARP');
    add(root, path, len);
    const b = Math.floor(index.relativeTime(row) / bucket);
    const slot = buckets.get(b) ?? { packets: 0, bytes: 0 };
    slot.packets++;
    slot.bytes += len;
    buckets.set(b, slot);
    for (const id of [src, index.dst(row)]) {
      if (id === 0) continue;
      const t = talkers.get(id) ?? { packets: 0, bytes: 0 };
      t.packets++;
      t.bytes += len;
      talkers.set(id, t);
    }
  }
  const points = [];
  const last = Math.floor(duration / bucket);
  for (let b = 0; b <= last; b++) points.push({ t: round(b * bucket), packets: buckets.get(b)?.packets ?? 0, bytes: buckets.get(b)?.bytes ?? 0 });

  const versions = new Map<string, number>();
  const suites = new Map<string, number>();
  const latencies: StatisticsDto['handshakeLatencies'] = [];
  const store = a.flows.store;
  for (let id = 0; id < store.count; id++) {
    if (shownConversations !== null && !shownConversations.has(id)) continue;
    const c = store.chunkOf(id);
    const i = slotOf(id);
    const version = store.texts.text(c.version[i]!);
    if (version !== null) {
      versions.set(version, (versions.get(version) ?? 0) + 1);
      const suite = store.texts.text(c.cipher[i]!);
      if (suite !== null) suites.set(suite, (suites.get(suite) ?? 0) + 1);
    }
    if (c.proto[i] === 6) {
      const l = latency(s, store, id, src, appFactories);
      if (l.tcpConnect !== null || l.tlsHandshake !== null || l.timeToFirstByte !== null) latencies.push(l);
    }
  }
  return {
    protocolHierarchy: root.children,
    timeline: { bucketSeconds: bucket, points },
    handshakeLatencies: latencies,
    tlsVersions: counts(versions),
    cipherSuites: counts(suites),
    topTalkers: [...talkers.entries()]
      .sort((x, y) => y[1].bytes - x[1].bytes)
      .slice(0, 10)
      .map(([id, t]) => ({ address: a.addresses.text(id), packets: t.packets, bytes: t.bytes })),
    http2: http2Statistics(s),
  };
}

function add(root: ProtocolNodeDto, path: string[], bytes: number): void {
  root.packets++;
  root.bytes += bytes;
  let node = root;
  for (const name of path) {
    let child = node.children.find((c) => c.name === name);
    if (child === undefined) {
      child = { name, packets: 0, bytes: 0, children: [] };
      node.children.push(child);
    }
    child.packets++;
    child.bytes += bytes;
    node = child;
  }
}

/**
 * The conversation's latencies as the diagnosis defines them (engine/diagnosis.ts: TCP connect is
 * SYN → SYN/ACK, TLS handshake ClientHello → the Finished completing it, time to first byte the
 * first request → the first packet of its answer, over HTTP/2 the first request's header block to
 * its response's), the same numbers the ladder shows, with their frames.
 */
function latency(s: CaptureSession, store: ConversationStore, id: number, src: ReplaySource, appFactories: readonly AppParserFactory[]): StatisticsDto['handshakeLatencies'][number] {
  const l = conversationLatency(src, store, id, appFactories, s.loading);
  const c = store.chunkOf(id);
  const i = slotOf(id);
  const ep = s.analyzer.addresses;
  const clientIsA = store.clientIsA(id);
  const label = `${c.stream[i]!}: ${ep.text(clientIsA ? c.addrA[i]! : c.addrB[i]!)} → ${ep.text(clientIsA ? c.addrB[i]! : c.addrA[i]!)}:${clientIsA ? c.portB[i]! : c.portA[i]!}`;
  return {
    conversation: id,
    label,
    tcpConnect: l.tcpConnect?.seconds ?? null,
    tlsHandshake: l.tlsHandshake?.seconds ?? null,
    timeToFirstByte: l.timeToFirstByte?.seconds ?? null,
    spans: { tcpConnect: l.tcpConnect, tlsHandshake: l.tlsHandshake, timeToFirstByte: l.timeToFirstByte },
  };
}

function counts(m: Map<string, number>): CountDto[] {
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name, count]) => ({ name, count }));
}

/** A bucket width of 1, 2 or 5 × 10^k seconds at or above `raw`. */
function niceBucket(raw: number): number {
  if (!(raw > 0)) return 1;
  const exp = Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    const v = m * 10 ** exp;
    if (v >= raw) return v;
  }
  return 10 ** (exp + 1);
}

function round(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}
