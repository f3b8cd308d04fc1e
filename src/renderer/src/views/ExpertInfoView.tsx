// Expert Info, as Wireshark's dialog shows it: the capture's expert items grouped by severity
// (errors first) and then by summary, with counts; a summary opens to its packets, and a packet
// number jumps to it in the list.

import { useCallback, useEffect, useState } from 'react';
import type { ExpertInfoDto } from '../../../shared/api';
import { EmptyState } from '../components/Notice';
import { useClient } from '../state/client-context';
import { count, errorText } from '../state/format';

interface Props {
  session: string;
  /** Changes when the capture or the display filter changes (the view fetches again). */
  refresh: number;
  filter: string;
  onGoToPacket(packet: number): void;
}

export function ExpertInfoView({ session, refresh, filter, onGoToPacket }: Props) {
  const client = useClient();
  const [data, setData] = useState<ExpertInfoDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [limit, setLimit] = useState(false);
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());

  useEffect(() => {
    let alive = true;
    client.call('expertInfo', { session, limitToFilter: limit }).then(
      (d) => alive && (setData(d), setError(null)),
      (err: unknown) => alive && setError(errorText(err)),
    );
    return () => {
      alive = false;
    };
  }, [client, session, refresh, limit, limit ? filter : '']);

  const toggle = useCallback((key: string, set: (f: (s: ReadonlySet<string>) => ReadonlySet<string>) => void) => {
    set((s) => {
      const n = new Set(s);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });
  }, []);

  if (error !== null) return <EmptyState title="Expert information is not available" tone="error">{error}</EmptyState>;
  if (data === null) return <EmptyState title="Collecting expert information…" tone="loading" />;

  return (
    <div className="expert-view" data-testid="expert-view">
      <div className="view-head">
        <h2>Expert Info</h2>
        <span className="sub">{data.total === 0 ? 'no items' : `${count(data.total)} item${data.total === 1 ? '' : 's'}`}</span>
        <label className="check" title="Count only the packets the display filter shows">
          <input type="checkbox" checked={limit} onChange={(e) => setLimit(e.target.checked)} data-testid="expert-limit" /> Limit to display filter
        </label>
      </div>
      {data.total === 0 ? (
        <EmptyState title="No expert information">{limit && filter !== '' ? 'No displayed packet carries an expert item.' : 'No packet of this capture carries an expert item.'}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="data-table expert-table" aria-label="Expert information">
            <thead>
              <tr>
                <th>Severity / Summary</th>
                <th>Group</th>
                <th>Protocol</th>
                <th className="num">Count</th>
              </tr>
            </thead>
            <tbody>
              {data.severities.map((sev) => {
                const sevKey = sev.severity;
                const collapsed = hidden.has(sevKey);
                return [
                  <tr key={sevKey} className="expert-severity-row" data-testid="expert-severity" data-severity={sev.severity} onClick={() => toggle(sevKey, setHidden)}>
                    <td>
                      <button className="twisty" aria-expanded={!collapsed} aria-label={collapsed ? 'Expand' : 'Collapse'}>
                        {collapsed ? '▸' : '▾'}
                      </button>
                      <span className={`sev-dot sev-${sev.severity.toLowerCase()}`} aria-hidden="true" /> {sev.severity}
                    </td>
                    <td />
                    <td />
                    <td className="num">{count(sev.count)}</td>
                  </tr>,
                  ...(collapsed
                    ? []
                    : sev.entries.flatMap((e) => {
                        const key = `${sevKey}\u0000${e.protocol}\u0000${e.summary}`;
                        const expanded = open.has(key);
                        const rows = [
                          <tr key={key} className="expert-entry" data-testid="expert-entry" onClick={() => toggle(key, setOpen)}>
                            <td className="ellipsis" title={e.summary}>
                              <button className="twisty" aria-expanded={expanded} aria-label={expanded ? 'Hide packets' : 'Show packets'}>
                                {expanded ? '▾' : '▸'}
                              </button>
                              {e.summary}
                            </td>
                            <td>{e.group}</td>
                            <td>{e.protocol}</td>
                            <td className="num">{count(e.count)}</td>
                          </tr>,
                        ];
                        if (expanded) {
                          rows.push(
                            <tr key={`${key}\u0000packets`}>
                              <td colSpan={4}>
                                <div className="expert-packets">
                                  {e.packets.map((p) => (
                                    <button key={p} className="chip link" onClick={() => onGoToPacket(p)} data-testid="expert-packet" title={`Go to packet ${p}`}>
                                      {p}
                                    </button>
                                  ))}
                                  {e.count > e.packets.length && <span className="sub">… and {count(e.count - e.packets.length)} more</span>}
                                </div>
                              </td>
                            </tr>,
                          );
                        }
                        return rows;
                      })),
                ];
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
