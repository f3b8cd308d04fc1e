// WebSocket fuzz of the RPC against a real `wireladder serve` process: random methods (engine,
// host, made up), argument shapes (valid templates with values swapped for hostile ones, random
// JSON), message sizes up to past the 1 MiB limit, malformed and invalid frames, raw HTTP requests,
// reconnects. Findings: the server exits or stops answering, a call goes unanswered, or a reply
// carries a JavaScript runtime error (a TypeError means unchecked input reached engine code).

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { engineMethods } from '../src/shared/api';
import { Rng } from './mutate';

export interface WsFuzzStats {
  messages: number;
  seconds: number;
  perSecond: number;
  replies: number;
  errorReplies: number;
  /** WebSocket close codes the server sent, by code. */
  closes: Record<string, number>;
  httpRequests: number;
  findings: string[];
}

interface Server {
  child: ChildProcess;
  port: number;
  token: string;
  exited: () => boolean;
}

async function startServe(root: string, file: string): Promise<Server> {
  const child = spawn(process.execPath, [join(root, 'bin', 'wireladder.js'), 'serve', file, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = false;
  child.on('exit', () => (exited = true));
  child.stderr!.resume();
  const m = await new Promise<RegExpExecArray>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const found = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)/.exec(out);
      if (found !== null) ok(found);
    });
    child.on('exit', (code) => fail(new Error(`serve exited with ${code}`)));
  });
  return { child, port: Number(m[1]), token: m[2]!, exited: () => exited };
}

/** A random JSON value: the shapes a hostile client can send. */
function hostileValue(rng: Rng, depth = 0): unknown {
  switch (rng.below(depth > 2 ? 9 : 12)) {
    case 0:
      return null;
    case 1:
      return rng.pick([0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e-308, 0.5, 65536, 4294967296]);
    case 2:
      return rng.chance(0.5);
    case 3:
      return rng.pick(['', 'x', '../../etc/passwd', '/etc/shadow', '\u0000', '%00', '🙂'.repeat(3), 'constructor', '__proto__', 'tcp', 'frame matches "(.*.*)*X"', 'a'.repeat(5000)]);
    case 4:
      return randomBytes(rng.below(40)).toString('latin1');
    case 5:
      return 'z'.repeat(rng.pick([4095, 4096, 4097, 10_000, 10_001, 70_000]));
    case 6:
      return rng.below(1_000_000) - 500_000;
    case 7:
      return [];
    case 8:
      return {};
    case 9:
      return Array.from({ length: rng.below(5) }, () => hostileValue(rng, depth + 1));
    case 10: {
      const o: Record<string, unknown> = {};
      for (let i = rng.below(4); i > 0; i--) o[rng.pick(['session', 'path', 'options', '__proto__', 'constructor', 'toString', 'x', 'filter', 'packet'])] = hostileValue(rng, depth + 1);
      return o;
    }
    default:
      return { session: hostileValue(rng, depth + 1) };
  }
}

