// The handshake transcript as a running hash (RFC 5246 §7.4.9, RFC 8446 §4.4.1): messages before
// the ServerHello names the hash are held, then everything is hashed as it arrives, so Finished
// and the extended master secret's session hash read a copy of the running state (no message is
// kept, and no message is hashed twice).

import { createHash, type Hash } from 'node:crypto';

/** Bytes held before the hash is known (a few hellos; more is a renegotiation storm). */
const MAX_PENDING = 1 << 20;

export class Transcript {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** [hash], or [MD5, SHA-1] for TLS 1.0/1.1 (RFC 2246 §7.4.9). */
  private hashes: Hash[] | null = null;

  /** Adds one handshake message (header included). */
  add(b: Uint8Array, start: number, end: number): void {
    const hashes = this.hashes;
    if (hashes !== null) {
      const m = b.subarray(start, end);
      for (const h of hashes) h.update(m);
      return;
    }
    if (this.pendingBytes + (end - start) > MAX_PENDING) return;
    this.pending.push(b.slice(start, end));
    this.pendingBytes += end - start;
  }

  /**
   * The ServerHello named the hash: what was held is hashed. After a HelloRetryRequest (TLS 1.3)
   * the first ClientHello is replaced by message_hash: 254, 0, 0, Hash.length, Hash(ClientHello1).
   */
  start(version: number, hash: string, helloRetry: boolean): void {
    if (this.hashes !== null) return;
    const hashes = version >= 0x0303 ? [createHash(hash)] : [createHash('md5'), createHash('sha1')];
    this.pending.forEach((m, i) => {
      if (i === 0 && helloRetry && version === 0x0304) {
        const inner = createHash(hash).update(m).digest();
        hashes[0]!.update(Uint8Array.of(254, 0, 0, inner.length)).update(inner);
        return;
      }
      for (const h of hashes) h.update(m);
    });
    this.hashes = hashes;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The hash of the messages so far (MD5 ‖ SHA-1 before TLS 1.2); null before start(). */
  digest(): Buffer | null {
    const hashes = this.hashes;
    if (hashes === null) return null;
    return hashes.length === 1 ? hashes[0]!.copy().digest() : Buffer.concat(hashes.map((h) => h.copy().digest()));
  }
}
