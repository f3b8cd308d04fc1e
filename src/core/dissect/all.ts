// The default dissector registry: every protocol WireLadder decodes per packet.

import { frameFields } from './dissect';
import { linkDissectors } from './link-layer';
import { networkDissectors } from './network-layer';
import { Registry } from './registry';

let shared: Registry | null = null;

/** Builds (once) the registry of all link, network and transport dissectors. */
export function defaultRegistry(): Registry {
  if (shared === null) {
    shared = new Registry([...linkDissectors, ...networkDissectors]);
    shared.declare(Object.values(frameFields));
  }
  return shared;
}
