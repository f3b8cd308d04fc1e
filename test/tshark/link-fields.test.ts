import { describe as suite, expect, it } from 'vitest';
import { capturesWithFixtures, compareCapture, describe } from './differential';

// Every corpus capture: link-to-transport fields agree with tshark 4.0, except documented cases
// (test/fixtures/tshark/exceptions.json, each with its reason).
suite('wireladder fields agrees with tshark on link-to-transport fields', () => {
  for (const file of capturesWithFixtures('link')) {
    it(file, async () => {
      const { mismatches } = await compareCapture('link', file);
      expect(describe(mismatches)).toBe('');
    });
  }
});
