// TLS extensions (RFC 8446 §4.2 and the RFCs each names): parsed into the model and, on the tree
// path, shown with Wireshark's field names.

import { Cursor, type Emit, bytesLabel, namedDec, namedHex } from './cursor';
import { tlsFields as F } from './fields';
import type { ExtensionValue, KeyShareEntry, PskIdentity, TlsExtension } from './model';
import {
  certificateStatusTypes,
  ecPointFormatName,
  extensionName,
  isGrease,
  namedGroupName,
  pskKeyExchangeModes,
  signatureSchemeName,
  tlsVersionName,
} from './tables';

/** Which message the extensions block belongs to: several extensions differ by sender. */
export type ExtensionContext =
  | 'client_hello'
  | 'server_hello'
  | 'hello_retry_request'
  | 'encrypted_extensions'
  | 'certificate_request'
  | 'new_session_ticket'
  | 'certificate';

export const ExtType = {
  ServerName: 0,
  StatusRequest: 5,
  SupportedGroups: 10,
  EcPointFormats: 11,
  SignatureAlgorithms: 13,
  Heartbeat: 15,
  Alpn: 16,
  SignedCertificateTimestamp: 18,
  Padding: 21,
  EncryptThenMac: 22,
  ExtendedMasterSecret: 23,
  RecordSizeLimit: 28,
  SessionTicket: 35,
  PreSharedKey: 41,
  EarlyData: 42,
  SupportedVersions: 43,
  Cookie: 44,
  PskKeyExchangeModes: 45,
  PostHandshakeAuth: 49,
  SignatureAlgorithmsCert: 50,
  KeyShare: 51,
  EncryptedClientHello: 0xfe0d,
  RenegotiationInfo: 0xff01,
} as const;

/** Wireshark's label for a 16-bit code point with a name: `x25519 (0x001d)`, `Unknown (0x1234)`. */
function hex4Label(name: string, value: number): string {
  return name.startsWith('Unknown') ? name : namedHex(name, value, 4);
}

export function groupLabel(group: number): string {
  return hex4Label(namedGroupName(group), group);
}

export function sigAlgLabel(scheme: number): string {
  return hex4Label(signatureSchemeName(scheme), scheme);
}

export function versionLabel(version: number): string {
  return hex4Label(tlsVersionName(version), version);
}

const HASH_NAMES = ['none', 'MD5', 'SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512'];
const SIG_NAMES = ['anonymous', 'RSA', 'DSA', 'ECDSA', 'SM2'];

const PSK_MODE_TITLES: Readonly<Record<number, string>> = {
  0: 'PSK-only key establishment (psk_ke)',
  1: 'PSK with (EC)DHE key establishment (psk_dhe_ke)',
};

const HEARTBEAT_MODES: Readonly<Record<number, string>> = {
  1: 'Peer allowed to send requests',
  2: 'Peer not allowed to send requests',
};

/** Signature algorithms as TLS 1.2 byte pairs with their hash/signature halves (RFC 5246 §7.4.1.4.1). */
export function emitSigAlg(e: Emit, scheme: number, at: number): void {
  e.open(F.sigHashAlg, scheme, at, 2, sigAlgLabel(scheme));
  const h = scheme >> 8;
  const s = scheme & 0xff;
  e.add(F.sigHashHash, h, at, 1, namedDec(HASH_NAMES[h] ?? 'Unknown', h));
  e.add(F.sigHashSig, s, at + 1, 1, namedDec(SIG_NAMES[s] ?? 'Unknown', s));
  e.close();
}

/** `uint16 list_length; SignatureScheme list[]` (signature_algorithms, CertificateRequest ≤ 1.2). */
export function readSigAlgs(c: Cursor, e: Emit | null): number[] {
  const lenAt = c.pos;
  const len = c.u16('signature algorithms length');
  const out: number[] = [];
  if (e !== null) e.add(F.sigHashAlgLen, len, lenAt, 2);
  if (!c.need(len, 'signature algorithms')) return out;
  const end = c.pos + len;
  if (e !== null) e.openLabel(F.sigHashAlgs, `Signature Hash Algorithms (${len >> 1} algorithm${len >> 1 === 1 ? '' : 's'})`, c.pos, len);
  while (c.pos + 2 <= end) {
    const at = c.pos;
    const v = c.u16('signature algorithm');
    out.push(v);
    if (e !== null) emitSigAlg(e, v, at);
  }
  if (c.pos < end) c.fail('signature algorithms: odd length');
  if (e !== null) e.close();
  return out;
}

