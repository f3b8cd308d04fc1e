// The TLS registry tables hold the IANA names and Wireshark titles, and the suite-name parser reads them right.

import { describe, expect, it } from 'vitest';
import {
  alertDescriptionName,
  alertDescriptions,
  alertDescriptionTitle,
  alertLevelName,
  certificateStatusTypeName,
  certificateStatusTypes,
  cipherSuiteName,
  cipherSuites,
  clientCertificateTypeName,
  clientCertificateTypes,
  compressionMethodName,
  compressionMethods,
  contentTypeName,
  contentTypes,
  contentTypeTitle,
  describeCipherSuite,
  ecPointFormatName,
  ecPointFormats,
  extensionName,
  extensionTypes,
  handshakeMessageName,
  handshakeTypeName,
  handshakeTypes,
  handshakeTypeTitle,
  isGrease,
  keyUpdateRequest,
  keyUpdateRequestName,
  legacyCipherSuiteNames,
  namedGroupName,
  namedGroups,
  parseCipherSuiteName,
  pskKeyExchangeModeName,
  pskKeyExchangeModes,
  signatureSchemeName,
  signatureSchemes,
  tlsVersionName,
  tlsVersions,
} from '../../../src/core/tls/tables';

const GREASE_VALUES = [
  0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a, 0xaaaa, 0xbaba,
  0xcaca, 0xdada, 0xeaea, 0xfafa,
];

function keysAscending(map: ReadonlyMap<number, unknown>): boolean {
  const keys = [...map.keys()];
  return keys.every((k, i) => i === 0 || k > keys[i - 1]!);
}

describe('GREASE (RFC 8701)', () => {
  it('recognises exactly the sixteen 0x?A?A values with equal bytes', () => {
    const found: number[] = [];
    for (let v = 0; v <= 0xffff; v++) if (isGrease(v)) found.push(v);
    expect(found).toEqual(GREASE_VALUES);
  });

  it('rejects near misses and out-of-range numbers', () => {
    for (const v of [0x0a1a, 0x1a0a, 0x0b0b, 0x0a0b, 0xa0a0, 0x10a0a, -0x0a0a, 0x0a0a + 0.5]) {
      expect(isGrease(v)).toBe(false);
    }
  });
});

