// What every protocol file exports: its fields, its hand-offs (as data) and its decoder.

import type { FieldDef } from './fields';
import type { Packet, ProtoId, TableId } from './packet';
import type { OsiLayer } from './tree';

/** "Register me in the parent's table under this key" (Wireshark's dissector_add_uint). */
export interface Handoff {
  readonly table: TableId;
  readonly key: number;
}

export interface Dissector {
  /** Wireshark's protocol filter name: `eth`, `ip`, `tcp`. */
  readonly name: string;
  /** Long name: `Transmission Control Protocol`. */
  readonly title: string;
  readonly proto: ProtoId;
  readonly osi: OsiLayer;
  readonly fields: readonly FieldDef[];
  readonly handoffs: readonly Handoff[];
  /**
   * Decodes the header at `p.buf[offset, end)`, fills the packet slot (and `p.tree` when present),
   * hands off with `p.next(table, key, payloadEnd)` and returns where the payload starts. Never
   * throws: damage is reported with `p.fail(reason)`, which also ends the hand-off chain.
   */
  decode(p: Packet, offset: number, end: number): number;
}
