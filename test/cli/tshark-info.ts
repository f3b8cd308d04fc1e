// tshark's Info column per frame from a committed fixture (test/fixtures/columns/*.tsv,
// test/fixtures/diagnosis/*.tshark.txt), whose last tab-separated column is the Info.

import { readFileSync } from 'node:fs';

export function tsharkInfo(fixture: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of readFileSync(fixture, 'utf8').split('\n')) {
    if (line === '') continue;
    const cells = line.split('\t');
    out.set(Number(cells[0]), cells[cells.length - 1]!);
  }
  return out;
}
