// One TLS connection's decryption: follows the handshake (randoms, suite, extensions, transcript),
// finds its keys in the key store, switches each direction's record protection at the points the
// protocol does (ChangeCipherSpec; TLS 1.3 ServerHello, Finished, EndOfEarlyData, KeyUpdate) and
// verifies both Finished messages. It opens records; the TLS parser dissects what comes out.

import type { Direction } from '../../flow/app-parser';
import type { SecretRef, SessionSecrets, TlsKeyStore } from '../keys/key-store';
import { decryptPreMaster } from '../keys/rsa-key';
import type { FinishedCheck, TlsDecryption } from '../model';
import { AeadProtection } from './aead';
import { CbcHmacProtection } from './cbc-hmac';
import { cipherSpec, type CipherSpec } from './cipher-spec';
import { finishedVerifyData, keyBlock, masterSecret } from './prf';
import { Transcript } from './transcript';
import { BAD_RECORD_MAC, type OpenResult, type RecordProtection } from './record-protection';
import { finishedVerifyData13, nextTrafficSecret, trafficKeys } from './tls13-key-schedule';

/** What the views say of a record that failed its MAC or tag (issue: wrong key). */
export const WRONG_KEY = 'bad record MAC — the key does not belong to this session';

/** Why a 0-RTT record stays encrypted when the keys have everything but its secret. */
const EARLY_MISSING = 'no CLIENT_EARLY_TRAFFIC_SECRET for this session in the keys loaded (0-RTT early data)';

/** RFC 8446 §4.5: EndOfEarlyData, handshake type 5 with an empty body. */
const END_OF_EARLY_DATA = Uint8Array.of(5, 0, 0, 0);

/** RFC 8446 §4.1.3: the ServerHello random of a HelloRetryRequest, SHA-256("HelloRetryRequest"). */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

const ContentChangeCipherSpec = 20;
const ContentApplicationData = 23;

type Stage = 'plain' | 'early' | 'handshake' | 'application' | 'tls12';

interface DirState {
  stage: Stage;
  prot: RecordProtection | null;
  seq: number;
  /** TLS 1.3: the traffic secret in use (for KeyUpdate and trial of the next one). */
  secret: Uint8Array | null;
  generation: number;
  /** Why this direction's records cannot be opened (set once encryption started without keys). */
  missing: string | null;
  /** A KeyUpdate was seen in this direction's current record: switch after it. */
  updatePending: boolean;
  /** TLS 1.3 handshake stage done: switch to application keys after the current record. */
  finishedPending: boolean;
}

function newDir(): DirState {
  return { stage: 'plain', prot: null, seq: 0, secret: null, generation: 0, missing: null, updatePending: false, finishedPending: false };
}

function hex(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('hex');
}

export class SessionDecryptor {
  readonly info: TlsDecryption;
  private clientDir: Direction = 0;
  private clientRandom: Uint8Array | null = null;
  private clientRandomHex = '';
  private serverRandom: Uint8Array | null = null;
  private clientSessionId = '';
  private clientTicket = '';
  private serverSessionId = '';
  private earlyOffered = false;
  /** TLS 1.3 suites the ClientHello offers, in its order (candidates for 0-RTT records). */
  private offered13: number[] = [];
  private earlySpecs: CipherSpec[] = [];
  /** The server's EncryptedExtensions accepted early data; the client's EndOfEarlyData was seen. */
  private earlyAccepted = false;
  private endOfEarlyData = false;
  private version = 0;
  private spec: CipherSpec | null = null;
  private specError: string | null = null;
  private ems = false;
  private etm = false;
  private helloRetry = false;
  private serverHelloDone = false;
  private secrets: SessionSecrets | undefined;
  private master: SecretRef | null = null;
  private readonly refs: SecretRef[] = [];
  /** Dropped once both Finished are in (a whole-file pass holds every connection's decryptor). */
  private transcript: Transcript | null = new Transcript();
  /** TLS ≤ 1.2: the key block, derived once for both directions. */
  private block: Buffer | null = null;
  /** The key source text needs recomputing (a secret was used since it was last made). */
  private refsChanged = false;
  private handshakeDone = false;
  private finishedSeen = 0;
  private readonly dirs: [DirState, DirState] = [newDir(), newDir()];
  /** Directions that move to handshake keys after the current record (EndOfEarlyData). */
  private readonly switchAfter = new Set<Direction>();
  /** A TLS 1.2 NewSessionTicket seen before the master secret was known. */
  private pendingTicket = '';
  /** The server's address and port (for RSA keys bound to a server), set by the parser. */
  serverAddress = '';
  serverPort = 0;

