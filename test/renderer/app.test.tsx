// @vitest-environment happy-dom
// The whole window: empty, error and damaged-file states, live progress, filter errors, host commands.

import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App, LOAD_REFRESH_MS } from '../../src/renderer/src/App';
import type { HostInfo, SessionInfo } from '../../src/shared/api';
import { conversationPage, conversations, ladder, rows, sessionId, sessionInfo } from '../fixtures/ui';
import { fakeClient, type Handlers } from './fake-client';
import { fakeLayout } from './setup';

beforeAll(() => fakeLayout(1200, 600));
afterEach(cleanup);

const base: Handlers = {
  rows: ({ start, count }) => ({ start, rows: rows.slice(start, start + count), total: rows.length }),
  conversations: conversationPage(conversations),
  ladder: () => ladder,
};

function renderApp(info: SessionInfo, handlers: Handlers = {}, host: Partial<HostInfo> = {}) {
  const client = fakeClient({ sessionInfo: () => info, ...base, ...handlers }, { initialSession: info.session, ...host });
  render(<App client={client} />);
  return client;
}

describe('app window', () => {
  it('tells the browser user how to open a capture when none is open: a drop, or Open’s file picker', async () => {
    render(<App client={fakeClient({})} />);
    await waitFor(() => expect(screen.getByTestId('no-capture').textContent).toContain('Drop a file on this tab'));
    fireEvent.click(screen.getByTestId('empty-open'));
    const picker = document.querySelector<HTMLInputElement>('input[data-testid=upload-input]');
    expect(picker?.type).toBe('file');
    expect(picker?.accept).toContain('.pcapng');
  });

  it('shows why a file could not be opened', async () => {
    renderApp({ ...sessionInfo, packets: 0, displayed: 0, error: 'not a capture file: the first bytes are neither pcap nor pcapng magic' });
    await waitFor(() => expect(screen.getByTestId('open-error').textContent).toContain('not a capture file: the first bytes'));
  });

  it('keeps the packets of a damaged file and says where it stopped', async () => {
    renderApp({ ...sessionInfo, packets: 12345, displayed: 12345, stop: { offset: 1048576, reason: 'record length 4294967295 exceeds the snap length' } });
    await waitFor(() => expect(screen.getByTestId('damage-banner').textContent).toBe('File damaged at byte 1,048,576, 12,345 packets kept — record length 4294967295 exceeds the snap length'));
  });

  it('keeps the packets read when memory ran short and says so, in a banner and the status bar', async () => {
    const message = 'stopped at 12,345,678 packets (71 %): memory limit reached — the packets read are all available';
    renderApp({ ...sessionInfo, packets: 12_345_678, displayed: 12_345_678, progress: 0.716, memoryLimit: message });
    await waitFor(() => expect(screen.getByTestId('memory-limit-banner').textContent).toContain(`Reading ${message}.`));
    expect(screen.getByTestId('memory-limit').textContent).toBe('Memory limit: 72% of the file read');
    expect(screen.getByTestId('status-packets').textContent).toBe('Packets: 12,345,678');
  });

  it('says the engine stopped, stops claiming to load, and Reopen shows the capture again in the new session', async () => {
    const reopened: SessionInfo = { ...sessionInfo, session: 'again' };
    const reopenedFrom: string[] = [];
    const client = fakeClient(
      { sessionInfo: ({ session }) => (session === 'again' ? reopened : { ...sessionInfo, loading: true, progress: 0.15 }), ...base },
      { initialSession: sessionInfo.session },
      (session) => (reopenedFrom.push(session), reopened),
    );
    render(<App client={client} />);
    await waitFor(() => expect(screen.getByTestId('load-progress').textContent).toContain('15%'));
    act(() => client.emit('engine-stopped', { reason: 'its worker thread exited unexpectedly with code 1', sessions: ['someone-else'] }));
    expect(screen.queryByTestId('engine-stopped')).toBeNull();
    act(() => client.emit('engine-stopped', { reason: 'its worker thread exited unexpectedly with code 1', sessions: [sessionInfo.session] }));
    await waitFor(() => expect(screen.getByTestId('engine-stopped').textContent).toContain('The engine stopped: its worker thread exited unexpectedly with code 1.'));
    expect(screen.queryByTestId('load-progress')).toBeNull();
    expect(screen.getByTestId('status-engine-stopped').textContent).toBe('Engine stopped at 15% of the file');
    fireEvent.click(screen.getByTestId('engine-reopen'));
    await waitFor(() => expect(screen.queryByTestId('engine-stopped')).toBeNull());
    expect(reopenedFrom).toEqual([sessionInfo.session]);
    await waitFor(() => expect(client.calls.some((c) => c.method === 'sessionInfo' && (c.arg as { session: string }).session === 'again')).toBe(true));
  });

  it('shows load progress with a Cancel that calls cancelLoad, and follows session updates', async () => {
    const client = renderApp({ ...sessionInfo, loading: true, progress: 0.25, packets: 10, displayed: 10 }, { cancelLoad: () => undefined });
    await waitFor(() => expect(screen.getByTestId('load-progress').textContent).toContain('25%'));
    fireEvent.click(screen.getByTestId('cancel-load'));
    expect(client.calls.some((c) => c.method === 'cancelLoad')).toBe(true);
    act(() => client.emit('session-updated', { ...sessionInfo, loading: false, progress: 0.4, packets: 14, displayed: 14, cancelled: true }));
    await waitFor(() => expect(screen.queryByTestId('load-progress')).toBeNull());
    expect(screen.getByTestId('status-packets').textContent).toBe('Packets: 14');
    expect(screen.getByTestId('load-cancelled').textContent).toBe('Loading cancelled at 40% of the file: 14 packets shown');
  });

  it('says the analysis is finishing once the whole file is read, without a Cancel that could not cut it short', async () => {
    const client = renderApp({ ...sessionInfo, loading: true, progress: 0.996, packets: 10, displayed: 10 });
    // Not "100 %" before the last byte is read.
    await waitFor(() => expect(screen.getByTestId('load-progress').textContent).toContain('Loading 99%'));
    act(() => client.emit('session-updated', { ...sessionInfo, loading: true, progress: 1, packets: 14, displayed: 14 }));
    await waitFor(() => expect(screen.getByTestId('load-progress').textContent).toBe('Finishing analysis…'));
    expect(screen.queryByTestId('cancel-load')).toBeNull();
    act(() => client.emit('session-updated', { ...sessionInfo, loading: false, progress: 1, packets: 14, displayed: 14 }));
    await waitFor(() => expect(screen.queryByTestId('load-progress')).toBeNull());
  });

  it('counts Endpoints and Expert Info once while a file loads, and again when the load ends (not on every refresh)', async () => {
    let endpoints = 0;
    let expert = 0;
    const client = renderApp(
      { ...sessionInfo, loading: true, progress: 0.3 },
      {
        endpoints: () => (endpoints++, { ipv4: [], ipv6: [], tcp: [], udp: [] }),
        expertInfo: () => (expert++, { total: 0, severities: [] }),
      },
    );
    fireEvent.click(await screen.findByTestId('tab-endpoints'));
    await waitFor(() => expect(endpoints).toBe(1));
    fireEvent.click(screen.getByTestId('tab-expert'));
    await waitFor(() => expect(expert).toBe(1));
    // Longer than the load refresh: a loading file's views are not counted again meanwhile.
    await new Promise((r) => setTimeout(r, LOAD_REFRESH_MS + 400));
    expect([endpoints, expert]).toEqual([1, 1]);
    act(() => client.emit('session-updated', { ...sessionInfo, loading: false, progress: 1 }));
    await waitFor(() => expect([endpoints, expert]).toEqual([2, 2]));
  });

  it('shows the engine’s message when a display filter is refused', async () => {
    renderApp(sessionInfo, { setFilter: () => ({ ok: false, displayed: 34, error: 'display filters are not available yet' }) });
    await waitFor(() => expect(screen.getByTestId('filter-input')).toBeDefined());
    fireEvent.change(screen.getByTestId('filter-input'), { target: { value: 'tls' } });
    fireEvent.submit(screen.getByTestId('filter-input').closest('form')!);
    await waitFor(() => expect(screen.getByTestId('filter-error').textContent).toBe('display filters are not available yet'));
  });

  it('while a file loads, counts conversations from SessionInfo and fetches the table only when the load ends', async () => {
    const loading: SessionInfo = { ...sessionInfo, loading: true, progress: 0.4, conversations: 57_693 };
    const client = renderApp(loading);
    await waitFor(() => expect(screen.getByTestId('conversations-count').textContent).toBe('57,693'));
    fireEvent.click(screen.getByTestId('tab-conversations'));
    await waitFor(() => expect(screen.getByTestId('conversations-loading').textContent).toContain('57,693 so far; the table appears when the file has loaded.'));
    expect(client.calls.filter((c) => c.method === 'conversations')).toHaveLength(0);
    act(() => client.emit('session-updated', { ...sessionInfo, conversations: 2 }));
    await waitFor(() => expect(screen.getAllByTestId('conversation-row')).toHaveLength(2));
    expect(screen.getByTestId('conversations-count').textContent).toBe('2');
    // Once: the table's length, the other views' list, then the table's first page in its order.
    expect(client.calls.filter((c) => c.method === 'conversations').map((c) => c.arg)).toEqual([
      { session: sessionInfo.session, count: 0 },
      { session: sessionInfo.session },
      { session: sessionInfo.session, sort: { key: 'stream', descending: false }, offset: 0, count: 200 },
    ]);
  });

  it('opens a conversation’s ladder from the conversations tab', async () => {
    renderApp(sessionInfo);
    await waitFor(() => expect(screen.getByTestId('tab-conversations').textContent).toContain('2'));
    fireEvent.click(screen.getByTestId('tab-conversations'));
    await waitFor(() => expect(screen.getAllByTestId('conversation-row')).toHaveLength(2));
    fireEvent.doubleClick(screen.getAllByTestId('conversation-row')[0]!);
    await waitFor(() => expect(screen.getAllByTestId('ladder-step')).toHaveLength(ladder.model.steps.length));
    expect(screen.getByTestId('tab-ladder').getAttribute('aria-selected')).toBe('true');
  });

  it('switches to the session the host opened for this window (a file dropped on it)', async () => {
    const other: SessionInfo = { ...sessionInfo, session: 'other', fileName: 'dropped.pcapng' };
    const client = renderApp(
      sessionInfo,
      {
        sessionInfo: ({ session }) => (session === sessionId ? sessionInfo : other),
        closeSession: () => undefined,
      },
      // Host commands come from Electron's menus and drops.
      { transport: 'electron', nativeDialogs: true },
    );
    await waitFor(() => expect(screen.getByTestId('status-bar').textContent).toContain('tls12-rsa.pcap'));
    act(() => client.command({ type: 'show-session', session: 'other' }));
    await waitFor(() => expect(screen.getByTestId('status-bar').textContent).toContain('dropped.pcapng'));
    expect(client.calls.some((c) => c.method === 'closeSession')).toBe(true);
  });
});
