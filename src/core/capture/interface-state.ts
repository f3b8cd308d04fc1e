// What the OS says about an interface besides libpcap: up or down, MTU, its own packet counters.
// Linux keeps these in /sys/class/net/IF (libpcap reads its ps_ifdrop from the same place); elsewhere
// they are unknown (null).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

const IFF_UP = 0x1;

function sysfs(name: string, file: string): string | null {
  if (process.platform !== 'linux' || name.includes('/') || name === '.' || name === '..') return null;
  try {
    return readFileSync(`/sys/class/net/${name}/${file}`, 'latin1').trim();
  } catch {
    return null;
  }
}

function sysfsNumber(name: string, file: string): number | null {
  const text = sysfs(name, file);
  if (text === null || text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** Whether the interface is administratively up; null when the OS does not say. */
export function interfaceUp(name: string): boolean | null {
  const flags = sysfs(name, 'flags');
  if (flags !== null) return (Number.parseInt(flags, 16) & IFF_UP) !== 0;
  if (process.platform === 'linux') return null;
  return networkInterfaces()[name] !== undefined ? true : null;
}

/**
 * A test for "the interface has gone away", made when a capture starts: Linux kernel interfaces
 * only (libpcap's pseudo-devices such as 'any' have no sysfs entry and cannot go away); null when
 * the OS gives no cheap way to tell.
 */
export function goneCheck(name: string): (() => boolean) | null {
  if (process.platform !== 'linux' || name.includes('/') || name === '.' || name === '..') return null;
  const path = `/sys/class/net/${name}`;
  if (!existsSync(path)) return null;
  return () => !existsSync(path);
}

/** Whether a Linux kernel interface of that name exists now (null: cannot tell on this OS). */
export function kernelInterfaceExists(name: string): boolean | null {
  if (process.platform !== 'linux' || name.includes('/')) return null;
  return existsSync(`/sys/class/net/${name}`);
}

/** The interface's own counters (Linux): packets received and dropped before any capture filter. */
export interface InterfaceCounters {
  received: number;
  /** What libpcap's Linux ps_ifdrop counts: rx_missed_errors + rx_fifo_errors (the hardware's drops). */
  dropped: number;
}

export function interfaceCounters(name: string): InterfaceCounters | null {
  const received = sysfsNumber(name, 'statistics/rx_packets');
  if (received === null) return null;
  // Not rx_dropped: it also counts the stack's own discards (unknown protocols, a full backlog),
  // which libpcap (linux_if_drops, pcap-linux.c) leaves out too.
  const missed = sysfsNumber(name, 'statistics/rx_missed_errors') ?? 0;
  const fifo = sysfsNumber(name, 'statistics/rx_fifo_errors') ?? 0;
  return { received, dropped: missed + fifo };
}

/** Cumulative traffic of one interface, both directions: what the capture dialog's sparklines plot. */
export interface TrafficCounters {
  name: string;
  packets: number;
  bytes: number;
}

function readCounter(dir: string, file: string): number | null {
  try {
    const n = Number(readFileSync(`${dir}/statistics/${file}`, 'latin1').trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/**
 * rx + tx packets and bytes of every kernel interface (Linux: /sys/class/net/IF/statistics), sorted
 * by name. Elsewhere the OS has no cheap equivalent: an empty list, never made-up numbers.
 * On loopback a packet is counted twice (sent and received), as the kernel counts it.
 */
export function trafficCounters(platform: NodeJS.Platform = process.platform, sysClassNet = '/sys/class/net'): TrafficCounters[] {
  if (platform !== 'linux') return [];
  let names: string[];
  try {
    names = readdirSync(sysClassNet);
  } catch {
    return [];
  }
  const out: TrafficCounters[] = [];
  for (const name of names.sort()) {
    const dir = `${sysClassNet}/${name}`;
    const rxPackets = readCounter(dir, 'rx_packets');
    const txPackets = readCounter(dir, 'tx_packets');
    if (rxPackets === null || txPackets === null) continue;
    out.push({ name, packets: rxPackets + txPackets, bytes: (readCounter(dir, 'rx_bytes') ?? 0) + (readCounter(dir, 'tx_bytes') ?? 0) });
  }
  return out;
}
