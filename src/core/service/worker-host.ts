// The worker thread's side: serves calls on one EngineService and forwards its events.

import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './worker-protocol';
import type { EngineService } from './engine-service';

export function hostService(service: EngineService): void {
  const port = parentPort;
  if (port === null) throw new Error('hostService must run in a worker thread');
  service.onEvent((event, payload) => port.postMessage({ type: 'event', event, payload } satisfies FromWorker));
  port.on('message', (m: ToWorker) => {
    // Answered at once: a pong that does not come means this thread is stuck.
    if (m.type === 'ping') return port.postMessage({ type: 'pong', id: m.id } satisfies FromWorker);
    if (m.type !== 'call') return;
    service
      .dispatch(m.method, m.arg)
      .then(
        (value) => port.postMessage({ type: 'reply', id: m.id, ok: true, value } satisfies FromWorker),
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err));
          port.postMessage({ type: 'reply', id: m.id, ok: false, error: { name: e.name, message: e.message } } satisfies FromWorker);
        },
      );
  });
}
