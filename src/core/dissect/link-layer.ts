// The link-layer dissectors (data link, OSI layer 2, and ARP beside them), in registration order.

import type { Dissector } from './dissector';
import { arp } from './protocols/arp';
import { ethernet } from './protocols/ethernet';
import { llc } from './protocols/llc';
import { mpls } from './protocols/mpls';
import { nullLoop } from './protocols/null-loop';
import { rawIp } from './protocols/raw-ip';
import { sll } from './protocols/sll';
import { sll2 } from './protocols/sll2';
import { vlan } from './protocols/vlan';

// Raw IPv4 (228) is claimed by ipv4 itself and raw IPv6 (229) by ipv6, in network-layer.ts.
export const linkDissectors: readonly Dissector[] = [ethernet, vlan, mpls, llc, sll, sll2, nullLoop, rawIp, arp];
