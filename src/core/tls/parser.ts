// The TLS application parser: frames records per direction, reassembles and parses handshake
// messages, keeps the session summary, and on the tree path adds the packet's TLS layer the way
// Wireshark shows it (fields on the packet that completes each record).

import type { AppParser, AppParserFactory, Direction, StreamChunk, StreamHost } from '../flow/app-parser';
import { Expert } from '../dissect/expert';
import { Proto, type Packet } from '../dissect/packet';
import { ipv4FromUint32, ipv6Text } from '../util/address';
import { SessionDecryptor } from './decrypt/session-decryptor';
import type { TlsKeyStore } from './keys/key-store';
import { InnerApplication } from './inner-app';
import type { FieldNode, Layer, TreeBuilder } from '../dissect/tree';
import { checkChain, shareChain } from './certificate';
import { Emit, bytesLabel, namedDec } from './cursor';
import { versionLabel } from './extensions';
import { tlsFieldList, tlsFields as F } from './fields';
import {
  HandshakeAssembler,
  HandshakeType,
  SSLV2_MESSAGE_TITLES,
  parseHandshakeMessage,
  parseSslv2Message,
  plausibleSslv2Message,
  type HandshakeContext,
  type MessageMeta,
} from './handshake';
import type {
  ClientHello,
  KeyExchangeKind,
  ServerHello,
  TlsAlert,
  TlsHandshakeMessage,
  TlsHeartbeat,
  TlsProblem,
  TlsRecord,
  TlsSession,
} from './model';
import {
  ContentType,
  MAX_RECORD_LENGTH,
  RecordFramer,
  looksLikeRecordStart,
  Sslv2Mode,
  isRecordVersion,
  isValidContentType,
  looksLikeSslv2,
  type FramerSink,
} from './record';
import {
  alertDescriptionName,
  alertDescriptionTitle,
  cipherSuiteName,
  cipherSuites,
  contentTypeTitle,
  handshakeTypeTitle,
  handshakeTypes,
  namedGroupName,
  tls13RecordSizes,
  tlsVersionName,
  weakCipherSuite,
} from './tables';

/**
 * Application data records opened per direction in a summary-only pass (enough for the first
 * request and response lines); views replay the conversation to open the rest.
 */
const DECRYPTED_SUMMARY_RECORDS = 8;
/** Application data records kept as objects per direction on the fast path (the rest are counted). */
const KEPT_APP_DATA_RECORDS = 8;
/** Other records kept per conversation (a renegotiation storm must not grow without bound). */
const KEPT_RECORDS = 4096;
const KEPT_PROBLEMS = 64;
const KEPT_HEARTBEATS = 64;
/** tshark's words for a heartbeat whose payload does not fit its record. */
const HEARTBEAT_INVALID = 'Invalid heartbeat payload length';
/** TLS 1.3: the client's Finished is looked for among its first records after ServerHello. */
const TLS13_CLIENT_FLIGHT = 8;
/**
 * A heartbeat response this much larger than the request it answers does not echo it: the
 * payload and padding of both are the sender's choice only within a few blocks (RFC 6520 §4).
 */
const HEARTBEAT_RESPONSE_SLACK = 64;

/** Wireshark's ssl_version_short_names. */
export function versionShortName(version: number): string | null {
  switch (version) {
    case 0x0002:
      return 'SSLv2';
    case 0x0300:
      return 'SSLv3';
    case 0x0301:
      return 'TLSv1';
    case 0x0302:
      return 'TLSv1.1';
    case 0x0303:
      return 'TLSv1.2';
    case 0x0304:
      return 'TLSv1.3';
    case 0x0101:
      return 'TLCP';
    default:
      return null;
  }
}

/** The Protocol column value (a Proto id) for a version; `SSL` when unknown, as tshark. */
export function versionProto(version: number): number {
  switch (version) {
    case 0x0002:
      return Proto.Ssl2;
    case 0x0300:
      return Proto.Ssl3;
    case 0x0301:
      return Proto.Tls10;
    case 0x0302:
      return Proto.Tls11;
    case 0x0303:
      return Proto.Tls12;
    case 0x0304:
      return Proto.Tls13;
    default:
      return Proto.Ssl;
  }
}

/** Info text for `n` application data records in one packet, built once (no per-packet joins). */
const APP_DATA_INFO: string[] = ['Application Data'];
for (let i = 1; i < 32; i++) APP_DATA_INFO.push(`${APP_DATA_INFO[i - 1]}, Application Data`);

/**
 * Values a summary-only session shares with every other one that has the same (a whole-file pass
 * holds tens of thousands of sessions): empty lists, the offered versions and ALPN lists, SNI
 * names, resumption offers. Session lists and objects are read-only for everyone but the parser,
 * which replaces them rather than mutating a shared one.
 */
const NONE: readonly never[] = Object.freeze([]);
const INTERN_LIMIT = 4096;
const sharedLists = new Map<string, readonly (number | string)[]>();
const sharedNames = new Map<string, string>();
const RESUMPTION_OFFERS: readonly TlsSession['resumptionOffered'][] = Array.from({ length: 8 }, (_, i) =>
  Object.freeze({ sessionId: (i & 1) !== 0, ticket: (i & 2) !== 0, psk: (i & 4) !== 0 }),
);

/** The list sharedList returned last, per tag (sessions in a row usually offer the same). */
const lastShared = new Map<string, readonly (number | string)[]>();

