import { constants, createCipheriv, createHash, createHmac, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AeadProtection } from '../../../../src/core/tls/decrypt/aead';
import { CbcHmacProtection } from '../../../../src/core/tls/decrypt/cbc-hmac';
import { handshakeHash, prf } from '../../../../src/core/tls/decrypt/prf';
import { BAD_RECORD_MAC, macHeader } from '../../../../src/core/tls/decrypt/record-protection';
import { deriveSecret, hkdfExpandLabel, hkdfExtract, nextTrafficSecret, trafficKeys } from '../../../../src/core/tls/decrypt/tls13-key-schedule';
import { decryptPreMaster, loadRsaKey, parseBinding } from '../../../../src/core/tls/keys/rsa-key';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('TLS 1.3 key schedule (RFC 8448 §3, simple 1-RTT handshake)', () => {
  const zeros = Buffer.alloc(32);
  it('extracts the early secret from zeros and derives the salt for the handshake secret', () => {
    const early = hkdfExtract('sha256', zeros, zeros);
    expect(early.toString('hex')).toBe('33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a');
    const derived = deriveSecret('sha256', early, 'derived', createHash('sha256').digest());
    expect(derived.toString('hex')).toBe('6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba');
    // IKM: the x25519 shared secret of the trace.
    const handshake = hkdfExtract('sha256', derived, hex('8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d'));
    expect(handshake.toString('hex')).toBe('1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac');
  });

  it('derives the handshake write keys and IVs of both sides from their traffic secrets', () => {
    const server = trafficKeys('sha256', hex('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38'), 16, 12);
    expect(server.key.toString('hex')).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(server.iv.toString('hex')).toBe('5d313eb2671276ee13000b30');
    const client = trafficKeys('sha256', hex('b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21'), 16, 12);
    expect(client.key.toString('hex')).toBe('dbfaa693d1762c5b666af5d950258d01');
    expect(client.iv.toString('hex')).toBe('5bd3c71b836e0b76bb73265f');
  });

  it("derives the server's finished key", () => {
    const key = hkdfExpandLabel('sha256', hex('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38'), 'finished', new Uint8Array(0), 32);
    expect(key.toString('hex')).toBe('008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8');
  });

  it('derives the next generation after a KeyUpdate with the "traffic upd" label (RFC 8446 §7.2)', () => {
    const secret = randomBytes(32);
    expect(nextTrafficSecret('sha256', secret).equals(hkdfExpandLabel('sha256', secret, 'traffic upd', new Uint8Array(0), 32))).toBe(true);
    expect(nextTrafficSecret('sha384', randomBytes(48))).toHaveLength(48);
  });
});

describe('TLS 1.2 PRF (the P_SHA256 and P_SHA384 test vectors)', () => {
  it('P_SHA256: 100 bytes of "test label"', () => {
    const out = prf(0x0303, 'sha256', hex('9bbe436ba940f017b17652849a71db35'), 'test label', hex('a0ba9f936cda311827a6f796ffd5198c'), 100);
    expect(out.toString('hex')).toBe(
      'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66',
    );
  });

  it('P_SHA384: 148 bytes of "test label"', () => {
    const out = prf(0x0303, 'sha384', hex('b80b733d6ceefcdc71566ea48e5567df'), 'test label', hex('cd665cf6a8447dd6ff8b27555edb7465'), 148);
    expect(out.toString('hex')).toBe(
      '7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d9184259b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e0990703d73e56f',
    );
  });

  it('TLS 1.0/1.1: P_MD5 over the first half of the secret XOR P_SHA1 over the second (RFC 2246 §5)', () => {
    const secret = randomBytes(48);
    const seed = randomBytes(64);
    const pHash = (hash: string, s: Uint8Array, n: number): Buffer => {
      const ls = Buffer.concat([Buffer.from('key expansion'), seed]);
      const out: Buffer[] = [];
      let a: Buffer = createHmac(hash, s).update(ls).digest();
      while (Buffer.concat(out).length < n) {
        out.push(createHmac(hash, s).update(a).update(ls).digest());
        a = createHmac(hash, s).update(a).digest();
      }
      return Buffer.concat(out).subarray(0, n);
    };
    const md5 = pHash('md5', secret.subarray(0, 24), 104);
    const sha1 = pHash('sha1', secret.subarray(24), 104);
    const expected = Buffer.from(md5.map((v, i) => v ^ sha1[i]!));
    expect(prf(0x0301, 'sha256', secret, 'key expansion', seed, 104).equals(expected)).toBe(true);
  });

  it('hashes the handshake with MD5 ‖ SHA-1 before TLS 1.2 and with the PRF hash in TLS 1.2', () => {
    const msgs = [randomBytes(40), randomBytes(7)];
    expect(handshakeHash(0x0302, 'sha256', msgs)).toHaveLength(36);
    expect(handshakeHash(0x0303, 'sha384', msgs).equals(createHash('sha384').update(msgs[0]!).update(msgs[1]!).digest())).toBe(true);
  });
});

