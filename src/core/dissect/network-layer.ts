// The network- and transport-layer dissectors (OSI layers 3 and 4, tunnels), in registration order.

import type { Dissector } from './dissector';
import { gre } from './protocols/gre';
import { icmp } from './protocols/icmp';
import { icmpv6 } from './protocols/icmpv6';
import { ipv4 } from './protocols/ipv4';
import { ipv6 } from './protocols/ipv6';
import { tcp } from './protocols/tcp';
import { udp } from './protocols/udp';
import { vxlan } from './protocols/vxlan';

export const networkDissectors: readonly Dissector[] = [ipv4, ipv6, icmp, icmpv6, tcp, udp, gre, vxlan];
