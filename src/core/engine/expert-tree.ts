// Expert items in a packet's field tree, as tshark -V shows them: `[Expert Info (Warning/Sequence):
// summary]` inside the protocol that raised it, with the message, severity and group beneath (the
// `_ws.expert.*` fields filters and `-T fields` read).

import { EXPERT, Group, expertSummary, groupNames, severityNames, type ExpertSlot } from '../dissect/expert';
import { field, str, uintDec } from '../dissect/fields';
import type { Layer, TreeBuilder } from '../dissect/tree';

export const expertFields = {
  expert: field('_ws.expert', 'Expert Info', 'protocol'),
  message: str('_ws.expert.message', 'Message'),
  severity: uintDec('_ws.expert.severity', 'Severity level', severityNames),
  group: uintDec('_ws.expert.group', 'Group', groupNames),
  malformed: field('_ws.malformed', 'Malformed Packet', 'protocol'),
};

/** Tree protocol names of the protocols that raise items. */
const LAYER_OF: Readonly<Record<string, string>> = { TCP: 'tcp', TLS: 'tls', HTTP: 'http', Frame: 'frame' };

/** Adds one subtree per item of `slot` to the layer of the protocol that raised it. */
export function addExpertTree(t: TreeBuilder, slot: ExpertSlot): void {
  const layers = t.layers;
  if (layers.length === 0) return;
  const saved = t.current();
  const source = t.source;
  for (let i = 0; i < slot.count; i++) {
    const code = slot.codes[i]!;
    const d = EXPERT[code];
    if (d === undefined) continue;
    const summary = expertSummary(code, slot.a[i]!, slot.b[i]!, slot.texts[i]!);
    const layer: Layer = t.find(LAYER_OF[d.protocol] ?? '') ?? layers[layers.length - 1]!;
    t.resume(layer);
    t.source = layer.source;
    const severity = severityNames.get(d.severity) ?? '';
    const group = groupNames.get(d.group) ?? '';
    const node = t.open(expertFields.expert, null, layer.start, 0);
    node.label = `[Expert Info (${severity}/${group}): ${summary}]`;
    if (d.severity >= 0x00600000) t.warn(node, summary);
    t.addLabelled(expertFields.message, summary, layer.start, 0, `[${summary}]`);
    t.addLabelled(expertFields.severity, d.severity, layer.start, 0, `[Severity level: ${severity}]`);
    t.addLabelled(expertFields.group, d.group, layer.start, 0, `[Group: ${group}]`);
    t.close();
  }
  // Wireshark adds _ws.malformed for every item of the Malformed group: a filter finds it either way.
  if (hasMalformedItem(slot) && !layers.some((l) => l.fields.some((n) => n.name === '_ws.malformed'))) {
    const last = layers[layers.length - 1]!;
    t.resume(last);
    t.source = last.source;
    t.addHidden(expertFields.malformed, null, last.start, 0, '[Malformed Packet]');
  }
  t.source = source;
  if (saved !== null) t.resume(saved);
}

function hasMalformedItem(slot: ExpertSlot): boolean {
  for (let i = 0; i < slot.count; i++) if (EXPERT[slot.codes[i]!]?.group === Group.Malformed) return true;
  return false;
}
