// The status bar: file, packets, displayed, load progress (with Cancel), capture statistics, and
// Save As once a live capture has ended and is still only in its temporary file.

import type { CaptureStatsDto, SessionInfo } from '../../../shared/api';
import { bytes, clock, count, duration } from '../state/format';

interface Props {
  info: SessionInfo | null;
  /** The engine holding the session stopped: nothing loads any more. */
  engineStopped?: boolean;
  capture: { stats: CaptureStatsDto; running: boolean; error: string | null } | null;
  transport: 'electron' | 'browser' | null;
  onCancel(): void;
  /** Saves (Electron) or downloads (browser) the capture. */
  onSave(): void;
}

export function StatusBar({ info, engineStopped = false, capture, transport, onCancel, onSave }: Props) {
  const offerSave = info !== null && info.unsavedCapture && !info.live && !info.loading && capture?.running !== true;
  return (
    <footer className="status-bar" data-testid="status-bar" role="status">
      {info === null ? (
        <span className="sb-item muted">No capture open</span>
      ) : (
        <>
          <span className="sb-item file" title={info.fileName}>
            {info.fileName}
            <span className="sub">
              {' '}
              {info.format}
              {info.compressed ? ' · gzip' : ''}
              {info.fileSize > 0 ? ` · ${bytes(info.fileSize)}` : ''}
            </span>
          </span>
          <span className="sb-item" data-testid="status-packets">
            Packets: {count(info.packets)}
          </span>
          <span className="sb-item" data-testid="status-displayed">
            Displayed: {count(info.displayed)}
            {info.packets > 0 && info.displayed !== info.packets ? ` (${((info.displayed / info.packets) * 100).toFixed(1)}%)` : ''}
          </span>
          {info.durationSeconds > 0 && <span className="sb-item">Duration: {duration(info.durationSeconds)}</span>}
          {info.annotations > 0 && (
            <span className="sb-item" title={info.dirty ? 'Annotations changed: save the capture to keep them' : undefined}>
              Annotations: {count(info.annotations)}
              {info.dirty && <span className="dirty-dot" aria-label="unsaved" />}
            </span>
          )}
          {engineStopped && (
            <span className="sb-item warn" data-testid="status-engine-stopped">
              Engine stopped{info.loading ? ` at ${Math.round(info.progress * 100)}% of the file` : ''}
            </span>
          )}
          {info.loading && !info.live && !engineStopped && (
            <span className="sb-item progress" data-testid="load-progress">
              <span className="progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.floor(info.progress * 100)}>
                <span className="progress-fill" style={{ width: `${(info.progress * 100).toFixed(1)}%` }} />
              </span>
              {/* The whole file is read: the last conversations are being analysed, which Cancel cannot cut short. */}
              {info.progress >= 1 ? (
                'Finishing analysis…'
              ) : (
                <>
                  Loading {Math.floor(info.progress * 100)}%
                  <button className="link-button" onClick={onCancel} data-testid="cancel-load">
                    Cancel
                  </button>
                </>
              )}
            </span>
          )}
          {info.cancelled && (
            <span className="sb-item warn" data-testid="load-cancelled" title="Open the file again to read all of it">
              Loading cancelled at {Math.round(info.progress * 100)}% of the file: {count(info.packets)} packets shown
            </span>
          )}
          {info.memoryLimit !== null && (
            <span className="sb-item warn" data-testid="memory-limit" title={info.memoryLimit}>
              Memory limit: {Math.round(info.progress * 100)}% of the file read
            </span>
          )}
          {info.stop !== null && (
            <span className="sb-item warn" title={info.stop.reason}>
              Stopped at byte {count(info.stop.offset)}
            </span>
          )}
        </>
      )}
      {/* The way to keep a finished capture comes before its statistics: a narrow bar cuts from the right. */}
      {offerSave && (
        <span className="sb-item unsaved" data-testid="unsaved-capture">
          <span className="dirty-dot" aria-hidden="true" />
          Not saved yet
          <button className="link-button" onClick={onSave} data-testid="status-save">
            {transport === 'browser' ? 'Download pcapng' : 'Save As…'}
          </button>
        </span>
      )}
      {capture !== null && (
        <span className={`sb-item capture${capture.running ? ' running' : ''}`} data-testid="capture-stats" title={capture.error ?? undefined}>
          {capture.running && <span className="rec-dot" aria-hidden="true" />}
          <span className="capture-state" data-testid="capture-state">{capture.running ? 'Capturing' : 'Capture stopped'}</span>
          <span className="sub" data-testid="capture-elapsed">{clock(capture.stats.seconds)}</span>
          <span>
            {count(capture.stats.received)} received · {dropsText(capture.stats)} · {bytes(capture.stats.bytesWritten)} written
          </span>
          {capture.error !== null && <span className="warn">{capture.error}</span>}
        </span>
      )}
      <span className="sb-spacer" />
      {transport !== null && <span className="sb-item muted">{transport === 'browser' ? 'Browser mode' : 'Desktop'}</span>}
    </footer>
  );
}

/** Drops as far as they are known: the kernel's count is unknown when libpcap could not report it. */
function dropsText(stats: { droppedByKernel: number | null; droppedByInterface: number | null }): string {
  const known = [stats.droppedByKernel, stats.droppedByInterface].filter((v): v is number => v !== null);
  if (known.length === 0) return 'drops unknown';
  const total = known.reduce((a, b) => a + b, 0);
  return stats.droppedByKernel === null ? `${count(total)} dropped by the interface (kernel drops unknown)` : `${count(total)} dropped`;
}
