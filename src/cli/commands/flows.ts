// `wireladder flows FILE [--json]`: the TCP and UDP conversations of a capture, one per line.

import { basename } from 'node:path';
import { Analyzer } from '../../core/engine/analyzer';
import { readCaptureFile } from '../../core/io/capture-reader';
import { diagnoseConversation, evidenceFromIndex } from '../../core/ladder/diagnose';
import { handshakeTexts, summarizeConversation, type ConversationSummary } from '../../core/flow/conversation-summary';
import { parseArgs } from '../args';
import { LineWriter } from '../output';
import type { CliIo } from '../main';
import { KEY_FLAGS, KEY_USAGE, keysFromArgs } from '../keys';

const ARROW = '\u2192';

export async function flowsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { '--json': {}, ...KEY_FLAGS });
  const file = args.positional[0];
  if (file === undefined) {
    io.err(`usage: wireladder flows FILE [--json] ${KEY_USAGE}`);
    return 1;
  }
  const tlsKeys = keysFromArgs(args);
  const analyzer = new Analyzer(tlsKeys !== undefined ? { tlsKeys } : {});
  const result = await readCaptureFile(file, analyzer);
  analyzer.finish();
  const conversations = analyzer.flows.conversations;
  const evidence = evidenceFromIndex(analyzer.index, conversations);
  const rows = conversations.map((c) =>
    summarizeConversation(c, analyzer.addresses, c.proto === 6 ? diagnoseConversation(c, { evidence: evidence.get(c.id) }) : null),
  );
  const w = new LineWriter(io.stdout);
  if (args.flags.has('--json')) w.line(JSON.stringify(rows, null, 2));
  else for (const line of formatFlows(rows)) w.line(line);
  w.flush();
  if (result.stop !== null) {
    io.err(`wireladder: ${basename(file)}: stopped at byte ${result.stop.offset}: ${result.stop.reason}; ${result.packets} packets kept`);
    return 1;
  }
  return 0;
}

/** The table: one header line and one line per conversation, columns padded to fit. */
export function formatFlows(rows: readonly ConversationSummary[]): string[] {
  const header = ['stream', 'proto', 'client', '', 'server', 'packets c→s/s→c', 'bytes c→s/s→c', 'duration', 'handshake', 'TLS', 'SNI', 'cipher', 'ALPN', 'decryption', 'HTTP', 'verdict'];
  const table = rows.map((r) => [
    String(r.stream),
    r.protocol,
    r.client,
    ARROW,
    r.server,
    `${r.packets.toServer}/${r.packets.toClient}`,
    `${r.bytes.toServer}/${r.bytes.toClient}`,
    `${r.duration.toFixed(6)}s`,
    r.handshake === null ? '-' : handshakeTexts[r.handshake],
    r.tlsVersion ?? '',
    r.sni ?? '',
    r.cipher ?? '',
    r.alpn ?? '',
    r.decryption ?? '',
    r.httpTransactions === null ? '' : r.httpFirstRequest !== null ? `${r.httpTransactions} (${r.httpFirstRequest})` : String(r.httpTransactions),
    r.verdict === null ? '' : r.verdict.reason !== '' ? `${r.verdict.status}: ${r.verdict.reason}` : r.verdict.status,
  ]);
  // Columns every row leaves empty (no TLS/HTTP parser, say) are not shown.
  const keep = header.map((_, i) => i < 9 || table.some((row) => row[i] !== ''));
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const right = new Set([0, 5, 6, 7]);
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (keep[i] ? (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)) : null))
      .filter((c): c is string => c !== null)
      .join('  ')
      .trimEnd();
  return [line(header), ...table.map(line)];
}