function parseServerName(c: Cursor, e: Emit | null): ExtensionValue {
  const names: string[] = [];
  const listAt = c.pos;
  const listLen = c.u16('server name list length');
  if (e !== null) {
    e.openText('Server Name Indication extension', listAt, c.end - listAt);
    e.add(F.sniListLen, listLen, listAt, 2);
  }
  const end = Math.min(c.end, c.pos + listLen);
  while (c.pos < end && c.error === null) {
    const typeAt = c.pos;
    const type = c.u8('server name type');
    const len = c.u16('server name length');
    const at = c.skip(len, 'server name');
    if (c.error !== null) break;
    const name = c.ascii(at, len);
    if (type === 0) names.push(name);
    if (e !== null) {
      e.add(F.sniType, type, typeAt, 1, namedDec(type === 0 ? 'host_name' : 'Unknown', type));
      e.add(F.sniLen, len, typeAt + 1, 2);
      e.add(F.sni, name, at, len);
    }
  }
  if (e !== null) e.close();
  return { kind: 'server_name', names };
}

function parseGroups(c: Cursor, e: Emit | null): ExtensionValue {
  const lenAt = c.pos;
  const len = c.u16('supported groups length');
  const groups: number[] = [];
  if (e !== null) e.add(F.groupsLength, len, lenAt, 2);
  if (!c.need(len, 'supported groups')) return { kind: 'supported_groups', groups };
  const end = c.pos + len;
  if (e !== null) e.openLabel(F.groups, `Supported Groups (${len >> 1} group${len >> 1 === 1 ? '' : 's'})`, c.pos, len);
  while (c.pos + 2 <= end) {
    const at = c.pos;
    const g = c.u16('group');
    groups.push(g);
    if (e !== null) e.add(F.group, g, at, 2, groupLabel(g));
  }
  if (e !== null) e.close();
  return { kind: 'supported_groups', groups };
}

function parsePointFormats(c: Cursor, e: Emit | null): ExtensionValue {
  const lenAt = c.pos;
  const len = c.u8('ec point formats length');
  const formats: number[] = [];
  if (e !== null) e.add(F.pointFormatsLength, len, lenAt, 1);
  if (!c.need(len, 'ec point formats')) return { kind: 'ec_point_formats', formats };
  if (e !== null) e.openLabel(F.pointFormats, `Elliptic curves point formats (${len})`, c.pos, len);
  for (let i = 0; i < len; i++) {
    const at = c.pos;
    const f = c.u8('ec point format');
    formats.push(f);
    if (e !== null) e.add(F.pointFormat, f, at, 1, namedDec(ecPointFormatName(f), f));
  }
  if (e !== null) e.close();
  return { kind: 'ec_point_formats', formats };
}

function parseAlpn(c: Cursor, e: Emit | null): ExtensionValue {
  const lenAt = c.pos;
  const len = c.u16('ALPN length');
  const protocols: string[] = [];
  if (e !== null) e.add(F.alpnLen, len, lenAt, 2);
  if (!c.need(len, 'ALPN list')) return { kind: 'alpn', protocols };
  const end = c.pos + len;
  if (e !== null) e.openLabel(F.alpnList, 'ALPN Protocol', c.pos, len);
  while (c.pos < end && c.error === null) {
    const at = c.pos;
    const n = c.u8('ALPN string length');
    const s = c.skip(n, 'ALPN string');
    if (c.error !== null) break;
    const name = c.ascii(s, n);
    protocols.push(name);
    if (e !== null) {
      e.add(F.alpnStrLen, n, at, 1);
      e.add(F.alpnStr, name, s, n);
    }
  }
  if (e !== null) e.close();
  return { kind: 'alpn', protocols };
}

