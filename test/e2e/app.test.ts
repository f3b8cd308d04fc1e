// The app in Debian's Chromium against `wireladder serve` on corpus captures: what the UI shows is
// what the engine (and `wireladder info`) says.

import { copyFileSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cli/serve/server';
import { browserSuite, corpus, infoOf, openApp, problemsOf, rpc, shot, waitLoaded } from './helpers';

const suite = browserSuite();

async function appFor(file: string, opts: { dark?: boolean } = {}): Promise<{ server: RunningServer; page: Page }> {
  const server = await suite.serve(file);
  await waitLoaded(server);
  const page = await openApp(suite.browser(), server, opts);
  await page.getByTestId('status-bar').getByText(/Packets:/).waitFor();
  return { server, page };
}

const rowByNumber = (page: Page, n: number) => page.locator(`[data-testid=packet-row][data-packet="${n}"]`);

describe('packet list', () => {
  for (const file of ['local/tls12-rsa.pcap', 'zeek/http/http-post-large.pcap', 'local/tls12-ecdhe.pcap.gz']) {
    it(`shows as many rows as \`wireladder info\` counts: ${file}`, async () => {
      const expected = infoOf(corpus(file)).packets;
      const { page } = await appFor(corpus(file));
      await expect.poll(() => page.getByTestId('status-packets').textContent()).toBe(`Packets: ${expected.toLocaleString('en-US')}`);
      await page.getByTestId('packet-list').click({ position: { x: 200, y: 10 } });
      await page.keyboard.press('End');
      await rowByNumber(page, expected).waitFor();
      await expect.poll(() => page.locator('[data-testid=packet-row][aria-selected=true]').getAttribute('data-packet')).toBe(String(expected));
      expect(await page.locator('[data-testid=packet-row]').last().getAttribute('data-packet')).toBe(String(expected));
      expect(problemsOf(page)).toEqual([]);
      await page.context().close();
    });
  }
});

describe('layer stack and bytes', () => {
  it('shows the layers of a TLS packet as cards, L1–L4 and L5–6 (TLS)', async () => {
    const { server, page } = await appFor(corpus('local/tls12-rsa.pcap'));
    await rowByNumber(page, 4).click();
    await page.getByTestId('layer-card').first().waitFor();
    const engineOsi = [...new Set((await rpc(server, 'packetDetail', { session: server.initialSession!.session, packet: 4 })).layers.map((l) => String(l.osi)))];
    const shown = await page.getByTestId('layer-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-osi')));
    expect(shown).toEqual(engineOsi);
    expect(shown.slice(0, 4)).toEqual(['1', '2', '3', '4']);
    await shot(page, 'packets-tls-light');
    await page.context().close();
    expect(shown).toEqual(['1', '2', '3', '4', '5']);
  });

  it('shows layer 7 for an HTTP request over TCP', async () => {
    const { server, page } = await appFor(corpus('local/http11-keepalive.pcap'), { dark: true });
    await rowByNumber(page, 4).click();
    await page.getByTestId('layer-card').first().waitFor();
    const engineOsi = [...new Set((await rpc(server, 'packetDetail', { session: server.initialSession!.session, packet: 4 })).layers.map((l) => String(l.osi)))];
    const shown = await page.getByTestId('layer-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-osi')));
    expect(shown).toEqual(engineOsi);
    await shot(page, 'packets-http-dark');
    await page.getByTestId('model-tcpip').click();
    expect(await page.getByTestId('layer-card').count()).toBe(4);
    await shot(page, 'packets-http-tcpip-dark');
    await page.context().close();
    expect(shown).toEqual(['1', '2', '3', '4', '7']);
  });

  it('highlights a field’s bytes, and selects the field of a clicked byte', async () => {
    const { page } = await appFor(corpus('local/tls12-rsa.pcap'));
    await rowByNumber(page, 1).click();
    const srcPort = page.locator('[data-testid=field-node][data-field="tcp.srcport"]');
    await srcPort.click();
    const hl = page.getByTestId('hex-view').locator('[data-highlighted=true]');
    await expect.poll(() => hl.count()).toBe(2);
    expect(await hl.evaluateAll((els) => els.map((e) => e.getAttribute('data-offset')))).toEqual(['34', '35']);
    // Byte 36 starts the destination port.
    await page.getByTestId('hex-view').locator('.hb[data-offset="36"]').click();
    await expect.poll(() => page.locator('[data-testid=field-node].selected').getAttribute('data-field')).toBe('tcp.dstport');
    await shot(page, 'packets-field-highlight');
    await page.context().close();
  });
});

