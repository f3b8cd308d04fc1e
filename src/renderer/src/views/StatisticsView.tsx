// Capture statistics with recharts: protocol hierarchy, packets and bytes over time, handshake
// latencies, TLS versions and cipher suites, HTTP/2 status codes and requests, top talkers.

import { cloneElement, createContext, useContext, type ReactElement, type ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ComposedChart,
  Legend,
  Line,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ProtocolNodeDto, StatisticsDto } from '../../../shared/api';
import { EmptyState } from '../components/Notice';
import { axisTime, bytes, count, duration } from '../state/format';
import { LimitToggle } from './EndpointsView';

/** Fixed chart size (component tests, where nothing has a layout size); null: fill the card. */
export const ChartSizeContext = createContext<{ width: number; height: number } | null>(null);

const palettes = {
  light: ['#2f6fde', '#0f9d76', '#c2410c', '#8b5cf6', '#d97706', '#0891b2', '#db2777', '#65a30d'],
  dark: ['#6ea8ff', '#34d399', '#fb923c', '#a78bfa', '#fbbf24', '#22d3ee', '#f472b6', '#a3e635'],
};

interface Props {
  stats: StatisticsDto | null;
  error: string | null;
  theme: 'light' | 'dark';
  onRefresh(): void;
  loading: boolean;
  /** Wireshark's "Limit to display filter": the figures cover the displayed packets only. */
  limit?: { value: boolean; filter: string; onChange(v: boolean): void };
}

/** Pixels per character of the 11 px chart labels (a little over the average advance, so nothing clips). */
const LABEL_CHAR = 6.7;

