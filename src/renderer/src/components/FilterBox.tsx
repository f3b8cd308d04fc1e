// The display filter box as Wireshark's: checked as you type (green valid, red invalid with the
// reason, yellow when it works but warns), field and protocol names completed from the engine's
// catalogue, the recent filters in a drop-down, and saved filter buttons beside it.

import { useEffect, useMemo, useRef, useState } from 'react';
import type { FieldCatalogueDto } from '../../../shared/api';
import { useClient } from '../state/client-context';
import { isStringList, useStored } from '../state/stored';

interface Props {
  /** The filter in force. */
  filter: string;
  /** Text put in the box from elsewhere (Prepare as Filter): replaces what is typed, not applied. */
  prepared: { text: string; n: number };
  state: { ok: boolean; error: string | null; busy: boolean };
  disabled: boolean;
  onApply(text: string): void;
}

interface SavedFilter {
  label: string;
  filter: string;
}

const isSavedList = (v: unknown): v is SavedFilter[] => Array.isArray(v) && v.every((x: Partial<SavedFilter>) => typeof x?.label === 'string' && typeof x.filter === 'string');
const RECENT = 20;
const SUGGESTIONS = 12;

/** The field-name-like word the caret is in: its start and text. */
function wordAt(text: string, caret: number): { start: number; word: string } {
  let start = caret;
  while (start > 0 && /[A-Za-z0-9_.-]/.test(text[start - 1]!)) start--;
  return { start, word: text.slice(start, caret) };
}

