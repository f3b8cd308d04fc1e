// Wireshark's navigation habits end to end: Go to packet (Ctrl+G), Find Packet (Ctrl+F: filter,
// hex, string; next and previous, wrapping), Back/Forward (Alt+←/→), frame references that select
// their packet (to earlier packets, and to later ones: reassembled in, response in), Mark / Ignore / Time Reference from the keyboard, a filter that hides the selected
// packet (the closest one is selected, the choice comes back), the tree following a clicked byte,
// remembered splits, the Ladder tab opening on the only conversation, and its step panel in zh-CN
// (Chinese labels in the bundled CJK font, long cipher-suite names wrapped).

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cli/serve/server';
import { browserSuite, corpus, openApp, problemsOf, shot, waitLoaded } from './helpers';

const suite = browserSuite();

async function appFor(file: string): Promise<{ server: RunningServer; page: Page }> {
  const server = await suite.serve(file);
  await waitLoaded(server);
  const page = await openApp(suite.browser(), server);
  await page.getByTestId('status-bar').getByText(/Packets:/).waitFor();
  await page.getByTestId('packet-row').first().waitFor();
  return { server, page };
}

const row = (page: Page, n: number) => page.locator(`[data-testid=packet-row][data-packet="${n}"]`);
const selected = (page: Page) => page.locator('[data-testid=packet-row][aria-selected=true]').getAttribute('data-packet');
const detailTitle = (page: Page) => page.locator('.pane-title').first().textContent();

