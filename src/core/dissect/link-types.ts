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
