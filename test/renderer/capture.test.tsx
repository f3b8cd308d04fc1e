// @vitest-environment happy-dom
// Live capture in the window: the dialog's traffic sparklines (from fake counters), filter checks and
// the engine's own words when a capture cannot start; Start/Stop, the status bar while capturing,
// and Save As once a capture has ended.

import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { CaptureDialog } from '../../src/renderer/src/components/CaptureDialog';
import { ClientContext } from '../../src/renderer/src/state/client-context';
import { rateText, TrafficHistory } from '../../src/renderer/src/state/traffic-history';
import type { CaptureStatsDto, InterfaceDto, SessionInfo } from '../../src/shared/api';
import { conversationPage, conversations, rows, sessionInfo } from '../fixtures/ui';
import { fakeClient, type FakeClient, type Handlers } from './fake-client';
import { fakeLayout } from './setup';

beforeAll(() => fakeLayout(1200, 600));
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const interfaces: InterfaceDto[] = [
  { name: 'eth0', description: '', addresses: ['192.0.2.10'], loopback: false, up: true },
  { name: 'lo', description: '', addresses: ['127.0.0.1', '::1'], loopback: true, up: true },
  { name: 'any', description: 'Pseudo-device that captures on all interfaces', addresses: [], loopback: false, up: true },
];

/** lo carries 50 packets between polls, eth0 none; 'any' has no kernel counters (as on Linux). */
function countingHandlers(): Handlers & { polls: () => number } {
  let polls = 0;
  return {
    listInterfaces: () => interfaces,
    interfaceCounters: () => {
      polls++;
      return [
        { name: 'eth0', packets: 1000, bytes: 90_000 },
        { name: 'lo', packets: 5000 + 50 * polls, bytes: 400_000 + 5000 * polls },
      ];
    },
    checkCaptureFilter: () => ({ error: null }),
    polls: () => polls,
  };
}

function renderDialog(handlers: Handlers, props: Partial<Parameters<typeof CaptureDialog>[0]> = {}): { client: FakeClient; started: SessionInfo[] } {
  const client = fakeClient(handlers);
  const started: SessionInfo[] = [];
  render(
    <ClientContext.Provider value={client}>
      <CaptureDialog onStarted={(i) => started.push(i)} onClose={() => undefined} {...props} />
    </ClientContext.Provider>,
  );
  return { client, started };
}

const iface = (name: string): HTMLElement => screen.getAllByTestId('iface').find((e) => e.dataset['iface'] === name)!;

describe('traffic history', () => {
  it('turns cumulative counters into packets per second, newest last, ignoring a counter reset', () => {
    let h = new TrafficHistory(3);
    h = h.add([{ name: 'lo', packets: 100, bytes: 0 }], 0);
    expect(h.current('lo')).toBeNull();
    h = h.add([{ name: 'lo', packets: 150, bytes: 0 }], 500);
    h = h.add([{ name: 'lo', packets: 150, bytes: 0 }], 1000);
    h = h.add([{ name: 'lo', packets: 10, bytes: 0 }], 1500); // re-created interface
    h = h.add([{ name: 'lo', packets: 30, bytes: 0 }], 2000);
    expect(h.ratesOf('lo')).toEqual([0, 0, 40]);
    expect(h.current('lo')).toBe(40);
    expect(h.has('eth0')).toBe(false);
    expect([rateText(0), rateText(37.4), rateText(1240), rateText(12_400), rateText(2_500_000)]).toEqual(['0 pkt/s', '37 pkt/s', '1.2k pkt/s', '12k pkt/s', '2.5M pkt/s']);
  });
});