function parseSupportedVersions(c: Cursor, e: Emit | null, fromClient: boolean): ExtensionValue {
  const versions: number[] = [];
  if (!fromClient) {
    const at = c.pos;
    const v = c.u16('selected version');
    versions.push(v);
    if (e !== null && c.error === null) e.add(F.supportedVersion, v, at, 2, versionLabel(v));
    return { kind: 'supported_versions', versions };
  }
  const lenAt = c.pos;
  const len = c.u8('supported versions length');
  if (e !== null) e.add(F.supportedVersionsLen, len, lenAt, 1);
  if (!c.need(len, 'supported versions')) return { kind: 'supported_versions', versions };
  const end = c.pos + len;
  while (c.pos + 2 <= end) {
    const at = c.pos;
    const v = c.u16('version');
    versions.push(v);
    if (e !== null) e.add(F.supportedVersion, v, at, 2, versionLabel(v));
  }
  return { kind: 'supported_versions', versions };
}

function keyShareEntry(c: Cursor, e: Emit | null, out: KeyShareEntry[]): void {
  const at = c.pos;
  const group = c.u16('key share group');
  const len = c.u16('key exchange length');
  const keyAt = c.skip(len, 'key exchange');
  if (c.error !== null) return;
  out.push({ group, length: len, grease: isGrease(group) });
  if (e !== null) {
    const name = namedGroupName(group);
    e.openText(`Key Share Entry: Group: ${name}, Key Exchange length: ${len}`, at, 4 + len);
    e.add(F.keyShareGroup, group, at, 2, namedDec(name, group));
    e.add(F.keyShareKeyLength, len, at + 2, 2);
    if (len > 0) e.add(F.keyShareKey, c.hex(keyAt, len), keyAt, len, bytesLabel(c.b, keyAt, len));
    e.close();
  }
}

function parseKeyShare(c: Cursor, e: Emit | null, ctx: ExtensionContext): ExtensionValue {
  if (ctx === 'hello_retry_request') {
    const at = c.pos;
    const g = c.u16('selected group');
    if (e !== null && c.error === null) {
      e.openText('Key Share extension', at, 2);
      e.add(F.keyShareSelectedGroup, g, at, 2, namedDec(namedGroupName(g), g));
      e.close();
    }
    return { kind: 'key_share_hrr', selectedGroup: g };
  }
  const shares: KeyShareEntry[] = [];
  if (e !== null) e.openText('Key Share extension', c.pos, c.end - c.pos);
  if (ctx === 'client_hello') {
    const lenAt = c.pos;
    const len = c.u16('client key share length');
    if (e !== null) e.add(F.keyShareClientLength, len, lenAt, 2);
    const end = Math.min(c.end, c.pos + len);
    while (c.pos < end && c.error === null) keyShareEntry(c, e, shares);
  } else {
    keyShareEntry(c, e, shares);
  }
  if (e !== null) e.close();
  return { kind: 'key_share', shares };
}

function parsePskModes(c: Cursor, e: Emit | null): ExtensionValue {
  const lenAt = c.pos;
  const len = c.u8('PSK modes length');
  const modes: number[] = [];
  if (e !== null) e.add(F.pskModesLength, len, lenAt, 1);
  if (!c.need(len, 'PSK modes')) return { kind: 'psk_key_exchange_modes', modes };
  for (let i = 0; i < len; i++) {
    const at = c.pos;
    const m = c.u8('PSK mode');
    modes.push(m);
    if (e !== null) e.add(F.pskMode, m, at, 1, namedDec(PSK_MODE_TITLES[m] ?? pskKeyExchangeModes.get(m) ?? 'Unknown', m));
  }
  return { kind: 'psk_key_exchange_modes', modes };
}

function parsePreSharedKey(c: Cursor, e: Emit | null, fromClient: boolean): ExtensionValue {
  if (!fromClient) {
    const at = c.pos;
    const selected = c.u16('selected identity');
    if (e !== null && c.error === null) e.add(F.pskSelected, selected, at, 2);
    return { kind: 'pre_shared_key_selected', selected };
  }
  const identities: PskIdentity[] = [];
  let binders = 0;
  if (e !== null) e.openText('Pre-Shared Key extension', c.pos, c.end - c.pos);
  const idsAt = c.pos;
  const idsLen = c.u16('identities length');
  if (e !== null) e.add(F.pskIdentitiesLength, idsLen, idsAt, 2);
  const idsEnd = Math.min(c.end, c.pos + idsLen);
  while (c.pos < idsEnd && c.error === null) {
    const at = c.pos;
    const len = c.u16('identity length');
    const idAt = c.skip(len, 'identity');
    const age = c.u32('obfuscated ticket age');
    if (c.error !== null) break;
    identities.push({ length: len, obfuscatedTicketAge: age });
    if (e !== null) {
      e.openText(`PSK Identity (length: ${len})`, at, 2 + len + 4);
      e.add(F.pskIdentityLength, len, at, 2);
      e.add(F.pskIdentity, c.hex(idAt, len), idAt, len, bytesLabel(c.b, idAt, len));
      e.add(F.pskTicketAge, age, idAt + len, 4);
      e.close();
    }
  }
  const bAt = c.pos;
  const bLen = c.u16('binders length');
  const showBinders = e !== null && c.error === null;
  if (showBinders) {
    e.add(F.pskBindersLen, bLen, bAt, 2);
    e.openLabel(F.pskBinders, 'PSK Binders', c.pos, bLen);
  }
  const bEnd = Math.min(c.end, c.pos + bLen);
  while (c.pos < bEnd && c.error === null) {
    const n = c.u8('binder length');
    c.skip(n, 'binder');
    binders++;
  }
  if (showBinders) e.close();
  if (e !== null) e.close();
  return { kind: 'pre_shared_key', identities, binders };
}

