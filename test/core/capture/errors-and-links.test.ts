// What libpcap says, in plain words with the fix for the platform; link types and wire lengths of
// what `cap` delivers.

import { describe, expect, it } from 'vitest';
import { deviceFailure, filterFailure, fileFailure, permissionFix } from '../../../src/core/capture/errors';
import { linkTypeFromCap, wireLength } from '../../../src/core/capture/link';

const helper = '/opt/WireLadder/resources/capture-helper/wireladder-capture';
const ctx = (platform: NodeJS.Platform) => ({ interface: 'eth0', platform, program: helper, available: () => ['eth0', 'lo'] });

describe('capture errors', () => {
  it('explains a permission failure with the platform fix, never "run as root"', () => {
    const linux = deviceFailure('socket: Operation not permitted', ctx('linux'));
    expect(linux.code).toBe('permission');
    expect(linux.reason).toBe("no permission to capture on 'eth0' (socket: Operation not permitted)");
    // The dedicated helper alone: never Node.js (every Node program would get the capability) nor the app.
    expect(linux.fix).toContain(`sudo setcap cap_net_raw,cap_net_admin=eip ${helper}`);
    expect(linux.fix).toContain(`sudo chown -R root:wireshark /opt/WireLadder/resources/capture-helper && sudo chmod 750 ${helper}`);
    // Every file the fix touches is the helper or its directory.
    for (const path of linux.fix!.match(/\/[\w./-]+/g) ?? []) expect(path.startsWith('/opt/WireLadder/resources/capture-helper')).toBe(true);
    const mac = deviceFailure('(cannot open BPF device) /dev/bpf0: Permission denied', ctx('darwin'));
    expect(mac.reason).toMatch(/^cannot open a \/dev\/bpf device to capture on 'eth0'/);
    expect(mac.fix).toContain('ChmodBPF');
    expect(mac.fix).toContain('access_bpf');
    expect(permissionFix('win32', 'x')).toContain('Npcap');
    for (const p of ['linux', 'darwin', 'win32'] as const) expect(permissionFix(p, '/x')).not.toMatch(/as root|sudo (wireladder|npm|electron)/i);
  });

  it('names a missing or down interface', () => {
    expect(deviceFailure('No such device exists', ctx('linux'))).toMatchObject({ code: 'no-such-device', reason: "interface 'eth0' does not exist" });
    expect(deviceFailure('No such device exists', ctx('linux')).fix).toContain('eth0, lo');
    expect(deviceFailure('That device is not up', ctx('linux'))).toMatchObject({ code: 'device-down', reason: "interface 'eth0' is down" });
  });

  it('quotes the filter and libpcap\'s reason', () => {
    expect(filterFailure('tcp port', "can't parse filter expression: syntax error").reason).toBe("capture filter 'tcp port' is invalid: syntax error");
    expect(filterFailure('tcp port 99999', 'illegal port number 99999 > 65535').reason).toBe("capture filter 'tcp port 99999' is invalid: illegal port number 99999 > 65535");
  });

  it('says the disk is full and that the file is kept', () => {
    const f = fileFailure('/tmp/x.pcapng', Object.assign(new Error('no space'), { code: 'ENOSPC' }), 1234);
    expect(f.code).toBe('disk-full');
    expect(f.reason).toBe('the disk is full: the capture stopped after 1,234 packets; /tmp/x.pcapng holds every packet up to the last one written');
  });
});

describe('link layer', () => {
  it('maps the names cap returns to LINKTYPE values', () => {
    expect(linkTypeFromCap('ETHERNET')).toBe(1);
    expect(linkTypeFromCap('LINKTYPE_LINUX_SLL')).toBe(113);
    expect(linkTypeFromCap('RAW')).toBe(101);
    expect(linkTypeFromCap('Unknown linktype 276')).toBe(276);
    expect(linkTypeFromCap('Unknown linktype 12')).toBe(101);
  });

  it('recovers the wire length of a packet cut at 65,535 bytes from its IP header', () => {
    const frame = new Uint8Array(65535);
    frame[12] = 0x08; // IPv4
    frame[14] = 0x45;
    frame[16] = 0xff; // total length 65,535 + 14 bytes of Ethernet header
    frame[17] = 0xff;
    expect(wireLength(1, frame, 65535)).toBe(65549);
    expect(wireLength(1, frame, 1000)).toBe(1000);
    frame[12] = 0x86; // not IP: nothing to say
    frame[13] = 0x06;
    expect(wireLength(1, frame, 65535)).toBe(65535);
  });
});
