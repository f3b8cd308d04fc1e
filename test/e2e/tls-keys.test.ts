// TLS decryption in a real browser: open tls13.pcap, load tls13.keys through the Keys dialog (an
// upload: browser mode names no server paths), then the ladder shows the decrypted handshake and
// the GET, the TLS records are decrypted, and Follow stream shows the HTTP text.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cli/serve/server';
import { corpus, launch, openApp, problemsOf, rpc, serve, shot, waitLoaded } from './helpers';

let browser: Browser;
let server: RunningServer;
let page: Page;
beforeAll(async () => {
  browser = await launch();
  server = await serve(corpus('local/tls13.pcap'));
  await waitLoaded(server);
  page = await openApp(browser, server);
  await page.getByTestId('tab-packets').waitFor();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('TLS keys in the browser', () => {
  it('loads tls13.keys through the Keys dialog: 1 of 1 TLS session matched', async () => {
    await page.getByTestId('keys-button').click();
    await page.getByTestId('keys-dialog').waitFor();
    await page.getByTestId('keys-file-input').setInputFiles(corpus('local/tls13.keys'));
    await page.getByTestId('key-source').waitFor();
    await expect.poll(async () => page.getByTestId('keys-summary').innerText(), { timeout: 10_000 }).toContain('1 of 1 TLS session matched');
    expect(await page.getByTestId('key-matched').innerText()).toBe('1');
    await shot(page, 'tls-keys-dialog');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('packet detail: the decrypted records are layer 5–6, with a "Decrypted TLS" bytes tab linked to the fields', async () => {
    await page.getByTestId('tab-packets').click();
    await page.locator('[data-testid=packet-row][data-packet="6"]').click();
    const tabs = page.getByTestId('byte-source-tab');
    await expect.poll(async () => (await tabs.allTextContents()).join('|'), { timeout: 10_000 }).toContain('Decrypted TLS');
    const tls = page.locator('[data-testid=layer-card][data-osi*="5"]');
    await expect.poll(async () => tls.innerText()).toContain('Certificate');
    // A field inside the decrypted Certificate selects its bytes in the Decrypted TLS tab.
    const record = tls.locator('[data-testid=field-node][data-field="tls.record"]').filter({ hasText: 'Handshake Protocol: Certificate' }).first();
    await record.locator('.twisty').click();
    await tls.locator('[data-testid=field-node][data-field="tls.handshake"]').filter({ hasText: 'Certificate' }).first().click();
    await expect.poll(async () => page.locator('[data-testid=byte-source-tab][aria-selected=true]').innerText()).toContain('Decrypted TLS');
    await shot(page, 'tls-keys-detail');
  });

  it('the ladder shows Certificate, Finished and the GET', async () => {
    await page.getByTestId('tab-conversations').click();
    await page.getByTestId('open-ladder').first().click();
    const steps = page.getByTestId('ladder-step');
    await expect.poll(async () => (await steps.allTextContents()).join('\n'), { timeout: 10_000 }).toContain('GET /');
    const text = (await steps.allTextContents()).join('\n');
    expect(text).toContain('Certificate');
    expect(text).toContain('Finished');
    expect(text).toContain('200 ok text/html 4,322 bytes');
    // The server's flight is drawn whole, wrapped onto lines that stay between the lifelines.
    const flight = page.locator('[data-testid=ladder-step][data-step="5"] [data-testid=step-label]');
    const lines = await flight.locator('tspan').allTextContents();
    expect(lines.join(' ')).toBe('ServerHello, ChangeCipherSpec, EncryptedExtensions, Certificate, CertificateVerify, Finished');
    const lifelines = await page.locator('.ladder-svg .lifeline').evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().x));
    for (const box of await flight.locator('tspan').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect()))) {
      expect(box.x).toBeGreaterThan(Math.min(...lifelines));
      expect(box.x + box.width).toBeLessThan(Math.max(...lifelines));
    }
    await shot(page, 'tls-keys-ladder');
  });

  it('the TLS records are decrypted, with their plaintext', async () => {
    await page.getByTestId('tab-tls').click();
    await page.getByTestId('chip-decrypted').first().waitFor();
    expect(await page.getByTestId('tls-plaintext').allTextContents()).toContainEqual(expect.stringContaining('GET / HTTP/1.1'));
    expect(await page.getByTestId('tls-decryption').innerText()).toContain('Finished verified');
    await shot(page, 'tls-keys-records');
  });

  it('Follow stream (TLS) shows the HTTP text of both directions', async () => {
    await page.getByTestId('tab-follow').click();
    await page.getByTestId('follow-tls').click();
    const body = page.getByTestId('follow-body');
    await expect.poll(async () => body.innerText(), { timeout: 10_000 }).toContain('GET / HTTP/1.1');
    expect(await body.innerText()).toContain('HTTP/1.0 200 ok');
    expect(await body.locator('.follow-client').count()).toBeGreaterThan(0);
    expect(await body.locator('.follow-server').count()).toBeGreaterThan(0);
    await shot(page, 'tls-keys-follow');
    // The raw TCP stream is the ciphertext: no request line in it.
    await page.getByTestId('follow-tcp').click();
    await expect.poll(async () => body.innerText()).not.toContain('GET / HTTP/1.1');
  });

  it('the page cannot make the engine read a key file by path', async () => {
    const session = server.initialSession!.session;
    await expect(rpc(server, 'addTlsKeyFile', { session, path: corpus('local/tls13.keys'), binding: '', watch: false })).rejects.toThrow(/upload/);
    expect(problemsOf(page)).toEqual([]);
  });
});
