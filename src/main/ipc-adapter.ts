// The Electron transport, main side: one validated ipcMain handler per engine method, forwarding to
// the engine worker, and engine events routed to the windows that own the session.
// It imports no Electron runtime so tests can drive it with a fake ipcMain.

import { engineMethods, type ArgOf, type EngineMethod, type ResultOf } from '../shared/api';
import { channelPrefix, channels, type IpcReply } from '../shared/bridge';
import { ArgumentError, validateArg } from '../shared/validate';

/** The parts of Electron's IpcMainInvokeEvent the adapter looks at. */
export interface InvokeEventLike {
  sender: { id: number };
  senderFrame: { url: string } | null;
}

/** The parts of Electron's ipcMain the adapter uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The engine as the adapter sees it (WorkerClient). */
export interface EngineLike {
  call(method: string, arg: unknown): Promise<unknown>;
  onEvent(fn: (event: string, payload: unknown) => void): () => void;
}

/** One of our windows, as the adapter needs it. */
export interface Caller {
  readonly id: number;
  owns(session: string): boolean;
  /** The window shows (and is answerable for) this session from now on. */
  adopt(session: string): void;
  send(channel: string, payload: unknown): void;
}

/** What main knows about windows and the files the user granted. */
export interface AccessControl {
  /** The window a call came from, or null when the sender is not one of our windows or frames. */
  callerOf(event: InvokeEventLike): Caller | null;
  /** Windows that hold a session (for routing its events). */
  ownersOf(session: string): Caller[];
  /** Paths the user chose through the open dialog, drag-and-drop, the command line or Open Recent. */
  isReadGranted(path: string): boolean;
  /** Paths the user chose in a save dialog. */
  isWriteGranted(path: string): boolean;
}

export class AccessError extends Error {
  override name = 'AccessError';
}

type Policy<M extends EngineMethod> = {
  /** Checks beyond the argument's shape (ownership, granted paths); throws AccessError. */
  authorize?(arg: ArgOf<M>, caller: Caller, access: AccessControl): void;
  /** Bookkeeping once the engine answered. */
  after?(result: ResultOf<M>, caller: Caller): void;
};

const ownSession = { authorize: (arg: { session: string }, caller: Caller) => requireOwner(arg.session, caller) };
const adoptResult = { after: (info: { session: string }, caller: Caller) => caller.adopt(info.session) };

/** One entry per engine method: a method without a policy does not compile. */
const policies: { [M in EngineMethod]: Policy<M> } = {
  listSessions: {},
  openFile: {
    authorize: (arg, _caller, access) => {
      if (!access.isReadGranted(arg.path)) throw new AccessError(`${arg.path}: not opened by the user (use File › Open… or drop the file on the window)`);
    },
    ...adoptResult,
  },
  openSample: adoptResult,
  cancelLoad: ownSession,
  closeSession: ownSession,
  sessionInfo: ownSession,
  setFilter: ownSession,
  rows: ownSession,
  rowIndexOf: ownSession,
  packetDetail: ownSession,
  conversations: ownSession,
  conversationIndexOf: ownSession,
  ladder: ownSession,
  tlsRecords: ownSession,
  http2Streams: ownSession,
  followHttp2Stream: ownSession,
  statistics: ownSession,
  expertInfo: ownSession,
  exportLadder: ownSession,
  annotate: ownSession,
  saveAs: {
    authorize: (arg, caller, access) => {
      requireOwner(arg.session, caller);
      if (!access.isWriteGranted(arg.path)) throw new AccessError(`${arg.path}: not chosen in a save dialog`);
    },
  },
  followStream: ownSession,
  tlsKeys: ownSession,
  addTlsKeyText: ownSession,
  addTlsKeyFile: {
    authorize: (arg, caller, access) => {
      requireOwner(arg.session, caller);
      if (!access.isReadGranted(arg.path)) throw new AccessError(`${arg.path}: not chosen in the Keys dialog`);
    },
  },
  removeTlsKey: ownSession,
  listInterfaces: {},
  interfaceCounters: {},
  checkCaptureFilter: {},
  startCapture: adoptResult,
  stopCapture: ownSession,
  setSort: ownSession,
  findPacket: ownSession,
  setPacketFlags: ownSession,
  rangeCount: ownSession,
  endpoints: ownSession,
  ioGraph: ownSession,
  fieldCatalogue: {},
  checkFilter: {},
};

function requireOwner(session: string, caller: Caller): void {
  if (!caller.owns(session)) throw new AccessError(`session ${session} does not belong to this window`);
}

function errorReply(err: unknown): IpcReply<never> {
  const e = err instanceof Error ? err : new Error(String(err));
  return { ok: false, error: { name: e.name, message: e.message } };
}

/**
 * Registers a handler that accepts calls only from our own windows and frames, checks the argument
 * and answers with an IpcReply. Host operations (dialogs) use it too.
 */
export function handleValidated<A, R>(
  ipc: IpcMainLike,
  access: AccessControl,
  channel: string,
  check: (arg: unknown) => A,
  run: (arg: A, caller: Caller) => Promise<R>,
): void {
  if (!channel.startsWith(channelPrefix)) throw new Error(`channel ${channel} lacks the ${channelPrefix} prefix`);
  ipc.handle(channel, async (event, ...args): Promise<IpcReply<R>> => {
    const caller = access.callerOf(event);
    if (caller === null) return errorReply(new AccessError('call from a window or frame that is not WireLadder'));
    if (args.length !== 1) return errorReply(new ArgumentError(`${channel} takes exactly one argument`));
    try {
      const arg = check(args[0]);
      return { ok: true, value: await run(arg, caller) };
    } catch (err) {
      return errorReply(err);
    }
  });
}

/** Serves every engine method over IPC; returns a function that removes the handlers and the event route. */
export function registerEngineIpc(ipc: IpcMainLike, engine: EngineLike, access: AccessControl): () => void {
  for (const method of engineMethods) registerMethod(ipc, engine, access, method);
  const stop = engine.onEvent((event, payload) => {
    // Each window that holds one of the sessions the event is about hears it once.
    const owners = new Set<Caller>();
    for (const session of sessionsOf(payload)) for (const owner of access.ownersOf(session)) owners.add(owner);
    for (const owner of owners) owner.send(channels.event, { event, payload });
  });
  return () => {
    stop();
    for (const method of engineMethods) ipc.removeHandler(channels.method(method));
  };
}

function registerMethod<M extends EngineMethod>(ipc: IpcMainLike, engine: EngineLike, access: AccessControl, method: M): void {
  const policy: Policy<M> = policies[method];
  handleValidated(
    ipc,
    access,
    channels.method(method),
    (arg) => validateArg(method, arg),
    async (arg, caller) => {
      policy.authorize?.(arg, caller, access);
      const result = (await engine.call(method, arg)) as ResultOf<M>;
      policy.after?.(result, caller);
      return result;
    },
  );
}

/** The sessions an event is about: its `session`, or (engine-stopped) its `sessions`. */
function sessionsOf(payload: unknown): string[] {
  if (typeof payload !== 'object' || payload === null) return [];
  const { session, sessions } = payload as { session?: unknown; sessions?: unknown };
  if (typeof session === 'string') return [session];
  return Array.isArray(sessions) ? sessions.filter((s): s is string => typeof s === 'string') : [];
}
