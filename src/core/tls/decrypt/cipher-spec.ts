// What a cipher suite needs from node:crypto to open its records: the cipher and its key, IV and
// tag sizes, the record MAC, and the PRF/HKDF hash (from the suite table; no cipher is written here).

import { cipherSuites } from '../tables';
import type { PrfHash } from './prf';

export interface CipherSpec {
  kind: 'aead' | 'cbc' | 'null';
  /** node:crypto cipher name ('' for NULL). */
  cipher: string;
  keyLength: number;
  /**
   * AEAD: the fixed part of the nonce from the key block (TLS 1.2 GCM/CCM: 4; ChaCha20 and TLS
   * 1.3: 12). CBC: the block size (the key block's IV for TLS 1.0's implicit IV).
   */
  ivLength: number;
  /** AEAD tag length (16, or 8 for CCM_8). */
  tagLength: number;
  /** TLS 1.2 GCM/CCM carry an 8-byte explicit nonce in each record (RFC 5288 §3, RFC 6655 §3). */
  explicitNonce: boolean;
  /** CBC/NULL record MAC (HMAC hash and length); '' and 0 for AEAD. */
  macHash: string;
  macLength: number;
  prfHash: PrfHash;
}

const AEAD: Record<string, { cipher: string; key: number; tag: number; chacha?: boolean }> = {
  AES_128_GCM: { cipher: 'aes-128-gcm', key: 16, tag: 16 },
  AES_256_GCM: { cipher: 'aes-256-gcm', key: 32, tag: 16 },
  AES_128_CCM: { cipher: 'aes-128-ccm', key: 16, tag: 16 },
  AES_256_CCM: { cipher: 'aes-256-ccm', key: 32, tag: 16 },
  AES_128_CCM_8: { cipher: 'aes-128-ccm', key: 16, tag: 8 },
  AES_256_CCM_8: { cipher: 'aes-256-ccm', key: 32, tag: 8 },
  ARIA_128_GCM: { cipher: 'aria-128-gcm', key: 16, tag: 16 },
  ARIA_256_GCM: { cipher: 'aria-256-gcm', key: 32, tag: 16 },
  CHACHA20_POLY1305: { cipher: 'chacha20-poly1305', key: 32, tag: 16, chacha: true },
};

const CBC: Record<string, { cipher: string; key: number; block: number }> = {
  AES_128_CBC: { cipher: 'aes-128-cbc', key: 16, block: 16 },
  AES_256_CBC: { cipher: 'aes-256-cbc', key: 32, block: 16 },
  '3DES_EDE_CBC': { cipher: 'des-ede3-cbc', key: 24, block: 8 },
  CAMELLIA_128_CBC: { cipher: 'camellia-128-cbc', key: 16, block: 16 },
  CAMELLIA_256_CBC: { cipher: 'camellia-256-cbc', key: 32, block: 16 },
  ARIA_128_CBC: { cipher: 'aria-128-cbc', key: 16, block: 16 },
  ARIA_256_CBC: { cipher: 'aria-256-cbc', key: 32, block: 16 },
};

const MAC: Record<string, { hash: string; length: number }> = {
  SHA: { hash: 'sha1', length: 20 },
  SHA256: { hash: 'sha256', length: 32 },
  SHA384: { hash: 'sha384', length: 48 },
  MD5: { hash: 'md5', length: 16 },
};

/** The spec of `suite` under `version`, or why its records cannot be opened here. */
export function cipherSpec(suite: number, version: number): CipherSpec | string {
  const info = cipherSuites.get(suite);
  if (info === undefined) return `unknown cipher suite 0x${suite.toString(16).padStart(4, '0')}`;
  if (version < 0x0301 || version > 0x0304) return version === 0x0300 ? 'SSL 3.0 records are not decrypted (only TLS 1.0–1.3)' : 'unknown protocol version';
  const prfHash: PrfHash = info.prf === 'SHA384' ? 'sha384' : 'sha256';
  const aead = AEAD[info.cipher];
  if (aead !== undefined) {
    if (version < 0x0303) return `${info.cipher} needs TLS 1.2 or later`;
    const fixed = version === 0x0304 || aead.chacha === true ? 12 : 4;
    return { kind: 'aead', cipher: aead.cipher, keyLength: aead.key, ivLength: fixed, tagLength: aead.tag, explicitNonce: fixed === 4, macHash: '', macLength: 0, prfHash };
  }
  if (version === 0x0304) return `${info.cipher} is not a TLS 1.3 cipher this build can open`;
  const mac = MAC[info.mac];
  if (mac === undefined) return `record MAC ${info.mac} is not supported`;
  if (info.cipher === 'NULL') return { kind: 'null', cipher: '', keyLength: 0, ivLength: 0, tagLength: 0, explicitNonce: false, macHash: mac.hash, macLength: mac.length, prfHash };
  const cbc = CBC[info.cipher];
  if (cbc === undefined) {
    return info.cipher.startsWith('RC4') ? 'RC4 is not available in this Node.js (OpenSSL 3 moved it to the legacy provider)' : `${info.cipher} is not available in node:crypto`;
  }
  return { kind: 'cbc', cipher: cbc.cipher, keyLength: cbc.key, ivLength: cbc.block, tagLength: 0, explicitNonce: false, macHash: mac.hash, macLength: mac.length, prfHash };
}
