// Runtime checks of every request argument, shared by the Electron IPC and WebSocket transports:
// what crosses a process boundary is untrusted until checked here.

import { CONVERSATION_SORT_KEYS, MAX_NOTE_LENGTH, type ArgOf, type EngineMethod } from './api';

export class ArgumentError extends Error {
  override name = 'ArgumentError';
}

type Check = (v: unknown, path: string) => void;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str = (max = 4096): Check => (v, path) => {
  if (typeof v !== 'string') throw new ArgumentError(`${path} must be a string`);
  if (v.length > max) throw new ArgumentError(`${path} is longer than ${max} characters`);
};
const int = (min: number, max: number): Check => (v, path) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ArgumentError(`${path} must be an integer in [${min}, ${max}]`);
};
const bool: Check = (v, path) => {
  if (typeof v !== 'boolean') throw new ArgumentError(`${path} must be true or false`);
};
const oneOf = (values: readonly string[]): Check => (v, path) => {
  if (typeof v !== 'string' || !values.includes(v)) throw new ArgumentError(`${path} must be one of ${values.join(', ')}`);
};
const nullable = (c: Check): Check => (v, path) => {
  if (v !== null) c(v, path);
};
/** A key that may be left out (undefined) but is checked when present. */
const optional = (c: Check): Check => (v, path) => {
  if (v !== undefined) c(v, path);
};
const list = (item: Check, max: number): Check => (v, path) => {
  if (!Array.isArray(v)) throw new ArgumentError(`${path} must be a list`);
  if (v.length > max) throw new ArgumentError(`${path} has more than ${max} items`);
  v.forEach((x, i) => item(x, `${path}[${i}]`));
};
const positive = (max: number): Check => (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) throw new ArgumentError(`${path} must be a number in (0, ${max}]`);
};
// Own properties only, both ways: `key in shape` would accept 'constructor', 'toString' or
// '__proto__' (inherited from Object.prototype) as expected keys, and `v[key]` would read them.
const obj = (shape: Record<string, Check>): Check => (v, path) => {
  if (!isObject(v)) throw new ArgumentError(`${path} must be an object`);
  for (const key of Object.keys(v)) if (!Object.hasOwn(shape, key)) throw new ArgumentError(`${path}.${key} is not expected`);
  for (const [key, check] of Object.entries(shape)) check(Object.hasOwn(v, key) ? v[key] : undefined, `${path}.${key}`);
};

const session = str(64);
const MAX_ROW = 2 ** 31 - 1;
/** The most conversation rows one `conversations` answer may carry (large data never crosses the seam in bulk). */
const MAX_CONVERSATIONS = 200_000;
const ladderOptions = obj({
  showAcks: bool,
  layout: oneOf(['time', 'even']),
  theme: oneOf(['light', 'dark']),
  language: oneOf(['en', 'zh-CN']),
  collapseAppData: int(0, 1000),
  showControlFrames: optional(bool),
});
const conversationSort = obj({ key: oneOf(CONVERSATION_SORT_KEYS), descending: bool });
const empty = obj({});
const packetRange = obj({
  scope: oneOf(['all', 'selected', 'marked', 'first-last-marked', 'range']),
  displayed: bool,
  selected: optional(int(1, MAX_ROW)),
  range: optional(str(4096)),
  removeIgnored: bool,
});
const fieldName = str(256);

const checks: { [M in EngineMethod]: Check } = {
  listSessions: empty,
  openFile: obj({ path: str(4096) }),
  openSample: empty,
  cancelLoad: obj({ session }),
  closeSession: obj({ session }),
  sessionInfo: obj({ session }),
  setFilter: obj({ session, filter: str(4096) }),
  rows: obj({ session, start: int(0, MAX_ROW), count: int(0, 10_000), columns: optional(list(fieldName, 16)) }),
  rowIndexOf: obj({ session, packet: int(1, MAX_ROW), nearest: optional(bool) }),
  packetDetail: obj({ session, packet: int(1, MAX_ROW) }),
  conversations: obj({ session, limitToDisplay: optional(bool), sort: optional(conversationSort), offset: optional(int(0, MAX_ROW)), count: optional(int(0, MAX_CONVERSATIONS)) }),
  conversationIndexOf: obj({ session, conversation: int(0, MAX_ROW), limitToDisplay: optional(bool), sort: optional(conversationSort) }),
  ladder: obj({ session, conversation: int(0, MAX_ROW), options: ladderOptions }),
  tlsRecords: obj({ session, conversation: int(0, MAX_ROW) }),
  http2Streams: obj({ session, conversation: int(0, MAX_ROW) }),
  followHttp2Stream: obj({ session, conversation: int(0, MAX_ROW), stream: int(0, 0x7fffffff) }),
  statistics: obj({ session, limitToDisplay: optional(bool) }),
  expertInfo: obj({ session, limitToFilter: bool }),
  exportLadder: obj({ session, conversation: int(0, MAX_ROW), format: oneOf(['svg', 'png', 'pdf', 'mermaid', 'json']), options: ladderOptions }),
  annotate: obj({ session, packet: int(1, MAX_ROW), comment: nullable(str(MAX_NOTE_LENGTH)) }),
  saveAs: obj({ session, path: str(4096), embedKeys: optional(bool), packets: optional(packetRange) }),
  followStream: obj({ session, conversation: int(0, MAX_ROW), mode: oneOf(['tcp', 'tls']) }),
  tlsKeys: obj({ session }),
  // A key log of a long browsing session stays below the WebSocket's 1 MiB message limit.
  addTlsKeyText: obj({ session, name: str(256), text: str(900_000), binding: str(128) }),
  addTlsKeyFile: obj({ session, path: str(4096), binding: str(128), watch: bool }),
  removeTlsKey: obj({ session, id: int(1, MAX_ROW) }),
  listInterfaces: empty,
  interfaceCounters: empty,
  checkCaptureFilter: obj({ filter: str(4096), interface: str(256) }),
  startCapture: obj({
    options: obj({
      interface: str(256),
      filter: str(4096),
      snaplen: int(64, 262_144),
      promiscuous: bool,
      stopAfterPackets: nullable(int(1, 2 ** 40)),
      stopAfterSeconds: nullable(int(1, 86_400 * 30)),
      stopAfterBytes: nullable(int(1, 2 ** 50)),
    }),
  }),
  stopCapture: obj({ session }),
  setSort: obj({ session, sort: nullable(obj({ column: fieldName, field: bool, descending: bool })) }),
  findPacket: obj({
    session,
    find: obj({
      by: oneOf(['filter', 'hex', 'string', 'regex']),
      text: str(4096),
      in: oneOf(['list', 'details', 'bytes']),
      caseSensitive: bool,
      backward: bool,
      from: int(-1, MAX_ROW),
    }),
  }),
  setPacketFlags: obj({ session, packets: list(int(1, MAX_ROW), 100_000), flag: oneOf(['marked', 'ignored', 'timeRef']), value: nullable(bool) }),
  rangeCount: obj({ session, packets: packetRange }),
  endpoints: obj({ session, limitToDisplay: bool }),
  ioGraph: obj({ session, intervalSeconds: positive(86_400), series: list(obj({ filter: str(4096), unit: oneOf(['packets', 'bytes', 'bits']) }), 8) }),
  fieldCatalogue: empty,
  checkFilter: obj({ filter: str(4096) }),
};

/** Throws ArgumentError unless `arg` is a valid argument of `method`. */
export function validateArg<M extends EngineMethod>(method: M, arg: unknown): ArgOf<M> {
  const check = checks[method];
  check(arg, method);
  return arg as ArgOf<M>;
}
