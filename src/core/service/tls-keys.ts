// The Keys dialog's view of a session's key store: sources with their matched-session counts and
// malformed lines (names and counts only: key material never leaves the engine).

import { baseName, type TlsKeyStore } from '../tls/keys/key-store';
import type { TlsKeysDto } from './dto';

export function tlsKeysDto(store: TlsKeyStore): TlsKeysDto {
  return {
    sources: store.info().map((s) => ({
      id: s.id,
      kind: s.kind,
      name: baseName(s.name),
      entries: s.entries,
      matchedSessions: s.matchedSessions,
      problems: s.problems,
      problemCount: s.problemCount,
      watched: s.watched,
      binding: s.binding,
    })),
    sessionsSeen: store.sessionsSeen,
    sessionsMatched: store.sessionsMatched,
  };
}