export function StatisticsView({ stats, error, theme, onRefresh, loading, limit }: Props) {
  if (error !== null) return <EmptyState title="Statistics are not available" tone="error">{error}</EmptyState>;
  if (stats === null) return <EmptyState title="Counting…" tone="loading" />;
  const colors = palettes[theme];
  const axis = theme === 'dark' ? '#9aa4b2' : '#5b6472';
  const grid = theme === 'dark' ? '#2b313b' : '#e3e6eb';
  const tooltip = { contentStyle: { background: theme === 'dark' ? '#1d222a' : '#ffffff', border: `1px solid ${grid}`, fontSize: 12 } };
  const tick = { fill: axis, fontSize: 11 };

  const hierarchy = flatten(stats.protocolHierarchy);
  const totalPackets = stats.protocolHierarchy.reduce((n, p) => n + p.packets, 0);
  // Each latency is defined once (engine/diagnosis.ts); its name says between which packets.
  const latencies = stats.handshakeLatencies.map((l) => ({
    label: l.label,
    // The x axis names each conversation by its stream number (the full label is in the tooltip).
    stream: `#${l.label.split(':')[0]}`,
    [LATENCY.tcp]: ms(l.tcpConnect),
    [LATENCY.tls]: ms(l.tlsHandshake),
    [LATENCY.ttfb]: ms(l.timeToFirstByte),
    frames: {
      [LATENCY.tcp]: framesText(l.spans.tcpConnect),
      [LATENCY.tls]: framesText(l.spans.tlsHandshake),
      [LATENCY.ttfb]: framesText(l.spans.timeToFirstByte),
    } as Record<string, string>,
  }));
  const timeline = stats.timeline.points.map((p) => ({ t: p.t, packets: p.packets, bytes: p.bytes }));

  return (
    <div className="stats-view">
      <div className="view-head">
        <h2>Statistics</h2>
        {loading && <span className="sub">updating…</span>}
        {limit !== undefined && <LimitToggle value={limit.value} onChange={limit.onChange} filter={limit.filter} />}
        <button className="button" onClick={onRefresh}>
          Refresh
        </button>
      </div>
      <div className="chart-grid">
        <ChartCard title="Protocol hierarchy" note={`${count(totalPackets)} packets`} empty={hierarchy.length === 0} height={Math.max(160, hierarchy.length * 26 + 30)}>
          <BarChart data={hierarchy} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }}>
            <CartesianGrid horizontal={false} stroke={grid} />
            <XAxis type="number" tick={tick} stroke={grid} />
            <YAxis type="category" dataKey="label" width={150} tick={{ ...tick, textAnchor: 'start', dx: -142 }} stroke={grid} interval={0} />
            <Tooltip {...tooltip} formatter={(v, name) => [name === 'packets' ? count(Number(v)) : bytes(Number(v)), String(name)]} />
            <Bar dataKey="packets" fill={colors[0]} maxBarSize={22} isAnimationActive={false} />
          </BarChart>
        </ChartCard>

        <ChartCard title="Packets and bytes over time" note={`per ${duration(stats.timeline.bucketSeconds)}`} empty={timeline.length === 0}>
          <ComposedChart data={timeline} margin={{ left: 4, right: 4, top: 8, bottom: 4 }}>
            <CartesianGrid stroke={grid} vertical={false} />
            <XAxis dataKey="t" tick={tick} stroke={grid} minTickGap={16} tickFormatter={axisTime(timeline.length > 0 ? timeline[timeline.length - 1]!.t : 0)} />
            <YAxis yAxisId="p" tick={tick} stroke={grid} width={44} />
            <YAxis yAxisId="b" orientation="right" tick={tick} stroke={grid} width={56} tickFormatter={(b: number) => bytes(b)} />
            <Tooltip {...tooltip} labelFormatter={(t) => `${Number(t).toFixed(6)} s`} formatter={(v, name) => [name === 'bytes' ? bytes(Number(v)) : count(Number(v)), String(name)]} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar yAxisId="p" dataKey="packets" fill={colors[0]} isAnimationActive={false} />
            <Line yAxisId="b" dataKey="bytes" stroke={colors[2]} dot={false} strokeWidth={2} isAnimationActive={false} />
          </ComposedChart>
        </ChartCard>

        <ChartCard title="Handshake latencies" note="milliseconds" empty={latencies.length === 0} emptyText="No TCP or TLS handshakes">
          <BarChart data={latencies} margin={{ left: 4, right: 8, top: 8, bottom: 4 }}>
            <CartesianGrid stroke={grid} vertical={false} />
            <XAxis dataKey="stream" tick={tick} stroke={grid} interval={latencies.length > 24 ? 'preserveStartEnd' : 0} minTickGap={4} />
            <YAxis tick={tick} stroke={grid} width={44} />
            <Tooltip
              {...tooltip}
              labelFormatter={(_, payload) => String((payload?.[0]?.payload as { label?: string } | undefined)?.label ?? '')}
              formatter={(v, name, item) => {
                const frames = (item.payload as { frames?: Record<string, string> } | undefined)?.frames?.[String(name)] ?? '';
                return [v === null || v === undefined ? '—' : `${Number(v).toFixed(3)} ms${frames === '' ? '' : ` (${frames})`}`, String(name)];
              }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey={LATENCY.tcp} fill={colors[0]} isAnimationActive={false} />
            <Bar dataKey={LATENCY.tls} fill={colors[3]} isAnimationActive={false} />
            <Bar dataKey={LATENCY.ttfb} fill={colors[1]} isAnimationActive={false} />
          </BarChart>
        </ChartCard>

        <ChartCard title="TLS versions" note="conversations" empty={stats.tlsVersions.length === 0} emptyText="No TLS in this capture">
          <PieChart>
            <Pie data={stats.tlsVersions} dataKey="count" nameKey="name" innerRadius="45%" outerRadius="75%" paddingAngle={stats.tlsVersions.length > 1 ? 1 : 0} stroke={stats.tlsVersions.length > 1 ? (theme === 'dark' ? '#1b1f25' : '#ffffff') : 'none'} isAnimationActive={false} label={({ name, value }) => `${String(name)}: ${String(value)}`}>
              {stats.tlsVersions.map((_, i) => (
                <Cell key={i} fill={colors[i % colors.length]} />
              ))}
            </Pie>
            <Tooltip {...tooltip} />
          </PieChart>
        </ChartCard>

        <ChartCard title="Cipher suites" note="conversations" empty={stats.cipherSuites.length === 0} emptyText="No TLS in this capture" height={Math.max(160, stats.cipherSuites.length * 28 + 40)}>
          <BarChart data={stats.cipherSuites} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }}>
            <CartesianGrid horizontal={false} stroke={grid} />
            <XAxis type="number" allowDecimals={false} tick={tick} stroke={grid} />
            <YAxis type="category" dataKey="name" width={Math.min(440, Math.ceil(Math.max(0, ...stats.cipherSuites.map((c) => c.name.length)) * LABEL_CHAR) + 12)} tick={tick} stroke={grid} interval={0} />
            <Tooltip {...tooltip} />
            <Bar dataKey="count" fill={colors[3]} maxBarSize={26} isAnimationActive={false} />
          </BarChart>
        </ChartCard>

        {stats.http2 !== null && (
          <ChartCard title="HTTP/2 status codes" note={`${count(stats.http2.requests)} requests, ${count(stats.http2.resets)} streams reset`} empty={stats.http2.statusCodes.length === 0} emptyText="No HTTP/2 responses">
            <BarChart data={stats.http2.statusCodes} margin={{ left: 4, right: 8, top: 8, bottom: 4 }}>
              <CartesianGrid stroke={grid} vertical={false} />
              <XAxis dataKey="name" tick={tick} stroke={grid} interval={0} />
              <YAxis allowDecimals={false} tick={tick} stroke={grid} width={44} />
              <Tooltip {...tooltip} formatter={(v) => [count(Number(v)), 'responses']} />
              <Bar dataKey="count" fill={colors[5]} maxBarSize={40} isAnimationActive={false}>
                {stats.http2.statusCodes.map((c, i) => (
                  <Cell key={i} fill={c.name.startsWith('2') ? colors[1] : c.name.startsWith('3') ? colors[5] : c.name.startsWith('4') ? colors[4] : c.name.startsWith('5') ? colors[2] : colors[0]} />
                ))}
              </Bar>
            </BarChart>
          </ChartCard>
        )}

        {stats.http2 !== null && (
          <ChartCard
            title="HTTP/2 requests per connection"
            note={`${count(stats.http2.connections)} connection${stats.http2.connections === 1 ? '' : 's'}; one request per stream`}
            empty={stats.http2.perConnection.length === 0}
            height={Math.max(160, Math.min(stats.http2.perConnection.length, 30) * 28 + 60)}
          >
            <BarChart data={stats.http2.perConnection.slice(0, 30)} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }}>
              <CartesianGrid horizontal={false} stroke={grid} />
              <XAxis type="number" allowDecimals={false} tick={tick} stroke={grid} />
              <YAxis type="category" dataKey="label" width={260} tick={tick} stroke={grid} interval={0} />
              <Tooltip {...tooltip} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Bar dataKey="requests" fill={colors[0]} maxBarSize={20} isAnimationActive={false} />
              <Bar dataKey="resets" fill={colors[2]} maxBarSize={20} isAnimationActive={false} />
            </BarChart>
          </ChartCard>
        )}

        <ChartCard title="Top talkers" note="bytes sent and received" empty={stats.topTalkers.length === 0} height={Math.max(160, stats.topTalkers.length * 28 + 40)}>
          <BarChart data={stats.topTalkers} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }}>
            <CartesianGrid horizontal={false} stroke={grid} />
            <XAxis type="number" tick={tick} stroke={grid} tickFormatter={(b: number) => bytes(b)} />
            <YAxis type="category" dataKey="address" width={150} tick={tick} stroke={grid} interval={0} />
            <Tooltip {...tooltip} formatter={(v, name) => [name === 'bytes' ? bytes(Number(v)) : count(Number(v)), String(name)]} />
            <Bar dataKey="bytes" fill={colors[1]} maxBarSize={26} isAnimationActive={false} />
          </BarChart>
        </ChartCard>
      </div>
    </div>
  );
}

