// `wireladder ladder FILE --stream N [--format svg|png|pdf|mermaid|json] [-o OUT] …`: the handshake
// ladder of one TCP stream, as a file or on standard output.

import { writeFileSync } from 'node:fs';
import { isSameFile } from '../../core/io/pcapng-writer';
import { renderPdf, renderPng } from '../../core/ladder/export';
import { LadderInputError, ladderFromFile } from '../../core/ladder/build';
import type { Language, LadderOptions } from '../../core/ladder/model';
import { renderJson } from '../../core/ladder/render-json';
import { renderMermaid } from '../../core/ladder/render-mermaid';
import { renderSvg } from '../../core/ladder/render-svg';
import { parseArgs, single, UsageError } from '../args';
import { isPreference, KEY_USAGE, keysFromArgs } from '../keys';
import type { CliIo } from '../main';

const FORMATS = ['svg', 'png', 'pdf', 'mermaid', 'json'] as const;
type Format = (typeof FORMATS)[number];

export const LADDER_USAGE =
  'usage: wireladder ladder FILE --stream N [--format svg|png|pdf|mermaid|json] [-o OUT] [--layout time|even] ' +
  `[--theme light|dark] [--show-acks] [--show-control-frames] [--lang en|zh-CN] [--width PX] [--scale S] ${KEY_USAGE}`;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, flag: string): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
}

function number(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${flag} must be a number from ${min} to ${max} (got '${value}')`);
  return n;
}

/** Standard output that takes bytes (process.stdout does; a test's string collector does not). */
interface ByteSink {
  write(chunk: Uint8Array): boolean;
  isTTY?: boolean;
}

export async function ladderCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    '--stream': { value: true },
    '--format': { value: true, alias: '-f' },
    '--output': { value: true, alias: '-o' },
    '--layout': { value: true },
    '--theme': { value: true },
    '--lang': { value: true },
    '--width': { value: true },
    '--scale': { value: true },
    '--show-acks': {},
    '--show-control-frames': {},
    '--keylog': { value: true },
    '--rsa-key': { value: true },
  });
  const file = args.positional[0];
  if (file === undefined || args.positional.length > 1) {
    io.err(LADDER_USAGE);
    return 1;
  }
  const format = oneOf<Format>(single(args, '--format'), FORMATS, 'svg', '--format');
  const layout = oneOf(single(args, '--layout'), ['time', 'even'] as const, 'time', '--layout');
  const theme = oneOf(single(args, '--theme'), ['light', 'dark'] as const, 'light', '--theme');
  const language = oneOf<Language>(single(args, '--lang'), ['en', 'zh-CN'], 'en', '--lang');
  const width = number(single(args, '--width'), '--width', 480, 4000);
  const scale = number(single(args, '--scale'), '--scale', 0.25, 8);
  const streamText = single(args, '--stream');
  // -o is the output file, or a tshark preference (`-o tls.keylog_file:PATH`) when it reads as one.
  const outputs = args.values.get('--output') ?? [];
  const out = outputs.filter((o) => !isPreference(o)).pop();
  const tlsKeys = keysFromArgs(args, outputs.filter(isPreference));
  if (streamText === undefined) throw new UsageError(`--stream N is required (the tcp.stream number \`wireladder flows ${file}\` prints)\n${LADDER_USAGE}`);
  if (!/^\d+$/.test(streamText)) throw new UsageError(`--stream takes a TCP stream number, got '${streamText}'`);
  const binary = format === 'png' || format === 'pdf';
  if (out === undefined && binary) {
    const stdout = io.stdout as unknown as Partial<ByteSink>;
    if (stdout.isTTY === true || typeof stdout.write !== 'function') {
      io.err(`wireladder: ${format.toUpperCase()} is binary: write it to a file with -o OUT.${format} (or pipe standard output)`);
      return 1;
    }
  }
  if (out !== undefined && isSameFile(file, out)) {
    io.err(`wireladder: refusing to write the ${format} ladder over the capture ${file}`);
    return 1;
  }

  const options: Partial<LadderOptions> = { showAcks: args.flags.has('--show-acks'), showControlFrames: args.flags.has('--show-control-frames'), layout, theme, language };
  let model;
  try {
    model = await ladderFromFile(file, Number(streamText), options, tlsKeys !== undefined ? { tlsKeys } : {});
  } catch (err) {
    if (err instanceof LadderInputError) {
      io.err(`wireladder: ${err.message}`);
      return 1;
    }
    throw err;
  }

  let text: string | null = null;
  let bytes: Uint8Array | null = null;
  if (format === 'json') text = renderJson(model);
  else if (format === 'mermaid') text = renderMermaid(model);
  else {
    const svg = renderSvg(model, { layout, theme, ...(width !== undefined ? { width } : {}) });
    if (format === 'svg') text = svg;
    else if (format === 'png') bytes = renderPng(svg, { scale: scale ?? 2 });
    else bytes = await renderPdf(svg);
  }

  if (out !== undefined) {
    writeFileSync(out, bytes ?? text ?? '');
    io.err(`wireladder: wrote ${out} (${model.steps.length} steps; verdict: ${model.verdict.status}${model.verdict.reason !== '' ? ` — ${model.verdict.reason}` : ''})`);
    return 0;
  }
  if (bytes !== null) (io.stdout as unknown as ByteSink).write(bytes);
  else io.stdout.write(text!.endsWith('\n') ? text! : `${text!}\n`);
  return 0;
}
