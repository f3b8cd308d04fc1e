import { join } from 'node:path';
import { describe as suite, expect, it } from 'vitest';
import { capturesWithFixtures, compareCapture, describe, root } from './differential';

// References to later packets, as tshark 4.0 prints them with two passes (-2) and the Wireshark
// GUI shows them: tcp.reassembled_in on the segments of a PDU completed in a later packet and
// http.response_in on a request. Every frame of every corpus capture (with its key log) and of the
// HTTP/2 captures agrees, except documented cases (exceptions.json, each with its reason).
suite('a first pass gives tshark -2 references to later packets', () => {
  for (const file of capturesWithFixtures('later')) {
    it(file, async () => {
      const { mismatches } = await compareCapture('later', file);
      expect(describe(mismatches)).toBe('');
    });
  }
  for (const file of ['h2c-prior-knowledge.pcapng', 'h2c-upgrade.pcapng', 'h2c-midstream.pcapng', 'h2-tls13.pcapng']) {
    it(`http2/${file}`, async () => {
      const { mismatches, compared } = await compareCapture('later', `http2/${file}`, join(root, 'test', 'fixtures', 'http2', file));
      expect(describe(mismatches)).toBe('');
      expect(compared).toBeGreaterThan(0);
    });
  }
});
