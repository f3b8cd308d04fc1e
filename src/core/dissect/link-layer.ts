// The link-layer dissectors (data link, OSI layer 2), in registration order.

import type { Dissector } from './dissector';
import { ethernet } from './protocols/ethernet';

export const linkDissectors: readonly Dissector[] = [ethernet];