describe('conversations, ladder, TLS records, statistics', () => {
  it('lists the engine’s conversations and opens one’s ladder with the model’s steps', async () => {
    const { server, page } = await appFor(corpus('local/tls12-rsa.pcap'));
    const session = server.initialSession!.session;
    const { conversations } = await rpc(server, 'conversations', { session });
    await page.getByTestId('tab-conversations').click();
    await expect.poll(() => page.getByTestId('conversation-row').count()).toBe(conversations.length);
    await shot(page, 'conversations');
    await page.getByTestId('conversation-row').first().dblclick();
    const model = (await rpc(server, 'ladder', { session, conversation: conversations[0]!.id, options: { showAcks: false, layout: 'time', theme: 'light', language: 'en', collapseAppData: 4 } })).model;
    await expect.poll(() => page.getByTestId('ladder-step').count()).toBe(model.steps.length);
    const labels = await page.getByTestId('ladder-step').evaluateAll((steps) => steps.map((s) => s.querySelector('title')?.textContent ?? ''));
    model.steps.forEach((s, i) => expect(labels[i]).toContain(`${s.index}. ${s.label}`));
    await page.getByTestId('ladder-step').nth(0).click();
    await expect.poll(() => page.getByTestId('explanation-text').textContent()).toBe(model.steps[0]!.explanation);
    await shot(page, 'ladder');
    await page.context().close();
  });

  it('exports the ladder as a valid SVG download', async () => {
    const { server, page } = await appFor(corpus('local/tls12-rsa.pcap'));
    const session = server.initialSession!.session;
    const options = { showAcks: false, layout: 'time', theme: 'light', language: 'en', collapseAppData: 4 } as const;
    await page.getByTestId('tab-conversations').click();
    await page.getByTestId('conversation-row').first().click();
    await page.getByTestId('export-button').first().click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
    const svg = readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/\.svg$/);
    expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    const parsed = await page.evaluate((text) => {
      // Runs in the page; the Node-side type-check knows no DOM, hence the narrow type.
      type Doc = { getElementsByTagName(n: string): { length: number }; documentElement: { nodeName: string } };
      const { DOMParser } = globalThis as unknown as { DOMParser: new () => { parseFromString(t: string, mime: string): Doc } };
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { error: doc.getElementsByTagName('parsererror').length, root: doc.documentElement.nodeName };
    }, svg);
    expect(parsed).toEqual({ error: 0, root: 'svg' });
    // The same diagram the engine renders for the first conversation with the view's options.
    const { conversations } = await rpc(server, 'conversations', { session });
    const engine = await rpc(server, 'exportLadder', { session, conversation: conversations[0]!.id, format: 'svg', options });
    expect(download.suggestedFilename()).toBe(engine.fileName);
    expect(svg).toBe(engine.data);
    await page.context().close();
  });

  it('draws the TLS records of a conversation in lanes', async () => {
    const { server, page } = await appFor(corpus('local/tls12-rsa.pcap'));
    const session = server.initialSession!.session;
    const records = await rpc(server, 'tlsRecords', { session, conversation: 0 });
    await page.getByTestId('tab-tls').click();
    await expect.poll(() => page.getByTestId('tls-record').count()).toBe(records.records.length);
    await shot(page, 'tls-records');
    await page.context().close();
  });

  it('renders the statistics charts with data', async () => {
    const { server, page } = await appFor(corpus('local/tls12-rsa.pcap'));
    const session = server.initialSession!.session;
    const stats = await rpc(server, 'statistics', { session });
    await page.getByTestId('tab-statistics').click();
    await expect.poll(() => page.getByTestId('chart').count()).toBe(6);
    for (const title of ['Protocol hierarchy', 'Packets and bytes over time', 'Handshake latencies', 'TLS versions', 'Cipher suites', 'Top talkers']) {
      const chart = page.locator(`[data-testid=chart][data-chart="${title}"]`);
      expect(await chart.getAttribute('data-empty'), title).toBeNull();
      await expect.poll(() => chart.locator('.recharts-bar-rectangle, .recharts-pie-sector').count(), { message: title }).toBeGreaterThan(0);
    }
    // One bar or sector per entry the engine counted.
    const marks = (title: string) => page.locator(`[data-testid=chart][data-chart="${title}"]`).locator('.recharts-bar-rectangle, .recharts-pie-sector').count();
    expect(await marks('TLS versions')).toBe(stats.tlsVersions.length);
    expect(await marks('Cipher suites')).toBe(stats.cipherSuites.length);
    expect(await marks('Top talkers')).toBe(stats.topTalkers.length);
    expect(stats.tlsVersions).toEqual([{ name: 'TLS 1.2', count: 2 }]);
    // A 4 ms capture: the time axis speaks milliseconds, every tick label different.
    const ticks = await page.locator('[data-chart="Packets and bytes over time"] .recharts-xAxis-tick-labels text').allTextContents();
    expect(ticks.length).toBeGreaterThan(2);
    expect(new Set(ticks).size).toBe(ticks.length);
    for (const t of ticks) expect(t).toMatch(/^\d+\.\d ms$/);
    await shot(page, 'statistics');
    await page.context().close();
  });
});

