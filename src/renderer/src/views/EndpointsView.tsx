// Statistics › Endpoints: one table per kind (IPv4, IPv6, TCP, UDP) with packets and bytes sent
// and received, sortable, over every packet or (Limit to display filter) the displayed ones.

import { useEffect, useMemo, useState } from 'react';
import type { EndpointRowDto, EndpointsDto } from '../../../shared/api';
import { EmptyState } from '../components/Notice';
import { useClient } from '../state/client-context';
import { bytes, count, errorText } from '../state/format';

type Kind = keyof EndpointsDto;
type Key = 'address' | 'port' | 'packets' | 'bytes' | 'txPackets' | 'txBytes' | 'rxPackets' | 'rxBytes';

const kinds: { kind: Kind; label: string }[] = [
  { kind: 'ipv4', label: 'IPv4' },
  { kind: 'ipv6', label: 'IPv6' },
  { kind: 'tcp', label: 'TCP' },
  { kind: 'udp', label: 'UDP' },
];

const columns: { key: Key; label: string; ports?: boolean }[] = [
  { key: 'address', label: 'Address' },
  { key: 'port', label: 'Port', ports: true },
  { key: 'packets', label: 'Packets' },
  { key: 'bytes', label: 'Bytes' },
  { key: 'txPackets', label: 'Tx Packets' },
  { key: 'txBytes', label: 'Tx Bytes' },
  { key: 'rxPackets', label: 'Rx Packets' },
  { key: 'rxBytes', label: 'Rx Bytes' },
];

interface Props {
  session: string;
  /** The display filter in force and a counter that changes whenever the capture or the filter does. */
  filter: string;
  refresh: number;
  limitToDisplay: boolean;
  onLimit(v: boolean): void;
  /** Filter on an endpoint (its address, or address and port). */
  onFilter(text: string): void;
}

export function EndpointsView({ session, filter, refresh, limitToDisplay, onLimit, onFilter }: Props) {
  const client = useClient();
  const [data, setData] = useState<EndpointsDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [kind, setKind] = useState<Kind>('ipv4');
  const [sort, setSort] = useState<{ key: Key; dir: 1 | -1 }>({ key: 'bytes', dir: -1 });

  useEffect(() => {
    let alive = true;
    client.call('endpoints', { session, limitToDisplay }).then(
      (d) => {
        if (!alive) return;
        setData(d);
        setError(null);
        // Open on the first table with something in it.
        setKind((k) => (d[k].length > 0 ? k : (kinds.find((x) => d[x.kind].length > 0)?.kind ?? k)));
      },
      (err: unknown) => alive && setError(errorText(err)),
    );
    return () => {
      alive = false;
    };
  }, [client, session, limitToDisplay, filter, refresh]);

  const rows = useMemo(() => {
    const list = [...(data?.[kind] ?? [])];
    const { key, dir } = sort;
    return list.sort((a, b) => {
      const va = a[key] ?? 0;
      const vb = b[key] ?? 0;
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), 'en', { numeric: true });
      return c * dir || a.address.localeCompare(b.address) || (a.port ?? 0) - (b.port ?? 0);
    });
  }, [data, kind, sort]);

  if (error !== null) return <EmptyState title="Endpoints are not available" tone="error">{error}</EmptyState>;
  if (data === null) return <EmptyState title="Counting endpoints…" tone="loading" />;
  const ports = kind === 'tcp' || kind === 'udp';
  const addrField = (e: EndpointRowDto): string => (e.address.includes(':') ? 'ipv6.addr' : 'ip.addr');

  return (
    <div className="endpoints-view" data-testid="endpoints-view">
      <div className="view-head">
        <h2>Endpoints</h2>
        <nav className="tabs small" role="tablist" aria-label="Endpoint types">
          {kinds.map((k) => (
            <button key={k.kind} role="tab" aria-selected={kind === k.kind} className={kind === k.kind ? 'active' : ''} onClick={() => setKind(k.kind)} data-testid={`endpoints-${k.kind}`}>
              {k.label} <span className="tab-count">{count(data[k.kind].length)}</span>
            </button>
          ))}
        </nav>
        <LimitToggle value={limitToDisplay} onChange={onLimit} filter={filter} />
      </div>
      {rows.length === 0 ? (
        <EmptyState title={`No ${kinds.find((k) => k.kind === kind)!.label} endpoints`}>{limitToDisplay && filter !== '' ? 'None among the displayed packets.' : 'This capture has none.'}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="data-table" aria-label="Endpoints">
            <thead>
              <tr>
                {columns
                  .filter((c) => ports || c.ports !== true)
                  .map((c) => (
                    <th
                      key={c.key}
                      className={c.key === 'address' ? '' : 'num'}
                      aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
                      onClick={() => setSort((s) => ({ key: c.key, dir: s.key === c.key ? ((-s.dir) as 1 | -1) : c.key === 'address' || c.key === 'port' ? 1 : -1 }))}
                      data-testid={`endpoints-sort-${c.key}`}
                    >
                      {c.label}
                      <span className="sort-mark">{sort.key === c.key ? (sort.dir === 1 ? '▲' : '▼') : ''}</span>
                    </th>
                  ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={`${e.address}:${e.port ?? ''}`} data-testid="endpoint-row" onDoubleClick={() => onFilter(ports ? `${addrField(e)} == ${e.address} && ${kind}.port == ${e.port}` : `${addrField(e)} == ${e.address}`)} title="Double-click to filter on this endpoint">
                  <td className="mono">{e.address}</td>
                  {ports && <td className="num">{e.port}</td>}
                  <td className="num">{count(e.packets)}</td>
                  <td className="num">{bytes(e.bytes)}</td>
                  <td className="num">{count(e.txPackets)}</td>
                  <td className="num">{bytes(e.txBytes)}</td>
                  <td className="num">{count(e.rxPackets)}</td>
                  <td className="num">{bytes(e.rxBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Wireshark's "Limit to display filter" check box, with the filter it refers to. */
export function LimitToggle({ value, onChange, filter }: { value: boolean; onChange(v: boolean): void; filter: string }) {
  return (
    <label className="check limit-toggle" title={filter === '' ? 'No display filter is applied' : `Only packets matching: ${filter}`}>
      <input type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} data-testid="limit-to-display" />
      Limit to display filter
      {value && filter !== '' && <code className="limit-filter">{filter}</code>}
    </label>
  );
}
