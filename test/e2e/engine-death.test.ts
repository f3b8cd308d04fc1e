// The engine worker dies (its thread is stopped from outside, as a crash or an out-of-memory abort
// would end it): its owners hear why at once instead of waiting forever, the app says so while
// the rows it showed stay, and Reopen brings the capture back in a fresh worker.

import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cli/serve/server';
import { EngineSupervisor } from '../../src/core/service/engine-supervisor';
import type { EngineEvents, SessionInfo } from '../../src/shared/api';
import { corpus, launch, openApp, problemsOf, requireBuilt, serve, shot, workerPath } from './helpers';

let dir: string;
let large: string;
let largeTotal = 0;
let browser: Browser;
const servers: RunningServer[] = [];

/** A classic pcap of `copies` copies of a corpus capture's records (big enough to load for a while). */
function repeatCapture(source: string, out: string, copies: number): number {
  const bytes = readFileSync(source);
  const records = bytes.subarray(24);
  let perCopy = 0;
  for (let at = 0; at < records.length; at += 16 + records.readUInt32LE(at + 8)) perCopy++;
  const fd = openSync(out, 'w');
  try {
    writeSync(fd, bytes.subarray(0, 24));
    for (let i = 0; i < copies; i++) writeSync(fd, records);
  } finally {
    closeSync(fd);
  }
  return perCopy * copies;
}

beforeAll(async () => {
  requireBuilt();
  dir = mkdtempSync(join(tmpdir(), 'wireladder-death-'));
  large = join(dir, 'large.pcap');
  largeTotal = repeatCapture(corpus('local/tls12-rsa.pcap'), large, 12_000);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves with the next 'engine-stopped' the supervisor reports. */
function nextStop(engine: EngineSupervisor): Promise<EngineEvents['engine-stopped']> {
  return new Promise((resolve) => {
    const off = engine.onEvent((event, payload) => {
      if (event !== 'engine-stopped') return;
      off();
      resolve(payload as EngineEvents['engine-stopped']);
    });
  });
}

async function loaded(engine: EngineSupervisor, session: string): Promise<SessionInfo> {
  for (;;) {
    const info = (await engine.call('sessionInfo', { session })) as SessionInfo;
    if (!info.loading) return info;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the engine worker dies', () => {
  it('its owner hears why, with the sessions it held; calls in flight and later fail at once; reopen brings the capture back', async () => {
    const engine = new EngineSupervisor(workerPath, {});
    try {
      const file = corpus('local/tls13.pcap');
      const opened = (await engine.call('openFile', { path: file })) as SessionInfo;
      const before = await loaded(engine, opened.session);
      const stopped = nextStop(engine);
      // A call in flight when the worker dies: it fails with the reason, never hangs — unless the
      // worker answered it first (a fast machine may; the restart() test below has a call that
      // cannot be answered).
      const inFlight = engine.call('statistics', { session: opened.session }).then(
        () => 'answered',
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
      await engine.client.thread.terminate();
      const stop = await stopped;
      expect(stop.reason).toBe('its worker thread exited unexpectedly with code 1');
      expect(stop.sessions).toEqual([opened.session]);
      expect(['answered', 'its worker thread exited unexpectedly with code 1']).toContain(await inFlight);
      await expect(engine.call('sessionInfo', { session: opened.session })).rejects.toThrow(stop.reason);
      expect(engine.alive).toBe(false);

      const again = await engine.reopen(opened.session);
      expect(again.session).not.toBe(opened.session);
      const after = await loaded(engine, again.session);
      expect({ packets: after.packets, fileName: after.fileName, error: after.error }).toEqual({ packets: before.packets, fileName: before.fileName, error: null });
      expect(engine.alive).toBe(true);
    } finally {
      await engine.terminate();
    }
  });

  it('restart() stops a worker that still runs (a call that never ends), with the reason its callers hear', async () => {
    const engine = new EngineSupervisor(workerPath, {});
    try {
      const opened = (await engine.call('openFile', { path: large })) as SessionInfo;
      const stopped = nextStop(engine);
      const pending = expect(engine.call('sessionInfo', { session: opened.session })).rejects.toThrow('the display filter took too long');
      await engine.restart('the display filter took too long');
      await pending;
      expect(await stopped).toEqual({ reason: 'the display filter took too long', sessions: [opened.session] });
      // The fresh worker answers, and holds none of the old sessions.
      expect(await engine.call('listSessions', {})).toEqual([]);
      const again = await engine.reopen(opened.session);
      expect((await loaded(engine, again.session)).packets).toBe(largeTotal);
    } finally {
      await engine.terminate();
    }
  });
});

describe('the app when its engine dies', () => {
  it('shows the reason, keeps the rows it showed, and Reopen loads the capture again', async () => {
    const server = await serve(large);
    servers.push(server);
    const page = await openApp(browser, server);
    // Rows are on screen while the file is still loading: the engine dies in the middle of it.
    await page.locator('[data-testid=packet-row][data-packet="1"]').waitFor();
    await server.engine.client.thread.terminate();
    const banner = page.getByTestId('engine-stopped');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('The engine stopped: its worker thread exited unexpectedly with code 1.');
    // What was on screen stays: the first rows, with their columns.
    expect(await page.locator('[data-testid=packet-row][data-packet="1"]').textContent()).toContain('127.0.0.1');
    expect(await page.locator('[data-testid=packet-row]').count()).toBeGreaterThan(10);
    // The status bar no longer claims it is loading.
    await page.getByTestId('status-engine-stopped').waitFor();
    expect(await page.getByTestId('load-progress').count()).toBe(0);
    await shot(page, 'engine-stopped');

    await page.getByTestId('engine-reopen').click();
    await expect.poll(() => page.getByTestId('status-packets').textContent(), { timeout: 60_000 }).toBe(`Packets: ${largeTotal.toLocaleString('en-US')}`);
    await expect.poll(() => page.getByTestId('engine-stopped').count()).toBe(0);
    await page.locator('[data-testid=packet-row][data-packet="1"]').waitFor();
    await shot(page, 'engine-reopened');
    expect(problemsOf(page).filter((p) => !p.includes('engine stopped'))).toEqual([]);
    await page.context().close();
  });
});
