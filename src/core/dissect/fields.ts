// Field declarations (Wireshark's hf_register_info) and how their values print in a tree and in
// `tshark -T fields`.

import { hex } from '../util/address';

export type FieldType =
  | 'uint'
  | 'int'
  | 'bool'
  | 'string'
  | 'bytes'
  | 'ipv4'
  | 'ipv6'
  | 'ether'
  | 'abstime'
  | 'reltime'
  | 'float'
  | 'framenum'
  | 'protocol'
  | 'none';

export type FieldBase = 'dec' | 'hex' | 'dec_hex' | 'hex_dec' | 'oct';

export type FieldValue = number | string | boolean | null;

export interface FieldDef {
  /** Wireshark's abbreviation, e.g. `tcp.srcport`. */
  readonly name: string;
  /** The tree label before the colon, e.g. `Source Port`. */
  readonly title: string;
  readonly type: FieldType;
  readonly base?: FieldBase;
  /** Hex digits tshark prints for BASE_HEX (2 × the field's byte width). */
  readonly digits?: number;
  /** Value names for enumerations (Wireshark's value_string). */
  readonly names?: ReadonlyMap<number, string>;
}

/** Declares a field; a protocol file lists its fields once, as Wireshark's proto_register_x does. */
export function field(name: string, title: string, type: FieldType, opts: Omit<FieldDef, 'name' | 'title' | 'type'> = {}): FieldDef {
  return { name, title, type, ...opts };
}

export const uintDec = (name: string, title: string, names?: ReadonlyMap<number, string>): FieldDef =>
  names === undefined ? field(name, title, 'uint', { base: 'dec' }) : field(name, title, 'uint', { base: 'dec', names });
export const uintHex = (name: string, title: string, digits: number, names?: ReadonlyMap<number, string>): FieldDef =>
  names === undefined ? field(name, title, 'uint', { base: 'hex', digits }) : field(name, title, 'uint', { base: 'hex', digits, names });
export const flag = (name: string, title: string): FieldDef => field(name, title, 'bool');
export const str = (name: string, title: string): FieldDef => field(name, title, 'string');
export const bytesField = (name: string, title: string): FieldDef => field(name, title, 'bytes');

/** The text `tshark -T fields -e NAME` prints for a value of this field. */
export function fieldsText(def: FieldDef, value: FieldValue): string {
  if (value === null) return '';
  switch (def.type) {
    case 'uint':
      if (typeof value !== 'number') return String(value);
      if (def.base === 'hex' || def.base === 'hex_dec') return hex(value, def.digits ?? 2);
      return String(value);
    case 'bool':
      return value === true || value === 1 ? '1' : '0';
    default:
      return String(value);
  }
}

/** The value part of a tree label: `6 (TCP)`, `0x0800 (IPv4)`, `True`. */
export function displayValue(def: FieldDef, value: FieldValue): string {
  if (value === null) return '';
  if (def.type === 'bool') return value === true || value === 1 ? 'True' : 'False';
  if (def.type === 'uint' && typeof value === 'number') {
    let text: string;
    if (def.base === 'hex') text = hex(value, def.digits ?? 2);
    else if (def.base === 'dec_hex') text = `${value} (${hex(value, def.digits ?? 2)})`;
    else if (def.base === 'hex_dec') text = `${hex(value, def.digits ?? 2)} (${value})`;
    else text = String(value);
    const name = def.names?.get(value);
    if (name !== undefined) return def.base === 'hex' ? `${name} (${text})` : `${name} (${text})`;
    return text;
  }
  return String(value);
}

/** Builds a value-name map from `[value, name]` pairs. */
export function valueNames(pairs: ReadonlyArray<readonly [number, string]>): ReadonlyMap<number, string> {
  return new Map(pairs);
}
