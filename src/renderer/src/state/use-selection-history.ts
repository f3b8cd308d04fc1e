// Back and Forward through the packets selected (Wireshark's Go › Previous/Next Packet in History,
// Alt+← and Alt+→): every selection is remembered in order; moving through the history does not
// add to it.

import { useCallback, useEffect, useRef, useState } from 'react';

const LIMIT = 256;

export interface SelectionHistory {
  back(): number | null;
  forward(): number | null;
  canBack: boolean;
  canForward: boolean;
}

/** Follows `packet` (the selected frame); back()/forward() return the frame to select, or null. */
export function useSelectionHistory(packet: number | null, reset: unknown): SelectionHistory {
  const list = useRef<number[]>([]);
  const at = useRef(-1);
  /** The frame the history itself selected: seeing it selected is no new step. */
  const travelling = useRef<number | null>(null);
  const [, bump] = useState(0);

  useEffect(() => {
    list.current = [];
    at.current = -1;
    travelling.current = null;
    bump((n) => n + 1);
  }, [reset]);

  useEffect(() => {
    if (packet === null) return;
    if (travelling.current === packet) {
      travelling.current = null;
      return;
    }
    if (list.current[at.current] === packet) return;
    list.current = [...list.current.slice(0, at.current + 1), packet].slice(-LIMIT);
    at.current = list.current.length - 1;
    bump((n) => n + 1);
  }, [packet]);

  const go = useCallback((step: number): number | null => {
    const next = at.current + step;
    if (next < 0 || next >= list.current.length) return null;
    at.current = next;
    travelling.current = list.current[next]!;
    bump((n) => n + 1);
    return list.current[next]!;
  }, []);

  return {
    back: () => go(-1),
    forward: () => go(1),
    canBack: at.current > 0,
    canForward: at.current < list.current.length - 1,
  };
}
