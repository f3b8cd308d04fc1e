// The statistics habits and getting packets in and out, end to end: Conversations, Statistics and
// Endpoints with "Limit to display filter" (figures from tshark -z), the I/O graph's series and
// interval, Follow from a context menu, Export Specified Packets of the displayed and the marked
// packets read back by our reader (and tshark where installed), and opening other captures in
// browser mode through the file picker and by dropping a file on the tab.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/core/io/capture-reader';
import { collector } from '../core/io/helpers';
import { browserSuite, corpus, openApp, problemsOf, shot, waitLoaded } from './helpers';

const hasTshark = spawnSync('tshark', ['--version']).status === 0;
const suite = browserSuite();

async function appFor(file: string | undefined): Promise<Page> {
  const server = await suite.serve(file);
  await waitLoaded(server);
  const page = await openApp(suite.browser(), server);
  if (file !== undefined) await page.getByTestId('packet-row').first().waitFor();
  return page;
}

const row = (page: Page, n: number) => page.locator(`[data-testid=packet-row][data-packet="${n}"]`);
const displayedCount = (page: Page) => page.getByTestId('status-displayed').textContent();
/** The tab shown (the others stay mounted, hidden). */
const panel = (page: Page) => page.getByRole('tabpanel');

async function applyFilter(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('filter-input');
  await input.fill(text);
  await input.press('Enter');
  await expect.poll(() => page.locator('.filter-box').getAttribute('data-applied')).toBe(text);
}

describe('statistics honour the display filter', () => {
  it('Conversations, Statistics and Endpoints with and without Limit to display filter', async () => {
    const page = await appFor(corpus('local/tls12-rsa.pcap'));
    await applyFilter(page, 'tcp.stream == 1 && tcp.len > 0');
    await expect.poll(() => displayedCount(page)).toBe('Displayed: 7 (20.6%)');

    // Conversations: both, until the limit keeps the one with displayed packets (7 of its 17).
    await page.getByTestId('tab-conversations').click();
    const conversations = page.getByTestId('conversation-row');
    await expect.poll(() => conversations.count()).toBe(2);
    await panel(page).getByTestId('limit-to-display').check();
    await expect.poll(() => conversations.count()).toBe(1);
    expect(await conversations.first().textContent()).toContain('60752');
    await shot(page, 'habits-conversations-limited');

    // Statistics: the protocol hierarchy counts 34 packets, 7 with the limit.
    await page.getByTestId('tab-statistics').click();
    const hierarchy = page.locator('[data-chart="Protocol hierarchy"]');
    await expect.poll(() => hierarchy.textContent()).toContain('34 packets');
    await panel(page).getByTestId('limit-to-display').check();
    await expect.poll(() => hierarchy.textContent()).toContain('7 packets');
    await shot(page, 'habits-statistics-limited');

    // Endpoints › TCP as tshark -z endpoints,tcp counts them: 8441 in 34 packets, each client in 17.
    await page.getByTestId('tab-endpoints').click();
    await page.getByTestId('endpoints-tcp').click();
    const endpoints = () => page.getByTestId('endpoint-row').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 3).map((c) => c.textContent)));
    await expect.poll(endpoints).toEqual([
      ['127.0.0.1', '8441', '34'],
      ['127.0.0.1', '60750', '17'],
      ['127.0.0.1', '60752', '17'],
    ]);
    await shot(page, 'habits-endpoints');
    // tshark -z endpoints,tcp,"tcp.stream==1 && tcp.len>0": 7 packets each side (equal bytes: by port).
    await panel(page).getByTestId('limit-to-display').check();
    await expect.poll(endpoints).toEqual([
      ['127.0.0.1', '8441', '7'],
      ['127.0.0.1', '60752', '7'],
    ]);
    // Sorting by Port (ascending, then descending); a double-click filters on the endpoint.
    await page.getByTestId('endpoints-sort-port').click();
    await page.getByTestId('endpoints-sort-port').click();
    await expect.poll(async () => (await endpoints()).map((r) => r[1])).toEqual(['60752', '8441']);
    await page.getByTestId('endpoint-row').last().dblclick();
    await expect.poll(() => page.locator('.filter-box').getAttribute('data-applied')).toBe('ip.addr == 127.0.0.1 && tcp.port == 8441');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('draws the I/O graph’s series and changes its interval', async () => {
    const page = await appFor(corpus('local/tls12-rsa.pcap'));
    await page.getByTestId('tab-io').click();
    const chart = page.locator('[data-chart="I/O graph"]');
    // All Packets and TCP Errors by default.
    await expect.poll(() => chart.locator('.recharts-line').count()).toBe(2);
    await page.getByTestId('io-interval').selectOption('0.001');
    await expect.poll(() => chart.getAttribute('data-interval')).toBe('0.001');
    // tshark -z io,stat,0.001: five intervals over the 4.4 ms.
    expect(await chart.getAttribute('data-points')).toBe('5');
    await page.getByTestId('io-series-add').click();
    await page.getByTestId('io-series-filter').nth(2).fill('tls');
    await page.getByTestId('io-series-unit').nth(2).selectOption('bytes');
    await page.getByTestId('io-apply').click();
    await expect.poll(() => chart.locator('.recharts-line').count()).toBe(3);
    await expect.poll(() => chart.locator('.recharts-legend-item').allTextContents()).toEqual(['All Packets', 'TCP Errors', 'Graph 3']);
    await shot(page, 'habits-io-graph');
    // A series whose filter does not compile says why and draws nothing.
    await page.getByTestId('io-series-filter').nth(2).fill('tls.nonsense');
    await page.getByTestId('io-apply').click();
    await expect.poll(() => page.locator('.io-series .field-error').textContent()).toContain('"tls.nonsense" is neither a field nor a protocol name');
    await expect.poll(() => chart.locator('.recharts-line').count()).toBe(2);
    await page.context().close();
  });
});

