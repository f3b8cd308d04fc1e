// The typed TLS model the rest of WireLadder reads: records, handshake messages, extensions,
// alerts, certificates and the per-conversation session summary (no parsing here).

import type { Direction } from '../flow/app-parser';

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

export interface TlsRecord {
  dir: Direction;
  /** Record header content type (TLS 1.3: the outer type, 23 for every encrypted record). */
  contentType: number;
  /** Record-layer version (0x0002 for an SSL 2.0 record, which has none on the wire). */
  version: number;
  /** Body length (without the 5-byte header, or the 2/3-byte SSL 2.0 header). */
  length: number;
  /** Header length: 5, or 2/3 for SSL 2.0. */
  headerLength: number;
  /** Offset of the record header in this direction's stream. */
  streamOffset: number;
  /** Row of the packet that carried the first header byte. */
  firstRow: number;
  /** Row of the packet that carried the last byte (tshark shows the record there). */
  completedRow: number;
  /** The body is ciphertext we cannot read (no key log applied). */
  encrypted: boolean;
  sslv2: boolean;
  /**
   * Handshake messages that complete inside this record. A message spanning several records
   * belongs to the record holding its last byte; SSL 2.0 messages are listed here too.
   */
  messages: TlsHandshakeMessage[];
  /** This record ends with the start of a handshake message that continues in the next one. */
  continues: boolean;
  alert: TlsAlert | null;
  /** The real content type of a decrypted record (TLS 1.3: from TLSInnerPlaintext); null when not decrypted. */
  innerType: number | null;
  /** Keys were applied to this record: 'decrypted', 'failed' (with decryptError), or null (no keys). */
  decryption: 'decrypted' | 'failed' | null;
  /** Why a record with keys stayed encrypted (`bad record MAC — the key does not belong to this session`). */
  decryptError: string | null;
  /** The decrypted content (kept when the parser keeps records: replays, the CLI's tree path). */
  plaintext: Uint8Array | null;
  /** Bytes of this record that were not captured (TCP gaps), 0 normally. */
  missing: number;
  malformed: string | null;
}

// ---------------------------------------------------------------------------------------------
// Extensions
// ---------------------------------------------------------------------------------------------

export interface KeyShareEntry {
  group: number;
  /** Length of the key exchange value (public key / KEM share). */
  length: number;
  grease: boolean;
}

export interface PskIdentity {
  length: number;
  obfuscatedTicketAge: number;
}

export type ExtensionValue =
  | { kind: 'server_name'; names: string[] }
  | { kind: 'supported_versions'; versions: number[] }
  | { kind: 'supported_groups'; groups: number[] }
  | { kind: 'key_share'; shares: KeyShareEntry[] }
  | { kind: 'key_share_hrr'; selectedGroup: number }
  | { kind: 'signature_algorithms'; schemes: number[] }
  | { kind: 'alpn'; protocols: string[] }
  | { kind: 'ec_point_formats'; formats: number[] }
  | { kind: 'session_ticket'; length: number }
  | { kind: 'empty' }
  | { kind: 'renegotiation_info'; length: number }
  | { kind: 'status_request'; statusType: number | null }
  | { kind: 'signed_certificate_timestamp'; listLength: number; count: number }
  | { kind: 'psk_key_exchange_modes'; modes: number[] }
  | { kind: 'pre_shared_key'; identities: PskIdentity[]; binders: number }
  | { kind: 'pre_shared_key_selected'; selected: number }
  | { kind: 'early_data'; maxEarlyDataSize: number | null }
  | { kind: 'record_size_limit'; limit: number }
  | {
      kind: 'encrypted_client_hello';
      /** RFC 9849 §5: 0 outer, 1 inner; server-sent forms are 'retry_configs' or 'confirmation'. */
      form: 'outer' | 'inner' | 'retry_configs' | 'confirmation';
      kdf: number | null;
      aead: number | null;
      configId: number | null;
      encLength: number;
      payloadLength: number;
    }
  | { kind: 'cookie'; length: number }
  | { kind: 'padding'; length: number }
  | { kind: 'heartbeat'; mode: number }
  | { kind: 'opaque' };

export interface TlsExtension {
  type: number;
  /** Registry name, e.g. `server_name`; `Reserved (GREASE)` for RFC 8701 values. */
  name: string;
  length: number;
  grease: boolean;
  value: ExtensionValue;
  malformed: string | null;
}

