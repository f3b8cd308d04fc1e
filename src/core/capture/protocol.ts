// The messages between the engine (or the CLI) and the capture process, and the shapes both share.

/** What the capture process is asked to do. */
export interface CaptureRequest {
  /** Interface name as libpcap knows it ('lo', 'eth0', 'any', '\\Device\\NPF_{…}'). */
  interface: string;
  /** BPF capture filter ('' for none). */
  filter: string;
  /** Bytes kept of each packet: libpcap's snap length (1 to 262,144, libpcap's maximum). */
  snaplen: number;
  /** Whether libpcap puts the interface in promiscuous mode. */
  promiscuous: boolean;
  stopAfterPackets: number | null;
  stopAfterSeconds: number | null;
  /** Stop when the file reaches this many bytes. */
  stopAfterBytes: number | null;
  /** The pcapng file to write. */
  path: string;
  /** Replace an existing file (the CLI's --overwrite); otherwise an existing file is an error. */
  overwrite: boolean;
  /** libpcap buffer in bytes; null picks one from the interface's MTU. */
  bufferSize: number | null;
}

export interface CaptureStats {
  /** Packets libpcap delivered to the capture process (after the capture filter). */
  received: number;
  /** Packets written to the file. */
  written: number;
  /** Size of the file in bytes, blocks not yet flushed included. */
  bytesWritten: number;
  /** Bytes of whole blocks already in the file (a block boundary). */
  bytesCommitted: number;
  /**
   * Packets the kernel dropped because the capture buffer was full (pcap_stats ps_drop), or null
   * when libpcap could not say (pcap_stats failed, or `cap` was built without our patch): unknown,
   * which is not the same as 0. On Linux loopback the packet socket sees each packet twice (sent and
   * received), so a packet lost there may count twice, as it does for tcpdump.
   */
  droppedByKernel: number | null;
  /**
   * Packets the interface dropped since the start (pcap_stats ps_ifdrop). libpcap measures it only
   * on Linux, from /sys/class/net/IF/statistics and only in promiscuous mode; without promiscuous
   * mode the same counters are read directly. Null where there are none (other systems report a
   * constant 0; Linux pseudo-devices such as 'any').
   */
  droppedByInterface: number | null;
  /** Packets the interface received since the start, before any filter (Linux sysfs), or null. */
  interfaceReceived: number | null;
  /** Seconds since the capture started. */
  seconds: number;
  /** CPU seconds the capture process used (user + system). */
  cpuSeconds: number;
}

/** Why a capture ended. */
export type CaptureEndReason =
  | 'failed' // it never started (the failure says why)
  | 'stopped' // asked to (stop message, SIGINT, SIGTERM)
  | 'packet-count'
  | 'duration'
  | 'file-size'
  | 'parent-gone' // the engine or CLI that started it went away
  | 'interface-gone'
  | 'disk-full'
  | 'write-error'
  | 'crashed' // the capture process ended without saying why
  | 'killed'; // the capture process was killed by a signal

/** Failure kinds with their own explanation (see errors.ts). */
export type CaptureErrorCode =
  | 'permission'
  | 'no-such-device'
  | 'device-down'
  | 'bad-filter'
  | 'library-missing'
  | 'file-exists'
  | 'disk-full'
  | 'file-error'
  | 'bad-request'
  | 'failed';

export interface CaptureFailure {
  code: CaptureErrorCode;
  /** What went wrong, in one sentence naming the interface, filter or file. */
  reason: string;
  /** How to fix it on this platform, or null when there is nothing the user can change. */
  fix: string | null;
  /** libpcap's or the OS's own words. */
  detail: string | null;
}

export interface InterfaceInfo {
  name: string;
  description: string;
  addresses: string[];
  loopback: boolean;
  up: boolean;
}

/** Capture process → parent. */
export type CaptureMessage =
  | {
      type: 'started';
      interface: string;
      filter: string;
      path: string;
      linkType: number;
      snaplen: number;
      bufferSize: number;
      pid: number;
      /** Options that could not be honoured, said plainly (e.g. promiscuous mode forced on). */
      warnings: string[];
    }
  | { type: 'stats'; stats: CaptureStats }
  | { type: 'ended'; reason: CaptureEndReason; message: string | null; stats: CaptureStats }
  | { type: 'failed'; failure: CaptureFailure; stats: CaptureStats | null };

/** Parent → capture process. */
export type CaptureCommand = { type: 'stop' };

export function emptyStats(): CaptureStats {
  return {
    received: 0,
    written: 0,
    bytesWritten: 0,
    bytesCommitted: 0,
    droppedByKernel: null,
    droppedByInterface: null,
    interfaceReceived: null,
    seconds: 0,
    cpuSeconds: 0,
  };
}

/**
 * The snap length of a `cap` built without our patch (patches/cap+0.2.1.patch), which hard-codes it;
 * such a build also passes no wire length, always enables promiscuous mode and has no stats().
 */
export const CAP_SNAPLEN = 65535;

/** libpcap's MAXIMUM_SNAPLEN: larger snap lengths are reduced to it. */
export const MAX_SNAPLEN = 262_144;

/**
 * The if_tsresol of the interface we write: nanoseconds, libpcap's finest (a microsecond timestamp
 * is written exactly in these units too; the section header's comment says which precision it had).
 */
export const CAPTURE_TSRESOL = 9;
