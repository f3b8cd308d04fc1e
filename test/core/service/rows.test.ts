// The packet list's rows are made on demand by re-dissecting the rows shown; they must say what
// the whole-file pass said (which `wireladder packets` prints), fragments and reassembled
// datagrams included.

import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../src/core/engine/analyzer';
import { infoText } from '../../../src/core/engine/summary';
import { readCaptureFile } from '../../../src/core/io/capture-reader';
import { EngineService } from '../../../src/core/service/engine-service';
import { corpusFiles, corpusPath } from '../io/helpers';

async function wholePassInfo(path: string): Promise<string[]> {
  const info: string[] = [];
  const a = new Analyzer({ onPacket: (p, row) => void (info[row] = infoText(p)) });
  await readCaptureFile(path, a);
  a.finish();
  return info;
}

async function listInfo(e: EngineService, path: string): Promise<string[]> {
  const { session } = await e.openFile({ path });
  const info = await e.whenLoaded(session);
  const page = await e.rows({ session, start: 0, count: info.packets });
  await e.closeSession({ session });
  return page.rows.map((r) => r.info);
}

describe('packet list rows', () => {
  it('every row of every corpus capture (up to 2 MB) has the Info of the whole-file pass', async () => {
    const e = new EngineService();
    let rows = 0;
    const suffixes: string[] = [];
    for (const rel of corpusFiles()) {
      const path = corpusPath(rel);
      if (statSync(path).size > 2_000_000) continue;
      const whole = await wholePassInfo(path);
      const shown = await listInfo(e, path);
      expect(shown.length, rel).toBe(whole.length);
      shown.forEach((text, row) => {
        // The list, like Wireshark's, also names the frame that completed a fragment's datagram.
        const m = / \[Reassembled in #\d+\]$/.exec(text);
        if (m !== null) suffixes.push(`${rel} ${row + 1}${m[0]}`);
        expect(m === null ? text : text.slice(0, m.index), `${rel} packet ${row + 1}`).toBe(whole[row]);
        rows++;
      });
    }
    expect(rows).toBeGreaterThan(3000);
    expect(suffixes).toEqual([
      'zeek/ipv4/fragmented-1.pcap 1 [Reassembled in #3]',
      'zeek/ipv4/fragmented-1.pcap 2 [Reassembled in #3]',
      'zeek/ipv4/fragmented-4.pcap 2 [Reassembled in #5]',
      'zeek/ipv4/fragmented-4.pcap 3 [Reassembled in #5]',
      'zeek/ipv4/fragmented-4.pcap 4 [Reassembled in #5]',
      'zeek/ipv6-fragmented-dns.pcap 6 [Reassembled in #8]',
      'zeek/ipv6-fragmented-dns.pcap 7 [Reassembled in #8]',
    ]);
  });

  it('fragments read as tshark 4.0 writes them (tshark -T fields -e _ws.col.Info)', async () => {
    const e = new EngineService();
    const frag4 = await listInfo(e, corpusPath('zeek/ipv4/fragmented-4.pcap'));
    expect(frag4.slice(1, 5)).toEqual([
      'Fragmented IP protocol (proto=TCP 6, off=0, ID=0000) [Reassembled in #5]',
      'Fragmented IP protocol (proto=TCP 6, off=48, ID=0000) [Reassembled in #5]',
      'Fragmented IP protocol (proto=TCP 6, off=72, ID=0000) [Reassembled in #5]',
      // The datagram the fragments make, not the lone last fragment.
      'GET /msadc/..%2f../..%2f../.RKNWUrdooM+WskO2IiALQTI\\000d.exe?/c+dir+c:\\  [TCP segment of a reassembled PDU]',
    ]);
    // Never completed: the first fragment stays a fragment (it is not read as TCP on its own).
    expect((await listInfo(e, corpusPath('zeek/ipv4/fragmented-3.pcap'))).slice(0, 2)).toEqual([
      'Fragmented IP protocol (proto=TCP 6, off=0, ID=4bc5)',
      'Fragmented IP protocol (proto=TCP 6, off=1480, ID=4bc5)',
    ]);
    const v6 = await listInfo(e, corpusPath('zeek/ipv6-fragmented-dns.pcap'));
    expect(v6[3]).toBe('IPv6 fragment (off=2896 more=n ident=0x00000001 nxt=17)');
    expect(v6.slice(5, 8)).toEqual([
      'IPv6 fragment (off=0 more=y ident=0x00000002 nxt=17) [Reassembled in #8]',
      'IPv6 fragment (off=1432 more=y ident=0x00000002 nxt=17) [Reassembled in #8]',
      '53 → 51851 Len=3230',
    ]);
  });
});
