// `wireladder flows FILE [--json | --jsonl]`: the TCP and UDP conversations of a capture, one per
// line (or one JSON object each), written as they are summarised.

import { Analyzer } from '../../core/engine/analyzer';
import { defaultAppFactories } from '../../core/engine/app-factories';
import { readCaptureFile } from '../../core/io/capture-reader';
import { MemoryGuard } from '../../core/util/memory-guard';
import { conversationVerdict } from '../../core/engine/conversation-facts';
import type { ReplaySource } from '../../core/engine/replay';
import { RecordStore } from '../../core/io/record-store';
import { handshakeTexts, summarizeConversation, type ConversationSummary } from '../../core/flow/conversation-summary';
import { readEnd } from '../read-end';
import { parseArgs, workersOption } from '../args';
import { analysisThreads } from '../../core/engine/shard-pool';
import { statSync } from 'node:fs';
import { JsonWriter, LineWriter, jsonMode } from '../output';
import type { CliIo } from '../main';
import { KEY_FLAGS, KEY_USAGE, keysFromArgs } from '../keys';

const ARROW = '\u2192';

export async function flowsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { '--json': {}, '--jsonl': {}, '--workers': { value: true }, ...KEY_FLAGS });
  const file = args.positional[0];
  if (file === undefined) {
    io.err(`usage: wireladder flows FILE [--json | --jsonl] [--workers N] ${KEY_USAGE}`);
    return 1;
  }
  const tlsKeys = keysFromArgs(args);
  const workers = analysisThreads(statSync(file).size, workersOption(args));
  const analyzer = new Analyzer({ compact: true, workers, ...(tlsKeys !== undefined ? { tlsKeys } : {}) });
  const store = RecordStore.forCapture(file);
  let result;
  try {
    result = await readCaptureFile(file, analyzer, { memoryGuard: new MemoryGuard(), onChunk: store.isSpool ? (chunk, offset) => store.append(chunk, offset) : undefined });
  } catch (err) {
    store.close();
    await analyzer.stop();
    throw err;
  }
  await analyzer.complete();
  // A verdict a late packet made stale is worked out from a replay, with the pass's parsers and keys.
  const appFactories = defaultAppFactories({ tlsKeys: analyzer.tlsKeys });
  const conversations = analyzer.flows.store;
  const index = analyzer.index;
  const src: ReplaySource = { index, interfaces: analyzer.interfaces, bytes: (row) => store.read(index.fileOffset(row), index.caplen(row)), comments: () => [] };
  const w = new LineWriter(io.stdout);
  const mode = jsonMode(args.flags);
  const json = mode !== null ? new JsonWriter(w, mode) : null;
  const table = json === null ? new FlowTable(w) : null;
  // One summary at a time, written as it is made: nothing here grows with the capture.
  for (let i = 0; i < conversations.count; i++) {
    const row = summarizeConversation(conversations, i, analyzer.addresses, conversationVerdict(src, conversations, i, appFactories));
    if (json !== null) json.item(row);
    else table!.row(row);
    if ((i & 1023) === 1023) await w.drained();
  }
  json?.end();
  table?.end();
  w.flush();
  store.close();
  return readEnd(io, file, result);
}

const HEADER = ['stream', 'proto', 'client', '', 'server', 'packets c→s/s→c', 'bytes c→s/s→c', 'duration', 'handshake', 'TLS', 'SNI', 'cipher', 'ALPN', 'decryption', 'HTTP', 'HTTP/2', 'verdict'];
const RIGHT = new Set([0, 5, 6, 7]);
/** Columns before this one are always shown; the later ones only when some row fills them. */
const OPTIONAL_FROM = 9;
/** Rows that set the column widths before the table starts streaming. */
const LAYOUT_ROWS = 4096;

function cells(r: ConversationSummary): string[] {
  return [
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
    r.http2 ?? '',
    r.verdict === null ? '' : r.verdict.reason !== '' ? `${r.verdict.status}: ${r.verdict.reason}` : r.verdict.status,
  ];
}

/**
 * The conversations table, streamed: one header line and one line per conversation, columns
 * padded to fit. The widths come from the first LAYOUT_ROWS rows (all of them in most captures);
 * a longer cell later widens its column from there on. Optional columns that every row leaves
 * empty (no TLS or HTTP, say) are left out when all rows fit the first block; past it, they stay.
 */
export class FlowTable {
  private block: string[][] | null = [];
  private widths: number[] = [];
  private keep: boolean[] = [];

  constructor(private readonly out: { line(text: string): void }) {}

  row(r: ConversationSummary): void {
    const row = cells(r);
    if (this.block !== null) {
      this.block.push(row);
      if (this.block.length >= LAYOUT_ROWS) this.layOut(false);
      return;
    }
    this.write(row);
  }

  end(): void {
    if (this.block !== null) this.layOut(true);
  }

  private layOut(all: boolean): void {
    const block = this.block!;
    this.block = null;
    this.keep = HEADER.map((_, i) => i < OPTIONAL_FROM || !all || block.some((row) => row[i] !== ''));
    this.widths = HEADER.map((h) => h.length);
    for (const row of block) for (let i = 0; i < row.length; i++) if (row[i]!.length > this.widths[i]!) this.widths[i] = row[i]!.length;
    this.write(HEADER);
    for (const row of block) this.write(row);
  }

  private write(row: readonly string[]): void {
    let text = '';
    for (let i = 0; i < row.length; i++) {
      if (!this.keep[i]) continue;
      const c = row[i]!;
      if (c.length > this.widths[i]!) this.widths[i] = c.length;
      const cell = RIGHT.has(i) ? c.padStart(this.widths[i]!) : c.padEnd(this.widths[i]!);
      text += text === '' ? cell : `  ${cell}`;
    }
    this.out.line(text.trimEnd());
  }
}

/** The table of a list of rows (all laid out together), as lines. */
export function formatFlows(rows: readonly ConversationSummary[]): string[] {
  const lines: string[] = [];
  const table = new FlowTable({ line: (text) => lines.push(text) });
  for (const r of rows) table.row(r);
  table.end();
  return lines;
}
