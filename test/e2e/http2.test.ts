// HTTP/2 in the app, in Debian's Chromium against `wireladder serve`: the packet's frames on layer
// card 7, the ladder's GET and 200 steps on streams 1 and 3, control frames on demand, the
// streams under their connection, and Follow HTTP/2 stream.

import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cli/serve/server';
import { launch, openApp, problemsOf, root, rpc, serve, shot, waitLoaded } from './helpers';

const h2c = join(root, 'test', 'fixtures', 'http2', 'h2c-prior-knowledge.pcapng');

let browser: Browser;
let server: RunningServer;
beforeAll(async () => {
  browser = await launch();
  server = await serve(h2c);
  await waitLoaded(server);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(): Promise<Page> {
  const page = await openApp(browser, server, { width: 1500, height: 950 });
  await page.getByTestId('status-bar').getByText(/Packets:/).waitFor();
  return page;
}

const stepLabels = (page: Page): Promise<string[]> => page.getByTestId('ladder-step').evaluateAll((steps) => steps.map((s) => s.querySelector('title')?.textContent ?? ''));

describe('HTTP/2 (h2c) in the app', () => {
  it('layer card 7 lists the packet’s HTTP/2 frames with their header blocks decoded', async () => {
    const page = await open();
    await page.locator('[data-testid=packet-row][data-packet="4"]').click();
    const card = page.locator('[data-testid=layer-card][data-osi="7"]');
    await card.waitFor();
    const layers = card.locator('.layer');
    await expect.poll(() => layers.locator('.layer-title').allTextContents()).toEqual([
      'HyperText Transfer Protocol 2 · Magic (connection preface)',
      'HyperText Transfer Protocol 2 · SETTINGS, Stream ID: 0, Length 12',
      'HyperText Transfer Protocol 2 · HEADERS, Stream ID: 1, Length 60, GET /',
      'HyperText Transfer Protocol 2 · HEADERS, Stream ID: 3, Length 22, GET /style.css',
    ]);
    await layers.nth(2).locator('button.twisty').first().click();
    const stream = layers.nth(2).locator('[data-testid=field-node][data-field="http2.stream"]');
    await stream.waitFor();
    const headers = layers.nth(2).locator('[data-testid=field-node][data-field="http2.header"]');
    if ((await headers.count()) === 0) await stream.locator('button.twisty').click();
    await expect.poll(() => headers.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Header: :method: GET'), expect.stringContaining('Header: :path: /')]));
    await headers.first().scrollIntoViewIfNeeded();
    await shot(page, 'http2-layer-card');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('the ladder shows GET and 200 on streams 1 and 3, and WINDOW_UPDATE/PING only when asked', async () => {
    const page = await open();
    await page.getByTestId('tab-conversations').click();
    await page.getByTestId('conversation-row').first().dblclick();
    await expect.poll(async () => (await stepLabels(page)).length).toBeGreaterThan(10);
    const labels = await stepLabels(page);
    expect(labels.some((l) => l.includes('HEADERS stream 1: GET /') && l.includes('HEADERS stream 3: GET /style.css'))).toBe(true);
    expect(labels.some((l) => l.includes('HEADERS stream 1: 200 text/html') && l.includes('HEADERS stream 3: 200 text/css'))).toBe(true);
    expect(labels.some((l) => /WINDOW_UPDATE|PING/.test(l))).toBe(false);
    const session = server.initialSession!.session;
    const model = (await rpc(server, 'ladder', { session, conversation: 0, options: { showAcks: false, layout: 'time', theme: 'light', language: 'en', collapseAppData: 4 } })).model;
    const rst = model.steps.find((s) => s.label === 'RST_STREAM stream 9: CANCEL')!;
    await page.getByTestId('ladder-step').nth(rst.index - 1).click();
    await expect.poll(() => page.getByTestId('explanation-text').textContent()).toBe(rst.explanation);
    await shot(page, 'http2-ladder');
    await page.getByTestId('show-control-frames').check();
    await expect.poll(async () => (await stepLabels(page)).some((l) => l.includes('PING ACK'))).toBe(true);
    await shot(page, 'http2-ladder-control-frames');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('the connection unfolds into its streams; Follow HTTP/2 stream shows the decoded exchange', async () => {
    const page = await open();
    await page.getByTestId('tab-conversations').click();
    await page.getByTestId('toggle-http2-streams').click();
    await expect.poll(() => page.getByTestId('http2-stream-row').count()).toBe(7);
    const row9 = page.locator('[data-testid=http2-stream-row][data-stream="9"]');
    await expect.poll(() => row9.textContent()).toMatch(/RST_STREAM CANCEL by the client/);
    await shot(page, 'http2-streams');
    await page.locator('[data-testid=http2-stream-row][data-stream="1"]').getByTestId('follow-http2-stream').click();
    const dialog = page.getByTestId('follow-dialog');
    await expect.poll(() => dialog.textContent()).toMatch(/<h1>Hello over HTTP\/2<\/h1>/);
    expect(await dialog.textContent()).toMatch(/gzip-coded/);
    await shot(page, 'http2-follow');
    await page.getByTestId('follow-close').click();
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('Follow stream offers "HTTP/2 stream N" for an HTTP/2 connection', async () => {
    const page = await open();
    await page.getByTestId('tab-follow').click();
    const select = page.getByTestId('follow-http2-stream-select');
    await select.waitFor();
    await expect.poll(() => select.locator('option').allTextContents()).toContain('HTTP/2 stream 3: GET /style.css → 200');
    await select.selectOption('3');
    await expect.poll(() => page.getByTestId('follow-http2-text').textContent()).toMatch(/body \{ font-family: sans-serif; \}/);
    await shot(page, 'http2-follow-stream-view');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('statistics chart the HTTP/2 status codes and requests per connection', async () => {
    const page = await open();
    await page.getByTestId('tab-statistics').click();
    const codes = page.locator('[data-testid=chart][data-chart="HTTP/2 status codes"]');
    await codes.waitFor();
    expect(await codes.getAttribute('data-empty')).toBeNull();
    expect(await codes.textContent()).toMatch(/7 requests, 2 streams reset/);
    await page.locator('[data-testid=chart][data-chart="HTTP/2 requests per connection"]').scrollIntoViewIfNeeded();
    await shot(page, 'http2-statistics');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });
});

describe('HTTP/2 over TLS 1.3 (ALPN h2, the key log in the capture) in the app', () => {
  let tlsServer: RunningServer;
  beforeAll(async () => {
    tlsServer = await serve(join(root, 'test', 'fixtures', 'http2', 'h2-tls13.pcapng'));
    await waitLoaded(tlsServer);
  });
  afterAll(async () => {
    await tlsServer?.close();
  });

  it('the ladder shows the GET and 200 steps on streams 1 and 3 after the TLS 1.3 handshake', async () => {
    const page = await openApp(browser, tlsServer, { width: 1500, height: 950 });
    await page.getByTestId('status-bar').getByText(/Packets:/).waitFor();
    await page.getByTestId('tab-conversations').click();
    await page.getByTestId('conversation-row').first().dblclick();
    await expect.poll(async () => (await stepLabels(page)).length).toBeGreaterThan(20);
    const labels = await stepLabels(page);
    expect(labels.some((l) => l.includes('ClientHello (SNI wireladder.test'))).toBe(true);
    expect(labels.some((l) => l.includes('HEADERS stream 1: GET /') && l.includes('HEADERS stream 3: GET /style.css'))).toBe(true);
    expect(labels.some((l) => l.includes('HEADERS+DATA stream 1: 200 text/html') && l.includes('HEADERS+DATA stream 3: 200 text/css'))).toBe(true);
    const first = labels.findIndex((l) => l.includes('HEADERS stream 1: GET /'));
    await page.getByTestId('ladder-step').nth(first).click();
    await expect.poll(() => page.getByTestId('explanation-text').textContent()).toMatch(/HTTP\/2 was chosen in the TLS handshake: the client offered and the server picked ALPN h2/);
    await shot(page, 'http2-tls-ladder');
    await page.getByTestId('tab-packets').click();
    await page.locator('[data-testid=packet-row][data-packet="9"]').click();
    const card = page.locator('[data-testid=layer-card][data-osi="7"]');
    await expect.poll(() => card.locator('.layer-title').allTextContents()).toEqual([
      'HyperText Transfer Protocol 2 · Magic (connection preface)',
      'HyperText Transfer Protocol 2 · SETTINGS, Stream ID: 0, Length 12',
      'HyperText Transfer Protocol 2 · HEADERS, Stream ID: 1, Length 57, GET /',
      'HyperText Transfer Protocol 2 · HEADERS, Stream ID: 3, Length 22, GET /style.css',
    ]);
    await shot(page, 'http2-tls-layer-card');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });
});

