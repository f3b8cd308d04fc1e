// The diagram export menu: SVG, PNG, PDF, Mermaid, JSON.

import { useEffect, useRef, useState } from 'react';
import type { ExportFormat } from '../../../shared/api';

const formats: { format: ExportFormat; label: string; hint: string }[] = [
  { format: 'svg', label: 'SVG', hint: 'vector image' },
  { format: 'png', label: 'PNG', hint: 'bitmap image' },
  { format: 'pdf', label: 'PDF', hint: 'for reports' },
  { format: 'mermaid', label: 'Mermaid', hint: 'sequence diagram text' },
  { format: 'json', label: 'JSON', hint: 'the ladder model' },
];

interface Props {
  onExport(format: ExportFormat): void;
  disabled: boolean;
  disabledReason?: string;
  /** Opens the menu whenever it changes (a menu command asked for it). */
  openSignal?: number;
}

export function ExportMenu({ onExport, disabled, disabledReason, openSignal = 0 }: Props) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (openSignal > 0 && !disabled) setOpen(true);
  }, [openSignal, disabled]);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent): void => {
      if (box.current !== null && !box.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [open]);
  return (
    <div className="menu-anchor" ref={box}>
      <button
        className="button"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={disabled}
        title={disabled ? disabledReason : 'Export the ladder diagram'}
        onClick={() => setOpen((o) => !o)}
        data-testid="export-button"
      >
        Export diagram ▾
      </button>
      {open && (
        <div className="menu" role="menu">
          {formats.map((f) => (
            <button
              key={f.format}
              role="menuitem"
              data-testid={`export-${f.format}`}
              onClick={() => {
                setOpen(false);
                onExport(f.format);
              }}
            >
              <span>{f.label}</span>
              <span className="menu-hint">{f.hint}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
