// Parses display-filter tokens into a syntax tree. Precedence as in Wireshark 4.0, highest first:
// `not`, `and`, `xor` (an extension: 4.0 has no xor), `or`; tests and comparisons are the atoms.

import { tokenize, type FilterError, type Token } from './lexer';

/** How a comparison treats a field that occurs several times in a packet (Wireshark 4.0). */
export type Quantifier = 'any' | 'all';

export type Relation = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'contains' | 'matches';

/** A literal on the right of a comparison: an unquoted word or a quoted string. */
export interface ValueTerm {
  kind: 'word' | 'string';
  text: string;
  pos: number;
  end: number;
}

/**
 * Bytes of a field or protocol (`frame[54:2]`): from `start` (negative: from the end) for `length`
 * bytes, or to the end when length is null.
 */
export interface Slice {
  start: number;
  length: number | null;
}

/** A field or protocol on the left of a test, with an optional bitwise-and mask (`tcp.flags & 0x02`). */
export interface FieldTerm {
  name: string;
  pos: number;
  end: number;
  mask: ValueTerm | null;
  /** A slice of the field's bytes (`frame[54:2]`, `tcp.payload[0-3]`, `eth.src[:3]`). */
  slice: Slice | null;
}

export interface SetItem {
  lo: ValueTerm;
  /** Upper bound of a range `lo..hi`, inclusive. */
  hi: ValueTerm | null;
}

export type Expr =
  | { type: 'and' | 'or' | 'xor'; left: Expr; right: Expr; pos: number }
  | { type: 'not'; expr: Expr; pos: number }
  /** The field or protocol is present (with a mask: some occurrence has a masked bit set). */
  | { type: 'exists'; field: FieldTerm; pos: number }
  | { type: 'compare'; relation: Relation; quantifier: Quantifier; op: string; field: FieldTerm; value: ValueTerm; pos: number }
  | { type: 'in'; field: FieldTerm; items: SetItem[]; pos: number };

/**
 * Comparison operators and their meaning in 4.0: `==` is true when any occurrence is equal, `!=`
 * when every occurrence differs (so `ip.addr != 10.0.0.1` excludes both directions), `===` when
 * all are equal, `!==` / `~=` when any differs; the others look for any occurrence.
 */
const RELATIONS: Record<string, { relation: Relation; quantifier: Quantifier }> = {
  '==': { relation: 'eq', quantifier: 'any' },
  eq: { relation: 'eq', quantifier: 'any' },
  any_eq: { relation: 'eq', quantifier: 'any' },
  '!=': { relation: 'ne', quantifier: 'all' },
  ne: { relation: 'ne', quantifier: 'all' },
  all_ne: { relation: 'ne', quantifier: 'all' },
  '===': { relation: 'eq', quantifier: 'all' },
  all_eq: { relation: 'eq', quantifier: 'all' },
  '!==': { relation: 'ne', quantifier: 'any' },
  '~=': { relation: 'ne', quantifier: 'any' },
  any_ne: { relation: 'ne', quantifier: 'any' },
  '>': { relation: 'gt', quantifier: 'any' },
  gt: { relation: 'gt', quantifier: 'any' },
  '<': { relation: 'lt', quantifier: 'any' },
  lt: { relation: 'lt', quantifier: 'any' },
  '>=': { relation: 'ge', quantifier: 'any' },
  ge: { relation: 'ge', quantifier: 'any' },
  '<=': { relation: 'le', quantifier: 'any' },
  le: { relation: 'le', quantifier: 'any' },
  contains: { relation: 'contains', quantifier: 'any' },
  matches: { relation: 'matches', quantifier: 'any' },
  '~': { relation: 'matches', quantifier: 'any' },
};

const KEYWORDS = new Set(['and', 'or', 'not', 'xor', 'in', ...Object.keys(RELATIONS).filter((k) => /^[a-z_]+$/.test(k))]);

/** `i:j` (offset and length), `i-j` (first and last offset), `i`, `:j` and `i:` (to the end). */
function parseSlice(text: string): Slice | null {
  let m = /^(-?\d+):(\d+)$/.exec(text);
  if (m !== null) return { start: Number(m[1]), length: Number(m[2]) };
  m = /^(-?\d+)-(-?\d+)$/.exec(text);
  if (m !== null) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    return (a < 0) === (b < 0) && b >= a ? { start: a, length: b - a + 1 } : null;
  }
  m = /^(-?\d+)$/.exec(text);
  if (m !== null) return { start: Number(m[1]), length: 1 };
  m = /^:(\d+)$/.exec(text);
  if (m !== null) return { start: 0, length: Number(m[1]) };
  m = /^(-?\d+):$/.exec(text);
  if (m !== null) return { start: Number(m[1]), length: null };
  return null;
}

export function isFilterError(x: unknown): x is FilterError {
  return typeof x === 'object' && x !== null && 'error' in x && 'position' in x;
}

export function parseFilter(text: string): Expr | FilterError {
  const tokens = tokenize(text);
  if (isFilterError(tokens)) return tokens;
  const p = new Parser(text, tokens);
  try {
    const expr = p.expression();
    p.expectEnd();
    return expr;
  } catch (err) {
    if (err instanceof SyntaxFailure) return { error: err.message, position: err.position };
    throw err;
  }
}

