// @vitest-environment happy-dom
// The packet list: rows with test ids and colours, keyboard selection, and fetching only what is on screen.

import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PacketRow } from '../../src/shared/api';
import { PacketList, type ListSelection } from '../../src/renderer/src/components/PacketList';
import { ClientContext } from '../../src/renderer/src/state/client-context';
import { rows, sessionId } from '../fixtures/ui';
import { fakeClient, type FakeClient } from './fake-client';
import { fakeLayout } from './setup';

beforeAll(() => fakeLayout(1200, 400));
afterEach(cleanup);

function Harness({ client, total, onSelect }: { client: FakeClient; total: number; onSelect?: (s: ListSelection) => void }) {
  const [sel, setSel] = useState<ListSelection | null>(null);
  return (
    <ClientContext.Provider value={client}>
      <PacketList
        session={sessionId}
        total={total}
        generation={0}
        selection={sel}
        onSelect={(s) => {
          setSel(s);
          onSelect?.(s);
        }}
        follow={false}
      />
    </ClientContext.Provider>
  );
}

const fixtureClient = (): FakeClient =>
  fakeClient({ rows: ({ start, count }) => ({ start, rows: rows.slice(start, start + count), total: rows.length }) });

describe('packet list', () => {
  it('renders rows with their test ids, frame numbers and colour classes', async () => {
    render(<Harness client={fixtureClient()} total={rows.length} />);
    await waitFor(() => expect(screen.getAllByTestId('packet-row').length).toBe(rows.length));
    const first = screen.getAllByTestId('packet-row')[0]!;
    expect(first.dataset['packet']).toBe('1');
    expect(first.className).toContain('c-syn');
    expect(first.textContent).toContain('127.0.0.1');
    const hello = screen.getAllByTestId('packet-row').find((r) => r.dataset['packet'] === '4')!;
    expect(hello.className).toContain('c-tls-handshake');
    expect(hello.textContent).toContain('Client Hello');
  });

  it('moves the selection with the arrow keys, Page Down, Home and End', async () => {
    const seen: ListSelection[] = [];
    render(<Harness client={fixtureClient()} total={rows.length} onSelect={(s) => seen.push(s)} />);
    await waitFor(() => expect(screen.getAllByTestId('packet-row').length).toBeGreaterThan(0));
    const list = screen.getByTestId('packet-list');
    list.focus();
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(seen.at(-1)).toEqual({ index: 0, packet: 1 });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(seen.at(-1)).toEqual({ index: 2, packet: 3 });
    fireEvent.keyDown(list, { key: 'ArrowUp' });
    expect(seen.at(-1)?.index).toBe(1);
    fireEvent.keyDown(list, { key: 'End' });
    expect(seen.at(-1)).toEqual({ index: 33, packet: 34 });
    fireEvent.keyDown(list, { key: 'Home' });
    expect(seen.at(-1)).toEqual({ index: 0, packet: 1 });
    fireEvent.keyDown(list, { key: 'PageDown' });
    expect(seen.at(-1)!.index).toBeGreaterThan(5);
    await waitFor(() => expect(screen.getAllByTestId('packet-row').find((r) => r.getAttribute('aria-selected') === 'true')).toBeDefined());
  });

  it('asks only for the rows on screen, in pages, even with a million rows', async () => {
    const asked: { start: number; count: number }[] = [];
    const big = (i: number): PacketRow => ({ ...rows[i % rows.length]!, number: i + 1 });
    const client = fakeClient({
      rows: ({ start, count }) => {
        asked.push({ start, count });
        return { start, rows: Array.from({ length: Math.min(count, 1_000_000 - start) }, (_, k) => big(start + k)), total: 1_000_000 };
      },
    });
    render(<Harness client={client} total={1_000_000} />);
    await waitFor(() => expect(screen.getAllByTestId('packet-row').length).toBeGreaterThan(10));
    expect(asked.length).toBeLessThanOrEqual(2);
    for (const a of asked) expect(a.count).toBeLessThanOrEqual(200);
    const list = screen.getByTestId('packet-list');
    list.focus();
    fireEvent.keyDown(list, { key: 'End' });
    // happy-dom does not scroll by itself: play the scroll the browser would do.
    list.scrollTop = 1_000_000 * 20 - 400;
    fireEvent.scroll(list);
    await waitFor(() => expect(screen.getAllByTestId('packet-row').some((r) => r.dataset['packet'] === '1000000')).toBe(true));
    expect(asked.every((a) => a.start === 0 || a.start >= 999_000)).toBe(true);
    await act(async () => undefined);
  });
});
