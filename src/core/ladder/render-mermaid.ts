// The ladder as a Mermaid sequenceDiagram: one message per step (numbered like the SVG through
// `autonumber`), TCP states and explanations as notes, phases as coloured rect blocks, annotations,
// RTT brackets, long gaps and the verdict as notes.
//
// Text from the wire goes through mermaidText(): Mermaid's sequence lexer ends a statement at `;`
// and a line, starts a comment at `#` and `%%`, and renders `<…>` as HTML, so those become its
// entity codes (`#59;`, `#35;`, `#lt;`…), which it decodes before display.

import type { LadderModel, LadderStep, StepKind } from './model';
import { chrome, conversationTitle, duration } from './labels';
import { longGapThreshold } from './layout';
import { mermaidPhaseColors } from './theme';

/** Escapes one line of text for a Mermaid message, note, alias or title. */
export function mermaidText(raw: string): string {
  const flat = raw
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  let out = '';
  for (const ch of flat) {
    switch (ch) {
      case '#':
        out += '#35;';
        break;
      case ';':
        out += '#59;';
        break;
      case '<':
        out += '#lt;';
        break;
      case '>':
        out += '#gt;';
        break;
      case '"':
        out += '#quot;';
        break;
      case '%':
        out += '#37;';
        break;
      case '&':
        out += '#amp;';
        break;
      case '{':
        out += '#123;';
        break;
      case '}':
        out += '#125;';
        break;
      default:
        out += ch;
    }
  }
  // A message starting with `wrap:`/`nowrap:` would be read as a directive.
  out = out.replace(/^(no)?wrap:/i, (m) => `${m.slice(0, -1)}#58;`);
  return out === '' ? '(empty)' : out;
}

/** Arrow per kind: dotted for pure ACKs and retransmissions, a cross for RST, solid otherwise. */
function arrowFor(kind: StepKind): string {
  switch (kind) {
    case 'ack':
    case 'retransmission':
      return '-->>';
    case 'rst':
      return '-x';
    default:
      return '->>';
  }
}

function stepLines(s: LadderStep, gapAbove: number | null, language: LadderModel['language']): string[] {
  const strings = chrome(language);
  const out: string[] = [];
  if (gapAbove !== null) out.push(`Note over C,S: ${mermaidText(strings.later(duration(gapAbove)))}`);
  const [from, to] = s.from === 'client' ? ['C', 'S'] : ['S', 'C'];
  let label = s.label;
  if (s.folded !== null) label += ` [${strings.packets(s.folded.packets)}, ${s.folded.bytes} B]`;
  out.push(`${from}${arrowFor(s.kind)}${to}: ${mermaidText(label)}`);
  if (s.clientStateChanged) out.push(`Note over C: ${s.clientState}`);
  if (s.serverStateChanged) out.push(`Note over S: ${s.serverState}`);
  if (s.explanation.trim() !== '') out.push(`Note right of S: ${mermaidText(`${s.index}. ${s.explanation}`)}`);
  for (const a of s.annotations) out.push(`Note left of C: ${mermaidText(`✎ ${a.text}`)}`);
  return out;
}

export function renderMermaid(model: LadderModel): string {
  const strings = chrome(model.language);
  const lines: string[] = [];
  // Wrap long notes instead of drawing one very wide line.
  lines.push('%%{init: {"sequence": {"wrap": true, "width": 220, "noteMargin": 8}}}%%');
  lines.push('sequenceDiagram');
  const ind = '    ';
  lines.push(`${ind}title ${mermaidText(conversationTitle(model, model.language))}`);
  lines.push(`${ind}autonumber`);
  lines.push(`${ind}participant C as ${mermaidText(`${strings.client} ${model.client.label}`)}`);
  lines.push(`${ind}participant S as ${mermaidText(`${strings.server} ${model.server.label}`)}`);
  if (model.facts.length > 0) {
    lines.push(`${ind}Note over C,S: ${mermaidText(model.facts.map((f) => (f.label === '' ? f.value : `${f.label} ${f.value}`)).join(' · '))}`);
  }
  const first = model.steps[0];
  lines.push(`${ind}Note over C: ${first !== undefined && !first.clientStateChanged ? first.clientState : 'CLOSED'}`);
  lines.push(`${ind}Note over S: ${first !== undefined && !first.serverStateChanged ? first.serverState : 'LISTEN'}`);

  // Long pauses get a note, like the gap markers of the SVG's time layout.
  const dts = model.steps.map((s, i) => (i === 0 ? 0 : Math.max(0, s.time - model.steps[i - 1]!.time)));
  const longGap = longGapThreshold(model.steps.map((s) => s.time));
  const bracketsEndingAt = new Map<number, typeof model.brackets>();
  for (const b of model.brackets) bracketsEndingAt.set(b.toStep, [...(bracketsEndingAt.get(b.toStep) ?? []), b]);

  let open: string | null = null;
  model.steps.forEach((s, i) => {
    const span = model.phases.find((p) => s.index >= p.firstStep && s.index <= p.lastStep);
    const phase = span?.phase ?? s.phase;
    if (phase !== open) {
      if (open !== null) lines.push(`${ind}end`);
      lines.push(`${ind}rect ${mermaidPhaseColors[phase]}`);
      lines.push(`${ind}${ind}Note over C,S: ${mermaidText(strings.phases[phase])}`);
      open = phase;
    }
    const gap = i > 0 && dts[i]! > longGap ? dts[i]! : null;
    for (const l of stepLines(s, gap, model.language)) lines.push(`${ind}${ind}${l}`);
    for (const b of bracketsEndingAt.get(s.index) ?? []) {
      lines.push(`${ind}${ind}Note left of C: ${mermaidText(`${b.label} ${duration(b.seconds)} (${b.fromStep}–${b.toStep})`)}`);
    }
  });
  if (open !== null) lines.push(`${ind}end`);
  const v = model.verdict;
  const verdict = `${strings.verdict}: ${strings.verdicts[v.status]}${v.reason !== '' ? ` — ${v.reason}` : ''}`;
  lines.push(`${ind}Note over C,S: ${mermaidText([verdict, ...v.findings].join(' · '))}`);
  return `${lines.join('\n')}\n`;
}