  constructor(private readonly store: TlsKeyStore) {
    let text: string | null = null;
    const sourceText = (): string | null => {
      if (this.refsChanged) {
        this.refsChanged = false;
        text = this.keySourceText();
      }
      return text;
    };
    this.info = {
      status: 'no-key',
      reason: null,
      method: null,
      // Made when read (views, explanations), not for every secret a whole-file pass uses.
      get keySource(): string | null {
        return sourceText();
      },
      opened: [0, 0],
      failed: [0, 0],
      finished: [null, null],
    };
  }

  /** Whether records of `dir` with this outer content type are ciphertext this object handles. */
  protects(dir: Direction, type: number): boolean {
    const d = this.dirs[dir];
    if (d.stage === 'plain') return false;
    // TLS 1.3 keeps a plaintext ChangeCipherSpec (RFC 8446 §D.4) and protects only type 23.
    if (d.stage !== 'tls12') return type === ContentApplicationData;
    return type !== ContentChangeCipherSpec || d.prot !== null;
  }

  /**
   * Client application data records before the ServerHello are 0-RTT early data (RFC 8446 §2.3):
   * they are ours when the client offered early data and the key log has its secret.
   */
  earlyDataBeforeHello(dir: Direction, type: number): boolean {
    return !this.serverHelloDone && type === ContentApplicationData && dir === this.clientDir && this.earlyOffered && this.clientRandom !== null;
  }

  /** Opens one protected record of `dir` (null: this direction has no keys; its reason is in `missing`). */
  open(dir: Direction, type: number, version: number, b: Uint8Array, off: number, len: number): OpenResult | null {
    const d = this.dirs[dir];
    if (!this.serverHelloDone && d.stage === 'plain') this.startEarly(dir);
    if (d.prot === null) {
      this.noteMissing(d);
      return null;
    }
    let r = d.prot.open(type, version, b, off, len, d.seq);
    if (!r.ok && r.reason === BAD_RECORD_MAC) {
      const alt = this.trialEarlySuites(d, type, version, b, off, len) ?? this.trialNext(dir, type, version, b, off, len);
      if (alt !== null) r = alt;
      else if (this.earlyWithoutKey(dir)) {
        // RFC 8446 §4.5: early data and EndOfEarlyData are under the early keys, which the keys
        // loaded lack: no key for this record, and the handshake keys' first record is still to come.
        this.noteMissing({ ...d, missing: EARLY_MISSING });
        return null;
      }
    }
    d.seq++;
    const side = dir;
    if (r.ok) {
      this.info.opened[side]++;
      if (this.info.status === 'no-key') this.info.status = 'decrypted';
    } else {
      this.info.failed[side]++;
      const reason = r.reason === BAD_RECORD_MAC ? WRONG_KEY : r.reason;
      r = { ok: false, reason };
      if (this.info.reason === null) this.info.reason = `decryption failed: ${reason}`;
      this.info.status = this.info.opened[0] + this.info.opened[1] > 0 ? 'partial' : 'failed';
    }
    return r;
  }

  /**
   * Both directions ended: keys, ciphers and the transcript go (what the views read, `info`,
   * stays). A whole-file pass keeps every connection's parser, so this keeps memory per
   * conversation small.
   */
  release(): void {
    for (const d of this.dirs) {
      d.prot = null;
      d.secret = null;
    }
    this.transcript = null;
    this.secrets = undefined;
    this.block = null;
    this.clientRandom = null;
    this.serverRandom = null;
  }

