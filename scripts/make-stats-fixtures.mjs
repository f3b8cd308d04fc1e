// Regenerates test/fixtures/stats (needs tshark 4.0): per capture, tshark's Endpoints tables
// (-z endpoints,ip/ipv6/tcp/udp) over all packets and over the packets a display filter shows, and
// its I/O statistics (-z io,stat) for an interval and a few filters.
// Usage: node scripts/make-stats-fixtures.mjs
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'corpus');
const cases = [
  { capture: 'local/tls12-rsa.pcap', filter: 'tcp.stream == 1', interval: 0.001, series: ['', 'tls', 'tcp.flags.syn == 1'] },
  { capture: 'zeek/tls/missing-intermediate.pcap', filter: 'tcp.port == 443', interval: 0.5, series: ['', 'tls.handshake.type == 1'] },
  { capture: 'zeek/communityid/ipv6.pcap', filter: 'tcp.flags.syn == 1', interval: 1, series: ['', 'udp', 'icmpv6'] },
  { capture: 'zeek/http/pipelined-requests.pcap', filter: 'http.request', interval: 0.05, series: ['', 'http'] },
  { capture: 'zeek/pcapng-multi-interface.pcapng', filter: 'ip.src == 10.0.0.4', interval: 100, series: [''] },
];

function tshark(args) {
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

/** Parses tshark's endpoint tables into { ipv4: [...], ipv6: [...], tcp: [...], udp: [...] }. */
function endpoints(file, filter) {
  // A tap's own filter (-z endpoints,tcp,FILTER) is what "Limit to display filter" does in the GUI.
  const tap = (t) => (filter === null ? `endpoints,${t}` : `endpoints,${t},${filter}`);
  const args = ['-r', join(corpus, file), '-q', '-z', tap('ip'), '-z', tap('ipv6'), '-z', tap('tcp'), '-z', tap('udp')];
  const out = { ipv4: [], ipv6: [], tcp: [], udp: [] };
  let table = null;
  for (const line of tshark(args).split('\n')) {
    const title = /^(IPv4|IPv6|TCP|UDP) Endpoints/.exec(line);
    if (title !== null) {
      table = title[1] === 'IPv4' ? 'ipv4' : title[1].toLowerCase();
      continue;
    }
    if (table === null || line.startsWith('=') || line.startsWith('Filter') || line.includes('|')) continue;
    const cells = line.trim().split(/\s+/);
    if (cells.length < 7) continue;
    const port = table === 'tcp' || table === 'udp' ? Number(cells.splice(1, 1)[0]) : null;
    const [address, packets, bytes, txPackets, txBytes, rxPackets, rxBytes] = cells;
    out[table].push({ address, port, packets: +packets, bytes: +bytes, txPackets: +txPackets, txBytes: +txBytes, rxPackets: +rxPackets, rxBytes: +rxBytes });
  }
  return out;
}

/** tshark -z io,stat: per series, the frames and bytes of each interval. */
function ioStat(file, interval, series) {
  const args = ['-r', join(corpus, file), '-q', '-z', ['io,stat', interval, ...series.map((s) => (s === '' ? 'frame' : s))].join(',')];
  const frames = series.map(() => []);
  const bytes = series.map(() => []);
  for (const line of tshark(args).split('\n')) {
    if (!/^\| *[\d.]+ <> /.test(line)) continue;
    const cells = line.split('|').slice(2, -1).map((c) => c.trim());
    series.forEach((_, k) => {
      frames[k].push(Number(cells[k * 2]));
      bytes[k].push(Number(cells[k * 2 + 1]));
    });
  }
  return { interval, series, frames, bytes };
}

const version = tshark(['-v']).split('\n')[0];
const fixtures = cases.map((c) => ({
  capture: c.capture,
  filter: c.filter,
  endpoints: endpoints(c.capture, null),
  displayedEndpoints: endpoints(c.capture, c.filter),
  io: ioStat(c.capture, c.interval, c.series),
}));
writeFileSync(join(root, 'test', 'fixtures', 'stats', 'tshark-stats.json'), JSON.stringify({ tshark: version, cases: fixtures }, null, 1) + '\n');
console.log(`wrote ${fixtures.length} cases with ${version}`);
