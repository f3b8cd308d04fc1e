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

  it('bounds the conversations asked for: a window of at most 200,000 rows, a known sort column', () => {
    const sort = { key: 'bytes', descending: true };
    expect(validateArg('conversations', { session, offset: 600_000, count: 200, sort })).toEqual({ session, offset: 600_000, count: 200, sort });
    expect(validateArg('conversations', { session, limitToDisplay: true, count: 200_000 }).count).toBe(200_000);
    expect(validateArg('conversations', { session })).toEqual({ session });
    expect(() => validateArg('conversations', { session, count: 200_001 })).toThrow(ArgumentError);
    expect(() => validateArg('conversations', { session, offset: -1 })).toThrow(ArgumentError);
    expect(() => validateArg('conversations', { session, offset: 2.5 })).toThrow(ArgumentError);
    expect(() => validateArg('conversations', { session, max: 2 })).toThrow(/conversations\.max is not expected/);
    expect(() => validateArg('conversations', { session, sort: { key: 'colour', descending: true } })).toThrow(/conversations\.sort\.key must be one of stream, protocol/);
    expect(() => validateArg('conversations', { session, sort: { key: 'bytes' } })).toThrow(/conversations\.sort\.descending must be true or false/);
    expect(validateArg('conversationIndexOf', { session, conversation: 607_142, sort })).toEqual({ session, conversation: 607_142, sort });
    expect(() => validateArg('conversationIndexOf', { session, conversation: -1 })).toThrow(ArgumentError);
  });
});
