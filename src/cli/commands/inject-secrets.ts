// `wireladder inject-secrets FILE --keylog KEYS -o OUT.pcapng`: a pcapng copy of FILE with the
// key log lines its TLS sessions use embedded in a Decryption Secrets Block (as `editcap
// --inject-secrets tls,KEYS` does, minus the lines for other captures), so the file can be shared.

import { basename } from 'node:path';
import { Analyzer } from '../../core/engine/analyzer';
import { readCaptureFile } from '../../core/io/capture-reader';
import { isSameFile, rewriteCapture } from '../../core/io/pcapng-writer';
import { parseArgs, UsageError } from '../args';
import { KEY_FLAGS, keysFromArgs, keyReport } from '../keys';
import type { CliIo } from '../main';

const USAGE = 'usage: wireladder inject-secrets FILE --keylog KEYS [--keylog KEYS…] -o OUT.pcapng [--overwrite]';

export async function injectSecretsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { ...KEY_FLAGS, '--overwrite': {} });
  const file = args.positional[0];
  const outputs = args.values.get('-o') ?? [];
  const out = outputs.filter((o) => !/^(tls|ssl)\.[a-z_]+:|^uat:/.test(o)).pop();
  if (file === undefined || out === undefined) {
    io.err(USAGE);
    return 1;
  }
  const tlsKeys = keysFromArgs(args, outputs.filter((o) => o !== out));
  if (tlsKeys === undefined) throw new UsageError(`give the key log to embed with --keylog KEYS\n${USAGE}`);
  if (isSameFile(file, out) && !args.flags.has('--overwrite')) throw new UsageError(`refusing to write over the capture ${file} (pass --overwrite)`);
  // One summary pass finds the sessions the keys belong to (and the capture's own DSB lines).
  const analyzer = new Analyzer({ tlsKeys, summaryOnly: true });
  const read = await readCaptureFile(file, analyzer);
  analyzer.finish();
  const text = tlsKeys.usedKeyLog();
  if (text === '') {
    io.err(`wireladder: none of the keys belong to ${basename(file)} (0 of ${tlsKeys.sessionsSeen} TLS sessions matched); nothing written`);
    return 1;
  }
  const result = await rewriteCapture(file, out, { commentsByPacket: new Map(), tlsKeyLog: text, overwrite: args.flags.has('--overwrite') });
  const lines = text.trimEnd().split('\n').length;
  io.err(`wireladder: wrote ${out}: ${result.packets} packets, ${lines} key log line${lines === 1 ? '' : 's'} embedded`);
  for (const line of keyReport(tlsKeys)) io.err(`  ${line}`);
  if (read.stop !== null) {
    io.err(`wireladder: ${basename(file)}: stopped at byte ${read.stop.offset}: ${read.stop.reason}; ${read.packets} packets kept`);
    return 1;
  }
  return 0;
}
