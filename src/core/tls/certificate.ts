// X.509 certificates through node:crypto's X509Certificate (no ASN.1 parser of our own), and the
// checks WireLadder explains: chain order, validity at capture time, SNI against the SANs.

import { X509Certificate, createHash } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { CertificateChecks, CertificateInfo, ChainLink, ValidityProblem } from './model';

/**
 * Node 20's X509Certificate has no signatureAlgorithm, so the algorithm is recognised by the DER
 * encoding of its OBJECT IDENTIFIER (tag, length, value) among the first bytes of the certificate,
 * where TBSCertificate.signature sits right after the serial number (RFC 5280 §4.1). Names as
 * `openssl x509 -text` prints them.
 */
const SIGNATURE_OIDS: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['md5WithRSAEncryption', [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04]],
  ['sha1WithRSAEncryption', [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05]],
  ['rsassaPss', [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a]],
  ['sha256WithRSAEncryption', [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]],
  ['sha384WithRSAEncryption', [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c]],
  ['sha512WithRSAEncryption', [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d]],
  ['sha224WithRSAEncryption', [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e]],
  ['ecdsa-with-SHA1', [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01]],
  ['ecdsa-with-SHA224', [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01]],
  ['ecdsa-with-SHA256', [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]],
  ['ecdsa-with-SHA384', [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03]],
  ['ecdsa-with-SHA512', [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04]],
  ['ED25519', [0x06, 0x03, 0x2b, 0x65, 0x70]],
  ['ED448', [0x06, 0x03, 0x2b, 0x65, 0x71]],
  ['dsaWithSHA1', [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03]],
  ['dsa_with_SHA256', [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x02]],
  ['SM2-with-SM3', [0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75]],
];

/** Certificate + TBSCertificate headers, [0] version, serial (≤ 20 octets + sign) fit in 64 bytes. */
const SIGNATURE_WINDOW = 64;

/** Wireshark's names for the attribute types it prints in certificate labels (x509sat). */
const RDN_NAMES: Readonly<Record<string, string>> = {
  C: 'id-at-countryName',
  ST: 'id-at-stateOrProvinceName',
  L: 'id-at-localityName',
  O: 'id-at-organizationName',
  OU: 'id-at-organizationalUnitName',
  CN: 'id-at-commonName',
  emailAddress: 'pkcs-9-at-emailAddress',
  serialNumber: 'id-at-serialNumber',
  street: 'id-at-streetAddress',
  postalCode: 'id-at-postalCode',
  businessCategory: 'id-at-businessCategory',
  title: 'id-at-title',
  GN: 'id-at-givenName',
  SN: 'id-at-surname',
  DC: 'dc',
};

/** Bits of the EC curves node reports by name. */
const CURVE_BITS: Readonly<Record<string, number>> = {
  prime192v1: 192,
  secp224r1: 224,
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
  SM2: 256,
};

const CACHE_LIMIT = 512;
/**
 * Same certificate, same result: servers send the same chain on every connection. Parsed
 * certificates are found by content (a hash of sampled bytes, then a full byte compare), so a
 * chain seen in thousands of conversations is copied, parsed and fingerprinted once and every
 * conversation shares its objects.
 */
const byContent = new Map<number, CertificateInfo[]>();
let byContentCount = 0;
const x509Cache = new Map<string, X509Certificate | null>();
/** X509Certificate and SNI results per certificate object (the objects are shared, see byContent). */
const x509Of_ = new WeakMap<CertificateInfo, X509Certificate | null>();
const hostChecks = new WeakMap<CertificateInfo, Map<string, string | null>>();
/** Small ids for chain cache keys (no fingerprint strings joined per conversation). */
const certIds = new WeakMap<CertificateInfo, number>();
let nextCertId = 1;

