// Statistics › I/O Graphs: several series, each a display filter with what it counts (packets,
// bytes or bits per interval), drawn over the capture's time with an adjustable interval.

import { useContext, useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { IoGraphDto, IoSeriesRequestDto } from '../../../shared/api';
import { useClient } from '../state/client-context';
import { axisTime, bytes, count, errorText } from '../state/format';
import { useStored } from '../state/stored';
import { ChartSizeContext } from './StatisticsView';

interface Series extends IoSeriesRequestDto {
  name: string;
  color: string;
  enabled: boolean;
}

/** Wireshark's default graphs: all packets, and the TCP errors. */
const defaultSeries: Series[] = [
  { name: 'All Packets', filter: '', unit: 'packets', color: '#2f6fde', enabled: true },
  { name: 'TCP Errors', filter: 'tcp.analysis.flags', unit: 'packets', color: '#c42b2b', enabled: true },
];

const intervals: { seconds: number; label: string }[] = [
  { seconds: 0.001, label: '1 ms' },
  { seconds: 0.01, label: '10 ms' },
  { seconds: 0.1, label: '100 ms' },
  { seconds: 1, label: '1 sec' },
  { seconds: 10, label: '10 sec' },
  { seconds: 60, label: '1 min' },
  { seconds: 600, label: '10 min' },
];

const palette = ['#2f6fde', '#c42b2b', '#0f9d76', '#8b5cf6', '#d97706', '#0891b2', '#db2777', '#65a30d'];
const isSeriesList = (v: unknown): v is Series[] =>
  Array.isArray(v) && v.every((s: Partial<Series>) => typeof s?.name === 'string' && typeof s.filter === 'string' && (s.unit === 'packets' || s.unit === 'bytes' || s.unit === 'bits') && typeof s.color === 'string' && typeof s.enabled === 'boolean');
const isInterval = (v: unknown): v is number => intervals.some((i) => i.seconds === v);

interface Props {
  session: string;
  /** Capture length in seconds (to pick a sensible first interval). */
  duration: number;
  refresh: number;
  theme: 'light' | 'dark';
}

export function IoGraphView({ session, duration, refresh, theme }: Props) {
  const client = useClient();
  const [series, setSeries] = useStored<Series[]>('io-graph.series', defaultSeries, isSeriesList);
  const fallback = intervals.find((i) => duration / i.seconds <= 400)?.seconds ?? 600;
  const [interval, setIntervalSeconds] = useStored<number>('io-graph.interval', fallback, isInterval);
  const [data, setData] = useState<IoGraphDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [applied, setApplied] = useState(0);
  const fixed = useContext(ChartSizeContext);

  const enabled = series.filter((s) => s.enabled);
  const request = JSON.stringify(enabled.map((s) => ({ filter: s.filter, unit: s.unit })));
  useEffect(() => {
    let alive = true;
    setBusy(true);
    client.call('ioGraph', { session, intervalSeconds: interval, series: JSON.parse(request) as IoSeriesRequestDto[] }).then(
      (d) => {
        if (!alive) return;
        setData(d);
        setError(null);
        setBusy(false);
      },
      (err: unknown) => {
        if (!alive) return;
        setError(errorText(err));
        setBusy(false);
      },
    );
    return () => {
      alive = false;
    };
    // `request` stands for the enabled series (their filters are applied with the Apply button).
  }, [client, session, interval, applied, refresh]);

  const points = useMemo(() => {
    if (data === null) return [];
    const n = Math.max(0, ...data.series.map((s) => s.values.length));
    return Array.from({ length: n }, (_, i) => {
      const p: Record<string, number> = { t: i * data.intervalSeconds };
      data.series.forEach((s, k) => {
        if (s.error === null) p[`s${k}`] = s.values[i] ?? 0;
      });
      return p;
    });
  }, [data]);

  const axis = theme === 'dark' ? '#9aa4b2' : '#5b6472';
  const grid = theme === 'dark' ? '#2b313b' : '#e3e6eb';
  const tick = { fill: axis, fontSize: 11 };
  const span = points.length > 0 ? points[points.length - 1]!.t : 0;
  const edit = (i: number, patch: Partial<Series>): void => setSeries((all) => all.map((s, k) => (k === i ? { ...s, ...patch } : s)));
  const unitOf = (k: number): string => data?.series[k]?.unit ?? 'packets';
  const units = new Set((data?.series ?? []).filter((x) => x.error === null).map((x) => x.unit));
  const chart = (
    <LineChart data={points} margin={{ left: 8, right: 16, top: 8, bottom: 4 }} {...(fixed !== null ? { width: fixed.width, height: fixed.height } : {})}>
      <CartesianGrid stroke={grid} vertical={false} />
      <XAxis dataKey="t" type="number" domain={[0, 'dataMax']} tick={tick} stroke={grid} tickFormatter={axisTime(span)} minTickGap={24} />
      <YAxis yAxisId="packets" tick={tick} stroke={grid} width={60} tickFormatter={(v: number) => count(v)} hide={!units.has('packets')} />
      {/* Bytes and bits on an axis of their own, so a packet count is not flattened under them. */}
      <YAxis yAxisId="volume" orientation="right" tick={tick} stroke={grid} width={68} tickFormatter={(v: number) => (units.has('bytes') ? bytes(v) : count(v))} hide={!units.has('bytes') && !units.has('bits')} />
      <Tooltip
        labelFormatter={(t) => `${Number(t).toFixed(3)} s`}
        formatter={(v, name) => {
          const k = Number(String(name).slice(1));
          return [unitOf(k) === 'bytes' ? bytes(Number(v)) : count(Number(v)), enabled[k]?.name ?? String(name)];
        }}
        contentStyle={{ background: theme === 'dark' ? '#1d222a' : '#ffffff', border: `1px solid ${grid}`, fontSize: 12 }}
      />
      <Legend formatter={(name) => enabled[Number(String(name).slice(1))]?.name ?? String(name)} wrapperStyle={{ fontSize: 12 }} />
      {enabled.map((s, k) => (data?.series[k]?.error ?? null) === null && <Line key={k} yAxisId={unitOf(k) === 'packets' ? 'packets' : 'volume'} dataKey={`s${k}`} stroke={s.color} dot={false} strokeWidth={1.6} isAnimationActive={false} />)}
    </LineChart>
  );

  return (
    <div className="io-graph-view" data-testid="io-graph-view">
      <div className="view-head">
        <h2>I/O Graph</h2>
        <label className="inline-field">
          Interval
          <select value={interval} onChange={(e) => setIntervalSeconds(Number(e.target.value))} data-testid="io-interval">
            {intervals.map((i) => (
              <option key={i.seconds} value={i.seconds}>
                {i.label}
              </option>
            ))}
          </select>
        </label>
        {busy && <span className="sub">counting…</span>}
      </div>
      <section className="chart-card io-chart" data-testid="chart" data-chart="I/O graph" data-points={points.length} data-interval={data?.intervalSeconds}>
        {error !== null ? (
          <div className="chart-empty error" role="alert">
            {error}
          </div>
        ) : points.length === 0 ? (
          <div className="chart-empty">{busy ? 'Counting…' : 'Nothing to show'}</div>
        ) : fixed !== null ? (
          chart
        ) : (
          <ResponsiveContainer width="100%" height={320}>
            {chart}
          </ResponsiveContainer>
        )}
      </section>
      <form
        className="io-series"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied((n) => n + 1);
        }}
      >
        <table className="data-table" aria-label="Graphs">
          <thead>
            <tr>
              <th>Enabled</th>
              <th>Graph name</th>
              <th>Display filter</th>
              <th>Color</th>
              <th>Y axis</th>
              <th aria-label="Remove" />
            </tr>
          </thead>
          <tbody>
            {series.map((s, i) => {
              const k = enabled.indexOf(s);
              const err = k >= 0 ? (data?.series[k]?.error ?? null) : null;
              return (
                <tr key={i} data-testid="io-series">
                  <td>
                    <input type="checkbox" checked={s.enabled} onChange={(e) => (edit(i, { enabled: e.target.checked }), setApplied((n) => n + 1))} aria-label={`Show ${s.name}`} />
                  </td>
                  <td>
                    <input type="text" value={s.name} onChange={(e) => edit(i, { name: e.target.value })} aria-label="Graph name" />
                  </td>
                  <td className="wide">
                    <input type="text" className={`mono${err !== null ? ' invalid' : ''}`} value={s.filter} spellCheck={false} placeholder="all packets" title={err ?? undefined} onChange={(e) => edit(i, { filter: e.target.value })} aria-label="Display filter" data-testid="io-series-filter" />
                    {err !== null && <div className="field-error">{err}</div>}
                  </td>
                  <td>
                    <input type="color" value={s.color} onChange={(e) => edit(i, { color: e.target.value })} aria-label="Color" />
                  </td>
                  <td>
                    <select value={s.unit} onChange={(e) => (edit(i, { unit: e.target.value as Series['unit'] }), setApplied((n) => n + 1))} aria-label="Y axis" data-testid="io-series-unit">
                      <option value="packets">Packets/interval</option>
                      <option value="bytes">Bytes/interval</option>
                      <option value="bits">Bits/interval</option>
                    </select>
                  </td>
                  <td>
                    <button type="button" className="icon-button" aria-label={`Remove ${s.name}`} onClick={() => (setSeries((all) => all.filter((_, x) => x !== i)), setApplied((n) => n + 1))}>
                      ✕
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="row-buttons">
          <button
            type="button"
            className="button"
            disabled={series.length >= 8}
            onClick={() => setSeries((all) => [...all, { name: `Graph ${all.length + 1}`, filter: '', unit: 'packets', color: palette[all.length % palette.length]!, enabled: true }])}
            data-testid="io-series-add"
          >
            + Add graph
          </button>
          <button type="submit" className="button primary" data-testid="io-apply">
            Apply
          </button>
        </div>
      </form>
    </div>
  );
}
