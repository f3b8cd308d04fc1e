// pcapng (draft-ietf-opsawg-pcapng): sections in either byte order, interfaces, packets and the
// metadata blocks WireLadder uses; unknown and custom blocks are skipped.

import { MAX_BLOCK_SIZE, MAX_PACKET_SIZE, bytesText, newPacketRecord, type RecordParser } from './record-parser';
import { splitTimestamp, unitsPerSecondFromTsresol, type TimestampOut } from './timestamp';
import type { CaptureSink, InterfaceInfo, NameResolutionEntry, StopReason } from './types';
import { hex8 } from './pcap-reader';
import { ipv6Text } from '../util/address';

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_PB = 0x00000002;
export const BLOCK_SPB = 0x00000003;
export const BLOCK_NRB = 0x00000004;
export const BLOCK_ISB = 0x00000005;
export const BLOCK_EPB = 0x00000006;
export const BLOCK_DSB = 0x0000000a;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
export const OPT_EPB_FLAGS = 2;
export const OPT_IF_NAME = 2;
export const OPT_IF_DESCRIPTION = 3;
export const OPT_IF_TSRESOL = 9;
export const OPT_IF_FILTER = 11;
export const OPT_IF_OS = 12;
export const OPT_IF_TSOFFSET = 14;
export const OPT_SHB_HARDWARE = 2;
export const OPT_SHB_OS = 3;
export const OPT_SHB_USERAPPL = 4;
export const OPT_ISB_IFRECV = 4;
export const OPT_ISB_IFDROP = 5;
export const OPT_ISB_FILTERACCEPT = 6;
export const OPT_ISB_OSDROP = 7;
export const OPT_ISB_USRDELIV = 8;

const utf8 = new TextDecoder('utf-8', { fatal: false });

interface SectionIface {
  globalId: number;
  units: number;
  offset: number;
  snaplen: number;
}

export class PcapngParser implements RecordParser {
  need = 12;
  stop: StopReason | null = null;
  packets = 0;

  private little = true;
  private sectionIndex = -1;
  private ifaces: SectionIface[] = [];
  private nextGlobalIface = 0;
  private readonly rec = newPacketRecord();
  private readonly ts: TimestampOut = { sec: 0, nsec: 0 };

  constructor(private readonly sink: CaptureSink) {}

