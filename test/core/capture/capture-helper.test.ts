// The dedicated capture helper (wireladder-capture, a Node.js single executable): the one file given
// capture rights. It runs its own program and nothing else, works for an unprivileged user once
// granted the capabilities, ignores what that user could use to run other code with them
// (NODE_OPTIONS, Node options as arguments, SIGUSR1's inspector), and permission fixes name it alone.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureProgram, startCapture } from '../../../src/core/capture/capture-client';
import { analyzeFile } from '../../../src/core/engine/analyze-file';
import { dedicatedHelper, ensureBundles, helperScript, request, udpPackets } from './helpers';

const root = process.getuid?.() === 0;
const tool = (name: string): boolean => spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0 || spawnSync(name, ['-h'], { stdio: 'ignore' }).status !== null;
const canDropPrivileges = process.platform === 'linux' && root && tool('setpriv');
const canGrant = canDropPrivileges && existsSync('/usr/sbin/setcap');

let dir: string;
beforeAll(() => {
  ensureBundles();
  dir = mkdtempSync(join(tmpdir(), 'wl-helper-'));
  chmodSync(dir, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the helper and its addon in a directory of its own (so capabilities can be set on it). */
function helperCopy(name: string): string {
  const d = join(dir, name);
  mkdirSync(d, { mode: 0o755 });
  const exe = join(d, 'wireladder-capture');
  copyFileSync(dedicatedHelper, exe);
  copyFileSync(join(dirname(dedicatedHelper), 'cap.node'), join(d, 'cap.node'));
  chmodSync(exe, 0o755);
  return exe;
}

/** Runs `command` as user nobody (uid 65534), with no groups and no capabilities of its own. */
function asNobody(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', command, ...args], { encoding: 'utf8', cwd: tmpdir(), env: { PATH: process.env.PATH, ...env } });
}

describe('the dedicated capture helper', () => {
  it('runs its own program only: Node options on its command line are arguments it refuses', () => {
    const list = spawnSync(dedicatedHelper, ['--list'], { encoding: 'utf8' });
    expect(list.status).toBe(0);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((i) => i.name)).toContain('lo');
    const marker = join(dir, 'ran-code');
    for (const args of [['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`], ['--inspect=127.0.0.1:0', '--list'], ['--require', marker, '--list'], ['-p', '1+1']]) {
      const r = spawnSync(dedicatedHelper, args, { encoding: 'utf8' });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^usage: wireladder-capture --list/);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(marker)).toBe(false);
  });

  it.runIf(process.platform === 'linux' && root)('captures on lo: every datagram sent is in the file', async () => {
    const port = 20000 + Math.floor(Math.random() * 30000);
    const path = join(dir, 'through-helper.pcapng');
    const run = startCapture(request(path, { filter: `udp port ${port}`, stopAfterPackets: 12 }), { command: dedicatedHelper, args: [], env: { ...process.env } });
    await run.started;
    await udpPackets(port, 12, 1);
    const end = await run.ended;
    expect(end.reason).toBe('packet-count');
    const { analyzer, result } = await analyzeFile(path);
    expect(result.stop).toBeNull();
    expect(analyzer.index.count).toBe(12);
  });
});

describe.runIf(canGrant)('with capture capabilities, run by an unprivileged user', () => {
  let granted: string;
  let scratch: string;
  beforeAll(() => {
    granted = helperCopy('granted');
    const r = spawnSync('/usr/sbin/setcap', ['cap_net_raw,cap_net_admin=eip', granted], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    // Where nobody may write.
    scratch = join(dir, 'nobody');
    mkdirSync(scratch, { mode: 0o777 });
    chmodSync(scratch, 0o777);
  });

  it('opens lo: the grant is what lets it capture', () => {
    const r = asNobody(granted, ['--check-filter', 'lo', 'tcp']);
    expect(JSON.parse(r.stdout)).toEqual({ error: null, failure: null });
  });

  it('does not run code NODE_OPTIONS names (Node ignores it under secure execution)', () => {
    const evil = join(scratch, 'evil.cjs');
    const marker = join(scratch, 'evil-ran');
    writeFileSync(evil, `require('fs').writeFileSync(${JSON.stringify(marker)}, String(process.pid));\n`);
    chmodSync(evil, 0o644);
    const r = asNobody(granted, ['--check-filter', 'lo', 'tcp'], { NODE_OPTIONS: `--require ${evil}` });
    expect(JSON.parse(r.stdout)).toEqual({ error: null, failure: null });
    expect(existsSync(marker)).toBe(false);
  });

  it('SIGUSR1 opens no inspector while it captures', async () => {
    const path = join(scratch, 'usr1.pcapng');
    const req = JSON.stringify(request(path, { filter: 'udp port 9', bufferSize: 1 << 20 }));
    const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', granted, '--capture', req], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    // Without IPC the helper reports on stdout, one JSON message a line.
    for (let i = 0; i < 200 && !out.includes('"type":"started"'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(out).toContain('"type":"started"');
    // As nobody, like the user it runs for (same uid: the signal is allowed).
    expect(spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'kill', '-USR1', String(child.pid)]).status).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    const listening = spawnSync('ss', ['-Hltnp'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes(`pid=${child.pid},`));
    expect(listening).toEqual([]);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    expect(err).not.toContain('Debugger listening');
    expect(out).toContain('"type":"ended","reason":"stopped"');
  });
});

describe.runIf(canDropPrivileges)('permission fixes name the dedicated helper, never Node.js', () => {
  const grants = (fix: string, helper: string): void => {
    expect(fix).toContain(`sudo setcap cap_net_raw,cap_net_admin=eip ${helper}`);
    expect(fix).toContain(`chown -R root:wireshark ${dirname(helper)}`);
    expect(fix).not.toContain(process.execPath);
    expect(fix).not.toMatch(/\/node\b|\bnodejs\b/);
    expect(fix).not.toMatch(/run (it|the app|wireladder) as root/i);
  };

  it('the helper, run without the capability, names itself', () => {
    const plain = helperCopy('plain');
    const out = JSON.parse(asNobody(plain, ['--check-filter', 'lo', 'tcp']).stdout) as { failure: { code: string; reason: string; fix: string } };
    expect(out.failure.code).toBe('permission');
    expect(out.failure.reason).toBe("no permission to capture on 'lo' (socket: Operation not permitted)");
    grants(out.failure.fix, plain);
  });

  it('the helper script run by Node.js (a checkout without the helper built) names the helper too', () => {
    const out = JSON.parse(asNobody(process.execPath, [helperScript, '--check-filter', 'lo', 'tcp']).stdout) as { failure: { code: string; fix: string } };
    expect(out.failure.code).toBe('permission');
    grants(out.failure.fix, dedicatedHelper);
  });
});

describe('which capture program runs', () => {
  it('the helper the app passes, else WIRELADDER_CAPTURE_HELPER, else the build’s own, with no leading arguments', () => {
    expect(captureProgram(dedicatedHelper)).toMatchObject({ command: dedicatedHelper, args: [] });
    const other = helperCopy('from-env');
    const saved = process.env['WIRELADDER_CAPTURE_HELPER'];
    process.env['WIRELADDER_CAPTURE_HELPER'] = other;
    try {
      expect(captureProgram().command).toBe(other);
    } finally {
      if (saved === undefined) delete process.env['WIRELADDER_CAPTURE_HELPER'];
      else process.env['WIRELADDER_CAPTURE_HELPER'] = saved;
    }
    expect(captureProgram().command).toBe(dedicatedHelper);
  });

  it('inside Electron it never runs the app itself as Node.js', () => {
    Object.defineProperty(process.versions, 'electron', { value: '41.0.0', configurable: true });
    try {
      const program = captureProgram();
      expect(program.command).not.toBe(process.execPath);
      expect(program.env['ELECTRON_RUN_AS_NODE']).toBeUndefined();
      expect(readFileSync(program.command).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    } finally {
      Reflect.deleteProperty(process.versions, 'electron');
    }
  });
});
