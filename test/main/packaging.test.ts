// The packaged app's security switches, tested without the Electron binary: the afterPack hook flips
// the fuses of a stand-in binary that carries Electron's fuse wire, and electron-builder.yml ships the
// dedicated capture helper outside app.asar and rebuilds nothing for Electron.

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const requireHere = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..', '..');
type Context = { appOutDir: string; electronPlatformName: string; arch: number; packager: { executableName: string; appInfo: { productFilename: string } } };
const { afterPack } = (await import(pathToFileURL(join(root, 'scripts', 'after-pack.mjs')).href)) as { afterPack: (c: Context) => Promise<void> };
const { FuseV1Options, getCurrentFuseWire } = requireHere('@electron/fuses') as {
  FuseV1Options: Record<string, number>;
  getCurrentFuseWire(path: string): Promise<Record<number, number>>;
};
const { load } = requireHere('js-yaml') as { load(text: string): unknown };
const semver = requireHere('semver') as { minVersion(range: string): { version: string }; satisfies(v: string, range: string): boolean };

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = '1'.charCodeAt(0);
const OFF = '0'.charCodeAt(0);

/**
 * A stand-in for the Electron executable: bytes around Electron's fuse wire (sentinel, version 1,
 * length, one byte per fuse) with Electron's defaults: RunAsNode, NODE_OPTIONS, --inspect and file://
 * privileges on, the rest off.
 */
function fakeElectron(path: string, wireLength = 9): void {
  const defaults = [ON, OFF, ON, ON, OFF, OFF, OFF, ON, ON].slice(0, wireLength);
  const wire = Buffer.concat([Buffer.from(SENTINEL, 'ascii'), Buffer.from([1, wireLength, ...defaults])]);
  writeFileSync(path, Buffer.concat([Buffer.alloc(4096, 0x7f), wire, Buffer.alloc(4096, 0x90)]));
  chmodSync(path, 0o755);
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function unpackedApp(platform: 'linux' | 'win32', withHelper = true, wireLength = 9): { context: Context; binary: string } {
  const appOutDir = mkdtempSync(join(tmpdir(), `wl-pack-${platform}-`));
  dirs.push(appOutDir);
  const binary = join(appOutDir, platform === 'win32' ? 'WireLadder.exe' : 'wireladder');
  fakeElectron(binary, wireLength);
  if (withHelper) {
    mkdirSync(join(appOutDir, 'resources', 'capture-helper'), { recursive: true });
    writeFileSync(join(appOutDir, 'resources', 'capture-helper', platform === 'win32' ? 'wireladder-capture.exe' : 'wireladder-capture'), 'helper');
  }
  return { context: { appOutDir, electronPlatformName: platform, arch: 1, packager: { executableName: 'wireladder', appInfo: { productFilename: 'WireLadder' } } }, binary };
}

describe('Electron fuses (scripts/after-pack.mjs)', () => {
  for (const platform of ['linux', 'win32'] as const) {
    it(`${platform}: RunAsNode, NODE_OPTIONS and --inspect are off, app.asar only, no extra file:// privileges`, async () => {
      const { context, binary } = unpackedApp(platform);
      await afterPack(context);
      const wire = await getCurrentFuseWire(binary);
      expect(wire[FuseV1Options.RunAsNode!]).toBe(OFF);
      expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable!]).toBe(OFF);
      expect(wire[FuseV1Options.EnableNodeCliInspectArguments!]).toBe(OFF);
      expect(wire[FuseV1Options.OnlyLoadAppFromAsar!]).toBe(ON);
      expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges!]).toBe(OFF);
      expect(wire[FuseV1Options.EnableCookieEncryption!]).toBe(ON);
      // Fuses the hook does not set keep Electron's value (a fuse newer than @electron/fuses too).
      expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation!]).toBe(OFF);
      expect(wire[8]).toBe(ON);
      // Only the wire changed.
      const bytes = readFileSync(binary);
      expect(bytes.subarray(0, 4096).every((b) => b === 0x7f)).toBe(true);
      expect(bytes.subarray(bytes.length - 4096).every((b) => b === 0x90)).toBe(true);
    });
  }

  it('stops the build when the binary has no fuse wire, or one too short for the fuses asked for', async () => {
    const { context, binary } = unpackedApp('linux');
    writeFileSync(binary, Buffer.alloc(8192, 1));
    await expect(afterPack(context)).rejects.toThrow(/Could not find sentinel/);
    const short = unpackedApp('linux', true, 4);
    await expect(afterPack(short.context)).rejects.toThrow(/not long enough/);
  });

  it('stops the build when the capture helper was not packed', async () => {
    const { context } = unpackedApp('linux', false);
    await expect(afterPack(context)).rejects.toThrow(/capture helper is missing from the package/);
  });
});

describe('electron-builder.yml', () => {
  const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
    afterPack: string;
    npmRebuild: boolean;
    files: string[];
    extraResources: { from: string; to: string; filter: string[] }[];
    asarUnpack: string[];
    electronFuses?: unknown;
  };

  it('runs the fuse hook, and sets no fuses of its own that could disagree with it', () => {
    expect(config.afterPack).toBe('./scripts/after-pack.mjs');
    expect(config.electronFuses).toBeUndefined();
  });

  it('ships the capture helper beside the app, not in app.asar, and never rebuilds cap for Electron', () => {
    expect(config.extraResources).toContainEqual({ from: 'out/capture-helper', to: 'capture-helper', filter: ['wireladder-capture', 'wireladder-capture.exe', 'cap.node'] });
    expect(config.files).toContain('!out/capture-helper/**');
    expect(config.files).toContain('!node_modules/cap/**');
    expect(config.npmRebuild).toBe(false);
    expect(config.asarUnpack.some((p) => p.includes('cap'))).toBe(false);
  });

  it('the main process never runs the app as Node.js (ELECTRON_RUN_AS_NODE appears nowhere in src)', () => {
    const sources = ['src/main/index.ts', 'src/core/capture/capture-client.ts', 'src/core/service/capture-service.ts'].map((f) => readFileSync(join(root, f), 'utf8'));
    for (const s of sources) expect(s).not.toContain('ELECTRON_RUN_AS_NODE');
  });
});

describe('package.json engines', () => {
  it('every package an install brings accepts the oldest Node.js package.json promises (no EBADENGINE)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    const oldest = semver.minVersion(pkg.engines.node).version;
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };
    const refusing = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && !Array.isArray(p.engines) && typeof p.engines?.node === 'string' && !semver.satisfies(oldest, p.engines.node))
      .map(([path, p]) => `${path}@${p.version}: node ${(p.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });
});
