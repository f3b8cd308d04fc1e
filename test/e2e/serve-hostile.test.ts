// `wireladder serve` survives hostile requests: every one is answered (400/403/404, or the right
// WebSocket close code) and the server keeps serving. The server runs as its own process, the
// built CLI, so a crash shows as that process exiting instead of taking the test runner down.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { corpus, requireBuilt, root } from './helpers';

interface ServeProcess {
  child: ChildProcess;
  port: number;
  token: string;
  stderr: () => string;
  exited: () => boolean;
  stop(): Promise<void>;
}

/** Starts `wireladder serve FILE` and waits for the URL it prints. */
async function startServe(file: string, nodeArgs: string[] = []): Promise<ServeProcess> {
  requireBuilt();
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'bin/wireladder.js'), 'serve', file, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let exited = false;
  child.stderr.on('data', (d) => (err += String(d)));
  child.on('exit', () => (exited = true));
  const m = await new Promise<RegExpExecArray>((ok, fail) => {
    child.stdout.on('data', (d) => {
      out += String(d);
      const found = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)/.exec(out);
      if (found !== null) ok(found);
    });
    child.on('exit', (code) => fail(new Error(`serve exited with ${code}: ${err}`)));
  });
  return {
    child,
    port: Number(m[1]),
    token: m[2]!,
    stderr: () => err,
    exited: () => exited,
    stop: async () => {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/** Sends `request` verbatim over TCP and returns the status line's code (0: no answer). */
function raw(port: number, request: string): Promise<{ status: number; text: string }> {
  return new Promise((ok) => {
    const s = connect(port, '127.0.0.1', () => s.write(request));
    let text = '';
    s.on('data', (d) => (text += d.toString('latin1')));
    const done = (): void => ok({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    s.on('end', done);
    s.on('error', done);
    s.setTimeout(5000, () => s.destroy());
    s.on('close', done);
  });
}

function get(p: ServeProcess, path: string, extra = ''): Promise<{ status: number; text: string }> {
  return raw(p.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${p.port}\r\n${extra}Connection: close\r\n\r\n`);
}

/** Whether the server still answers its own page. */
async function alive(p: ServeProcess): Promise<boolean> {
  if (p.exited()) return false;
  return (await get(p, `/?token=${p.token}`)).status === 200;
}

/** Opens a WebSocket by hand (so that frames can be written raw); resolves with the socket. */
function openRawSocket(p: ServeProcess): Promise<Socket> {
  return new Promise((ok, fail) => {
    const s = connect(p.port, '127.0.0.1', () => {
      s.write(
        [
          `GET /rpc?token=${p.token} HTTP/1.1`,
          `Host: 127.0.0.1:${p.port}`,
          `Origin: http://127.0.0.1:${p.port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          '',
          '',
        ].join('\r\n'),
      );
    });
    let head = '';
    const onData = (d: Buffer): void => {
      head += d.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        s.off('data', onData);
        if (head.startsWith('HTTP/1.1 101')) ok(s);
        else fail(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
      }
    };
    s.on('data', onData);
    s.on('error', fail);
  });
}