function parseStatusRequest(c: Cursor, e: Emit | null, ctx: ExtensionContext): ExtensionValue {
  if (c.left() === 0) return { kind: 'status_request', statusType: null };
  const at = c.pos;
  const type = c.u8('status type');
  if (e !== null) e.add(F.statusRequestType, type, at, 1, namedDec(type === 1 ? 'OCSP' : (certificateStatusTypes.get(type) ?? 'Unknown'), type));
  if (ctx === 'client_hello' && type === 1) {
    const ridAt = c.pos;
    const rid = c.u16('responder id list length');
    c.skip(rid, 'responder ids');
    const extAt = c.pos;
    const ext = c.u16('request extensions length');
    c.skip(ext, 'request extensions');
    if (e !== null && c.error === null) {
      e.add(F.statusRequestResponderIdsLen, rid, ridAt, 2);
      e.add(F.statusRequestExtsLen, ext, extAt, 2);
    }
  } else {
    // In a TLS 1.3 Certificate entry the extension carries a whole CertificateStatus.
    c.pos = c.end;
  }
  return { kind: 'status_request', statusType: type };
}

function parseSct(c: Cursor, e: Emit | null): ExtensionValue {
  if (c.left() === 0) return { kind: 'signed_certificate_timestamp', listLength: 0, count: 0 };
  const at = c.pos;
  const listLen = c.u16('SCT list length');
  if (e !== null) e.add(F.sctListLength, listLen, at, 2);
  const end = Math.min(c.end, c.pos + listLen);
  let count = 0;
  while (c.pos < end && c.error === null) {
    const sAt = c.pos;
    const n = c.u16('SCT length');
    c.skip(n, 'SCT');
    if (c.error !== null) break;
    count++;
    if (e !== null) e.add(F.sctLength, n, sAt, 2);
  }
  return { kind: 'signed_certificate_timestamp', listLength: listLen, count };
}

function parseEch(c: Cursor, ctx: ExtensionContext): ExtensionValue {
  if (ctx === 'encrypted_extensions') {
    c.pos = c.end;
    return { kind: 'encrypted_client_hello', form: 'retry_configs', kdf: null, aead: null, configId: null, encLength: 0, payloadLength: 0 };
  }
  if (ctx === 'hello_retry_request' || ctx === 'server_hello') {
    c.pos = c.end;
    return { kind: 'encrypted_client_hello', form: 'confirmation', kdf: null, aead: null, configId: null, encLength: 0, payloadLength: 0 };
  }
  // RFC 9849 §5: ECHClientHello { type; outer: cipher_suite, config_id, enc<0..2^16-1>, payload<1..2^16-1> }
  const type = c.u8('ECH type');
  if (type !== 0) {
    return { kind: 'encrypted_client_hello', form: 'inner', kdf: null, aead: null, configId: null, encLength: 0, payloadLength: 0 };
  }
  const kdf = c.u16('ECH KDF');
  const aead = c.u16('ECH AEAD');
  const configId = c.u8('ECH config id');
  const encLength = c.u16('ECH enc length');
  c.skip(encLength, 'ECH enc');
  const payloadLength = c.u16('ECH payload length');
  c.skip(payloadLength, 'ECH payload');
  return { kind: 'encrypted_client_hello', form: 'outer', kdf, aead, configId, encLength, payloadLength };
}

