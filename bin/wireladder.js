#!/usr/bin/env node
// Runs the built CLI; `npm run build` (or `npm run build:cli`) makes out/cli/wireladder.js.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../out/cli/wireladder.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('wireladder: not built yet; run `npm run build` first\n');
  process.exit(1);
}
await import(built);