  /** A protected record of `dir` that could not be read (bytes not captured): its number passes. */
  skip(dir: Direction): void {
    this.dirs[dir].seq++;
  }

  /** After a record of `dir` was dissected: key changes its messages asked for take effect. */
  private afterRecord(dir: Direction): void {
    const d = this.dirs[dir];
    if (d.finishedPending) {
      d.finishedPending = false;
      this.enter13(dir, 'application', 0);
    }
    if (d.updatePending) {
      d.updatePending = false;
      if (d.secret !== null && this.spec !== null) {
        const next = this.nextSecret(dir, d);
        this.use13(d, next, d.generation + 1);
      }
    }
  }

  /** TLS ≤ 1.2: a ChangeCipherSpec in `dir`; its following records are protected (RFC 5246 §7.1). */
  changeCipherSpec(dir: Direction): void {
    if (this.version === 0x0304 || !this.serverHelloDone) return;
    const d = this.dirs[dir];
    d.stage = 'tls12';
    d.seq = 0;
    d.prot = null;
    if (this.spec === null) {
      d.missing = this.specError ?? 'cipher suite unknown';
      return;
    }
    const master = this.findMaster();
    if (master === null) return;
    d.prot = this.protection12(dir, master.secret);
  }

  /** One handshake message (header included) as sent, plaintext or decrypted, in stream order. */
  message(dir: Direction, b: Uint8Array, start: number, end: number): void {
    if (end - start < 4) return;
    const type = b[start]!;
    if (type === 20) this.verifyFinished(dir, b, start, end);
    // HelloRequest is not part of the transcript (RFC 5246 §7.4.1.1); TLS 1.3's NewSessionTicket
    // and KeyUpdate come after the handshake.
    if (!this.handshakeDone && type !== 0 && (type !== 4 || this.version !== 0x0304)) this.transcript?.add(b, start, end);
    switch (type) {
      case 1:
        this.clientHello(dir, b, start + 4, end);
        break;
      case 2:
        this.serverHello(dir, b, start + 4, end);
        break;
      case 4:
        if (this.version !== 0x0304) this.ticket(b, start + 4, end);
        break;
      case 5:
        // EndOfEarlyData: the client's next records use its handshake keys (RFC 8446 §4.5).
        if (dir === this.clientDir) {
          this.switchAfter.add(dir);
          this.endOfEarlyData = true;
        }
        break;
      case 8:
        // RFC 8446 §4.2.10: the server accepts 0-RTT by echoing early_data in EncryptedExtensions.
        if (dir !== this.clientDir && end - start >= 6) forEachExtension(b, start + 4, end, (ext) => {
          if (ext === 0x002a) this.earlyAccepted = true;
        });
        break;
      case 16:
        if (dir === this.clientDir) this.clientKeyExchange(b, start + 4, end);
        break;
      case 24:
        if (this.version === 0x0304 && this.handshakeDone) this.dirs[dir].updatePending = true;
        break;
      default:
        break;
    }
  }

  /** The key log lines (or key file) that decrypted this session, for explanations. */
  keySourceText(): string | null {
    if (this.refs.length === 0) return null;
    const bySource = new Map<number, number[]>();
    for (const r of this.refs) {
      let lines = bySource.get(r.source);
      if (lines === undefined) bySource.set(r.source, (lines = []));
      if (r.line > 0 && !lines.includes(r.line)) lines.push(r.line);
    }
    const parts: string[] = [];
    for (const [source, lines] of bySource) {
      const name = this.store.sourceText({ source, line: 0 });
      lines.sort((a, b) => a - b);
      parts.push(lines.length === 0 ? name : `${name} ${lines.length === 1 ? 'line' : 'lines'} ${rangesText(lines)}`);
    }
    return parts.join(', ');
  }

  /**
   * The key log's secrets for this session, looked up again while missing: a key log being followed
   * during a live capture gets a session's lines just after its ClientHello.
   */
  private secretsNow(): SessionSecrets | undefined {
    if (this.secrets === undefined && this.clientRandomHex !== '') this.secrets = this.store.secrets(this.clientRandomHex);
    return this.secrets;
  }

