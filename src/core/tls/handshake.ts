// Handshake messages: reassembly across records (RFC 8446 §5.1, RFC 5246 §6.2.1 allow a message to
// span records) and one parser per message type, shared by the model and the tree path.

import type { Direction } from '../flow/app-parser';
import { Cursor, type Emit, bytesLabel, namedDec, namedHex } from './cursor';
import { ExtType, groupLabel, parseExtensions, readSigAlgs, sigAlgLabel, versionLabel, emitSigAlg } from './extensions';
import { tlsFields as F } from './fields';
import { parseCertificate } from './certificate';
import type {
  CertificateInfo,
  CertificateMessage,
  CertificateRequest,
  CertificateStatus,
  CertificateVerify,
  ClientHello,
  ClientKeyExchange,
  EncryptedExtensions,
  Finished,
  KeyShareEntry,
  KeyUpdate,
  NewSessionTicket,
  ServerHello,
  ServerKeyExchange,
  ServerKeyExchangeKind,
  SimpleMessage,
  Sslv2ClientMasterKey,
  Sslv2ServerHello,
  TlsExtension,
  TlsHandshakeMessage,
} from './model';
import {
  cipherSuiteName,
  compressionMethodName,
  clientCertificateTypeName,
  handshakeTypeTitle,
  isGrease,
  keyUpdateRequestName,
  type KeyExchange,
} from './tables';

export const HandshakeType = {
  HelloRequest: 0,
  ClientHello: 1,
  ServerHello: 2,
  NewSessionTicket: 4,
  EndOfEarlyData: 5,
  EncryptedExtensions: 8,
  Certificate: 11,
  ServerKeyExchange: 12,
  CertificateRequest: 13,
  ServerHelloDone: 14,
  CertificateVerify: 15,
  ClientKeyExchange: 16,
  Finished: 20,
  CertificateStatus: 22,
  KeyUpdate: 24,
} as const;

/** RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest (SHA-256 of the name). */
export const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

/** HRR_RANDOM as bytes (compared in place: no hex string per ServerHello). */
const HRR_RANDOM_BYTES: readonly number[] = Array.from({ length: 32 }, (_, i) => Number.parseInt(HRR_RANDOM.slice(i * 2, i * 2 + 2), 16));

/** Whether the 32 bytes at `b[at]` are the HelloRetryRequest random. */
function isHrrRandom(b: Uint8Array, at: number): boolean {
  for (let i = 0; i < 32; i++) if (b[at + i] !== HRR_RANDOM_BYTES[i]) return false;
  return true;
}

/** RFC 8446 §4.1.3 downgrade sentinels ("DOWNGRD" + 01 / 00) in the last 8 bytes of the random. */
const DOWNGRADE_PREFIX = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What message parsing needs to know about the connection so far. */
export interface HandshakeContext {
  /** Negotiated version (null until a ServerHello). */
  version: number | null;
  /** Key exchange of the negotiated cipher suite (null until known). */
  suiteKx: KeyExchange | null;
  /** The suite authenticates the server with a signature (not anon, not PSK-only). */
  suiteSigned: boolean;
  /**
   * Only the session summary is kept (StreamHost.summaryOnly): messages are built for the session
   * logic and dropped, so without a tree they leave out what it never reads: the random (''), the
   * session id as hex (hello session ids are their bytes as Latin-1 text, compared only), a
   * ClientHello's cipher suite list (its GREASE is still noted), and the extensions the session
   * does not use (listed only when GREASE, with an opaque value), so key shares, signature
   * algorithms and PSK modes stay empty. What the summary uses is parsed by the same code.
   */
  summaryOnly?: boolean;
}

export interface MessageMeta {
  dir: Direction;
  row: number;
  streamOffset: number;
}

// ---------------------------------------------------------------------------------------------
// Reassembly
// ---------------------------------------------------------------------------------------------

const EMPTY = new Uint8Array(0);
/** Bytes of reassembly buffer a direction keeps between messages (larger ones are dropped). */
const RETAINED_BUFFER = 1024;

/** Collects one handshake message that spans records (per direction). */
export class HandshakeAssembler {
  buf: Uint8Array = EMPTY;
  have = 0;
  /** Total message size with its 4-byte header; -1 until the header is complete. */
  need = -1;
  /** Stream offset of the message header. */
  streamOffset = -1;

  active(): boolean {
    return this.have > 0;
  }

  /** Message type of the pending message. */
  type(): number {
    return this.have > 0 ? this.buf[0]! : -1;
  }

  start(streamOffset: number): void {
    this.have = 0;
    this.need = -1;
    this.streamOffset = streamOffset;
  }

  /** Appends what the pending message still needs from b[off, off + len); returns bytes taken. */
  append(b: Uint8Array, off: number, len: number): number {
    let taken = 0;
    while (this.need < 0 && taken < len) {
      this.grow(this.have + 1);
      this.buf[this.have++] = b[off + taken++]!;
      if (this.have === 4) this.need = 4 + ((this.buf[1]! << 16) | (this.buf[2]! << 8) | this.buf[3]!);
    }
    if (this.need >= 0) {
      const take = Math.min(this.need - this.have, len - taken);
      if (take > 0) {
        this.grow(this.have + take);
        this.buf.set(b.subarray(off + taken, off + taken + take), this.have);
        this.have += take;
        taken += take;
      }
    }
    return taken;
  }

  complete(): boolean {
    return this.need >= 0 && this.have === this.need;
  }

  reset(): void {
    this.have = 0;
    this.need = -1;
    this.streamOffset = -1;
    // A message spanning records is rare after the handshake: a large buffer is not kept for it.
    if (this.buf.length > RETAINED_BUFFER) this.buf = EMPTY;
  }

  /** Drops the buffer (the direction ended). */
  release(): void {
    this.reset();
    this.buf = EMPTY;
  }

