import { join } from 'node:path';
import { describe as suite, expect, it } from 'vitest';
import { compareCapture, describe, root } from './differential';

// The HTTP/2 captures made by `npm run samples -- http2` (h2-tls13 decrypted with the key log in its
// Decryption Secrets Block, as tshark with -o tls.keylog_file): every listed field agrees with tshark 4.0
// (fixtures from scripts/make-http2-fixtures.mjs), except documented cases (exceptions.json).
suite('wireladder fields agrees with tshark on HTTP/2 fields', () => {
  for (const file of ['h2c-prior-knowledge.pcapng', 'h2c-upgrade.pcapng', 'h2c-midstream.pcapng', 'h2-tls13.pcapng']) {
    it(file, async () => {
      const { mismatches, compared } = await compareCapture('http2', file, join(root, 'test', 'fixtures', 'http2', file));
      expect(describe(mismatches)).toBe('');
      expect(compared).toBeGreaterThan(0);
    });
  }
});
