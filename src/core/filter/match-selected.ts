// The display filter Wireshark's "Apply as Filter › Selected" makes of a tree item
// (epan/proto.c construct_match_selected_string): `abbrev == value` with the value written as a
// filter reads it — integers in the field's base, strings quoted, bytes colon-separated — a
// protocol or a field without value by its name alone, a text line by its frame bytes.

import type { FieldDef } from '../dissect/fields';
import type { DataSource, FieldNode, Layer } from '../dissect/tree';
import { absTimeText } from '../util/time-text';
import { unescapeShown } from './values';

type FieldLookup = (name: string) => FieldDef | undefined;

/** The filter for a protocol layer: its name. */
export function layerFilter(layer: Layer): string {
  return layer.protocol;
}

/** The filter for one field node, or null when Wireshark can make none. */
export function nodeFilter(node: FieldNode, sources: readonly DataSource[], field: FieldLookup): string | null {
  if (node.name === '') return frameBytesFilter(node, sources);
  const def = field(node.name);
  if (def === undefined) return null;
  switch (def.type) {
    case 'protocol':
      return node.name;
    case 'none':
      // A field without a value: its name when it covers no bytes, else the bytes it covers.
      return node.length === 0 ? node.name : frameBytesFilter(node, sources);
    case 'uint':
    case 'int':
    case 'framenum':
      return node.value === null ? null : `${node.name} == ${integerText(def, node)}`;
    case 'bool':
      return node.value === null ? null : `${node.name} == ${node.value === true || node.value === 1 || node.value === '1' ? 1 : 0}`;
    case 'string':
      if (node.value === null) return null;
      // An expert message is text as tshark words it (an HTTP chat ends in the four characters
      // \r\n, as _ws.expert.message does in tshark): quoted as it is, not unescaped.
      return `${node.name} == ${quoted(VERBATIM.has(node.name) ? String(node.value) : unescapeShown(String(node.value)))}`;
    case 'bytes': {
      const bytes = coveredBytes(node, sources) ?? hexText(node.text);
      return bytes === null ? null : `${node.name} == ${bytes}`;
    }
    case 'abstime': {
      const t = absoluteTime(node);
      return t === null ? null : `${node.name} == ${quoted(absTimeText(t.sec, t.nsec, 'local', false))}`;
    }
    case 'ipv4':
    case 'ipv6':
    case 'ether':
    case 'reltime':
    case 'float':
      return node.text === '' ? null : `${node.name} == ${node.text}`;
  }
}

/**
 * Integers are written in the field's display base (hfinfo_numeric_value_format): hexadecimal for
 * BASE_HEX and BASE_HEX_DEC, decimal otherwise; frame numbers always in decimal.
 */
function integerText(def: FieldDef, node: FieldNode): string {
  if (def.type === 'framenum' || typeof node.value !== 'number') return node.text !== '' ? node.text : String(node.value);
  if (def.base === 'hex' || def.base === 'hex_dec') return `0x${(node.value >>> 0).toString(16).padStart(def.digits ?? 2, '0')}`;
  return String(node.value);
}

/** A text line (no field) in the frame's own bytes: `frame[start:length] == aa:bb:…`. */
function frameBytesFilter(node: FieldNode, sources: readonly DataSource[]): string | null {
  // Only bytes of the frame itself can be addressed as frame[…] (not reassembled or decrypted data).
  if (node.source !== 0 || node.length <= 0) return null;
  const bytes = coveredBytes(node, sources);
  return bytes === null ? null : `frame[${node.start}:${Math.min(node.length, sources[0]!.bytes.length - node.start)}] == ${bytes}`;
}

/** The bytes a node covers in its data source, colon-separated, or null when out of range. */
function coveredBytes(node: FieldNode, sources: readonly DataSource[]): string | null {
  const src = sources[node.source];
  if (src === undefined || node.length <= 0 || node.start < 0 || node.start >= src.bytes.length) return null;
  const end = Math.min(src.bytes.length, node.start + node.length);
  const parts: string[] = [];
  for (let i = node.start; i < end; i++) parts.push(src.bytes[i]!.toString(16).padStart(2, '0'));
  return parts.join(':');
}

/** Plain hex text (as -T fields prints bytes) as colon-separated pairs. */
function hexText(text: string): string | null {
  const clean = text.replace(/:/g, '');
  if (clean === '' || clean.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(clean)) return null;
  return clean.toLowerCase().replace(/(..)(?=.)/g, '$1:');
}

/** String fields whose values are texts already escaped for display (not bytes shown escaped). */
const VERBATIM = new Set(['_ws.expert.message']);

const escapes: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x22: '\\"', 0x5c: '\\\\' };

/**
 * A string literal as Wireshark writes one (wsutil's ws_escape_string): quoted, `\` and `"`
 * escaped, whitespace and control characters by name (\r, \n, \t…), other controls as \xhh.
 */
export function quoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const named = escapes[c];
    if (named !== undefined) out += named;
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Seconds and nanoseconds of an absolute time node ("1795391123.081691000" or a value in seconds). */
function absoluteTime(node: FieldNode): { sec: number; nsec: number } | null {
  const v = node.value;
  if (typeof v === 'number') {
    const sec = Math.floor(v);
    return { sec, nsec: Math.round((v - sec) * 1e9) };
  }
  const text = typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? v : node.text;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text);
  if (m !== null) return { sec: Number(m[1]), nsec: Number((m[2] ?? '').padEnd(9, '0')) };
  // A date as the tree prints it ("Nov 22, 2026 23:45:23.081691000 UTC").
  const d = /^(\w{3}) +(\d{1,2}), (\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{9})(?: (\S+))?$/.exec(text);
  if (d === null) return null;
  const months = 'JanFebMarAprMayJunJulAugSepOctNovDec';
  const month = months.indexOf(d[1]!) / 3;
  const parts = [Number(d[3]), month, Number(d[2]), Number(d[4]), Number(d[5]), Number(d[6])] as const;
  const ms = d[8] === 'UTC' ? Date.UTC(...parts) : new Date(...parts).getTime();
  return { sec: Math.floor(ms / 1000), nsec: Number(d[7]) };
}
