// Limits that keep one browser-mode client from exhausting the server: calls in flight and queued
// per connection, back-pressure on a client that does not read, connections, open captures.

import { randomBytes } from 'node:crypto';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { RpcConnection } from '../../src/cli/serve/rpc-connection';
import { EngineService } from '../../src/core/service/engine-service';
import type { WsRequest } from '../../src/shared/bridge';
import { corpusPath } from '../core/io/helpers';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A WebSocket server whose every connection is an RpcConnection over `answer`. */
async function rpcServer(answer: (req: WsRequest) => Promise<unknown>, limits = { maxInFlight: 8, maxQueued: 64, highWaterBytes: 1 << 20 }) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((ok) => wss.once('listening', ok));
  const connections: RpcConnection[] = [];
  wss.on('connection', (ws) => connections.push(new RpcConnection(ws, answer, limits)));
  closers.push(() => new Promise<void>((ok) => wss.close(() => ok())));
  return { port: (wss.address() as AddressInfo).port, connections };
}

async function client(port: number): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((ok, fail) => {
    ws.once('open', ok);
    ws.once('error', fail);
  });
  closers.push(() => ws.terminate());
  return ws;
}

/** Polls `value` until it has not changed for a while (the server has done what it will do). */
async function settled(value: () => number): Promise<number> {
  let last = -1;
  let same = 0;
  while (same < 10) {
    await new Promise((r) => setTimeout(r, 30));
    const v = value();
    same = v === last ? same + 1 : 0;
    last = v;
  }
  return last;
}

describe('RpcConnection', () => {
  it('works on at most maxInFlight calls, queues maxQueued more, and refuses the rest with BusyError', async () => {
    let started = 0;
    const never = new Promise<never>(() => undefined);
    const { port } = await rpcServer(async () => (started++, never));
    const ws = await client(port);
    const replies: { id: number; ok: boolean; error?: { name: string } }[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(String(d)) as never));
    for (let id = 1; id <= 100; id++) ws.send(JSON.stringify({ id, method: 'statistics', arg: {} }));
    await settled(() => replies.length + started);
    expect(started).toBe(8);
    expect(replies).toHaveLength(100 - 8 - 64);
    expect(replies.every((r) => !r.ok && r.error?.name === 'BusyError')).toBe(true);
    expect(replies.map((r) => r.id)).toEqual(Array.from({ length: 28 }, (_, i) => 73 + i));
  });

  it('stops starting calls and sending events while a client does not read, and catches up when it does', async () => {
    let started = 0;
    const big = 'z'.repeat(512 << 10);
    const { port, connections } = await rpcServer(async () => (started++, big));
    // A raw client, so that reading can be paused (the kernel's buffers fill, then the server's).
    const s = await rawClient(port);
    s.pause();
    const n = 60;
    for (let id = 1; id <= n; id++) s.write(maskedText(JSON.stringify({ id, method: 'ladder', arg: {} })));
    const whileStalled = await settled(() => started);
    expect(whileStalled).toBeLessThan(n);
    // Events meanwhile are held, the latest per event and session.
    for (let i = 0; i < 1000; i++) connections[0]!.event('session-updated', { session: 's1', packets: i });
    let text = '';
    s.on('data', (d: Buffer) => (text += d.toString('latin1')));
    s.resume();
    await settled(() => text.length);
    expect(started).toBe(n);
    for (let id = 1; id <= n; id++) expect(text).toContain(`{"id":${id},"ok":true`);
    const events = text.match(/"event":"session-updated"/g) ?? [];
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(1000);
    expect(text).toContain('"packets":999');
  });

  it('a message that is not a request closes the socket with 1007; a binary one with 1003', async () => {
    const { port } = await rpcServer(async () => null);
    for (const [data, code] of [['not json', 1007], ['{"id":"1","method":"x"}', 1007], [Buffer.from([1, 2, 3]), 1003]] as const) {
      const ws = await client(port);
      const closed = new Promise<number>((ok) => ws.once('close', (c) => ok(c)));
      ws.send(data);
      expect(await closed).toBe(code);
    }
  });
});

describe('open captures', () => {
  it('the engine keeps at most maxSessions captures open; closing one makes room', async () => {
    const e = new EngineService({ maxSessions: 2 });
    const path = corpusPath('local/tls12-rsa.pcap');
    const a = await e.openFile({ path });
    await e.openFile({ path });
    await expect(e.openFile({ path })).rejects.toThrow(/2 captures are open, the most this engine keeps at once: close one first/);
    await e.closeSession({ session: a.session });
    await expect(e.openFile({ path })).resolves.toMatchObject({ fileName: 'tls12-rsa.pcap' });
    for (const s of await e.listSessions({})) await e.closeSession({ session: s.session });
  });
});

function rawClient(port: number): Promise<Socket> {
  return new Promise((ok, fail) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    let head = '';
    const onData = (d: Buffer): void => {
      head += d.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        s.off('data', onData);
        ok(s);
      }
    };
    s.on('data', onData);
    s.on('error', fail);
    closers.push(() => void s.destroy());
  });
}

function maskedText(text: string): Buffer {
  const payload = Buffer.from(text);
  const key = randomBytes(4);
  const head = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  for (let i = 0; i < payload.length; i++) payload[i]! ^= key[i & 3]!;
  return Buffer.concat([head, key, payload]);
}
