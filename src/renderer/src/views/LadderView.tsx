// The handshake ladder of one conversation: the diagram, the explanation of the selected step, its
// packets and annotations, layout options and export.

import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { MAX_NOTE_LENGTH, type LadderDto, type LadderOptions, type LadderStep } from '../../../shared/api';
import { EmptyState } from '../components/Notice';
import { useClient } from '../state/client-context';
import { duration, errorText } from '../state/format';
import { ladderTexts, type LadderTexts } from '../state/ladder-texts';
import { LadderDiagram } from './LadderDiagram';

export type LadderPrefs = Omit<LadderOptions, 'theme'>;

interface Props {
  session: string;
  /** Changes when the ladder should be fetched again (a live capture grew). */
  refresh?: number;
  conversation: number | null;
  theme: 'light' | 'dark';
  prefs: LadderPrefs;
  onPrefs(p: LadderPrefs): void;
  onGoToPacket(packet: number): void;
  /** Packets of the hovered or selected step (the packet list marks them). */
  onMarkPackets(packets: number[]): void;
}

export function LadderView({ session, refresh = 0, conversation, theme, prefs, onPrefs, onGoToPacket, onMarkPackets }: Props) {
  const client = useClient();
  const [dto, setDto] = useState<LadderDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const [nonce, setNonce] = useState(0);
  const wrap = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(980);

  // Measure before the first paint (no jump from the default width), then follow resizes.
  useLayoutEffect(() => {
    const el = wrap.current;
    if (el === null) return;
    const measure = (): void => setWidth(el.clientWidth > 0 ? el.clientWidth : 980);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [dto]);

  useEffect(() => {
    if (conversation === null) return;
    let alive = true;
    setError(null);
    client.call('ladder', { session, conversation, options: { ...prefs, theme } }).then(
      (d) => alive && setDto(d),
      (err: unknown) => alive && (setError(errorText(err)), setDto(null)),
    );
    return () => {
      alive = false;
    };
  }, [client, session, conversation, prefs, theme, nonce, refresh]);

  useEffect(() => setSelected(null), [conversation]);

  const model = dto?.model ?? null;
  const t = ladderTexts(model?.language ?? prefs.language);
  const step = model?.steps.find((s) => s.index === selected) ?? null;
  const focus = model?.steps.find((s) => s.index === (hovered ?? selected)) ?? null;
  useEffect(() => onMarkPackets(focus?.packets ?? []), [focus, onMarkPackets]);

  if (conversation === null) {
    return <EmptyState title="No conversation chosen">Open a conversation’s ladder from the Conversations tab (double-click or Enter).</EmptyState>;
  }
  if (error !== null) return <EmptyState title="The ladder could not be drawn" tone="error">{error}</EmptyState>;
  if (model === null) return <EmptyState title="Drawing the ladder…" tone="loading" />;

  return (
    <div className="ladder-view">
      <div className="ladder-head">
        <div className="ladder-title">
          <h2 title={model.title}>{model.title}</h2>
          <div className="ladder-verdict">
            <span className={`badge ${model.verdict.status}`} data-testid="ladder-verdict">
              {model.verdict.status}
            </span>
            <span className="ladder-reason">{model.verdict.reason}</span>
          </div>
        </div>
        <div className="ladder-controls">
          <div className="segmented" role="radiogroup" aria-label="Layout">
            {(['time', 'even'] as const).map((l) => (
              <button key={l} role="radio" aria-checked={prefs.layout === l} className={prefs.layout === l ? 'on' : ''} onClick={() => onPrefs({ ...prefs, layout: l })} data-testid={`layout-${l}`}>
                {l === 'time' ? 'By time' : 'Even'}
              </button>
            ))}
          </div>
          <label className="check">
            <input type="checkbox" checked={prefs.showAcks} onChange={(e) => onPrefs({ ...prefs, showAcks: e.target.checked })} /> Show ACKs
          </label>
          {model.http2 !== undefined && (
            <label className="check" title={`${model.http2.controlFrames} WINDOW_UPDATE, PING and PRIORITY frames`}>
              <input type="checkbox" checked={prefs.showControlFrames === true} onChange={(e) => onPrefs({ ...prefs, showControlFrames: e.target.checked })} data-testid="show-control-frames" /> Show control frames
            </label>
          )}
          <label className="check">
            Language
            <select value={prefs.language} onChange={(e) => onPrefs({ ...prefs, language: e.target.value as LadderPrefs['language'] })}>
              <option value="en">English</option>
              <option value="zh-CN">中文</option>
            </select>
          </label>
        </div>
      </div>
      {(model.facts.length > 0 || model.verdict.findings.length > 0) && (
        <div className="facts">
          {model.facts.map((f) => (
            <span key={f.label} className="fact">
              <span className="fact-label">{f.label}</span> {f.value}
            </span>
          ))}
          {model.verdict.findings.map((f) => (
            <span key={f} className="fact finding">
              {f}
            </span>
          ))}
        </div>
      )}
      <div className="ladder-body">
        <div
          className="ladder-scroll"
          ref={wrap}
          tabIndex={0}
          aria-label="Ladder steps: arrow keys move between steps"
          onKeyDown={(e) => {
            if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
            e.preventDefault();
            const i = model.steps.findIndex((st) => st.index === selected);
            const next = model.steps[Math.max(0, Math.min(model.steps.length - 1, i < 0 ? 0 : i + (e.key === 'ArrowDown' ? 1 : -1)))];
            if (next !== undefined) setSelected(next.index);
          }}
        >
          <LadderDiagram model={model} layout={prefs.layout} width={width} selected={selected} hovered={hovered} onSelect={setSelected} onHover={setHovered} />
        </div>
        <aside className="explain" aria-label="Step explanation" data-testid="explanation">
          {step === null ? (
            <div className="explain-empty">
              <h3>{t.steps(model.steps.length)}</h3>
              <p>{t.howTo}</p>
              <ul className="phase-list">
                {model.phases.map((p, i) => (
                  <li key={i}>
                    <span className={`phase-dot phase-${p.phase}`} /> {t.phases[p.phase]}: {t.phaseSteps(p.firstStep, p.lastStep)}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <StepPanel
              key={step.index}
              step={step}
              t={t}
              client={model.client.label}
              server={model.server.label}
              onGoToPacket={onGoToPacket}
              onAnnotate={async (packet, comment) => {
                await client.call('annotate', { session, packet, comment });
                setNonce((n) => n + 1);
              }}
            />
          )}
        </aside>
      </div>
    </div>
  );
}

function StepPanel({
  step,
  t,
  client,
  server,
  onGoToPacket,
  onAnnotate,
}: {
  step: LadderStep;
  t: LadderTexts;
  client: string;
  server: string;
  onGoToPacket(packet: number): void;
  onAnnotate(packet: number, comment: string | null): Promise<void>;
}) {
  const [editing, setEditing] = useState<{ packet: number; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (packet: number, comment: string | null): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await onAnnotate(packet, comment);
      setEditing(null);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const from = step.from === 'client' ? client : server;
  const to = step.from === 'client' ? server : client;
  return (
    <div className="step-panel">
      <div className="step-panel-head">
        <span className="step-badge">{step.index}</span>
        <h3 data-testid="explanation-title">{step.label}</h3>
      </div>
      <dl className="kv">
        <dt>{t.direction}</dt>
        <dd className="mono">
          {from} → {to}
        </dd>
        <dt>{t.time}</dt>
        <dd>+{duration(step.time)}</dd>
        <dt>{t.phase}</dt>
        <dd>{t.phases[step.phase]}</dd>
        <dt>{t.tcpStates}</dt>
        <dd>
          {t.client} <span className={`state${step.clientStateChanged ? ' changed' : ''}`}>{step.clientState}</span> · {t.server}{' '}
          <span className={`state${step.serverStateChanged ? ' changed' : ''}`}>{step.serverState}</span>
        </dd>
        <dt>{t.packets}</dt>
        <dd>
          {step.packets.map((p) => (
            <button key={p} className="chip link" onClick={() => onGoToPacket(p)} title={t.showInList}>
              #{p}
            </button>
          ))}
          {step.folded !== null && (
            <span className="sub">{t.folded(step.folded.packets, step.folded.bytes)}</span>
          )}
        </dd>
      </dl>
      <p className="explanation" data-testid="explanation-text">
        {step.explanation}
      </p>
      <div className="annotations">
        <h4>{t.annotations}</h4>
        {step.annotations.length === 0 && editing === null && <p className="sub">{t.noNotes}</p>}
        {step.annotations.map((a) =>
          editing?.packet === a.packet ? null : (
            <div key={a.packet} className="annotation-item">
              <div className="annotation-text">
                <span className="sub">#{a.packet}</span> {a.text}
              </div>
              <div className="annotation-actions">
                <button className="link-button" onClick={() => setEditing({ packet: a.packet, text: a.text })}>
                  {t.edit}
                </button>
                <button className="link-button danger" disabled={busy} onClick={() => void save(a.packet, null)}>
                  {t.remove}
                </button>
              </div>
            </div>
          ),
        )}
        {editing !== null ? (
          <div className="annotation-editor">
            <label>
              {t.packet}
              <select value={editing.packet} onChange={(e) => setEditing({ ...editing, packet: Number(e.target.value) })}>
                {step.packets.map((p) => (
                  <option key={p} value={p}>
                    #{p}
                  </option>
                ))}
              </select>
            </label>
            <textarea
              autoFocus
              rows={3}
              value={editing.text}
              placeholder={t.notePlaceholder}
              maxLength={MAX_NOTE_LENGTH}
              // maxLength stops typing and pasting; a value set any other way is cut here too.
              onChange={(e) => setEditing({ ...editing, text: e.target.value.slice(0, MAX_NOTE_LENGTH) })}
              data-testid="annotation-input"
            />
            {editing.text.length >= MAX_NOTE_LENGTH * 0.9 && (
              <p className={editing.text.length >= MAX_NOTE_LENGTH ? 'note-limit error-text' : 'note-limit'} data-testid="annotation-limit">
                {editing.text.length.toLocaleString('en')} of {MAX_NOTE_LENGTH.toLocaleString('en')} characters
                {editing.text.length >= MAX_NOTE_LENGTH ? ': a note holds no more (longer text was cut)' : ''}
              </p>
            )}
            <div className="row-buttons">
              <button className="button primary" disabled={busy || editing.text.trim() === ''} onClick={() => void save(editing.packet, editing.text.trim())} data-testid="annotation-save">
                {t.saveNote}
              </button>
              <button className="button" onClick={() => setEditing(null)}>
                {t.cancel}
              </button>
            </div>
          </div>
        ) : (
          <button className="button" onClick={() => setEditing({ packet: step.packets[0] ?? 1, text: '' })} data-testid="annotation-add">
            {t.addNote}
          </button>
        )}
        {error !== null && <p className="error-text">{error}</p>}
      </div>
    </div>
  );
}
