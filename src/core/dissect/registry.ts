// Dispatch tables keyed by link type, ethertype, IP protocol and UDP port, built from an explicit
// list of dissectors (no import side effects).

import type { Dissector } from './dissector';
import { Table } from './packet';
import type { FieldDef } from './fields';

const TABLE_SIZE = 65536;

export class Registry {
  readonly dissectors: readonly Dissector[];
  private readonly tables: (Dissector | null)[][] = [];
  private readonly fieldsByName = new Map<string, FieldDef>();

  constructor(dissectors: readonly Dissector[]) {
    this.dissectors = dissectors;
    for (let t = 0; t <= Table.Ieee8023; t++) this.tables.push(new Array<Dissector | null>(TABLE_SIZE).fill(null));
    for (const d of dissectors) {
      for (const h of d.handoffs) {
        const table = this.tables[h.table]!;
        const existing = table[h.key];
        if (existing != null && existing !== d) {
          throw new Error(`registry: ${d.name} and ${existing.name} both claim table ${h.table} key ${h.key}`);
        }
        table[h.key] = d;
      }
      for (const f of d.fields) this.fieldsByName.set(f.name, f);
    }
  }

  /** The dissector for `key` in `table`, or null. Keys are 16-bit. */
  lookup(table: number, key: number): Dissector | null {
    const t = this.tables[table];
    if (t === undefined || key < 0 || key >= TABLE_SIZE) return null;
    return t[key] ?? null;
  }

  /** Adds field definitions owned by a stage other than a dissector (frame, analysis, TLS…). */
  declare(fields: readonly FieldDef[]): void {
    for (const f of fields) this.fieldsByName.set(f.name, f);
  }

  field(name: string): FieldDef | undefined {
    return this.fieldsByName.get(name);
  }

  fieldNames(): IterableIterator<string> {
    return this.fieldsByName.keys();
  }
}