describe('record protection', () => {
  it('opens a TLS 1.3 AES-GCM record: nonce from the sequence number, inner type after the padding', () => {
    const key = randomBytes(16);
    const iv = randomBytes(12);
    const seq = 5;
    const inner = Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n\r\n'), Uint8Array.of(23, 0, 0, 0)]);
    const len = inner.length + 16;
    const header = Uint8Array.of(23, 3, 3, len >> 8, len & 0xff);
    const nonce = Buffer.from(iv);
    nonce[11]! ^= seq;
    const c = createCipheriv('aes-128-gcm', key, nonce);
    c.setAAD(header);
    const body = Buffer.concat([c.update(inner), c.final(), c.getAuthTag()]);
    const p = new AeadProtection('aes-128-gcm', key, iv, 16, true);
    const r = p.open(23, 0x0303, body, 0, body.length, seq);
    expect(r).toEqual({ ok: true, data: Buffer.from('GET / HTTP/1.1\r\n\r\n'), type: 23 });
    // The same bytes as another record number (or with a flipped bit) fail their tag.
    expect(p.open(23, 0x0303, body, 0, body.length, seq + 1)).toEqual({ ok: false, reason: BAD_RECORD_MAC });
    body[3]! ^= 1;
    expect(p.open(23, 0x0303, body, 0, body.length, seq)).toEqual({ ok: false, reason: BAD_RECORD_MAC });
  });

  it('opens a TLS 1.2 CHACHA20-POLY1305 record (RFC 7905: no explicit nonce)', () => {
    const key = randomBytes(32);
    const iv = randomBytes(12);
    const plain = Buffer.from('hello');
    const nonce = Buffer.from(iv);
    nonce[11]! ^= 1;
    const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    c.setAAD(macHeader(1, 23, 0x0303, plain.length), { plaintextLength: plain.length });
    const body = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
    const r = new AeadProtection('chacha20-poly1305', key, iv, 16, false).open(23, 0x0303, body, 0, body.length, 1);
    expect(r).toEqual({ ok: true, data: plain, type: 23 });
  });

  it('opens a TLS 1.2 AES-CCM_8 record with its explicit nonce (RFC 6655)', () => {
    const key = randomBytes(16);
    const salt = randomBytes(4);
    const explicit = randomBytes(8);
    const plain = Buffer.from('ccm eight');
    const c = createCipheriv('aes-128-ccm', key, Buffer.concat([salt, explicit]), { authTagLength: 8 });
    c.setAAD(macHeader(0, 23, 0x0303, plain.length), { plaintextLength: plain.length });
    const body = Buffer.concat([explicit, c.update(plain), c.final(), c.getAuthTag()]);
    expect(new AeadProtection('aes-128-ccm', key, salt, 8, false).open(23, 0x0303, body, 0, body.length, 0)).toEqual({ ok: true, data: plain, type: 23 });
  });

  /** MAC-then-encrypt or encrypt-then-MAC CBC record of TLS 1.1+ (explicit IV). */
  function cbcRecord(key: Buffer, macKey: Buffer, plain: Buffer, seq: number, etm: boolean, iv = randomBytes(16)): Buffer {
    if (etm) {
      const padLen = 15 - (plain.length % 16);
      const c = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
      const ct = Buffer.concat([iv, c.update(Buffer.concat([plain, Buffer.alloc(padLen + 1, padLen)])), c.final()]);
      const mac = createHmac('sha1', macKey).update(macHeader(seq, 23, 0x0303, ct.length)).update(ct).digest();
      return Buffer.concat([ct, mac]);
    }
    const mac = createHmac('sha1', macKey).update(macHeader(seq, 23, 0x0303, plain.length)).update(plain).digest();
    const inner = Buffer.concat([plain, mac]);
    const padLen = 15 - (inner.length % 16);
    const c = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
    return Buffer.concat([iv, c.update(Buffer.concat([inner, Buffer.alloc(padLen + 1, padLen)])), c.final()]);
  }

  it('opens CBC + HMAC-SHA1 records, MAC-then-encrypt and encrypt-then-MAC (RFC 7366)', () => {
    const key = randomBytes(16);
    const macKey = randomBytes(20);
    const plain = Buffer.from('GET /cbc HTTP/1.1\r\n\r\n');
    for (const etm of [false, true]) {
      const rec = cbcRecord(key, macKey, plain, 3, etm);
      const p = new CbcHmacProtection('aes-128-cbc', key, Buffer.alloc(16), 16, 'sha1', macKey, 20, 0x0303, etm);
      expect(p.open(23, 0x0303, rec, 0, rec.length, 3)).toEqual({ ok: true, data: plain, type: 23 });
      expect(p.open(23, 0x0303, rec, 0, rec.length, 4)).toEqual({ ok: false, reason: BAD_RECORD_MAC });
    }
  });

  it("TLS 1.0 chains each record's IV from the previous record's last ciphertext block", () => {
    const key = randomBytes(16);
    const macKey = randomBytes(20);
    const iv0 = randomBytes(16);
    const seal = (plain: Buffer, seq: number, iv: Buffer): Buffer => {
      const mac = createHmac('sha1', macKey).update(macHeader(seq, 23, 0x0301, plain.length)).update(plain).digest();
      const inner = Buffer.concat([plain, mac]);
      const padLen = 15 - (inner.length % 16);
      const c = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
      return Buffer.concat([c.update(Buffer.concat([inner, Buffer.alloc(padLen + 1, padLen)])), c.final()]);
    };
    const r0 = seal(Buffer.from('first record'), 0, iv0);
    const r1 = seal(Buffer.from('second record'), 1, r0.subarray(r0.length - 16));
    const p = new CbcHmacProtection('aes-128-cbc', key, iv0, 16, 'sha1', macKey, 20, 0x0301, false);
    expect(p.open(23, 0x0301, r0, 0, r0.length, 0)).toMatchObject({ ok: true, data: Buffer.from('first record') });
    expect(p.open(23, 0x0301, r1, 0, r1.length, 1)).toMatchObject({ ok: true, data: Buffer.from('second record') });
  });
});

