// Values in display filters: how a literal is read for a field of a given type, how a field's value
// in the tree is put in the same form, and the relations between them (==, <, contains, matches…).

import { RE2JS } from 're2js';
import type { FieldDef, FieldType } from '../dissect/fields';
import type { FilterError } from './lexer';
import type { Relation, ValueTerm } from './parser';

/**
 * One comparable form per field type: numbers for integers, booleans, IPv4 and MAC addresses and
 * times (in ns); strings for text; 32 hex digits for IPv6 (so ordering is a string comparison);
 * bytes for byte strings and protocols.
 */
export type Scalar = number | string | Uint8Array;
export type Repr = 'num' | 'str' | 'bytes' | 'ipv6' | 'none';

export type Pred = (v: Scalar) => boolean;

export function reprOf(type: FieldType): Repr {
  switch (type) {
    case 'uint':
    case 'int':
    case 'bool':
    case 'float':
    case 'framenum':
    case 'ipv4':
    case 'ether':
    case 'reltime':
    case 'abstime':
      return 'num';
    case 'string':
      return 'str';
    case 'bytes':
    case 'protocol':
      return 'bytes';
    case 'ipv6':
      return 'ipv6';
    default:
      return 'none';
  }
}

/** Wireshark's names of the types, for messages. */
export const typeNames: Record<FieldType, string> = {
  uint: 'Unsigned integer',
  int: 'Signed integer',
  bool: 'Boolean',
  string: 'Character string',
  bytes: 'Byte sequence',
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  ether: 'Ethernet or other MAC address',
  abstime: 'Date and time',
  reltime: 'Time offset',
  float: 'Floating point (double-precision)',
  framenum: 'Frame number',
  protocol: 'Protocol',
  none: 'Label',
};

/** A literal read for a field type; `prefix` is the CIDR length of an address network. */
export interface Literal {
  value: Scalar;
  prefix: number | null;
}

const err = (error: string, term: ValueTerm): FilterError => ({ error, position: term.pos });

/** An integer as C's strtol with base 0 reads it (0x hex, leading-zero octal, decimal), or null. */
export function parseInteger(text: string): number | null {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (m === null) return null;
  const body = m[2]!;
  let v: number;
  if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) v = parseInt(body.slice(2), 2);
  else if (body.length > 1 && body[0] === '0') v = parseInt(body, 8);
  else v = parseInt(body, 10);
  return m[1] === '-' ? -v : v;
}

/** Seconds with up to nine decimals, as nanoseconds (exact: no binary fraction on the way). */
export function parseSecondsNs(text: string): number | null {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null || (m[2] === '' && (m[3] === undefined || m[3] === ''))) return null;
  const sec = m[2] === '' ? 0 : Number(m[2]);
  const frac = (m[3] ?? '').slice(0, 9).padEnd(9, '0');
  const ns = sec * 1e9 + Number(frac);
  return m[1] === '-' ? -ns : ns;
}

const controlOf: Record<string, string> = { a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r' };

/**
 * A string field's value as the packet has it: text fields are kept as Wireshark shows them
 * (format_text escapes control bytes as \r, \n… or \ooo), so a filter comparing with
 * "Host: x\r\n" compares with the bytes on the wire, as tshark does.
 */
export function unescapeShown(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\([abtnvfr]|[0-7]{3})/g, (_, e: string) => controlOf[e] ?? String.fromCharCode(parseInt(e, 8)));
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * An absolute time as nanoseconds since the epoch (as a double: exact to about 256 ns today, and
 * computed the same way for literals and packet values, so equal times compare equal). Reads
 * Wireshark's forms, in local time unless "UTC" or "Z" follows: "Nov 22, 2026 23:45:14.298599",
 * "2026-11-22 23:45:14.298599", and seconds since the epoch ("1795391114.298599000").
 */
export function absTimeNs(text: string): number | null {
  const t = text.trim();
  let m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(t);
  if (m !== null) return Number(m[1]) * 1e9 + Number((m[2] ?? '').padEnd(9, '0'));
  let parts: [number, number, number, number, number, number];
  let frac: string;
  let utc: boolean;
  m = /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:\s+(\S+))?$/.exec(t);
  if (m !== null) {
    const month = MONTHS.indexOf(m[1]!.toLowerCase());
    if (month < 0) return null;
    parts = [Number(m[3]), month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    frac = m[7] ?? '';
    utc = m[8] === 'UTC' || m[8] === 'GMT';
  } else {
    m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z)?$/.exec(t);
    if (m === null) return null;
    parts = [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    frac = m[7] ?? '';
    utc = m[8] === 'Z';
  }
  const ms = utc ? Date.UTC(...parts) : new Date(...parts).getTime();
  if (!Number.isFinite(ms)) return null;
  return Math.floor(ms / 1000) * 1e9 + Number(frac.padEnd(9, '0'));
}

/** A dotted quad as an unsigned 32-bit number, or null (a plain loop: the index parses many). */
export function parseIpv4(text: string): number | null {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return null;
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0) return null;
  return value * 256 + part;
}

