// Turns the byte streams of one recorded conversation into the TCP packets a capture on the client
// would show: handshake, MSS-sized segments, delayed ACKs, FIN teardown, on a synthetic clock.

import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN, encodeTcpFrame, synOptions, timestampOptions } from './frames';
import { CLIENT, SERVER, type Side, type WireWrite } from './tls-conversation';

export interface Endpoint {
  /** The MAC address its frames carry on the client's link (for the server: the gateway's). */
  mac: readonly number[];
  ip: readonly number[];
  port: number;
  /** Initial sequence number. */
  isn: number;
  /** First IPv4 identification value; the host counts up from there. */
  ipId: number;
  /** TTL as seen at the capture point (the server's is lowered by the routers on the way). */
  ttl: number;
  /** The host's TCP timestamp clock at the start of the conversation (RFC 7323 §5.4: any origin). */
  tsBase: number;
  /** Window in the SYN (unscaled). */
  synWindow: number;
  /** Window field after the handshake (scaled by 2^WINDOW_SCALE). */
  window: number;
}

export interface TcpSessionSpec {
  client: Endpoint;
  server: Endpoint;
  /** When the client sends its SYN, in nanoseconds on the capture's clock. */
  startNs: number;
}

export interface CapturedPacket {
  /** Capture time in nanoseconds (the capture is taken on the client). */
  timeNs: number;
  side: Side;
  frame: Uint8Array;
  /** Offset of the payload in the sender's byte stream (0 = first byte after the SYN). */
  streamOffset: number;
  payloadLength: number;
}

/** A typical Ethernet MSS (1460) less the 12 bytes of the timestamps option on every segment. */
export const SEGMENT_PAYLOAD = 1448;
const MSS = 1460;
const WINDOW_SCALE = 7;

const MS = 1_000_000;
const US = 1_000;
/** Bottleneck of 100 Mbit/s: 80 ns per byte, counting preamble and inter-frame gap (24 bytes). */
const NS_PER_BYTE = 80;
const ETHERNET_OVERHEAD = 24;
/** Time a side takes to answer what it just received (TLS work in the library and the kernel). */
const PROCESSING_NS: readonly [number, number] = [350 * US, 600 * US];
/** Between two writes of one side that follow each other without waiting for the peer. */
const WRITE_GAP_NS = 60 * US;
/** The server's SYN/ACK and the client's handshake ACK come from the kernel, quickly. */
const SYN_ACK_NS = 40 * US;
/** A kernel sends an immediate ACK this long after the segment that called for it arrived. */
const ACK_NS = 30 * US;
/** Linux's minimum delayed-ACK timeout (TCP_DELACK_MIN): an ACK nothing else carried goes then. */
const DELAYED_ACK_NS = 40 * MS;

/**
 * One-way delay for a packet sent at `t` ns: 10 ms (a 20 ms round trip) that wanders by a few
 * hundred microseconds. It is a smooth function of the send time (slope far below 1), so packets
 * of one direction never overtake each other, and it does not depend on the order packets are
 * generated in.
 */
function oneWayNs(side: Side, t: number): number {
  const phase = side === CLIENT ? 0 : 2.1;
  return Math.round(10 * MS + 180 * US * Math.sin((2 * Math.PI * t) / (47 * MS) + phase) + 70 * US * Math.sin((2 * Math.PI * t) / (11 * MS) + 2 * phase));
}

interface SimPacket {
  side: Side;
  send: number;
  arrive: number;
  flags: number;
  payload: Uint8Array;
  order: number;
  // Filled in by number():
  seq: number;
  ack: number;
  tsval: number;
  tsecr: number;
  ipId: number;
}

function hasPayloadOrFin(p: SimPacket): boolean {
  return p.payload.length > 0 || (p.flags & TCP_FIN) !== 0;
}

/** Both hosts of one connection on one clock: packets with send and arrival times, then their numbers. */
class Simulation {
  readonly packets: SimPacket[] = [];
  /** When each side's link is free to send again. */
  private readonly nextFree: [number, number] = [0, 0];
  /** When each side finished the TCP handshake (what its first write follows). */
  private readonly established: [number, number] = [0, 0];
  /** Arrival at the peer of the last packet of each write. */
  private readonly arrivalOf = new Map<WireWrite, number>();

