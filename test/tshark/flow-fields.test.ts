import { describe as suite, expect, it } from 'vitest';
import { capturesWithFixtures, compareCapture, describe } from './differential';

// Every corpus capture: conversation numbering, relative sequence numbers, scaled windows, RTTs and
// the TCP analysis flags agree with tshark 4.0, except documented cases
// (test/fixtures/tshark/exceptions.json, each with its reason).
suite('wireladder fields agrees with tshark on flow fields', () => {
  for (const file of capturesWithFixtures('flow')) {
    it(file, async () => {
      const { mismatches } = await compareCapture('flow', file);
      expect(describe(mismatches)).toBe('');
    });
  }
});