// ---------------------------------------------------------------------------------------------
// Handshake messages
// ---------------------------------------------------------------------------------------------

interface MessageBase {
  dir: Direction;
  /** HandshakeType byte (SSL 2.0 message type for SSL 2.0 messages). */
  type: number;
  /** As tshark's Info column names it: `Client Hello`, `Hello Retry Request`. */
  title: string;
  /** Body length from the message header. */
  length: number;
  /** Row of the packet in which the message completed. */
  row: number;
  /** Offset of the message header in the direction's stream (-1 when unknown). */
  streamOffset: number;
  malformed: string | null;
}

export interface ClientHello extends MessageBase {
  kind: 'client_hello';
  /** legacy_version (client_version before TLS 1.3). */
  legacyVersion: number;
  /** Versions offered: supported_versions when present, else the legacy version alone. */
  versions: number[];
  random: string;
  sessionId: string;
  cipherSuites: number[];
  compressionMethods: number[];
  extensions: TlsExtension[];
  sni: string | null;
  alpn: string[];
  groups: number[];
  keyShares: KeyShareEntry[];
  sigAlgs: number[];
  pskOffered: boolean;
  pskModes: number[];
  earlyData: boolean;
  /** session_ticket extension: null absent, 0 empty (asks for a ticket), >0 carries a ticket. */
  sessionTicket: number | null;
  ech: boolean;
  grease: boolean;
  /** Sent in SSL 2.0 record format (RFC 5246 §E.2). */
  sslv2: boolean;
  /** SSL 2.0 cipher specs (24-bit) when `sslv2`; TLS suites are also listed in `cipherSuites`. */
  cipherSpecs: number[];
}

export interface ServerHello extends MessageBase {
  kind: 'server_hello';
  legacyVersion: number;
  /** Negotiated version: supported_versions (TLS 1.3) or the legacy version. */
  version: number;
  negotiatedViaSupportedVersions: boolean;
  random: string;
  sessionId: string;
  cipherSuite: number;
  compressionMethod: number;
  extensions: TlsExtension[];
  isHelloRetryRequest: boolean;
  /** key_share group (ServerHello) or the group the HelloRetryRequest asks for. */
  selectedGroup: number | null;
  keyShareLength: number | null;
  pskSelected: number | null;
  alpn: string | null;
  /** Empty session_ticket extension: the server will send a NewSessionTicket (RFC 5077 §3.2). */
  sessionTicketAck: boolean;
  extendedMasterSecret: boolean;
  encryptThenMac: boolean;
  /** RFC 8446 §4.1.3 downgrade sentinel in the random's last 8 bytes. */
  downgradeSentinel: 'tls12' | 'tls11' | null;
}

export interface CertificateMessage extends MessageBase {
  kind: 'certificate';
  tls13: boolean;
  context: string | null;
  /** The chain in the order sent; empty when the client has no certificate. */
  chain: CertificateInfo[];
}

export type ServerKeyExchangeKind = 'ecdhe' | 'dhe' | 'rsa-export' | 'psk' | 'dhe-psk' | 'ecdhe-psk' | 'unknown';

export interface ServerKeyExchange extends MessageBase {
  kind: 'server_key_exchange';
  exchange: ServerKeyExchangeKind;
  /** Named curve (ECDHE) or null. */
  group: number | null;
  curveType: number | null;
  /** Length of the server's public value (EC point, DH Ys, or RSA modulus for export). */
  publicKeyLength: number;
  /** DHE: size of the prime p in bits. */
  dhPrimeBits: number | null;
  sigAlg: number | null;
  signatureLength: number;
  pskHintLength: number | null;
}

export interface CertificateRequest extends MessageBase {
  kind: 'certificate_request';
  tls13: boolean;
  certificateTypes: number[];
  sigAlgs: number[];
  /** Number of acceptable certificate authorities named. */
  authorities: number;
  context: string | null;
  extensions: TlsExtension[];
}

export interface ClientKeyExchange extends MessageBase {
  kind: 'client_key_exchange';
  /** RSA-encrypted premaster secret, or the client's (EC)DH public value. */
  exchange: 'rsa' | 'dh' | 'ecdh' | 'psk' | 'unknown';
  /** Length of the encrypted premaster secret or the public value. */
  publicLength: number;
}

export interface CertificateVerify extends MessageBase {
  kind: 'certificate_verify';
  sigAlg: number | null;
  signatureLength: number;
}

