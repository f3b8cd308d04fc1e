// HTTP/2 field declarations with Wireshark 4.0's names (packet-http2.c hf_http2_*), and the
// per-header fields Wireshark registers for well-known header names.

import { field, flag, str, uintDec, uintHex, bytesField, type FieldDef } from '../dissect/fields';
import { errorCodeNames, settingNames, typeNames } from './frames';

const none = (name: string, title: string): FieldDef => field(name, title, 'none');

export const h2Fields = {
  stream: none('http2.stream', 'Stream'),
  length: uintDec('http2.length', 'Length'),
  type: uintDec('http2.type', 'Type', typeNames),
  r: uintHex('http2.r', 'Reserved', 8),
  streamId: uintDec('http2.streamid', 'Stream Identifier'),
  magic: str('http2.magic', 'Magic'),
  unknown: bytesField('http2.unknown', 'Unknown'),
  flags: uintHex('http2.flags', 'Flags', 2),
  flagsEndStream: flag('http2.flags.end_stream', 'End Stream'),
  flagsEndHeaders: flag('http2.flags.eh', 'End Headers'),
  flagsPadded: flag('http2.flags.padded', 'Padded'),
  flagsPriority: flag('http2.flags.priority', 'Priority'),
  flagsSettingsAck: flag('http2.flags.ack.settings', 'ACK'),
  flagsPingAck: flag('http2.flags.ack.ping', 'ACK'),
  flagsUnused: uintHex('http2.flags.unused', 'Unused', 2),
  flagsUnusedSettings: uintHex('http2.flags.unused_settings', 'Unused', 2),
  flagsUnusedPing: uintHex('http2.flags.unused_ping', 'Unused', 2),
  flagsUnusedContinuation: uintHex('http2.flags.unused_continuation', 'Unused', 2),
  flagsUnusedPushPromise: uintHex('http2.flags.unused_push_promise', 'Unused', 2),
  flagsUnusedData: uintHex('http2.flags.unused_data', 'Unused', 2),
  flagsUnusedHeaders: uintHex('http2.flags.unused_headers', 'Unused', 2),
  padding: uintHex('http2.padding', 'Pad Length', 2),
  padLength: uintDec('http2.pad_length', 'Pad Length'),
  exclusive: flag('http2.exclusive', 'Exclusive'),
  streamDependency: uintDec('http2.stream_dependency', 'Stream Dependency'),
  weight: uintDec('http2.headers.weight', 'Weight'),
  weightReal: uintDec('http2.headers.weight_real', 'Weight real'),
  dataData: bytesField('http2.data.data', 'Data'),
  dataPadding: bytesField('http2.data.padding', 'Padding'),
  headers: bytesField('http2.headers', 'Header Block Fragment'),
  headersPadding: bytesField('http2.headers.padding', 'Padding'),
  header: none('http2.header', 'Header'),
  headerLength: uintDec('http2.header.length', 'Header Length'),
  headerCount: uintDec('http2.header.count', 'Header Count'),
  headerNameLength: uintDec('http2.header.name.length', 'Name Length'),
  headerName: str('http2.header.name', 'Name'),
  headerValueLength: uintDec('http2.header.value.length', 'Value Length'),
  headerValue: str('http2.header.value', 'Value'),
  headerUnescaped: str('http2.header.unescaped', 'Unescaped'),
  headerRepr: str('http2.header.repr', 'Representation'),
  headerIndex: uintDec('http2.header.index', 'Index'),
  tableSizeUpdate: none('http2.header_table_size_update', 'Header table size update'),
  tableSize: uintDec('http2.header_table_size_update.header_table_size', 'Header table size'),
  rstStreamError: uintDec('http2.rst_stream.error', 'Error', errorCodeNames),
  settings: none('http2.settings', 'Settings'),
  settingsId: uintDec('http2.settings.id', 'Settings Identifier', settingNames),
  settingsHeaderTableSize: uintDec('http2.settings.header_table_size', 'Header table size'),
  settingsEnablePush: uintDec('http2.settings.enable_push', 'Enable PUSH'),
  settingsMaxConcurrentStreams: uintDec('http2.settings.max_concurrent_streams', 'Max concurrent streams'),
  settingsInitialWindowSize: uintDec('http2.settings.initial_window_size', 'Initial Windows Size'),
  settingsMaxFrameSize: uintDec('http2.settings.max_frame_size', 'Max frame size'),
  settingsMaxHeaderListSize: uintDec('http2.settings.max_header_list_size', 'Max header list size'),
  settingsUnknown: uintDec('http2.settings.unknown', 'Unknown Settings'),
  pushPromiseR: uintHex('http2.push_promise.r', 'Reserved', 8),
  promisedStreamId: uintDec('http2.push_promise.promised_stream_id', 'Promised-Stream-ID'),
  pushPromiseHeader: bytesField('http2.push_promise.header', 'Header Block Fragment'),
  pushPromisePadding: bytesField('http2.push_promise.padding', 'Padding'),
  ping: bytesField('http2.ping', 'Ping'),
  pong: bytesField('http2.pong', 'Pong'),
  // Wireshark 4.0 spells this one "goway".
  goawayR: uintHex('http2.goway.r', 'Reserved', 8),
  goawayLastStreamId: uintDec('http2.goaway.last_stream_id', 'Last-Stream-ID'),
  goawayError: uintDec('http2.goaway.error', 'Error', errorCodeNames),
  goawayAddata: bytesField('http2.goaway.addata', 'Additional Debug Data'),
  windowUpdateR: uintHex('http2.window_update.r', 'Reserved', 8),
  windowSizeIncrement: uintDec('http2.window_update.window_size_increment', 'Window Size Increment'),
  continuationHeader: str('http2.continuation.header', 'Continuation Header'),
  continuationPadding: bytesField('http2.continuation.padding', 'Padding'),
  altsvcOriginLen: uintDec('http2.altsvc.origin.len', 'Origin Length'),
  altsvcOrigin: str('http2.altsvc.origin', 'Origin'),
  altsvcFieldValue: str('http2.altsvc.field_value', 'Field/Value'),
  fullUri: str('http2.request.full_uri', 'Full request URI'),
  bodyReassembledIn: field('http2.body.reassembled.in', 'Reassembled body in frame', 'framenum'),
} satisfies Record<string, FieldDef>;

