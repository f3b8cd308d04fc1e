// Classic libpcap file format: both byte orders, micro- and nanosecond magic, Kuznetzov's variant.

import { MAX_PACKET_SIZE, bytesText, newPacketRecord, type RecordParser } from './record-parser';
import type { CaptureSink, InterfaceInfo, StopReason } from './types';

export const PCAP_MAGIC_USEC = 0xa1b2c3d4;
export const PCAP_MAGIC_NSEC = 0xa1b23c4d;
/** Alexey Kuznetzov's modified pcap: 24-byte record headers (ifindex, protocol, pkt_type). */
export const PCAP_MAGIC_KUZNETZOV = 0xa1b2cd34;

const FILE_HEADER_LEN = 24;

export class PcapParser implements RecordParser {
  need = FILE_HEADER_LEN;
  stop: StopReason | null = null;
  packets = 0;

  private headerDone = false;
  private little = true;
  private nanos = false;
  private recordHeaderLen = 16;
  private snaplen = 0;
  private readonly rec = newPacketRecord();

  constructor(private readonly sink: CaptureSink) {}

  parse(buf: Uint8Array, pos: number, end: number, fileOffset: number): number {
    if (this.stop !== null) return pos;
    if (!this.headerDone) {
      if (end - pos < FILE_HEADER_LEN) {
        this.need = FILE_HEADER_LEN;
        return pos;
      }
      if (!this.readFileHeader(buf, pos, fileOffset)) return pos;
      pos += FILE_HEADER_LEN;
    }
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const little = this.little;
    const hlen = this.recordHeaderLen;
    const rec = this.rec;
    const sink = this.sink;
    const fracScale = this.nanos ? 1 : 1000;
    rec.data = buf;
    while (true) {
      if (end - pos < hlen) {
        this.need = hlen;
        return pos;
      }
      const caplen = view.getUint32(pos + 8, little);
      if (caplen > MAX_PACKET_SIZE) {
        this.stop = {
          offset: fileOffset + pos,
          reason:
            `damaged record header: captured length ${bytesText(caplen)} is larger than ` +
            `the maximum of ${bytesText(MAX_PACKET_SIZE)}`,
        };
        return pos;
      }
      if (end - pos < hlen + caplen) {
        this.need = hlen + caplen;
        return pos;
      }
      let sec = view.getUint32(pos, little);
      let nsec = view.getUint32(pos + 4, little) * fracScale;
      if (nsec >= 1_000_000_000) {
        // Some writers leave usec >= 1e6; carry it into the seconds as Wireshark does.
        sec += Math.floor(nsec / 1_000_000_000);
        nsec %= 1_000_000_000;
      }
      rec.tsSec = sec;
      rec.tsNsec = nsec;
      rec.caplen = caplen;
      rec.wirelen = view.getUint32(pos + 12, little);
      rec.dataOffset = pos + hlen;
      rec.dataFileOffset = fileOffset + pos + hlen;
      sink.onPacket(rec);
      this.packets++;
      pos += hlen + caplen;
    }
  }

  private readFileHeader(buf: Uint8Array, pos: number, fileOffset: number): boolean {
    const view = new DataView(buf.buffer, buf.byteOffset + pos, FILE_HEADER_LEN);
    const magicLE = view.getUint32(0, true);
    const magicBE = view.getUint32(0, false);
    let magic: number;
    if (isPcapMagic(magicLE)) {
      this.little = true;
      magic = magicLE;
    } else if (isPcapMagic(magicBE)) {
      this.little = false;
      magic = magicBE;
    } else {
      this.stop = { offset: fileOffset + pos, reason: `not a pcap file (magic 0x${hex8(magicBE)})` };
      return false;
    }
    this.nanos = magic === PCAP_MAGIC_NSEC;
    this.recordHeaderLen = magic === PCAP_MAGIC_KUZNETZOV ? 24 : 16;
    const versionMajor = view.getUint16(4, this.little);
    const versionMinor = view.getUint16(6, this.little);
    this.snaplen = view.getUint32(16, this.little);
    // Only the low 16 bits are the link type; bit 26 and bits 28-31 carry the FCS length
    // (draft-ietf-opsawg-pcap §4, libpcap LT_LINKTYPE), so they must not leak into it.
    const linkType = view.getUint32(20, this.little) & 0xffff;
    this.headerDone = true;
    this.sink.onSection?.({
      index: 0,
      littleEndian: this.little,
      versionMajor,
      versionMinor,
      hardware: null,
      os: null,
      application: null,
      comments: [],
    });
    const iface: InterfaceInfo = {
      id: 0,
      section: 0,
      linkType,
      snaplen: this.snaplen,
      tsUnitsPerSecond: this.nanos ? 1e9 : 1e6,
      tsOffsetSeconds: 0,
      name: null,
      description: null,
      filter: null,
      os: null,
    };
    this.sink.onInterface?.(iface);
    return true;
  }
}

export function isPcapMagic(m: number): boolean {
  return m === PCAP_MAGIC_USEC || m === PCAP_MAGIC_NSEC || m === PCAP_MAGIC_KUZNETZOV;
}

export function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
