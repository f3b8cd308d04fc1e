// Hex/ASCII view of the selected packet: one tab per byte source (frame, reassembled, decrypted),
// the selected field's bytes highlighted, malformed bytes marked, and a click on a byte selecting
// its field.

import { useEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ByteSourceDto } from '../../../shared/api';
import { base64ToBytes } from '../transport/download';
import type { FieldSelection } from '../state/detail-model';

const LINE_HEIGHT = 18;
const PER_LINE = 16;

interface Props {
  sources: ByteSourceDto[];
  active: number;
  onActive(source: number): void;
  highlight: FieldSelection | null;
  onByteClick(source: number, offset: number): void;
  /** Byte ranges the tree marks malformed (`[Malformed: …]`): always shown, in red. */
  malformed?: readonly { source: number; start: number; length: number; reason: string }[];
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
const printable = (b: number): string => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·');

export function HexView({ sources, active, onActive, highlight, onByteClick, malformed = [] }: Props) {
  const src = sources[active] ?? sources[0];
  const activeIndex = src === undefined ? 0 : sources.indexOf(src);
  const bytes = useMemo(() => (src === undefined ? new Uint8Array(0) : base64ToBytes(src.base64)), [src]);
  const lines = Math.ceil(bytes.length / PER_LINE);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: lines, getScrollElement: () => scrollRef.current, estimateSize: () => LINE_HEIGHT, overscan: 10 });
  const hl = highlight !== null && highlight.source === activeIndex && highlight.length > 0 ? highlight : null;
  const offsetDigits = bytes.length > 0xffff ? 8 : 4;

  const hlLine = hl === null ? -1 : Math.floor(hl.start / PER_LINE);
  useEffect(() => {
    if (hlLine >= 0 && hlLine < lines) virtualizer.scrollToIndex(hlLine, { align: 'auto' });
  }, [hlLine, lines, virtualizer]);

  const isHl = (i: number): boolean => hl !== null && i >= hl.start && i < hl.start + hl.length;
  const marks = malformed.filter((m) => m.source === activeIndex && m.length > 0);
  const badOf = (i: number): string | undefined => marks.find((m) => i >= m.start && i < m.start + m.length)?.reason;

  return (
    <div className="hex-view" data-testid="hex-view">
      {sources.length > 1 && (
        <div className="tabs small" role="tablist" aria-label="Byte sources">
          {sources.map((s, i) => (
            <button key={i} role="tab" aria-selected={i === activeIndex} className={i === activeIndex ? 'active' : ''} onClick={() => onActive(i)} data-testid="byte-source-tab">
              {s.name}
            </button>
          ))}
        </div>
      )}
      <div className="hex-body" ref={scrollRef}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((vi) => {
            const base = vi.index * PER_LINE;
            const cells = Array.from({ length: Math.min(PER_LINE, bytes.length - base) }, (_, k) => base + k);
            return (
              <div key={vi.key} className="hex-line" style={{ transform: `translateY(${vi.start}px)` }}>
                <span className="hex-offset">{base.toString(16).padStart(offsetDigits, '0')}</span>
                <span className="hex-bytes">
                  {cells.map((i) => {
                    const bad = badOf(i);
                    return (
                      <span
                        key={i}
                        className={`hb${isHl(i) ? ' hl' : ''}${bad !== undefined ? ' mal' : ''}${i % PER_LINE === 7 ? ' gap' : ''}`}
                        data-offset={i}
                        data-highlighted={isHl(i) ? 'true' : undefined}
                        data-malformed={bad !== undefined ? 'true' : undefined}
                        title={bad !== undefined ? `Malformed: ${bad}` : undefined}
                        onClick={() => onByteClick(activeIndex, i)}
                      >
                        {hex2(bytes[i]!)}
                      </span>
                    );
                  })}
                </span>
                <span className="hex-ascii">
                  {cells.map((i) => (
                    <span key={i} className={`ha${isHl(i) ? ' hl' : ''}${badOf(i) !== undefined ? ' mal' : ''}`} data-offset={i} onClick={() => onByteClick(activeIndex, i)}>
                      {printable(bytes[i]!)}
                    </span>
                  ))}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
