// Entry point of the capture program run as a script by Node (out/engine/capture-process.js): the
// fallback where the dedicated helper executable (capture-helper.ts) has not been built. Only the
// dedicated helper is ever meant to hold capture privileges; permission fixes name it, never Node.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCaptureProgram, type CapModule } from './capture-program';
import { HELPER_DIR, HELPER_NAME } from './helper-location';

const here = dirname(fileURLToPath(import.meta.url));

runCaptureProgram(process.argv.slice(2), {
  loadCap: () => createRequire(import.meta.url)('cap') as CapModule,
  // out/engine/capture-process.js → out/capture-helper/wireladder-capture
  helper: join(here, '..', HELPER_DIR, HELPER_NAME),
});
