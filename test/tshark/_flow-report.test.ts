import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { capturesWithFixtures, compareCapture } from './differential';

it('report', async () => {
  const byField = new Map<string, number>();
  const lines: string[] = [];
  let total = 0;
  let bad = 0;
  const only = process.env.ONLY;
  for (const file of capturesWithFixtures('flow')) {
    if (only && !file.includes(only)) continue;
    const { mismatches, compared } = await compareCapture('flow', file);
    total += compared;
    bad += mismatches.length;
    if (mismatches.length > 0) lines.push(`${file}: ${mismatches.length}`);
    for (const m of mismatches) {
      byField.set(m.field, (byField.get(m.field) ?? 0) + 1);
      lines.push(`  ${file} f${m.frame} ${m.field}: ours "${m.ours}" tshark "${m.tshark}"`);
    }
  }
  const head = [`compared ${total} values, ${bad} differ`, ...[...byField].map(([f, n]) => `${f}: ${n}`)];
  writeFileSync('/tmp/flow-report.txt', [...head, ...lines].join('\n') + '\n');
}, 600_000);
