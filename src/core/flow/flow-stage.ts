// The flow stage of the analysis pass: finds each packet's conversation, counts it, and (for TCP)
// runs the per-connection analysis.

import { IpProto } from '../dissect/ip-protocols';
import type { Packet } from '../dissect/packet';
import { clientIsFirstByPorts, newDirection, type Conversation } from './conversation';
import { FlowKeyTable } from './flow-key';
import { uintDec } from '../dissect/fields';

export const flowFields = {
  tcpStream: uintDec('tcp.stream', 'Stream index'),
  udpStream: uintDec('udp.stream', 'Stream index'),
};

const SYN = 0x002;
const ACK = 0x010;
const FIN = 0x001;
const RST = 0x004;

interface TcpSeen {
  synSeq: number;
  sawSyn: boolean;
  closed: boolean;
}

export class FlowStage {
  readonly conversations: Conversation[] = [];
  private readonly keys = new FlowKeyTable();
  private readonly tcpSeen: (TcpSeen | null)[] = [];
  private tcpStreams = 0;
  private udpStreams = 0;

  /**
   * Assigns `p.conversation` for TCP and UDP packets. `srcId`/`dstId` are the interned ids of the
   * packet's innermost network addresses.
   */
  onPacket(p: Packet, row: number, srcId: number, dstId: number): void {
    const proto = p.l4;
    if (proto !== IpProto.Tcp && proto !== IpProto.Udp) return;
    const sport = p.srcPort;
    const dport = p.dstPort;
    const srcFirst = srcId < dstId || (srcId === dstId && sport <= dport);
    const a = srcFirst ? srcId : dstId;
    const b = srcFirst ? dstId : srcId;
    const ports = srcFirst ? ((sport << 16) | dport) >>> 0 : ((dport << 16) | sport) >>> 0;
    let id = this.keys.get(proto, a, b, ports);
    if (id >= 0 && proto === IpProto.Tcp && this.startsNewConnection(id, p)) id = -1;
    let conv: Conversation;
    if (id < 0) {
      conv = this.create(p, row, srcId, dstId);
      this.keys.set(proto, a, b, ports, conv.id);
    } else {
      conv = this.conversations[id]!;
    }
    const d = conv.addrA === srcId && conv.portA === sport ? 0 : 1;
    const stats = conv.dir[d]!;
    if (stats.packets === 0) {
      stats.firstSec = p.tsSec;
      stats.firstNsec = p.tsNsec;
    }
    stats.packets++;
    stats.bytes += p.wirelen;
    stats.payloadBytes += p.payloadWireLength;
    stats.lastSec = p.tsSec;
    stats.lastNsec = p.tsNsec;
    conv.lastRow = row;
    p.conversation = conv.id;
    if (proto === IpProto.Tcp) this.trackTcp(conv, p);
    const t = p.tree;
    if (t !== null) {
      const layer = t.find(proto === IpProto.Tcp ? 'tcp' : 'udp');
      if (layer !== null) {
        t.resume(layer);
        t.add(proto === IpProto.Tcp ? flowFields.tcpStream : flowFields.udpStream, conv.stream, layer.start, 0);
      }
    }
  }

  /** Called once after the last packet. */
  finish(): void {
    // Nothing is buffered yet; stream reassembly will flush partial PDUs here.
  }

  private create(p: Packet, row: number, srcId: number, dstId: number): Conversation {
    const tcp = p.l4 === IpProto.Tcp;
    const flags = p.tcpFlags;
    let clientIsA = true;
    let roleReason: Conversation['roleReason'] = 'first-packet';
    if (tcp && (flags & (SYN | ACK)) === SYN) roleReason = 'syn';
    else if (tcp && (flags & (SYN | ACK)) === (SYN | ACK)) {
      clientIsA = false;
      roleReason = 'syn-ack';
    } else {
      const guess = clientIsFirstByPorts(p.srcPort, p.dstPort);
      if (guess !== null) {
        clientIsA = guess;
        roleReason = 'port';
      }
    }
    const conv: Conversation = {
      id: this.conversations.length,
      proto: p.l4,
      stream: tcp ? this.tcpStreams++ : this.udpStreams++,
      addrA: srcId,
      portA: p.srcPort,
      addrB: dstId,
      portB: p.dstPort,
      clientIsA,
      roleReason,
      dir: [newDirection(), newDirection()],
      firstRow: row,
      lastRow: row,
    };
    this.conversations.push(conv);
    this.tcpSeen.push(tcp ? { synSeq: 0, sawSyn: false, closed: false } : null);
    return conv;
  }

  /** A fresh SYN on a 5-tuple whose connection already closed starts a new tcp.stream. */
  private startsNewConnection(id: number, p: Packet): boolean {
    const seen = this.tcpSeen[id];
    if (seen === null || seen === undefined) return false;
    if ((p.tcpFlags & (SYN | ACK)) !== SYN) return false;
    return seen.closed && (!seen.sawSyn || seen.synSeq !== p.tcpSeq);
  }

  private trackTcp(conv: Conversation, p: Packet): void {
    const seen = this.tcpSeen[conv.id]!;
    if ((p.tcpFlags & (SYN | ACK)) === SYN && !seen.sawSyn) {
      seen.sawSyn = true;
      seen.synSeq = p.tcpSeq;
    }
    if ((p.tcpFlags & (FIN | RST)) !== 0) seen.closed = true;
  }
}
