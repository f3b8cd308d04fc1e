// @vitest-environment happy-dom
// Conversations (sorting, opening the ladder) and the ladder view (steps, explanation, annotations).

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClientContext } from '../../src/renderer/src/state/client-context';
import { ConversationsView, ROW_HEIGHT } from '../../src/renderer/src/views/ConversationsView';
import { LadderView, type LadderPrefs } from '../../src/renderer/src/views/LadderView';
import type { ConversationDto } from '../../src/shared/api';
import { conversationPage, conversations, ladder, ladderModel, sessionId, sessionInfo } from '../fixtures/ui';
import { fakeClient } from './fake-client';
import { fakeLayout } from './setup';

beforeAll(() => fakeLayout(1200, 600));
afterEach(cleanup);

describe('conversations table', () => {
  /** `n` conversations like the fixture's first, conversation i being stream i. */
  const many = (n: number): ConversationDto[] => Array.from({ length: n }, (_, i) => ({ ...conversations[0]!, id: i, stream: i }));

  function renderTable(list: ConversationDto[] = conversations, opts: { selected?: number | null; onOpenLadder?: () => void; onSelect?: (id: number) => void } = {}) {
    const page = conversationPage(list);
    const client = fakeClient({ conversations: page, conversationIndexOf: (arg) => page({ sort: arg.sort, count: Infinity }).conversations.findIndex((c) => c.id === arg.conversation) });
    const onSelect = vi.fn(opts.onSelect);
    const onOpenLadder = vi.fn(opts.onOpenLadder);
    // The app's answer: the table's length, and the same object until the table changes.
    const answer = page({ count: 0 });
    const table = (selected: number | null) => (
      <ClientContext.Provider value={client}>
        <ConversationsView session={sessionId} list={answer} error={null} loading={false} selected={selected} onSelect={onSelect} onOpenLadder={onOpenLadder} onOpenTls={vi.fn()} />
      </ClientContext.Provider>
    );
    const view = render(table(opts.selected ?? null));
    return { client, onSelect, onOpenLadder, rerender: (selected: number | null) => view.rerender(table(selected)) };
  }
  const order = (): string[] => screen.getAllByTestId('conversation-row').map((r) => r.dataset['conversation']!);
  const asked = (client: ReturnType<typeof fakeClient>) => client.calls.filter((c) => c.method === 'conversations').map((c) => c.arg as { offset: number; count: number; sort: unknown });

  it('lists conversations with endpoints, TLS and verdict badges', async () => {
    renderTable();
    await waitFor(() => expect(screen.getAllByTestId('conversation-row')).toHaveLength(2));
    const rows = screen.getAllByTestId('conversation-row');
    expect(rows[0]!.textContent).toContain('127.0.0.1:60750');
    expect(rows[0]!.textContent).toContain('TLS 1.2');
    expect(screen.getAllByTestId('verdict-badge').map((b) => b.textContent)).toEqual(['complete', 'complete']);
  });

  it('renders only the rows on screen of a large table and fetches them a page at a time, with no truncation notice', async () => {
    const { client } = renderTable(many(607_143));
    await waitFor(() => expect(screen.getAllByTestId('conversation-row').length).toBeGreaterThan(10));
    expect(screen.getAllByTestId('conversation-row').length).toBeLessThan(100);
    expect(screen.getByTestId('conversations-table').getAttribute('aria-rowcount')).toBe('607143');
    expect(asked(client)).toEqual([{ session: sessionId, sort: { key: 'stream', descending: false }, offset: 0, count: 200 }]);
    expect(screen.queryByTestId('conversations-truncated')).toBeNull();
  });

  it('reaches the last conversation of a large table: End fetches its page and selects it', async () => {
    const { client, onSelect } = renderTable(many(607_143));
    await waitFor(() => expect(screen.getAllByTestId('conversation-row').length).toBeGreaterThan(10));
    fireEvent.keyDown(screen.getByTestId('conversations-table'), { key: 'End' });
    await waitFor(() => expect(onSelect).toHaveBeenLastCalledWith(607_142));
    expect(asked(client).at(-1)).toMatchObject({ offset: 607_000, count: 200 });
    // happy-dom does not scroll by itself: play the scroll the browser would do.
    const table = screen.getByTestId('conversations-table');
    // (Rows happy-dom measured have its fake height: scroll well past the end.)
    table.scrollTop = 607_143 * ROW_HEIGHT * 10;
    fireEvent.scroll(table);
    await waitFor(() => expect(order()).toContain('607142'));
    expect(asked(client).every((a) => a.offset === 0 || a.offset >= 606_800)).toBe(true);
  });

  it('sorts by a column in the engine and reverses on a second click', async () => {
    const { client } = renderTable();
    await waitFor(() => expect(order()).toEqual(['0', '1']));
    fireEvent.click(screen.getByTestId('sort-bytes'));
    expect(screen.getByTestId('sort-bytes').getAttribute('aria-sort')).toBe('ascending');
    await waitFor(() => expect(asked(client).at(-1)?.sort).toEqual({ key: 'bytes', descending: false }));
    fireEvent.click(screen.getByTestId('sort-bytes'));
    expect(screen.getByTestId('sort-bytes').getAttribute('aria-sort')).toBe('descending');
    await waitFor(() => expect(asked(client).at(-1)?.sort).toEqual({ key: 'bytes', descending: true }));
    // The rows come in the engine's order (the fake reverses a descending one).
    await waitFor(() => expect(order()).toEqual(['1', '0']));
  });

  it('moves the selection with ↑/↓ and opens the ladder on double-click and on Enter', async () => {
    const { onSelect, onOpenLadder, rerender } = renderTable(conversations, { selected: 1 });
    await waitFor(() => expect(order()).toEqual(['0', '1']));
    fireEvent.doubleClick(screen.getAllByTestId('conversation-row')[0]!);
    expect(onOpenLadder).toHaveBeenLastCalledWith(0);
    fireEvent.keyDown(screen.getByTestId('conversations-table'), { key: 'Enter' });
    expect(onOpenLadder).toHaveBeenLastCalledWith(1);
    // The engine placed conversation 1 on row 1: ↑ selects row 0.
    await waitFor(() => {
      fireEvent.keyDown(screen.getByTestId('conversations-table'), { key: 'ArrowUp' });
      expect(onSelect).toHaveBeenLastCalledWith(0);
    });
    rerender(0);
    fireEvent.keyDown(screen.getByTestId('conversations-table'), { key: 'ArrowDown' });
    expect(onSelect).toHaveBeenLastCalledWith(1);
  });

  it('finds a conversation selected elsewhere through the engine, and moves on from its row', async () => {
    const { client, onSelect } = renderTable(many(100_000), { selected: 73_210 });
    await waitFor(() => expect(client.calls.find((c) => c.method === 'conversationIndexOf')?.arg).toEqual({ session: sessionId, conversation: 73_210, sort: { key: 'stream', descending: false } }));
    // The engine's row for it is the cursor: ↓ selects the next row in the table's order, fetched for it.
    const table = screen.getByTestId('conversations-table');
    await waitFor(() => expect(table.dataset['cursor']).toBe('73210'));
    fireEvent.keyDown(table, { key: 'ArrowDown' });
    await waitFor(() => expect(onSelect).toHaveBeenLastCalledWith(73_211));
    expect(asked(client).at(-1)).toMatchObject({ offset: 73_200, count: 200 });
  });
});