describe('cipher suites', () => {
  it('hold the whole IANA registry: 356 suites, sorted, with unique names', () => {
    expect(cipherSuites.size).toBe(356);
    expect(keysAscending(cipherSuites)).toBe(true);
    const names = new Set([...cipherSuites.values()].map((s) => s.name));
    expect(names.size).toBe(cipherSuites.size);
    for (const [id, info] of cipherSuites) expect(info.id).toBe(id);
  });

  it('name code points across the whole registry', () => {
    const samples: Array<[number, string]> = [
      [0x0000, 'TLS_NULL_WITH_NULL_NULL'],
      [0x0004, 'TLS_RSA_WITH_RC4_128_MD5'],
      [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
      [0x001e, 'TLS_KRB5_WITH_DES_CBC_SHA'],
      [0x002b, 'TLS_KRB5_EXPORT_WITH_RC4_40_MD5'],
      [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA'],
      [0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA'],
      [0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA'],
      [0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256'],
      [0x006e, 'TLS_ASCONAEAD128_ASCONHASH256'],
      [0x0084, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA'],
      [0x008c, 'TLS_PSK_WITH_AES_128_CBC_SHA'],
      [0x0096, 'TLS_RSA_WITH_SEED_CBC_SHA'],
      [0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
      [0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'],
      [0x00b9, 'TLS_RSA_PSK_WITH_NULL_SHA384'],
      [0x00c5, 'TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256'],
      [0x00c6, 'TLS_SM4_GCM_SM3'],
      [0x00ff, 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV'],
      [0x1301, 'TLS_AES_128_GCM_SHA256'],
      [0x1302, 'TLS_AES_256_GCM_SHA384'],
      [0x1303, 'TLS_CHACHA20_POLY1305_SHA256'],
      [0x1304, 'TLS_AES_128_CCM_SHA256'],
      [0x1305, 'TLS_AES_128_CCM_8_SHA256'],
      [0x5600, 'TLS_FALLBACK_SCSV'],
      [0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'],
      [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
      [0xc01a, 'TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA'],
      [0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'],
      [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
      [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
      [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
      [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
      [0xc03b, 'TLS_ECDHE_PSK_WITH_NULL_SHA384'],
      [0xc05c, 'TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256'],
      [0xc071, 'TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384'],
      [0xc08a, 'TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256'],
      [0xc09c, 'TLS_RSA_WITH_AES_128_CCM'],
      [0xc0aa, 'TLS_PSK_DHE_WITH_AES_128_CCM_8'],
      [0xc0af, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8'],
      [0xc0b0, 'TLS_ECCPWD_WITH_AES_128_GCM_SHA256'],
      [0xc0b5, 'TLS_SHA384_SHA384'],
      [0xc100, 'TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC'],
      [0xc106, 'TLS_GOSTR341112_256_WITH_MAGMA_MGM_S'],
      [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
      [0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
      [0xccae, 'TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256'],
      [0xd001, 'TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256'],
      [0xd005, 'TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256'],
    ];
    for (const [id, name] of samples) {
      expect(cipherSuites.get(id)?.name).toBe(name);
      expect(cipherSuiteName(id)).toBe(name);
    }
  });

  it('leave reserved and unassigned code points out', () => {
    const reserved = [0x001c, 0x001d, 0x0047, 0x0060, 0x0066, 0x0080, 0x00c8, 0x00fe];
    const unassigned = [0x1300, 0x1308, 0xc0b6, 0xc107, 0xcc13, 0xd004, 0xfeff];
    for (const id of [...reserved, ...unassigned]) {
      expect(cipherSuites.has(id)).toBe(false);
    }
  });

  it('format GREASE, pre-standard and unknown code points the way Wireshark shows them', () => {
    expect(cipherSuiteName(0x0a0a)).toBe('GREASE (0x0a0a)');
    expect(cipherSuiteName(0xfafa)).toBe('GREASE (0xfafa)');
    expect(cipherSuiteName(0x1234)).toBe('Unknown (0x1234)');
    expect(cipherSuiteName(0x00c8)).toBe('Unknown (0x00c8)');
    expect(cipherSuiteName(0xabcd)).toBe('Unknown (0xabcd)');
    // Chrome's ChaCha20 suites before RFC 7905 still appear in old captures.
    expect(cipherSuiteName(0xcc13)).toBe('TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256');
    expect(cipherSuiteName(0x0062)).toBe('TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA');
    for (const id of legacyCipherSuiteNames.keys()) expect(cipherSuites.has(id)).toBe(false);
  });

  it('keep their derived fields consistent with each other', () => {
    for (const s of cipherSuites.values()) {
      expect(s.aead).toBe(s.mac === 'AEAD');
      expect(s.tls13).toBe(s.keyExchange === 'TLS13');
      expect(s.tls13).toBe(s.authentication === 'TLS13');
      expect(s.scsv).toBe(s.name.endsWith('_SCSV'));
      expect(s.export).toBe(s.name.includes('_EXPORT_'));
      if (s.name.endsWith('_SHA384')) expect(s.prf).toBe('SHA384');
      if (!s.tls13 && !s.scsv && !s.name.startsWith('TLS_GOSTR') && !s.name.endsWith('_SHA384')) {
        expect(s.prf).toBe('SHA256'); // RFC 5246 §5: P_SHA256 unless the suite says otherwise
      }
    }
  });

  it('count the TLS 1.3 suites of RFC 8446, RFC 8998, RFC 9150, RFC 9367 and the Ascon/AEGIS drafts', () => {
    const tls13 = [...cipherSuites.values()].filter((s) => s.tls13).map((s) => s.id);
    expect(tls13).toEqual([
      0x006e, 0x006f, 0x0070, 0x0071, 0x00c6, 0x00c7, 0x1301, 0x1302, 0x1303, 0x1304, 0x1305, 0x1306,
      0x1307, 0xc0b4, 0xc0b5, 0xc103, 0xc104, 0xc105, 0xc106,
    ]);
  });
});

describe('parseCipherSuiteName', () => {
  it('reads an export suite with an MD5 MAC', () => {
    expect(parseCipherSuiteName('TLS_RSA_EXPORT_WITH_RC4_40_MD5')).toEqual({
      keyExchange: 'RSA',
      authentication: 'RSA',
      cipher: 'RC4_40',
      mac: 'MD5',
      prf: 'SHA256',
      aead: false,
      export: true,
      tls13: false,
      scsv: false,
    });
  });

  it('reads anonymous Diffie-Hellman', () => {
    expect(parseCipherSuiteName('TLS_DH_anon_WITH_AES_128_CBC_SHA')).toMatchObject({
      keyExchange: 'DH',
      authentication: 'anon',
      cipher: 'AES_128_CBC',
      mac: 'SHA',
      prf: 'SHA256',
      aead: false,
    });
  });

  it('reads a CCM suite whose name carries no hash (RFC 7251: SHA-256 PRF)', () => {
    expect(parseCipherSuiteName('TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8')).toMatchObject({
      keyExchange: 'ECDHE',
      authentication: 'ECDSA',
      cipher: 'AES_128_CCM_8',
      mac: 'AEAD',
      prf: 'SHA256',
      aead: true,
    });
  });

  it('reads ECDHE_PSK as one key exchange authenticated by the PSK', () => {
    expect(parseCipherSuiteName('TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256')).toMatchObject({
      keyExchange: 'ECDHE_PSK',
      authentication: 'PSK',
      cipher: 'CHACHA20_POLY1305',
      mac: 'AEAD',
      prf: 'SHA256',
      aead: true,
    });
  });

  it('reads a TLS 1.3 suite as AEAD plus hash only', () => {
    expect(parseCipherSuiteName('TLS_AES_128_GCM_SHA256')).toEqual({
      keyExchange: 'TLS13',
      authentication: 'TLS13',
      cipher: 'AES_128_GCM',
      mac: 'AEAD',
      prf: 'SHA256',
      aead: true,
      export: false,
      tls13: true,
      scsv: false,
    });
    expect(parseCipherSuiteName('TLS_AES_256_GCM_SHA384')).toMatchObject({ cipher: 'AES_256_GCM', prf: 'SHA384' });
    expect(parseCipherSuiteName('TLS_AES_128_CCM_8_SHA256')).toMatchObject({ cipher: 'AES_128_CCM_8' });
  });

  it('reads SRP with RSA signing', () => {
    expect(parseCipherSuiteName('TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA')).toMatchObject({
      keyExchange: 'SRP',
      authentication: 'RSA',
      cipher: 'AES_128_CBC',
      mac: 'SHA',
    });
    expect(parseCipherSuiteName('TLS_SRP_SHA_WITH_AES_128_CBC_SHA')).toMatchObject({
      keyExchange: 'SRP',
      authentication: 'SRP',
    });
  });

  it('reads a NULL-cipher PSK suite with an HMAC-SHA256 MAC', () => {
    expect(parseCipherSuiteName('TLS_PSK_WITH_NULL_SHA256')).toMatchObject({
      keyExchange: 'PSK',
      authentication: 'PSK',
      cipher: 'NULL',
      mac: 'SHA256',
      prf: 'SHA256',
      aead: false,
    });
  });

  it('reads the odd shapes: PSK_DHE, RSA_PSK, Kerberos export, SCSVs, integrity-only and GOST', () => {
    expect(parseCipherSuiteName('TLS_PSK_DHE_WITH_AES_128_CCM_8')).toMatchObject({ keyExchange: 'DHE_PSK' });
    expect(parseCipherSuiteName('TLS_RSA_PSK_WITH_AES_256_GCM_SHA384')).toMatchObject({
      keyExchange: 'RSA_PSK',
      authentication: 'RSA',
      prf: 'SHA384',
    });
    expect(parseCipherSuiteName('TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5')).toMatchObject({
      keyExchange: 'KRB5',
      cipher: 'RC2_CBC_40',
      export: true,
    });
    expect(parseCipherSuiteName('TLS_FALLBACK_SCSV')).toMatchObject({ keyExchange: 'SCSV', scsv: true });
    expect(parseCipherSuiteName('TLS_SHA256_SHA256')).toMatchObject({
      cipher: 'NULL',
      mac: 'SHA256',
      aead: false,
      tls13: true,
    });
    expect(parseCipherSuiteName('TLS_GOSTR341112_256_WITH_28147_CNT_IMIT')).toMatchObject({
      keyExchange: 'GOSTR341112',
      authentication: 'GOST',
      cipher: '28147_CNT',
      mac: 'IMIT',
      prf: 'GOSTR341112_256',
      tls13: false,
    });
    expect(parseCipherSuiteName('TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L')).toMatchObject({
      keyExchange: 'TLS13',
      aead: true,
      tls13: true,
    });
  });

  it('returns undefined for names it cannot read', () => {
    const unreadable = [
      '',
      'SSL_RSA_FIPS_WITH_DES_CBC_SHA',
      'TLS_FOO_WITH_AES_128_CBC_SHA',
      'TLS_DHE_WITH_AES_128_CBC_SHA',
      'TLS_AES_128_GCM',
      'TLS_RSA_WITH_AES_128_CBC',
    ];
    for (const name of unreadable) {
      expect(parseCipherSuiteName(name)).toBeUndefined();
    }
  });
});

describe('describeCipherSuite', () => {
  it('spells out a TLS 1.2 ECDHE suite', () => {
    expect(describeCipherSuite(0xc02f)).toBe('ECDHE key exchange, RSA authentication, AES-128 in GCM mode, SHA-256 hash');
  });

  it('calls plain RSA key transport what it is', () => {
    expect(describeCipherSuite(0x009c)).toBe('RSA key transport, RSA authentication, AES-128 in GCM mode, SHA-256 hash');
  });

  it('says a TLS 1.3 suite fixes only the AEAD and the hash', () => {
    expect(describeCipherSuite(0x1301)).toBe(
      'AES-128 in GCM mode with SHA-256 (TLS 1.3: key exchange and authentication negotiated separately)',
    );
    expect(describeCipherSuite(0x1303)).toBe(
      'ChaCha20-Poly1305 with SHA-256 (TLS 1.3: key exchange and authentication negotiated separately)',
    );
  });

  it('names the MAC of CBC suites and flags export grade', () => {
    expect(describeCipherSuite(0xc013)).toBe('ECDHE key exchange, RSA authentication, AES-128 in CBC mode, HMAC-SHA1 MAC');
    expect(describeCipherSuite(0x0003)).toBe(
      'RSA key transport, RSA authentication, RC4-40 stream cipher, HMAC-MD5 MAC (export grade, deliberately weakened)',
    );
    expect(describeCipherSuite(0xc030)).toBe('ECDHE key exchange, RSA authentication, AES-256 in GCM mode, SHA-384 hash');
    expect(describeCipherSuite(0xc0ae)).toBe(
      'ECDHE key exchange, ECDSA authentication, AES-128 in CCM mode (8-byte tag), SHA-256 hash',
    );
    expect(describeCipherSuite(0x0034)).toBe(
      'DH key exchange, no authentication (anonymous), AES-128 in CBC mode, HMAC-SHA1 MAC',
    );
  });

  it('explains signalling values, GREASE and unknown code points', () => {
    expect(describeCipherSuite(0x00ff)).toContain('secure renegotiation (RFC 5746)');
    expect(describeCipherSuite(0x5600)).toContain('(RFC 7507)');
    expect(describeCipherSuite(0x2a2a)).toContain('GREASE');
    expect(describeCipherSuite(0x1234)).toBe('unknown cipher suite (0x1234)');
  });

  it('has a phrase for every registered suite that uses no raw registry token', () => {
    for (const s of cipherSuites.values()) {
      const text = describeCipherSuite(s.id);
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toMatch(/_/);
    }
  });
});

describe('supported groups', () => {
  it('hold the IANA registry, sorted', () => {
    expect(namedGroups.size).toBeGreaterThanOrEqual(59);
    expect(keysAscending(namedGroups)).toBe(true);
  });

  it('use the IANA names', () => {
    const samples: Array<[number, string]> = [
      [0x0001, 'sect163k1'],
      [0x0016, 'secp256k1'],
      [0x0017, 'secp256r1'],
      [0x0018, 'secp384r1'],
      [0x0019, 'secp521r1'],
      [0x001a, 'brainpoolP256r1'],
      [0x001d, 'x25519'],
      [0x001e, 'x448'],
      [0x001f, 'brainpoolP256r1tls13'],
      [0x0029, 'curveSM2'],
      [0x0100, 'ffdhe2048'],
      [0x0104, 'ffdhe8192'],
      [0x0200, 'MLKEM512'],
      [0x0201, 'MLKEM768'],
      [0x0202, 'MLKEM1024'],
      [0x11eb, 'SecP256r1MLKEM768'],
      [0x11ec, 'X25519MLKEM768'],
      [0x11ed, 'SecP384r1MLKEM1024'],
      [0x6399, 'X25519Kyber768Draft00'],
      [0xff01, 'arbitrary_explicit_prime_curves'],
      [0xff02, 'arbitrary_explicit_char2_curves'],
    ];
    for (const [id, name] of samples) expect(namedGroupName(id)).toBe(name);
  });

  it('format GREASE and unknown groups', () => {
    expect(namedGroupName(0x3a3a)).toBe('Reserved (GREASE)');
    expect(namedGroupName(0x0105)).toBe('Unknown (0x0105)');
  });
});

describe('signature schemes', () => {
  it('hold the IANA registry plus the TLS 1.2 hash/signature pairs, sorted', () => {
    expect(signatureSchemes.size).toBeGreaterThanOrEqual(49 + 10);
    expect(keysAscending(signatureSchemes)).toBe(true);
  });

  it('use the RFC 8446 names', () => {
    const samples: Array<[number, string]> = [
      [0x0201, 'rsa_pkcs1_sha1'],
      [0x0203, 'ecdsa_sha1'],
      [0x0401, 'rsa_pkcs1_sha256'],
      [0x0403, 'ecdsa_secp256r1_sha256'],
      [0x0503, 'ecdsa_secp384r1_sha384'],
      [0x0603, 'ecdsa_secp521r1_sha512'],
      [0x0804, 'rsa_pss_rsae_sha256'],
      [0x0806, 'rsa_pss_rsae_sha512'],
      [0x0807, 'ed25519'],
      [0x0808, 'ed448'],
      [0x0809, 'rsa_pss_pss_sha256'],
      [0x080b, 'rsa_pss_pss_sha512'],
      [0x081a, 'ecdsa_brainpoolP256r1tls13_sha256'],
      [0x0708, 'sm2sig_sm3'],
      [0x0904, 'mldsa44'],
      [0x0905, 'mldsa65'],
      [0x0906, 'mldsa87'],
    ];
    for (const [id, name] of samples) expect(signatureSchemeName(id)).toBe(name);
  });

  it('name the remaining TLS 1.2 (hash, signature) pairs of RFC 5246 §7.4.1.4.1', () => {
    expect(signatureSchemeName(0x0301)).toBe('rsa_pkcs1_sha224');
    expect(signatureSchemeName(0x0302)).toBe('dsa_sha224');
    expect(signatureSchemeName(0x0303)).toBe('ecdsa_sha224');
    expect(signatureSchemeName(0x0202)).toBe('dsa_sha1');
    expect(signatureSchemeName(0x0402)).toBe('dsa_sha256');
    expect(signatureSchemeName(0x0602)).toBe('dsa_sha512');
    expect(signatureSchemeName(0x0101)).toBe('rsa_pkcs1_md5');
  });

  it('format GREASE and unknown schemes', () => {
    expect(signatureSchemeName(0x0a0a)).toBe('Reserved (GREASE)');
    expect(signatureSchemeName(0x080c)).toBe('Unknown (0x080c)');
  });
});

describe('alerts', () => {
  it('carry every IANA alert with its name', () => {
    const expected: Array<[number, string]> = [
      [0, 'close_notify'],
      [10, 'unexpected_message'],
      [20, 'bad_record_mac'],
      [21, 'decryption_failed'],
      [22, 'record_overflow'],
      [30, 'decompression_failure'],
      [40, 'handshake_failure'],
      [41, 'no_certificate'],
      [42, 'bad_certificate'],
      [43, 'unsupported_certificate'],
      [44, 'certificate_revoked'],
      [45, 'certificate_expired'],
      [46, 'certificate_unknown'],
      [47, 'illegal_parameter'],
      [48, 'unknown_ca'],
      [49, 'access_denied'],
      [50, 'decode_error'],
      [51, 'decrypt_error'],
      [52, 'too_many_cids_requested'],
      [60, 'export_restriction'],
      [70, 'protocol_version'],
      [71, 'insufficient_security'],
      [80, 'internal_error'],
      [86, 'inappropriate_fallback'],
      [90, 'user_canceled'],
      [100, 'no_renegotiation'],
      [109, 'missing_extension'],
      [110, 'unsupported_extension'],
      [111, 'certificate_unobtainable'],
      [112, 'unrecognized_name'],
      [113, 'bad_certificate_status_response'],
      [114, 'bad_certificate_hash_value'],
      [115, 'unknown_psk_identity'],
      [116, 'certificate_required'],
      [120, 'no_application_protocol'],
      [121, 'ech_required'],
    ];
    expect([...alertDescriptions].map(([id, a]) => [id, a.name])).toEqual(expected);
  });

  it('have Wireshark titles and a one-sentence meaning', () => {
    expect(alertDescriptionTitle(40)).toBe('Handshake Failure');
    expect(alertDescriptionTitle(20)).toBe('Bad Record MAC');
    expect(alertDescriptionTitle(48)).toBe('Unknown CA');
    expect(alertDescriptionTitle(115)).toBe('Unknown PSK Identity');
    expect(alertDescriptionTitle(121)).toBe('ECH Required');
    for (const a of alertDescriptions.values()) {
      expect(a.meaning).toMatch(/^[A-Z].*\.$/);
      expect(a.meaning.split('. ').length).toBe(1);
    }
    expect(alertDescriptions.get(0)?.meaning).toContain('not an error');
    expect(alertDescriptions.get(112)?.meaning).toContain('server_name');
  });

  it('name levels and descriptions, and format unknown ones', () => {
    expect(alertLevelName(1)).toBe('warning');
    expect(alertLevelName(2)).toBe('fatal');
    expect(alertLevelName(3)).toBe('Unknown (3)');
    expect(alertDescriptionName(40)).toBe('handshake_failure');
    expect(alertDescriptionName(1)).toBe('Unknown (1)');
    expect(alertDescriptionTitle(255)).toBe('Unknown (255)');
  });
});

describe('handshake types', () => {
  it('carry the IANA names and the titles Wireshark prints', () => {
    const expected: Array<[number, string, string]> = [
      [0, 'hello_request', 'Hello Request'],
      [1, 'client_hello', 'Client Hello'],
      [2, 'server_hello', 'Server Hello'],
      [3, 'hello_verify_request', 'Hello Verify Request'],
      [4, 'new_session_ticket', 'New Session Ticket'],
      [5, 'end_of_early_data', 'End of Early Data'],
      [6, 'hello_retry_request', 'Hello Retry Request'],
      [8, 'encrypted_extensions', 'Encrypted Extensions'],
      [9, 'request_connection_id', 'Request Connection ID'],
      [10, 'new_connection_id', 'New Connection ID'],
      [11, 'certificate', 'Certificate'],
      [12, 'server_key_exchange', 'Server Key Exchange'],
      [13, 'certificate_request', 'Certificate Request'],
      [14, 'server_hello_done', 'Server Hello Done'],
      [15, 'certificate_verify', 'Certificate Verify'],
      [16, 'client_key_exchange', 'Client Key Exchange'],
      [17, 'client_certificate_request', 'Client Certificate Request'],
      [20, 'finished', 'Finished'],
      [21, 'certificate_url', 'Client Certificate URL'],
      [22, 'certificate_status', 'Certificate Status'],
      [23, 'supplemental_data', 'Supplemental Data'],
      [24, 'key_update', 'Key Update'],
      [25, 'compressed_certificate', 'Compressed Certificate'],
      [26, 'ekt_key', 'EKT Key'],
      [254, 'message_hash', 'Message Hash'],
    ];
    expect([...handshakeTypes].map(([id, h]) => [id, h.name, h.title])).toEqual(expected);
    expect(handshakeTypeName(13)).toBe('certificate_request');
    expect(handshakeTypeTitle(14)).toBe('Server Hello Done');
    expect(handshakeTypeTitle(7)).toBe('Unknown (7)');
  });

  it('give the CamelCase message names the ladder labels use', () => {
    const expected: Array<[number, string]> = [
      [0, 'HelloRequest'],
      [1, 'ClientHello'],
      [2, 'ServerHello'],
      [4, 'NewSessionTicket'],
      [5, 'EndOfEarlyData'],
      [6, 'HelloRetryRequest'],
      [8, 'EncryptedExtensions'],
      [11, 'Certificate'],
      [12, 'ServerKeyExchange'],
      [13, 'CertificateRequest'],
      [14, 'ServerHelloDone'],
      [15, 'CertificateVerify'],
      [16, 'ClientKeyExchange'],
      [20, 'Finished'],
      [22, 'CertificateStatus'],
      [24, 'KeyUpdate'],
    ];
    for (const [type, name] of expected) expect(handshakeMessageName(type)).toBe(name);
    expect(handshakeMessageName(99)).toBe('Unknown(99)');
  });
});

describe('content types', () => {
  it('name the record types of RFC 8446, RFC 6520, RFC 9146 and RFC 9147', () => {
    expect(contentTypeName(20)).toBe('change_cipher_spec');
    expect(contentTypeTitle(20)).toBe('Change Cipher Spec');
    expect(contentTypeTitle(21)).toBe('Alert');
    expect(contentTypeTitle(22)).toBe('Handshake');
    expect(contentTypeName(23)).toBe('application_data');
    expect(contentTypeTitle(23)).toBe('Application Data');
    expect(contentTypeTitle(24)).toBe('Heartbeat');
    expect(contentTypeName(25)).toBe('tls12_cid');
    expect(contentTypeName(26)).toBe('ack');
    expect(contentTypeTitle(26)).toBe('ACK');
    expect(contentTypeName(19)).toBe('Unknown (19)');
    expect(contentTypeTitle(0x80)).toBe('Unknown (128)');
    expect(keysAscending(contentTypes)).toBe(true);
  });
});

describe('extensions', () => {
  it('hold the IANA registry, sorted', () => {
    // 61 IANA values from 0 to 62 (40 and 46 reserved) plus ech_outer_extensions,
    // encrypted_client_hello and renegotiation_info.
    const iana = [...extensionTypes.keys()].filter((id) => id <= 62 || id === 0xfd00 || id === 0xfe0d || id === 0xff01);
    expect(iana.length).toBeGreaterThanOrEqual(64);
    expect(keysAscending(extensionTypes)).toBe(true);
  });

  it('use the IANA names', () => {
    const samples: Array<[number, string]> = [
      [0, 'server_name'],
      [1, 'max_fragment_length'],
      [5, 'status_request'],
      [10, 'supported_groups'],
      [11, 'ec_point_formats'],
      [13, 'signature_algorithms'],
      [16, 'application_layer_protocol_negotiation'],
      [18, 'signed_certificate_timestamp'],
      [21, 'padding'],
      [22, 'encrypt_then_mac'],
      [23, 'extended_master_secret'],
      [27, 'compress_certificate'],
      [28, 'record_size_limit'],
      [34, 'delegated_credential'],
      [35, 'session_ticket'],
      [41, 'pre_shared_key'],
      [42, 'early_data'],
      [43, 'supported_versions'],
      [44, 'cookie'],
      [45, 'psk_key_exchange_modes'],
      [47, 'certificate_authorities'],
      [48, 'oid_filters'],
      [49, 'post_handshake_auth'],
      [50, 'signature_algorithms_cert'],
      [51, 'key_share'],
      [54, 'connection_id'],
      [57, 'quic_transport_parameters'],
      [58, 'ticket_request'],
      [59, 'dnssec_chain'],
      [62, 'tls_flags'],
      [13172, 'next_protocol_negotiation'],
      [17513, 'application_settings_old'],
      [17613, 'application_settings'],
      [30032, 'channel_id'],
      [0xfd00, 'ech_outer_extensions'],
      [0xfe0d, 'encrypted_client_hello'],
      [0xff01, 'renegotiation_info'],
    ];
    for (const [id, name] of samples) expect(extensionName(id)).toBe(name);
  });

  it('format GREASE and unknown extensions as Wireshark does', () => {
    expect(extensionName(0xdada)).toBe('Reserved (GREASE)');
    expect(extensionName(1234)).toBe('Unknown type 1234');
    expect(extensionName(63)).toBe('Unknown type 63');
  });
});

describe('protocol versions', () => {
  it('name SSL, TLS, DTLS and the TLS 1.3 drafts', () => {
    const samples: Array<[number, string]> = [
      [0x0002, 'SSL 2.0'],
      [0x0300, 'SSL 3.0'],
      [0x0301, 'TLS 1.0'],
      [0x0302, 'TLS 1.1'],
      [0x0303, 'TLS 1.2'],
      [0x0304, 'TLS 1.3'],
      [0xfeff, 'DTLS 1.0'],
      [0xfefd, 'DTLS 1.2'],
      [0xfefc, 'DTLS 1.3'],
      [0x0100, 'DTLS 1.0 (OpenSSL pre 0.9.8f)'],
      [0x7f0e, 'TLS 1.3 (draft 14)'],
      [0x7f17, 'TLS 1.3 (draft 23)'],
      [0x7f1c, 'TLS 1.3 (draft 28)'],
      [0xfb17, 'TLS 1.3 (Facebook draft 23)'],
    ];
    for (const [v, name] of samples) expect(tlsVersionName(v)).toBe(name);
    expect(keysAscending(tlsVersions)).toBe(true);
  });

  it('format GREASE and unknown versions', () => {
    expect(tlsVersionName(0x4a4a)).toBe('Reserved (GREASE)');
    expect(tlsVersionName(0x0305)).toBe('Unknown (0x0305)');
  });
});

describe('small registries', () => {
  it('name PSK modes, point formats, status types and key update requests', () => {
    expect([...pskKeyExchangeModes]).toEqual([[0, 'psk_ke'], [1, 'psk_dhe_ke']]);
    expect(pskKeyExchangeModeName(1)).toBe('psk_dhe_ke');
    expect([...ecPointFormats.values()]).toEqual(['uncompressed', 'ansiX962_compressed_prime', 'ansiX962_compressed_char2']);
    expect(ecPointFormatName(0)).toBe('uncompressed');
    expect([...certificateStatusTypes]).toEqual([[1, 'ocsp'], [2, 'ocsp_multi']]);
    expect(certificateStatusTypeName(1)).toBe('ocsp');
    expect([...keyUpdateRequest]).toEqual([[0, 'update_not_requested'], [1, 'update_requested']]);
    expect(keyUpdateRequestName(1)).toBe('update_requested');
  });

  it('name client certificate types and compression methods', () => {
    expect([...clientCertificateTypes]).toEqual([
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
    expect(clientCertificateTypeName(64)).toBe('ecdsa_sign');
    expect([...compressionMethods]).toEqual([[0, 'null'], [1, 'DEFLATE'], [64, 'LZS']]);
    expect(compressionMethodName(1)).toBe('DEFLATE');
  });

  it('format unknown values with the decimal number', () => {
    expect(pskKeyExchangeModeName(2)).toBe('Unknown (2)');
    expect(ecPointFormatName(3)).toBe('Unknown (3)');
    expect(certificateStatusTypeName(0)).toBe('Unknown (0)');
    expect(keyUpdateRequestName(2)).toBe('Unknown (2)');
    expect(clientCertificateTypeName(7)).toBe('Unknown (7)');
    expect(compressionMethodName(2)).toBe('Unknown (2)');
  });
});
