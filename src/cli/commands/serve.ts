// `wireladder serve [FILE] [--port P]`: browser mode — the app in a local browser tab.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, single, UsageError, workersOption } from '../args';
import type { CliIo } from '../main';
import { startServer } from '../serve/server';

/** Where the built pieces sit relative to the CLI bundle (out/cli/wireladder.js). */
function builtPath(rel: string): string {
  return fileURLToPath(new URL(rel, import.meta.url));
}

/**
 * The last line of defence: an error no handler caught is logged and the server keeps serving
 * the other requests. Every request handler answers its own errors; this only catches bugs.
 */
function keepServing(io: CliIo): void {
  const report = (what: string, err: unknown): void => {
    io.err(`wireladder serve: ${what} (the server keeps running): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  };
  process.on('uncaughtException', (err) => report('unexpected error', err));
  process.on('unhandledRejection', (err) => report('unhandled rejection', err));
}

export async function serveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  keepServing(io);
  const args = parseArgs(argv, { '--port': { value: true, alias: '-p' }, '--workers': { value: true } });
  if (args.positional.length > 1) throw new UsageError('usage: wireladder serve [FILE] [--port P] [--workers N]');
  const portText = single(args, '--port') ?? '0';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: ${portText} is not a port number`);
  const rendererDir = builtPath('../renderer/');
  const workerPath = builtPath('../engine/engine-worker.js');
  if (!existsSync(`${rendererDir}index.html`) || !existsSync(workerPath)) {
    io.err('wireladder serve: the app is not built yet; run `npm run build` first');
    return 1;
  }
  const file = args.positional[0];
  const samplePath = builtPath('../../resources/samples/sample.pcapng');
  const workers = workersOption(args);
  const server = await startServer({ file, port, rendererDir, workerPath, samplePath: existsSync(samplePath) ? samplePath : undefined, log: io.err, ...(workers !== undefined ? { workers } : {}) });
  const what = file ?? (server.initialSession !== null ? 'the bundled sample' : 'no capture (start it with a FILE)');
  io.out(`WireLadder is serving ${what} at\n\n  ${server.url}\n\nOpen that URL in a browser on this machine (it carries the access token). Ctrl+C stops.`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
