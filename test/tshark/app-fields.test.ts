import { describe as suite, expect, it } from 'vitest';
import { capturesWithFixtures, compareCapture, describe } from './differential';

// Every corpus capture: TLS and HTTP fields agree with tshark 4.0 on the packet that completes
// each PDU, except documented cases (test/fixtures/tshark/exceptions.json, each with its reason).
suite('wireladder fields agrees with tshark on TLS and HTTP fields', () => {
  for (const file of capturesWithFixtures('app')) {
    it(file, async () => {
      const { mismatches } = await compareCapture('app', file);
      expect(describe(mismatches)).toBe('');
    });
  }
});