  // -------------------------------------------------------------------------------------------
  // Hellos
  // -------------------------------------------------------------------------------------------

  private clientHello(dir: Direction, b: Uint8Array, at: number, end: number): void {
    if (this.clientRandom !== null && (this.serverHelloDone || !this.helloRetry)) {
      // A second ClientHello after a HelloRetryRequest continues this handshake; any other one is
      // a renegotiation, which is not followed.
      if (!this.helloRetry) return;
    }
    if (end - at < 35) return;
    const first = this.clientRandom === null;
    this.clientDir = dir;
    if (first) {
      this.clientRandom = b.slice(at + 2, at + 34);
      this.clientRandomHex = hex(b, at + 2, at + 34);
      this.store.noteSession(this.clientRandomHex);
      this.secrets = this.store.secrets(this.clientRandomHex);
    }
    let p = at + 34;
    const sidLen = b[p]!;
    this.clientSessionId = p + 1 + sidLen <= end ? hex(b, p + 1, p + 1 + sidLen) : '';
    p += 1 + sidLen;
    if (p + 2 > end) return;
    const suitesEnd = Math.min(end, p + 2 + ((b[p]! << 8) | b[p + 1]!));
    this.offered13 = [];
    for (let q = p + 2; q + 2 <= suitesEnd; q += 2) {
      const suite = (b[q]! << 8) | b[q + 1]!;
      if (suite >> 8 === 0x13) this.offered13.push(suite);
    }
    p = suitesEnd;
    if (p + 1 > end) return;
    p += 1 + b[p]!;
    this.earlyOffered = false;
    forEachExtension(b, p, end, (type, s, e) => {
      if (type === 0x0023 && e > s) this.clientTicket = hex(b, s, e);
      if (type === 0x002a) this.earlyOffered = true;
    });
  }

  private serverHello(dir: Direction, b: Uint8Array, at: number, end: number): void {
    if (this.serverHelloDone || end - at < 38) return;
    const random = hex(b, at + 2, at + 34);
    let version = (b[at]! << 8) | b[at + 1]!;
    let p = at + 34;
    const sidLen = b[p]!;
    this.serverSessionId = p + 1 + sidLen <= end ? hex(b, p + 1, p + 1 + sidLen) : '';
    p += 1 + sidLen;
    if (p + 3 > end) return;
    const suite = (b[p]! << 8) | b[p + 1]!;
    p += 3;
    let ems = false;
    let etm = false;
    forEachExtension(b, p, end, (type, s, e) => {
      if (type === 0x002b && e - s === 2) version = (b[s]! << 8) | b[s + 1]!;
      if (type === 0x0017) ems = true;
      if (type === 0x0016) etm = true;
    });
    if (version >= 0x7f0e && version <= 0x7f1c) version = 0x0304;
    this.clientDir = dir === 0 ? 1 : 0;
    if (random === HRR_RANDOM) {
      // RFC 8446 §4.4.1: the first ClientHello is replaced by its hash in the transcript.
      this.helloRetry = true;
      return;
    }
    this.serverHelloDone = true;
    this.serverRandom = b.slice(at + 2, at + 34);
    this.version = version;
    this.ems = ems;
    this.etm = etm;
    const spec = cipherSpec(suite, version);
    if (typeof spec === 'string') this.specError = spec;
    else {
      this.spec = spec;
      this.transcript?.start(version, spec.prfHash, this.helloRetry);
    }
    if (version === 0x0304) {
      // RFC 8446 §2: everything after the ServerHello is protected; the client's own flight too
      // (after any early data, which EndOfEarlyData closes).
      this.enter13(dir, 'handshake', 0);
      const client = this.dirs[this.clientDir];
      if (client.stage === 'plain') this.enter13(this.clientDir, 'handshake', 0);
    }
  }

