// @vitest-environment happy-dom
// Conversations (sorting, opening the ladder) and the ladder view (steps, explanation, annotations).

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClientContext } from '../../src/renderer/src/state/client-context';
import { ConversationsView } from '../../src/renderer/src/views/ConversationsView';
import { LadderView, type LadderPrefs } from '../../src/renderer/src/views/LadderView';
import { conversations, ladder, ladderModel, sessionId, sessionInfo } from '../fixtures/ui';
import { fakeClient } from './fake-client';
import { fakeLayout } from './setup';

beforeAll(() => fakeLayout(1200, 600));
afterEach(cleanup);

describe('conversations table', () => {
  const renderTable = (onOpenLadder = vi.fn(), onSelect = vi.fn(), selected: number | null = null) =>
    render(<ConversationsView conversations={conversations} error={null} loading={false} selected={selected} onSelect={onSelect} onOpenLadder={onOpenLadder} onOpenTls={vi.fn()} />);

  it('lists conversations with endpoints, TLS and verdict badges', () => {
    renderTable();
    const rows = screen.getAllByTestId('conversation-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('127.0.0.1:60750');
    expect(rows[0]!.textContent).toContain('TLS 1.2');
    expect(screen.getAllByTestId('verdict-badge').map((b) => b.textContent)).toEqual(['complete', 'complete']);
  });

  it('says when the engine sent only the first conversations, and how to reach the others', () => {
    render(<ConversationsView conversations={conversations} total={980_770} error={null} loading={false} selected={null} onSelect={vi.fn()} onOpenLadder={vi.fn()} onOpenTls={vi.fn()} />);
    expect(screen.getByTestId('conversations-truncated').textContent).toBe(
      'Showing the first 2 of 980,770 conversations (sorting applies to these). Apply a display filter and tick “Limit to display filter” to see others.',
    );
    expect(screen.getAllByTestId('conversation-row')).toHaveLength(2);
  });

  it('shows no notice when every conversation is there', () => {
    render(<ConversationsView conversations={conversations} total={2} error={null} loading={false} selected={null} onSelect={vi.fn()} onOpenLadder={vi.fn()} onOpenTls={vi.fn()} />);
    expect(screen.queryByTestId('conversations-truncated')).toBeNull();
  });

  it('sorts by a column and reverses on a second click', () => {
    renderTable();
    const order = (): string[] => screen.getAllByTestId('conversation-row').map((r) => r.dataset['conversation']!);
    expect(order()).toEqual(['0', '1']);
    fireEvent.click(screen.getByTestId('sort-bytes'));
    expect(order()).toEqual(['1', '0']);
    expect(screen.getByTestId('sort-bytes').getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByTestId('sort-bytes'));
    expect(order()).toEqual(['0', '1']);
    expect(screen.getByTestId('sort-bytes').getAttribute('aria-sort')).toBe('descending');
  });

  it('opens the ladder on double-click and on Enter', () => {
    const open = vi.fn();
    renderTable(open, vi.fn(), 1);
    fireEvent.doubleClick(screen.getAllByTestId('conversation-row')[0]!);
    expect(open).toHaveBeenLastCalledWith(0);
    fireEvent.keyDown(screen.getAllByTestId('conversation-row')[1]!.parentElement!, { key: 'Enter' });
    expect(open).toHaveBeenLastCalledWith(1);
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