function parseValue(type: number, c: Cursor, e: Emit | null, ctx: ExtensionContext): ExtensionValue {
  const fromClient = ctx === 'client_hello';
  switch (type) {
    case ExtType.ServerName:
      if (c.left() === 0) return { kind: 'server_name', names: [] };
      return parseServerName(c, e);
    case ExtType.SupportedGroups:
      return parseGroups(c, e);
    case ExtType.EcPointFormats:
      return parsePointFormats(c, e);
    case ExtType.SignatureAlgorithms:
    case ExtType.SignatureAlgorithmsCert:
      return { kind: 'signature_algorithms', schemes: readSigAlgs(c, e) };
    case ExtType.Alpn:
      return parseAlpn(c, e);
    case ExtType.SupportedVersions:
      return parseSupportedVersions(c, e, fromClient);
    case ExtType.KeyShare:
      return parseKeyShare(c, e, ctx);
    case ExtType.PskKeyExchangeModes:
      return parsePskModes(c, e);
    case ExtType.PreSharedKey:
      return parsePreSharedKey(c, e, fromClient);
    case ExtType.EarlyData: {
      if (ctx === 'new_session_ticket') {
        const at = c.pos;
        const max = c.u32('max early data size');
        if (e !== null && c.error === null) e.add(F.maxEarlyDataSize, max, at, 4);
        return { kind: 'early_data', maxEarlyDataSize: max };
      }
      return { kind: 'early_data', maxEarlyDataSize: null };
    }
    case ExtType.SessionTicket: {
      const n = c.left();
      if (e !== null) {
        if (n > 0) e.add(F.ticket, c.hex(c.pos, n), c.pos, n, bytesLabel(c.b, c.pos, n));
        else e.text('Data (0 bytes)', c.pos, 0);
      }
      c.pos = c.end;
      return { kind: 'session_ticket', length: n };
    }
    case ExtType.ExtendedMasterSecret:
    case ExtType.EncryptThenMac:
    case ExtType.PostHandshakeAuth:
      return { kind: 'empty' };
    case ExtType.RenegotiationInfo: {
      const at = c.pos;
      const n = c.u8('renegotiation info length');
      const dataAt = c.skip(n, 'renegotiation info');
      if (e !== null && c.error === null) {
        e.openText('Renegotiation Info extension', at, 1 + n);
        e.add(F.renegInfoLen, n, at, 1);
        if (n > 0) e.add(F.renegInfo, c.hex(dataAt, n), dataAt, n, bytesLabel(c.b, dataAt, n));
        e.close();
      }
      return { kind: 'renegotiation_info', length: n };
    }
    case ExtType.StatusRequest:
      return parseStatusRequest(c, e, ctx);
    case ExtType.SignedCertificateTimestamp:
      return parseSct(c, e);
    case ExtType.RecordSizeLimit: {
      const at = c.pos;
      const limit = c.u16('record size limit');
      if (e !== null && c.error === null) e.add(F.recordSizeLimit, limit, at, 2);
      return { kind: 'record_size_limit', limit };
    }
    case ExtType.Cookie: {
      const at = c.pos;
      const n = c.u16('cookie length');
      const dataAt = c.skip(n, 'cookie');
      if (e !== null && c.error === null) {
        e.add(F.cookieLen, n, at, 2);
        e.add(F.cookie, c.hex(dataAt, n), dataAt, n, bytesLabel(c.b, dataAt, n));
      }
      return { kind: 'cookie', length: n };
    }
    case ExtType.Padding: {
      const n = c.left();
      if (e !== null) e.add(F.paddingData, c.hex(c.pos, n), c.pos, n, bytesLabel(c.b, c.pos, n));
      c.pos = c.end;
      return { kind: 'padding', length: n };
    }
    case ExtType.Heartbeat: {
      const at = c.pos;
      const mode = c.u8('heartbeat mode');
      if (e !== null && c.error === null) e.add(F.heartbeatMode, mode, at, 1, namedDec(HEARTBEAT_MODES[mode] ?? 'Unknown', mode));
      return { kind: 'heartbeat', mode };
    }
    case ExtType.EncryptedClientHello: {
      const at = c.pos;
      const n = c.left();
      const v = parseEch(c, ctx);
      if (e !== null && n > 0) e.add(F.extensionData, c.hex(at, n), at, n, bytesLabel(c.b, at, n));
      return v;
    }
    default: {
      const n = c.left();
      if (e !== null && n > 0) e.add(F.extensionData, c.hex(c.pos, n), c.pos, n, bytesLabel(c.b, c.pos, n));
      c.pos = c.end;
      return { kind: 'opaque' };
    }
  }
}

