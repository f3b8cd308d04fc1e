// Context menus, columns and the filter box end to end: each menu action produces exactly the text
// Wireshark would (Apply/Prepare as Filter combinations, Conversation Filter, Copy), Apply as Column
// adds a custom column that survives a reload, headers sort numerically in the engine (ties in
// frame order), resize and reorder; time display formats; the filter box checks as you type,
// completes names from the engine's catalogue, keeps recent filters and saved buttons.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cli/serve/server';
import { browserSuite, corpus, openApp, problemsOf, shot, waitLoaded } from './helpers';

const suite = browserSuite();

async function appFor(file: string): Promise<{ server: RunningServer; page: Page }> {
  const server = await suite.serve(file);
  await waitLoaded(server);
  const page = await openApp(suite.browser(), server);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('status-bar').getByText(/Packets:/).waitFor();
  await page.getByTestId('packet-row').first().waitFor();
  return { server, page };
}

const row = (page: Page, n: number) => page.locator(`[data-testid=packet-row][data-packet="${n}"]`);
const filterText = (page: Page) => page.getByTestId('filter-input').inputValue();
const displayed = (page: Page) => page.getByTestId('status-bar').textContent();
const clipboard = (page: Page) => page.evaluate<string>('navigator.clipboard.readText()');

/** Right-click `target`, then walk the menu by test ids (submenus open on hover). */
async function menu(page: Page, target: ReturnType<Page['locator']>, ...path: string[]): Promise<void> {
  await target.click({ button: 'right' });
  for (const [i, id] of path.entries()) {
    const item = page.getByTestId(id);
    await item.waitFor();
    if (i < path.length - 1) await item.hover();
    else await item.click();
  }
}