describe('RSA key exchange', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

  it('recovers the pre-master secret with RSA_NO_PADDING and a PKCS#1 v1.5 check, from PKCS#1 and PKCS#8 PEM', () => {
    const pms = Buffer.concat([Uint8Array.of(3, 3), randomBytes(46)]);
    const encrypted = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, pms);
    for (const pem of [pkcs1, pkcs8]) expect(Buffer.from(decryptPreMaster(loadRsaKey(pem), encrypted)!).equals(pms)).toBe(true);
  });

  it('a key that does not belong to the server recovers nothing', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const encrypted = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, randomBytes(48));
    expect(decryptPreMaster(loadRsaKey(other), encrypted)).toBeNull();
  });

  it('says why a file is not a usable key', () => {
    expect(() => loadRsaKey('not a key')).toThrow(/not a PEM private key/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(() => loadRsaKey(ec)).toThrow(/ec key cannot decrypt an RSA key exchange/);
  });

  it("reads tshark's address:port bindings", () => {
    expect(parseBinding('127.0.0.1:8441')).toEqual({ address: '127.0.0.1', port: 8441 });
    expect(parseBinding('[::1]:443')).toEqual({ address: '::1', port: 443 });
    expect(parseBinding('any')).toEqual({ address: '', port: 0 });
    expect(parseBinding('host:99999')).toBeNull();
  });
});