/** A well-formed argument for `method` (so that mutations reach past the shape checks). */
function template(method: string, session: string, file: string, rng: Rng): Record<string, unknown> {
  const options = { showAcks: rng.chance(0.5), layout: rng.pick(['time', 'even']), theme: rng.pick(['light', 'dark']), language: rng.pick(['en', 'zh-CN']), collapseAppData: rng.below(3) };
  switch (method) {
    case 'rows':
      return { session, start: rng.below(40), count: rng.below(50) };
    case 'rowIndexOf':
    case 'packetDetail':
      return { session, packet: 1 + rng.below(40) };
    case 'ladder':
      return { session, conversation: rng.below(3), options };
    case 'tlsRecords':
      return { session, conversation: rng.below(3) };
    case 'exportLadder':
      // PNG and PDF are the costly ones: rarely.
      return { session, conversation: rng.below(2), format: rng.chance(0.05) ? rng.pick(['png', 'pdf']) : rng.pick(['svg', 'mermaid', 'json']), options };
    case 'annotate':
      return { session, packet: 1 + rng.below(30), comment: rng.chance(0.3) ? null : 'note' };
    case 'setFilter':
      return { session, filter: rng.pick(['', 'tcp', 'tls', 'frame.len > 100', 'ip.addr == 10.0.0.1', 'frame matches "(a+)+$"', 'tcp.port in {443 80}', 'http', '((']) };
    case 'openFile':
      return { path: rng.chance(0.7) ? file : rng.pick(['/etc/passwd', file + '/..', '']) };
    case 'checkCaptureFilter':
      return { filter: rng.pick(['tcp', 'udp port 53', 'tcp port', '']), interface: rng.pick(['lo', 'nope0', '']) };
    case 'listSessions':
    case 'openSample':
    case 'listInterfaces':
    case 'interfaceCounters':
      return {};
    case 'saveAs':
      return { session, path: '/tmp/wireladder-fuzz-should-not-exist.pcapng' };
    default:
      return { session };
  }
}

/** Replaces one value somewhere in `arg` with a hostile one, or adds a key. */
function mutateArg(arg: Record<string, unknown>, rng: Rng): unknown {
  const keys = Object.keys(arg);
  if (keys.length === 0 || rng.chance(0.2)) {
    const copy = { ...arg } as Record<string, unknown>;
    copy[rng.pick(['extra', 'constructor', 'toString', '__proto__', 'valueOf'])] = hostileValue(rng);
    return copy;
  }
  const copy = { ...arg } as Record<string, unknown>;
  const k = rng.pick(keys);
  if (k === 'options' && rng.chance(0.5)) copy[k] = { ...(arg[k] as object), [rng.pick(['layout', 'theme', 'language', 'collapseAppData', 'showAcks', 'x'])]: hostileValue(rng) };
  else copy[k] = hostileValue(rng);
  return copy;
}

/** One frame as a client writes it. */
function frame(opcode: number, payload: Buffer, o: { mask?: boolean; rsv?: number; fin?: boolean; claimed?: number } = {}): Buffer {
  const mask = o.mask ?? true;
  const len = o.claimed ?? payload.length;
  const head: number[] = [((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | opcode];
  const m = mask ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len < 65536) head.push(m | 126, len >> 8, len & 0xff);
  else head.push(m | 127, 0, 0, 0, 0, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!;
  return Buffer.concat([Buffer.from(head), key, body]);
}

/** Raw bytes over a fresh TCP connection; resolves with what came back (the connection closes, or 300 ms pass). */
function rawExchange(port: number, bytes: Buffer, upgradeFirst: string | null): Promise<string> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1', () => {
      if (upgradeFirst !== null) s.write(upgradeFirst);
      s.write(bytes);
    });
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    const end = (): void => done(got);
    s.on('close', end);
    s.on('error', end);
    s.setTimeout(300, () => s.destroy());
  });
}

