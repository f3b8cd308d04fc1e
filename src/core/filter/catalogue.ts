// The names a display filter may use: every field the registry declares, every protocol, and the
// combined fields Wireshark adds hidden (ip.addr = ip.src or ip.dst, tcp.port…).

import type { FieldDef, FieldType } from '../dissect/fields';
import type { Registry } from '../dissect/registry';

export interface FieldInfo {
  /** The name as the filter means it (`ssl.*` is read as `tls.*`, as Wireshark 4.0 does). */
  name: string;
  type: FieldType;
  def: FieldDef | null;
  /** Tree names whose nodes are occurrences of this field (a combined field has two). */
  treeNames: readonly string[];
  /** The protocol the field belongs to (its first name component); itself for a protocol. */
  protocol: string;
  isProtocol: boolean;
}

/** Hidden fields Wireshark adds beside the source and destination ones. */
const COMBINED: Record<string, readonly [string, string]> = {
  'ip.addr': ['ip.src', 'ip.dst'],
  'ipv6.addr': ['ipv6.src', 'ipv6.dst'],
  'tcp.port': ['tcp.srcport', 'tcp.dstport'],
  'udp.port': ['udp.srcport', 'udp.dstport'],
  'eth.addr': ['eth.src', 'eth.dst'],
};

/** Layer names the tree uses that no field starts with. */
const EXTRA_PROTOCOLS = ['frame', 'pwethcw', 'ieee8021ad', 'raw', 'null'];

/**
 * Protocols Wireshark knows that WireLadder does not decode: a filter naming one is valid and
 * matches nothing, with a warning instead of an error.
 */
export const UNDECODED_PROTOCOLS: ReadonlySet<string> = new Set([
  'dns', 'mdns', 'llmnr', 'nbns', 'dhcp', 'bootp', 'dhcpv6', 'ntp', 'snmp', 'ssdp', 'quic', 'dtls', 'http3',
  'ssh', 'smtp', 'imap', 'pop', 'ftp', 'ftp-data', 'telnet', 'sip', 'rtp', 'rtcp', 'smb', 'smb2', 'nbss', 'kerberos',
  'ldap', 'rdp', 'websocket', 'data', 'stp', 'lldp', 'cdp', 'igmp', 'ospf', 'bgp', 'syslog', 'radius', 'tftp',
]);

const protocolSets = new WeakMap<Registry, Set<string>>();

function protocolsOf(registry: Registry): Set<string> {
  let set = protocolSets.get(registry);
  if (set === undefined) {
    set = new Set(EXTRA_PROTOCOLS);
    for (const d of registry.dissectors) set.add(d.name);
    for (const name of registry.fieldNames()) {
      const dot = name.indexOf('.');
      const first = dot < 0 ? name : name.slice(0, dot);
      if (first !== '_ws') set.add(first);
    }
    protocolSets.set(registry, set);
  }
  return set;
}

/** `ssl` and `ssl.*` are the pre-3.0 names of `tls` and `tls.*`; 4.0 still accepts them. */
function canonical(name: string): string {
  if (name === 'ssl') return 'tls';
  if (name.startsWith('ssl.')) return `tls.${name.slice(4)}`;
  return name;
}

function protocolOf(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/** What `name` refers to, or null when it is neither a field nor a protocol name. */
export function resolveField(rawName: string, registry: Registry): FieldInfo | null {
  const name = canonical(rawName);
  const combined = COMBINED[name];
  if (combined !== undefined) {
    const def = registry.field(combined[0]) ?? null;
    const type: FieldType = def?.type ?? (name.startsWith('ip.') ? 'ipv4' : name.startsWith('ipv6.') ? 'ipv6' : name.startsWith('eth.') ? 'ether' : 'uint');
    return { name, type, def, treeNames: combined, protocol: protocolOf(name), isProtocol: false };
  }
  const def = registry.field(name);
  if (def !== undefined) {
    return { name, type: def.type, def, treeNames: [name], protocol: protocolOf(name), isProtocol: false };
  }
  if (protocolsOf(registry).has(name)) {
    return { name, type: 'protocol', def: null, treeNames: [name], protocol: name, isProtocol: true };
  }
  return null;
}

/** Does `name` name a protocol WireLadder does not decode (or a field of one)? */
export function undecodedProtocol(name: string): string | null {
  const p = protocolOf(name);
  return UNDECODED_PROTOCOLS.has(p) ? p : null;
}

/**
 * Every name a filter may use, for autocomplete: fields (with their titles and types, the combined
 * ones included) and protocols, sorted by name.
 */
export function catalogueOf(registry: Registry): { fields: { name: string; title: string; type: FieldType }[]; protocols: string[] } {
  const fields: { name: string; title: string; type: FieldType }[] = [];
  for (const name of registry.fieldNames()) {
    const def = registry.field(name);
    if (def !== undefined) fields.push({ name, title: def.title, type: def.type });
  }
  for (const [name, [half]] of Object.entries(COMBINED)) {
    const def = registry.field(half);
    if (def !== undefined && registry.field(name) === undefined) fields.push({ name, title: def.title.replace(/^(Source|Destination) ?/, '') || name, type: def.type });
  }
  fields.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { fields, protocols: [...protocolsOf(registry)].sort() };
}
