// Regenerates test/fixtures/frame/frame-lines.json (needs tshark 4.0): the Frame layer lines
// `tshark -V` prints for the first packets of captures of each link type, in UTC.
// Usage: node scripts/make-frame-fixtures.mjs
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'corpus');
const captures = ['local/tls13.pcap', 'zeek/pcapng-multi-interface.pcapng', 'zeek/linuxsll-arp.pcap', 'zeek/linux_dlt_sll2.pcap'];
const wanted = /^ {4}(Encapsulation type|Arrival Time|Epoch Time|Frame Number): /;
const out = { tshark: execFileSync('tshark', ['-v'], { encoding: 'utf8' }).split('\n')[0], frames: {} };
for (const c of captures) {
  const text = execFileSync('tshark', ['-r', join(corpus, c), '-V', '-c', '3', '-O', 'frame'], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  const packets = text.split(/\n(?=Frame \d+:)/).map((p) => p.split('\n').filter((l) => wanted.test(l)).map((l) => l.trim()));
  out.frames[c] = packets;
}
writeFileSync(join(root, 'test', 'fixtures', 'frame', 'frame-lines.json'), JSON.stringify(out, null, 1) + '\n');
