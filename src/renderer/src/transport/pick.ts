// Chooses the transport at start: the Electron bridge when the preload set it, else the WebSocket.

import { electronClient } from './ipc-bridge';
import type { AppClient } from './types';
import { rpcUrl, websocketClient } from './websocket';

export function pickTransport(): AppClient {
  const bridge = window.wireladder;
  if (bridge !== undefined) return electronClient(bridge);
  return websocketClient(rpcUrl(window.location));
}