/** The one value of every extension a lean parse skips (never mutated). */
const SKIPPED: ExtensionValue = Object.freeze({ kind: 'opaque' });

/**
 * Extensions the TLS session summary reads (TlsParser's onClientHello / onServerHello): what a
 * lean parse (HandshakeContext.summaryOnly) still decodes.
 */
function summaryNeeds(type: number, ctx: ExtensionContext): boolean {
  switch (ctx) {
    case 'client_hello':
      return (
        type === ExtType.ServerName ||
        type === ExtType.SupportedVersions ||
        type === ExtType.Alpn ||
        type === ExtType.SupportedGroups ||
        type === ExtType.PreSharedKey ||
        type === ExtType.EarlyData ||
        type === ExtType.SessionTicket ||
        type === ExtType.EncryptedClientHello
      );
    case 'server_hello':
    case 'hello_retry_request':
      return (
        type === ExtType.SupportedVersions ||
        type === ExtType.KeyShare ||
        type === ExtType.PreSharedKey ||
        type === ExtType.Alpn ||
        type === ExtType.SessionTicket ||
        type === ExtType.ExtendedMasterSecret ||
        type === ExtType.EncryptThenMac
      );
    case 'encrypted_extensions':
      // early_data: whether the server accepted 0-RTT (RFC 8446 §4.2.10), which the ladder tells.
      return type === ExtType.Alpn || type === ExtType.EarlyData;
    default:
      return false;
  }
}

/**
 * Reads `uint16 extensions_length; Extension extensions[]` at the cursor. A damaged extension is
 * kept with its reason and the next one is read from where the damaged one says it ends. `lean`
 * (summary only, no tree): extensions the session summary does not read are skipped, listed only
 * when GREASE (with an opaque value).
 */
export function parseExtensions(c: Cursor, e: Emit | null, ctx: ExtensionContext, lean = false): TlsExtension[] {
  const out: TlsExtension[] = [];
  const lenAt = c.pos;
  const total = c.u16('extensions length');
  if (c.error !== null) return out;
  if (e !== null) e.add(F.extensionsLength, total, lenAt, 2);
  let end = c.pos + total;
  if (end > c.end) {
    c.error = `extensions: length ${total} exceeds the ${c.end - c.pos} bytes left`;
    end = c.end;
  }
  while (c.pos + 4 <= end) {
    const at = c.pos;
    const type = (c.b[at]! << 8) | c.b[at + 1]!;
    const len = (c.b[at + 2]! << 8) | c.b[at + 3]!;
    const dataAt = at + 4;
    const dataEnd = Math.min(dataAt + len, end);
    if (lean && e === null && !summaryNeeds(type, ctx)) {
      if (isGrease(type)) out.push({ type, name: 'Reserved (GREASE)', length: len, grease: true, value: SKIPPED, malformed: null });
      c.pos = dataEnd;
      continue;
    }
    const name = extensionName(type);
    if (e !== null) {
      e.openText(`Extension: ${name} (len=${len})`, at, 4 + len);
      e.add(F.extensionType, type, at, 2, namedDec(name, type));
      e.add(F.extensionLen, len, at + 2, 2);
    }
    const sub = new Cursor(c.b, dataAt, dataEnd);
    const value = parseValue(type, sub, e, ctx);
    let malformed = sub.error;
    if (malformed === null && dataAt + len > end) malformed = `extension ${name}: length ${len} exceeds the extensions block`;
    if (malformed === null && sub.pos < dataEnd && value.kind !== 'opaque') malformed = `extension ${name}: ${dataEnd - sub.pos} bytes of trailing data`;
    if (e !== null) {
      e.close();
      if (malformed !== null) e.malformed(malformed, at, dataEnd - at);
    }
    out.push({ type, name, length: len, grease: isGrease(type), value, malformed });
    c.pos = dataEnd;
  }
  if (c.pos < end && c.error === null) c.error = `extensions: ${end - c.pos} stray bytes`;
  c.pos = end;
  return out;
}
