// LINKTYPE_* values (tcpdump.org/linktypes.html) for the link layers WireLadder decodes.

export const LinkType = {
  Null: 0,
  Ethernet: 1,
  /** DLT_RAW as OpenBSD numbers it (14) and as most systems do (12); both mean raw IP. */
  RawBsd12: 12,
  RawBsd14: 14,
  Raw: 101,
  Loop: 108,
  LinuxSll: 113,
  Ipv4: 228,
  Ipv6: 229,
  LinuxSll2: 276,
} as const;

export const linkTypeNames: ReadonlyMap<number, string> = new Map([
  [0, 'NULL (BSD loopback)'],
  [1, 'Ethernet'],
  [12, 'Raw IP'],
  [14, 'Raw IP'],
  [101, 'Raw IP'],
  [108, 'OpenBSD loopback'],
  [113, 'Linux cooked-mode capture v1'],
  [228, 'Raw IPv4'],
  [229, 'Raw IPv6'],
  [276, 'Linux cooked-mode capture v2'],
]);

export function linkTypeName(lt: number): string {
  return linkTypeNames.get(lt) ?? `link type ${lt}`;
}

/**
 * Wireshark's own encapsulation numbers (wiretap's WTAP_ENCAP_*) and names for the link types above,
 * which the Frame layer shows as "Encapsulation type: Ethernet (1)" and frame.encap_type holds.
 */
const wtapEncapsulations: ReadonlyMap<number, readonly [number, string]> = new Map([
  [LinkType.Null, [15, 'NULL/Loopback']],
  [LinkType.Ethernet, [1, 'Ethernet']],
  [LinkType.RawBsd12, [7, 'Raw IP']],
  [LinkType.RawBsd14, [7, 'Raw IP']],
  [LinkType.Raw, [7, 'Raw IP']],
  [LinkType.LinuxSll, [25, 'Linux cooked-mode capture v1']],
  [LinkType.Ipv4, [129, 'Raw IPv4']],
  [LinkType.Ipv6, [130, 'Raw IPv6']],
  [LinkType.LinuxSll2, [210, 'Linux cooked-mode capture v2']],
]);

/** The wiretap encapsulation of a link type: its number and name (the link type itself when unmapped). */
export function encapsulationOf(lt: number): { value: number; name: string } {
  const known = wtapEncapsulations.get(lt);
  return known === undefined ? { value: lt, name: linkTypeName(lt) } : { value: known[0], name: known[1] };
}
