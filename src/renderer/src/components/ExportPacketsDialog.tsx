// File › Export Specified Packets (Wireshark's dialog): which packets — all, the selected one, the
// marked ones, first to last marked, or a range — among the captured or the displayed ones, with
// how many each choice writes, and whether ignored packets are left out. Written as pcapng with
// the packets' comments.

import { useEffect, useState } from 'react';
import type { PacketRangeDto } from '../../../shared/api';
import { useClient } from '../state/client-context';
import { count } from '../state/format';

type Scope = PacketRangeDto['scope'];

const scopes: { scope: Scope; label: string }[] = [
  { scope: 'all', label: 'All packets' },
  { scope: 'selected', label: 'Selected packet only' },
  { scope: 'marked', label: 'Marked packets only' },
  { scope: 'first-last-marked', label: 'First to last marked' },
  { scope: 'range', label: 'Range:' },
];

interface Props {
  session: string;
  selected: number | null;
  /** A display filter is in force (Displayed differs from Captured). */
  filtered: boolean;
  onExport(range: PacketRangeDto): void;
  onClose(): void;
}

export function ExportPacketsDialog({ session, selected, filtered, onExport, onClose }: Props) {
  const client = useClient();
  const [scope, setScope] = useState<Scope>('all');
  const [displayed, setDisplayed] = useState(filtered);
  const [range, setRange] = useState('');
  const [removeIgnored, setRemoveIgnored] = useState(false);
  const [counts, setCounts] = useState<Record<string, number | string>>({});

  const rangeOf = (s: Scope, shown: boolean): PacketRangeDto => ({
    scope: s,
    displayed: shown,
    removeIgnored,
    ...(s === 'selected' && selected !== null ? { selected } : {}),
    ...(s === 'range' ? { range } : {}),
  });

  // The counts Wireshark shows beside each choice, for Captured and Displayed.
  useEffect(() => {
    let alive = true;
    const t = setTimeout(() => {
      const jobs = scopes.flatMap(({ scope: s }) =>
        [false, true].map(async (shown) => {
          const key = `${s}:${shown}`;
          if ((s === 'selected' && selected === null) || (s === 'range' && range.trim() === '')) return [key, 0] as const;
          try {
            return [key, await client.call('rangeCount', { session, packets: rangeOf(s, shown) })] as const;
          } catch (err) {
            return [key, err instanceof Error ? err.message : String(err)] as const;
          }
        }),
      );
      void Promise.all(jobs).then((entries) => alive && setCounts(Object.fromEntries(entries)));
    }, 150);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [client, session, selected, range, removeIgnored]);

  const chosen = counts[`${scope}:${displayed}`];
  const ok = typeof chosen === 'number' && chosen > 0;
  return (
    <div className="modal-backdrop" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form
        className="modal export-packets"
        role="dialog"
        aria-label="Export Specified Packets"
        data-testid="export-packets-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (ok) onExport(rangeOf(scope, displayed));
        }}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2>Export Specified Packets</h2>
        <p className="sub">Writes a pcapng file with the packets you choose and their comments.</p>
        <table className="data-table range-table">
          <thead>
            <tr>
              <th>Packet Range</th>
              <th className="num">
                <label>
                  <input type="radio" name="which" checked={!displayed} onChange={() => setDisplayed(false)} data-testid="export-captured" /> Captured
                </label>
              </th>
              <th className="num">
                <label>
                  <input type="radio" name="which" checked={displayed} onChange={() => setDisplayed(true)} data-testid="export-displayed" /> Displayed
                </label>
              </th>
            </tr>
          </thead>
          <tbody>
            {scopes.map(({ scope: s, label }) => (
              <tr key={s} className={scope === s ? 'selected' : ''}>
                <td>
                  <label>
                    <input type="radio" name="scope" checked={scope === s} onChange={() => setScope(s)} disabled={s === 'selected' && selected === null} data-testid={`export-scope-${s}`} /> {label}
                  </label>
                  {s === 'range' && (
                    <input type="text" className="range-input" value={range} placeholder="e.g. 1-10,15,20-" onChange={(e) => (setRange(e.target.value), setScope('range'))} aria-label="Range" data-testid="export-range" />
                  )}
                </td>
                <td className="num" data-testid={`export-count-${s}-captured`}>{show(counts[`${s}:false`])}</td>
                <td className="num" data-testid={`export-count-${s}-displayed`}>{show(counts[`${s}:true`])}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <label className="check">
          <input type="checkbox" checked={removeIgnored} onChange={(e) => setRemoveIgnored(e.target.checked)} data-testid="export-remove-ignored" /> Remove ignored packets
        </label>
        {typeof chosen === 'string' && (
          <div className="filter-error inline" role="alert">
            {chosen}
          </div>
        )}
        <div className="row-buttons end">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!ok} data-testid="export-packets-save">
            Export {typeof chosen === 'number' ? `${count(chosen)} packet${chosen === 1 ? '' : 's'}` : ''}
          </button>
        </div>
      </form>
    </div>
  );
}

function show(v: number | string | undefined): string {
  return typeof v === 'number' ? count(v) : v === undefined ? '…' : '—';
}
