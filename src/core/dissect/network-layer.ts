// The network- and transport-layer dissectors (OSI layers 3 and 4, tunnels), in registration order.

import type { Dissector } from './dissector';
import { ipv4 } from './protocols/ipv4';
import { tcp } from './protocols/tcp';

export const networkDissectors: readonly Dissector[] = [ipv4, tcp];