describe('Go to packet, Find Packet, Back and Forward', () => {
  it('jumps with Ctrl+G, finds with Ctrl+F (filter, hex, string, both ways, wrapping) and walks the history with Alt+←/→', async () => {
    const { page } = await appFor(corpus('local/tls12-rsa.pcap'));
    await row(page, 1).click();

    // Ctrl+G 21: the second Client Hello.
    await page.keyboard.press('Control+g');
    await page.getByTestId('goto-input').fill('21');
    await shot(page, 'habits-goto-bar');
    await page.keyboard.press('Enter');
    await expect.poll(() => selected(page)).toBe('21');
    await expect.poll(() => detailTitle(page)).toBe('Packet 21');

    // Ctrl+F by display filter: tshark -Y 'tls.handshake.type == 1' → frames 4 and 21.
    await page.keyboard.press('Control+f');
    await page.getByTestId('find-input').fill('tls.handshake.type == 1');
    await page.keyboard.press('Enter');
    await expect.poll(() => selected(page)).toBe('4');
    await expect.poll(() => page.getByTestId('find-message').textContent()).toContain('continued from the other end');
    await page.keyboard.press('Enter');
    await expect.poll(() => selected(page)).toBe('21');
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => selected(page)).toBe('4');
    await shot(page, 'habits-find-filter');

    // Hex bytes: 16 03 03 starts the Server Hello's record (frame 6, offset 66); the bytes light up.
    await page.getByTestId('find-by').selectOption('hex');
    await page.getByTestId('find-input').fill('16 03 03');
    await page.getByTestId('find-next').click();
    await expect.poll(() => selected(page)).toBe('6');
    await expect.poll(() => page.locator('[data-testid=hex-view] .hb[data-highlighted=true]').evaluateAll((b) => b.map((x) => x.getAttribute('data-offset')).join(','))).toBe('66,67,68');

    // A string in the details, case-insensitively: the first packet whose tree says "Encrypted Alert".
    await page.getByTestId('find-by').selectOption('string');
    await page.getByTestId('find-in').selectOption('details');
    await page.getByTestId('find-input').fill('alert message: encrypted alert');
    await page.getByTestId('find-next').click();
    await expect.poll(() => selected(page)).toBe('12');

    // Nothing found: Wireshark's words.
    await page.getByTestId('find-by').selectOption('hex');
    await page.getByTestId('find-input').fill('de ad be ef 42');
    await page.getByTestId('find-next').click();
    await expect.poll(() => page.getByTestId('find-message').textContent()).toBe('No packet contained those bytes.');
    await page.keyboard.press('Escape');

    // History: 1 → 21 → 4 → 21 → 4 → 6 → 12; back twice, forward once.
    await page.getByTestId('packet-list').focus();
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(() => selected(page)).toBe('6');
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(() => selected(page)).toBe('4');
    await page.keyboard.press('Alt+ArrowRight');
    await expect.poll(() => selected(page)).toBe('6');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('follows frame references: "Request in frame: 4" selects packet 4', async () => {
    const { page } = await appFor(corpus('local/http11-keepalive.pcap'));
    await row(page, 8).click();
    const link = page.getByTestId('frame-link').first();
    await link.waitFor();
    expect(await link.textContent()).toBe('Request in frame: 4');
    await link.scrollIntoViewIfNeeded();
    await shot(page, 'habits-frame-link');
    await link.click();
    await expect.poll(() => selected(page)).toBe('4');
    await expect.poll(() => detailTitle(page)).toBe('Packet 4');
    await page.context().close();
  });

  it('follows references to later packets: "[Reassembled PDU in frame: 9]" on a segment, its segments from 9, "Response in frame: 9" on the request', async () => {
    // tshark -2 on get.pcap: the response's segments 6-8 are reassembled in 9, which answers request 4.
    const { page } = await appFor(corpus('zeek/http/get.pcap'));
    await row(page, 6).click();
    const pdu = page.locator('[data-testid=frame-link][data-frame="9"]').first();
    await pdu.waitFor();
    expect(await pdu.textContent()).toBe('[Reassembled PDU in frame: 9]');
    await pdu.scrollIntoViewIfNeeded();
    await shot(page, 'habits-reassembled-pdu-link');
    await pdu.click();
    await expect.poll(() => selected(page)).toBe('9');
    await expect.poll(() => detailTitle(page)).toBe('Packet 9');
    // Packet 9 lists the segments it completed; each one is a link back.
    const segments = page.locator('[data-testid=field-node][data-field="tcp.segments"]');
    await segments.locator('.twisty').click();
    await segments.scrollIntoViewIfNeeded();
    await shot(page, 'habits-reassembled-segments');
    await page.locator('[data-testid=frame-link][data-frame="7"]').first().click();
    await expect.poll(() => selected(page)).toBe('7');
    await row(page, 4).click();
    await expect.poll(() => detailTitle(page)).toBe('Packet 4');
    const response = page.getByTestId('frame-link').filter({ hasText: 'Response in frame: 9' });
    await response.waitFor();
    await response.scrollIntoViewIfNeeded();
    await shot(page, 'habits-response-in-link');
    await response.click();
    await expect.poll(() => selected(page)).toBe('9');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });
});

describe('Mark, Ignore and Time Reference from the keyboard', () => {
  it('Ctrl+M marks, Ctrl+D ignores, Ctrl+Alt+T makes a time reference', async () => {
    const { page } = await appFor(corpus('local/tls12-rsa.pcap'));
    await row(page, 6).click();
    await page.keyboard.press('Control+m');
    await expect.poll(() => row(page, 6).getAttribute('data-marked')).toBe('true');
    await row(page, 8).click();
    await page.keyboard.press('Control+d');
    await expect.poll(() => row(page, 8).getAttribute('data-ignored')).toBe('true');
    expect(await row(page, 8).locator('.pl-info').textContent()).toBe('<Ignored>');
    await row(page, 5).click();
    await page.keyboard.press('Control+Alt+t');
    await expect.poll(() => row(page, 5).locator('.pl-time').textContent()).toBe('*REF*');
    // Frame 6 is 0.000455 s after frame 5 (0.001918 − 0.001463).
    expect(await row(page, 6).locator('.pl-time').textContent()).toBe('0.000455');
    await row(page, 10).click();
    await shot(page, 'habits-marked-ignored-ref');
    await page.keyboard.press('Control+m');
    await expect.poll(() => page.getByTestId('status-bar').textContent()).toBeTruthy();
    await page.context().close();
  });
});

describe('selection, bytes and panes', () => {
  it('a filter hiding the selected packet selects the closest one before it; clearing the filter brings the choice back', async () => {
    const { page } = await appFor(corpus('local/tls12-rsa.pcap'));
    await row(page, 7).click();
    const input = page.getByTestId('filter-input');
    // tls: frames 4, 6, 8, 9, 10, 11, 12, 14, 21…; 7 is hidden, 6 is the closest before it.
    await input.fill('tls');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('status-bar').textContent()).toContain('Displayed:');
    await expect.poll(() => selected(page)).toBe('6');
    await input.fill('');
    await input.press('Enter');
    await expect.poll(() => selected(page)).toBe('7');
    await page.context().close();
  });

  it('a clicked byte selects its field and the tree scrolls to it', async () => {
    const { page } = await appFor(corpus('local/tls12-rsa.pcap'));
    await row(page, 6).click();
    await page.getByTestId('hex-view').waitFor();
    // A byte of the certificate: its field is far down the tree.
    const byte = page.locator('[data-testid=hex-view] .hb[data-offset="280"]');
    await byte.scrollIntoViewIfNeeded();
    await byte.click();
    const chosen = page.locator('.field-node.selected');
    await chosen.waitFor();
    await expect
      .poll(() =>
        chosen.evaluate((el) => {
          const pane = el.closest('.pane-body')!.getBoundingClientRect();
          const r = el.getBoundingClientRect();
          return r.top >= pane.top - 1 && r.bottom <= pane.bottom + 1;
        }),
      )
      .toBe(true);
    await shot(page, 'habits-byte-to-field');
    await page.context().close();
  });

  it('remembers the list/detail split across a reload', async () => {
    const { page } = await appFor(corpus('local/tls12-rsa.pcap'));
    await row(page, 4).click();
    const divider = page.locator('[role=separator][aria-label="Resize packet list and details"]');
    const box = (await divider.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y - 200, { steps: 5 });
    await page.mouse.up();
    const share = await divider.getAttribute('aria-valuenow');
    expect(Number(share)).toBeLessThan(45);
    await page.reload();
    await page.getByTestId('packet-row').first().waitFor();
    await expect.poll(() => page.locator('[role=separator][aria-label="Resize packet list and details"]').getAttribute('aria-valuenow')).toBe(share);
    await page.context().close();
  });

  it('opens the Ladder tab on the only conversation of a one-conversation capture', async () => {
    const { page } = await appFor(corpus('zeek/tls/ecdhe.pcap'));
    await page.getByTestId('tab-ladder').click();
    await page.getByTestId('ladder-step').first().waitFor();
    expect(await page.getByText('No conversation chosen').count()).toBe(0);
    await page.context().close();
  });

  it('in zh-CN the step panel speaks Chinese in the bundled CJK font, and a long cipher-suite name wraps instead of being cut', async () => {
    const { page } = await appFor(corpus('zeek/tls/ecdhe.pcap'));
    // The bundled Noto Sans SC has joined the page's font stacks (a machine without CJK fonts shows characters).
    await expect.poll(() => page.locator('html').getAttribute('data-cjk-font')).toBe('ready');
    const fontLoaded = () => (globalThis as unknown as { document: { fonts: { check(font: string, text: string): boolean } } }).document.fonts.check("14px 'WireLadder CJK'", '方向');
    expect(await page.evaluate(fontLoaded)).toBe(true);
    await page.getByTestId('tab-ladder').click();
    await page.getByText('中文').first().waitFor({ state: 'attached' });
    await page.locator('select:has(option[value="zh-CN"])').selectOption('zh-CN');
    // The ServerHello step names its cipher suite, the longest word of the ladder.
    const step = page.getByTestId('ladder-step').filter({ hasText: 'ServerHello' }).first();
    await step.click();
    const panel = page.locator('.step-panel');
    await expect.poll(() => panel.textContent()).toContain('TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA');
    // The ladder is made again in the new language: wait for it rather than read the English one.
    await expect.poll(async () => (await panel.locator('dt').allTextContents()).slice(0, 3)).toEqual(['方向', '时间', '阶段']);
    await expect.poll(() => panel.textContent()).toContain('服务器选择');
    await expect.poll(() => panel.locator('h4').first().textContent()).toBe('批注');
    // Nothing in the panel runs past its edge, even narrowed to 200 px (a split dragged wide): the
    // suite's name, which has no spaces, wraps instead of being clipped.
    await panel.evaluate((el) => void ((el as unknown as { style: { width: string } }).style.width = '200px'));
    const clipped = await panel.evaluate((root) =>
      [root, ...root.querySelectorAll('*')].filter((el) => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0).map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(clipped).toEqual([]);
    await shot(page, 'habits-ladder-zh-step');
    await page.context().close();
  });
});
