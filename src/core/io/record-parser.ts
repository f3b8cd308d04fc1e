// The contract between the chunk feeder and a format's incremental, synchronous record parser.

import type { CaptureSink, PacketRecord, StopReason } from './types';

/**
 * Largest packet we accept, as Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD (262144). Anything bigger
 * in a record header is damage, not data, and must never turn into a huge allocation.
 */
export const MAX_PACKET_SIZE = 262_144;
/** Largest non-packet block (pcapng) we accept; Wireshark uses 16 MiB too. */
export const MAX_BLOCK_SIZE = 16 * 1024 * 1024;

export interface RecordParser {
  /**
   * Parses whole records in `buf[pos, end)`, whose first byte sits at `fileOffset + pos` in the
   * file, and returns the position of the first byte not consumed. It stops at a record that is
   * not complete and then sets `need` to the number of bytes (counted from the returned position)
   * it must see to make progress. On damage it sets `stop` and consumes nothing more.
   */
  parse(buf: Uint8Array, pos: number, end: number, fileOffset: number): number;
  need: number;
  stop: StopReason | null;
  /** Packets delivered so far. */
  packets: number;
}

export function newPacketRecord(): PacketRecord {
  return {
    data: new Uint8Array(0),
    dataOffset: 0,
    caplen: 0,
    wirelen: 0,
    tsSec: 0,
    tsNsec: 0,
    iface: 0,
    dataFileOffset: 0,
    comments: null,
    flags: 0,
  };
}

export type SinkOf<P extends RecordParser> = (sink: CaptureSink) => P;

/** Formats a byte count the way error messages show it: "1,234 bytes". */
export function bytesText(n: number): string {
  return `${n.toLocaleString('en-US')} byte${n === 1 ? '' : 's'}`;
}
