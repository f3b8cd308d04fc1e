// The open session's SessionInfo, kept current from 'session-updated' events (throttled).

import { useEffect, useState } from 'react';
import type { SessionInfo } from '../../../shared/api';
import { useClient } from './client-context';
import { errorText } from './format';

const THROTTLE_MS = 150;

export function useSessionInfo(session: string | null): { info: SessionInfo | null; error: string | null; setInfo: (i: SessionInfo) => void } {
  const client = useClient();
  const [info, setInfo] = useState<SessionInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setInfo(null);
    setError(null);
    if (session === null) return;
    let alive = true;
    let latest: SessionInfo | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastApplied = 0;
    const apply = (): void => {
      timer = null;
      lastApplied = Date.now();
      if (alive && latest !== null) setInfo(latest);
    };
    const push = (i: SessionInfo): void => {
      latest = i;
      // The end of a load is applied at once; progress at most every THROTTLE_MS.
      const wait = !i.loading ? 0 : Math.max(0, THROTTLE_MS - (Date.now() - lastApplied));
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(apply, wait);
    };
    const off = client.on('session-updated', (i) => {
      if (i.session === session) push(i);
    });
    client.call('sessionInfo', { session }).then(
      (i) => {
        if (latest === null) push(i);
      },
      (err: unknown) => alive && setError(errorText(err)),
    );
    return () => {
      alive = false;
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, [client, session]);

  return { info, error, setInfo };
}
