// Block cipher (CBC) and NULL record protection with HMAC for TLS 1.0–1.2: MAC-then-encrypt
// (RFC 5246 §6.2.3.2; TLS 1.0's IV chained from the previous record, RFC 2246 §6.2.3.2) and
// encrypt-then-MAC (RFC 7366 §3).

import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { BAD_RECORD_MAC, macHeader, type OpenResult, type RecordProtection } from './record-protection';

export class CbcHmacProtection implements RecordProtection {
  /** TLS 1.0: the IV of the next record (the last ciphertext block of the previous one). */
  private chainedIv: Uint8Array | null;

  /**
   * `cipher` '' is the NULL cipher (MAC only). `iv` is the key block's IV, used by TLS 1.0 only
   * (TLS 1.1+ carry an explicit IV per record, RFC 4346 §6.2.3.2).
   */
  constructor(
    private readonly cipher: string,
    private readonly key: Uint8Array,
    iv: Uint8Array,
    private readonly blockSize: number,
    private readonly macHash: string,
    private readonly macKey: Uint8Array,
    private readonly macLength: number,
    version: number,
    private readonly encryptThenMac: boolean,
  ) {
    this.chainedIv = version === 0x0301 && cipher !== '' ? Uint8Array.from(iv) : null;
  }

  open(type: number, version: number, b: Uint8Array, off: number, len: number, seq: number): OpenResult {
    const body = b.subarray(off, off + len);
    if (this.cipher === '') return this.checkMac(type, version, seq, body, len - this.macLength);
    const explicitIv = this.chainedIv === null;
    const bs = this.blockSize;
    let mac: Uint8Array | null = null;
    let cipherPart = body;
    if (this.encryptThenMac) {
      // RFC 7366 §3: the MAC covers IV ‖ ciphertext and travels in the clear after it.
      if (len < this.macLength + bs) return { ok: false, reason: `record too short for its MAC (${len} bytes)` };
      cipherPart = body.subarray(0, len - this.macLength);
      mac = body.subarray(len - this.macLength);
      const expected = createHmac(this.macHash, this.macKey).update(macHeader(seq, type, version, cipherPart.length)).update(cipherPart).digest();
      if (!timingSafeEqual(expected, mac)) return { ok: false, reason: BAD_RECORD_MAC };
    }
    const ivLength = explicitIv ? bs : 0;
    const encLength = cipherPart.length - ivLength;
    if (encLength <= 0 || encLength % bs !== 0) return { ok: false, reason: `ciphertext of ${encLength} bytes is not a whole number of ${bs}-byte blocks` };
    const iv = explicitIv ? cipherPart.subarray(0, bs) : this.chainedIv!;
    const enc = cipherPart.subarray(ivLength);
    let plain: Buffer;
    try {
      const d = createDecipheriv(this.cipher, this.key, iv);
      d.setAutoPadding(false);
      plain = Buffer.concat([d.update(enc), d.final()]);
    } catch {
      return { ok: false, reason: 'the block cipher refused the ciphertext' };
    }
    // TLS 1.0: the next record's IV is this record's last ciphertext block, opened or not.
    if (!explicitIv) this.chainedIv = Uint8Array.from(enc.subarray(enc.length - bs));
    // RFC 5246 §6.2.3.2: padding_length + 1 bytes, each equal to padding_length.
    const pad = plain[plain.length - 1]!;
    let padOk = pad + 1 <= plain.length;
    for (let i = plain.length - 1 - pad; padOk && i < plain.length; i++) if (plain[i] !== pad) padOk = false;
    if (mac !== null) {
      if (!padOk) return { ok: false, reason: 'bad CBC padding' };
      return { ok: true, data: plain.subarray(0, plain.length - pad - 1), type };
    }
    // MAC-then-encrypt: a bad padding is reported as a bad MAC (RFC 5246 §6.2.3.2, no oracle).
    if (!padOk) return { ok: false, reason: BAD_RECORD_MAC };
    return this.checkMac(type, version, seq, plain, plain.length - pad - 1 - this.macLength);
  }

  private checkMac(type: number, version: number, seq: number, plain: Uint8Array, contentLength: number): OpenResult {
    if (contentLength < 0) return { ok: false, reason: BAD_RECORD_MAC };
    const content = plain.subarray(0, contentLength);
    const mac = plain.subarray(contentLength, contentLength + this.macLength);
    const expected = createHmac(this.macHash, this.macKey).update(macHeader(seq, type, version, contentLength)).update(content).digest();
    if (!timingSafeEqual(expected, mac)) return { ok: false, reason: BAD_RECORD_MAC };
    return { ok: true, data: content, type };
  }
}
