import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import { summarizeConversation } from '../../../src/core/flow/conversation-summary';
import { flowsCommand, formatFlows } from '../../../src/cli/commands/flows';
import type { CliIo } from '../../../src/cli/main';
import { corpusPath } from '../io/helpers';
import { RecordingFactory } from './helpers';

describe('conversation summaries (wireladder flows)', () => {
  it('lists each TCP connection by role with counts each way, duration and handshake status', async () => {
    const { analyzer } = await analyzeFile(corpusPath('local/tls12-rsa.pcap'));
    const rows = analyzer.flows.conversations.map((c) => summarizeConversation(analyzer.flows.store, c.id, analyzer.addresses));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      stream: 0,
      protocol: 'TCP',
      client: '127.0.0.1:60750',
      server: '127.0.0.1:8441',
      roleReason: 'syn',
      handshake: 'complete',
      packets: { toServer: 9, toClient: 8 },
      bytes: { toServer: 1184, toClient: 3612 },
      tlsVersion: 'TLS 1.2',
      cipher: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
    });
    expect(rows[0]!.initialRtt).toBeGreaterThan(0);
    expect(rows[0]!.duration).toBeCloseTo(0.003546, 6);
  });

  it('writes IPv6 endpoints in brackets and shows the app parser summary when it has one', async () => {
    const factory = new RecordingFactory();
    const { analyzer } = await analyzeFile(corpusPath('zeek/communityid/ipv6.pcap'), { appFactories: [factory] });
    const rows = analyzer.flows.conversations.map((c) => summarizeConversation(analyzer.flows.store, c.id, analyzer.addresses));
    expect(rows[0]!.client).toMatch(/^\[2001:470:e5bf:dead:4957:2174:e82c:4887\]:63943$/);
    expect(rows[0]!.httpTransactions).toBeGreaterThan(0);
    const lines = formatFlows(rows);
    expect(lines[0]).toMatch(/^stream\s+proto\s+client\s+server\s+packets/);
    expect(lines[0]).toContain('HTTP');
    expect(lines[0]).not.toContain('SNI');
    expect(lines[1]).toContain('\u2192');
    expect(lines[1]).toContain('complete');
  });

  it('`wireladder flows FILE --json` prints the rows; the table has a line per conversation', async () => {
    let out = '';
    const io: CliIo = { stdout: { write: (s: string) => ((out += s), true) }, out: () => {}, err: () => {} };
    expect(await flowsCommand([corpusPath('zeek/tcp/syn-then-rst.pcap'), '--json'], io)).toBe(0);
    const rows = JSON.parse(out) as { handshake: string; clientState: string; serverState: string }[];
    expect(rows).toEqual([expect.objectContaining({ handshake: 'reset', clientState: 'CLOSED', serverState: 'LISTEN' })]);
    out = '';
    expect(await flowsCommand([corpusPath('local/http10.pcap')], io)).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1).every((l) => /complete|SYN only|reset|mid-stream|-/.test(l))).toBe(true);
  });
});
