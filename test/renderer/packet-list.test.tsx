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
import { MAX_CANVAS_PX } from '../../src/renderer/src/state/scaled-list';

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

  it('past the browser’s layout limit (17 million rows) scrolls a scaled canvas: End, the scrollbar and the wheel reach every row', async () => {
    const TOTAL = 17_000_000;
    const big = (i: number): PacketRow => ({ ...rows[i % rows.length]!, number: i + 1 });
    const client = fakeClient({
      rows: ({ start, count }) => ({ start, rows: Array.from({ length: Math.max(0, Math.min(count, TOTAL - start)) }, (_, k) => big(start + k)), total: TOTAL }),
    });
    render(<Harness client={client} total={TOTAL} />);
    await waitFor(() => expect(screen.getAllByTestId('packet-row').length).toBeGreaterThan(10));
    const canvas = document.querySelector<HTMLElement>('.pl-canvas')!;
    // 17M × 20 px would be 340M px; Chromium lays out at most 33.5M.
    expect(parseFloat(canvas.style.height)).toBe(MAX_CANVAS_PX);
    const shown = (): number[] => screen.getAllByTestId('packet-row').map((r) => Number(r.dataset['packet']));
    const list = screen.getByTestId('packet-list');
    list.focus();
    fireEvent.keyDown(list, { key: 'End' });
    await waitFor(() => expect(shown()).toContain(TOTAL));
    // The last row is drawn inside the canvas, at the bottom of the viewport (400 px, 20 rows).
    expect(Math.max(...shown())).toBe(TOTAL);
    expect(shown()).toHaveLength(20);
    const lastRow = screen.getAllByTestId('packet-row').find((r) => r.dataset['packet'] === String(TOTAL))!;
    const y = Number(/translateY\(([\d.]+)px\)/.exec(lastRow.style.transform)![1]);
    expect(y + 20).toBeLessThanOrEqual(MAX_CANVAS_PX + 0.01);
    // Dragging the scrollbar to the middle shows the middle of the list.
    list.scrollTop = (MAX_CANVAS_PX - 400) / 2;
    fireEvent.scroll(list);
    await waitFor(() => expect(Math.abs(Math.min(...shown()) - TOTAL / 2)).toBeLessThan(20));
    // One wheel notch (100 px) moves five rows, not the 5,300 rows 100 canvas pixels stand for.
    const before = Math.min(...shown());
    fireEvent.wheel(list, { deltaY: 100 });
    await waitFor(() => expect(Math.min(...shown())).toBe(before + 5));
    // Home and Go-to of a row far away bring it into view.
    fireEvent.keyDown(list, { key: 'Home' });
    await waitFor(() => expect(Math.min(...shown())).toBe(1));
  });
});

