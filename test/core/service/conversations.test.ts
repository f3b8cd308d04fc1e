// The `conversations` answer is a window of the whole table sorted by the engine: every column the
// Conversations view sorts by, both directions, ties by stream, also under "Limit to display
// filter"; conversationIndexOf finds a conversation's row; SessionInfo carries the count alone.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineService } from '../../../src/core/service/engine-service';
import { CONVERSATION_SORT_KEYS, type ConversationDto, type ConversationSortKey } from '../../../src/shared/api';
import { corpusPath } from '../io/helpers';

// 49 TCP conversations, no UDP (tshark -q -z conv,tcp).
const methods = corpusPath('zeek/http/methods.pcap');
// 22 corpus captures one after the other (mergecap -a): TCP and UDP, IPv4 and IPv6, tunnels, TLS
// 1.0–1.3 with and without a verdict, one decrypted by its Decryption Secrets Block, HTTP.
const mix = join(__dirname, '../../fixtures/conversations-mix.pcapng');

async function open(e: EngineService, path: string): Promise<string> {
  const { session } = await e.openFile({ path });
  await e.whenLoaded(session);
  return session;
}

/** The view's sort before the engine sorted (ConversationsView at 9e86214): the reference order. */
const endpoint = (x: { address: string; port: number }): string => (x.address.includes(':') ? `[${x.address}]:${x.port}` : `${x.address}:${x.port}`);
const valueOf: Record<ConversationSortKey, (c: ConversationDto) => string | number> = {
  stream: (c) => c.stream,
  protocol: (c) => c.protocol,
  client: (c) => endpoint(c.client),
  server: (c) => endpoint(c.server),
  packets: (c) => c.packets[0] + c.packets[1],
  bytes: (c) => c.bytes[0] + c.bytes[1],
  start: (c) => c.start,
  duration: (c) => c.duration,
  rtt: (c) => c.initialRtt ?? Infinity,
  tls: (c) => c.tls?.version ?? '',
  sni: (c) => c.tls?.sni ?? '',
  decryption: (c) => c.decryption ?? '',
  http: (c) => c.httpTransactions,
  verdict: (c) => (c.verdict === null ? 3 : c.verdict.status === 'failed' ? 0 : c.verdict.status === 'incomplete' ? 1 : 2),
};
function viewOrder(rows: readonly ConversationDto[], key: ConversationSortKey, dir: 1 | -1): number[] {
  const value = valueOf[key];
  return [...rows]
    .sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      const cmp = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), 'en', { numeric: true });
      return cmp * dir || a.stream - b.stream;
    })
    .map((c) => c.id);
}

async function expectViewOrders(e: EngineService, session: string, limitToDisplay: boolean): Promise<void> {
  const all = await e.conversations({ session, limitToDisplay });
  expect(all.conversations).toHaveLength(all.total);
  for (const key of CONVERSATION_SORT_KEYS) {
    for (const descending of [false, true]) {
      const sorted = await e.conversations({ session, limitToDisplay, sort: { key, descending } });
      expect(sorted.total, `${key} ${descending ? 'descending' : 'ascending'}`).toBe(all.total);
      expect(sorted.conversations.map((c) => c.id), `${key} ${descending ? 'descending' : 'ascending'}`).toEqual(viewOrder(all.conversations, key, descending ? -1 : 1));
    }
  }
}

