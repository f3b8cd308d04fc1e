// RSA private keys (PEM, PKCS#1 or PKCS#8) for the plain RSA key exchange of TLS ≤ 1.2, and the
// pre-master secret they recover from a ClientKeyExchange.

import { constants, createPrivateKey, privateDecrypt, type KeyObject } from 'node:crypto';

export interface RsaServerKey {
  key: KeyObject;
  /** Modulus length in bytes. */
  size: number;
  /** Optional binding to a server: an address ('' any) and a port (0 any). */
  address: string;
  port: number;
}

/** Reads a PEM private key; throws an Error saying why it is not a usable RSA key. */
export function loadRsaKey(pem: string, binding: { address?: string; port?: number } = {}): RsaServerKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`not a PEM private key (PKCS#1 or PKCS#8): ${why}`, { cause: err });
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`a ${key.asymmetricKeyType ?? 'non-RSA'} key cannot decrypt an RSA key exchange`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  return { key, size: Math.ceil(bits / 8), address: binding.address ?? '', port: binding.port ?? 0 };
}

/**
 * Decrypts an EncryptedPreMasterSecret. Node refuses RSA_PKCS1_PADDING for private decryption
 * (the Marvin attack), so the raw block is decrypted with RSA_NO_PADDING and its PKCS#1 v1.5
 * type 2 padding checked here (RFC 8017 §7.2.2): 0x00 0x02, at least 8 non-zero bytes, 0x00, then
 * the 48-byte pre-master secret (RFC 5246 §7.4.7.1). Returns null when the key does not fit.
 */
export function decryptPreMaster(k: RsaServerKey, encrypted: Uint8Array): Uint8Array | null {
  if (encrypted.length !== k.size) return null;
  let em: Uint8Array;
  try {
    em = privateDecrypt({ key: k.key, padding: constants.RSA_NO_PADDING }, encrypted);
  } catch {
    return null;
  }
  if (em.length !== k.size || em[0] !== 0 || em[1] !== 2) return null;
  let sep = -1;
  for (let i = 2; i < em.length; i++) {
    if (em[i] === 0) {
      sep = i;
      break;
    }
  }
  if (sep < 10 || em.length - sep - 1 !== 48) return null;
  return Uint8Array.from(em.subarray(sep + 1));
}

/** `host:port`, `[v6]:port`, `:port` or `host` as tshark's RSA keys table binds a key. */
export function parseBinding(text: string): { address: string; port: number } | null {
  const t = text.trim();
  if (t === '' || t === 'any' || t === '0.0.0.0') return { address: '', port: 0 };
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(t);
  if (v6 !== null) return { address: v6[1]!.toLowerCase(), port: v6[2] === undefined ? 0 : Number(v6[2]) };
  const m = /^([^:]*)(?::(\d+))?$/.exec(t);
  if (m === null) return null;
  const port = m[2] === undefined ? 0 : Number(m[2]);
  if (port > 65535) return null;
  return { address: m[1] === 'any' ? '' : m[1]!, port };
}