  /** Grows by doubling, never beyond what is present (a claimed length is not an allocation). */
  private grow(size: number): void {
    if (size <= this.buf.length) return;
    const next = new Uint8Array(Math.max(size, this.buf.length * 2, 256));
    next.set(this.buf.subarray(0, this.have));
    this.buf = next;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** tshark's absolute time text: `Jul 25, 2043 00:09:57.000000000 UTC`. */
export function absTimeText(seconds: number): string {
  const d = new Date(seconds * 1000);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${MONTHS[d.getUTCMonth()]} ${day}, ${d.getUTCFullYear()} ${twoDigits(d.getUTCHours())}:${twoDigits(d.getUTCMinutes())}:${twoDigits(d.getUTCSeconds())}.000000000 UTC`;
}

/** Wireshark's cipher suite label: `TLS_AES_128_GCM_SHA256 (0x1301)`, `Reserved (GREASE) (0x0a0a)`. */
export function suiteLabel(id: number): string {
  if (isGrease(id)) return namedHex('Reserved (GREASE)', id, 4);
  const name = cipherSuiteName(id);
  return name.startsWith('Unknown') ? name : namedHex(name, id, 4);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function emitRandom(c: Cursor, at: number, e: Emit): void {
  e.open(F.random, c.hex(at, 32), at, 32);
  const time = ((c.b[at]! << 24) | (c.b[at + 1]! << 16) | (c.b[at + 2]! << 8) | c.b[at + 3]!) >>> 0;
  const text = absTimeText(time);
  e.add(F.randomTime, text, at, 4, text);
  e.add(F.randomBytes, c.hex(at + 4, 28), at + 4, 28);
  e.close();
}

/**
 * The session id as hex; `raw` (a lean parse, no tree): as Latin-1 text of its bytes instead,
 * which the session logic only compares for emptiness and equality (cheaper to make).
 */
function readSessionId(c: Cursor, e: Emit | null, raw = false): string {
  const at = c.pos;
  const n = c.u8('session id length');
  const idAt = c.skip(n, 'session id');
  if (c.error !== null) return '';
  if (raw && e === null) return n === 0 ? '' : c.ascii(idAt, n);
  const id = c.hex(idAt, n);
  if (e !== null) {
    e.add(F.sessionIdLength, n, at, 1);
    if (n > 0) e.add(F.sessionId, id, idAt, n);
  }
  return id;
}

function findExt(exts: readonly TlsExtension[], type: number): TlsExtension | undefined {
  for (const x of exts) if (x.type === type) return x;
  return undefined;
}

const CERT_TYPE_TITLES: Readonly<Record<number, string>> = {
  1: 'RSA Sign',
  2: 'DSS Sign',
  3: 'RSA Fixed DH',
  4: 'DSS Fixed DH',
  5: 'RSA Ephemeral DH',
  6: 'DSS Ephemeral DH',
  20: 'Fortezza DMS',
  64: 'ECDSA Sign',
  65: 'RSA Fixed ECDH',
  66: 'ECDSA Fixed ECDH',
};

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

function clientHello(c: Cursor, e: Emit | null, base: Base, lean: boolean): ClientHello {
  const vAt = c.pos;
  const legacyVersion = c.u16('client version');
  if (e !== null && c.error === null) e.add(F.hsVersion, legacyVersion, vAt, 2, versionLabel(legacyVersion));
  const rAt = c.skip(32, 'random');
  const random = c.error === null && !lean ? c.hex(rAt, 32) : '';
  if (e !== null && c.error === null) emitRandom(c, rAt, e);
  const sessionId = readSessionId(c, e, lean);
  const csAt = c.pos;
  const csLen = c.u16('cipher suites length');
  const cipherSuites: number[] = [];
  let greaseSuite = false;
  if (lean && c.need(csLen, 'cipher suites')) {
    // The list itself is not kept: only whether it has GREASE.
    const end = c.pos + csLen;
    for (let at = c.pos; at + 2 <= end; at += 2) if (isGrease((c.b[at]! << 8) | c.b[at + 1]!)) greaseSuite = true;
    c.pos = end;
  } else if (c.need(csLen, 'cipher suites')) {
    if (e !== null) {
      e.add(F.cipherSuitesLength, csLen, csAt, 2);
      e.openLabel(F.cipherSuites, `Cipher Suites (${plural(csLen >> 1, 'suite', 'suites')})`, c.pos, csLen);
    }
    const end = c.pos + csLen;
    while (c.pos + 2 <= end) {
      const at = c.pos;
      const s = c.u16('cipher suite');
      cipherSuites.push(s);
      if (e !== null) e.add(F.cipherSuite, s, at, 2, suiteLabel(s));
    }
    c.pos = end;
    if (e !== null) e.close();
  }
  const cmAt = c.pos;
  const cmLen = c.u8('compression methods length');
  const compressionMethods: number[] = [];
  if (c.need(cmLen, 'compression methods')) {
    if (e !== null) {
      e.add(F.compMethodsLength, cmLen, cmAt, 1);
      e.openLabel(F.compMethods, `Compression Methods (${plural(cmLen, 'method', 'methods')})`, c.pos, cmLen);
    }
    for (let i = 0; i < cmLen; i++) {
      const at = c.pos;
      const m = c.u8('compression method');
      compressionMethods.push(m);
      if (e !== null) e.add(F.compMethod, m, at, 1, namedDec(compressionMethodName(m), m));
    }
    if (e !== null) e.close();
  }
  // SSL 3.0 and early TLS clients may end the hello here (RFC 5246 §7.4.1.2).
  const extensions = c.left() > 0 && c.error === null ? parseExtensions(c, e, 'client_hello', lean) : [];
  const m: ClientHello = {
    dir: base.dir,
    type: base.type,
    title: base.title,
    length: base.length,
    row: base.row,
    streamOffset: base.streamOffset,
    malformed: base.malformed,
    kind: 'client_hello',
    legacyVersion,
    versions: [legacyVersion],
    random,
    sessionId,
    cipherSuites,
    compressionMethods,
    extensions,
    sni: null,
    alpn: [],
    groups: [],
    keyShares: [],
    sigAlgs: [],
    pskOffered: false,
    pskModes: [],
    earlyData: false,
    sessionTicket: null,
    ech: false,
    grease: greaseSuite || cipherSuites.some(isGrease),
    sslv2: false,
    cipherSpecs: [],
  };
  for (const x of extensions) {
    const v = x.value;
    if (x.grease) m.grease = true;
    switch (v.kind) {
      case 'server_name':
        if (v.names.length > 0) m.sni = v.names[0]!;
        break;
      case 'supported_versions':
        m.versions = v.versions;
        if (v.versions.some(isGrease)) m.grease = true;
        break;
      case 'alpn':
        m.alpn = v.protocols;
        break;
      case 'supported_groups':
        m.groups = v.groups;
        if (v.groups.some(isGrease)) m.grease = true;
        break;
      case 'key_share':
        m.keyShares = v.shares;
        break;
      case 'signature_algorithms':
        if (x.type === ExtType.SignatureAlgorithms) m.sigAlgs = v.schemes;
        break;
      case 'pre_shared_key':
        m.pskOffered = true;
        break;
      case 'psk_key_exchange_modes':
        m.pskModes = v.modes;
        break;
      case 'early_data':
        m.earlyData = true;
        break;
      case 'session_ticket':
        m.sessionTicket = v.length;
        break;
      case 'encrypted_client_hello':
        m.ech = true;
        break;
      default:
        break;
    }
  }
  return m;
}

function serverHello(c: Cursor, e: Emit | null, base: Base, lean: boolean): ServerHello {
  const vAt = c.pos;
  const legacyVersion = c.u16('server version');
  if (e !== null && c.error === null) e.add(F.hsVersion, legacyVersion, vAt, 2, versionLabel(legacyVersion));
  const rAt = c.skip(32, 'random');
  const random = c.error === null && !lean ? c.hex(rAt, 32) : '';
  const isHrr = c.error === null && isHrrRandom(c.b, rAt);
  if (e !== null && c.error === null) {
    if (isHrr) e.add(F.random, random, rAt, 32, `${random} (HelloRetryRequest magic)`);
    else emitRandom(c, rAt, e);
  }
  let downgradeSentinel: ServerHello['downgradeSentinel'] = null;
  if (c.error === null && DOWNGRADE_PREFIX.every((v, i) => c.b[rAt + 24 + i] === v)) {
    const last = c.b[rAt + 31];
    if (last === 1) downgradeSentinel = 'tls12';
    else if (last === 0) downgradeSentinel = 'tls11';
  }
  const sessionId = readSessionId(c, e, lean);
  const csAt = c.pos;
  const cipherSuite = c.u16('cipher suite');
  if (e !== null && c.error === null) e.add(F.cipherSuite, cipherSuite, csAt, 2, suiteLabel(cipherSuite));
  const cmAt = c.pos;
  const compressionMethod = c.u8('compression method');
  if (e !== null && c.error === null) e.add(F.compMethod, compressionMethod, cmAt, 1, namedDec(compressionMethodName(compressionMethod), compressionMethod));
  const extensions = c.left() > 0 && c.error === null ? parseExtensions(c, e, isHrr ? 'hello_retry_request' : 'server_hello', lean) : [];
  const m: ServerHello = {
    dir: base.dir,
    type: base.type,
    title: isHrr ? 'Hello Retry Request' : base.title,
    length: base.length,
    row: base.row,
    streamOffset: base.streamOffset,
    malformed: base.malformed,
    kind: 'server_hello',
    legacyVersion,
    version: legacyVersion,
    negotiatedViaSupportedVersions: false,
    random,
    sessionId,
    cipherSuite,
    compressionMethod,
    extensions,
    isHelloRetryRequest: isHrr,
    selectedGroup: null,
    keyShareLength: null,
    pskSelected: null,
    alpn: null,
    sessionTicketAck: false,
    extendedMasterSecret: false,
    encryptThenMac: false,
    downgradeSentinel,
  };
  for (const x of extensions) {
    const v = x.value;
    switch (v.kind) {
      case 'supported_versions':
        if (v.versions.length > 0) {
          m.version = v.versions[0]!;
          m.negotiatedViaSupportedVersions = true;
        }
        break;
      case 'key_share':
        if (v.shares.length > 0) {
          m.selectedGroup = v.shares[0]!.group;
          m.keyShareLength = v.shares[0]!.length;
        }
        break;
      case 'key_share_hrr':
        m.selectedGroup = v.selectedGroup;
        break;
      case 'pre_shared_key_selected':
        m.pskSelected = v.selected;
        break;
      case 'alpn':
        if (v.protocols.length > 0) m.alpn = v.protocols[0]!;
        break;
      case 'session_ticket':
        m.sessionTicketAck = true;
        break;
      default:
        if (x.type === ExtType.ExtendedMasterSecret) m.extendedMasterSecret = true;
        if (x.type === ExtType.EncryptThenMac) m.encryptThenMac = true;
        break;
    }
  }
  return m;
}

function certificateMessage(c: Cursor, e: Emit | null, base: Base, ctx: HandshakeContext): CertificateMessage {
  // TLS 1.3 adds a request context before the list (RFC 8446 §4.4.2). The version decides; when
  // it is unknown, the shape does (a 1-byte context length that fits exactly).
  let tls13 = ctx.version === 0x0304;
  if (ctx.version === null && c.left() >= 4) {
    const u24At = (at: number): number => (c.b[at]! << 16) | (c.b[at + 1]! << 8) | c.b[at + 2]!;
    const tls12Shape = c.pos + 3 + u24At(c.pos) === c.end;
    const at = c.pos + 1 + c.b[c.pos]!;
    tls13 = !tls12Shape && at + 3 <= c.end && at + 3 + u24At(at) === c.end;
  }
  let context: string | null = null;
  if (tls13) {
    const at = c.pos;
    const n = c.u8('request context length');
    const ctxAt = c.skip(n, 'request context');
    if (c.error === null) {
      context = c.hex(ctxAt, n);
      if (e !== null) {
        e.add(F.requestContextLength, n, at, 1);
        if (n > 0) e.add(F.requestContext, context, ctxAt, n);
      }
    }
  }
  const lAt = c.pos;
  const listLen = c.u24('certificates length');
  const chain: CertificateInfo[] = [];
  if (c.error === null) {
    if (e !== null) {
      e.add(F.certificatesLength, listLen, lAt, 3);
      e.openLabel(F.certificates, `Certificates (${listLen} bytes)`, c.pos, listLen);
    }
    const end = Math.min(c.end, c.pos + listLen);
    if (c.pos + listLen > c.end) c.fail(`certificates: length ${listLen} exceeds the message`);
    const list = new Cursor(c.b, c.pos, end);
    while (list.pos < end && list.error === null) {
      const at = list.pos;
      const n = list.u24('certificate length');
      const derAt = list.skip(n, 'certificate');
      if (list.error !== null) break;
      const info = parseCertificate(list.b, derAt, n);
      chain.push(info);
      if (e !== null) {
        e.add(F.certificateLength, n, at, 3);
        const shown = info.rdnText !== '' ? `${bytesLabel(list.b, derAt, n)} (${info.rdnText})` : bytesLabel(list.b, derAt, n);
        e.add(F.certificate, list.hex(derAt, n), derAt, n, shown);
      }
      if (tls13) parseExtensions(list, e, 'certificate', ctx.summaryOnly === true && e === null);
    }
    if (list.error !== null && c.error === null) c.error = list.error;
    c.pos = end;
    if (e !== null) e.close();
  }
  return { dir: base.dir, type: base.type, title: base.title, length: base.length, row: base.row, streamOffset: base.streamOffset, malformed: base.malformed, kind: 'certificate', tls13, context, chain };
}

/** ServerKeyExchange signature: TLS 1.2 has a SignatureAndHashAlgorithm first; the shape tells. */
function readSignature(c: Cursor, e: Emit | null): { sigAlg: number | null; length: number } {
  if (c.left() < 2) return { sigAlg: null, length: 0 };
  let sigAlg: number | null = null;
  const withAlg = c.left() >= 4 && ((c.b[c.pos + 2]! << 8) | c.b[c.pos + 3]!) + 4 === c.left();
  if (withAlg) {
    const at = c.pos;
    sigAlg = c.u16('signature algorithm');
    if (e !== null) e.add(F.sigHashAlg, sigAlg, at, 2, sigAlgLabel(sigAlg));
  }
  const at = c.pos;
  const n = c.u16('signature length');
  const sAt = c.skip(n, 'signature');
  if (e !== null && c.error === null) {
    e.add(F.sigLen, n, at, 2);
    e.add(F.sig, c.hex(sAt, n), sAt, n, bytesLabel(c.b, sAt, n));
  }
  return { sigAlg, length: n };
}

function vector16(c: Cursor, e: Emit | null, lenDef: typeof F.pLen, def: typeof F.p, what: string): number {
  const at = c.pos;
  const n = c.u16(`${what} length`);
  const vAt = c.skip(n, what);
  if (e !== null && c.error === null) {
    e.add(lenDef, n, at, 2);
    e.add(def, c.hex(vAt, n), vAt, n, bytesLabel(c.b, vAt, n));
  }
  return n;
}

function vector8(c: Cursor, e: Emit | null, lenDef: typeof F.pLen, def: typeof F.p, what: string): number {
  const at = c.pos;
  const n = c.u8(`${what} length`);
  const vAt = c.skip(n, what);
  if (e !== null && c.error === null) {
    e.add(lenDef, n, at, 1);
    e.add(def, c.hex(vAt, n), vAt, n, bytesLabel(c.b, vAt, n));
  }
  return n;
}

/** Which ServerKeyExchange layout the suite implies (RFC 5246 §7.4.3, RFC 8422 §5.4, RFC 4279). */
function skeKind(ctx: HandshakeContext, c: Cursor): ServerKeyExchangeKind {
  switch (ctx.suiteKx) {
    case 'ECDHE':
    case 'ECDH':
      return 'ecdhe';
    case 'DHE':
    case 'DH':
      return 'dhe';
    case 'RSA':
      return 'rsa-export';
    case 'PSK':
    case 'RSA_PSK':
      return 'psk';
    case 'DHE_PSK':
      return 'dhe-psk';
    case 'ECDHE_PSK':
      return 'ecdhe-psk';
    case null:
      // Suite unknown (capture started late): named_curve (3) + a 16-bit group is ECDHE.
      return c.left() >= 4 && c.b[c.pos] === 3 ? 'ecdhe' : 'dhe';
    default:
      return 'unknown';
  }
}

function ecdhServerParams(c: Cursor, e: Emit | null, m: ServerKeyExchange): void {
  const at = c.pos;
  const curveType = c.u8('curve type');
  m.curveType = curveType;
  if (e !== null && c.error === null) {
    e.add(F.serverCurveType, curveType, at, 1, namedHex(curveType === 3 ? 'named_curve' : curveType === 1 ? 'explicit_prime' : curveType === 2 ? 'explicit_char2' : 'Unknown', curveType, 2));
  }
  if (curveType !== 3) {
    c.fail(`ServerKeyExchange: curve type ${curveType} (only named curves are read)`);
    return;
  }
  const gAt = c.pos;
  const group = c.u16('named curve');
  m.group = group;
  if (e !== null && c.error === null) e.add(F.serverNamedCurve, group, gAt, 2, groupLabel(group));
  m.publicKeyLength = vector8(c, e, F.serverPointLen, F.serverPoint, 'public point');
}

function dhServerParams(c: Cursor, e: Emit | null, m: ServerKeyExchange): void {
  const pAt = c.pos;
  const pLen = vector16(c, e, F.pLen, F.p, 'p');
  if (c.error === null) {
    // The prime's size in bits, leading zero bits excluded.
    let i = pAt + 2;
    const end = i + pLen;
    while (i < end && c.b[i] === 0) i++;
    m.dhPrimeBits = i < end ? (end - i) * 8 - Math.clz32(c.b[i]!) + 24 : 0;
  }
  vector16(c, e, F.gLen, F.g, 'g');
  m.publicKeyLength = vector16(c, e, F.ysLen, F.ys, 'Ys');
}

function serverKeyExchange(c: Cursor, e: Emit | null, base: Base, ctx: HandshakeContext): ServerKeyExchange {
  const m: ServerKeyExchange = {
    dir: base.dir,
    type: base.type,
    title: base.title,
    length: base.length,
    row: base.row,
    streamOffset: base.streamOffset,
    malformed: base.malformed,
    kind: 'server_key_exchange',
    exchange: skeKind(ctx, c),
    group: null,
    curveType: null,
    publicKeyLength: 0,
    dhPrimeBits: null,
    sigAlg: null,
    signatureLength: 0,
    pskHintLength: null,
  };
  const kind = m.exchange;
  if (kind === 'psk' || kind === 'dhe-psk' || kind === 'ecdhe-psk') {
    if (e !== null) e.openText('PSK Server Params', c.pos, c.left());
    m.pskHintLength = vector16(c, e, F.hintLen, F.hint, 'PSK identity hint');
    if (e !== null) e.close();
  }
  if (kind === 'ecdhe' || kind === 'ecdhe-psk') {
    if (e !== null) e.openText('EC Diffie-Hellman Server Params', c.pos, c.left());
    ecdhServerParams(c, e, m);
  } else if (kind === 'dhe' || kind === 'dhe-psk') {
    if (e !== null) e.openText('Diffie-Hellman Server Params', c.pos, c.left());
    dhServerParams(c, e, m);
  } else if (kind === 'rsa-export') {
    // RFC 2246 §7.4.3: export suites send a temporary 512-bit RSA key, signed.
    if (e !== null) e.openText('RSA-EXPORT Server Params', c.pos, c.left());
    m.publicKeyLength = vector16(c, e, F.modulusLen, F.modulus, 'modulus');
    vector16(c, e, F.exponentLen, F.exponent, 'exponent');
  } else {
    if (e !== null) e.openText('Server Params', c.pos, c.left());
    c.pos = c.end;
  }
  if (kind !== 'psk' && kind !== 'dhe-psk' && kind !== 'ecdhe-psk' && kind !== 'unknown' && c.error === null && ctx.suiteSigned && c.left() > 0) {
    const s = readSignature(c, e);
    m.sigAlg = s.sigAlg;
    m.signatureLength = s.length;
  }
  if (e !== null) e.close();
  c.pos = c.end;
  return m;
}

function clientKeyExchange(c: Cursor, e: Emit | null, base: Base, ctx: HandshakeContext): ClientKeyExchange {
  const m: ClientKeyExchange = { dir: base.dir, type: base.type, title: base.title, length: base.length, row: base.row, streamOffset: base.streamOffset, malformed: base.malformed, kind: 'client_key_exchange', exchange: 'unknown', publicLength: 0 };
  const total = c.left();
  let kx = ctx.suiteKx;
  if (kx === null) {
    // Suite unknown: a 1-byte length that fits is an EC point; a 2-byte one an RSA/DH value.
    if (total > 0 && c.b[c.pos]! + 1 === total) kx = 'ECDHE';
    else if (total >= 2 && ((c.b[c.pos]! << 8) | c.b[c.pos + 1]!) + 2 === total) kx = 'RSA';
  }
  if (kx === 'PSK' || kx === 'DHE_PSK' || kx === 'ECDHE_PSK' || kx === 'RSA_PSK') {
    if (e !== null) e.openText('PSK Client Params', c.pos, total);
    vector16(c, e, F.identityLen, F.identity, 'PSK identity');
    if (e !== null) e.close();
    m.exchange = 'psk';
  }
  switch (kx) {
    case 'RSA':
    case 'RSA_PSK':
      if (e !== null) e.openText('RSA Encrypted PreMaster Secret', c.pos, c.left());
      if (ctx.version === 0x0300) {
        // SSL 3.0 sends the encrypted premaster secret without a length (RFC 6101 §5.6.7.1).
        m.publicLength = c.left();
        if (e !== null) e.add(F.epms, c.hex(c.pos, c.left()), c.pos, c.left(), bytesLabel(c.b, c.pos, c.left()));
        c.pos = c.end;
      } else {
        m.publicLength = vector16(c, e, F.epmsLen, F.epms, 'encrypted premaster');
      }
      m.exchange = 'rsa';
      break;
    case 'DHE':
    case 'DH':
    case 'DHE_PSK':
      if (e !== null) e.openText('Diffie-Hellman Client Params', c.pos, c.left());
      m.publicLength = vector16(c, e, F.ycLen, F.yc, 'Yc');
      m.exchange = 'dh';
      break;
    case 'ECDHE':
    case 'ECDH':
    case 'ECDHE_PSK':
      if (e !== null) e.openText('EC Diffie-Hellman Client Params', c.pos, c.left());
      m.publicLength = vector8(c, e, F.clientPointLen, F.clientPoint, 'public point');
      m.exchange = 'ecdh';
      break;
    default:
      if (e !== null) e.openText('Client Params', c.pos, c.left());
      m.publicLength = c.left();
      c.pos = c.end;
      break;
  }
  if (e !== null) e.close();
  return m;
}

function certificateRequest(c: Cursor, e: Emit | null, base: Base, ctx: HandshakeContext): CertificateRequest {
  const m: CertificateRequest = {
    dir: base.dir,
    type: base.type,
    title: base.title,
    length: base.length,
    row: base.row,
    streamOffset: base.streamOffset,
    malformed: base.malformed,
    kind: 'certificate_request',
    tls13: ctx.version === 0x0304,
    certificateTypes: [],
    sigAlgs: [],
    authorities: 0,
    context: null,
    extensions: [],
  };
  if (m.tls13) {
    // RFC 8446 §4.3.2: context, then extensions (signature_algorithms is mandatory).
    const at = c.pos;
    const n = c.u8('request context length');
    const ctxAt = c.skip(n, 'request context');
    if (c.error !== null) return m;
    m.context = c.hex(ctxAt, n);
    if (e !== null) {
      e.add(F.requestContextLength, n, at, 1);
      if (n > 0) e.add(F.requestContext, m.context, ctxAt, n);
    }
    m.extensions = parseExtensions(c, e, 'certificate_request', ctx.summaryOnly === true && e === null);
    const sa = findExt(m.extensions, ExtType.SignatureAlgorithms);
    if (sa?.value.kind === 'signature_algorithms') m.sigAlgs = sa.value.schemes;
    return m;
  }
  const tAt = c.pos;
  const count = c.u8('certificate types count');
  if (c.need(count, 'certificate types')) {
    if (e !== null) {
      e.add(F.certTypesCount, count, tAt, 1);
      e.openLabel(F.certTypes, `Certificate types (${plural(count, 'type', 'types')})`, c.pos, count);
    }
    for (let i = 0; i < count; i++) {
      const at = c.pos;
      const t = c.u8('certificate type');
      m.certificateTypes.push(t);
      if (e !== null) e.add(F.certType, t, at, 1, namedDec(CERT_TYPE_TITLES[t] ?? clientCertificateTypeName(t), t));
    }
    if (e !== null) e.close();
  }
  // TLS 1.2 inserts supported_signature_algorithms (RFC 5246 §7.4.4); the shape tells when the
  // version is not known: the DN list length must then end the message exactly.
  let withSigAlgs = ctx.version === 0x0303;
  if (ctx.version === null && c.left() >= 2) {
    const n = (c.b[c.pos]! << 8) | c.b[c.pos + 1]!;
    withSigAlgs = n + 2 !== c.left();
  }
  if (withSigAlgs) m.sigAlgs = readSigAlgs(c, e);
  const dAt = c.pos;
  const dLen = c.u16('distinguished names length');
  if (c.need(dLen, 'distinguished names')) {
    if (e !== null) {
      e.add(F.dnamesLen, dLen, dAt, 2);
      e.openLabel(F.dnames, `Distinguished Names (${dLen} bytes)`, c.pos, dLen);
    }
    const end = c.pos + dLen;
    while (c.pos < end && c.error === null) {
      const at = c.pos;
      const n = c.u16('distinguished name length');
      const nAt = c.skip(n, 'distinguished name');
      if (c.error !== null) break;
      m.authorities++;
      if (e !== null) {
        e.add(F.dnameLen, n, at, 2);
        e.addLabel(F.dname, null, nAt, n, `Distinguished Name (${n} bytes)`);
      }
    }
    if (e !== null) e.close();
  }
  return m;
}

function certificateVerify(c: Cursor, e: Emit | null, base: Base): CertificateVerify {
  let sigAlg: number | null = null;
  const withAlg = c.left() >= 4 && ((c.b[c.pos + 2]! << 8) | c.b[c.pos + 3]!) + 4 === c.left();
  if (withAlg) {
    const at = c.pos;
    sigAlg = c.u16('signature algorithm');
    if (e !== null) emitSigAlg(e, sigAlg, at);
  }
  let length: number;
  if (withAlg || (c.left() >= 2 && ((c.b[c.pos]! << 8) | c.b[c.pos + 1]!) + 2 === c.left())) {
    const at = c.pos;
    length = c.u16('signature length');
    const sAt = c.skip(length, 'signature');
    if (e !== null && c.error === null) {
      e.add(F.certVerifySigLen, length, at, 2);
      e.add(F.certVerifySig, c.hex(sAt, length), sAt, length, bytesLabel(c.b, sAt, length));
    }
  } else {
    // SSL 3.0: the signature fills the message.
    length = c.left();
    if (e !== null) e.add(F.certVerifySig, c.hex(c.pos, length), c.pos, length, bytesLabel(c.b, c.pos, length));
    c.pos = c.end;
  }
  return { dir: base.dir, type: base.type, title: base.title, length: base.length, row: base.row, streamOffset: base.streamOffset, malformed: base.malformed, kind: 'certificate_verify', sigAlg, signatureLength: length };
}

function newSessionTicket(c: Cursor, e: Emit | null, base: Base, ctx: HandshakeContext): NewSessionTicket {
  const tls13 = ctx.version === 0x0304;
  const m: NewSessionTicket = { dir: base.dir, type: base.type, title: base.title, length: base.length, row: base.row, streamOffset: base.streamOffset, malformed: base.malformed, kind: 'new_session_ticket', tls13, lifetime: 0, ageAdd: null, ticketLength: 0, maxEarlyDataSize: null, extensions: [] };
  if (e !== null) e.openText('TLS Session Ticket', c.pos, c.left());
  const lAt = c.pos;
  m.lifetime = c.u32('ticket lifetime');
  if (e !== null && c.error === null) e.add(F.ticketLifetimeHint, m.lifetime, lAt, 4, `${m.lifetime} seconds`);
  if (tls13) {
    const aAt = c.pos;
    m.ageAdd = c.u32('ticket age add');
    if (e !== null && c.error === null) e.add(F.ticketAgeAdd, m.ageAdd, aAt, 4);
    vector8(c, e, F.ticketNonceLength, F.ticketNonce, 'ticket nonce');
  }
  m.ticketLength = vector16(c, e, F.ticketLength, F.ticket, 'ticket');
  if (tls13 && c.error === null && c.left() > 0) {
    m.extensions = parseExtensions(c, e, 'new_session_ticket', ctx.summaryOnly === true && e === null);
    const ed = findExt(m.extensions, ExtType.EarlyData);
    if (ed?.value.kind === 'early_data') m.maxEarlyDataSize = ed.value.maxEarlyDataSize;
  }
  if (e !== null) e.close();
  return m;
}

function certificateStatus(c: Cursor, e: Emit | null, base: Base): CertificateStatus {
  const at = c.pos;
  const statusType = c.u8('status type');
  if (e !== null && c.error === null) e.add(F.statusRequestType, statusType, at, 1, namedDec(statusType === 1 ? 'OCSP' : statusType === 2 ? 'OCSP Multi' : 'Unknown', statusType));
  const lAt = c.pos;
  const responseLength = c.u24('OCSP response length');
  if (e !== null && c.error === null) e.add(statusType === 2 ? F.ocspResponseListLen : F.ocspResponseLen, responseLength, lAt, 3);
  c.skip(responseLength, 'OCSP response');
  return { dir: base.dir, type: base.type, title: base.title, length: base.length, row: base.row, streamOffset: base.streamOffset, malformed: base.malformed, kind: 'certificate_status', statusType, responseLength };
}

interface Base {
  dir: Direction;
  type: number;
  title: string;
  length: number;
  row: number;
  streamOffset: number;
  malformed: string | null;
}

/**
 * The fields every message starts with, in one reused object: the message builders copy them
 * into the message they return (parsing never re-enters itself, so nothing else sees it).
 */
const scratchBase: Base = { dir: 0, type: 0, title: '', length: 0, row: 0, streamOffset: 0, malformed: null };

function fillBase(meta: MessageMeta, type: number, title: string, length: number): Base {
  const base = scratchBase;
  base.dir = meta.dir;
  base.type = type;
  base.title = title;
  base.length = length;
  base.row = meta.row;
  base.streamOffset = meta.streamOffset;
  base.malformed = null;
  return base;
}

/**
 * Parses one complete handshake message `b[start, start + 4 + length)` (header included) and, with
 * `e`, adds its subtree. Never throws: damage is recorded in `malformed`.
 */
export function parseHandshakeMessage(b: Uint8Array, start: number, end: number, meta: MessageMeta, ctx: HandshakeContext, e: Emit | null): TlsHandshakeMessage {
  const type = b[start]!;
  const length = (b[start + 1]! << 16) | (b[start + 2]! << 8) | b[start + 3]!;
  const bodyEnd = Math.min(end, start + 4 + length);
  const c = new Cursor(b, start + 4, bodyEnd);
  const base = fillBase(meta, type, handshakeTypeTitle(type), length);
  const isHrr = type === HandshakeType.ServerHello && length >= 34 && start + 38 <= end && isHrrRandom(b, start + 6);
  const lean = ctx.summaryOnly === true && e === null;
  const title = isHrr ? 'Hello Retry Request' : base.title;
  if (e !== null) {
    e.openLabel(F.handshake, `Handshake Protocol: ${title}`, start, bodyEnd - start);
    e.add(F.hsType, type, start, 1, namedDec(base.title, type));
    e.add(F.hsLength, length, start + 1, 3);
  }
  let m: TlsHandshakeMessage;
  switch (type) {
    case HandshakeType.ClientHello:
      m = clientHello(c, e, base, lean);
      break;
    case HandshakeType.ServerHello:
      m = serverHello(c, e, base, lean);
      break;
    case HandshakeType.Certificate:
      m = certificateMessage(c, e, base, ctx);
      break;
    case HandshakeType.ServerKeyExchange:
      m = serverKeyExchange(c, e, base, ctx);
      break;
    case HandshakeType.CertificateRequest:
      m = certificateRequest(c, e, base, ctx);
      break;
    case HandshakeType.CertificateVerify:
      m = certificateVerify(c, e, base);
      break;
    case HandshakeType.ClientKeyExchange:
      m = clientKeyExchange(c, e, base, ctx);
      break;
    case HandshakeType.NewSessionTicket:
      m = newSessionTicket(c, e, base, ctx);
      break;
    case HandshakeType.EncryptedExtensions: {
      const extensions = parseExtensions(c, e, 'encrypted_extensions', lean);
      const alpn = findExt(extensions, ExtType.Alpn);
      const em: EncryptedExtensions = {
        dir: base.dir,
        type: base.type,
        title: base.title,
        length: base.length,
        row: base.row,
        streamOffset: base.streamOffset,
        malformed: base.malformed,
        kind: 'encrypted_extensions',
        extensions,
        alpn: alpn?.value.kind === 'alpn' && alpn.value.protocols.length > 0 ? alpn.value.protocols[0]! : null,
      };
      m = em;
      break;
    }
    case HandshakeType.CertificateStatus:
      m = certificateStatus(c, e, base);
      break;
    case HandshakeType.KeyUpdate: {
      const at = c.pos;
      const requestUpdate = c.u8('request_update');
      if (e !== null && c.error === null) e.add(F.keyUpdateRequest, requestUpdate, at, 1, namedDec(keyUpdateRequestName(requestUpdate), requestUpdate));
      const km: KeyUpdate = { dir: base.dir, type: base.type, title: base.title, length: base.length, row: base.row, streamOffset: base.streamOffset, malformed: base.malformed, kind: 'key_update', requestUpdate };
      m = km;
      break;
    }
    case HandshakeType.Finished: {
      if (e !== null) e.addLabel(F.verifyData, null, c.pos, c.left(), 'Verify Data');
      const fm: Finished = { dir: base.dir, type: base.type, title: base.title, length: base.length, row: base.row, streamOffset: base.streamOffset, malformed: base.malformed, kind: 'finished', verifyDataLength: c.left() };
      c.pos = c.end;
      m = fm;
      break;
    }
    case HandshakeType.HelloRequest:
    case HandshakeType.ServerHelloDone:
    case HandshakeType.EndOfEarlyData: {
      const kind = type === HandshakeType.HelloRequest ? 'hello_request' : type === HandshakeType.ServerHelloDone ? 'server_hello_done' : 'end_of_early_data';
      const sm: SimpleMessage = { dir: base.dir, type: base.type, title: base.title, length: base.length, row: base.row, streamOffset: base.streamOffset, malformed: base.malformed, kind };
      m = sm;
      break;
    }
    default: {
      const om: SimpleMessage = { dir: base.dir, type: base.type, title: base.title, length: base.length, row: base.row, streamOffset: base.streamOffset, malformed: base.malformed, kind: 'other' };
      c.pos = c.end;
      m = om;
      break;
    }
  }
  let malformed = c.error;
  if (malformed === null && start + 4 + length > end) malformed = `${title}: length ${length} exceeds the ${end - start - 4} bytes present`;
  if (malformed === null && c.pos < bodyEnd) malformed = `${title}: ${bodyEnd - c.pos} bytes of trailing data`;
  m.malformed = malformed;
  if (e !== null) {
    e.close();
    if (malformed !== null) e.malformed(malformed, start, bodyEnd - start);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// SSL 2.0 (draft-hickman-netscape-ssl-00) and the SSL 2.0-format ClientHello (RFC 5246 §E.2)
// ---------------------------------------------------------------------------------------------

/** SSL 2.0 message types (Wireshark's ssl_20_msg_types). */
export const SSLV2_MESSAGE_TITLES: Readonly<Record<number, string>> = {
  0: 'Error',
  1: 'Client Hello',
  2: 'Client Master Key',
  3: 'Client Finished',
  4: 'Server Hello',
  5: 'Server Verify',
  6: 'Server Finished',
  7: 'Request Certificate',
  8: 'Client Certificate',
};

/** SSL 2.0 cipher kinds (3 bytes); a 0x00 first byte carries a TLS cipher suite (RFC 5246 §E.2). */
const SSLV2_CIPHER_SPECS: Readonly<Record<number, string>> = {
  0x010080: 'SSL2_RC4_128_WITH_MD5',
  0x020080: 'SSL2_RC4_128_EXPORT40_WITH_MD5',
  0x030080: 'SSL2_RC2_128_CBC_WITH_MD5',
  0x040080: 'SSL2_RC2_128_CBC_EXPORT40_WITH_MD5',
  0x050080: 'SSL2_IDEA_128_CBC_WITH_MD5',
  0x060040: 'SSL2_DES_64_CBC_WITH_MD5',
  0x0700c0: 'SSL2_DES_192_EDE3_CBC_WITH_MD5',
  0x080080: 'SSL2_RC4_64_WITH_MD5',
};

export function sslv2CipherSpecName(spec: number): string {
  const v2 = SSLV2_CIPHER_SPECS[spec];
  if (v2 !== undefined) return v2;
  if (spec >> 16 === 0) return cipherSuiteName(spec);
  return `Unknown (0x${spec.toString(16).padStart(6, '0')})`;
}

function cipherSpecLabel(spec: number): string {
  const name = sslv2CipherSpecName(spec);
  return name.startsWith('Unknown') ? name : namedHex(name, spec, 6);
}

/**
 * Wireshark's ssl_looks_like_valid_v2_handshake: the message types sent in the clear, with the
 * version (hello) or the key lengths (client master key) making sense.
 */
export function plausibleSslv2Message(b: Uint8Array, at: number, len: number): boolean {
  if (len < 1) return false;
  const type = b[at]!;
  const valid = (v: number): boolean => v === 0x0002 || (v >= 0x0300 && v <= 0x0304);
  switch (type) {
    case 1:
      return len >= 3 && valid((b[at + 1]! << 8) | b[at + 2]!);
    case 4:
      return len >= 5 && valid((b[at + 3]! << 8) | b[at + 4]!);
    case 2: {
      if (len < 10) return false;
      const sum = ((b[at + 4]! << 8) | b[at + 5]!) + ((b[at + 6]! << 8) | b[at + 7]!) + ((b[at + 8]! << 8) | b[at + 9]!);
      return sum <= len;
    }
    default:
      return false;
  }
}

function cipherSpecs(c: Cursor, e: Emit | null, n: number): number[] {
  const out: number[] = [];
  if (!c.need(n, 'cipher specs')) return out;
  if (e !== null) e.openLabel(F.cipherSuites, `Cipher Specs (${plural(Math.floor(n / 3), 'spec', 'specs')})`, c.pos, n);
  const end = c.pos + n;
  while (c.pos + 3 <= end) {
    const at = c.pos;
    const spec = (c.b[at]! << 16) | (c.b[at + 1]! << 8) | c.b[at + 2]!;
    c.pos += 3;
    out.push(spec);
    if (e !== null) e.add(F.cipherSpec, spec, at, 3, cipherSpecLabel(spec));
  }
  c.pos = end;
  if (e !== null) e.close();
  return out;
}

/** Parses an SSL 2.0 message filling the record body `b[at, at + len)`; fields go under the record. */
export function parseSslv2Message(b: Uint8Array, at: number, len: number, meta: MessageMeta, e: Emit | null): TlsHandshakeMessage {
  const type = b[at]!;
  const c = new Cursor(b, at + 1, at + len);
  const title = SSLV2_MESSAGE_TITLES[type] ?? `Unknown (${type})`;
  const base = fillBase(meta, type, title, len - 1);
  if (e !== null) e.add(F.hsType, type, at, 1, namedDec(title, type));
  let m: TlsHandshakeMessage;
  if (type === 1) {
    const vAt = c.pos;
    const version = c.u16('version');
    const csLen = c.u16('cipher spec length');
    const sidLen = c.u16('session id length');
    const chLen = c.u16('challenge length');
    if (e !== null && c.error === null) {
      e.add(F.hsVersion, version, vAt, 2, versionLabel(version));
      e.add(F.cipherSpecLen, csLen, vAt + 2, 2);
      e.add(F.sessionIdLength, sidLen, vAt + 4, 2);
      e.add(F.challengeLength, chLen, vAt + 6, 2);
    }
    const specs = cipherSpecs(c, e, csLen);
    const sidAt = c.skip(sidLen, 'session id');
    const sessionId = c.error === null ? c.hex(sidAt, sidLen) : '';
    if (e !== null && c.error === null && sidLen > 0) e.add(F.sessionId, sessionId, sidAt, sidLen);
    const chAt = c.skip(chLen, 'challenge');
    if (e !== null && c.error === null) e.addLabel(F.challenge, null, chAt, chLen, 'Challenge');
    const hello: ClientHello = {
      dir: base.dir,
      type: base.type,
      title: base.title,
      length: base.length,
      row: base.row,
      streamOffset: base.streamOffset,
      malformed: base.malformed,
      kind: 'client_hello',
      legacyVersion: version,
      versions: [version],
      random: c.error === null ? c.hex(chAt, chLen) : '',
      sessionId,
      cipherSuites: specs.filter((s) => s >> 16 === 0),
      compressionMethods: [0],
      extensions: [],
      sni: null,
      alpn: [],
      groups: [],
      keyShares: [] as KeyShareEntry[],
      sigAlgs: [],
      pskOffered: false,
      pskModes: [],
      earlyData: false,
      sessionTicket: null,
      ech: false,
      grease: false,
      sslv2: true,
      cipherSpecs: specs,
    };
    m = hello;
  } else if (type === 4) {
    const at0 = c.pos;
    const hit = c.u8('session id hit');
    const certType = c.u8('certificate type');
    const version = c.u16('version');
    const certLen = c.u16('certificate length');
    const csLen = c.u16('cipher spec length');
    const cidLen = c.u16('connection id length');
    if (e !== null && c.error === null) {
      e.add(F.sessionIdHit, hit !== 0, at0, 1);
      e.add(F.certType2, certType, at0 + 1, 1, namedDec(certType === 1 ? 'X.509 Certificate' : 'Unknown', certType));
      e.add(F.hsVersion, version, at0 + 2, 2, versionLabel(version));
      e.add(F.certificateLength2, certLen, at0 + 4, 2);
      e.add(F.cipherSpecLen, csLen, at0 + 6, 2);
      e.add(F.connectionIdLength, cidLen, at0 + 8, 2);
    }
    const certAt = c.skip(certLen, 'certificate');
    let certificate: CertificateInfo | null = null;
    if (c.error === null && certLen > 0) {
      certificate = parseCertificate(b, certAt, certLen);
      if (e !== null) {
        const shown = certificate.rdnText !== '' ? `${bytesLabel(b, certAt, certLen)} (${certificate.rdnText})` : bytesLabel(b, certAt, certLen);
        e.add(F.certificate, c.hex(certAt, certLen), certAt, certLen, shown);
      }
    }
    const specs = cipherSpecs(c, e, csLen);
    const cidAt = c.skip(cidLen, 'connection id');
    if (e !== null && c.error === null) e.addLabel(F.connectionId, null, cidAt, cidLen, 'Connection ID');
    const sh: Sslv2ServerHello = { dir: base.dir, type: base.type, title: base.title, length: base.length, row: base.row, streamOffset: base.streamOffset, malformed: base.malformed, kind: 'sslv2_server_hello', sessionIdHit: hit !== 0, certificateType: certType, version, certificate, cipherSpecs: specs };
    m = sh;
  } else if (type === 2) {
    const at0 = c.pos;
    const spec = c.u24('cipher kind');
    const clearLen = c.u16('clear key length');
    const encLen = c.u16('encrypted key length');
    const argLen = c.u16('key argument length');
    if (e !== null && c.error === null) {
      e.add(F.cipherSpec, spec, at0, 3, cipherSpecLabel(spec));
      e.add(F.clearKeyLength, clearLen, at0 + 3, 2);
      e.add(F.encryptedKeyLength, encLen, at0 + 5, 2);
      e.add(F.keyArgLength, argLen, at0 + 7, 2);
    }
    c.skip(clearLen, 'clear key');
    const encAt = c.skip(encLen, 'encrypted key');
    const argAt = c.skip(argLen, 'key argument');
    if (e !== null && c.error === null) {
      e.addLabel(F.encryptedKey, null, encAt, encLen, 'Encrypted Key');
      e.addLabel(F.keyArg, null, argAt, argLen, 'Key Argument');
    }
    const cmk: Sslv2ClientMasterKey = { dir: base.dir, type: base.type, title: base.title, length: base.length, row: base.row, streamOffset: base.streamOffset, malformed: base.malformed, kind: 'sslv2_client_master_key', cipherSpec: spec, clearKeyLength: clearLen, encryptedKeyLength: encLen, keyArgLength: argLen };
    m = cmk;
  } else {
    const om: SimpleMessage = { dir: base.dir, type: base.type, title: base.title, length: base.length, row: base.row, streamOffset: base.streamOffset, malformed: base.malformed, kind: 'other' };
    c.pos = c.end;
    m = om;
  }
  m.malformed = c.error;
  if (e !== null && c.error !== null) e.malformed(c.error, at, len);
  return m;
}
