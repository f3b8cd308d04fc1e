// Argument checks accept only a method's own keys: names inherited from Object.prototype are not keys.

import { describe, expect, it } from 'vitest';
import { ArgumentError, validateArg } from '../../src/shared/validate';

const session = 'd6f1c1de-0000-4000-8000-000000000000';

describe('validateArg', () => {
  it('accepts a well-formed argument', () => {
    expect(validateArg('rows', { session, start: 0, count: 10 })).toEqual({ session, start: 0, count: 10 });
  });

  for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__']) {
    it(`refuses '${key}' as an extra key (inherited from Object.prototype, not part of the shape)`, () => {
      // JSON.parse makes '__proto__' an own property, as a WebSocket message would.
      const arg = JSON.parse(`{"session":"${session}","start":0,"count":1,"${key}":{}}`) as unknown;
      expect(() => validateArg('rows', arg)).toThrow(ArgumentError);
      expect(() => validateArg('rows', arg)).toThrow(new RegExp(`rows\\.${key} is not expected`));
    });
  }

  it('an empty argument gets no keys from Object.prototype', () => {
    expect(() => validateArg('listSessions', JSON.parse('{"constructor":1}'))).toThrow(/listSessions\.constructor is not expected/);
    expect(validateArg('listSessions', {})).toEqual({});
  });

  it('a missing key is missing even when the object inherits one of that name', () => {
    const inherits = Object.create({ session }) as Record<string, unknown>;
    inherits.start = 0;
    inherits.count = 1;
    expect(() => validateArg('rows', inherits)).toThrow(/rows\.session must be a string/);
  });

  it('refuses a note longer than the contract allows', () => {
    expect(() => validateArg('annotate', { session, packet: 1, comment: 'x'.repeat(10_001) })).toThrow(/annotate\.comment is longer than 10000 characters/);
    expect(validateArg('annotate', { session, packet: 1, comment: 'x'.repeat(10_000) }).comment).toHaveLength(10_000);
  });

  it('bounds the conversations asked for: 1 to 200,000 rows', () => {
    expect(validateArg('conversations', { session, max: 2 })).toEqual({ session, max: 2 });
    expect(validateArg('conversations', { session, limitToDisplay: true, max: 200_000 }).max).toBe(200_000);
    expect(validateArg('conversations', { session })).toEqual({ session });
    expect(() => validateArg('conversations', { session, max: 0 })).toThrow(ArgumentError);
    expect(() => validateArg('conversations', { session, max: 1e9 })).toThrow(ArgumentError);
    expect(() => validateArg('conversations', { session, max: 2.5 })).toThrow(ArgumentError);
  });
});
