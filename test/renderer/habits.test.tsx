// @vitest-environment happy-dom
// The renderer's Wireshark habits without a browser: Time column formats and precisions (digits
// cut, not rounded), the context menus' layout and what they disable, column sort keys and stored
// column lists, Back/Forward history, and the display filter box's checking and completion.

import { act, cleanup, fireEvent, render, renderHook, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PacketRow } from '../../src/shared/api';
import { FilterBox } from '../../src/renderer/src/components/FilterBox';
import type { MenuItem } from '../../src/renderer/src/components/ContextMenu';
import { ClientContext } from '../../src/renderer/src/state/client-context';
import { defaultColumns, fieldColumn, isColumnList, sortKey } from '../../src/renderer/src/state/columns';
import { headerMenu, rowMenu, treeMenu, type MenuActions, type TreeActions } from '../../src/renderer/src/state/menus';
import { secondsText, timeText } from '../../src/renderer/src/state/time-format';
import { useSelectionHistory } from '../../src/renderer/src/state/use-selection-history';
import { rows } from '../fixtures/ui';
import { fakeClient } from './fake-client';

afterEach(cleanup);

// Frame 4 of tls12-rsa.pcap: tshark -t ud prints 2026-11-22 23:45:14.298599.
const frame4: PacketRow = { ...rows[3]!, epochSec: 1795391114, epochNsec: 298599000, precision: 6, delta: 0.001424, deltaDisplayed: 0.001424, addressField: 'ip', transport: 'tcp', srcPort: 60750, dstPort: 8441 };

describe('Time column', () => {
  it('cuts digits as Wireshark does instead of rounding, from whole nanoseconds', () => {
    expect(secondsText(0.0014569, 3)).toBe('0.001');
    expect(secondsText(0.0019999, 3)).toBe('0.001');
    expect(secondsText(1.5, 0)).toBe('1');
    expect(secondsText(0.1 + 0.2, 9)).toBe('0.300000000');
    expect(secondsText(-0.25, 2)).toBe('-0.25');
  });

  it('shows each display format, a precision, and *REF* on a time reference', () => {
    expect(timeText(frame4, 'relative', 'auto')).toBe('0.001456');
    expect(timeText(frame4, 'delta', 3)).toBe('0.001');
    expect(timeText(frame4, 'delta-displayed', 9)).toBe('0.001424000');
    expect(timeText(frame4, 'epoch', 'auto')).toBe('1795391114.298599');
    expect(timeText(frame4, 'epoch', 0)).toBe('1795391114');
    expect(timeText(frame4, 'utc-date-time', 'auto')).toBe('2026-11-22 23:45:14.298599');
    expect(timeText(frame4, 'utc-time-of-day', 1)).toBe('23:45:14.2');
    expect(timeText({ ...frame4, timeRef: true }, 'relative', 'auto')).toBe('*REF*');
  });
});