describe('capture dialog', () => {
  it('draws a sparkline per interface from counters polled twice a second, with the current rate', async () => {
    const handlers = countingHandlers();
    renderDialog(handlers);
    await waitFor(() => expect(screen.getAllByTestId('iface')).toHaveLength(3));
    // Three polls make two rates: the line exists and keeps growing while the dialog is open.
    await waitFor(() => expect(Number(iface('lo').querySelector('[data-testid=sparkline]')?.getAttribute('data-samples'))).toBeGreaterThanOrEqual(2), { timeout: 3000 });
    const rate = iface('lo').querySelector('[data-testid=iface-rate]')!.textContent!;
    // 50 packets per ~500 ms poll.
    expect(rate).toMatch(/^\d+ pkt\/s$/);
    expect(Number.parseInt(rate, 10)).toBeGreaterThan(40);
    expect(Number.parseInt(rate, 10)).toBeLessThan(250);
    expect(iface('lo').querySelector('polyline')).not.toBeNull();
    expect(iface('eth0').querySelector('[data-testid=iface-rate]')!.textContent).toBe('0 pkt/s');
    // libpcap's 'any' has no counters of its own: no sparkline rather than a flat zero.
    expect(iface('any').querySelector('[data-testid=sparkline]')).toBeNull();
    const polls = handlers.polls();
    await new Promise((r) => setTimeout(r, 1100));
    expect(handlers.polls() - polls).toBeGreaterThanOrEqual(2);
    expect(handlers.polls() - polls).toBeLessThanOrEqual(3);
  });

  it('shows no sparklines (and stops asking) where the engine has no counters', async () => {
    let polls = 0;
    renderDialog({ ...countingHandlers(), interfaceCounters: () => (polls++, []) });
    await waitFor(() => expect(screen.getAllByTestId('iface')).toHaveLength(3));
    await new Promise((r) => setTimeout(r, 700));
    expect(screen.queryAllByTestId('sparkline')).toHaveLength(0);
    expect(screen.queryAllByTestId('iface-rate')).toHaveLength(0);
    expect(polls).toBe(1);
    expect(screen.getByTestId('capture-dialog').textContent).not.toMatch(/pkt\/s/);
  });

  it('blocks Start with the engine’s message while the capture filter is invalid', async () => {
    const message = "capture filter 'tcp port' is invalid: syntax error";
    const { client } = renderDialog({ ...countingHandlers(), checkCaptureFilter: ({ filter }) => ({ error: filter === 'tcp port' ? message : null }) });
    await waitFor(() => expect((screen.getByTestId('capture-go') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.change(screen.getByTestId('capture-filter'), { target: { value: 'tcp port' } });
    await waitFor(() => expect(screen.getByTestId('capture-filter-error').textContent).toBe(message));
    expect((screen.getByTestId('capture-go') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.submit(screen.getByTestId('capture-dialog'));
    expect(client.calls.some((c) => c.method === 'startCapture')).toBe(false);
    fireEvent.change(screen.getByTestId('capture-filter'), { target: { value: 'tcp port 443' } });
    await waitFor(() => expect(screen.queryByTestId('capture-filter-error')).toBeNull());
    expect((screen.getByTestId('capture-go') as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows the engine’s exact reason and fix when the device cannot be opened', async () => {
    const message = [
      "no permission to capture on 'eth0' (eth0: You don't have permission to perform this capture on that device (socket: Operation not permitted))",
      'Grant the program that runs the capture helper the two capabilities packet capture needs (no root needed):',
      '  sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/node',
    ].join('\n');
    const { started } = renderDialog({
      ...countingHandlers(),
      startCapture: () => {
        const err = new Error(message);
        err.name = 'CaptureError';
        throw err;
      },
    });
    await waitFor(() => expect((screen.getByTestId('capture-go') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('capture-go'));
    await waitFor(() => expect(screen.getByTestId('capture-error').textContent).toBe(message));
    expect(screen.getByTestId('capture-error').getAttribute('role')).toBe('alert');
    expect(started).toEqual([]);
  });

  it('lets a filter that could not be checked (device not openable) through: starting explains', async () => {
    const unchecked = "cannot check the filter: no permission to capture on 'eth0'";
    renderDialog({ ...countingHandlers(), checkCaptureFilter: () => ({ error: unchecked }) });
    fireEvent.change(await screen.findByTestId('capture-filter'), { target: { value: 'tcp port 443' } });
    await waitFor(() => expect(screen.getByTestId('capture-filter-unchecked').textContent).toBe(unchecked));
    expect(screen.queryByTestId('capture-filter-error')).toBeNull();
    expect((screen.getByTestId('capture-go') as HTMLButtonElement).disabled).toBe(false);
  });

  it('starts on the chosen interface with the trimmed filter', async () => {
    const { client, started } = renderDialog({ ...countingHandlers(), startCapture: () => liveInfo });
    await waitFor(() => expect(screen.getAllByTestId('iface')).toHaveLength(3));
    fireEvent.click(iface('lo').querySelector('input')!);
    fireEvent.change(screen.getByTestId('capture-filter'), { target: { value: ' tcp port 47123 ' } });
    await waitFor(() => expect(client.calls.some((c) => c.method === 'checkCaptureFilter')).toBe(true));
    fireEvent.click(screen.getByTestId('capture-go'));
    await waitFor(() => expect(started).toHaveLength(1));
    expect(client.calls.find((c) => c.method === 'startCapture')!.arg).toMatchObject({ options: { interface: 'lo', filter: 'tcp port 47123' } });
  });
});

// ---- the whole window ----

const liveInfo: SessionInfo = {
  ...sessionInfo,
  session: 'live-1',
  fileName: 'wireladder_lo_20260101120000_abcd1234.pcapng',
  format: 'live',
  live: true,
  loading: true,
  unsavedCapture: true,
  packets: 0,
  displayed: 0,
  durationSeconds: 0,
};
const stats = (received: number, seconds: number): CaptureStatsDto => ({
  received,
  droppedByKernel: null,
  droppedByInterface: 0,
  written: received,
  bytesWritten: 1000 + received * 100,
  seconds,
});

function renderWindow(handlers: Handlers = {}, initial: SessionInfo | null = sessionInfo): FakeClient {
  let current = liveInfo;
  const client = fakeClient(
    {
      ...countingHandlers(),
      sessionInfo: ({ session }) => (session === liveInfo.session ? current : sessionInfo),
      rows: ({ start, count }) => ({ start, rows: rows.slice(start, start + count), total: rows.length }),
      conversations: conversationPage(conversations),
      closeSession: () => undefined,
      startCapture: () => current,
      stopCapture: () => (current = { ...current, live: false, loading: false, format: 'pcapng', packets: 34, displayed: 34 }),
      ...handlers,
    },
    { initialSession: initial?.session ?? null },
  );
  render(<App client={client} />);
  return client;
}

async function startFromToolbar(): Promise<void> {
  fireEvent.click(await screen.findByTestId('capture-start'));
  await waitFor(() => expect((screen.getByTestId('capture-go') as HTMLButtonElement).disabled).toBe(false));
  fireEvent.click(screen.getByTestId('capture-go'));
  await waitFor(() => expect(screen.getByTestId('status-bar').textContent).toContain(liveInfo.fileName));
}

describe('live capture in the window', () => {
  it('turns Capture into Stop while capturing, shows the statistics, and offers Save As after Stop', async () => {
    const saved: string[] = [];
    const client = renderWindow();
    client.saveCaptureDialog = async (session) => (saved.push(session), { path: '/tmp/x.pcapng', packets: 34, annotations: 0 });
    await waitFor(() => expect(screen.getByTestId('status-bar').textContent).toContain('tls12-rsa.pcap'));
    await startFromToolbar();
    // Browser mode keeps the file the server was started with open (a reload shows it again).
    expect(client.calls.some((c) => c.method === 'closeSession')).toBe(false);
    act(() => client.emit('capture-stats', { session: liveInfo.session, stats: stats(120, 12.4), running: true, error: null }));
    await waitFor(() => expect(screen.getByTestId('capture-state').textContent).toBe('Capturing'));
    expect(screen.getByTestId('capture-elapsed').textContent).toBe('0:12');
    expect(screen.getByTestId('capture-stats').textContent).toContain('120 received · 0 dropped by the interface (kernel drops unknown) · 12.7 KiB written');
    expect(screen.getByTestId('capture-stop').querySelector('.stop-square')).not.toBeNull();
    expect(screen.queryByTestId('capture-start')).toBeNull();
    expect((screen.getByTestId('save-button') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByTestId('status-save')).toBeNull();

    fireEvent.click(screen.getByTestId('capture-stop'));
    await waitFor(() => expect(client.calls.some((c) => c.method === 'stopCapture')).toBe(true));
    act(() => client.emit('capture-stats', { session: liveInfo.session, stats: stats(130, 13), running: false, error: null }));
    await waitFor(() => expect(screen.getByTestId('capture-state').textContent).toBe('Capture stopped'));
    expect(screen.getByTestId('capture-start')).toBeDefined();
    expect(screen.getByTestId('status-save').textContent).toBe('Download pcapng');
    expect((screen.getByTestId('save-button') as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(screen.getByTestId('status-save'));
    await waitFor(() => expect(saved).toEqual([liveInfo.session]));
    act(() => client.emit('session-updated', { ...liveInfo, live: false, loading: false, unsavedCapture: false }));
    await waitFor(() => expect(screen.queryByTestId('status-save')).toBeNull());
  });

  it('keeps refreshing a live capture’s conversations while it runs (a file’s wait for its load to end)', async () => {
    const client = renderWindow();
    await waitFor(() => expect(screen.getByTestId('status-bar').textContent).toContain('tls12-rsa.pcap'));
    await startFromToolbar();
    const asked = (): number => client.calls.filter((c) => c.method === 'conversations' && (c.arg as { session: string }).session === liveInfo.session).length;
    await waitFor(() => expect(asked()).toBeGreaterThanOrEqual(1));
    const first = asked();
    // Every LIVE_REFRESH_MS (1 s) while capturing.
    await waitFor(() => expect(asked()).toBeGreaterThanOrEqual(first + 2), { timeout: 5000 });
  });

  it('runs the menu’s Capture › Start… and Stop commands', async () => {
    const client = renderWindow();
    await waitFor(() => expect(screen.getByTestId('status-bar').textContent).toContain('tls12-rsa.pcap'));
    act(() => client.command({ type: 'start-capture' }));
    await waitFor(() => expect((screen.getByTestId('capture-go') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('capture-go'));
    await waitFor(() => expect(screen.getByTestId('capture-stop')).toBeDefined(), { timeout: 5000 });
    // A second Start while this window captures is refused with a word, not a second dialog.
    act(() => client.command({ type: 'start-capture' }));
    await waitFor(() => expect(screen.getByText(/stop it before starting another/)).toBeDefined());
    expect(screen.queryByTestId('capture-dialog')).toBeNull();
    act(() => client.command({ type: 'stop-capture' }));
    await waitFor(() => expect(client.calls.filter((c) => c.method === 'stopCapture')).toHaveLength(1));
  });

  it('starts from the empty window too', async () => {
    renderWindow({}, null);
    fireEvent.click(await screen.findByTestId('empty-capture'));
    await waitFor(() => expect((screen.getByTestId('capture-go') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('capture-go'));
    await waitFor(() => expect(screen.getByTestId('status-bar').textContent).toContain(liveInfo.fileName));
  });

  it('asks before a new capture replaces an unsaved one, and keeps it when the answer is no', async () => {
    const finished: SessionInfo = { ...liveInfo, session: 'live-0', live: false, loading: false, format: 'pcapng', packets: 34, displayed: 34 };
    const confirm = vi.fn(() => false);
    const original = window.confirm;
    window.confirm = confirm;
    onTestFinished(() => {
      window.confirm = original;
    });
    const client = renderWindow({ sessionInfo: () => finished }, finished);
    await waitFor(() => expect(screen.getByTestId('status-save')).toBeDefined());
    fireEvent.click(screen.getByTestId('capture-start'));
    await waitFor(() => expect((screen.getByTestId('capture-go') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('capture-go'));
    expect(confirm).toHaveBeenCalledWith(`The capture ${finished.fileName} has not been saved. Start a new capture anyway?`);
    expect(client.calls.some((c) => c.method === 'startCapture')).toBe(false);
    expect(screen.getByTestId('capture-dialog')).toBeDefined();
  });

  it('shows the capture in a new window when the host says so (Electron, a file shown here)', async () => {
    const client = renderWindow();
    client.showCapture = async () => 'new-window';
    await waitFor(() => expect(screen.getByTestId('status-bar').textContent).toContain('tls12-rsa.pcap'));
    fireEvent.click(screen.getByTestId('capture-start'));
    await waitFor(() => expect((screen.getByTestId('capture-go') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('capture-go'));
    await waitFor(() => expect(screen.queryByTestId('capture-dialog')).toBeNull());
    expect(screen.getByTestId('status-bar').textContent).toContain('tls12-rsa.pcap');
  });
});
