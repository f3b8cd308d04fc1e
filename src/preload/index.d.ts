// Types `window.wireladder` (set by the preload in Electron; absent in browser mode) as the exact bridge.

import type { WireLadderBridge } from '../shared/bridge';

declare global {
  interface Window {
    wireladder?: WireLadderBridge;
  }
}

export {};
