import { describe, expect, it } from 'vitest';
import { isFilterError, parseFilter, type Expr } from '../../../src/core/filter/parser';
import { tokenize } from '../../../src/core/filter/lexer';

/** The tree in a compact prefix form: (and a b), (not a), tcp.port==443… */
function show(e: Expr): string {
  switch (e.type) {
    case 'and':
    case 'or':
    case 'xor':
      return `(${e.type} ${show(e.left)} ${show(e.right)})`;
    case 'not':
      return `(not ${show(e.expr)})`;
    case 'exists':
      return e.field.mask === null ? e.field.name : `${e.field.name}&${e.field.mask.text}`;
    case 'compare':
      return `${e.field.name}${e.field.mask ? `&${e.field.mask.text}` : ''} ${e.quantifier}-${e.relation} ${e.value.kind === 'string' ? JSON.stringify(e.value.text) : e.value.text}`;
    case 'in':
      return `${e.field.name} in {${e.items.map((i) => (i.hi ? `${i.lo.text}..${i.hi.text}` : i.lo.text)).join(',')}}`;
  }
}

function parsed(text: string): string {
  const e = parseFilter(text);
  if (isFilterError(e)) throw new Error(`${e.error} at ${e.position}`);
  return show(e);
}

function failure(text: string): { error: string; position: number } {
  const e = parseFilter(text);
  if (!isFilterError(e)) throw new Error(`"${text}" parsed as ${show(e)}`);
  return e;
}

