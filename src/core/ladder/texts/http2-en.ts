// English sentences for HTTP/2 ladder steps: what each frame does on this connection and what
// HTTP/2 changes from HTTP/1.1. `{name}` placeholders are filled by explain-http2.ts.

export const http2En = {
  'title.h2c': 'HTTP/2 over cleartext TCP (h2c)',
  'title.upgrade': 'HTTP/1.1 upgraded to HTTP/2 (h2c)',
  'label.preface': 'Connection preface',
  'label.settings': 'SETTINGS',
  'label.settingsAck': 'SETTINGS ACK',
  'label.ping': 'PING',
  'label.pingAck': 'PING ACK',
  'label.windowUpdate': 'WINDOW_UPDATE +{bytes}',
  'label.windowUpdateStream': 'WINDOW_UPDATE stream {id} +{bytes}',
  'label.goaway': 'GOAWAY {error} (last stream {last})',
  'label.rst': 'RST_STREAM stream {id}: {error}',
  'label.push': 'PUSH_PROMISE stream {id} → {promised}: {method} {path}',
  'label.stream': '{types} stream {id}: {detail}',
  'label.streamBare': '{types} stream {id}',
  'label.end': 'end',
  'label.parts': 'DATA stream {id} ×{n} ({bytes})',
  'label.part': 'DATA stream {id} (part, {bytes})',
  'label.unknown': 'frame type {type}',

  'preface.preface':
    'The client opens HTTP/2 with the connection preface (PRI * HTTP/2.0…), a line no HTTP/1.1 server accepts as a request: from here on both sides speak HTTP/2 frames on this one connection.',
  'preface.how.tls': 'HTTP/2 was chosen in the TLS handshake: the client offered and the server picked ALPN h2.',
  'preface.how.prior': 'Over cleartext TCP the client knew in advance that the server speaks HTTP/2 (prior knowledge, RFC 9113 §3.3).',
  'preface.how.upgrade': 'The server agreed to switch from HTTP/1.1 (101 Switching Protocols, Upgrade: h2c); its answer to that first request comes on stream 1.',
  'settings.sent':
    'The {side} announces its SETTINGS: {list}. Each side states the limits it accepts (concurrent streams, flow-control window, frame size, header table size); HTTP/1.1 had no such exchange.',
  'settings.empty': 'The {side} sends an empty SETTINGS frame: it keeps every default (RFC 9113 §6.5.2).',
  'settings.tableSize':
    'SETTINGS_HEADER_TABLE_SIZE {n}: the {peer} may keep at most {n} bytes of earlier header fields in its HPACK dynamic table for the {side}, so its next header block begins with a table size update.',
  'settings.ack': 'The {side} acknowledges the {peer}’s SETTINGS: from now on it applies them.',
  'request.headers': 'The client opens stream {id} with a HEADERS frame: {method} {path}{authority}.',
  'request.hpack':
    'In HTTP/2 the request line becomes pseudo-header fields (:method, :path, :scheme, :authority) and the header block is HPACK-compressed: {wire} on the wire for {plain} of header fields, because fields sent before are referred to by index.',
  'request.noBody': 'END_STREAM is set: the request has no body.',
  'request.body': 'A body follows in DATA frames on the same stream.',
  'multiplex':
    'Streams {ids} are open at the same time on this one connection: HTTP/2 multiplexes requests, where HTTP/1.1 needs a connection per request in flight or makes requests wait their turn.',
  'response.headers': 'The server answers stream {id} with a HEADERS frame: {status} {reason}{type}.',
  'response.interim': 'An interim {status} response: the final one follows on the same stream.',
  'response.wait': 'It came {wait} after the request’s header block.',
  'data.body': '{bytes} of the {message} body of stream {id} in DATA frames{coding}.',
  'data.coding': ' ({coding}-coded; {decoded} once decoded)',
  'data.end': 'END_STREAM: the {message} on stream {id} is complete ({total} in {frames} DATA frames).',
  'data.end.one': 'END_STREAM: the {message} on stream {id} is complete ({total} in one DATA frame).',
  'data.flow':
    'DATA is flow-controlled per stream and per connection: the receiver’s window limits how much may be in flight, and WINDOW_UPDATE frames open it again. HTTP/1.1 left this to TCP alone.',
  'rst.sent':
    'The {side} resets stream {id} with {error}: {meaning} Only this stream ends; the connection and its other streams go on. In HTTP/1.1 the only way to abort a request was to close the connection.',
  'goaway.sent':
    'The {side} sends GOAWAY ({error}): it will start no new streams on this connection. Streams up to {last} may have been processed; any with a higher number were not and can be retried on a new connection.',
  'goaway.client': 'The client sends GOAWAY ({error}): it is closing the HTTP/2 connection and will accept no more streams from the server.',
  'goaway.graceful': 'NO_ERROR: a graceful shutdown, not a failure.',
  'goaway.debug': 'Debug data: “{debug}”.',
  'windowUpdate':
    'The {side} grants {bytes} more of flow-control window {scope}: the {peer} may send that much more DATA before waiting again (RFC 9113 §6.9).',
  'windowUpdate.connection': 'on the whole connection',
  'windowUpdate.stream': 'on stream {id}',
  'ping': 'The {side} sends PING: the {peer} must echo its 8 bytes, which measures the round trip and keeps the connection alive.',
  'ping.ack': 'The {side} echoes the PING: {rtt} after it was sent.',
  'push':
    'The server promises stream {promised}: it will push {method} {path} before the client asks for it (server push, RFC 9113 §8.4).',
  'continuation': 'The header block continues in CONTINUATION frames: no other frame may come between them on this connection.',
  'undecodable':
    'This header block could not be fully decoded: {reason}. HPACK is stateful — each side keeps a dynamic table of earlier header fields — so a capture that starts mid-connection misses the entries later blocks refer to.',
  'part': '{bytes} of a {type} frame of stream {id} that completes in a later packet.',
  'parts': '{n} packets carry {bytes} of DATA frames of stream {id}: one body sent in pieces no larger than SETTINGS_MAX_FRAME_SIZE.',
  'hidden': '{n} WINDOW_UPDATE and PING frames right after this step are hidden (turn on “Show control frames”).',
  'fact.http2': 'HTTP/2',
  'fact.http2.value': '{streams}, {requests}{resets}',
  'unit.stream': '1 stream',
  'unit.streams': '{n} streams',
  'unit.request': '1 request',
  'unit.requests': '{n} requests',
  'unit.resets': ', {n} reset',

  'meaning.NO_ERROR': 'the stream simply ends without a problem.',
  'meaning.PROTOCOL_ERROR': 'the sender saw a frame that breaks the HTTP/2 rules on this stream.',
  'meaning.INTERNAL_ERROR': 'the sender hit an unexpected error of its own.',
  'meaning.FLOW_CONTROL_ERROR': 'the peer sent more DATA than the flow-control window allowed.',
  'meaning.SETTINGS_TIMEOUT': 'SETTINGS were not acknowledged in time.',
  'meaning.STREAM_CLOSED': 'a frame arrived for a stream that was already half-closed.',
  'meaning.FRAME_SIZE_ERROR': 'a frame had a length this stream does not allow.',
  'meaning.REFUSED_STREAM': 'the server did not process the request at all, so the client may safely retry it.',
  'meaning.CANCEL': 'the stream is no longer needed (the user navigated away, or the client cancelled the request).',
  'meaning.COMPRESSION_ERROR': 'the HPACK state could not be kept in step.',
  'meaning.CONNECT_ERROR': 'the tunnel a CONNECT request opened was reset or closed abnormally.',
  'meaning.ENHANCE_YOUR_CALM': 'the peer is sending too much, too fast (rate limiting).',
  'meaning.INADEQUATE_SECURITY': 'the TLS parameters do not meet HTTP/2’s minimum requirements.',
  'meaning.HTTP_1_1_REQUIRED': 'the server wants this request over HTTP/1.1.',
  'meaning.unknown': 'the error code is not one RFC 9113 defines.',
} as const;

export type Http2TextKey = keyof typeof http2En;
