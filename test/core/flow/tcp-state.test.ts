import { describe, expect, it } from 'vitest';
import { Analysis } from '../../../src/core/io/packet-index';
import { TcpEndpoint, TcpState } from '../../../src/core/flow/tcp-state';
import { ACK, CLIENT, FIN, PSH, RST, Run, SERVER, SYN, Script } from './helpers';

// RFC 9293 §3.3.2: each end's state before and after every segment, driven by hand-built
// Ethernet/IPv4/TCP frames run through the Analyzer. `seen.client` and `seen.server` are
// [before, after] pairs.

/** The three-way handshake. */
function open(c: Script): void {
  c.client(SYN);
  c.server(SYN | ACK);
  c.client(ACK);
}

describe('opening a connection', () => {
  it('a normal open goes CLOSED → SYN_SENT → ESTABLISHED and LISTEN → SYN_RECEIVED → ESTABLISHED', () => {
    const c = new Script();
    const syn = c.client(SYN);
    expect(syn.client).toEqual(['CLOSED', 'SYN_SENT']);
    expect(syn.server).toEqual(['LISTEN', 'SYN_RECEIVED']);
    const synAck = c.server(SYN | ACK);
    expect(synAck.client).toEqual(['SYN_SENT', 'ESTABLISHED']);
    expect(synAck.server).toEqual(['SYN_RECEIVED', 'SYN_RECEIVED']);
    const ack = c.client(ACK);
    expect(ack.client).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    expect(ack.server).toEqual(['SYN_RECEIVED', 'ESTABLISHED']);
    expect(c.run.conversations[0]!.tcp!.handshakeStatus()).toBe('complete');
    expect(c.run.conversations[0]!.roleReason).toBe('syn');
  });

  it('a retransmitted SYN keeps the client in SYN_SENT (and tshark calls it a retransmission)', () => {
    const c = new Script();
    c.client(SYN);
    c.clientSeq -= 1;
    const again = c.run.segment({ from: CLIENT, to: SERVER, flags: SYN, seq: c.clientSeq }, 1_000_000);
    c.clientSeq += 1;
    expect(again.client).toEqual(['SYN_SENT', 'SYN_SENT']);
    expect(again.server).toEqual(['SYN_RECEIVED', 'SYN_RECEIVED']);
    expect(again.analysis & Analysis.Retransmission).toBe(Analysis.Retransmission);
    expect(again.conversation).toBe(0);
    expect(c.run.conversations[0]!.tcp!.handshakeStatus()).toBe('syn-only');
  });

  it('a simultaneous open: both SYN_SENT/SYN_RECEIVED, then both ESTABLISHED on the SYN,ACKs', () => {
    const c = new Script();
    c.client(SYN);
    const serverSyn = c.server(SYN);
    // The server's own SYN shows it was opening too; the client took the server's SYN in SYN_SENT.
    expect(serverSyn.client).toEqual(['SYN_SENT', 'SYN_RECEIVED']);
    expect(serverSyn.server).toEqual(['SYN_RECEIVED', 'SYN_RECEIVED']);
    // Each end now answers with SYN,ACK carrying its original ISN and acknowledging the other's.
    const clientSynAck = c.run.segment({ from: CLIENT, to: SERVER, flags: SYN | ACK, seq: c.clientSeq - 1, ack: c.serverSeq });
    expect(clientSynAck.server).toEqual(['SYN_RECEIVED', 'ESTABLISHED']);
    expect(clientSynAck.client).toEqual(['SYN_RECEIVED', 'SYN_RECEIVED']);
    const serverSynAck = c.run.segment({ from: SERVER, to: CLIENT, flags: SYN | ACK, seq: c.serverSeq - 1, ack: c.clientSeq });
    expect(serverSynAck.client).toEqual(['SYN_RECEIVED', 'ESTABLISHED']);
    expect(serverSynAck.server).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    expect(c.run.conversations).toHaveLength(1);
  });

  it('a capture that starts with the SYN,ACK assumes the SYN was sent (SYN_SENT / SYN_RECEIVED)', () => {
    const c = new Script();
    c.clientSeq += 1;
    const synAck = c.server(SYN | ACK);
    expect(synAck.client).toEqual(['SYN_SENT', 'ESTABLISHED']);
    expect(synAck.server).toEqual(['SYN_RECEIVED', 'SYN_RECEIVED']);
    expect(c.client(ACK).server).toEqual(['SYN_RECEIVED', 'ESTABLISHED']);
    const conv = c.run.conversations[0]!;
    expect(conv.clientIsA).toBe(false);
    expect(conv.roleReason).toBe('syn-ack');
    expect(conv.tcp!.handshakeStatus()).toBe('mid-stream');
  });

  it('a capture that starts mid-connection takes both ends as ESTABLISHED, decided by ports', () => {
    const run = new Run();
    // The server (port 80) sends data first; the port heuristic still makes the other end the client.
    const first = run.segment({ from: SERVER, to: CLIENT, flags: ACK | PSH, seq: 7000, ack: 3000, payload: new Uint8Array(10) });
    expect(first.client).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    expect(first.server).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    expect(first.flowDir).toBe(1);
    const conv = run.conversations[0]!;
    expect(conv.roleReason).toBe('port');
    expect(conv.clientIsA).toBe(false);
    expect(conv.tcp!.handshakeStatus()).toBe('mid-stream');
    // Relative numbers start at 1 without a SYN (tshark).
    expect(first.relSeq).toBe(1);
    expect(first.relAck).toBe(1);
  });

  it('a capture that ends without FIN leaves both ends ESTABLISHED', () => {
    const c = new Script();
    open(c);
    c.client(ACK | PSH, 'GET / HTTP/1.1\r\n\r\n');
    c.server(ACK | PSH, 'HTTP/1.1 200 OK\r\n\r\n');
    c.run.finish();
    const tcp = c.run.conversations[0]!.tcp!;
    expect(tcp.clientState()).toBe(TcpState.Established);
    expect(tcp.serverState()).toBe(TcpState.Established);
  });
});

