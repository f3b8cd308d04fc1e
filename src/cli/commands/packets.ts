// `wireladder packets FILE [-Y FILTER] [-T text|json] [--json|--jsonl] [-w OUT.pcapng]`: one line
// per packet in tshark's default one-line style, the packets' trees as `tshark -T json`, one summary
// object per packet (`--json` / `--jsonl`), or the matching packets written to a new pcapng file
// (Export Specified Packets from the command line). Output is written as the packets are read.

import { existsSync } from 'node:fs';
import { Analyzer } from '../../core/engine/analyzer';
import { ColumnReader } from '../../core/engine/columns';
import { readCaptureFile } from '../../core/io/capture-reader';
import { isSameFile, rewriteCapture } from '../../core/io/pcapng-writer';
import { MemoryGuard } from '../../core/util/memory-guard';
import { parseArgs, single, UsageError } from '../args';
import { passFilter } from '../display-filter';
import { packetJson } from '../json-tree';
import { JsonWriter, LineWriter, jsonMode } from '../output';
import { readEnd } from '../read-end';
import type { CliIo } from '../main';
import { KEY_FLAGS, KEY_USAGE, keysFromArgs } from '../keys';

const ARROW = '\u2192';
const USAGE = `usage: wireladder packets FILE [-Y FILTER] [-T text|json] [--json | --jsonl] [-w OUT.pcapng] ${KEY_USAGE}`;

/** Frame numbers as bits, grown by doubling: what -w keeps costs one bit per packet. */
class FrameSet {
  private bits = new Uint32Array(1024);

  add(frame: number): void {
    const word = frame >>> 5;
    if (word >= this.bits.length) {
      const grown = new Uint32Array(Math.max(this.bits.length * 2, word + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[word]! |= 1 << (frame & 31);
  }

  has(frame: number): boolean {
    const word = frame >>> 5;
    return word < this.bits.length && (this.bits[word]! & (1 << (frame & 31))) !== 0;
  }
}

export async function packetsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { '-Y': { value: true, alias: '--display-filter' }, '-T': { value: true }, '-w': { value: true }, '--json': {}, '--jsonl': {}, ...KEY_FLAGS });
  const file = args.positional[0];
  if (file === undefined || args.positional.length > 1) {
    io.err(USAGE);
    return 1;
  }
  const format = single(args, '-T') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`-T: ${format} is not an output format (text or json)`);
  const mode = jsonMode(args.flags);
  if (mode !== null && format === 'json') throw new UsageError('-T json prints the packets\' trees; --json/--jsonl print one summary object per packet: choose one');
  const out = single(args, '-w');
  if (out !== undefined) {
    if (isSameFile(file, out)) throw new UsageError(`refusing to write over the capture ${file}; choose another -w`);
    if (existsSync(out)) throw new UsageError(`${out} already exists; choose another -w`);
  }
  const filter = passFilter(single(args, '-Y'), new Analyzer());
  const tlsKeys = keysFromArgs(args);
  const tree = format === 'json' && out === undefined;
  const w = new LineWriter(io.stdout);
  const summaries = mode !== null && out === undefined ? new JsonWriter(w, mode) : null;
  /** Frames that passed the filter, for -w. */
  const kept = out !== undefined ? new FrameSet() : null;
  /** -T json: the packet written last, held until we know whether a comma follows it. */
  let pending: string | null = null;
  const analyzer: Analyzer = new Analyzer({
    compact: true,
    ...(tlsKeys !== undefined ? { tlsKeys } : {}),
    tree: tree || filter?.needsTree === true,
    onPacket: (p, row) => {
      if (filter !== null && !filter.matches(p, row, analyzer)) return;
      if (kept !== null) kept.add(p.number);
      else if (tree) {
        w.line(pending === null ? '[' : `${pending},`);
        pending = packetJson(p.tree!.layers, p.tsSec, (n) => analyzer.registry.field(n));
      } else if (summaries !== null) {
        summaries.item({
          number: p.number,
          time: Number(columns.time(p, row)),
          source: columns.text('_ws.col.Source', p, row),
          destination: columns.text('_ws.col.Destination', p, row),
          protocol: columns.text('_ws.col.Protocol', p, row),
          length: p.wirelen,
          info: columns.text('_ws.col.Info', p, row),
        });
      } else {
        // tshark's print_columns: number ≥ 5 and time ≥ 10 wide right-aligned, source ≥ 12 right-
        // aligned, " → ", destination ≥ 12 left-aligned, then protocol, length and Info as they are.
        w.line(
          `${String(p.number).padStart(5)} ${columns.time(p, row).padStart(10)} ${columns.text('_ws.col.Source', p, row).padStart(12)} ${ARROW} ` +
            `${columns.text('_ws.col.Destination', p, row).padEnd(12)} ${columns.text('_ws.col.Protocol', p, row)} ${p.wirelen} ${columns.text('_ws.col.Info', p, row)}`,
        );
      }
    },
  });
  const columns = new ColumnReader(analyzer);
  // Between chunks the read waits while the reader of the output is behind.
  const result = await readCaptureFile(file, analyzer, { onProgress: () => w.drained(), memoryGuard: new MemoryGuard() });
  analyzer.finish();
  if (tree) w.line(pending === null ? '[]' : `${pending}\n]`);
  summaries?.end();
  w.flush();
  if (out !== undefined && kept !== null) {
    const written = await rewriteCapture(file, out, { commentsByPacket: new Map(), keep: (n) => kept.has(n) });
    io.err(`wireladder: wrote ${written.packets} of ${result.packets} packets to ${out}`);
  }
  return readEnd(io, file, result);
}
