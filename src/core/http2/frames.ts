// HTTP/2 framing (RFC 9113 §4, §6): frame types, flags, error codes, settings, the connection
// preface, and the checks that tell a frame header from other bytes.

/** RFC 9113 §3.4: the client connection preface, `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`. */
export const PREFACE: Uint8Array = Uint8Array.from([
  0x50, 0x52, 0x49, 0x20, 0x2a, 0x20, 0x48, 0x54, 0x54, 0x50, 0x2f, 0x32, 0x2e, 0x30, 0x0d, 0x0a,
  0x0d, 0x0a, 0x53, 0x4d, 0x0d, 0x0a, 0x0d, 0x0a,
]);
export const PREFACE_TEXT = 'PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n';

/** RFC 9113 §4.1: length (24), type (8), flags (8), R + stream identifier (32). */
export const FRAME_HEADER_LENGTH = 9;
/** RFC 9113 §4.2: SETTINGS_MAX_FRAME_SIZE's initial value, and its largest allowed value. */
export const DEFAULT_MAX_FRAME_SIZE = 16384;
export const LARGEST_MAX_FRAME_SIZE = 16777215;

export const FrameType = {
  Data: 0x0,
  Headers: 0x1,
  Priority: 0x2,
  RstStream: 0x3,
  Settings: 0x4,
  PushPromise: 0x5,
  Ping: 0x6,
  Goaway: 0x7,
  WindowUpdate: 0x8,
  Continuation: 0x9,
  /** RFC 7838 §4. */
  Altsvc: 0xa,
  /** A draft frame Wireshark still names. */
  Blocked: 0xb,
} as const;

/** Type names as Wireshark 4.0's http2_type_vals. */
const TYPE_NAMES: readonly string[] = [
  'DATA', 'HEADERS', 'PRIORITY', 'RST_STREAM', 'SETTINGS', 'PUSH_PROMISE', 'PING', 'GOAWAY', 'WINDOW_UPDATE', 'CONTINUATION', 'ALTSVC', 'BLOCKED',
];

export const typeNames: ReadonlyMap<number, string> = new Map(TYPE_NAMES.map((n, i) => [i, n]));

/** `HEADERS`, or `Unknown type (N)` as Wireshark writes an unknown type (RFC 9113 §5.5: ignored, kept). */
export function frameTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `Unknown type (${type})`;
}

export const Flag = {
  /** DATA, HEADERS. */
  EndStream: 0x01,
  /** SETTINGS, PING. */
  Ack: 0x01,
  /** HEADERS, PUSH_PROMISE, CONTINUATION. */
  EndHeaders: 0x04,
  /** DATA, HEADERS, PUSH_PROMISE. */
  Padded: 0x08,
  /** HEADERS. */
  Priority: 0x20,
} as const;

/** Flags each type defines (RFC 9113 §6); other bits are unused and must be ignored. */
export function definedFlags(type: number): number {
  switch (type) {
    case FrameType.Data:
      return Flag.EndStream | Flag.Padded;
    case FrameType.Headers:
      return Flag.EndStream | Flag.EndHeaders | Flag.Padded | Flag.Priority;
    case FrameType.Settings:
    case FrameType.Ping:
      return Flag.Ack;
    case FrameType.PushPromise:
      return Flag.EndHeaders | Flag.Padded;
    case FrameType.Continuation:
      return Flag.EndHeaders;
    default:
      return 0;
  }
}

/** The flags' names as Wireshark lists them after the value (`0x05, End Headers, End Stream`). */
export function flagsText(type: number, flags: number): string {
  let s = `0x${flags.toString(16).padStart(2, '0')}`;
  switch (type) {
    case FrameType.Data:
      if ((flags & Flag.Padded) !== 0) s += ', Padded';
      if ((flags & Flag.EndStream) !== 0) s += ', End Stream';
      break;
    case FrameType.Headers:
      if ((flags & Flag.Priority) !== 0) s += ', Priority';
      if ((flags & Flag.Padded) !== 0) s += ', Padded';
      if ((flags & Flag.EndHeaders) !== 0) s += ', End Headers';
      if ((flags & Flag.EndStream) !== 0) s += ', End Stream';
      break;
    case FrameType.Settings:
    case FrameType.Ping:
      if ((flags & Flag.Ack) !== 0) s += ', ACK';
      break;
    case FrameType.PushPromise:
      if ((flags & Flag.Padded) !== 0) s += ', Padded';
      if ((flags & Flag.EndHeaders) !== 0) s += ', End Headers';
      break;
    case FrameType.Continuation:
      if ((flags & Flag.EndHeaders) !== 0) s += ', End Headers';
      break;
    default:
      break;
  }
  return s;
}

/** RFC 9113 §7 error codes. */
const ERROR_NAMES: readonly string[] = [
  'NO_ERROR', 'PROTOCOL_ERROR', 'INTERNAL_ERROR', 'FLOW_CONTROL_ERROR', 'SETTINGS_TIMEOUT', 'STREAM_CLOSED', 'FRAME_SIZE_ERROR',
  'REFUSED_STREAM', 'CANCEL', 'COMPRESSION_ERROR', 'CONNECT_ERROR', 'ENHANCE_YOUR_CALM', 'INADEQUATE_SECURITY', 'HTTP_1_1_REQUIRED',
];

export const errorCodeNames: ReadonlyMap<number, string> = new Map(ERROR_NAMES.map((n, i) => [i, n]));

