// `wireladder fields FILE -e NAME …`: tab-separated field values, exactly like `tshark -T fields`.

import { MemoryGuard } from '../../core/util/memory-guard';
import { Analyzer } from '../../core/engine/analyzer';
import { extractFields, laterFramesOf, unknownFields } from '../../core/engine/field-values';
import { readEnd } from '../read-end';
import { parseArgs, single, UsageError } from '../args';
import { passFilter } from '../display-filter';
import { LineWriter } from '../output';
import type { CliIo } from '../main';
import { KEY_FLAGS, KEY_USAGE, keysFromArgs } from '../keys';

export interface FieldsOptions {
  header: boolean;
  separator: string;
  /** 'a' all occurrences, 'f' first, 'l' last (tshark -E occurrence). */
  occurrence: 'a' | 'f' | 'l';
  aggregator: string;
}

export async function fieldsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { '-e': { value: true }, '-E': { value: true }, '-Y': { value: true, alias: '--display-filter' }, '-2': {}, ...KEY_FLAGS });
  const file = args.positional[0];
  const names = args.values.get('-e') ?? [];
  if (file === undefined || names.length === 0) {
    io.err(`usage: wireladder fields FILE -e FIELD [-e FIELD …] [-Y FILTER] [-2] [-E header=y] [-E separator=,] [-E occurrence=a|f|l] [-E aggregator=,] ${KEY_USAGE}`);
    return 1;
  }
  const opts: FieldsOptions = { header: false, separator: '\t', occurrence: 'a', aggregator: ',' };
  for (const e of args.values.get('-E') ?? []) {
    const [k, v = ''] = e.split('=', 2) as [string, string?];
    if (k === 'header') opts.header = v === 'y';
    else if (k === 'separator') opts.separator = v === '/t' ? '\t' : v === '/s' ? ' ' : v;
    else if (k === 'occurrence' && (v === 'a' || v === 'f' || v === 'l')) opts.occurrence = v;
    else if (k === 'aggregator') opts.aggregator = v === '/s' ? ' ' : v;
    else throw new UsageError(`unknown -E option ${e}`);
  }
  const unknown = unknownFields(names);
  if (unknown.length > 0) {
    io.err(`wireladder: some fields aren't valid: ${unknown.join(' ')}`);
    return 1;
  }
  const filter = passFilter(single(args, '-Y'), new Analyzer());
  const tlsKeys = keysFromArgs(args);
  // tshark -2: a first pass finds the references to later packets (tcp.reassembled_in, http.response_in).
  const laterFrames = args.flags.has('-2') ? await laterFramesOf(file, tlsKeys !== undefined ? { tlsKeys } : {}, { memoryGuard: new MemoryGuard() }) : undefined;
  const w = new LineWriter(io.stdout);
  if (opts.header) w.line(names.join(opts.separator));
  // Between chunks the read waits while the reader of the output is behind.
  const result = await extractFields(
    file,
    names,
    (values) => {
      w.line(values.map((v) => pick(v, opts)).join(opts.separator));
    },
    {
      ...(filter !== null ? { accept: (p, row, analyzer) => filter.matches(p, row, analyzer) } : {}),
      ...(tlsKeys !== undefined ? { tlsKeys } : {}),
      ...(laterFrames !== undefined ? { laterFrames } : {}),
    },
    { onProgress: () => w.drained(), memoryGuard: new MemoryGuard() },
  );
  w.flush();
  return readEnd(io, file, result);
}

function pick(values: string[] | undefined, opts: FieldsOptions): string {
  if (values === undefined || values.length === 0) return '';
  if (opts.occurrence === 'f') return values[0]!;
  if (opts.occurrence === 'l') return values[values.length - 1]!;
  return values.join(opts.aggregator);
}
