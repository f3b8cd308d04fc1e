// TLS registry tables (IANA TLS parameters, with Wireshark's display names): pure data and lookups.

// Sources: IANA "Transport Layer Security (TLS) Parameters" and "TLS ExtensionType Values"
// (https://www.iana.org/assignments/tls-parameters/, .../tls-extensiontype-values/), RFC 5246,
// RFC 8446, RFC 8447, RFC 8422, RFC 8701; titles as Wireshark's packet-tls-utils.c prints them.
// Every table is a compact array sorted by code point, turned into a ReadonlyMap once at load.

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/** `0x` and four lowercase hex digits, as Wireshark prints 16-bit code points. */
function hex4(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

/**
 * RFC 8701 §2: the sixteen GREASE values 0x0A0A, 0x1A1A … 0xFAFA, reserved in the cipher suite,
 * extension, named group, signature scheme, version and ALPN registries so that peers learn to
 * ignore values they do not know.
 */
export function isGrease(value: number): boolean {
  return (
    Number.isInteger(value) &&
    value >= 0 &&
    value <= 0xffff &&
    (value & 0x0f0f) === 0x0a0a &&
    value >> 8 === (value & 0xff)
  );
}

function mapOf<V>(entries: ReadonlyArray<readonly [number, V]>): ReadonlyMap<number, V> {
  return new Map(entries);
}

// ---------------------------------------------------------------------------------------------
// Cipher suites — IANA "TLS Cipher Suites" registry (RFC 8447 §8)
// ---------------------------------------------------------------------------------------------

/**
 * How the premaster / shared secret is agreed. `TLS13` marks TLS 1.3 suites, which fix only the
 * AEAD and the hash (RFC 8446 §B.4); `SCSV` marks signalling values that are not real suites.
 */
export type KeyExchange =
  | 'RSA'
  | 'DHE'
  | 'DH'
  | 'ECDHE'
  | 'ECDH'
  | 'PSK'
  | 'DHE_PSK'
  | 'ECDHE_PSK'
  | 'RSA_PSK'
  | 'SRP'
  | 'KRB5'
  | 'GOSTR341112'
  | 'ECCPWD'
  | 'NULL'
  | 'TLS13'
  | 'SCSV';

/** How the server (and possibly the client) is authenticated. `PWD` is RFC 8492's password. */
export type Authentication =
  | 'RSA'
  | 'DSS'
  | 'ECDSA'
  | 'PSK'
  | 'anon'
  | 'KRB5'
  | 'SRP'
  | 'GOST'
  | 'PWD'
  | 'NULL'
  | 'TLS13'
  | 'SCSV';

export interface CipherSuiteInfo {
  id: number;
  /** IANA name, e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`. */
  name: string;
  keyExchange: KeyExchange;
  authentication: Authentication;
  /** Bulk cipher as named in the suite, e.g. `AES_128_GCM`, `CHACHA20_POLY1305`, `3DES_EDE_CBC`, `NULL`. */
  cipher: string;
  /** Record MAC: `AEAD` for AEAD suites, else `SHA` (HMAC-SHA1), `SHA256`, `SHA384`, `MD5`, `NULL`… */
  mac: string;
  /** Hash of the TLS 1.2 PRF or the TLS 1.3 HKDF, e.g. `SHA256`, `SHA384`. */
  prf: string;
  aead: boolean;
  /** Export-grade (deliberately weakened) suite from the 1990s US export rules. */
  export: boolean;
  /** Usable only with TLS 1.3 (key exchange and authentication are negotiated separately). */
  tls13: boolean;
  /** Signalling cipher suite value, not a real suite (RFC 5746 §3.3, RFC 7507 §2). */
  scsv: boolean;
}

/** The IANA registry, by code point. Reserved and unassigned ranges are left out. */
const CIPHER_SUITE_NAMES: ReadonlyArray<readonly [number, string]> = [
  // RFC 5246 Appendix A.5, RFC 4346, RFC 2246
  [0x0000, 'TLS_NULL_WITH_NULL_NULL'],
  [0x0001, 'TLS_RSA_WITH_NULL_MD5'],
  [0x0002, 'TLS_RSA_WITH_NULL_SHA'],
  [0x0003, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5'],
  [0x0004, 'TLS_RSA_WITH_RC4_128_MD5'],
  [0x0005, 'TLS_RSA_WITH_RC4_128_SHA'],
  [0x0006, 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5'],
  [0x0007, 'TLS_RSA_WITH_IDEA_CBC_SHA'],
  [0x0008, 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0009, 'TLS_RSA_WITH_DES_CBC_SHA'],
  [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x000b, 'TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA'],
  [0x000c, 'TLS_DH_DSS_WITH_DES_CBC_SHA'],
  [0x000d, 'TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA'],
  [0x000e, 'TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  [0x000f, 'TLS_DH_RSA_WITH_DES_CBC_SHA'],
  [0x0010, 'TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x0011, 'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0012, 'TLS_DHE_DSS_WITH_DES_CBC_SHA'],
  [0x0013, 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA'],
  [0x0014, 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0015, 'TLS_DHE_RSA_WITH_DES_CBC_SHA'],
  [0x0016, 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x0017, 'TLS_DH_anon_EXPORT_WITH_RC4_40_MD5'],
  [0x0018, 'TLS_DH_anon_WITH_RC4_128_MD5'],
  [0x0019, 'TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA'],
  [0x001a, 'TLS_DH_anon_WITH_DES_CBC_SHA'],
  [0x001b, 'TLS_DH_anon_WITH_3DES_EDE_CBC_SHA'],
  // RFC 2712 (Kerberos)
  [0x001e, 'TLS_KRB5_WITH_DES_CBC_SHA'],
  [0x001f, 'TLS_KRB5_WITH_3DES_EDE_CBC_SHA'],
  [0x0020, 'TLS_KRB5_WITH_RC4_128_SHA'],
  [0x0021, 'TLS_KRB5_WITH_IDEA_CBC_SHA'],
  [0x0022, 'TLS_KRB5_WITH_DES_CBC_MD5'],
  [0x0023, 'TLS_KRB5_WITH_3DES_EDE_CBC_MD5'],
  [0x0024, 'TLS_KRB5_WITH_RC4_128_MD5'],
  [0x0025, 'TLS_KRB5_WITH_IDEA_CBC_MD5'],
  [0x0026, 'TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA'],
  [0x0027, 'TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA'],
  [0x0028, 'TLS_KRB5_EXPORT_WITH_RC4_40_SHA'],
  [0x0029, 'TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5'],
  [0x002a, 'TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5'],
  [0x002b, 'TLS_KRB5_EXPORT_WITH_RC4_40_MD5'],
  // RFC 4785
  [0x002c, 'TLS_PSK_WITH_NULL_SHA'],
  [0x002d, 'TLS_DHE_PSK_WITH_NULL_SHA'],
  [0x002e, 'TLS_RSA_PSK_WITH_NULL_SHA'],
  // RFC 5246 (AES, RFC 3268)
  [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA'],
  [0x0030, 'TLS_DH_DSS_WITH_AES_128_CBC_SHA'],
  [0x0031, 'TLS_DH_RSA_WITH_AES_128_CBC_SHA'],
  [0x0032, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA'],
  [0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA'],
  [0x0034, 'TLS_DH_anon_WITH_AES_128_CBC_SHA'],
  [0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA'],
  [0x0036, 'TLS_DH_DSS_WITH_AES_256_CBC_SHA'],
  [0x0037, 'TLS_DH_RSA_WITH_AES_256_CBC_SHA'],
  [0x0038, 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA'],
  [0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA'],
  [0x003a, 'TLS_DH_anon_WITH_AES_256_CBC_SHA'],
  [0x003b, 'TLS_RSA_WITH_NULL_SHA256'],
  [0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256'],
  [0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256'],
  [0x003e, 'TLS_DH_DSS_WITH_AES_128_CBC_SHA256'],
  [0x003f, 'TLS_DH_RSA_WITH_AES_128_CBC_SHA256'],
  [0x0040, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256'],
  // RFC 5932 (Camellia)
  [0x0041, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0042, 'TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0043, 'TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0044, 'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0045, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0046, 'TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA'],
  // RFC 5246
  [0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0x0068, 'TLS_DH_DSS_WITH_AES_256_CBC_SHA256'],
  [0x0069, 'TLS_DH_RSA_WITH_AES_256_CBC_SHA256'],
  [0x006a, 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256'],
  [0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256'],
  [0x006c, 'TLS_DH_anon_WITH_AES_128_CBC_SHA256'],
  [0x006d, 'TLS_DH_anon_WITH_AES_256_CBC_SHA256'],
  // NIST SP 800-232 (Ascon), TLS 1.3 / DTLS 1.3 only
  [0x006e, 'TLS_ASCONAEAD128_ASCONHASH256'],
  [0x006f, 'TLS_ASCONAEAD128_SHA256'],
  [0x0070, 'TLS_AES_128_GCM_ASCONHASH256'],
  [0x0071, 'TLS_AES_128_CCM_ASCONHASH256'],
  // RFC 5932 (Camellia)
  [0x0084, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0085, 'TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0086, 'TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0087, 'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0088, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0089, 'TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA'],
  // RFC 4279 (PSK)
  [0x008a, 'TLS_PSK_WITH_RC4_128_SHA'],
  [0x008b, 'TLS_PSK_WITH_3DES_EDE_CBC_SHA'],
  [0x008c, 'TLS_PSK_WITH_AES_128_CBC_SHA'],
  [0x008d, 'TLS_PSK_WITH_AES_256_CBC_SHA'],
  [0x008e, 'TLS_DHE_PSK_WITH_RC4_128_SHA'],
  [0x008f, 'TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA'],
  [0x0090, 'TLS_DHE_PSK_WITH_AES_128_CBC_SHA'],
  [0x0091, 'TLS_DHE_PSK_WITH_AES_256_CBC_SHA'],
  [0x0092, 'TLS_RSA_PSK_WITH_RC4_128_SHA'],
  [0x0093, 'TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA'],
  [0x0094, 'TLS_RSA_PSK_WITH_AES_128_CBC_SHA'],
  [0x0095, 'TLS_RSA_PSK_WITH_AES_256_CBC_SHA'],
  // RFC 4162 (SEED)
  [0x0096, 'TLS_RSA_WITH_SEED_CBC_SHA'],
  [0x0097, 'TLS_DH_DSS_WITH_SEED_CBC_SHA'],
  [0x0098, 'TLS_DH_RSA_WITH_SEED_CBC_SHA'],
  [0x0099, 'TLS_DHE_DSS_WITH_SEED_CBC_SHA'],
  [0x009a, 'TLS_DHE_RSA_WITH_SEED_CBC_SHA'],
  [0x009b, 'TLS_DH_anon_WITH_SEED_CBC_SHA'],
  // RFC 5288 (AES-GCM)
  [0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384'],
  [0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0x00a0, 'TLS_DH_RSA_WITH_AES_128_GCM_SHA256'],
  [0x00a1, 'TLS_DH_RSA_WITH_AES_256_GCM_SHA384'],
  [0x00a2, 'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256'],
  [0x00a3, 'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384'],
  [0x00a4, 'TLS_DH_DSS_WITH_AES_128_GCM_SHA256'],
  [0x00a5, 'TLS_DH_DSS_WITH_AES_256_GCM_SHA384'],
  [0x00a6, 'TLS_DH_anon_WITH_AES_128_GCM_SHA256'],
  [0x00a7, 'TLS_DH_anon_WITH_AES_256_GCM_SHA384'],
  // RFC 5487 (PSK with SHA-256/384 and GCM)
  [0x00a8, 'TLS_PSK_WITH_AES_128_GCM_SHA256'],
  [0x00a9, 'TLS_PSK_WITH_AES_256_GCM_SHA384'],
  [0x00aa, 'TLS_DHE_PSK_WITH_AES_128_GCM_SHA256'],
  [0x00ab, 'TLS_DHE_PSK_WITH_AES_256_GCM_SHA384'],
  [0x00ac, 'TLS_RSA_PSK_WITH_AES_128_GCM_SHA256'],
  [0x00ad, 'TLS_RSA_PSK_WITH_AES_256_GCM_SHA384'],
  [0x00ae, 'TLS_PSK_WITH_AES_128_CBC_SHA256'],
  [0x00af, 'TLS_PSK_WITH_AES_256_CBC_SHA384'],
  [0x00b0, 'TLS_PSK_WITH_NULL_SHA256'],
  [0x00b1, 'TLS_PSK_WITH_NULL_SHA384'],
  [0x00b2, 'TLS_DHE_PSK_WITH_AES_128_CBC_SHA256'],
  [0x00b3, 'TLS_DHE_PSK_WITH_AES_256_CBC_SHA384'],
  [0x00b4, 'TLS_DHE_PSK_WITH_NULL_SHA256'],
  [0x00b5, 'TLS_DHE_PSK_WITH_NULL_SHA384'],
  [0x00b6, 'TLS_RSA_PSK_WITH_AES_128_CBC_SHA256'],
  [0x00b7, 'TLS_RSA_PSK_WITH_AES_256_CBC_SHA384'],
  [0x00b8, 'TLS_RSA_PSK_WITH_NULL_SHA256'],
  [0x00b9, 'TLS_RSA_PSK_WITH_NULL_SHA384'],
  // RFC 5932 (Camellia with SHA-256)
  [0x00ba, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00bb, 'TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00bc, 'TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00bd, 'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00be, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00bf, 'TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00c0, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00c1, 'TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00c2, 'TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00c3, 'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00c4, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00c5, 'TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256'],
  // RFC 8998 (ShangMi), TLS 1.3 only
  [0x00c6, 'TLS_SM4_GCM_SM3'],
  [0x00c7, 'TLS_SM4_CCM_SM3'],
  // RFC 5746 §3.3
  [0x00ff, 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV'],
  // RFC 8446 §B.4; AEGIS from draft-irtf-cfrg-aegis-aead
  [0x1301, 'TLS_AES_128_GCM_SHA256'],
  [0x1302, 'TLS_AES_256_GCM_SHA384'],
  [0x1303, 'TLS_CHACHA20_POLY1305_SHA256'],
  [0x1304, 'TLS_AES_128_CCM_SHA256'],
  [0x1305, 'TLS_AES_128_CCM_8_SHA256'],
  [0x1306, 'TLS_AEGIS_256_SHA512'],
  [0x1307, 'TLS_AEGIS_128L_SHA256'],
  // RFC 7507 §2
  [0x5600, 'TLS_FALLBACK_SCSV'],
  // RFC 8422 (was RFC 4492)
  [0xc001, 'TLS_ECDH_ECDSA_WITH_NULL_SHA'],
  [0xc002, 'TLS_ECDH_ECDSA_WITH_RC4_128_SHA'],
  [0xc003, 'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc004, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xc005, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA'],
  [0xc006, 'TLS_ECDHE_ECDSA_WITH_NULL_SHA'],
  [0xc007, 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA'],
  [0xc008, 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA'],
  [0xc00b, 'TLS_ECDH_RSA_WITH_NULL_SHA'],
  [0xc00c, 'TLS_ECDH_RSA_WITH_RC4_128_SHA'],
  [0xc00d, 'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc00e, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA'],
  [0xc00f, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA'],
  [0xc010, 'TLS_ECDHE_RSA_WITH_NULL_SHA'],
  [0xc011, 'TLS_ECDHE_RSA_WITH_RC4_128_SHA'],
  [0xc012, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
  [0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'],
  [0xc015, 'TLS_ECDH_anon_WITH_NULL_SHA'],
  [0xc016, 'TLS_ECDH_anon_WITH_RC4_128_SHA'],
  [0xc017, 'TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA'],
  [0xc018, 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA'],
  [0xc019, 'TLS_ECDH_anon_WITH_AES_256_CBC_SHA'],
  // RFC 5054 (SRP)
  [0xc01a, 'TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA'],
  [0xc01b, 'TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc01c, 'TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA'],
  [0xc01d, 'TLS_SRP_SHA_WITH_AES_128_CBC_SHA'],
  [0xc01e, 'TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA'],
  [0xc01f, 'TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA'],
  [0xc020, 'TLS_SRP_SHA_WITH_AES_256_CBC_SHA'],
  [0xc021, 'TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA'],
  [0xc022, 'TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA'],
  // RFC 5289 (ECC with SHA-256/384 and GCM)
  [0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'],
  [0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384'],
  [0xc025, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256'],
  [0xc026, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384'],
  [0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'],
  [0xc029, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256'],
  [0xc02a, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384'],
  [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  [0xc02d, 'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256'],
  [0xc02e, 'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384'],
  [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0xc031, 'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256'],
  [0xc032, 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384'],
  // RFC 5489 (ECDHE_PSK)
  [0xc033, 'TLS_ECDHE_PSK_WITH_RC4_128_SHA'],
  [0xc034, 'TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA'],
  [0xc035, 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA'],
  [0xc036, 'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA'],
  [0xc037, 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256'],
  [0xc038, 'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384'],
  [0xc039, 'TLS_ECDHE_PSK_WITH_NULL_SHA'],
  [0xc03a, 'TLS_ECDHE_PSK_WITH_NULL_SHA256'],
  [0xc03b, 'TLS_ECDHE_PSK_WITH_NULL_SHA384'],
  // RFC 6209 (ARIA)
  [0xc03c, 'TLS_RSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc03d, 'TLS_RSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc03e, 'TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256'],
  [0xc03f, 'TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384'],
  [0xc040, 'TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc041, 'TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc042, 'TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256'],
  [0xc043, 'TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384'],
  [0xc044, 'TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc045, 'TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc046, 'TLS_DH_anon_WITH_ARIA_128_CBC_SHA256'],
  [0xc047, 'TLS_DH_anon_WITH_ARIA_256_CBC_SHA384'],
  [0xc048, 'TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc049, 'TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc04a, 'TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc04b, 'TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc04c, 'TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc04d, 'TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc04e, 'TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256'],
  [0xc04f, 'TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384'],
  [0xc050, 'TLS_RSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc051, 'TLS_RSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc052, 'TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc053, 'TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc054, 'TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc055, 'TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc056, 'TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256'],
  [0xc057, 'TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384'],
  [0xc058, 'TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256'],
  [0xc059, 'TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384'],
  [0xc05a, 'TLS_DH_anon_WITH_ARIA_128_GCM_SHA256'],
  [0xc05b, 'TLS_DH_anon_WITH_ARIA_256_GCM_SHA384'],
  [0xc05c, 'TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc05d, 'TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc05e, 'TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc05f, 'TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc060, 'TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc061, 'TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc062, 'TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256'],
  [0xc063, 'TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384'],
  [0xc064, 'TLS_PSK_WITH_ARIA_128_CBC_SHA256'],
  [0xc065, 'TLS_PSK_WITH_ARIA_256_CBC_SHA384'],
  [0xc066, 'TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256'],
  [0xc067, 'TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384'],
  [0xc068, 'TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256'],
  [0xc069, 'TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384'],
  [0xc06a, 'TLS_PSK_WITH_ARIA_128_GCM_SHA256'],
  [0xc06b, 'TLS_PSK_WITH_ARIA_256_GCM_SHA384'],
  [0xc06c, 'TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256'],
  [0xc06d, 'TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384'],
  [0xc06e, 'TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256'],
  [0xc06f, 'TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384'],
  [0xc070, 'TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256'],
  [0xc071, 'TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384'],
  // RFC 6367 (Camellia for ECC and GCM)
  [0xc072, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc073, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc074, 'TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc075, 'TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc076, 'TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc077, 'TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc078, 'TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc079, 'TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc07a, 'TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc07b, 'TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc07c, 'TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc07d, 'TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc07e, 'TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc07f, 'TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc080, 'TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc081, 'TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc082, 'TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc083, 'TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc084, 'TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc085, 'TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc086, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc087, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc088, 'TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc089, 'TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc08a, 'TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc08b, 'TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc08c, 'TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc08d, 'TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc08e, 'TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc08f, 'TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc090, 'TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc091, 'TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc092, 'TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256'],
  [0xc093, 'TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384'],
  [0xc094, 'TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc095, 'TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc096, 'TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc097, 'TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc098, 'TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc099, 'TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc09a, 'TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc09b, 'TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384'],
  // RFC 6655 (AES-CCM)
  [0xc09c, 'TLS_RSA_WITH_AES_128_CCM'],
  [0xc09d, 'TLS_RSA_WITH_AES_256_CCM'],
  [0xc09e, 'TLS_DHE_RSA_WITH_AES_128_CCM'],
  [0xc09f, 'TLS_DHE_RSA_WITH_AES_256_CCM'],
  [0xc0a0, 'TLS_RSA_WITH_AES_128_CCM_8'],
  [0xc0a1, 'TLS_RSA_WITH_AES_256_CCM_8'],
  [0xc0a2, 'TLS_DHE_RSA_WITH_AES_128_CCM_8'],
  [0xc0a3, 'TLS_DHE_RSA_WITH_AES_256_CCM_8'],
  [0xc0a4, 'TLS_PSK_WITH_AES_128_CCM'],
  [0xc0a5, 'TLS_PSK_WITH_AES_256_CCM'],
  [0xc0a6, 'TLS_DHE_PSK_WITH_AES_128_CCM'],
  [0xc0a7, 'TLS_DHE_PSK_WITH_AES_256_CCM'],
  [0xc0a8, 'TLS_PSK_WITH_AES_128_CCM_8'],
  [0xc0a9, 'TLS_PSK_WITH_AES_256_CCM_8'],
  [0xc0aa, 'TLS_PSK_DHE_WITH_AES_128_CCM_8'],
  [0xc0ab, 'TLS_PSK_DHE_WITH_AES_256_CCM_8'],
  // RFC 7251 (AES-CCM for ECC)
  [0xc0ac, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM'],
  [0xc0ad, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM'],
  [0xc0ae, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8'],
  [0xc0af, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8'],
  // RFC 8492 (TLS-PWD)
  [0xc0b0, 'TLS_ECCPWD_WITH_AES_128_GCM_SHA256'],
  [0xc0b1, 'TLS_ECCPWD_WITH_AES_256_GCM_SHA384'],
  [0xc0b2, 'TLS_ECCPWD_WITH_AES_128_CCM_SHA256'],
  [0xc0b3, 'TLS_ECCPWD_WITH_AES_256_CCM_SHA384'],
  // RFC 9150 (integrity-only TLS 1.3)
  [0xc0b4, 'TLS_SHA256_SHA256'],
  [0xc0b5, 'TLS_SHA384_SHA384'],
  // RFC 9189 (GOST, TLS 1.2) and RFC 9367 (GOST, TLS 1.3: the _MGM_ suites)
  [0xc100, 'TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC'],
  [0xc101, 'TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC'],
  [0xc102, 'TLS_GOSTR341112_256_WITH_28147_CNT_IMIT'],
  [0xc103, 'TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L'],
  [0xc104, 'TLS_GOSTR341112_256_WITH_MAGMA_MGM_L'],
  [0xc105, 'TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S'],
  [0xc106, 'TLS_GOSTR341112_256_WITH_MAGMA_MGM_S'],
  // RFC 7905 (ChaCha20-Poly1305)
  [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccaa, 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccab, 'TLS_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccac, 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccad, 'TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccae, 'TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  // RFC 8442 (ECDHE_PSK with AEAD)
  [0xd001, 'TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256'],
  [0xd002, 'TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384'],
  [0xd003, 'TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256'],
  [0xd005, 'TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256'],
];

/**
 * Pre-standard code points that are not in the IANA registry but still turn up in old captures;
 * Wireshark names them the same way. Names only: `cipherSuites` holds the IANA registry alone.
 */
const LEGACY_CIPHER_SUITE_NAMES: ReadonlyArray<readonly [number, string]> = [
  // SSL 3.0 Fortezza (the registry reserves 0x001C-0x001D for them)
  [0x001c, 'SSL_FORTEZZA_KEA_WITH_NULL_SHA'],
  [0x001d, 'SSL_FORTEZZA_KEA_WITH_FORTEZZA_CBC_SHA'],
  // draft-ietf-tls-56-bit-ciphersuites (the registry reserves 0x0060-0x0066)
  [0x0060, 'TLS_RSA_EXPORT1024_WITH_RC4_56_MD5'],
  [0x0061, 'TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5'],
  [0x0062, 'TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA'],
  [0x0063, 'TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA'],
  [0x0064, 'TLS_RSA_EXPORT1024_WITH_RC4_56_SHA'],
  [0x0065, 'TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA'],
  [0x0066, 'TLS_DHE_DSS_WITH_RC4_128_SHA'],
  // draft-chudov-cryptopro-cptls
  [0x0080, 'TLS_GOSTR341094_WITH_28147_CNT_IMIT'],
  [0x0081, 'TLS_GOSTR341001_WITH_28147_CNT_IMIT'],
  [0x0082, 'TLS_GOSTR341094_WITH_NULL_GOSTR3411'],
  [0x0083, 'TLS_GOSTR341001_WITH_NULL_GOSTR3411'],
  // draft-cragie-tls-ecjpake
  [0xc0ff, 'TLS_ECJPAKE_WITH_AES_128_CCM_8'],
  // draft-agl-tls-chacha20poly1305 (Chrome before RFC 7905)
  [0xcc13, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xcc14, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xcc15, 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  // Netscape/NSS FIPS suites (0xFEFE-0xFEFF reserved; 0xFFxx private use)
  [0xfefe, 'SSL_RSA_FIPS_WITH_DES_CBC_SHA'],
  [0xfeff, 'SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA'],
  [0xffe0, 'SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA'],
  [0xffe1, 'SSL_RSA_FIPS_WITH_DES_CBC_SHA'],
];

export type CipherSuiteFields = Omit<CipherSuiteInfo, 'id' | 'name'>;

/** Key-exchange words of a TLS ≤ 1.2 suite name (the part before `_WITH_`, auth removed). */
const KEY_EXCHANGE_WORDS: Readonly<Record<string, readonly [KeyExchange, Authentication]>> = {
  NULL: ['NULL', 'NULL'],
  RSA: ['RSA', 'RSA'],
  DH: ['DH', 'anon'],
  DHE: ['DHE', 'anon'],
  ECDH: ['ECDH', 'anon'],
  ECDHE: ['ECDHE', 'anon'],
  PSK: ['PSK', 'PSK'],
  DHE_PSK: ['DHE_PSK', 'PSK'],
  // RFC 6655 §3 spells 0xC0AA/0xC0AB "PSK_DHE"; it is the DHE_PSK exchange of RFC 4279 §3.
  PSK_DHE: ['DHE_PSK', 'PSK'],
  ECDHE_PSK: ['ECDHE_PSK', 'PSK'],
  // RFC 4279 §4: the server proves itself with an RSA certificate as well as the PSK.
  RSA_PSK: ['RSA_PSK', 'RSA'],
  SRP_SHA: ['SRP', 'SRP'],
  KRB5: ['KRB5', 'KRB5'],
  ECCPWD: ['ECCPWD', 'PWD'],
  GOSTR341112_256: ['GOSTR341112', 'GOST'],
};

const AUTH_WORDS: Readonly<Record<string, Authentication>> = {
  RSA: 'RSA',
  DSS: 'DSS',
  ECDSA: 'ECDSA',
  anon: 'anon',
};

/** MAC words a TLS ≤ 1.2 suite name can end with (RFC 5246 §A.5, RFC 9189 §4.1). */
const MAC_WORDS = ['SHA384', 'SHA256', 'SHA', 'MD5', 'OMAC', 'IMIT', 'NULL'] as const;

/** Hash words that end a TLS 1.3 suite name (RFC 8446 §B.4, RFC 8998, SP 800-232). */
const TLS13_HASH_WORDS = ['SHA256', 'SHA384', 'SHA512', 'SM3', 'ASCONHASH256'] as const;

function isAeadCipher(cipher: string): boolean {
  return /GCM|CCM|POLY1305|MGM|AEGIS|ASCONAEAD/.test(cipher);
}

function parseTls13Name(rest: string): CipherSuiteFields | undefined {
  for (const hash of TLS13_HASH_WORDS) {
    if (!rest.endsWith(`_${hash}`)) continue;
    const cipher = rest.slice(0, -hash.length - 1);
    if (cipher === '') return undefined;
    // RFC 9150: TLS_SHA256_SHA256 and TLS_SHA384_SHA384 authenticate records with HMAC only.
    const integrityOnly = (TLS13_HASH_WORDS as readonly string[]).includes(cipher);
    return {
      keyExchange: 'TLS13',
      authentication: 'TLS13',
      cipher: integrityOnly ? 'NULL' : cipher,
      mac: integrityOnly ? cipher : 'AEAD',
      prf: hash,
      aead: !integrityOnly,
      export: false,
      tls13: true,
      scsv: false,
    };
  }
  return undefined;
}

/**
 * Splits an IANA cipher suite name into its parts: `TLS_<kx>[_<auth>][_EXPORT]_WITH_<cipher>[_<mac>]`
 * for TLS ≤ 1.2, `TLS_<aead>_<hash>` for TLS 1.3. Returns `undefined` for a name it cannot read.
 *
 * The PRF follows RFC 5246 §5 and the suite RFCs: suites ending `_SHA384` use P_SHA384, every other
 * TLS 1.2 suite (MD5/SHA MACs, CCM suites without a hash word) uses P_SHA256 when run over TLS 1.2;
 * the GOST suites of RFC 9189 use Streebog-256.
 */
export function parseCipherSuiteName(name: string): CipherSuiteFields | undefined {
  if (name.endsWith('_SCSV')) {
    return {
      keyExchange: 'SCSV',
      authentication: 'SCSV',
      cipher: 'NULL',
      mac: 'NULL',
      prf: 'NULL',
      aead: false,
      export: false,
      tls13: false,
      scsv: true,
    };
  }
  if (!name.startsWith('TLS_')) return undefined;
  const body = name.slice(4);
  const withAt = body.indexOf('_WITH_');
  if (withAt < 0) return parseTls13Name(body);

  let kxPart = body.slice(0, withAt);
  let rest = body.slice(withAt + 6);
  let exportGrade = false;
  const exportMatch = /_EXPORT(?:1024)?$/.exec(kxPart);
  if (exportMatch) {
    exportGrade = true;
    kxPart = kxPart.slice(0, exportMatch.index);
  }

  let auth: Authentication | undefined;
  let kxWord = kxPart;
  const lastUnderscore = kxPart.lastIndexOf('_');
  if (lastUnderscore > 0) {
    const tail = kxPart.slice(lastUnderscore + 1);
    const authWord = AUTH_WORDS[tail];
    // RSA_PSK ends in PSK and SRP_SHA in SHA, so only a trailing RSA/DSS/ECDSA/anon is an auth word.
    if (authWord !== undefined && KEY_EXCHANGE_WORDS[kxPart] === undefined) {
      auth = authWord;
      kxWord = kxPart.slice(0, lastUnderscore);
    }
  }
  const kx = KEY_EXCHANGE_WORDS[kxWord];
  if (kx === undefined) return undefined;
  const authentication = auth ?? kx[1];
  // (EC)DH(E) always names how it is authenticated; a bare "DHE" is not a registered shape.
  if (auth === undefined && kx[1] === 'anon') return undefined;

  let mac = '';
  for (const word of MAC_WORDS) {
    if (rest.endsWith(`_${word}`)) {
      mac = word;
      rest = rest.slice(0, -word.length - 1);
      break;
    }
  }
  const cipher = rest;
  if (cipher === '') return undefined;
  const aead = isAeadCipher(cipher);
  // RFC 9367: the GOST suites with MGM are TLS 1.3 suites despite their TLS 1.2-shaped names.
  const tls13 = kx[0] === 'GOSTR341112' && /_MGM_[LS]$/.test(cipher);
  let prf: string;
  if (kx[0] === 'GOSTR341112') prf = 'GOSTR341112_256';
  else if (mac === 'SHA384') prf = 'SHA384';
  else prf = 'SHA256';
  if (mac === '' && !aead) return undefined;

  return {
    keyExchange: tls13 ? 'TLS13' : kx[0],
    authentication: tls13 ? 'TLS13' : authentication,
    cipher,
    mac: aead ? 'AEAD' : mac,
    prf,
    aead,
    export: exportGrade,
    tls13,
    scsv: false,
  };
}

function buildCipherSuites(): ReadonlyMap<number, CipherSuiteInfo> {
  const map = new Map<number, CipherSuiteInfo>();
  for (const [id, name] of CIPHER_SUITE_NAMES) {
    const fields = parseCipherSuiteName(name);
    if (fields === undefined) throw new Error(`tls tables: cannot parse cipher suite name ${name}`);
    map.set(id, { id, name, ...fields });
  }
  return map;
}

/** Every IANA-registered cipher suite, by code point. */
export const cipherSuites: ReadonlyMap<number, CipherSuiteInfo> = buildCipherSuites();

/** Names of pre-standard code points outside the IANA registry (see `cipherSuiteName`). */
export const legacyCipherSuiteNames: ReadonlyMap<number, string> = mapOf(LEGACY_CIPHER_SUITE_NAMES);

/** Weak by today's rules (RFC 7465 no RC4, RFC 9325 no export, NULL, anonymous, DES or 3DES). */
export function weakCipherSuite(id: number | null): string | null {
  if (id === null) return null;
  const info = cipherSuites.get(id);
  if (info === undefined || info.scsv || info.tls13) return null;
  const name = info.name;
  if (info.export) return `${name} (export grade)`;
  if (info.cipher === 'NULL') return `${name} (no encryption)`;
  if (info.authentication === 'anon') return `${name} (no authentication)`;
  if (/RC4/.test(info.cipher)) return `${name} (RC4, prohibited by RFC 7465)`;
  if (/^(DES|3DES|DES40|IDEA|RC2)/.test(info.cipher) || /_DES_|3DES/.test(name)) return `${name} (64-bit block cipher)`;
  return null;
}

/**
 * Sizes of TLS 1.3 protected records that carry no secret length (RFC 8446 §5.2, §4.4.4): an
 * encrypted Finished (4-byte header, the transcript hash, the content type, the AEAD tag) and an
 * encrypted alert (2 bytes, the content type, the tag) under `suite`.
 */
export function tls13RecordSizes(suite: number | null): { finished: number; alert: number } {
  const info = suite === null ? undefined : cipherSuites.get(suite);
  const tag = info !== undefined && info.cipher.endsWith('_8') ? 8 : 16;
  const hash = info?.prf === 'SHA384' ? 48 : 32;
  return { finished: 4 + hash + 1 + tag, alert: 2 + 1 + tag };
}

/** IANA name; `GREASE (0x0a0a)` for RFC 8701 values; `Unknown (0x1234)` otherwise. */
export function cipherSuiteName(id: number): string {
  const info = cipherSuites.get(id);
  if (info !== undefined) return info.name;
  if (isGrease(id)) return `GREASE (${hex4(id)})`;
  return legacyCipherSuiteNames.get(id) ?? `Unknown (${hex4(id)})`;
}

// ---------------------------------------------------------------------------------------------
// Supported groups — IANA "TLS Supported Groups" (RFC 8422 §5.1.1, RFC 8446 §4.2.7, RFC 7919)
// ---------------------------------------------------------------------------------------------

const NAMED_GROUP_NAMES: ReadonlyArray<readonly [number, string]> = [
  // RFC 8422 (deprecated binary and small prime curves, then the NIST primes)
  [0x0001, 'sect163k1'],
  [0x0002, 'sect163r1'],
  [0x0003, 'sect163r2'],
  [0x0004, 'sect193r1'],
  [0x0005, 'sect193r2'],
  [0x0006, 'sect233k1'],
  [0x0007, 'sect233r1'],
  [0x0008, 'sect239k1'],
  [0x0009, 'sect283k1'],
  [0x000a, 'sect283r1'],
  [0x000b, 'sect409k1'],
  [0x000c, 'sect409r1'],
  [0x000d, 'sect571k1'],
  [0x000e, 'sect571r1'],
  [0x000f, 'secp160k1'],
  [0x0010, 'secp160r1'],
  [0x0011, 'secp160r2'],
  [0x0012, 'secp192k1'],
  [0x0013, 'secp192r1'],
  [0x0014, 'secp224k1'],
  [0x0015, 'secp224r1'],
  [0x0016, 'secp256k1'],
  [0x0017, 'secp256r1'],
  [0x0018, 'secp384r1'],
  [0x0019, 'secp521r1'],
  // RFC 7027
  [0x001a, 'brainpoolP256r1'],
  [0x001b, 'brainpoolP384r1'],
  [0x001c, 'brainpoolP512r1'],
  // RFC 8446 / RFC 8422 (RFC 7748 curves)
  [0x001d, 'x25519'],
  [0x001e, 'x448'],
  // RFC 8734
  [0x001f, 'brainpoolP256r1tls13'],
  [0x0020, 'brainpoolP384r1tls13'],
  [0x0021, 'brainpoolP512r1tls13'],
  // RFC 9189 (GOST curves)
  [0x0022, 'GC256A'],
  [0x0023, 'GC256B'],
  [0x0024, 'GC256C'],
  [0x0025, 'GC256D'],
  [0x0026, 'GC512A'],
  [0x0027, 'GC512B'],
  [0x0028, 'GC512C'],
  // RFC 8998
  [0x0029, 'curveSM2'],
  // RFC 7919 (finite-field Diffie-Hellman)
  [0x0100, 'ffdhe2048'],
  [0x0101, 'ffdhe3072'],
  [0x0102, 'ffdhe4096'],
  [0x0103, 'ffdhe6144'],
  [0x0104, 'ffdhe8192'],
  // draft-ietf-tls-mlkem (pure ML-KEM, FIPS 203)
  [0x0200, 'MLKEM512'],
  [0x0201, 'MLKEM768'],
  [0x0202, 'MLKEM1024'],
  // draft-ietf-tls-ecdhe-mlkem and related hybrids
  [0x11e9, 'SecP256r1MLKEM512'],
  [0x11ea, 'MLKEM512X25519'],
  [0x11eb, 'SecP256r1MLKEM768'],
  [0x11ec, 'X25519MLKEM768'],
  [0x11ed, 'SecP384r1MLKEM1024'],
  [0x11ee, 'curveSM2MLKEM768'],
  // draft-tls-westerbaan-xyber768d00 (obsolete pre-standard Kyber hybrids)
  [0x6399, 'X25519Kyber768Draft00'],
  [0x639a, 'SecP256r1Kyber768Draft00'],
  // RFC 8422 §5.1.1 (deprecated explicit curves)
  [0xff01, 'arbitrary_explicit_prime_curves'],
  [0xff02, 'arbitrary_explicit_char2_curves'],
];

/** The IANA Supported Groups registry (formerly "EC Named Curve"), by code point. */
export const namedGroups: ReadonlyMap<number, string> = mapOf(NAMED_GROUP_NAMES);

/** IANA name; `Reserved (GREASE)`; `Unknown (0x1234)` otherwise. */
export function namedGroupName(id: number): string {
  const name = namedGroups.get(id);
  if (name !== undefined) return name;
  return isGrease(id) ? 'Reserved (GREASE)' : `Unknown (${hex4(id)})`;
}

// ---------------------------------------------------------------------------------------------
// Signature schemes — IANA "TLS SignatureScheme" (RFC 8446 §4.2.3) plus TLS 1.2 pairs
// ---------------------------------------------------------------------------------------------

const SIGNATURE_SCHEME_NAMES: ReadonlyArray<readonly [number, string]> = [
  [0x0201, 'rsa_pkcs1_sha1'],
  [0x0203, 'ecdsa_sha1'],
  [0x0401, 'rsa_pkcs1_sha256'],
  [0x0403, 'ecdsa_secp256r1_sha256'],
  // draft-ietf-tls-tls13-pkcs1
  [0x0420, 'rsa_pkcs1_sha256_legacy'],
  [0x0501, 'rsa_pkcs1_sha384'],
  [0x0503, 'ecdsa_secp384r1_sha384'],
  [0x0520, 'rsa_pkcs1_sha384_legacy'],
  [0x0601, 'rsa_pkcs1_sha512'],
  [0x0603, 'ecdsa_secp521r1_sha512'],
  [0x0620, 'rsa_pkcs1_sha512_legacy'],
  // draft-wang-tls-raw-public-key-with-ibc; RFC 8998; RFC 9367
  [0x0704, 'eccsi_sha256'],
  [0x0705, 'iso_ibs1'],
  [0x0706, 'iso_ibs2'],
  [0x0707, 'iso_chinese_ibs'],
  [0x0708, 'sm2sig_sm3'],
  [0x0709, 'gostr34102012_256a'],
  [0x070a, 'gostr34102012_256b'],
  [0x070b, 'gostr34102012_256c'],
  [0x070c, 'gostr34102012_256d'],
  [0x070d, 'gostr34102012_512a'],
  [0x070e, 'gostr34102012_512b'],
  [0x070f, 'gostr34102012_512c'],
  // RFC 8446
  [0x0804, 'rsa_pss_rsae_sha256'],
  [0x0805, 'rsa_pss_rsae_sha384'],
  [0x0806, 'rsa_pss_rsae_sha512'],
  [0x0807, 'ed25519'],
  [0x0808, 'ed448'],
  [0x0809, 'rsa_pss_pss_sha256'],
  [0x080a, 'rsa_pss_pss_sha384'],
  [0x080b, 'rsa_pss_pss_sha512'],
  // RFC 8734
  [0x081a, 'ecdsa_brainpoolP256r1tls13_sha256'],
  [0x081b, 'ecdsa_brainpoolP384r1tls13_sha384'],
  [0x081c, 'ecdsa_brainpoolP512r1tls13_sha512'],
  // draft-ietf-tls-mldsa (FIPS 204)
  [0x0904, 'mldsa44'],
  [0x0905, 'mldsa65'],
  [0x0906, 'mldsa87'],
  // draft-reddy-tls-slhdsa (FIPS 205)
  [0x0911, 'slhdsa_sha2_128s'],
  [0x0912, 'slhdsa_sha2_128f'],
  [0x0913, 'slhdsa_sha2_192s'],
  [0x0914, 'slhdsa_sha2_192f'],
  [0x0915, 'slhdsa_sha2_256s'],
  [0x0916, 'slhdsa_sha2_256f'],
  [0x0917, 'slhdsa_shake_128s'],
  [0x0918, 'slhdsa_shake_128f'],
  [0x0919, 'slhdsa_shake_192s'],
  [0x091a, 'slhdsa_shake_192f'],
  [0x091b, 'slhdsa_shake_256s'],
  [0x091c, 'slhdsa_shake_256f'],
];

/**
 * RFC 5246 §7.4.1.4.1: in TLS 1.2 a signature algorithm is a (HashAlgorithm, SignatureAlgorithm)
 * byte pair. RFC 8446 §4.2.3 gave the common pairs scheme names and reserved the rest; these are
 * the remaining pairs a TLS 1.2 peer may still send, named the way OpenSSL's trace output does.
 */
const TLS12_HASHES: ReadonlyArray<readonly [number, string]> = [
  [1, 'md5'],
  [2, 'sha1'],
  [3, 'sha224'],
  [4, 'sha256'],
  [5, 'sha384'],
  [6, 'sha512'],
];
const TLS12_SIGNATURES: ReadonlyArray<readonly [number, string]> = [
  [1, 'rsa_pkcs1'],
  [2, 'dsa'],
  [3, 'ecdsa'],
];

function buildSignatureSchemes(): ReadonlyMap<number, string> {
  const entries: Array<readonly [number, string]> = [...SIGNATURE_SCHEME_NAMES];
  const named = new Set(SIGNATURE_SCHEME_NAMES.map(([id]) => id));
  for (const [hash, hashName] of TLS12_HASHES) {
    for (const [sig, sigName] of TLS12_SIGNATURES) {
      const id = (hash << 8) | sig;
      if (!named.has(id)) entries.push([id, `${sigName}_${hashName}`]);
    }
  }
  entries.sort((a, b) => a[0] - b[0]);
  return mapOf(entries);
}

/** The IANA SignatureScheme registry plus the unnamed TLS 1.2 (hash, signature) pairs. */
export const signatureSchemes: ReadonlyMap<number, string> = buildSignatureSchemes();

/** Scheme name; `Reserved (GREASE)`; `Unknown (0x1234)` otherwise. */
export function signatureSchemeName(id: number): string {
  const name = signatureSchemes.get(id);
  if (name !== undefined) return name;
  return isGrease(id) ? 'Reserved (GREASE)' : `Unknown (${hex4(id)})`;
}

// ---------------------------------------------------------------------------------------------
// Alerts — IANA "TLS Alerts" (RFC 8446 §6, RFC 5246 §7.2)
// ---------------------------------------------------------------------------------------------

export interface AlertInfo {
  /** IANA name, e.g. `handshake_failure`. */
  name: string;
  /** Wireshark-style title, e.g. `Handshake Failure`. */
  title: string;
  /** One plain-English sentence: what the sender of this alert is saying. */
  meaning: string;
}

const ALERTS: ReadonlyArray<readonly [number, string, string, string]> = [
  [0, 'close_notify', 'Close Notify',
    'The sender has finished sending on this connection and will send nothing more; an orderly close, not an error.'],
  [10, 'unexpected_message', 'Unexpected Message',
    'The sender received a message that is not allowed at this point of the protocol.'],
  [20, 'bad_record_mac', 'Bad Record MAC',
    'A record failed its integrity check or could not be decrypted, so it was corrupted, tampered with, or protected with keys the receiver does not share.'],
  [21, 'decryption_failed', 'Decryption Failed',
    'A record could not be decrypted; only very old TLS 1.0 stacks send this, later versions send bad_record_mac instead.'],
  [22, 'record_overflow', 'Record Overflow',
    'The sender received a record longer than the protocol or the negotiated limit allows.'],
  [30, 'decompression_failure', 'Decompression Failure',
    'A compressed record could not be decompressed (only possible when TLS compression was negotiated, before TLS 1.3).'],
  [40, 'handshake_failure', 'Handshake Failure',
    'The sender could not find an acceptable set of security parameters, for example no cipher suite, group or signature algorithm in common with the peer.'],
  [41, 'no_certificate', 'No Certificate',
    'The client has no suitable certificate to send (SSL 3.0 only; never used since TLS 1.0).'],
  [42, 'bad_certificate', 'Bad Certificate',
    'A certificate was corrupt or carried a signature that did not verify.'],
  [43, 'unsupported_certificate', 'Unsupported Certificate',
    'A certificate was of a type the sender does not support.'],
  [44, 'certificate_revoked', 'Certificate Revoked',
    'A certificate has been revoked by its issuer.'],
  [45, 'certificate_expired', 'Certificate Expired',
    'A certificate has expired or is not yet valid.'],
  [46, 'certificate_unknown', 'Certificate Unknown',
    'Some other problem came up while checking a certificate, so the sender will not accept it.'],
  [47, 'illegal_parameter', 'Illegal Parameter',
    'A handshake field was out of range or inconsistent with other fields.'],
  [48, 'unknown_ca', 'Unknown CA',
    'The certificate chain is well formed but does not lead to a certificate authority the sender trusts.'],
  [49, 'access_denied', 'Access Denied',
    'The peer proved who it is, but access control refuses it, so the sender will not go on.'],
  [50, 'decode_error', 'Decode Error',
    'A message could not be parsed because a field was out of range or a length was wrong.'],
  [51, 'decrypt_error', 'Decrypt Error',
    'A handshake cryptographic check failed: a signature did not verify, a key could not be decrypted, or the Finished message did not match.'],
  [52, 'too_many_cids_requested', 'Too Many CIDs Requested',
    'The peer asked for more DTLS connection IDs than the sender is willing to supply (RFC 9147).'],
  [60, 'export_restriction', 'Export Restriction',
    'A negotiation that breaks export restrictions was detected (TLS 1.0 only; now reserved).'],
  [70, 'protocol_version', 'Protocol Version',
    'The protocol version the peer offered or chose is recognised but not supported by the sender.'],
  [71, 'insufficient_security', 'Insufficient Security',
    'The server requires stronger parameters than any the client offered; a more specific handshake_failure.'],
  [80, 'internal_error', 'Internal Error',
    'A local error unrelated to the peer or the protocol, such as running out of memory, stops the sender from continuing.'],
  [86, 'inappropriate_fallback', 'Inappropriate Fallback',
    'The client retried with a lower version and sent TLS_FALLBACK_SCSV although the server supports a higher one, so the server suspects a downgrade attack (RFC 7507).'],
  [90, 'user_canceled', 'User Canceled',
    'The user or the application cancelled the handshake for a reason that is not a protocol failure.'],
  [100, 'no_renegotiation', 'No Renegotiation',
    'The sender refuses to renegotiate the connection (TLS 1.2 and earlier).'],
  [109, 'missing_extension', 'Missing Extension',
    'A handshake message lacked an extension that the negotiated version or parameters require.'],
  [110, 'unsupported_extension', 'Unsupported Extension',
    'The peer sent an extension the sender never offered or one that is not allowed in that message.'],
  [111, 'certificate_unobtainable', 'Certificate Unobtainable',
    'The server could not fetch the client certificate from the URL the client gave (RFC 6066; now reserved).'],
  [112, 'unrecognized_name', 'Unrecognized Name',
    'The server has no virtual host for the name the client asked for in the server_name (SNI) extension.'],
  [113, 'bad_certificate_status_response', 'Bad Certificate Status Response',
    'The OCSP or other status response the server sent for its certificate was invalid or unacceptable.'],
  [114, 'bad_certificate_hash_value', 'Bad Certificate Hash Value',
    'A certificate fetched from a URL did not match the hash the client supplied (RFC 6066; now reserved).'],
  [115, 'unknown_psk_identity', 'Unknown PSK Identity',
    'The server does not know the pre-shared key identity the client offered.'],
  [116, 'certificate_required', 'Certificate Required',
    'The server requires a client certificate and the client did not send one (TLS 1.3).'],
  [120, 'no_application_protocol', 'No Application Protocol',
    'The server supports none of the application protocols the client offered in ALPN.'],
  [121, 'ech_required', 'ECH Required',
    'The server did not accept Encrypted Client Hello, so the client closes the connection and will retry with the ECH configuration the server supplied.'],
];

/** The IANA TLS Alerts registry, by description code. */
export const alertDescriptions: ReadonlyMap<number, AlertInfo> = mapOf(
  ALERTS.map(([id, name, title, meaning]) => [id, { name, title, meaning }] as const),
);

/** RFC 8446 §6 AlertLevel: `warning` (1), `fatal` (2); `Unknown (n)` otherwise. */
export function alertLevelName(level: number): string {
  if (level === 1) return 'warning';
  if (level === 2) return 'fatal';
  return `Unknown (${level})`;
}

/** IANA name of an alert description, e.g. `handshake_failure`; `Unknown (n)` otherwise. */
export function alertDescriptionName(id: number): string {
  return alertDescriptions.get(id)?.name ?? `Unknown (${id})`;
}

/** Wireshark-style title of an alert description, e.g. `Handshake Failure`; `Unknown (n)` otherwise. */
export function alertDescriptionTitle(id: number): string {
  return alertDescriptions.get(id)?.title ?? `Unknown (${id})`;
}

// ---------------------------------------------------------------------------------------------
// Handshake types — IANA "TLS HandshakeType" (RFC 8446 §4, RFC 5246 §7.4, RFC 9147)
// ---------------------------------------------------------------------------------------------

export interface HandshakeTypeInfo {
  /** IANA name, e.g. `client_hello`. */
  name: string;
  /** Title as Wireshark's Info column prints it, e.g. `Client Hello`. */
  title: string;
}

// [type, IANA name, Wireshark title, message name as the RFCs' structs spell it]
const HANDSHAKE_TYPES: ReadonlyArray<readonly [number, string, string, string]> = [
  [0, 'hello_request', 'Hello Request', 'HelloRequest'],
  [1, 'client_hello', 'Client Hello', 'ClientHello'],
  [2, 'server_hello', 'Server Hello', 'ServerHello'],
  [3, 'hello_verify_request', 'Hello Verify Request', 'HelloVerifyRequest'],
  [4, 'new_session_ticket', 'New Session Ticket', 'NewSessionTicket'],
  [5, 'end_of_early_data', 'End of Early Data', 'EndOfEarlyData'],
  // Only in TLS 1.3 drafts; RFC 8446 sends a HelloRetryRequest as a ServerHello (§4.1.3).
  [6, 'hello_retry_request', 'Hello Retry Request', 'HelloRetryRequest'],
  [8, 'encrypted_extensions', 'Encrypted Extensions', 'EncryptedExtensions'],
  [9, 'request_connection_id', 'Request Connection ID', 'RequestConnectionId'],
  [10, 'new_connection_id', 'New Connection ID', 'NewConnectionId'],
  [11, 'certificate', 'Certificate', 'Certificate'],
  [12, 'server_key_exchange', 'Server Key Exchange', 'ServerKeyExchange'],
  [13, 'certificate_request', 'Certificate Request', 'CertificateRequest'],
  [14, 'server_hello_done', 'Server Hello Done', 'ServerHelloDone'],
  [15, 'certificate_verify', 'Certificate Verify', 'CertificateVerify'],
  [16, 'client_key_exchange', 'Client Key Exchange', 'ClientKeyExchange'],
  [17, 'client_certificate_request', 'Client Certificate Request', 'ClientCertificateRequest'],
  [20, 'finished', 'Finished', 'Finished'],
  [21, 'certificate_url', 'Client Certificate URL', 'CertificateURL'],
  [22, 'certificate_status', 'Certificate Status', 'CertificateStatus'],
  [23, 'supplemental_data', 'Supplemental Data', 'SupplementalData'],
  [24, 'key_update', 'Key Update', 'KeyUpdate'],
  [25, 'compressed_certificate', 'Compressed Certificate', 'CompressedCertificate'],
  [26, 'ekt_key', 'EKT Key', 'EKTKey'],
  [254, 'message_hash', 'Message Hash', 'MessageHash'],
];

/** The IANA TLS HandshakeType registry, by type byte. */
export const handshakeTypes: ReadonlyMap<number, HandshakeTypeInfo> = mapOf(
  HANDSHAKE_TYPES.map(([id, name, title]) => [id, { name, title }] as const),
);

const HANDSHAKE_MESSAGE_NAMES: ReadonlyMap<number, string> = mapOf(
  HANDSHAKE_TYPES.map(([id, , , message]) => [id, message] as const),
);

/** CamelCase message name for ladder labels, e.g. `ClientHello`; `Unknown(n)` otherwise. */
export function handshakeMessageName(type: number): string {
  return HANDSHAKE_MESSAGE_NAMES.get(type) ?? `Unknown(${type})`;
}

/** IANA name, e.g. `client_hello`; `Unknown (n)` otherwise. */
export function handshakeTypeName(type: number): string {
  return handshakeTypes.get(type)?.name ?? `Unknown (${type})`;
}

/** Wireshark title, e.g. `Client Hello`; `Unknown (n)` otherwise. */
export function handshakeTypeTitle(type: number): string {
  return handshakeTypes.get(type)?.title ?? `Unknown (${type})`;
}

// ---------------------------------------------------------------------------------------------
// Record content types — IANA "TLS ContentType" (RFC 8446 §5.1, RFC 6520, RFC 9146, RFC 9147)
// ---------------------------------------------------------------------------------------------

export interface ContentTypeInfo {
  name: string;
  title: string;
}

const CONTENT_TYPES: ReadonlyArray<readonly [number, string, string]> = [
  [20, 'change_cipher_spec', 'Change Cipher Spec'],
  [21, 'alert', 'Alert'],
  [22, 'handshake', 'Handshake'],
  [23, 'application_data', 'Application Data'],
  [24, 'heartbeat', 'Heartbeat'],
  [25, 'tls12_cid', 'Connection ID'],
  [26, 'ack', 'ACK'],
  // draft-ietf-tls-dtls-rrc
  [27, 'return_routability_check', 'Return Routability Check'],
];

/** The IANA TLS ContentType registry, by record type byte. */
export const contentTypes: ReadonlyMap<number, ContentTypeInfo> = mapOf(
  CONTENT_TYPES.map(([id, name, title]) => [id, { name, title }] as const),
);

/** IANA name, e.g. `application_data`; `Unknown (n)` otherwise. */
export function contentTypeName(id: number): string {
  return contentTypes.get(id)?.name ?? `Unknown (${id})`;
}

/** Wireshark title, e.g. `Application Data`; `Unknown (n)` otherwise. */
export function contentTypeTitle(id: number): string {
  return contentTypes.get(id)?.title ?? `Unknown (${id})`;
}

// ---------------------------------------------------------------------------------------------
// Extensions — IANA "TLS ExtensionType Values" (RFC 8446 §4.2, RFC 8447 §7)
// ---------------------------------------------------------------------------------------------

const EXTENSION_NAMES: ReadonlyArray<readonly [number, string]> = [
  // RFC 6066
  [0, 'server_name'],
  [1, 'max_fragment_length'],
  [2, 'client_certificate_url'],
  [3, 'trusted_ca_keys'],
  [4, 'truncated_hmac'],
  [5, 'status_request'],
  [6, 'user_mapping'], // RFC 4681
  [7, 'client_authz'], // RFC 5878
  [8, 'server_authz'], // RFC 5878
  [9, 'cert_type'], // RFC 6091
  [10, 'supported_groups'], // RFC 8422, RFC 7919 (was elliptic_curves)
  [11, 'ec_point_formats'], // RFC 8422
  [12, 'srp'], // RFC 5054
  [13, 'signature_algorithms'], // RFC 8446
  [14, 'use_srtp'], // RFC 5764
  [15, 'heartbeat'], // RFC 6520
  [16, 'application_layer_protocol_negotiation'], // RFC 7301
  [17, 'status_request_v2'], // RFC 6961
  [18, 'signed_certificate_timestamp'], // RFC 6962
  [19, 'client_certificate_type'], // RFC 7250
  [20, 'server_certificate_type'], // RFC 7250
  [21, 'padding'], // RFC 7685
  [22, 'encrypt_then_mac'], // RFC 7366
  // RFC 7627. IANA now lists it as extended_main_secret (RFC 9846); captures and Wireshark use this.
  [23, 'extended_master_secret'],
  [24, 'token_binding'], // RFC 8472
  [25, 'cached_info'], // RFC 7924
  [26, 'tls_lts'], // draft-gutmann-tls-lts
  [27, 'compress_certificate'], // RFC 8879
  [28, 'record_size_limit'], // RFC 8449
  [29, 'pwd_protect'], // RFC 8492
  [30, 'pwd_clear'], // RFC 8492
  [31, 'password_salt'], // RFC 8492
  [32, 'ticket_pinning'], // RFC 8672
  [33, 'tls_cert_with_extern_psk'], // RFC 8773
  [34, 'delegated_credential'], // RFC 9345
  [35, 'session_ticket'], // RFC 5077, RFC 8447
  [36, 'TLMSP'], // ETSI TS 103 523-2
  [37, 'TLMSP_proxying'],
  [38, 'TLMSP_delegate'],
  [39, 'supported_ekt_ciphers'], // RFC 8870
  // Reserved: key_share in draft-ietf-tls-tls13-22 and earlier (Wireshark's name)
  [40, 'Reserved (key_share)'],
  [41, 'pre_shared_key'], // RFC 8446
  [42, 'early_data'],
  [43, 'supported_versions'],
  [44, 'cookie'],
  [45, 'psk_key_exchange_modes'],
  // Reserved: ticket_early_data_info in draft-ietf-tls-tls13-18 (Wireshark's name)
  [46, 'Reserved (ticket_early_data_info)'],
  [47, 'certificate_authorities'],
  [48, 'oid_filters'],
  [49, 'post_handshake_auth'],
  [50, 'signature_algorithms_cert'],
  [51, 'key_share'],
  [52, 'transparency_info'], // RFC 9162
  [53, 'connection_id_deprecated'], // draft-ietf-tls-dtls-connection-id-07
  [54, 'connection_id'], // RFC 9146
  [55, 'external_id_hash'], // RFC 8844
  [56, 'external_session_id'], // RFC 8844
  [57, 'quic_transport_parameters'], // RFC 9001
  [58, 'ticket_request'], // RFC 9149
  [59, 'dnssec_chain'], // RFC 9102
  [60, 'sequence_number_encryption_algorithms'], // draft-pismenny-tls-dtls-plaintext-sequence-number
  [61, 'rrc'], // draft-ietf-tls-dtls-rrc
  [62, 'tls_flags'], // draft-ietf-tls-tlsflags
  // Not IANA-registered, but common in captures; names as Wireshark and BoringSSL use them.
  [13172, 'next_protocol_negotiation'], // 0x3374, draft-agl-tls-nextprotoneg
  [17513, 'application_settings_old'], // 0x4469, draft-vvv-tls-alps (Chrome's first code point)
  [17613, 'application_settings'], // 0x44cd, draft-vvv-tls-alps (Chrome's current code point)
  [30031, 'channel_id_old'], // 0x754f, draft-balfanz-tls-channelid-00
  [30032, 'channel_id'], // 0x7550, draft-balfanz-tls-channelid-01
  [51764, 'trust_anchors'], // 0xca34, draft-ietf-tls-trust-anchor-ids (experimental code point)
  // IANA
  [0xfd00, 'ech_outer_extensions'], // RFC 9849
  [0xfe0d, 'encrypted_client_hello'], // RFC 9849
  [0xff01, 'renegotiation_info'], // RFC 5746
  // Not IANA-registered drafts, as Wireshark names them
  [0xffa5, 'quic_transport_parameters (drafts version)'], // draft-ietf-quic-tls before -33
  [0xffce, 'encrypted_server_name'], // draft-ietf-tls-esni-01..-05
];

/** The IANA ExtensionType registry plus the well-known pre-standard code points Wireshark names. */
export const extensionTypes: ReadonlyMap<number, string> = mapOf(EXTENSION_NAMES);

/** Extension name; `Reserved (GREASE)`; `Unknown type 1234` (decimal, as Wireshark) otherwise. */
export function extensionName(id: number): string {
  const name = extensionTypes.get(id);
  if (name !== undefined) return name;
  return isGrease(id) ? 'Reserved (GREASE)' : `Unknown type ${id}`;
}

// ---------------------------------------------------------------------------------------------
// Protocol versions — ProtocolVersion values as Wireshark's ssl_versions names them
// ---------------------------------------------------------------------------------------------

function buildTlsVersions(): ReadonlyMap<number, string> {
  const entries: Array<readonly [number, string]> = [
    [0x0002, 'SSL 2.0'],
    // DTLS 1.0 as OpenSSL sent it before 0.9.8f
    [0x0100, 'DTLS 1.0 (OpenSSL pre 0.9.8f)'],
    // GB/T 38636-2020 (TLCP, the Chinese national variant)
    [0x0101, 'TLCP'],
    [0x0300, 'SSL 3.0'],
    [0x0301, 'TLS 1.0'],
    [0x0302, 'TLS 1.1'],
    [0x0303, 'TLS 1.2'],
    [0x0304, 'TLS 1.3'],
  ];
  // draft-ietf-tls-tls13-n advertised 0x7F00 + n in supported_versions (drafts 14 to 28 deployed).
  for (let draft = 14; draft <= 28; draft++) entries.push([0x7f00 + draft, `TLS 1.3 (draft ${draft})`]);
  entries.push(
    [0xfb17, 'TLS 1.3 (Facebook draft 23)'],
    [0xfb1a, 'TLS 1.3 (Facebook draft 26)'],
    // DTLS counts down from 0xFEFF (RFC 6347 §4.1, RFC 9147 §5.3)
    [0xfefc, 'DTLS 1.3'],
    [0xfefd, 'DTLS 1.2'],
    [0xfeff, 'DTLS 1.0'],
  );
  return mapOf(entries);
}

/** Record and handshake version values, by the 16-bit wire value. */
export const tlsVersions: ReadonlyMap<number, string> = buildTlsVersions();

/** `TLS 1.2`, `DTLS 1.3`…; `Reserved (GREASE)`; `Unknown (0x1234)` otherwise. */
export function tlsVersionName(version: number): string {
  const name = tlsVersions.get(version);
  if (name !== undefined) return name;
  return isGrease(version) ? 'Reserved (GREASE)' : `Unknown (${hex4(version)})`;
}

// ---------------------------------------------------------------------------------------------
// Small registries
// ---------------------------------------------------------------------------------------------

function smallName(map: ReadonlyMap<number, string>, id: number): string {
  return map.get(id) ?? `Unknown (${id})`;
}

/** RFC 8446 §4.2.9 PskKeyExchangeMode. */
export const pskKeyExchangeModes: ReadonlyMap<number, string> = mapOf([
  [0, 'psk_ke'],
  [1, 'psk_dhe_ke'],
]);

export function pskKeyExchangeModeName(id: number): string {
  return smallName(pskKeyExchangeModes, id);
}

/** RFC 8422 §5.1.2 ECPointFormat. */
export const ecPointFormats: ReadonlyMap<number, string> = mapOf([
  [0, 'uncompressed'],
  [1, 'ansiX962_compressed_prime'],
  [2, 'ansiX962_compressed_char2'],
]);

export function ecPointFormatName(id: number): string {
  return smallName(ecPointFormats, id);
}

/** RFC 6066 §8 and RFC 6961 §2.2 CertificateStatusType. */
export const certificateStatusTypes: ReadonlyMap<number, string> = mapOf([
  [1, 'ocsp'],
  [2, 'ocsp_multi'],
]);

export function certificateStatusTypeName(id: number): string {
  return smallName(certificateStatusTypes, id);
}

/** RFC 8446 §4.6.3 KeyUpdateRequest. */
export const keyUpdateRequest: ReadonlyMap<number, string> = mapOf([
  [0, 'update_not_requested'],
  [1, 'update_requested'],
]);

export function keyUpdateRequestName(id: number): string {
  return smallName(keyUpdateRequest, id);
}

/** ClientCertificateType of a TLS ≤ 1.2 CertificateRequest (RFC 5246 §7.4.4, RFC 8422, RFC 9189). */
export const clientCertificateTypes: ReadonlyMap<number, string> = mapOf([
  [1, 'rsa_sign'],
  [2, 'dss_sign'],
  [3, 'rsa_fixed_dh'],
  [4, 'dss_fixed_dh'],
  [5, 'rsa_ephemeral_dh'],
  [6, 'dss_ephemeral_dh'],
  [20, 'fortezza_dms'],
  [64, 'ecdsa_sign'],
  [65, 'rsa_fixed_ecdh'],
  [66, 'ecdsa_fixed_ecdh'],
  [67, 'gost_sign256'],
  [68, 'gost_sign512'],
]);

export function clientCertificateTypeName(id: number): string {
  return smallName(clientCertificateTypes, id);
}

/** CompressionMethod of a TLS ≤ 1.2 hello (RFC 5246 §7.4.1.2, RFC 3749, RFC 3943). */
export const compressionMethods: ReadonlyMap<number, string> = mapOf([
  [0, 'null'],
  [1, 'DEFLATE'],
  [64, 'LZS'],
]);

export function compressionMethodName(id: number): string {
  return smallName(compressionMethods, id);
}

// ---------------------------------------------------------------------------------------------
// Plain-English cipher suite descriptions for the ladder explanations
// ---------------------------------------------------------------------------------------------

const KEY_EXCHANGE_PHRASES: Readonly<Record<KeyExchange, string>> = {
  RSA: 'RSA key transport',
  DHE: 'DHE key exchange',
  DH: 'static DH key exchange',
  ECDHE: 'ECDHE key exchange',
  ECDH: 'static ECDH key exchange',
  PSK: 'PSK key exchange',
  DHE_PSK: 'DHE key exchange with a pre-shared key',
  ECDHE_PSK: 'ECDHE key exchange with a pre-shared key',
  RSA_PSK: 'RSA key transport with a pre-shared key',
  SRP: 'SRP password key exchange',
  KRB5: 'Kerberos key exchange',
  GOSTR341112: 'GOST VKO key exchange',
  ECCPWD: 'elliptic-curve password key exchange',
  NULL: 'no key exchange',
  TLS13: 'key exchange negotiated separately',
  SCSV: 'no key exchange',
};

const AUTHENTICATION_PHRASES: Readonly<Record<Authentication, string>> = {
  RSA: 'RSA authentication',
  DSS: 'DSS authentication',
  ECDSA: 'ECDSA authentication',
  PSK: 'PSK authentication',
  anon: 'no authentication (anonymous)',
  KRB5: 'Kerberos authentication',
  SRP: 'password (SRP) authentication',
  GOST: 'GOST R 34.10-2012 authentication',
  PWD: 'password authentication',
  NULL: 'no authentication',
  TLS13: 'authentication negotiated separately',
  SCSV: 'no authentication',
};

const HASH_PHRASES: Readonly<Record<string, string>> = {
  MD5: 'MD5',
  SHA: 'SHA-1',
  SHA256: 'SHA-256',
  SHA384: 'SHA-384',
  SHA512: 'SHA-512',
  SM3: 'SM3',
  ASCONHASH256: 'Ascon-Hash256',
  GOSTR341112_256: 'Streebog-256',
};

const MAC_PHRASES: Readonly<Record<string, string>> = {
  MD5: 'HMAC-MD5 MAC',
  SHA: 'HMAC-SHA1 MAC',
  SHA256: 'HMAC-SHA256 MAC',
  SHA384: 'HMAC-SHA384 MAC',
  OMAC: 'OMAC MAC',
  IMIT: 'GOST 28147-89 IMIT MAC',
  NULL: 'no MAC',
};

const FIXED_CIPHER_PHRASES: Readonly<Record<string, string>> = {
  NULL: 'no encryption',
  CHACHA20_POLY1305: 'ChaCha20-Poly1305',
  AEGIS_256: 'AEGIS-256',
  AEGIS_128L: 'AEGIS-128L',
  ASCONAEAD128: 'Ascon-AEAD128',
  '3DES_EDE_CBC': '3DES-EDE in CBC mode',
  IDEA_CBC: 'IDEA in CBC mode',
  SEED_CBC: 'SEED in CBC mode',
  DES_CBC: 'DES in CBC mode',
  DES40_CBC: 'DES-40 in CBC mode',
  DES_CBC_40: 'DES-40 in CBC mode',
  RC2_CBC_40: 'RC2-40 in CBC mode',
  RC4_40: 'RC4-40 stream cipher',
  RC4_128: 'RC4-128 stream cipher',
  SM4_GCM: 'SM4 in GCM mode',
  SM4_CCM: 'SM4 in CCM mode',
  KUZNYECHIK_CTR: 'Kuznyechik in CTR mode',
  MAGMA_CTR: 'Magma in CTR mode',
  KUZNYECHIK_MGM_L: 'Kuznyechik in MGM mode',
  KUZNYECHIK_MGM_S: 'Kuznyechik in MGM mode',
  MAGMA_MGM_L: 'Magma in MGM mode',
  MAGMA_MGM_S: 'Magma in MGM mode',
  '28147_CNT': 'GOST 28147-89 in CNT mode',
};

const BLOCK_CIPHER_DISPLAY: Readonly<Record<string, string>> = {
  AES: 'AES',
  CAMELLIA: 'Camellia',
  ARIA: 'ARIA',
};

/** `AES_128_GCM` → `AES-128 in GCM mode`; `AES_128_CCM_8` → `AES-128 in CCM mode (8-byte tag)`. */
function cipherPhrase(cipher: string): string {
  const fixed = FIXED_CIPHER_PHRASES[cipher];
  if (fixed !== undefined) return fixed;
  const m = /^(AES|CAMELLIA|ARIA)_(\d+)_(CBC|GCM|CCM)(_8)?$/.exec(cipher);
  if (m !== null) {
    const tag = m[4] === undefined ? '' : ' (8-byte tag)';
    return `${BLOCK_CIPHER_DISPLAY[m[1]!]}-${m[2]} in ${m[3]} mode${tag}`;
  }
  return cipher;
}

function hashPhrase(hash: string): string {
  return HASH_PHRASES[hash] ?? hash;
}

/**
 * One plain-English phrase for explanations, e.g. for 0xC02F
 * `ECDHE key exchange, RSA authentication, AES-128 in GCM mode, SHA-256 hash`.
 */
export function describeCipherSuite(id: number): string {
  const info = cipherSuites.get(id);
  if (info === undefined) {
    if (isGrease(id)) {
      return 'GREASE value (RFC 8701): a reserved placeholder that checks the peer ignores values it does not know';
    }
    const legacy = legacyCipherSuiteNames.get(id);
    if (legacy !== undefined) return `${legacy}, a pre-standard cipher suite outside the IANA registry`;
    return `unknown cipher suite (${hex4(id)})`;
  }
  if (info.scsv) {
    if (id === 0x00ff) {
      return 'signalling value, not a real cipher suite: the client supports secure renegotiation (RFC 5746)';
    }
    return 'signalling value, not a real cipher suite: the client is retrying with a lower protocol version after a failed attempt (RFC 7507)';
  }
  if (info.tls13) {
    const bulk =
      info.cipher === 'NULL'
        ? `no encryption, HMAC-${info.mac} integrity only`
        : cipherPhrase(info.cipher);
    return `${bulk} with ${hashPhrase(info.prf)} (TLS 1.3: key exchange and authentication negotiated separately)`;
  }
  const kx =
    (info.keyExchange === 'DH' || info.keyExchange === 'ECDH') && info.authentication === 'anon'
      ? // DH_anon and ECDH_anon send fresh, unsigned parameters in ServerKeyExchange (RFC 5246 §7.4.3).
        `${info.keyExchange} key exchange`
      : KEY_EXCHANGE_PHRASES[info.keyExchange];
  const parts = [
    kx,
    AUTHENTICATION_PHRASES[info.authentication],
    cipherPhrase(info.cipher),
    info.aead ? `${hashPhrase(info.prf)} hash` : (MAC_PHRASES[info.mac] ?? info.mac),
  ];
  const text = parts.join(', ');
  return info.export ? `${text} (export grade, deliberately weakened)` : text;
}