describe('ladder view', () => {
  const prefs: LadderPrefs = { layout: 'time', showAcks: false, language: 'en', collapseAppData: 4 };

  function renderLadder(annotate = vi.fn(async () => sessionInfo)) {
    const client = fakeClient({ ladder: () => ladder, annotate });
    const goTo = vi.fn();
    const marks = vi.fn();
    render(
      <ClientContext.Provider value={client}>
        <LadderView session={sessionId} conversation={0} theme="light" prefs={prefs} onPrefs={vi.fn()} onGoToPacket={goTo} onMarkPackets={marks} />
      </ClientContext.Provider>,
    );
    return { client, goTo, marks, annotate };
  }

  it('draws one ladder-step per model step, with lifeline headers, RTT brackets and state tags', async () => {
    const { client } = renderLadder();
    await waitFor(() => expect(screen.getAllByTestId('ladder-step')).toHaveLength(ladderModel.steps.length));
    expect(client.calls[0]).toEqual({ method: 'ladder', arg: { session: sessionId, conversation: 0, options: { ...prefs, theme: 'light' } } });
    const svg = screen.getByTestId('ladder-svg');
    expect(svg.textContent).toContain('127.0.0.1:60750');
    expect(svg.textContent).toContain('127.0.0.1:8441');
    expect(svg.textContent).toContain('SYN_SENT');
    expect(screen.getAllByTestId('rtt-bracket')).toHaveLength(2);
    expect(screen.getAllByTestId('ladder-step').map((s) => s.dataset['step'])).toEqual(ladderModel.steps.map((s) => String(s.index)));
    expect(screen.getAllByTestId('ladder-annotation')).toHaveLength(1);
  });

  it('explains the selected step and marks its packets on hover', async () => {
    const { marks, goTo } = renderLadder();
    await waitFor(() => expect(screen.getAllByTestId('ladder-step').length).toBeGreaterThan(0));
    const fifth = screen.getAllByTestId('ladder-step')[4]!;
    fireEvent.mouseEnter(fifth);
    await waitFor(() => expect(marks).toHaveBeenLastCalledWith([5, 6]));
    fireEvent.click(fifth);
    expect(screen.getByTestId('explanation-title').textContent).toBe('ServerHello, Certificate, ServerHelloDone');
    expect(screen.getByTestId('explanation-text').textContent).toContain('RSA key transport');
    fireEvent.click(screen.getByRole('button', { name: '#6' }));
    expect(goTo).toHaveBeenCalledWith(6);
  });

  it('adds an annotation to a step packet through annotate()', async () => {
    const { annotate, client } = renderLadder();
    await waitFor(() => expect(screen.getAllByTestId('ladder-step').length).toBeGreaterThan(0));
    fireEvent.click(screen.getAllByTestId('ladder-step')[0]!);
    fireEvent.click(screen.getByTestId('annotation-add'));
    fireEvent.change(screen.getByTestId('annotation-input'), { target: { value: 'Client picks a random ISN' } });
    fireEvent.click(screen.getByTestId('annotation-save'));
    await waitFor(() => expect(annotate).toHaveBeenCalledWith({ session: sessionId, packet: 1, comment: 'Client picks a random ISN' }));
    // The ladder is fetched again to show the note.
    await waitFor(() => expect(client.calls.filter((c) => c.method === 'ladder')).toHaveLength(2));
  });

  it('a pasted note longer than the contract allows is cut to MAX_NOTE_LENGTH, and the editor says so', async () => {
    const { annotate } = renderLadder();
    await waitFor(() => expect(screen.getAllByTestId('ladder-step').length).toBeGreaterThan(0));
    fireEvent.click(screen.getAllByTestId('ladder-step')[0]!);
    fireEvent.click(screen.getByTestId('annotation-add'));
    const input = screen.getByTestId('annotation-input') as HTMLTextAreaElement;
    expect(input.maxLength).toBe(10_000);
    // 1.1 MB: more than the WebSocket takes in one message.
    fireEvent.change(input, { target: { value: 'y'.repeat(1_100_000) } });
    expect(screen.getByTestId('annotation-limit').textContent).toContain('10,000 of 10,000 characters');
    fireEvent.click(screen.getByTestId('annotation-save'));
    await waitFor(() => expect(annotate).toHaveBeenCalledTimes(1));
    expect((annotate.mock.calls as unknown as [{ comment: string }][])[0]![0].comment).toHaveLength(10_000);
  });

  it('shows the engine’s error when the ladder cannot be made', async () => {
    const client = fakeClient({ ladder: () => Promise.reject(new Error('conversation 7 has no packets')) });
    render(
      <ClientContext.Provider value={client}>
        <LadderView session={sessionId} conversation={7} theme="dark" prefs={prefs} onPrefs={vi.fn()} onGoToPacket={vi.fn()} onMarkPackets={vi.fn()} />
      </ClientContext.Provider>,
    );
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('conversation 7 has no packets'));
  });
});

describe('ladder keyboard', () => {
  it('moves the selected step with the arrow keys', async () => {
    const client = fakeClient({ ladder: () => ladder });
    render(
      <ClientContext.Provider value={client}>
        <LadderView
          session={sessionId}
          conversation={0}
          theme="light"
          prefs={{ layout: 'even', showAcks: false, language: 'en', collapseAppData: 4 }}
          onPrefs={vi.fn()}
          onGoToPacket={vi.fn()}
          onMarkPackets={vi.fn()}
        />
      </ClientContext.Provider>,
    );
    await waitFor(() => expect(screen.getAllByTestId('ladder-step').length).toBeGreaterThan(0));
    const diagram = screen.getByLabelText('Ladder steps: arrow keys move between steps');
    fireEvent.keyDown(diagram, { key: 'ArrowDown' });
    expect(screen.getByTestId('explanation-title').textContent).toBe('SYN seq=0');
    fireEvent.keyDown(diagram, { key: 'ArrowDown' });
    fireEvent.keyDown(diagram, { key: 'ArrowDown' });
    fireEvent.keyDown(diagram, { key: 'ArrowUp' });
    expect(screen.getByTestId('explanation-title').textContent).toBe('SYN, ACK seq=0 ack=1');
  });
});