export interface NewSessionTicket extends MessageBase {
  kind: 'new_session_ticket';
  tls13: boolean;
  lifetime: number;
  ageAdd: number | null;
  ticketLength: number;
  maxEarlyDataSize: number | null;
  extensions: TlsExtension[];
}

export interface EncryptedExtensions extends MessageBase {
  kind: 'encrypted_extensions';
  extensions: TlsExtension[];
  alpn: string | null;
}

export interface CertificateStatus extends MessageBase {
  kind: 'certificate_status';
  statusType: number;
  responseLength: number;
}

export interface KeyUpdate extends MessageBase {
  kind: 'key_update';
  requestUpdate: number;
}

export interface Finished extends MessageBase {
  kind: 'finished';
  verifyDataLength: number;
}

/** Messages with an empty body or one we only name (hello_request, server_hello_done…). */
export interface SimpleMessage extends MessageBase {
  kind: 'hello_request' | 'server_hello_done' | 'end_of_early_data' | 'other';
}

export interface Sslv2ServerHello extends MessageBase {
  kind: 'sslv2_server_hello';
  sessionIdHit: boolean;
  certificateType: number;
  version: number;
  certificate: CertificateInfo | null;
  cipherSpecs: number[];
}

export interface Sslv2ClientMasterKey extends MessageBase {
  kind: 'sslv2_client_master_key';
  cipherSpec: number;
  clearKeyLength: number;
  encryptedKeyLength: number;
  keyArgLength: number;
}

export type TlsHandshakeMessage =
  | ClientHello
  | ServerHello
  | CertificateMessage
  | ServerKeyExchange
  | CertificateRequest
  | ClientKeyExchange
  | CertificateVerify
  | NewSessionTicket
  | EncryptedExtensions
  | CertificateStatus
  | KeyUpdate
  | Finished
  | SimpleMessage
  | Sslv2ServerHello
  | Sslv2ClientMasterKey;

// ---------------------------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------------------------

export interface TlsAlert {
  dir: Direction;
  row: number;
  /** 1 warning, 2 fatal; null when the alert is encrypted. */
  level: number | null;
  description: number | null;
  /** `handshake_failure`; null when encrypted. */
  name: string | null;
  /** `Alert (Level: Fatal, Description: Handshake Failure)` or `Encrypted Alert`. */
  title: string;
  encrypted: boolean;
}

// ---------------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------------

export interface CertificateInfo {
  /** DER bytes as sent. */
  der: Uint8Array;
  /** Why X509Certificate could not read it (the other fields are then empty). */
  parseError: string | null;
  /** One-line RFC 4514-like forms, most significant RDN last: `CN=example.com, O=Example`. */
  subject: string;
  issuer: string;
  subjectCN: string | null;
  issuerCN: string | null;
  /** Uppercase hex, as X509Certificate prints it. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Milliseconds since the epoch (NaN when unreadable). */
  notBeforeMs: number;
  notAfterMs: number;
  /** subjectAltName entries as OpenSSL prints them: `DNS:example.com`, `IP Address:1.2.3.4`. */
  subjectAltNames: string[];
  dnsNames: string[];
  /** 'rsa', 'ec', 'ed25519', 'ed448', 'dsa', 'rsa-pss'… */
  keyType: string | null;
  keyBits: number | null;
  /** EC named curve (e.g. `prime256v1`). */
  curve: string | null;
  /** e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA384`; null when not recognised. */
  signatureAlgorithm: string | null;
  /** SHA-256 over the DER, colon-separated uppercase hex (as `openssl x509 -fingerprint -sha256`). */
  sha256: string;
  isCA: boolean;
  /** Subject equals issuer and the certificate verifies with its own key. */
  selfSigned: boolean;
  /** Wireshark-style RDN text for tree labels: `id-at-commonName=example.com,…`. */
  rdnText: string;
}

export interface ChainLink {
  /** Index of the certificate and of the next one in the chain. */
  child: number;
  parent: number;
  /** The child's issuer name equals the parent's subject name. */
  issuerMatchesSubject: boolean;
  /** The child's signature verifies with the parent's public key (null when not checkable). */
  signatureValid: boolean | null;
}

export interface ValidityProblem {
  index: number;
  problem: 'expired' | 'not-yet-valid' | 'unreadable';
}