  parse(buf: Uint8Array, pos: number, end: number, fileOffset: number): number {
    if (this.stop !== null) return pos;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    while (true) {
      if (end - pos < 12) {
        this.need = 12;
        return pos;
      }
      const typeLE = view.getUint32(pos, true);
      if (typeLE === BLOCK_SHB) {
        // The byte order of a section is only known from its own byte-order magic.
        const bom = view.getUint32(pos + 8, true);
        if (bom === BYTE_ORDER_MAGIC) this.little = true;
        else if (view.getUint32(pos + 8, false) === BYTE_ORDER_MAGIC) this.little = false;
        else return this.fail(pos, fileOffset, `bad byte-order magic 0x${hex8(view.getUint32(pos + 8, false))} in a section header block`);
      } else if (this.sectionIndex < 0) {
        return this.fail(pos, fileOffset, `not a pcapng file (first block type 0x${hex8(view.getUint32(pos, false))})`);
      }
      const little = this.little;
      const type = view.getUint32(pos, little);
      const len = view.getUint32(pos + 4, little);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK_SIZE) {
        return this.fail(pos, fileOffset, `damaged block: type 0x${hex8(type)} has an impossible length of ${bytesText(len)}`);
      }
      if (end - pos < len) {
        this.need = len;
        return pos;
      }
      if (view.getUint32(pos + len - 4, little) !== len) {
        return this.fail(pos, fileOffset, `damaged block: type 0x${hex8(type)} of ${bytesText(len)} does not end with its length`);
      }
      let ok: boolean;
      if (type === BLOCK_EPB) ok = this.enhancedPacket(view, buf, pos, len, fileOffset);
      else if (type === BLOCK_SPB) ok = this.simplePacket(view, buf, pos, len, fileOffset);
      else if (type === BLOCK_PB) ok = this.obsoletePacket(view, buf, pos, len, fileOffset);
      else if (type === BLOCK_SHB) ok = this.sectionHeader(view, buf, pos, len, fileOffset);
      else if (type === BLOCK_IDB) ok = this.interfaceDescription(view, buf, pos, len, fileOffset);
      else if (type === BLOCK_ISB) ok = this.interfaceStatistics(view, pos, len);
      else if (type === BLOCK_NRB) ok = this.nameResolution(view, buf, pos, len);
      else if (type === BLOCK_DSB) ok = this.decryptionSecrets(view, buf, pos, len, fileOffset);
      else ok = true; // unknown, custom (0x00000BAD / 0x40000BAD) and obsolete blocks are skipped
      if (!ok) return pos;
      pos += len;
    }
  }

  /** Records where and why parsing stopped; returns the damaged block's position (nothing consumed). */
  private fail(pos: number, fileOffset: number, reason: string): number {
    this.stop = { offset: fileOffset + pos, reason };
    return pos;
  }

  private enhancedPacket(view: DataView, buf: Uint8Array, pos: number, len: number, fileOffset: number): boolean {
    const little = this.little;
    // Check the block can hold its fixed fields before reading them: a short block may end the buffer.
    if (len < 32) {
      this.stop = { offset: fileOffset + pos, reason: `damaged enhanced packet block: ${bytesText(len)} is shorter than its fixed fields` };
      return false;
    }
    const ifLocal = view.getUint32(pos + 8, little);
    const caplen = view.getUint32(pos + 20, little);
    if (caplen > len - 32 || caplen > MAX_PACKET_SIZE) {
      this.stop = { offset: fileOffset + pos, reason: `damaged enhanced packet block: captured length ${bytesText(caplen)} does not fit in a block of ${bytesText(len)}` };
      return false;
    }
    const iface = this.ifaces[ifLocal];
    if (iface === undefined) {
      this.stop = { offset: fileOffset + pos, reason: `enhanced packet block refers to interface ${ifLocal}, which the section does not describe` };
      return false;
    }
    const rec = this.rec;
    splitTimestamp(view.getUint32(pos + 12, little), view.getUint32(pos + 16, little), iface.units, this.ts);
    rec.data = buf;
    rec.tsSec = this.ts.sec + iface.offset;
    rec.tsNsec = this.ts.nsec;
    rec.caplen = caplen;
    rec.wirelen = view.getUint32(pos + 24, little);
    rec.dataOffset = pos + 28;
    rec.dataFileOffset = fileOffset + pos + 28;
    rec.iface = iface.globalId;
    rec.comments = null;
    rec.flags = 0;
    const optStart = pos + 28 + ((caplen + 3) & ~3);
    if (optStart < pos + len - 4) this.packetOptions(view, buf, optStart, pos + len - 4);
    this.sink.onPacket(rec);
    this.packets++;
    return true;
  }

  private simplePacket(view: DataView, buf: Uint8Array, pos: number, len: number, fileOffset: number): boolean {
    const iface = this.ifaces[0];
    if (iface === undefined) {
      this.stop = { offset: fileOffset + pos, reason: 'simple packet block before any interface description block' };
      return false;
    }
    if (len < 16) {
      this.stop = { offset: fileOffset + pos, reason: `damaged simple packet block: ${bytesText(len)} is shorter than its fixed fields` };
      return false;
    }
    const wirelen = view.getUint32(pos + 8, this.little);
    // §4.4: the captured length is the smaller of the original length and the snap length.
    let caplen = len - 16;
    if (wirelen < caplen) caplen = wirelen;
    if (iface.snaplen !== 0 && iface.snaplen < caplen) caplen = iface.snaplen;
    const rec = this.rec;
    rec.data = buf;
    rec.tsSec = 0;
    rec.tsNsec = 0;
    rec.caplen = caplen;
    rec.wirelen = wirelen;
    rec.dataOffset = pos + 12;
    rec.dataFileOffset = fileOffset + pos + 12;
    rec.iface = iface.globalId;
    rec.comments = null;
    rec.flags = 0;
    this.sink.onPacket(rec);
    this.packets++;
    return true;
  }

  private obsoletePacket(view: DataView, buf: Uint8Array, pos: number, len: number, fileOffset: number): boolean {
    const little = this.little;
    if (len < 32) {
      this.stop = { offset: fileOffset + pos, reason: `damaged packet block: ${bytesText(len)} is shorter than its fixed fields` };
      return false;
    }
    const ifLocal = view.getUint16(pos + 8, little);
    const caplen = view.getUint32(pos + 20, little);
    const iface = this.ifaces[ifLocal];
    if (caplen > len - 32 || caplen > MAX_PACKET_SIZE || iface === undefined) {
      this.stop = { offset: fileOffset + pos, reason: `damaged packet block (interface ${ifLocal}, captured length ${bytesText(caplen)})` };
      return false;
    }
    const rec = this.rec;
    splitTimestamp(view.getUint32(pos + 12, little), view.getUint32(pos + 16, little), iface.units, this.ts);
    rec.data = buf;
    rec.tsSec = this.ts.sec + iface.offset;
    rec.tsNsec = this.ts.nsec;
    rec.caplen = caplen;
    rec.wirelen = view.getUint32(pos + 24, little);
    rec.dataOffset = pos + 28;
    rec.dataFileOffset = fileOffset + pos + 28;
    rec.iface = iface.globalId;
    rec.comments = null;
    rec.flags = 0;
    const optStart = pos + 28 + ((caplen + 3) & ~3);
    if (optStart < pos + len - 4) this.packetOptions(view, buf, optStart, pos + len - 4);
    this.sink.onPacket(rec);
    this.packets++;
    return true;
  }

  /** opt_comment (several allowed) and epb_flags / pack_flags; other options are skipped. */
  private packetOptions(view: DataView, buf: Uint8Array, pos: number, end: number): void {
    const little = this.little;
    const rec = this.rec;
    while (end - pos >= 4) {
      const code = view.getUint16(pos, little);
      const olen = view.getUint16(pos + 2, little);
      if (code === OPT_ENDOFOPT || pos + 4 + olen > end) return;
      if (code === OPT_COMMENT) {
        const text = utf8.decode(buf.subarray(pos + 4, pos + 4 + olen));
        if (rec.comments === null) rec.comments = [text];
        else rec.comments.push(text);
      } else if (code === OPT_EPB_FLAGS && olen === 4) {
        rec.flags = view.getUint32(pos + 4, little);
      }
      pos += 4 + ((olen + 3) & ~3);
    }
  }

  private sectionHeader(view: DataView, buf: Uint8Array, pos: number, len: number, fileOffset: number): boolean {
    if (len < 28) {
      this.stop = { offset: fileOffset + pos, reason: `damaged section header block of ${bytesText(len)}` };
      return false;
    }
    const little = this.little;
    this.sectionIndex++;
    this.ifaces = [];
    const info = {
      index: this.sectionIndex,
      littleEndian: little,
      versionMajor: view.getUint16(pos + 12, little),
      versionMinor: view.getUint16(pos + 14, little),
      hardware: null as string | null,
      os: null as string | null,
      application: null as string | null,
      comments: [] as string[],
    };
    forEachOption(view, little, pos + 24, pos + len - 4, (code, start, olen) => {
      const text = () => utf8.decode(buf.subarray(start, start + olen));
      if (code === OPT_COMMENT) info.comments.push(text());
      else if (code === OPT_SHB_HARDWARE) info.hardware = text();
      else if (code === OPT_SHB_OS) info.os = text();
      else if (code === OPT_SHB_USERAPPL) info.application = text();
    });
    this.sink.onSection?.(info);
    return true;
  }

  private interfaceDescription(view: DataView, buf: Uint8Array, pos: number, len: number, fileOffset: number): boolean {
    if (len < 20) {
      this.stop = { offset: fileOffset + pos, reason: `damaged interface description block of ${bytesText(len)}` };
      return false;
    }
    const little = this.little;
    const info: InterfaceInfo = {
      id: this.nextGlobalIface++,
      section: this.sectionIndex,
      linkType: view.getUint16(pos + 8, little),
      snaplen: view.getUint32(pos + 12, little),
      tsUnitsPerSecond: 1e6,
      tsOffsetSeconds: 0,
      name: null,
      description: null,
      filter: null,
      os: null,
    };
    forEachOption(view, little, pos + 16, pos + len - 4, (code, start, olen) => {
      const text = () => utf8.decode(buf.subarray(start, start + olen));
      if (code === OPT_IF_NAME) info.name = text();
      else if (code === OPT_IF_DESCRIPTION) info.description = text();
      else if (code === OPT_IF_OS) info.os = text();
      else if (code === OPT_IF_TSRESOL && olen >= 1) info.tsUnitsPerSecond = unitsPerSecondFromTsresol(buf[start]!);
      else if (code === OPT_IF_TSOFFSET && olen === 8) info.tsOffsetSeconds = readInt64(view, start, little);
      // if_filter: the first byte says how the filter is encoded; 0 is a libpcap filter string.
      else if (code === OPT_IF_FILTER && olen >= 1 && buf[start] === 0) info.filter = utf8.decode(buf.subarray(start + 1, start + olen));
    });
    this.ifaces.push({ globalId: info.id, units: info.tsUnitsPerSecond, offset: info.tsOffsetSeconds, snaplen: info.snaplen });
    this.sink.onInterface?.(info);
    return true;
  }

  private interfaceStatistics(view: DataView, pos: number, len: number): boolean {
    const little = this.little;
    if (len < 24) return true;
    const iface = this.ifaces[view.getUint32(pos + 8, little)];
    if (iface === undefined || this.sink.onStatistics === undefined) return true;
    splitTimestamp(view.getUint32(pos + 12, little), view.getUint32(pos + 16, little), iface.units, this.ts);
    const stats = {
      iface: iface.globalId,
      tsSec: this.ts.sec + iface.offset,
      tsNsec: this.ts.nsec,
      received: null as number | null,
      droppedByInterface: null as number | null,
      droppedByOs: null as number | null,
      acceptedByFilter: null as number | null,
      delivered: null as number | null,
    };
    forEachOption(view, little, pos + 20, pos + len - 4, (code, start, olen) => {
      if (olen !== 8) return;
      const v = readUint64(view, start, little);
      if (code === OPT_ISB_IFRECV) stats.received = v;
      else if (code === OPT_ISB_IFDROP) stats.droppedByInterface = v;
      else if (code === OPT_ISB_FILTERACCEPT) stats.acceptedByFilter = v;
      else if (code === OPT_ISB_OSDROP) stats.droppedByOs = v;
      else if (code === OPT_ISB_USRDELIV) stats.delivered = v;
    });
    this.sink.onStatistics(stats);
    return true;
  }

  private nameResolution(view: DataView, buf: Uint8Array, pos: number, len: number): boolean {
    if (this.sink.onNameResolution === undefined) return true;
    const little = this.little;
    const entries: NameResolutionEntry[] = [];
    const end = pos + len - 4;
    let p = pos + 8;
    while (end - p >= 4) {
      const type = view.getUint16(p, little);
      const rlen = view.getUint16(p + 2, little);
      if (type === 0 || p + 4 + rlen > end) break;
      const addrLen = type === 1 ? 4 : type === 2 ? 16 : 0;
      if (addrLen > 0 && rlen > addrLen) {
        const a = buf.subarray(p + 4, p + 4 + addrLen);
        const address = addrLen === 4 ? Array.from(a).join('.') : ipv6Text(a);
        const names = utf8.decode(buf.subarray(p + 4 + addrLen, p + 4 + rlen)).split('\0').filter((n) => n.length > 0);
        entries.push({ address, names });
      }
      p += 4 + ((rlen + 3) & ~3);
    }
    this.sink.onNameResolution(entries);
    return true;
  }

  private decryptionSecrets(view: DataView, buf: Uint8Array, pos: number, len: number, fileOffset: number): boolean {
    const little = this.little;
    const secretsLen = len < 20 ? 0 : view.getUint32(pos + 12, little);
    if (len < 20 || secretsLen > len - 20) {
      this.stop = { offset: fileOffset + pos, reason: `damaged decryption secrets block: ${bytesText(secretsLen)} of secrets in a block of ${bytesText(len)}` };
      return false;
    }
    // A real copy, kept after the pass (Buffer#slice would be a view pinning the whole chunk).
    this.sink.onSecrets?.({ secretsType: view.getUint32(pos + 8, little), data: new Uint8Array(buf.subarray(pos + 16, pos + 16 + secretsLen)) });
    return true;
  }
}

/** Calls `fn` for every option in [pos, end) until opt_endofopt or the first option that overruns. */
export function forEachOption(
  view: DataView,
  little: boolean,
  pos: number,
  end: number,
  fn: (code: number, valueStart: number, valueLength: number) => void,
): void {
  while (end - pos >= 4) {
    const code = view.getUint16(pos, little);
    const olen = view.getUint16(pos + 2, little);
    if (code === OPT_ENDOFOPT || pos + 4 + olen > end) return;
    fn(code, pos + 4, olen);
    pos += 4 + ((olen + 3) & ~3);
  }
}

function readUint64(view: DataView, pos: number, little: boolean): number {
  const a = view.getUint32(pos, little);
  const b = view.getUint32(pos + 4, little);
  return little ? b * 4294967296 + a : a * 4294967296 + b;
}

function readInt64(view: DataView, pos: number, little: boolean): number {
  const hi = little ? view.getInt32(pos + 4, true) : view.getInt32(pos, false);
  const lo = little ? view.getUint32(pos, true) : view.getUint32(pos + 4, false);
  return hi * 4294967296 + lo;
}
