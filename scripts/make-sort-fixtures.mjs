// Regenerates test/fixtures/sort (needs tshark 4.0): per capture, the text tshark gives each packet
// for a few fields as a custom column shows them (every occurrence, comma-separated), from which the
// sort test derives the order Wireshark's packet list gives when sorted by that column.
// Usage: node scripts/make-sort-fixtures.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'corpus');
const out = join(root, 'test', 'fixtures', 'sort');
// Ports, lengths and time deltas come from the packet index; window sizes and TTLs (two in a
// tunnel) only from the tree; UDP ports inside ICMP errors from the tree too.
const fields = ['tcp.window_size', 'tcp.srcport', 'udp.srcport', 'frame.time_delta', 'ip.ttl', 'ipv6.hlim', 'frame.len'];
const captures = ['zeek/tunnels/gre-sample.pcap', 'zeek/http/methods.pcap', 'zeek/communityid/ipv6.pcap'];

function tshark(args) {
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
}

mkdirSync(out, { recursive: true });
const version = tshark(['--version']).split('\n')[0];
for (const capture of captures) {
  const args = ['-r', join(corpus, capture), '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of fields) args.push('-e', f);
  const values = tshark(args)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
  const file = join(out, `${basename(capture)}.json`);
  writeFileSync(file, JSON.stringify({ tshark: version, capture, fields, values }) + '\n');
  console.log(`${file}: ${values.length} packets`);
}