  private ticket(b: Uint8Array, at: number, end: number): void {
    // RFC 5077 §3.3: lifetime_hint (4), ticket<0..2^16-1>.
    if (end - at < 6) return;
    const len = (b[at + 4]! << 8) | b[at + 5]!;
    if (at + 6 + len > end || len === 0) return;
    const key = `ticket:${hex(b, at + 6, at + 6 + len)}`;
    const master = this.findMaster();
    if (master !== null) this.store.rememberSession([key], master);
    else this.pendingTicket = key;
  }

  private clientKeyExchange(b: Uint8Array, at: number, end: number): void {
    if (this.master !== null || this.spec === null || this.clientRandom === null) return;
    // RFC 5246 §7.4.7.1: EncryptedPreMasterSecret, with a 2-byte length in TLS (not SSL 3.0).
    let s = at;
    const e = end;
    if (e - s >= 2 && ((b[s]! << 8) | b[s + 1]!) === e - s - 2) s += 2;
    if (e - s < 64) return;
    const encrypted = b.subarray(s, e);
    const prefix = hex(b, s, s + 8);
    const line = this.store.preMasterFor(prefix);
    let preMaster: Uint8Array | null = null;
    let ref: SecretRef | null = null;
    if (line !== undefined) {
      this.store.noteRsaPrefix(prefix);
      preMaster = line.secret;
      ref = line;
      this.info.method = 'rsa-pre-master';
    } else {
      for (const k of this.store.rsaKeysFor(this.serverAddress, this.serverPort)) {
        const pms = decryptPreMaster(k.key, encrypted);
        if (pms !== null) {
          preMaster = pms;
          ref = { secret: pms, source: k.source, line: 0 };
          this.info.method = 'rsa-key';
          break;
        }
      }
    }
    if (preMaster === null || ref === null) return;
    // RFC 7627 §3: the session hash covers the handshake up to and including ClientKeyExchange.
    const sessionHash = this.ems ? (this.transcript?.digest() ?? null) : null;
    if (this.ems && sessionHash === null) return;
    const ms = masterSecret(this.version, this.spec.prfHash, preMaster, this.clientRandom, this.serverRandom!, sessionHash);
    this.useMaster({ secret: ms, source: ref.source, line: ref.line });
  }

  // -------------------------------------------------------------------------------------------
  // TLS ≤ 1.2 keys
  // -------------------------------------------------------------------------------------------

  private findMaster(): SecretRef | null {
    if (this.master !== null) return this.master;
    const s = this.secretsNow();
    if (s?.master != null) {
      this.info.method = 'key-log';
      this.useMaster(s.master);
      return this.master;
    }
    // An abbreviated handshake resumes the session named by the echoed id or the ticket.
    const resumed =
      (this.clientSessionId !== '' && this.clientSessionId === this.serverSessionId ? this.store.resumed(`sid:${this.serverSessionId}`) : undefined) ??
      this.store.resumed(this.clientTicket === '' ? '' : `ticket:${this.clientTicket}`);
    if (resumed !== undefined) {
      this.info.method = 'resumption';
      this.useMaster(resumed);
      return this.master;
    }
    return null;
  }

  private useMaster(ref: SecretRef): void {
    this.master = ref;
    this.note(ref);
    const keys = this.serverSessionId !== '' ? [`sid:${this.serverSessionId}`] : [];
    if (this.pendingTicket !== '') keys.push(this.pendingTicket);
    if (keys.length > 0) this.store.rememberSession(keys, ref);
  }

  private protection12(dir: Direction, master: Uint8Array): RecordProtection | null {
    const spec = this.spec!;
    const macLen = spec.macLength;
    const keyLen = spec.keyLength;
    const ivLen = spec.ivLength;
    this.block ??= keyBlock(this.version, spec.prfHash, master, this.clientRandom!, this.serverRandom!, 2 * (macLen + keyLen + ivLen));
    const block = this.block;
    const client = dir === this.clientDir;
    // RFC 5246 §6.3: client MAC, server MAC, client key, server key, client IV, server IV.
    const macKey = block.subarray(client ? 0 : macLen, client ? macLen : 2 * macLen);
    const k0 = 2 * macLen + (client ? 0 : keyLen);
    const key = block.subarray(k0, k0 + keyLen);
    const i0 = 2 * macLen + 2 * keyLen + (client ? 0 : ivLen);
    const iv = block.subarray(i0, i0 + ivLen);
    if (spec.kind === 'aead') return new AeadProtection(spec.cipher, key, iv, spec.tagLength, false);
    return new CbcHmacProtection(spec.cipher, key, iv, spec.ivLength, spec.macHash, macKey, spec.macLength, this.version, this.etm);
  }