describe('closing a connection', () => {
  it('a normal close by the client: FIN_WAIT_1 → FIN_WAIT_2 → TIME_WAIT, CLOSE_WAIT → LAST_ACK → CLOSED', () => {
    const c = new Script();
    open(c);
    const fin = c.client(FIN | ACK);
    expect(fin.client).toEqual(['ESTABLISHED', 'FIN_WAIT_1']);
    expect(fin.server).toEqual(['ESTABLISHED', 'CLOSE_WAIT']);
    const ack = c.server(ACK);
    expect(ack.client).toEqual(['FIN_WAIT_1', 'FIN_WAIT_2']);
    expect(ack.server).toEqual(['CLOSE_WAIT', 'CLOSE_WAIT']);
    const serverFin = c.server(FIN | ACK);
    expect(serverFin.client).toEqual(['FIN_WAIT_2', 'TIME_WAIT']);
    expect(serverFin.server).toEqual(['CLOSE_WAIT', 'LAST_ACK']);
    const lastAck = c.client(ACK);
    expect(lastAck.client).toEqual(['TIME_WAIT', 'TIME_WAIT']);
    expect(lastAck.server).toEqual(['LAST_ACK', 'CLOSED']);
  });

  it('a normal close by the server mirrors it', () => {
    const c = new Script();
    open(c);
    expect(c.server(FIN | ACK).server).toEqual(['ESTABLISHED', 'FIN_WAIT_1']);
    expect(c.client(ACK).server).toEqual(['FIN_WAIT_1', 'FIN_WAIT_2']);
    const clientFin = c.client(FIN | ACK);
    expect(clientFin.client).toEqual(['CLOSE_WAIT', 'LAST_ACK']);
    expect(clientFin.server).toEqual(['FIN_WAIT_2', 'TIME_WAIT']);
    const lastAck = c.server(ACK);
    expect(lastAck.client).toEqual(['LAST_ACK', 'CLOSED']);
    expect(lastAck.server).toEqual(['TIME_WAIT', 'TIME_WAIT']);
  });

  it('a FIN,ACK answering a FIN takes the first closer from FIN_WAIT_1 straight to TIME_WAIT', () => {
    const c = new Script();
    open(c);
    c.client(FIN | ACK);
    const finAck = c.server(FIN | ACK);
    expect(finAck.client).toEqual(['FIN_WAIT_1', 'TIME_WAIT']);
    expect(finAck.server).toEqual(['CLOSE_WAIT', 'LAST_ACK']);
    expect(c.client(ACK).server).toEqual(['LAST_ACK', 'CLOSED']);
  });

  it('a simultaneous close: both FINs cross, both ends go through CLOSING to TIME_WAIT', () => {
    const c = new Script();
    open(c);
    const clientFinSeq = c.clientSeq;
    c.client(FIN | ACK);
    // The server's FIN was sent before the client's arrived: it does not acknowledge it.
    const serverFin = c.run.segment({ from: SERVER, to: CLIENT, flags: FIN | ACK, seq: c.serverSeq, ack: clientFinSeq });
    c.serverSeq += 1;
    expect(serverFin.client).toEqual(['FIN_WAIT_1', 'CLOSING']);
    expect(serverFin.server).toEqual(['CLOSE_WAIT', 'CLOSING']);
    const ackByClient = c.client(ACK);
    expect(ackByClient.server).toEqual(['CLOSING', 'TIME_WAIT']);
    const ackByServer = c.server(ACK);
    expect(ackByServer.client).toEqual(['CLOSING', 'TIME_WAIT']);
    expect(ackByServer.server).toEqual(['TIME_WAIT', 'TIME_WAIT']);
  });

  it('a retransmitted FIN changes no state', () => {
    const c = new Script();
    open(c);
    c.client(FIN | ACK);
    c.clientSeq -= 1;
    const again = c.client(FIN | ACK);
    expect(again.client).toEqual(['FIN_WAIT_1', 'FIN_WAIT_1']);
    expect(again.server).toEqual(['CLOSE_WAIT', 'CLOSE_WAIT']);
  });
});