describe('the conversation table, sorted by the engine', () => {
  it('orders the corpus mix by every column, both ways, as the view did (ties by stream)', async () => {
    const e = new EngineService();
    const session = await open(e, mix);
    const all = await e.conversations({ session });
    // The mix has what every column compares: both protocols, IPv6 endpoints, TLS versions, SNI,
    // a decrypted conversation, HTTP and every verdict.
    expect(new Set(all.conversations.map((c) => c.protocol))).toEqual(new Set(['TCP', 'UDP']));
    expect(all.conversations.some((c) => c.client.address.includes(':'))).toBe(true);
    expect(new Set(all.conversations.map((c) => c.tls?.version ?? null)).size).toBeGreaterThan(3);
    expect(all.conversations.some((c) => c.decryption !== null)).toBe(true);
    expect(all.conversations.some((c) => c.httpTransactions > 0)).toBe(true);
    expect(new Set(all.conversations.map((c) => c.verdict?.status ?? null))).toEqual(new Set([null, 'complete', 'failed', 'incomplete']));
    // TCP and UDP number their streams apart: equal stream numbers tie, and the table keeps them apart.
    expect(all.conversations.some((c) => c.protocol === 'UDP' && all.conversations.some((d) => d.protocol === 'TCP' && d.stream === c.stream))).toBe(true);
    await expectViewOrders(e, session, false);
  });

  it('orders the 49 HTTP connections of methods.pcap as the view did, with their many ties', async () => {
    const e = new EngineService();
    const session = await open(e, methods);
    await expectViewOrders(e, session, false);
    // One client address and one server: the client column orders by port, the server column is all ties (stream order).
    const byServer = await e.conversations({ session, sort: { key: 'server', descending: true } });
    expect(byServer.conversations.map((c) => c.stream)).toEqual([...Array(49).keys()]);
  });

  it('limited to the display filter, sorts the conversations with displayed packets by their counts over those packets', async () => {
    const e = new EngineService();
    const session = await open(e, mix);
    await e.setFilter({ session, filter: 'tls.handshake.type == 1 || udp' });
    await expectViewOrders(e, session, true);
    const limited = await e.conversations({ session, limitToDisplay: true, sort: { key: 'packets', descending: true } });
    const all = await e.conversations({ session, sort: { key: 'packets', descending: true } });
    expect(limited.total).toBeLessThan(all.total);
    // Counted over the displayed packets: a TLS connection shows its one Client Hello.
    const tls = limited.conversations.filter((c) => c.tls !== null);
    expect(tls.length).toBeGreaterThan(3);
    for (const c of tls) expect(c.packets).toEqual([1, 0]);
    expect(limited.conversations.map((c) => c.id)).not.toEqual(all.conversations.slice(0, limited.total).map((c) => c.id));
    // A new filter makes a new table.
    await e.setFilter({ session, filter: 'tcp' });
    const tcp = await e.conversations({ session, limitToDisplay: true, sort: { key: 'packets', descending: true } });
    expect(tcp.conversations.every((c) => c.protocol === 'TCP')).toBe(true);
    expect(tcp.total).toBe(all.conversations.filter((c) => c.protocol === 'TCP').length);
  });

  it('answers windows of one order: offset and count slice the sorted table', async () => {
    const e = new EngineService();
    const session = await open(e, methods);
    const sort = { key: 'bytes', descending: true } as const;
    const all = await e.conversations({ session, sort });
    expect(all.total).toBe(49);
    expect(all.offset).toBe(0);
    const page = await e.conversations({ session, sort, offset: 40, count: 20 });
    expect(page).toEqual({ total: 49, offset: 40, conversations: all.conversations.slice(40) });
    expect((await e.conversations({ session, sort, offset: 100, count: 5 })).conversations).toEqual([]);
    const two = await e.conversations({ session, count: 2 });
    expect(two.conversations.map((c) => c.stream)).toEqual([0, 1]);
  });

  it('finds the row of a conversation in the current order, -1 when the limit hides it', async () => {
    const e = new EngineService();
    const session = await open(e, methods);
    const sort = { key: 'duration', descending: true } as const;
    const all = await e.conversations({ session, sort });
    for (const [i, c] of all.conversations.entries()) expect(await e.conversationIndexOf({ session, conversation: c.id, sort })).toBe(i);
    expect(await e.conversationIndexOf({ session, conversation: 999 })).toBe(-1);
    await e.setFilter({ session, filter: 'tcp.stream >= 10' });
    const stream3 = all.conversations.find((c) => c.stream === 3)!;
    expect(await e.conversationIndexOf({ session, conversation: stream3.id, limitToDisplay: true })).toBe(-1);
    const stream10 = all.conversations.find((c) => c.stream === 10)!;
    expect(await e.conversationIndexOf({ session, conversation: stream10.id, limitToDisplay: true })).toBe(0);
    // tshark -Y 'tcp.stream>=10': 39 streams.
    expect((await e.conversations({ session, limitToDisplay: true })).total).toBe(39);
  });

  it('SessionInfo counts the conversations without the table', async () => {
    const e = new EngineService();
    const session = await open(e, methods);
    expect((await e.sessionInfo({ session })).conversations).toBe(49);
  });
});
