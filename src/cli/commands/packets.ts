// `wireladder packets FILE`: one line per packet in tshark's default one-line style.

import { basename } from 'node:path';
import { Analyzer } from '../../core/engine/analyzer';
import { readCaptureFile } from '../../core/io/capture-reader';
import { infoText } from '../../core/engine/summary';
import { protoColumnNames } from '../../core/dissect/packet';
import { parseArgs } from '../args';
import { LineWriter } from '../output';
import type { CliIo } from '../main';
import { KEY_FLAGS, KEY_USAGE, keysFromArgs } from '../keys';

const ARROW = '\u2192';

export async function packetsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, KEY_FLAGS);
  const file = args.positional[0];
  if (file === undefined) {
    io.err(`usage: wireladder packets FILE ${KEY_USAGE}`);
    return 1;
  }
  const tlsKeys = keysFromArgs(args);
  const w = new LineWriter(io.stdout);
  let firstSec = 0;
  let firstNsec = 0;
  const analyzer: Analyzer = new Analyzer({
    ...(tlsKeys !== undefined ? { tlsKeys } : {}),
    onPacket: (p, row) => {
      if (row === 0) {
        firstSec = p.tsSec;
        firstNsec = p.tsNsec;
      }
      const rel = p.tsSec - firstSec + (p.tsNsec - firstNsec) / 1e9;
      const src = analyzer.addresses.text(analyzer.index.src(row));
      const dst = analyzer.addresses.text(analyzer.index.dst(row));
      w.line(
        `${String(p.number).padStart(5)} ${rel.toFixed(6).padStart(11)} ${src.padStart(15)} ${ARROW} ${dst.padEnd(15)} ` +
          `${protoColumnNames[p.top] ?? ''} ${p.wirelen} ${infoText(p)}`,
      );
    },
  });
  const result = await readCaptureFile(file, analyzer);
  analyzer.finish();
  w.flush();
  if (result.stop !== null) {
    io.err(`wireladder: ${basename(file)}: stopped at byte ${result.stop.offset}: ${result.stop.reason}; ${result.packets} packets kept`);
    return 1;
  }
  return 0;
}
