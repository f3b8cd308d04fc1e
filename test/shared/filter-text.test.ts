// The texts the context menus produce, as Wireshark 4.0 writes them: Apply/Prepare as Filter
// combinations (main_window_slots.cpp), conversation filters (packet-ip.c, packet-tcp.c,
// packet-udp.c *_build_filter), packet list cell filters (column-utils.c col_expr), and the Copy
// formats (ui/qt/utils/data_printer.cpp). Every filter text here also compiles in our engine.

import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/core/engine/analyzer';
import { compileFilter, isFilterError } from '../../src/core/filter/compile';
import {
  cellFilter,
  combineFilter,
  conversationFilter,
  escapedString,
  filterActions,
  followFilter,
  hexDump,
  hexStream,
  printableText,
  summaryText,
  type CellColumn,
} from '../../src/shared/filter-text';
import { rows } from '../fixtures/ui';

const registry = new Analyzer().registry;
const compiles = (text: string): void => {
  const r = compileFilter(text, registry);
  expect(isFilterError(r) ? `${text}: ${r.error}` : 'compiles').toBe('compiles');
};

describe('Apply/Prepare as Filter combinations', () => {
  it('writes each action as Wireshark does, with and without a filter in force', () => {
    const sel = 'tcp.srcport == 60750';
    const withCurrent = filterActions.map(({ action }) => combineFilter(' ip.src == 127.0.0.1 ', sel, action));
    expect(withCurrent).toEqual([
      'tcp.srcport == 60750',
      '!(tcp.srcport == 60750)',
      '(ip.src == 127.0.0.1) && (tcp.srcport == 60750)',
      '(ip.src == 127.0.0.1) || (tcp.srcport == 60750)',
      '(ip.src == 127.0.0.1) && !(tcp.srcport == 60750)',
      '(ip.src == 127.0.0.1) || !(tcp.srcport == 60750)',
    ]);
    // With an empty box the "…and/or" forms are just the selection (or its negation).
    expect(filterActions.map(({ action }) => combineFilter('', sel, action))).toEqual([sel, `!(${sel})`, sel, sel, `!(${sel})`, `!(${sel})`]);
    withCurrent.forEach(compiles);
    expect(filterActions.map((a) => a.label)).toEqual(['Selected', 'Not Selected', '…and Selected', '…or Selected', '…and not Selected', '…or not Selected']);
  });
});

describe('Conversation Filter and Follow', () => {
  const tcpRow = { addressField: 'ip', source: '10.0.0.1', destination: '10.0.0.2', transport: 'tcp', srcPort: 51000, dstPort: 443 } as const;
  it('IPv4 and TCP for a TCP packet: the packet’s own source first', () => {
    expect(conversationFilter('ipv4', tcpRow)).toBe('ip.addr eq 10.0.0.1 and ip.addr eq 10.0.0.2');
    expect(conversationFilter('tcp', tcpRow)).toBe('(ip.addr eq 10.0.0.1 and ip.addr eq 10.0.0.2) and (tcp.port eq 51000 and tcp.port eq 443)');
    expect(conversationFilter('udp', tcpRow)).toBeNull();
    expect(conversationFilter('ipv6', tcpRow)).toBeNull();
    compiles(conversationFilter('tcp', tcpRow)!);
  });

  it('IPv6 and UDP; nothing for a packet without IP', () => {
    const udp6 = { addressField: 'ipv6', source: '2001:db8::1', destination: '2001:db8::2', transport: 'udp', srcPort: 5353, dstPort: 53 } as const;
    expect(conversationFilter('ipv6', udp6)).toBe('ipv6.addr eq 2001:db8::1 and ipv6.addr eq 2001:db8::2');
    expect(conversationFilter('udp', udp6)).toBe('(ipv6.addr eq 2001:db8::1 and ipv6.addr eq 2001:db8::2) and (udp.port eq 5353 and udp.port eq 53)');
    expect(conversationFilter('ipv4', udp6)).toBeNull();
    compiles(conversationFilter('udp', udp6)!);
    const arp = { addressField: 'eth', source: '00:11:22:33:44:55', destination: 'ff:ff:ff:ff:ff:ff', transport: '', srcPort: 0, dstPort: 0 } as const;
    for (const kind of ['ipv4', 'ipv6', 'tcp', 'udp'] as const) expect(conversationFilter(kind, arp)).toBeNull();
  });

  it('Follow applies tcp.stream eq N / udp.stream eq N', () => {
    expect(followFilter('TCP', 3)).toBe('tcp.stream eq 3');
    expect(followFilter('UDP', 0)).toBe('udp.stream eq 0');
    compiles(followFilter('UDP', 0));
  });
});

