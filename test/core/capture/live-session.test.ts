// The engine's side of a live capture: startCapture opens a LiveSession that follows the growing
// file, so rows and conversations appear while packets arrive; stopCapture turns it into an
// ordinary session over the finished file.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { privateTempRoot } from '../../../src/core/io/private-temp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCaptureFilter, listInterfaces, startCapture, stopCapture, type CaptureContext } from '../../../src/core/service/capture-service';
import { conversationDtos } from '../../../src/core/service/conversations';
import { defaultAppFactories } from '../../../src/core/engine/app-factories';
import { handshakeStatusOf } from '../../../src/core/flow/conversation-summary';
import type { EngineEvents } from '../../../src/core/service/dto';
import { LiveSession } from '../../../src/core/service/live-session';
import { buildRows } from '../../../src/core/service/rows';
import { CaptureSession } from '../../../src/core/service/session';
import { PcapngWriter } from '../../../src/core/io/pcapng-writer';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import { ensureBundles, tcpServer, udpPackets } from './helpers';
import { connect } from 'node:net';

let dir: string;

beforeAll(() => {
  ensureBundles();
  dir = mkdtempSync(join(tmpdir(), 'wireladder-live-test-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function context(): CaptureContext & { updates: number; stats: EngineEvents['capture-stats'][] } {
  const ctx = {
    sessions: new Map<string, CaptureSession>(),
    analyzerOptions: {},
    updates: 0,
    stats: [] as EngineEvents['capture-stats'][],
    notify: () => {
      ctx.updates++;
    },
    emitStats: (e: EngineEvents['capture-stats']) => {
      ctx.stats.push(e);
    },
    capture: { directory: dir, bufferSize: 8 * 1024 * 1024 },
  };
  return ctx;
}

/** One short TCP connection to 127.0.0.1:port: connect, send, read the echo, close. */
function tcpExchange(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write('ping'));
    s.on('data', () => s.end());
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

describe('capture service', () => {
  it('lists interfaces and checks filters the way the UI asks', async () => {
    const list = await listInterfaces();
    expect(list.some((i) => i.name === 'lo' && i.loopback && i.addresses.includes('127.0.0.1'))).toBe(true);
    expect(await checkCaptureFilter({ filter: '', interface: 'lo' })).toEqual({ error: null });
    expect(await checkCaptureFilter({ filter: 'tcp port', interface: 'lo' })).toEqual({ error: "capture filter 'tcp port' is invalid: syntax error" });
    expect(await checkCaptureFilter({ filter: 'udp and port 53', interface: 'lo' })).toEqual({ error: null });
  });

  it('rejects a capture that cannot start with the reason', async () => {
    const ctx = context();
    const options = { interface: 'lo', filter: 'tcp port', snaplen: 262144, promiscuous: true, stopAfterPackets: null, stopAfterSeconds: null, stopAfterBytes: null };
    await expect(startCapture({ options }, ctx)).rejects.toThrow("capture filter 'tcp port' is invalid: syntax error");
    expect(ctx.sessions.size).toBe(0);
  });

  it('shows packets and conversations while the capture runs, then the finished file', async () => {
    const server = await tcpServer();
    const ctx = context();
    try {
      const options = { interface: 'lo', filter: `tcp port ${server.port}`, snaplen: 262144, promiscuous: true, stopAfterPackets: null, stopAfterSeconds: null, stopAfterBytes: null };
      const info = await startCapture({ options }, ctx);
      expect(info.live).toBe(true);
      expect(info.format).toBe('live');
      const session = ctx.sessions.get(info.session) as LiveSession;
      expect(session).toBeInstanceOf(LiveSession);

      // Traffic for about a second while the session is polled.
      const seen: { packets: number; conversations: number }[] = [];
      const t0 = Date.now();
      let n = 0;
      while (Date.now() - t0 < 1200) {
        await tcpExchange(server.port);
        n++;
        await new Promise((resolve) => setTimeout(resolve, 100));
        seen.push({ packets: session.info().packets, conversations: (session.analyzer.flows.sync(), conversationDtos(session, session.replaySource(), defaultAppFactories())).conversations.length });
      }
      expect(session.info().live).toBe(true);
      expect(session.info().loading).toBe(true);
      // Rows and conversations grew while capturing, not only at the end.
      const during = seen.filter((s) => s.packets > 0);
      expect(during.length).toBeGreaterThanOrEqual(5);
      expect(new Set(during.map((s) => s.packets)).size).toBeGreaterThanOrEqual(4);
      expect(Math.max(...seen.map((s) => s.conversations))).toBeGreaterThanOrEqual(3);
      const rows = buildRows(session, 0, 3);
      expect(rows[0]!.protocol).toBe('TCP');
      expect(rows[0]!.info).toMatch(/\[SYN\]/);
      // Statistics arrive about ten times a second while running.
      const running = ctx.stats.filter((e) => e.running);
      expect(running.length).toBeGreaterThanOrEqual(5);
      expect(running.at(-1)!.stats.received).toBeGreaterThan(0);
      expect(ctx.updates).toBeGreaterThanOrEqual(5);

      const final = await stopCapture({ session: info.session }, ctx);
      expect(final.live).toBe(false);
      expect(final.loading).toBe(false);
      expect(final.format).toBe('pcapng');
      expect(final.stop).toBeNull();
      expect(final.error).toBeNull();
      const last = ctx.stats.at(-1)!;
      expect(last.running).toBe(false);
      expect(last.error).toBeNull();
      // The session holds exactly what the file holds, every connection complete.
      const { analyzer } = await analyzeFile(session.path);
      expect(final.packets).toBe(analyzer.index.count);
      expect(last.stats.written).toBe(analyzer.index.count);
      const convs = conversationDtos(session, session.replaySource(), defaultAppFactories()).conversations;
      expect(convs).toHaveLength(n);
      const store = session.analyzer.flows.store;
      expect(store.count).toBe(n);
      for (let id = 0; id < store.count; id++) expect(handshakeStatusOf(store, id)).toBe('complete');
      // Stopping again is harmless.
      expect((await stopCapture({ session: info.session }, ctx)).packets).toBe(final.packets);
      session.close();
    } finally {
      await server.close();
      for (const s of ctx.sessions.values()) s.close();
    }
  });

  it('writes a live capture 0600 into a private 0700 directory of this run, and deletes it when the session closes', async () => {
    const ctx = { ...context(), capture: { bufferSize: 8 * 1024 * 1024 } };
    const port = 20000 + Math.floor(Math.random() * 30000);
    const options = { interface: 'lo', filter: `udp port ${port}`, snaplen: 262144, promiscuous: true, stopAfterPackets: null, stopAfterSeconds: null, stopAfterBytes: null };
    const info = await startCapture({ options }, ctx);
    const session = ctx.sessions.get(info.session) as LiveSession;
    const path = session.path;
    expect(dirname(dirname(path))).toBe(privateTempRoot());
    expect(dirname(path)).toMatch(new RegExp(`/capture-${process.pid}-[^/]+$`));
    expect(statSync(privateTempRoot()).mode & 0o777).toBe(0o700);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await udpPackets(port, 5, 1);
    await stopCapture({ session: info.session }, ctx);
    expect(existsSync(path)).toBe(true);
    session.close();
    for (let i = 0; i < 100 && existsSync(path); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(path)).toBe(false);
  });

  it('closing the session of a running capture stops it and deletes its file', async () => {
    const ctx = context();
    const options = { interface: 'lo', filter: 'udp port 9', snaplen: 262144, promiscuous: true, stopAfterPackets: null, stopAfterSeconds: null, stopAfterBytes: null };
    const info = await startCapture({ options }, ctx);
    const session = ctx.sessions.get(info.session) as LiveSession;
    expect(session.capturing).toBe(true);
    session.close();
    const end = await session.capture.ended;
    expect(end.reason).toBe('stopped');
    for (let i = 0; i < 100 && existsSync(session.path); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(session.path)).toBe(false);
  });

  it('of the capture directories a run left behind, empty ones are removed and ones holding a capture kept', async () => {
    const { removeStaleRunDirectories } = await import('../../../src/core/io/private-temp');
    const dead = spawn(process.execPath, ['-e', '0']);
    const pid = await new Promise<number>((ok) => dead.on('exit', () => ok(dead.pid!)));
    const empty = join(privateTempRoot(), `capture-${pid}-empty`);
    const holding = join(privateTempRoot(), `capture-${pid}-holding`);
    const mine = join(privateTempRoot(), `capture-${process.pid}-mine`);
    for (const d of [empty, holding, mine]) mkdirSync(d, { recursive: true });
    writeFileSync(join(holding, 'wireladder_lo_20260101000000_00000000.pcapng'), 'x');
    const removed = removeStaleRunDirectories('capture', { keepFiles: true });
    expect(removed).toContain(empty);
    expect(existsSync(empty)).toBe(false);
    expect(existsSync(holding)).toBe(true);
    expect(existsSync(mine)).toBe(true);
    expect(readdirSync(holding)).toHaveLength(1);
    rmSync(holding, { recursive: true });
    rmSync(mine, { recursive: true });
  });

  it('refuses to stop what is not a live capture', async () => {
    const ctx = context();
    await expect(stopCapture({ session: 'nope' }, ctx)).rejects.toThrow('no open capture with id nope');
    const path = join(dir, 'file.pcapng');
    const w = PcapngWriter.create(path);
    w.writeSectionHeader();
    w.addInterface({ linkType: 1, snaplen: 65535 });
    w.close();
    const file = new CaptureSession('f1', path, {}, () => undefined);
    ctx.sessions.set('f1', file);
    await file.done;
    await expect(stopCapture({ session: 'f1' }, ctx)).rejects.toThrow('file.pcapng is a capture file, not a live capture');
    file.close();
  });
});