describe('a reset in each state', () => {
  // Each case: a script that leaves one end (`target`) in `state`, then the other end resets.
  const cases: { state: string; target: 'client' | 'server'; to: string; script: (c: Script) => void }[] = [
    { state: 'SYN_SENT', target: 'client', to: 'CLOSED', script: (c) => c.client(SYN) },
    { state: 'SYN_RECEIVED', target: 'server', to: 'LISTEN', script: (c) => c.client(SYN) },
    { state: 'ESTABLISHED', target: 'client', to: 'CLOSED', script: (c) => open(c) },
    { state: 'ESTABLISHED', target: 'server', to: 'CLOSED', script: (c) => open(c) },
    { state: 'FIN_WAIT_1', target: 'client', to: 'CLOSED', script: (c) => (open(c), c.client(FIN | ACK)) },
    { state: 'CLOSE_WAIT', target: 'server', to: 'CLOSED', script: (c) => (open(c), c.client(FIN | ACK)) },
    { state: 'FIN_WAIT_2', target: 'client', to: 'CLOSED', script: (c) => (open(c), c.client(FIN | ACK), c.server(ACK)) },
    { state: 'LAST_ACK', target: 'server', to: 'CLOSED', script: (c) => (open(c), c.client(FIN | ACK), c.server(FIN | ACK)) },
    { state: 'TIME_WAIT', target: 'client', to: 'CLOSED', script: (c) => (open(c), c.client(FIN | ACK), c.server(FIN | ACK)) },
    {
      state: 'CLOSING',
      target: 'client',
      to: 'CLOSED',
      script: (c) => {
        open(c);
        const seq = c.clientSeq;
        c.client(FIN | ACK);
        c.run.segment({ from: SERVER, to: CLIENT, flags: FIN | ACK, seq: c.serverSeq, ack: seq });
        c.serverSeq += 1;
      },
    },
  ];
  for (const k of cases) {
    it(`an RST received in ${k.state} (${k.target}) → ${k.to}; its sender is CLOSED`, () => {
      const c = new Script();
      k.script(c);
      const rst = k.target === 'client' ? c.server(RST | ACK) : c.client(RST | ACK);
      const [target, sender] = k.target === 'client' ? [rst.client, rst.server] : [rst.server, rst.client];
      expect(target).toEqual([k.state, k.to]);
      expect(sender[1]).toBe('CLOSED');
    });
  }

  it('an RST in LISTEN is ignored (RFC 9293 §3.10.7.2)', () => {
    const e = new TcpEndpoint();
    e.reset(TcpState.Listen);
    e.receive(RST, 0, 0, 0);
    expect(e.state).toBe(TcpState.Listen);
  });

  it('an RST in CLOSED stays CLOSED', () => {
    const e = new TcpEndpoint();
    e.reset(TcpState.Closed);
    e.receive(RST | ACK, 0, 0, 0);
    expect(e.state).toBe(TcpState.Closed);
  });

  it('a SYN answered by RST is a reset handshake (zeek syn-then-rst shape)', () => {
    const c = new Script();
    c.client(SYN);
    const rst = c.server(RST | ACK);
    expect(rst.client).toEqual(['SYN_SENT', 'CLOSED']);
    expect(rst.server).toEqual(['SYN_RECEIVED', 'CLOSED']);
    expect(c.run.conversations[0]!.tcp!.handshakeStatus()).toBe('reset');
  });

  it('an RST as the first packet: both ends were ESTABLISHED, both are CLOSED after it', () => {
    const run = new Run();
    const rst = run.segment({ from: CLIENT, to: SERVER, flags: RST, seq: 1234 });
    expect(rst.client).toEqual(['ESTABLISHED', 'CLOSED']);
    expect(rst.server).toEqual(['ESTABLISHED', 'CLOSED']);
  });
});

describe('connections on one 5-tuple', () => {
  it('a new SYN with another ISN after the close starts a new tcp.stream and reports reused ports', () => {
    const c = new Script();
    open(c);
    c.client(FIN | ACK);
    c.server(FIN | ACK);
    c.client(ACK);
    c.clientSeq += 100000;
    c.serverSeq += 100000;
    const syn = c.client(SYN);
    expect(syn.conversation).toBe(1);
    expect(syn.analysis & Analysis.ReusedPorts).toBe(Analysis.ReusedPorts);
    expect(syn.client).toEqual(['CLOSED', 'SYN_SENT']);
    expect(syn.server).toEqual(['LISTEN', 'SYN_RECEIVED']);
    expect(c.run.conversations.map((x) => x.stream)).toEqual([0, 1]);
  });
});
