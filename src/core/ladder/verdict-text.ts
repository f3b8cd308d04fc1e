// A diagnosis (engine/diagnosis.ts) in words: the verdict line and findings in the reader's
// language, as the ladder header, the conversations table and `wireladder flows` show them.

import type { ConversationDiagnosis, Phrase, VerdictKey } from '../engine/diagnosis';
import type { Verdict } from '../flow/verdict';
import { bytesText, causeText, groupNumber, sideWord, text } from './explain';
import type { Language } from './model';
import type { TextKey } from './texts/en';

/** Every phrase the diagnosis can use has a text (a missing one fails to compile here). */
type Covered = VerdictKey extends TextKey ? true : VerdictKey;
const _covered: Covered = true;
void _covered;

export function verdictText(d: ConversationDiagnosis, language: Language): Verdict {
  const reason = d.reason.map((p) => phraseText(language, p)).join(text(language, 'sep.clause'));
  return { status: d.status, reason, findings: d.findings.map((p) => phraseText(language, p)) };
}

/** One phrase: sides and byte counts are stored raw, nested phrases worded first. */
export function phraseText(L: Language, p: Phrase): string {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p.values)) {
    if (typeof v === 'object') out[k] = phraseText(L, v);
    else if (k === 'side' && (v === 'client' || v === 'server')) out[k] = sideWord(L, v);
    else if ((k === 'bytes' || k === 'requestBytes') && typeof v === 'number') out[k] = bytesText(L, v);
    else if (typeof v === 'number' && k !== 'frame' && k !== 'end' && k !== 'port') out[k] = groupNumber(v);
    else out[k] = v;
  }
  if (p.alert !== undefined) out['cause'] = causeText(L, p.alert.cause, p.alert.alert, p.alert.sender);
  return text(L, p.key, out);
}
