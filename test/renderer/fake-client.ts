// A scripted AppClient for component tests: answers engine calls from handlers, records them, and
// lets a test push events and host commands.

import type { ArgOf, EngineEvent, EngineEvents, EngineMethod, HostInfo, ResultOf, SessionInfo } from '../../src/shared/api';
import type { HostCommand } from '../../src/shared/bridge';
import type { AppClient } from '../../src/renderer/src/transport/types';

export type Handlers = { [M in EngineMethod]?: (arg: ArgOf<M>) => ResultOf<M> | Promise<ResultOf<M>> };

export interface FakeClient extends AppClient {
  calls: { method: EngineMethod; arg: unknown }[];
  emit<E extends EngineEvent>(event: E, payload: EngineEvents[E]): void;
  command(c: HostCommand): void;
}

/** `reopen` answers WireLadderClient.reopen (default: refuses, as for a live capture). */
export function fakeClient(handlers: Handlers, host: Partial<HostInfo> = {}, reopen?: (session: string) => SessionInfo): FakeClient {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const commandListeners = new Set<(c: HostCommand) => void>();
  const calls: FakeClient['calls'] = [];
  return {
    calls,
    async call<M extends EngineMethod>(method: M, arg: ArgOf<M>): Promise<ResultOf<M>> {
      calls.push({ method, arg });
      const h = handlers[method] as ((a: ArgOf<M>) => ResultOf<M> | Promise<ResultOf<M>>) | undefined;
      if (h === undefined) throw new Error(`unknown method ${method}`);
      return h(arg);
    },
    on(event, fn) {
      const set = listeners.get(event) ?? new Set();
      set.add(fn as (p: unknown) => void);
      listeners.set(event, set);
      return () => void set.delete(fn as (p: unknown) => void);
    },
    emit(event, payload) {
      for (const fn of listeners.get(event) ?? []) fn(payload);
    },
    command(c) {
      for (const fn of commandListeners) fn(c);
    },
    host: async () => ({ transport: 'browser', nativeDialogs: false, initialSession: null, platform: 'linux', ...host }),
    openDialog: async () => null,
    saveExport: async (r) => r.fileName,
    saveCaptureDialog: async () => null,
    saveCaptureWithKeysDialog: async () => null,
    openKeyFileDialog: async () => null,
    showCapture: async () => 'here',
    reopen: async (session) => {
      if (reopen === undefined) throw new Error('this capture cannot be opened again');
      return reopen(session);
    },
    onCommand(fn) {
      commandListeners.add(fn);
      return () => void commandListeners.delete(fn);
    },
    onDisconnect: () => () => undefined,
  };
}
