// Two panes with a draggable divider (pointer drag or arrow keys on the focused divider); the
// owner may keep the split (onShare) so the next session opens with it.

import { useEffect, useRef, useState, type ReactNode } from 'react';

interface Props {
  direction: 'row' | 'column';
  /** Share of the first pane, 0..1. */
  initial: number;
  min?: number;
  label: string;
  children: [ReactNode, ReactNode];
  /** Told the share when the user has moved the divider. */
  onShare?(share: number): void;
}

export function SplitPane({ direction, initial, min = 0.15, label, children, onShare }: Props) {
  const [share, setShare] = useState(initial);
  const last = useRef(share);
  last.current = share;
  const report = useRef(onShare);
  report.current = onShare;
  // Keyboard moves are reported once they settle.
  useEffect(() => {
    if (share === initial) return;
    const t = setTimeout(() => report.current?.(last.current), 300);
    return () => clearTimeout(t);
  }, [share, initial]);
  const box = useRef<HTMLDivElement>(null);
  const clamp = (v: number): number => Math.max(min, Math.min(1 - min, v));
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>): void => {
    e.preventDefault();
    const el = box.current;
    if (el === null) return;
    const rect = el.getBoundingClientRect();
    const move = (ev: PointerEvent): void => {
      const v = direction === 'row' ? (ev.clientX - rect.left) / rect.width : (ev.clientY - rect.top) / rect.height;
      setShare(clamp(v));
    };
    const up = (): void => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      report.current?.(last.current);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const first = `${(share * 100).toFixed(2)}%`;
  return (
    <div ref={box} className={`split split-${direction}`}>
      <div className="split-pane" style={{ flexBasis: first }}>
        {children[0]}
      </div>
      <div
        className="split-divider"
        role="separator"
        aria-orientation={direction === 'row' ? 'vertical' : 'horizontal'}
        aria-label={label}
        aria-valuenow={Math.round(share * 100)}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onKeyDown={(e) => {
          const step = e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -0.03 : e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 0.03 : 0;
          if (step !== 0) {
            e.preventDefault();
            setShare((s) => clamp(s + step));
          }
        }}
      />
      <div className="split-pane rest">{children[1]}</div>
    </div>
  );
}