export function FilterBox({ filter, prepared, state, disabled, onApply }: Props) {
  const client = useClient();
  const [text, setText] = useState(filter);
  const [check, setCheck] = useState<{ text: string; ok: boolean; error: string | null; warnings: string[] } | null>(null);
  const [catalogue, setCatalogue] = useState<FieldCatalogueDto | null>(null);
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(-1);
  const [suggest, setSuggest] = useState(false);
  const [recentOpen, setRecentOpen] = useState(false);
  const [adding, setAdding] = useState(false);
  /** The text last applied: the engine's answer to it (a refusal) is shown while it is typed. */
  const [attempted, setAttempted] = useState<string | null>(null);
  const [recent, setRecent] = useStored<string[]>('recent-filters', [], isStringList);
  const [saved, setSaved] = useStored<SavedFilter[]>('saved-filters', [], isSavedList);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => setText(filter), [filter]);
  useEffect(() => {
    if (prepared.n > 0) {
      setText(prepared.text);
      input.current?.focus();
    }
  }, [prepared]);

  // Remember each filter applied successfully, newest first.
  useEffect(() => {
    if (filter !== '' && state.ok && !state.busy) setRecent((r) => [filter, ...r.filter((f) => f !== filter)].slice(0, RECENT));
  }, [filter, state.ok, state.busy, setRecent]);

  useEffect(() => {
    let alive = true;
    client.call('fieldCatalogue', {}).then(
      (c) => alive && setCatalogue(c),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [client]);

  // Checked as it is typed (debounced), like Wireshark's green/red/yellow box.
  useEffect(() => {
    const t = text.trim();
    if (t === '') {
      setCheck(null);
      return;
    }
    let alive = true;
    const timer = setTimeout(() => {
      client.call('checkFilter', { filter: t }).then(
        (r) => alive && setCheck({ text: t, ok: r.ok, error: r.error, warnings: r.warnings }),
        () => undefined,
      );
    }, 120);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [client, text]);

  const { start, word } = wordAt(text, caret);
  const suggestions = useMemo(() => {
    if (catalogue === null || word.length < 1 || !suggest) return [];
    const names = new Map<string, string>();
    for (const p of catalogue.protocols) if (p.startsWith(word)) names.set(p, 'protocol');
    for (const f of catalogue.fields) if (f.name.startsWith(word)) names.set(f.name, f.title);
    // Complete one level at a time (as Wireshark's completer lists the next name part first).
    return [...names.entries()]
      .filter(([name]) => name !== word)
      .sort((a, b) => a[0].length - b[0].length || a[0].localeCompare(b[0]))
      .slice(0, SUGGESTIONS);
  }, [catalogue, word, suggest]);

  const accept = (name: string): void => {
    const next = text.slice(0, start) + name + text.slice(caret);
    setText(next);
    setSuggest(false);
    setActive(-1);
    const at = start + name.length;
    requestAnimationFrame(() => {
      input.current?.setSelectionRange(at, at);
      setCaret(at);
    });
  };

  const typed = text.trim();
  const dirty = typed !== filter;
  const live = check !== null && check.text === typed ? check : null;
  const refused = state.error !== null && (attempted === typed || !dirty) ? state.error : null;
  const error = live !== null && !live.ok ? live.error : refused;
  const tone = state.busy
    ? 'busy'
    : typed === ''
      ? ''
      : error !== null
        ? 'invalid'
        : live === null
          ? dirty
            ? ''
            : 'valid'
          : live.warnings.length > 0
            ? 'warning'
            : 'valid';

  const apply = (t: string): void => {
    setSuggest(false);
    setRecentOpen(false);
    setAttempted(t.trim());
    onApply(t.trim());
  };

  return (
    <div className="filter-area">
      <form
        className={`filter-box ${tone}`}
        role="search"
        data-state={tone}
        data-applied={filter}
        onSubmit={(e) => {
          e.preventDefault();
          apply(text);
        }}
      >
        <input
          ref={input}
          type="text"
          aria-label="Display filter"
          placeholder="Apply a display filter … <Ctrl-/>"
          value={text}
          spellCheck={false}
          disabled={disabled}
          autoComplete="off"
          onChange={(e) => {
            setText(e.target.value);
            setCaret(e.target.selectionStart ?? e.target.value.length);
            setSuggest(true);
            setActive(-1);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
          onBlur={() => setTimeout(() => setSuggest(false), 150)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              if (suggestions.length > 0) setSuggest(false);
              else setText(filter);
            } else if (e.key === 'ArrowDown' && suggestions.length > 0) {
              e.preventDefault();
              setActive((a) => Math.min(suggestions.length - 1, a + 1));
            } else if (e.key === 'ArrowUp' && suggestions.length > 0) {
              e.preventDefault();
              setActive((a) => Math.max(0, a - 1));
            } else if ((e.key === 'Tab' && suggestions.length > 0) || (e.key === 'Enter' && active >= 0 && suggestions[active] !== undefined)) {
              e.preventDefault();
              accept(suggestions[Math.max(0, active)]![0]);
            }
          }}
          aria-invalid={tone === 'invalid'}
          aria-autocomplete="list"
          aria-expanded={suggestions.length > 0}
          data-testid="filter-input"
        />
        {text !== '' && (
          <button
            type="button"
            className="icon-button"
            aria-label="Clear filter"
            onClick={() => {
              setText('');
              if (filter !== '') onApply('');
            }}
          >
            ✕
          </button>
        )}
        <button type="button" className="icon-button" aria-label="Recent filters" aria-haspopup="menu" aria-expanded={recentOpen} onClick={() => setRecentOpen((o) => !o)} disabled={disabled} data-testid="recent-filters">
          ▾
        </button>
        <button type="submit" className="button" disabled={disabled} data-testid="filter-apply">
          Apply
        </button>
        {suggestions.length > 0 && (
          <ul className="menu completions" role="listbox" data-testid="filter-completions">
            {suggestions.map(([name, title], i) => (
              <li
                key={name}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : ''}
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(name);
                }}
              >
                <span className="mono">{name}</span>
                <span className="menu-hint">{title}</span>
              </li>
            ))}
          </ul>
        )}
        {recentOpen && (
          <div className="menu recent" role="menu" data-testid="recent-menu">
            {recent.length === 0 && <div className="menu-empty">No recent filters yet</div>}
            {recent.map((f) => (
              <button key={f} role="menuitem" className="mono" onClick={() => (setText(f), apply(f))}>
                {f}
              </button>
            ))}
          </div>
        )}
        {error !== null && (
          <div className="filter-error" role="alert" data-testid="filter-error">
            {error}
          </div>
        )}
        {error === null && live !== null && live.warnings.length > 0 && (
          <div className="filter-error warning" role="status" data-testid="filter-warning">
            {live.warnings[0]}
          </div>
        )}
      </form>
      <div className="filter-buttons" role="toolbar" aria-label="Saved filters" data-testid="filter-buttons">
        {saved.map((b, i) => (
          <button
            key={`${b.label}-${i}`}
            className="link-button filter-button"
            title={`${b.filter} (right-click to remove)`}
            onClick={() => (setText(b.filter), apply(b.filter))}
            onContextMenu={(e) => {
              e.preventDefault();
              if (window.confirm(`Remove the filter button “${b.label}”?`)) setSaved((s) => s.filter((_, k) => k !== i));
            }}
            data-testid="filter-button"
          >
            {b.label}
          </button>
        ))}
        {adding ? (
          <SaveFilterForm
            initial={typed}
            onCancel={() => setAdding(false)}
            onSave={(b) => {
              setSaved((s) => [...s, b]);
              setAdding(false);
            }}
          />
        ) : (
          <button className="icon-button" title="Save this filter as a button" aria-label="Add a filter button" onClick={() => setAdding(true)} disabled={disabled} data-testid="filter-button-add">
            +
          </button>
        )}
      </div>
    </div>
  );
}

function SaveFilterForm({ initial, onSave, onCancel }: { initial: string; onSave(b: SavedFilter): void; onCancel(): void }) {
  const [label, setLabel] = useState('');
  const [filter, setFilter] = useState(initial);
  return (
    <form
      className="save-filter"
      onSubmit={(e) => {
        e.preventDefault();
        if (label.trim() !== '' && filter.trim() !== '') onSave({ label: label.trim(), filter: filter.trim() });
      }}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
      data-testid="filter-button-form"
    >
      <input type="text" placeholder="Label" value={label} autoFocus onChange={(e) => setLabel(e.target.value)} aria-label="Button label" data-testid="filter-button-label" />
      <input type="text" placeholder="Filter" value={filter} spellCheck={false} onChange={(e) => setFilter(e.target.value)} aria-label="Button filter" data-testid="filter-button-filter" />
      <button type="submit" className="button primary" data-testid="filter-button-save">
        Save
      </button>
      <button type="button" className="icon-button" aria-label="Cancel" onClick={onCancel}>
        ✕
      </button>
    </form>
  );
}
