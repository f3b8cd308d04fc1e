// Capture failures in plain words: what libpcap or the OS said, turned into the reason and the fix
// for this platform. Never "run the app as root": the capture helper gets the least privilege that works.

import { dirname } from 'node:path';
import type { CaptureErrorCode, CaptureFailure } from './protocol';

export class CaptureError extends Error {
  override name = 'CaptureError';
  readonly code: CaptureErrorCode;
  readonly reason: string;
  readonly fix: string | null;
  readonly detail: string | null;

  constructor(f: CaptureFailure) {
    super(f.fix === null ? f.reason : `${f.reason}\n${f.fix}`);
    this.code = f.code;
    this.reason = f.reason;
    this.fix = f.fix;
    this.detail = f.detail;
  }

  toFailure(): CaptureFailure {
    return { code: this.code, reason: this.reason, fix: this.fix, detail: this.detail };
  }
}

/**
 * How to let `helper` (the dedicated capture helper executable, wireladder-capture) open capture
 * devices, platform by platform, the way Wireshark's dumpcap is set up. Only ever the helper:
 * capabilities on Node.js or on the app would reach every program they run.
 */
export function permissionFix(platform: NodeJS.Platform, helper: string): string {
  if (platform === 'linux') {
    const p = shellQuote(helper);
    const dir = shellQuote(dirname(helper));
    return [
      `Only WireLadder's capture helper needs capture rights: grant them to it alone (never to node, nor to the app), as Wireshark does for dumpcap.`,
      'Let members of a capture group capture (log out and in again after joining it):',
      `  sudo groupadd -f wireshark && sudo usermod -aG wireshark "$USER" && sudo chown -R root:wireshark ${dir} && sudo chmod 750 ${p} && sudo setcap cap_net_raw,cap_net_admin=eip ${p}`,
      'or let every user of this machine capture:',
      `  sudo chown -R root:root ${dir} && sudo setcap cap_net_raw,cap_net_admin=eip ${p}`,
      `(${dir} becomes root's so that no one can replace the helper or the capture library beside it; rebuilding it needs sudo from then on.)`,
    ].join('\n');
  }
  if (platform === 'darwin') {
    return [
      'On macOS, capture reads the /dev/bpf* devices, which only root may open by default.',
      "Install Wireshark's ChmodBPF (\"Install ChmodBPF.pkg\" in the Wireshark disk image): at boot it gives the access_bpf group read/write access to /dev/bpf*. Then add yourself to that group:",
      '  sudo dseditgroup -o edit -a "$USER" -t user access_bpf',
      'and log out and in again.',
    ].join('\n');
  }
  if (platform === 'win32') return npcapFix();
  return `Give the capture helper ${helper} permission to open packet capture devices (see your system's libpcap documentation).`;
}

export function npcapFix(): string {
  return [
    'Packet capture on Windows needs Npcap (https://npcap.com): install it with "WinPcap API-compatible Mode" enabled.',
    'If it was installed with "Restrict Npcap driver\'s access to Administrators only", reinstall it without that option.',
  ].join('\n');
}

/** The capture library itself could not be loaded (no libpcap, no Npcap, or a build for another runtime). */
export function libraryMissing(platform: NodeJS.Platform, detail: string): CaptureFailure {
  let fix: string;
  if (platform === 'win32') fix = npcapFix();
  else if (platform === 'linux') fix = 'Install libpcap (Debian/Ubuntu: sudo apt-get install libpcap0.8; Fedora: sudo dnf install libpcap) and reinstall WireLadder so its capture module is rebuilt.';
  else if (platform === 'darwin') fix = 'libpcap ships with macOS; reinstall WireLadder so its capture module is rebuilt for this system.';
  else fix = 'Install libpcap and reinstall WireLadder so its capture module is rebuilt.';
  return { code: 'library-missing', reason: 'the packet capture library could not be loaded', fix, detail };
}

