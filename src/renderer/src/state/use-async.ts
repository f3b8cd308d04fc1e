// Runs an engine request when its inputs change; keeps the last good value while a new one loads.

import { useEffect, useState, type DependencyList } from 'react';
import { errorText } from './format';

export interface AsyncState<T> {
  value: T | null;
  error: string | null;
  loading: boolean;
}

export function useAsync<T>(run: (() => Promise<T>) | null, deps: DependencyList): AsyncState<T> & { reload: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ value: null, error: null, loading: run !== null });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (run === null) {
      setState({ value: null, error: null, loading: false });
      return;
    }
    let alive = true;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (value) => alive && setState({ value, error: null, loading: false }),
      (err: unknown) => alive && setState({ value: null, error: errorText(err), loading: false }),
    );
    return () => {
      alive = false;
    };
  }, [...deps, nonce]);
  return { ...state, reload: () => setNonce((n) => n + 1) };
}