/** One WebSocket frame as a client would write it (masked unless told otherwise). */
function frame(opcode: number, payload: Buffer, o: { mask?: boolean; rsv1?: boolean; claimedLength?: number } = {}): Buffer {
  const mask = o.mask ?? true;
  const len = o.claimedLength ?? payload.length;
  const head: number[] = [0x80 | (o.rsv1 === true ? 0x40 : 0) | opcode];
  const m = mask ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len < 65536) head.push(m | 126, len >> 8, len & 0xff);
  else {
    head.push(m | 127, 0, 0, 0, 0);
    head.push((len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!;
  return Buffer.concat([Buffer.from(head), key, body]);
}

/** Writes `bytes` on a fresh WebSocket and returns the status code of the server's close frame. */
async function closeCodeAfter(p: ServeProcess, bytes: Buffer): Promise<number | null> {
  const s = await openRawSocket(p);
  return new Promise((ok) => {
    let got = Buffer.alloc(0);
    s.on('data', (d) => {
      got = Buffer.concat([got, d]);
      // A server frame is unmasked: [0x88, len, code(2), reason…].
      const at = got.indexOf(0x88);
      if (at >= 0 && got.length >= at + 4) {
        ok(got.readUInt16BE(at + 2));
        s.destroy();
      }
    });
    s.on('close', () => ok(null));
    s.on('error', () => ok(null));
    s.write(bytes);
  });
}

let dir: string;
let server: ServeProcess;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wl-hostile-'));
  // A file name outside Latin-1: Content-Disposition must still carry it.
  const file = join(dir, '捕获.pcap');
  copyFileSync(corpus('local/tls12-rsa.pcap'), file);
  server = await startServe(file);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('wireladder serve answers malformed requests instead of crashing', () => {
  it('a path that is not valid percent-encoding gets 400', async () => {
    expect((await get(server, '/assets/%')).status).toBe(400);
    expect((await get(server, '/%E0%A4%A')).status).toBe(400);
    expect(await alive(server)).toBe(true);
  });

  it('a request-target that is not a path (`//[`, absolute form) gets 400 or 404', async () => {
    expect([400, 404]).toContain((await get(server, '//[')).status);
    expect([400, 404]).toContain((await get(server, '//[?token=x')).status);
    expect([400, 404]).toContain((await get(server, 'http://[/')).status);
    expect(await alive(server)).toBe(true);
  });

  it('an upgrade request for `//[` is refused, even with a foreign Host', async () => {
    const upgrade = (host: string): Promise<{ status: number }> =>
      raw(server.port, `GET //[ HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    expect((await upgrade('evil.example')).status).toBe(403);
    expect([400, 403]).toContain((await upgrade(`127.0.0.1:${server.port}`)).status);
    expect(await alive(server)).toBe(true);
  });

  it('paths are decoded and normalised before routing: /assets/..%2findex.html needs the token', async () => {
    const r = await get(server, '/assets/..%2findex.html');
    expect(r.status).toBe(403);
    expect(r.text).not.toContain('<div id="root">');
    expect((await get(server, '/assets/..%2f..%2fpackage.json')).status).not.toBe(200);
    expect((await get(server, '/assets/%2e%2e%2f%2e%2e%2fpackage.json')).status).not.toBe(200);
    // Decoded once only: %252e stays a literal '%2e' and names no file.
    expect((await get(server, '/assets/%252e%252e/%252e%252e/package.json')).status).toBe(404);
    expect((await get(server, '/assets/a%00b.js')).status).toBe(400);
    // With the token the normalised path is the page.
    expect((await get(server, `/assets/..%2findex.html?token=${server.token}`)).status).toBe(200);
  });
});

describe('WebSocket protocol errors close that socket with the right code, not the server', () => {
  const cases: [string, () => Buffer, number][] = [
    ['a text frame over 1 MiB', () => frame(1, Buffer.alloc(64, 0x20), { claimedLength: (1 << 20) + 1 }), 1009],
    ['invalid UTF-8 in a text frame', () => frame(1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 1007],
    ['an unmasked client frame', () => frame(1, Buffer.from('{}'), { mask: false }), 1002],
    ['a reserved opcode (3)', () => frame(3, Buffer.from('x')), 1002],
    ['RSV1 set without an extension', () => frame(1, Buffer.from('{}'), { rsv1: true }), 1002],
    ['close code 999', () => frame(8, Buffer.from([0x03, 0xe7])), 1002],
  ];
  for (const [what, bytes, code] of cases) {
    it(`${what}: close ${code}`, async () => {
      expect(await closeCodeAfter(server, bytes())).toBe(code);
      expect(await alive(server)).toBe(true);
    });
  }

  it('a note longer than the contract allows is refused by validation, over a socket that stays open', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, { headers: { origin: `http://127.0.0.1:${server.port}` } });
    await new Promise((ok, fail) => {
      ws.once('open', ok);
      ws.once('error', fail);
    });
    const reply = (id: number): Promise<{ ok: boolean; error?: { message: string } }> =>
      new Promise((ok) => ws.on('message', (d) => {
        const m = JSON.parse(String(d)) as { id?: number };
        if (m.id === id) ok(m as never);
      }));
    const info = reply(1);
    ws.send(JSON.stringify({ id: 1, method: 'listSessions', arg: {} }));
    const sessions = (await info) as unknown as { value: { session: string }[] };
    const answer = reply(2);
    ws.send(JSON.stringify({ id: 2, method: 'annotate', arg: { session: sessions.value[0]!.session, packet: 1, comment: 'x'.repeat(20_000) } }));
    const r = await answer;
    expect(r.ok).toBe(false);
    expect(r.error?.message).toMatch(/comment is longer than 10000 characters/);
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close();
  });
});

describe('connections', () => {
  it('at most 8 WebSockets at once; the next is refused with 503 until one closes', async () => {
    const open = (): Promise<WebSocket | number> =>
      new Promise((ok) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, { headers: { origin: `http://127.0.0.1:${server.port}` } });
        ws.once('open', () => ok(ws));
        ws.once('unexpected-response', (_req, res) => ok(res.statusCode ?? 0));
        ws.once('error', () => ok(0));
      });
    const sockets: WebSocket[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const ws = await open();
        expect(ws).toBeInstanceOf(WebSocket);
        sockets.push(ws as WebSocket);
      }
      expect(await open()).toBe(503);
      const first = sockets.shift()!;
      await new Promise((ok) => {
        first.once('close', ok);
        first.close();
      });
      // The server sees the close a moment after the client does.
      let again: WebSocket | number = 503;
      for (let i = 0; i < 250 && again === 503; i++) {
        again = await open();
        if (again === 503) await new Promise((r) => setTimeout(r, 20));
      }
      expect(again).toBeInstanceOf(WebSocket);
      sockets.push(again as WebSocket);
    } finally {
      // Closed and seen closed by the server before the next test connects.
      await Promise.all(sockets.map((ws) => new Promise((ok) => (ws.once('close', ok), ws.close()))));
      // Up to 5 s: a loaded machine (CI) dispatches the closes late.
      for (let i = 0; i < 250; i++) {
        const probe = await open();
        if (probe instanceof WebSocket) {
          await new Promise((ok) => (probe.once('close', ok), probe.close()));
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
});

describe('downloads', () => {
  it('a capture whose name is not Latin-1 downloads with an ASCII fallback and filename*=UTF-8, once', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, { headers: { origin: `http://127.0.0.1:${server.port}` } });
    await new Promise((ok, fail) => {
      ws.once('open', ok);
      ws.once('error', fail);
    });
    const call = (id: number, method: string, arg: unknown): Promise<{ ok: boolean; value: never }> =>
      new Promise((ok) => {
        ws.on('message', (d) => {
          const m = JSON.parse(String(d)) as { id?: number };
          if (m.id === id) ok(m as never);
        });
        ws.send(JSON.stringify({ id, method, arg }));
      });
    const sessions = (await call(1, 'listSessions', {})).value as { session: string; loading: boolean }[];
    const session = sessions[0]!.session;
    for (let i = 0; i < 100 && ((await call(10 + i, 'sessionInfo', { session })).value as { loading: boolean }).loading; i++) await new Promise((r) => setTimeout(r, 50));
    const saved = await call(2, 'host:save-capture', { session });
    ws.close();
    expect(saved.ok).toBe(true);
    const { url, fileName } = saved.value as { url: string; fileName: string };
    expect(fileName).toBe('捕获.pcapng');
    const r = await get(server, url);
    expect(r.status).toBe(200);
    const disposition = /content-disposition: (.*)\r\n/i.exec(r.text)?.[1];
    expect(disposition).toBe(`attachment; filename="__.pcapng"; filename*=UTF-8''%E6%8D%95%E8%8E%B7.pcapng`);
    expect(await alive(server)).toBe(true);
    // Served once, then deleted.
    expect((await get(server, url)).status).toBe(404);
  });
});

describe('the last line of defence', () => {
  it('an error nothing else caught is logged and the server keeps serving', async () => {
    const file = join(dir, 'plain.pcap');
    copyFileSync(corpus('local/tls12-rsa.pcap'), file);
    // A fault planted in the server process (as a bug would be), set off by SIGUSR2 once it serves:
    // a throw from a timer, and a rejection nobody handles.
    const plant = `data:text/javascript,process.on('SIGUSR2', () => { setTimeout(() => { throw new Error('planted fault') }); Promise.reject(new Error('planted rejection')); });`;
    const p = await startServe(file, ['--import', plant]);
    try {
      p.child.kill('SIGUSR2');
      for (let i = 0; i < 100 && !p.stderr().includes('planted rejection'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(p.stderr()).toContain('planted fault');
      expect(p.stderr()).toContain('planted rejection');
      expect(await alive(p)).toBe(true);
    } finally {
      await p.stop();
    }
  });
});

describe('temporary files', () => {
  it('download directories of a previous run that crashed are removed at start', async () => {
    const { privateTempRoot } = await import('../../src/core/io/private-temp');
    // A process that has ended: its pid names no running process.
    const dead = spawn(process.execPath, ['-e', '0']);
    const pid = await new Promise<number>((ok) => dead.on('exit', () => ok(dead.pid!)));
    const stale = join(privateTempRoot(), `serve-${pid}-stale`);
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'left.pcapng'), 'x');
    const file = join(dir, 'again.pcap');
    copyFileSync(corpus('local/tls12-rsa.pcap'), file);
    const p = await startServe(file);
    try {
      expect(existsSync(stale)).toBe(false);
      expect(readdirSync(privateTempRoot()).some((n) => n.startsWith(`serve-${p.child.pid}-`))).toBe(true);
    } finally {
      await p.stop();
    }
  });
});
