// The verdict on one conversation as the views show it: complete, failed or incomplete, the reason
// and further findings, in words (engine/diagnosis.ts decides it; ladder/verdict-text.ts words it).

export type VerdictStatus = 'complete' | 'failed' | 'incomplete';

export interface Verdict {
  status: VerdictStatus;
  /** One line, e.g. "handshake_failure after an empty client Certificate: the server requires a client certificate". */
  reason: string;
  /** Further findings (retransmissions during the handshake, certificate problems…). */
  findings: string[];
}
