// Empty, loading and error states, and inline banners.

import type { ReactNode } from 'react';

export function EmptyState({ title, children, tone = 'neutral', testId }: { title: string; children?: ReactNode; tone?: 'neutral' | 'error' | 'loading'; testId?: string }) {
  return (
    <div className={`empty-state ${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {tone === 'loading' && <div className="spinner" aria-hidden="true" />}
      {tone === 'error' && (
        <div className="empty-icon error" aria-hidden="true">
          !
        </div>
      )}
      <h2>{title}</h2>
      {children !== undefined && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function Banner({ tone, children, onClose }: { tone: 'info' | 'warning' | 'error'; children: ReactNode; onClose?: () => void }) {
  return (
    <div className={`banner ${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <div className="banner-text">{children}</div>
      {onClose !== undefined && (
        <button className="icon-button" aria-label="Dismiss" onClick={onClose}>
          ✕
        </button>
      )}
    </div>
  );
}
