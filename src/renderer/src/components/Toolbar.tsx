// The toolbar: open and save, live capture, the display filter, diagram export, theme.

import type { ExportFormat } from '../../../shared/api';
import type { ThemeChoice } from '../state/theme';
import { ExportMenu } from './ExportMenu';
import { FilterBox } from './FilterBox';

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
  /** Text Prepare as Filter put in the box (not applied); `n` changes each time. */
  prepared: { text: string; n: number };
  exportTarget: string | null;
  /** Incremented to open the export menu (File › Export Diagram…). */
  exportSignal: number;
  themeChoice: ThemeChoice;
  onOpen(): void;
  onSave(): void;
  /** File › Export Specified Packets… */
  onExportPackets(): void;
  /** The TLS Keys dialog (key logs, RSA keys, save with embedded keys). */
  onKeys(): void;
  onStartCapture(): void;
  onStopCapture(): void;
  onFilter(text: string): void;
  onExport(format: ExportFormat): void;
  onTheme(choice: ThemeChoice): void;
}

export function Toolbar(p: Props) {
  return (
    <header className="toolbar" role="toolbar" aria-label="Main toolbar">
      <div className="brand" aria-hidden="true">
        <span className="brand-mark" />
        WireLadder
      </div>
      <div className="tool-group">
        <button className="button" onClick={p.onOpen} title={p.browser ? 'Open a capture from this computer (or drop one on the page)' : 'Open a capture (Ctrl/Cmd+O)'} data-testid="open-button">
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
        <button
          className="button"
          onClick={p.onExportPackets}
          disabled={!p.canSave}
          title="Export Specified Packets: all, displayed, marked or a range, as pcapng with their comments"
          data-testid="export-packets-button"
        >
          Export packets…
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
      <FilterBox filter={p.filter} prepared={p.prepared} state={p.filterState} disabled={!p.hasSession} onApply={p.onFilter} />
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