/** Header names Wireshark 4.0 gives a field of their own (register_static_headers), by name. */
const NAMED_HEADERS: ReadonlyArray<readonly [string, 'string' | 'uint']> = [
  [':authority', 'string'], [':status', 'uint'], [':path', 'string'], [':method', 'string'], [':scheme', 'string'],
  ['accept', 'string'], ['accept-charset', 'string'], ['accept-encoding', 'string'], ['accept-language', 'string'],
  ['accept-ranges', 'string'], ['access-control-allow-origin', 'string'], ['age', 'uint'], ['allow', 'string'],
  ['authorization', 'string'], ['cache-control', 'string'], ['content-disposition', 'string'], ['content-encoding', 'string'],
  ['content-language', 'string'], ['content-length', 'uint'], ['content-location', 'string'], ['content-range', 'string'],
  ['content-type', 'string'], ['cookie', 'string'], ['date', 'string'], ['etag', 'string'], ['expect', 'string'],
  ['expires', 'string'], ['from', 'string'], ['if-match', 'string'], ['if-modified-since', 'string'], ['if-none-match', 'string'],
  ['if-range', 'string'], ['if-unmodified-since', 'string'], ['last-modified', 'string'], ['link', 'string'], ['location', 'string'],
  ['max-forwards', 'uint'], ['proxy-authenticate', 'string'], ['proxy-authorization', 'string'], ['range', 'string'],
  ['referer', 'string'], ['refresh', 'string'], ['retry-after', 'string'], ['server', 'string'], ['set-cookie', 'string'],
  ['strict-transport-security', 'string'], ['user-agent', 'string'], ['vary', 'string'], ['via', 'string'], ['www-authenticate', 'string'],
];

/** Header name → its http2.headers.* field (`:method` → http2.headers.method). */
export const namedHeaderFields: ReadonlyMap<string, FieldDef> = new Map(
  NAMED_HEADERS.map(([name, kind]) => {
    const key = `http2.headers.${name.replace(/^:/, '').replace(/-/g, '_')}`;
    return [name, kind === 'uint' ? uintDec(key, name) : str(key, name)] as const;
  }),
);

export const h2FieldList: readonly FieldDef[] = [...Object.values(h2Fields), ...namedHeaderFields.values()];

/**
 * Wireshark's bit-pattern label for a masked field: `.... .1.. = End Headers: True`. `bits` is the
 * field's width (8 or 32); groups of four bits are separated by spaces.
 */
export function bitsLabel(value: number, mask: number, bits: number, text: string): string {
  let s = '';
  for (let i = bits - 1; i >= 0; i--) {
    const m = 2 ** i;
    const inMask = Math.floor(mask / m) % 2 === 1;
    s += inMask ? (Math.floor(value / m) % 2 === 1 ? '1' : '0') : '.';
    if (i > 0 && i % 4 === 0) s += ' ';
  }
  return `${s} = ${text}`;
}