describe('display filter syntax', () => {
  it('binds not tighter than and, and tighter than or (Wireshark 4.0)', () => {
    expect(parsed('arp or tcp and udp')).toBe('(or arp (and tcp udp))');
    expect(parsed('tcp and udp or arp')).toBe('(or (and tcp udp) arp)');
    expect(parsed('! tcp or arp')).toBe('(or (not tcp) arp)');
    expect(parsed('not tcp.port == 80 && ip')).toBe('(and (not tcp.port any-eq 80) ip)');
  });

  it('places xor between and and or', () => {
    expect(parsed('a or b xor c and d')).toBe('(or a (xor b (and c d)))');
    expect(parsed('a ^^ b')).toBe('(xor a b)');
  });

  it('groups left to right and honours parentheses', () => {
    expect(parsed('a && b && c')).toBe('(and (and a b) c)');
    expect(parsed('(arp or tcp) and udp')).toBe('(and (or arp tcp) udp)');
    expect(parsed('!(a || b)')).toBe('(not (or a b))');
    expect(parsed('not not tcp')).toBe('(not (not tcp))');
  });

  it('reads the C-like and English operators with 4.0 quantifiers', () => {
    expect(parsed('tcp.port == 443')).toBe('tcp.port any-eq 443');
    expect(parsed('tcp.port eq 443')).toBe('tcp.port any-eq 443');
    expect(parsed('ip.addr != 10.0.0.1')).toBe('ip.addr all-ne 10.0.0.1');
    expect(parsed('ip.addr ne 10.0.0.1')).toBe('ip.addr all-ne 10.0.0.1');
    expect(parsed('ip.addr === 10.0.0.1')).toBe('ip.addr all-eq 10.0.0.1');
    expect(parsed('ip.addr !== 10.0.0.1')).toBe('ip.addr any-ne 10.0.0.1');
    expect(parsed('ip.addr ~= 10.0.0.1')).toBe('ip.addr any-ne 10.0.0.1');
    expect(parsed('frame.len>=0x100')).toBe('frame.len any-ge 0x100');
    expect(parsed('frame.len lt 60')).toBe('frame.len any-lt 60');
    expect(parsed('http.host contains "example"')).toBe('http.host any-contains "example"');
    expect(parsed('http.host matches "^www\\\\."')).toBe('http.host any-matches "^www\\\\."');
    expect(parsed('http.host ~ "x"')).toBe('http.host any-matches "x"');
  });

  it('reads addresses, networks, MACs and byte strings as single words', () => {
    expect(parsed('ip.addr == 10.0.0.0/8')).toBe('ip.addr any-eq 10.0.0.0/8');
    expect(parsed('ipv6.addr == fe80::1/64')).toBe('ipv6.addr any-eq fe80::1/64');
    expect(parsed('eth.dst == ff:ff:ff:ff:ff:ff')).toBe('eth.dst any-eq ff:ff:ff:ff:ff:ff');
    expect(parsed('tcp.payload contains 16:03:01')).toBe('tcp.payload any-contains 16:03:01');
  });

  it('reads sets with commas (4.0), spaces (older filters) and ranges', () => {
    expect(parsed('tcp.port in {80, 443, 8000..8080}')).toBe('tcp.port in {80,443,8000..8080}');
    expect(parsed('tcp.port in {80 443}')).toBe('tcp.port in {80,443}');
    expect(parsed('tcp.port not in {80}')).toBe('(not tcp.port in {80})');
  });

  it('reads a bitwise and as a test or the left side of a comparison', () => {
    expect(parsed('tcp.flags & 0x02')).toBe('tcp.flags&0x02');
    expect(parsed('tcp.flags & 0x12 == 0x12')).toBe('tcp.flags&0x12 any-eq 0x12');
  });

  it('resolves string escapes', () => {
    expect(parsed('http.request.method == "GE\\x54"')).toBe('http.request.method any-eq "GET"');
    expect(parsed('http.user_agent contains "a\\"b\\\\"')).toBe('http.user_agent any-contains "a\\"b\\\\"');
    expect(parsed('http.host matches r"\\d+"')).toBe('http.host any-matches "\\\\d+"');
  });

  it('reports an unfinished filter at its end', () => {
    for (const text of ['tcp.port ==', 'tcp.port == 443 &&', '(tcp', '!', 'ip.src == 1.2.3.4 or', 'tcp.port in {80,']) {
      expect(failure(text)).toEqual({ error: 'Unexpected end of filter string.', position: text.length });
    }
  });

  it('reports an unexpected token where it stands', () => {
    expect(failure('tcp.port = 443')).toEqual({ error: '"=" was unexpected in this context.', position: 9 });
    expect(failure('tcp.port == 443 443')).toEqual({ error: '"443" was unexpected in this context.', position: 16 });
    expect(failure(')')).toEqual({ error: '")" was unexpected in this context.', position: 0 });
    expect(failure('tcp.port in {}')).toEqual({ error: '"}" was unexpected in this context.', position: 13 });
    expect(failure('tcp and and udp')).toEqual({ error: '"and" was unexpected in this context.', position: 8 });
    expect(failure('tcp.port == 80 | udp')).toEqual({ error: '"|" was unexpected in this context.', position: 15 });
  });

  it('reports an unterminated string at its opening quote', () => {
    expect(failure('http.host == "abc')).toEqual({ error: 'The final quote was missing from a quoted string.', position: 13 });
  });

  it('says which Wireshark features it does not support', () => {
    expect(failure('len(tcp.payload) > 100')).toEqual({ error: 'Functions such as len() are not supported.', position: 0 });
  });

  it('reads slices in each of Wireshark’s forms, and says which ones are not slices', () => {
    const slice = (text: string) => {
      const e = parseFilter(text);
      return !isFilterError(e) && e.type === 'compare' ? e.field.slice : null;
    };
    expect(slice('frame[54:2] == 01:02')).toEqual({ start: 54, length: 2 });
    expect(slice('eth.dst[0] == ff')).toEqual({ start: 0, length: 1 });
    expect(slice('tcp.payload[2-5] == 00:01:02:03')).toEqual({ start: 2, length: 4 });
    expect(slice('eth.src[:3] == 00:00:00')).toEqual({ start: 0, length: 3 });
    expect(slice('frame[-4:] == 00:00:00:00')).toEqual({ start: -4, length: null });
    expect(failure('frame[a:b] == 00')).toEqual({ error: '"a:b" is not a valid slice (such as [0:4], [2-5], [3], [:2] or [4:]).', position: 6 });
  });

  it('keeps every token position', () => {
    const tokens = tokenize('ip.src==10.0.0.1&&tcp');
    expect(Array.isArray(tokens) && tokens.map((t) => [t.text, t.pos])).toEqual([
      ['ip.src', 0],
      ['==', 6],
      ['10.0.0.1', 8],
      ['&&', 16],
      ['tcp', 18],
      ['', 21],
    ]);
  });
});
