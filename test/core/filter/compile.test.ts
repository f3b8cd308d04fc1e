import { describe, expect, it } from 'vitest';
import { compileFilter, isFilterError, type CompiledFilter } from '../../../src/core/filter/compile';
import { Analyzer } from '../../../src/core/engine/analyzer';

// The registry of a full analysis (link to transport, flow, TLS and HTTP fields).
const registry = new Analyzer().registry;

function error(text: string): { error: string; position: number } {
  const c = compileFilter(text, registry);
  if (!isFilterError(c)) throw new Error(`"${text}" compiled`);
  return c;
}

function compiled(text: string): CompiledFilter {
  const c = compileFilter(text, registry);
  if (isFilterError(c)) throw new Error(`${c.error} at ${c.position}`);
  return c;
}

describe('compiling display filters', () => {
  it('names an unknown field as Wireshark does, at its position', () => {
    expect(error('tcp.prot')).toEqual({ error: '"tcp.prot" is neither a field nor a protocol name.', position: 0 });
    expect(error('tcp && foo == 1')).toEqual({ error: '"foo" is neither a field nor a protocol name.', position: 7 });
  });

  it('rejects values that do not fit the field, pointing at the value', () => {
    expect(error('tcp.port == abc')).toEqual({ error: '"abc" is not a valid number.', position: 12 });
    expect(error('tcp.port == "443"')).toEqual({ error: 'Unsigned integer cannot be converted from a string ("443").', position: 12 });
    expect(error('ip.addr == 1.2.3')).toEqual({ error: '"1.2.3" is not a valid hostname or IPv4 address.', position: 11 });
    expect(error('ip.addr == 10.0.0.0/33')).toEqual({ error: 'Netmask bits in a CIDR IPv4 address should be <= 32, not 33', position: 11 });
    expect(error('tcp.flags.syn == yes')).toEqual({ error: '"yes" cannot be found among the possible values for tcp.flags.syn.', position: 17 });
    expect(error('frame.time_relative > 1s')).toEqual({ error: '"1s" is not a valid time.', position: 22 });
    expect(error('tcp.stream == 1.5').error).toBe('"1.5" is not a valid number.');
  });

  it('rejects operators the field type does not support', () => {
    expect(error('tcp.port contains 1').error).toBe('tcp.port (type=Unsigned integer) cannot participate in contains comparison.');
    expect(error('ip.src contains "a"').error).toBe('ip.src (type=IPv4 address) cannot participate in contains comparison.');
    expect(error('tcp.analysis.flags == 1').error).toBe("tcp.analysis.flags (type=Label) cannot participate in '==' comparison.");
    expect(error('ip.proto == tcp').error).toBe('ip.proto and tcp are not of compatible types.');
  });

  it('reports a bad regular expression', () => {
    expect(error('http.host matches "("').error).toMatch(/^Regex compilation error: /);
  });

  it('accepts value names, booleans, hex, octal and the ssl alias', () => {
    for (const text of ['ip.proto == "TCP"', 'arp.opcode == request', 'tcp.flags.syn == True', 'tcp.flags.syn == 2', 'tcp.srcport == 0x1bb', 'ssl.handshake.type == 1', 'tls.handshake.ciphersuite == 0x9c']) {
      expect(isFilterError(compileFilter(text, registry)), text).toBe(false);
    }
  });

  it('needs no tree when the index holds every field for every packet', () => {
    expect(compiled('frame.number > 10 && frame.len < 100').needsTree).toBe(false);
    expect(compiled('frame.time_relative >= 1.5 or frame.comment contains "x"').needsTree).toBe(false);
    // Tunnels and ICMP errors can hide more ports and addresses than the index holds.
    expect(compiled('tcp.port == 443 && tcp.flags.syn == 1').needsTree).toBe(true);
    expect(compiled('tls.handshake.type == 1').needsTree).toBe(true);
  });

  it('accepts a protocol WireLadder does not decode, with a warning, and matches nothing', () => {
    const c = compiled('dns || tcp');
    expect(c.warnings).toEqual(['WireLadder does not decode dns: "dns" matches no packet.']);
    expect(error('dns.qry.name == "x"').error).toBe('"dns.qry.name" is neither a field nor a protocol name. WireLadder does not decode dns.');
  });
});
