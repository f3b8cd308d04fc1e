// What a capture file holds, from one walk over its records and blocks (what capinfos reports):
// counts, bytes, first and last times, interfaces, comments, secrets. Nothing is dissected and
// nothing is kept per packet, so it costs what reading the file costs.

import { readCaptureFile, type ReadOptions, type ReadResult } from './capture-reader';
import type { CaptureSink, DecryptionSecrets, InterfaceInfo, PacketRecord, SectionInfo } from './types';

export interface RecordWalk {
  result: ReadResult;
  interfaces: InterfaceInfo[];
  sections: SectionInfo[];
  secrets: DecryptionSecrets[];
  packets: number;
  /** Sum of the lengths on the wire, and of the captured lengths. */
  bytes: number;
  capturedBytes: number;
  /** Times of the first and the last record in file order (NaN when there are none). */
  firstSec: number;
  firstNsec: number;
  lastSec: number;
  lastNsec: number;
  /** Packet comments (pcapng opt_comment) by 1-based packet number, in file order. */
  comments: { packet: number; text: string }[];
}

/** The sink: a few numbers per record, no copies of packet bytes. */
class WalkSink implements CaptureSink {
  readonly interfaces: InterfaceInfo[] = [];
  readonly sections: SectionInfo[] = [];
  readonly secrets: DecryptionSecrets[] = [];
  readonly comments: RecordWalk['comments'] = [];
  packets = 0;
  bytes = 0;
  capturedBytes = 0;
  firstSec = Number.NaN;
  firstNsec = Number.NaN;
  lastSec = Number.NaN;
  lastNsec = Number.NaN;

  onPacket(rec: PacketRecord): void {
    if (this.packets === 0) {
      this.firstSec = rec.tsSec;
      this.firstNsec = rec.tsNsec;
    }
    this.packets++;
    this.bytes += rec.wirelen;
    this.capturedBytes += rec.caplen;
    this.lastSec = rec.tsSec;
    this.lastNsec = rec.tsNsec;
    const comments = rec.comments;
    if (comments !== null) for (const text of comments) this.comments.push({ packet: this.packets, text });
  }

  onInterface(iface: InterfaceInfo): void {
    this.interfaces.push(iface);
  }

  onSection(section: SectionInfo): void {
    this.sections.push(section);
  }

  onSecrets(secrets: DecryptionSecrets): void {
    this.secrets.push(secrets);
  }
}

/** Walks every record of `path` (pcap, pcapng, gzip of either); damage ends the walk as in a full read. */
export async function walkRecords(path: string, opts: ReadOptions = {}): Promise<RecordWalk> {
  const sink = new WalkSink();
  const result = await readCaptureFile(path, sink, opts);
  return {
    result,
    interfaces: sink.interfaces,
    sections: sink.sections,
    secrets: sink.secrets,
    packets: sink.packets,
    bytes: sink.bytes,
    capturedBytes: sink.capturedBytes,
    firstSec: sink.firstSec,
    firstNsec: sink.firstNsec,
    lastSec: sink.lastSec,
    lastNsec: sink.lastNsec,
    comments: sink.comments,
  };
}
