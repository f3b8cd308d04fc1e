// A small inline SVG line of recent values, oldest at the left edge and newest at the right (the
// capture dialog's traffic per interface).

interface Props {
  values: readonly number[];
  /** At most this many values are drawn (the newest); fewer are spread across the whole width. */
  slots: number;
  width?: number;
  height?: number;
  label: string;
}

export function Sparkline({ values, slots, width = 96, height = 20, label }: Props) {
  const shown = values.slice(-slots);
  const max = Math.max(1, ...shown);
  const step = width / Math.max(1, shown.length - 1);
  const x = (i: number): number => i * step;
  // One pixel of margin so the line is not clipped at the top and bottom.
  const y = (v: number): number => height - 1 - (v / max) * (height - 2);
  const line = shown.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const drawn = shown.length > 1;
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid="sparkline" data-samples={shown.length}>
      <line className="sparkline-base" x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} />
      {drawn && <polygon className="sparkline-area" points={`0,${height} ${line} ${width},${height}`} />}
      {drawn && <polyline className="sparkline-line" points={line} />}
    </svg>
  );
}