class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

class Parser {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private next(): Token {
    const t = this.tokens[this.at]!;
    if (t.kind !== 'eof') this.at++;
    return t;
  }

  private isOp(t: Token, ...ops: string[]): boolean {
    return t.kind === 'op' && ops.includes(t.text);
  }

  private isWord(t: Token, ...words: string[]): boolean {
    return t.kind === 'word' && words.includes(t.text);
  }

  private unexpected(t: Token): SyntaxFailure {
    if (t.kind === 'eof') return new SyntaxFailure('Unexpected end of filter string.', t.pos);
    const shown = t.kind === 'string' ? t.text : this.text.slice(t.pos, t.end);
    return new SyntaxFailure(`"${shown}" was unexpected in this context.`, t.pos);
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'eof') throw this.unexpected(t);
  }

  expression(): Expr {
    let left = this.xorExpr();
    for (;;) {
      const t = this.peek();
      if (!this.isOp(t, '||') && !this.isWord(t, 'or')) return left;
      this.next();
      left = { type: 'or', left, right: this.xorExpr(), pos: t.pos };
    }
  }

  private xorExpr(): Expr {
    let left = this.andExpr();
    for (;;) {
      const t = this.peek();
      if (!this.isOp(t, '^^') && !this.isWord(t, 'xor')) return left;
      this.next();
      left = { type: 'xor', left, right: this.andExpr(), pos: t.pos };
    }
  }

  private andExpr(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (!this.isOp(t, '&&') && !this.isWord(t, 'and')) return left;
      this.next();
      left = { type: 'and', left, right: this.unary(), pos: t.pos };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.isOp(t, '!') || this.isWord(t, 'not')) {
      this.next();
      return { type: 'not', expr: this.unary(), pos: t.pos };
    }
    if (this.isOp(t, '(')) {
      this.next();
      const inner = this.expression();
      const close = this.next();
      if (!this.isOp(close, ')')) throw this.unexpected(close);
      return inner;
    }
    return this.test();
  }

  private test(): Expr {
    const t = this.next();
    if (t.kind !== 'word' || KEYWORDS.has(t.text)) throw this.unexpected(t);
    const field: FieldTerm = { name: t.text, pos: t.pos, end: t.end, mask: null, slice: null };
    if (this.isOp(this.peek(), '(')) {
      throw new SyntaxFailure(`Functions such as ${t.text}() are not supported.`, t.pos);
    }
    if (this.isOp(this.peek(), '[')) {
      this.next();
      const spec = this.next();
      const slice = spec.kind === 'word' ? parseSlice(spec.text) : null;
      if (slice === null) throw new SyntaxFailure(`"${spec.text}" is not a valid slice (such as [0:4], [2-5], [3], [:2] or [4:]).`, spec.pos);
      const close = this.next();
      if (!this.isOp(close, ']')) throw this.unexpected(close);
      field.slice = slice;
      field.end = close.end;
    }
    if (this.isOp(this.peek(), '&')) {
      this.next();
      field.mask = this.value();
    }
    const op = this.peek();
    if (op.kind === 'op' || op.kind === 'word') {
      const rel = RELATIONS[op.text];
      if (rel !== undefined && (op.kind === 'op') === !/^[a-z_]+$/.test(op.text)) {
        this.next();
        return { type: 'compare', ...rel, op: op.text, field, value: this.value(), pos: op.pos };
      }
      if (this.isWord(op, 'in')) {
        this.next();
        return { type: 'in', field, items: this.set(), pos: op.pos };
      }
      if (this.isWord(op, 'not') && this.isWord(this.tokens[this.at + 1]!, 'in')) {
        // `a not in {…}` is `not (a in {…})`.
        this.next();
        const inOp = this.next();
        return { type: 'not', expr: { type: 'in', field, items: this.set(), pos: inOp.pos }, pos: op.pos };
      }
    }
    return { type: 'exists', field, pos: t.pos };
  }

  private value(): ValueTerm {
    const t = this.next();
    if (t.kind === 'string') return { kind: 'string', text: t.text, pos: t.pos, end: t.end };
    if (t.kind === 'word' && !KEYWORDS.has(t.text)) return { kind: 'word', text: t.text, pos: t.pos, end: t.end };
    throw this.unexpected(t);
  }

  /** `{a, b, lo..hi}`; 4.0 wants commas, and older filters separate with spaces: both are read. */
  private set(): SetItem[] {
    const open = this.next();
    if (!this.isOp(open, '{')) throw this.unexpected(open);
    const items: SetItem[] = [];
    for (;;) {
      const lo = this.value();
      let hi: ValueTerm | null = null;
      if (this.isOp(this.peek(), '..')) {
        this.next();
        hi = this.value();
      }
      items.push({ lo, hi });
      const t = this.peek();
      if (this.isOp(t, '}')) {
        this.next();
        return items;
      }
      if (this.isOp(t, ',')) this.next();
      else if (t.kind !== 'word' && t.kind !== 'string') throw this.unexpected(t);
    }
  }
}
