// A real live capture on `lo` in Debian's Chromium against `wireladder serve`: the dialog's traffic
// sparkline, a refused and an accepted capture filter, rows arriving while a TLS client talks to a
// TLS server on 127.0.0.1 (the list following the newest row only while the user is at the bottom),
// Stop, the one TCP+TLS conversation (and its ladder once the engine draws ladders), and the
// downloaded pcapng read back by our own reader with the same packet count.

import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cli/serve/server';
import type { SessionInfo } from '../../src/shared/api';
import { selfSignedCertificate } from '../core/capture/helpers';
import { infoOf, launch, openApp, problemsOf, root, rpc, serve, shot } from './helpers';

const linux = process.platform === 'linux';
const ladderOptions = { showAcks: false, layout: 'time', theme: 'light', language: 'en', collapseAppData: 4 } as const;

let browser: Browser | null = null;
let server: RunningServer | null = null;
let tlsServer: tls.Server | null = null;
let noise: { socket: UdpSocket; timer: NodeJS.Timeout } | null = null;
const captureFiles: string[] = [];
const tempDirs: string[] = [];
/** What the capture test leaves for the ladder test: the page and the finished capture's conversation. */
let captured: { page: Page; session: string; conversation: number } | null = null;

beforeAll(async () => {
  if (!linux) return;
  browser = await launch();
  server = await serve(undefined);
});

afterAll(async () => {
  stopNoise();
  await captured?.page.context().close();
  await browser?.close();
  if (tlsServer !== null) await new Promise<void>((resolve) => tlsServer!.close(() => resolve()));
  await server?.close();
  for (const f of captureFiles) rmSync(f, { force: true });
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** A TLS echo server on 127.0.0.1 at a random free high port (the capture filter names it). */
async function startTlsServer(cert: string, key: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    const s = tls.createServer({ key, cert }, (socket) => {
      socket.on('data', (d) => socket.write(Buffer.concat([Buffer.from('echo: '), d])));
      socket.on('end', () => socket.end());
      socket.on('error', () => undefined);
    });
    const ok = await new Promise<boolean>((resolve) => {
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) {
      tlsServer = s;
      return port;
    }
  }
  throw new Error('no free port for the TLS server');
}

/** A TLS client that has completed its handshake; `say` sends a line and waits for its echo. */
async function tlsClient(port: number, cert: string): Promise<{ say(text: string): Promise<string>; close(): Promise<void> }> {
  const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: cert });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', () => resolve());
    socket.once('error', reject);
  });
  socket.setEncoding('utf8');
  return {
    say: (text) =>
      new Promise((resolve) => {
        let answer = '';
        const onData = (d: string): void => {
          answer += d;
          if (answer.length >= text.length + 6) {
            socket.off('data', onData);
            resolve(answer);
          }
        };
        socket.on('data', onData);
        socket.write(text);
      }),
    close: () =>
      new Promise((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
      }),
  };
}

/** Small UDP datagrams to 127.0.0.1 every 20 ms, so lo's sparkline has something to draw. */
function startNoise(): void {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  const timer = setInterval(() => socket.send(Buffer.from('wireladder sparkline'), 9, '127.0.0.1', () => undefined), 20);
  noise = { socket, timer };
}

function stopNoise(): void {
  if (noise === null) return;
  clearInterval(noise.timer);
  noise.socket.close();
  noise = null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const numberIn = async (l: Locator): Promise<number> => Number(((await l.textContent()) ?? '').replace(/[^\d]/g, ''));

/** The packet list's scroll position: at the bottom (following), or how far from the top. */
async function listScroll(page: Page): Promise<{ top: number; atBottom: boolean }> {
  return page.getByTestId('packet-list').evaluate((el) => ({ top: el.scrollTop, atBottom: el.scrollTop + el.clientHeight >= el.scrollHeight - 2 * 20 }));
}

async function lastRenderedRow(page: Page): Promise<number> {
  const numbers = await page.getByTestId('packet-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-packet'))));
  return Math.max(0, ...numbers);
}

