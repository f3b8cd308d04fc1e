// The toolbar: open and save, live capture, the display filter, diagram export, theme.

import { useEffect, useState } from 'react';
import type { ExportFormat } from '../../../shared/api';
import type { ThemeChoice } from '../state/theme';
import { ExportMenu } from './ExportMenu';

interface Props {
  browser: boolean;
  hasSession: boolean;
  /** Saving is possible now (not while a capture runs or a file loads). */
  canSave: boolean;
  /** A finished live capture exists only in its temporary file: Save is the next step. */
  unsavedCapture: boolean;
  capturing: boolean;
  canStopCapture: boolean;
  filter: string;
  filterState: { ok: boolean; error: string | null; busy: boolean };
  exportTarget: string | null;
  /** Incremented to open the export menu (File › Export Diagram…). */
  exportSignal: number;
  themeChoice: ThemeChoice;
  onOpen(): void;
  onSave(): void;
  /** The TLS Keys dialog (key logs, RSA keys, save with embedded keys). */
  onKeys(): void;
  onStartCapture(): void;
  onStopCapture(): void;
  onFilter(text: string): void;
  onExport(format: ExportFormat): void;
  onTheme(choice: ThemeChoice): void;
}

export function Toolbar(p: Props) {
  const [text, setText] = useState(p.filter);
  useEffect(() => setText(p.filter), [p.filter]);
  const dirty = text.trim() !== p.filter;
  const state = p.filterState.busy ? 'busy' : p.filterState.error !== null ? 'invalid' : p.filter !== '' && !dirty ? 'valid' : '';
  return (
    <header className="toolbar" role="toolbar" aria-label="Main toolbar">
      <div className="brand" aria-hidden="true">
        <span className="brand-mark" />
        WireLadder
      </div>
      <div className="tool-group">
        <button className="button" onClick={p.onOpen} title={p.browser ? 'How to open a capture in browser mode' : 'Open a capture (Ctrl/Cmd+O)'} data-testid="open-button">
          Open…
        </button>
        <button
          className={`button${p.unsavedCapture && p.canSave ? ' primary' : ''}`}
          onClick={p.onSave}
          disabled={!p.canSave}
          title={p.capturing ? 'Stop the capture to save it' : 'Save the capture with its annotations as pcapng'}
          data-testid="save-button"
        >
          {p.browser ? 'Download pcapng' : 'Save As…'}
        </button>
        <button className="button" onClick={p.onKeys} disabled={!p.hasSession} title="TLS keys: load a key log or RSA key to decrypt" data-testid="keys-button">
          Keys…
        </button>
      </div>
      <div className="tool-group">
        {p.capturing ? (
          <button className="button stop" onClick={p.onStopCapture} disabled={!p.canStopCapture} data-testid="capture-stop" title="Stop the capture (Ctrl/Cmd+Shift+K)">
            <span className="stop-square" aria-hidden="true" /> Stop
          </button>
        ) : (
          <button className="button" onClick={p.onStartCapture} data-testid="capture-start" title="Capture live on an interface (Ctrl/Cmd+K)">
            <span className="rec-dot" aria-hidden="true" /> Capture…
          </button>
        )}
      </div>
      <form
        className={`filter-box ${state}`}
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          p.onFilter(text.trim());
        }}
      >
        <input
          type="text"
          aria-label="Display filter"
          placeholder="Display filter, e.g. tcp.port == 443 && tls"
          value={text}
          spellCheck={false}
          disabled={!p.hasSession}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setText(p.filter);
          }}
          aria-invalid={p.filterState.error !== null}
          data-testid="filter-input"
        />
        {text !== '' && (
          <button
            type="button"
            className="icon-button"
            aria-label="Clear filter"
            onClick={() => {
              setText('');
              if (p.filter !== '') p.onFilter('');
            }}
          >
            ✕
          </button>
        )}
        <button type="submit" className="button" disabled={!p.hasSession}>
          Apply
        </button>
        {p.filterState.error !== null && (
          <div className="filter-error" role="alert" data-testid="filter-error">
            {p.filterState.error}
          </div>
        )}
      </form>
      <div className="tool-group">
        <ExportMenu onExport={p.onExport} disabled={p.exportTarget === null} disabledReason="Select a conversation to export its ladder" openSignal={p.exportSignal} />
      </div>
      {p.browser && (
        <label className="theme-pick">
          <span className="visually-hidden">Theme</span>
          <select value={p.themeChoice} onChange={(e) => p.onTheme(e.target.value as ThemeChoice)} aria-label="Theme">
            <option value="system">System theme</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
      )}
    </header>
  );
}
