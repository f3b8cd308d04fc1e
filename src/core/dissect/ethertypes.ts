// EtherType values and the names Wireshark shows for them (etypes.h).

export const EtherType = {
  Ipv4: 0x0800,
  Arp: 0x0806,
  Vlan: 0x8100,
  Ipv6: 0x86dd,
  QinQ: 0x88a8,
  QinQOld: 0x9100,
  MplsUnicast: 0x8847,
  MplsMulticast: 0x8848,
  TransparentEthernet: 0x6558,
  Ppp: 0x880b,
} as const;

export const etherTypeNames: ReadonlyMap<number, string> = new Map([
  [0x0800, 'IPv4'],
  [0x0806, 'ARP'],
  [0x8100, '802.1Q Virtual LAN'],
  [0x86dd, 'IPv6'],
  [0x88a8, '802.1ad Provider Bridge (Q-in-Q)'],
  [0x9100, 'QinQ: old non-standard 802.1ad'],
  [0x8847, 'MPLS label switched packet'],
  [0x8848, 'MPLS multicast label switched packet'],
  [0x6558, 'Transparent Ethernet bridging'],
  [0x880b, 'PPP'],
  [0x8035, 'RARP'],
  [0x88cc, '802.1 Link Layer Discovery Protocol (LLDP)'],
  [0x888e, '802.1X Authentication'],
  [0x8863, 'PPPoE Discovery'],
  [0x8864, 'PPPoE Session'],
]);