describe.runIf(linux)('live capture on lo', () => {
  it('captures a TLS exchange live, follows it, stops, and downloads the same packets', async () => {
    const { key, cert } = selfSignedCertificate();
    const port = await startTlsServer(cert, key);
    const page = await openApp(browser!, server!);
    await page.getByTestId('no-capture').waitFor();

    // --- the dialog: lo with a sparkline that keeps updating ---
    startNoise();
    await page.getByTestId('capture-start').click();
    const lo = page.locator('[data-testid=iface][data-iface="lo"]');
    await lo.waitFor();
    const samples = async (): Promise<number> => Number((await lo.getByTestId('sparkline').getAttribute('data-samples')) ?? 0);
    await expect.poll(samples, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    const before = await samples();
    await expect.poll(samples, { timeout: 5_000 }).toBeGreaterThan(before);
    // The noise alone is 50 datagrams a second, counted sent and received.
    await expect.poll(async () => Number.parseInt((await lo.getByTestId('iface-rate').textContent()) ?? '0', 10), { timeout: 5_000 }).toBeGreaterThanOrEqual(50);
    await lo.locator('input[type=radio]').check();
    await shot(page, 'live-capture-dialog');

    // --- a filter libpcap refuses blocks Start with its message; a good one lets it through ---
    await page.getByTestId('capture-filter').fill('tcp port');
    await expect.poll(() => page.getByTestId('capture-filter-error').textContent(), { timeout: 10_000 }).toBe("capture filter 'tcp port' is invalid: syntax error");
    expect(await page.getByTestId('capture-go').isDisabled()).toBe(true);
    await shot(page, 'live-capture-bad-filter');
    await page.getByTestId('capture-filter').fill(`tcp port ${port}`);
    await expect.poll(() => page.getByTestId('capture-filter-error').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('capture-go').isEnabled(), { timeout: 10_000 }).toBe(true);
    await page.getByTestId('capture-go').click();
    await page.getByTestId('capture-dialog').waitFor({ state: 'detached', timeout: 15_000 });
    stopNoise();

    // --- capturing: Stop in the toolbar, statistics in the status bar ---
    await expect.poll(() => page.getByTestId('capture-state').textContent(), { timeout: 10_000 }).toBe('Capturing');
    await page.getByTestId('capture-stop').waitFor();
    const session = ((await rpc(server!, 'listSessions', {})) as SessionInfo[]).find((s) => s.live)!;
    expect(session).toBeDefined();
    captureFiles.push(join(tmpdir(), session.fileName));
    expect(session.fileName).toMatch(/^wireladder_lo_\d{14}_[0-9a-f]{8}\.pcapng$/);

    // The handshake's packets appear while the capture runs.
    const client = await tlsClient(port, cert);
    const packets = page.getByTestId('status-packets');
    await expect.poll(() => numberIn(packets), { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    await expect.poll(() => page.getByTestId('packet-row').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    const afterHandshake = await numberIn(packets);

    // Enough data to fill the list: it keeps the newest row in view while at the bottom.
    for (let i = 0; i < 40; i++) {
      expect(await client.say(`message ${i}`)).toBe(`echo: message ${i}`);
      await sleep(15);
    }
    await expect.poll(() => numberIn(packets), { timeout: 10_000 }).toBeGreaterThan(afterHandshake + 60);
    await expect.poll(async () => (await lastRenderedRow(page)) === (await numberIn(packets)), { timeout: 10_000 }).toBe(true);
    expect((await listScroll(page)).atBottom).toBe(true);
    // Both drop counts are known (libpcap's pcap_stats): "N dropped", not "… (kernel drops unknown)".
    expect(await page.getByTestId('capture-stats').textContent()).toMatch(/Capturing\d+:\d\d[\d,]+ received · [\d,]+ dropped · [\d.,]+ (B|KiB|MiB) written/);
    // Rows on screen arrive soon after the status bar counts them.
    await expect.poll(() => page.locator('.pl-pending').count(), { timeout: 3_000 }).toBe(0);
    await shot(page, 'live-capture-running');

    // Scrolled up, the list stays where the user put it while rows keep arriving.
    await page.getByTestId('packet-list').evaluate((el) => {
      el.scrollTop = 0;
    });
    await expect.poll(async () => (await listScroll(page)).top, { timeout: 5_000 }).toBe(0);
    const whileUp = await numberIn(packets);
    for (let i = 0; i < 10; i++) await client.say(`while scrolled up ${i}`);
    await expect.poll(() => numberIn(packets), { timeout: 10_000 }).toBeGreaterThan(whileUp + 10);
    await sleep(400);
    expect((await listScroll(page)).top).toBe(0);
    await shot(page, 'live-capture-scrolled-up');

    // Back at the bottom, it follows again.
    await page.getByTestId('packet-list').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await expect.poll(async () => (await listScroll(page)).atBottom, { timeout: 5_000 }).toBe(true);
    for (let i = 0; i < 10; i++) await client.say(`at the bottom again ${i}`);
    await expect.poll(async () => (await lastRenderedRow(page)) === (await numberIn(packets)), { timeout: 10_000 }).toBe(true);

    // The conversations tab refreshes while the capture runs.
    await page.getByTestId('tab-conversations').click();
    await expect.poll(() => page.getByTestId('conversation-row').count(), { timeout: 10_000 }).toBe(1);
    await shot(page, 'live-capture-conversations-running');
    await page.getByTestId('tab-packets').click();

    // --- Stop: the file is complete; Save (here: Download) is offered ---
    await client.close();
    await sleep(500); // the FIN exchange reaches the file
    await page.getByTestId('capture-stop').click();
    await expect.poll(() => page.getByTestId('capture-state').textContent(), { timeout: 15_000 }).toBe('Capture stopped');
    await page.getByTestId('capture-start').waitFor();
    await expect.poll(() => page.getByTestId('status-save').textContent(), { timeout: 5_000 }).toBe('Download pcapng');
    const finished = await rpc(server!, 'sessionInfo', { session: session.session });
    expect(finished).toMatchObject({ live: false, loading: false, unsavedCapture: true, error: null, stop: null });
    await expect.poll(() => numberIn(packets), { timeout: 5_000 }).toBe(finished.packets);
    await shot(page, 'live-capture-stopped');

    // --- one TCP conversation, complete handshake, TLS ---
    const { conversations } = await rpc(server!, 'conversations', { session: session.session });
    expect(conversations).toHaveLength(1);
    const conv = conversations[0]!;
    expect(conv).toMatchObject({ protocol: 'TCP', handshake: 'complete', server: { address: '127.0.0.1', port } });
    expect(conv.tls).not.toBeNull();
    await page.getByTestId('tab-conversations').click();
    await expect.poll(() => page.getByTestId('conversation-row').count(), { timeout: 10_000 }).toBe(1);
    const row = page.getByTestId('conversation-row').first();
    expect(await row.textContent()).toContain(`127.0.0.1:${port}`);
    expect(await row.textContent()).toContain(conv.tls!.version);
    await shot(page, 'live-capture-conversations');

    // --- Download pcapng: our reader reads the same packets back ---
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-button').click()]);
    expect(download.suggestedFilename()).toBe(session.fileName);
    const path = await download.path();
    expect(infoOf(path).packets).toBe(finished.packets);
    await expect.poll(() => page.getByTestId('status-save').count(), { timeout: 5_000 }).toBe(0);
    expect(problemsOf(page)).toEqual([]);
    captured = { page, session: session.session, conversation: conv.id };
  });

  it('shows the interfaces’ traffic in dark mode too, and closes on Escape', async () => {
    const page = await openApp(browser!, server!, { dark: true });
    await page.getByTestId('no-capture').waitFor();
    startNoise();
    try {
      await page.getByTestId('empty-capture').click();
      const lo = page.locator('[data-testid=iface][data-iface="lo"]');
      await expect.poll(async () => Number((await lo.getByTestId('sparkline').getAttribute('data-samples')) ?? 0), { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
      await shot(page, 'live-capture-dialog-dark');
      await page.keyboard.press('Escape');
      await page.getByTestId('capture-dialog').waitFor({ state: 'detached' });
      expect(problemsOf(page)).toEqual([]);
    } finally {
      stopNoise();
      await page.context().close();
    }
  });

  // As root, a real permission failure needs an unprivileged helper: the capture helper
  // (WIRELADDER_CAPTURE_HELPER) becomes a wrapper that runs the dedicated helper as nobody.
  it.runIf(process.getuid?.() === 0 && existsSync('/usr/bin/setpriv'))('shows the engine’s exact reason and fix when the device cannot be opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wireladder-e2e-nobody-'));
    tempDirs.push(dir);
    chmodSync(dir, 0o755);
    const wrapper = join(dir, 'helper-as-nobody');
    const helper = join(root, 'out', 'capture-helper', 'wireladder-capture');
    writeFileSync(wrapper, `#!/bin/sh\nexec /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups ${JSON.stringify(helper)} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const saved = process.env['WIRELADDER_CAPTURE_HELPER'];
    process.env['WIRELADDER_CAPTURE_HELPER'] = wrapper;
    let unprivileged: RunningServer;
    try {
      // The engine worker takes its environment when it starts.
      unprivileged = await serve(undefined);
    } finally {
      if (saved === undefined) delete process.env['WIRELADDER_CAPTURE_HELPER'];
      else process.env['WIRELADDER_CAPTURE_HELPER'] = saved;
    }
    const page = await openApp(browser!, unprivileged);
    try {
      const options = { interface: 'lo', filter: 'tcp port 1', snaplen: 262_144, promiscuous: true, stopAfterPackets: null, stopAfterSeconds: null, stopAfterBytes: null };
      const engineSays = await rpc(unprivileged, 'startCapture', { options }).then(
        () => null,
        (err: unknown) => (err as Error).message,
      );
      expect(engineSays).toMatch(/^no permission to capture on 'lo' .*\n.*sudo setcap cap_net_raw,cap_net_admin=eip /s);
      await page.getByTestId('empty-capture').click();
      await page.locator('[data-testid=iface][data-iface="lo"] input[type=radio]').check();
      await page.getByTestId('capture-filter').fill('tcp port 1');
      // The filter cannot be checked without the device: said, but it does not block Start.
      await expect.poll(() => page.getByTestId('capture-filter-unchecked').textContent(), { timeout: 10_000 }).toMatch(/^cannot check the filter: no permission/);
      await page.getByTestId('capture-go').click();
      await expect.poll(() => page.getByTestId('capture-error').textContent(), { timeout: 10_000 }).toBe(engineSays);
      await shot(page, 'live-capture-permission-error');
      expect(problemsOf(page)).toEqual([]);
    } finally {
      await page.context().close();
      await unprivileged.close();
    }
  });

  it('opens the ladder of the captured conversation', async () => {
    // The capture of the test above: its failure fails this one too.
    expect(captured).not.toBeNull();
    const { page, session, conversation } = captured!;
    const model = (await rpc(server!, 'ladder', { session, conversation, options: ladderOptions })).model;
    await page.getByTestId('tab-conversations').click();
    await page.getByTestId('conversation-row').first().dblclick();
    await expect.poll(() => page.getByTestId('ladder-step').count(), { timeout: 10_000 }).toBe(model.steps.length);
    await shot(page, 'live-capture-ladder');
    expect(problemsOf(page)).toEqual([]);
  });
});
