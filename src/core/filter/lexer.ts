// Splits a display filter into tokens (words, quoted strings, operators), each with its position,
// following Wireshark's scanner closely enough that its filters read the same here.

export interface Token {
  kind: 'word' | 'string' | 'op' | 'eof';
  /** The word, the operator, or the string's value with escapes resolved. */
  text: string;
  /** Offset of the first character in the filter text. */
  pos: number;
  /** Offset just past the token. */
  end: number;
}

export interface FilterError {
  error: string;
  /** Offset in the filter text the message is about. */
  position: number;
}

/** Operators, longest first so `===` wins over `==` and `!==` over `!=`. */
const OPERATORS = ['===', '!==', '==', '!=', '~=', '>=', '<=', '&&', '||', '^^', '..', '>', '<', '~', '!', '&', '(', ')', '{', '}', ',', '[', ']', '=', '|', '^'];

/** Characters of an unquoted word: field names, numbers, addresses (IPv4, IPv6, MAC, CIDR), byte strings. */
function isWordChar(c: string): boolean {
  return /[A-Za-z0-9_.:/-]/.test(c);
}

export function tokenize(text: string): Token[] | FilterError {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"' || ((c === 'r' || c === 'R') && text[i + 1] === '"')) {
      const s = quoted(text, i);
      if ('error' in s) return s;
      out.push(s.token);
      i = s.token.end;
      continue;
    }
    if (isWordChar(c) && !(c === '.' && text[i + 1] === '.')) {
      let j = i;
      // A word stops before `..` so set ranges such as 443..500 split into three tokens.
      while (j < n && isWordChar(text[j]!) && !(text[j] === '.' && text[j + 1] === '.')) j++;
      out.push({ kind: 'word', text: text.slice(i, j), pos: i, end: j });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === undefined) return { error: `"${c}" was unexpected in this context.`, position: i };
    out.push({ kind: 'op', text: op, pos: i, end: i + op.length });
    i += op.length;
  }
  out.push({ kind: 'eof', text: '', pos: n, end: n });
  return out;
}

/** A "…" string (escapes \\ \" \n \t \r \a \b \f \v \xHH \OOO \uHHHH) or r"…" raw string. */
function quoted(text: string, start: number): { token: Token } | FilterError {
  const raw = text[start] !== '"';
  let i = raw ? start + 2 : start + 1;
  let value = '';
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return { token: { kind: 'string', text: value, pos: start, end: i + 1 } };
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) break;
    if (raw) {
      // Raw strings keep backslashes; \" still does not end the string.
      value += c + e;
      i += 2;
      continue;
    }
    const simple: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };
    if (simple[e] !== undefined) {
      value += simple[e];
      i += 2;
    } else if (e === 'x' && /^[0-9a-fA-F]{1,2}/.test(text.slice(i + 2, i + 4))) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2, i + 4))![0];
      value += String.fromCharCode(parseInt(m, 16));
      i += 2 + m.length;
    } else if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4))![0];
      value += String.fromCharCode(parseInt(m, 8) & 0xff);
      i += 1 + m.length;
    } else if (e === 'u' && /^[0-9a-fA-F]{4}/.test(text.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      return { error: `"\\${e}" is not a valid escape sequence.`, position: i };
    }
  }
  return { error: 'The final quote was missing from a quoted string.', position: start };
}
