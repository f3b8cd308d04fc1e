// electron-builder's afterPack hook (electron-builder.yml): sets the packaged app's Electron fuses
// and checks that the dedicated capture helper was packed, before the app is signed.
// Fuses are switches compiled into the Electron binary that no environment variable or command-line
// argument can undo: https://www.electronjs.org/docs/latest/tutorial/fuses
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fusesModule from '@electron/fuses';

const { flipFuses, getCurrentFuseWire, FuseV1Options, FuseVersion } = fusesModule;

/** builder-util's Arch.arm64: Apple silicon builds need their ad-hoc signature renewed after the flip. */
const ARM64 = 3;

/**
 * The app never runs as plain Node.js (live capture is a separate executable), takes no Node options
 * from the environment or its command line, and loads its code only from app.asar.
 */
export const fuses = {
  // ELECTRON_RUN_AS_NODE would turn the app into a Node.js that runs any script.
  [FuseV1Options.RunAsNode]: false,
  // NODE_OPTIONS=--require … would run code in the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect / --inspect-brk would open a debugger on the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  // Only app.asar, never a loose resources/app folder someone dropped beside it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // The renderer is served from app://wireladder; file:// needs no extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** The Electron executable electron-builder produced in `appOutDir` (as its addElectronFuses finds it). */
function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return join(appOutDir, packager.executableName);
}

/** resources/ of the unpacked app. */
function resourcesDir(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`, 'Contents', 'Resources');
  return join(appOutDir, 'resources');
}

export async function afterPack(context) {
  const helper = join(resourcesDir(context), 'capture-helper', context.electronPlatformName === 'win32' ? 'wireladder-capture.exe' : 'wireladder-capture');
  if (!existsSync(helper)) throw new Error(`after-pack: the capture helper is missing from the package (${helper}): run \`npm run build\` first`);
  const binary = electronBinary(context);
  await flipFuses(binary, { version: FuseVersion.V1, resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === ARM64, ...fuses });
  // Read them back: a fuse that did not take (a wire too short for this Electron) must stop the build.
  const wire = await getCurrentFuseWire(binary);
  for (const [index, enabled] of Object.entries(fuses)) {
    const want = (enabled ? '1' : '0').charCodeAt(0);
    if (wire[index] !== want) throw new Error(`after-pack: fuse ${FuseV1Options[index]} is ${String(wire[index])}, expected ${enabled ? 'on' : 'off'}`);
  }
}
