// `wireladder packets FILE [-Y FILTER] [-T text|json] [-w OUT.pcapng]`: one line per packet in
// tshark's default one-line style, the packets' trees as `tshark -T json`, or the matching packets
// written to a new pcapng file (Export Specified Packets from the command line).

import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { Analyzer } from '../../core/engine/analyzer';
import { ColumnReader } from '../../core/engine/columns';
import { readCaptureFile } from '../../core/io/capture-reader';
import { isSameFile, rewriteCapture } from '../../core/io/pcapng-writer';
import { parseArgs, single, UsageError } from '../args';
import { passFilter } from '../display-filter';
import { packetJson } from '../json-tree';
import { LineWriter } from '../output';
import type { CliIo } from '../main';

const ARROW = '\u2192';
const USAGE = 'usage: wireladder packets FILE [-Y FILTER] [-T text|json] [-w OUT.pcapng]';

export async function packetsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { '-Y': { value: true, alias: '--display-filter' }, '-T': { value: true }, '-w': { value: true } });
  const file = args.positional[0];
  if (file === undefined || args.positional.length > 1) {
    io.err(USAGE);
    return 1;
  }
  const format = single(args, '-T') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`-T: ${format} is not an output format (text or json)`);
  const out = single(args, '-w');
  if (out !== undefined) {
    if (isSameFile(file, out)) throw new UsageError(`refusing to write over the capture ${file}; choose another -w`);
    if (existsSync(out)) throw new UsageError(`${out} already exists; choose another -w`);
  }
  const filter = passFilter(single(args, '-Y'), new Analyzer());
  const json = format === 'json' && out === undefined;
  const w = new LineWriter(io.stdout);
  /** Frames that passed the filter, for -w. */
  const kept: number[] = [];
  /** -T json: the packet written last, held until we know whether a comma follows it. */
  let pending: string | null = null;
  const analyzer: Analyzer = new Analyzer({
    tree: json || filter?.needsTree === true,
    onPacket: (p, row) => {
      if (filter !== null && !filter.matches(p, row, analyzer)) return;
      if (out !== undefined) kept.push(p.number);
      else if (json) {
        w.line(pending === null ? '[' : `${pending},`);
        pending = packetJson(p.tree!.layers, p.tsSec, (n) => analyzer.registry.field(n));
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
  const result = await readCaptureFile(file, analyzer);
  analyzer.finish();
  if (json) w.line(pending === null ? '[]' : `${pending}\n]`);
  w.flush();
  if (out !== undefined) {
    const wanted = new Set(kept);
    const written = await rewriteCapture(file, out, { commentsByPacket: new Map(), keep: (n) => wanted.has(n) });
    io.err(`wireladder: wrote ${written.packets} of ${result.packets} packets to ${out}`);
  }
  if (result.stop !== null) {
    io.err(`wireladder: ${basename(file)}: stopped at byte ${result.stop.offset}: ${result.stop.reason}; ${result.packets} packets kept`);
    return 1;
  }
  return 0;
}
