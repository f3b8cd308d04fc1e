// The built engine worker on a capture large enough to take many read chunks: the first rows are
// served while the file is still loading, progress rises, and Cancel stops the load keeping every
// row read so far (what the app's progress bar and Cancel rely on).

import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PacketDetail, RowsPage, SessionInfo } from '../../src/shared/api';
import { WorkerClient } from '../../src/core/service/worker-client';
import { corpus, requireBuilt, workerPath } from './helpers';

const COPIES = 6000;
let dir: string;
let path: string;
let total: number;

/** A classic pcap of `copies` back-to-back copies of a corpus capture's records; its packet count. */
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

beforeAll(() => {
  requireBuilt();
  dir = mkdtempSync(join(tmpdir(), 'wireladder-large-'));
  path = join(dir, 'large.pcap');
  total = repeatCapture(corpus('local/tls12-rsa.pcap'), path, COPIES);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An engine in its worker thread, as the app runs it, with the session updates it sent. */
function engine(): { call<T>(method: string, arg: unknown): Promise<T>; updates: SessionInfo[]; loaded(session: string): Promise<SessionInfo>; close(): Promise<void> } {
  const client = new WorkerClient(workerPath, {});
  const updates: SessionInfo[] = [];
  const waiting: { session: string; resolve: (s: SessionInfo) => void }[] = [];
  client.onEvent((event, payload) => {
    if (event !== 'session-updated') return;
    const info = payload as SessionInfo;
    updates.push(info);
    if (!info.loading) for (const w of waiting.filter((x) => x.session === info.session)) w.resolve(info);
  });
  return {
    call: <T>(method: string, arg: unknown) => client.call(method, arg) as Promise<T>,
    updates,
    loaded: async (session) => {
      const now = (await client.call('sessionInfo', { session })) as SessionInfo;
      if (!now.loading) return now;
      return new Promise((resolve) => waiting.push({ session, resolve }));
    },
    close: () => client.terminate(),
  };
}

describe('a large capture in the engine worker', () => {
  it('serves the first rows while the file is still loading, with progress rising to the end', async () => {
    const e = engine();
    try {
      const opened = await e.call<SessionInfo>('openFile', { path });
      expect(opened.loading).toBe(true);
      let page: RowsPage;
      let during: SessionInfo;
      do {
        page = await e.call<RowsPage>('rows', { session: opened.session, start: 0, count: 50 });
        during = await e.call<SessionInfo>('sessionInfo', { session: opened.session });
      } while (page.rows.length === 0);
      // Rows came back while the worker was still reading: the load yields between chunks.
      expect(during.loading).toBe(true);
      expect(during.packets).toBeLessThan(total);
      expect(page.rows.map((r) => r.number)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));

      const done = await e.loaded(opened.session);
      expect(done).toMatchObject({ packets: total, progress: 1, cancelled: false, stop: null, error: null });
      const progress = e.updates.filter((u) => u.session === opened.session && u.loading).map((u) => u.progress);
      expect(new Set(progress).size).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]!);
      // While loading, progress is the fraction of the file read: it reaches 1 when the last chunk is
      // read, and the load ends after the analysis finishes (the status bar says so then).
      expect(progress.every((p) => p > 0 && p <= 1)).toBe(true);
    } finally {
      await e.close();
    }
  });

  it('Cancel stops the load, keeps every row read so far and says so', async () => {
    const e = engine();
    try {
      const opened = await e.call<SessionInfo>('openFile', { path });
      // Once rows are showing, as a user would.
      while ((await e.call<RowsPage>('rows', { session: opened.session, start: 0, count: 1 })).rows.length === 0);
      await e.call('cancelLoad', { session: opened.session });
      const info = await e.loaded(opened.session);
      expect(info.cancelled).toBe(true);
      expect(info.stop).toBeNull();
      expect(info.error).toBeNull();
      expect(info.packets).toBeGreaterThan(0);
      expect(info.packets).toBeLessThan(total);
      expect(info.progress).toBeGreaterThan(0);
      expect(info.progress).toBeLessThan(1);
      // The rows kept are whole and readable, up to the last one.
      const last = await e.call<RowsPage>('rows', { session: opened.session, start: info.packets - 1, count: 10 });
      expect(last.total).toBe(info.packets);
      expect(last.rows.map((r) => r.number)).toEqual([info.packets]);
      const detail = await e.call<PacketDetail>('packetDetail', { session: opened.session, packet: info.packets });
      expect(detail.layers[0]!.osi).toBe(1);
    } finally {
      await e.close();
    }
  });

  it('Cancel before the first chunk is read is a cancelled load, not a damaged file', async () => {
    const e = engine();
    try {
      const opened = await e.call<SessionInfo>('openFile', { path });
      await e.call('cancelLoad', { session: opened.session });
      const info = await e.loaded(opened.session);
      expect(info).toMatchObject({ cancelled: true, error: null, stop: null, loading: false });
      expect(info.packets).toBeLessThan(total);
    } finally {
      await e.close();
    }
  });

  it('memory running short stops the load with a message, every row read kept (WIRELADDER_MEMORY_LIMIT=1)', async () => {
    // The worker takes the environment it starts with: a limit it passes at the first check.
    process.env['WIRELADDER_MEMORY_LIMIT'] = '1';
    const e = engine();
    delete process.env['WIRELADDER_MEMORY_LIMIT'];
    try {
      const opened = await e.call<SessionInfo>('openFile', { path });
      const info = await e.loaded(opened.session);
      expect(info).toMatchObject({ cancelled: false, error: null, stop: null, loading: false });
      expect(info.memoryLimit).toBe(`stopped at ${info.packets.toLocaleString('en-US')} packets (${Math.floor(info.progress * 100)} %): memory limit reached — the packets read are all available`);
      expect(info.packets).toBeGreaterThan(0);
      expect(info.packets).toBeLessThan(total);
      expect(info.progress).toBeLessThan(1);
      const last = await e.call<RowsPage>('rows', { session: opened.session, start: info.packets - 1, count: 10 });
      expect(last.rows.map((r) => r.number)).toEqual([info.packets]);
    } finally {
      await e.close();
    }
  });
});
