// The engine worker's watchdog: a worker that stops answering is replaced, its waiting calls fail
// with a reason ("filter took too long" for a display filter) and the engine serves again; a worker
// busy for less than the limit is left alone.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerClient, type RestartNotice } from '../../../src/core/service/worker-client';
import type { FilterResult, SessionInfo } from '../../../src/core/service/dto';
import { corpus, requireBuilt, workerPath as engineWorkerPath } from '../../e2e/helpers';

let dir: string;
let workerPath: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wl-watchdog-'));
  workerPath = join(dir, 'stuck-engine.mjs');
  await build({ entryPoints: [join(import.meta.dirname, '../../fixtures/workers/stuck-engine.ts')], outfile: workerPath, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engine worker watchdog', () => {
  it('restarts a worker that stops answering; the waiting filter says it took too long, the engine answers again', async () => {
    const client = new WorkerClient(workerPath, null, { unresponsiveMs: 300 });
    const notices: RestartNotice[] = [];
    try {
      // A loaded machine may start the worker slower than the limit: the first answer may need a restart.
      let first: unknown = null;
      for (let i = 0; i < 20 && first === null; i++) first = await client.call('echo', { x: 1 }).catch(() => null);
      expect(first).toEqual({ x: 1 });
      client.onRestart((n) => notices.push(n));
      // Blocks its thread far longer than the limit (the test does not wait for it).
      const filter = client.call('setFilter', { ms: 60_000 });
      const other = client.call('echo', { queued: true });
      await expect(filter).rejects.toThrow(/^filter took too long \(the engine stopped answering for 0.3 s and was restarted; open captures have to be opened again\)$/);
      await expect(other).rejects.toMatchObject({ name: 'EngineRestarted' });
      expect(notices[0]).toEqual({ reason: 'unresponsive', message: 'the engine stopped answering for 0.3 s and was restarted; open captures have to be opened again' });
      // A fresh worker serves the next call (on a loaded machine its start may take a restart more).
      let next: unknown = null;
      for (let i = 0; i < 20 && next === null; i++) next = await client.call('echo', { y: 2 }).catch(() => null);
      expect(next).toEqual({ y: 2 });
    } finally {
      await client.terminate();
    }
  });

  it('leaves alone a worker that is busy for less than the limit', async () => {
    const client = new WorkerClient(workerPath, null, { unresponsiveMs: 3000 });
    const notices: RestartNotice[] = [];
    client.onRestart((n) => notices.push(n));
    try {
      expect(await client.call('spin', { ms: 400 })).toBe('spun');
      expect(notices).toEqual([]);
    } finally {
      await client.terminate();
    }
  });
});

describe('display filters cannot hang the engine', () => {
  it('frame matches "(.*.*)*XYZ" (catastrophic for a backtracking matcher) is answered, with no restart', async () => {
    requireBuilt();
    const client = new WorkerClient(engineWorkerPath, {});
    const notices: RestartNotice[] = [];
    client.onRestart((n) => notices.push(n));
    try {
      const info = (await client.call('openFile', { path: corpus('local/tls12-rsa.pcap') })) as SessionInfo;
      let loaded = info;
      for (let i = 0; i < 200 && loaded.loading; i++) {
        await new Promise((r) => setTimeout(r, 25));
        loaded = (await client.call('sessionInfo', { session: info.session })) as SessionInfo;
      }
      for (const filter of ['frame matches "(.*.*)*XYZ"', 'tcp.payload matches "(a|aa)+$"', 'frame matches "(x+x+)+y"']) {
        const r = (await client.call('setFilter', { session: info.session, filter })) as FilterResult;
        expect(r, filter).toEqual({ ok: true, displayed: 0, error: null });
      }
      const some = (await client.call('setFilter', { session: info.session, filter: 'frame matches "(?-i)HTTP|\\x16\\x03"' })) as FilterResult;
      expect(some.ok).toBe(true);
      expect(notices).toEqual([]);
    } finally {
      await client.terminate();
    }
  });

  it('a pattern RE2 cannot run in linear time is refused with the reason', async () => {
    const { compileFilter, isFilterError } = await import('../../../src/core/filter/compile');
    const { defaultRegistry } = await import('../../../src/core/dissect/all');
    const r = compileFilter('frame matches r"(a)\\1"', defaultRegistry());
    expect(isFilterError(r) && r.error).toBe('Regex compilation error: invalid escape sequence: `\\1` (WireLadder matches in linear time, with RE2 syntax: no backreferences or lookaround).');
  });
});