describe('empty and browser-mode states', () => {
  it('offers to open a capture when the server has none: Open shows the browser’s file picker', async () => {
    const server = await suite.serve(undefined);
    const page = await openApp(suite.browser(), server);
    await page.getByTestId('no-capture').waitFor();
    expect(await page.getByTestId('no-capture').textContent()).toContain('Drop a file on this tab');
    await shot(page, 'empty-browser-mode');
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-button').click();
    await (await chooser).setFiles([]);
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });
});

describe('bad input', () => {
  it('says why a file is not a capture', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wireladder-e2e-'));
    const notCapture = join(dir, 'notes.pcap');
    writeFileSync(notCapture, 'These are my notes about the outage, not a capture.\n');
    const server = await suite.serve(notCapture);
    await waitLoaded(server);
    const page = await openApp(suite.browser(), server);
    const error = page.getByTestId('open-error');
    await error.waitFor();
    const info = await rpc(server, 'sessionInfo', { session: server.initialSession!.session });
    expect(await error.textContent()).toContain(info.error!);
    await shot(page, 'error-not-a-capture');
    await page.context().close();
  });

  it('keeps the packets before the damage of a truncated file and says where it stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wireladder-e2e-'));
    const cut = join(dir, 'cut.pcap');
    copyFileSync(corpus('local/tls12-rsa.pcap'), cut);
    truncateSync(cut, statSync(cut).size - 40);
    const server = await suite.serve(cut);
    await waitLoaded(server);
    const info = await rpc(server, 'sessionInfo', { session: server.initialSession!.session });
    const page = await openApp(suite.browser(), server);
    expect(info.stop).not.toBeNull();
    const banner = page.getByTestId('damage-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(`File damaged at byte ${info.stop!.offset.toLocaleString('en-US')}, ${info.packets} packets kept`);
    await shot(page, 'damaged-file');
    await page.context().close();
  });
});
