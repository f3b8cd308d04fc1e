// `wireladder fields -e _ws.col.*` against tshark 4.0's columns for every corpus capture
// (test/fixtures/columns, scripts/make-column-fixtures.mjs): number, time (in each interface's
// precision), source, destination and length as tshark prints them, and the TCP options of the
// Info line in tshark's order (the header's). Other Info and Protocol wording is issue 16's.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli';
import { corpusPath } from '../core/io/helpers';

const fixtures = join(__dirname, '..', 'fixtures', 'columns');
const manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8')) as { columns: string[]; captures: string[] };
const captures = manifest.captures.filter((c) => existsSync(corpusPath(c)));

/** tshark resolves MAC vendors (manuf) and names broadcast; WireLadder prints the address. */
const resolvedMac = (v: string): boolean => /^[A-Za-z][\w-]*_[0-9a-f]{2}(:[0-9a-f]{2}){2}$/.test(v) || v === 'Broadcast' || /^[A-Za-z]/.test(v);

/** The TCP option tokens of an Info line, in order (MSS=, WS=, SACK_PERM, TSval=, TSecr=, SLE=, SRE=). */
const optionTokens = (info: string): string[] => info.match(/\b(MSS|WS|TSval|TSecr|SLE|SRE)=\d+|\bSACK_PERM\b/g) ?? [];

describe('columns agree with tshark 4.0 (-e _ws.col.*)', () => {
  for (const capture of captures) {
    it(capture, async () => {
      const expected = readFileSync(join(fixtures, `${capture}.tsv`), 'utf8').split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
      const r = await cli(['fields', corpusPath(capture), ...manifest.columns.flatMap((c) => ['-e', c])]);
      const ours = r.out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
      expect(ours.length).toBe(expected.length);
      const problems: string[] = [];
      expected.forEach((theirs, i) => {
        const mine = ours[i]!;
        const [no, time, src, dst, , len, info] = theirs;
        if (mine[0] !== no) problems.push(`row ${i + 1}: No. ${mine[0]} ≠ ${no}`);
        if (mine[1] !== time) problems.push(`frame ${no}: Time ${mine[1]} ≠ ${time}`);
        if (mine[2] !== src && !resolvedMac(src!)) problems.push(`frame ${no}: Source ${mine[2]} ≠ ${src}`);
        if (mine[3] !== dst && !resolvedMac(dst!)) problems.push(`frame ${no}: Destination ${mine[3]} ≠ ${dst}`);
        if (mine[5] !== len) problems.push(`frame ${no}: Length ${mine[5]} ≠ ${len}`);
        // Compared where both lines are TCP's own Info (not where one side shows the TLS above it).
        const theirOptions = optionTokens(info!);
        if (theirOptions.length > 0 && mine[6]!.includes(' Seq=') && optionTokens(mine[6]!).join(' ') !== theirOptions.join(' ')) {
          problems.push(`frame ${no}: TCP options ${optionTokens(mine[6]!).join(' ')} ≠ ${theirOptions.join(' ')}`);
        }
      });
      expect(problems).toEqual([]);
    });
  }
});