  // -------------------------------------------------------------------------------------------
  // TLS 1.3 keys
  // -------------------------------------------------------------------------------------------

  private secretFor(dir: Direction, stage: Stage, generation: number): SecretRef | null {
    const s = this.secretsNow();
    if (s === undefined) return null;
    const client = dir === this.clientDir;
    if (stage === 'early') return client ? s.clientEarly : null;
    if (stage === 'handshake') return client ? s.clientHandshake : s.serverHandshake;
    return (client ? s.client[generation] : s.server[generation]) ?? null;
  }

  private enter13(dir: Direction, stage: Stage, generation: number): void {
    const d = this.dirs[dir];
    d.stage = stage;
    d.seq = 0;
    d.prot = null;
    d.secret = null;
    d.generation = generation;
    if (this.spec === null) {
      d.missing = this.specError ?? 'cipher suite unknown';
      return;
    }
    const ref = this.secretFor(dir, stage, generation);
    if (ref === null) {
      if (stage === 'application' && d.stage === 'application' && generation > 0) return;
      d.missing = `no ${secretLabel(dir === this.clientDir, stage, generation)} for this session in the keys loaded`;
      return;
    }
    this.note(ref);
    if (this.info.method === null) this.info.method = 'key-log';
    this.use13(d, ref.secret, generation);
  }

  private use13(d: DirState, secret: Uint8Array, generation: number): void {
    const spec = this.spec!;
    const { key, iv } = trafficKeys(spec.prfHash, secret, spec.keyLength, 12);
    d.prot = new AeadProtection(spec.cipher, key, iv, spec.tagLength, true);
    d.secret = secret;
    d.generation = generation;
    d.seq = 0;
    d.missing = null;
  }

  private nextSecret(dir: Direction, d: DirState): Uint8Array {
    // A key log may name the next generation itself (_1, _2…, or OpenSSL's literal _N lines);
    // tshark derives them from _0. Derived and logged agree; a logged one is named as a source.
    const logged = this.secretFor(dir, 'application', d.generation + 1);
    if (logged !== null) {
      this.note(logged);
      return logged.secret;
    }
    const next = nextTrafficSecret(this.spec!.prfHash, d.secret!);
    const s = this.secretsNow();
    const updated = s === undefined ? [] : dir === this.clientDir ? s.clientUpdated : s.serverUpdated;
    const same = updated.find((r) => Buffer.from(r.secret).equals(next));
    if (same !== undefined) this.note(same);
    return next;
  }


  /**
   * A client record after the ServerHello that its handshake keys do not open, before any they did,
   * when the client offered early data and the keys loaded have no early secret: an early record.
   */
  private earlyWithoutKey(dir: Direction): boolean {
    const d = this.dirs[dir];
    return dir === this.clientDir && d.stage === 'handshake' && d.seq === 0 && this.earlyOffered && this.secretFor(dir, 'early', 0) === null;
  }

  /** 0-RTT: the client's early records before any ServerHello; the suite follows the secret's hash. */
  private startEarly(dir: Direction): void {
    const early = this.secretsNow()?.clientEarly;
    if (dir === this.clientDir && early == null) this.dirs[dir].missing = EARLY_MISSING;
    if (dir !== this.clientDir || early == null) return;
    const ref = early;
    const d = this.dirs[dir];
    d.stage = 'early';
    // The resumed session's suite is not known before the ServerHello: take the one whose hash
    // length matches the secret (AES-128-GCM for SHA-256, AES-256-GCM for SHA-384).
    // length matches the secret, in the client's order of preference; the others are tried on the
    // first record (a ChaCha20-Poly1305 session's secret is as long as an AES-128-GCM one's).
    this.earlySpecs = earlySuites(this.offered13, ref.secret.length);
    const spec = this.earlySpecs.shift();
    if (spec === undefined) return;
    this.spec = spec;
    this.note(ref);
    this.use13(d, ref.secret, 0);
  }

