// The app:// renderer protocol (CSP, no escape from the renderer folder) and command-line files.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesFromArgv } from '../../src/main/command-line';
import { rendererCsp, serveRendererFile } from '../../src/main/renderer-protocol';

const dir = mkdtempSync(join(tmpdir(), 'wireladder-main-'));
const renderer = join(dir, 'renderer');
mkdirSync(join(renderer, 'assets'), { recursive: true });
writeFileSync(join(renderer, 'index.html'), '<!doctype html><div id="root"></div>');
writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(dir, 'secret.txt'), 'not for the renderer');
writeFileSync(join(dir, 'capture.pcapng'), '');

describe('app:// renderer protocol', () => {
  it('serves the renderer with a strict CSP and the right types', async () => {
    const page = await serveRendererFile(renderer, 'app://wireladder/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(rendererCsp);
    expect(rendererCsp).toContain("default-src 'none'");
    expect(rendererCsp).not.toContain('unsafe');
    const script = await serveRendererFile(renderer, 'app://wireladder/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('never serves files outside the renderer folder or other hosts', async () => {
    for (const url of ['app://wireladder/%2e%2e/secret.txt', 'app://wireladder/..%2fsecret.txt', 'app://wireladder/assets/..%2f..%2fsecret.txt']) {
      const r = await serveRendererFile(renderer, url);
      expect([403, 404], url).toContain(r.status);
      expect(await r.text()).not.toContain('not for the renderer');
    }
    expect((await serveRendererFile(renderer, 'app://other/index.html')).status).toBe(404);
    expect((await serveRendererFile(renderer, 'app://wireladder/missing.js')).status).toBe(404);
  });

  it('answers a path that is not valid percent-encoding (or decodes to NUL or a backslash) with 400 instead of throwing', async () => {
    for (const url of ['app://wireladder/assets/%', 'app://wireladder/%E0%A4%A', 'app://wireladder/assets/a%00.js', 'app://wireladder/assets/..%5C..%5Cx']) {
      const r = await serveRendererFile(renderer, url);
      expect(r.status, url).toBe(400);
    }
  });
});

describe('command-line files', () => {
  it('keeps existing files, resolved against the caller’s folder, and drops flags and folders', () => {
    expect(filesFromArgv(['.', '--inspect', 'capture.pcapng', 'missing.pcap', 'renderer'], dir)).toEqual([join(dir, 'capture.pcapng')]);
  });
});
