// The version `wireladder --version` prints: package.json's, read beside the source and the bundle
// alike (src/cli/ and out/cli/ both sit two levels below it).

import { readFileSync } from 'node:fs';

let cached: string | null = null;

export function version(): string {
  if (cached === null) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}