describe('statistics charts stay legible', () => {
  it('13 conversations’ latency labels do not print over one another; a cipher suite’s name is not clipped', async () => {
    const page = await appFor(corpus('zeek/http/methods.pcap'));
    // Streams 0–12 displayed, and Statistics limited to them: 13 conversations on the x axis.
    await applyFilter(page, 'tcp.stream <= 12');
    await page.getByTestId('tab-statistics').click();
    await panel(page).getByTestId('limit-to-display').check();
    const ticks = page.locator('[data-chart="Handshake latencies"] .recharts-xAxis-tick-labels text');
    await expect.poll(() => ticks.count()).toBe(13);
    const spans = (await ticks.evaluateAll((els) => els.map((el) => [el.getBoundingClientRect().left, el.getBoundingClientRect().right] as const))).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0], `label ${i} starts after label ${i - 1} ends`).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    await shot(page, 'habits-statistics-13-conversations');
    await page.context().close();

    const tls = await appFor(corpus('zeek/tls/ecdhe.pcap'));
    await tls.getByTestId('tab-statistics').click();
    const suites = tls.locator('[data-chart="Cipher suites"]');
    const label = suites.locator('.recharts-yAxis-tick-labels text').first();
    await expect.poll(() => label.textContent()).toContain('TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA');
    const [chartLeft, labelLeft] = await Promise.all([suites.locator('svg.recharts-surface').first().evaluate((el) => el.getBoundingClientRect().left), label.evaluate((el) => el.getBoundingClientRect().left)]);
    expect(labelLeft).toBeGreaterThanOrEqual(chartLeft);
    await tls.context().close();
  });
});

describe('Follow from a context menu', () => {
  it('applies tcp.stream eq N and opens the Follow stream view', async () => {
    const page = await appFor(corpus('local/http10.pcap'));
    await row(page, 4).click({ button: 'right' });
    await page.getByTestId('row-follow').hover();
    expect(await page.getByTestId('row-follow-tls').isDisabled()).toBe(true);
    await page.getByTestId('row-follow-tcp').click();
    await expect.poll(() => page.locator('.filter-box').getAttribute('data-applied')).toBe('tcp.stream eq 0');
    await expect.poll(() => page.getByTestId('tab-follow').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => panel(page).textContent()).toContain('GET /');
    await page.context().close();
  });
});