function sameList(a: readonly (number | string)[], b: readonly (number | string)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sharedList<T extends number | string>(list: T[], tag: string): T[] {
  if (list.length === 0) return NONE as unknown as T[];
  const last = lastShared.get(tag);
  if (last !== undefined && sameList(last, list)) return last as T[];
  const key = `${tag}${list.join('\u0000')}`;
  let shared = sharedLists.get(key);
  if (shared === undefined) {
    if (sharedLists.size >= INTERN_LIMIT) sharedLists.clear();
    sharedLists.set(key, list);
    shared = list;
  }
  lastShared.set(tag, shared);
  return shared as T[];
}

function sharedName(name: string | null): string | null {
  if (name === null) return null;
  const known = sharedNames.get(name);
  if (known !== undefined) return known;
  if (sharedNames.size >= INTERN_LIMIT) sharedNames.clear();
  sharedNames.set(name, name);
  return name;
}

/**
 * `${info}, ${text}` as one shared string per combination: a capture's packets repeat a few
 * combinations ("Server Hello, Certificate, Server Key Exchange, Server Hello Done"), and the
 * index interns Info texts, which is cheap for a string seen before (its hash is cached).
 */
const joinedInfo = new Map<string, Map<string, string>>();
let joinedCount = 0;

function joinInfo(info: string, text: string): string {
  let byText = joinedInfo.get(info);
  if (byText === undefined) {
    if (joinedCount >= INTERN_LIMIT) {
      joinedInfo.clear();
      joinedCount = 0;
    }
    byText = new Map();
    joinedInfo.set(info, byText);
  }
  let joined = byText.get(text);
  if (joined === undefined) {
    joined = `${info}, ${text}`;
    byText.set(text, joined);
    joinedCount++;
  }
  return joined;
}

const scratchMeta: MessageMeta = { dir: 0, row: 0, streamOffset: 0 };

/** `[Certificate Fragment]`, one string per message title. */
const fragmentInfos = new Map<string, string>();

function fragmentInfo(title: string): string {
  let info = fragmentInfos.get(title);
  if (info === undefined) {
    info = `[${title} Fragment]`;
    if (fragmentInfos.size < INTERN_LIMIT) fragmentInfos.set(title, info);
  }
  return info;
}

function newSession(summaryOnly: boolean): TlsSession {
  return {
    clientDir: 0,
    sslv2: false,
    version: null,
    versionName: null,
    offeredVersions: summaryOnly ? (NONE as never[]) : [],
    cipherSuite: null,
    cipherSuiteName: null,
    keyExchange: null,
    group: null,
    groupName: null,
    dhPrimeBits: null,
    forwardSecrecy: null,
    sni: null,
    alpnOffered: summaryOnly ? (NONE as never[]) : [],
    alpn: null,
    resumed: null,
    resumptionOffered: summaryOnly ? RESUMPTION_OFFERS[0]! : { sessionId: false, ticket: false, psk: false },
    helloRetry: false,
    clientCertRequested: null,
    clientCertSent: null,
    alerts: summaryOnly ? (NONE as never[]) : [],
    serverCertificates: summaryOnly ? (NONE as never[]) : [],
    clientCertificates: summaryOnly ? (NONE as never[]) : [],
    serverChecks: null,
    clientChecks: null,
    encryptedFrom: [null, null],
    ech: false,
    grease: false,
    earlyData: false,
    ocspStapled: false,
    extendedMasterSecret: null,
    encryptThenMac: null,
    clientHelloRow: -1,
    serverHelloRow: -1,
    clientHelloTime: Number.NaN,
    appDataRequestRow: -1,
    appDataResponseRow: -1,
    appDataRecords: [0, 0],
    appDataBytes: [0, 0],
    problems: summaryOnly ? (NONE as never[]) : [],
    progress: { ccsRow: [-1, -1], finishedRow: [-1, -1], renegotiationRow: [-1, -1], serverHelloDoneRow: -1 },
    heartbeats: summaryOnly ? (NONE as never[]) : [],
    foreign: null,
    decryption: null,
  };
}

function kxKind(kx: string, authentication: string): KeyExchangeKind {
  switch (kx) {
    case 'RSA':
    case 'DHE':
    case 'ECDHE':
    case 'PSK':
    case 'SRP':
    case 'KRB5':
    case 'RSA_PSK':
      return kx;
    case 'DH':
      return authentication === 'anon' ? 'DHE' : 'DH';
    case 'ECDH':
      return authentication === 'anon' ? 'ECDHE' : 'ECDH';
    case 'DHE_PSK':
      return 'PSK+DHE';
    case 'ECDHE_PSK':
      return 'PSK+ECDHE';
    default:
      return 'other';
  }
}

function isTls13Draft(version: number): boolean {
  return (version >= 0x7f0e && version <= 0x7f1c) || version === 0xfb17 || version === 0xfb1a;
}

/** Finite-field (RFC 7919) groups are 0x0100–0x01FF; every other group is elliptic or hybrid. */
function isFfdheGroup(group: number): boolean {
  return group >= 0x0100 && group <= 0x01ff;
}

const FORWARD_SECRET: ReadonlySet<KeyExchangeKind> = new Set<KeyExchangeKind>(['DHE', 'ECDHE', 'PSK+DHE', 'PSK+ECDHE']);

/**
 * The record a summary-only parser fills instead of a new one per record (it is never kept, and
 * record handling never re-enters another TLS parser).
 */
const scratchRecord: TlsRecord = {
  dir: 0,
  contentType: 0,
  version: 0,
  length: 0,
  headerLength: 5,
  streamOffset: 0,
  firstRow: 0,
  completedRow: 0,
  encrypted: false,
  sslv2: false,
  messages: [],
  continues: false,
  alert: null,
  innerType: null,
  decryption: null,
  decryptError: null,
  plaintext: null,
  missing: 0,
  malformed: null,
};

export class TlsParser implements AppParser, FramerSink {
  readonly protocol = 'tls';
  readonly host: StreamHost;
  readonly session: TlsSession;
  /**
   * Records kept as objects (all handshake/alert/CCS records; application data: see KEPT_*).
   * Empty (and shared, frozen) when the host wants the summary only (StreamHost.summaryOnly).
   */
  readonly records: TlsRecord[];
  /** Every handshake message, in the order they completed (empty when summary only). */
  readonly messages: TlsHandshakeMessage[];
  /** StreamHost.summaryOnly: no record or message objects are kept, no text only they show. */
  private readonly summaryOnly: boolean;
  private readonly keepsSpans: boolean;
  private readonly wantsTrees: boolean;
  /** Records that `records` holds or would hold (its length, also when summary only). */
  private recordCount = 0;
  /** Per direction taken as the client: its first request row, and the answer's (see appDataRequest). */
  private requestRow0 = -1;
  private requestRow1 = -1;
  private responseRow0 = -1;
  private responseRow1 = -1;

  private readonly framers: [RecordFramer, RecordFramer] = [new RecordFramer(0), new RecordFramer(1)];
  private readonly assemblers: [HandshakeAssembler, HandshakeAssembler] = [new HandshakeAssembler(), new HandshakeAssembler()];
  /** Bit `dir`: a ChangeCipherSpec (TLS ≤ 1.2) was sent in this direction (handshake records are encrypted). */
  private ccsSent = 0;
  /** Application data records kept (or counted as kept) per direction. */
  private keptAppData0 = 0;
  private keptAppData1 = 0;
  /** tshark's session version (set by the first authoritative record, then by ServerHello); 0 unknown. */
  private displayVersion = 0;
  private readonly ctx: HandshakeContext = { version: null, suiteKx: null, suiteSigned: true, summaryOnly: false };
  private sawHello = false;
  /** What the session logic needs of the ClientHello and ServerHello it follows (not the messages). */
  private clientHelloSeen = false;
  private clientSessionId = '';
  private clientTicket: number | null = null;
  private serverHelloSeen = false;
  private serverHelloIsRetry = false;
  /** The server sent Certificate/ServerKeyExchange/ServerHelloDone after its hello (full handshake). */
  private serverFullFlight = false;
  /** TLS 1.3: the client's protected records after ServerHello so far, and whether one had the size of Finished. */
  private client13Records = 0;
  private client13Finished = false;
  /** The resumption was noted (tshark's expert note, once per session). */
  private resumedNoted = false;
  /** Per direction: the parser that took it over because it does not speak TLS (session.foreign). */
  private foreign0: AppParser | null = null;
  private foreign1: AppParser | null = null;
  /** Per direction: the length of the last heartbeat sent and not yet answered (−1 none). */
  private heartbeatOpen0 = -1;
  private heartbeatOpen1 = -1;

  // Decryption (TLS keys loaded): the connection's decryptor and the protocol inside.
  private readonly keys: TlsKeyStore | null;
  private readonly innerFactories: () => readonly AppParserFactory[];
  private dec: SessionDecryptor | null = null;
  private decTried = false;
  private inner: InnerApplication | null = null;
  /** Application data records opened per direction (summary passes stop at a few). */
  private readonly decryptedApp: [number, number] = [0, 0];
  /** Why the record being shown stayed encrypted although keys exist. */
  private failReason: string | null = null;
  private serverPort = 0;
  /** Bit `dir`: that direction's stream ended. */
  private ended = 0;

  // Per-packet tree and Info state.
  private layerTree: TreeBuilder | null = null;
  private layer: Layer | null = null;
  private recordNode: FieldNode | null = null;
  private infoRow = -1;
  private appDataInfo = -1;
  private callLen = 0;

  constructor(host: StreamHost, opts: TlsParserOptions = {}) {
    this.host = host;
    this.keys = opts.keys ?? null;
    this.innerFactories = opts.innerFactories ?? (() => NONE);
    this.summaryOnly = host.summaryOnly === true;
    this.session = newSession(this.summaryOnly);
    this.records = this.summaryOnly ? (NONE as never[]) : [];
    this.messages = this.summaryOnly ? (NONE as never[]) : [];
    this.keepsSpans = host.keepsSpans;
    this.wantsTrees = host.wantsTrees;
    this.ctx.summaryOnly = this.summaryOnly;
  }

  /** The parser of the decrypted application data (HTTP…), once records were opened. */
  get innerParser(): AppParser | null {
    return this.inner?.parser ?? null;
  }

  /** What the keys did for this connection (the decryptor's live state), null without keys. */
  get decryptor(): SessionDecryptor | null {
    return this.dec;
  }

  // -------------------------------------------------------------------------------------------
  // AppParser
  // -------------------------------------------------------------------------------------------

  data(dir: Direction, bytes: Uint8Array, off: number, len: number, chunk: StreamChunk): void {
    if (len <= 0) return;
    const foreign = dir === 0 ? this.foreign0 : this.foreign1;
    if (foreign !== null) {
      foreign.data(dir, bytes, off, len, chunk);
      return;
    }
    const f = this.framers[dir];
    // A direction whose very first bytes are not a record header may speak something else here.
    if (f.pos === 0 && !f.inRecord && !f.lost && !looksLikeRecordStart(bytes, off, off + len) && this.takeOver(dir, bytes, off, len, chunk)) return;
    this.callLen = len;
    // packet-tls.c clears the Info column each time TCP hands it a segment that starts a record.
    if (!f.inRecord && f.pending() === 0 && !f.lost && chunk.frameOffset >= 0) chunk.p.infoCleared = true;
    f.feed(bytes, off, len, chunk, this);
  }

  pduUntil(dir: Direction): number {
    const f = this.framers[dir];
    return f.inRecord && (dir === 0 ? this.foreign0 : this.foreign1) === null ? f.start + f.headerLength + f.length : -1;
  }

  /** The parser that took over a direction speaking another protocol (null when none did). */
  get foreignParser(): AppParser | null {
    return this.foreign0 ?? this.foreign1;
  }

  /**
   * Hands direction `dir` to the parser the host finds for these bytes (Wireshark tries its
   * heuristic dissectors when TLS rejects a payload): a plain HTTP server on port 443 answers a
   * ClientHello with an HTTP error page.
   */
  private takeOver(dir: Direction, bytes: Uint8Array, off: number, len: number, chunk: StreamChunk): boolean {
    const other = this.host.foreign?.(dir, bytes, off, len, this.protocol) ?? null;
    if (other === null) return false;
    if (dir === 0) this.foreign0 = other;
    else this.foreign1 = other;
    this.session.foreign = { dir, row: chunk.row, protocol: other.protocol };
    // packet-http.c says so on the HTTP it finds on a TLS port.
    if (other.protocol === 'http') chunk.p.expert.add(Expert['http.plaintext_on_tls_port']!);
    other.data(dir, bytes, off, len, chunk);
    return true;
  }

  gap(dir: Direction, len: number, chunk: StreamChunk): void {
    const foreign = dir === 0 ? this.foreign0 : this.foreign1;
    if (foreign !== null) {
      foreign.gap(dir, len, chunk);
      return;
    }
    const f = this.framers[dir];
    if (len <= 0) {
      // The capture started mid-connection: the first bytes may be inside a record, so framing
      // starts at the first call that begins with a plausible record header.
      if (f.pos === 0 && !f.inRecord) f.lost = true;
      return;
    }
    f.gap(len, chunk, this);
    if (f.lost) this.assemblers[dir].reset();
  }

  end(dir: Direction, chunk: StreamChunk | null): void {
    const foreign = dir === 0 ? this.foreign0 : this.foreign1;
    if (foreign !== null) foreign.end(dir, chunk);
    const f = this.framers[dir];
    if (f.inRecord && f.have < f.length) {
      const row = chunk?.row ?? f.firstRow;
      const rec = this.newRecord(f, row);
      rec.malformed = `truncated: ${f.have} of ${f.length} record bytes before the end of the stream`;
      this.keepRecord(rec, 'missing', null);
    }
    if (this.assemblers[dir].active()) {
      this.problem(dir, chunk?.row ?? f.firstRow, 'missing', 'handshake message truncated at the end of the stream', this.assemblers[dir].streamOffset, 0, null);
    }
    this.inner?.end(dir, chunk);
    this.ended |= 1 << dir;
    if (this.ended === 3) this.dec?.release();
    // The direction is over: its buffers go (a connection's state stays small once it ends).
    this.assemblers[dir].release();
    f.reset();
    f.release();
  }

  /** One-line facts for conversation lists (keys `tls.*`). */
  describe(): Record<string, string | number> {
    const s = this.session;
    const out: Record<string, string | number> = {};
    if (s.versionName !== null) out['tls.version'] = s.versionName;
    if (s.sni !== null) out['tls.sni'] = s.sni;
    if (s.cipherSuiteName !== null) out['tls.cipher'] = s.cipherSuiteName;
    if (s.alpn !== null) out['tls.alpn'] = s.alpn;
    if (s.keyExchange !== null) out['tls.key_exchange'] = s.keyExchange;
    if (s.groupName !== null) out['tls.group'] = s.groupName;
    if (s.resumed !== null) out['tls.resumed'] = s.resumed;
    if (s.helloRetry) out['tls.hello_retry'] = 'yes';
    if (s.clientCertSent !== null) out['tls.client_cert'] = s.clientCertSent;
    else if (s.clientCertRequested === true) out['tls.client_cert'] = 'requested';
    const fatal = s.alerts.find((a) => a.level === 2);
    if (fatal?.name != null) out['tls.alert'] = fatal.name;
    const leaf = s.serverCertificates[0];
    if (leaf !== undefined && leaf.subjectCN !== null) out['tls.cert_subject'] = leaf.subjectCN;
    const checks = s.serverChecks;
    if (checks !== null) {
      const issues: string[] = [];
      if (!checks.validAtCaptureTime) issues.push(checks.problems.some((p) => p.problem === 'expired') ? 'expired' : 'not valid at capture time');
      if (checks.missingIntermediate) issues.push('missing intermediate');
      if (!checks.chainOrderOk) issues.push('chain out of order');
      if (checks.sniMatches === false) issues.push('SNI mismatch');
      if (issues.length > 0) out['tls.cert_problems'] = issues.join(', ');
    }
    const records = s.appDataRecords[0] + s.appDataRecords[1];
    if (records > 0) out['tls.app_data_records'] = records;
    const d = s.decryption;
    if (d !== null) out['tls.decryption'] = d.status === 'no-key' ? 'keys missing' : d.status;
    const inner = this.inner?.parser?.describe?.();
    if (inner !== undefined) for (const [k, v] of Object.entries(inner)) out[k] = v;
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // FramerSink
  // -------------------------------------------------------------------------------------------

  keepBody(f: RecordFramer): boolean {
    return f.sslv2 || f.type !== ContentType.ApplicationData || this.wantsTrees || this.wantsPlain(f);
  }

  junk(f: RecordFramer, length: number, reason: string, chunk: StreamChunk, lost: boolean): void {
    this.assemblers[f.dir].reset();
    // Bytes that are no record are not reassembled (Wireshark shows them as Continuation Data).
    this.host.pduEnd?.(f.dir, f.pos, false);
    const at = f.pos - length;
    this.problem(f.dir, chunk.row, lost ? 'missing' : 'malformed', reason, at, length, chunk.p);
    const t = chunk.p.tree;
    if (t !== null && !lost) {
      // The bytes that are not a record: marked over their place in this packet.
      this.ensureLayer(t, chunk);
      const inCall = Math.max(0, at - chunk.streamOffset);
      if (chunk.frameOffset >= 0) t.malformed(reason, chunk.frameOffset + inCall, Math.min(length, this.callLen - inCall), 0);
      else t.malformed(reason);
    }
    if (chunk.p.appInfo === null) {
      chunk.p.appInfo = 'Continuation Data';
      this.infoRow = chunk.row;
      this.appDataInfo = -1;
      chunk.p.top = versionProto(this.displayVersion);
    }
  }

  record(f: RecordFramer, b: Uint8Array | null, at: number, frameOffset: number, chunk: StreamChunk): void {
    // A record is TCP's PDU here: the segments that carried it were reassembled in this packet.
    this.host.pduEnd?.(f.dir, f.start + f.headerLength + f.length, f.missing === 0, f.missing > 0);
    if (!this.decTried) this.startDecryption(chunk);
    if (f.sslv2) {
      this.sslv2Record(f, b, at, frameOffset, chunk);
      return;
    }
    const dir = f.dir;
    const type = f.type;
    const len = f.length;
    const bodyAt = at + 5;
    // TLS 1.3 records of type application_data show as an opaque type once the version is known.
    const opaque = this.displayVersion === 0x0304 && type === ContentType.ApplicationData;
    let shownVersion = this.displayVersion;
    if (shownVersion === 0) {
      shownVersion = f.version;
      this.tryAuthoritative(type, b !== null && len > 0 ? b[bodyAt]! : -1, f.version);
    }
    const damaged = f.missing > 0;

    // Protected records with keys: opened and dissected by the same code as plaintext ones.
    const dec = this.dec;
    if (dec !== null && (dec.protects(dir, type) || dec.earlyDataBeforeHello(dir, type))) {
      if (b !== null && !damaged && this.decryptedRecord(dec, f, b, at, frameOffset, chunk, shownVersion, opaque)) return;
      if (b === null || damaged) dec.skip(dir);
    }
    try {
      this.wireRecord(f, b, at, frameOffset, chunk, shownVersion, opaque, damaged);
    } finally {
      this.failReason = null;
    }
  }

  /** A record shown as it is on the wire (plaintext, or ciphertext without usable keys). */
  private wireRecord(f: RecordFramer, b: Uint8Array | null, at: number, frameOffset: number, chunk: StreamChunk, shownVersion: number, opaque: boolean, damaged: boolean): void {
    const dir = f.dir;
    const type = f.type;
    const len = f.length;
    const bodyAt = at + 5;

    // Application data on the fast path: count, no objects beyond the first few.
    if (type === ContentType.ApplicationData) {
      if (this.session.version === 0x0304) this.tls13Progress(dir, len, chunk.row);
      this.session.appDataRecords[dir]++;
      this.session.appDataBytes[dir] += len;
      this.markEncrypted(dir, f, chunk);
      const kept = dir === 0 ? this.keptAppData0 : this.keptAppData1;
      if (kept < KEPT_APP_DATA_RECORDS || this.keepsSpans) {
        if (dir === 0) this.keptAppData0 = kept + 1;
        else this.keptAppData1 = kept + 1;
        if (this.recordCount < KEPT_RECORDS || this.keepsSpans) this.appDataRequest(dir, f, chunk.row);
        if (this.summaryOnly) {
          // Counted as kept; a damaged application data record (missing > 0) reports nothing.
          this.recordCount++;
        } else {
          const rec = this.newRecord(f, chunk.row);
          rec.encrypted = true;
          if (damaged) rec.malformed = `${f.missing} bytes not captured`;
          this.keepRecord(rec, 'missing', null);
        }
      }
      this.appendAppDataInfo(chunk);
      const t = chunk.p.tree;
      if (t !== null) this.appDataTree(t, f, b, at, frameOffset, chunk, shownVersion, opaque);
      this.setTop(chunk, f.version);
      return;
    }

    const rec = this.newRecord(f, chunk.row);
    if (damaged) {
      rec.malformed = `${f.missing} bytes not captured`;
      this.assemblers[dir].reset();
    }
    const t = chunk.p.tree;
    let e: Emit | null = null;
    if (t !== null) e = this.openRecord(t, f, b, at, frameOffset, chunk, type, opaque);
    // Record titles are for the tree only.
    const vname = e !== null ? (versionShortName(shownVersion) ?? 'TLS') : '';
    let title = e !== null ? `${vname} Record Layer: ${contentTypeTitle(type)} Protocol` : '';

    if (b === null) {
      this.appendInfo(chunk, 'Continuation Data');
      if (e !== null) title = `${vname} Record Layer: ${contentTypeTitle(type)} Protocol (bytes not captured)`;
    } else if (type === ContentType.Handshake) {
      title = this.handshakeRecord(f, b, bodyAt, len, false, chunk, rec, e, vname);
    } else if (type === ContentType.Alert) {
      title = this.alertRecord(f, b, bodyAt, len, chunk, rec, e, vname);
    } else if (type === ContentType.ChangeCipherSpec) {
      this.appendInfo(chunk, 'Change Cipher Spec');
      const ccs = this.session.progress.ccsRow;
      if (this.session.version !== 0x0304 && ccs[dir] < 0) ccs[dir] = chunk.row;
      if (e !== null) {
        title = `${vname} Record Layer: Change Cipher Spec Protocol: Change Cipher Spec`;
        e.addLabel(F.changeCipherSpec, null, bodyAt, len, 'Change Cipher Spec Message');
      }
      this.changeCipherSpec(dir);
      // tshark notes a resumed session on the server's ChangeCipherSpec.
      if (dir !== this.session.clientDir && this.session.resumed !== null && !this.resumedNoted && this.session.version !== 0x0304) {
        this.resumedNoted = true;
        chunk.p.expert.add(Expert['tls.resumed']!);
      }
    } else if (type === ContentType.Heartbeat) {
      title = this.heartbeatRecord(f, b, bodyAt, len, chunk, rec, e, vname);
    } else {
      this.appendInfo(chunk, contentTypeTitle(type));
    }
    if (len > MAX_RECORD_LENGTH && rec.malformed === null) rec.malformed = `record length ${len} exceeds 2^14 + 2048`;
    if (e !== null) this.closeRecord(e, title, rec.malformed);
    this.keepRecord(rec, 'malformed', chunk.p);
    this.setTop(chunk, f.version);
  }

  /**
   * A protected record with keys for its direction: opened, then dissected by content type like a
   * plaintext one (Wireshark's ssl_decrypt_record, then dissect_ssl3_record on the plaintext).
   * Returns false when it stays encrypted (no key, or a failed MAC/tag: `failReason`).
   */
  private decryptedRecord(dec: SessionDecryptor, f: RecordFramer, b: Uint8Array, at: number, frameOffset: number, chunk: StreamChunk, shownVersion: number, opaque: boolean): boolean {
    const dir = f.dir;
    const type = f.type;
    const opened = dec.open(dir, type, f.version, b, at + 5, f.length);
    if (opened === null) return false;
    if (!opened.ok) {
      this.failReason = opened.reason;
      return false;
    }
    const inner = opened.type;
    const plain = opened.data;
    const len = plain.length;
    this.markEncrypted(dir, f, chunk);
    if (inner === ContentType.ApplicationData) {
      this.decryptedAppData(f, b, at, frameOffset, chunk, shownVersion, opaque, plain);
      dec.settle(dir);
      return true;
    }
    const rec = this.newRecord(f, chunk.row);
    rec.innerType = inner;
    rec.decryption = 'decrypted';
    if (!this.summaryOnly) rec.plaintext = plain;
    const t = chunk.p.tree;
    let e: Emit | null = null;
    if (t !== null) {
      const outer = this.openRecord(t, f, b, at, frameOffset, chunk, type, opaque);
      // tshark: the real type of a TLS 1.3 record is a generated field under the opaque one.
      if (opaque) outer.addLabel(F.contentType, inner, at, 0, `[Content Type: ${namedDec(contentTypeTitle(inner), inner)}]`);
      t.addSource(`Decrypted TLS (${len} bytes)`, plain.slice());
      e = new Emit(t, 0);
    }
    const vname = e !== null ? (versionShortName(shownVersion) ?? 'TLS') : '';
    let title = e !== null ? `${vname} Record Layer: ${contentTypeTitle(inner)} Protocol` : '';
    if (inner === ContentType.Handshake) {
      title = this.handshakeRecord(f, plain, 0, len, true, chunk, rec, e, vname);
    } else if (inner === ContentType.Alert) {
      title = this.alertRecord(f, plain, 0, len, chunk, rec, e, vname);
    } else if (inner === ContentType.Heartbeat) {
      title = this.heartbeatRecord(f, plain, 0, len, chunk, rec, e, vname);
    } else {
      this.appendInfo(chunk, contentTypeTitle(inner));
    }
    if (e !== null) this.closeRecord(e, title, rec.malformed);
    this.keepRecord(rec, 'malformed', chunk.p);
    this.setTop(chunk, f.version);
    // RFC 8446 §6.1 / RFC 2818 §2.2.2: close_notify ends this direction's application data (a
    // close-delimited HTTP body completes here; its layer follows the TLS one).
    if (rec.alert !== null && rec.alert.description === 0) this.inner?.end(dir, chunk);
    dec.settle(dir);
    return true;
  }

  /** Decrypted application data: counted as before, shown, and handed to the inner application parser. */
  private decryptedAppData(f: RecordFramer, b: Uint8Array, at: number, frameOffset: number, chunk: StreamChunk, shownVersion: number, opaque: boolean, plain: Uint8Array): void {
    const dir = f.dir;
    const len = f.length;
    this.session.appDataRecords[dir]++;
    this.session.appDataBytes[dir] += len;
    this.decryptedApp[dir]++;
    const kept = dir === 0 ? this.keptAppData0 : this.keptAppData1;
    if (kept < KEPT_APP_DATA_RECORDS || this.keepsSpans) {
      if (dir === 0) this.keptAppData0 = kept + 1;
      else this.keptAppData1 = kept + 1;
      if (this.recordCount < KEPT_RECORDS || this.keepsSpans) this.appDataRequest(dir, f, chunk.row);
      if (this.summaryOnly) {
        this.recordCount++;
      } else {
        const rec = this.newRecord(f, chunk.row);
        rec.encrypted = true;
        rec.innerType = ContentType.ApplicationData;
        rec.decryption = 'decrypted';
        rec.plaintext = plain;
        this.keepRecord(rec, 'malformed', chunk.p);
      }
    }
    this.appendAppDataInfo(chunk);
    const t = chunk.p.tree;
    if (t !== null) {
      const e = this.openRecord(t, f, b, at, frameOffset, chunk, ContentType.ApplicationData, opaque);
      if (opaque) e.addLabel(F.contentType, ContentType.ApplicationData, at, 0, `[Content Type: ${namedDec('Application Data', 23)}]`);
      if (len > 0) e.add(F.appData, bytesHex(b, at + 5, len), at + 5, len, bytesLabel(b, at + 5, len));
      const vname = versionShortName(shownVersion) ?? 'TLS';
      this.closeRecord(e, `${vname} Record Layer: Application Data Protocol: Application Data`, null);
    }
    this.setTop(chunk, f.version);
    // After the TLS layer is closed: the inner protocol adds its own layer (and Info) to the packet.
    this.inner ??= new InnerApplication(this.host, this.innerFactories, () => this.serverPort);
    this.inner.data(dir, plain, this.session.alpn, chunk, f.start, f.start + 5 + len);
  }

  /** Whether this record's body must be kept to be opened (summary passes open only the first few). */
  private wantsPlain(f: RecordFramer): boolean {
    const dec = this.dec;
    if (dec === null || !(dec.protects(f.dir, f.type) || dec.earlyDataBeforeHello(f.dir, f.type))) return false;
    return !this.summaryOnly || f.type !== ContentType.ApplicationData || this.decryptedApp[f.dir] < DECRYPTED_SUMMARY_RECORDS;
  }

  /** The decryptor of this connection, made when keys exist as its first record arrives. */
  private startDecryption(chunk: StreamChunk): void {
    this.decTried = true;
    const keys = this.keys;
    if (keys === null || keys.empty) return;
    const dec = new SessionDecryptor(keys);
    this.dec = dec;
    this.session.decryption = dec.info;
    void chunk;
  }

  // -------------------------------------------------------------------------------------------
  // Records by content type
  // -------------------------------------------------------------------------------------------

  /**
   * Handshake messages in a record body `b[bodyAt, bodyAt + len)`: the record's own bytes, or the
   * plaintext of a decrypted one (`decrypted`: every message is placed at the record's offset).
   */
  private handshakeRecord(f: RecordFramer, b: Uint8Array, bodyAt: number, len: number, decrypted: boolean, chunk: StreamChunk, rec: TlsRecord, e: Emit | null, vname: string): string {
    const dir = f.dir;
    const at = bodyAt - 5;
    const end = bodyAt + len;
    const streamAt = (pos: number): number => (decrypted ? f.start : f.start + (pos - at));
    // The record's title is for the tree only ('' without one).
    const prefix = e !== null ? `${vname} Record Layer: Handshake Protocol: ` : '';
    if (!decrypted && this.handshakeEncrypted(dir, b, bodyAt, len)) {
      this.assemblers[dir].reset();
      rec.encrypted = true;
      if ((this.ccsSent & (1 << dir)) !== 0) {
        // RFC 5246 §7.4.9: the first message protected by the new keys is Finished; a later one is a
        // new handshake on this connection (renegotiation, or the server's HelloRequest).
        const progress = this.session.progress;
        if (progress.finishedRow[dir] < 0) progress.finishedRow[dir] = chunk.row;
        else {
          if (progress.renegotiationRow[dir] < 0) progress.renegotiationRow[dir] = chunk.row;
          chunk.p.expert.add(Expert['tls.renegotiation']!);
        }
      }
      this.markEncrypted(dir, f, chunk);
      this.appendInfo(chunk, 'Encrypted Handshake Message');
      if (e === null) return '';
      e.addLabel(F.handshake, null, bodyAt, len, 'Handshake Protocol: Encrypted Handshake Message');
      return `${prefix}Encrypted Handshake Message`;
    }
    const asm = this.assemblers[dir];
    const t = e?.t ?? null;
    const recordSource = t?.source ?? 0;
    let pos = bodyAt;
    let items = 0;
    let firstTitle = '';
    if (asm.active()) {
      const took = asm.append(b, pos, end - pos);
      const msgTitle = handshakeTypeTitle(asm.type());
      const done = asm.complete();
      if (e !== null) e.addLabel(F.handshake, null, pos, took, `Handshake Protocol: ${msgTitle} (${done ? 'last fragment' : 'fragment'})`);
      pos += took;
      items++;
      if (e !== null) firstTitle = `${msgTitle} (fragment)`;
      if (done) {
        const total = asm.need;
        let me: Emit | null = null;
        if (t !== null) {
          t.addSource(`Reassembled TLS Handshake (${total} bytes)`, asm.buf.slice(0, total));
          me = new Emit(t, 0);
        }
        const m = parseHandshakeMessage(asm.buf, 0, total, this.meta(dir, chunk, asm.streamOffset), this.ctx, me);
        if (t !== null) t.source = recordSource;
        this.dec?.message(dir, asm.buf, 0, total);
        asm.reset();
        firstTitle = m.title;
        this.onMessage(m, rec, chunk);
      } else {
        rec.continues = true;
        this.appendInfo(chunk, fragmentInfo(msgTitle));
      }
    }
    while (pos < end) {
      const left = end - pos;
      const msgLen = left >= 4 ? 4 + ((b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!) : -1;
      if (msgLen < 0 || msgLen > left) {
        // The message continues in the next record(s).
        asm.start(streamAt(pos));
        asm.append(b, pos, left);
        rec.continues = true;
        const msgTitle = handshakeTypeTitle(b[pos]!);
        if (e !== null) e.addLabel(F.handshake, null, pos, left, `Handshake Protocol: ${msgTitle} (fragment)`);
        if (items === 0) {
          this.appendInfo(chunk, fragmentInfo(msgTitle));
          if (e !== null) firstTitle = `${msgTitle} (fragment)`;
        }
        items++;
        break;
      }
      const type = b[pos]!;
      if (items > 0 && !handshakeTypes.has(type)) {
        // Wireshark skips unknown messages after the first one.
        pos += msgLen;
        continue;
      }
      const m = parseHandshakeMessage(b, pos, pos + msgLen, this.meta(dir, chunk, streamAt(pos)), this.ctx, e);
      this.dec?.message(dir, b, pos, pos + msgLen);
      if (items === 0) firstTitle = m.title;
      items++;
      this.onMessage(m, rec, chunk);
      pos += msgLen;
    }
    if (e === null) return '';
    return items > 1 ? `${prefix}Multiple Handshake Messages` : `${prefix}${firstTitle}`;
  }

  private alertRecord(f: RecordFramer, b: Uint8Array, bodyAt: number, len: number, chunk: StreamChunk, rec: TlsRecord, e: Emit | null, vname: string): string {
    let alert: TlsAlert;
    // Wireshark: an alert body of any length but 2 is taken as encrypted.
    if (len !== 2) {
      alert = { dir: f.dir, row: chunk.row, level: null, description: null, name: null, title: 'Encrypted Alert', encrypted: true };
      rec.encrypted = true;
      this.markEncrypted(f.dir, f, chunk);
      if (e !== null) e.addLabel(F.alert, null, bodyAt, len, 'Alert Message: Encrypted Alert');
    } else {
      const level = b[bodyAt]!;
      const desc = b[bodyAt + 1]!;
      const levelTitle = level === 1 ? 'Warning' : level === 2 ? 'Fatal' : 'Unknown';
      const descTitle = alertDescriptionTitle(desc).startsWith('Unknown') ? 'Unknown' : alertDescriptionTitle(desc);
      alert = {
        dir: f.dir,
        row: chunk.row,
        level,
        description: desc,
        name: alertDescriptionName(desc),
        title: `Alert (Level: ${levelTitle}, Description: ${descTitle})`,
        encrypted: false,
      };
      if (e !== null) {
        e.openLabel(F.alert, 'Alert Message', bodyAt, 2);
        e.add(F.alertLevel, level, bodyAt, 1, namedDec(levelTitle, level));
        e.add(F.alertDesc, desc, bodyAt + 1, 1, namedDec(descTitle, desc));
        e.close();
      }
    }
    rec.alert = alert;
    if (!alert.encrypted && alert.name !== null) {
      if (alert.name === 'close_notify') chunk.p.expert.add(Expert['tls.alert.close_notify']!);
      else chunk.p.expert.add(Expert[alert.level === 2 ? 'tls.alert.fatal' : 'tls.alert.warning']!, 0, 0, alert.name);
    }
    const alerts = this.session.alerts;
    if ((alerts as readonly unknown[]) === NONE) this.session.alerts = [alert];
    else alerts.push(alert);
    this.appendInfo(chunk, alert.title);
    if (e === null) return '';
    return `${vname} Record Layer: ${alert.title === 'Encrypted Alert' ? 'Encrypted Alert' : alert.title}`;
  }

  private heartbeatRecord(f: RecordFramer, b: Uint8Array, bodyAt: number, len: number, chunk: StreamChunk, rec: TlsRecord, e: Emit | null, vname: string): string {
    const dir = f.dir;
    // RFC 6520 §4: type, payload_length, payload, ≥16 bytes of padding. tshark 4.0 without keys
    // reads every heartbeat as plaintext: a known type names it (whatever its lengths say), any
    // other first byte makes it an "Encrypted Heartbeat".
    const first = len >= 1 ? b[bodyAt]! : -1;
    const type: TlsHeartbeat['type'] = first === 1 || first === 2 ? first : null;
    const payloadLength = type !== null && len >= 3 ? (b[bodyAt + 1]! << 8) | b[bodyAt + 2]! : null;
    const beat: TlsHeartbeat = { dir, row: chunk.row, streamOffset: f.start, length: len, type, payloadLength, anomaly: null, requestLength: null };
    if (payloadLength !== null && 3 + payloadLength + 16 > len) {
      beat.anomaly = 'payload-length';
      rec.malformed = `${HEARTBEAT_INVALID} (${payloadLength}): ${len} bytes hold at most ${Math.max(0, len - 19)} after the 3-byte header and 16 bytes of padding (RFC 6520 §4; Heartbleed, CVE-2014-0160)`;
      chunk.p.expert.add(Expert['tls.heartbeat_message.payload_length.invalid']!, payloadLength);
    }
    // A heartbeat from one side while the other has one unanswered is the response to it.
    const open = dir === 0 ? this.heartbeatOpen1 : this.heartbeatOpen0;
    if (open >= 0 && type !== 1) {
      if (dir === 0) this.heartbeatOpen1 = -1;
      else this.heartbeatOpen0 = -1;
      if (len > open + HEARTBEAT_RESPONSE_SLACK && beat.anomaly === null) {
        beat.anomaly = 'response-larger';
        beat.requestLength = open;
        chunk.p.expert.add(Expert['tls.heartbeat.response_larger']!, len, open);
      }
    } else if (dir === 0) this.heartbeatOpen0 = len;
    else this.heartbeatOpen1 = len;
    const beats = this.session.heartbeats;
    if ((beats as readonly unknown[]) === NONE) this.session.heartbeats = [beat];
    else if (beats.length < KEPT_HEARTBEATS) beats.push(beat);
    if (type === null) {
      rec.encrypted = true;
      this.appendInfo(chunk, 'Encrypted Heartbeat');
      if (e !== null) e.addLabel(F.heartbeat, null, bodyAt, len, 'Encrypted Heartbeat Message');
      return `${vname} Record Layer: Encrypted Heartbeat`;
    }
    const name = type === 1 ? 'Request' : 'Response';
    this.appendInfo(chunk, `Heartbeat ${name}`);
    if (e !== null) {
      e.openLabel(F.heartbeat, 'Heartbeat Message', bodyAt, len);
      e.add(F.heartbeatType, type, bodyAt, 1, namedDec(name, type));
      if (payloadLength !== null) {
        const shown = beat.anomaly === 'payload-length' ? `${payloadLength} (invalid, using ${Math.max(0, len - 3)} to decode payload)` : String(payloadLength);
        e.add(F.heartbeatPayloadLength, payloadLength, bodyAt + 1, 2, shown);
      }
      e.close();
    }
    return `${vname} Record Layer: Heartbeat ${name}`;
  }

  private sslv2Record(f: RecordFramer, b: Uint8Array | null, at: number, frameOffset: number, chunk: StreamChunk): void {
    const len = f.length;
    const bodyAt = at + f.headerLength;
    const rec = this.newRecord(f, chunk.row);
    const type = b !== null ? b[bodyAt]! : -1;
    // Wireshark: SSL 2.0 server hello and later handshake messages fix the session to SSL 2.0.
    if (this.displayVersion === 0 && type >= 2 && type <= 8) this.setDisplayVersion(0x0002);
    const title = SSLV2_MESSAGE_TITLES[type];
    const valid = b !== null && title !== undefined && plausibleSslv2Message(b, bodyAt, len);
    const t = chunk.p.tree;
    let e: Emit | null = null;
    if (t !== null) {
      this.ensureLayer(t, chunk);
      e = this.recordEmit(t, f, b, at, frameOffset, chunk);
      this.recordNode = e.openLabel(F.record, 'SSLv2 Record Layer', at, f.headerLength + len);
      e.addLabel(F.recordVersion, 0x0002, at, 0, '[Version: SSL 2.0 (0x0002)]');
    }
    if (!valid) {
      rec.encrypted = true;
      this.markEncrypted(f.dir, f, chunk);
      this.appendInfo(chunk, 'Encrypted Data');
      if (e !== null) this.closeRecord(e, 'SSLv2 Record Layer: Encrypted Data', null);
    } else {
      this.appendInfo(chunk, title);
      if (e !== null) {
        e.add(F.recordLength, len, at, f.headerLength);
        if (f.v2Escape >= 0) e.add(F.isEscape, f.v2Escape === 1, at, 1);
        if (f.v2Padding >= 0) e.add(F.paddingLength, f.v2Padding, at + 2, 1);
      }
      const m = parseSslv2Message(b, bodyAt, len, this.meta(f.dir, chunk, f.start + f.headerLength), e);
      this.onMessage(m, rec, chunk);
      if (e !== null) this.closeRecord(e, `SSLv2 Record Layer: ${title}`, m.malformed);
    }
    this.keepRecord(rec, 'malformed', chunk.p);
    chunk.p.top = Proto.Ssl2;
  }

  // -------------------------------------------------------------------------------------------
  // Session state
  // -------------------------------------------------------------------------------------------

  /** Wireshark's ssl_try_set_version: any record but a ClientHello fixes an unknown version. */
  private tryAuthoritative(type: number, next: number, version: number): void {
    if (type === ContentType.Handshake) {
      if (next < 0 || next === HandshakeType.ClientHello || !handshakeTypes.has(next)) return;
    } else if (!isValidContentType(type)) {
      return;
    }
    if (!isRecordVersion(version)) return;
    this.setDisplayVersion(version);
  }

  private setDisplayVersion(version: number): void {
    this.displayVersion = version;
    const mode = version === 0x0002 ? Sslv2Mode.Force : Sslv2Mode.Never;
    this.framers[0].sslv2Mode = mode;
    this.framers[1].sslv2Mode = mode;
  }

  /**
   * Whether a handshake record is ciphertext: after this direction's ChangeCipherSpec (TLS ≤ 1.2),
   * or when it cannot be a handshake message (Wireshark's heuristics: an AEAD explicit nonce of
   * zeros, an unknown type; and, before any hello was seen, a type other than a hello).
   */
  private handshakeEncrypted(dir: Direction, b: Uint8Array, bodyAt: number, len: number): boolean {
    if (this.session.version === 0x0304) return false;
    if ((this.ccsSent & (1 << dir)) !== 0) return true;
    if (this.assemblers[dir].active() || len < 16) return false;
    if (b[bodyAt] === 0 && b[bodyAt + 1] === 0 && b[bodyAt + 2] === 0 && b[bodyAt + 3] === 0 && b[bodyAt + 4] === 0) return true;
    const type = b[bodyAt]!;
    if (!handshakeTypes.has(type)) return true;
    return !this.sawHello && type > HandshakeType.ServerHello;
  }

  private changeCipherSpec(dir: Direction): void {
    // TLS 1.3 keeps a dummy ChangeCipherSpec for middleboxes (RFC 8446 §D.4); it changes nothing.
    if (this.session.version === 0x0304) return;
    this.ccsSent |= 1 << dir;
    this.dec?.changeCipherSpec(dir);
    const s = this.session;
    // RFC 5246 §7.3: an abbreviated handshake has the server's ChangeCipherSpec right after its hello.
    if (dir !== s.clientDir && this.serverHelloSeen && !this.serverFullFlight && s.resumed === null) {
      const ticket = this.clientTicket;
      s.resumed = this.clientHelloSeen && ticket !== null && ticket > 0 ? 'ticket' : 'session-id';
    }
  }

  private onMessage(m: TlsHandshakeMessage, rec: TlsRecord, chunk: StreamChunk): void {
    if (!this.summaryOnly) {
      this.messages.push(m);
      rec.messages.push(m);
    }
    if (!rec.sslv2) this.appendInfo(chunk, m.title);
    if (m.malformed !== null) this.problem(m.dir, chunk.row, 'malformed', m.malformed, m.streamOffset, 4 + m.length, chunk.p);
    const s = this.session;
    const fromClient = m.dir === s.clientDir;
    switch (m.kind) {
      case 'client_hello':
        this.onClientHello(m, chunk);
        this.serverPort = chunk.p.dstPort;
        if (this.dec !== null) {
          const p = chunk.p;
          this.dec.serverAddress = p.net === 4 ? ipv4FromUint32(p.dst4) : p.net === 6 ? ipv6Text(p.buf, p.dst6) : '';
          this.dec.serverPort = p.dstPort;
        }
        break;
      case 'server_hello': {
        this.onServerHello(m);
        const weak = m.isHelloRetryRequest ? null : weakCipherSuite(m.cipherSuite);
        if (weak !== null) chunk.p.expert.add(Expert['tls.weak_suite']!, 0, 0, weak);
        break;
      }
      case 'certificate': {
        const at = Number.isNaN(s.clientHelloTime) ? chunk.p.tsSec + chunk.p.tsNsec / 1e9 : s.clientHelloTime;
        if (fromClient && this.serverHelloSeen) {
          s.clientCertificates = this.summaryOnly ? shareChain(m.chain) : m.chain;
          s.clientCertSent = m.chain.length > 0 ? 'certificate' : 'empty';
          s.clientChecks = m.chain.length > 0 ? checkChain(m.chain, null, at) : null;
        } else {
          this.serverFullFlight = true;
          s.serverCertificates = this.summaryOnly ? shareChain(m.chain) : m.chain;
          s.serverChecks = m.chain.length > 0 ? checkChain(m.chain, s.sni, at) : null;
        }
        break;
      }
      case 'server_key_exchange':
        this.serverFullFlight = true;
        if (m.group !== null) {
          s.group = m.group;
          s.groupName = namedGroupName(m.group);
        }
        if (m.dhPrimeBits !== null) s.dhPrimeBits = m.dhPrimeBits;
        break;
      case 'certificate_request':
        s.clientCertRequested = true;
        break;
      case 'server_hello_done':
        this.serverFullFlight = true;
        if (s.progress.serverHelloDoneRow < 0) s.progress.serverHelloDoneRow = chunk.row;
        if (s.clientCertRequested === null) s.clientCertRequested = false;
        break;
      case 'certificate_status':
        s.ocspStapled = true;
        break;
      case 'encrypted_extensions':
        if (m.alpn !== null) s.alpn = m.alpn;
        break;
      case 'finished':
        // A Finished read in the clear (decrypted with keys): the handshake step it completes.
        if (s.progress.finishedRow[m.dir] < 0) s.progress.finishedRow[m.dir] = chunk.row;
        break;
      case 'sslv2_server_hello':
        s.sslv2 = true;
        s.version = 0x0002;
        s.versionName = tlsVersionName(0x0002);
        s.keyExchange = 'SSL2';
        s.forwardSecrecy = false;
        s.serverHelloRow = m.row;
        this.sawHello = true;
        if (m.certificate !== null) {
          s.serverCertificates = [m.certificate];
          const at = Number.isNaN(s.clientHelloTime) ? chunk.p.tsSec + chunk.p.tsNsec / 1e9 : s.clientHelloTime;
          s.serverChecks = checkChain(s.serverCertificates, null, at);
        }
        if (m.sessionIdHit) s.resumed = 'session-id';
        break;
      default:
        break;
    }
  }

  private onClientHello(m: ClientHello, chunk: StreamChunk): void {
    const s = this.session;
    const first = !this.clientHelloSeen;
    this.sawHello = true;
    if (first) {
      s.clientDir = m.dir;
      s.clientHelloRow = m.row;
      s.clientHelloTime = chunk.p.tsSec + chunk.p.tsNsec / 1e9;
      this.syncAppDataRows();
    } else if (this.serverHelloSeen && !this.serverHelloIsRetry) {
      // A renegotiation (or a second handshake): the summary keeps the first one.
      return;
    }
    this.clientHelloSeen = true;
    this.clientSessionId = m.sessionId;
    this.clientTicket = m.sessionTicket;
    const sessionIdOffered = m.sessionId !== '';
    const ticketOffered = m.sessionTicket !== null && m.sessionTicket > 0;
    if (this.summaryOnly) {
      s.offeredVersions = sharedList(m.versions, 'v');
      s.sni = sharedName(m.sni);
      s.alpnOffered = sharedList(m.alpn, 'a');
      s.resumptionOffered = RESUMPTION_OFFERS[(sessionIdOffered ? 1 : 0) | (ticketOffered ? 2 : 0) | (m.pskOffered ? 4 : 0)]!;
    } else {
      s.offeredVersions = m.versions;
      s.sni = m.sni;
      s.alpnOffered = m.alpn;
      s.resumptionOffered = { sessionId: sessionIdOffered, ticket: ticketOffered, psk: m.pskOffered };
    }
    s.ech = m.ech;
    s.grease = m.grease;
    s.earlyData = m.earlyData;
  }

  private onServerHello(m: ServerHello): void {
    const s = this.session;
    this.sawHello = true;
    if (m.dir === s.clientDir && !this.clientHelloSeen) {
      s.clientDir = m.dir === 0 ? 1 : 0;
      this.syncAppDataRows();
    }
    // tshark: the ServerHello fixes the session version (supported_versions first). TLS 1.3
    // drafts (0x7F0E–0x7F1C, Facebook's 0xFB17/0xFB1A) behave as TLS 1.3; the name keeps the draft.
    const version = isTls13Draft(m.version) ? 0x0304 : m.version;
    this.setDisplayVersion(version);
    s.version = version;
    s.versionName = tlsVersionName(m.version);
    this.ctx.version = version;
    if (m.isHelloRetryRequest) {
      s.helloRetry = true;
      if (m.selectedGroup !== null) {
        s.group = m.selectedGroup;
        s.groupName = namedGroupName(m.selectedGroup);
      }
      this.serverHelloSeen = true;
      this.serverHelloIsRetry = true;
      return;
    }
    if (this.serverHelloSeen && !this.serverHelloIsRetry) return;
    this.serverHelloSeen = true;
    this.serverHelloIsRetry = false;
    s.serverHelloRow = m.row;
    s.cipherSuite = m.cipherSuite;
    s.cipherSuiteName = cipherSuiteName(m.cipherSuite);
    s.alpn = m.alpn;
    s.extendedMasterSecret = m.extendedMasterSecret;
    s.encryptThenMac = m.encryptThenMac;
    const info = cipherSuites.get(m.cipherSuite);
    this.ctx.suiteKx = info?.keyExchange ?? null;
    this.ctx.suiteSigned = info === undefined || (info.authentication !== 'anon' && info.authentication !== 'PSK');
    if (version === 0x0304) {
      // RFC 8446 §2: key exchange is (EC)DHE, PSK-only, or PSK with (EC)DHE.
      const group = m.selectedGroup;
      if (group !== null) {
        s.group = group;
        s.groupName = namedGroupName(group);
      }
      const dh = group === null ? null : isFfdheGroup(group) ? 'DHE' : 'ECDHE';
      if (m.pskSelected !== null) {
        s.resumed = 'psk';
        s.keyExchange = dh === null ? 'PSK' : dh === 'DHE' ? 'PSK+DHE' : 'PSK+ECDHE';
      } else {
        s.keyExchange = dh ?? 'other';
      }
    } else if (info !== undefined) {
      s.keyExchange = kxKind(info.keyExchange, info.authentication);
      // RFC 5246 §7.4.1.3: the server echoing the client's session id resumes that session.
      const ticket = this.clientTicket;
      if (this.clientHelloSeen && this.clientSessionId !== '' && this.clientSessionId === m.sessionId) {
        s.resumed = ticket !== null && ticket > 0 ? 'ticket' : 'session-id';
      }
    }
    s.forwardSecrecy = s.keyExchange === null ? null : FORWARD_SECRET.has(s.keyExchange);
  }

  private markEncrypted(dir: Direction, f: RecordFramer, chunk: StreamChunk): void {
    if (this.session.encryptedFrom[dir] === null) this.session.encryptedFrom[dir] = { row: chunk.row, streamOffset: f.start };
  }

  /** Where the next message comes from (one reused object: parsing copies it into the message). */
  private meta(dir: Direction, chunk: StreamChunk, streamOffset: number): MessageMeta {
    const m = scratchMeta;
    m.dir = dir;
    m.row = chunk.row;
    m.streamOffset = streamOffset;
    return m;
  }

  /**
   * An application data record that the record list holds (or would hold): the client's first
   * after its first encrypted record is its first request, the server's first completing after
   * that request is the answer (TlsSession.appDataRequestRow / appDataResponseRow).
   */
  private appDataRequest(dir: Direction, f: RecordFramer, row: number): void {
    // Both directions are tracked as the possible client: which one is the client may be learnt
    // after the application data (a capture that starts mid-stream).
    const enc = this.session.encryptedFrom[dir];
    const first = enc === null || f.start > enc.streamOffset;
    if (dir === 0) {
      if (this.requestRow0 < 0 && first) this.requestRow0 = row;
      if (this.requestRow1 >= 0 && this.responseRow1 < 0 && row > this.requestRow1) this.responseRow1 = row;
    } else {
      if (this.requestRow1 < 0 && first) this.requestRow1 = row;
      if (this.requestRow0 >= 0 && this.responseRow0 < 0 && row > this.requestRow0) this.responseRow0 = row;
    }
    this.syncAppDataRows();
  }

  private syncAppDataRows(): void {
    const s = this.session;
    s.appDataRequestRow = s.clientDir === 0 ? this.requestRow0 : this.requestRow1;
    s.appDataResponseRow = s.clientDir === 0 ? this.responseRow0 : this.responseRow1;
  }

  private newRecord(f: RecordFramer, row: number): TlsRecord {
    if (this.summaryOnly) {
      const r = scratchRecord;
      r.dir = f.dir;
      r.contentType = f.type;
      r.version = f.version;
      r.length = f.length;
      r.headerLength = f.headerLength;
      r.streamOffset = f.start;
      r.firstRow = f.firstRow;
      r.completedRow = row;
      r.encrypted = false;
      r.sslv2 = f.sslv2;
      r.continues = false;
      r.alert = null;
      r.innerType = null;
      r.decryption = this.failReason === null ? null : 'failed';
      r.decryptError = this.failReason;
      r.plaintext = null;
      r.missing = f.missing;
      r.malformed = null;
      return r;
    }
    const failed = this.failReason;
    return {
      dir: f.dir,
      contentType: f.type,
      version: f.version,
      length: f.length,
      headerLength: f.headerLength,
      streamOffset: f.start,
      firstRow: f.firstRow,
      completedRow: row,
      encrypted: false,
      sslv2: f.sslv2,
      messages: [],
      continues: false,
      alert: null,
      innerType: null,
      decryption: failed === null ? null : 'failed',
      decryptError: failed,
      plaintext: null,
      missing: f.missing,
      malformed: null,
    };
  }

  private keepRecord(rec: TlsRecord, kind: TlsProblem['kind'], packet: Packet | null): void {
    if (this.recordCount < KEPT_RECORDS || this.keepsSpans) {
      this.recordCount++;
      if (!this.summaryOnly) this.records.push(rec);
    }
    if (rec.malformed !== null && rec.missing === 0) this.problem(rec.dir, rec.completedRow, kind, rec.malformed, rec.streamOffset, rec.headerLength + rec.length, packet);
  }

  private problem(dir: Direction, row: number, kind: TlsProblem['kind'], reason: string, streamOffset: number, length: number, packet: Packet | null): void {
    const list = this.session.problems;
    const p: TlsProblem = { dir, row, kind, reason, streamOffset, length };
    if ((list as readonly unknown[]) === NONE) this.session.problems = [p];
    else if (list.length < KEPT_PROBLEMS) list.push(p);
    // Malformed bytes are expert errors on the packet that carried them (a heartbeat's invalid
    // length is raised with tshark's own wording by heartbeatRecord).
    if (packet !== null && kind === 'malformed' && !reason.startsWith(HEARTBEAT_INVALID)) packet.expert.add(Expert['tls.malformed']!, 0, 0, reason);
  }

  /**
   * TLS 1.3 hides the handshake after ServerHello in application_data records: the server's up to
   * the client's first protected record are its flight (ending in Finished); of the client's first
   * records the one the size of an encrypted Finished is its Finished, else the first (RFC 8446 §2).
   */
  private tls13Progress(dir: Direction, length: number, row: number): void {
    const s = this.session;
    const sh = s.serverHelloRow;
    if (sh < 0) return;
    const finished = s.progress.finishedRow;
    if (dir === s.clientDir) {
      if (row <= sh || this.client13Finished || this.client13Records >= TLS13_CLIENT_FLIGHT) return;
      this.client13Records++;
      if (length === tls13RecordSizes(s.cipherSuite).finished) {
        this.client13Finished = true;
        finished[dir] = row;
      } else if (this.client13Records === 1) finished[dir] = row;
    } else if (row >= sh && this.client13Records === 0) {
      finished[dir] = row;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Packet annotations: Protocol and Info columns, the tree
  // -------------------------------------------------------------------------------------------

  private setTop(chunk: StreamChunk, recordVersion: number): void {
    chunk.p.top = versionProto(this.displayVersion !== 0 ? this.displayVersion : recordVersion);
  }

  private appendInfo(chunk: StreamChunk, text: string): void {
    const p = chunk.p;
    if (this.infoRow !== chunk.row || p.appInfo === null) {
      p.appInfo = text;
      this.infoRow = chunk.row;
    } else {
      p.appInfo = joinInfo(p.appInfo, text);
    }
    this.appDataInfo = -1;
  }

  /** `Application Data` repeated without building a new string per packet. */
  private appendAppDataInfo(chunk: StreamChunk): void {
    const p = chunk.p;
    if (this.infoRow !== chunk.row || p.appInfo === null) {
      p.appInfo = APP_DATA_INFO[0]!;
      this.infoRow = chunk.row;
      this.appDataInfo = 0;
      return;
    }
    if (this.appDataInfo >= 0 && p.appInfo === APP_DATA_INFO[this.appDataInfo] && this.appDataInfo + 1 < APP_DATA_INFO.length) {
      p.appInfo = APP_DATA_INFO[++this.appDataInfo]!;
      return;
    }
    p.appInfo = joinInfo(p.appInfo, 'Application Data');
    this.appDataInfo = -1;
  }

  /** The packet's one TLS layer: begun by the first record completing in it, resumed after. */
  private ensureLayer(t: TreeBuilder, chunk: StreamChunk): void {
    t.source = 0;
    if (this.layerTree !== t || this.layer === null) {
      const start = chunk.frameOffset >= 0 ? chunk.frameOffset : 0;
      this.layer = t.begin('tls', 'Transport Layer Security', 5, start, chunk.frameOffset >= 0 ? this.callLen : 0);
      this.layerTree = t;
    } else {
      t.resume(this.layer);
      if (chunk.frameOffset >= 0) {
        const end = Math.max(this.layer.start + this.layer.length, chunk.frameOffset + this.callLen);
        this.layer.start = Math.min(this.layer.start, chunk.frameOffset);
        this.layer.length = end - this.layer.start;
      }
    }
  }

  /** Where this record's bytes are shown: the frame, or a "Reassembled TLS" source. */
  private recordEmit(t: TreeBuilder, f: RecordFramer, b: Uint8Array | null, at: number, frameOffset: number, chunk: StreamChunk): Emit {
    if (frameOffset >= 0) return new Emit(t, frameOffset - at);
    if (b !== null) {
      const total = f.headerLength + f.length;
      t.addSource(`Reassembled TLS (${total} bytes)`, b.slice(at, at + total));
      return new Emit(t, -at);
    }
    // Bytes not kept (or lost): fields point at the start of this packet's part of the stream.
    return new Emit(t, (chunk.frameOffset >= 0 ? chunk.frameOffset : 0) - at);
  }

  private openRecord(t: TreeBuilder, f: RecordFramer, b: Uint8Array | null, at: number, frameOffset: number, chunk: StreamChunk, type: number, opaque: boolean): Emit {
    this.ensureLayer(t, chunk);
    const e = this.recordEmit(t, f, b, at, frameOffset, chunk);
    const sized = b !== null || frameOffset >= 0;
    this.recordNode = e.openLabel(F.record, 'Record Layer', at, sized ? 5 + f.length : 0);
    const title = contentTypeTitle(type);
    e.add(opaque ? F.opaqueType : F.contentType, type, at, sized ? 1 : 0, namedDec(title, type));
    e.add(F.recordVersion, f.version, at + 1, sized ? 2 : 0, versionLabel(f.version));
    e.add(F.recordLength, f.length, at + 3, sized ? 2 : 0);
    return e;
  }

  private closeRecord(e: Emit, title: string, malformed: string | null): void {
    const t = e.t;
    if (this.failReason !== null) e.text(`[Decryption failed: ${this.failReason}]`, 0, 0).warning = `decryption failed: ${this.failReason}`;
    e.close();
    const node = this.recordNode;
    if (node !== null) node.label = title;
    this.recordNode = null;
    if (malformed !== null) {
      if (node !== null) t.malformed(malformed, node.start, node.length, node.source);
      else t.malformed(malformed);
    }
    t.source = 0;
  }

  private appDataTree(t: TreeBuilder, f: RecordFramer, b: Uint8Array | null, at: number, frameOffset: number, chunk: StreamChunk, shownVersion: number, opaque: boolean): void {
    const e = this.openRecord(t, f, b, at, frameOffset, chunk, ContentType.ApplicationData, opaque);
    const proto = this.appDataProtocol(chunk);
    const len = f.length;
    const bodyAt = at + 5;
    if (b !== null && len > 0) e.add(F.appData, bytesHex(b, bodyAt, len), bodyAt, len, bytesLabel(b, bodyAt, len));
    else if (frameOffset >= 0 && len > 0) e.addLabel(F.appData, null, bodyAt, len, `Encrypted Application Data (${len} bytes)`);
    if (proto !== null) e.addLabel(F.appDataProto, proto, at, 0, `[Application Data Protocol: ${proto}]`);
    const vname = versionShortName(shownVersion) ?? 'TLS';
    this.closeRecord(e, `${vname} Record Layer: Application Data Protocol: ${proto ?? 'Application Data'}`, f.missing > 0 ? `${f.missing} bytes not captured` : null);
  }

  /** The protocol inside, as Wireshark guesses it: ALPN, else HTTP on port 443. */
  private appDataProtocol(chunk: StreamChunk): string | null {
    const alpn = this.session.alpn;
    if (alpn === 'h2') return 'HyperText Transfer Protocol 2';
    if (alpn === 'http/1.1' || alpn === 'http/1.0') return 'Hypertext Transfer Protocol';
    const p = chunk.p;
    if (p.srcPort === 443 || p.dstPort === 443) return 'Hypertext Transfer Protocol';
    return null;
  }
}

function bytesHex(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const v = b[at + i]!;
    s += (v < 16 ? '0' : '') + v.toString(16);
  }
  return s;
}

/**
 * RFC 5246 §6.2.1 / RFC 8446 §5.1 record header at `b[at]`: a known content type, an SSL 3.0–TLS
 * 1.3 record version (records never carry 0x0304 except in a handshake record of some stacks) and
 * a length a record can have. Besides handshake records it accepts what a capture that started
 * late begins with: application data, alerts, ChangeCipherSpec, heartbeats. None of these first
 * bytes (0x14–0x18) is printable, so HTTP and other text protocols never match.
 */
function looksLikeTlsRecord(b: Uint8Array, at: number, end: number): boolean {
  if (end - at < 5) return false;
  const type = b[at]!;
  const minor = b[at + 2]!;
  if (b[at + 1] !== 3 || minor > 4) return false;
  const length = (b[at + 3]! << 8) | b[at + 4]!;
  if (length === 0 || length > MAX_RECORD_LENGTH) return false;
  if (type === ContentType.Handshake) return true;
  if (minor > 3) return false;
  if (type === ContentType.ApplicationData || type === ContentType.Heartbeat) return true;
  if (type === ContentType.Alert) return length <= 512;
  if (type === ContentType.ChangeCipherSpec) return length <= 64;
  return false;
}

/** RFC 5246 §E.2 (and SSL 2.0): a ClientHello in an SSL 2.0 record (or an SSL 2.0 ServerHello). */
function looksLikeSslv2Hello(b: Uint8Array, at: number, end: number): boolean {
  if (end - at < 11) return false;
  const b0 = b[at]!;
  if (!looksLikeSslv2(b0, b[at + 2]!)) return false;
  const recordLength = ((b0 & 0x7f) << 8) | b[at + 1]!;
  const type = b[at + 2]!;
  const version = (b[at + 3]! << 8) | b[at + 4]!;
  if (type === 1) {
    if (version !== 0x0002 && (version < 0x0300 || version > 0x0304)) return false;
    const specs = (b[at + 5]! << 8) | b[at + 6]!;
    const sid = (b[at + 7]! << 8) | b[at + 8]!;
    const challenge = (b[at + 9]! << 8) | b[at + 10]!;
    return specs > 0 && specs % 3 === 0 && (sid === 0 || sid === 16 || sid === 32) && challenge >= 16 && challenge <= 32 && recordLength === 9 + specs + sid + challenge;
  }
  if (type === 4) {
    const v = (b[at + 5]! << 8) | b[at + 6]!;
    return v === 0x0002;
  }
  return false;
}

/** Content-based detection for a direction's first bytes (any port). */
export function detectTls(bytes: Uint8Array, off: number, len: number): boolean {
  const end = off + len;
  if (looksLikeSslv2Hello(bytes, off, end)) return true;
  if (!looksLikeTlsRecord(bytes, off, end)) return false;
  // When the first record ends inside these bytes, what follows must be another record header.
  const next = off + 5 + ((bytes[off + 3]! << 8) | bytes[off + 4]!);
  if (next + 5 <= end) return looksLikeTlsRecord(bytes, next, end);
  return true;
}

export interface TlsParserOptions {
  /** Keys to decrypt with (key logs, DSBs, RSA keys); null or absent: records stay encrypted. */
  keys?: TlsKeyStore | null;
  /** The factories offered decrypted application data (ALPN first, then detection). */
  innerFactories?: () => readonly AppParserFactory[];
}

/** A TLS factory whose parsers decrypt with `opts.keys` and hand plaintext to `opts.innerFactories`. */
export function createTlsFactory(opts: TlsParserOptions = {}): AppParserFactory & { create(host: StreamHost): TlsParser } {
  return {
    protocol: 'tls',
    fields: tlsFieldList,
    detect(bytes: Uint8Array, off: number, len: number, _port: number): boolean {
      return detectTls(bytes, off, len);
    },
    create(host: StreamHost): TlsParser {
      return new TlsParser(host, opts);
    },
  };
}

/** TLS without keys (records stay encrypted). */
export const tlsFactory = createTlsFactory();