export interface CertificateChecks {
  /** Capture time the validity was checked against (seconds since the epoch). */
  checkedAt: number;
  links: ChainLink[];
  /** Every certificate is issued by the next one (RFC 8446 §4.4.2 order; RFC 5246 requires it). */
  chainOrderOk: boolean;
  /**
   * Where the chain as sent ends: at a self-signed certificate (a root was sent), at a
   * certificate issued by a root in Node's bundled Mozilla store, or nowhere we know (null: the
   * issuer was not sent; the client must already trust it, e.g. a private CA).
   */
  anchor: 'self-signed' | 'bundled-root' | null;
  /** The issuer the chain stops short of (when `anchor` is null). */
  missingIssuer: string | null;
  /**
   * An intermediate is missing: the chain ends with a leaf (not a CA) that names where its issuer
   * can be fetched (AIA caIssuers, i.e. a public PKI) and whose issuer is neither sent nor a
   * bundled root; or an issuer in the middle of the chain is absent altogether.
   */
  missingIntermediate: boolean;
  /** Every certificate is within notBefore..notAfter at `checkedAt`. */
  validAtCaptureTime: boolean;
  problems: ValidityProblem[];
  /** The leaf matches the SNI (SAN dNSName, or CN when there are none); null without SNI. */
  sniMatches: boolean | null;
  /** The SAN or CN that matched. */
  matchedName: string | null;
}

// ---------------------------------------------------------------------------------------------
// Session summary
// ---------------------------------------------------------------------------------------------

export type KeyExchangeKind =
  | 'RSA'
  | 'DHE'
  | 'ECDHE'
  | 'DH'
  | 'ECDH'
  | 'PSK'
  | 'PSK+DHE'
  | 'PSK+ECDHE'
  | 'RSA_PSK'
  | 'SRP'
  | 'KRB5'
  | 'SSL2'
  | 'other';

export type ResumptionKind = 'session-id' | 'ticket' | 'psk';

export interface EncryptedMarker {
  /** Row of the first record this direction sent encrypted. */
  row: number;
  streamOffset: number;
}

export interface TlsProblem {
  dir: Direction;
  row: number;
  /** `malformed`: bytes that break the protocol; `missing`: bytes the capture does not have. */
  kind: 'malformed' | 'missing';
  reason: string;
  /** The damaged bytes in the direction's stream (−1 / 0 when not known). */
  streamOffset: number;
  length: number;
}

/**
 * How far each side got through the handshake, as rows (index = Direction, −1 when not seen).
 * Kept in summary-only passes too: the verdict is judged on it (engine/diagnosis.ts).
 */
export interface TlsHandshakeProgress {
  /** The first ChangeCipherSpec (TLS ≤ 1.2; TLS 1.3's compatibility CCS is not counted). */
  ccsRow: [number, number];
  /**
   * The Finished: TLS ≤ 1.2 the first encrypted handshake record after that side's CCS (RFC 5246
   * §7.4.9); TLS 1.3 the encrypted records in its place — the server's flight up to the client's
   * first encrypted record, the client's record the size of an encrypted Finished (RFC 8446 §4.4.4).
   */
  finishedRow: [number, number];
  /** TLS ≤ 1.2: an encrypted handshake record after that side's Finished (renegotiation), −1 none. */
  renegotiationRow: [number, number];
  /** The server's ServerHelloDone (the end of its first flight in a full TLS ≤ 1.2 handshake). */
  serverHelloDoneRow: number;
}

/** A heartbeat record (RFC 6520), as tshark 4.0 reads it without keys. */
export interface TlsHeartbeat {
  dir: Direction;
  row: number;
  streamOffset: number;
  /** Record body length. */
  length: number;
  /** 1 request, 2 response, null when the first byte is neither (tshark: "Encrypted Heartbeat"). */
  type: 1 | 2 | null;
  /** payload_length as sent (a readable type only). */
  payloadLength: number | null;
  /**
   * `payload-length`: the payload it claims does not fit the record with 16 bytes of padding (RFC
   * 6520 §4, the Heartbleed request, CVE-2014-0160); `response-larger`: far larger than the
   * heartbeat it answers (the Heartbleed response: memory read past the request's payload).
   */
  anomaly: 'payload-length' | 'response-larger' | null;
  /** For `response-larger`: the length of the heartbeat it answers. */
  requestLength: number | null;
}