describe('Export Specified Packets', () => {
  it('writes the displayed packets, then the marked ones, with their comments', async () => {
    const page = await appFor(corpus('local/mtls12-annotated.pcapng'));
    await applyFilter(page, 'frame.number >= 5 && frame.number <= 8');
    await page.getByTestId('export-packets-button').click();
    const dialog = page.getByTestId('export-packets-dialog');
    await dialog.waitFor();
    // Wireshark's table: All packets is 17 captured, 4 displayed.
    await expect.poll(() => dialog.getByTestId('export-count-all-captured').textContent()).toBe('17');
    await expect.poll(() => dialog.getByTestId('export-count-all-displayed').textContent()).toBe('4');
    expect(await dialog.getByTestId('export-displayed').isChecked()).toBe(true);
    await shot(page, 'habits-export-dialog');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-packets-save').click()]);
    expect(download.suggestedFilename()).toMatch(/\.pcapng$/);
    const path = (await download.path())!;
    const back = collector();
    await readCaptureFile(path, back);
    const original = collector();
    await readCaptureFile(corpus('local/mtls12-annotated.pcapng'), original);
    expect(back.packets.map((p) => Buffer.from(p.data).toString('hex'))).toEqual(original.packets.slice(4, 8).map((p) => Buffer.from(p.data).toString('hex')));
    // Frames 6 and 8 carry the capture's comments.
    expect(back.packets.map((p) => p.comments?.length ?? 0)).toEqual([0, 1, 0, 1]);
    if (hasTshark) {
      const t = spawnSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.len', '-e', 'frame.comment'], { encoding: 'utf8' });
      const lines = t.stdout.trim().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[1]!.split('\t')[1]).not.toBe('');
      expect(lines[3]!.split('\t')[1]).not.toBe('');
    }

    // Mark frames 5 and 7 (Ctrl+M), export the marked ones among the captured.
    await row(page, 5).click();
    await page.keyboard.press('Control+m');
    await row(page, 7).click();
    await page.keyboard.press('Control+m');
    await expect.poll(() => page.locator('[data-testid=packet-row].ws-marked').count()).toBe(2);
    await page.getByTestId('export-packets-button').click();
    await dialog.getByTestId('export-scope-marked').check();
    await dialog.getByTestId('export-captured').check();
    await expect.poll(() => dialog.getByTestId('export-count-marked-captured').textContent()).toBe('2');
    await expect.poll(() => dialog.getByTestId('export-packets-save').textContent()).toBe('Export 2 packets');
    const [marked] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-packets-save').click()]);
    const markedBack = collector();
    await readCaptureFile((await marked.path())!, markedBack);
    expect(markedBack.packets.map((p) => Buffer.from(p.data).toString('hex'))).toEqual([4, 6].map((i) => Buffer.from(original.packets[i]!.data).toString('hex')));
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });
});

describe('opening another capture in browser mode', () => {
  it('through the file picker, and by dropping a file on the tab', async () => {
    const page = await appFor(undefined);
    await page.getByTestId('no-capture').waitFor();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-button').click();
    await (await chooser).setFiles(corpus('local/tls12-rsa.pcap'));
    await expect.poll(() => page.getByTestId('status-packets').textContent()).toBe('Packets: 34');
    expect(await page.getByTestId('status-bar').textContent()).toContain('tls12-rsa.pcap');

    // Drop http10.pcap (two plain HTTP conversations) on the window.
    const bytes = readFileSync(corpus('local/http10.pcap')).toString('base64');
    // (Built in the page, as a string: the tests are compiled without the DOM's types.)
    const transfer = await page.evaluateHandle(`(() => {
      const data = Uint8Array.from(atob('${bytes}'), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], 'http10.pcap', { type: 'application/vnd.tcpdump.pcap' }));
      return dt;
    })()`);
    await page.dispatchEvent('body', 'dragenter', { dataTransfer: transfer });
    await page.getByTestId('drop-overlay').waitFor();
    await shot(page, 'habits-drop-overlay');
    await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
    await page.getByTestId('drop-overlay').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('status-packets').textContent()).toBe('Packets: 24');
    expect(await page.getByTestId('status-bar').textContent()).toContain('http10.pcap');

    // Plain HTTP: no TLS link on its conversations.
    await page.getByTestId('tab-conversations').click();
    await expect.poll(() => page.getByTestId('conversation-row').count()).toBe(2);
    expect(await page.getByTestId('open-tls').count()).toBe(0);
    expect(await page.getByTestId('open-ladder').count()).toBe(2);
    await shot(page, 'habits-conversations-no-tls');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('says so when the file is not a capture, and keeps the one open', async () => {
    const page = await appFor(corpus('local/tls12-rsa.pcap'));
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-button').click();
    await (await chooser).setFiles({ name: 'notes.pcap', mimeType: 'application/octet-stream', buffer: Buffer.from('These are notes, not a capture.\n') });
    await expect.poll(() => page.getByText('notes.pcap could not be opened: ').count()).toBe(1);
    expect(await page.getByText('notes.pcap could not be opened: ').textContent()).toContain('not a capture file');
    expect(await page.getByTestId('status-packets').textContent()).toBe('Packets: 34');
    expect(await page.getByTestId('status-bar').textContent()).toContain('tls12-rsa.pcap');
    await shot(page, 'habits-upload-not-a-capture');
    await page.context().close();
  });
});
