// Go to packet (Ctrl+G): a packet number; Enter selects it (or says it is hidden by the filter).

import { useEffect, useRef, useState } from 'react';

export function GoToBar({ onGo, onClose, focusSignal, total }: { onGo(packet: number): void; onClose(): void; focusSignal: number; total: number }) {
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusSignal]);
  const n = Number(text);
  const valid = /^\d+$/.test(text.trim()) && n >= 1;
  return (
    <form
      className="find-bar goto-bar"
      aria-label="Go to packet"
      data-testid="goto-bar"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onGo(n);
      }}
    >
      <label htmlFor="goto-input">Go to packet:</label>
      <input
        id="goto-input"
        ref={input}
        type="text"
        inputMode="numeric"
        value={text}
        placeholder={`1 – ${total}`}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
          }
        }}
        data-testid="goto-input"
      />
      <button type="submit" className="button primary" disabled={!valid} data-testid="goto-go">
        Go to packet
      </button>
      <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
        ✕
      </button>
    </form>
  );
}