/** A direction that does not speak TLS at all (a plain HTTP server on a TLS port). */
export interface TlsForeignDirection {
  dir: Direction;
  row: number;
  /** What it speaks instead (`http`). */
  protocol: string;
}

export interface TlsSession {
  /** Which direction is the client (the one that sent the ClientHello; 0 until known). */
  clientDir: Direction;
  sslv2: boolean;
  /** Negotiated version (ServerHello, TLS 1.3 through supported_versions); null until known. */
  version: number | null;
  versionName: string | null;
  offeredVersions: number[];
  cipherSuite: number | null;
  cipherSuiteName: string | null;
  keyExchange: KeyExchangeKind | null;
  /** (EC)DHE group: TLS 1.3 key_share, TLS 1.2 ServerKeyExchange named curve. */
  group: number | null;
  groupName: string | null;
  /** DHE over explicit parameters: the prime's size in bits. */
  dhPrimeBits: number | null;
  forwardSecrecy: boolean | null;
  sni: string | null;
  alpnOffered: string[];
  alpn: string | null;
  resumed: ResumptionKind | null;
  /** What the client offered to resume with. */
  resumptionOffered: { sessionId: boolean; ticket: boolean; psk: boolean };
  helloRetry: boolean;
  /** The server sent a CertificateRequest; null when unknowable (TLS 1.3 hides it). */
  clientCertRequested: boolean | null;
  /** What the client answered: a chain, an empty Certificate, or null (nothing seen). */
  clientCertSent: 'certificate' | 'empty' | null;
  alerts: TlsAlert[];
  serverCertificates: CertificateInfo[];
  clientCertificates: CertificateInfo[];
  serverChecks: CertificateChecks | null;
  clientChecks: CertificateChecks | null;
  /** Per direction (index = Direction): where encryption starts. */
  encryptedFrom: [EncryptedMarker | null, EncryptedMarker | null];
  ech: boolean;
  grease: boolean;
  earlyData: boolean;
  ocspStapled: boolean;
  extendedMasterSecret: boolean | null;
  encryptThenMac: boolean | null;
  clientHelloRow: number;
  serverHelloRow: number;
  /** Capture time of the ClientHello (seconds since the epoch), NaN until seen. */
  clientHelloTime: number;
  /**
   * Time to first byte, as the record list shows it: the row completing the client's first
   * application data record after its first encrypted record (its first request), and the row
   * completing the server's first application data record after that (the answer); −1 when not
   * seen. Only records the parser would keep in `records` count (the first few application data
   * records per direction on a whole-file pass), whether or not it keeps them.
   */
  appDataRequestRow: number;
  appDataResponseRow: number;
  /** Application data per direction (every record counted, even when not kept). */
  appDataRecords: [number, number];
  appDataBytes: [number, number];
  problems: TlsProblem[];
  progress: TlsHandshakeProgress;
  /** Heartbeat records (at most 64); empty when none. */
  heartbeats: TlsHeartbeat[];
  /** A direction that turned out not to speak TLS, handed to another parser; null normally. */
  foreign: TlsForeignDirection | null;
  /** What keys did for this session; null when no key source was loaded at all. */
  decryption: TlsDecryption | null;
}

/** Finished verified from the transcript (RFC 5246 §7.4.9, RFC 8446 §4.4.4). */
export type FinishedCheck = 'verified' | 'mismatch';

export interface TlsDecryption {
  /**
   * decrypted: every record with keys opened; partial: some directions or records could not be
   * opened; failed: keys were found but no record opened (wrong keys); no-key: no key matched this
   * session; unsupported: keys matched but the cipher suite or version cannot be opened here.
   */
  status: 'decrypted' | 'partial' | 'failed' | 'no-key' | 'unsupported';
  /** Why not everything decrypted (the first reason), e.g. `decryption failed: bad record MAC — …`. */
  reason: string | null;
  /** How the keys were found: key log (or DSB) lines, an RSA private key, a resumed session. */
  method: 'key-log' | 'rsa-key' | 'rsa-pre-master' | 'resumption' | null;
  /** What decrypted it, for explanations: `tls13.keys lines 1–5`, `server.pem`. */
  keySource: string | null;
  /** Records opened and records that failed, per direction. */
  opened: [number, number];
  failed: [number, number];
  /** Finished of each direction checked against the transcript (null: not seen or not checkable). */
  finished: [FinishedCheck | null, FinishedCheck | null];
}
