// Finds handshake messages and the first application data in one direction's TLS byte stream, so
// the generator can annotate the packets that carry them (by content, not by packet number).

export interface TlsLandmarks {
  /** Cleartext handshake messages: HandshakeType and the stream offset just past the message. */
  handshake: Array<{ type: number; end: number }>;
  /** Stream offset just past the first application_data record sent after ChangeCipherSpec. */
  firstAppDataEnd: number | null;
}

const CHANGE_CIPHER_SPEC = 20;
const HANDSHAKE = 22;
const APPLICATION_DATA = 23;

export const HANDSHAKE_CLIENT_HELLO = 1;
export const HANDSHAKE_CERTIFICATE = 11;
export const HANDSHAKE_CERTIFICATE_REQUEST = 13;
export const HANDSHAKE_CERTIFICATE_VERIFY = 15;

/**
 * Walks the records of a stream this generator produced (so well-formed, and no handshake message
 * split across records). Records after ChangeCipherSpec are encrypted: their handshake contents
 * (Finished) are not read, and in TLS 1.3 every record after the ServerHello looks like
 * application data, so `firstAppDataEnd` is only meaningful for TLS 1.2.
 */
export function scanTls(stream: Uint8Array): TlsLandmarks {
  const out: TlsLandmarks = { handshake: [], firstAppDataEnd: null };
  let encrypted = false;
  for (let o = 0; o + 5 <= stream.length; ) {
    const type = stream[o]!;
    const length = (stream[o + 3]! << 8) | stream[o + 4]!;
    const body = o + 5;
    const end = body + length;
    if (type === CHANGE_CIPHER_SPEC) encrypted = true;
    else if (type === HANDSHAKE && !encrypted) {
      for (let m = body; m + 4 <= end; ) {
        const msgEnd = m + 4 + ((stream[m + 1]! << 16) | (stream[m + 2]! << 8) | stream[m + 3]!);
        out.handshake.push({ type: stream[m]!, end: msgEnd });
        m = msgEnd;
      }
    } else if (type === APPLICATION_DATA && encrypted && out.firstAppDataEnd === null) out.firstAppDataEnd = end;
    o = end;
  }
  return out;
}
