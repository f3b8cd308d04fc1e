// TLS 1.0–1.2 key derivation: the PRF (RFC 2246 §5 MD5 ⊕ SHA-1; RFC 5246 §5 P_SHA256 / P_SHA384),
// master secret (RFC 5246 §8.1, extended master secret RFC 7627 §4), key block (§6.3) and the
// Finished verify_data (§7.4.9).

import { createHash, createHmac } from 'node:crypto';

export type PrfHash = 'sha256' | 'sha384';

/** RFC 5246 §5: P_hash(secret, seed) cut to `length` bytes. */
function pHash(hash: string, secret: Uint8Array, seed: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  let a: Buffer = createHmac(hash, secret).update(seed).digest();
  let filled = 0;
  for (;;) {
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    block.copy(out, filled, 0, Math.min(block.length, length - filled));
    filled += block.length;
    if (filled >= length) return out;
    // A(i+1) only when another block is needed (an HMAC is the cost that counts here).
    a = createHmac(hash, secret).update(a).digest();
  }
}

/**
 * PRF(secret, label, seed) for `version` (0x0301–0x0303). TLS 1.0 and 1.1 XOR P_MD5 over the
 * secret's first half with P_SHA1 over its second (the halves share a byte when its length is odd).
 */
export function prf(version: number, hash: PrfHash, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Buffer {
  const labelSeed = Buffer.concat([Buffer.from(label, 'latin1'), seed]);
  if (version >= 0x0303) return pHash(hash, secret, labelSeed, length);
  const half = Math.ceil(secret.length / 2);
  const md5 = pHash('md5', secret.subarray(0, half), labelSeed, length);
  const sha1 = pHash('sha1', secret.subarray(secret.length - half), labelSeed, length);
  for (let i = 0; i < length; i++) md5[i]! ^= sha1[i]!;
  return md5;
}

/**
 * RFC 5246 §8.1 master secret from a pre-master secret; with the extended master secret
 * extension the seed is the session hash instead of the randoms (RFC 7627 §4).
 */
export function masterSecret(version: number, hash: PrfHash, preMaster: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, sessionHash: Uint8Array | null): Buffer {
  if (sessionHash !== null) return prf(version, hash, preMaster, 'extended master secret', sessionHash, 48);
  return prf(version, hash, preMaster, 'master secret', Buffer.concat([clientRandom, serverRandom]), 48);
}

/** RFC 5246 §6.3: the key block is seeded with server_random + client_random. */
export function keyBlock(version: number, hash: PrfHash, master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, length: number): Buffer {
  return prf(version, hash, master, 'key expansion', Buffer.concat([serverRandom, clientRandom]), length);
}

/**
 * The handshake hash of TLS ≤ 1.2 over `messages` (RFC 5246 §7.4.9; TLS 1.0/1.1 use MD5 ‖ SHA-1,
 * RFC 2246 §7.4.9), also the session hash of RFC 7627 §3.
 */
export function handshakeHash(version: number, hash: PrfHash, messages: readonly Uint8Array[]): Buffer {
  if (version >= 0x0303) {
    const h = createHash(hash);
    for (const m of messages) h.update(m);
    return h.digest();
  }
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  for (const m of messages) {
    md5.update(m);
    sha1.update(m);
  }
  return Buffer.concat([md5.digest(), sha1.digest()]);
}

/** RFC 5246 §7.4.9: verify_data = PRF(master, finished_label, Hash(handshake_messages))[0..11]. */
export function finishedVerifyData(version: number, hash: PrfHash, master: Uint8Array, fromClient: boolean, transcriptHash: Uint8Array): Buffer {
  return prf(version, hash, master, fromClient ? 'client finished' : 'server finished', transcriptHash, 12);
}
