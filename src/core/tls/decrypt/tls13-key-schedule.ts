// TLS 1.3 key schedule pieces a key log leaves to the reader (RFC 8446 §7): HKDF-Extract and
// HKDF-Expand-Label, traffic keys and IVs, the next generation after a KeyUpdate, Finished keys.

import { createHash, createHmac } from 'node:crypto';

/** RFC 5869 §2.2. */
export function hkdfExtract(hash: string, salt: Uint8Array, ikm: Uint8Array): Buffer {
  return createHmac(hash, salt).update(ikm).digest();
}

/** RFC 5869 §2.3 HKDF-Expand (node:crypto's hkdf always extracts first, so expand is written here). */
export function hkdfExpand(hash: string, prk: Uint8Array, info: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  let t: Buffer = Buffer.alloc(0);
  let filled = 0;
  for (let i = 1; filled < length; i++) {
    t = createHmac(hash, prk).update(t).update(info).update(Uint8Array.of(i)).digest();
    t.copy(out, filled, 0, Math.min(t.length, length - filled));
    filled += t.length;
  }
  return out;
}

/** RFC 8446 §7.1 HKDF-Expand-Label(Secret, Label, Context, Length) with the "tls13 " prefix. */
export function hkdfExpandLabel(hash: string, secret: Uint8Array, label: string, context: Uint8Array, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.alloc(2 + 1 + full.length + 1 + context.length);
  info.writeUInt16BE(length, 0);
  info[2] = full.length;
  full.copy(info, 3);
  info[3 + full.length] = context.length;
  Buffer.from(context).copy(info, 4 + full.length);
  return hkdfExpand(hash, secret, info, length);
}

/** RFC 8446 §7.1 Derive-Secret(Secret, Label, Messages). */
export function deriveSecret(hash: string, secret: Uint8Array, label: string, transcriptHash: Uint8Array): Buffer {
  return hkdfExpandLabel(hash, secret, label, transcriptHash, hashLength(hash));
}

export function hashLength(hash: string): number {
  return hash === 'sha384' ? 48 : hash === 'sha512' ? 64 : 32;
}

/** RFC 8446 §7.3: write key and IV from a traffic secret. */
export function trafficKeys(hash: string, secret: Uint8Array, keyLength: number, ivLength: number): { key: Buffer; iv: Buffer } {
  const empty = new Uint8Array(0);
  return { key: hkdfExpandLabel(hash, secret, 'key', empty, keyLength), iv: hkdfExpandLabel(hash, secret, 'iv', empty, ivLength) };
}

/** RFC 8446 §7.2: application_traffic_secret_N+1 after a KeyUpdate. */
export function nextTrafficSecret(hash: string, secret: Uint8Array): Buffer {
  return hkdfExpandLabel(hash, secret, 'traffic upd', new Uint8Array(0), hashLength(hash));
}

/** RFC 8446 §4.4.4: verify_data = HMAC(finished_key, Transcript-Hash(…)). */
export function finishedVerifyData13(hash: string, baseKey: Uint8Array, transcriptHash: Uint8Array): Buffer {
  const finishedKey = hkdfExpandLabel(hash, baseKey, 'finished', new Uint8Array(0), hashLength(hash));
  return createHmac(hash, finishedKey).update(transcriptHash).digest();
}

/**
 * RFC 8446 §4.4.1 transcript hash; after a HelloRetryRequest the first ClientHello is replaced by
 * the synthetic message_hash message (type 254, length Hash.length, Hash(ClientHello1)).
 */
export function transcriptHash13(hash: string, messages: readonly Uint8Array[], helloRetryAt: number): Buffer {
  const h = createHash(hash);
  for (let i = 0; i < messages.length; i++) {
    if (i === 0 && helloRetryAt > 0) {
      const inner = createHash(hash).update(messages[0]!).digest();
      h.update(Uint8Array.of(254, 0, 0, inner.length));
      h.update(inner);
      continue;
    }
    h.update(messages[i]!);
  }
  return h.digest();
}
