// AEAD record protection (AES-GCM, AES-CCM/CCM_8, ARIA-GCM, ChaCha20-Poly1305) for TLS 1.2
// (RFC 5288, RFC 6655, RFC 7905) and TLS 1.3 (RFC 8446 §5.2–5.4), opened with node:crypto.

import { createDecipheriv, type CipherCCMTypes, type CipherGCMTypes, type CipherChaCha20Poly1305Types } from 'node:crypto';
import { BAD_RECORD_MAC, macHeader, writeSeq, type OpenResult, type RecordProtection } from './record-protection';

type AeadCipher = CipherGCMTypes | CipherCCMTypes | CipherChaCha20Poly1305Types | 'aria-128-gcm' | 'aria-256-gcm';

export class AeadProtection implements RecordProtection {
  private readonly nonce = Buffer.alloc(12);
  private readonly ccm: boolean;

  /**
   * `iv` is the fixed nonce part: 4 bytes (TLS 1.2 GCM/CCM, an 8-byte explicit nonce follows in
   * each record) or 12 bytes XORed with the sequence number (ChaCha20 in TLS 1.2, all of TLS 1.3).
   */
  constructor(
    private readonly cipher: string,
    private readonly key: Uint8Array,
    private readonly iv: Uint8Array,
    private readonly tagLength: number,
    private readonly tls13: boolean,
  ) {
    this.ccm = cipher.endsWith('-ccm');
  }

  open(type: number, version: number, b: Uint8Array, off: number, len: number, seq: number): OpenResult {
    const explicit = this.iv.length === 4 ? 8 : 0;
    const cipherLength = len - explicit - this.tagLength;
    if (cipherLength < (this.tls13 ? 1 : 0)) return { ok: false, reason: `record too short for its nonce and tag (${len} bytes)` };
    const nonce = this.nonce;
    if (explicit > 0) {
      // RFC 5288 §3: salt (from the key block) ‖ nonce_explicit (the record's first 8 bytes).
      nonce.set(this.iv, 0);
      nonce.set(b.subarray(off, off + 8), 4);
    } else {
      // RFC 8446 §5.3 / RFC 7905 §2: the 64-bit sequence number, left-padded, XOR the IV.
      nonce.fill(0, 0, 4);
      writeSeq(nonce, 4, seq);
      for (let i = 0; i < 12; i++) nonce[i] = nonce[i]! ^ this.iv[i]!;
    }
    // TLS 1.3 authenticates the record header itself; TLS 1.2 the MAC header with the plaintext length.
    const aad = this.tls13 ? Uint8Array.of(type, version >> 8, version & 0xff, len >> 8, len & 0xff) : macHeader(seq, type, version, cipherLength);
    const body = b.subarray(off + explicit, off + explicit + cipherLength);
    const tag = b.subarray(off + len - this.tagLength, off + len);
    let plain: Buffer;
    try {
      // The union of option types keeps each cipher family's own overload apart.
      const d = createDecipheriv(this.cipher as AeadCipher as CipherGCMTypes, this.key, nonce, { authTagLength: this.tagLength });
      d.setAuthTag(tag);
      if (this.ccm) d.setAAD(aad, { plaintextLength: cipherLength });
      else d.setAAD(aad);
      const first = d.update(body);
      const last = d.final();
      plain = last.length === 0 ? first : Buffer.concat([first, last]);
    } catch {
      return { ok: false, reason: BAD_RECORD_MAC };
    }
    if (!this.tls13) return { ok: true, data: plain, type };
    // RFC 8446 §5.4: TLSInnerPlaintext = content ‖ type ‖ zeros; the last non-zero byte is the type.
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0) return { ok: false, reason: 'no content type in the decrypted record (all padding)' };
    return { ok: true, data: plain.subarray(0, end), type: plain[end]! };
  }
}
