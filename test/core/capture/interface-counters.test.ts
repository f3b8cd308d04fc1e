// The capture dialog's traffic sparklines read each interface's cumulative counters through the
// engine's interfaceCounters: Linux from /sys/class/net/IF/statistics, elsewhere nothing at all.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trafficCounters } from '../../../src/core/capture/interface-state';
import { EngineService } from '../../../src/core/service/engine-service';
import { validateArg } from '../../../src/shared/validate';
import { udpPackets } from './helpers';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const linux = process.platform === 'linux';

describe('interface counters', () => {
  it.runIf(linux)('counts UDP datagrams sent to 127.0.0.1 on lo, both ways', async () => {
    const engine = new EngineService();
    const lo = async () => (await engine.interfaceCounters({})).find((c) => c.name === 'lo');
    const before = await lo();
    expect(before).toBeDefined();
    const n = 200;
    const minPayload = 'packet 0'.length; // udpPackets sends `packet ${i}`
    await udpPackets(47_999, n, 0);
    const after = await lo();
    // A loopback packet is sent and received: the kernel counts it in tx and in rx. Other traffic
    // on lo (other tests, the system) can only add to that.
    expect(after!.packets - before!.packets).toBeGreaterThanOrEqual(2 * n);
    // Each frame carries at least the payload, UDP, IPv4 and the loopback's Ethernet header.
    expect(after!.bytes - before!.bytes).toBeGreaterThanOrEqual(2 * n * (minPayload + 8 + 20 + 14));
  });

  it('reads rx + tx of every interface from a sysfs tree, sorted, skipping entries without counters', () => {
    const root = mkdtempSync(join(tmpdir(), 'wireladder-sysfs-'));
    dirs.push(root);
    const iface = (name: string, stats: Record<string, number> | null): void => {
      mkdirSync(join(root, name, 'statistics'), { recursive: true });
      for (const [file, value] of Object.entries(stats ?? {})) writeFileSync(join(root, name, 'statistics', file), `${value}\n`);
    };
    iface('wlan0', { rx_packets: 10, tx_packets: 5, rx_bytes: 1000, tx_bytes: 400 });
    iface('eth0', { rx_packets: 1, tx_packets: 2, rx_bytes: 60, tx_bytes: 120 });
    iface('bonding_masters', null);
    expect(trafficCounters('linux', root)).toEqual([
      { name: 'eth0', packets: 3, bytes: 180 },
      { name: 'wlan0', packets: 15, bytes: 1400 },
    ]);
  });

  it('is an empty list where the OS keeps no such counters (no sparklines, no made-up zeros)', () => {
    expect(trafficCounters('darwin')).toEqual([]);
    expect(trafficCounters('win32')).toEqual([]);
    expect(trafficCounters('linux', join(tmpdir(), 'wireladder-no-such-sysfs'))).toEqual([]);
  });

  it('takes no arguments over the RPC seam', () => {
    expect(validateArg('interfaceCounters', {})).toEqual({});
    expect(() => validateArg('interfaceCounters', { name: 'lo' })).toThrow('interfaceCounters.name is not expected');
  });
});
