// The `wireladder` command line: dispatches to one command per verb.

import { CaptureFormatError } from '../core/io/capture-reader';
import { UsageError } from './args';
import { annotateCommand } from './commands/annotate';
import { captureCommand } from './commands/capture';
import { fieldsCommand } from './commands/fields';
import { commandHelp, wantsHelp } from './help';
import { version } from './version';
import { flowsCommand } from './commands/flows';
import { infoCommand } from './commands/info';
import { injectSecretsCommand } from './commands/inject-secrets';
import { ladderCommand } from './commands/ladder';
import { packetsCommand } from './commands/packets';
import { serveCommand } from './commands/serve';
import type { Writable } from './output';

export interface CliIo {
  stdout: Writable;
  out(text: string): void;
  err(text: string): void;
}

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

export const commands: Record<string, { run: Command; help: string }> = {
  info: { run: infoCommand, help: 'info FILE [--json]              what a capture holds (format, packets, times, comments)' },
  packets: { run: packetsCommand, help: 'packets FILE [-Y F] [-T json] [--json|--jsonl] [-w OUT]  one line per packet like tshark (filtered, JSON, or to pcapng)' },
  fields: { run: fieldsCommand, help: 'fields FILE -e NAME [-e NAME…] [-Y F]   field values, exactly like tshark -T fields' },
  flows: { run: flowsCommand, help: 'flows FILE [--json|--jsonl] [--workers N]  TCP/UDP conversations: endpoints, counts, handshake, TLS, HTTP' },
  capture: { run: captureCommand, help: 'capture -D | -i IFACE [-f BPF] [-c N] [-a duration:S] -w OUT  live capture to pcapng (like dumpcap)' },
  ladder: { run: ladderCommand, help: 'ladder FILE --stream N [--format F] [-o OUT]  handshake ladder of a TCP stream (svg, png, pdf, mermaid, json)' },
  'inject-secrets': { run: injectSecretsCommand, help: 'inject-secrets FILE --keylog KEYS -o OUT  pcapng copy with the TLS keys it uses embedded (DSB)' },
  annotate: { run: annotateCommand, help: 'annotate FILE --packet N --comment T -o OUT  packet comments (pcapng, as Wireshark shows them) in a copy' },
  serve: { run: serveCommand, help: 'serve [FILE] [--port P] [--workers N]  the app in a browser tab on 127.0.0.1 (prints a URL with a token)' },
};

export function usage(): string {
  return [
    'usage: wireladder COMMAND [ARGS]',
    '',
    'commands:',
    ...Object.values(commands).map((c) => `  ${c.help}`),
    '',
    '`wireladder COMMAND --help` describes a command; `wireladder --version` prints the version.',
  ].join('\n');
}

/** Runs the CLI; returns the exit status (0 ok, 1 bad input or usage). */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '-h' || verb === '--help') {
    io.out(usage());
    return verb === undefined ? 1 : 0;
  }
  if (verb === '--version' || verb === '-v') {
    io.out(`wireladder ${version()}`);
    return 0;
  }
  // `wireladder help COMMAND` as `wireladder COMMAND --help`.
  if (verb === 'help') {
    const topic = rest[0];
    io.out(topic !== undefined && commandHelp[topic] !== undefined ? commandHelp[topic] : usage());
    return topic === undefined || commandHelp[topic] !== undefined ? 0 : 1;
  }
  const cmd = commands[verb];
  if (cmd === undefined) {
    io.err(`wireladder: unknown command '${verb}'\n${usage()}`);
    return 1;
  }
  if (wantsHelp(rest)) {
    io.out(commandHelp[verb] ?? usage());
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof CaptureFormatError || err instanceof UsageError) {
      io.err(`wireladder: ${err.message}`);
      return 1;
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') {
      io.err(`wireladder: ${e.message}`);
      return 1;
    }
    throw err;
  }
}

export function processIo(): CliIo {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  return {
    stdout: process.stdout,
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
  };
}