  /** The first early record did not open: the other suites its secret's hash allows. */
  private trialEarlySuites(d: DirState, type: number, version: number, b: Uint8Array, off: number, len: number): OpenResult | null {
    if (d.stage !== 'early' || d.seq !== 0 || d.secret === null) return null;
    for (let spec = this.earlySpecs.shift(); spec !== undefined; spec = this.earlySpecs.shift()) {
      const { key, iv } = trafficKeys(spec.prfHash, d.secret, spec.keyLength, 12);
      const prot = new AeadProtection(spec.cipher, key, iv, spec.tagLength, true);
      const r = prot.open(type, version, b, off, len, 0);
      if (!r.ok) continue;
      this.spec = spec;
      d.prot = prot;
      return r;
    }
    return null;
  }

  /**
   * A record failed under the current keys: try the keys the direction would move to next
   * (handshake → application when the Finished was not seen; early → handshake when the server
   * refused early data; generation N → N+1 when the KeyUpdate was not seen).
   */
  private trialNext(dir: Direction, type: number, version: number, b: Uint8Array, off: number, len: number): OpenResult | null {
    if (this.version !== 0x0304 && this.dirs[dir].stage !== 'early') return null;
    const d = this.dirs[dir];
    const spec = this.spec;
    if (spec === null) return null;
    let candidate: { stage: Stage; generation: number; secret: Uint8Array; ref: SecretRef | null } | null = null;
    if (d.stage === 'early') {
      const ref = this.secretFor(dir, 'handshake', 0);
      if (ref !== null) candidate = { stage: 'handshake', generation: 0, secret: ref.secret, ref };
    } else if (d.stage === 'handshake') {
      const ref = this.secretFor(dir, 'application', 0);
      if (ref !== null) candidate = { stage: 'application', generation: 0, secret: ref.secret, ref };
    } else if (d.stage === 'application' && d.secret !== null) {
      candidate = { stage: 'application', generation: d.generation + 1, secret: this.nextSecret(dir, d), ref: null };
    }
    if (candidate === null) return null;
    const { key, iv } = trafficKeys(spec.prfHash, candidate.secret, spec.keyLength, 12);
    const prot = new AeadProtection(spec.cipher, key, iv, spec.tagLength, true);
    const r = prot.open(type, version, b, off, len, 0);
    if (!r.ok) return null;
    if (candidate.ref !== null) this.note(candidate.ref);
    d.stage = candidate.stage;
    d.prot = prot;
    d.secret = candidate.secret;
    d.generation = candidate.generation;
    // open() counts this record next: the sequence continues from it.
    d.seq = 0;
    return r;
  }

  // -------------------------------------------------------------------------------------------
  // Finished
  // -------------------------------------------------------------------------------------------

  private verifyFinished(dir: Direction, b: Uint8Array, start: number, end: number): void {
    if (this.handshakeDone || this.spec === null) {
      this.afterFinished(dir);
      return;
    }
    const verify = b.subarray(start + 4, end);
    const client = dir === this.clientDir;
    // RFC 8446 §4.5: after accepted early data the client's transcript holds its EndOfEarlyData,
    // which has no body; when its record was not read (no early secret), it is known all the same.
    if (client && this.earlyAccepted && !this.endOfEarlyData) {
      this.transcript?.add(END_OF_EARLY_DATA, 0, 4);
      this.endOfEarlyData = true;
    }
    let expected: Uint8Array | null = null;
    // The transcript up to (not including) this Finished.
    const hash = this.transcript?.digest() ?? null;
    if (hash === null) {
      // not checkable (the suite is unknown here)
    } else if (this.version === 0x0304) {
      const base = this.secretFor(dir, 'handshake', 0);
      if (base !== null) expected = finishedVerifyData13(this.spec.prfHash, base.secret, hash);
    } else if (this.master !== null) {
      expected = finishedVerifyData(this.version, this.spec.prfHash, this.master.secret, client, hash);
    }
    if (expected !== null) {
      const check: FinishedCheck = Buffer.from(expected).equals(Buffer.from(verify)) ? 'verified' : 'mismatch';
      this.info.finished[dir] = check;
    }
    this.afterFinished(dir);
  }

