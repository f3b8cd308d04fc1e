// Electron transport, renderer side: a thin wrapper over the preload's typed bridge.

import type { WireLadderBridge } from '../../../shared/bridge';
import type { AppClient } from './types';

export function electronClient(bridge: WireLadderBridge): AppClient {
  return {
    call: (method, arg) => bridge.invoke(method, arg),
    on: (event, fn) => bridge.on(event, fn),
    host: () => bridge.host(),
    openDialog: () => bridge.openDialog(),
    saveExport: (result) => bridge.saveExport(result),
    saveCaptureDialog: (session, packets) => (packets === undefined ? bridge.saveCaptureDialog(session) : bridge.saveCaptureDialog(session, packets)),
    saveCaptureWithKeysDialog: (session) => bridge.saveCaptureWithKeysDialog(session),
    openKeyFileDialog: (session, watch) => bridge.openKeyFileDialog({ session, watch }),
    showCapture: (session) => bridge.showCapture(session),
    reopen: (session) => bridge.reopen(session),
    onCommand: (fn) => bridge.onCommand(fn),
    onDisconnect: () => () => undefined,
  };
}
