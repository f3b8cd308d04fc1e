// Entry point of the dedicated capture helper executable, `wireladder-capture`: a Node.js
// single-executable application (node:sea) that runs this program and nothing else. It is the one
// file given the capture capabilities or the capture group, as Wireshark gives them to dumpcap.
// A single executable takes no Node options from its command line (they reach the program as its
// own arguments, and are refused), and Node ignores NODE_OPTIONS in a process with file
// capabilities (secure execution); what is left is closed here: SIGUSR1, which would open the
// inspector to any local user, and the capture library, loaded from the helper's own directory only.

import { EventEmitter } from 'node:events';
import inspector from 'node:inspector';
import { dirname, join } from 'node:path';
import { runCaptureProgram, type CapModule } from './capture-program';
import { HELPER_ADDON } from './helper-location';

// The build puts the same line first in the bundle (a banner); here it is for readers and for a build without it.
process.on('SIGUSR1', () => undefined);
if (inspector.url() !== undefined) {
  // Someone opened the inspector before the line above ran: do not go on with privileges it could use.
  inspector.close();
  process.stderr.write('wireladder-capture: the inspector was opened (SIGUSR1 at startup); refusing to run\n');
  process.exit(70);
}

interface CapAddon extends CapModule {
  deviceList: CapModule['Cap']['deviceList'];
}

/** `cap`'s addon beside the executable (process.execPath is /proc/self/exe, not argv[0]). */
function loadCapBeside(): CapModule {
  const addon = { exports: {} as CapAddon };
  process.dlopen(addon, join(dirname(process.execPath), HELPER_ADDON));
  const cap = addon.exports;
  // What cap's lib/Cap.js does around the addon.
  Object.setPrototypeOf(cap.Cap.prototype, EventEmitter.prototype);
  cap.Cap.deviceList = cap.deviceList;
  return cap;
}

runCaptureProgram(process.argv.slice(2), { loadCap: loadCapBeside, helper: process.execPath });
