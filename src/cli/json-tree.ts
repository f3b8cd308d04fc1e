// `wireladder packets -T json`: each packet's field tree in the shape `tshark -T json` writes — an
// array of {_index, _type, _score, _source: {layers: {proto: {field: "value", field_tree: {…}}}}},
// written as text so repeated names stay repeated keys (as tshark's own output has them).

import type { FieldDef } from '../core/dissect/fields';
import type { FieldNode, Layer } from '../core/dissect/tree';

type FieldLookup = (name: string) => FieldDef | undefined;

const INDENT = '  ';

/** One packet as tshark writes it inside the top-level array (two spaces in, no trailing newline). */
export function packetJson(layers: readonly Layer[], tsSec: number, field: FieldLookup): string {
  const d = new Date(tsSec * 1000);
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const lines: string[] = [];
  lines.push(`${INDENT}{`);
  lines.push(`${INDENT.repeat(2)}"_index": ${str(`packets-${day}`)},`);
  lines.push(`${INDENT.repeat(2)}"_type": "doc",`);
  lines.push(`${INDENT.repeat(2)}"_score": null,`);
  lines.push(`${INDENT.repeat(2)}"_source": {`);
  lines.push(`${INDENT.repeat(3)}"layers": {`);
  layers.forEach((layer, i) => {
    const last = i === layers.length - 1;
    const pad = INDENT.repeat(4);
    if (layer.fields.length === 0) lines.push(`${pad}${str(layer.protocol)}: ""${last ? '' : ','}`);
    else {
      lines.push(`${pad}${str(layer.protocol)}: {`);
      members(layer.fields, 5, field, lines);
      lines.push(`${pad}}${last ? '' : ','}`);
    }
  });
  lines.push(`${INDENT.repeat(3)}}`);
  lines.push(`${INDENT.repeat(2)}}`);
  lines.push(`${INDENT}}`);
  return lines.join('\n');
}

/** The members of one object: a field's value, then its subtree as `name_tree`; text lines by label. */
function members(nodes: readonly FieldNode[], depth: number, field: FieldLookup, lines: string[]): void {
  const pad = INDENT.repeat(depth);
  const entries: string[][] = [];
  for (const n of nodes) {
    const children = n.children !== null && n.children.length > 0 ? n.children : null;
    if (n.name === '') {
      // A text-only line: its label is the key, its subtree (if any) the value.
      if (children === null) entries.push([`${pad}${str(n.label)}: ""`]);
      else entries.push(objectEntry(`${pad}${str(n.label)}: {`, children, depth, field));
      continue;
    }
    entries.push([`${pad}${str(n.name)}: ${str(valueText(n, field))}`]);
    if (children !== null) entries.push(objectEntry(`${pad}${str(`${n.name}_tree`)}: {`, children, depth, field));
  }
  entries.forEach((entry, i) => {
    if (i < entries.length - 1) entry[entry.length - 1] += ',';
    lines.push(...entry);
  });
}

function objectEntry(open: string, children: readonly FieldNode[], depth: number, field: FieldLookup): string[] {
  const out = [open];
  members(children, depth + 1, field, out);
  out.push(`${INDENT.repeat(depth)}}`);
  return out;
}

/** The value as tshark's JSON has it: the -T fields text, bytes as colon-separated hex. */
function valueText(n: FieldNode, field: FieldLookup): string {
  const def = field(n.name);
  if (def?.type === 'bytes' && /^[0-9a-f]+$/i.test(n.text) && n.text.length % 2 === 0) return n.text.replace(/(..)(?=.)/g, '$1:');
  return n.text;
}

/** A JSON string literal (JSON.stringify escapes as json-glib does for our texts). */
function str(s: string): string {
  return JSON.stringify(s);
}
