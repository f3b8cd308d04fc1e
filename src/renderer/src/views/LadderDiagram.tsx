// The ladder drawn as interactive SVG from the engine's LadderModel: lifelines with endpoint headers,
// one arrow per step (label, number, time), TCP state tags, phase bands, RTT brackets, annotations.

import type { LadderModel, TcpStateName } from '../../../shared/api';
import { bytes, duration } from '../state/format';
import { BRACKET_X, fitLabel, HEADER_HEIGHT, LABEL_LINE, labelMeasure, layoutLadder, loudKinds, phaseNames, type StepGeom } from '../state/ladder-layout';
import { ladderTexts } from '../state/ladder-texts';

interface Props {
  model: LadderModel;
  layout: 'time' | 'even';
  width: number;
  selected: number | null;
  hovered: number | null;
  onSelect(step: number): void;
  onHover(step: number | null): void;
}

export function LadderDiagram({ model, layout, width, selected, hovered, onSelect, onHover }: Props) {
  const g = layoutLadder(model, layout, width, labelMeasure());
  return (
    <svg
      className="ladder-svg"
      width={g.width}
      height={g.height}
      viewBox={`0 0 ${g.width} ${g.height}`}
      role="img"
      aria-label={`Ladder diagram: ${model.title}`}
      data-testid="ladder-svg"
    >
      {g.phases.map((p, i) => {
        const name = model.language === 'zh-CN' ? { long: ladderTexts('zh-CN').phases[p.phase], short: ladderTexts('zh-CN').phasesShort[p.phase] } : phaseNames[p.phase];
        const h = p.bottom - p.top;
        return (
          <g key={`${p.phase}-${i}`} className={`phase phase-${p.phase}`}>
            <rect x={0} y={p.top} width={g.width} height={h} />
            <text className="phase-label" transform={`translate(15 ${(p.top + p.bottom) / 2}) rotate(-90)`} textAnchor="middle">
              {h > name.long.length * 7 ? name.long : name.short}
            </text>
          </g>
        );
      })}

      {[
        { x: g.xClient, role: 'Client', label: model.client.label },
        { x: g.xServer, role: 'Server', label: model.server.label },
      ].map((e) => (
        <g key={e.role} className="endpoint">
          <line className="lifeline" x1={e.x} x2={e.x} y1={HEADER_HEIGHT} y2={g.height - 16} />
          <rect className="endpoint-box" x={e.x - 110} y={12} width={220} height={HEADER_HEIGHT - 20} rx={6} />
          <text className="endpoint-role" x={e.x} y={29} textAnchor="middle">
            {e.role}
          </text>
          <text className="endpoint-label" x={e.x} y={46} textAnchor="middle">
            {e.label}
          </text>
        </g>
      ))}

      {g.steps.map((s) => (
        <Step
          key={s.step.index}
          s={s}
          g={{ width: g.width, xClient: g.xClient, xServer: g.xServer }}
          selected={selected === s.step.index}
          hovered={hovered === s.step.index}
          onSelect={onSelect}
          onHover={onHover}
        />
      ))}
      {g.holes.map((h, i) => (
        <g key={`hole-${i}`} className="ladder-hole" data-testid="ladder-hole" data-side={h.side}>
          <title>{`${h.bytes.toLocaleString('en-US')} bytes the ${h.side} sent are not in the capture (before packet ${h.frame})`}</title>
          <rect x={h.x - 9} y={h.y - 9} width={18} height={18} className="hole-gap" />
          <path d={`M ${h.x - 8} ${h.y - 7} L ${h.x + 8} ${h.y - 3} M ${h.x - 8} ${h.y + 3} L ${h.x + 8} ${h.y + 7}`} />
          <text x={h.side === 'client' ? h.x + 14 : h.x - 14} y={h.y + 4} textAnchor={h.side === 'client' ? 'start' : 'end'}>
            {`${bytes(h.bytes)} not captured`}
          </text>
        </g>
      ))}
      {g.brackets.map((b, i) => {
        const x = BRACKET_X;
        // The label's lines and the duration under them, centred on the bracket.
        const first = (b.top + b.bottom) / 2 - 2 - ((b.lines.length - 1) * 13) / 2;
        return (
          <g key={i} className="rtt-bracket" data-testid="rtt-bracket">
            <title>{`${b.label}: ${duration(b.seconds)}`}</title>
            <path d={`M ${x + 6} ${b.top} H ${x} V ${b.bottom} H ${x + 6}`} />
            {b.lines.map((line, k) => (
              <text key={k} x={x - 6} y={first + k * 13} textAnchor="end" data-testid="rtt-label">
                {line}
              </text>
            ))}
            <text x={x - 6} y={first + b.lines.length * 13} textAnchor="end" className="rtt-value">
              {duration(b.seconds)}
            </text>
          </g>
        );
      })}

    </svg>
  );
}

