// The command line the way tshark users expect it: `COMMAND --help` for every command,
// `--version`, `packets -T json` in tshark's shape, `fields -2` (two passes), and
// `packets -Y FILTER -w OUT.pcapng` writing the matching packets with their comments (read back by
// our reader and, where installed, tshark).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandHelp } from '../../src/cli/help';
import { commands } from '../../src/cli/main';
import { readCaptureFile } from '../../src/core/io/capture-reader';
import { collector, corpusPath, hasTshark } from '../core/io/helpers';
import { cli } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'wireladder-habits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('help and version', () => {
  // Every command the CLI runs, so a new one without a help text fails here.
  const verbs = Object.keys(commands);

  it('has a help text for every command', () => {
    expect(Object.keys(commandHelp).sort()).toEqual([...verbs].sort());
  });

  for (const verb of verbs) {
    it(`${verb} --help and ${verb} -h print the command's usage and options, exit 0`, async () => {
      for (const flag of ['--help', '-h']) {
        const r = await cli([verb, flag]);
        expect(r.code).toBe(0);
        expect(r.out.startsWith(`usage: wireladder ${verb}`)).toBe(true);
        expect(r.out).toBe(`${commandHelp[verb]}\n`);
      }
    });
  }

  it('every command that dissects lists the TLS key options, tshark’s preferences among them', () => {
    for (const verb of ['info', 'packets', 'fields', 'flows', 'ladder']) {
      expect(commandHelp[verb]).toContain('--keylog PATH');
      expect(commandHelp[verb]).toContain('--rsa-key IP,PORT,PROTOCOL,PATH');
      expect(commandHelp[verb]).toContain('-o tls.keys_list:IP,PORT,PROTOCOL,PATH');
    }
  });

  it('every option of a command’s one-line usage is explained in its help text', () => {
    for (const verb of verbs) {
      for (const option of commands[verb]!.help.match(/--[a-z][a-z-]*/g) ?? []) expect(commandHelp[verb], `${verb} ${option}`).toContain(option);
    }
  });

  it('help COMMAND is COMMAND --help; the general usage points to both', async () => {
    expect((await cli(['help', 'fields'])).out).toBe((await cli(['fields', '--help'])).out);
    expect((await cli(['--help'])).out).toContain('`wireladder COMMAND --help`');
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = await cli([flag]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`wireladder ${pkg.version}\n`);
    }
  });
});

describe('packets -T json', () => {
  it('writes the packet trees in the shape tshark -T json does', async () => {
    const r = await cli(['packets', corpusPath('local/tls13.pcap'), '-T', 'json', '-Y', 'frame.number <= 2']);
    expect(r.code).toBe(0);
    // tshark's layout: a top-level array, two spaces per level, bytes as colon-separated hex.
    expect(r.out.startsWith('[\n  {\n    "_index": "packets-2026-11-22",\n    "_type": "doc",\n    "_score": null,\n    "_source": {\n      "layers": {\n        "frame": {\n')).toBe(true);
    expect(r.out.endsWith('  }\n]\n')).toBe(true);
    const packets = JSON.parse(r.out) as { _source: { layers: Record<string, Record<string, unknown>> } }[];
    expect(packets).toHaveLength(2);
    const tcp = packets[0]!._source.layers['tcp']!;
    // Values as tshark prints them for frame 1 (tshark -r tls13.pcap -T json -c 1).
    expect(tcp['tcp.srcport']).toBe('49900');
    expect(tcp['tcp.flags']).toBe('0x0002');
    expect((tcp['tcp.flags_tree'] as Record<string, string>)['tcp.flags.syn']).toBe('1');
    expect(tcp['tcp.options']).toBe('02:04:ff:d7:04:02:08:0a:bb:4c:df:b9:00:00:00:00:01:03:03:0a');
    expect(Object.keys(packets[0]!._source.layers)).toEqual(['frame', 'eth', 'ip', 'tcp']);
  });

  it('writes [] when no packet matches', async () => {
    const r = await cli(['packets', corpusPath('local/tls13.pcap'), '-T', 'json', '-Y', 'udp']);
    expect(r.out).toBe('[]\n');
  });
});

describe('packets -Y FILTER -w OUT.pcapng', () => {
  it('writes exactly the displayed packets, comments kept', async () => {
    const out = join(dir, 'displayed.pcapng');
    // mtls12-annotated.pcapng has comments on frames 6 and 8.
    const r = await cli(['packets', corpusPath('local/mtls12-annotated.pcapng'), '-Y', 'frame.number >= 5 && frame.number <= 8', '-w', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain('wrote 4 of');
    const back = collector();
    await readCaptureFile(out, back);
    expect(back.packets).toHaveLength(4);
    expect(back.packets.map((p) => p.comments !== null)).toEqual([false, true, false, true]);
    const original = collector();
    await readCaptureFile(corpusPath('local/mtls12-annotated.pcapng'), original);
    expect(back.packets.map((p) => Buffer.from(p.data).toString('hex'))).toEqual(original.packets.slice(4, 8).map((p) => Buffer.from(p.data).toString('hex')));
    if (hasTshark) {
      const t = spawnSync('tshark', ['-r', out, '-T', 'fields', '-e', 'frame.len', '-e', 'frame.comment'], { encoding: 'utf8' });
      const lines = t.stdout.trim().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[1]).toContain('CertificateRequest');
    }
  });

  it('refuses to write over the capture or an existing file', async () => {
    const existing = join(dir, 'exists.pcapng');
    writeFileSync(existing, 'x');
    const r = await cli(['packets', corpusPath('local/tls13.pcap'), '-Y', 'tcp', '-w', existing]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('already exists');
    expect(readFileSync(existing, 'utf8')).toBe('x');
  });
});

describe('fields -2', () => {
  it('prints references to later packets as tshark -2 does, and filters on them; a single pass has none', async () => {
    const file = corpusPath('zeek/http/get.pcap');
    const names = ['-e', 'frame.number', '-e', 'tcp.reassembled_in', '-e', 'http.response_in', '-e', 'tcp.segment'];
    // tshark -2 -r get.pcap -Y 'tcp.reassembled_in || http.response_in || tcp.segment' -T fields -e …
    const two = await cli(['fields', file, '-2', '-Y', 'tcp.reassembled_in || http.response_in || tcp.segment', ...names]);
    expect(two.code).toBe(0);
    expect(two.out).toBe('4\t\t9\t\n6\t9\t\t\n7\t9\t\t\n8\t9\t\t\n9\t\t\t6,7,8,9\n');
    // tshark without -2: the segments on the completing packet only.
    const one = await cli(['fields', file, '-Y', 'tcp.reassembled_in || http.response_in || tcp.segment', ...names]);
    expect(one.out).toBe('9\t\t\t6,7,8,9\n');
  });
});
