// Expert information as Wireshark knows it (epan/expert.h): items with a severity (comment, chat,
// note, warning, error), a group (sequence, malformed, protocol, security…), the protocol that
// raised them and a summary, attached to the packet they concern. Dissectors and parsers add them
// to a packet's slot (codes and numbers, no objects); the index keeps them (io/expert-log.ts).

/** Wireshark's severity levels (the `_ws.expert.severity` values). */
export const Severity = {
  Comment: 0x00100000,
  Chat: 0x00200000,
  Note: 0x00400000,
  Warn: 0x00600000,
  Error: 0x00800000,
} as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/** Wireshark's groups (the `_ws.expert.group` values). */
export const Group = {
  Checksum: 0x01000000,
  Sequence: 0x02000000,
  ResponseCode: 0x03000000,
  RequestCode: 0x04000000,
  Undecoded: 0x05000000,
  Reassemble: 0x06000000,
  Malformed: 0x07000000,
  Debug: 0x08000000,
  Protocol: 0x09000000,
  Security: 0x0a000000,
  Comments: 0x0b000000,
  Decryption: 0x0c000000,
  Assumption: 0x0d000000,
  Deprecated: 0x0e000000,
} as const;
export type Group = (typeof Group)[keyof typeof Group];

/** The names tshark -V prints (`Expert Info (Warning/Sequence)`) and `_ws.expert.severity == "Warning"` matches. */
export const severityNames: ReadonlyMap<number, string> = new Map([
  [Severity.Comment, 'Comment'],
  [Severity.Chat, 'Chat'],
  [Severity.Note, 'Note'],
  [Severity.Warn, 'Warning'],
  [Severity.Error, 'Error'],
]);

export const groupNames: ReadonlyMap<number, string> = new Map([
  [Group.Checksum, 'Checksum'],
  [Group.Sequence, 'Sequence'],
  [Group.ResponseCode, 'Response'],
  [Group.RequestCode, 'Request'],
  [Group.Undecoded, 'Undecoded'],
  [Group.Reassemble, 'Reassemble'],
  [Group.Malformed, 'Malformed'],
  [Group.Debug, 'Debug'],
  [Group.Protocol, 'Protocol'],
  [Group.Security, 'Security'],
  [Group.Comments, 'Comment'],
  [Group.Decryption, 'Decryption'],
  [Group.Assumption, 'Assumption'],
  [Group.Deprecated, 'Deprecated'],
]);

export interface ExpertDef {
  /** Wireshark's expert field name, e.g. `tcp.analysis.retransmission`. */
  name: string;
  /** The protocol that raises it, as `-z expert` names it. */
  protocol: string;
  severity: Severity;
  group: Group;
  /** The summary; `{a}`, `{b}` are the item's numbers, `{text}` its text. */
  summary: string;
  /** Whether tshark 4.0 raises it with this wording (checked against its output); false: ours. */
  tshark: boolean;
}

const def = (name: string, protocol: string, severity: Severity, group: Group, summary: string, tshark = true): ExpertDef => ({ name, protocol, severity, group, summary, tshark });

