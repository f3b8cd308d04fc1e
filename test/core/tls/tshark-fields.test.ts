// The TLS fields of our trees against the committed tshark 4.0 fixtures (the 'app' field set),
// packet by packet, with captures fed through the test stream helper (in capture order). Each
// allowed difference says why; the end-to-end comparison runs once the flow stage feeds TLS.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { feedCapture } from './stream-helper';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'tshark');
const names = (JSON.parse(readFileSync(join(fixtures, 'field-sets.json'), 'utf8')) as Record<string, string[]>).app!;
const manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8')) as { files: Record<string, unknown> };

interface Allowed {
  file: string;
  /** Fields the difference may touch; omitted: every TLS field. */
  fields?: string[];
  /** Frames; omitted: every frame. */
  frames?: number[];
  reason: string;
}

const allowed: Allowed[] = [
  {
    file: 'local/tls13-dsb.pcapng',
    fields: ['tls.record.content_type', 'tls.handshake.type', 'tls.alert_message.level', 'tls.alert_message.desc'],
    reason: 'tshark decrypts with the keys in the pcapng Decryption Secrets Block; decryption is not implemented yet',
  },
  {
    file: 'zeek/tls/dhe.pcap',
    frames: [15],
    reason:
      'a retransmission that also carries 53 new bytes: the helper feeds the new bytes (an encrypted alert record), tshark ignores the whole segment',
  },
  {
    file: 'zeek/tls/tls-fragmented-handshake.pcap.gz',
    fields: ['tls.handshake.type'],
    frames: [410],
    reason:
      'tshark 4.0 takes a handshake message claiming 64 KB or more for encrypted and never reassembles this 339 KB Certificate; we do',
  },
];

const tlsColumns = names.map((n, i) => [n, i] as const).filter(([n]) => n.startsWith('tls.'));
const files = Object.keys(manifest.files).filter((f) => existsSync(join(fixtures, 'app', `${f}.tsv`)));

function isAllowed(file: string, field: string, frame: number): boolean {
  return allowed.some((a) => a.file === file && (a.fields === undefined || a.fields.includes(field)) && (a.frames === undefined || a.frames.includes(frame)));
}

describe('TLS fields equal tshark -T fields', () => {
  it('covers every capture with TLS fixtures', () => {
    const withTls = files.filter((f) => readFileSync(join(fixtures, 'app', `${f}.tsv`), 'utf8').includes('\t0x03'));
    expect(withTls.length).toBeGreaterThanOrEqual(25);
  });

  for (const file of files) {
    // Captures without TLS are compared too: detection must not find TLS in them.
    const expected = readFileSync(join(fixtures, 'app', `${file}.tsv`), 'utf8').split('\n');
    it(file, () => {
      const { packets } = feedCapture(file, { tree: true });
      const mismatches: string[] = [];
      for (const pk of packets) {
        const theirs = expected[pk.row]?.split('\t') ?? [];
        for (const [field, col] of tlsColumns) {
          const ours = (pk.fields.get(field) ?? []).join(',');
          const tshark = theirs[col] ?? '';
          if (ours === tshark || isAllowed(file, field, pk.number)) continue;
          mismatches.push(`frame ${pk.number} ${field}: ours "${ours.slice(0, 80)}" tshark "${tshark.slice(0, 80)}"`);
        }
      }
      expect(mismatches.slice(0, 20)).toEqual([]);
    });
  }
});
