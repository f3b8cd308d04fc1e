// Runs the CLI in-process with standard output and error collected as text.

import { run, type CliIo } from '../../src/cli/main';

export interface Captured {
  code: number;
  out: string;
  err: string;
}

export async function cli(args: string[], isTTY = false): Promise<Captured> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: Object.assign({ write: (s: string) => ((out += s), true) }, isTTY ? { isTTY: true } : {}),
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
  };
  const code = await run(args, io);
  return { code, out, err };
}