  /**
   * Sends a packet at `at`, or when the side's link is free. Pure ACKs are added after all the
   * rest (`queued` false): they go at `at`, and are too small to delay anything behind them.
   */
  send(side: Side, at: number, flags: number, payload: Uint8Array = new Uint8Array(0), queued = true): SimPacket {
    const frameBytes = 14 + 20 + ((flags & TCP_SYN) !== 0 ? 40 : 32) + payload.length;
    const wire = (frameBytes + ETHERNET_OVERHEAD) * NS_PER_BYTE;
    const send = queued ? Math.max(at, this.nextFree[side]) : at;
    if (queued) this.nextFree[side] = send + wire;
    const p: SimPacket = { side, send, arrive: send + wire + oneWayNs(side, send), flags, payload, order: this.packets.length, seq: 0, ack: 0, tsval: 0, tsecr: 0, ipId: 0 };
    this.packets.push(p);
    return p;
  }

  handshake(startNs: number): void {
    const syn = this.send(CLIENT, startNs, TCP_SYN);
    const synAck = this.send(SERVER, syn.arrive + SYN_ACK_NS, TCP_SYN | TCP_ACK);
    const ack = this.send(CLIENT, synAck.arrive + ACK_NS, TCP_ACK);
    this.established[CLIENT] = ack.send;
    this.established[SERVER] = ack.arrive;
  }

  /**
   * One write, cut into segments of at most SEGMENT_PAYLOAD bytes (PSH on the last). It starts
   * once the side has received what it answers and had time to work on it, and not before the
   * side's previous write is out.
   */
  write(w: WireWrite): void {
    const side = w.side;
    const heard = w.after === null ? this.established[side] : this.arrivalOf.get(w.after)!;
    const t = Math.max(heard + PROCESSING_NS[side], this.nextFree[side] + WRITE_GAP_NS) + w.thinkMs * MS;
    let last: SimPacket | null = null;
    if (w.bytes === null) last = this.send(side, t, TCP_FIN | TCP_ACK);
    else {
      for (let off = 0; off < w.bytes.length; off += SEGMENT_PAYLOAD) {
        const end = Math.min(off + SEGMENT_PAYLOAD, w.bytes.length);
        last = this.send(side, t, TCP_ACK | (end === w.bytes.length ? TCP_PSH : 0), w.bytes.subarray(off, end));
      }
    }
    if (last === null) throw new Error('an empty write cannot be framed');
    this.arrivalOf.set(w, last.arrive);
  }

  /**
   * The pure ACKs each receiver sends, as a Linux stack would: at once for every second segment
   * (RFC 9293 §3.8.6.3) and for a FIN (quick-ACK mode); otherwise the ACK rides on the receiver's
   * next packet if that leaves within the delayed-ACK timeout, or goes alone when it expires.
   */
  acknowledge(): void {
    for (const receiver of [CLIENT, SERVER] as const) {
      type Ev = { time: number; arrival: boolean; p: SimPacket };
      const events: Ev[] = [];
      for (const p of this.packets) {
        if (p.side === receiver) events.push({ time: p.send, arrival: false, p });
        else if (hasPayloadOrFin(p)) events.push({ time: p.arrive, arrival: true, p });
      }
      events.sort((a, b) => a.time - b.time || Number(b.arrival) - Number(a.arrival));
      let unacked = 0;
      let deadline = Infinity;
      const acks: number[] = [];
      for (const ev of events) {
        if (deadline <= ev.time) {
          acks.push(deadline);
          unacked = 0;
          deadline = Infinity;
        }
        if (!ev.arrival) {
          // Everything after the SYN carries an ACK of all received so far.
          if ((ev.p.flags & TCP_ACK) !== 0) {
            unacked = 0;
            deadline = Infinity;
          }
          continue;
        }
        if ((ev.p.flags & TCP_FIN) !== 0) deadline = Math.min(deadline, ev.time + ACK_NS);
        else if (++unacked === 1) deadline = ev.time + DELAYED_ACK_NS;
        else deadline = Math.min(deadline, ev.time + ACK_NS);
      }
      if (deadline !== Infinity) acks.push(deadline);
      for (const t of acks) this.send(receiver, t, TCP_ACK, undefined, false);
    }
  }