export async function fuzzWebSocket(o: { root: string; corpusDir: string; messages: number; seed: number }): Promise<WsFuzzStats> {
  const rng = new Rng(o.seed ^ 0x5eed);
  const file = join(o.corpusDir, 'local', 'tls12-rsa.pcap');
  const server = await startServe(o.root, file);
  const origin = `http://127.0.0.1:${server.port}`;
  const stats: WsFuzzStats = { messages: 0, seconds: 0, perSecond: 0, replies: 0, errorReplies: 0, closes: {}, httpRequests: 0, findings: [] };
  const started = Date.now();
  const pending = new Map<string, { at: number; what: string }>();
  let nextId = 1;
  const sockets: WebSocket[] = [];

  const open = (): Promise<WebSocket | null> =>
    new Promise((ok) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, { headers: { origin }, maxPayload: 64 << 20 });
      ws.on('message', (d) => {
        let m: { id?: number; ok?: boolean; error?: { name: string; message: string } };
        try {
          m = JSON.parse(String(d)) as typeof m;
        } catch {
          stats.findings.push(`the server sent a message that is not JSON: ${String(d).slice(0, 80)}`);
          return;
        }
        if (m.id === undefined) return;
        const key = `${sockets.indexOf(ws)}:${m.id}`;
        const p = pending.get(key);
        pending.delete(key);
        stats.replies++;
        if (m.ok === false) {
          stats.errorReplies++;
          if (/^(TypeError|RangeError|ReferenceError|InternalError)$/.test(m.error?.name ?? '')) stats.findings.push(`${m.error!.name}: ${m.error!.message} (for ${p?.what ?? '?'})`);
        }
      });
      ws.on('close', (code) => {
        stats.closes[code] = (stats.closes[code] ?? 0) + 1;
        const i = sockets.indexOf(ws);
        for (const k of [...pending.keys()]) if (k.startsWith(`${i}:`)) pending.delete(k);
      });
      ws.on('error', () => undefined);
      ws.once('open', () => ok(ws));
      ws.once('unexpected-response', () => ok(null));
      setTimeout(() => ok(null), 5000).unref();
    });

  const first = await open();
  if (first === null) throw new Error('cannot connect to wireladder serve');
  sockets.push(first);
  const session = await new Promise<string>((ok) => {
    const listen = (d: unknown): void => {
      const m = JSON.parse(String(d)) as { id?: number; value?: { session: string }[] };
      if (m.id !== 0) return;
      first.off('message', listen);
      ok(m.value?.[0]?.session ?? 'none');
    };
    first.on('message', listen);
    first.send(JSON.stringify({ id: 0, method: 'listSessions', arg: {} }));
  });
  const methods = [...engineMethods.filter((m) => m !== 'startCapture' && m !== 'closeSession'), 'host:info', 'host:save-capture', 'host:drop-files', 'constructor', '__proto__', 'toString', 'dispatch', ''];

  const alive = async (): Promise<boolean> => {
    if (server.exited()) return false;
    const r = await rawExchange(server.port, Buffer.from(`GET /?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`), null);
    return r.startsWith('HTTP/1.1 200');
  };

  for (let n = 0; n < o.messages; n++) {
    stats.messages++;
    // Keep up to four sockets open.
    for (let i = 0; i < sockets.length; i++) {
      if (sockets[i]!.readyState === WebSocket.CLOSED) {
        const again = await open();
        if (again !== null) sockets[i] = again;
      }
    }
    if (sockets.length < 4 && rng.chance(0.05)) {
      const ws = await open();
      if (ws !== null) sockets.push(ws);
    }
    const si = rng.below(sockets.length);
    const ws = sockets[si]!;
    const action = rng.below(100);
    if (ws.readyState !== WebSocket.OPEN && action < 80) continue;
    if (action < 55) {
      const method = rng.pick(methods);
      const arg = rng.chance(0.75) ? mutateArg(template(method, session, file, rng), rng) : rng.chance(0.5) ? template(method, session, file, rng) : hostileValue(rng);
      const id = rng.chance(0.97) ? nextId++ : hostileValue(rng);
      const text = JSON.stringify({ id, method, arg, ...(rng.chance(0.05) ? { extra: hostileValue(rng) } : {}) });
      if (typeof id === 'number') pending.set(`${si}:${id}`, { at: Date.now(), what: `${method} ${text.slice(0, 120)}` });
      ws.send(text);
    } else if (action < 65) {
      // Text that is not a request: garbage, cut JSON, a JSON value of the wrong shape.
      ws.send(rng.pick([randomBytes(rng.below(64)).toString('latin1'), '{"id":1,"method":"rows","arg":', '[]', 'null', '"x"', '{"id":1}', '{"method":"rows"}', JSON.stringify(hostileValue(rng))]));
    } else if (action < 72) {
      // Sizes around the 1 MiB limit.
      const size = rng.pick([1 << 16, (1 << 20) - 64, (1 << 20) + 64, 1_200_000]);
      ws.send(JSON.stringify({ id: nextId++, method: 'annotate', arg: { session, packet: 1, comment: 'n'.repeat(size) } }));
    } else if (action < 75) {
      ws.send(randomBytes(rng.below(2048)));
    } else if (action < 80) {
      ws.close(rng.pick([1000, 1001, 3000, 4999]), 'bye');
    } else if (action < 92) {
      // Frames ws would never write, on a connection of their own.
      const upgrade = [
        `GET /rpc?token=${server.token} HTTP/1.1`,
        `Host: 127.0.0.1:${server.port}`,
        `Origin: ${origin}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n');
      const bad = rng.pick([
        () => frame(rng.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), randomBytes(rng.below(20))),
        () => frame(1, Buffer.from('{}'), { rsv: 1 + rng.below(7) }),
        () => frame(1, Buffer.from('{}'), { mask: false }),
        () => frame(1, Buffer.alloc(10), { claimed: (1 << 20) + rng.below(1 << 20) }),
        () => frame(1, Buffer.from([0xc3, 0x28, 0xa0, 0xa1])),
        () => frame(8, Buffer.from([rng.below(256), rng.below(256)])),
        () => frame(8, Buffer.from([0x03])),
        () => frame(9, randomBytes(126 + rng.below(10))),
        () => frame(0, Buffer.from('continuation without a start')),
        () => Buffer.concat([frame(1, Buffer.from('{"id":'), { fin: false }), frame(1, Buffer.from('1}'))]),
        () => frame(8, Buffer.from([0x03, 0xe8]), { fin: false }),
        () => randomBytes(1 + rng.below(64)),
      ])();
      await rawExchange(server.port, bad, upgrade);
    } else {
      // Raw HTTP: hostile request-targets and headers.
      stats.httpRequests++;
      const target = rng.pick(['/assets/%', '//[', '/%E0%A4%A', '/assets/..%2findex.html', '/download/../../etc/passwd', '/rpc', `/?token=${server.token}`, '/' + randomBytes(8).toString('hex'), 'http://x/', '*', '/assets/%00.js', '/' + '%2e'.repeat(rng.below(50))]);
      const host = rng.pick([`127.0.0.1:${server.port}`, `localhost:${server.port}`, 'evil.example', '', `127.0.0.1:${server.port}\r\nX: y`]);
      const method = rng.pick(['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'GE T', 'CONNECT']);
      const extra = rng.chance(0.3) ? `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` : '';
      await rawExchange(server.port, Buffer.from(`${method} ${target} HTTP/1.1\r\nHost: ${host}\r\n${extra}${rng.chance(0.2) ? `Origin: ${rng.pick([origin, 'null', 'http://evil.example'])}\r\n` : ''}${rng.chance(0.9) ? 'Connection: close\r\n' : ''}\r\n`, 'latin1'), null);
    }
    if (n % 200 === 199) {
      if (!(await alive())) {
        stats.findings.push(`the server stopped answering after ${n + 1} messages${server.exited() ? ' (it exited)' : ''}`);
        break;
      }
      // Let replies arrive (the server limits calls in flight; so does a fair client).
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  // Every call still open on an open socket must be answered.
  for (let i = 0; i < 300 && [...pending.keys()].some((k) => sockets[Number(k.split(':')[0])]?.readyState === WebSocket.OPEN); i++) await new Promise((r) => setTimeout(r, 100));
  for (const [k, p] of pending) if (sockets[Number(k.split(':')[0])]?.readyState === WebSocket.OPEN) stats.findings.push(`no answer within 30 s to ${p.what}`);
  if (!(await alive())) stats.findings.push('the server does not answer at the end');
  for (const ws of sockets) ws.terminate();
  stats.seconds = (Date.now() - started) / 1000;
  stats.perSecond = Math.round(stats.messages / stats.seconds);
  const gone = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await gone;
  return stats;
}