/** IPv6 text (RFC 4291 §2.2, with `::` and a dotted IPv4 tail) as 32 lowercase hex digits. */
export function parseIpv6(text: string): string | null {
  let s = text;
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return null;
  if (s.indexOf('.', lastColon) >= 0) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 === null) return null;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const halves = s.split('::');
  let words: number[];
  if (halves.length === 1) {
    const all = groups(s);
    if (all === null || all.length !== 8) return null;
    words = all;
  } else if (halves.length === 2) {
    const head = groups(halves[0]!);
    const tail = groups(halves[1]!);
    if (head === null || tail === null || head.length + tail.length > 7) return null;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    return null;
  }
  return words.map((w) => w.toString(16).padStart(4, '0')).join('');
}

/** A MAC address as `aa:bb:cc:dd:ee:ff`, `aa-bb-…`, `aabb.ccdd.eeff` or 12 hex digits, as a number. */
export function parseEther(text: string): number | null {
  let hex: string | null = null;
  if (/^[0-9a-fA-F]{1,2}([:-][0-9a-fA-F]{1,2}){5}$/.test(text)) hex = text.split(/[:-]/).map((b) => b.padStart(2, '0')).join('');
  else if (/^[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}$/.test(text)) hex = text.replace(/\./g, '');
  else if (/^[0-9a-fA-F]{12}$/.test(text)) hex = text;
  return hex === null ? null : parseInt(hex, 16);
}

