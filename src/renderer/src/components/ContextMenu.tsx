// A right-click menu with submenus (Wireshark's context menus): opens at the pointer, stays on
// screen, arrow keys move through it, Enter or a click runs an item, Escape or a click outside closes.

import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';

export type MenuItem =
  | { kind: 'action'; label: string; shortcut?: string; disabled?: boolean; checked?: boolean; testId?: string; run(): void }
  | { kind: 'submenu'; label: string; items: MenuItem[]; disabled?: boolean; testId?: string }
  | { kind: 'separator' };

export const separator: MenuItem = { kind: 'separator' };

export interface MenuAt {
  x: number;
  y: number;
  items: MenuItem[];
}

export function ContextMenu({ at, onClose }: { at: MenuAt; onClose(): void }) {
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const close = (e: MouseEvent): void => {
      if (root.current !== null && !root.current.contains(e.target as Node)) onClose();
    };
    const escape = (e: globalThis.KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('mousedown', close, true);
    window.addEventListener('keydown', escape, true);
    window.addEventListener('blur', onClose);
    return () => {
      window.removeEventListener('mousedown', close, true);
      window.removeEventListener('keydown', escape, true);
      window.removeEventListener('blur', onClose);
    };
  }, [onClose]);
  return (
    <div ref={root} className="context-menu-layer">
      <MenuList items={at.items} x={at.x} y={at.y} onDone={onClose} autoFocus testId="context-menu" />
    </div>
  );
}

function MenuList({ items, x, y, onDone, autoFocus, testId, onBack }: { items: MenuItem[]; x: number; y: number; onDone(): void; autoFocus?: boolean; testId?: string; onBack?(): void }) {
  const box = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: x, top: y });
  const [open, setOpen] = useState<number | null>(null);
  const [active, setActive] = useState(-1);
  // Keep the menu on screen: flip left or up when it would overflow the window.
  useLayoutEffect(() => {
    const el = box.current;
    if (el === null) return;
    const r = el.getBoundingClientRect();
    const left = x + r.width > window.innerWidth ? Math.max(0, x - r.width) : x;
    const top = y + r.height > window.innerHeight ? Math.max(0, window.innerHeight - r.height - 4) : y;
    setPos({ left, top });
  }, [x, y]);
  useEffect(() => {
    if (autoFocus === true) box.current?.focus();
  }, [autoFocus]);
  const enabled = items.map((it, i) => (it.kind !== 'separator' && it.disabled !== true ? i : -1)).filter((i) => i >= 0);

  const run = (i: number): void => {
    const it = items[i];
    if (it === undefined || it.kind === 'separator' || it.disabled === true) return;
    if (it.kind === 'submenu') {
      setOpen(i);
      return;
    }
    onDone();
    it.run();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (open !== null) return;
    const at = enabled.indexOf(active);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      const next = enabled[(at + (e.key === 'ArrowDown' ? 1 : enabled.length - 1) + (at < 0 && e.key === 'ArrowUp' ? 1 : 0)) % enabled.length];
      if (next !== undefined) setActive(next);
    } else if (e.key === 'Enter' || e.key === ' ' || e.key === 'ArrowRight') {
      e.preventDefault();
      e.stopPropagation();
      if (active >= 0 && (e.key !== 'ArrowRight' || items[active]?.kind === 'submenu')) run(active);
    } else if (e.key === 'ArrowLeft' && onBack !== undefined) {
      e.preventDefault();
      e.stopPropagation();
      onBack();
    }
  };

  return (
    <div ref={box} className="menu context-menu" role="menu" tabIndex={-1} style={{ left: pos.left, top: pos.top }} onKeyDown={onKeyDown} data-testid={testId}>
      {items.map((it, i) => {
        if (it.kind === 'separator') return <div key={i} className="menu-separator" role="separator" />;
        const sub = it.kind === 'submenu';
        return (
          <div key={i} className="menu-item-wrap" onMouseEnter={() => (setActive(i), setOpen(sub && it.disabled !== true ? i : null))}>
            <button
              role="menuitem"
              className={`${active === i ? 'active' : ''}${it.kind === 'action' && it.checked === true ? ' checked' : ''}`}
              aria-haspopup={sub ? 'menu' : undefined}
              aria-expanded={sub ? open === i : undefined}
              aria-checked={it.kind === 'action' && it.checked !== undefined ? it.checked : undefined}
              disabled={it.disabled === true}
              data-testid={it.testId}
              onClick={() => run(i)}
            >
              <span className="menu-check" aria-hidden="true">
                {it.kind === 'action' && it.checked === true ? '✓' : ''}
              </span>
              <span className="menu-label">{it.label}</span>
              {it.kind === 'action' && it.shortcut !== undefined && <span className="menu-hint">{it.shortcut}</span>}
              {sub && <span className="menu-hint">▸</span>}
            </button>
            {sub && open === i && <SubMenu items={it.items} anchor={box} index={i} onDone={onDone} onBack={() => setOpen(null)} />}
          </div>
        );
      })}
    </div>
  );
}

function SubMenu({ items, anchor, index, onDone, onBack }: { items: MenuItem[]; anchor: React.RefObject<HTMLDivElement | null>; index: number; onDone(): void; onBack(): void }) {
  const parent = anchor.current;
  // The menu's own children line up with its items (separators included), unlike a query that
  // would also count separators out and reach into open submenus.
  const row = parent?.children[index]?.getBoundingClientRect();
  const rect = parent?.getBoundingClientRect();
  if (row === undefined || rect === undefined) return null;
  return <MenuList items={items} x={rect.right - 2} y={row.top - 4} onDone={onDone} onBack={onBack} autoFocus />;
}
