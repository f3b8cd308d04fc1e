// What the OS says about an interface besides libpcap: up or down, MTU, its own packet counters.
// Linux keeps these in /sys/class/net/IF (libpcap reads its ps_ifdrop from the same place); elsewhere
// they are unknown (null).

import { existsSync, readFileSync } from 'node:fs';
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
  dropped: number;
}

export function interfaceCounters(name: string): InterfaceCounters | null {
  const received = sysfsNumber(name, 'statistics/rx_packets');
  const dropped = sysfsNumber(name, 'statistics/rx_dropped');
  if (received === null || dropped === null) return null;
  // libpcap's Linux ps_ifdrop also counts FIFO overruns and missed frames.
  const fifo = sysfsNumber(name, 'statistics/rx_fifo_errors') ?? 0;
  const missed = sysfsNumber(name, 'statistics/rx_missed_errors') ?? 0;
  return { received, dropped: dropped + fifo + missed };
}