const PERMISSION = /permission|not permitted|EPERM|EACCES|CAP_NET_RAW|Access is denied|access denied/i;
const NO_DEVICE = /no such device|doesn't exist|does not exist|No such file or directory|PacketOpenAdapter|Error opening adapter|not found/i;
const DOWN = /not up|is down|network is down|ENETDOWN/i;
/** Errors that come from opening the device, not from compiling the filter. */
const DEVICE_ERROR = new RegExp(`${PERMISSION.source}|${NO_DEVICE.source}|${DOWN.source}|SIOC|ioctl|BIOC|/dev/bpf|socket:|npcap|wpcap`, 'i');

export function looksLikeDeviceError(message: string): boolean {
  return DEVICE_ERROR.test(message);
}

export interface OpenErrorContext {
  interface: string;
  platform: NodeJS.Platform;
  /** The dedicated capture helper executable (the one program a permission fix may name). */
  program: string;
  /** Interface names that do exist, for "no such interface". */
  available: () => string[];
}

/** A failure to open `ctx.interface` (libpcap's message in `message`). */
export function deviceFailure(message: string, ctx: OpenErrorContext): CaptureFailure {
  const name = ctx.interface;
  const detail = message;
  if (PERMISSION.test(message)) {
    const what = ctx.platform === 'darwin' ? `cannot open a /dev/bpf device to capture on '${name}'` : `no permission to capture on '${name}'`;
    return { code: 'permission', reason: `${what} (${message})`, fix: permissionFix(ctx.platform, ctx.program), detail };
  }
  if (NO_DEVICE.test(message)) {
    let names: string[] = [];
    try {
      names = ctx.available();
    } catch {
      // Listing may fail for the same reason opening did; the reason alone is still right.
    }
    const list = names.length > 0 ? `Interfaces on this machine: ${names.join(', ')}.` : null;
    return {
      code: 'no-such-device',
      reason: `interface '${name}' does not exist`,
      fix: list === null ? "List the interfaces with 'wireladder capture -D'." : `${list} (wireladder capture -D lists them with their addresses.)`,
      detail,
    };
  }
  if (DOWN.test(message)) {
    const fix = ctx.platform === 'linux' ? `Bring it up first (sudo ip link set ${shellQuote(name)} up) or pick another interface.` : 'Bring it up first or pick another interface.';
    return { code: 'device-down', reason: `interface '${name}' is down`, fix, detail };
  }
  return { code: 'failed', reason: `cannot capture on '${name}': ${message}`, fix: null, detail };
}

/** A capture filter libpcap refused ("capture filter 'tcp port' is invalid: syntax error"). */
export function filterFailure(filter: string, message: string): CaptureFailure {
  const why = message.replace(/^can't parse filter expression:\s*/i, '').trim();
  return {
    code: 'bad-filter',
    reason: `capture filter '${filter}' is invalid: ${why}`,
    fix: 'Capture filters use the BPF syntax of tcpdump (pcap-filter(7)), e.g. "tcp port 443" or "host 10.0.0.1 and udp" — not Wireshark display filters.',
    detail: message,
  };
}

/** A failure writing the capture file. */
export function fileFailure(path: string, err: NodeJS.ErrnoException, packets: number): CaptureFailure {
  const code = err.code ?? '';
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') {
    const what = code === 'EDQUOT' ? 'the disk quota is exhausted' : code === 'EFBIG' ? 'the file is as large as this file system allows' : 'the disk is full';
    return {
      code: 'disk-full',
      reason: `${what}: the capture stopped after ${packets.toLocaleString('en-US')} packets; ${path} holds every packet up to the last one written`,
      fix: 'Free some space or capture to another disk (or set a file size limit).',
      detail: err.message,
    };
  }
  if (code === 'EEXIST') {
    return { code: 'file-exists', reason: `${path} already exists`, fix: 'Choose another file name (the CLI replaces a file only with --overwrite).', detail: err.message };
  }
  return { code: 'file-error', reason: `cannot write ${path}: ${err.message}`, fix: null, detail: err.message };
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
