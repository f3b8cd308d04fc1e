// End-to-end helpers: the built app served by startServer(), Debian's Chromium through
// playwright-core, a direct RPC client (to compare the UI with the engine), and screenshots.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../src/cli/serve/server';
import type { ArgOf, EngineMethod, ResultOf } from '../../src/shared/api';

export const root = resolve(import.meta.dirname, '../..');
export const corpus = (name: string): string => resolve(root, '../shared/corpus', name);
export const rendererDir = join(root, 'out/renderer');
export const workerPath = join(root, 'out/engine/engine-worker.js');
export const screenshotDir = join(root, 'test-results/screenshots');

/** The E2E tests use the built app (`npm test` builds first); say so plainly when it is missing. */
export function requireBuilt(): void {
  for (const f of [join(rendererDir, 'index.html'), workerPath, join(root, 'out/cli/wireladder.js')]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` before the end-to-end tests`);
  }
}

export async function serve(file: string | undefined, opts: { maxUploadBytes?: number } = {}): Promise<RunningServer> {
  requireBuilt();
  return startServer({ file, port: 0, rendererDir, workerPath, ...opts });
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A test file's browser, launched before its tests, and the servers they start through `serve`:
 * all closed after the file's last test.
 */
export function browserSuite(): { browser(): Browser; serve(file: string | undefined): Promise<RunningServer> } {
  let browser: Browser | undefined;
  const servers: RunningServer[] = [];
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => s.close()));
  });
  return {
    browser: () => {
      if (browser === undefined) throw new Error('the browser starts in beforeAll');
      return browser;
    },
    serve: async (file) => {
      const server = await serve(file);
      servers.push(server);
      return server;
    },
  };
}

export async function openApp(browser: Browser, server: RunningServer, opts: { dark?: boolean; width?: number; height?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 }, colorScheme: opts.dark === true ? 'dark' : 'light' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  (page as Page & { problems: string[] }).problems = problems;
  await page.goto(server.url);
  return page;
}

export function problemsOf(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** Calls the engine through the server's WebSocket, like the page does. */
export async function rpc<M extends EngineMethod>(server: RunningServer, method: M, arg: ArgOf<M>): Promise<ResultOf<M>> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, { headers: { origin: `http://127.0.0.1:${server.port}` } });
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('error', fail);
  });
  try {
    ws.send(JSON.stringify({ id: 1, method, arg }));
    const reply = await new Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>((ok) =>
      ws.on('message', (d) => {
        const m = JSON.parse(String(d)) as { id?: number };
        if (m.id === 1) ok(m as never);
      }),
    );
    if (!reply.ok) throw new Error(reply.error?.message ?? 'engine error');
    return reply.value as ResultOf<M>;
  } finally {
    ws.close();
  }
}

/** `wireladder info FILE --json`, the oracle for the packet count. */
export function infoOf(file: string): { packets: number } {
  return JSON.parse(execFileSync(process.execPath, [join(root, 'bin/wireladder.js'), 'info', file, '--json'], { encoding: 'utf8' })) as { packets: number };
}

export async function waitLoaded(server: RunningServer): Promise<void> {
  const session = server.initialSession?.session;
  if (session === undefined) return;
  for (let i = 0; i < 200; i++) {
    const info = await rpc(server, 'sessionInfo', { session });
    if (!info.loading) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
