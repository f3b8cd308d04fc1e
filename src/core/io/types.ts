// The shapes a capture reader hands to its consumer: one reused packet record, interfaces, secrets.

/** Capture file formats WireLadder reads. */
export type CaptureFormat = 'pcap' | 'pcapng';

/**
 * One packet record. Readers fill a single instance again and again (no per-packet objects);
 * a consumer that needs the bytes later copies them or remembers `dataFileOffset`.
 */
export interface PacketRecord {
  /** Buffer holding the packet bytes (usually a whole read chunk). */
  data: Uint8Array;
  /** Where the packet bytes start inside `data`. */
  dataOffset: number;
  /** Captured length (bytes present in the file). */
  caplen: number;
  /** Length on the wire (may exceed caplen when the capture was truncated by a snaplen). */
  wirelen: number;
  /** Whole seconds since the Unix epoch. */
  tsSec: number;
  /** Nanoseconds within the second, 0..999,999,999. */
  tsNsec: number;
  /** Interface number, unique across all sections of the file. */
  iface: number;
  /** Offset of the packet bytes in the (decompressed) file, for random access later. */
  dataFileOffset: number;
  /** pcapng opt_comment values, or null when there are none. */
  comments: string[] | null;
  /** pcapng epb_flags (direction, reception type, FCS length, errors), 0 when absent. */
  flags: number;
}

export interface InterfaceInfo {
  /** Interface number, unique across sections. */
  id: number;
  /** pcapng section the interface belongs to (0 for classic pcap). */
  section: number;
  linkType: number;
  snaplen: number;
  /** Units of the timestamp per second (if_tsresol), e.g. 1e6 or 1e9. */
  tsUnitsPerSecond: number;
  /** Seconds added to every timestamp (if_tsoffset). */
  tsOffsetSeconds: number;
  name: string | null;
  description: string | null;
  filter: string | null;
  os: string | null;
}

/** A pcapng Decryption Secrets Block (for TLS: the NSS key log text, type 0x544c534b). */
export interface DecryptionSecrets {
  secretsType: number;
  data: Uint8Array;
}

/** Per-interface statistics from a pcapng Interface Statistics Block. */
export interface InterfaceStatistics {
  iface: number;
  tsSec: number;
  tsNsec: number;
  received: number | null;
  droppedByInterface: number | null;
  droppedByOs: number | null;
  acceptedByFilter: number | null;
  delivered: number | null;
}

export interface NameResolutionEntry {
  address: string;
  names: string[];
}

/** Section header metadata (pcapng SHB, or a synthetic one for pcap). */
export interface SectionInfo {
  index: number;
  littleEndian: boolean;
  versionMajor: number;
  versionMinor: number;
  hardware: string | null;
  os: string | null;
  application: string | null;
  comments: string[];
}

/** Where and why a reader stopped before the end of the file. */
export interface StopReason {
  /** Byte offset in the (decompressed) file of the damaged or truncated record. */
  offset: number;
  reason: string;
}

/** The consumer of a capture reader. Only `onPacket` is on the hot path. */
export interface CaptureSink {
  onPacket(rec: PacketRecord): void;
  /**
   * The buffer to read the next chunk into (`size` bytes), when the sink wants to choose it (a
   * parallel pass reads into shared buffers its threads see); absent or null: the reader's own.
   */
  readonly takeBuffer?: ((size: number) => Promise<Uint8Array>) | null;
  onInterface?(iface: InterfaceInfo): void;
  onSection?(section: SectionInfo): void;
  onSecrets?(secrets: DecryptionSecrets): void;
  onStatistics?(stats: InterfaceStatistics): void;
  onNameResolution?(entries: NameResolutionEntry[]): void;
}

/** pcapng secrets type for a TLS key log (RFC draft-ietf-opsawg-pcapng §4.7: 'TLSK'). */
export const SECRETS_TLS_KEY_LOG = 0x544c534b;
