// @vitest-environment happy-dom
// TLS record lanes and the statistics charts.

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClientContext } from '../../src/renderer/src/state/client-context';
import { ChartSizeContext, StatisticsView } from '../../src/renderer/src/views/StatisticsView';
import { TlsRecordsView } from '../../src/renderer/src/views/TlsRecordsView';
import { conversations, sessionId, statistics, tlsRecords } from '../fixtures/ui';
import { axisTime } from '../../src/renderer/src/state/format';
import { fakeClient } from './fake-client';
import { fakeLayout } from './setup';

beforeAll(() => fakeLayout(1200, 600));
afterEach(cleanup);

describe('TLS records', () => {
  it('puts each record in its direction’s lane, with messages and the segments that carried it', async () => {
    const client = fakeClient({ tlsRecords: () => tlsRecords });
    const goTo = vi.fn();
    render(
      <ClientContext.Provider value={client}>
        <TlsRecordsView session={sessionId} conversations={conversations} conversation={0} onConversation={vi.fn()} onGoToPacket={goTo} />
      </ClientContext.Provider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('tls-record')).toHaveLength(tlsRecords.records.length));
    const cards = screen.getAllByTestId('tls-record');
    expect(cards.filter((c) => c.dataset['dir'] === 'client')).toHaveLength(6);
    expect(cards.filter((c) => c.dataset['dir'] === 'server')).toHaveLength(7);
    expect(cards[0]!.textContent).toContain('ClientHello');
    expect(cards[0]!.textContent).toContain('plaintext');
    const appData = cards.find((c) => c.textContent?.includes('2070 bytes'))!;
    expect(appData.textContent).toContain('encrypted');
    fireEvent.click(screen.getByRole('button', { name: '#4 [0–126)' }));
    expect(goTo).toHaveBeenCalledWith(4);
  });
});

describe('statistics', () => {
  it('renders the six charts with data', () => {
    const { container } = render(
      <ChartSizeContext.Provider value={{ width: 480, height: 240 }}>
        <StatisticsView stats={statistics} error={null} loading={false} theme="light" onRefresh={vi.fn()} />
      </ChartSizeContext.Provider>,
    );
    const charts = screen.getAllByTestId('chart');
    expect(charts.map((c) => c.dataset['chart'])).toEqual([
      'Protocol hierarchy',
      'Packets and bytes over time',
      'Handshake latencies',
      'TLS versions',
      'Cipher suites',
      'Top talkers',
    ]);
    for (const c of charts) {
      expect(c.dataset['empty']).toBeUndefined();
      expect(c.querySelector('svg.recharts-surface')).not.toBeNull();
    }
    expect(container.querySelectorAll('.recharts-bar-rectangle').length).toBeGreaterThan(5);
    expect(container.querySelectorAll('.recharts-pie-sector').length).toBe(1);
  });

  it('chooses the time axis unit and decimals from the span', () => {
    expect(axisTime(0.00438)(0.0015)).toBe('1.5 ms');
    expect(axisTime(0.3)(0.12)).toBe('120 ms');
    expect(axisTime(0.03)(0.012)).toBe('12 ms');
    expect(axisTime(4)(1.25)).toBe('1.3 s');
    expect(axisTime(60)(12.5)).toBe('13 s');
    expect(axisTime(3600)(75)).toBe('1:15');
    expect(axisTime(0)(0)).toBe('0 ms');
  });

  it('says so when a capture has no TLS', () => {
    render(
      <ChartSizeContext.Provider value={{ width: 480, height: 240 }}>
        <StatisticsView stats={{ ...statistics, tlsVersions: [], cipherSuites: [] }} error={null} loading={false} theme="dark" onRefresh={vi.fn()} />
      </ChartSizeContext.Provider>,
    );
    expect(screen.getAllByText('No TLS in this capture')).toHaveLength(2);
  });
});