describe('context menus produce Wireshark’s filter texts', () => {
  it('packet rows: Apply as Filter on a cell, Conversation Filter, Copy', async () => {
    const { page } = await appFor(corpus('local/tls12-rsa.pcap'));
    // The Source cell of frame 4: ip.src == 127.0.0.1.
    await menu(page, row(page, 4).locator('[data-column=source]'), 'row-apply', 'row-apply-selected');
    await expect.poll(() => filterText(page)).toBe('ip.src == 127.0.0.1');
    await expect.poll(() => displayed(page)).toContain('Displayed: 34');
    // …and not Selected on the Length cell of frame 4 (192 bytes).
    await menu(page, row(page, 4).locator('[data-column=length]'), 'row-apply', 'row-apply-and-not-selected');
    await expect.poll(() => filterText(page)).toBe('(ip.src == 127.0.0.1) && !(frame.len == 192)');
    await expect.poll(() => displayed(page)).toContain('Displayed: 33');
    // The Protocol column has no filter (Wireshark greys the items out).
    await row(page, 6).locator('[data-column=protocol]').click({ button: 'right' });
    expect(await page.getByTestId('row-apply').isDisabled()).toBe(true);
    await shot(page, 'habits-row-menu');
    await page.keyboard.press('Escape');

    // Conversation Filter › TCP for frame 4 (60750 → 8441), which the last filter hid.
    await page.getByTestId('filter-input').fill('');
    await page.getByTestId('filter-input').press('Enter');
    await expect.poll(() => page.getByTestId('status-displayed').textContent()).toBe('Displayed: 34');
    await menu(page, row(page, 4).locator('[data-column=info]'), 'row-conversation', 'row-conversation-tcp');
    await expect.poll(() => filterText(page)).toBe('(ip.addr eq 127.0.0.1 and ip.addr eq 127.0.0.1) and (tcp.port eq 60750 and tcp.port eq 8441)');
    await expect.poll(() => displayed(page)).toContain('Displayed: 17');

    // Copy › As Filter (the cell's) and Copy › …as a Hex Stream (the frame's bytes).
    await menu(page, row(page, 4).locator('[data-column=number]'), 'row-copy', 'row-copy-filter');
    await expect.poll(() => clipboard(page)).toBe('frame.number == 4');
    await menu(page, row(page, 1).locator('[data-column=number]'), 'row-copy', 'row-copy-hex');
    await expect.poll(() => clipboard(page)).toMatch(/^00000000000000000000000008004500003c[0-9a-f]+$/);
    expect((await clipboard(page)).length).toBe(74 * 2);
    await menu(page, row(page, 1).locator('[data-column=number]'), 'row-copy', 'row-copy-summary');
    await expect.poll(() => clipboard(page)).toMatch(/^1\t0\.000000\t127\.0\.0\.1\t127\.0\.0\.1\tTCP\t74\t60750 → 8441 \[SYN\]/);
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('tree items: Prepare, Apply with and/or, Copy value / name / as filter / escaped bytes, Apply as Column', async () => {
    const { page } = await appFor(corpus('local/tls12-rsa.pcap'));
    await row(page, 4).click();
    const port = page.locator('[data-field="tcp.srcport"]');
    await port.waitFor();
    // Prepare as Filter: the text goes into the box, nothing is applied.
    await menu(page, port, 'tree-prepare', 'tree-prepare-selected');
    await expect.poll(() => filterText(page)).toBe('tcp.srcport == 60750');
    expect(await displayed(page)).toContain('Displayed: 34');
    // Apply as Filter › …or Selected with the prepared text applied first.
    await page.getByTestId('filter-input').press('Enter');
    await expect.poll(() => displayed(page)).toContain('Displayed: 9');
    await row(page, 4).click();
    await menu(page, page.locator('[data-field="tcp.dstport"]'), 'tree-apply', 'tree-apply-or-selected');
    await expect.poll(() => filterText(page)).toBe('(tcp.srcport == 60750) || (tcp.dstport == 8441)');
    // tshark -Y counts 18: the client's packets plus those of the second connection to 8441.
    await expect.poll(() => displayed(page)).toContain('Displayed: 18');
    await row(page, 4).click();
    // A hex field is written in hex, as Wireshark's filter does.
    await menu(page, page.locator('[data-field="tcp.flags"]'), 'tree-copy', 'tree-copy-filter');
    await expect.poll(() => clipboard(page)).toBe('tcp.flags == 0x0018');
    await menu(page, page.locator('[data-field="tcp.flags"]'), 'tree-copy', 'tree-copy-value');
    await expect.poll(() => clipboard(page)).toBe('0x0018');
    await menu(page, page.locator('[data-field="tcp.flags"]'), 'tree-copy', 'tree-copy-name');
    await expect.poll(() => clipboard(page)).toBe('tcp.flags');
    await menu(page, page.locator('[data-field="tcp.srcport"]'), 'tree-copy', 'tree-copy-escaped');
    await expect.poll(() => clipboard(page)).toBe('"\\xed\\x4e"\n');
    await page.locator('[data-field="tcp.srcport"]').click({ button: 'right' });
    await page.getByTestId('tree-apply').hover();
    await shot(page, 'habits-tree-menu');
    await page.keyboard.press('Escape');

    // Apply as Column: a "Source Port" column, kept after a reload.
    await menu(page, page.locator('[data-field="tcp.srcport"]'), 'tree-apply-column');
    const header = page.locator('[data-testid=column-header][data-column="field:tcp.srcport"]');
    await header.waitFor();
    expect(await header.textContent()).toBe('Source Port');
    // A number: right-aligned as Wireshark aligns numeric custom columns.
    expect(await header.getAttribute('class')).toContain(' num');
    await expect.poll(() => row(page, 4).locator('[data-column="field:tcp.srcport"]').textContent()).toBe('60750');
    await page.reload();
    await page.getByTestId('packet-row').first().waitFor();
    await expect.poll(() => row(page, 1).locator('[data-column="field:tcp.srcport"]').textContent()).toBe('60750');
    expect(await filterText(page)).toBe('(tcp.srcport == 60750) || (tcp.dstport == 8441)');
    await shot(page, 'habits-custom-column');
    await page.context().close();
  });
});

describe('Open Ladder of This Conversation', () => {
  it('opens the ladder of the right-clicked row’s conversation, from a row and from a tree item', async () => {
    const { page } = await appFor(corpus('local/tls12-rsa.pcap'));
    // tshark: frame 21 is stream 1 (client port 60752), frame 4 stream 0 (client port 60750).
    await menu(page, row(page, 21).locator('[data-column=info]'), 'row-ladder');
    await expect.poll(() => page.getByTestId('tab-ladder').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('ladder-step').first().waitFor();
    await expect.poll(() => page.locator('.ladder-view').textContent()).toContain(':60752');
    expect(await page.locator('.ladder-view').textContent()).not.toContain(':60750');
    await shot(page, 'habits-row-open-ladder');
    await page.getByTestId('tab-packets').click();
    await row(page, 4).click();
    await menu(page, page.locator('[data-field="tcp.srcport"]'), 'tree-ladder');
    await expect.poll(() => page.locator('.ladder-view').textContent()).toContain(':60750');
    await page.context().close();
  });
});

describe('columns', () => {
  it('sorts in the engine by Length (numeric, ties in frame order), descending, then back; by a custom column too', async () => {
    const { page } = await appFor(corpus('local/tls12-rsa.pcap'));
    const lengths = async () => page.locator('[data-testid=packet-row]').evaluateAll((rows) => rows.map((r) => [Number(r.getAttribute('data-packet')), Number(r.querySelector('.pl-length')!.textContent)]));
    const head = page.locator('[data-testid=column-header][data-column=length]');
    await head.click();
    await expect.poll(() => head.getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(async () => (await lengths())[0]![1]).toBe(66);
    const up = await lengths();
    for (let i = 1; i < up.length; i++) expect(up[i - 1]![1] < up[i]![1] || (up[i - 1]![1] === up[i]![1] && up[i - 1]![0] < up[i]![0])).toBe(true);
    await shot(page, 'habits-sorted-length');
    await head.click();
    await expect.poll(() => head.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(async () => (await lengths())[0]).toEqual([11, 2141]);
    await head.click();
    await expect.poll(() => head.getAttribute('aria-sort')).toBe('none');
    await expect.poll(async () => (await lengths())[0]![0]).toBe(1);
    // Go to packet still finds a row in a sorted list.
    await head.click();
    await page.keyboard.press('Control+g');
    await page.getByTestId('goto-input').fill('21');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid=packet-row][aria-selected=true]').getAttribute('data-packet')).toBe('21');
    // A custom column sorts numerically too: Source Port descending puts 60752 first, 8441 last.
    await menu(page, page.locator('[data-field="tcp.srcport"]'), 'tree-apply-column');
    const portHead = page.locator('[data-testid=column-header][data-column="field:tcp.srcport"]');
    // Two quick clicks: ascending, then descending (the second goes on from the first's request).
    await portHead.click();
    await portHead.click();
    await expect.poll(() => portHead.getAttribute('aria-sort')).toBe('descending');
    const ports = () => page.locator('[data-testid=packet-row] [data-column="field:tcp.srcport"]').allTextContents();
    await expect.poll(async () => (await ports())[0]).toBe('60752');
    const shown = (await ports()).map(Number);
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
    await page.context().close();
  });

  it('resizes and reorders columns by dragging, and keeps both after a reload', async () => {
    const { page } = await appFor(corpus('local/tls12-rsa.pcap'));
    const source = page.locator('[data-testid=column-header][data-column=source]');
    const before = (await source.boundingBox())!.width;
    const handle = source.getByTestId('column-resize');
    const hb = (await handle.boundingBox())!;
    await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await page.mouse.down();
    await page.mouse.move(hb.x + hb.width / 2 + 80, hb.y + hb.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => Math.round((await source.boundingBox())!.width - before)).toBe(80);
    // Drag Protocol onto Source: Protocol comes first.
    await page.locator('[data-testid=column-header][data-column=protocol]').dragTo(source);
    const order = () => page.getByTestId('column-header').evaluateAll((h) => h.map((x) => x.getAttribute('data-column')));
    await expect.poll(order).toEqual(['number', 'time', 'protocol', 'source', 'destination', 'length', 'info']);
    await page.reload();
    await page.getByTestId('packet-row').first().waitFor();
    await expect.poll(order).toEqual(['number', 'time', 'protocol', 'source', 'destination', 'length', 'info']);
    expect(Math.round((await page.locator('[data-testid=column-header][data-column=source]').boundingBox())!.width - before)).toBe(80);
    await page.context().close();
  });

  it('shows time in Wireshark’s display formats and precisions', async () => {
    const { page } = await appFor(corpus('local/tls12-rsa.pcap'));
    const time = () => row(page, 4).locator('.pl-time').textContent();
    expect(await time()).toBe('0.001456');
    const head = page.locator('[data-testid=column-header][data-column=time]');
    await menu(page, head, 'header-time-format', 'header-time-utc-date-time');
    // Frame 4 arrived at 1795391114.298599 (tshark: Nov 22, 2026 23:45:14.298599000 UTC).
    await expect.poll(time).toBe('2026-11-22 23:45:14.298599');
    await menu(page, head, 'header-time-format', 'header-time-epoch');
    await expect.poll(time).toBe('1795391114.298599');
    await menu(page, head, 'header-time-format', 'header-precision-3');
    await expect.poll(time).toBe('1795391114.298');
    await menu(page, head, 'header-time-format', 'header-time-delta');
    await expect.poll(time).toBe('0.001');
    await menu(page, head, 'header-time-format', 'header-precision-auto');
    await expect.poll(time).toBe('0.001424');
    await head.click({ button: 'right' });
    await page.getByTestId('header-time-format').hover();
    await shot(page, 'habits-header-menu');
    await page.keyboard.press('Escape');
    await page.context().close();
  });
});

describe('display filter box', () => {
  it('turns red or green as you type, completes field names, keeps recent filters and saved buttons', async () => {
    const { page } = await appFor(corpus('local/tls12-rsa.pcap'));
    const input = page.getByTestId('filter-input');
    const state = () => page.locator('.filter-box').getAttribute('data-state');
    await input.pressSequentially('tcp.prot');
    await expect.poll(state).toBe('invalid');
    await expect.poll(() => page.getByTestId('filter-error').textContent()).toContain('"tcp.prot" is neither a field nor a protocol name');
    await input.pressSequentially('\b\b\b\b');
    await input.fill('');
    await input.pressSequentially('tls.handshake.ty');
    const completions = page.getByTestId('filter-completions');
    await completions.waitFor();
    expect(await completions.textContent()).toContain('tls.handshake.type');
    await shot(page, 'habits-filter-autocomplete');
    await input.press('Tab');
    await expect.poll(() => input.inputValue()).toBe('tls.handshake.type');
    await input.pressSequentially(' == 1');
    await expect.poll(state).toBe('valid');
    await input.press('Enter');
    await expect.poll(() => displayed(page)).toContain('Displayed: 2');
    await input.fill('tcp.port == 443');
    await input.press('Enter');
    await expect.poll(() => displayed(page)).toContain('Displayed: 0');
    // A filter that warns (a protocol WireLadder does not decode) is yellow.
    await input.fill('dns');
    await expect.poll(state).toBe('warning');
    await page.getByTestId('recent-filters').click();
    const recent = page.getByTestId('recent-menu');
    await expect.poll(() => recent.locator('button').allTextContents()).toEqual(['tcp.port == 443', 'tls.handshake.type == 1']);
    await recent.getByText('tls.handshake.type == 1').click();
    await expect.poll(() => displayed(page)).toContain('Displayed: 2');
    // A saved filter button.
    await page.getByTestId('filter-button-add').click();
    await page.getByTestId('filter-button-label').fill('Alerts');
    await page.getByTestId('filter-button-filter').fill('tls.record.content_type == 21');
    await page.getByTestId('filter-button-save').click();
    await page.getByTestId('filter-button').filter({ hasText: 'Alerts' }).click();
    await expect.poll(() => filterText(page)).toBe('tls.record.content_type == 21');
    await expect.poll(() => displayed(page)).toContain('Displayed: 4');
    await shot(page, 'habits-filter-buttons');
    await page.reload();
    await page.getByTestId('filter-button').filter({ hasText: 'Alerts' }).waitFor();
    await page.context().close();
  });
});
