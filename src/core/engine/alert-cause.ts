// Why a TLS alert was most likely sent, from what the handshake showed before it: a fact the
// verdict (engine/diagnosis.ts) and the ladder's step sentences share. Lists stay lists and counts
// stay numbers here; ladder/explain.ts words them in the reader's language.

import type { CertificateInfo, TlsAlert } from '../tls/model';
import type { TlsParser } from '../tls/parser';
import { isGrease, tlsVersionName } from '../tls/tables';

export type CauseKey =
  | 'cause.clientCertRequired'
  | 'cause.clientCertMissing'
  | 'cause.noCommon'
  | 'cause.noCommonBrief'
  | 'cause.protocolVersion'
  | 'cause.insufficientSecurity'
  | 'cause.certExpired'
  | 'cause.certNotYetValid'
  | 'cause.sniMismatch'
  | 'cause.missingIntermediate'
  | 'cause.untrustedIssuer'
  | 'cause.clientCertRejected'
  | 'cause.unrecognizedName'
  | 'cause.noAlpn'
  /** No better guess than what the alert itself means. */
  | 'cause.meaning';

export interface Cause {
  key: CauseKey;
  /** Strings, counts (`suites`: cipher suites offered) and lists (`versions`, `alpn`) to word. */
  values: Readonly<Record<string, string | number | readonly string[]>>;
}

const CERTIFICATE_ALERTS = new Set(['bad_certificate', 'unsupported_certificate', 'certificate_revoked', 'certificate_expired', 'certificate_unknown', 'unknown_ca', 'access_denied']);

export function certName(c: CertificateInfo | undefined): string {
  if (c === undefined) return '?';
  return c.subjectCN !== null ? `CN=${c.subjectCN}` : c.subject !== '' ? c.subject : '?';
}

function dateText(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '?';
}

/** The versions the client offered, names only. */
function offeredVersions(tls: TlsParser): string[] {
  return tls.session.offeredVersions.filter((v) => !isGrease(v)).map(tlsVersionName);
}

/**
 * Cipher suites the ClientHello offered, counted as tshark counts them (every entry, signalling
 * values such as TLS_EMPTY_RENEGOTIATION_INFO_SCSV and GREASE included); null when the parser kept
 * only its summary (no messages).
 */
function offeredSuiteCount(tls: TlsParser): number | null {
  const ch = tls.messages.find((m) => m.kind === 'client_hello');
  if (ch === undefined || ch.kind !== 'client_hello') return null;
  return ch.cipherSuites.length;
}

/**
 * Why the sender most likely sent `alert`. `brief` leaves out what only a replay knows (the
 * ClientHello's suites), so that a verdict reads the same from a whole-file pass.
 */
export function alertCause(tls: TlsParser, alert: TlsAlert, brief = false): Cause {
  const s = tls.session;
  const name = alert.name ?? '';
  const fromServer = alert.dir !== s.clientDir;
  const checks = s.serverChecks;
  const leaf = s.serverCertificates[0];
  if (fromServer && s.clientCertSent === 'empty' && (name === 'handshake_failure' || name === 'certificate_required' || name === 'bad_certificate' || name === 'access_denied')) {
    return { key: 'cause.clientCertRequired', values: {} };
  }
  if (name === 'certificate_required') return { key: 'cause.clientCertMissing', values: {} };
  if (fromServer && name === 'handshake_failure' && s.serverHelloRow < 0) {
    const suites = brief ? null : offeredSuiteCount(tls);
    if (suites === null) return { key: 'cause.noCommonBrief', values: { versions: offeredVersions(tls) } };
    return { key: 'cause.noCommon', values: { versions: offeredVersions(tls), suites } };
  }
  if (name === 'protocol_version' && fromServer) return { key: 'cause.protocolVersion', values: { versions: offeredVersions(tls) } };
  const offered = brief ? null : offeredSuiteCount(tls);
  if (name === 'insufficient_security' && fromServer && offered !== null) return { key: 'cause.insufficientSecurity', values: { suites: offered } };
  if (name === 'unrecognized_name' && s.sni !== null) return { key: 'cause.unrecognizedName', values: { sni: s.sni } };
  if (name === 'no_application_protocol') return { key: 'cause.noAlpn', values: { alpn: s.alpnOffered } };
  if (!fromServer && CERTIFICATE_ALERTS.has(name) && checks !== null) {
    const expired = checks.problems.find((p) => p.problem === 'expired');
    const early = checks.problems.find((p) => p.problem === 'not-yet-valid');
    if (expired !== undefined) {
      const c = s.serverCertificates[expired.index];
      return { key: 'cause.certExpired', values: { subject: certName(c), date: dateText(c?.notAfterMs ?? NaN) } };
    }
    if (early !== undefined) {
      const c = s.serverCertificates[early.index];
      return { key: 'cause.certNotYetValid', values: { subject: certName(c), date: dateText(c?.notBeforeMs ?? NaN) } };
    }
    if (checks.sniMatches === false && s.sni !== null) return { key: 'cause.sniMismatch', values: { sni: s.sni } };
    if (checks.missingIntermediate) return { key: 'cause.missingIntermediate', values: { subject: certName(s.serverCertificates[s.serverCertificates.length - 1]) } };
    if ((name === 'unknown_ca' || name === 'certificate_unknown' || name === 'bad_certificate') && checks.anchor !== 'bundled-root') {
      const issuer = checks.anchor === 'self-signed' ? certName(s.serverCertificates[s.serverCertificates.length - 1]) : (checks.missingIssuer ?? leaf?.issuer ?? '?');
      return { key: 'cause.untrustedIssuer', values: { issuer } };
    }
  }
  if (fromServer && CERTIFICATE_ALERTS.has(name) && s.clientCertificates.length > 0) {
    const c = s.clientCertificates[0]!;
    return { key: 'cause.clientCertRejected', values: { subject: certName(c), issuer: c.issuerCN !== null ? `CN=${c.issuerCN}` : c.issuer } };
  }
  return { key: 'cause.meaning', values: {} };
}
