// What `cap` says about the link layer, turned into pcapng LINKTYPE numbers, and the wire length of
// packets an unpatched `cap` cut at its fixed 65,535-byte snap length.

import { CAP_SNAPLEN } from './protocol';

/** LINKTYPE_* values (tcpdump.org/linktypes.html) for the names `cap`'s open() returns. */
const BY_NAME: Record<string, number> = {
  NULL: 0,
  ETHERNET: 1,
  IEEE802_11_RADIO: 127,
  LINKTYPE_LINUX_SLL: 113,
  RAW: 101,
};

/**
 * `cap` returns a name for five link types and "Unknown linktype N" (N a DLT_ value) otherwise.
 * DLT and LINKTYPE values agree except for a few historical ones (pcap/dlt.h, pcap-common.c).
 */
export function linkTypeFromCap(name: string): number {
  const known = BY_NAME[name];
  if (known !== undefined) return known;
  const m = /(\d+)\s*$/.exec(name);
  if (m === null) return -1;
  const dlt = Number(m[1]);
  if (dlt === 12 || dlt === 14) return 101; // DLT_RAW differs between BSDs; LINKTYPE_RAW is 101
  if (dlt === 11) return 100; // DLT_ATM_RFC1483
  if (dlt === 15) return 102; // DLT_SLIP_BSDOS
  if (dlt === 16) return 103; // DLT_PPP_BSDOS
  return dlt;
}

/**
 * The length on the wire of a packet `cap` delivered with `caplen` bytes, for a `cap` built without
 * our patch (which passes the wire length itself): such a build passes only the captured length, so
 * a packet cut at its 65,535-byte snap length (loopback carries 64 KiB segments) gets its real length
 * from its IP header; anything else was captured whole.
 */
export function wireLength(linkType: number, buf: Uint8Array, caplen: number): number {
  if (caplen < CAP_SNAPLEN) return caplen;
  let ip: number;
  if (linkType === 1) {
    ip = 14;
    let type = (buf[12]! << 8) | buf[13]!;
    // 802.1Q / 802.1ad tags before the IP header.
    while ((type === 0x8100 || type === 0x88a8) && ip + 4 <= caplen) {
      type = (buf[ip + 2]! << 8) | buf[ip + 3]!;
      ip += 4;
    }
    if (type !== 0x0800 && type !== 0x86dd) return caplen;
  } else if (linkType === 113) ip = 16;
  else if (linkType === 101) ip = 0;
  else if (linkType === 0) ip = 4;
  else return caplen;
  if (ip + 40 > caplen) return caplen;
  const version = buf[ip]! >> 4;
  let total: number;
  if (version === 4) total = (buf[ip + 2]! << 8) | buf[ip + 3]!;
  else if (version === 6) total = 40 + ((buf[ip + 4]! << 8) | buf[ip + 5]!);
  else return caplen;
  // A zero length (IPv4 with TSO, IPv6 jumbograms) or one shorter than what we hold says nothing.
  return ip + total > caplen ? ip + total : caplen;
}
