import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import { Analysis } from '../../../src/core/io/packet-index';
import { tcpStateName } from '../../../src/core/flow/tcp-state';
import type { Packet } from '../../../src/core/dissect/packet';
import { corpusPath } from '../io/helpers';
import { RecordingFactory } from './helpers';

// Real captures from the corpus (zeek/tcp): handshake status, states of both ends, and what
// reassembly hands to an application parser.

interface Row {
  frame: number;
  flowDir: number;
  client: string;
  server: string;
  analysis: number;
}

async function analyse(rel: string) {
  const rows: Row[] = [];
  const factory = new RecordingFactory();
  const { analyzer } = await analyzeFile(corpusPath(rel), {
    appFactories: [factory],
    onPacket: (p: Packet) => {
      if (p.conversation < 0) return;
      rows.push({
        frame: p.number,
        flowDir: p.flowDir,
        client: `${tcpStateName(p.tcpClientStateBefore)}>${tcpStateName(p.tcpClientStateAfter)}`,
        server: `${tcpStateName(p.tcpServerStateBefore)}>${tcpStateName(p.tcpServerStateAfter)}`,
        analysis: p.analysis,
      });
    },
  });
  const conv = analyzer.flows.conversations[0]!;
  return { analyzer, conv, tcp: conv.tcp!, rows, factory };
}

describe('TCP on real captures', () => {
  it('handshake-reorder: the SYN,ACK captured before the SYN still makes a complete handshake', async () => {
    const { conv, tcp, rows, analyzer } = await analyse('zeek/tcp/handshake-reorder.pcap');
    expect(analyzer.flows.conversations).toHaveLength(1);
    expect(conv.roleReason).toBe('syn-ack');
    expect(tcp.handshakeStatus()).toBe('complete');
    expect(rows[0]).toMatchObject({ flowDir: 1, client: 'SYN_SENT>ESTABLISHED', server: 'SYN_RECEIVED>SYN_RECEIVED' });
    expect(rows[2]).toMatchObject({ flowDir: 0, server: 'SYN_RECEIVED>ESTABLISHED' });
    // The client closes first: FIN_WAIT_1 → (FIN,ACK) TIME_WAIT; the server ends CLOSED after the last ACK.
    expect(rows[11]).toMatchObject({ client: 'ESTABLISHED>FIN_WAIT_1', server: 'ESTABLISHED>CLOSE_WAIT' });
    expect(rows[12]).toMatchObject({ client: 'FIN_WAIT_1>TIME_WAIT', server: 'CLOSE_WAIT>LAST_ACK' });
    expect(rows[13]).toMatchObject({ client: 'TIME_WAIT>TIME_WAIT', server: 'LAST_ACK>CLOSED' });
  });

  it('missing-syn: no SYN seen, the SYN,ACK decides the roles; the capture ends in TIME_WAIT / LAST_ACK', async () => {
    const { conv, tcp, rows, factory } = await analyse('zeek/tcp/missing-syn.pcap');
    expect(tcp.handshakeStatus()).toBe('mid-stream');
    expect(conv.roleReason).toBe('syn-ack');
    expect(conv.portA === 80 ? !conv.clientIsA : conv.clientIsA).toBe(true);
    expect(rows[0]!.client).toBe('SYN_SENT>ESTABLISHED');
    expect(tcpStateName(tcp.clientState())).toBe('TIME_WAIT');
    expect(tcpStateName(tcp.serverState())).toBe('CLOSED');
    // The SYN,ACK's ACK tells where the request starts: the GET arrives complete, no gap.
    const p = factory.parsers[0]!;
    expect(new TextDecoder().decode(p.stream(0)).startsWith('GET / HTTP/1.0\r\n')).toBe(true);
    expect(p.events.filter((e) => e.kind === 'gap')).toEqual([]);
  });

  it('fin_retransmission: a FIN before the SYN,ACK, then a reset', async () => {
    const { tcp, rows } = await analyse('zeek/tcp/fin_retransmission.pcap');
    expect(tcp.handshakeStatus()).toBe('complete');
    expect(tcp.handshake.rstRow).toBe(4);
    expect(rows[0]).toMatchObject({ client: 'CLOSED>SYN_SENT', server: 'LISTEN>SYN_RECEIVED' });
    // A FIN without ACK before the handshake changes nothing (RFC 9293 §3.10.7.4: dropped); the
    // FIN,ACK after the SYN,ACK completes the handshake and starts the close.
    expect(rows[1]).toMatchObject({ client: 'SYN_SENT>SYN_SENT', server: 'SYN_RECEIVED>SYN_RECEIVED' });
    expect(rows[3]).toMatchObject({ client: 'ESTABLISHED>FIN_WAIT_1', server: 'SYN_RECEIVED>CLOSE_WAIT' });
    expect(rows[4]).toMatchObject({ client: 'FIN_WAIT_1>CLOSED', server: 'CLOSE_WAIT>CLOSED' });
    expect(rows[1]!.analysis & Analysis.Retransmission).toBe(Analysis.Retransmission);
  });

  it('retransmit-fast009: duplicate ACKs, a fast retransmission, then a reset', async () => {
    const { tcp, rows } = await analyse('zeek/tcp/retransmit-fast009.pcap');
    expect(tcp.handshakeStatus()).toBe('complete');
    expect(rows[31]!.analysis & (Analysis.FastRetransmission | Analysis.Retransmission)).toBe(Analysis.FastRetransmission);
    expect(rows.filter((r) => r.analysis & Analysis.DuplicateAck)).toHaveLength(5);
    expect(rows[38]).toMatchObject({ client: 'ESTABLISHED>CLOSED', server: 'ESTABLISHED>CLOSED' });
  });

  it('single-rst: one reset, nothing before it: mid-stream, both ends CLOSED', async () => {
    const { tcp, rows } = await analyse('zeek/tcp/single-rst.pcap');
    expect(tcp.handshakeStatus()).toBe('mid-stream');
    expect(rows).toEqual([expect.objectContaining({ client: 'ESTABLISHED>CLOSED', server: 'ESTABLISHED>CLOSED' })]);
  });

  it('syn-then-rst: the client resets its own SYN; the listening server goes back to LISTEN', async () => {
    const { tcp, rows } = await analyse('zeek/tcp/syn-then-rst.pcap');
    expect(tcp.handshakeStatus()).toBe('reset');
    expect(rows[1]).toMatchObject({ flowDir: 0, client: 'SYN_SENT>CLOSED', server: 'SYN_RECEIVED>LISTEN' });
  });

  it('reassembly: lost segments become gaps of the right size, retransmissions fill later holes', async () => {
    const { tcp, factory } = await analyse('zeek/tcp/reassembly.pcap');
    expect(tcp.handshakeStatus()).toBe('complete');
    const p = factory.parsers[0]!;
    const client = p.events.filter((e) => e.dir === 0);
    // As `tshark -z follow,tcp,raw,0`: 274, 1440, then 8 bytes missing (frame 7 is shorter than its IP length).
    expect(client.slice(0, 3).map((e) => (e.kind === 'data' ? e.bytes.length : e.kind === 'gap' ? -e.len : 0))).toEqual([274, 1440, -8]);
    // Everything up to the client's FIN (relative sequence 33209, offset 33208) arrives as data or gaps, in order.
    let at = 0;
    for (const e of client) {
      if (e.kind === 'end') continue;
      expect(e.streamOffset).toBe(at);
      at += e.kind === 'data' ? e.bytes.length : e.len;
    }
    expect(at).toBe(33208);
    expect(client[client.length - 1]).toEqual({ kind: 'end', dir: 0, withChunk: true });
  });
});
