// The one shape every protection scheme opens records through (AEAD, CBC + HMAC, NULL + HMAC).

/** An opened record: its plaintext content and real content type, or why it stayed closed. */
export type OpenResult = { ok: true; data: Uint8Array; type: number } | { ok: false; reason: string };

export interface RecordProtection {
  /**
   * Opens the record whose header says `type`/`version` and whose body is `b[off, off + len)`,
   * as record number `seq` of its direction under these keys (RFC 5246 §6.1, RFC 8446 §5.3).
   */
  open(type: number, version: number, b: Uint8Array, off: number, len: number, seq: number): OpenResult;
}

/** Why a record failed its MAC or tag check, as the views say it. */
export const BAD_RECORD_MAC = 'bad record MAC';

/** RFC 5246 §6.2.3.1: seq_num (uint64) ‖ type ‖ version ‖ length, the MAC/AAD header. */
export function macHeader(seq: number, type: number, version: number, length: number): Buffer {
  const h = Buffer.alloc(13);
  writeSeq(h, 0, seq);
  h[8] = type;
  h.writeUInt16BE(version, 9);
  h.writeUInt16BE(length, 11);
  return h;
}

/** A sequence number (< 2^53) as a big-endian uint64. */
export function writeSeq(b: Buffer, at: number, seq: number): void {
  b.writeUInt32BE(Math.floor(seq / 0x100000000) >>> 0, at);
  b.writeUInt32BE(seq >>> 0, at + 4);
}