/** FNV-1a over the length, up to 64 evenly spread bytes and the last 16 (the signature). */
function contentHash(b: Uint8Array, off: number, len: number): number {
  let h = Math.imul(0x811c9dc5 ^ len, 0x01000193);
  const step = len > 64 ? Math.floor(len / 64) : 1;
  for (let i = 0; i < len; i += step) h = Math.imul(h ^ b[off + i]!, 0x01000193);
  for (let i = len > 16 ? len - 16 : 0; i < len; i++) h = Math.imul(h ^ b[off + i]!, 0x01000193);
  return h >>> 0;
}

function sameBytes(der: Uint8Array, b: Uint8Array, off: number, len: number): boolean {
  // A native memcmp (a JavaScript byte loop costs more than everything else a repeat sighting does).
  return der.length === len && Buffer.compare(der, b.subarray(off, off + len)) === 0;
}

function findSignatureAlgorithm(der: Uint8Array): string | null {
  const end = Math.min(der.length, SIGNATURE_WINDOW);
  let best: string | null = null;
  let bestAt = end;
  for (const [name, pattern] of SIGNATURE_OIDS) {
    const last = end - pattern.length;
    for (let i = 0; i <= last && i < bestAt; i++) {
      let j = 0;
      while (j < pattern.length && der[i + j] === pattern[j]) j++;
      if (j === pattern.length) {
        best = name;
        bestAt = i;
        break;
      }
    }
  }
  return best;
}

/** `C=US\nO=Example\nCN=x` (Node's order: most significant first) as its lines. */
function nameLines(name: string): string[] {
  return name === '' ? [] : name.split('\n');
}

function valueOf(lines: readonly string[], key: string): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.startsWith(`${key}=`)) return line.slice(key.length + 1);
  }
  return null;
}

function rdnText(lines: readonly string[]): string {
  const parts: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    parts.push(`${RDN_NAMES[key] ?? key}=${line.slice(eq + 1)}`);
  }
  return parts.join(',');
}

/** `AA:BB:…` from lowercase hex. */
function colonHex(hex: string): string {
  let out = '';
  for (let i = 0; i < hex.length; i += 2) {
    if (i > 0) out += ':';
    out += hex.slice(i, i + 2).toUpperCase();
  }
  return out;
}

function splitAltNames(text: string | null | undefined): string[] {
  if (text === undefined || text === null || text === '') return [];
  // OpenSSL separates entries with ", "; Node quotes entries that contain one. One linear pass
  // (certificates with thousands of SANs exist).
  const out: string[] = [];
  let quoted = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) quoted = !quoted;
    else if (ch === 0x2c && !quoted && text.charCodeAt(i + 1) === 0x20) {
      out.push(text.slice(from, i));
      from = i + 2;
      i++;
    }
  }
  out.push(text.slice(from));
  return out;
}