function ChartCard({ title, note, empty, emptyText = 'Nothing to show', height = 240, children }: { title: string; note?: string; empty: boolean; emptyText?: string; height?: number; children: ReactElement }) {
  const fixed = useContext(ChartSizeContext);
  let chart: ReactNode;
  if (empty) chart = <div className="chart-empty">{emptyText}</div>;
  else if (fixed !== null) chart = <ChartWithSize width={fixed.width} height={fixed.height}>{children}</ChartWithSize>;
  else
    chart = (
      <ResponsiveContainer width="100%" height={height}>
        {children}
      </ResponsiveContainer>
    );
  return (
    <section className="chart-card" data-testid="chart" data-chart={title} data-empty={empty ? 'true' : undefined}>
      <header>
        <h3>{title}</h3>
        {note !== undefined && <span className="sub">{note}</span>}
      </header>
      {chart}
    </section>
  );
}

function ChartWithSize({ width, height, children }: { width: number; height: number; children: ReactElement }) {
  // Charts take their size as props when they are not inside a ResponsiveContainer.
  return <div style={{ width, height }}>{cloneElement(children as ReactElement<{ width?: number; height?: number }>, { width, height })}</div>;
}

function flatten(nodes: ProtocolNodeDto[], depth = 0): { label: string; packets: number; bytes: number }[] {
  return nodes.flatMap((n) => [{ label: `${'\u00a0\u00a0\u00a0'.repeat(depth)}${n.name}`, packets: n.packets, bytes: n.bytes }, ...flatten(n.children, depth + 1)]);
}

/** The latencies by the packets they run between, as the ladder's brackets measure them. */
export const LATENCY = {
  tcp: 'TCP connect (SYN → SYN/ACK)',
  tls: 'TLS handshake (ClientHello → last Finished)',
  ttfb: 'Time to first byte (request → first answer packet)',
} as const;

function framesText(span: { fromFrame: number; toFrame: number } | null): string {
  return span === null ? '' : `frames ${span.fromFrame} → ${span.toFrame}`;
}

function ms(s: number | null): number | null {
  return s === null ? null : s * 1000;
}
