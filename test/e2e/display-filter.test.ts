// The display filter box end to end: what the list shows after Apply is exactly what the engine's
// filter matches, errors are shown where the user typed, and clearing restores every row.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cli/serve/server';
import { corpus, launch, openApp, serve, shot, waitLoaded } from './helpers';

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

describe('display filter', () => {
  it('shows only matching rows, reports a bad filter, and clears back to all rows', async () => {
    const page = await openApp(browser, server);
    await page.getByTestId('status-bar').getByText(/Packets:/).waitFor();
    const input = page.getByTestId('filter-input');

    // tshark -r tls12-rsa.pcap -Y 'tls.handshake.type == 1' → frames 4 and 21 (the two ClientHellos).
    await input.fill('tls.handshake.type == 1');
    await input.press('Enter');
    await expect.poll(() => page.locator('[data-testid=packet-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-packet')))).toEqual(['4', '21']);
    await expect.poll(() => page.getByTestId('status-bar').textContent()).toContain('Displayed: 2');
    await shot(page, 'display-filter');

    await input.fill('tcp.prot == 1');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('filter-error').textContent()).toContain('"tcp.prot" is neither a field nor a protocol name');

    await input.fill('');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('status-bar').textContent()).toContain('Displayed: 34');
    await page.context().close();
  });
});