function Step({
  s,
  g,
  selected,
  hovered,
  onSelect,
  onHover,
}: {
  s: StepGeom;
  g: { width: number; xClient: number; xServer: number };
  selected: boolean;
  hovered: boolean;
  onSelect(step: number): void;
  onHover(step: number | null): void;
}) {
  const { step } = s;
  const dir = s.x2 > s.x1 ? 1 : -1;
  // Arrowhead: a small triangle at the end, along the arrow's direction.
  const len = Math.hypot(s.x2 - s.x1, s.y2 - s.y1);
  const ux = (s.x2 - s.x1) / len;
  const uy = (s.y2 - s.y1) / len;
  const tip = { x: s.x2, y: s.y2 };
  const back = { x: tip.x - ux * 10, y: tip.y - uy * 10 };
  const head = `${tip.x},${tip.y} ${back.x - uy * 4.5},${back.y + ux * 4.5} ${back.x + uy * 4.5},${back.y - ux * 4.5}`;
  // Labels run along the arrow but always read left to right.
  const angle = (Math.atan2(s.y2 - s.y1, s.x2 - s.x1) * 180) / Math.PI - (dir === 1 ? 0 : 180);
  const lines = s.labelLines;
  const extra = (lines.length - 1) * LABEL_LINE;
  const midX = (s.x1 + s.x2) / 2;
  const midY = (s.y1 + s.y2) / 2;
  const annotation = step.annotations[0];
  return (
    <g
      className={`step k-${step.kind}${loudKinds.has(step.kind) ? ' loud' : ''}${selected ? ' selected' : ''}${hovered ? ' hovered' : ''}${step.folded !== null ? ' folded' : ''}${step.problem !== undefined ? ' problem' : ''}`}
      data-testid="ladder-step"
      data-step={step.index}
      data-packets={step.packets.join(',')}
      onClick={() => onSelect(step.index)}
      onMouseEnter={() => onHover(step.index)}
      onMouseLeave={() => onHover(null)}
      role="button"
      tabIndex={-1}
      aria-label={`Step ${step.index}: ${step.label}`}
    >
      <title>{`${step.index}. ${step.label} — packets ${step.packets.join(', ')}${step.problem !== undefined ? `\nMalformed: ${step.problem}` : ''}`}</title>
      <rect className="step-hit" x={28} y={s.y1 - 17 - extra} width={g.width - 28} height={s.y2 - s.y1 + 26 + extra} />
      <text className="step-time" x={82} y={s.y1 + 4} textAnchor="end">
        {duration(step.time)}
      </text>
      <circle className="step-num-bg" cx={100} cy={s.y1} r={10} />
      <text className="step-num" x={100} y={s.y1 + 4} textAnchor="middle">
        {step.index}
      </text>
      <line className="arrow" x1={s.x1} y1={s.y1} x2={back.x} y2={back.y} />
      <circle className="arrow-tail" cx={s.x1} cy={s.y1} r={3} />
      <polygon className="arrow-head" points={head} />
      {/* Every message of a long flight is shown: the label wraps, its last line beside the arrow. */}
      <text className="step-label" data-testid="step-label" x={midX} y={midY - 8 - extra} textAnchor="middle" transform={`rotate(${angle.toFixed(2)} ${midX} ${midY})`}>
        {lines.length === 1
          ? lines[0]
          : lines.map((line, k) => (
              <tspan key={k} x={midX} y={midY - 8 - extra + k * LABEL_LINE}>
                {line}
              </tspan>
            ))}
      </text>
      {step.clientStateChanged && <StateTag x={g.xClient - 10} y={s.yClient} anchor="end" text={step.clientState} />}
      {step.serverStateChanged && <StateTag x={g.xServer + 10} y={s.yServer} anchor="start" text={step.serverState} />}
      {annotation !== undefined && (
        <g className="annotation" data-testid="ladder-annotation">
          <title>{step.annotations.map((a) => `#${a.packet}: ${a.text}`).join('\n')}</title>
          <rect x={g.xServer + 118} y={s.y1 - 9} width={g.width - g.xServer - 126} height={20} rx={4} />
          <text x={g.xServer + 126} y={s.y1 + 5}>
            {fitLabel(annotation.text + (step.annotations.length > 1 ? ` (+${step.annotations.length - 1})` : ''), g.width - g.xServer - 142)}
          </text>
        </g>
      )}
    </g>
  );
}

/** State colour families, as in the SVG export: opening, established, closing, closed. */
export function stateFamily(state: TcpStateName): 'opening' | 'established' | 'closing' | 'closed' {
  if (state === 'SYN_SENT' || state === 'SYN_RECEIVED') return 'opening';
  if (state === 'ESTABLISHED') return 'established';
  if (state === 'CLOSED' || state === 'LISTEN') return 'closed';
  return 'closing';
}

function StateTag({ x, y, anchor, text }: { x: number; y: number; anchor: 'start' | 'end'; text: TcpStateName }) {
  const w = text.length * 6.6 + 12;
  const left = anchor === 'end' ? x - w : x;
  return (
    <g className={`state-tag fam-${stateFamily(text)}`}>
      <rect x={left} y={y - 8} width={w} height={16} rx={8} />
      <text x={left + w / 2} y={y + 3.5} textAnchor="middle">
        {text}
      </text>
    </g>
  );
}