describe('a packet list cell’s filter', () => {
  const row = { ...rows[3]!, addressField: 'ip' as const };
  const col = (kind: CellColumn['kind'], extra: Partial<CellColumn> = {}): CellColumn => ({ kind, ...extra });

  it('No., Source, Destination, Length; none for Protocol and Info', () => {
    expect(cellFilter(col('number'), row, '4')).toBe('frame.number == 4');
    expect(cellFilter(col('source'), row, row.source)).toBe('ip.src == 127.0.0.1');
    expect(cellFilter(col('destination'), { ...row, addressField: 'ipv6', destination: '::1' }, '::1')).toBe('ipv6.dst == ::1');
    expect(cellFilter(col('source'), { ...row, addressField: 'eth', source: '00:11:22:33:44:55' }, '')).toBe('eth.src == 00:11:22:33:44:55');
    expect(cellFilter(col('length'), row, '192')).toBe('frame.len == 192');
    expect(cellFilter(col('protocol'), row, 'TLSv1')).toBeNull();
    expect(cellFilter(col('info'), row, 'Client Hello')).toBeNull();
  });

  it('Time filters on the field of the format shown, with the text shown; none on a *REF* row', () => {
    expect(cellFilter(col('time', { timeFormat: 'relative' }), row, '0.001456')).toBe('frame.time_relative == 0.001456');
    expect(cellFilter(col('time', { timeFormat: 'delta' }), row, '0.001424')).toBe('frame.time_delta == 0.001424');
    expect(cellFilter(col('time', { timeFormat: 'delta-displayed' }), row, '0.001424')).toBe('frame.time_delta_displayed == 0.001424');
    expect(cellFilter(col('time', { timeFormat: 'epoch' }), row, '1795391114.298599')).toBe('frame.time_epoch == 1795391114.298599');
    expect(cellFilter(col('time', { timeFormat: 'utc-date-time' }), row, '2026-11-22 23:45:14.298599')).toBe('frame.time == "2026-11-22 23:45:14.298599"');
    expect(cellFilter(col('time', { timeFormat: 'relative' }), { ...row, timeRef: true }, '*REF*')).toBeNull();
    for (const f of ['frame.time_relative == 0.001456', 'frame.time_epoch == 1795391114.298599', 'frame.time == "2026-11-22 23:45:14.298599"']) compiles(f);
  });

  it('custom columns: the first value; strings quoted and escaped; a protocol column is the protocol', () => {
    expect(cellFilter(col('field', { field: 'tcp.srcport' }), row, '60750')).toBe('tcp.srcport == 60750');
    expect(cellFilter(col('field', { field: 'tls.handshake.type' }), row, '1,2')).toBe('tls.handshake.type == 1');
    expect(cellFilter(col('field', { field: 'http.user_agent', isString: true }), row, 'say "hi" \\o/')).toBe('http.user_agent == "say \\"hi\\" \\\\o/"');
    expect(cellFilter(col('field', { field: 'tls', isProtocol: true }), row, 'tls')).toBe('tls');
    expect(cellFilter(col('field', { field: 'tcp.srcport' }), row, '')).toBeNull();
    compiles('http.user_agent == "say \\"hi\\" \\\\o/"');
  });
});

describe('Copy formats (data_printer.cpp)', () => {
  const bytes = Uint8Array.from({ length: 20 }, (_, i) => (i < 4 ? [0x16, 0x03, 0x01, 0x0a][i]! : 0x41 + i));

  it('Summary as Text is tab-separated, as CSV quoted', () => {
    expect(summaryText(['1', '0.000000', 'Client "Hello"'])).toBe('1\t0.000000\tClient "Hello"');
    expect(summaryText(['1', '0.000000', 'Client "Hello"'], 'csv')).toBe('"1","0.000000","Client ""Hello"""');
  });

  it('a Hex Stream, Printable Text and a Hex + ASCII dump', () => {
    expect(hexStream(bytes.subarray(0, 6))).toBe('1603010a4546');
    expect(printableText(Uint8Array.from([0x16, 0x41, 0x09, 0x0b, 0x0a, 0x7f, 0x42]))).toBe('A\t\v\nB');
    expect(hexDump(bytes)).toBe(
      '0000   16 03 01 0a 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50   ....EFGHIJKLMNOP\n' + //
        '0010   51 52 53 54                                       QRST\n',
    );
  });

  it('an Escaped String breaks lines every 16 bytes, except before a last single byte', () => {
    const esc = (n: number) => escapedString(Uint8Array.from({ length: n }, (_, i) => i));
    expect(esc(2)).toBe('"\\x00\\x01"\n');
    const sixteen = Array.from({ length: 16 }, (_, i) => `\\x${i.toString(16).padStart(2, '0')}`).join('');
    // Wireshark's own quirk: the 17th byte stays on the first line, the 18th starts a new one.
    expect(esc(17)).toBe(`"${sixteen}\\x10"\n`);
    expect(esc(18)).toBe(`"${sixteen}" \\\n"\\x10\\x11"\n`);
  });
});