/** Bytes written `aa:bb:cc` (or with `-`/`.` separators), a single byte `aa`, or even-length hex. */
export function parseBytes(text: string): Uint8Array | null {
  let parts: string[];
  if (/^[0-9a-fA-F]{1,2}([:.-][0-9a-fA-F]{1,2})*$/.test(text)) parts = text.split(/[:.-]/);
  else if (/^([0-9a-fA-F]{2})+$/.test(text)) parts = text.match(/../g)!;
  else return null;
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

const utf8 = new TextEncoder();

/** Hex text as tshark prints bytes (optionally with separators) to bytes. */
export function hexToBytes(text: string): Uint8Array {
  const clean = text.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Reads `term` as a value of a field of type `type` (named `name`, defined by `def` if known). */
export function parseLiteral(term: ValueTerm, type: FieldType, name: string, def: FieldDef | null): Literal | FilterError {
  const text = term.text;
  const quoted = term.kind === 'string';
  switch (type) {
    case 'uint':
    case 'int':
    case 'framenum': {
      const v = quoted ? null : parseInteger(text);
      if (v !== null) return { value: v, prefix: null };
      const named = valueByName(def, text);
      if (named !== null) return { value: named, prefix: null };
      if (def?.names !== undefined) return err(`"${text}" cannot be found among the possible values for ${name}.`, term);
      if (quoted) return err(`${typeNames[type]} cannot be converted from a string ("${text}").`, term);
      return err(`"${text}" is not a valid number.`, term);
    }
    case 'bool': {
      const lower = text.toLowerCase();
      if (lower === 'true') return { value: 1, prefix: null };
      if (lower === 'false') return { value: 0, prefix: null };
      const v = quoted ? null : parseInteger(text);
      if (v !== null) return { value: v !== 0 ? 1 : 0, prefix: null };
      return err(`"${text}" cannot be found among the possible values for ${name}.`, term);
    }
    case 'float': {
      const v = quoted || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? null : Number(text);
      if (v !== null) return { value: v, prefix: null };
      return err(`"${text}" is not a valid floating point number.`, term);
    }
    case 'reltime': {
      const ns = parseSecondsNs(text);
      if (ns === null) return err(`"${text}" is not a valid time.`, term);
      return { value: ns, prefix: null };
    }
    case 'abstime': {
      const ns = absTimeNs(text);
      if (ns === null) return err(`"${text}" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`, term);
      return { value: ns, prefix: null };
    }
    case 'string':
      return { value: text, prefix: null };
    case 'bytes':
    case 'protocol': {
      if (quoted) return { value: utf8.encode(text), prefix: null };
      const b = parseBytes(text);
      if (b === null) return err(`"${text}" is not a valid byte string.`, term);
      return { value: b, prefix: null };
    }
    case 'ipv4': {
      const [addr, bits, extra] = text.split('/');
      const v = parseIpv4(addr!);
      if (v === null || extra !== undefined) return err(`"${text}" is not a valid hostname or IPv4 address.`, term);
      if (bits === undefined) return { value: v, prefix: null };
      const n = /^\d+$/.test(bits) ? Number(bits) : NaN;
      if (!(n >= 0)) return err(`"${text}" is not a valid hostname or IPv4 address.`, term);
      if (n > 32) return err(`Netmask bits in a CIDR IPv4 address should be <= 32, not ${n}`, term);
      return { value: v, prefix: n };
    }
    case 'ipv6': {
      const [addr, bits, extra] = text.split('/');
      const v = parseIpv6(addr!);
      if (v === null || extra !== undefined) return err(`"${text}" is not a valid hostname or IPv6 address.`, term);
      if (bits === undefined) return { value: v, prefix: null };
      const n = /^\d+$/.test(bits) ? Number(bits) : NaN;
      if (!(n >= 0)) return err(`"${text}" is not a valid hostname or IPv6 address.`, term);
      if (n > 128) return err(`Prefix in a IPv6 address should be <= 128, not ${n}`, term);
      return { value: v, prefix: n };
    }
    case 'ether': {
      const v = parseEther(text);
      if (v === null) return err(`"${text}" is not a valid Ethernet address.`, term);
      return { value: v, prefix: null };
    }
    default:
      return err(`${name} (type=${typeNames[type]}) cannot be compared with a value.`, term);
  }
}

/** A value-string name (`arp.opcode == request`, `ip.proto == "TCP"`), matched as Wireshark does, ignoring case. */
function valueByName(def: FieldDef | null, text: string): number | null {
  if (def?.names === undefined) return null;
  const want = text.toLowerCase();
  for (const [v, n] of def.names) if (n.toLowerCase() === want) return v;
  return null;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 0) return 0;
  const first = needle[0]!;
  outer: for (let i = hay.indexOf(first); i >= 0 && i + needle.length <= hay.length; i = hay.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** A compiled `matches` pattern. */
export interface Regex {
  test(input: string): boolean;
}

/**
 * A `matches` pattern, compiled by RE2JS (a port of RE2): matching takes time linear in the input,
 * so no pattern can hang the engine (`(.*.*)*XYZ` backtracks for ever in PCRE or a JavaScript
 * RegExp). The price is RE2's syntax: PCRE's backreferences and lookaround are refused. Wireshark
 * 4.0 matches without regard to case unless the pattern says `(?-i)`; RE2 reads `(?i)`, `(?-i)`,
 * `(?s)`, `(?m)` groups itself.
 */
export function compileRegex(pattern: string): Regex | string {
  try {
    return RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).replace(/^error parsing regexp: /, '').replace('`(?i)', '`');
    const hint = /Perl syntax|escape sequence/.test(why) ? ' (WireLadder matches in linear time, with RE2 syntax: no backreferences or lookaround)' : '';
    return `Regex compilation error: ${why}${hint}.`;
  }
}

/** The test `relation` against `lit` makes on one value of a field of representation `repr`. */
export function relationPred(relation: Relation, lit: Literal | Regex, repr: Repr): Pred {
  if ('test' in lit) {
    const re = lit;
    if (repr === 'bytes') return (v) => re.test(latin1(v as Uint8Array));
    return (v) => re.test(String(v));
  }
  const k = lit.value;
  if (lit.prefix !== null) {
    const inNet = prefixPred(repr, k, lit.prefix);
    return relation === 'ne' ? (v) => !inNet(v) : inNet;
  }
  if (repr === 'bytes') {
    const kb = k as Uint8Array;
    switch (relation) {
      case 'eq':
        return (v) => compareBytes(v as Uint8Array, kb) === 0;
      case 'ne':
        return (v) => compareBytes(v as Uint8Array, kb) !== 0;
      case 'gt':
        return (v) => compareBytes(v as Uint8Array, kb) > 0;
      case 'lt':
        return (v) => compareBytes(v as Uint8Array, kb) < 0;
      case 'ge':
        return (v) => compareBytes(v as Uint8Array, kb) >= 0;
      case 'le':
        return (v) => compareBytes(v as Uint8Array, kb) <= 0;
      case 'contains':
        return (v) => indexOfBytes(v as Uint8Array, kb) >= 0;
      default:
        return () => false;
    }
  }
  if (relation === 'contains') {
    const ks = String(k);
    return (v) => String(v).includes(ks);
  }
  switch (relation) {
    case 'eq':
      return (v) => v === k;
    case 'ne':
      return (v) => v !== k;
    case 'gt':
      return (v) => v > k;
    case 'lt':
      return (v) => v < k;
    case 'ge':
      return (v) => v >= k;
    case 'le':
      return (v) => v <= k;
    default:
      return () => false;
  }
}

/** Is the address inside the network `net/bits`? */
function prefixPred(repr: Repr, net: Scalar, bits: number): Pred {
  if (repr === 'num') {
    if (bits === 0) return () => true;
    // A shift count of 32 would wrap to 0 in JavaScript; bits ≥ 1 keeps it in 0..31.
    const shift = 32 - bits;
    const n = net as number;
    return (v) => ((v as number) ^ n) >>> shift === 0;
  }
  const full = bits >> 2;
  const rest = bits & 3;
  const netHex = net as string;
  const head = netHex.slice(0, full);
  const nib = rest === 0 ? 0 : parseInt(netHex[full]!, 16) >> (4 - rest);
  return (v) => {
    const s = v as string;
    if (s.slice(0, full) !== head) return false;
    return rest === 0 || parseInt(s[full]!, 16) >> (4 - rest) === nib;
  };
}
