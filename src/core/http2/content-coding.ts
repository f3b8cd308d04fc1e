// Content codings of message bodies (RFC 9110 §8.4.1: gzip, deflate, br) undone for display,
// through node:zlib, with a bound on the output so a decompression bomb costs nothing.

import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/** Largest decoded body kept for display. */
export const MAX_DECODED_BODY = 32 * 1024 * 1024;

export interface DecodedBody {
  /** The coding undone (`gzip`, `deflate`, `br`), or null when the body is shown as sent. */
  coding: string | null;
  bytes: Uint8Array;
  /** Why decoding failed (the bytes are then the coded ones), or null. */
  error: string | null;
}

/** The last coding of a Content-Encoding value (`gzip`, `br`…), lower case, or null for identity. */
export function lastCoding(contentEncoding: string | null): string | null {
  if (contentEncoding === null) return null;
  const parts = contentEncoding.split(',');
  const last = parts[parts.length - 1]!.trim().toLowerCase();
  return last === '' || last === 'identity' ? null : last;
}

/** Undoes `contentEncoding` on `body` when it is gzip, deflate or br; anything else is kept as is. */
export function decodeBody(body: Uint8Array, contentEncoding: string | null): DecodedBody {
  const coding = lastCoding(contentEncoding);
  if (coding === null || body.length === 0) return { coding: null, bytes: body, error: null };
  const opts = { maxOutputLength: MAX_DECODED_BODY };
  try {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        return { coding, bytes: gunzipSync(body, { ...opts, finishFlush: 2 /* Z_SYNC_FLUSH: a cut body decodes as far as it goes */ }), error: null };
      case 'deflate':
        // RFC 9110 §8.4.1.2 means the zlib format; some servers send raw deflate.
        try {
          return { coding, bytes: inflateSync(body, opts), error: null };
        } catch {
          return { coding, bytes: inflateRawSync(body, opts), error: null };
        }
      case 'br':
        return { coding, bytes: brotliDecompressSync(body, opts), error: null };
      default:
        return { coding: null, bytes: body, error: `content coding ${coding} is not decoded` };
    }
  } catch (err) {
    return { coding: null, bytes: body, error: `${coding} body could not be decoded: ${err instanceof Error ? err.message : String(err)}` };
  }
}
