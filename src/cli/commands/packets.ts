// `wireladder packets FILE [--json | --jsonl]`: one line per packet in tshark's default one-line
// style (or one JSON object each), written as the packets are read.

import { Analyzer } from '../../core/engine/analyzer';
import { readCaptureFile } from '../../core/io/capture-reader';
import { MemoryGuard } from '../../core/util/memory-guard';
import { infoText } from '../../core/engine/summary';
import { protoColumnNames } from '../../core/dissect/packet';
import { readEnd } from '../read-end';
import { parseArgs } from '../args';
import { JsonWriter, LineWriter, jsonMode } from '../output';
import type { CliIo } from '../main';

const ARROW = '\u2192';

export async function packetsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { '--json': {}, '--jsonl': {} });
  const file = args.positional[0];
  if (file === undefined) {
    io.err('usage: wireladder packets FILE [--json | --jsonl]');
    return 1;
  }
  const w = new LineWriter(io.stdout);
  const mode = jsonMode(args.flags);
  const json = mode !== null ? new JsonWriter(w, mode) : null;
  let firstSec = 0;
  let firstNsec = 0;
  const analyzer: Analyzer = new Analyzer({
    compact: true,
    onPacket: (p, row) => {
      if (row === 0) {
        firstSec = p.tsSec;
        firstNsec = p.tsNsec;
      }
      const rel = p.tsSec - firstSec + (p.tsNsec - firstNsec) / 1e9;
      const src = analyzer.addresses.text(analyzer.index.src(row));
      const dst = analyzer.addresses.text(analyzer.index.dst(row));
      if (json !== null) {
        json.item({ number: p.number, time: rel, source: src, destination: dst, protocol: protoColumnNames[p.top] ?? '', length: p.wirelen, info: infoText(p) });
        return;
      }
      w.line(
        `${String(p.number).padStart(5)} ${rel.toFixed(6).padStart(11)} ${src.padStart(15)} ${ARROW} ${dst.padEnd(15)} ` +
          `${protoColumnNames[p.top] ?? ''} ${p.wirelen} ${infoText(p)}`,
      );
    },
  });
  // Between chunks the read waits while the reader of the output is behind.
  const result = await readCaptureFile(file, analyzer, { onProgress: () => w.drained(), memoryGuard: new MemoryGuard() });
  analyzer.finish();
  json?.end();
  w.flush();
  return readEnd(io, file, result);
}
