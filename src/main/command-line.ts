// Capture files named on a command line (`npm start -- file.pcapng`, a file association, a second instance).

import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** Existing files among the arguments (flags, the app folder and missing paths are skipped). */
export function filesFromArgv(argv: readonly string[], cwd: string): string[] {
  return argv
    .filter((a) => !a.startsWith('-') && a !== '.')
    .map((a) => resolve(cwd, a))
    .filter((p) => existsSync(p) && statSync(p).isFile());
}
