// An HTTP/1.1 request upgraded to HTTP/2 (`Upgrade: h2c`, RFC 7540 §3.2), built frame by frame:
// node:http2 does not implement the upgrade, so these are the bytes a client and server that do
// would write. Header blocks use a static-table index and plain literals (RFC 7541 §6.1, §6.2.2).

import { CLIENT, SERVER, type WireWrite } from './tls-conversation';

const PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

function frame(type: number, flags: number, stream: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(9 + payload.length);
  out[0] = (payload.length >>> 16) & 0xff;
  out[1] = (payload.length >>> 8) & 0xff;
  out[2] = payload.length & 0xff;
  out[3] = type;
  out[4] = flags;
  new DataView(out.buffer).setUint32(5, stream & 0x7fffffff);
  out.set(payload, 9);
  return out;
}

function settingsPayload(pairs: ReadonlyArray<readonly [number, number]>): Uint8Array {
  const out = new Uint8Array(pairs.length * 6);
  const v = new DataView(out.buffer);
  pairs.forEach(([id, value], i) => {
    v.setUint16(i * 6, id);
    v.setUint32(i * 6 + 2, value);
  });
  return out;
}

/** A literal header field without indexing, new name, no Huffman coding (lengths < 127). */
function literal(name: string, value: string): number[] {
  const n = [...Buffer.from(name, 'latin1')];
  const v = [...Buffer.from(value, 'latin1')];
  return [0x00, n.length, ...n, v.length, ...v];
}

const concat = (...parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);
const text = (s: string): Uint8Array => Buffer.from(s, 'latin1');

export function h2cUpgradeWrites(host: string, date: string): WireWrite[] {
  const clientSettings = settingsPayload([
    [0x3, 100], // SETTINGS_MAX_CONCURRENT_STREAMS
    [0x4, 65535], // SETTINGS_INITIAL_WINDOW_SIZE
  ]);
  const http2Settings = Buffer.from(clientSettings).toString('base64url');
  const request = text(
    [`GET /upgrade HTTP/1.1`, `Host: ${host}`, 'Connection: Upgrade, HTTP2-Settings', 'Upgrade: h2c', `HTTP2-Settings: ${http2Settings}`, 'User-Agent: wireladder-sample/1.0', '', ''].join('\r\n'),
  );
  const switching = text(['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: h2c', '', ''].join('\r\n'));
  const serverSettings = frame(0x4, 0, 0, settingsPayload([[0x3, 128], [0x5, 16384]]));
  const body = text('Hello over h2c: this answer to the HTTP/1.1 request travels on HTTP/2 stream 1.\n');
  const block = Uint8Array.from([
    0x88, // indexed :status: 200 (RFC 7541 §6.1, static index 8)
    ...literal('content-type', 'text/plain; charset=utf-8'),
    ...literal('content-length', String(body.length)),
    ...literal('date', date),
    ...literal('server', 'wireladder-sample'),
  ]);

  const w1: WireWrite = { side: CLIENT, bytes: request, after: null, thinkMs: 0 };
  const w2: WireWrite = { side: SERVER, bytes: concat(switching, serverSettings), after: w1, thinkMs: 0.8 };
  const w3: WireWrite = { side: CLIENT, bytes: concat(text(PREFACE), frame(0x4, 0, 0, clientSettings), frame(0x4, 0x1, 0, new Uint8Array(0))), after: w2, thinkMs: 0 };
  const w4: WireWrite = {
    side: SERVER,
    bytes: concat(frame(0x4, 0x1, 0, new Uint8Array(0)), frame(0x1, 0x4, 1, block), frame(0x0, 0x1, 1, body)),
    after: w3,
    thinkMs: 0.5,
  };
  const goaway = new Uint8Array(8); // last stream 0, NO_ERROR
  const w5: WireWrite = { side: CLIENT, bytes: frame(0x7, 0, 0, goaway), after: w4, thinkMs: 0 };
  const w6: WireWrite = { side: CLIENT, bytes: null, after: w4, thinkMs: 0 };
  const w7: WireWrite = { side: SERVER, bytes: null, after: w6, thinkMs: 0 };
  return [w1, w2, w3, w4, w5, w6, w7];
}