/** `CANCEL`, or `Unknown (0x…)` (RFC 9113 §7: unknown codes must not trigger special behaviour). */
export function errorCodeName(code: number): string {
  return ERROR_NAMES[code] ?? `Unknown (0x${code.toString(16).padStart(8, '0')})`;
}

export const Setting = {
  HeaderTableSize: 0x1,
  EnablePush: 0x2,
  MaxConcurrentStreams: 0x3,
  InitialWindowSize: 0x4,
  MaxFrameSize: 0x5,
  MaxHeaderListSize: 0x6,
} as const;

/** Setting names as Wireshark 4.0's http2_settings_vals. */
export const settingNames: ReadonlyMap<number, string> = new Map([
  [Setting.HeaderTableSize, 'Header table size'],
  [Setting.EnablePush, 'Enable PUSH'],
  [Setting.MaxConcurrentStreams, 'Max concurrent streams'],
  [Setting.InitialWindowSize, 'Initial Windows size'],
  [Setting.MaxFrameSize, 'Max frame size'],
  [Setting.MaxHeaderListSize, 'Max header list size'],
]);

/** RFC 9113 names of the settings (for explanations). */
export const settingRfcNames: ReadonlyMap<number, string> = new Map([
  [Setting.HeaderTableSize, 'SETTINGS_HEADER_TABLE_SIZE'],
  [Setting.EnablePush, 'SETTINGS_ENABLE_PUSH'],
  [Setting.MaxConcurrentStreams, 'SETTINGS_MAX_CONCURRENT_STREAMS'],
  [Setting.InitialWindowSize, 'SETTINGS_INITIAL_WINDOW_SIZE'],
  [Setting.MaxFrameSize, 'SETTINGS_MAX_FRAME_SIZE'],
  [Setting.MaxHeaderListSize, 'SETTINGS_MAX_HEADER_LIST_SIZE'],
  [0x8, 'SETTINGS_ENABLE_CONNECT_PROTOCOL'],
  [0x9, 'SETTINGS_NO_RFC7540_PRIORITIES'],
]);

/** Whether `b[at, at + 24)` (or what of it is there) matches the preface. */
export function matchesPreface(b: Uint8Array, at: number, end: number): boolean {
  const n = Math.min(end - at, PREFACE.length);
  for (let i = 0; i < n; i++) if (b[at + i] !== PREFACE[i]) return false;
  return true;
}

/** The 24-bit length of the frame header at `at`. */
export function frameLength(b: Uint8Array, at: number): number {
  return (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;
}

/** The 31-bit stream identifier of the frame header at `at` (the R bit masked off). */
export function streamId(b: Uint8Array, at: number): number {
  return ((b[at + 5]! & 0x7f) * 0x1000000) + ((b[at + 6]! << 16) | (b[at + 7]! << 8) | b[at + 8]!);
}

/**
 * Whether a frame header at `at` is what a conforming peer sends (used to find frame boundaries
 * after a gap, and to recognise HTTP/2 without its preface): a known type whose stream identifier
 * is 0 exactly when the type is connection-level, a payload length that type allows, no unused
 * flags, the reserved bit clear and at most `maxLength` bytes.
 */
export function plausibleFrameHeader(b: Uint8Array, at: number, maxLength: number): boolean {
  const length = frameLength(b, at);
  const type = b[at + 3]!;
  const flags = b[at + 4]!;
  if (length > maxLength || (b[at + 5]! & 0x80) !== 0) return false;
  if ((flags & ~definedFlags(type)) !== 0) return false;
  const stream = streamId(b, at);
  switch (type) {
    case FrameType.Data:
    case FrameType.Headers:
    case FrameType.Continuation:
      return stream !== 0 && (type !== FrameType.Headers || length > 0);
    case FrameType.PushPromise:
      return stream !== 0 && length >= 4;
    case FrameType.Priority:
      return stream !== 0 && length === 5;
    case FrameType.RstStream:
      return stream !== 0 && length === 4;
    case FrameType.Settings:
      return stream === 0 && length % 6 === 0 && ((flags & Flag.Ack) === 0 || length === 0);
    case FrameType.Ping:
      return stream === 0 && length === 8;
    case FrameType.Goaway:
      return stream === 0 && length >= 8;
    case FrameType.WindowUpdate:
      return length === 4;
    default:
      return false;
  }
}

/**
 * Whether `b[off, off + len)` starts with HTTP/2 frames: the preface, or (a capture that begins
 * mid-connection, a server's first SETTINGS) plausible frame headers that end exactly where the
 * bytes do or are followed by another plausible header. One frame alone must be a SETTINGS frame
 * (what a server sends first) or fill the bytes exactly.
 */
export function looksLikeHttp2(b: Uint8Array, off: number, len: number): boolean {
  const end = off + len;
  // `PRI * HTTP/2.0` is enough: no HTTP/1.x request line starts that way.
  if (len >= 14 && matchesPreface(b, off, end)) return true;
  let at = off;
  let frames = 0;
  while (at + FRAME_HEADER_LENGTH <= end && frames < 4) {
    if (!plausibleFrameHeader(b, at, DEFAULT_MAX_FRAME_SIZE)) return false;
    const next = at + FRAME_HEADER_LENGTH + frameLength(b, at);
    frames++;
    if (next === end) return true;
    if (next > end) return frames > 1 || (b[at + 3] === FrameType.Settings && (b[at + 4]! & Flag.Ack) === 0);
    at = next;
  }
  return frames >= 2;
}
