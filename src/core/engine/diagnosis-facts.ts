// The facts a conversation's verdict is judged on (engine/diagnosis.ts), as plain JSON data: the
// ladder model carries them so every sentence can be checked against them, and the UI reads them.
// Frames are 1-based frame numbers (0: not seen).

export type Side = 'client' | 'server';

/** A latency between two packets (frame numbers, 1-based) and its length in seconds. */
export interface Span {
  fromFrame: number;
  toFrame: number;
  seconds: number;
}

/** Bytes the capture does not have, in one side's stream. */
export interface GapFact {
  /** The packet after the hole (or the ACK of bytes never seen). */
  frame: number;
  side: Side;
  bytes: number;
  kind: 'lost' | 'acked-unseen';
}

/** Something malformed on the wire: which side sent it, in which packet, which bytes of its stream. */
export interface MalformedFact {
  side: Side;
  frame: number;
  reason: string;
  streamOffset: number;
  length: number;
}

export interface DiagnosisFacts {
  tcp: {
    /** The SYN, SYN/ACK and handshake ACK of the connection (the last attempt), as frames (0: not seen). */
    synFrame: number;
    synAckFrame: number;
    ackFrame: number;
    /** Both ends were ESTABLISHED at some point. */
    established: boolean;
    /** States each end was in (RFC 9293 names), in no particular order. */
    clientStates: string[];
    serverStates: string[];
    /** Payload bytes each side sent (retransmitted bytes once). */
    bytes: { client: number; server: number };
    /** Resets with what was unacknowledged when each came. */
    resets: { frame: number; side: Side; unacked: number }[];
    /** The first FIN of each side (0: none). */
    finFrame: { client: number; server: number };
    /** How the connection ended: the last RST, both FINs, or still open. */
    closedBy: { how: 'rst' | 'fin'; side: Side; frame: number } | null;
    gaps: GapFact[];
    retransmissions: number;
    /** Earlier connections on the same ports (reset or closed before this one's SYN). */
    attempts: { synFrame: number; endFrame: number; endedBy: 'rst' | 'fin'; side: Side; restartFrame: number }[];
  };
  tls: {
    /** The handshake finished: both Finished (or the records in their place) in order, nothing malformed before. */
    complete: boolean;
    /** The packet completing it (0 when not complete). */
    doneFrame: number;
    clientHelloFrame: number;
    serverHelloFrame: number;
    finishedFrame: { client: number; server: number };
    /** The first message that should have come next and did not (when not complete). */
    missing: { side: Side; message: 'ServerHello' | 'ServerHelloDone' | 'ChangeCipherSpec' | 'Finished' | 'encrypted flight' } | null;
    /** The first malformed bytes of the handshake (or after it). */
    malformed: MalformedFact | null;
    /** Every malformed place (at most 64), in capture order. */
    problems: MalformedFact[];
    heartbeats: { frame: number; side: Side; length: number; type: 'request' | 'response' | 'encrypted'; anomaly: 'payload-length' | 'response-larger' | null; payloadLength: number | null; requestLength: number | null }[];
    /** A side that speaks something else (plain HTTP) on this TLS port. */
    foreign: { side: Side; protocol: string; frame: number } | null;
    renegotiationFrame: number;
  } | null;
  http: {
    requests: number;
    /** Final responses seen complete. */
    answered: number;
    /** Responses with bytes missing (the capture lost part of them). */
    incomplete: { requestFrame: number; responseFrame: number; missingBytes: number }[];
    /** Requests without any response. */
    unanswered: number[];
  } | null;
  latency: {
    /** SYN → SYN/ACK (the round trip the client waits for to connect). */
    tcpConnect: Span | null;
    /** ClientHello → the Finished that completes the handshake. */
    tlsHandshake: Span | null;
    /** The client's first request (the packet completing it) → the first packet of the answer. */
    timeToFirstByte: Span | null;
  };
}
