import { describe as suite, expect, it } from 'vitest';
import { capturesWithFixtures, compareCapture, describe } from './differential';

// Every corpus capture with keys (NAME.keys beside it, or a Decryption Secrets Block inside):
// decrypted handshake messages and HTTP agree with tshark 4.0 `-o tls.keylog_file:NAME.keys`,
// except documented cases (test/fixtures/tshark/exceptions.json, set "keys").
suite('wireladder fields with TLS keys agrees with tshark -o tls.keylog_file', () => {
  const files = capturesWithFixtures('keys');
  it('covers every keyed corpus capture', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });
  for (const file of files) {
    it(file, async () => {
      const { mismatches, compared } = await compareCapture('keys', file);
      expect(describe(mismatches)).toBe('');
      expect(compared).toBeGreaterThan(0);
    });
  }
});