const noop: MenuActions = { filterBy: vi.fn(), copy: vi.fn(), follow: vi.fn(), openLadder: vi.fn(), setFlag: vi.fn(), exportPackets: vi.fn() };
const format = { hexStream: () => '', escaped: () => '', printable: () => '', dump: () => '' };
const find = (items: MenuItem[], id: string): MenuItem | undefined => {
  for (const it of items) {
    if (it.kind === 'separator') continue;
    if (it.testId === id) return it;
    if (it.kind === 'submenu') {
      const inner = find(it.items, id);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
};
const disabled = (items: MenuItem[], id: string): boolean => {
  const it = find(items, id);
  if (it === undefined || it.kind === 'separator') throw new Error(`no ${id}`);
  return it.disabled === true;
};

describe('context menus', () => {
  const input = { row: frame4, summary: { text: '', csv: '' }, conversation: { protocol: 'TCP' as const, tls: true }, bytes: async () => new Uint8Array(), format };

  it('a row: Mark/Ignore/Time Reference first, filters off where the cell has none, Follow as the conversation allows', () => {
    const items = rowMenu({ ...input, cellFilter: null }, noop);
    const labels = items.map((i) => (i.kind === 'separator' ? '—' : i.label));
    expect(labels).toEqual(['Mark Packet', 'Ignore Packet', 'Set Time Reference', '—', 'Apply as Filter', 'Prepare as Filter', 'Conversation Filter', 'Follow', '—', 'Copy', '—', 'Open Ladder of This Conversation', 'Export Specified Packets…']);
    expect(disabled(items, 'row-apply')).toBe(true);
    expect(disabled(items, 'row-copy-filter')).toBe(true);
    expect(disabled(items, 'row-conversation-tcp')).toBe(false);
    expect(disabled(items, 'row-conversation-udp')).toBe(true);
    expect(disabled(items, 'row-follow-udp')).toBe(true);
    expect(disabled(items, 'row-follow-tls')).toBe(false);
    const plain = rowMenu({ ...input, cellFilter: 'frame.len == 192', conversation: { protocol: 'TCP', tls: false }, row: { ...frame4, marked: true } }, noop);
    expect(disabled(plain, 'row-apply')).toBe(false);
    expect(disabled(plain, 'row-follow-tls')).toBe(true);
    expect(find(plain, 'row-mark')).toMatchObject({ label: 'Unmark Packet' });
    // The desktop app's Ctrl+T is a browser tab's own; there the menu names the other shortcut.
    expect(find(items, 'row-time-ref')).toMatchObject({ shortcut: 'Ctrl+T' });
    expect(find(rowMenu({ ...input, cellFilter: null, browser: true }, noop), 'row-time-ref')).toMatchObject({ shortcut: 'Ctrl+Alt+T' });
  });

  it('a row’s Apply › …and not Selected and Conversation Filter › TCP call back with Wireshark’s text', () => {
    const filterBy = vi.fn();
    const items = rowMenu({ ...input, cellFilter: 'frame.len == 192' }, { ...noop, filterBy });
    const run = (id: string) => {
      const it = find(items, id);
      if (it?.kind !== 'action') throw new Error(id);
      it.run();
    };
    run('row-apply-and-not-selected');
    run('row-prepare-or-selected');
    run('row-conversation-tcp');
    expect(filterBy.mock.calls).toEqual([
      ['frame.len == 192', 'and-not-selected', true],
      ['frame.len == 192', 'or-selected', false],
      ['(ip.addr eq 127.0.0.1 and ip.addr eq 127.0.0.1) and (tcp.port eq 60750 and tcp.port eq 8441)', 'selected', true],
    ]);
  });

  it('a tree item: Apply as Column and Copy › Field Name off for a text line; Go to Linked Packet only on a frame reference', () => {
    const actions: TreeActions = { ...noop, expand: vi.fn(), addColumn: vi.fn(), goToPacket: vi.fn() };
    const base = { row: frame4, name: 'http.request_in', label: 'Request in frame: 4', filter: 'http.request_in == 4', value: '4', frame: 4, bytes: new Uint8Array(), conversation: null, format, visibleText: () => '' };
    const items = treeMenu(base, actions);
    expect(disabled(items, 'tree-go-linked')).toBe(false);
    expect(disabled(items, 'tree-copy-hex')).toBe(true);
    const go = find(items, 'tree-go-linked');
    if (go?.kind === 'action') go.run();
    expect(actions.goToPacket).toHaveBeenCalledWith(4);
    const col = find(items, 'tree-apply-column');
    if (col?.kind === 'action') col.run();
    expect(actions.addColumn).toHaveBeenCalledWith('http.request_in', 'Request in frame');
    const text = treeMenu({ ...base, name: '', filter: null, value: null, frame: null, label: 'Expert Info (Chat/Sequence)' }, actions);
    expect(disabled(text, 'tree-apply-column')).toBe(true);
    expect(disabled(text, 'tree-copy-name')).toBe(true);
    expect(disabled(text, 'tree-apply')).toBe(true);
    expect(disabled(text, 'tree-go-linked')).toBe(true);
  });

  it('a column header: time formats only on Time, and the last visible column cannot be removed', () => {
    const actions = { sort: vi.fn(), setTimeFormat: vi.fn(), setTimePrecision: vi.fn(), editColumn: vi.fn(), removeColumn: vi.fn(), toggleColumn: vi.fn(), resetColumns: vi.fn() };
    const time = { format: 'relative' as const, precision: 'auto' as const };
    const onTime = headerMenu(defaultColumns[1]!, defaultColumns, time, actions);
    expect(find(onTime, 'header-time-relative')).toMatchObject({ checked: true, label: 'Seconds Since Beginning of Capture (123.123456)' });
    expect(find(headerMenu(defaultColumns[2]!, defaultColumns, time, actions), 'header-time-format')).toBeUndefined();
    const onlyInfo = defaultColumns.map((c) => ({ ...c, hidden: c.id !== 'info' }));
    expect(disabled(headerMenu(onlyInfo[6]!, onlyInfo, time, actions), 'header-remove')).toBe(true);
  });
});

describe('columns', () => {
  it('sort keys follow the time format; custom columns sort on their field', () => {
    expect(sortKey(defaultColumns[1]!, 'delta')).toEqual({ column: 'delta', field: false });
    expect(sortKey(defaultColumns[1]!, 'epoch')).toEqual({ column: 'time', field: false });
    expect(sortKey(fieldColumn('tcp.srcport', 'Source Port'), 'relative')).toEqual({ column: 'tcp.srcport', field: true });
  });

  it('a stored column list is checked before use', () => {
    expect(isColumnList(defaultColumns)).toBe(true);
    expect(isColumnList([fieldColumn('tcp.srcport', 'Source Port')])).toBe(true);
    expect(isColumnList([])).toBe(false);
    expect(isColumnList([{ id: 'x', kind: 'field', title: 'X', width: 10 }])).toBe(false);
    expect(isColumnList([{ id: 'x', kind: 'bogus', title: 'X', width: 10 }])).toBe(false);
  });
});

describe('Back and Forward', () => {
  it('walks the selections in order and a new selection drops the forward part', () => {
    const { result, rerender } = renderHook(({ p }: { p: number | null }) => useSelectionHistory(p, 'capture'), { initialProps: { p: 1 as number | null } });
    rerender({ p: 5 });
    rerender({ p: 9 });
    let back: number | null = null;
    act(() => void (back = result.current.back()));
    expect(back).toBe(5);
    rerender({ p: 5 });
    act(() => void (back = result.current.back()));
    expect(back).toBe(1);
    rerender({ p: 1 });
    expect(result.current.canBack).toBe(false);
    rerender({ p: 7 });
    expect(result.current.canForward).toBe(false);
    act(() => void (back = result.current.back()));
    expect(back).toBe(1);
  });
});

describe('display filter box', () => {
  const client = () =>
    fakeClient({
      fieldCatalogue: () => ({ fields: [{ name: 'tls.handshake.type', title: 'Handshake Type', type: 'uint' }, { name: 'tls.handshake.version', title: 'Version', type: 'uint' }], protocols: ['tls', 'tcp'] }),
      checkFilter: ({ filter }) => (filter.startsWith('tls.handshake.type') ? { ok: true, error: null, position: null, warnings: [] } : { ok: false, error: `"${filter}" is neither a field nor a protocol name.`, position: 0, warnings: [] }),
    });

  it('checks as you type, completes names from the catalogue and applies on Enter', async () => {
    const onApply = vi.fn();
    const c = client();
    const { container } = render(
      <ClientContext.Provider value={c}>
        <FilterBox filter="" prepared={{ text: '', n: 0 }} state={{ ok: true, error: null, busy: false }} disabled={false} onApply={onApply} />
      </ClientContext.Provider>,
    );
    const input = screen.getByTestId('filter-input') as HTMLInputElement;
    const type = (v: string) => fireEvent.change(input, { target: { value: v, selectionStart: v.length } });
    type('tls.handshake.');
    await waitFor(() => expect(screen.getByTestId('filter-completions').textContent).toContain('tls.handshake.type'));
    expect(screen.getByTestId('filter-completions').textContent).toContain('tls.handshake.version');
    type('tls.hnd');
    await waitFor(() => expect(container.querySelector('.filter-box')!.getAttribute('data-state')).toBe('invalid'));
    expect(screen.getByTestId('filter-error').textContent).toContain('"tls.hnd" is neither a field nor a protocol name.');
    type('tls.handshake.type == 1');
    await waitFor(() => expect(container.querySelector('.filter-box')!.getAttribute('data-state')).toBe('valid'));
    fireEvent.submit(input.form!);
    expect(onApply).toHaveBeenCalledWith('tls.handshake.type == 1');
  });
});
