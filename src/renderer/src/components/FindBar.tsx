// Find Packet (Ctrl+F), Wireshark's search bar: a display filter, hex value, string or regular
// expression, looked for in the packet list, the details or the bytes; Enter finds the next
// packet, Shift+Enter the previous one, Escape closes.

import { useEffect, useRef, useState } from 'react';
import type { FindRequestDto } from '../../../shared/api';

export type FindQuery = Pick<FindRequestDto, 'by' | 'text' | 'in' | 'caseSensitive'>;

interface Props {
  query: FindQuery;
  onQuery(q: FindQuery): void;
  /** Find with this query (the one just typed, which the owner's state may not hold yet). */
  onFind(backward: boolean, query: FindQuery): void;
  onClose(): void;
  busy: boolean;
  /** The last search's outcome ("No packet contained those bytes.", a wrap-around note). */
  message: string | null;
  /** Focus the text field when this changes (Ctrl+F pressed again). */
  focusSignal: number;
}

const byLabels: { by: FindQuery['by']; label: string; placeholder: string }[] = [
  { by: 'filter', label: 'Display filter', placeholder: 'a display filter, e.g. tls.handshake.type == 1' },
  { by: 'hex', label: 'Hex value', placeholder: 'bytes, e.g. 16 03 01' },
  { by: 'string', label: 'String', placeholder: 'text to find' },
  { by: 'regex', label: 'Regular Expression', placeholder: 'a regular expression' },
];

export function FindBar({ query, onQuery, onFind, onClose, busy, message, focusSignal }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(query.text);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusSignal]);
  const textual = query.by === 'string' || query.by === 'regex';
  const set = (patch: Partial<FindQuery>): void => onQuery({ ...query, text, ...patch });
  return (
    <form
      className="find-bar"
      role="search"
      aria-label="Find packet"
      data-testid="find-bar"
      onSubmit={(e) => {
        e.preventDefault();
        onQuery({ ...query, text });
        onFind(false, { ...query, text });
      }}
    >
      <select aria-label="Find by" value={query.by} onChange={(e) => set({ by: e.target.value as FindQuery['by'] })} data-testid="find-by">
        {byLabels.map((b) => (
          <option key={b.by} value={b.by}>
            {b.label}
          </option>
        ))}
      </select>
      {textual && (
        <select aria-label="Search in" value={query.in} onChange={(e) => set({ in: e.target.value as FindQuery['in'] })} data-testid="find-in">
          <option value="list">Packet list</option>
          <option value="details">Packet details</option>
          <option value="bytes">Packet bytes</option>
        </select>
      )}
      {textual && (
        <label className="check">
          <input type="checkbox" checked={query.caseSensitive} onChange={(e) => set({ caseSensitive: e.target.checked })} data-testid="find-case" /> Case sensitive
        </label>
      )}
      <input
        ref={input}
        type="text"
        aria-label="Find"
        spellCheck={false}
        value={text}
        placeholder={byLabels.find((b) => b.by === query.by)!.placeholder}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => onQuery({ ...query, text })}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
          } else if (e.key === 'Enter' && e.shiftKey) {
            e.preventDefault();
            onQuery({ ...query, text });
            onFind(true, { ...query, text });
          }
        }}
        data-testid="find-input"
      />
      <button type="button" className="button" onClick={() => (onQuery({ ...query, text }), onFind(true, { ...query, text }))} disabled={busy || text === ''} title="Find the previous packet (Shift+Enter, Ctrl+B)" data-testid="find-previous">
        ▲ Previous
      </button>
      <button type="submit" className="button primary" disabled={busy || text === ''} title="Find the next packet (Enter, Ctrl+N)" data-testid="find-next">
        {busy ? 'Searching…' : '▼ Find'}
      </button>
      {message !== null && (
        <span className="find-message" role="status" data-testid="find-message">
          {message}
        </span>
      )}
      <button type="button" className="icon-button" aria-label="Close the find bar" onClick={onClose}>
        ✕
      </button>
    </form>
  );
}