/** Every item WireLadder raises, by code (the index stores the code). */
export const EXPERT: readonly ExpertDef[] = [
  def('', '', Severity.Comment, Group.Debug, ''),
  // packet-tcp.c: connection events and tcp.analysis.flags.
  def('tcp.connection.syn', 'TCP', Severity.Chat, Group.Sequence, 'Connection establish request (SYN): server port {a}'),
  def('tcp.connection.synack', 'TCP', Severity.Chat, Group.Sequence, 'Connection establish acknowledge (SYN+ACK): server port {a}'),
  def('tcp.connection.fin', 'TCP', Severity.Chat, Group.Sequence, 'Connection finish (FIN)'),
  def('tcp.connection.fin_active', 'TCP', Severity.Note, Group.Sequence, 'This frame initiates the connection closing'),
  def('tcp.connection.fin_passive', 'TCP', Severity.Note, Group.Sequence, 'This frame undergoes the connection closing'),
  def('tcp.connection.rst', 'TCP', Severity.Warn, Group.Sequence, 'Connection reset (RST)'),
  def('tcp.analysis.reused_ports', 'TCP', Severity.Note, Group.Sequence, 'A new tcp session is started with the same ports as an earlier session in this trace'),
  def('tcp.analysis.retransmission', 'TCP', Severity.Note, Group.Sequence, 'This frame is a (suspected) retransmission'),
  def('tcp.analysis.fast_retransmission', 'TCP', Severity.Note, Group.Sequence, 'This frame is a (suspected) fast retransmission'),
  def('tcp.analysis.spurious_retransmission', 'TCP', Severity.Note, Group.Sequence, 'This frame is a (suspected) spurious retransmission'),
  def('tcp.analysis.out_of_order', 'TCP', Severity.Warn, Group.Sequence, 'This frame is a (suspected) out-of-order segment'),
  def('tcp.analysis.lost_segment', 'TCP', Severity.Warn, Group.Sequence, 'Previous segment(s) not captured (common at capture start)'),
  def('tcp.analysis.ack_lost_segment', 'TCP', Severity.Warn, Group.Sequence, "ACKed segment that wasn't captured (common at capture start)"),
  def('tcp.analysis.window_update', 'TCP', Severity.Chat, Group.Sequence, 'TCP window update'),
  def('tcp.analysis.window_full', 'TCP', Severity.Warn, Group.Sequence, 'TCP window specified by the receiver is now completely full'),
  def('tcp.analysis.keep_alive', 'TCP', Severity.Note, Group.Sequence, 'TCP keep-alive segment'),
  def('tcp.analysis.keep_alive_ack', 'TCP', Severity.Note, Group.Sequence, 'ACK to a TCP keep-alive segment'),
  def('tcp.analysis.duplicate_ack', 'TCP', Severity.Note, Group.Sequence, 'Duplicate ACK (#{a})'),
  def('tcp.analysis.zero_window_probe', 'TCP', Severity.Note, Group.Sequence, 'TCP Zero Window Probe'),
  def('tcp.analysis.zero_window', 'TCP', Severity.Warn, Group.Sequence, 'TCP Zero Window segment'),
  def('tcp.analysis.zero_window_probe_ack', 'TCP', Severity.Note, Group.Sequence, 'ACK to a TCP Zero Window Probe'),
  def('tcp.ack.nonzero', 'TCP', Severity.Note, Group.Protocol, 'The acknowledgment number field is nonzero while the ACK flag is not set'),
  // packet-tls.c / packet-tls-utils.c
  def('tls.resumed', 'TLS', Severity.Note, Group.Sequence, 'This session reuses previously negotiated keys (Session resumption)'),
  def('tls.heartbeat_message.payload_length.invalid', 'TLS', Severity.Error, Group.Malformed, 'Invalid heartbeat payload length ({a})'),
  def('tls.heartbeat.response_larger', 'TLS', Severity.Error, Group.Security, 'Heartbeat response of {a} bytes answers a heartbeat of {b} bytes: it returns memory beyond the request (Heartbleed, CVE-2014-0160)', false),
  def('tls.malformed', 'TLS', Severity.Error, Group.Malformed, '{text}', false),
  def('tls.alert.fatal', 'TLS', Severity.Warn, Group.Sequence, 'Fatal alert: {text}', false),
  def('tls.alert.warning', 'TLS', Severity.Note, Group.Sequence, 'Warning alert: {text}', false),
  def('tls.alert.close_notify', 'TLS', Severity.Chat, Group.Sequence, 'Alert: close_notify (the orderly end of the TLS session)', false),
  def('tls.renegotiation', 'TLS', Severity.Note, Group.Sequence, 'Encrypted handshake message after the handshake: renegotiation (or HelloRequest)', false),
  def('tls.weak_suite', 'TLS', Severity.Warn, Group.Security, 'Weak cipher suite chosen: {text}', false),
  // packet-http.c
  def('http.chat', 'HTTP', Severity.Chat, Group.Sequence, '{text}'),
  def('http.plaintext_on_tls_port', 'HTTP', Severity.Warn, Group.Security, 'Unencrypted HTTP protocol detected over encrypted port, could indicate a dangerous misconfiguration.'),
  def('http.response.client_error', 'HTTP', Severity.Note, Group.ResponseCode, 'HTTP client error: {a} {text}', false),
  def('http.response.server_error', 'HTTP', Severity.Warn, Group.ResponseCode, 'HTTP server error: {a} {text}', false),
  def('http.malformed', 'HTTP', Severity.Error, Group.Malformed, '{text}', false),
  // Any dissector's damage ([Malformed Packet] in the Info column).
  def('_ws.malformed', 'Malformed', Severity.Error, Group.Malformed, '{text}', false),
  // pcapng comments (frame.comment).
  def('frame.comment', 'Frame', Severity.Comment, Group.Comments, '{text}'),
];

/** Codes (positions in EXPERT) by name. */
export const Expert = Object.fromEntries(EXPERT.map((d, i) => [d.name, i])) as Readonly<Record<string, number>>;

/** The expert code of a name from the catalogue (a typo fails at start, not silently). */
export function expertCode(name: string): number {
  const code = Expert[name];
  if (code === undefined || code === 0) throw new Error(`no expert item ${name}`);
  return code;
}

/** The summary of an item: its template with the numbers and text filled in. */
export function expertSummary(code: number, a: number, b: number, text: string | null): string {
  const d = EXPERT[code];
  if (d === undefined) return '';
  return d.summary.replace('{a}', String(a)).replace('{b}', String(b)).replace('{text}', text ?? '');
}

/** Most items one packet carries (a storm of records in one packet keeps its first ones). */
const SLOT_ITEMS = 32;

/**
 * The items raised while one packet is analysed: codes, two numbers and an optional text each, in
 * preallocated arrays (the analysis pass adds no objects per packet).
 */
export class ExpertSlot {
  count = 0;
  readonly codes = new Uint16Array(SLOT_ITEMS);
  readonly a = new Float64Array(SLOT_ITEMS);
  readonly b = new Float64Array(SLOT_ITEMS);
  readonly texts: (string | null)[] = new Array<string | null>(SLOT_ITEMS).fill(null);

  add(code: number, a = 0, b = 0, text: string | null = null): void {
    const i = this.count;
    if (i >= SLOT_ITEMS) return;
    this.codes[i] = code;
    this.a[i] = a;
    this.b[i] = b;
    this.texts[i] = text;
    this.count = i + 1;
  }

  has(code: number): boolean {
    for (let i = 0; i < this.count; i++) if (this.codes[i] === code) return true;
    return false;
  }
}