function emptyInfo(der: Uint8Array, sha256: string, error: string): CertificateInfo {
  return {
    der,
    parseError: error,
    subject: '',
    issuer: '',
    subjectCN: null,
    issuerCN: null,
    serialNumber: '',
    notBefore: '',
    notAfter: '',
    notBeforeMs: Number.NaN,
    notAfterMs: Number.NaN,
    subjectAltNames: [],
    dnsNames: [],
    keyType: null,
    keyBits: null,
    curve: null,
    signatureAlgorithm: null,
    sha256,
    isCA: false,
    selfSigned: false,
    rdnText: '',
  };
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

function describeCertificate(x: X509Certificate, der: Uint8Array, sha256: string): CertificateInfo {
  const subjectLines = nameLines(x.subject);
  const issuerLines = nameLines(x.issuer);
  let keyType: string | null = null;
  let keyBits: number | null = null;
  let curve: string | null = null;
  try {
    const key = x.publicKey;
    keyType = key.asymmetricKeyType ?? null;
    const details = key.asymmetricKeyDetails;
    if (details?.modulusLength !== undefined) keyBits = details.modulusLength;
    if (details?.namedCurve !== undefined) {
      curve = details.namedCurve;
      keyBits = CURVE_BITS[curve] ?? (Number.parseInt(curve.replace(/^\D+/, ''), 10) || null);
    }
    if (keyType === 'ed25519' || keyType === 'x25519') keyBits = 256;
    if (keyType === 'ed448') keyBits = 456;
    if (keyType === 'x448') keyBits = 448;
  } catch {
    // Key types OpenSSL cannot load (GOST, some PQ drafts) leave the key fields empty.
  }
  let selfSigned = false;
  if (x.subject === x.issuer) {
    try {
      selfSigned = x.verify(x.publicKey);
    } catch {
      selfSigned = false;
    }
  }
  const altNames = splitAltNames(x.subjectAltName);
  return {
    der,
    parseError: null,
    subject: [...subjectLines].reverse().join(', '),
    issuer: [...issuerLines].reverse().join(', '),
    subjectCN: valueOf(subjectLines, 'CN'),
    issuerCN: valueOf(issuerLines, 'CN'),
    serialNumber: x.serialNumber,
    notBefore: x.validFrom,
    notAfter: x.validTo,
    notBeforeMs: Date.parse(x.validFrom),
    notAfterMs: Date.parse(x.validTo),
    subjectAltNames: altNames,
    dnsNames: altNames.filter((a) => a.startsWith('DNS:')).map((a) => a.slice(4)),
    keyType,
    keyBits,
    curve,
    signatureAlgorithm: findSignatureAlgorithm(der),
    sha256,
    isCA: x.ca,
    selfSigned,
    rdnText: rdnText(subjectLines),
  };
}

/**
 * Reads one DER certificate (copied, so the caller's buffer may be reused). Never throws. The
 * same bytes give the same (shared, never mutated) object.
 */
export function parseCertificate(bytes: Uint8Array, off = 0, len = bytes.length - off): CertificateInfo {
  const key = contentHash(bytes, off, len);
  const bucket = byContent.get(key);
  if (bucket !== undefined) {
    for (let i = 0; i < bucket.length; i++) if (sameBytes(bucket[i]!.der, bytes, off, len)) return bucket[i]!;
  }
  // A copy of its own (Buffer#slice would be a view pinning the whole read chunk).
  const info = parseNew(new Uint8Array(bytes.subarray(off, off + len)));
  if (byContentCount >= CACHE_LIMIT) {
    byContent.clear();
    byContentCount = 0;
  }
  const list = byContent.get(key);
  if (list === undefined) byContent.set(key, [info]);
  else list.push(info);
  byContentCount++;
  return info;
}

function parseNew(der: Uint8Array): CertificateInfo {
  const digest = createHash('sha256').update(der).digest('hex');
  const sha256 = colonHex(digest);
  let x: X509Certificate;
  try {
    x = new X509Certificate(der);
  } catch (err) {
    remember(x509Cache, digest, null);
    return emptyInfo(der, sha256, `not a readable X.509 certificate: ${err instanceof Error ? err.message : String(err)}`);
  }
  let info: CertificateInfo;
  try {
    info = describeCertificate(x, der, sha256);
  } catch (err) {
    // OpenSSL parsed the outer structure but some extension is damaged.
    remember(x509Cache, digest, null);
    return emptyInfo(der, sha256, `damaged X.509 certificate: ${err instanceof Error ? err.message : String(err)}`);
  }
  remember(x509Cache, digest, x);
  return info;
}

function x509Of(info: CertificateInfo): X509Certificate | null {
  if (info.parseError !== null) return null;
  const known = x509Of_.get(info);
  if (known !== undefined) return known;
  const key = info.sha256.replace(/:/g, '').toLowerCase();
  let x = x509Cache.get(key);
  if (x === undefined) {
    try {
      x = new X509Certificate(info.der);
    } catch {
      x = null;
    }
    remember(x509Cache, key, x);
  }
  x509Of_.set(info, x);
  return x;
}

function certId(info: CertificateInfo): number {
  let id = certIds.get(info);
  if (id === undefined) {
    id = nextCertId++;
    certIds.set(info, id);
  }
  return id;
}

/** The leaf's SAN or CN matching `sni` (X509Certificate.checkHost), remembered per certificate. */
function matchHost(info: CertificateInfo, sni: string): string | null {
  let byName = hostChecks.get(info);
  if (byName === undefined) {
    byName = new Map();
    hostChecks.set(info, byName);
  }
  const known = byName.get(sni);
  if (known !== undefined) return known;
  const leaf = x509Of(info);
  let hit: string | undefined;
  try {
    hit = leaf?.checkHost(sni, { subject: 'default' });
  } catch {
    hit = undefined; // a name OpenSSL refuses to compare (embedded NUL…) matches nothing
  }
  if (byName.size >= CACHE_LIMIT) byName.clear();
  byName.set(sni, hit ?? null);
  return hit ?? null;
}

/** Node's bundled Mozilla CA store, by subject (loaded on first use: ~150 certificates). */
let bundledRoots: Map<string, X509Certificate[]> | null = null;

function rootsBySubject(): Map<string, X509Certificate[]> {
  if (bundledRoots === null) {
    bundledRoots = new Map();
    for (const pem of rootCertificates) {
      try {
        const x = new X509Certificate(pem);
        const list = bundledRoots.get(x.subject);
        if (list === undefined) bundledRoots.set(x.subject, [x]);
        else list.push(x);
      } catch {
        // A root this OpenSSL build cannot read is simply not an anchor.
      }
    }
  }
  return bundledRoots;
}

function issuedByBundledRoot(x: X509Certificate): boolean {
  const candidates = rootsBySubject().get(x.issuer);
  if (candidates === undefined) return false;
  for (const root of candidates) {
    try {
      if (x.verify(root.publicKey)) return true;
    } catch {
      // Unverifiable with this key: try the next root of that name.
    }
  }
  return false;
}

function infoAccessOf(x: X509Certificate): string {
  try {
    return x.infoAccess ?? '';
  } catch {
    return '';
  }
}

/** What a chain says about itself, independent of time and SNI (cached: servers repeat chains). */
interface ChainShape {
  links: ChainLink[];
  chainOrderOk: boolean;
  anchor: CertificateChecks['anchor'];
  missingIssuer: string | null;
  missingIntermediate: boolean;
}

const shapeCache = new Map<string, ChainShape>();

/** `3/7/12`: the chain by certificate object (objects are shared by content, see byContent). */
function chainKey(chain: readonly CertificateInfo[]): string {
  let key = '';
  for (let i = 0; i < chain.length; i++) key += i === 0 ? String(certId(chain[i]!)) : `/${certId(chain[i]!)}`;
  return key;
}

const sharedChains = new Map<string, CertificateInfo[]>();

/**
 * The one array for a chain of these certificate objects, so the sessions of a server's
 * thousands of connections share it (read-only: never mutate a session's certificate list).
 */
export function shareChain(chain: CertificateInfo[]): CertificateInfo[] {
  if (chain.length === 0) return chain;
  const key = chainKey(chain);
  const known = sharedChains.get(key);
  if (known !== undefined) return known;
  if (sharedChains.size >= CACHE_LIMIT) sharedChains.clear();
  sharedChains.set(key, chain);
  return chain;
}

/** Validity problem lists by content (most sessions of a server have the same one, often none). */
const sharedProblems = new Map<string, ValidityProblem[]>();

function shareProblems(problems: ValidityProblem[]): ValidityProblem[] {
  let key = '';
  for (const p of problems) key += `${p.index}${p.problem[0]}`;
  const known = sharedProblems.get(key);
  if (known !== undefined) return known;
  if (sharedProblems.size >= CACHE_LIMIT) sharedProblems.clear();
  Object.freeze(problems);
  for (const p of problems) Object.freeze(p);
  sharedProblems.set(key, problems);
  return problems;
}

function chainShape(chain: readonly CertificateInfo[]): ChainShape {
  const key = chainKey(chain);
  const cached = shapeCache.get(key);
  if (cached !== undefined) return cached;
  const links: ChainLink[] = [];
  for (let i = 0; i + 1 < chain.length; i++) {
    const cx = x509Of(chain[i]!);
    const px = x509Of(chain[i + 1]!);
    let signatureValid: boolean | null = null;
    if (cx !== null && px !== null) {
      try {
        signatureValid = cx.verify(px.publicKey);
      } catch {
        signatureValid = null;
      }
    }
    links.push({ child: i, parent: i + 1, issuerMatchesSubject: cx !== null && px !== null && cx.issuer === px.subject, signatureValid });
  }
  const chainOrderOk = links.every((l) => l.issuerMatchesSubject && l.signatureValid !== false);

  let anchor: CertificateChecks['anchor'] = null;
  let missingIssuer: string | null = null;
  let missingIntermediate = false;
  const last = chain[chain.length - 1];
  const lx = last === undefined ? null : x509Of(last);
  if (last !== undefined && lx !== null) {
    if (last.selfSigned) anchor = 'self-signed';
    else if (issuedByBundledRoot(lx)) anchor = 'bundled-root';
    else missingIssuer = last.issuer;
    // A leaf that names where its issuer can be fetched (RFC 5280 §4.2.2.1 caIssuers) belongs to
    // a PKI whose intermediates servers must send; arriving alone, one is missing.
    if (anchor === null && !last.isCA && infoAccessOf(lx).includes('CA Issuers')) missingIntermediate = true;
  }
  // Some issuer in the middle of the chain is absent altogether.
  const subjects = new Set(chain.map((c) => c.subject));
  for (const l of links) {
    if (!l.issuerMatchesSubject && !subjects.has(chain[l.child]!.issuer)) missingIntermediate = true;
  }
  const shape: ChainShape = { links, chainOrderOk, anchor, missingIssuer, missingIntermediate };
  remember(shapeCache, key, shape);
  return shape;
}

/**
 * Checks a chain as sent (leaf first): each certificate issued by the next, where it is anchored,
 * validity at `atSeconds` (the capture time of the ClientHello), and — for a server chain — the
 * SNI against the leaf (X509Certificate.checkHost: dNSName SANs, the subject CN only when there
 * are none).
 */
export function checkChain(chain: readonly CertificateInfo[], sni: string | null, atSeconds: number): CertificateChecks {
  const shape = chainShape(chain);
  const atMs = atSeconds * 1000;
  const problems: ValidityProblem[] = [];
  chain.forEach((c, index) => {
    if (Number.isNaN(c.notBeforeMs) || Number.isNaN(c.notAfterMs)) problems.push({ index, problem: 'unreadable' });
    else if (atMs < c.notBeforeMs) problems.push({ index, problem: 'not-yet-valid' });
    else if (atMs > c.notAfterMs) problems.push({ index, problem: 'expired' });
  });

  let sniMatches: boolean | null = null;
  let matchedName: string | null = null;
  if (sni !== null && chain.length > 0) {
    matchedName = matchHost(chain[0]!, sni);
    sniMatches = matchedName !== null;
  }

  return {
    checkedAt: atSeconds,
    links: shape.links,
    chainOrderOk: shape.chainOrderOk,
    anchor: shape.anchor,
    missingIssuer: shape.missingIssuer,
    missingIntermediate: shape.missingIntermediate,
    validAtCaptureTime: problems.length === 0 && Number.isFinite(atSeconds),
    // Shared between sessions with the same outcome (read-only).
    problems: shareProblems(problems),
    sniMatches,
    matchedName,
  };
}
