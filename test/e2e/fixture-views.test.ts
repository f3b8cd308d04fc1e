// The ladder, TLS-record and statistics views in a real browser, with the engine's answers for those
// methods replaced by the DTO fixtures (everything else goes to the real server). This checks the
// views' interaction and layout independently of the engine, and saves their screenshots.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cli/serve/server';
import type { InterfaceDto } from '../../src/shared/api';
import type { WsRequest } from '../../src/shared/bridge';
import { conversations, ladder, statistics, tlsRecords } from '../fixtures/ui';
import { corpus, launch, serve, shot, waitLoaded } from './helpers';

let browser: Browser;
let server: RunningServer;
beforeAll(async () => {
  browser = await launch();
  server = await serve(corpus('local/tls12-rsa.pcap'));
  await waitLoaded(server);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const interfaces: InterfaceDto[] = [
  { name: 'eth0', description: 'Ethernet', addresses: ['192.0.2.10', '2001:db8::10'], loopback: false, up: true },
  { name: 'lo', description: '', addresses: ['127.0.0.1', '::1'], loopback: true, up: true },
  { name: 'wlan0', description: 'Wi-Fi', addresses: [], loopback: false, up: false },
];
const fixtures: Partial<Record<string, unknown>> = { conversations: { total: conversations.length, conversations }, ladder, tlsRecords, statistics, listInterfaces: interfaces };

/** Opens the app with the fixture methods answered in the page's WebSocket, the rest proxied. */
async function openWithFixtures(dark: boolean, annotations: { session: string; packet: number; comment: string | null }[] = []): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: dark ? 'dark' : 'light' });
  const page = await context.newPage();
  await page.routeWebSocket(/\/rpc\?token=/, (ws) => {
    const real = ws.connectToServer();
    ws.onMessage((text) => {
      const req = JSON.parse(String(text)) as WsRequest;
      if (req.method === 'annotate') {
        annotations.push(req.arg as { session: string; packet: number; comment: string | null });
        ws.send(JSON.stringify({ id: req.id, ok: true, value: server.initialSession }));
      } else if (req.method === 'checkCaptureFilter') {
        const { filter } = req.arg as { filter: string };
        ws.send(JSON.stringify({ id: req.id, ok: true, value: { error: /^[a-z0-9 .]*$/.test(filter) ? null : `syntax error in filter expression: ${filter}` } }));
      } else if (req.method === 'exportLadder') {
        ws.send(JSON.stringify({ id: req.id, ok: true, value: { fileName: 'ladder.svg', mime: 'image/svg+xml', encoding: 'utf8', data: ladder.svg } }));
      } else if (fixtures[req.method] !== undefined) {
        ws.send(JSON.stringify({ id: req.id, ok: true, value: fixtures[req.method] }));
      } else real.send(text);
    });
    real.onMessage((text) => ws.send(text));
  });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(server.url);
  await page.getByTestId('status-bar').getByText(/Packets:/).waitFor();
  expect(problems).toEqual([]);
  return page;
}

describe('views with fixture data, in Chromium', () => {
  for (const dark of [false, true]) {
    const theme = dark ? 'dark' : 'light';
    it(`ladder: steps drawn, hover and click explain, annotation saved (${theme})`, async () => {
      const saved: { session: string; packet: number; comment: string | null }[] = [];
      const page = await openWithFixtures(dark, saved);
      await page.getByTestId('tab-conversations').click();
      await shot(page, `fixture-conversations-${theme}`);
      await page.getByTestId('conversation-row').first().click();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('ladder-step').count()).toBe(ladder.model.steps.length);
      await shot(page, `fixture-ladder-${theme}`);
      await page.getByTestId('ladder-step').nth(4).hover();
      await page.getByTestId('ladder-step').nth(4).click();
      expect(await page.getByTestId('explanation-title').textContent()).toBe(ladder.model.steps[4]!.label);
      await page.getByTestId('annotation-add').click();
      await page.getByTestId('annotation-input').fill('The certificate is self-signed');
      await shot(page, `fixture-ladder-step-${theme}`);
      await page.getByTestId('annotation-save').click();
      await expect.poll(() => saved).toEqual([{ session: server.initialSession!.session, packet: 5, comment: 'The certificate is self-signed' }]);
      await page.getByTestId('layout-even').click();
      await shot(page, `fixture-ladder-even-${theme}`);
      // A packet chip of the step goes back to the packet list with that packet selected.
      await page.getByRole('button', { name: '#6' }).click();
      await expect.poll(() => page.locator('[data-testid=packet-row][aria-selected=true]').getAttribute('data-packet')).toBe('6');
      await page.context().close();
    });

    it(`TLS records and statistics (${theme})`, async () => {
      const page = await openWithFixtures(dark);
      await page.getByTestId('tab-tls').click();
      await expect.poll(() => page.getByTestId('tls-record').count()).toBe(tlsRecords.records.length);
      await shot(page, `fixture-tls-records-${theme}`);
      await page.getByTestId('tab-statistics').click();
      await expect.poll(() => page.getByTestId('chart').count()).toBe(6);
      await expect.poll(() => page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(5);
      await page.waitForTimeout(300);
      await shot(page, `fixture-statistics-${theme}`);
      await page.context().close();
    });
  }

  it('capture dialog: interfaces, and the capture filter checked as you type', async () => {
    const page = await openWithFixtures(false);
    await page.getByTestId('capture-start').click();
    await page.getByTestId('capture-dialog').getByText('eth0').waitFor();
    await page.getByTestId('capture-dialog').getByPlaceholder('e.g. tcp port 443').fill('tcp port 443 and (');
    await page.getByTestId('capture-dialog').getByText(/syntax error in filter expression/).waitFor();
    expect(await page.getByTestId('capture-go').isDisabled()).toBe(true);
    await shot(page, 'fixture-capture-dialog');
    await page.getByTestId('capture-dialog').getByPlaceholder('e.g. tcp port 443').fill('tcp port 443');
    await expect.poll(() => page.getByTestId('capture-go').isDisabled()).toBe(false);
    await page.context().close();
  });

  it('exports through the toolbar menu as a browser download', async () => {
    const page = await openWithFixtures(false);
    await page.getByTestId('tab-conversations').click();
    await page.getByTestId('conversation-row').first().click();
    await page.getByTestId('export-button').first().click();
    await shot(page, 'fixture-export-menu');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').first().click()]);
    expect(download.suggestedFilename()).toBe('ladder.svg');
    await page.context().close();
  });
});