  private afterFinished(dir: Direction): void {
    this.finishedSeen |= 1 << dir;
    if (this.version === 0x0304) {
      // RFC 8446 §7.1: each side moves to its application traffic secret after its Finished.
      this.dirs[dir].finishedPending = true;
      if (dir === this.clientDir) this.switchAfter.delete(dir);
    }
    if (this.finishedSeen === 3) {
      this.handshakeDone = true;
      this.transcript = null;
    }
  }

  /** Applies a key change a message of the last record asked for (EndOfEarlyData). */
  settle(dir: Direction): void {
    if (this.switchAfter.has(dir)) {
      this.switchAfter.delete(dir);
      this.enter13(dir, 'handshake', 0);
    }
    this.afterRecord(dir);
  }

  // -------------------------------------------------------------------------------------------

  private note(ref: SecretRef): void {
    if (this.refs.includes(ref)) return;
    this.refs.push(ref);
    if (this.clientRandomHex !== '') this.store.noteMatch(ref.source, this.clientRandomHex);
    this.refsChanged = true;
  }

  private noteMissing(d: DirState): void {
    let reason = d.missing;
    if (reason === null) {
      if (this.version !== 0x0304 && this.spec !== null) {
        reason = this.info.method === null ? 'no key for this session (no CLIENT_RANDOM line for its client random, no matching RSA key)' : 'no key for this direction';
      } else {
        reason = this.specError ?? 'no key for this session';
      }
      d.missing = reason;
    }
    if (this.spec === null && this.specError !== null) this.info.status = 'unsupported';
    if (this.info.reason === null) this.info.reason = reason;
    if (this.info.status === 'decrypted') this.info.status = 'partial';
  }
}

function secretLabel(client: boolean, stage: Stage, generation: number): string {
  if (stage === 'early') return 'CLIENT_EARLY_TRAFFIC_SECRET';
  if (stage === 'handshake') return client ? 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' : 'SERVER_HANDSHAKE_TRAFFIC_SECRET';
  return `${client ? 'CLIENT' : 'SERVER'}_TRAFFIC_SECRET_${generation}`;
}

/** `1, 3–5` for [1, 3, 4, 5]. */
function rangesText(lines: readonly number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    out.push(j === i ? `${lines[i]}` : `${lines[i]}–${lines[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/** Calls `fn` with each extension's type and data range in an extensions block at `b[at]`. */
/** The TLS 1.3 suites among `offered` whose hash is `hashLength` bytes long, as cipher specs. */
function earlySuites(offered: readonly number[], hashLength: number): CipherSpec[] {
  const out: CipherSpec[] = [];
  for (const suite of offered.length > 0 ? offered : [0x1301, 0x1302, 0x1303]) {
    const spec = cipherSpec(suite, 0x0304);
    if (typeof spec !== 'string' && (spec.prfHash === 'sha384' ? 48 : 32) === hashLength) out.push(spec);
  }
  return out;
}

function forEachExtension(b: Uint8Array, at: number, end: number, fn: (type: number, start: number, end: number) => void): void {
  if (at + 2 > end) return;
  const total = (b[at]! << 8) | b[at + 1]!;
  let p = at + 2;
  const stop = Math.min(end, p + total);
  while (p + 4 <= stop) {
    const type = (b[p]! << 8) | b[p + 1]!;
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    if (p + 4 + len > stop) return;
    fn(type, p + 4, p + 4 + len);
    p += 4 + len;
  }
}