  /** Sequence and acknowledgment numbers, timestamps and IP ids, from what each side had sent and received. */
  number(client: Endpoint, server: Endpoint): void {
    const ends = [client, server];
    const sndNxt = [0, 0];
    const rcvNxt = [0, 0];
    const tsRecent = [0, 0];
    const ipId = [client.ipId, server.ipId];
    type Ev = { time: number; arrival: boolean; p: SimPacket };
    const events: Ev[] = [];
    for (const p of this.packets) events.push({ time: p.send, arrival: false, p }, { time: p.arrive, arrival: true, p });
    // Arrivals first on a tie: a packet sent at the instant another arrives has seen it.
    events.sort((a, b) => a.time - b.time || Number(b.arrival) - Number(a.arrival) || a.p.order - b.p.order);
    const lastArrival = [-Infinity, -Infinity];
    for (const { arrival, p } of events) {
      const s = p.side;
      const length = p.payload.length + ((p.flags & TCP_SYN) !== 0 ? 1 : 0) + ((p.flags & TCP_FIN) !== 0 ? 1 : 0);
      if (arrival) {
        const r = 1 - s;
        rcvNxt[r] = Math.max(rcvNxt[r]!, p.seq + length);
        tsRecent[r] = p.tsval;
        continue;
      }
      // The generator's own check: packets of one side arrive in the order they were sent.
      if (p.arrive <= lastArrival[s]!) throw new Error(`packet ${p.order} would overtake an earlier packet of the same side`);
      lastArrival[s] = p.arrive;
      p.seq = sndNxt[s]!;
      sndNxt[s]! += length;
      p.ack = (p.flags & TCP_ACK) !== 0 ? rcvNxt[s]! : 0;
      p.tsval = (ends[s]!.tsBase + Math.floor(p.send / MS)) >>> 0;
      p.tsecr = tsRecent[s]!;
      p.ipId = ipId[s]!;
      ipId[s] = (ipId[s]! + 1) & 0xffff;
    }
  }
}

/** The packets of one conversation as captured on the client, in capture order. */
export function tcpSession(writes: readonly WireWrite[], spec: TcpSessionSpec): CapturedPacket[] {
  const sim = new Simulation();
  sim.handshake(spec.startNs);
  for (const w of writes) sim.write(w);
  sim.acknowledge();
  const { client, server } = spec;
  sim.number(client, server);
  const out: CapturedPacket[] = sim.packets.map((p) => {
    const [from, to] = p.side === CLIENT ? [client, server] : [server, client];
    const syn = (p.flags & TCP_SYN) !== 0;
    const frame = encodeTcpFrame({
      srcMac: from.mac,
      dstMac: to.mac,
      srcIp: from.ip,
      dstIp: to.ip,
      ipId: p.ipId,
      ttl: from.ttl,
      srcPort: from.port,
      dstPort: to.port,
      seq: (from.isn + p.seq) >>> 0,
      ack: (p.flags & TCP_ACK) !== 0 ? (to.isn + p.ack) >>> 0 : 0,
      flags: p.flags,
      window: syn ? from.synWindow : from.window,
      options: syn ? synOptions(MSS, p.tsval, p.tsecr, WINDOW_SCALE) : timestampOptions(p.tsval, p.tsecr),
      payload: p.payload,
    });
    return {
      timeNs: p.side === CLIENT ? p.send : p.arrive,
      side: p.side,
      frame,
      streamOffset: syn ? 0 : p.seq - 1,
      payloadLength: p.payload.length,
    };
  });
  return out.sort((a, b) => a.timeNs - b.timeNs); // stable: ties keep the order they were sent in
}
